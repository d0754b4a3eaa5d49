"""Feed discovery on a homepage (`kiosque add-source URL`). Pure: the crawler fetches and probes.

Order: <link rel="alternate"> feeds the page declares (most trustworthy), then <a> links whose
URL names a feed, then the common paths CMSs serve (WordPress /feed, Drupal /rss.xml, Hugo
/index.xml, Blogger /feeds/posts/default, Google News sitemaps), marked `guessed`.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from lxml import etree, html

from kiosque.pipeline.types import DiscoveredFeed, FeedKind

from .text import clean, is_http_url, resolve_url

__all__ = ["FALLBACK_PATHS", "discover_feeds"]

Element = etree._Element

_TYPES = {
    "application/rss+xml": FeedKind.RSS,
    "application/atom+xml": FeedKind.ATOM,
    "application/rdf+xml": FeedKind.RDF,
    "application/feed+json": FeedKind.JSON_FEED,
    "application/json": FeedKind.JSON_FEED,  # JSON Feed 1.0 pages declared this
    "text/xml": None,
    "application/xml": None,
}
FALLBACK_PATHS = (
    ("/feed", FeedKind.RSS),
    ("/rss", FeedKind.RSS),
    ("/rss.xml", FeedKind.RSS),
    ("/feed.xml", FeedKind.RSS),
    ("/atom.xml", FeedKind.ATOM),
    ("/index.xml", FeedKind.RSS),
    ("/feed.json", FeedKind.JSON_FEED),
    ("/feeds/posts/default", FeedKind.ATOM),
    ("/sitemap_news.xml", FeedKind.SITEMAP),
    ("/news-sitemap.xml", FeedKind.SITEMAP),
    ("/sitemap.xml", FeedKind.SITEMAP),
)
_FEEDISH_HREF = re.compile(r"(?:^|[/._-])(?:rss|atom|feeds?)(?:[/._-]|\.xml|$)", re.IGNORECASE)


def discover_feeds(html_text: str, base_url: str) -> tuple[DiscoveredFeed, ...]:
    """Feeds a homepage declares or links to, then common paths to probe; each URL once."""
    found: dict[str, DiscoveredFeed] = {}
    root = _parse(html_text)
    if root is not None:
        base = next((resolve_url(b.get("href"), base_url) for b in root.iterfind(".//base[@href]")), base_url)
        for feed in (*_declared(root, base), *_linked(root, base)):
            found.setdefault(feed.url, feed)
    for feed in _fallbacks(base_url):
        found.setdefault(feed.url, feed)
    return tuple(found.values())


def _parse(html_text: str) -> Element | None:
    if not html_text.strip():
        return None
    try:
        return html.document_fromstring(html_text)
    except (etree.ParserError, ValueError):
        return None


def _declared(root: Element, base: str) -> list[DiscoveredFeed]:
    feeds = []
    for link in root.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        mime = (link.get("type") or "").split(";", 1)[0].strip().lower()
        if "alternate" not in rels or mime not in _TYPES:
            continue
        url = resolve_url(link.get("href"), base)
        if is_http_url(url):
            feeds.append(DiscoveredFeed(url=url, title=clean(link.get("title")), kind=_TYPES[mime]))
    return feeds


def _linked(root: Element, base: str) -> list[DiscoveredFeed]:
    host = urlsplit(base).hostname if base else None
    feeds = []
    for anchor in root.iter("a"):
        href = anchor.get("href") or ""
        if not _FEEDISH_HREF.search(href):
            continue
        url = resolve_url(href, base)
        if is_http_url(url) and (host is None or urlsplit(url).hostname == host):
            title = clean(etree.tostring(anchor, method="text", encoding="unicode", with_tail=False))
            feeds.append(DiscoveredFeed(url=url, title=title, guessed=True))
    return feeds


def _fallbacks(base_url: str) -> list[DiscoveredFeed]:
    if not is_http_url(base_url):
        return []
    try:
        parts = urlsplit(base_url)
    except ValueError:
        return []
    return [
        DiscoveredFeed(url=urlunsplit((parts.scheme, parts.netloc, path, "", "")), kind=kind, guessed=True)
        for path, kind in FALLBACK_PATHS
    ]
