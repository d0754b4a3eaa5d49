"""Which entries of a parsed feed the crawler fetches: newest first, one per URL, minus stored and waiting ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kiosque.crawler.models import EntryFailure
from kiosque.crawler.services import _new_entries
from kiosque.pipeline.types import FeedEntry, FeedKind, ParsedFeed
from kiosque.sources.models import Feed
from kiosque.sources.services import source_create

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def entry(url: str, hours_ago: int, title: str = "") -> FeedEntry:
    return FeedEntry(url=url, title=title or url, published=NOW - timedelta(hours=hours_ago))


def test_one_entry_per_url_newest_first_and_retries_only_when_due():
    source = source_create(name="Le Test", languages=["fr"])
    feed = Feed.objects.create(source=source, url="https://test.example/rss", kind="rss")
    waits = (("https://t.example/wait", NOW + timedelta(hours=1)), ("https://t.example/due", NOW - timedelta(hours=1)))
    for url, due in waits:
        EntryFailure.objects.create(feed=feed, url=url, reason="500", next_attempt_at=due)
    parsed = ParsedFeed(kind=FeedKind.RSS, entries=(
        entry("https://t.example/a", 5, "old copy"),
        entry("https://t.example/b", 3),
        entry("https://t.example/a", 1, "new copy"),
        entry("https://t.example/wait", 2),
        entry("https://t.example/due", 4),
    ))
    entries, failed = _new_entries(parsed, limit=10, now=NOW)
    assert [(e.url, e.title) for e in entries] == [
        ("https://t.example/a", "new copy"), ("https://t.example/b", "https://t.example/b"),
        ("https://t.example/due", "https://t.example/due"),
    ]
    assert failed == {"https://t.example/wait", "https://t.example/due"}
    # The limit takes the newest distinct URLs of the feed, before the stored and waiting ones are dropped.
    assert [e.url for e in _new_entries(parsed, limit=2, now=NOW)[0]] == ["https://t.example/a"]
