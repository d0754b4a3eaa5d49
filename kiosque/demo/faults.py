"""Fault switches of the replay server: what can go wrong on the publisher's side, on demand.

    server.set_fault("www.lemonde.fr", Fault.rate_limited(retry_after=3, times=1))
    server.set_fault("https://www.lemonde.fr/rss/une.xml", Fault.truncated())

From the command line: `--fault host=www.lemonde.fr,kind=429,seconds=3,times=1`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

__all__ = ["Fault", "FaultKind", "parse_fault_spec"]

MB = 1024 * 1024


class FaultKind(enum.Enum):
    LATENCY = "latency"  # wait `seconds`, then answer normally
    SERVER_ERROR = "500"  # 500 Internal Server Error
    RATE_LIMITED = "429"  # 429 Too Many Requests with Retry-After: `seconds`
    TRUNCATED = "truncated"  # Content-Length of the full body, half of it sent, connection closed
    WRONG_CHARSET = "wrong_charset"  # Content-Type claims `charset` (default: one the body is not in)
    OVERSIZED = "oversized"  # `size` bytes streamed ("stream") or a gzip bomb ("gzip_bomb")
    REDIRECT_LOOP = "redirect_loop"  # 302 to itself ("self") or A -> B -> A ("pingpong")


@dataclass(frozen=True)
class Fault:
    kind: FaultKind
    seconds: float = 0.0
    charset: str | None = None
    size: int = 20 * MB
    mode: str = ""
    declare_length: bool = False  # oversized "stream": send Content-Length up front (else none, read to close)
    times: int | None = None  # how many requests it hits before it clears itself; None = until cleared

    @classmethod
    def latency(cls, seconds: float, *, times: int | None = None) -> Fault:
        return cls(FaultKind.LATENCY, seconds=seconds, times=times)

    @classmethod
    def server_error(cls, *, times: int | None = None) -> Fault:
        return cls(FaultKind.SERVER_ERROR, times=times)

    @classmethod
    def rate_limited(cls, retry_after: float = 1, *, times: int | None = None) -> Fault:
        return cls(FaultKind.RATE_LIMITED, seconds=retry_after, times=times)

    @classmethod
    def truncated(cls, *, times: int | None = None) -> Fault:
        return cls(FaultKind.TRUNCATED, times=times)

    @classmethod
    def wrong_charset(cls, charset: str | None = None, *, times: int | None = None) -> Fault:
        return cls(FaultKind.WRONG_CHARSET, charset=charset, times=times)

    @classmethod
    def oversized(
        cls, size: int = 20 * MB, *, gzip_bomb: bool = False, declare_length: bool = False, times: int | None = None
    ) -> Fault:
        mode = "gzip_bomb" if gzip_bomb else "stream"
        return cls(FaultKind.OVERSIZED, size=size, mode=mode, declare_length=declare_length, times=times)

    @classmethod
    def redirect_loop(cls, *, pingpong: bool = False, times: int | None = None) -> Fault:
        return cls(FaultKind.REDIRECT_LOOP, mode="pingpong" if pingpong else "self", times=times)


def _size(text: str) -> int:
    units = {"k": 1024, "m": MB, "g": 1024 * MB}
    suffix = text[-1:].lower()
    return int(float(text[:-1]) * units[suffix]) if suffix in units else int(text)


def parse_fault_spec(spec: str) -> tuple[str, Fault]:
    """`host=H|url=U,kind=K[,seconds=S][,charset=C][,size=20m][,mode=M][,declare_length=1][,times=N]`."""
    fields = dict(part.split("=", 1) for part in spec.split(",") if "=" in part)
    match = fields.pop("url", None) or fields.pop("host", None)
    if not match or "kind" not in fields:
        raise ValueError(f"a fault needs host= or url= and kind=: {spec!r}")
    kind = FaultKind(fields.pop("kind"))
    fault = Fault(kind)
    if kind is FaultKind.OVERSIZED:
        fault = replace(fault, mode="stream")
    if kind is FaultKind.REDIRECT_LOOP:
        fault = replace(fault, mode="self")
    converters: dict[str, Callable[[str], Any]] = {
        "seconds": float,
        "charset": str,
        "size": _size,
        "mode": str,
        "declare_length": lambda v: v.lower() in {"1", "true", "yes"},
        "times": int,
    }
    unknown = set(fields) - set(converters)
    if unknown:
        raise ValueError(f"unknown fault parameter(s) {sorted(unknown)} in {spec!r}")
    return match, replace(fault, **{name: converters[name](value) for name, value in fields.items()})
