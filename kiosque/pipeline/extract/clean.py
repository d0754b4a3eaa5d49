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
from lxml.etree import XPath, strip_elements
from lxml.html import HtmlElement, document_fromstring

from kiosque.pipeline.errors import ExtractError
from kiosque.pipeline.types import ExtractOptions

from .dom import xpath_elements, xpath_texts

__all__ = ["apply_source_rules", "drop_inert", "remove_boilerplate"]

# Scrolling headline tickers and "breaking news" bars: <marquee>, or a class/id token.
# "(?<!s)": a "sticker" is not a ticker; "défilant/défilement" (scrolling), not "défilé" (a parade).
_TICKER_TOKEN = re.compile(
    r"(?<!s)ticker|marquee|breaking|news-?flash|flash-?info|d[eé]fil(?:ant|ement)", re.IGNORECASE
)
_TICKER_TAGS = frozenset({"marquee", "div", "section", "ul", "ol", "nav", "aside", "p", "span"})
# Boilerplate sentences of aggregator and UGC widgets (report boxes, "read at the source" links).
_BOILERPLATE_PHRASES = re.compile(
    r"merci d.avoir signal|cette image sera automatiquement bloqu|signalée par plusieurs personnes"
    r"|cliquez ici pour lire l.article depuis sa source|thanks for reporting|شكرا على الإبلاغ"
    r"|الآراء الواردة أدناه",  # "the opinions below do not reflect...": a comment-box disclaimer
    re.IGNORECASE,
)
# Pre-filter for the phrase search below, run on the page source as it is (case-sensitive
# substring tests over 200 kB take a fraction of a millisecond; lower-casing the page first costs
# a millisecond, the XPath over every text node nearly two). Short enough that entities
# (d&#039;avoir, bloqu&eacute;e) still match.
_PHRASE_HINTS = (
    "avoir signal",
    "automatiquement bloqu",
    "depuis sa source",
    "for reporting",
    "For reporting",
    "شكرا على الإبلاغ",
    "الآراء الواردة أدناه",
)
_PHRASE_CANDIDATES = XPath(
    ".//body//text()[contains(., 'signal') or contains(., 'bloqu') or contains(., 'depuis sa source')"
    " or contains(., 'for reporting') or contains(., 'شكرا') or contains(., 'الآراء الواردة')]"
)
_INERT_TAGS = (
    "style",
    "svg",
    "template",
    "footer",
    "iframe",
    "select",
    "input",
    "textarea",
    "embed",
    "video",
    "audio",
    "canvas",
    "map",
)
_BLOCK_TAGS = frozenset(
    {"div", "p", "section", "article", "ul", "ol", "dl", "table", "blockquote", "figure", "pre", "form"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "header", "footer", "aside", "nav", "main"}
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
        for element in xpath_elements(_selector(css), root):
            if element.getparent() is not None:
                element.drop_tree()
    if not options.body_selector:
        return root, warnings
    matches = [el for el in xpath_elements(_selector(options.body_selector), root) if el.tag not in ("html", "body")]
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
    _text_divs_to_paragraphs(article)
    return narrowed, warnings


def _text_divs_to_paragraphs(container: HtmlElement) -> None:
    """Inside an operator-chosen body, a <div> holding text and no blocks is a paragraph.
    trafilatura skips text that sits directly in a <div> (L'Opinion's "Les faits" box, for one);
    on a whole page that is a sound guess, inside the element a source rule names it is not."""
    for div in container.iter("div"):
        if (div.text or "").strip() and not any(child.tag in _BLOCK_TAGS for child in div):
            div.tag = "p"


def _outermost(elements: list[HtmlElement]) -> list[HtmlElement]:
    chosen = set(elements)
    return [el for el in elements if not any(anc in chosen for anc in el.iterancestors())]


def remove_boilerplate(root: HtmlElement, *, source: str) -> None:
    """Remove tickers and report boxes in place (tails kept: they belong to the parent).
    `source` is the page text the tree was parsed from, for a cheap pre-filter. Run it after
    `drop_inert`: the walk below then has fewer elements to visit."""
    tickers = [el for el in root.iter(*_TICKER_TAGS) if _is_ticker(el)]
    for element in tickers:
        if element.getparent() is not None and _small_block(element):
            element.drop_tree()
    if not any(hint in source for hint in _PHRASE_HINTS):
        return
    for text in xpath_texts(_PHRASE_CANDIDATES, root):
        if not _BOILERPLATE_PHRASES.search(text):
            continue
        element = text.getparent()
        if element is not None and text.is_tail:
            element = element.getparent()  # a tail belongs to the element's parent
        if element is None or element.getparent() is None:
            continue  # already removed with an earlier box
        box = _enclosing_box(element)
        if box is not None and box.getparent() is not None:  # never the root, nor a box already detached
            box.drop_tree()


def drop_inert(root: HtmlElement) -> None:
    """Remove scripts, styles, SVG and templates: nothing in them is article text, and trafilatura
    copies the tree several times per page (big inline JSON blobs make each copy slower).
    JSON-LD stays: trafilatura's baseline reads articleBody from it."""
    strip_elements(root, *_INERT_TAGS, with_tail=False)
    for script in list(root.iter("script")):
        if script.get("type") != "application/ld+json":
            script.drop_tree()


def _is_ticker(element: HtmlElement) -> bool:
    if element.tag == "marquee":
        return True
    css_class, css_id = element.get("class"), element.get("id")
    return bool((css_class or css_id) and _TICKER_TOKEN.search(f"{css_class or ''} {css_id or ''}"))


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
