"""trafilatura's XML body to our two views: plain text (blank-line paragraphs) and article HTML.

The HTML produced here is NOT safe yet: `sanitize.sanitize_html` must run on it last.
"""

from __future__ import annotations

import re
import unicodedata
from copy import deepcopy

from lxml.etree import _Element, strip_elements, strip_tags, tostring
from trafilatura.htmlprocessing import convert_to_html
from trafilatura.xml import xmltotxt

from .dom import absolute_http_url

__all__ = ["body_html", "body_text", "first_paragraph"]

_SPACES = re.compile(r"\s+")
_BLOCKS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "table", "tr", "td", "th", "pre"}
)
_LEAD_MIN_CHARS = 80
_LEAD_MAX_CHARS = 600
_HEADING_LEVEL = {"h1": "h2", "h5": "h4", "h6": "h4"}  # the sanitiser allows h2-h4 only


def body_text(body: _Element) -> str:
    """Plain text, one paragraph (or list item, table row) per block, blocks separated by a blank line."""
    plain = deepcopy(body)
    # Links, emphasis and images, should the engine keep any, stay in the tree for the HTML view:
    # trafilatura's text writer would turn them into Markdown.
    strip_tags(plain, "ref", "hi")
    strip_elements(plain, "graphic", with_tail=False)
    raw = xmltotxt(plain, False)
    lines = (" ".join(line.split()) for line in raw.splitlines())
    return unicodedata.normalize("NFC", "\n\n".join(line for line in lines if line))


def first_paragraph(text: str) -> str:
    """The first real paragraph of `text` (not a dateline or byline), shortened on a word boundary."""
    for paragraph in text.split("\n\n"):
        if len(paragraph) >= _LEAD_MIN_CHARS and not paragraph.startswith("|"):
            return shorten(paragraph, _LEAD_MAX_CHARS)
    return ""


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


def body_html(body: _Element, *, base: str) -> str:
    """Article HTML (p, h2-h4, lists, blockquote, tables, a, em/strong, br) with absolute links.
    Consumes `body` (trafilatura converts it in place)."""
    html_root = convert_to_html(body)
    _tidy_whitespace(html_root)
    for element in html_root.iter():
        tag = element.tag
        if tag in _HEADING_LEVEL:
            element.tag = _HEADING_LEVEL[str(tag)]
        elif tag == "a":
            href = absolute_http_url(element.get("href"), base)
            if href or (element.get("href") or "").startswith("mailto:"):
                element.set("href", href or element.get("href") or "")
            elif "href" in element.attrib:
                del element.attrib["href"]
    html_body = html_root.find("body")
    if html_body is None:
        return ""
    parts = [html_body.text or ""]
    parts.extend(tostring(child, encoding="unicode", method="html") for child in html_body)
    return "".join(parts).strip()


def _tidy_whitespace(root: _Element) -> None:
    """Collapse source indentation ("\n\t\t\t") in text, outside <pre>; none around blocks."""
    verbatim = {id(el) for pre in root.iter("pre") for el in pre.iter()}
    for element in root.iter():
        if id(element) in verbatim:
            continue
        if element.text:
            element.text = _SPACES.sub(" ", element.text)
        if element.tail:
            element.tail = _SPACES.sub(" ", element.tail)
        if element.tag not in _BLOCKS:
            continue
        if element.text:
            element.text = element.text.lstrip()
        last = element[-1] if len(element) else None
        if last is not None and last.tail:
            last.tail = last.tail.rstrip()
        elif last is None and element.text:
            element.text = element.text.rstrip()
        if element.tail and not element.tail.strip():
            element.tail = None
    # Empty paragraphs left by <br>-only or emptied blocks (tails were cleared above for blocks).
    for element in [el for el in root.iter("p") if not len(el) and not (el.text or "").strip()]:
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
