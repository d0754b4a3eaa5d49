"""Concurrent reports never double-count and are never lost: threads with their own database connections,
released together, through the service and through the HTTP endpoint of a live server. Runs on SQLite and
on PostgreSQL (the suite's second pass), where row locks, unique constraints and deadlock retries all play."""

from __future__ import annotations

import json
import threading
import urllib.request
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
from django.db import connection

from kiosque.articles.models import Image, ImageState
from kiosque.moderation.models import ActionKind, ImageReport, ModerationAction
from kiosque.moderation.services import ReportStatus, image_report
from tests.moderation.conftest import build_scene, reporter

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media_root")]

THREADS = 12
T = TypeVar("T")


@pytest.fixture
def rules(settings):  # type: ignore[no-untyped-def]
    def set_rules(**values: int) -> None:
        settings.KIOSQUE = {**settings.KIOSQUE, **{f"KIOSQUE_{k.upper()}": v for k, v in values.items()}}

    set_rules(report_threshold=3, reports_per_address=2, report_rate_reporter=1000, report_rate_address=1000)
    return set_rules


def together(jobs: list[Callable[[], T]]) -> list[T]:
    """Run the jobs in threads released at the same instant; each thread closes its own connection."""
    barrier = threading.Barrier(len(jobs))

    def run(job: Callable[[], T]) -> T:
        try:
            barrier.wait(timeout=30)
            return job()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


def block_rows(image_id: int) -> int:
    return ModerationAction.objects.filter(image_id=image_id, kind=ActionKind.BLOCK).count()


def test_distinct_readers_at_once_are_all_counted_and_block_once(rules):
    rules(report_threshold=THREADS // 2)
    scene = build_scene()
    image_id = scene.original.image_id
    results = together([lambda n=n: image_report(image_id=image_id, reporter=reporter(n)) for n in range(THREADS)])

    assert Counter(r.status for r in results) == {ReportStatus.COUNTED: THREADS}  # none lost
    assert ImageReport.objects.filter(image_id=image_id, address_slot__isnull=False).count() == THREADS
    assert sum(1 for r in results if r.blocked) == 1  # exactly one report crossed the threshold
    for picture in scene.picture_ids:
        assert Image.objects.get(pk=picture).state == ImageState.BLOCKED
        assert block_rows(picture) == 1  # blocked once, logged once


def test_one_reader_many_times_at_once_counts_once(rules):
    image_id = build_scene().other.image_id
    results = together([lambda: image_report(image_id=image_id, reporter=reporter(1))] * THREADS)
    assert Counter(r.status for r in results) == {ReportStatus.COUNTED: 1, ReportStatus.ALREADY_REPORTED: THREADS - 1}
    assert ImageReport.objects.count() == 1


def test_one_address_at_once_counts_its_share_only(rules):
    image_id = build_scene().other.image_id
    results = together([
        lambda n=n: image_report(image_id=image_id, reporter=reporter(n, address=1)) for n in range(THREADS)
    ])
    assert Counter(r.status for r in results) == {ReportStatus.COUNTED: 2, ReportStatus.NOT_COUNTED: THREADS - 2}
    assert sorted(ImageReport.objects.exclude(address_slot=None).values_list("address_slot", flat=True)) == [1, 2]
    assert ImageReport.objects.count() == THREADS  # the uncounted ones are kept, not lost
    assert Image.objects.get(pk=image_id).state == ImageState.OK  # one address alone never blocks


def test_copies_crossing_the_threshold_at_once(rules):
    """Each report locks its image, then the copies it blocks: two copies crossing together lock in opposite
    orders (a deadlock PostgreSQL breaks by aborting one, which is retried). Every report counts; every image
    of each picture is blocked once."""
    rules(report_threshold=2)
    scenes = [build_scene(seed, suffix=f"-{seed}") for seed in (11, 12, 13)]
    pairs = [(s.original.image_id, s.resized_copy.image_id) for s in scenes]
    for n, (a, b) in enumerate(pairs):  # one report short of the threshold on both copies
        image_report(image_id=a, reporter=reporter(10 * n))
        image_report(image_id=b, reporter=reporter(10 * n + 1))
    jobs = [lambda image_id=image_id, n=n: image_report(image_id=image_id, reporter=reporter(1000 + n))
            for n, image_id in enumerate(i for pair in pairs for i in pair)]
    results = together(jobs)
    assert [r.status for r in results] == [ReportStatus.COUNTED] * len(jobs)
    for scene in scenes:
        for picture in scene.picture_ids:
            assert Image.objects.get(pk=picture).state == ImageState.BLOCKED
            assert block_rows(picture) == 1
        assert Image.objects.get(pk=scene.other.image_id).state == ImageState.OK


# ------------------------------------------------------------------------------------------- over HTTP
def post(url: str, *, cookie: str | None = None) -> tuple[int, dict[str, Any], str | None]:
    headers = {"Content-Type": "application/json"}
    if cookie:
        headers["Cookie"] = cookie
    request = urllib.request.Request(url, data=b'{"reason": "other"}', headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:  # a local live server
        set_cookie = response.headers.get("Set-Cookie")
        return response.status, json.loads(response.read()), set_cookie.split(";")[0] if set_cookie else None


def test_parallel_http_reports_from_distinct_browsers(rules, live_server):
    rules(report_threshold=THREADS, reports_per_address=THREADS)  # every thread comes from 127.0.0.1
    scene = build_scene()
    url = f"{live_server.url}/api/images/{scene.original.image_id}/report"
    answers = together([lambda: post(url)] * THREADS)
    assert [status for status, _, _ in answers] == [200] * THREADS
    assert Counter(body["status"] for _, body, _ in answers) == {"counted": THREADS}
    assert sum(1 for _, body, _ in answers if body["state"] == "blocked") >= 1
    assert ImageReport.objects.filter(image_id=scene.original.image_id).count() == THREADS
    assert {Image.objects.get(pk=p).state for p in scene.picture_ids} == {ImageState.BLOCKED}
    assert [block_rows(p) for p in scene.picture_ids] == [1, 1, 1]


def test_parallel_http_reports_from_one_browser(rules, live_server):
    scene = build_scene()
    url = f"{live_server.url}/api/images/{scene.other.image_id}/report"
    _, first, cookie = post(f"{live_server.url}/api/images/{scene.original.image_id}/report")
    assert cookie and first["status"] == "counted"
    answers = together([lambda: post(url, cookie=cookie)] * THREADS)
    assert Counter(body["status"] for _, body, _ in answers) == {"counted": 1, "already_reported": THREADS - 1}
    assert ImageReport.objects.filter(image_id=scene.other.image_id).count() == 1
