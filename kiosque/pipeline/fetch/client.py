"""`Fetcher`: the pipeline's only HTTP client.

One `fetch()` walks: URL check -> robots.txt (per hop) -> per-host slot -> request -> redirects
(followed here, so every hop is checked) -> status -> FetchResult. It never retries beyond one
immediate retry on a dropped connection; backoff is the crawler's job (Retry-After is handed over).
"""

from __future__ import annotations

import http.cookiejar
import logging
from types import TracebackType

import httpx

from kiosque.pipeline.errors import (
    BlockedByRobots,
    FetchTimeout,
    ForbiddenAddress,
    HTTPStatusError,
    InvalidURL,
    NetworkError,
    Severity,
    TooManyRedirects,
)
from kiosque.pipeline.types import FetchOptions, FetchResult

from .charset import detect_encoding, media_type
from .exchange import BodyLimits, Reply, exchange, translate_errors
from .limits import HostBusyError, HostLimiter, HostLimiterError, InProcessHostLimiter
from .retry_after import parse_retry_after
from .robots import MAX_ROBOTS_BYTES, RobotsAnswer, RobotsCache
from .transport import build_transport

__all__ = ["Fetcher"]

log = logging.getLogger(__name__)

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_ROBOTS_MAX_REDIRECTS = 5  # RFC 9309 §2.3.1.2: follow at least five


class Fetcher:
    """Thread-safe HTTP fetcher; share one per process (or per crawl) and close it at the end."""

    def __init__(self, options: FetchOptions | None = None, *, limiter: HostLimiter | None = None) -> None:
        self.options = options or FetchOptions()
        self._limiter: HostLimiter = limiter or InProcessHostLimiter()
        opts = self.options
        self._client = httpx.Client(
            transport=build_transport(opts),
            timeout=httpx.Timeout(opts.read_timeout, connect=opts.connect_timeout),
            # Accept-Encoding is left to httpx: it lists gzip, deflate, plus br/zstd only when
            # their decoders are installed.
            headers={"User-Agent": opts.user_agent},
            follow_redirects=False,  # followed by hand: robots and the address guard apply per hop
            trust_env=False,  # no proxy or .netrc from the environment: the same behaviour everywhere
            cookies=_no_cookie_jar(),
        )
        self._robots = RobotsCache(self._fetch_robots, ttl=opts.robots_cache_ttl, error_ttl=opts.robots_error_ttl)

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str | None = None,
        check_robots: bool = True,
    ) -> FetchResult:
        """GET `url`, following redirects. Raises a FetchError subclass with a readable reason."""
        current = _checked_url(url, url)
        headers = _request_headers(etag=etag, last_modified=last_modified, accept=accept)
        seen = {str(current)}
        elapsed = 0.0
        for _hop in range(self.options.max_redirects + 1):
            delay = self.options.min_host_delay
            if check_robots and self.options.respect_robots:
                delay = self._robots_delay(current, url)
            reply = self._exchange(current, headers, min_delay=delay, original=url)
            elapsed += reply.elapsed
            location = reply.headers.get("location")
            if reply.status not in _REDIRECTS or not location:
                return _result(url, reply, elapsed=elapsed, etag=etag, last_modified=last_modified)
            target = _checked_url(_join(current, location, url), url)
            if str(target) in seen:
                raise TooManyRedirects(f"redirect loop: {current} -> {target}", url=url)
            seen.add(str(target))
            log.debug("redirect", extra={"url": url, "status": reply.status, "location": str(target)})
            current = target
        raise TooManyRedirects(f"more than {self.options.max_redirects} redirects (last: {current})", url=url)

    # ------------------------------------------------------------------ internals
    def _exchange(
        self, url: httpx.URL, headers: dict[str, str], *, min_delay: float, original: str, robots: bool = False
    ) -> Reply:
        opts = self.options
        limits = BodyLimits(
            max_bytes=MAX_ROBOTS_BYTES if robots else opts.max_body_bytes,
            total_timeout=opts.total_timeout,
            truncate=robots,
        )
        try:
            with self._limiter.slot(
                url.host, min_delay=min_delay, max_concurrency=opts.per_host_concurrency, timeout=opts.host_wait_timeout
            ):
                request = self._client.build_request("GET", url, headers=headers)
                return exchange(self._client, request, limits=limits, report_url=original)
        except HostBusyError as exc:
            raise FetchTimeout(f"no politeness slot for {url.host}: {exc}", url=original) from exc
        except HostLimiterError as exc:
            raise NetworkError(str(exc), url=original) from exc

    def _robots_delay(self, url: httpx.URL, original: str) -> float:
        """Raise BlockedByRobots when disallowed; else the host delay, raised by any Crawl-delay."""
        try:
            policy = self._robots.policy(f"{url.scheme}://{url.netloc.decode('ascii')}")
        except (ForbiddenAddress, InvalidURL, NetworkError, FetchTimeout) as exc:
            # Met while fetching robots.txt: the page can't be fetched either; say so about the page.
            raise type(exc)(f"{exc.reason} (fetching robots.txt)", url=original) from exc
        agent = self.options.user_agent
        reason = policy.blocked_reason(str(url), agent)
        if reason is not None:
            error = BlockedByRobots(reason, url=original)
            if policy.unreachable is not None:
                error.severity = Severity.TEMPORARY  # the file may come back; RFC 9309 §2.3.1.4
            raise error
        crawl_delay = min(policy.crawl_delay(agent) or 0.0, self.options.max_crawl_delay)
        return max(self.options.min_host_delay, crawl_delay)

    def _fetch_robots(self, robots_url: str) -> RobotsAnswer:
        """Called by the robots cache; network failures are raised (and not cached)."""
        current = httpx.URL(robots_url)
        for _hop in range(_ROBOTS_MAX_REDIRECTS + 1):
            reply = self._exchange(current, {}, min_delay=self.options.min_host_delay, original=robots_url, robots=True)
            location = reply.headers.get("location")
            if reply.status not in _REDIRECTS or not location:
                break
            current = _checked_url(_join(current, location, robots_url), robots_url)
        return RobotsAnswer(status=reply.status, body=reply.content)


