"""Reads of sources and feeds."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from kiosque.sources.models import Feed, Source


def sources_enabled() -> QuerySet[Source]:
    return Source.objects.filter(enabled=True).order_by("name")


def sources_with_counts() -> QuerySet[Source]:
    return Source.objects.filter(enabled=True).annotate(article_count=Count("articles")).order_by("name")


def source_by_slug(slug: str) -> Source | None:
    return Source.objects.filter(slug=slug, enabled=True).first()


def feeds_of(source: Source) -> QuerySet[Feed]:
    return source.feeds.all()
