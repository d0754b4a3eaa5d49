"""Per-host politeness, in process and shared through the real Redis at 127.0.0.1:6379.

Timestamps are taken where requests arrive (the server) or where slots are entered.
"""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler

import pytest
import redis
from fetch_server import LocalServer, options, send

from kiosque.pipeline.errors import FetchTimeout, NetworkError
from kiosque.pipeline.fetch import (
    Fetcher,
    HostBusyError,
    HostLimiter,
    HostLimiterError,
    InProcessHostLimiter,
    RedisHostLimiter,
)

REDIS_URL = "redis://127.0.0.1:6379/0"
SLACK = 0.03  # scheduling jitter allowed below a minimum gap


def slow_page(handler: BaseHTTPRequestHandler) -> None:
    time.sleep(0.2)
    send(handler, 200, b"page")


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError as exc:
        client.close()
        pytest.skip(f"Redis at {REDIS_URL} is unreachable ({exc}); start redis-server to run the shared-limiter tests")
    prefix = f"kiosque-test:{uuid.uuid4().hex}:"
    yield prefix
    keys = list(client.scan_iter(match=prefix + "*"))
    if keys:
        client.delete(*keys)
    client.close()


LimiterFactory = Callable[[], HostLimiter]


@pytest.fixture(params=["in-process", "redis"])
def make_limiter(request: pytest.FixtureRequest) -> Iterator[LimiterFactory]:
    """Workers' limiters: in-process ones share one instance (threads); Redis ones are separate (machines)."""
    if request.param == "in-process":
        shared = InProcessHostLimiter()
        yield lambda: shared
        return
    prefix = request.getfixturevalue("redis_prefix")
    made: list[RedisHostLimiter] = []

    def factory() -> HostLimiter:
        made.append(RedisHostLimiter(REDIS_URL, prefix=prefix, lease_seconds=5.0, poll_interval=0.01))
        return made[-1]

    yield factory
    for limiter in made:
        limiter.close()


def enter_times(
    limiters: list[HostLimiter], *, host: str, min_delay: float, max_concurrency: int, hold: float
) -> tuple[list[float], int]:
    """Each limiter (a worker) enters a slot twice, from its own thread; returns entry times and peak holders."""
    entries: list[float] = []
    holding = peak = 0
    lock = threading.Lock()

    def work(limiter: HostLimiter) -> None:
        nonlocal holding, peak
        for _ in range(2):
            with limiter.slot(host, min_delay=min_delay, max_concurrency=max_concurrency, timeout=10):
                with lock:
                    entries.append(time.monotonic())
                    holding += 1
                    peak = max(peak, holding)
                time.sleep(hold)
                with lock:
                    holding -= 1

    with ThreadPoolExecutor(len(limiters)) as pool:
        list(pool.map(work, limiters))
    return sorted(entries), peak


def test_limiter_spaces_starts_across_workers(make_limiter: LimiterFactory) -> None:
    limiters = [make_limiter(), make_limiter()]
    entries, _ = enter_times(limiters, host="news.example", min_delay=0.15, max_concurrency=10, hold=0.0)
    gaps = [b - a for a, b in itertools.pairwise(entries)]
    assert len(entries) == 4
    assert min(gaps) >= 0.15 - SLACK


def test_limiter_caps_concurrency_across_workers(make_limiter: LimiterFactory) -> None:
    limiters = [make_limiter() for _ in range(4)]
    entries, peak = enter_times(limiters, host="news.example", min_delay=0.0, max_concurrency=2, hold=0.15)
    assert len(entries) == 8
    assert peak == 2
    assert entries[-1] - entries[0] >= 3 * 0.15 - SLACK  # 8 holds of 0.15 s, two at a time


def test_limiter_gives_up_after_its_timeout(make_limiter: LimiterFactory) -> None:
    holder, waiter = make_limiter(), make_limiter()
    with holder.slot("busy.example", min_delay=0.0, max_concurrency=1, timeout=1):
        started = time.monotonic()
        with pytest.raises(HostBusyError), waiter.slot("busy.example", min_delay=0.0, max_concurrency=1, timeout=0.2):
            pass
        assert 0.2 - SLACK <= time.monotonic() - started < 0.6


def test_hosts_are_independent(make_limiter: LimiterFactory) -> None:
    limiter = make_limiter()
    started = time.monotonic()
    for host in ("a.example", "b.example", "c.example"):
        with limiter.slot(host, min_delay=5.0, max_concurrency=1, timeout=1):
            pass
    assert time.monotonic() - started < 0.5


