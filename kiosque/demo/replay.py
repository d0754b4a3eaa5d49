"""Local replay server: answers publisher URLs from the bundled snapshot, over loopback.

The fetcher (FetchOptions.route_to) sends each request to this server with the publisher's Host
header and path, so every URL in the database stays the publisher's. Lookups ignore the scheme
(https is downgraded on the loopback hop) and percent-encoding differences.

    with ReplayServer() as server:          # 127.0.0.1, ephemeral port
        base = server.base_url              # "http://127.0.0.1:PORT"
        server.set_fault("www.lemonde.fr", Fault.server_error())

Command line (for manual tries):
    python -m kiosque.demo.replay --port 8123 --fault host=www.lemonde.fr,kind=500
    curl -H 'Host: www.lemonde.fr' http://127.0.0.1:8123/rss/une.xml
"""

from __future__ import annotations

import argparse
import functools
import math
import sys
import threading
import time
import zlib
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from kiosque.demo.faults import Fault, FaultKind, parse_fault_spec
from kiosque.demo.store import Resource, Snapshot, is_compressible, snapshot_dir, url_key

__all__ = ["LOGGED_HEADERS", "ReplayServer", "RequestRecord", "main", "snapshot_dir"]

LOGGED_HEADERS = ("user-agent", "accept", "accept-encoding", "if-none-match", "if-modified-since")
LOOP_MARKER = "kiosque-loop=b"  # query parameter of the "B" side of an A -> B -> A redirect loop
_PADDING = b"<!-- kiosque replay: oversized body padding -->\n" * 1024


class RequestRecord(NamedTuple):
    method: str
    host: str
    path: str  # path and query as sent
    headers: dict[str, str]  # the LOGGED_HEADERS the client sent, lower-case names
    status: int


