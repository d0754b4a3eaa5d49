"""`parse_feed`: sniff, decode, then hand the document to the reader of its format.

XML takes the fast path (strict lxml, `xmlfeeds`) when it is well-formed after the usual
repairs (`decode.fix_xml`); otherwise, or when the root is not one the fast path knows,
feedparser reads it, and a recovering lxml parse competes with it: the one that finds more
entries wins. Every failure leaves as a ParseError with a reason.
"""

from __future__ import annotations

from lxml import etree

from kiosque.pipeline.errors import ParseError
from kiosque.pipeline.types import FeedKind, ParsedFeed, ParseOptions

from .decode import decode, fix_xml, gunzip_capped, strip_prolog_encoding
from .fallback import read_with_feedparser
from .jsonfeed import read_json_feed
from .listing import read_listing
from .sitemap import read_sitemap
from .sniff import sniff_kind
from .xmlfeeds import read_tree
from .xmlnodes import local_name

__all__ = ["parse_feed"]

Element = etree._Element


def parse_feed(content: bytes, options: ParseOptions) -> ParsedFeed:
    """Parse a feed, sitemap or listing page; raise ParseError when it is none of them."""
    if not content or not content.strip():
        raise ParseError("empty document")
    if content.startswith(b"\x1f\x8b"):
        unzipped = gunzip_capped(content)
        if unzipped is None:
            raise ParseError("gzip body that does not decompress (corrupt, or over the size cap)")
        content = unzipped
    kind = sniff_kind(content)
    decoded = decode(content, options.encoding)
    text, warnings = decoded.text, decoded.warnings
    if kind is FeedKind.JSON_FEED or text.lstrip().startswith(("{", "[")):
        return read_json_feed(text, options, warnings)
    if kind is FeedKind.LISTING:
        return _read_html(text, options, warnings)
    if "<" not in text:
        raise ParseError("not a feed: neither XML, JSON nor HTML")
    return _read_xml(text, options, warnings, kind=kind)


def _read_html(text: str, options: ParseOptions, warnings: tuple[str, ...]) -> ParsedFeed:
    if options.listing_selector or options.expected_kind is FeedKind.LISTING:
        return read_listing(strip_prolog_encoding(text), options, warnings)
    raise ParseError("got an HTML page, not a feed (no listing selector configured for this URL)")


def _parse(data: bytes, *, recover: bool, base_url: str) -> Element | None:
    """lxml parse of UTF-8 bytes; no network, no entity expansion, libxml2's default depth/size limits."""
    # One parser per call: lxml serialises concurrent use of one parser object, so sharing one would make
    # crawler threads wait on each other.
    parser = etree.XMLParser(
        recover=recover, resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True,
        encoding="utf-8", huge_tree=False,
    )  # fmt: skip
    if base_url:  # xml:base and relative links resolve against it (element.base)
        return etree.fromstring(data, parser, base_url=base_url)
    return etree.fromstring(data, parser)


def _read_xml(text: str, options: ParseOptions, warnings: tuple[str, ...], *, kind: FeedKind | None) -> ParsedFeed:
    data = fix_xml(strip_prolog_encoding(text)).encode("utf-8", errors="replace")
    if b"<!ENTITY" in data:
        # Internal DTD entities: lxml would have to expand them (entity-expansion risk); feedparser's
        # expat-based parser does it with its own limits.
        return _recover(data, options, warnings, kind=kind)
    try:
        root = _parse(data, recover=False, base_url=options.base_url)
    except etree.XMLSyntaxError as exc:
        return _recover(data, options, (*warnings, f"not well-formed XML, recovered: {exc}"), kind=kind)
    feed = _from_root(root, options, warnings)
    if feed is not None:
        return feed
    recovered = read_with_feedparser(data, options, warnings)  # CDF and other roots feedparser knows
    if recovered is None:
        name = local_name(root) if root is not None else "?"
        raise ParseError(f"not a feed: XML document with root <{name}>")
    return recovered


def _from_root(root: Element | None, options: ParseOptions, warnings: tuple[str, ...]) -> ParsedFeed | None:
    if root is None or not isinstance(root.tag, str):
        return None
    if local_name(root) in ("urlset", "sitemapindex"):
        return read_sitemap(root, options, warnings)
    return read_tree(root, options, warnings)


def _recover(data: bytes, options: ParseOptions, warnings: tuple[str, ...], *, kind: FeedKind | None) -> ParsedFeed:
    by_feedparser = None if kind is FeedKind.SITEMAP else read_with_feedparser(data, options, warnings)
    try:
        root = _parse(data, recover=True, base_url=options.base_url)
    except etree.XMLSyntaxError:
        root = None
    by_lxml = _from_root(root, options, warnings)
    candidates = [feed for feed in (by_feedparser, by_lxml) if feed is not None]
    if not candidates:
        reason = warnings[-1] if warnings else "no feed structure found"
        raise ParseError(f"not a feed we can read: {reason}")
    # feedparser first: on a tie its loose parser has usually kept more of the text.
    return max(candidates, key=lambda feed: len(feed.entries) + len(feed.child_feeds))
