from datetime import timedelta

import pytest
from django.utils import timezone

from kiosque.pipeline.errors import FetchTimeout, HTTPStatusError, ParseError
from kiosque.sources.models import Feed
from kiosque.sources.services import BackoffPolicy, feed_add, feed_record_failure, feed_record_success, source_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def feed():
    source = source_create(name="Le Test", homepage="https://test.example/", languages=["fr"])
    return feed_add(source=source, url="https://test.example/rss.xml", interval=600)


@pytest.mark.parametrize(
    ("error", "weight", "severity"),
    [
        (HTTPStatusError("HTTP 404 Not Found", url="u", status=404), 4.0, "hard"),
        (HTTPStatusError("HTTP 403 Forbidden", url="u", status=403), 2.0, "soft"),
        (HTTPStatusError("HTTP 503", url="u", status=503), 1.0, "temporary"),
        (FetchTimeout("read timed out after 5s", url="u"), 1.0, "temporary"),
        (ParseError("not a feed: HTML page without feed links"), 4.0, "hard"),
    ],
)
def test_failure_is_weighted_recorded_and_backed_off(feed, error, weight, severity):
    now = timezone.now()
    feed = feed_record_failure(feed=feed, error=error, now=now, policy=BackoffPolicy())
    assert feed.failure_score == weight
    assert feed.last_error == error.reason
    assert feed.last_error_kind == severity
    assert feed.next_check_at == now + timedelta(seconds=600)
    assert feed.enabled


def test_backoff_doubles_and_is_capped(feed):
    now = timezone.now()
    policy = BackoffPolicy(max_backoff=3000, disable_after=1000)
    delays = []
    for _ in range(5):
        feed = feed_record_failure(feed=feed, error=FetchTimeout("timeout", url="u"), now=now, policy=policy)
        delays.append((feed.next_check_at - now).total_seconds())
    assert delays == [600, 1200, 2400, 3000, 3000]


def test_retry_after_wins_when_longer(feed):
    now = timezone.now()
    error = HTTPStatusError("HTTP 429 Too Many Requests", url="u", status=429, retry_after=7200)
    feed = feed_record_failure(feed=feed, error=error, now=now, policy=BackoffPolicy())
    assert feed.next_check_at == now + timedelta(seconds=7200)


def test_feed_is_disabled_with_a_readable_reason(feed):
    now = timezone.now()
    policy = BackoffPolicy(disable_after=10)
    for _ in range(3):
        feed = feed_record_failure(feed=feed, error=HTTPStatusError("HTTP 410 Gone", url="u", status=410), now=now,
                                   policy=policy)
    assert not feed.enabled
    assert "HTTP 410" in feed.disabled_reason and "3 failed checks" in feed.disabled_reason


def test_success_resets_failures_and_keeps_validators(feed):
    now = timezone.now()
    feed_record_failure(feed=feed, error=FetchTimeout("timeout", url="u"), now=now, policy=BackoffPolicy())
    feed_record_success(feed=feed, now=now, etag='"abc"', last_modified="Sun, 29 Nov 2026 10:00:00 GMT")
    feed = Feed.objects.get(pk=feed.pk)
    assert (feed.failure_score, feed.consecutive_failures, feed.etag) == (0.0, 0, '"abc"')
    assert feed.last_success_at == now


def test_feed_add_is_idempotent(feed):
    again = feed_add(source=feed.source, url=feed.url)
    assert again.pk == feed.pk and Feed.objects.count() == 1
