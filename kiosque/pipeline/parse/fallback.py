"""The robust path: feedparser, for XML that is not well-formed or that the fast path does not know.

feedparser's loose SGML parser recovers items from broken markup that libxml2's recovery loses,
and it reads CDF and documents with internal DTD entities. Its strings may hold (unsanitised)
HTML: everything is turned into plain text here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import feedparser

from kiosque.pipeline.errors import ParseError
from kiosque.pipeline.types import FeedEntry, FeedKind, ParsedFeed, ParseOptions

from .common import author_name, cap_entries, looks_like_image_url, unique
from .dates import parse_date
from .text import clean, first_img_src, http_url, is_http_url, to_text

__all__ = ["read_with_feedparser"]

_KINDS = (("atom", FeedKind.ATOM), ("rss10", FeedKind.RDF), ("rss090", FeedKind.RDF), ("rss", FeedKind.RSS))


def read_with_feedparser(data: bytes, options: ParseOptions, warnings: tuple[str, ...]) -> ParsedFeed | None:
    """ParsedFeed from feedparser, or None when it recognised no feed at all.

    `data` is UTF-8 (we decoded and re-encoded it), so the header says so and the prolog was
    rewritten; feedparser then never guesses the charset differently from us.
    """
    headers = {"content-type": "application/xml; charset=utf-8"}
    if options.base_url:
        headers["content-location"] = options.base_url
    try:
        result = feedparser.parse(data, response_headers=headers, sanitize_html=False, resolve_relative_uris=False)
    except Exception as exc:  # third-party code with a large surface: keep the reason, never crash the crawl
        raise ParseError(f"feedparser failed: {type(exc).__name__}: {exc}") from exc
    version = str(result.get("version") or "")
    if not version and not result.entries:
        return None
    language = clean(result.feed.get("language")) or None
    entries = (_entry(e, language) for e in result.entries)
    return ParsedFeed(
        kind=next((kind for prefix, kind in _KINDS if version.startswith(prefix)), FeedKind.RSS),
        version=version,
        title=to_text(result.feed.get("title")),
        link=clean(result.feed.get("link")),
        language=language,
        entries=cap_entries(entries, options.max_entries),
        warnings=warnings,
    )


def _entry(e: Mapping[str, Any], feed_language: str | None) -> FeedEntry:
    guid = clean(e.get("id")) or None
    link = http_url(clean(e.get("link")), None) or ""
    contents = e.get("content") or []
    content = str(contents[0].get("value") or "") if contents else ""
    summary = str(e.get("summary") or "")
    tags = e.get("tags") or []
    language = next((clean(c.get("language")) for c in contents if c.get("language")), "") or feed_language
    return FeedEntry(
        url=link if link else (guid if is_http_url(guid) else "") or "",
        guid=guid,
        title=to_text(e.get("title")),
        summary=to_text(summary or content),
        published=_date(e, "published", "created"),
        updated=_date(e, "updated"),
        author=author_name((e.get("author_detail") or {}).get("name") or e.get("author")),
        categories=unique(clean(t.get("term") or t.get("label")) for t in tags),
        image_url=http_url(_image(e) or first_img_src(content or summary), None),
        language=language,
    )


def _date(e: Mapping[str, Any], *keys: str) -> datetime | None:
    for key in keys:
        raw = e.get(key)
        if raw:
            parsed = parse_date(str(raw))
            if parsed is not None:
                return parsed
        struct = e.get(f"{key}_parsed")
        if struct:
            year, month, day, hour, minute, second = struct[:6]
            try:
                return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
            except (TypeError, ValueError):
                continue
    return None


def _image(e: Mapping[str, Any]) -> str | None:
    for media in e.get("media_content") or []:
        url, medium, mime = media.get("url") or "", media.get("medium") or "", media.get("type") or ""
        if url and (medium == "image" or mime.startswith("image/") or (not medium and looks_like_image_url(url))):
            return str(url)
    for thumb in e.get("media_thumbnail") or []:
        if thumb.get("url"):
            return str(thumb["url"])
    for link in e.get("links") or []:
        href, mime = link.get("href") or "", link.get("type") or ""
        if link.get("rel") == "enclosure" and href and (mime.startswith("image/") or looks_like_image_url(href)):
            return str(href)
    image = e.get("image")
    if isinstance(image, Mapping) and image.get("href"):
        return str(image["href"])
    return None
