"""Options dataclasses for the pipeline, built once from Django settings (the pipeline reads no settings)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from kiosque.crawler.cpu import CpuWork
from kiosque.crawler.services import CrawlOptions
from kiosque.crawler.stories import StoryDesk
from kiosque.pipeline.enrich.stories import StoryOptions
from kiosque.pipeline.types import FetchOptions, ImageOptions
from kiosque.sources.services import BackoffPolicy


def crawl_options(**overrides: Any) -> CrawlOptions:
    """CrawlOptions from settings.KIOSQUE; keyword overrides replace FetchOptions fields (tests, demo)."""
    k = settings.KIOSQUE
    route_to = k["KIOSQUE_ROUTE_TO"] or None
    fetch_fields: dict[str, Any] = {
        "user_agent": k["KIOSQUE_USER_AGENT"],
        "connect_timeout": k["KIOSQUE_FETCH_CONNECT_TIMEOUT"],
        "read_timeout": k["KIOSQUE_FETCH_READ_TIMEOUT"],
        "max_body_bytes": k["KIOSQUE_FETCH_MAX_BYTES"],
        "max_redirects": k["KIOSQUE_FETCH_MAX_REDIRECTS"],
        "per_host_concurrency": k["KIOSQUE_HOST_CONCURRENCY"],
        "min_host_delay": k["KIOSQUE_HOST_DELAY"],
        "respect_robots": k["KIOSQUE_RESPECT_ROBOTS"],
        "route_to": route_to,
        "block_private_addresses": route_to is None,
    }
    fetch_fields.update(overrides)
    if fetch_fields.get("route_to"):
        fetch_fields["block_private_addresses"] = False
    return CrawlOptions(
        fetch=FetchOptions(**fetch_fields),
        image=ImageOptions(
            display_width=k["KIOSQUE_IMAGE_DISPLAY_WIDTH"],
            thumb_width=k["KIOSQUE_IMAGE_THUMB_WIDTH"],
            output_format=_image_format(k["KIOSQUE_IMAGE_FORMAT"]),
        ),
        languages=tuple(k["KIOSQUE_LANGUAGES"]),
        articles_per_feed=k["KIOSQUE_ARTICLES_PER_FEED"],
        backoff=BackoffPolicy(max_backoff=k["KIOSQUE_MAX_BACKOFF"], disable_after=k["KIOSQUE_DISABLE_AFTER"]),
    )


def _image_format(name: str) -> str:
    fmt = name.strip().lower()
    if fmt not in ("webp", "jpeg"):
        raise ImproperlyConfigured(f"KIOSQUE_IMAGE_FORMAT must be jpeg or webp, not {name!r}")
    return fmt


def story_options() -> StoryOptions:
    """StoryOptions from settings.KIOSQUE (threshold and window; the guard's weights are the measured defaults)."""
    k = settings.KIOSQUE
    return StoryOptions(threshold=k["KIOSQUE_STORY_THRESHOLD"], window=timedelta(hours=k["KIOSQUE_STORY_WINDOW_HOURS"]))


def story_desk(cpu: CpuWork | None = None) -> StoryDesk | None:
    """The process's story grouping, or None when KIOSQUE_STORIES is off. `cpu`: where the embedding and the
    other text signals are computed (the crawler passes its process pool); by default in the calling thread."""
    if not settings.KIOSQUE["KIOSQUE_STORIES"]:
        return None
    if cpu is None:
        return StoryDesk(story_options())
    return StoryDesk(story_options(), embedder=cpu.embed, signals=cpu.story_signals)
