"""The article as the crawler stores it, decided from its feed entry and its extracted page.

    article_draft(entry, page, languages=..., feed_language=..., now=...) -> ArticleDraft

A pure function, so it runs where the CPU work is (the crawler's process pool, beside the extraction it
follows): the feed's title, date, author and image come first and the page fills the gaps, the language is
detected from the title, lead and start of the text (the entry's, page's or feed's declared language is a
hint), and the canonical URL loses its tracking parameters. `content_hash` is the SHA-256 of the normalised
text: the same text under another address of the same outlet is the same article.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from kiosque.pipeline.enrich.language import detect_language
from kiosque.pipeline.enrich.normalize import normalize_text
from kiosque.pipeline.enrich.urls import canonicalize_url
from kiosque.pipeline.types import ExtractedArticle, FeedEntry

__all__ = ["ArticleDraft", "article_draft"]

_LANGUAGE_SAMPLE_CHARS = 600  # of the text, after the title and lead: enough for the detector, cheap
_MAX_CATEGORIES = 8


@dataclass(frozen=True)
class ArticleDraft:
    """Everything the pipeline learned about one article, ready to store."""

    url: str
    canonical_url: str
    title: str
    published_at: datetime
    guid: str = ""
    lead: str = ""
    text: str = ""
    html: str = ""
    language: str = ""
    language_method: str = ""
    author: str = ""
    categories: tuple[str, ...] = ()
    image_origin_url: str = ""
    content_hash: str = ""


def article_draft(
    entry: FeedEntry,
    page: ExtractedArticle | None,
    *,
    languages: tuple[str, ...],
    feed_language: str | None,
    now: datetime,
) -> ArticleDraft:
    """The draft of one entry; `page` is None when the page was not fetched or had no usable text (then the
    feed's title and summary are all there is). `now` dates an article that neither feed nor page dates."""
    page = page or ExtractedArticle(title="", text="", html="")
    title = entry.title or page.title
    lead = page.lead or entry.summary
    sample = " ".join(part for part in (title, lead, page.text[:_LANGUAGE_SAMPLE_CHARS]) if part)
    guess = detect_language(sample, expected=languages, declared=entry.language or page.language or feed_language)
    return ArticleDraft(
        url=entry.url,
        canonical_url=canonicalize_url(page.canonical_url or entry.url, base=entry.url),
        guid=(entry.guid or "")[:1000],
        title=title[:1000] or entry.url,
        lead=lead,
        text=page.text,
        html=page.html,
        language=guess.code or "",
        language_method=guess.method,
        author=(entry.author or page.author)[:300],
        published_at=entry.published or page.published or now,
        categories=tuple(dict.fromkeys((*entry.categories, *page.categories)))[:_MAX_CATEGORIES],
        image_origin_url=(entry.image_url or page.image_url or "")[:1000],
        content_hash=_content_hash(page.text, guess.code),
    )


def _content_hash(text: str, language: str | None) -> str:
    if not text:
        return ""
    return hashlib.sha256(normalize_text(text, language).encode()).hexdigest()
