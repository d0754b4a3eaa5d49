"""Reads of stories and agency-copy groups, for the portal, output feeds, the API, the admin and the crawler.

Every page-facing function costs a fixed number of queries whatever the size of the story (rows come with
their source, image and evidence joined).
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Max, Prefetch, Q, QuerySet

from kiosque.articles.models import Article, Category, Story, StoryAction, StoryLink
from kiosque.articles.selectors import articles_for_output, articles_visible
from kiosque.sources.models import Source

STORIES_VERSION_KEY = "kiosque:stories-version"

# Top stories ("À la une"): score = coverage * 2 ** (-age / HALF_LIFE), where coverage = distinct sources
# + LANGUAGE_BONUS per language beyond the first, and age = hours between the story's latest article and the
# latest article of the freshest candidate (not the clock: an old snapshot or a quiet night still has a
# front page). A story needs two sources to be a candidate, unless an editor pinned it; pinned stories come
# first, newest first. With a 12 h half-life a story covered by 4 outlets 12 h ago ties with one covered by
# 2 outlets now.
HALF_LIFE_HOURS = 12.0
LANGUAGE_BONUS = 0.5
CANDIDATE_WINDOW = timedelta(hours=72)
CANDIDATES = 100

# The long text stays in the database for coverage lists.
_COVERAGE_DEFER = ("text", "html", "content_hash")


def stories_version() -> str:
    """Changes whenever editors or the repair pass change stories (crawler processes then re-read them)."""
    return str(cache.get(STORIES_VERSION_KEY) or "0")


# ----------------------------------------------------------------------------------------------- crawler
def grouping_anchor(*, now: datetime) -> datetime | None:
    """The newest publication time stored (never later than `now`): grouping windows end there."""
    newest = Article.objects.filter(published_at__lte=now).aggregate(newest=Max("published_at"))["newest"]
    return newest


def articles_for_grouping(*, since: datetime, until: datetime, limit: int) -> list[Article]:
    """Articles published in [since, until] (the newest `limit`), oldest first, with their stored signature."""
    rows = list(
        Article.objects.filter(published_at__gte=since, published_at__lte=until)
        .select_related("signature")
        .only("pk", "title", "lead", "text", "language", "published_at", "story_id", "wire_of_id", "wire_count",
              "source_id", "content_hash", "signature__fingerprint", "signature__embedding")
        .order_by("-published_at", "-pk")[:limit]
    )
    rows.reverse()
    return rows


def signature_of(article: Article) -> tuple[bytes, bytes] | None:
    """(fingerprint, embedding) bytes stored for an article loaded by `articles_for_grouping`, or None."""
    try:
        signature = article.signature  # type: ignore[attr-defined]
    except ObjectDoesNotExist:
        return None
    return bytes(signature.fingerprint), bytes(signature.embedding)


def locked_groups(article_ids: Collection[int]) -> list[list[int]]:
    """The articles among `article_ids` that belong to locked stories, grouped by story."""
    groups: dict[int, list[int]] = {}
    rows = Article.objects.filter(pk__in=list(article_ids), story__locked=True).values_list("story_id", "pk")
    for story_id, pk in rows.order_by("story_id", "pk"):
        groups.setdefault(story_id, []).append(pk)
    return list(groups.values())


def exact_copy_of(article: Article, *, min_chars: int) -> Article | None:
    """The earliest article from another outlet with the same normalised text (`content_hash`), if any.
    Texts under `min_chars` never match: a short blurb is identical by coincidence too often."""
    if not article.content_hash or len(article.text) < min_chars:
        return None
    # Raw SQL: the crawler asks this for every new article, and the ORM spent ~1 ms compiling it.
    rows = Article.objects.raw(
        "SELECT id, story_id, wire_of_id FROM articles_article WHERE content_hash = %s AND source_id <> %s"
        " AND id <> %s ORDER BY published_at, id LIMIT 1",
        [article.content_hash, article.source_id, article.pk],
    )
    return next(iter(rows), None)


# ----------------------------------------------------------------------------------------------- pages
def story_by_id(story_id: int) -> Story | None:
    return Story.objects.filter(pk=story_id).first()


def story_live(story: Story) -> Story | None:
    """Where a story's articles are now: itself, or the story it was merged into (a few hops at most)."""
    for _ in range(8):
        if story.merged_into_id is None:
            return story if story.article_count else None
        found = story_by_id(story.merged_into_id)
        if found is None:
            return None
        story = found
    return None


@dataclass(frozen=True)
class CoverageItem:
    article: Article
    link: StoryLink | None  # why it is in the story (None: grouped before links were kept)
    is_copy: bool  # a copy of a dispatch another outlet published first


@dataclass(frozen=True)
class LanguageCoverage:
    language: str
    items: list[CoverageItem]


@dataclass(frozen=True)
class SourceCount:
    source: Source
    count: int


@dataclass(frozen=True)
class StoryView:
    story: Story
    timeline: list[CoverageItem]  # every visible article, earliest first
    by_language: list[LanguageCoverage]  # languages in the order they first covered it, each earliest first
    first: CoverageItem | None  # who reported first
    sources: list[SourceCount]  # most articles first

    @property
    def languages(self) -> list[str]:
        return [group.language for group in self.by_language]


