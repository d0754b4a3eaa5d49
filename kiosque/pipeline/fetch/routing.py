"""Demo/test routing: send every request to one local base URL, keeping the publisher's Host.

A wrapping transport (httpx's intended extension point), so requests still go through the
real HTTP stack and the client, redirects and results all keep publisher URLs.
"""

from __future__ import annotations

import httpx

__all__ = ["RoutingTransport"]


class RoutingTransport(httpx.BaseTransport):
    """Rewrites each request's target to `base` (e.g. "http://127.0.0.1:8123") on this hop only.

    The original Host header and path+query are kept, so a replay server can answer for many
    publishers; https is downgraded to http on the loopback hop (`X-Forwarded-Proto` tells the
    server which scheme was asked). A Location pointing back at the base is mapped to the
    publisher origin, so the replay server's own address never leaks into results.
    """

    def __init__(self, base: str, inner: httpx.BaseTransport) -> None:
        self._base = httpx.URL(base)
        if self._base.scheme not in ("http", "https") or not self._base.host:
            raise ValueError(f"route_to must be an http(s) base URL, got {base!r}")
        self._prefix = self._base.raw_path.rstrip(b"/")
        self._root = f"{self._base.scheme}://{self._base.netloc.decode('ascii')}{self._prefix.decode('ascii')}"
        self._inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        original = request.url
        target = self._base.copy_with(raw_path=self._prefix + original.raw_path)
        headers = request.headers.copy()  # carries the publisher's Host, set by the client
        headers["X-Forwarded-Proto"] = original.scheme
        routed = httpx.Request(
            request.method, target, headers=headers, stream=request.stream, extensions=request.extensions
        )
        response = self._inner.handle_request(routed)
        location = response.headers.get("location")
        if location and location.startswith(self._root) and location[len(self._root) : len(self._root) + 1] in "/?":
            tail = location[len(self._root) :] or "/"
            response.headers["location"] = f"{original.scheme}://{original.netloc.decode('ascii')}{tail}"
        return response

    def close(self) -> None:
        self._inner.close()
