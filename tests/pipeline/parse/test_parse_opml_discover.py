"""parse_opml (kiosque import-opml) and discover_feeds (kiosque add-source URL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosque.pipeline.errors import ParseError
from kiosque.pipeline.parse import FALLBACK_PATHS, DiscoveredFeed, FeedKind, OpmlOutline, discover_feeds, parse_opml

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "parse"


def test_parse_opml_subscriptions() -> None:
    outlines = parse_opml((FIXTURES / "opml" / "subscriptions.opml").read_bytes())
    assert outlines == (
        OpmlOutline("Hespress FR", "https://fr.hespress.com/feed", "https://fr.hespress.com/", "Maghreb"),
        OpmlOutline("الصباح", "https://www.assabah.com.tn/ar/rss.xml", "https://www.assabah.com.tn/", "Maghreb"),
        OpmlOutline(
            "Le Monde & International",
            "https://www.lemonde.fr/international/rss_full.xml",
            "https://www.lemonde.fr/international/",
            "Monde",
        ),
        OpmlOutline("Al Jazeera", "https://www.aljazeera.com/xml/rss/all.xml?x=1&y=2", "", "Monde"),
        OpmlOutline("NPR Technology", "https://feeds.npr.org/1019/feed.json", "", "Sous-dossier"),
        OpmlOutline("BBC Urdu", "https://feeds.bbci.co.uk/urdu/rss.xml", "", "Pakistan"),
    )


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"<rss><channel/></rss>", "not an OPML document"),
        (b"\x00\x01garbage", "OPML"),
    ],
)
def test_parse_opml_rejects(content: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        parse_opml(content)


def test_parse_opml_latin1_with_prolog() -> None:
    content = '<?xml version="1.0" encoding="iso-8859-1"?><opml><body><outline text="Libération" xmlUrl="https://www.liberation.fr/rss/"/></body></opml>'
    outlines = parse_opml(content.encode("iso-8859-1"))
    assert [(o.title, o.xml_url) for o in outlines] == [("Libération", "https://www.liberation.fr/rss/")]


DISCOVER_CASES = [
    (
        "beirutobserver_head.html",
        "https://www.beirutobserver.com/2020/11/2338761/",
        [
            DiscoveredFeed("https://www.beirutobserver.com/feed/", "Beirut Observer » Feed", FeedKind.RSS),
            DiscoveredFeed(
                "https://www.beirutobserver.com/comments/feed/", "Beirut Observer » Comments Feed", FeedKind.RSS
            ),
        ],
    ),
    (
        "courrierinternational_head.html",
        "https://www.courrierinternational.com/video/gaza",
        [
            DiscoveredFeed("https://www.courrierinternational.com/feed/all/rss.xml", "", FeedKind.RSS),
            DiscoveredFeed("https://www.courrierinternational.com/page/flux-rss", "Nos flux RSS", None, guessed=True),
        ],
    ),
    (
        "mondediplo_head.html",
        "https://blog.mondediplo.net/turpitude-et-architecture",
        [DiscoveredFeed("https://blog.mondediplo.net/rss/", "RSS", FeedKind.RSS)],
    ),
]


@pytest.mark.parametrize(("name", "base_url", "declared"), DISCOVER_CASES, ids=[c[0] for c in DISCOVER_CASES])
def test_discover_feeds(name: str, base_url: str, declared: list[DiscoveredFeed]) -> None:
    found = discover_feeds((FIXTURES / "discover" / name).read_text(encoding="utf-8"), base_url)
    assert list(found[: len(declared)]) == declared  # what the page declares comes first, in page order
    guesses = found[len(declared) :]
    assert all(f.guessed for f in guesses)
    root = base_url.split("/", 3)[:3]
    expected_paths = ["/".join(root) + path for path, _ in FALLBACK_PATHS]
    assert [f.url for f in guesses if f.url in expected_paths] == [
        u for u in expected_paths if u not in declared_urls(declared)
    ]
    assert len({f.url for f in found}) == len(found)


def declared_urls(feeds: list[DiscoveredFeed]) -> set[str]:
    return {f.url for f in feeds}


def test_discover_feeds_relative_and_json_feed() -> None:
    html = """<html><head><base href="https://example.org/fr/">
    <link rel="alternate" type="application/feed+json" href="feed.json" title="JSON">
    <link rel="Alternate" type="application/atom+xml; charset=utf-8" href="/atom.xml">
    <link rel="alternate" type="text/html" href="/en/" hreflang="en">
    <link rel="stylesheet alternate" type="application/rss+xml" href="//cdn.example.org/rss">
    </head></html>"""
    found = discover_feeds(html, "https://example.org/fr/index.html")
    assert found[:3] == (
        DiscoveredFeed("https://example.org/fr/feed.json", "JSON", FeedKind.JSON_FEED),
        DiscoveredFeed("https://example.org/atom.xml", "", FeedKind.ATOM),
        DiscoveredFeed("https://cdn.example.org/rss", "", FeedKind.RSS),
    )
    assert DiscoveredFeed("https://example.org/feed", kind=FeedKind.RSS, guessed=True) in found
    assert DiscoveredFeed("https://example.org/sitemap_news.xml", kind=FeedKind.SITEMAP, guessed=True) in found


@pytest.mark.parametrize("html", ["", "   ", "\x00\x00", "<<<>>>", "not html at all"])
def test_discover_feeds_on_junk_still_lists_common_paths(html: str) -> None:
    found = discover_feeds(html, "https://example.org/")
    assert [f.url for f in found] == [f"https://example.org{path}" for path, _ in FALLBACK_PATHS]


def test_discover_feeds_without_usable_base() -> None:
    assert discover_feeds('<link rel="alternate" type="application/rss+xml" href="/feed">', "") == ()
