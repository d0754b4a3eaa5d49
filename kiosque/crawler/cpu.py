"""Where the crawler's CPU-heavy, pure steps run: in the crawling thread, or in a pool of processes.

Extraction (lxml + trafilatura) and image re-encoding (Pillow) are pure functions of bytes and an options
dataclass, so they can run in other processes and use every core; the crawl threads wait on them with the GIL
released. Everything else (network, database) stays in the crawler process.
"""

from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Protocol, TypeVar

from kiosque.pipeline.extract import extract
from kiosque.pipeline.images import process_image
from kiosque.pipeline.types import ExtractedArticle, ExtractOptions, ImageOptions, ProcessedImage

log = logging.getLogger(__name__)
T = TypeVar("T")


class CpuWork(Protocol):
    def extract(self, content: bytes, options: ExtractOptions) -> ExtractedArticle: ...
    def process_image(self, content: bytes, options: ImageOptions) -> ProcessedImage: ...
    def close(self) -> None: ...


class InlineCpu:
    """Run the steps in the calling thread (tests, one-core machines, `KIOSQUE_CRAWL_PROCESSES=0`)."""

    def extract(self, content: bytes, options: ExtractOptions) -> ExtractedArticle:
        return extract(content, options)

    def process_image(self, content: bytes, options: ImageOptions) -> ProcessedImage:
        return process_image(content, options)

    def close(self) -> None:
        return None


def _warm_up() -> None:
    """Import the heavy libraries once per worker process, before the first page arrives."""
    import trafilatura  # noqa: F401


class ProcessCpu:
    """A pool of `processes` worker processes ("spawn": no forked Django state or database connections)."""

    def __init__(self, processes: int) -> None:
        context = multiprocessing.get_context("spawn")
        self._pool = ProcessPoolExecutor(max_workers=processes, mp_context=context, initializer=_warm_up)
        self._inline = InlineCpu()

    def extract(self, content: bytes, options: ExtractOptions) -> ExtractedArticle:
        return self._run(extract, content, options)

    def process_image(self, content: bytes, options: ImageOptions) -> ProcessedImage:
        return self._run(process_image, content, options)

    def _run(self, fn, content, options):  # type: ignore[no-untyped-def]
        try:
            return self._pool.submit(fn, content, options).result()
        except BrokenProcessPool:
            # A worker died (out of memory, killed): do this item here; the pool stays broken, so log it loudly.
            log.error("CPU worker pool broken; running in the crawler process")
            return fn(content, options)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def cpu_work(processes: int) -> CpuWork:
    return ProcessCpu(processes) if processes > 0 else InlineCpu()