def _checked_url(url: str | httpx.URL, original: str) -> httpx.URL:
    with translate_errors(original):
        parsed = httpx.URL(url)
    if parsed.scheme not in ("http", "https"):
        raise InvalidURL(
            f"only http and https URLs are fetched, not {parsed.scheme or 'a relative URL'}: {url}", url=original
        )
    if not parsed.host:
        raise InvalidURL(f"URL has no host: {url}", url=original)
    return parsed.copy_with(fragment=None) if parsed.fragment else parsed  # copy_with parses the URL again


def _join(base: httpx.URL, location: str, original: str) -> httpx.URL:
    with translate_errors(original):
        return base.join(location)


def _request_headers(*, etag: str | None, last_modified: str | None, accept: str | None) -> dict[str, str]:
    headers: dict[str, str] = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    if accept:
        headers["Accept"] = accept
    return headers


def _result(url: str, reply: Reply, *, elapsed: float, etag: str | None, last_modified: str | None) -> FetchResult:
    status = reply.status
    if status >= 300 and status != 304:
        raise _status_error(url, reply)
    content_type = reply.headers.get("content-type")
    not_modified = status == 304
    return FetchResult(
        url=url,
        final_url=str(reply.url),
        status=status,
        content=reply.content,
        content_type=media_type(content_type),
        encoding=None if not_modified else detect_encoding(reply.content, content_type),
        headers=dict(reply.headers.items()),  # lower-case names; repeated headers joined by commas
        # On 304 the validators we sent stay valid unless the server sent fresh ones.
        etag=reply.headers.get("etag") or (etag if not_modified else None),
        last_modified=reply.headers.get("last-modified") or (last_modified if not_modified else None),
        not_modified=not_modified,
        elapsed=elapsed,
    )


def _status_error(url: str, reply: Reply) -> HTTPStatusError:
    status = reply.status
    phrase = httpx.codes.get_reason_phrase(status)
    reason = f"HTTP {status} {phrase}".rstrip()
    if status < 400:
        reason += " without a usable Location"
    retry_after = parse_retry_after(reply.headers.get("retry-after")) if status in (429, 503) else None
    if retry_after is not None:
        reason += f", retry after {retry_after:.0f}s"
    if str(reply.url) != url:
        reason += f" (at {reply.url})"
    return HTTPStatusError(reason, url=url, status=status, retry_after=retry_after)


def _no_cookie_jar() -> http.cookiejar.CookieJar:
    # Cookies are never stored: fetches stay independent and publishers can't track us across them.
    return http.cookiejar.CookieJar(policy=http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
