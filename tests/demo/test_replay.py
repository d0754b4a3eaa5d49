"""The replay server, driven by a plain HTTP client (http.client) sending publisher Host headers."""

from __future__ import annotations

import gzip
import hashlib
import http.client
import re
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import urlsplit

import pytest

from kiosque.demo import Fault, FaultKind, ReplayServer, RequestRecord, Snapshot, parse_fault_spec
from kiosque.demo.faults import MB

SNAPSHOT = Snapshot()
ARTICLES = SNAPSHOT.manifest["articles"]
SEED_PAGE = next(a["url"] for a in ARTICLES if a["site"] == "atlas-matin")
ARABIC_PAGE = next(a["url"] for a in ARTICLES if a["site"] == "alatlas-alyoum")  # percent-encoded path
OLD_HTTP_PAGE = next(a["url"] for a in ARTICLES if a["url"].startswith("http://"))
LATIN1_FEED = "https://www.lopinion.fr/index.rss"
IMAGE = next(a["image_url"] for a in ARTICLES if a["image_url"] and a["site"] == "atlas-matin")


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


@pytest.fixture(scope="module")
def server() -> Iterator[ReplayServer]:
    with ReplayServer(SNAPSHOT) as running:
        yield running


@pytest.fixture(autouse=True)
def _clean(server: ReplayServer) -> Iterator[None]:
    server.clear_faults()
    server.clear_requests()
    yield
    server.clear_faults()


