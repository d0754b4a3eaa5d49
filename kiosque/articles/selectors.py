"""Reads of articles, categories and images for pages, output feeds and the API.

Every function returns fully loaded rows (source and image joined, categories prefetched where shown), so a
page costs a fixed number of queries whatever the number of articles on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Max, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from kiosque.articles.models import Article, Category, Image
from kiosque.sources.models import Source

# Columns a list needs; the long text and HTML stay in the database until an article page asks for them.
_LIST_DEFER = ("text", "html", "content_hash", "lead")


def articles_visible() -> QuerySet[Article]:
    return Article.objects.filter(source__enabled=True).select_related("source", "image")


def articles_listed(*, language: str | None = None) -> QuerySet[Article]:
    qs = articles_visible().defer(*_LIST_DEFER)
    return qs.filter(language=language) if language else qs


def articles_latest(*, limit: int = 50, language: str | None = None) -> list[Article]:
    return list(articles_listed(language=language).order_by("-published_at", "-id")[:limit])


def ticker_headlines(*, limit: int = 50) -> list[Article]:
    """The latest headlines from all sources and languages, for the ticker."""
    return list(
        Article.objects.filter(source__enabled=True)
        .select_related("source")
        .only("id", "title", "language", "published_at", "source__name", "source__slug")
        .order_by("-published_at", "-id")[:limit]
    )


def articles_of_source(source: Source, *, limit: int = 20) -> list[Article]:
    return list(articles_listed().filter(source=source).order_by("-published_at", "-id")[:limit])


def article_detail(article_id: int) -> Article | None:
    return articles_visible().prefetch_related("categories").filter(pk=article_id).first()


@dataclass(frozen=True)
class Group:
    """A heading (a category or a source) with its latest articles."""

    key: object
    articles: list[Article]


def _top_per(qs: QuerySet[Article], field: str, *, per: int) -> list[Article]:
    """The `per` newest articles of each value of `field`, in one query (a window function)."""
    ranked = qs.annotate(
        rank=Window(RowNumber(), partition_by=[F(field)], order_by=[F("published_at").desc(), F("id").desc()])
    )
    return list(ranked.filter(rank__lte=per).order_by(field, "rank"))


def latest_by_source(*, sources: int = 8, per: int = 4, language: str | None = None) -> list[Group]:
    """The most recently active sources, each with its newest articles."""
    listed = articles_listed(language=language)
    recent = list(
        listed.values("source_id").annotate(last=Max("published_at")).order_by("-last").values_list("source_id", flat=True)[
            :sources
        ]
    )
    rows = _top_per(listed.filter(source_id__in=recent), "source_id", per=per)
    by_source: dict[int, list[Article]] = {}
    for article in rows:
        by_source.setdefault(article.source_id, []).append(article)
    return [Group(key=by_source[sid][0].source, articles=by_source[sid]) for sid in recent if sid in by_source]


def latest_by_category(*, categories: int = 6, per: int = 4, language: str | None = None) -> list[Group]:
    """The categories with the most articles in the last week, each with its newest articles."""
    since = timezone.now() - timedelta(days=7)
    top = list(
        Category.objects.filter(articles__published_at__gte=since, articles__source__enabled=True)
        .annotate(n=Count("articles"))
        .order_by("-n", "name")[:categories]
    )
    if not top:  # a quiet week (or an old snapshot): fall back to all time
        top = list(Category.objects.annotate(n=Count("articles")).filter(n__gt=0).order_by("-n", "name")[:categories])
    through = Article.categories.through
    links = (
        through.objects.filter(category__in=top)
        .select_related("article__source", "article__image", "category")
        .defer(*(f"article__{name}" for name in _LIST_DEFER))
        .filter(article__source__enabled=True)
    )
    if language:
        links = links.filter(article__language=language)
    ranked = links.annotate(
        rank=Window(
            RowNumber(), partition_by=[F("category_id")], order_by=[F("article__published_at").desc(), F("id").desc()]
        )
    ).filter(rank__lte=per)
    grouped: dict[int, list[Article]] = {}
    for link in ranked.order_by("category_id", "rank"):
        grouped.setdefault(link.category_id, []).append(link.article)
    return [Group(key=c, articles=grouped[c.pk]) for c in top if c.pk in grouped]


def category_by_slug(slug: str) -> Category | None:
    return Category.objects.filter(slug=slug).first()


def articles_of_category(category: Category) -> QuerySet[Article]:
    return articles_listed().filter(categories=category).order_by("-published_at", "-id")


def articles_of_source_qs(source: Source) -> QuerySet[Article]:
    return articles_listed().filter(source=source).order_by("-published_at", "-id")


def articles_on_day(day: date) -> QuerySet[Article]:
    """Articles published on `day` in the site's time zone."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tzinfo=tz)
    return articles_listed().filter(published_at__gte=start, published_at__lt=start + timedelta(days=1)).order_by(
        "-published_at", "-id"
    )


def archive_days(*, limit: int = 60) -> list[date]:
    """Days that have articles, newest first (for the archive index)."""
    days = Article.objects.filter(source__enabled=True).datetimes(
        "published_at", "day", order="DESC", tzinfo=timezone.get_current_timezone()
    )
    return [d.date() for d in days[:limit]]


def articles_by_ids(ids: list[int]) -> list[Article]:
    """Articles in the order of `ids` (search results)."""
    found = {a.pk: a for a in articles_listed().filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]


def articles_filtered(
    *,
    language: str | None = None,
    source_slug: str | None = None,
    category_slug: str | None = None,
    since: datetime | None = None,
) -> QuerySet[Article]:
    """The list behind output feeds and the API."""
    qs = articles_visible().prefetch_related(Prefetch("categories", queryset=Category.objects.only("name", "slug")))
    if language:
        qs = qs.filter(language=language)
    if source_slug:
        qs = qs.filter(source__slug=source_slug)
    if category_slug:
        qs = qs.filter(categories__slug=category_slug)
    if since:
        qs = qs.filter(Q(published_at__gte=since) | Q(updated_at__gte=since))
    return qs.order_by("-published_at", "-id")


def categories_with_counts() -> QuerySet[Category]:
    return Category.objects.annotate(n=Count("articles")).filter(n__gt=0).order_by("-n", "name")


def last_change() -> datetime | None:
    """When the newest article was stored or updated (for Last-Modified and cache keys)."""
    row = Article.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
    return row


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
