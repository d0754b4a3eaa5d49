"""The real Fetcher against a real local HTTP server: answers, validators, statuses, caps, redirects."""

from __future__ import annotations

import email.utils
import gzip
import importlib.util
import socket
import time
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest
from fetch_server import FAST, LocalServer, options, send

from kiosque.pipeline.errors import (
    BlockedByRobots,
    BodyTooLarge,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    NetworkError,
    Severity,
    TooManyRedirects,
)
from kiosque.pipeline.fetch import Fetcher

LAST_MODIFIED = "Wed, 21 Oct 2015 07:28:00 GMT"
FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Le Monde</title></channel></rss>'


def feed_with_validators(handler: BaseHTTPRequestHandler) -> None:
    if handler.headers.get("If-None-Match") == '"v1"' or handler.headers.get("If-Modified-Since") == LAST_MODIFIED:
        send(handler, 304, headers={"ETag": '"v1"'})
        return
    headers = {"Content-Type": "application/rss+xml; charset=UTF-8", "ETag": '"v1"', "Last-Modified": LAST_MODIFIED}
    send(handler, 200, FEED, headers)


def test_ok_answer_is_described_fully(server: LocalServer) -> None:
    server.routes["/feed.xml"] = feed_with_validators
    with Fetcher(options()) as fetcher:
        result = fetcher.fetch(server.url("/feed.xml#top"), accept="application/rss+xml")

    assert result.status == 200
    assert result.content == FEED
    assert (result.content_type, result.encoding) == ("application/rss+xml", "utf-8")
    assert (result.etag, result.last_modified, result.not_modified) == ('"v1"', LAST_MODIFIED, False)
    assert result.url == server.url("/feed.xml#top")
    assert result.final_url == server.url("/feed.xml")
    assert result.headers["content-type"] == "application/rss+xml; charset=UTF-8"
    assert result.elapsed > 0
    sent = server.hits_for("/feed.xml")[0].headers
    assert sent["user-agent"] == FAST.user_agent
    assert sent["accept"] == "application/rss+xml"
    encodings = {part.strip() for part in sent["accept-encoding"].split(",")}
    assert {"gzip", "deflate"} <= encodings
    brotli_installed = any(importlib.util.find_spec(name) for name in ("brotli", "brotlicffi"))
    assert ("br" in encodings) is brotli_installed  # offered only when we can decode it
    assert "if-none-match" not in sent and "cookie" not in sent


@pytest.mark.parametrize(
    ("validators", "expected_status", "sent_header"),
    [
        ({"etag": '"v1"'}, 304, "if-none-match"),
        ({"last_modified": LAST_MODIFIED}, 304, "if-modified-since"),
        ({"etag": '"v0"'}, 200, "if-none-match"),  # stale validator: full answer
        ({"last_modified": "Tue, 20 Oct 2015 07:28:00 GMT"}, 200, "if-modified-since"),
    ],
)
def test_conditional_get(
    server: LocalServer, validators: dict[str, Any], expected_status: int, sent_header: str
) -> None:
    server.routes["/feed.xml"] = feed_with_validators
    with Fetcher(options()) as fetcher:
        result = fetcher.fetch(server.url("/feed.xml"), **validators)

    assert server.hits_for("/feed.xml")[0].headers[sent_header] == next(iter(validators.values()))
    assert result.status == expected_status
    assert result.not_modified is (expected_status == 304)
    assert result.content == (b"" if expected_status == 304 else FEED)
    assert result.etag == '"v1"'
    if expected_status == 304:  # validators we sent stay valid when the 304 doesn't renew them
        assert result.last_modified == validators.get("last_modified")
        assert result.encoding is None


def _in_two_minutes() -> str:
    return email.utils.formatdate(time.time() + 120, usegmt=True)


