"""One HTTP request/response: send (one retry on a connection reset), read the body under caps.

Every httpx exception is turned here into the pipeline's FetchError tree, with a reason a person
can read; nothing outside this module sees httpx errors.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

from kiosque.pipeline.errors import BodyTooLarge, FetchTimeout, ForbiddenAddress, InvalidURL, NetworkError

from .guard import AddressRefusedError

__all__ = ["BodyLimits", "Reply", "exchange", "translate_errors"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reply:
    url: httpx.URL  # the publisher URL of this hop
    status: int
    headers: httpx.Headers
    content: bytes  # only read for 2xx answers
    elapsed: float


@dataclass(frozen=True)
class BodyLimits:
    max_bytes: int
    total_timeout: float  # deadline for headers + body of this response
    truncate: bool = False  # robots.txt: keep the first max_bytes instead of failing


@contextmanager
def translate_errors(url: str, *, hop: str | None = None) -> Iterator[None]:
    """Map httpx (and guard) exceptions to FetchError subclasses about `url` (reason names `hop`)."""
    at = f" (at {hop})" if hop else ""
    try:
        yield
    except AddressRefusedError as exc:
        raise ForbiddenAddress(exc.reason + at, url=url) from exc
    except httpx.TimeoutException as exc:
        raise FetchTimeout(_timeout_reason(exc) + at, url=url) from exc
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        raise InvalidURL(f"not a fetchable URL: {exc}{at}", url=url) from exc
    except httpx.DecodingError as exc:
        raise NetworkError(f"body could not be decompressed: {exc}{at}", url=url) from exc
    except httpx.HTTPError as exc:  # the rest of httpx's tree: connect, read, write, protocol errors
        raise NetworkError(_describe(exc) + at, url=url) from exc


def exchange(client: httpx.Client, request: httpx.Request, *, limits: BodyLimits, report_url: str) -> Reply:
    """Send `request` and read its body when the status is 2xx (others are closed unread).

    Errors are about `report_url` (the URL the caller asked for); their reason names this hop.
    """
    started = time.monotonic()
    deadline = started + limits.total_timeout
    hop = str(request.url)
    with translate_errors(report_url, hop=hop if hop != report_url else None):
        response = _send(client, request)
        try:
            content = b""
            if 200 <= response.status_code < 300:
                content = _read_body(response, limits=limits, deadline=deadline, url=report_url)
        finally:
            response.close()
    return Reply(
        url=request.url,
        status=response.status_code,
        headers=response.headers,
        content=content,
        elapsed=time.monotonic() - started,
    )


def _send(client: httpx.Client, request: httpx.Request) -> httpx.Response:
    try:
        return client.send(request, stream=True)
    except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
        # A kept-alive connection the server dropped fails the next request at once; the
        # request never reached the application, so one immediate retry is safe and cheap.
        if not _is_reset(exc):
            raise
        log.info("connection reset, retrying once", extra={"url": str(request.url)})
        return client.send(request, stream=True)


def _read_body(response: httpx.Response, *, limits: BodyLimits, deadline: float, url: str) -> bytes:
    declared = response.headers.get("content-length", "")
    # Content-Length counts the compressed bytes; decompressed is (nearly) always larger.
    if declared.isdigit() and int(declared) > limits.max_bytes and not limits.truncate:
        raise BodyTooLarge(f"Content-Length {declared} is larger than the {limits.max_bytes}-byte cap", url=url)
    body = bytearray()
    # iter_bytes() yields decompressed bytes, so the cap holds against compression bombs.
    # (httpx inflates one network read, at most 64 KiB compressed, at a time: that bounds the overshoot.)
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > limits.max_bytes:
            if limits.truncate:
                return bytes(body[: limits.max_bytes])
            raise BodyTooLarge(f"body larger than the {limits.max_bytes}-byte cap (counted decompressed)", url=url)
        # The read timeout restarts with every packet; this deadline stops a slow drip.
        if time.monotonic() > deadline:
            raise FetchTimeout(f"timed out: body not complete after {limits.total_timeout:g}s (slow server)", url=url)
    return bytes(body)


def _is_reset(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ConnectionResetError | BrokenPipeError | ConnectionAbortedError):
            return True
        if isinstance(seen, httpx.RemoteProtocolError) and "disconnected" in str(seen).lower():
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _timeout_reason(exc: httpx.TimeoutException) -> str:
    kind = {
        httpx.ConnectTimeout: "connecting",
        httpx.ReadTimeout: "waiting for data",
        httpx.WriteTimeout: "sending the request",
        httpx.PoolTimeout: "waiting for a free connection",
    }.get(type(exc), "the request")
    return f"timed out {kind}"


def _describe(exc: httpx.HTTPError) -> str:
    detail = str(exc) or type(exc).__name__
    cause = exc.__cause__ or exc.__context__
    if cause is not None and str(cause) and str(cause) not in detail:
        detail = f"{detail} ({cause})"
    return f"{type(exc).__name__}: {detail}"
