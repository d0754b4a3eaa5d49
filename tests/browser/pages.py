"""Helpers for the browser tests: a page that records what went wrong, the ticker's position, screenshots."""

from __future__ import annotations

import io
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

README_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
README_MAX_BYTES = 300 * 1024
UPDATE_README_ENV = "KIOSQUE_UPDATE_README_SCREENSHOTS"

# Chromium reports a CSP violation on the console too, but the DOM event also catches the ones reported only
# through the `securitypolicyviolation` event (e.g. from report-only policies), with the directive at fault.
# An init script is injected by the DevTools protocol, so the page's own CSP does not block it.
_CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""
_MATRIX = re.compile(r"matrix\(([^)]*)\)")


@dataclass
class Problems:
    console: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)

    def all(self) -> list[str]:
        return self.console + self.page_errors + self.requests + self.csp


def watched_page(context: Any) -> tuple[Any, Problems]:
    """A new page whose console errors, uncaught exceptions, failed requests and CSP violations are recorded."""
    page = context.new_page()
    problems = Problems()
    page.on("console", lambda m: problems.console.append(f"console: {m.text} [{m.location.get('url')}]")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.page_errors.append(f"exception: {e}"))
    page.on("requestfailed", lambda r: problems.requests.append(f"failed: {r.url} {r.failure}"))
    page.on("response", lambda r: problems.requests.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    page.add_init_script(_CSP_LISTENER)
    return page, problems


def collect_csp(page: Any, problems: Problems) -> Problems:
    problems.csp.extend(f"CSP: {v}" for v in page.evaluate("window.__cspViolations || []"))
    return problems


def ticker_ready(page: Any) -> None:
    """Wait until kiosque.js has set the ticker up (copies appended, speed set): it then moves."""
    page.wait_for_function(
        "() => { const t = document.querySelector('[data-ticker-track]');"
        " return t && t.style.getPropertyValue('--ticker-duration') !== ''; }"
    )


def ticker_offset(page: Any) -> float:
    """The ticker track's current horizontal translation in px (its animated `transform`), 0 when none."""
    transform = page.evaluate("getComputedStyle(document.querySelector('[data-ticker-track]')).transform")
    found = _MATRIX.fullmatch(transform)
    if transform == "none" or found is None:
        assert transform == "none", f"unexpected transform {transform!r}"
        return 0.0
    return float(found.group(1).split(",")[4])


def ticker_drift(page: Any, *, ms: int = 400) -> float:
    """How far the ticker moves in `ms` milliseconds."""
    before = ticker_offset(page)
    page.wait_for_timeout(ms)
    return ticker_offset(page) - before


def horizontal_overflow(page: Any) -> int:
    """How many px the document is wider than the window (> 0 means the reader can scroll sideways)."""
    return int(page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth"))


def screenshot(page: Any, directory: Path, name: str) -> Path:
    """A viewport screenshot; `animations="disabled"` puts the ticker back at its start, so shots are stable."""
    path = directory / f"{name}.png"
    page.screenshot(path=str(path), animations="disabled")
    return path


def publish_for_readme(shot: Path) -> Path | None:
    """Copy a screenshot to docs/screenshots/ when KIOSQUE_UPDATE_README_SCREENSHOTS=1, under 300 KB."""
    if os.environ.get(UPDATE_README_ENV) != "1":
        return None
    README_SHOTS.mkdir(parents=True, exist_ok=True)
    target = README_SHOTS / shot.name
    if shot.stat().st_size <= README_MAX_BYTES:
        shutil.copyfile(shot, target)
        return target
    # Too big for the README: a 256-colour palette keeps text crisp and usually divides the size by three.
    with Image.open(shot) as image:
        out = io.BytesIO()
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(out, "PNG", optimize=True)
    assert out.tell() <= README_MAX_BYTES, f"{shot.name} is still {out.tell()} bytes after quantising"
    target.write_bytes(out.getvalue())
    return target
