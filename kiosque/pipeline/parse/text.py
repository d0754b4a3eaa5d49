"""Plain-text helpers: HTML fragments to text, whitespace, URLs.

Feed titles and summaries arrive as plain text, escaped HTML or CDATA HTML; the
rest of Kiosque only ever sees plain text, so every string leaves this stage
through `to_text` (or `clean` when it is known to be text already).
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin, urlsplit

from lxml import etree

__all__ = [
    "clean",
    "first_img_src",
    "html_to_text",
    "http_url",
    "is_http_url",
    "looks_like_html",
    "resolve_url",
    "to_text",
]

# A tag opener/closer or a character reference: only then is the string worth an HTML parse
# (feedparser makes the same "does it look like HTML" guess before sanitising).
_HTMLISH = re.compile(r"<\s*/?\s*[A-Za-z!][^>]*>|&(?:#\d+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")
_BLOCK_TAGS = (
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "table",
    "blockquote", "pre", "section", "article", "header", "footer", "figure", "figcaption", "hr", "dd", "dt", "dl",
)  # fmt: skip
_DROP_TAGS = ("script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math")
# Soft hyphens and BOMs only get in the way of search and display; ZWNJ/ZWJ are kept (Persian, Urdu, Indic).
_INVISIBLE = re.compile("[\u00ad\ufeff\u200b\u2060]")
# A regex is enough to pick the first <img src>: the fragment is not otherwise parsed when the
# summary comes from another element, and a second HTML parse per entry would double the cost.
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_IMG_SRC = re.compile(r"""\bsrc\s*=\s*(?:"([^"]+)"|'([^']+)'|([^\s>"']+))""", re.IGNORECASE)
_PIXEL = re.compile(r"""\b(?:width|height)\s*=\s*["']?[01]\b""", re.IGNORECASE)  # tracking pixels
_C1 = re.compile("[\x80-\x9f]")
_C1_AS_CP1252 = {
    chr(b): bytes((b,)).decode("cp1252", errors="replace").replace("\ufffd", "") for b in range(0x80, 0xA0)
}
_HTML_PARSER = etree.HTMLParser(recover=True, no_network=True, remove_comments=True, remove_pis=True)


def clean(value: str | None) -> str:
    """Collapse whitespace (NBSP included), drop invisible characters, repair C1 mojibake."""
    if not value:
        return ""
    if _C1.search(value):
        value = _repair_c1(value)
    if _INVISIBLE.search(value):
        value = _INVISIBLE.sub("", value)
    return " ".join(value.split())  # str.split() knows every Unicode space, NBSP included


def _repair_c1(value: str) -> str:
    """C1 controls (U+0080-U+009F) in text are mojibake: UTF-8 read as latin-1, or cp1252 read as latin-1."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return _C1.sub(lambda m: _C1_AS_CP1252[m.group(0)], value)


def looks_like_html(value: str) -> bool:
    return _HTMLISH.search(value) is not None


def to_text(value: str | None) -> str:
    """Plain text from a string that may or may not be HTML."""
    if not value:
        return ""
    if looks_like_html(value):
        return html_to_text(value)
    return clean(value)


def html_to_text(fragment: str) -> str:
    """Text content of an HTML fragment: scripts dropped, blocks separated by spaces.

    lxml's C serialiser (method="text") does the walk; we only pad block elements so that
    "<p>a</p><p>b</p>" gives "a b" and not "ab".
    """
    if "<" not in fragment:
        return clean(html.unescape(fragment))
    try:
        root = etree.fromstring(f"<div>{fragment}</div>", _HTML_PARSER)
    except (etree.ParserError, ValueError):
        return clean(html.unescape(_strip_tags(fragment)))
    if root is None:
        return ""
    etree.strip_elements(root, *_DROP_TAGS, with_tail=False)
    for el in root.iter(*_BLOCK_TAGS):
        el.text = " " + (el.text or "")
        el.tail = " " + (el.tail or "")
    text = etree.tostring(root, method="text", encoding="unicode")
    return clean(text)


def _strip_tags(fragment: str) -> str:
    # Last resort when libxml2 refuses the fragment outright (e.g. only NUL bytes): drop anything tag-shaped.
    return re.sub(r"<[^>]*>", " ", fragment)


def first_img_src(fragment: str | None) -> str | None:
    if not fragment or "<" not in fragment:
        return None
    for tag in _IMG_TAG.finditer(fragment):
        match = _IMG_SRC.search(tag.group(0))
        if match is None or _PIXEL.search(tag.group(0)):
            continue
        src = html.unescape(next(g for g in match.groups() if g)).strip()
        if src and not src.startswith("data:"):
            return src
    return None


def is_http_url(value: str | None) -> bool:
    if not value:
        return False
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def http_url(value: str | None, base: str | None) -> str | None:
    """Absolute http(s) URL of `value` against `base`, or None: a URL the crawler cannot fetch is no URL."""
    resolved = resolve_url(value, base)
    return resolved if is_http_url(resolved) else None


def resolve_url(value: str | None, base: str | None) -> str:
    """Absolute URL of `value` against `base`; '' when there is nothing usable."""
    if not value:
        return ""
    value = value.strip()
    if not value or value.startswith(("javascript:", "data:", "mailto:")):
        return ""
    if not base or value.startswith(("http://", "https://")):
        return value  # already absolute: urljoin would only cost time
    try:
        return urljoin(base, value)
    except ValueError:  # e.g. an invalid IPv6 literal in one of them
        return value
