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

_TEMPLATE = re.compile(r"\{\{.*?\}\}")
_LEAD_MIN_CHARS = 80
_LEAD_MAX_CHARS = 600
_HEADING_LEVEL = {"h1": "h2", "h5": "h4", "h6": "h4"}  # the sanitiser allows h2-h4 only


def body_text(body: _Element) -> str:
    """Plain text, one paragraph (or list item, table row) per block, blocks separated by a blank line."""
    plain = deepcopy(body)
    # Links and emphasis stay in the tree for the HTML view; in text they would turn into Markdown.
    strip_tags(plain, "ref", "hi")
    strip_elements(plain, "graphic", with_tail=False)  # an image would render as Markdown too
    raw = xmltotxt(plain, False)
    lines = (" ".join(_TEMPLATE.sub("", line).split()) for line in raw.splitlines())
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
    for element in html_root.iter():
        tag = element.tag
        if tag in _HEADING_LEVEL:
            element.tag = _HEADING_LEVEL[str(tag)]
        elif tag == "a":
            href = absolute_http_url(element.get("href"), base)
            if href or (element.get("href") or "").startswith("mailto:"):
                element.set("href", href or element.get("href") or "")
            else:
                element.attrib.pop("href", None)
    html_body = html_root.find("body")
    if html_body is None:
        return ""
    parts = [html_body.text or ""]
    parts.extend(tostring(child, encoding="unicode", method="html") for child in html_body)
    return "".join(parts).strip()
