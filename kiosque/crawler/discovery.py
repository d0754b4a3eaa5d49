"""`kiosque add-source URL`: find the feeds of a homepage (or take a feed URL as is) and register the source."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import transaction

from kiosque.pipeline.errors import PipelineError
from kiosque.pipeline.fetch import Fetcher
from kiosque.pipeline.parse import discover_feeds, parse_feed, sniff_kind
from kiosque.pipeline.types import FeedKind, ParsedFeed, ParseOptions
from kiosque.sources.models import Source
from kiosque.sources.services import feed_add, source_create

log = logging.getLogger(__name__)

_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.I | re.S)


class DiscoveryError(Exception):
    """No feed could be found at or from the URL; the message says what was tried."""


@dataclass(frozen=True)
class FoundFeed:
    url: str
    kind: FeedKind
    title: str
    link: str
    language: str | None


def feeds_find(url: str, *, fetcher: Fetcher) -> tuple[list[FoundFeed], str]:
    """The feeds at `url` (a feed itself, or a homepage's advertised / conventional feeds), and a page title."""
    try:
        page = fetcher.fetch(url)
    except PipelineError as error:
        raise DiscoveryError(f"Could not fetch {url}: {error.reason}") from error
    if sniff_kind(page.content, page.content_type) not in (None, FeedKind.LISTING):
        parsed = parse_feed(page.content, ParseOptions(base_url=page.final_url, encoding=page.encoding))
        return [_found(page.final_url, parsed)], parsed.title
    match = _TITLE.search(page.content[:200_000])
    title = match.group(1).decode(page.encoding or "utf-8", "replace").strip() if match else ""
    found: list[FoundFeed] = []
    for candidate in discover_feeds(page.text, page.final_url):
        feed = _probe(candidate.url, fetcher=fetcher)
        if feed is not None and all(f.url != feed.url for f in found):
            found.append(feed)
        if found and candidate.guessed:
            break  # conventional paths are only a fallback: one working is enough
    return found, title


def _probe(url: str, *, fetcher: Fetcher) -> FoundFeed | None:
    try:
        result = fetcher.fetch(url)
        parsed = parse_feed(result.content, ParseOptions(base_url=result.final_url, encoding=result.encoding))
    except PipelineError as error:
        log.info("feed candidate rejected", extra={"url": url, "reason": error.reason})
        return None
    if parsed.kind is FeedKind.LISTING or not parsed.entries:
        return None
    return _found(result.final_url, parsed)


def _found(url: str, parsed: ParsedFeed) -> FoundFeed:
    return FoundFeed(url=url, kind=parsed.kind, title=parsed.title, link=parsed.link, language=parsed.language)


@transaction.atomic
def source_add_from_url(url: str, *, fetcher: Fetcher, name: str = "", languages: list[str] | None = None) -> Source:
    feeds, page_title = feeds_find(url, fetcher=fetcher)
    if not feeds:
        raise DiscoveryError(f"No RSS, Atom, JSON Feed or sitemap found at or linked from {url}")
    homepage = feeds[0].link or f"{urlsplit(url).scheme}://{urlsplit(url).netloc}/"
    langs = languages or sorted({f.language[:2] for f in feeds if f.language})
    source = source_create(
        name=name or page_title or feeds[0].title or urlsplit(url).netloc, homepage=homepage, languages=langs
    )
    for feed in feeds:
        feed_add(source=source, url=feed.url, kind=feed.kind.value)
    return source
