"""Frozen dataclasses passed between pipeline stages and to the Django apps.

Each stage takes one options object (built by `crawler.services` from settings)
and returns one of these; nothing in the pipeline reads global configuration.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

__all__ = [
    "DiscoveredFeed",
    "ExtractOptions",
    "ExtractedArticle",
    "FeedEntry",
    "FeedKind",
    "FetchOptions",
    "FetchResult",
    "ImageOptions",
    "OpmlOutline",
    "ParseOptions",
    "ParsedFeed",
    "ProcessedImage",
]


# --------------------------------------------------------------------- fetch
@dataclass(frozen=True)
class FetchOptions:
    user_agent: str = "Kiosque/0.1 (+https://github.com/kiosque/kiosque)"
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    max_body_bytes: int = 5 * 1024 * 1024  # holds for the decompressed body too
    max_redirects: int = 5
    per_host_concurrency: int = 2
    min_host_delay: float = 1.0  # seconds between two requests to one host
    respect_robots: bool = True
    robots_cache_ttl: float = 3600.0
    # Demo/test mode: every request is sent over loopback to this base URL
    # (e.g. "http://127.0.0.1:8123") with its original Host header, so the
    # real publisher URL is kept everywhere else. None in production.
    route_to: str | None = None
    # Refuse hosts that resolve to private/loopback addresses (off when route_to is set).
    block_private_addresses: bool = True
    # Deadline for one response (headers + body): a slow-drip server can't hold a worker.
    total_timeout: float = 30.0
    # A robots.txt answering 5xx/429 or unreachable disallows the host (RFC 9309) for this long.
    robots_error_ttl: float = 300.0
    # Crawl-delay from robots.txt raises the host delay, up to this cap (some sites ask for hours).
    max_crawl_delay: float = 60.0
    # Longest wait for a politeness slot on one host before giving up with FetchTimeout.
    host_wait_timeout: float = 300.0


@dataclass(frozen=True)
class FetchResult:
    url: str  # the URL asked for
    final_url: str  # after redirects (publisher URL, even when routed to a replay server)
    status: int  # 200, or 304 when not_modified
    content: bytes  # decompressed body (empty on 304)
    content_type: str  # media type without parameters, lower case ("" when absent)
    encoding: str | None  # charset from BOM, header, XML prolog or <meta>; None for binary
    headers: Mapping[str, str]
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    elapsed: float = 0.0

    @property
    def text(self) -> str:
        # The BOM (kept in `content`) is not part of the text.
        return self.content.decode(self.encoding or "utf-8", errors="replace").removeprefix("\ufeff")


# --------------------------------------------------------------------- parse
class FeedKind(enum.Enum):
    RSS = "rss"
    ATOM = "atom"
    RDF = "rdf"
    JSON_FEED = "jsonfeed"
    SITEMAP = "sitemap"  # news sitemap or sitemap index
    LISTING = "listing"  # feedless section page, links picked by CSS selector


@dataclass(frozen=True)
class ParseOptions:
    base_url: str = ""  # resolves relative links
    listing_selector: str | None = None  # CSS selector for feedless listing pages
    max_entries: int = 500
    encoding: str | None = None  # from the HTTP header, when known
    # What the caller expects (Feed.kind). None or a feed kind: an HTML body without listing_selector is a
    # ParseError (the URL no longer serves a feed). LISTING: an HTML body is read with listing_selector,
    # or with the default article-link heuristic when there is none.
    expected_kind: FeedKind | None = None


@dataclass(frozen=True)
class FeedEntry:
    url: str
    guid: str | None = None
    title: str = ""
    summary: str = ""  # plain text
    published: datetime | None = None  # timezone-aware (UTC when the feed gave no zone)
    updated: datetime | None = None
    author: str = ""
    categories: tuple[str, ...] = ()
    image_url: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class ParsedFeed:
    kind: FeedKind
    version: str = ""  # e.g. "rss20", "atom10", "jsonfeed11", "sitemap-news"
    title: str = ""
    link: str = ""
    language: str | None = None
    entries: tuple[FeedEntry, ...] = ()
    child_feeds: tuple[str, ...] = ()  # sitemap index -> sitemaps
    warnings: tuple[str, ...] = ()  # recovered problems (feedparser's "bozo")


@dataclass(frozen=True)
class OpmlOutline:
    """One feed of an OPML subscription list (`kiosque import-opml`)."""

    title: str
    xml_url: str
    html_url: str = ""
    category: str = ""  # title of the enclosing folder outline, or the `category` attribute


@dataclass(frozen=True)
class DiscoveredFeed:
    """A feed found on a homepage (`kiosque add-source URL`); `guessed` ones are common paths to probe."""

    url: str
    title: str = ""
    kind: FeedKind | None = None
    guessed: bool = False


# ------------------------------------------------------------------- extract
@dataclass(frozen=True)
class ExtractOptions:
    url: str = ""  # the page's URL, for relative links and the canonical fallback
    # Per-source rules (Source.extraction_rules): CSS selectors.
    remove_selectors: tuple[str, ...] = ()  # boilerplate to drop before extraction
    body_selector: str | None = None  # force the article body container
    min_text_chars: int = 200  # below this the page is discarded with a reason
    include_tables: bool = True
    # Charset the transport announced (FetchResult.encoding), used for bytes that are not valid
    # UTF-8 and carry no BOM; None lets the page's <meta> and detection decide.
    encoding: str | None = None


@dataclass(frozen=True)
class ExtractedArticle:
    title: str
    text: str  # plain text, paragraphs separated by blank lines
    html: str  # sanitised by nh3 (the last step); safe to mark safe in templates
    lead: str = ""  # first paragraph or description
    author: str = ""
    published: datetime | None = None
    image_url: str | None = None
    canonical_url: str | None = None
    language: str | None = None  # as the page declares it (<html lang>, og:locale)
    categories: tuple[str, ...] = ()
    site_name: str = ""
    # Recovered problems worth an operator's eye, e.g. a per-source body_selector that matched
    # nothing (the generic extraction was used instead). Empty when all went as configured.
    warnings: tuple[str, ...] = ()


# -------------------------------------------------------------------- images
@dataclass(frozen=True)
class ImageOptions:
    display_width: int = 960
    thumb_width: int = 320
    max_pixels: int = 40_000_000  # decompression-bomb guard
    jpeg_quality: int = 82
    min_side: int = 17  # a side shorter than this is a tracking pixel or a spacer
    max_aspect_ratio: float = 8.0  # long side / short side; beyond it a banner or a spacer line
    output_format: str = "jpeg"  # "jpeg" or "webp" (smaller files, ~9x the encoding CPU: images/process.py)


@dataclass(frozen=True)
class ProcessedImage:
    sha256: str  # of the original bytes
    mime: str  # of the original ("image/jpeg", ...)
    width: int  # original size
    height: int
    display: bytes  # re-encoded (WebP or JPEG) at display width
    display_size: tuple[int, int]
    thumb: bytes
    thumb_size: tuple[int, int]
    output_format: str  # "webp" or "jpeg"
    phash: str = ""  # perceptual hash (hex) for near-duplicate blocking
    extra: Mapping[str, str] = field(default_factory=dict)
