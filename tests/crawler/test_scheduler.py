import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from kiosque.crawler.scheduler import feeds_claim_due
from kiosque.sources.models import Feed
from kiosque.sources.services import feed_add, source_create


def make_feeds(n):
    source = source_create(name="Source")
    return [feed_add(source=source, url=f"https://s.example/{i}.xml") for i in range(n)]


@pytest.mark.django_db
def test_claim_takes_due_feeds_and_holds_a_lease():
    feeds = make_feeds(3)
    Feed.objects.filter(pk=feeds[2].pk).update(next_check_at=timezone.now() + timedelta(hours=1))
    now = timezone.now()
    claimed = feeds_claim_due(worker="a", now=now, lease_seconds=60)
    assert sorted(f.pk for f in claimed) == sorted([feeds[0].pk, feeds[1].pk])
    assert feeds_claim_due(worker="b", now=now, lease_seconds=60) == []
    later = now + timedelta(seconds=61)  # the lease ran out (a dead worker): another may take them
    assert len(feeds_claim_due(worker="b", now=later, lease_seconds=60)) == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_never_claim_the_same_feed():
    make_feeds(40)
    results: dict[str, list[int]] = {}
    barrier = threading.Barrier(4)

    def work(name: str) -> None:
        barrier.wait()
        taken: list[int] = []
        while batch := feeds_claim_due(worker=name, now=timezone.now(), lease_seconds=600, limit=3):
            taken.extend(f.pk for f in batch)
        results[name] = taken
        connection.close()

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    claimed = [pk for taken in results.values() for pk in taken]
    assert len(claimed) == 40 and len(set(claimed)) == 40