@pytest.mark.parametrize(
    ("status", "retry_after", "severity", "expected_wait"),
    [
        (429, "7", Severity.TEMPORARY, 7.0),
        (503, "30", Severity.TEMPORARY, 30.0),
        (429, _in_two_minutes, Severity.TEMPORARY, 120.0),
        (503, _in_two_minutes, Severity.TEMPORARY, 120.0),
        (503, "Wed, 21 Oct 2015 07:28:00 GMT", Severity.TEMPORARY, 0.0),  # past date: now
        (429, None, Severity.TEMPORARY, None),
        (503, "soon", Severity.TEMPORARY, None),  # unreadable
        (500, "10", Severity.TEMPORARY, None),  # only 429/503 carry it
        (404, None, Severity.HARD, None),
        (410, None, Severity.HARD, None),
        (403, None, Severity.SOFT, None),
    ],
)
def test_error_statuses(
    server: LocalServer, status: int, retry_after: object, severity: Severity, expected_wait: float | None
) -> None:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        value = retry_after() if callable(retry_after) else retry_after
        send(handler, status, b"go away", {"Retry-After": value} if isinstance(value, str) else {})

    server.routes["/page"] = answer
    with Fetcher(options()) as fetcher, pytest.raises(HTTPStatusError) as caught:
        fetcher.fetch(server.url("/page"))

    error = caught.value
    assert (error.status, error.severity, error.url) == (status, severity, server.url("/page"))
    assert error.reason.startswith(f"HTTP {status} ")
    if expected_wait is None:
        assert error.retry_after is None
    else:
        assert error.retry_after == pytest.approx(expected_wait, abs=2.0)
        assert "retry after" in error.reason


def test_no_retry_on_server_error(server: LocalServer) -> None:
    server.routes["/page"] = lambda handler: send(handler, 500, b"oops")
    with Fetcher(options()) as fetcher, pytest.raises(HTTPStatusError):
        fetcher.fetch(server.url("/page"))
    assert len(server.hits_for("/page")) == 1


def test_one_quick_retry_when_the_connection_is_dropped(server: LocalServer) -> None:
    def drop_first(handler: BaseHTTPRequestHandler) -> None:
        if len(server.hits_for("/flaky")) == 1:
            handler.close_connection = True  # hang up without a word
            return
        send(handler, 200, b"second time lucky")

    server.routes["/flaky"] = drop_first
    with Fetcher(options()) as fetcher:
        assert fetcher.fetch(server.url("/flaky")).content == b"second time lucky"
    assert len(server.hits_for("/flaky")) == 2


def test_refused_connection_is_a_network_error() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with Fetcher(options()) as fetcher, pytest.raises(NetworkError) as caught:
        fetcher.fetch(f"http://127.0.0.1:{port}/feed")
    assert caught.value.severity is Severity.TEMPORARY
    assert "ConnectError" in caught.value.reason


# ------------------------------------------------------------------ time caps
def sleep_then_answer(handler: BaseHTTPRequestHandler) -> None:
    time.sleep(1.5)
    send(handler, 200, b"too late")


