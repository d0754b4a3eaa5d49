"""Reads of articles and images for pages, feeds and the API."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from kiosque.articles.models import Article, Image
from kiosque.sources.models import Source


def articles_visible() -> QuerySet[Article]:
    return Article.objects.filter(source__enabled=True).select_related("source", "image")


def articles_latest(*, limit: int = 50, language: str | None = None) -> list[Article]:
    qs = articles_visible()
    if language:
        qs = qs.filter(language=language)
    return list(qs.order_by("-published_at", "-id")[:limit])


def articles_of_source(source: Source, *, limit: int = 20) -> list[Article]:
    return list(articles_visible().filter(source=source).order_by("-published_at", "-id")[:limit])


def article_detail(article_id: int) -> Article | None:
    return articles_visible().prefetch_related("categories").filter(pk=article_id).first()


def article_urls_known(urls: Iterable[str]) -> set[str]:
    """Which of these publisher or canonical URLs are already stored (so the crawler skips them)."""
    wanted = list(urls)
    known = set(Article.objects.filter(url__in=wanted).values_list("url", flat=True))
    known |= set(Article.objects.filter(canonical_url__in=wanted).values_list("canonical_url", flat=True))
    return known


def image_by_id(image_id: int) -> Image | None:
    return Image.objects.filter(pk=image_id).first()


def image_by_origin(origin_url: str) -> Image | None:
    return Image.objects.filter(origin_url=origin_url).first()
