"""Writes to articles, images and categories: idempotent upserts the crawler calls."""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from kiosque.articles.models import Article, Category, Image, TitleRevision
from kiosque.articles.search import index_article
from kiosque.pipeline.types import ProcessedImage
from kiosque.sources.models import Feed, Source

log = logging.getLogger(__name__)

# Fields an update may change; url/canonical_url/guid identify the article and stay.
_CONTENT_FIELDS = ("title", "lead", "text", "html", "content_hash", "language", "language_method", "author")


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
    content_hash: str = field(default="")


@dataclass(frozen=True)
class IngestResult:
    article: Article
    created: bool
    updated: bool


def _find_existing(*, source: Source, draft: ArticleDraft) -> Article | None:
    """Same article if the canonical URL, the feed GUID (within the source) or the URL matches."""
    found = Article.objects.filter(canonical_url=draft.canonical_url).first()
    if found is None and draft.guid:
        found = Article.objects.filter(source=source, guid=draft.guid).first()
    if found is None:
        found = Article.objects.filter(url=draft.url).first()
    return found


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


def _upsert(*, source: Source, feed: Feed | None, draft: ArticleDraft, image: Image | None, now: datetime) -> IngestResult:
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
    changed = [name for name in _CONTENT_FIELDS if getattr(draft, name) and getattr(article, name) != getattr(draft, name)]
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
    categories = [category_for(name) for name in names if name.strip()]
    if categories:
        article.categories.add(*[c for c in categories if c is not None])


def category_for(name: str) -> Category | None:
    clean = " ".join(name.split())[:100]
    slug = slugify(clean, allow_unicode=True)[:100]
    if not slug:
        return None
    category, _ = Category.objects.get_or_create(slug=slug, defaults={"name": clean})
    return category


def image_store(*, origin_url: str, processed: ProcessedImage) -> Image:
    """Keep the display and thumbnail files under MEDIA_ROOT by content hash; one row per origin URL."""
    existing = Image.objects.filter(origin_url=origin_url).first()
    if existing is not None:
        return existing
    ext = processed.output_format
    rel = Path("images") / processed.sha256[:2]
    display_name = str(rel / f"{processed.sha256}-d.{ext}")
    thumb_name = str(rel / f"{processed.sha256}-t.{ext}")
    _write_once(display_name, processed.display)
    _write_once(thumb_name, processed.thumb)
    image, _ = Image.objects.get_or_create(
        origin_url=origin_url,
        defaults={
            "sha256": processed.sha256,
            "phash": processed.phash,
            "mime": processed.mime,
            "width": processed.width,
            "height": processed.height,
            "display_file": display_name,
            "display_width": processed.display_size[0],
            "display_height": processed.display_size[1],
            "thumb_file": thumb_name,
            "thumb_width": processed.thumb_size[0],
            "thumb_height": processed.thumb_size[1],
        },
    )
    return image


def _write_once(name: str, data: bytes) -> None:
    """Files are named by content hash, so an existing file already holds these bytes."""
    path = Path(settings.MEDIA_ROOT) / name
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + f".{hashlib.sha1(data).hexdigest()[:8]}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)  # atomic: a reader never sees half a file


_VERSION_KEY = "kiosque:content-version"


def content_version() -> str:
    """A token that changes whenever what readers see changes (new, updated or moderated content)."""
    version = cache.get(_VERSION_KEY)
    if version is None:
        latest = Article.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
        version = f"db-{latest.timestamp() if latest else 0}"
        cache.set(_VERSION_KEY, version, None)
    return str(version)


def content_changed() -> None:
    """Invalidate every cached page and feed at once (called after a crawl pass or a moderation decision)."""
    cache.set(_VERSION_KEY, f"t-{time.time_ns()}", None)
