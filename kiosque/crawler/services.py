"""The crawler's orchestrator: `source_refresh` walks one source down fetch -> parse -> extract -> enrich -> store.

Read it top to bottom like Miniflux's RefreshFeed: each step is one call into a small pipeline module; every
branch logs with fixed keys (source_id, feed_url, url). Only this module composes pipeline stages.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from kiosque.articles import selectors as article_selectors
from kiosque.articles.models import Article, Image
from kiosque.articles.services import article_ingest, image_files_store, image_store
from kiosque.crawler.cpu import CpuWork, DraftHints, InlineCpu, PreparedArticle
from kiosque.crawler.models import EntryFailure
from kiosque.pipeline.errors import BlockedByRobots, PipelineError, Severity
from kiosque.pipeline.fetch import Fetcher
from kiosque.pipeline.parse import parse_feed
from kiosque.pipeline.types import (
    ExtractOptions,
    FeedEntry,
    FeedKind,
    FetchOptions,
    ImageOptions,
    ParsedFeed,
    ParseOptions,
    ProcessedImage,
)
from kiosque.sources.models import Feed, Source
from kiosque.sources.services import BackoffPolicy, feed_record_failure, feed_record_success
from kiosque.writes import serialized_writes

if TYPE_CHECKING:
    from kiosque.crawler.stories import StoryDesk
    from kiosque.pipeline.enrich.stories import StorySignals

log = logging.getLogger(__name__)

Progress = Callable[[str, int], None]  # (event, amount): "article", "error", "feed"


@dataclass(frozen=True)
class CrawlOptions:
    fetch: FetchOptions = field(default_factory=FetchOptions)
    image: ImageOptions = field(default_factory=ImageOptions)
    languages: tuple[str, ...] = ("fr", "ar", "en")
    articles_per_feed: int = 50
    max_child_sitemaps: int = 5
    backoff: BackoffPolicy = field(default_factory=BackoffPolicy)


@dataclass
class RefreshReport:
    source_id: int
    feeds_checked: int = 0
    feeds_failed: int = 0
    articles_created: int = 0
    articles_updated: int = 0
    entries_failed: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: RefreshReport) -> None:
        for name in ("feeds_checked", "feeds_failed", "articles_created", "articles_updated", "entries_failed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors.extend(other.errors)


def _noop(event: str, amount: int) -> None:
    return None


def source_refresh(
    source: Source,
    *,
    feeds: list[Feed],
    fetcher: Fetcher,
    options: CrawlOptions,
    progress: Progress = _noop,
    cpu: CpuWork | None = None,
    stories: StoryDesk | None = None,
) -> RefreshReport:
    """Check each claimed feed of one source and ingest its new articles. One bad feed never stops the others.
    With `stories`, each new article is also grouped (agency copy, story) once stored."""
    report = RefreshReport(source_id=source.pk)
    for feed in feeds:
        report.feeds_checked += 1
        try:
            fetched = _feed_fetch_and_parse(feed, fetcher=fetcher, options=options)
        except Exception as exc:  # noqa: BLE001 - bulkhead: one feed must never stop the others; reason recorded
            error = exc if isinstance(exc, PipelineError) else _internal_error(exc, url=feed.url)
            with serialized_writes():
                feed_record_failure(feed=feed, error=error, now=timezone.now(), policy=options.backoff)
            report.feeds_failed += 1
            report.errors.append(f"{feed.url}: {error.reason}")
            progress("error", 1)
            log.warning("feed failed", extra={"source_id": source.pk, "feed_url": feed.url, "reason": error.reason})
            continue
        if fetched is not None:
            ctx = _Context(fetcher, options, progress, report, cpu or InlineCpu(), stories)
            _entries_ingest(source, feed=feed, fetched=fetched, ctx=ctx)
        progress("feed", 1)
    return report


@dataclass(frozen=True)
class _Context:
    fetcher: Fetcher
    options: CrawlOptions
    progress: Progress
    report: RefreshReport
    cpu: CpuWork
    stories: StoryDesk | None = None


@dataclass(frozen=True)
class _FetchedFeed:
    parsed: ParsedFeed
    etag: str | None
    last_modified: str | None


def _feed_fetch_and_parse(feed: Feed, *, fetcher: Fetcher, options: CrawlOptions) -> _FetchedFeed | None:
    """Fetch the feed with its validators; None when unchanged (304), after recording success."""
    result = fetcher.fetch(feed.url, etag=feed.etag or None, last_modified=feed.last_modified or None)
    if result.not_modified:
        with serialized_writes():
            feed_record_success(feed=feed, now=timezone.now(), etag=feed.etag, last_modified=feed.last_modified)
        return None
    parse_options = ParseOptions(
        base_url=result.final_url,
        listing_selector=feed.listing_selector or None,
        encoding=result.encoding,
        # A listing page is HTML on purpose; for any other kind, HTML means the feed moved or broke.
        expected_kind=FeedKind.LISTING if feed.kind == "listing" else None,
    )
    parsed = parse_feed(result.content, parse_options)
    parsed = _with_child_sitemaps(parsed, fetcher=fetcher, options=options)
    # Validators are saved only after the entries are stored (see _entries_ingest), so a crash mid-way
    # makes the next pass fetch the feed again instead of trusting a 304 for entries never stored.
    return _FetchedFeed(parsed=parsed, etag=result.etag, last_modified=result.last_modified)


def _with_child_sitemaps(parsed: ParsedFeed, *, fetcher: Fetcher, options: CrawlOptions) -> ParsedFeed:
    """A sitemap index lists sitemaps: read the first few and merge their entries."""
    if not parsed.child_feeds:
        return parsed
    entries = list(parsed.entries)
    for child_url in parsed.child_feeds[: options.max_child_sitemaps]:
        child = fetcher.fetch(child_url)
        entries.extend(
            parse_feed(child.content, ParseOptions(base_url=child.final_url, encoding=child.encoding)).entries
        )
    return replace(parsed, entries=tuple(entries), child_feeds=())


def _entries_ingest(source: Source, *, feed: Feed, fetched: _FetchedFeed, ctx: _Context) -> None:
    now = timezone.now()
    language = fetched.parsed.language
    entries, failed_before = _new_entries(fetched.parsed, limit=ctx.options.articles_per_feed, now=now)
    for entry in entries:
        try:
            retried = entry.url in failed_before
            created = _entry_ingest(source, feed=feed, entry=entry, feed_language=language, ctx=ctx, retried=retried)
        except Exception as exc:  # noqa: BLE001 - bulkhead: one page must never stop the feed; reason kept below
            error = exc if isinstance(exc, PipelineError) else _internal_error(exc, url=entry.url)
            with serialized_writes():
                _entry_failure_record(feed=feed, url=entry.url, error=error, now=now)
            ctx.report.entries_failed += 1
            ctx.report.errors.append(f"{entry.url}: {error.reason}")
            ctx.progress("error", 1)
            log.warning("article failed", extra={"source_id": source.pk, "url": entry.url, "reason": error.reason})
            continue
        if created:
            ctx.report.articles_created += 1
        else:
            ctx.report.articles_updated += 1
        ctx.progress("article", 1)
    with serialized_writes():
        feed_record_success(feed=feed, now=timezone.now(), etag=fetched.etag, last_modified=fetched.last_modified)


def _internal_error(exc: Exception, *, url: str) -> PipelineError:
    """A bug (ours or a library's) met on one item: logged with its traceback, recorded with its type."""
    log.exception("internal error", extra={"url": url})
    error = PipelineError(f"internal error: {type(exc).__name__}: {exc}"[:500])
    error.severity = Severity.SOFT
    return error


def _new_entries(parsed: ParsedFeed, *, limit: int, now: datetime) -> tuple[list[FeedEntry], set[str]]:
    """Newest entries first, minus those already stored and those whose retry is not due yet; and the URLs
    among them that failed before (their failure record goes once they are stored)."""
    entries: list[FeedEntry] = []
    seen: set[str] = set()
    for entry in sorted(parsed.entries, key=lambda e: e.published or now, reverse=True):
        if entry.url not in seen and len(entries) < limit:  # a feed may list one URL twice: its newest entry
            seen.add(entry.url)
            entries.append(entry)
    urls = [e.url for e in entries]
    known = article_selectors.article_urls_known(urls)
    failures = dict(EntryFailure.objects.filter(url__in=urls).values_list("url", "next_attempt_at"))
    waiting = {url for url, due in failures.items() if due > now}
    return [e for e in entries if e.url not in known and e.url not in waiting], set(failures)


def _entry_ingest(
    source: Source, *, feed: Feed, entry: FeedEntry, feed_language: str | None, ctx: _Context, retried: bool
) -> bool:
    """Fetch, extract, enrich and store one article; True when it was new."""
    prepared = _article_prepare(source, entry=entry, feed_language=feed_language, ctx=ctx)
    draft = prepared.draft
    image = _image_fetch(draft.image_origin_url, ctx=ctx)
    files = image_files_store(image) if isinstance(image, ProcessedImage) else None  # disk writes: before the lock
    # One transaction for the article, its image, its retry record and, for a new article, its story: one
    # commit, one turn of the write lock.
    with serialized_writes(), transaction.atomic():
        if isinstance(image, ProcessedImage):
            image = image_store(origin_url=draft.image_origin_url, processed=image, files=files)
        result = article_ingest(source=source, feed=feed, draft=draft, image=image, now=timezone.now())
        if retried:
            EntryFailure.objects.filter(url=entry.url).delete()
        placing = ctx.stories is not None and (result.created or result.article.story_id is None)
        # The signals were computed from the draft: they are a new article's own. An updated article keeps some
        # of its stored fields, so its signals are computed again from what is stored, outside this transaction
        # (the pool's work must not hold the write lock).
        signed = placing and result.created and prepared.signals is not None
        if signed:
            _story_place(result.article, stories=ctx.stories, signals=prepared.signals)
    if placing and not signed:
        _story_place(result.article, stories=ctx.stories, signals=None)
    return result.created


def _story_place(article: Article, *, stories: StoryDesk, signals: StorySignals | None) -> None:
    """Group the stored article (agency copy, story). A failure here never costs the article: it is kept
    (the grouping's writes are a savepoint of their own), logged with its reason, and the next repair pass
    groups it."""
    try:
        with transaction.atomic():
            stories.place(article, signals=signals)
    except Exception as exc:  # bulkhead: the article is stored; the reason and traceback are logged
        log.exception("story grouping failed", extra={"url": article.url, "reason": f"{type(exc).__name__}: {exc}"})


def _article_prepare(source: Source, *, entry: FeedEntry, feed_language: str | None, ctx: _Context) -> PreparedArticle:
    """The article page fetched, then extracted, drafted and signed in one step of the CPU pool. Without a page
    (robots.txt forbids it) or without usable text, the feed's own title and summary are all we keep, which is
    still worth showing with the link."""
    content, options = None, None
    try:
        page = ctx.fetcher.fetch(entry.url, accept="text/html,application/xhtml+xml")
    except BlockedByRobots as error:
        log.info("article page disallowed", extra={"url": entry.url, "reason": error.reason})
    else:
        rules = source.extraction_rules or {}
        content = page.content
        options = ExtractOptions(
            url=page.final_url,
            encoding=page.encoding,  # the HTTP header's charset outranks the page's <meta>
            remove_selectors=tuple(rules.get("remove_selectors") or ()),
            body_selector=rules.get("body_selector") or None,
        )
    hints = DraftHints(
        languages=ctx.options.languages,
        feed_language=feed_language,
        now=timezone.now(),
        time_zone=settings.TIME_ZONE,
        signals=ctx.stories is not None,
    )
    prepared = ctx.cpu.prepare(content, options, entry, hints)
    if prepared.page_error:
        log.info("article kept from feed only", extra={"url": entry.url, "reason": prepared.page_error})
    return prepared


def _image_fetch(url: str, *, ctx: _Context) -> Image | ProcessedImage | None:
    """The lead image already stored, or downloaded and verified (stored with the article); an image
    problem never costs the article."""
    if not url:
        return None
    stored = article_selectors.image_by_origin(url)
    if stored is not None:
        return stored
    try:
        result = ctx.fetcher.fetch(url, accept="image/avif,image/webp,image/*")
        return ctx.cpu.process_image(result.content, ctx.options.image)
    except PipelineError as error:
        log.info("image skipped", extra={"url": url, "reason": error.reason})
        return None


def _entry_failure_record(*, feed: Feed, url: str, error: PipelineError, now: datetime) -> None:
    """Remember the failure and retry later: 15 min, then doubling, capped at a day."""
    failure, created = EntryFailure.objects.get_or_create(
        url=url[:1000],
        defaults={"feed": feed, "reason": error.reason, "severity": error.severity.value, "next_attempt_at": now},
    )
    attempts = 1 if created else failure.attempts + 1
    delay = min(timedelta(minutes=15) * 2 ** (attempts - 1), timedelta(days=1))
    EntryFailure.objects.filter(pk=failure.pk).update(
        attempts=F("attempts") + (0 if created else 1),
        reason=error.reason,
        severity=error.severity.value,
        next_attempt_at=now + delay,
    )
