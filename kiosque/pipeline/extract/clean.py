"""Pre-clean before the engine: per-source CSS rules, then site furniture no article contains.

trafilatura already drops navigation, asides, footers, share bars and "related" blocks inside its
own extractor, but its fallbacks (readability, justext, the baseline) read the raw tree, and it
has no notion of headline tickers or of aggregator boxes such as "Merci d'avoir signalé ! Cette
image sera automatiquement bloquée...". Those are removed here, once, for every stage.
"""

from __future__ import annotations

import re
from functools import lru_cache

from cssselect import SelectorError
from lxml.cssselect import CSSSelector
from lxml.etree import XPath
from lxml.html import HtmlElement, document_fromstring

from kiosque.pipeline.errors import ExtractError
from kiosque.pipeline.types import ExtractOptions

__all__ = ["apply_source_rules", "remove_boilerplate"]

# Scrolling headline tickers and "breaking news" bars, by tag or by class/id token. Native XPath
# string functions only: an EXSLT regex here is a Python callback per element and cost 8 ms/page.
_LOWER = "translate({attr}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
_TICKER_TOKENS = ("ticker", "marquee", "breaking", "newsflash", "news-flash", "flash-info", "flashinfo", "defil")
_TICKER_TEST = " or ".join(
    f"contains({_LOWER.format(attr=attr)}, '{token}')" for attr in ("@class", "@id") for token in _TICKER_TOKENS
)
_TICKER = XPath(
    ".//marquee | .//body//*[self::div or self::section or self::ul or self::ol or self::nav or self::aside"
    f" or self::p or self::span][{_TICKER_TEST}]"
)
# Cheap native pre-filter for the phrase check below: contains() runs inside libxml2.
_PHRASE_CANDIDATES = XPath(
    ".//body//text()[contains(., 'signal') or contains(., 'bloqu') or contains(., 'depuis sa source')"
    " or contains(., 'Thanks for reporting') or contains(., 'شكرا')]"
)
# Boilerplate sentences of aggregator and UGC widgets (report boxes, "read at the source" links).
_BOILERPLATE_PHRASES = re.compile(
    r"merci d.avoir signal|cette image sera automatiquement bloqu|signalée par plusieurs personnes"
    r"|cliquez ici pour lire l.article depuis sa source|thanks for reporting|شكرا على الإبلاغ",
    re.IGNORECASE,
)
_BOX_MAX_CHARS = 400  # a report box or ticker label is short; the article around it is not
_TICKER_MAX_PARAGRAPHS = 2


@lru_cache(maxsize=256)
def _selector(css: str) -> CSSSelector:
    try:
        return CSSSelector(css, translator="html")
    except SelectorError as err:
        raise ExtractError(f"invalid CSS selector {css!r} in the source's extraction rules: {err}") from err


def apply_source_rules(root: HtmlElement, options: ExtractOptions) -> tuple[HtmlElement, list[str]]:
    """Drop `remove_selectors` matches, then narrow to `body_selector` when it matches.

    Returns the tree to extract from (a new document holding only the body element when the
    selector matched) and warnings for rules that matched nothing."""
    warnings: list[str] = []
    for css in options.remove_selectors:
        for element in _selector(css)(root):
            if element.getparent() is not None:
                element.drop_tree()
    if not options.body_selector:
        return root, warnings
    matches = [el for el in _selector(options.body_selector)(root) if el.tag not in ("html", "body")]
    if not matches:
        warnings.append(f"body_selector {options.body_selector!r} matched nothing; used the whole page")
        return root, warnings
    # An <article> wrapper tells both trafilatura and the lead-image fallback where to look.
    narrowed = document_fromstring("<html><head></head><body><article></article></body></html>")
    if root.get("lang"):
        narrowed.set("lang", root.get("lang") or "")
    article = narrowed.find("body/article")
    assert article is not None  # just built above
    for element in _outermost(matches):
        element.tail = None
        article.append(element)  # moved, not copied: metadata was read from the full page already
    return narrowed, warnings


def _outermost(elements: list[HtmlElement]) -> list[HtmlElement]:
    chosen = set(elements)
    return [el for el in elements if not any(anc in chosen for anc in el.iterancestors())]


def remove_boilerplate(root: HtmlElement) -> None:
    """Remove tickers and report boxes in place (tails kept: they belong to the parent)."""
    for element in _TICKER(root):
        if element.getparent() is not None and _small_block(element):
            element.drop_tree()
    for text in _PHRASE_CANDIDATES(root):
        if not _BOILERPLATE_PHRASES.search(text):
            continue
        element = text.getparent()
        if element is not None and text.is_tail:
            element = element.getparent()  # a tail belongs to the element's parent
        if element is None or element.getparent() is None:
            continue  # already removed with an earlier box
        box = _enclosing_box(element)
        if box is not None:
            box.drop_tree()


def _small_block(element: HtmlElement) -> bool:
    """True unless the element holds article-like content (a headline or several paragraphs)."""
    if element.tag == "marquee":
        return True
    return element.find(".//h1") is None and len(element.findall(".//p")) <= _TICKER_MAX_PARAGRAPHS


def _enclosing_box(element: HtmlElement) -> HtmlElement | None:
    """The largest ancestor-or-self of `element` that is still a short block (the widget itself)."""
    box = None
    node: HtmlElement | None = element
    while node is not None and node.tag not in ("body", "html"):
        if len(node.text_content()) > _BOX_MAX_CHARS:
            break
        box = node
        node = node.getparent()
    return box
