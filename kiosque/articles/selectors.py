"""Reads of articles, categories and images for pages, output feeds and the API.

Every function returns fully loaded rows (source and image joined, categories prefetched where shown), so a
page costs a fixed number of queries whatever the number of articles on it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.cache import caches
from django.db import connection
from django.db.models import Count, F, Max, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from kiosque.articles.models import Article, Category, Image, ImageState
from kiosque.articles.search import search_articles
from kiosque.content import CONTENT_VERSION_KEY
from kiosque.sources.models import Source

# Columns a list needs; the long text and HTML stay in the database until an article page asks for them.
_LIST_DEFER = ("text", "html", "content_hash", "lead")


def articles_visible() -> QuerySet[Article]:
    return Article.objects.filter(source__enabled=True).select_related("source", "image")


def articles_listed(*, language: str | None = None) -> QuerySet[Article]:
    qs = articles_visible().defer(*_LIST_DEFER)
    return qs.filter(language=language) if language else qs


def wire_collapsed(qs: QuerySet[Article]) -> QuerySet[Article]:
    """One entry per agency dispatch in a list mixing outlets: the original (the earliest copy), whose
    `wire_count` says how many other outlets carry it ("+N sources")."""
    return qs.filter(wire_of__isnull=True)


def articles_latest(*, limit: int = 50, language: str | None = None) -> list[Article]:
    return list(wire_collapsed(articles_listed(language=language)).order_by("-published_at", "-id")[:limit])


def ticker_headlines(*, limit: int = 50) -> list[Article]:
    """The latest headlines from all sources and languages, for the ticker."""
    return list(
        wire_collapsed(Article.objects.filter(source__enabled=True))
        .select_related("source")
        .only("id", "title", "language", "published_at", "wire_count", "source__name", "source__slug")
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


def latest_by_source(*, sources: int = 8, per: int = 4, language: str | None = None) -> list[Group]:
    """The most recently active sources, each with its newest articles."""
    listed = articles_listed(language=language)
    by_last = listed.values("source_id").annotate(last=Max("published_at")).order_by("-last")
    recent = list(by_last.values_list("source_id", flat=True)[:sources])
    # One small indexed query per source (source, -published_at): a window function over every article of these
    # sources ranked years of rows to keep four each (measured 162 ms against 48 ms at 100k articles).
    groups = []
    for sid in recent:
        rows = list(listed.filter(source_id=sid).order_by("-published_at", "-id")[:per])
        if rows:
            groups.append(Group(key=rows[0].source, articles=rows))
    return groups


def latest_by_category(*, categories: int = 6, per: int = 4, language: str | None = None) -> list[Group]:
    """The categories with the most articles in the last week, each with its newest articles."""
    since = timezone.now() - timedelta(days=7)
    top = list(
        Category.objects.filter(articles__published_at__gte=since, articles__source__enabled=True)
        .annotate(n=Count("articles"))
        .order_by("-n", "name")[:categories]
    )
    recent_only = bool(top)
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
    if recent_only:  # rank this week's links only, not years of them (550-680 ms -> 16 ms at 100k articles)
        links = links.filter(article__published_at__gte=since)
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
    return wire_collapsed(articles_listed().filter(categories=category)).order_by("-published_at", "-id")


def articles_of_source_qs(source: Source) -> QuerySet[Article]:
    return articles_listed().filter(source=source).order_by("-published_at", "-id")


def articles_on_day(day: date) -> QuerySet[Article]:
    """Articles published on `day` in the site's time zone."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tzinfo=tz)
    day_qs = articles_listed().filter(published_at__gte=start, published_at__lt=start + timedelta(days=1))
    return wire_collapsed(day_qs).order_by("-published_at", "-id")


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
    wanted = list(dict.fromkeys(urls))
    if not wanted:
        return set()
    # One raw query (both columns indexed) where the ORM took two and ~1 ms compiling them: the crawler asks
    # this for every feed it reads (bench/ingest.py).
    marks = ", ".join(["%s"] * len(wanted))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT url, canonical_url FROM articles_article WHERE url IN ({marks}) OR canonical_url IN ({marks})",
            [*wanted, *wanted],
        )
        rows = cursor.fetchall()
    asked = set(wanted)
    return {address for row in rows for address in row if address in asked}


def image_by_id(image_id: int) -> Image | None:
    return Image.objects.filter(pk=image_id).first()


