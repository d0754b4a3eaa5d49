"""Reads of sources and feeds."""

from __future__ import annotations

from django.db.models import Count, Max, Prefetch, QuerySet

from kiosque.sources.models import Feed, FeedKind, Source


def sources_enabled() -> QuerySet[Source]:
    return Source.objects.filter(enabled=True).order_by("name")


def sources_with_counts() -> QuerySet[Source]:
    return Source.objects.filter(enabled=True).annotate(article_count=Count("articles")).order_by("name")


def source_by_slug(slug: str) -> Source | None:
    return Source.objects.filter(slug=slug, enabled=True).first()


def source_choices() -> list[tuple[str, str]]:
    """(slug, name) of every enabled source, for the search form's select: one light query, no model rows."""
    return list(Source.objects.filter(enabled=True).order_by("name").values_list("slug", "name"))


def feeds_of(source: Source) -> QuerySet[Feed]:
    return source.feeds.all()


# Feed kinds a feed reader can subscribe to (a sitemap or a listing page is not one).
_SUBSCRIBABLE = (FeedKind.RSS, FeedKind.ATOM, FeedKind.RDF, FeedKind.JSON_FEED)


def sources_for_output() -> QuerySet[Source]:
    """Enabled sources by name, with `article_count`, `last_change` (newest article update) and their enabled
    subscribable feeds in `output_feeds` (OPML, sitemaps and the API; a fixed number of queries)."""
    feeds = Feed.objects.filter(enabled=True, kind__in=_SUBSCRIBABLE).order_by("url")
    return (
        Source.objects.filter(enabled=True)
        .annotate(article_count=Count("articles"), last_change=Max("articles__updated_at"))
        .prefetch_related(Prefetch("feeds", queryset=feeds, to_attr="output_feeds"))
        .order_by("name")
    )
