"""The httpx transport stack: connection pool, address guard, demo routing."""

from __future__ import annotations

import functools
import ssl

import httpcore
import httpx

from kiosque.pipeline.types import FetchOptions

from .guard import GuardedBackend
from .routing import RoutingTransport

__all__ = ["build_transport"]


def build_transport(options: FetchOptions) -> httpx.BaseTransport:
    # No overall connection cap: the per-host limiter and the crawler's thread pool bound concurrency.
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=32, keepalive_expiry=15.0)
    inner = httpx.HTTPTransport(verify=_ssl_context(), limits=limits, trust_env=False)
    if options.route_to:
        # Routing sends everything to one operator-configured (usually loopback) server:
        # publisher hosts are never resolved, so the address guard has nothing to check.
        return RoutingTransport(options.route_to, inner)
    if options.block_private_addresses:
        _install_guard(inner)
    return inner


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    # Loading the CA bundle takes ~65 ms; one context serves every Fetcher of the process.
    return httpx.create_ssl_context(trust_env=False)


def _install_guard(transport: httpx.HTTPTransport) -> None:
    # httpx has no public hook for httpcore's `network_backend`, so we set it on the pool it
    # built (httpx is pinned <0.29). Fail loudly rather than run unguarded if that ever changes.
    pool = getattr(transport, "_pool", None)
    if not isinstance(pool, httpcore.ConnectionPool) or not hasattr(pool, "_network_backend"):
        raise RuntimeError("cannot install the private-address guard on this httpx version")
    pool._network_backend = GuardedBackend()
