"""trafilatura behind one call: our tree in, its XML article body out, or our reason why not.

We keep trafilatura's standard cascade (its own extractor, then readability/justext comparison,
baseline rescue, recall escalation): the benchmark shows the fast mode loses about a point of F1
on two corpora out of three. Formatting, links and images are all left off although the HTML
view would like them: in trafilatura 2.3 each one changes what is extracted (links=True drops
link-bearing sentences and glues words at <em> edges; images=True lets figure captions in), which
cost 0.1 to 1.4 points of F1 on the benchmark. The article HTML is therefore structural only:
paragraphs, headings, lists, quotes, tables.
"""

from __future__ import annotations

import re

from lxml.etree import XPath, _Element
from lxml.html import HtmlElement
from trafilatura import bare_extraction
from trafilatura.settings import Document, Extractor

from kiosque.pipeline.errors import ExtractError

from .dom import xpath_texts

__all__ = ["run_engine", "why_no_article"]

# Native XPath, iterative: a recursive walk would hit Python's limit on deeply nested markup.
_VISIBLE_TEXT = XPath(
    "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)]"
)
_SPACES = re.compile(r"\s+")
_TEMPLATE = re.compile(r"\{\{.*?\}\}")
_JS_APP_MARKERS = (
    (".//*[@ng-app or @data-ng-app or @ng-controller]", "an AngularJS application (ng-app)"),
    (".//*[@id='__next']", "a Next.js application"),
    (".//*[@id='__nuxt']", "a Nuxt application"),
    (".//*[@data-reactroot or @id='root' or @id='app']", "a JavaScript application"),
)


def run_engine(tree: HtmlElement, *, url: str, include_tables: bool) -> _Element | None:
    """trafilatura's article body (TEI-like XML: p, head, list/item, quote, table/row/cell, lb) or
    None when it found nothing. The tree is copied by trafilatura, not modified."""
    options = Extractor(
        output_format="python",
        comments=False,
        tables=include_tables,
        formatting=False,
        links=False,
        images=False,
        url=url or None,
    )
    try:
        document = bare_extraction(tree, options=options)
    except RecursionError as err:  # pathological nesting (thousands of levels) exhausts lxml/trafilatura
        raise ExtractError("the page's markup is nested too deeply to extract an article") from err
    if not isinstance(document, Document) or document.body is None:
        return None
    return document.body


def visible_text(root: HtmlElement) -> str:
    """What a reader would see without scripts: the body's text outside script/style/template."""
    parts = xpath_texts(_VISIBLE_TEXT, root)
    return _SPACES.sub(" ", " ".join(parts)).strip()


def why_no_article(root: HtmlElement, *, text_chars: int, min_chars: int) -> str:
    """A readable reason for an unusable page, given how much article text was extracted."""
    visible = visible_text(root)
    templates = len(_TEMPLATE.findall(visible))
    server_text = len(_TEMPLATE.sub("", visible))
    for xpath, what in _JS_APP_MARKERS:
        if root.find("body") is not None and root.xpath(xpath) and (templates >= 3 or server_text < 4 * min_chars):
            return (
                f"JavaScript shell: the page is {what} whose article is rendered in the browser; "
                f"the server sent {server_text} characters of text ({templates} unfilled {{{{ }}}} templates)"
            )
    if templates >= 3:
        return f"JavaScript shell: the page text is made of {templates} unfilled {{{{ }}}} templates"
    if text_chars == 0:
        return f"no article found: the extractor kept nothing from {len(visible)} characters of visible text"
    return f"article too short: {text_chars} characters of text (minimum {min_chars})"
