"""Sitemaps: Google News sitemaps, plain <urlset>, and <sitemapindex> (-> child_feeds).

Elements are matched by local name: sitemaps in the wild use the 0.9 namespace, Google's old
0.84 one, or none at all.
"""

from __future__ import annotations

from lxml import etree

from kiosque.pipeline.types import FeedEntry, FeedKind, ParsedFeed, ParseOptions

from .common import dedupe_entries, unique
from .dates import parse_date
from .text import clean, http_url, to_text
from .xmlnodes import local_name

__all__ = ["read_sitemap"]

Element = etree._Element


def _children(el: Element, name: str) -> list[Element]:
    return [c for c in el if local_name(c) == name]


def _child_text(el: Element, name: str) -> str:
    for child in el:
        if local_name(child) == name:
            return clean(child.text)
    return ""


def read_sitemap(root: Element, options: ParseOptions, warnings: tuple[str, ...] = ()) -> ParsedFeed | None:
    name = local_name(root)
    if name == "sitemapindex":
        locs = (http_url(_child_text(s, "loc"), options.base_url) or "" for s in _children(root, "sitemap"))
        return ParsedFeed(kind=FeedKind.SITEMAP, version="sitemap-index", child_feeds=unique(locs), warnings=warnings)
    if name != "urlset":
        return None
    entries = [_entry(url, options.base_url) for url in _children(root, "url")]
    is_news = any(e.title or e.published for e in entries)
    return ParsedFeed(
        kind=FeedKind.SITEMAP,
        version="sitemap-news" if is_news else "sitemap",
        entries=dedupe_entries((e for e in entries if e.url), options.max_entries),
        language=next((e.language for e in entries if e.language), None),
        warnings=warnings,
    )


def _entry(url_el: Element, base: str) -> FeedEntry:
    news = next(iter(_children(url_el, "news")), None)
    title = published = keywords = language = ""
    if news is not None:
        title = to_text(_child_text(news, "title"))
        published = _child_text(news, "publication_date")
        keywords = _child_text(news, "keywords")
        publication = next(iter(_children(news, "publication")), None)
        language = _child_text(publication, "language") if publication is not None else ""
    image = next((_child_text(i, "loc") for i in _children(url_el, "image") if _child_text(i, "loc")), "")
    return FeedEntry(
        url=http_url(_child_text(url_el, "loc"), base) or "",
        title=title,
        published=parse_date(published),
        updated=parse_date(_child_text(url_el, "lastmod")),
        categories=unique(clean(k) for k in keywords.split(",")),
        image_url=http_url(image, base),
        language=language or None,
    )
