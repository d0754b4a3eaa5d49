"""A terminal progress display for crawl passes (sources, articles, errors) with tqdm."""

from __future__ import annotations

import threading
from types import TracebackType

from tqdm import tqdm


class CrawlProgress:
    """Three counters on one bar; thread-safe since sources are refreshed in parallel."""

    def __init__(self, *, enabled: bool = True) -> None:
        self._lock = threading.Lock()
        self.counts = {"source": 0, "article": 0, "error": 0, "feed": 0}
        self._bar = tqdm(total=0, unit="src", desc="crawl", disable=not enabled, dynamic_ncols=True)

    def set_total(self, sources: int) -> None:
        with self._lock:
            self._bar.reset(total=sources)

    def __call__(self, event: str, amount: int) -> None:
        with self._lock:
            self.counts[event] = self.counts.get(event, 0) + amount
            if event == "source":
                self._bar.update(amount)
            self._bar.set_postfix(articles=self.counts["article"], errors=self.counts["error"], refresh=True)

    def __enter__(self) -> CrawlProgress:
        return self

    def __exit__(self, *exc: object | TracebackType) -> None:
        self._bar.close()
