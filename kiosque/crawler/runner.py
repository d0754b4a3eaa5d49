"""Running the crawler: one pass over the due feeds (threads across sources), or passes until SIGTERM."""

from __future__ import annotations

import logging
import os
import queue
import socket
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connection
from django.utils import timezone

from kiosque.articles.services import content_changed
from kiosque.crawler.config import story_desk
from kiosque.crawler.cpu import CpuWork, cpu_work
from kiosque.crawler.scheduler import feed_release, feeds_claim_due, next_due_at
from kiosque.crawler.services import CrawlOptions, Progress, RefreshReport, source_refresh
from kiosque.crawler.stories import StoryDesk
from kiosque.maintenance import statistics_refresh_if_due
from kiosque.pipeline.fetch import Fetcher, HostLimiter, InProcessHostLimiter
from kiosque.sources.models import Feed

log = logging.getLogger(__name__)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _noop(event: str, amount: int) -> None:
    return None


def crawl_pass(
    *,
    options: CrawlOptions,
    worker: str | None = None,
    progress: Progress = _noop,
    limiter: HostLimiter | None = None,
    on_claimed: Callable[[int], None] | None = None,
    cpu: CpuWork | None = None,
    stories: StoryDesk | None = None,
) -> RefreshReport:
    """Claim the due feeds and refresh their sources in parallel; returns the summed report.
    New articles are grouped into stories by `stories` (by default a desk of this pass, if KIOSQUE_STORIES)."""
    worker = worker or worker_name()
    feeds = feeds_claim_due(worker=worker, now=timezone.now(), lease_seconds=settings.KIOSQUE["KIOSQUE_LEASE_SECONDS"])
    by_source: dict[int, list[Feed]] = defaultdict(list)
    for feed in feeds:
        by_source[feed.source_id].append(feed)
    if on_claimed:
        on_claimed(len(by_source))
    total = RefreshReport(source_id=0)
    if not by_source:
        return total
    stories = stories or story_desk(cpu)
    with Fetcher(options.fetch, limiter=limiter) as fetcher:

        def refresh(group: list[Feed]) -> RefreshReport:
            try:
                return source_refresh(
                    group[0].source,
                    feeds=group,
                    fetcher=fetcher,
                    options=options,
                    progress=progress,
                    cpu=cpu,
                    stories=stories,
                )
            finally:
                for feed in group:  # a crash must not leave the lease held until it expires
                    feed_release(feed)
                progress("source", 1)
                _connection_drop_if_broken()

        groups: queue.SimpleQueue[list[Feed]] = queue.SimpleQueue()
        for group in by_source.values():
            groups.put(group)

        def crawl_thread() -> RefreshReport:
            # Each thread takes sources until none is left and keeps one database connection for all of them
            # (opening one costs ~1.5 ms of CPU: once per source was ~0.7 ms per article, bench/ingest.py).
            report = RefreshReport(source_id=0)
            try:
                while True:
                    try:
                        group = groups.get_nowait()
                    except queue.Empty:
                        return report
                    report.add(refresh(group))
            finally:
                if threading.current_thread() is not threading.main_thread():
                    connection.close()

        workers = max(1, min(settings.KIOSQUE["KIOSQUE_CRAWL_WORKERS"], len(by_source)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="crawl") as pool:
            for report in pool.map(lambda _: crawl_thread(), range(workers)):
                total.add(report)
    if total.articles_created or total.articles_updated:
        content_changed()  # cached pages and feeds show the new articles from now on
        statistics_refresh_if_due()  # the planner's statistics follow the growing tables (kiosque/maintenance.py)
    return total


def _connection_drop_if_broken() -> None:
    """Between two sources: a connection left broken (server restarted, network) or out of autocommit by an
    error is closed, so the thread's next source opens a fresh one: the checks of Django's
    close_if_unusable_or_obsolete without its age limit, which here (no CONN_MAX_AGE) closes every connection."""
    if connection.connection is None:
        return
    if not connection.get_autocommit() or (connection.errors_occurred and not connection.is_usable()):
        connection.close()
    else:
        connection.errors_occurred = False


def crawl_forever(*, options: CrawlOptions, stop: threading.Event, progress: Progress = _noop) -> None:
    """Passes until `stop` is set (SIGTERM/SIGINT); sleeps until the next feed is due, waking early on stop."""
    limiter = _shared_limiter(options)
    cpu = cpu_work(settings.KIOSQUE["KIOSQUE_CRAWL_PROCESSES"])
    try:
        cpu.warm(options.languages)
        _crawl_loop(options=options, stop=stop, progress=progress, limiter=limiter, cpu=cpu)
    finally:
        cpu.close()


def _crawl_loop(
    *, options: CrawlOptions, stop: threading.Event, progress: Progress, limiter: HostLimiter, cpu: CpuWork
) -> None:
    stories = story_desk(cpu)  # one for the process: its assigner stays warm from pass to pass
    repair_every = 60.0 * settings.KIOSQUE["KIOSQUE_STORY_REPAIR_MINUTES"]
    next_repair = time.monotonic() + repair_every
    while not stop.is_set():
        report = crawl_pass(options=options, progress=progress, limiter=limiter, cpu=cpu, stories=stories)
        if report.feeds_checked:
            log.info("crawl pass", extra={"feeds": report.feeds_checked, "created": report.articles_created})
        if stories is not None and repair_every > 0 and time.monotonic() >= next_repair:
            _stories_repair(stories)
            next_repair = time.monotonic() + repair_every
        due = next_due_at()
        wait = 30.0 if due is None else (due - timezone.now()).total_seconds()
        stop.wait(timeout=min(max(wait, 1.0), 60.0))


def _stories_repair(stories: StoryDesk) -> None:
    """The periodic repair pass; a failure is logged with its reason and the crawler goes on."""
    try:
        stories.repair()
    except Exception as exc:  # bulkhead: crawling must go on; the reason and traceback are logged
        log.exception("story repair failed", extra={"reason": f"{type(exc).__name__}: {exc}"})


def _shared_limiter(options: CrawlOptions) -> HostLimiter:
    """One limiter for all passes, so host delays hold across passes too. With Redis configured,
    per-host limits are shared by every worker on every machine."""
    url = settings.KIOSQUE["KIOSQUE_REDIS_URL"]
    if not url:
        return InProcessHostLimiter()
    from kiosque.pipeline.fetch import RedisHostLimiter

    return RedisHostLimiter(url, lease_seconds=options.fetch.total_timeout + 60)
