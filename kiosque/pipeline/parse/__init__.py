"""Parse stage: feeds (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed 1.0/1.1), sitemaps, listing pages, OPML.

Bytes and one `ParseOptions` in, frozen dataclasses out; every failure is a `ParseError` with a
reason a person can read. Network access is the caller's job (`discover_feeds` only lists URLs).
"""

from kiosque.pipeline.types import DiscoveredFeed, FeedEntry, FeedKind, OpmlOutline, ParsedFeed, ParseOptions

from .dates import parse_date
from .discover import FALLBACK_PATHS, discover_feeds
from .feed import parse_feed
from .opml import parse_opml
from .sniff import sniff_kind
from .text import html_to_text

__all__ = [
    "FALLBACK_PATHS",
    "DiscoveredFeed",
    "FeedEntry",
    "FeedKind",
    "OpmlOutline",
    "ParseOptions",
    "ParsedFeed",
    "discover_feeds",
    "html_to_text",
    "parse_date",
    "parse_feed",
    "parse_opml",
    "sniff_kind",
]
