"""Where the crawler's CPU-heavy, pure steps run: in the crawling thread, or in a pool of processes.

Extraction (lxml + trafilatura), image re-encoding (Pillow) and the story signals (sentence embedding, MinHash
fingerprint, names/numbers/dates) are pure functions of bytes or text, so they can run in other processes and use
every core; the crawl threads wait on them with the GIL released. Everything else (network, database, the story
assigner's state) stays in the crawler process. Measured with bench/ingest.py: with extraction and images alone in
the pool, the crawler process itself was the bottleneck (34 ms of its CPU per article, 15 of them story grouping,
against 2 x 15 ms in each pool process).

`warm()` loads the models and libraries of every process once (a long-running crawler pays that at start, not on
its first articles): the language detector here, trafilatura, Pillow's codecs and the sentence encoder in each pool
process.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Protocol

import numpy as np
import numpy.typing as npt

from kiosque.pipeline.enrich import detect_language
from kiosque.pipeline.enrich.embed import embed
from kiosque.pipeline.enrich.stories import StoryItem, StorySignals, story_signals
from kiosque.pipeline.extract import extract
from kiosque.pipeline.images import process_image
from kiosque.pipeline.types import ExtractedArticle, ExtractOptions, ImageOptions, ProcessedImage

log = logging.getLogger(__name__)

Vectors = npt.NDArray[np.float32]
_WARM_PAGE = (
    b"<html><head><title>Warm</title></head><body><article><h1>Warm</h1>"
    + b"<p>Une phrase assez longue pour que l'extraction la garde comme texte de l'article.</p>" * 6
    + b"</article></body></html>"
)


class CpuWork(Protocol):
    def extract(self, content: bytes, options: ExtractOptions) -> ExtractedArticle: ...
    def process_image(self, content: bytes, options: ImageOptions) -> ProcessedImage: ...
    def embed(self, texts: Sequence[str]) -> Vectors: ...
    def story_signals(self, item: StoryItem) -> StorySignals: ...
    def warm(self, languages: tuple[str, ...] = ...) -> None: ...
    def close(self) -> None: ...


def _warm_models(*, embedding: bool = True) -> None:
    """Load what the first article would otherwise pay for (seconds in all): trafilatura and its
    helpers, the sentence encoder."""
    try:
        extract(_WARM_PAGE, ExtractOptions(url="https://warm.invalid/article"))
    except Exception:  # warming is best effort; the real call reports real errors
        log.debug("warm-up extraction failed", exc_info=True)
    if embedding:
        embed(["warm up"])


class InlineCpu:
    """Run the steps in the calling thread (tests, one-core machines, `KIOSQUE_CRAWL_PROCESSES=0`)."""

    def extract(self, content: bytes, options: ExtractOptions) -> ExtractedArticle:
        return extract(content, options)

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


def _noop() -> None:
    return None


class ProcessCpu:
    """A pool of `processes` worker processes ("spawn": no forked Django state or database connections)."""

    def __init__(self, processes: int) -> None:
        context = multiprocessing.get_context("spawn")
        self._processes = processes
        self._pool = ProcessPoolExecutor(max_workers=processes, mp_context=context, initializer=_warm_models)

    def extract(self, content: bytes, options: ExtractOptions) -> ExtractedArticle:
        return self._run(extract, content, options)

    def process_image(self, content: bytes, options: ImageOptions) -> ProcessedImage:
        return self._run(process_image, content, options)

    def embed(self, texts: Sequence[str]) -> Vectors:
        return self._run(embed, list(texts))

    def story_signals(self, item: StoryItem) -> StorySignals:
        return self._run(story_signals, item)

    def warm(self, languages: tuple[str, ...] = ("fr", "ar", "en")) -> None:
        """Start every process now (the pool starts them one per pending task) and let each warm up."""
        detect_language("warm up", expected=languages)  # the crawler process detects languages itself
        wait([self._pool.submit(_noop) for _ in range(self._processes)])

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
