"""robots.txt (RFC 9309), cached per origin.

Parsing is Protego's (Scrapy's parser): unlike urllib.robotparser it implements the RFC's
longest-match precedence and the `*`/`$` wildcards, which real news sites rely on.
What an answer means is RFC 9309 §2.3.1: 2xx parse, 4xx "unavailable" (allow all),
5xx "assume complete disallow" for a while (network failures are the fetcher's errors). We count 429 as unreachable:
it asks us to slow down, not to crawl freely.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from protego import Protego

__all__ = ["MAX_ROBOTS_BYTES", "RobotsAnswer", "RobotsCache", "RobotsPolicy", "policy_from_answer"]

MAX_ROBOTS_BYTES = 512 * 1024  # RFC 9309 §2.5: parse at least 500 KiB, may ignore the rest


@dataclass(frozen=True)
class RobotsAnswer:
    """What fetching /robots.txt gave (after redirects). Network failures are raised, not answered:
    the host is then unreachable for the page too, and that error says it best."""

    status: int
    body: bytes = b""


@dataclass(frozen=True)
class RobotsPolicy:
    origin: str
    expires: float  # time.monotonic() after which it is fetched again
    rules: Protego | None = None  # None: no rules (allow all, or disallow all when unreachable)
    unreachable: str | None = None  # e.g. "HTTP 503": the file can't be read, everything disallowed meanwhile

    def blocked_reason(self, url: str, user_agent: str) -> str | None:
        """Why `url` may not be fetched, or None when it may."""
        if self.unreachable is not None:
            return f"robots.txt of {self.origin} answered {self.unreachable}; assuming disallow for now (RFC 9309)"
        if self.rules is not None and not self.rules.can_fetch(url, user_agent):
            return f"robots.txt of {self.origin} disallows {url} for {user_agent.split('/', 1)[0]}"
        return None

    def crawl_delay(self, user_agent: str) -> float | None:
        if self.rules is None:
            return None
        delay = self.rules.crawl_delay(user_agent)
        return float(delay) if delay is not None else None


def policy_from_answer(answer: RobotsAnswer, *, origin: str, ttl: float, error_ttl: float) -> RobotsPolicy:
    now = time.monotonic()
    status = answer.status
    if status == 429 or status >= 500:
        return RobotsPolicy(origin=origin, expires=now + error_ttl, unreachable=f"HTTP {status}")
    if status >= 400:
        return RobotsPolicy(origin=origin, expires=now + ttl)  # unavailable: no restrictions
    if 200 <= status < 300:
        text = answer.body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
        return RobotsPolicy(origin=origin, expires=now + ttl, rules=Protego.parse(text))
    # 3xx left over: over five redirects, which RFC 9309 §2.3.1.2 lets us treat as unavailable.
    return RobotsPolicy(origin=origin, expires=now + ttl)


class RobotsCache:
    """Thread-safe per-origin cache; one fetch per origin even when many threads ask at once."""

    def __init__(
        self,
        fetch_robots: Callable[[str], RobotsAnswer],
        *,
        ttl: float,
        error_ttl: float,
        max_entries: int = 4096,
    ) -> None:
        self._fetch = fetch_robots
        self._ttl = ttl
        self._error_ttl = error_ttl
        self._max = max_entries
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, RobotsPolicy] = OrderedDict()
        # Striped locks: bounded memory, and origins rarely share a stripe.
        self._stripes = [threading.Lock() for _ in range(64)]

    def policy(self, origin: str) -> RobotsPolicy:
        """The policy for "scheme://host[:port]" (fetches /robots.txt when missing or expired)."""
        cached = self._cached(origin)
        if cached is not None:
            return cached
        with self._stripes[hash(origin) % len(self._stripes)]:
            cached = self._cached(origin)  # another thread may have fetched it while we waited
            if cached is not None:
                return cached
            answer = self._fetch(f"{origin}/robots.txt")
            policy = policy_from_answer(answer, origin=origin, ttl=self._ttl, error_ttl=self._error_ttl)
            with self._lock:
                self._entries[origin] = policy
                self._entries.move_to_end(origin)
                while len(self._entries) > self._max:
                    self._entries.popitem(last=False)
            return policy

    def _cached(self, origin: str) -> RobotsPolicy | None:
        with self._lock:
            policy = self._entries.get(origin)
            if policy is None or policy.expires <= time.monotonic():
                return None
            self._entries.move_to_end(origin)
            return policy