def story_detail(story: Story, *, with_categories: bool = False) -> StoryView:
    """A story's coverage in one query (two `with_categories`): timeline, per language, first reporter, evidence."""
    qs = articles_visible().filter(story=story).select_related("story_link__matched__source").defer(*_COVERAGE_DEFER)
    if with_categories:
        qs = qs.prefetch_related(Prefetch("categories", queryset=Category.objects.only("name", "slug")))
    rows = list(qs.order_by("published_at", "pk"))
    timeline = [CoverageItem(a, _link(a), a.wire_of_id is not None) for a in rows]
    by_language: dict[str, list[CoverageItem]] = {}
    counts: dict[int, SourceCount] = {}
    for item in timeline:
        by_language.setdefault(item.article.language or "", []).append(item)
        source = item.article.source
        counts[source.pk] = SourceCount(source, counts[source.pk].count + 1 if source.pk in counts else 1)
    return StoryView(
        story=story,
        timeline=timeline,
        by_language=[LanguageCoverage(lang, items) for lang, items in by_language.items()],
        first=timeline[0] if timeline else None,
        sources=sorted(counts.values(), key=lambda c: (-c.count, c.source.name)),
    )


def _link(article: Article) -> StoryLink | None:
    try:
        return article.story_link  # type: ignore[attr-defined, no-any-return]
    except ObjectDoesNotExist:
        return None


@dataclass(frozen=True)
class StoryCard:
    story: Story
    title: str
    language: str  # the title's
    article: Article | None  # the first report (its image illustrates the story)
    score: float


def top_stories(*, limit: int = 6, language: str | None = None, interface: str | None = None) -> list[StoryCard]:
    """"À la une": pinned stories, then the best by coverage and freshness (formula above). One query."""
    qs = (
        Story.objects.filter(article_count__gt=0, merged_into__isnull=True)
        .filter(Q(source_count__gte=2) | Q(pinned=True))
        .select_related("first_article__source", "first_article__image")
        .defer("first_article__text", "first_article__html", "first_article__content_hash")
        .order_by("-pinned", "-last_published_at", "-pk")
    )
    if language:
        qs = qs.filter(language_counts__has_key=language)
    candidates = list(qs[:CANDIDATES])
    fresh = [s.last_published_at for s in candidates if s.last_published_at and not s.pinned]
    anchor = max(fresh) if fresh else None
    cards = [
        StoryCard(s, *s.title_in(language or interface), s.first_article, _score(s, anchor))
        for s in candidates
        if s.pinned or (anchor and s.last_published_at and anchor - s.last_published_at <= CANDIDATE_WINDOW)
    ]
    cards.sort(key=lambda c: (not c.story.pinned, -c.score, -c.story.pk))
    return cards[:limit]


def _score(story: Story, anchor: datetime | None) -> float:
    coverage = story.source_count + LANGUAGE_BONUS * max(0, len(story.languages) - 1)
    if anchor is None or story.last_published_at is None:
        return coverage
    age = max(0.0, (anchor - story.last_published_at).total_seconds() / 3600)
    return coverage * math.pow(2.0, -age / HALF_LIFE_HOURS)


@dataclass(frozen=True)
class ArticleCoverage:
    """What else covers an article: its agency-copy group and the rest of its story."""

    original: Article | None  # the dispatch's first publisher, when this article is a later copy
    wire: list[Article]  # the other outlets' copies of the same dispatch, earliest first
    story: Story | None
    others: list[Article]  # other coverage of the story (outside the copy group), earliest first
    more: int  # further coverage not listed

    @property
    def wire_total(self) -> int:
        return len(self.wire)


def article_coverage(article: Article, *, limit: int = 8) -> ArticleCoverage:
    """At most 3 queries whatever the sizes: the copy group, the story, its other articles."""
    root = article.wire_of_id or article.pk
    wire: list[Article] = []
    if article.wire_of_id or article.wire_count:
        wire = list(
            articles_visible().filter(Q(pk=root) | Q(wire_of_id=root)).exclude(pk=article.pk)
            .defer(*_COVERAGE_DEFER, "lead").order_by("published_at", "pk")
        )
    original = next((a for a in wire if a.pk == article.wire_of_id), None)
    story = Story.objects.filter(pk=article.story_id).first() if article.story_id else None
    others: list[Article] = []
    if story is not None:
        skip = {article.pk, *(a.pk for a in wire)}
        rows = list(
            articles_visible().filter(story=story).exclude(pk__in=skip).exclude(wire_of_id=root)
            .defer(*_COVERAGE_DEFER, "lead").order_by("published_at", "pk")[: limit + 1]
        )
        others = rows[:limit]
    more = max(0, story.article_count - 1 - len(wire) - len(others)) if story else 0
    return ArticleCoverage(original=original, wire=wire, story=story, others=others, more=more)


# ----------------------------------------------------------------------------------------------- outputs
def story_articles_for_output(story: Story) -> QuerySet[Article]:
    """A story's visible articles as feeds and the API list them (newest first, without the long text)."""
    return articles_for_output().filter(story=story)


def stories_for_output(*, language: str | None = None, before: tuple[datetime, int] | None = None) -> QuerySet[Story]:
    """Stories with articles, the most recently updated coverage first; `before` = (last_published_at, id)
    keeps the stories that come after that one (keyset pagination)."""
    qs = Story.objects.filter(article_count__gt=0, merged_into__isnull=True, last_published_at__isnull=False)
    qs = qs.select_related("first_article__source").defer(
        "first_article__text", "first_article__html", "first_article__content_hash"
    )
    if language:
        qs = qs.filter(language_counts__has_key=language)
    if before is not None:
        last, pk = before
        qs = qs.filter(Q(last_published_at__lt=last) | Q(last_published_at=last, pk__lt=pk))
    return qs.order_by("-last_published_at", "-pk")


def story_history(story_id: int) -> QuerySet[StoryAction]:
    """The story log's rows about one story, newest first."""
    return StoryAction.objects.filter(story_id=story_id).select_related("actor").order_by("-created_at", "-pk")
