"""Small helpers shared by the format readers: de-duplication, authors, image URLs."""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import islice
from urllib.parse import urlsplit

from kiosque.pipeline.types import FeedEntry

from .text import clean

__all__ = ["author_name", "cap_entries", "dedupe_entries", "looks_like_image_url", "unique"]

_AUTHOR_EMAIL = re.compile(r"^\s*\S+@\S+\s*\((.+)\)\s*$")
_IMAGE_EXT = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif")


def cap_entries(entries: Iterable[FeedEntry], max_entries: int) -> tuple[FeedEntry, ...]:
    """A feed's entries as published, up to max_entries. Two entries with the same URL are both kept, as
    feedparser keeps them (they may differ in title or date); the crawler stores one article per URL."""
    return tuple(islice(entries, max_entries))


def dedupe_entries(entries: Iterable[FeedEntry], max_entries: int) -> tuple[FeedEntry, ...]:
    """Keep the first entry for each URL (entries without a URL are all kept), up to max_entries. For link
    harvests (listing pages, sitemaps), where one article is linked many times."""
    seen: set[str] = set()
    kept: list[FeedEntry] = []
    for entry in entries:
        if entry.url:
            if entry.url in seen:
                continue
            seen.add(entry.url)
        kept.append(entry)
        if len(kept) >= max_entries:
            break
    return tuple(kept)


def author_name(value: str | None) -> str:
    """'jdoe@example.com (Jane Doe)' -> 'Jane Doe' (RSS <author> is an e-mail by the spec)."""
    text = clean(value)
    match = _AUTHOR_EMAIL.match(text)
    return clean(match.group(1)) if match else text


def unique(values: Iterable[str]) -> tuple[str, ...]:
    """Non-empty values once each, in order."""
    return tuple(dict.fromkeys(v for v in values if v))


def looks_like_image_url(url: str) -> bool:
    try:
        path = urlsplit(url).path.lower()
    except ValueError:
        return False
    return path.endswith(_IMAGE_EXT)
