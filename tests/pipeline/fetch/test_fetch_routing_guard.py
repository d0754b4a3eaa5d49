"""Demo routing (publisher URLs kept, Host header sent) and the private-address guard."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler

import httpcore
import pytest
from fetch_server import LocalServer, options, send

from kiosque.pipeline.errors import FetchError, ForbiddenAddress, InvalidURL, Severity
from kiosque.pipeline.fetch import Fetcher
from kiosque.pipeline.fetch.guard import AddressRefusedError, GuardedBackend


def per_host_robots(handler: BaseHTTPRequestHandler) -> None:
    if handler.headers["Host"] == "closed.example":
        send(handler, 200, b"User-agent: *\nDisallow: /\n")
    else:
        send(handler, 404)


def test_routing_keeps_publisher_urls_and_host(server: LocalServer) -> None:
    server.routes["/robots.txt"] = per_host_robots
    server.routes["/feed.xml"] = lambda handler: send(handler, 200, b"<rss/>", {"Content-Type": "application/rss+xml"})
    with Fetcher(options(route_to=server.base, block_private_addresses=True)) as fetcher:
        result = fetcher.fetch("https://news.example.com/feed.xml?lang=ar")

    assert (result.url, result.final_url) == (
        "https://news.example.com/feed.xml?lang=ar",
        "https://news.example.com/feed.xml?lang=ar",
    )
    assert result.content == b"<rss/>"
    robots, page = server.hits
    assert (robots.path, robots.headers["host"]) == ("/robots.txt", "news.example.com")
    assert (page.path, page.headers["host"], page.headers["x-forwarded-proto"]) == (
        "/feed.xml?lang=ar",
        "news.example.com",
        "https",
    )


@pytest.mark.parametrize(
    ("location", "final_url"),
    [
        ("https://www.example.org/new?x=1", "https://www.example.org/new?x=1"),  # another publisher: routed too
        ("/relative", "http://news.example.com:8080/relative"),
        ("SERVER/back", "http://news.example.com:8080/back"),  # the replay server's own address is mapped back
    ],
)
def test_routed_redirects_stay_publisher_urls(server: LocalServer, location: str, final_url: str) -> None:
    target = location.replace("SERVER", server.base)
    server.routes["/old"] = lambda handler: send(handler, 301, b"", {"Location": target})
    for path in ("/new", "/relative", "/back"):
        server.routes[path] = lambda handler: send(handler, 200, b"moved here")
    with Fetcher(options(route_to=server.base)) as fetcher:
        result = fetcher.fetch("http://news.example.com:8080/old")
    assert (result.final_url, result.content) == (final_url, b"moved here")
    last = server.hits[-1]
    assert last.headers["host"] == final_url.split("/")[2]


def test_routing_applies_robots_of_each_publisher(server: LocalServer) -> None:
    server.routes["/robots.txt"] = per_host_robots
    server.routes["/a"] = lambda handler: send(handler, 200, b"page")
    with Fetcher(options(route_to=server.base)) as fetcher:
        assert fetcher.fetch("http://open.example/a").content == b"page"
        with pytest.raises(FetchError, match=r"robots\.txt of http://closed\.example disallows"):
            fetcher.fetch("http://closed.example/a")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/feed",
        "http://localhost:{port}/feed",
        "http://[::1]:{port}/feed",
        "http://0.0.0.0:{port}/feed",
        "http://10.0.0.1/feed",
        "http://192.168.1.1/admin",
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://[::ffff:127.0.0.1]:{port}/feed",
        "http://2130706433:{port}/feed",  # 127.0.0.1 written as one number
    ],
)
@pytest.mark.parametrize("check_robots", [True, False])
def test_private_addresses_are_refused(server: LocalServer, url: str, check_robots: bool) -> None:
    server.routes["/feed"] = lambda handler: send(handler, 200, b"secret")
    target = url.format(port=server.port)
    with Fetcher(options(block_private_addresses=True)) as fetcher, pytest.raises(ForbiddenAddress) as caught:
        fetcher.fetch(target, check_robots=check_robots)
    assert caught.value.url == target
    assert caught.value.severity is Severity.HARD
    assert "only public addresses are fetched" in caught.value.reason
    assert server.hits == []


def test_guard_is_off_when_disabled(server: LocalServer) -> None:
    server.routes["/feed"] = lambda handler: send(handler, 200, b"local")
    with Fetcher(options(block_private_addresses=False)) as fetcher:
        assert fetcher.fetch(f"http://localhost:{server.port}/feed").content == b"local"


def test_guard_checks_the_connection_itself(server: LocalServer) -> None:
    with pytest.raises(AddressRefusedError, match="loopback"):
        GuardedBackend().connect_tcp("localhost", server.port)
    with pytest.raises(httpcore.ConnectError, match="cannot resolve"):
        GuardedBackend().connect_tcp("does-not-exist.invalid", 80)


@pytest.mark.parametrize(
    "url",
    ["ftp://example.com/feed", "file:///etc/passwd", "javascript:alert(1)", "/relative/feed", "http:///nohost", ""],
)
def test_only_absolute_http_urls(url: str) -> None:
    with Fetcher(options(block_private_addresses=True)) as fetcher, pytest.raises(InvalidURL) as caught:
        fetcher.fetch(url)
    assert caught.value.url == url
    assert caught.value.reason


def test_redirect_to_another_scheme_is_refused(server: LocalServer) -> None:
    server.routes["/go"] = lambda handler: send(handler, 302, b"", {"Location": "file:///etc/passwd"})
    with Fetcher(options()) as fetcher, pytest.raises(InvalidURL):
        fetcher.fetch(server.url("/go"))
