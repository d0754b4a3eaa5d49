"""Shaping stored articles for display, following each source's excerpt policy."""

from __future__ import annotations

from kiosque.articles.models import Article


def excerpt_paragraphs(article: Article, *, default: int) -> list[str]:
    """The opening paragraphs we may show: the source's policy, else the site default (0 = lead only)."""
    limit = article.source.excerpt_paragraphs
    limit = default if limit is None else limit
    paragraphs = [p.strip() for p in article.text.split("\n\n") if p.strip()]
    if paragraphs and article.lead and paragraphs[0].startswith(article.lead[:60]):
        paragraphs = paragraphs[1:]  # the lead is shown on its own above
    return paragraphs[:limit]
