"""robots.txt through the real Fetcher: rules, RFC 9309 status handling, caching, Crawl-delay."""

from __future__ import annotations

import contextlib
import time
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest
from fetch_server import LocalServer, options, send

from kiosque.pipeline.errors import BlockedByRobots, FetchTimeout, Severity
from kiosque.pipeline.fetch import Fetcher

OK = "ok"


def robots(body: str, status: int = 200) -> object:
    return lambda handler: send(handler, status, body.encode(), {"Content-Type": "text/plain"})


def robots_too_slow(handler: BaseHTTPRequestHandler) -> None:
    time.sleep(1.0)
    send(handler, 200, b"User-agent: *\nAllow: /\n")


HUGE = "User-agent: *\nDisallow: /private/\n" + "# padding\n" * 80_000  # 800 KB: parsed up to 512 KiB


@pytest.mark.parametrize(
    ("robots_route", "path", "expected"),
    [
        (robots("User-agent: *\nDisallow: /private/\n"), "/private/a", Severity.SOFT),
        (robots("User-agent: *\nDisallow: /private/\n"), "/public/a", OK),
        # a group for our product token wins over "*"
        (robots("User-agent: KiosqueTest\nDisallow: /\n\nUser-agent: *\nAllow: /\n"), "/a", Severity.SOFT),
        (robots("User-agent: OtherBot\nDisallow: /\n"), "/a", OK),
        # RFC 9309 longest match: Allow /news/ beats Disallow /
        (robots("User-agent: *\nDisallow: /\nAllow: /news/\n"), "/news/a", OK),
        (robots("User-agent: *\nDisallow: /\nAllow: /news/\n"), "/sport/a", Severity.SOFT),
        (robots("User-agent: *\nDisallow: /*?print=\n"), "/a?print=1", Severity.SOFT),
        (robots("User-agent: *\nDisallow: /*.pdf$\n"), "/a.pdf", Severity.SOFT),
        (robots("User-agent: *\nDisallow: /*.pdf$\n"), "/a.pdf.html", OK),
        (robots("", status=404), "/a", OK),  # unavailable: no rules
        (robots("", status=403), "/a", OK),
        (robots("", status=500), "/a", Severity.TEMPORARY),  # unreachable: assume disallow for now
        (robots("", status=503), "/a", Severity.TEMPORARY),
        (robots("", status=429), "/a", Severity.TEMPORARY),
        (robots(HUGE), "/private/a", Severity.SOFT),
        (robots(HUGE), "/a", OK),
    ],
)
def test_robots_rules(server: LocalServer, robots_route: object, path: str, expected: object) -> None:
    server.routes["/robots.txt"] = robots_route  # type: ignore[assignment]
    server.routes[path.split("?")[0]] = lambda handler: send(handler, 200, b"page")
    with Fetcher(options()) as fetcher:
        if expected == OK:
            assert fetcher.fetch(server.url(path)).content == b"page"
            return
        with pytest.raises(BlockedByRobots) as caught:
            fetcher.fetch(server.url(path))
    assert caught.value.severity is expected
    assert caught.value.url == server.url(path)
    assert "robots.txt" in caught.value.reason
    assert server.hits_for(path) == []


def test_robots_redirect_is_followed(server: LocalServer) -> None:
    server.routes["/robots.txt"] = lambda handler: send(handler, 301, b"", {"Location": "/real-robots.txt"})
    server.routes["/real-robots.txt"] = robots("User-agent: *\nDisallow: /\n")  # type: ignore[assignment]
    with Fetcher(options()) as fetcher, pytest.raises(BlockedByRobots):
        fetcher.fetch(server.url("/a"))


def test_unreachable_robots_is_the_page_s_timeout(server: LocalServer) -> None:
    server.routes["/robots.txt"] = robots_too_slow
    with Fetcher(options(read_timeout=0.3)) as fetcher, pytest.raises(FetchTimeout) as caught:
        fetcher.fetch(server.url("/a"))
    assert caught.value.url == server.url("/a")
    assert "fetching robots.txt" in caught.value.reason
    assert server.hits_for("/a") == []


@pytest.mark.parametrize(
    ("robots_route", "ttl_option", "ttl"),
    [
        (robots("User-agent: *\nDisallow: /x\n"), "robots_cache_ttl", 0.3),
        (robots("", status=404), "robots_cache_ttl", 0.3),
        (robots("", status=503), "robots_error_ttl", 0.3),
    ],
)
def test_robots_cached_for_its_ttl(server: LocalServer, robots_route: object, ttl_option: str, ttl: float) -> None:
    server.routes["/robots.txt"] = robots_route  # type: ignore[assignment]
    server.routes["/a"] = lambda handler: send(handler, 200, b"page")
    with Fetcher(options(**{ttl_option: ttl})) as fetcher:
        for _ in range(3):
            with contextlib.suppress(BlockedByRobots):
                fetcher.fetch(server.url("/a"))
        assert len(server.hits_for("/robots.txt")) == 1
        time.sleep(ttl + 0.05)
        with contextlib.suppress(BlockedByRobots):
            fetcher.fetch(server.url("/a"))
    assert len(server.hits_for("/robots.txt")) == 2


@pytest.mark.parametrize("skip", [{"check_robots": False}, {}])
def test_robots_can_be_skipped(server: LocalServer, skip: dict[str, Any]) -> None:
    server.routes["/robots.txt"] = robots("User-agent: *\nDisallow: /\n")  # type: ignore[assignment]
    server.routes["/a"] = lambda handler: send(handler, 200, b"page")
    fetch_options = options() if skip else options(respect_robots=False)
    with Fetcher(fetch_options) as fetcher:
        assert fetcher.fetch(server.url("/a"), **skip).content == b"page"
    assert server.hits_for("/robots.txt") == []


@pytest.mark.parametrize(
    ("crawl_delay", "max_crawl_delay", "expected_gap"),
    [("0.4", 60.0, 0.4), ("30", 0.3, 0.3)],  # honoured; capped by max_crawl_delay
)
def test_crawl_delay_raises_the_host_delay(
    server: LocalServer, crawl_delay: str, max_crawl_delay: float, expected_gap: float
) -> None:
    server.routes["/robots.txt"] = robots(f"User-agent: *\nCrawl-delay: {crawl_delay}\n")  # type: ignore[assignment]
    server.routes["/a"] = lambda handler: send(handler, 200, b"page")
    with Fetcher(options(min_host_delay=0.0, max_crawl_delay=max_crawl_delay)) as fetcher:
        fetcher.fetch(server.url("/a"))
        fetcher.fetch(server.url("/a"))
    first, second = server.hits_for("/a")
    assert expected_gap - 0.02 <= second.at - first.at < expected_gap + 0.3
