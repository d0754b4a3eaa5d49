"""Golden tests: every tests/fixtures/parse/feeds/*.golden.json names a fixture file, the ParseOptions to
use (base_url, encoding = the HTTP charset it is served with, expected_kind, listing_selector), and what
parse_feed must return: kind, version, title, entry count, child sitemaps and the first entry's fields,
or the ParseError it must raise.

Fixtures are real files: feedparser's and feed-rs's test feeds (feeds-edge), real publisher feeds from the
replay corpus (trimmed), the Al Jazeera /news/ listing page, and a few hand-written sitemaps.

After an intended change of behaviour, rewrite the expectations with
    KIOSQUE_REGEN_GOLDEN=1 .venv/bin/pytest -p no:django tests/pipeline/parse
and review the diff of the .golden.json files.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from kiosque.pipeline.errors import ParseError
from kiosque.pipeline.parse import FeedKind, ParsedFeed, ParseOptions, parse_feed

FEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "parse" / "feeds"
GOLDENS = sorted(FEEDS.glob("*.golden.json"))
REGEN = os.environ.get("KIOSQUE_REGEN_GOLDEN") == "1"


def _options(raw: dict[str, Any]) -> ParseOptions:
    kind = raw.get("expected_kind")
    return ParseOptions(
        base_url=raw.get("base_url", ""),
        encoding=raw.get("encoding"),
        listing_selector=raw.get("listing_selector"),
        expected_kind=FeedKind(kind) if kind else None,
    )


def _observed(feed: ParsedFeed) -> dict[str, Any]:
    observed: dict[str, Any] = {
        "kind": feed.kind.value,
        "version": feed.version,
        "title": feed.title,
        "language": feed.language,
        "count": len(feed.entries),
        "child_feeds": list(feed.child_feeds),
    }
    if feed.entries:
        first = feed.entries[0]
        observed["first"] = {
            "url": first.url,
            "title": first.title,
            "published": first.published.isoformat() if first.published else None,
            "guid": first.guid,
            "image_url": first.image_url,
            "summary": first.summary[:160],
        }
    return observed


def _run(golden: dict[str, Any]) -> dict[str, Any]:
    content = (FEEDS / golden["file"]).read_bytes()
    try:
        return _observed(parse_feed(content, _options(golden["options"])))
    except ParseError as exc:
        return {"error": exc.reason}


@pytest.mark.parametrize("path", GOLDENS, ids=[p.name.removesuffix(".golden.json") for p in GOLDENS])
def test_golden(path: Path) -> None:
    golden = json.loads(path.read_text(encoding="utf-8"))
    observed = _run(golden)
    if REGEN:
        golden["expect"] = observed
        path.write_text(json.dumps(golden, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert "expect" in golden, f"{path.name} has no expectation yet: regenerate with KIOSQUE_REGEN_GOLDEN=1"
    expect = golden["expect"]
    if "error" in expect:
        assert "error" in observed, f"expected ParseError, got {observed}"
        return
    assert observed == expect


def test_goldens_cover_every_family() -> None:
    families = {p.name.split("__", 1)[0] for p in GOLDENS}
    assert {"rss", "atom10", "atom03", "rdf", "json", "encoding", "illformed", "entities", "replay"} <= families
    assert {"sitemap", "listing"} <= families


def test_entry_summaries_are_plain_text() -> None:
    """No markup survives in titles or summaries, whichever path (lxml or feedparser) read the feed."""
    for golden_path in GOLDENS:
        golden = json.loads(golden_path.read_text(encoding="utf-8"))
        try:
            feed = parse_feed((FEEDS / golden["file"]).read_bytes(), _options(golden["options"]))
        except ParseError:
            continue
        for entry in feed.entries:
            for text in (entry.title, entry.summary):
                assert "<p>" not in text and "<a " not in text and "<br" not in text, (golden_path.name, text[:80])
            assert entry.published is None or entry.published.tzinfo is not None
