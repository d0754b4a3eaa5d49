"""Text to one lxml tree, parsed once and shared by the metadata readers and the extraction engine.

The parser settings are trafilatura's own (comments and processing instructions dropped, no id
index), so the engine sees the tree it would have built itself.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.etree import XPath, _ElementUnicodeResult
from lxml.html import HtmlElement, HTMLParser, document_fromstring

from kiosque.pipeline.errors import ExtractError

__all__ = [
    "absolute_http_url",
    "article_container",
    "base_url",
    "element_text",
    "parse_html",
    "xpath_elements",
    "xpath_texts",
]

_PARSER = HTMLParser(  # type: ignore[call-arg]  # lxml-stubs lacks default_doctype
    collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True, remove_pis=True
)
_DOCTYPE = re.compile(r"^\s*<!DOCTYPE[^>]*>", re.IGNORECASE)
# `<html lang="x"/>`: libxml2 closes the root at once and drops everything after it into limbo.
_SELF_CLOSED_HTML = re.compile(r"(<html[^>]*?)\s*/>", re.IGNORECASE)
_MARKUP = re.compile(r"<\s*(?:[a-zA-Z]|!doctype)", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
# Characters XML forbids: libxml2 keeps them in HTML text, but trafilatura's XML output then
# refuses the string and the whole page is lost.
_NOT_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SNIFF_CHARS = 4096


# Where the article sits when the markup says so, most explicit first. An <article> counts only
# when it holds the headline: pages list "related" teasers in <article> elements too. Compiled
# XPath, not Element.find: lxml's ElementPath evaluates predicates in Python, element by element.
_CONTAINERS = tuple(
    XPath(path)
    for path in (
        "(//body//article[.//h1])[1]",
        "(//body//main)[1]",
        "(//body//*[@role='main'])[1]",
        "(//body//*[@itemprop='articleBody'])[1]",
        "(//body//article)[1]",
    )
)


def article_container(root: HtmlElement) -> HtmlElement | None:
    """The element most likely to hold the article itself, when the markup says so."""
    for xpath in _CONTAINERS:
        found = xpath(root)
        if isinstance(found, list) and found and isinstance(found[0], HtmlElement):
            return found[0]
    return None


def parse_html(text: str) -> HtmlElement:
    """Parse a page into its <html> root; raises ExtractError when the text is not an HTML page."""
    head = text[:_SNIFF_CHARS].lstrip("\ufeff \t\r\n")
    reason = _not_html_reason(head)
    if reason:
        raise ExtractError(reason)
    # libxml2 mis-reads a document whose first line holds the doctype *and* content (lxml bug
    # 1955915); the doctype carries nothing we use, so it goes.
    text = _DOCTYPE.sub("", text, count=1)
    text = _NOT_XML_CHARS.sub("", text)
    if "<html" in head.lower() and "/>" in head:
        text = _SELF_CLOSED_HTML.sub(r"\1>", text, count=1)
    try:
        # UTF-8 bytes with the parser's encoding fixed: a str would be rejected when the page
        # carries an XML encoding declaration, and NUL/control characters would raise.
        root = document_fromstring(text.encode("utf-8", errors="replace"), parser=_PARSER)
    except (etree.ParserError, ValueError) as err:
        raise ExtractError(f"not HTML: the parser found no document ({err})") from err
    if root is None or root.find("body") is None:
        raise ExtractError("not HTML: the document has no <body>")
    return root


def _not_html_reason(head: str) -> str | None:
    if not head:
        return "empty page"
    if head.startswith(("{", "[")):
        return "not HTML: the content looks like JSON"
    lowered = head[:1024].lower()
    if lowered.startswith("<?xml") and ("<rss" in lowered or "<feed" in lowered or "<rdf:rdf" in lowered):
        return "not HTML: the content is a news feed (RSS/Atom), not an article page"
    if not _MARKUP.search(head):
        return "not HTML: no markup in the first characters (plain text?)"
    return None


def element_text(element: HtmlElement) -> str:
    """Visible text of an element with whitespace runs collapsed."""
    return _SPACES.sub(" ", element.text_content()).strip()


def base_url(root: HtmlElement, page_url: str) -> str:
    """The URL relative links resolve against: <base href> (itself resolved) or the page URL."""
    base = root.find("head/base[@href]")
    href = (base.get("href") or "").strip() if base is not None else ""
    if href:
        return urljoin(page_url, href) if page_url else href
    return page_url


def absolute_http_url(value: str | None, base: str) -> str | None:
    """`value` resolved against `base`, or None unless the result is an absolute http(s) URL."""
    if not value:
        return None
    value = value.strip()
    if not value or value.startswith(("data:", "javascript:", "#")):
        return None
    if value.startswith("//") and not base:
        value = "https:" + value
    try:
        url = urljoin(base, value) if base else value
        parts = urlsplit(url)
    except ValueError:  # e.g. an invalid IPv6 literal
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return url


def xpath_elements(xpath: XPath, node: HtmlElement) -> list[HtmlElement]:
    """The elements an XPath selects (typed: lxml's stubs return a union of every result kind)."""
    result = xpath(node)
    return [item for item in result if isinstance(item, HtmlElement)] if isinstance(result, list) else []


def xpath_texts(xpath: XPath, node: HtmlElement) -> list[_ElementUnicodeResult]:
    """The text nodes an XPath selects, which know their parent element and whether they are a tail."""
    result = xpath(node)
    return [item for item in result if isinstance(item, _ElementUnicodeResult)] if isinstance(result, list) else []
