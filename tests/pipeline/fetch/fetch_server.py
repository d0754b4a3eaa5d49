"""Helpers for the fetch tests: real HTTP servers on 127.0.0.1 (ephemeral ports) and fast options."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from kiosque.pipeline.types import FetchOptions

Route = Callable[[BaseHTTPRequestHandler], None]


@dataclass(frozen=True)
class Hit:
    at: float  # time.monotonic() when the request arrived
    path: str  # path + query
    headers: dict[str, str]  # lower-case names


@dataclass
class LocalServer:
    routes: dict[str, Route] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    port: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def hits_for(self, path: str) -> list[Hit]:
        with self.lock:
            return [hit for hit in self.hits if hit.path == path]


def send(
    handler: BaseHTTPRequestHandler, status: int, body: bytes = b"", headers: dict[str, str] | None = None
) -> None:
    """A complete response with Content-Length (keep-alive stays usable)."""
    handler.send_response(status)
    all_headers = {"Content-Length": str(len(body))} | (headers or {})
    for name, value in all_headers.items():
        handler.send_header(name, value)
    handler.end_headers()
    if body and handler.command != "HEAD":
        handler.wfile.write(body)


def send_gzip(handler: BaseHTTPRequestHandler, body: bytes, content_type: str = "text/plain") -> None:
    send(handler, 200, gzip.compress(body), {"Content-Encoding": "gzip", "Content-Type": content_type})


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        state = self.server.state
        with state.lock:
            state.hits.append(Hit(time.monotonic(), self.path, {k.lower(): v for k, v in self.headers.items()}))
            state.in_flight += 1
            state.max_in_flight = max(state.max_in_flight, state.in_flight)
        try:
            route = state.routes.get(self.path) or state.routes.get(self.path.split("?", 1)[0])
            if route is None:
                send(self, 404, b"not found", {"Content-Type": "text/plain"})
            else:
                route(self)
        finally:
            with state.lock:
                state.in_flight -= 1

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # handlers that sleep (timeout tests) must not hold up teardown

    def __init__(self, state: LocalServer) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state

    def handle_error(self, request: object, client_address: object) -> None:
        # The client hanging up mid-body is what several tests do on purpose.
        pass


def start_server() -> tuple[LocalServer, Callable[[], None]]:
    """Start a server in a thread; returns its state and a stop function."""
    state = LocalServer()
    httpd = _Server(state)
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()

    def stop() -> None:
        httpd.shutdown()
        httpd.server_close()

    return state, stop


FAST = FetchOptions(
    user_agent="KiosqueTest/1.0 (+https://example.org/bot)",
    connect_timeout=0.5,
    read_timeout=0.5,
    total_timeout=1.0,
    min_host_delay=0.0,
    per_host_concurrency=4,
    block_private_addresses=False,  # the test servers are on loopback
    robots_error_ttl=60.0,
    host_wait_timeout=5.0,
)


def options(**changes: object) -> FetchOptions:
    """FAST options with a few fields changed."""
    return replace(FAST, **changes)  # type: ignore[arg-type]
