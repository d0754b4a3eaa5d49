"""The pipeline's exception tree. Every error carries a reason a person can read.

    PipelineError                 reason: str, severity: Severity
    ├── FetchError                url
    │   ├── NetworkError          DNS, refused connection, TLS, reset      (temporary)
    │   ├── FetchTimeout          connect or read timeout                 (temporary)
    │   ├── HTTPStatusError       4xx/5xx; .status, .retry_after          (by status)
    │   ├── TooManyRedirects      redirect loop or over the limit         (hard)
    │   ├── BodyTooLarge          body (decompressed) over the cap        (hard)
    │   ├── BlockedByRobots       robots.txt disallows the URL            (soft; temporary when robots.txt is
    │   │                         unreachable or answers 5xx: RFC 9309 says assume disallow meanwhile)
    │   ├── ForbiddenAddress      resolves to a private address           (hard)
    │   └── InvalidURL            not an absolute http(s) URL with a host (hard)
    ├── ParseError                not a feed / sitemap / listing we read  (hard)
    ├── ExtractError              page has no usable article              (soft)
    └── ImageError                not an image we can verify / re-encode  (soft)

Severity drives the crawler's backoff: a *hard* failure (the URL is wrong or
will never work) weighs most, a *soft* one (this item is unusable) weighs
less, a *temporary* one (try again later) weighs least.
"""

from __future__ import annotations

import enum

__all__ = [
    "BlockedByRobots",
    "BodyTooLarge",
    "ExtractError",
    "FetchError",
    "FetchTimeout",
    "ForbiddenAddress",
    "HTTPStatusError",
    "ImageError",
    "InvalidURL",
    "NetworkError",
    "ParseError",
    "PipelineError",
    "Severity",
    "TooManyRedirects",
]


class Severity(enum.Enum):
    HARD = "hard"
    SOFT = "soft"
    TEMPORARY = "temporary"


class PipelineError(Exception):
    """Base of every pipeline error: `reason` is shown to operators as is."""

    severity: Severity = Severity.HARD

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class FetchError(PipelineError):
    def __init__(self, reason: str, *, url: str) -> None:
        super().__init__(reason)
        self.url = url


class NetworkError(FetchError):
    severity = Severity.TEMPORARY


class FetchTimeout(FetchError):
    severity = Severity.TEMPORARY


class HTTPStatusError(FetchError):
    """A 4xx/5xx answer. 404/410 are hard, 429 and 5xx temporary, other 4xx soft."""

    def __init__(self, reason: str, *, url: str, status: int, retry_after: float | None = None) -> None:
        super().__init__(reason, url=url)
        self.status = status
        self.retry_after = retry_after
        self.severity = _status_severity(status)


def _status_severity(status: int) -> Severity:
    if status in (404, 410):
        return Severity.HARD
    if status == 429 or status >= 500:
        return Severity.TEMPORARY
    return Severity.SOFT


class TooManyRedirects(FetchError):
    severity = Severity.HARD


class BodyTooLarge(FetchError):
    severity = Severity.HARD


class BlockedByRobots(FetchError):
    severity = Severity.SOFT


class ForbiddenAddress(FetchError):
    severity = Severity.HARD


class InvalidURL(FetchError):
    severity = Severity.HARD


class ParseError(PipelineError):
    severity = Severity.HARD


class ExtractError(PipelineError):
    severity = Severity.SOFT


class ImageError(PipelineError):
    severity = Severity.SOFT
