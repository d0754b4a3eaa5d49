"""parse_feed never crashes: every fixture, under every option set, and hostile inputs give entries or a ParseError.

Also: listing-page heuristic against the 12 article links the capture was made with, sitemap gzip, dedupe and
max_entries, and the behaviour promised for HTML where a feed was expected.
"""

from __future__ import annotations

import contextlib
import gzip
import json
from pathlib import Path

import pytest

from kiosque.pipeline.errors import ParseError, Severity
from kiosque.pipeline.parse import FeedKind, ParseOptions, parse_feed, parse_opml, sniff_kind

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "parse"
ALL_FILES = sorted(p for p in FIXTURES.rglob("*") if p.is_file())
OPTION_SETS = [
    ParseOptions(),
    ParseOptions(base_url="https://example.org/a/b", encoding="iso-8859-1", max_entries=3),
    ParseOptions(base_url="https://example.org/", encoding="utf-16", expected_kind=FeedKind.LISTING),
    ParseOptions(listing_selector="article a", encoding="no-such-charset"),
]


@pytest.mark.parametrize("path", ALL_FILES, ids=[str(p.relative_to(FIXTURES)) for p in ALL_FILES])
def test_every_fixture_parses_or_raises_parse_error(path: Path) -> None:
    content = path.read_bytes()
    outcomes = []
    for options in OPTION_SETS:
        try:
            feed = parse_feed(content, options)
        except ParseError as exc:
            assert exc.reason and exc.severity is Severity.HARD
            outcomes.append("error")
            continue
        assert len(feed.entries) <= options.max_entries
        assert all(e.url == "" or e.url.startswith(("http://", "https://")) for e in feed.entries)
        outcomes.append("parsed")
    sniff_kind(content)
    with pytest.raises(ParseError) if path.suffix != ".opml" else contextlib.nullcontext():
        parse_opml(content)  # only the OPML fixture is OPML; the others are refused with a reason
    assert len(outcomes) == len(OPTION_SETS)


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&" + bytes([97 + i]) + b";") * 10) for i in range(8))
    + b"]><rss><channel><item><title>&i;</title><link>https://example.org/1</link></item></channel></rss>"
)
HOSTILE = {
    "empty": b"",
    "whitespace": b" \n\t ",
    "nul bytes": b"\x00" * 64,
    "random binary": bytes(range(256)) * 4,
    "plain text": b"Hello, this is not a feed.",
    "json array": b"[1, 2, 3]",
    "json not a feed": b'{"data": {"items": 3}}',
    "deep json": b"[" * 50_000 + b"]" * 50_000,
    "deep xml": b"<rss>" + b"<a>" * 20_000 + b"</rss>",
    "billion laughs": BILLION_LAUGHS,
    "external entity": b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b"<rss><channel><item><title>&x;</title><link>https://example.org/1</link></item></channel></rss>",
    "corrupt gzip": b"\x1f\x8b\x08\x00\x00\x00\x00\x00garbage",
    "unknown xml": b"<?xml version='1.0'?><soap:Envelope xmlns:soap='urn:x'/>",
    "truncated rss": b"<rss version='2.0'><channel><item><title>Cut",
    "bad json feed types": b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": 1, "url": 5, '
    b'"tags": [1, null], "authors": [{"name": 3}], "date_published": "x"}, 3, null]}',
}


@pytest.mark.parametrize("content", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input(content: bytes) -> None:
    try:
        feed = parse_feed(content, ParseOptions())
    except ParseError as exc:
        assert exc.reason
        return
    for entry in feed.entries:
        assert "root:" not in entry.title  # no external entity was ever read
        assert len(entry.title) < 10_000  # no entity expansion blow-up


def test_html_where_a_feed_is_expected_is_a_parse_error() -> None:
    page = (FIXTURES / "feeds" / "listing__aljazeera_news.html").read_bytes()
    for kind in (None, FeedKind.RSS):
        with pytest.raises(ParseError, match="HTML page"):
            parse_feed(page, ParseOptions(base_url="https://www.aljazeera.com/news/", expected_kind=kind))


def test_listing_heuristic_finds_the_captured_articles() -> None:
    expected = json.loads((FIXTURES / "feeds" / "listing__aljazeera_news.links.json").read_text(encoding="utf-8"))
    page = (FIXTURES / "feeds" / "listing__aljazeera_news.html").read_bytes()
    feed = parse_feed(page, ParseOptions(base_url=expected["url"], expected_kind=FeedKind.LISTING))
    urls = [e.url for e in feed.entries]
    assert set(expected["links"]) <= set(urls)
    assert len(urls) <= len(expected["links"]) + 2  # the two live blogs on the page, nothing from menus/footers
    assert all(e.title and "\u00ad" not in e.title for e in feed.entries)


def test_invalid_listing_selector_is_a_parse_error() -> None:
    page = (FIXTURES / "feeds" / "listing__aljazeera_news.html").read_bytes()
    with pytest.raises(ParseError, match="invalid listing selector"):
        parse_feed(page, ParseOptions(listing_selector="article[[", expected_kind=FeedKind.LISTING))


def test_gzipped_sitemap() -> None:
    content = gzip.compress((FIXTURES / "feeds" / "sitemap__news.xml").read_bytes())
    feed = parse_feed(content, ParseOptions(base_url="https://www.example-presse.fr/sitemap_news.xml.gz"))
    assert feed.kind is FeedKind.SITEMAP and feed.version == "sitemap-news"
    assert [e.language for e in feed.entries] == ["fr", "ar"]
    assert feed.entries[1].url == "https://www.example-presse.fr/ar/economie/2024/11/04/maroc-croissance"
    assert feed.entries[0].categories == ("budget", "Sénat", "finances publiques")


def test_duplicates_and_max_entries() -> None:
    # A feed's entries come back as published, repeated URLs included (feedparser keeps them too; the crawler
    # stores one article per URL); link harvests (listing pages, sitemaps) keep one entry per URL.
    items = "".join(f"<item><title>{i}</title><link>https://example.org/{i % 3}</link></item>" for i in range(10))
    content = f"<rss version='2.0'><channel>{items}</channel></rss>".encode()
    assert [e.title for e in parse_feed(content, ParseOptions()).entries] == [str(i) for i in range(10)]
    assert len(parse_feed(content, ParseOptions(max_entries=2)).entries) == 2
    urls = "".join(f"<url><loc>https://example.org/{i % 3}</loc></url>" for i in range(10))
    sitemap = f"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{urls}</urlset>".encode()
    assert len(parse_feed(sitemap, ParseOptions()).entries) == 3


def test_header_charset_decodes_latin1_feed_without_prolog() -> None:
    content = (FIXTURES / "feeds" / "replay__cercle_psy.xml").read_bytes()
    feed = parse_feed(content, ParseOptions(encoding="iso-8859-1"))
    titles = [e.title for e in feed.entries]
    assert "Masters en Psycho : une simplificationet#8230; très complexe" in titles  # the publisher's own typo
    assert all("\ufffd" not in t and "Ã" not in t for t in titles)
