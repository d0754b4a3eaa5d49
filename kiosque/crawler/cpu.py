"""Where the crawler's CPU-heavy, pure steps run: in the crawling thread, or in a pool of processes.

Extraction (lxml + trafilatura), image re-encoding (Pillow) and the story signals (sentence embedding, MinHash
fingerprint, names/numbers/dates) are pure functions of bytes or text, so they can run in other processes and use
every core; the crawl threads wait on them with the GIL released. Everything else (network, database, the story
assigner's state) stays in the crawler process. Measured with bench/ingest.py: with extraction and images alone in
the pool, the crawler process itself was the bottleneck (34 ms of its CPU per article, 15 of them story grouping,
against 2 x 15 ms in each pool process).

`prepare` is the article's whole text step in one call (`prepare_article`): extraction, then the draft (language,
canonical URL, content hash) and the story signals of that draft, so the page's text crosses between processes
once, and the crawl thread waits once.

`warm()` loads the models and libraries of every process once (a long-running crawler pays that at start, not on
its first articles): the language detector here, trafilatura, Pillow's codecs and the sentence encoder in each pool
process.
"""

from __future__ import annotations

import io
import logging
import multiprocessing
import os
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from kiosque.pipeline.enrich import detect_language
from kiosque.pipeline.enrich.draft import ArticleDraft, article_draft
from kiosque.pipeline.enrich.embed import embed
from kiosque.pipeline.enrich.stories import StoryItem, StorySignals, story_signals
from kiosque.pipeline.errors import ExtractError
from kiosque.pipeline.extract import extract
from kiosque.pipeline.images import process_image
from kiosque.pipeline.types import ExtractOptions, FeedEntry, ImageOptions, ProcessedImage

log = logging.getLogger(__name__)

Vectors = npt.NDArray[np.float32]
_WARM_URL = "https://warm.invalid/article"
_WARM_PAGE = (
    b"<html><head><title>Warm</title></head><body><article><h1>Warm</h1>"
    + b"<p>Une phrase assez longue pour que l'extraction la garde comme texte de l'article.</p>" * 6
    + b"</article></body></html>"
)


@dataclass(frozen=True)
class DraftHints:
    """What `prepare_article` needs beside the page: the crawl's settings and the feed's language."""

    languages: tuple[str, ...]
    feed_language: str | None
    now: datetime  # the date of an article that neither its feed nor its page dates
    time_zone: str  # the site's: weekdays in the text ("jeudi") are read in it
    signals: bool = True  # compute the story signals too (story grouping on)


@dataclass(frozen=True)
class PreparedArticle:
    draft: ArticleDraft
    signals: StorySignals | None  # of the draft's title, lead, text, language and local publication day
    page_error: str | None = None  # why the page's own text was not kept: the feed's title and summary are


def prepare_article(
    content: bytes | None, options: ExtractOptions | None, entry: FeedEntry, hints: DraftHints
) -> PreparedArticle:
    """Extract the page (when there is one), draft the article and compute its story signals. An ExtractError
    is raised only when the entry has no title of its own to fall back on."""
    page, page_error = None, None
    if content is not None and options is not None:
        try:
            page = extract(content, options)
        except ExtractError as error:
            if not entry.title:
                raise
            page_error = error.reason
    draft = article_draft(entry, page, languages=hints.languages, feed_language=hints.feed_language, now=hints.now)
    signals = story_signals(draft_story_item(draft, hints.time_zone)) if hints.signals else None
    return PreparedArticle(draft=draft, signals=signals, page_error=page_error)


def draft_story_item(draft: ArticleDraft, time_zone: str) -> StoryItem:
    """The item story grouping sees for the article stored from `draft` (as crawler.stories builds it)."""
    return StoryItem(
        id="",
        lang=draft.language or None,
        title=draft.title,
        lead=draft.lead,
        body=draft.text,
        published=draft.published_at.astimezone(ZoneInfo(time_zone)),
    )


