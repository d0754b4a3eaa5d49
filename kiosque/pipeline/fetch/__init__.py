"""The pipeline's only network code: polite, capped HTTP GETs.

    with Fetcher(FetchOptions(...), limiter=RedisHostLimiter(redis_url)) as fetcher:
        result = fetcher.fetch(feed_url, etag=feed.etag, last_modified=feed.last_modified)

- conditional GET (If-None-Match / If-Modified-Since; 304 -> `not_modified`)
- robots.txt per origin (RFC 9309, cached; Crawl-delay raises the host delay)
- per-host politeness: concurrency cap and minimum delay (in process, or shared through Redis)
- Retry-After carried on HTTPStatusError for 429/503; no retries here (the crawler backs off)
- connect/read timeouts plus a deadline per response; a body cap that counts decompressed bytes
- redirects followed by hand (loops and over-limit chains refused; each hop re-checked)
- declared charset (BOM, header, XML prolog, <meta>)
- private-address guard (SSRF) for user-added feeds; only http and https
- demo routing (`FetchOptions.route_to`): everything goes to one local server, publisher URLs kept

Errors are the FetchError subclasses of `kiosque.pipeline.errors`, never httpx's.
"""

from .charset import detect_encoding
from .client import Fetcher
from .limits import HostBusyError, HostLimiter, HostLimiterError, InProcessHostLimiter
from .redis_limits import RedisHostLimiter
from .retry_after import parse_retry_after

__all__ = [
    "Fetcher",
    "HostBusyError",
    "HostLimiter",
    "HostLimiterError",
    "InProcessHostLimiter",
    "RedisHostLimiter",
    "detect_encoding",
    "parse_retry_after",
]
