"""Per-host politeness shared by all workers on all machines, in Redis.

Two keys per host:
- `<prefix><host>:next`: "SET NX PX <delay>": whoever sets it may start now; the others wait
  for it to expire. So starts to a host are at least `min_delay` apart across every worker.
- `<prefix><host>:sem`: a counted semaphore, a sorted set of lease tokens scored by expiry
  (Redis server time). Expired leases are dropped before counting, so a worker that died
  holding a slot frees it after `lease_seconds` instead of blocking the host forever.
"""

from __future__ import annotations

import logging
import math
import random
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import redis

from .limits import HostBusyError, HostLimiterError

__all__ = ["RedisHostLimiter"]

log = logging.getLogger(__name__)

# Atomic "evict expired leases, then take one if under the cap". Server time, so clocks of the
# worker machines don't matter.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
  return 1
end
return 0
"""


class RedisHostLimiter:
    """`HostLimiter` backed by Redis (e.g. KIOSQUE_REDIS_URL), shared across processes and machines.

    `lease_seconds` must exceed the longest request (FetchOptions.total_timeout plus margin).
    """

    def __init__(
        self,
        redis_url: str,
        *,
        prefix: str = "kiosque:fetch:host:",
        lease_seconds: float = 120.0,
        poll_interval: float = 0.05,
    ) -> None:
        self._redis = redis.Redis.from_url(redis_url, socket_timeout=5.0, socket_connect_timeout=5.0)
        self._acquire = self._redis.register_script(_ACQUIRE)
        self._prefix = prefix
        self._lease_ms = max(1, math.ceil(lease_seconds * 1000))
        self._poll = poll_interval

    def close(self) -> None:
        self._redis.close()

    @contextmanager
    def slot(self, host: str, *, min_delay: float, max_concurrency: int, timeout: float) -> Iterator[None]:
        deadline = time.monotonic() + timeout
        sem_key = f"{self._prefix}{host}:sem"
        token = uuid.uuid4().hex
        try:
            self._take_lease(sem_key, token, max_concurrency=max(1, max_concurrency), deadline=deadline)
        except redis.RedisError as exc:
            raise HostLimiterError(f"host limiter (Redis) failed: {exc}") from exc
        try:
            try:
                self._wait_start(f"{self._prefix}{host}:next", min_delay=min_delay, deadline=deadline, host=host)
            except redis.RedisError as exc:
                raise HostLimiterError(f"host limiter (Redis) failed: {exc}") from exc
            yield
        finally:
            self._release(sem_key, token)

    def _take_lease(self, key: str, token: str, *, max_concurrency: int, deadline: float) -> None:
        while not self._acquire(keys=[key], args=[max_concurrency, self._lease_ms, token]):
            if time.monotonic() >= deadline:
                raise HostBusyError(f"{max_concurrency} requests to {key} already in flight across workers")
            self._nap(self._poll, deadline)

    def _wait_start(self, key: str, *, min_delay: float, deadline: float, host: str) -> None:
        delay_ms = math.ceil(min_delay * 1000)
        if delay_ms <= 0:
            return
        while not self._redis.set(key, "1", nx=True, px=delay_ms):
            pttl = self._redis.pttl(key)
            wait = pttl / 1000 if isinstance(pttl, int) and pttl > 0 else 0.001
            if time.monotonic() + wait > deadline:
                raise HostBusyError(f"next request to {host} allowed in {wait:.1f}s, over the wait limit")
            self._nap(wait, deadline)

    def _nap(self, seconds: float, deadline: float) -> None:
        # A little jitter so workers polling the same host don't wake in lockstep.
        time.sleep(max(0.0, min(seconds + random.uniform(0, self._poll / 2), deadline - time.monotonic())))

    def _release(self, key: str, token: str) -> None:
        try:
            self._redis.zrem(key, token)
        except redis.RedisError as exc:  # the lease expires by itself; say so and move on
            log.warning("host limiter release failed, lease will expire", extra={"key": key, "error": str(exc)})
