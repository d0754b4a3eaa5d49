"""Per-host politeness: at most N requests in flight and a minimum delay between request starts.

`HostLimiter` is the interface; `InProcessHostLimiter` serves the threads of one process,
`RedisHostLimiter` (redis_limits.py) is shared by every worker on every machine.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol, runtime_checkable

__all__ = ["HostBusyError", "HostLimiter", "HostLimiterError", "InProcessHostLimiter"]


class HostBusyError(TimeoutError):
    """No politeness slot for the host within the wait timeout (the fetcher reports FetchTimeout)."""


class HostLimiterError(RuntimeError):
    """The limiter's backend (e.g. Redis) failed: the fetcher reports NetworkError (temporary)."""


@runtime_checkable
class HostLimiter(Protocol):
    def slot(
        self, host: str, *, min_delay: float, max_concurrency: int, timeout: float
    ) -> AbstractContextManager[None]:
        """Block until a request to `host` may start; hold the slot for the `with` body.

        Starts to one host are at least `min_delay` seconds apart and at most `max_concurrency`
        slots are held at once. Raises HostBusyError when that takes longer than `timeout`.
        """
        ...


class InProcessHostLimiter:
    """Thread-safe limiter for one process (the crawler's thread pool)."""

    _PRUNE_ABOVE = 10_000  # hosts remembered before stale "next start" times are dropped

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._active: dict[str, int] = {}
        self._next_start: dict[str, float] = {}

    @contextmanager
    def slot(self, host: str, *, min_delay: float, max_concurrency: int, timeout: float) -> Iterator[None]:
        deadline = time.monotonic() + timeout
        start = self._reserve(host, min_delay=min_delay, max_concurrency=max_concurrency, deadline=deadline)
        try:
            wait = start - time.monotonic()
            if wait > deadline - time.monotonic():
                raise HostBusyError(f"next request to {host} allowed in {wait:.1f}s, over the {timeout:.1f}s wait")
            if wait > 0:
                time.sleep(wait)  # outside the lock: other hosts are not held up
            yield
        finally:
            with self._cond:
                self._active[host] -= 1
                if not self._active[host]:
                    del self._active[host]
                self._cond.notify_all()

    def _reserve(self, host: str, *, min_delay: float, max_concurrency: int, deadline: float) -> float:
        """Take a concurrency slot and book the next start time; returns that start time."""
        with self._cond:
            while self._active.get(host, 0) >= max(1, max_concurrency):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise HostBusyError(f"{max_concurrency} requests to {host} already in flight")
                self._cond.wait(remaining)
            self._active[host] = self._active.get(host, 0) + 1
            now = time.monotonic()
            start = max(now, self._next_start.get(host, now))
            self._next_start[host] = start + max(0.0, min_delay)
            if len(self._next_start) > self._PRUNE_ABOVE:
                self._next_start = {h: t for h, t in self._next_start.items() if t > now}
            return start