def slow_drip(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Length", "100")
    handler.end_headers()
    for _ in range(100):  # one byte every 0.1 s: each read is quick, the whole is 10 s
        handler.wfile.write(b"x")
        handler.wfile.flush()
        time.sleep(0.1)


@pytest.mark.parametrize(
    ("route", "reason_part"),
    [(sleep_then_answer, "timed out waiting for data"), (slow_drip, "slow server")],
    ids=["read-timeout", "slow-drip"],
)
def test_time_caps(server: LocalServer, route: object, reason_part: str) -> None:
    server.routes["/slow"] = route  # type: ignore[assignment]
    started = time.monotonic()
    with Fetcher(options(read_timeout=0.3, total_timeout=0.6)) as fetcher, pytest.raises(FetchTimeout) as caught:
        fetcher.fetch(server.url("/slow"))
    assert time.monotonic() - started < 1.2
    assert reason_part in caught.value.reason


# ------------------------------------------------------------------ size caps
CAP = 64 * 1024
BOMB = gzip.compress(b"\0" * (8 * 1024 * 1024))  # 8 MiB of zeros in about 8 KiB


def plain_without_length(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Connection", "close")  # no Content-Length: only counting can stop it
    handler.end_headers()
    handler.close_connection = True
    for _ in range(40):
        handler.wfile.write(b"a" * 4096)


def gzip_bomb(handler: BaseHTTPRequestHandler) -> None:
    send(handler, 200, BOMB, {"Content-Encoding": "gzip", "Content-Type": "text/html"})


def lying_length(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Length", str(10**9))
    handler.end_headers()
    handler.wfile.write(b"a" * 10)
    handler.wfile.flush()
    time.sleep(1.0)  # would hit the read timeout if the client waited for more


@pytest.mark.parametrize(
    ("route", "reason_part"),
    [
        (plain_without_length, "decompressed"),
        (gzip_bomb, "decompressed"),
        (lying_length, "Content-Length 1000000000"),
    ],
    ids=["plain", "gzip-bomb", "content-length"],
)
def test_body_cap(server: LocalServer, route: object, reason_part: str) -> None:
    assert len(BOMB) < CAP  # the bomb's compressed size alone would pass the cap
    server.routes["/big"] = route  # type: ignore[assignment]
    started = time.monotonic()
    with Fetcher(options(max_body_bytes=CAP)) as fetcher, pytest.raises(BodyTooLarge) as caught:
        fetcher.fetch(server.url("/big"))
    assert time.monotonic() - started < 0.4  # refused at once, not after the read timeout
    assert reason_part in caught.value.reason
    assert caught.value.severity is Severity.HARD


def test_body_at_the_cap_and_gzip_bodies_pass(server: LocalServer) -> None:
    server.routes["/exact"] = lambda handler: send(handler, 200, b"b" * CAP)
    server.routes["/zipped"] = lambda handler: send(
        handler, 200, gzip.compress("été".encode() * 100), {"Content-Encoding": "gzip"}
    )
    with Fetcher(options(max_body_bytes=CAP)) as fetcher:
        assert len(fetcher.fetch(server.url("/exact")).content) == CAP
        assert fetcher.fetch(server.url("/zipped")).content == "été".encode() * 100


# ------------------------------------------------------------------ redirects
def redirect(location: str, status: int = 302) -> object:
    return lambda handler: send(handler, status, b"", {"Location": location})


def chain(server: LocalServer, hops: int) -> None:
    """/r0 -> /r1 -> ... -> /r<hops> which answers 200; statuses and Location forms vary."""
    statuses = [301, 302, 303, 307, 308]
    for i in range(hops):
        target = f"/r{i + 1}" if i % 2 else server.url(f"/r{i + 1}")  # relative and absolute
        server.routes[f"/r{i}"] = redirect(target, statuses[i % len(statuses)])  # type: ignore[assignment]
    server.routes[f"/r{hops}"] = lambda handler: send(handler, 200, b"arrived")


@pytest.mark.parametrize(
    ("hops", "max_redirects", "error"),
    [(0, 5, None), (3, 5, None), (5, 5, None), (6, 5, TooManyRedirects), (1, 0, TooManyRedirects)],
)
def test_redirect_chains(server: LocalServer, hops: int, max_redirects: int, error: type[FetchError] | None) -> None:
    chain(server, hops)
    with Fetcher(options(max_redirects=max_redirects)) as fetcher:
        if error is None:
            result = fetcher.fetch(server.url("/r0"))
            assert (result.content, result.final_url, result.url) == (
                b"arrived",
                server.url(f"/r{hops}"),
                server.url("/r0"),
            )
        else:
            with pytest.raises(error) as caught:
                fetcher.fetch(server.url("/r0"))
            assert f"more than {max_redirects} redirects" in caught.value.reason
    assert len(server.hits) == min(hops, max_redirects) + 1 + 1  # + robots.txt


def test_redirect_loop(server: LocalServer) -> None:
    server.routes["/a"] = redirect("/b")  # type: ignore[assignment]
    server.routes["/b"] = redirect(server.url("/a"))  # type: ignore[assignment]
    with Fetcher(options()) as fetcher, pytest.raises(TooManyRedirects) as caught:
        fetcher.fetch(server.url("/a"))
    assert "loop" in caught.value.reason
    assert [hit.path for hit in server.hits] == ["/robots.txt", "/a", "/b"]


def test_each_redirect_hop_is_checked_against_robots(server: LocalServer) -> None:
    server.routes["/robots.txt"] = lambda handler: send(handler, 200, b"User-agent: *\nDisallow: /private/\n")
    server.routes["/moved"] = redirect("/private/page")  # type: ignore[assignment]
    with Fetcher(options()) as fetcher, pytest.raises(BlockedByRobots) as caught:
        fetcher.fetch(server.url("/moved"))
    assert "/private/page" in caught.value.reason
    assert server.hits_for("/private/page") == []


def test_redirect_without_location_is_an_error(server: LocalServer) -> None:
    server.routes["/nowhere"] = lambda handler: send(handler, 302, b"")
    with Fetcher(options()) as fetcher, pytest.raises(HTTPStatusError) as caught:
        fetcher.fetch(server.url("/nowhere"))
    assert caught.value.status == 302
    assert "without a usable Location" in caught.value.reason


def test_cookies_are_never_kept(server: LocalServer) -> None:
    server.routes["/set"] = lambda handler: send(handler, 200, b"ok", {"Set-Cookie": "session=abc; Path=/"})
    server.routes["/next"] = lambda handler: send(handler, 200, b"ok")
    with Fetcher(options()) as fetcher:
        fetcher.fetch(server.url("/set"))
        fetcher.fetch(server.url("/next"))
    assert "cookie" not in server.hits_for("/next")[0].headers
