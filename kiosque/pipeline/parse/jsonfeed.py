"""JSON Feed 1.0 and 1.1 (https://www.jsonfeed.org/version/1.1/); feedparser 6 does not read it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from kiosque.pipeline.errors import ParseError
from kiosque.pipeline.types import FeedEntry, FeedKind, ParsedFeed, ParseOptions

from .common import author_name, cap_entries, unique
from .dates import parse_date
from .text import clean, first_img_src, http_url, is_http_url, to_text

__all__ = ["read_json_feed"]

_VERSION_PREFIXES = ("https://jsonfeed.org/version/", "http://jsonfeed.org/version/")


def read_json_feed(text: str, options: ParseOptions, warnings: tuple[str, ...] = ()) -> ParsedFeed:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ParseError(f"not valid JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise ParseError("JSON document is not an object, so not a JSON Feed")
    version = str(document.get("version") or "")
    items = document.get("items")
    if not version.startswith(_VERSION_PREFIXES):
        if not isinstance(items, list):
            raise ParseError("JSON document is not a JSON Feed (no jsonfeed.org version, no items)")
        warnings = (*warnings, f"JSON Feed version missing or unknown: {version!r}")
    base = options.base_url or _str(document.get("feed_url")) or _str(document.get("home_page_url"))
    language = clean(_str(document.get("language"))) or None
    feed_author = _author(document)
    entries = (
        _entry(item, base=base, language=language, feed_author=feed_author)
        for item in (items if isinstance(items, list) else [])
        if isinstance(item, dict)
    )
    return ParsedFeed(
        kind=FeedKind.JSON_FEED,
        version="jsonfeed11" if version.rstrip("/").endswith("1.1") else "jsonfeed10",
        title=to_text(_str(document.get("title"))),
        link=http_url(_str(document.get("home_page_url")), base) or "",
        language=language,
        entries=cap_entries(entries, options.max_entries),
        warnings=warnings,
    )


def _str(value: Any) -> str:
    """JSON Feed fields are strings, but numbers (ids) and nulls occur."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _author(obj: Mapping[str, Any]) -> str:
    authors = obj.get("authors")  # 1.1
    candidates = authors if isinstance(authors, list) else [obj.get("author")]  # 1.0
    names = [author_name(_str(a.get("name"))) for a in candidates if isinstance(a, dict)]
    return ", ".join(n for n in names if n)


def _entry(item: Mapping[str, Any], *, base: str, language: str | None, feed_author: str) -> FeedEntry:
    guid = clean(_str(item.get("id"))) or None
    url = http_url(_str(item.get("url")) or _str(item.get("external_url")), base)
    if not url and is_http_url(guid):
        url = guid
    html = _str(item.get("content_html"))
    summary = to_text(_str(item.get("summary"))) or to_text(html) or clean(_str(item.get("content_text")))
    tags = item.get("tags")
    return FeedEntry(
        url=url or "",
        guid=guid,
        title=to_text(_str(item.get("title"))),
        summary=summary,
        published=parse_date(_str(item.get("date_published"))),
        updated=parse_date(_str(item.get("date_modified"))),
        author=_author(item) or feed_author,
        categories=unique(clean(_str(t)) for t in tags) if isinstance(tags, list) else (),
        image_url=http_url(_image(item) or first_img_src(html), base),
        language=clean(_str(item.get("language"))) or language,
    )


def _image(item: Mapping[str, Any]) -> str:
    for key in ("image", "banner_image"):
        value = _str(item.get(key))
        if value:
            return value
    attachments = item.get("attachments")
    for attachment in attachments if isinstance(attachments, list) else []:
        if isinstance(attachment, dict) and _str(attachment.get("mime_type")).startswith("image/"):
            return _str(attachment.get("url"))
    return ""
