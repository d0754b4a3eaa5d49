"""lxml helpers for the fast feed path: namespace-folded child index, text constructs, images.

Feeds mix namespaces freely (RSS 1.0 puts everything in its own, RSS 2.0 in none, Atom 0.3 and
1.0 differ only by URI), so each child is keyed by a short prefix + lower-cased local name
("title", "atom:link", "media:content") and one pass over an element's children indexes them.
"""

from __future__ import annotations

import base64
import binascii
from functools import lru_cache

from lxml import etree

from .common import looks_like_image_url
from .text import clean, html_to_text, resolve_url, to_text

__all__ = [
    "NS_PREFIX", "Children", "image_from_media", "key_of", "local_name", "media_description", "namespace_of",
    "raw_text", "text_construct", "xml_lang",
]  # fmt: skip

Element = etree._Element

NS_PREFIX = {
    "http://purl.org/rss/1.0/": "",
    "http://my.netscape.com/rdf/simple/0.9/": "",
    "http://backend.userland.com/rss2": "",
    "http://blogs.law.harvard.edu/tech/rss": "",
    "http://www.w3.org/2005/Atom": "atom",
    "http://purl.org/atom/ns#": "atom",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://purl.org/dc/terms/": "dcterms",
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://search.yahoo.com/mrss/": "media",
    "http://search.yahoo.com/mrss": "media",
    "http://www.itunes.com/dtds/podcast-1.0.dtd": "itunes",  # looked up lower-cased: "DTDs/Podcast" occurs
    "http://www.w3.org/1999/xhtml": "xhtml",
    "http://rssnamespace.org/feedburner/ext/1.0": "feedburner",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def local_name(el: Element) -> str:
    """Local name, lower case; never raises (etree.QName does on recovered names like 'rdf:RDF')."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def namespace_of(el: Element) -> str:
    tag = el.tag
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


@lru_cache(maxsize=2048)
def key_of(tag: str) -> str:
    if not tag.startswith("{"):
        return tag.rsplit(":", 1)[-1].lower()  # recovered documents keep undeclared prefixes in the name
    uri, local = tag[1:].split("}", 1)
    prefix = NS_PREFIX.get(uri)
    if prefix is None:
        prefix = NS_PREFIX.get(uri.lower())
    if prefix is None:
        return "?" + uri + ":" + local.lower()
    return f"{prefix}:{local.lower()}" if prefix else local.lower()


class Children:
    """An element's child elements by key: the first of each, and all of each."""

    __slots__ = ("all", "first")

    def __init__(self, element: Element, bare: str = "") -> None:
        """`bare`: prefix for children without a namespace ("atom" for Atom feeds written without one)."""
        self.first: dict[str, Element] = {}
        self.all: dict[str, list[Element]] = {}
        for child in element:
            tag = child.tag
            if not isinstance(tag, str):  # comments, processing instructions
                continue
            key = key_of(tag)
            if bare and tag[0] != "{":
                key = f"{bare}:{key}"
            if key not in self.first:
                self.first[key] = child
                self.all[key] = [child]
            else:
                self.all[key].append(child)

    def one(self, *keys: str) -> Element | None:
        """First child among keys (explicit: an lxml element without children is falsy)."""
        for key in keys:
            el = self.first.get(key)
            if el is not None:
                return el
        return None

    def text(self, *keys: str) -> str:
        """Raw text of the first present, non-empty child among keys."""
        for key in keys:
            el = self.first.get(key)
            if el is not None:
                value = raw_text(el)
                if value.strip():
                    return value
        return ""

    def many(self, *keys: str) -> list[Element]:
        found: list[Element] = []
        for key in keys:
            found.extend(self.all.get(key, ()))
        return found


def raw_text(el: Element) -> str:
    """The element's content: its text, or its inner markup when it has child elements."""
    if len(el) == 0:
        return el.text or ""
    parts = [el.text or ""]
    parts.extend(etree.tostring(child, encoding="unicode") for child in el)
    return "".join(parts)


def text_construct(el: Element | None) -> str:
    """Plain text of an Atom text construct (type text/html/xhtml; Atom 0.3 mode escaped/base64)."""
    if el is None:
        return ""
    mime = (el.get("type") or "text").lower()
    # Atom 0.3 says mode="base64"; Atom 1.0 base64-encodes any type that is not text or XML.
    if (el.get("mode") or "").lower() == "base64" or ("/" in mime and not _textual(mime)):
        return to_text(_b64(el.text or ""))
    if len(el):  # xhtml (or Atom 0.3 mode="xml"): inline markup
        return html_to_text(raw_text(el))
    # type="html" is escaped markup; type="text" should be plain but feeds label HTML as text
    # often enough that the same "does it look like HTML" check serves both.
    return to_text(el.text)


def _textual(mime: str) -> bool:
    return mime.startswith("text/") or mime.endswith(("+xml", "/xml"))


def media_description(kids: Children) -> str:
    """media:description, at item level or inside media:group (YouTube puts it there)."""
    found = kids.text("media:description")
    for group in kids.many("media:group"):
        found = found or Children(group).text("media:description")
    return found


def _b64(value: str) -> str:
    try:
        return base64.b64decode(value, validate=False).decode("utf-8", errors="replace")
    except (binascii.Error, ValueError):
        return value


def xml_lang(el: Element) -> str | None:
    value = el.get(_XML_LANG)
    return clean(value) or None if value is not None else None


def _url_attr(el: Element, name: str) -> str:
    return resolve_url(el.get(name), el.base)


def image_from_media(kids: Children) -> str | None:
    """Image of an item from Media RSS, enclosures or iTunes, in that order of trust."""
    contents = kids.many("media:content")
    thumbs = kids.many("media:thumbnail")
    for group in kids.many("media:group"):
        grouped = Children(group)
        contents.extend(grouped.many("media:content"))
        thumbs.extend(grouped.many("media:thumbnail"))
    for el in contents:
        medium, mime, url = el.get("medium") or "", el.get("type") or "", el.get("url") or ""
        if medium == "image" or mime.startswith("image/") or (not medium and not mime and looks_like_image_url(url)):
            resolved = _url_attr(el, "url")
            if resolved:
                return resolved
    for el in thumbs:
        resolved = _url_attr(el, "url")
        if resolved:
            return resolved
    for el in kids.many("enclosure"):
        mime, url = el.get("type") or "", el.get("url") or ""
        if mime.startswith("image/") or (not mime and looks_like_image_url(url)):
            resolved = _url_attr(el, "url")
            if resolved:
                return resolved
    for el in kids.many("itunes:image"):
        resolved = _url_attr(el, "href")
        if resolved:
            return resolved
    return None