def image_by_origin(origin_url: str) -> Image | None:
    # Raw: asked for every article's image before downloading it; the ORM spent more compiling than SQLite
    # spent answering.
    return next(iter(Image.objects.raw("SELECT * FROM articles_image WHERE origin_url = %s", [origin_url])), None)


@dataclass(frozen=True)
class ImageMatch:
    """Another stored image showing the same picture: the same file, or a near-identical copy."""

    image_id: int
    state: str
    distance: int  # perceptual-hash bits apart; 0 for the same file
    same_file: bool


def images_judged_like(*, sha256: str, phash: str) -> list[ImageMatch]:
    """`images_like` among the blocked and protected images only: what the crawler asks for each new image.
    Raw SQL because it runs inside the crawler's write transaction for every image, where the ORM spent
    ~0.8 ms compiling it; the rows are few (the state index finds them) and compared in Python."""
    from kiosque.pipeline.images import PHASH_THRESHOLD  # see images_like

    target = _phash_bits(phash)
    rows = Image.objects.raw(
        "SELECT id, state, sha256, phash FROM articles_image WHERE state IN (%s, %s)",
        [ImageState.BLOCKED, ImageState.PROTECTED],
    )
    matches = []
    for row in rows:
        if row.sha256 == sha256:
            matches.append(ImageMatch(row.pk, row.state, 0, True))
            continue
        bits = _phash_bits(row.phash) if target is not None and len(row.phash) == len(phash) else None
        if bits is not None and target is not None and (distance := (bits ^ target).bit_count()) <= PHASH_THRESHOLD:
            matches.append(ImageMatch(row.pk, row.state, distance, False))
    return sorted(matches, key=lambda m: (m.distance, not m.same_file, m.image_id))


def images_like(
    *,
    sha256: str,
    phash: str,
    exclude_id: int | None = None,
    states: Collection[str] | None = None,
    threshold: int | None = None,
) -> list[ImageMatch]:
    """Stored images of the same picture: an identical file (sha256) or a perceptual hash at most `threshold`
    bits away (pipeline.images.PHASH_THRESHOLD, measured there), nearest first. Not transitive: a copy of a
    copy is only found if it is itself close enough, so a chain of small edits never reaches another picture.

    Scaling: the exact match uses the sha256 index. Near copies need a Hamming distance, which neither SQLite
    nor PostgreSQL indexes without an extension, so SQL keeps only the rows with a phash (and the wanted
    states), and Python compares 64-bit integers (XOR + popcount), streaming ids, states and 16-character
    hashes. Measured on 300,000 images: 1.0-1.3 s on SQLite and on PostgreSQL, so about 4 s per million.
    That is paid only when a picture gets blocked or unblocked (rare); the crawler's check of each new image
    asks only for blocked and protected images, through the state index (about 10 ms with 300 of them).
    Past some millions of images, split the hash into 9 indexed 7-bit bands: two hashes within 8 bits share
    at least one band exactly (pigeonhole), so an indexed lookup of the 9 bands finds every candidate."""
    if threshold is None:
        # Imported here: the image stage loads numpy and imagehash, which page-serving processes never need.
        from kiosque.pipeline.images import PHASH_THRESHOLD

        threshold = PHASH_THRESHOLD
    qs = Image.objects.all()
    if states is not None:
        qs = qs.filter(state__in=list(states))
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    target = _phash_bits(phash)
    # One query (the crawler asks this for every new image): the same file, and every hash to compare.
    wanted = Q(sha256=sha256) | ~Q(phash="") if target is not None else Q(sha256=sha256)
    matches: list[ImageMatch] = []
    for pk, state, other_sha, other in qs.filter(wanted).values_list("pk", "state", "sha256", "phash").iterator(
        chunk_size=5000
    ):
        if other_sha == sha256:
            matches.append(ImageMatch(pk, state, 0, True))
            continue
        bits = _phash_bits(other) if target is not None and len(other) == len(phash) else None
        if bits is not None and target is not None and (distance := (bits ^ target).bit_count()) <= threshold:
            matches.append(ImageMatch(pk, state, distance, False))
    return sorted(matches, key=lambda m: (m.distance, not m.same_file, m.image_id))


def _phash_bits(phash: str) -> int | None:
    """The hash as an integer; None when empty or malformed (an image stored before phash existed, or by
    hand), which then matches nothing rather than failing a moderation decision."""
    try:
        return int(phash, 16) if phash else None
    except ValueError:
        return None


