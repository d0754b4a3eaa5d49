"""Feedless listing pages: article links picked from an HTML section front.

With a CSS selector (per-source rule) every matched element gives one entry: the element's
own link, or the first link inside it. Without one, a heuristic: links inside <article> or a
heading, to the same site, whose path looks like an article (a long slug, a date, an id)
rather than a section, tag or author page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from cssselect import ExpressionError, SelectorError
from lxml import etree, html
from lxml.cssselect import CSSSelector

from kiosque.pipeline.errors import ParseError
from kiosque.pipeline.types import FeedEntry, FeedKind, ParsedFeed, ParseOptions

from .common import dedupe_entries
from .dates import parse_date
from .text import clean, resolve_url

__all__ = ["read_listing"]

Element = etree._Element

_HEURISTIC_XPATH = "//article//a[@href] | //h1//a[@href] | //h2//a[@href] | //h3//a[@href] | //h4//a[@href]"
_NOT_ARTICLES = frozenset({
    "tag", "tags", "category", "categories", "categorie", "rubrique", "author", "authors", "auteur", "auteurs",
    "topic", "topics", "theme", "themes", "search", "recherche", "page", "login", "account", "subscribe",
    "abonnement", "newsletter", "newsletters", "about", "contact", "privacy", "terms", "cookies", "video", "videos",
})  # fmt: skip
_DATE_IN_PATH = re.compile(r"/(?:19|20)\d{2}/\d{1,2}/|/(?:19|20)\d{2}-\d{2}-\d{2}|\d{5,}")
_MIN_HEURISTIC_TITLE = 10
_CONTAINERS = ("article", "li")


def read_listing(text: str, options: ParseOptions, warnings: tuple[str, ...] = ()) -> ParsedFeed:
    try:
        root = html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise ParseError(f"HTML listing page could not be parsed: {exc}") from exc
    base = _page_base(root, options.base_url)
    if options.listing_selector:
        entries = _selected(root, options.listing_selector, base)
        version = "listing-selector"
    else:
        entries = _heuristic(root, base)
        version = "listing-heuristic"
    title = clean(root.findtext(".//title"))
    return ParsedFeed(
        kind=FeedKind.LISTING,
        version=version,
        title=title,
        link=options.base_url,
        language=clean(root.get("lang")) or None,
        entries=dedupe_entries(entries, options.max_entries),
        warnings=warnings,
    )


def _page_base(root: Element, base_url: str) -> str:
    for el in root.iterfind(".//base[@href]"):
        return resolve_url(el.get("href"), base_url)
    return base_url


def _selected(root: Element, selector: str, base: str) -> list[FeedEntry]:
    try:
        matcher = CSSSelector(selector, translator="html")
    except (SelectorError, ExpressionError) as exc:
        raise ParseError(f"invalid listing selector {selector!r}: {exc}") from exc
    entries = []
    for el in _elements(matcher(root)):
        anchor = el if el.tag == "a" and el.get("href") else next(el.iterfind(".//a[@href]"), None)
        if anchor is None:
            continue
        entry = _entry(anchor, el if el is not anchor else _container(anchor), base)
        if entry is not None and entry.url.startswith(("http://", "https://")):
            entries.append(entry)
    return entries


def _heuristic(root: Element, base: str) -> list[FeedEntry]:
    host = _host(base)
    found = _article_entries(_elements(root.xpath(_HEURISTIC_XPATH)), base, host)
    if not found:  # pages without <article>/headings around their links
        found = [e for e in _article_entries(root.iterfind(".//a[@href]"), base, host) if len(e.title) >= 20]
    return found


def _elements(result: object) -> list[Element]:
    """Element nodes of an XPath result (typed as a union of every XPath value)."""
    return [node for node in result if isinstance(node, etree._Element)] if isinstance(result, list) else []


def _article_entries(anchors: Iterable[Element], base: str, host: str) -> list[FeedEntry]:
    entries = []
    for anchor in anchors:
        container = _container(anchor)
        entry = _entry(anchor, container, base)
        if entry and len(entry.title) >= _MIN_HEURISTIC_TITLE and _looks_like_article(entry.url, host):
            entries.append(entry)
    return entries


def _container(anchor: Element) -> Element:
    for ancestor in anchor.iterancestors(*_CONTAINERS):
        return ancestor
    return anchor


def _entry(anchor: Element, container: Element, base: str) -> FeedEntry | None:
    url = resolve_url(anchor.get("href"), base).split("#", 1)[0]
    if not url:
        return None
    img = next(anchor.iter("img"), None)
    title = _text(anchor) or clean(anchor.get("title")) or (clean(img.get("alt")) if img is not None else "")
    if len(title) < 4 and container is not anchor:  # "Read more" style links: use the container's heading
        heading = next(container.iter("h1", "h2", "h3", "h4"), None)
        title = _text(heading) if heading is not None else title
    time_el = next(container.iterfind(".//time[@datetime]"), None)
    return FeedEntry(
        url=url,
        title=title,
        summary=_summary(anchor, container),
        published=parse_date(time_el.get("datetime") or "") if time_el is not None else None,
        image_url=_image(container, base),
    )


def _text(el: Element) -> str:
    return clean(etree.tostring(el, method="text", encoding="unicode", with_tail=False))


def _summary(anchor: Element, container: Element) -> str:
    if container is anchor:
        return ""
    for p in container.iter("p"):
        # A paragraph holding the link, or inside it, is the title again, not a summary.
        if any(a is anchor for a in p.iter("a")) or any(a is anchor for a in p.iterancestors("a")):
            continue
        text = _text(p)
        if text:
            return text
    return ""


def _image(container: Element, base: str) -> str | None:
    for img in container.iter("img"):
        src = img.get("src") or img.get("data-src") or img.get("data-lazy-src")
        if src and not src.startswith("data:"):
            return resolve_url(src, base) or None
    return None


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").removeprefix("www.")
    except ValueError:
        return ""


def _looks_like_article(url: str, host: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or (host and (parts.hostname or "").removeprefix("www.") != host):
        return False
    segments = [s for s in parts.path.split("/") if s]
    if not segments or segments[0].lower() in _NOT_ARTICLES:
        return False
    slug = segments[-1].rsplit(".", 1)[0]
    return bool(_DATE_IN_PATH.search(parts.path)) or (slug.count("-") >= 2 and len(slug) >= 15)