def test_redis_lease_of_a_dead_worker_expires(redis_prefix: str) -> None:
    dead = RedisHostLimiter(REDIS_URL, prefix=redis_prefix, lease_seconds=0.4, poll_interval=0.01)
    alive = RedisHostLimiter(REDIS_URL, prefix=redis_prefix, lease_seconds=0.4, poll_interval=0.01)
    started = time.monotonic()
    held = dead.slot("news.example", min_delay=0.0, max_concurrency=1, timeout=1)
    held.__enter__()  # the worker "dies" holding the slot: no __exit__ until the test is over
    try:
        with pytest.raises(HostBusyError):  # the lease still counts...
            alive.slot("news.example", min_delay=0.0, max_concurrency=1, timeout=0.1).__enter__()
        with alive.slot("news.example", min_delay=0.0, max_concurrency=1, timeout=2):  # ...until it expires
            assert time.monotonic() - started >= 0.4 - SLACK
    finally:
        held.__exit__(None, None, None)
        dead.close()
        alive.close()


def test_redis_down_is_a_limiter_error_then_a_network_error(server: LocalServer) -> None:
    limiter = RedisHostLimiter("redis://127.0.0.1:1/0")  # nothing listens on port 1
    try:
        with pytest.raises(HostLimiterError), limiter.slot("a.example", min_delay=0, max_concurrency=1, timeout=1):
            pass
        with Fetcher(options(), limiter=limiter) as fetcher, pytest.raises(NetworkError) as caught:
            fetcher.fetch(server.url("/a"), check_robots=False)
        assert "Redis" in caught.value.reason
    finally:
        limiter.close()


# ------------------------------------------------------------ through the Fetcher
def fetch_in_threads(fetchers: list[Fetcher], urls: list[str]) -> None:
    with ThreadPoolExecutor(len(urls)) as pool:
        list(pool.map(lambda i: fetchers[i % len(fetchers)].fetch(urls[i], check_robots=False), range(len(urls))))


def test_fetcher_spaces_requests_to_one_host(server: LocalServer) -> None:
    server.routes["/a"] = lambda handler: send(handler, 200, b"page")
    with Fetcher(options(min_host_delay=0.15)) as fetcher:
        fetch_in_threads([fetcher], [server.url("/a")] * 4)
    arrivals = [hit.at for hit in server.hits_for("/a")]
    assert len(arrivals) == 4
    assert min(b - a for a, b in itertools.pairwise(arrivals)) >= 0.15 - SLACK


def test_fetcher_caps_concurrent_requests_to_one_host(server: LocalServer) -> None:
    server.routes["/slow"] = slow_page
    with Fetcher(options(per_host_concurrency=2)) as fetcher:
        fetch_in_threads([fetcher], [server.url("/slow")] * 6)
    assert len(server.hits_for("/slow")) == 6
    assert server.max_in_flight == 2


def test_fetcher_does_not_hold_one_host_back_for_another(server: LocalServer) -> None:
    server.routes["/a"] = lambda handler: send(handler, 200, b"page")
    routed = options(route_to=server.base, min_host_delay=5.0, per_host_concurrency=1)
    with Fetcher(routed) as fetcher:
        fetch_in_threads([fetcher], [f"https://{name}.example/a" for name in ("lemonde", "aljazeera", "bbc")])
    arrivals = sorted(hit.at for hit in server.hits_for("/a"))
    assert {hit.headers["host"] for hit in server.hits} == {"lemonde.example", "aljazeera.example", "bbc.example"}
    assert arrivals[-1] - arrivals[0] < 0.5


def test_two_workers_share_politeness_through_redis(server: LocalServer, redis_prefix: str) -> None:
    server.routes["/slow"] = slow_page
    worker_options = options(min_host_delay=0.1, per_host_concurrency=1)
    limiters = [RedisHostLimiter(REDIS_URL, prefix=redis_prefix, poll_interval=0.01) for _ in range(2)]
    fetchers = [Fetcher(worker_options, limiter=limiter) for limiter in limiters]
    try:
        fetch_in_threads(fetchers, [server.url("/slow")] * 4)
    finally:
        for fetcher, limiter in zip(fetchers, limiters, strict=True):
            fetcher.close()
            limiter.close()
    arrivals = [hit.at for hit in server.hits_for("/slow")]
    assert len(arrivals) == 4
    assert server.max_in_flight == 1
    assert min(b - a for a, b in itertools.pairwise(arrivals)) >= 0.2 - SLACK  # one at a time


def test_politeness_wait_over_the_limit_is_a_timeout(server: LocalServer) -> None:
    server.routes["/a"] = lambda handler: send(handler, 200, b"page")
    with Fetcher(options(min_host_delay=2.0, host_wait_timeout=0.2)) as fetcher:
        fetcher.fetch(server.url("/a"), check_robots=False)
        with pytest.raises(FetchTimeout) as caught:
            fetcher.fetch(server.url("/a"), check_robots=False)
    assert "politeness" in caught.value.reason
    assert len(server.hits_for("/a")) == 1
