"""SSRF guard for user-added feeds: only http(s), never a private, loopback or link-local address.

The check runs when the socket is opened (a wrapped httpcore network backend), on the
addresses actually connected to: a host that resolves to a public address for a pre-check
and to 127.0.0.1 a moment later (DNS rebinding) is still refused.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable

import httpcore

__all__ = ["AddressRefusedError", "GuardedBackend", "refused_reason"]

_Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefusedError(Exception):
    """Raised from inside the transport; the client turns it into ForbiddenAddress with the URL."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def refused_reason(address: str) -> str | None:
    """Why we won't connect to this IP address ("a loopback address"...), or None when it is public."""
    ip: _Address = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    for label, flag in (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("private", ip.is_private),
        ("multicast", ip.is_multicast),
        ("unspecified", ip.is_unspecified),
        ("reserved", ip.is_reserved),
        ("non-global", not ip.is_global),  # e.g. 100.64.0.0/10 carrier-grade NAT
    ):
        if flag:
            return f"a {label} address"
    return None


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc.strerror}") from exc
    seen: dict[str, None] = {}  # ordered set: keep the resolver's preference order
    for _family, _type, _proto, _name, sockaddr in infos:
        seen[str(sockaddr[0])] = None
    return list(seen)


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's sync backend, but connecting only to vetted addresses (resolved here, once)."""

    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = _resolve(host, port)
        for address in addresses:
            label = refused_reason(address)
            if label:
                raise AddressRefusedError(f"{host} resolves to {address} ({label}); only public addresses are fetched")
        last: httpcore.ConnectError | None = None
        for address in addresses:  # the vetted address, not the name: no second lookup to rebind
            try:
                return self._inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except httpcore.ConnectError as exc:
                last = exc
        raise last or httpcore.ConnectError(f"no address for {host}")

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise AddressRefusedError("unix sockets are refused")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)