class CpuWork(Protocol):
    def prepare(
        self, content: bytes | None, options: ExtractOptions | None, entry: FeedEntry, hints: DraftHints
    ) -> PreparedArticle: ...
    def process_image(self, content: bytes, options: ImageOptions) -> ProcessedImage: ...
    def embed(self, texts: Sequence[str]) -> Vectors: ...
    def story_signals(self, item: StoryItem) -> StorySignals: ...
    def warm(self, languages: tuple[str, ...] = ...) -> None: ...
    def close(self) -> None: ...


def _warm_models() -> None:
    """Load what the first articles would otherwise pay for (about a second in all, measured with
    bench/ingest.py): trafilatura and its helpers, the language detector, the sentence encoder and the other
    story signals, Pillow's codecs and imagehash (scipy). Idempotent: cheap once done."""
    try:
        hints = DraftHints(("fr", "ar", "en"), None, datetime.now(UTC), "UTC")
        prepare_article(_WARM_PAGE, ExtractOptions(url=_WARM_URL), FeedEntry(url=_WARM_URL, title="Warm"), hints)
        process_image(_warm_picture(), ImageOptions())
    except Exception:  # warming is best effort; the real calls report real errors
        log.debug("warm-up failed", exc_info=True)


def _warm_picture() -> bytes:
    from PIL import Image  # the image stage's own library; imported here so the pipeline stays lazy about it

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def _warm_process() -> int:
    """Run in a pool process: warm it (its initializer did, unless it is still starting) and say which it is."""
    _warm_models()
    time.sleep(0.05)  # long enough for the other processes to take the other warm-up tasks
    return os.getpid()


class InlineCpu:
    """Run the steps in the calling thread (tests, one-core machines, `KIOSQUE_CRAWL_PROCESSES=0`)."""

    def prepare(
        self, content: bytes | None, options: ExtractOptions | None, entry: FeedEntry, hints: DraftHints
    ) -> PreparedArticle:
        return prepare_article(content, options, entry, hints)

    def process_image(self, content: bytes, options: ImageOptions) -> ProcessedImage:
        return process_image(content, options)

    def embed(self, texts: Sequence[str]) -> Vectors:
        return embed(texts)

    def story_signals(self, item: StoryItem) -> StorySignals:
        return story_signals(item)

    def warm(self, languages: tuple[str, ...] = ("fr", "ar", "en")) -> None:
        detect_language("warm up", expected=languages)
        _warm_models()

    def close(self) -> None:
        return None


class ProcessCpu:
    """A pool of `processes` worker processes ("spawn": no forked Django state or database connections)."""

    def __init__(self, processes: int) -> None:
        context = multiprocessing.get_context("spawn")
        self._processes = processes
        self._pool = ProcessPoolExecutor(max_workers=processes, mp_context=context, initializer=_warm_models)

    def prepare(
        self, content: bytes | None, options: ExtractOptions | None, entry: FeedEntry, hints: DraftHints
    ) -> PreparedArticle:
        return self._run(prepare_article, content, options, entry, hints)

    def process_image(self, content: bytes, options: ImageOptions) -> ProcessedImage:
        return self._run(process_image, content, options)

    def embed(self, texts: Sequence[str]) -> Vectors:
        return self._run(embed, list(texts))

    def story_signals(self, item: StoryItem) -> StorySignals:
        return self._run(story_signals, item)

    def warm(self, languages: tuple[str, ...] = ("fr", "ar", "en")) -> None:
        """Start every process now (the pool starts them one per pending task) and let each warm up."""
        # Languages are detected in the pool (prepare_article), which warms its own detector.
        warmed: set[int] = set()
        for _ in range(5):  # until every process answered (one may still be starting while another answers)
            warmed.update(f.result() for f in [self._pool.submit(_warm_process) for _ in range(self._processes)])
            if len(warmed) >= self._processes:
                return

    def _run(self, fn, *args):  # type: ignore[no-untyped-def]
        try:
            return self._pool.submit(fn, *args).result()
        except BrokenProcessPool:
            # A worker died (out of memory, killed): do this item here; the pool stays broken, so log it loudly.
            log.error("CPU worker pool broken; running in the crawler process")
            return fn(*args)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def cpu_work(processes: int) -> CpuWork:
    return ProcessCpu(processes) if processes > 0 else InlineCpu()