@functools.lru_cache(maxsize=4)
def gzip_bomb(size: int) -> bytes:
    """A small gzip member that inflates to `size` bytes of spaces (about 1000:1)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: gzip container
    chunk = b" " * (1024 * 1024)
    parts = [packer.compress(chunk) for _ in range(size // len(chunk))]
    parts += [packer.compress(b" " * (size % len(chunk))), packer.flush()]
    return b"".join(parts)


def _accepts_gzip(header: str) -> bool:
    for token in header.split(","):
        name, _, params = token.strip().partition(";")
        if name.strip().lower() in {"gzip", "x-gzip", "*"}:
            quality = params.strip().removeprefix("q=") if params.strip().startswith("q=") else "1"
            try:
                return float(quality) > 0
            except ValueError:
                return False
    return False


def _etag_matches(header: str, etag: str) -> bool:
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return "*" in tags or etag in tags


def _not_modified(headers: Any, resource: Resource) -> bool:
    if headers.get("If-None-Match"):
        return _etag_matches(headers["If-None-Match"], resource.etag)  # takes precedence (RFC 9110 13.2.2)
    since = headers.get("If-Modified-Since")
    if not since:
        return False
    try:
        return resource.modified_at <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False  # unparsable date: answer in full, as servers do


def _wrong_charset(resource: Resource | None) -> str:
    current = resource.charset if resource else None
    return "utf-8" if current and current.replace("_", "-") not in {"utf-8", "utf8"} else "iso-8859-1"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; with Nagle's algorithm on, the body waits for the client's
    # delayed ACK (up to 40 ms a response on Linux), which measured as most of the crawl's time.
    disable_nagle_algorithm = True
    server_version = "KiosqueReplay/1"
    timeout = 30  # idle keep-alive connections end, so threads do not pile up
    server: _Server

    # ------------------------------------------------------------ plumbing
    def log_message(self, format: str, *args: Any) -> None:
        if self.server.replay.verbose:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")

    def send_response(self, code: int, message: str | None = None) -> None:
        # Logged here, before any byte reaches the client, so a test that just got its answer sees it.
        host, target = self._target()
        sent = {name: self.headers[name] for name in LOGGED_HEADERS if self.headers.get(name) is not None}
        self.server.replay.record(RequestRecord(self.command, host, target, sent, code))
        super().send_response(code, message)

    def _target(self) -> tuple[str, str]:
        if self.path.startswith(("http://", "https://")):  # absolute form, as sent to a proxy
            parts = urlsplit(self.path)
            return parts.netloc.lower(), (parts.path or "/") + ("?" + parts.query if parts.query else "")
        return (self.headers.get("Host") or "").lower(), self.path

    def do_GET(self) -> None:
        self._handle(head=False)

    def do_HEAD(self) -> None:
        self._handle(head=True)

    def _handle(self, *, head: bool) -> None:
        host, target = self._target()
        path, _, query = target.partition("?")
        params = [p for p in query.split("&") if p and p != LOOP_MARKER]
        base_target = path + ("?" + "&".join(params) if params else "")
        fault = self.server.replay.take_fault(host, url_key(host, base_target))
        try:
            if fault is not None and fault.kind is FaultKind.REDIRECT_LOOP:
                self._redirect_loop(fault, target, base_target)
            else:
                self._answer(fault, self.server.replay.snapshot.lookup(host, target), head=head)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (size cap, timeout): expected with faults

    # ------------------------------------------------------------ answers
    def _answer(self, fault: Fault | None, resource: Resource | None, *, head: bool) -> None:
        kind = fault.kind if fault else None
        if fault is not None and kind is FaultKind.LATENCY:
            time.sleep(fault.seconds)
        if kind is FaultKind.SERVER_ERROR:
            self._simple(500, "Internal Server Error", head=head)
        elif fault is not None and kind is FaultKind.RATE_LIMITED:
            self._simple(429, "Too Many Requests", head=head, extra={"Retry-After": str(math.ceil(fault.seconds))})
        elif fault is not None and kind is FaultKind.OVERSIZED:
            self._oversized(fault, resource, head=head)
        elif resource is None:
            self._simple(404, "Not Found", head=head)
        elif kind is FaultKind.TRUNCATED:
            self._truncated(resource, head=head)
        elif fault is not None and kind is FaultKind.WRONG_CHARSET:
            self._serve(resource, head=head, charset=fault.charset or _wrong_charset(resource))
        else:
            self._serve(resource, head=head)

    def _simple(self, status: int, text: str, *, head: bool, extra: dict[str, str] | None = None) -> None:
        body = f"<!DOCTYPE html><html><head><title>{status} {text}</title></head><body><h1>{text}</h1></body></html>\n"
        data = body.encode("ascii")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _serve(self, resource: Resource, *, head: bool, charset: str | None = None) -> None:
        if _not_modified(self.headers, resource):
            self.send_response(304)
            self.send_header("ETag", resource.etag)
            self.send_header("Last-Modified", resource.last_modified)
            self.end_headers()
            return
        content_type = resource.content_type
        if charset:
            content_type = content_type.split(";", 1)[0] + "; charset=" + charset
        compressible = is_compressible(content_type)
        packed = compressible and _accepts_gzip(self.headers.get("Accept-Encoding", ""))
        body = resource.gzipped() if packed else resource.content()
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", resource.etag)
        self.send_header("Last-Modified", resource.last_modified)
        if compressible:
            self.send_header("Vary", "Accept-Encoding")
        if packed:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _truncated(self, resource: Resource, *, head: bool) -> None:
        body = resource.content()
        self.send_response(200)
        self.send_header("Content-Type", resource.content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
        self.close_connection = True  # the promised rest never comes

    def _oversized(self, fault: Fault, resource: Resource | None, *, head: bool) -> None:
        content_type = resource.content_type if resource else "text/html; charset=utf-8"
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        if fault.mode == "gzip_bomb":
            bomb = gzip_bomb(fault.size)
            self.send_header("Content-Encoding", "gzip")  # sent whatever the client accepts, like a hostile server
            self.send_header("Content-Length", str(len(bomb)))
            self.end_headers()
            if not head:
                self.wfile.write(bomb)
            return
        if fault.declare_length:
            self.send_header("Content-Length", str(fault.size))
        else:
            self.send_header("Connection", "close")  # no length: the body ends when the connection does
        self.end_headers()
        self.close_connection = True
        if head:
            return
        sent = 0
        head_bytes = resource.content() if resource else b""
        while sent < fault.size:
            chunk = (head_bytes if sent == 0 and head_bytes else _PADDING)[: fault.size - sent]
            self.wfile.write(chunk)
            sent += len(chunk)

    def _redirect_loop(self, fault: Fault, target: str, base_target: str) -> None:
        if fault.mode == "pingpong" and target == base_target:
            location = base_target + ("&" if "?" in base_target else "?") + LOOP_MARKER
        else:
            location = base_target  # "self" loops on itself; the "B" side sends back to "A"
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    replay: ReplayServer


class ReplayServer:
    """ThreadingHTTPServer on 127.0.0.1 answering from a snapshot; a context manager."""

    def __init__(
        self,
        snapshot: Snapshot | Path | str | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        verbose: bool = False,
    ) -> None:
        self.snapshot = snapshot if isinstance(snapshot, Snapshot) else Snapshot(snapshot)
        self.host, self.port, self.verbose = host, port, verbose
        self.base_url: str | None = None
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._faults: dict[str, list[Any]] = {}  # match -> [Fault, remaining uses or None]
        self._requests: list[RequestRecord] = []

    # ------------------------------------------------------------ life cycle
    def start(self) -> str:
        """Start serving in a background thread; returns "http://127.0.0.1:PORT"."""
        if self._server is not None and self.base_url:
            return self.base_url
        server = _Server((self.host, self.port), _Handler)
        server.replay = self
        self._server = server
        self.port = server.server_address[1]
        self.base_url = f"http://{self.host}:{self.port}"
        self._thread = threading.Thread(target=server.serve_forever, name="kiosque-replay", daemon=True)
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server, self._thread = None, None

    def __enter__(self) -> ReplayServer:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # ------------------------------------------------------------ faults
    def set_fault(self, match: str, fault: Fault) -> None:
        """`match` is a host ("www.lemonde.fr") or a full URL (scheme ignored); replaces any fault on it."""
        with self._lock:
            self._faults[self._match_key(match)] = [fault, fault.times]

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    @staticmethod
    def _match_key(match: str) -> str:
        if "://" in match:
            parts = urlsplit(match)
            return url_key(parts.netloc, (parts.path or "/") + ("?" + parts.query if parts.query else ""))
        return match.strip().lower().split(":", 1)[0]

    def take_fault(self, host: str, key: str) -> Fault | None:
        """The fault for this request (a URL match beats a host match), counting down `times`."""
        with self._lock:
            for candidate in (key, url_key(host, "/").split("/", 1)[0]):
                entry = self._faults.get(candidate)
                if entry is None:
                    continue
                fault, remaining = entry
                if remaining is not None:
                    entry[1] = remaining - 1
                    if entry[1] <= 0:
                        del self._faults[candidate]
                return fault  # type: ignore[no-any-return]
        return None

    # ------------------------------------------------------------ request log
    def record(self, entry: RequestRecord) -> None:
        with self._lock:
            self._requests.append(entry)

    @property
    def requests(self) -> list[RequestRecord]:
        """A copy of the request log, oldest first."""
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kiosque.demo.replay", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8123)
    parser.add_argument("--snapshot", type=Path, default=None, help="snapshot directory (default: the bundled one)")
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="host=H|url=U,kind=K[,...]",
        help="kinds: " + ", ".join(k.value for k in FaultKind) + "; repeatable",
    )
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)
    server = ReplayServer(args.snapshot, host=args.host, port=args.port, verbose=args.verbose)
    for spec in args.fault:
        match, fault = parse_fault_spec(spec)
        server.set_fault(match, fault)
    base = server.start()
    print(f"Kiosque replay server on {base} ({len(server.snapshot.resources)} URLs); Ctrl-C to stop", flush=True)
    print(f"  try: curl -H 'Host: www.atlas-matin.ma' {base}/rss/actualites.xml", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
