"""Writes to articles, images and categories: idempotent upserts the crawler calls."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from kiosque.articles.models import Article, Category, Image, ImageState, TitleRevision
from kiosque.articles.search import index_article
from kiosque.articles.selectors import images_judged_like
from kiosque.content import content_changed
from kiosque.pipeline.enrich.draft import ArticleDraft
from kiosque.pipeline.types import ProcessedImage
from kiosque.sources.models import Feed, Source

log = logging.getLogger(__name__)

# Fields an update may change; url/canonical_url/guid identify the article and stay.
_CONTENT_FIELDS = ("title", "lead", "text", "html", "content_hash", "language", "language_method", "author")


@dataclass(frozen=True)
class IngestResult:
    article: Article
    created: bool
    updated: bool


# Shorter texts are never treated as exact duplicates: a short blurb is identical by coincidence too often.
EXACT_DUPLICATE_MIN_CHARS = 200


def _find_existing(*, source: Source, draft: ArticleDraft) -> Article | None:
    """Same article if the canonical URL, the feed GUID (within the source) or the URL matches, or if the
    source already has the same normalised text under another address (`content_hash`). The same text from
    another outlet is a copy of an agency dispatch instead: a new article, grouped with it (articles.stories)."""
    same_text = bool(draft.content_hash) and len(draft.text) >= EXACT_DUPLICATE_MIN_CHARS
    keys = [draft.canonical_url, draft.url, source.pk, draft.guid or None, source.pk]
    candidates = list(Article.objects.raw(_FIND_EXISTING_SQL, [*keys, draft.content_hash if same_text else None]))
    found = next((a for a in candidates if a.canonical_url == draft.canonical_url), None)
    if found is None and draft.guid:
        found = next((a for a in candidates if a.source_id == source.pk and a.guid == draft.guid), None)
    if found is None:
        found = next((a for a in candidates if a.url == draft.url), None)
    if found is None and same_text:
        found = next((a for a in candidates if a.source_id == source.pk and a.content_hash == draft.content_hash), None)
    return found


# The four keys in one query (each indexed: SQLite and PostgreSQL OR the index lookups; "= NULL" matches
# nothing, which switches a key off), then the strongest match wins in Python. Raw SQL because the crawler runs
# this for every article and the ORM spent ~1 ms of CPU compiling it, against 0.4 ms for all of this.
_FIND_EXISTING_SQL = (
    "SELECT * FROM articles_article WHERE canonical_url = %s OR url = %s"
    " OR (source_id = %s AND guid = %s) OR (source_id = %s AND content_hash = %s) ORDER BY id LIMIT 20"
)


def article_ingest(
    *, source: Source, feed: Feed | None, draft: ArticleDraft, image: Image | None, now: datetime
) -> IngestResult:
    """Insert the article, or update it in place (keeping its title history). Crawling twice never duplicates."""
    try:
        with transaction.atomic():
            return _upsert(source=source, feed=feed, draft=draft, image=image, now=now)
    except IntegrityError:
        # Another worker inserted the same canonical URL between our lookup and insert: update theirs.
        with transaction.atomic():
            return _upsert(source=source, feed=feed, draft=draft, image=image, now=now)


def _upsert(
    *, source: Source, feed: Feed | None, draft: ArticleDraft, image: Image | None, now: datetime
) -> IngestResult:
    existing = _find_existing(source=source, draft=draft)
    if existing is None:
        article = Article.objects.create(
            source=source,
            feed=feed,
            url=draft.url,
            canonical_url=draft.canonical_url,
            guid=draft.guid,
            published_at=draft.published_at,
            fetched_at=now,
            updated_at=now,
            image=image,
            image_origin_url=draft.image_origin_url,
            **{name: getattr(draft, name) for name in _CONTENT_FIELDS},
        )
        _set_categories(article, draft.categories)
        result = IngestResult(article=article, created=True, updated=False)
    else:
        result = IngestResult(article=existing, created=False, updated=_update(existing, draft, image, now))
    if result.created or result.updated:
        index_article(result.article)  # same transaction: the article and its search document commit together
    return result


def _update(article: Article, draft: ArticleDraft, image: Image | None, now: datetime) -> bool:
    changed = [
        name for name in _CONTENT_FIELDS if getattr(draft, name) and getattr(article, name) != getattr(draft, name)
    ]
    if image is not None and article.image_id != image.pk:
        article.image = image
        changed.append("image")
    if not changed:
        return False
    if "title" in changed:
        TitleRevision.objects.create(article=article, title=article.title, replaced_at=now)
    for name in changed:
        if name != "image":
            setattr(article, name, getattr(draft, name))
    article.updated_at = now
    article.save(update_fields=[*changed, "updated_at"])
    _set_categories(article, draft.categories)
    log.info("article updated", extra={"url": article.url, "fields": changed})
    return True


def _set_categories(article: Article, names: tuple[str, ...]) -> None:
    categories = categories_for(names)
    if categories:
        # The link rows directly: what `article.categories.add` ends with, without its bookkeeping (no signal
        # receivers here), ~0.1 ms less per article.
        link = Article.categories.through
        link.objects.bulk_create(
            [link(article_id=article.pk, category_id=category.pk) for category in categories], ignore_conflicts=True
        )


def categories_for(names: Collection[str]) -> list[Category]:
    """The categories of these names (by slug), created when missing: two or three queries for all of them,
    where one get_or_create per name cost four statements each (bench/ingest.py)."""
    wanted: dict[str, str] = {}
    for name in names:
        clean = " ".join(name.split())[:100]
        slug = slugify(clean, allow_unicode=True)[:100]
        if slug and slug not in wanted:
            wanted[slug] = clean
    if not wanted:
        return []
    found = {c.slug: c for c in _categories_by_slug(list(wanted))}
    missing = [Category(slug=slug, name=name) for slug, name in wanted.items() if slug not in found]
    if missing:
        # Another worker may create the same category meanwhile: ignore that conflict and read the rows back.
        Category.objects.bulk_create(missing, ignore_conflicts=True)
        found.update((c.slug, c) for c in _categories_by_slug([c.slug for c in missing]))
    return [found[slug] for slug in wanted if slug in found]


def _categories_by_slug(slugs: list[str]) -> list[Category]:
    # Raw: asked for every article the crawler stores, inside its write transaction; the ORM spent ~0.3 ms
    # compiling it.
    marks = ", ".join(["%s"] * len(slugs))
    return list(Category.objects.raw(f"SELECT id, name, slug FROM articles_category WHERE slug IN ({marks})", slugs))


def image_files_store(processed: ProcessedImage) -> tuple[str, str]:
    """Write the display and thumbnail files under MEDIA_ROOT, named by content hash; their names. Files
    are named by content, so writing them again changes nothing, and writing them before the row is stored
    is safe: the crawler does it outside its write transaction."""
    ext = processed.output_format
    rel = Path("images") / processed.sha256[:2]
    display_name = str(rel / f"{processed.sha256}-d.{ext}")
    thumb_name = str(rel / f"{processed.sha256}-t.{ext}")
    _write_once(display_name, processed.display)
    _write_once(thumb_name, processed.thumb)
    return display_name, thumb_name


def image_store(*, origin_url: str, processed: ProcessedImage, files: tuple[str, str] | None = None) -> Image:
    """One row per origin URL for a processed image, with its files (`files`: from image_files_store when
    already written)."""
    display_name, thumb_name = files or image_files_store(processed)
    # The crawler looked the origin up just before downloading, so the row is almost always new: INSERT first
    # (get_or_create would SELECT first), and read the row another worker stored meanwhile on a conflict.
    try:
        with transaction.atomic():
            return Image.objects.create(
                origin_url=origin_url,
                sha256=processed.sha256,
                phash=processed.phash,
                mime=processed.mime,
                width=processed.width,
                height=processed.height,
                display_file=display_name,
                display_width=processed.display_size[0],
                display_height=processed.display_size[1],
                thumb_file=thumb_name,
                thumb_width=processed.thumb_size[0],
                thumb_height=processed.thumb_size[1],
                state=_judged_state(processed),
            )
    except IntegrityError:
        return Image.objects.get(origin_url=origin_url)


def _judged_state(processed: ProcessedImage) -> str:
    """A new copy of a picture already blocked (or protected by a moderator) is the same picture: it takes
    that state at once, so a block follows the picture to other articles and outlets. The nearest copy
    decides; on a tie a block wins. Only blocked and protected images are compared: a small set."""
    matches = images_judged_like(sha256=processed.sha256, phash=processed.phash)
    if not matches:
        return ImageState.OK
    nearest = {m.state for m in matches if m.distance == matches[0].distance}
    return ImageState.BLOCKED if ImageState.BLOCKED in nearest else ImageState.PROTECTED


def images_state_set(
    *, image_ids: Collection[int], state: str, only_from: Collection[str] | None = None
) -> dict[int, str]:
    """Move these images to `state` (moderation: ok, blocked, protected); only those now in `only_from`
    when given. Returns {id: previous state} of the images that changed, locked and updated in one
    transaction, and invalidates every cached page and feed once it commits. Moderation decides; this writes."""
    if state not in ImageState.values:
        raise ValueError(f"unknown image state {state!r}")
    with transaction.atomic():
        rows = Image.objects.select_for_update().filter(pk__in=list(image_ids)).exclude(state=state)
        if only_from is not None:
            rows = rows.filter(state__in=list(only_from))
        before = dict(rows.order_by("pk").values_list("pk", "state"))  # locked in id order
        if before:
            Image.objects.filter(pk__in=list(before)).update(state=state)
            transaction.on_commit(content_changed)
    return before


def _write_once(name: str, data: bytes) -> None:
    """Files are named by content hash, so an existing file already holds these bytes."""
    path = Path(settings.MEDIA_ROOT) / name
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + f".{hashlib.sha1(data).hexdigest()[:8]}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)  # atomic: a reader never sees half a file


