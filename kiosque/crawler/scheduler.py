"""Which feeds are due, and claiming them with a lease so that many workers never take the same feed.

The claim is a conditional UPDATE (only rows whose lease is free are taken). On PostgreSQL the candidate rows are
read with FOR UPDATE SKIP LOCKED so concurrent workers skip each other's rows instead of waiting; on SQLite the
IMMEDIATE transaction already serialises writers, and the conditional UPDATE keeps the claim exclusive.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Min, Q

from kiosque.sources.models import Feed


def _lease_free(now: datetime) -> Q:
    return Q(lease_until__isnull=True) | Q(lease_until__lt=now)


def feeds_due(now: datetime) -> Q:
    return Q(enabled=True, source__enabled=True, next_check_at__lte=now) & _lease_free(now)


def feeds_claim_due(*, worker: str, now: datetime, lease_seconds: int, limit: int = 100) -> list[Feed]:
    """Claim up to `limit` due feeds for `worker`; returns the claimed feeds (with their sources)."""
    with transaction.atomic():
        candidates = Feed.objects.filter(feeds_due(now)).order_by("next_check_at")
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True, of=("self",))
        ids = list(candidates.values_list("pk", flat=True)[:limit])
        claimed = Feed.objects.filter(_lease_free(now), pk__in=ids).update(
            lease_owner=worker, lease_until=now + timedelta(seconds=lease_seconds)
        )
    if not claimed:
        return []
    return list(Feed.objects.select_related("source").filter(pk__in=ids, lease_owner=worker))


def feed_release(feed: Feed) -> None:
    Feed.objects.filter(pk=feed.pk).update(lease_owner="", lease_until=None)


def next_due_at() -> datetime | None:
    """When the next enabled feed falls due (to sleep until then)."""
    value = Feed.objects.filter(enabled=True, source__enabled=True).aggregate(m=Min("next_check_at"))["m"]
    return value  # type: ignore[no-any-return]
