"""Writes to sources and feeds: creation, OPML import, and the health/backoff bookkeeping of a feed."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from kiosque.pipeline.errors import HTTPStatusError, PipelineError, Severity
from kiosque.sources.models import Feed, FeedKind, Source

log = logging.getLogger(__name__)

# How much one failure adds to a feed's score. A hard failure (404, not a feed) disables a feed after a few
# tries; a temporary one (timeout, 503) needs many in a row. A success resets the score.
FAILURE_WEIGHTS = {Severity.HARD: 4.0, Severity.SOFT: 2.0, Severity.TEMPORARY: 1.0}


@dataclass(frozen=True)
class BackoffPolicy:
    max_backoff: int = 24 * 3600
    disable_after: float = 20.0


def _unique_slug(name: str) -> str:
    base = slugify(name)[:90] or "source"
    slug, n = base, 2
    while Source.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def source_create(
    *,
    name: str,
    homepage: str = "",
    languages: list[str] | None = None,
    country: str = "",
    slug: str | None = None,
    extraction_rules: dict[str, object] | None = None,
) -> Source:
    return Source.objects.create(
        name=name,
        slug=slug or _unique_slug(name),
        homepage=homepage,
        languages=languages or [],
        country=country,
        extraction_rules=extraction_rules or {},
    )


def feed_add(
    *, source: Source, url: str, kind: str = FeedKind.RSS, listing_selector: str = "", interval: int = 900
) -> Feed:
    """Add a feed to a source, or return the existing one with that URL (idempotent)."""
    feed, created = Feed.objects.get_or_create(
        url=url,
        defaults={"source": source, "kind": kind, "listing_selector": listing_selector, "interval_seconds": interval},
    )
    if not created and (feed.kind != kind or feed.listing_selector != listing_selector):
        feed.kind, feed.listing_selector = kind, listing_selector
        feed.save(update_fields=["kind", "listing_selector"])
    return feed


def feed_record_success(*, feed: Feed, now: datetime, etag: str | None, last_modified: str | None) -> None:
    """A good check: keep the validators, clear the failure state, schedule the next regular check."""
    Feed.objects.filter(pk=feed.pk).update(
        etag=(etag or "")[:500],
        last_modified=(last_modified or "")[:100],
        last_checked_at=now,
        last_success_at=now,
        failure_score=0.0,
        consecutive_failures=0,
        next_check_at=now + timedelta(seconds=feed.interval_seconds),
        lease_owner="",
        lease_until=None,
    )


def feed_record_failure(*, feed: Feed, error: PipelineError, now: datetime, policy: BackoffPolicy) -> Feed:
    """Record why a check failed, back off exponentially, and disable the feed once its score is too high.

    A Retry-After from the server wins over our own backoff when it asks for longer.
    """
    feed.refresh_from_db()
    failures = feed.consecutive_failures + 1
    score = feed.failure_score + FAILURE_WEIGHTS[error.severity]
    delay = min(policy.max_backoff, feed.interval_seconds * 2 ** min(failures - 1, 16))
    retry_after = getattr(error, "retry_after", None)
    if retry_after:
        delay = max(delay, min(float(retry_after), policy.max_backoff))
    updates: dict[str, object] = {
        "last_checked_at": now,
        "last_error": error.reason[:2000],
        "last_error_kind": error.severity.value,
        "last_error_at": now,
        "consecutive_failures": failures,
        "failure_score": score,
        "next_check_at": now + timedelta(seconds=delay),
        "lease_owner": "",
        "lease_until": None,
    }
    if score >= policy.disable_after:
        updates["enabled"] = False
        updates["disabled_reason"] = _disabled_reason(error, failures)
    Feed.objects.filter(pk=feed.pk).update(**updates)
    log.warning(
        "feed failure", extra={"feed_url": feed.url, "reason": error.reason, "failures": failures, "delay": delay}
    )
    feed.refresh_from_db()
    return feed


def _disabled_reason(error: PipelineError, failures: int) -> str:
    status = f" (HTTP {error.status})" if isinstance(error, HTTPStatusError) else ""
    return f"Disabled after {failures} failed checks; last error{status}: {error.reason}"


def feed_enable(*, feed: Feed, now: datetime) -> None:
    """An operator re-enables a feed: forget its failures and check it soon."""
    Feed.objects.filter(pk=feed.pk).update(
        enabled=True, disabled_reason="", failure_score=0.0, consecutive_failures=0, next_check_at=now
    )


@transaction.atomic
def sources_import_outlines(*, outlines: list[tuple[str, str, str, str]], languages: list[str] | None = None) -> int:
    """Create a source and an RSS feed for each (title, xml_url, html_url, kind) outline; returns feeds added."""
    added = 0
    for title, xml_url, html_url, kind in outlines:
        if Feed.objects.filter(url=xml_url).exists():
            continue
        source = Source.objects.filter(homepage=html_url).first() if html_url else None
        source = source or source_create(name=title or xml_url, homepage=html_url, languages=languages)
        feed_add(source=source, url=xml_url, kind=kind)
        added += 1
    return added


def source_upsert(
    *,
    slug: str,
    name: str,
    homepage: str = "",
    languages: list[str] | None = None,
    country: str = "",
    extraction_rules: dict[str, object] | None = None,
    feeds: list[dict[str, str]] | None = None,
    check_now: bool = False,
) -> Source:
    """Create or update a source and its feeds from a description (demo snapshot, fixtures, provisioning)."""
    source, _ = Source.objects.update_or_create(
        slug=slug,
        defaults={
            "name": name,
            "homepage": homepage,
            "languages": languages or [],
            "country": country,
            "extraction_rules": extraction_rules or {},
        },
    )
    for spec in feeds or []:
        feed = feed_add(
            source=source,
            url=spec["url"],
            kind=spec.get("kind", "rss"),
            listing_selector=spec.get("listing_selector") or "",
        )
        if check_now:
            Feed.objects.filter(pk=feed.pk).update(next_check_at=timezone.now(), enabled=True, disabled_reason="")
    return source