def target_of(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + ("?" + parts.query if parts.query else "")


def fetch(server: ReplayServer, url: str, *, method: str = "GET", headers: dict[str, str] | None = None) -> Answer:
    """One request over loopback with the publisher's Host header, as the fetcher sends it."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request(method, target_of(url), headers={"Host": urlsplit(url).netloc, **(headers or {})})
        response = connection.getresponse()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        connection.close()


SERVED = [
    ("seed-styled page", SEED_PAGE),
    ("arabic page, percent-encoded path", ARABIC_PAGE),
    ("http:// page", OLD_HTTP_PAGE),
    ("double slash in the path", next(a["url"] for a in ARTICLES if "//" in a["url"].split("://", 1)[1])),
    ("latin-1 feed", LATIN1_FEED),
    ("feed with a query string", "https://www.liberation.fr/arc/outboundfeeds/rss-all/?outputType=xml"),
    ("listing page", "https://www.aljazeera.com/news/"),
    ("homepage", "https://www.atlas-matin.ma/"),
    ("robots.txt", "https://www.echoderabat.ma/robots.txt"),
    ("image", IMAGE),
]


@pytest.mark.parametrize("url", [u for _, u in SERVED], ids=[name for name, _ in SERVED])
def test_serves_snapshot_resources(server: ReplayServer, url: str) -> None:
    resource = SNAPSHOT.get(url)
    assert resource is not None
    answer = fetch(server, url)
    assert answer.status == 200
    assert answer.body == resource.content()
    assert answer.headers["content-type"] == resource.content_type
    assert answer.headers["content-length"] == str(len(answer.body))
    assert answer.headers["etag"] == '"' + hashlib.sha1(answer.body).hexdigest() + '"'
    assert answer.headers["last-modified"] == resource.last_modified
    assert "content-encoding" not in answer.headers


def test_scheme_is_ignored(server: ReplayServer) -> None:
    https = OLD_HTTP_PAGE.replace("http://", "https://", 1)
    assert fetch(server, https).body == fetch(server, OLD_HTTP_PAGE).body


def test_percent_encoding_case_is_ignored(server: ReplayServer) -> None:
    lower = re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), ARABIC_PAGE)
    assert lower != ARABIC_PAGE
    answer = fetch(server, lower)
    assert answer.status == 200
    assert 'dir="rtl"' in answer.body.decode("utf-8")


def test_absolute_form_target(server: ReplayServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("GET", "http://www.lemonde.fr/rss/une.xml", headers={"Host": f"127.0.0.1:{server.port}"})
    response = connection.getresponse()
    assert response.status == 200 and response.read().startswith(b"<?xml")
    connection.close()


@pytest.mark.parametrize(
    ("accept", "url", "encoded"),
    [
        ("gzip", SEED_PAGE, True),
        ("gzip, deflate, br", LATIN1_FEED, True),
        ("br;q=1.0, gzip;q=0.8", "https://www.atlas-matin.ma/robots.txt", True),
        ("gzip;q=0", SEED_PAGE, False),
        ("identity", SEED_PAGE, False),
        ("gzip", IMAGE, False),  # JPEG is not worth compressing: sent as it is
    ],
)
def test_gzip_when_accepted(server: ReplayServer, accept: str, url: str, encoded: bool) -> None:
    resource = SNAPSHOT.get(url)
    assert resource is not None
    answer = fetch(server, url, headers={"Accept-Encoding": accept})
    assert answer.status == 200
    assert (answer.headers.get("content-encoding") == "gzip") is encoded
    plain = gzip.decompress(answer.body) if encoded else answer.body
    assert plain == resource.content()
    assert answer.headers["content-length"] == str(len(answer.body))


@pytest.mark.parametrize(
    "url",
    ["https://www.lemonde.fr/no/such/page.html", "https://unknown.example/", "https://www.atlas-matin.ma/rss/"],
)
def test_unknown_url_is_404(server: ReplayServer, url: str) -> None:
    assert fetch(server, url).status == 404


def test_conditional_get(server: ReplayServer) -> None:
    first = fetch(server, LATIN1_FEED)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    earlier = format_datetime(parsedate_to_datetime(modified) - timedelta(days=1), usegmt=True)
    cases = [
        ({"If-None-Match": etag}, 304),
        ({"If-None-Match": f'"other", W/{etag}'}, 304),
        ({"If-None-Match": '"other"'}, 200),
        ({"If-Modified-Since": modified}, 304),
        ({"If-Modified-Since": earlier}, 200),
        ({"If-Modified-Since": "not a date"}, 200),
        ({"If-None-Match": '"other"', "If-Modified-Since": modified}, 200),  # the ETag test wins
    ]
    for headers, status in cases:
        answer = fetch(server, LATIN1_FEED, headers=headers)
        assert answer.status == status, headers
        if status == 304:
            assert answer.body == b"" and answer.headers["etag"] == etag


def test_head(server: ReplayServer) -> None:
    answer = fetch(server, SEED_PAGE, method="HEAD")
    assert answer.status == 200 and answer.body == b""
    assert int(answer.headers["content-length"]) == len(fetch(server, SEED_PAGE).body)


def test_request_log(server: ReplayServer) -> None:
    fetch(server, SEED_PAGE, headers={"User-Agent": "Kiosque/0.1 (test)", "Accept-Encoding": "gzip"})
    fetch(server, "https://www.atlas-matin.ma/missing")
    log = server.requests
    assert log == [
        RequestRecord(
            "GET",
            "www.atlas-matin.ma",
            target_of(SEED_PAGE),
            {"user-agent": "Kiosque/0.1 (test)", "accept-encoding": "gzip"},
            200,
        ),
        RequestRecord("GET", "www.atlas-matin.ma", "/missing", {"accept-encoding": "identity"}, 404),
    ]
    log.clear()  # a copy: the server's own log is untouched
    assert len(server.requests) == 2


# ---------------------------------------------------------------- faults
def test_latency(server: ReplayServer) -> None:
    server.set_fault("www.atlas-matin.ma", Fault.latency(0.4))
    started = time.monotonic()
    answer = fetch(server, SEED_PAGE)
    assert time.monotonic() - started >= 0.4
    assert answer.status == 200


def test_server_error(server: ReplayServer) -> None:
    server.set_fault("www.atlas-matin.ma", Fault.server_error())
    assert fetch(server, SEED_PAGE).status == 500
    assert fetch(server, "https://www.atlas-matin.ma/robots.txt").status == 500  # the whole host
    assert fetch(server, LATIN1_FEED).status == 200  # other hosts are untouched


def test_rate_limited_with_retry_after_then_recovers(server: ReplayServer) -> None:
    server.set_fault(LATIN1_FEED, Fault.rate_limited(retry_after=3, times=2))
    for _ in range(2):
        answer = fetch(server, LATIN1_FEED)
        assert answer.status == 429 and answer.headers["retry-after"] == "3"
    assert fetch(server, LATIN1_FEED).status == 200


def test_url_fault_beats_host_fault_and_clear(server: ReplayServer) -> None:
    server.set_fault("www.atlas-matin.ma", Fault.server_error())
    server.set_fault(SEED_PAGE, Fault.rate_limited(retry_after=1))
    assert fetch(server, SEED_PAGE).status == 429
    assert fetch(server, "https://www.atlas-matin.ma/").status == 500
    server.clear_faults()
    assert fetch(server, SEED_PAGE).status == 200


def test_truncated_body(server: ReplayServer) -> None:
    resource = SNAPSHOT.get(SEED_PAGE)
    assert resource is not None
    server.set_fault(SEED_PAGE, Fault.truncated())
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("GET", target_of(SEED_PAGE), headers={"Host": "www.atlas-matin.ma"})
    response = connection.getresponse()
    assert response.getheader("Content-Length") == str(len(resource.content()))
    with pytest.raises(http.client.IncompleteRead) as error:
        response.read()
    assert 0 < len(error.value.partial) < len(resource.content())
    connection.close()


@pytest.mark.parametrize(
    ("url", "claimed", "decodes_as_utf8"),
    [(ARABIC_PAGE, "iso-8859-1", True), (LATIN1_FEED, "utf-8", False)],
    ids=["utf-8 arabic page said latin-1", "latin-1 feed said utf-8"],
)
def test_wrong_charset(server: ReplayServer, url: str, claimed: str, decodes_as_utf8: bool) -> None:
    resource = SNAPSHOT.get(url)
    assert resource is not None
    server.set_fault(url, Fault.wrong_charset())
    answer = fetch(server, url)
    assert answer.headers["content-type"].endswith("charset=" + claimed)
    assert answer.headers["content-type"].split(";")[0] == resource.content_type.split(";")[0]
    assert answer.body == resource.content()  # the bytes are right, only the label lies
    try:
        answer.body.decode("utf-8")
        valid = True
    except UnicodeDecodeError:
        valid = False
    assert valid is decodes_as_utf8


def test_oversized_stream_without_length(server: ReplayServer) -> None:
    server.set_fault(SEED_PAGE, Fault.oversized(2 * MB))
    answer = fetch(server, SEED_PAGE)
    assert "content-length" not in answer.headers
    assert len(answer.body) == 2 * MB
    assert answer.body.startswith(b"<!DOCTYPE html>")


def test_oversized_declared_length(server: ReplayServer) -> None:
    server.set_fault(SEED_PAGE, Fault.oversized(3 * MB, declare_length=True))
    answer = fetch(server, SEED_PAGE)
    assert answer.headers["content-length"] == str(3 * MB) and len(answer.body) == 3 * MB


def test_oversized_default_client_gives_up(server: ReplayServer) -> None:
    server.set_fault(SEED_PAGE, Fault.oversized())  # 20 MB
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("GET", target_of(SEED_PAGE), headers={"Host": "www.atlas-matin.ma"})
    response = connection.getresponse()
    assert len(response.read(1 * MB)) == 1 * MB  # a capped client stops here and hangs up
    connection.close()
    server.clear_faults()
    assert fetch(server, SEED_PAGE).status == 200  # the server shrugs it off


def test_gzip_bomb(server: ReplayServer) -> None:
    server.set_fault(SEED_PAGE, Fault.oversized(20 * MB, gzip_bomb=True))
    answer = fetch(server, SEED_PAGE, headers={"Accept-Encoding": "identity"})
    assert answer.headers["content-encoding"] == "gzip"
    assert len(answer.body) < 200_000
    inflater = zlib.decompressobj(31)
    first = inflater.decompress(answer.body, 10 * MB)  # a careful client inflates with a cap
    assert len(first) == 10 * MB and inflater.unconsumed_tail


def test_redirect_loop_to_itself(server: ReplayServer) -> None:
    server.set_fault(SEED_PAGE, Fault.redirect_loop())
    answer = fetch(server, SEED_PAGE)
    assert answer.status == 302 and answer.headers["location"] == target_of(SEED_PAGE)


def test_redirect_loop_ping_pong(server: ReplayServer) -> None:
    server.set_fault("www.lemonde.fr", Fault.redirect_loop(pingpong=True))
    start = "https://www.lemonde.fr/rss/une.xml"
    seen = []
    url = start
    for _ in range(4):
        answer = fetch(server, url)
        assert answer.status == 302
        seen.append(answer.headers["location"])
        url = "https://www.lemonde.fr" + answer.headers["location"]
    assert seen[0] != seen[1] and seen[0] == seen[2] and seen[1] == seen[3] == "/rss/une.xml"


# ---------------------------------------------------------------- API and command line
@pytest.mark.parametrize(
    ("spec", "match", "fault"),
    [
        ("host=www.lemonde.fr,kind=500", "www.lemonde.fr", Fault(FaultKind.SERVER_ERROR)),
        ("host=a.example,kind=429,seconds=7,times=1", "a.example", Fault.rate_limited(7, times=1)),
        ("url=https://a.example/x?y=1,kind=latency,seconds=0.5", "https://a.example/x?y=1", Fault.latency(0.5)),
        ("host=a.example,kind=oversized,size=30m", "a.example", Fault.oversized(30 * MB)),
        (
            "host=a.example,kind=oversized,mode=gzip_bomb,size=1g",
            "a.example",
            Fault.oversized(1024 * MB, gzip_bomb=True),
        ),
        ("host=a.example,kind=wrong_charset,charset=windows-1256", "a.example", Fault.wrong_charset("windows-1256")),
        ("host=a.example,kind=redirect_loop,mode=pingpong", "a.example", Fault.redirect_loop(pingpong=True)),
        ("host=a.example,kind=truncated", "a.example", Fault.truncated()),
    ],
)
def test_parse_fault_spec(spec: str, match: str, fault: Fault) -> None:
    assert parse_fault_spec(spec) == (match, fault)


@pytest.mark.parametrize("spec", ["kind=500", "host=a.example", "host=a.example,kind=teapot", "host=a,kind=500,x=1"])
def test_parse_fault_spec_rejects(spec: str) -> None:
    with pytest.raises(ValueError):
        parse_fault_spec(spec)


def test_ephemeral_ports_and_stop() -> None:
    with ReplayServer(SNAPSHOT) as one, ReplayServer(SNAPSHOT) as two:
        assert one.base_url != two.base_url
        assert one.base_url is not None and re.fullmatch(r"http://127\.0\.0\.1:\d+", one.base_url)
        port = one.port
    with pytest.raises(ConnectionRefusedError):
        http.client.HTTPConnection("127.0.0.1", port, timeout=2).connect()


def test_command_line_with_fault() -> None:
    command = [
        sys.executable,
        "-m",
        "kiosque.demo.replay",
        "--port",
        "0",
        "--fault",
        "host=www.atlas-matin.ma,kind=500",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        assert found, line
        port = int(found.group(1))
        for host, path, status in [("www.atlas-matin.ma", "/", 500), ("www.lemonde.fr", "/rss/une.xml", 200)]:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", path, headers={"Host": host})
            assert connection.getresponse().status == status
            connection.close()
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
