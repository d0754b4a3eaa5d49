"""Format sniffing from the first bytes, the way browsers and feed readers do it.

The body decides; the Content-Type header only breaks ties: servers send RSS as text/html
and HTML as application/rss+xml often enough that the header cannot be trusted first.
"""

from __future__ import annotations

import codecs
import re
import zlib

from kiosque.pipeline.types import FeedKind

__all__ = ["sniff_kind"]

_HEAD_BYTES = 8192
# Everything that may come before the root element: prolog, PIs, comments, a DOCTYPE with
# or without an internal subset.
_PREAMBLE = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)", re.DOTALL | re.IGNORECASE)
_FIRST_TAG = re.compile(r"\s*<([A-Za-z_][\w:.-]*)")
_ROOTS = {
    "rss": FeedKind.RSS,
    "channel": FeedKind.RSS,  # Microsoft CDF; feedparser reads it
    "rdf": FeedKind.RDF,
    "feed": FeedKind.ATOM,
    "urlset": FeedKind.SITEMAP,
    "sitemapindex": FeedKind.SITEMAP,
}
# A fragment saved without <html>/<head> (the Al Jazeera capture starts at <div>) is still a page.
_HTML_ROOTS = frozenset({
    "html", "head", "body", "div", "main", "section", "article", "header", "nav", "aside", "footer", "span", "p",
    "a", "ul", "ol", "table", "form", "meta", "link", "script", "style", "title", "noscript", "iframe",
})  # fmt: skip
# When the root cannot be read (garbage before it, a truncated preamble), a root tag anywhere in the head.
_ANYWHERE = (
    (re.compile(r"<rss[\s>]", re.IGNORECASE), FeedKind.RSS),
    (re.compile(r"<(?:\w+:)?RDF[\s>]"), FeedKind.RDF),
    (re.compile(r"<feed[\s>]"), FeedKind.ATOM),
    (re.compile(r"<(?:urlset|sitemapindex)[\s>]"), FeedKind.SITEMAP),
    (re.compile(r"<(?:html|body|div|a)[\s>]", re.IGNORECASE), FeedKind.LISTING),
)
_JSON_FEED_MARK = re.compile(r"jsonfeed\.org/version|\"items\"\s*:")
_TYPE_HINTS = (
    ("json", FeedKind.JSON_FEED),
    ("atom", FeedKind.ATOM),
    ("rdf", FeedKind.RDF),
    ("rss", FeedKind.RSS),
    ("html", FeedKind.LISTING),
)
_UTF_MARKERS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
)


def sniff_kind(content: bytes, content_type: str = "") -> FeedKind | None:
    """What the body is (RSS, Atom, RDF, JSON Feed, sitemap, HTML listing), or None."""
    head = _head_text(content)
    stripped = head.lstrip()
    if not stripped:
        return None
    if stripped[0] == "{":
        return FeedKind.JSON_FEED if _JSON_FEED_MARK.search(head) else None
    if stripped[0] == "<":
        root_read, kind = _root_kind(stripped)
        if root_read:
            return kind  # a known root, or an XML document that is none of ours (OPML, SOAP, ...)
    for pattern, found in _ANYWHERE:
        if pattern.search(head):
            return found
    return _from_content_type(content_type, stripped)


def _head_text(content: bytes) -> str:
    head = content[:_HEAD_BYTES]
    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS).decompress(content[:_HEAD_BYTES], _HEAD_BYTES)
        except zlib.error:
            return ""
    for marker, name in _UTF_MARKERS:
        if head.startswith(marker):
            return head.decode(name, errors="ignore").lstrip("\ufeff")
    # Markup is ASCII in every encoding we meet past this point; latin-1 never fails.
    return head.removeprefix(codecs.BOM_UTF8).decode("latin-1")


def _root_kind(text: str) -> tuple[bool, FeedKind | None]:
    pos = 0
    while True:
        match = _PREAMBLE.match(text, pos)
        if match is None or match.end() == pos:
            break
        pos = match.end()
    tag = _FIRST_TAG.match(text, pos)
    if tag is None:
        is_html = text[pos:].lstrip()[:14].lower() == "<!doctype html"
        return is_html, FeedKind.LISTING if is_html else None
    local = tag.group(1).rsplit(":", 1)[-1].lower()
    return True, FeedKind.LISTING if local in _HTML_ROOTS else _ROOTS.get(local)


def _from_content_type(content_type: str, stripped: str) -> FeedKind | None:
    media = content_type.split(";", 1)[0].strip().lower()
    if not media or stripped[0] not in "<{":
        return None
    for needle, kind in _TYPE_HINTS:
        if needle in media and (kind is FeedKind.JSON_FEED) == (stripped[0] == "{"):
            return kind
    return None