# --- Output: syndication feeds, sitemaps and the JSON API (kiosque.syndication, kiosque.api) ---

# A feed or API list carries the lead but not the long text.
_OUTPUT_DEFER = ("text", "html", "content_hash")


def image_for_output(article: Article) -> Image | None:
    """The article's image as feeds, sitemaps and the API may show it: None when there is none or when
    moderation blocked it. Every output asks here, so a moderation rule changes in one place."""
    image = article.image
    if image is None or image.is_blocked:
        return None
    return image


def articles_for_output(
    *,
    language: str | None = None,
    source_slug: str | None = None,
    category_slug: str | None = None,
    since: datetime | None = None,
    ids: Iterable[int] | None = None,
    before: tuple[datetime, int] | None = None,
) -> QuerySet[Article]:
    """`articles_filtered` without the long text, newest first. `ids` keeps only those articles (search
    matches); `before` = (published_at, id) keeps the articles that come after that one (keyset pagination)."""
    qs = articles_filtered(language=language, source_slug=source_slug, category_slug=category_slug, since=since)
    qs = qs.defer(*_OUTPUT_DEFER)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    if before is not None:
        published, pk = before
        qs = qs.filter(Q(published_at__lt=published) | Q(published_at=published, pk__lt=pk))
    return qs


def articles_for_output_by_ids(ids: list[int]) -> list[Article]:
    """Articles in the order of `ids` (search results), loaded like `articles_for_output`."""
    found = {a.pk: a for a in articles_for_output(ids=ids)}
    return [found[i] for i in ids if i in found]


def articles_published_since(since: datetime, *, limit: int) -> list[Article]:
    """The newest articles published at or after `since` (news sitemap)."""
    return list(articles_listed().filter(published_at__gte=since).order_by("-published_at", "-id")[:limit])


def article_sitemap_rows() -> QuerySet[Article]:
    """Every visible article's id and update time, in a stable order (sitemap pages)."""
    return Article.objects.filter(source__enabled=True).only("id", "updated_at").order_by("id")


def categories_for_output() -> QuerySet[Category]:
    """Categories with visible articles, by name, with `article_count` and `last_change` (newest update)."""
    visible = Q(articles__source__enabled=True)
    return (
        Category.objects.annotate(
            article_count=Count("articles", filter=visible), last_change=Max("articles__updated_at", filter=visible)
        )
        .filter(article_count__gt=0)
        .order_by("name")
    )


def article_excerpt(article: Article, *, default: int) -> list[str]:
    """The opening paragraphs we may show: the source's policy, else `default` (0 = lead only).
    The same rule as the portal's article page (portal.presenters.excerpt_paragraphs)."""
    limit = article.source.excerpt_paragraphs
    limit = default if limit is None else limit
    paragraphs = [p.strip() for p in article.text.split("\n\n") if p.strip()]
    if paragraphs and article.lead and paragraphs[0].startswith(article.lead[:60]):
        paragraphs = paragraphs[1:]  # the lead is shown on its own
    return paragraphs[:limit]


# search_articles returns at most 100 ids per call (its MAX_LIMIT).
_SEARCH_BATCH = 100


def article_ids_matching(
    query: str, *, language: str | None = None, source_id: int | None = None, cap: int = 1000
) -> list[int]:
    """Ids of the `cap` best full-text matches of `query`, best first: for lists that show matches newest first
    (a search feed, the API's `q` filter), where a new but weaker match must still make the list."""
    ids: dict[int, None] = {}
    while len(ids) < cap:
        page = search_articles(
            query, language=language, source_id=source_id, limit=min(_SEARCH_BATCH, cap - len(ids)), offset=len(ids)
        )
        ids.update(dict.fromkeys(page.article_ids))
        if not page.article_ids or len(ids) >= page.total:
            break
    return list(ids)




def content_version() -> str:
    """A token that changes whenever what readers see changes (new, updated or moderated content).

    `services.content_changed()` replaces it; on a cold cache it is derived from the newest article.
    """
    version = caches["state"].get(CONTENT_VERSION_KEY)
    if version is None:
        latest = Article.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
        version = f"db-{latest.timestamp() if latest else 0}"
        caches["state"].set(CONTENT_VERSION_KEY, version, None)
    return str(version)
