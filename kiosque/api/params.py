"""Query parameters: parsed and checked before any read, each failure a 400 that names the parameter."""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime, time

from django.http import QueryDict
from django.utils.dateparse import parse_date, parse_datetime

from kiosque.api.http import ApiError

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_QUERY_CHARS = 500
_LANGUAGE = re.compile(r"[a-z]{2,3}")


def invalid(name: str, message: str) -> ApiError:
    return ApiError(400, "invalid_parameter", f"{name}: {message}")


def limit_param(query: QueryDict) -> int:
    raw = query.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise invalid("limit", f"an integer from 1 to {MAX_LIMIT}")
    return int(raw)


def page_param(query: QueryDict) -> int:
    raw = query.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        raise invalid("page", "a positive integer")
    return int(raw)


def language_param(query: QueryDict, name: str) -> str | None:
    raw = query.get(name) or None
    if raw is not None and not _LANGUAGE.fullmatch(raw):
        raise invalid(name, "an ISO 639-1 language code such as fr, ar or en")
    return raw


def text_param(query: QueryDict, name: str, *, required: bool = False) -> str | None:
    raw = " ".join(query.get(name, "").split())
    if not raw and required:
        raise invalid(name, "required")
    if len(raw) > MAX_QUERY_CHARS:
        raise invalid(name, f"at most {MAX_QUERY_CHARS} characters")
    return raw or None


def datetime_param(query: QueryDict, name: str) -> datetime | None:
    """ISO 8601 date-time or date; without an offset, UTC. A '+' sent unencoded arrives as a space: accepted."""
    raw = query.get(name)
    if not raw:
        return None
    raw = raw.strip().replace(" ", "+")
    try:
        value = parse_datetime(raw)
        if value is None:
            day = parse_date(raw)
            value = None if day is None else datetime.combine(day, time.min)
    except ValueError:  # well-formed but impossible, like 2024-02-30
        value = None
    if value is None:
        raise invalid(name, "an ISO 8601 date or date-time, e.g. 2024-10-20T09:30:00Z")
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def encode_cursor(published_at: datetime, pk: int) -> str:
    """An opaque position in the newest-first order: where the next page starts."""
    raw = f"{published_at.astimezone(UTC).isoformat()}|{pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def cursor_param(query: QueryDict) -> tuple[datetime, int] | None:
    raw = query.get("cursor")
    if not raw:
        return None
    try:
        published, pk = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode().split("|")
        value = datetime.fromisoformat(published), int(pk)
    except ValueError:  # bad base64, bad UTF-8, no '|', bad date or id
        value = None
    if value is None or value[0].tzinfo is None:
        raise invalid("cursor", "not a cursor this API gave (use the `next` URL as it is)")
    return value
