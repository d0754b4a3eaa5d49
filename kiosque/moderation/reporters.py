"""Who is reporting, from a request, without keeping anything that identifies a person.

A reader is a random token in a signed cookie (HttpOnly, SameSite=Lax, a year); we store only a keyed hash
of it. The client address is reduced to its network (an IPv4 address, or the /64 of an IPv6 address, which
one subscriber usually holds whole, so changing addresses inside it gains nothing) and stored only as a
salted keyed hash: equal addresses give equal hashes, so limits per address work, and the address itself
cannot be read back without the server's secret key.
"""

from __future__ import annotations

import ipaddress
import secrets

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.crypto import salted_hmac

from kiosque.moderation.services import Reporter

COOKIE_NAME = "kiosque_reporter"
COOKIE_MAX_AGE = 365 * 24 * 3600
_COOKIE_SALT = "kiosque.moderation.reporter"
_ADDRESS_SALT = "kiosque.moderation.address"


def reporter_from_request(request: HttpRequest) -> tuple[Reporter, str | None]:
    """The request's reporter, and a new token to set in the cookie when it had none (or a forged one)."""
    token = request.get_signed_cookie(COOKIE_NAME, default=None, salt=_COOKIE_SALT)
    new_token = None
    if not token:
        token = new_token = secrets.token_urlsafe(24)
    key = salted_hmac(_COOKIE_SALT, token, algorithm="sha256").hexdigest()
    address = salted_hmac(_ADDRESS_SALT, client_network(request), algorithm="sha256").hexdigest()
    return Reporter(key=key, address=address), new_token


def remember_reporter(response: HttpResponseBase, request: HttpRequest, token: str | None) -> None:
    if token:
        response.set_signed_cookie(
            COOKIE_NAME, token, salt=_COOKIE_SALT, max_age=COOKIE_MAX_AGE, httponly=True, samesite="Lax",
            secure=request.is_secure(),
        )


def client_address(request: HttpRequest) -> str:
    """The client's address: the connection's, or with N trusted proxies in front, the N-th address from the
    end of X-Forwarded-For (each proxy appends whom it heard from; anything further left the client wrote)."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    hops = settings.KIOSQUE["KIOSQUE_TRUSTED_PROXIES"]
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    return forwarded[-hops] if len(forwarded) >= hops else remote


def client_network(request: HttpRequest) -> str:
    raw = client_address(request)
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return "unknown"  # every unparsable address shares one bucket rather than escaping the limits
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)
