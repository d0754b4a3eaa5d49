"""Feed parsing: Kiosque's parse_feed against feedparser (and fastfeedparser when installed), same run.

Corpus: every .xml/.json under <data>/feeds-edge (recursively) and the replay feeds listed in
<data>/replay/manifest.json (sites[].feeds[]). The HTTP charset a file would be served with is
passed to every parser: from the manifest's content_type, or from the file's own
"Header: Content-type" test comment (feeds-edge).

Per parser: files parsed (entries or a clean ParseError), entries found, files with fewer entries
than feedparser (raw count, and after the same URL de-duplication Kiosque applies), files that
crashed (an exception other than ParseError), and entries per second (median of --reps timed passes
over the whole corpus, and over the replay feeds alone: real publisher feeds, where the per-entry
cost dominates instead of the per-file cost of ~2,300 tiny test files). Prints ONE JSON line.

    .venv/bin/python bench/feeds.py [--data ../shared/data] [--reps 5] [--details]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import feedparser

from kiosque.pipeline.errors import ParseError
from kiosque.pipeline.parse import ParseOptions, parse_feed

REPO = Path(__file__).resolve().parent.parent
_HEADER_CT = re.compile(rb"^Header:\s*Content-type:\s*(.+)$", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Case:
    name: str
    content: bytes
    content_type: str
    base_url: str


def _charset(content_type: str) -> str | None:
    match = re.search(r"charset\s*=\s*([^;\s]+)", content_type, re.IGNORECASE)
    return match.group(1).strip("'\"") if match else None


def load_cases(data: Path) -> list[Case]:
    cases = []
    edge = data / "feeds-edge"
    for path in sorted(p for p in edge.rglob("*") if p.suffix in (".xml", ".json") and p.is_file()):
        content = path.read_bytes()
        header = _HEADER_CT.search(content[:2000])
        content_type = header.group(1).decode("latin-1").strip() if header else ""
        cases.append(Case(str(path.relative_to(data)), content, content_type, ""))
    manifest = json.loads((data / "replay" / "manifest.json").read_text(encoding="utf-8"))
    for site in manifest["sites"]:
        for feed in site.get("feeds", []):
            content = (data / "replay" / feed["file"]).read_bytes()
            cases.append(Case("replay/" + feed["file"], content, feed.get("content_type", ""), feed["url"]))
    return cases


def run_kiosque(case: Case) -> list[str]:
    options = ParseOptions(base_url=case.base_url, encoding=_charset(case.content_type), max_entries=10**6)
    try:
        feed = parse_feed(case.content, options)
    except ParseError:
        return []
    return [e.url for e in feed.entries]


def run_feedparser(case: Case) -> list[str]:
    headers = {"content-type": case.content_type or "application/xml"}
    if case.base_url:
        headers["content-location"] = case.base_url
    result = feedparser.parse(case.content, response_headers=headers)
    return [str(e.get("link") or "") for e in result.entries]


def _fastfeedparser() -> Callable[[Case], list[str]] | None:
    try:
        import fastfeedparser  # type: ignore[import-not-found]
    except ImportError:
        return None

    def run(case: Case) -> list[str]:
        try:
            result = fastfeedparser.parse(case.content)
        except ValueError:  # its documented "not a feed" signal
            return []
        return [str(e.get("link") or "") for e in result.entries]

    return run


def _distinct(urls: list[str]) -> int:
    """Entries left after Kiosque's rule: one per URL; entries without a URL all kept."""
    return len({u for u in urls if u}) + sum(1 for u in urls if not u)


def measure(parsers: dict[str, Callable[[Case], list[str]]], cases: list[Case], reps: int) -> dict[str, Any]:
    found: dict[str, dict[str, list[str] | None]] = {name: {} for name in parsers}
    crashes: dict[str, list[str]] = {name: [] for name in parsers}
    for name, run in parsers.items():
        for case in cases:
            try:
                found[name][case.name] = run(case)
            except Exception as exc:  # noqa: BLE001 - a crash is what we count here, with its reason
                found[name][case.name] = None
                crashes[name].append(f"{case.name}: {type(exc).__name__}: {exc}")
    timings = {name: _time(run, cases, reps) for name, run in parsers.items()}
    replay = [c for c in cases if c.name.startswith("replay/")]
    replay_timings = {name: _time(run, replay, reps) for name, run in parsers.items()}
    reference = found["feedparser"]
    report: dict[str, Any] = {}
    for name in parsers:
        counts = {k: len(v) if v is not None else 0 for k, v in found[name].items()}
        fewer = [k for k in counts if counts[k] < len(reference[k] or [])]
        fewer_distinct = [k for k in counts if counts[k] < _distinct(reference[k] or [])]
        entries = sum(counts.values())
        seconds = statistics.median(timings[name])
        replay_entries = sum(counts[c.name] for c in replay)
        replay_seconds = statistics.median(replay_timings[name])
        report[name] = {
            "files": len(cases),
            "files_parsed": len(cases) - len(crashes[name]),
            "files_with_entries": sum(1 for c in counts.values() if c),
            "entries": entries,
            "fewer_than_feedparser": len(fewer),
            "fewer_than_feedparser_distinct": len(fewer_distinct),
            "crashed": len(crashes[name]),
            "seconds_median": round(seconds, 4),
            "entries_per_second": round(entries / seconds, 1) if seconds else None,
            "replay_entries": replay_entries,
            "replay_entries_per_second": round(replay_entries / replay_seconds, 1) if replay_seconds else None,
            "_fewer_files": fewer_distinct,
            "_fewer_raw_files": fewer,
            "_crashes": crashes[name],
        }
    return report


def _time(run: Callable[[Case], list[str]], cases: list[Case], reps: int) -> list[float]:
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        for case in cases:
            try:
                run(case)
            except Exception:  # noqa: BLE001 - crashes are counted above; timing only here
                continue
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = os.environ.get("KIOSQUE_SHARED_DATA") or str(REPO.parent / "shared" / "data")
    parser.add_argument("--data", default=default)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--details", action="store_true", help="list files with fewer entries / crashes on stderr")
    args = parser.parse_args()
    data = Path(args.data)
    if not (data / "feeds-edge").is_dir() or not (data / "replay" / "manifest.json").is_file():
        print(json.dumps({"skipped": f"corpus not found under {data} (feeds-edge/, replay/manifest.json)"}))
        return 0
    cases = load_cases(data)
    parsers: dict[str, Callable[[Case], list[str]]] = {"kiosque": run_kiosque, "feedparser": run_feedparser}
    fast = _fastfeedparser()
    if fast is not None:
        parsers["fastfeedparser"] = fast
    report = measure(parsers, cases, args.reps)
    if args.details:
        for name, figures in report.items():
            for key in ("_fewer_files", "_fewer_raw_files", "_crashes"):
                for line in figures[key]:
                    print(f"{name} {key[1:]}: {line}", file=sys.stderr)
    summary = {name: {k: v for k, v in fig.items() if not k.startswith("_")} for name, fig in report.items()}
    ours, ref = summary["kiosque"], summary["feedparser"]
    speedup = round(ours["entries_per_second"] / ref["entries_per_second"], 2)
    replay_speedup = round(ours["replay_entries_per_second"] / ref["replay_entries_per_second"], 2)
    print(
        json.dumps(
            {
                "bench": "feeds",
                "reps": args.reps,
                "files": len(cases),
                "parsers": summary,
                "speedup_vs_feedparser": speedup,
                "replay_speedup_vs_feedparser": replay_speedup,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
