"""`extract()`: one page in, one ExtractedArticle out (or ExtractError with the reason).

decode -> parse once -> metadata (raw tree) -> source rules -> lead image -> boilerplate
-> trafilatura -> text / HTML -> checks -> sanitise (last)
"""

from __future__ import annotations

import re

from kiosque.pipeline.errors import ExtractError
from kiosque.pipeline.types import ExtractedArticle, ExtractOptions

from .clean import apply_source_rules, drop_inert, remove_boilerplate
from .decode import decode_html
from .dom import base_url, parse_html
from .engine import run_engine, why_no_article
from .images import lead_image
from .metadata import read_metadata
from .render import body_html, body_text, first_paragraph, shorten
from .sanitize import sanitize_html

__all__ = ["extract"]

_TEMPLATE = re.compile(r"\{\{.*?\}\}")
_TEMPLATE_LIMIT = 3  # unfilled {{ }} expressions tolerated in a real article (code samples...)
_LEAD_MIN_CHARS = 50
_LEAD_MIN_WORDS = 8
_LEAD_MAX_CHARS = 600


def extract(html: str | bytes, options: ExtractOptions) -> ExtractedArticle:
    """Extract the article of one page. `bytes` are decoded (BOM, UTF-8, options.encoding, <meta>
    charset, detection); `str` is used as is. Raises ExtractError when the page holds no usable article."""
    text = decode_html(html, announced=options.encoding) if isinstance(html, bytes) else html
    root = parse_html(text)
    base = base_url(root, options.url)
    meta = read_metadata(root, page_url=options.url, base=base)
    tree, warnings = apply_source_rules(root, options)
    image_url = lead_image(meta.image_candidates, tree=tree, base=base)
    drop_inert(tree)
    remove_boilerplate(tree, source=text)
    body = run_engine(tree, url=base or meta.canonical_url or "", include_tables=options.include_tables)
    raw_text = body_text(body) if body is not None else ""
    article_text = _strip_templates(raw_text)
    if (
        body is None
        or not article_text
        or len(article_text) < options.min_text_chars
        or len(_TEMPLATE.findall(raw_text)) >= _TEMPLATE_LIMIT
    ):
        raise ExtractError(why_no_article(tree, text_chars=len(article_text), min_chars=options.min_text_chars))
    return ExtractedArticle(
        title=meta.title or first_paragraph(article_text)[:200],
        text=article_text,
        html=sanitize_html(body_html(body, base=base or meta.canonical_url or "")),  # last step, by design
        lead=_lead(meta.description, article_text, meta.title),
        author=meta.author,
        published=meta.published,
        image_url=image_url,
        canonical_url=meta.canonical_url,
        language=meta.language,
        categories=meta.categories,
        site_name=meta.site_name,
        warnings=tuple(warnings),
    )


def _strip_templates(text: str) -> str:
    if "{{" not in text:
        return text
    paragraphs = (" ".join(_TEMPLATE.sub("", p).split()) for p in text.split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)


def _lead(description: str, text: str, title: str) -> str:
    """The page's description when it is real prose, else the article's first paragraph."""
    description = " ".join(description.split())
    if not _is_prose(description, title):
        return first_paragraph(text)
    # A description cut with "..." that opens a paragraph: give the whole paragraph instead.
    stem = description.rstrip(".… ")
    if len(stem) >= _LEAD_MIN_CHARS:
        for paragraph in text.split("\n\n")[:6]:
            if paragraph.startswith(stem) and len(paragraph) > len(description):
                return shorten(paragraph, _LEAD_MAX_CHARS)
    return shorten(description, _LEAD_MAX_CHARS)


def _is_prose(description: str, title: str) -> bool:
    words = description.split()
    return (
        len(description) >= _LEAD_MIN_CHARS
        and len(words) >= _LEAD_MIN_WORDS
        and description.casefold() != title.casefold()
        and description.count(",") < len(words) / 3  # a keyword list, not a sentence
        and "{{" not in description
        and not description.lower().startswith(("http://", "https://"))
    )
