"""moderation.services: counting rules, automatic blocks of the picture wherever it appears, moderators'
decisions, the audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.utils import timezone

from kiosque.articles.models import Image, ImageState
from kiosque.articles.selectors import content_version
from kiosque.moderation.models import ActionKind, ImageReport, ModerationAction
from kiosque.moderation.services import (
    ImageNotFound,
    ReportRateLimited,
    ReportRefused,
    ReportStatus,
    image_block,
    image_report,
    image_reports_reset,
    image_unblock,
)
from tests.factories import make_article, make_image, make_source, picture_bytes
from tests.moderation.conftest import make_moderator, reporter, resized

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


@pytest.fixture
def rules(settings):  # type: ignore[no-untyped-def]
    def set_rules(**values: int) -> None:
        settings.KIOSQUE = {**settings.KIOSQUE, **{f"KIOSQUE_{k.upper()}": v for k, v in values.items()}}

    set_rules(report_threshold=3, reports_per_address=2, report_rate_reporter=20, report_rate_address=60)
    return set_rules


def states(*images: Image) -> list[str]:
    return list(Image.objects.filter(pk__in=[i.pk for i in images]).order_by("pk").values_list("state", flat=True))


def test_reports_below_the_threshold_change_nothing(scene, rules):
    image = scene.image("original")
    results = [image_report(image_id=image.pk, reporter=reporter(n)) for n in (1, 2)]
    assert [r.status for r in results] == [ReportStatus.COUNTED] * 2
    assert [r.image_state for r in results] == [ImageState.OK] * 2
    assert states(*[Image.objects.get(pk=i) for i in scene.picture_ids]) == [ImageState.OK] * 3
    assert not ModerationAction.objects.exists()


def test_the_threshold_blocks_the_picture_everywhere_and_nothing_else(scene, rules, django_capture_on_commit_callbacks):
    image = scene.image("original")
    before = content_version()
    with django_capture_on_commit_callbacks(execute=True):
        results = [image_report(image_id=image.pk, reporter=reporter(n), reason="shocking") for n in (1, 2, 3)]
    assert results[-1].image_state == ImageState.BLOCKED
    assert set(results[-1].blocked) == set(scene.picture_ids)
    assert states(*[Image.objects.get(pk=i) for i in scene.picture_ids]) == [ImageState.BLOCKED] * 3
    assert scene.image("other").state == ImageState.OK
    assert content_version() != before  # every cached page and feed is invalidated

    log = {a.image_id: a for a in ModerationAction.objects.all()}
    assert set(log) == set(scene.picture_ids)
    assert all(a.actor is None and a.kind == ActionKind.BLOCK for a in log.values())
    assert log[image.pk].details == {"reports": 3, "threshold": 3, "reasons": {"shocking": 3}}
    assert log[image.pk].reason == "reported by 3 distinct readers (threshold 3)"
    assert log[scene.same_file.image_id].details["same_file"] is True
    assert log[scene.same_file.image_id].reason == f"same file as image {image.pk}: {log[image.pk].reason}"
    near = log[scene.resized_copy.image_id]
    assert near.details["same_file"] is False and near.details["distance"] <= 8
    assert near.reason.startswith("near-identical copy (phash distance")


def test_reports_on_a_copy_block_the_original_too(scene, rules):
    copy = scene.image("resized_copy")
    for n in (1, 2, 3):
        image_report(image_id=copy.pk, reporter=reporter(n))
    assert states(*[Image.objects.get(pk=i) for i in scene.picture_ids]) == [ImageState.BLOCKED] * 3


@pytest.mark.parametrize(("reports", "counted", "statuses"), [
    # the same reader twice counts once
    ([(1, 1), (1, 1)], 1, [ReportStatus.COUNTED, ReportStatus.ALREADY_REPORTED]),
    # the same reader from another address is still the same reader
    ([(1, 1), (1, 2)], 1, [ReportStatus.COUNTED, ReportStatus.ALREADY_REPORTED]),
    # three readers behind one address: two count (KIOSQUE_REPORTS_PER_ADDRESS = 2), the third is kept uncounted
    ([(1, 9), (2, 9), (3, 9)], 2, [ReportStatus.COUNTED, ReportStatus.COUNTED, ReportStatus.NOT_COUNTED]),
    # ...and a fourth reader elsewhere reaches the threshold
    ([(1, 9), (2, 9), (3, 9), (4, 4)], 3,
     [ReportStatus.COUNTED, ReportStatus.COUNTED, ReportStatus.NOT_COUNTED, ReportStatus.COUNTED]),
])
def test_counting_rules(scene, rules, reports, counted, statuses):
    image = scene.image("other")
    results = [image_report(image_id=image.pk, reporter=reporter(who, address=where)) for who, where in reports]
    assert [r.status for r in results] == statuses
    assert ImageReport.objects.filter(image=image, address_slot__isnull=False).count() == counted
    expected = ImageState.BLOCKED if counted >= 3 else ImageState.OK
    assert Image.objects.get(pk=image.pk).state == expected


def test_the_per_address_cap_is_a_setting(scene, rules):
    rules(reports_per_address=3)
    image = scene.image("other")
    results = [image_report(image_id=image.pk, reporter=reporter(n, address=7)) for n in (1, 2, 3)]
    assert [r.status for r in results] == [ReportStatus.COUNTED] * 3
    assert results[-1].image_state == ImageState.BLOCKED


def test_the_threshold_is_a_setting(scene, rules):
    rules(report_threshold=5)
    image = scene.image("other")
    states_seen = [image_report(image_id=image.pk, reporter=reporter(n)).image_state for n in range(1, 6)]
    assert states_seen == [ImageState.OK] * 4 + [ImageState.BLOCKED]


@pytest.mark.parametrize(("limit_name", "who"), [
    ("report_rate_reporter", lambda n: reporter(1, address=n)),  # one reader hopping addresses
    ("report_rate_address", lambda n: reporter(n, address=1)),  # many cookies from one address
])
def test_rate_limits_per_reader_and_per_address(rules, limit_name, who, media_root):
    rules(**{limit_name: 3}, report_threshold=100, reports_per_address=100)
    images = [make_image(seed) for seed in range(40, 44)]
    for n, image in enumerate(images[:3], start=1):
        image_report(image_id=image.pk, reporter=who(n))
    with pytest.raises(ReportRateLimited) as refused:
        image_report(image_id=images[3].pk, reporter=who(4))
    assert 3500 < refused.value.retry_after <= 3600
    assert ImageReport.objects.count() == 3
    # an hour later the window has moved on
    later = timezone.now() + timedelta(hours=1, seconds=1)
    assert image_report(image_id=images[3].pk, reporter=who(4), now=later).status == ReportStatus.COUNTED


def test_refusals(scene, rules):
    with pytest.raises(ImageNotFound):
        image_report(image_id=999_999, reporter=reporter(1))
    with pytest.raises(ReportRefused, match="unknown reason"):
        image_report(image_id=scene.other.image_id, reporter=reporter(1), reason="boring")
    assert not ImageReport.objects.exists()


def test_a_protected_picture_is_never_blocked_automatically_again(scene, rules):
    image = scene.image("original")
    for n in (1, 2, 3):
        image_report(image_id=image.pk, reporter=reporter(n))
    moderator = make_moderator()
    covered = image_unblock(image=image, actor=moderator, reason="a press photo, not shocking")
    assert set(covered) == set(scene.picture_ids)
    assert states(*[Image.objects.get(pk=i) for i in scene.picture_ids]) == [ImageState.PROTECTED] * 3

    image_reports_reset(image=image, actor=moderator)
    for copy_id in scene.picture_ids:  # new reports, on the image and on each copy, up to the threshold
        results = [image_report(image_id=copy_id, reporter=reporter(n)) for n in (11, 12, 13, 14)]
        assert [r.image_state for r in results] == [ImageState.PROTECTED] * 4
    assert states(*[Image.objects.get(pk=i) for i in scene.picture_ids]) == [ImageState.PROTECTED] * 3
    kinds = list(ModerationAction.objects.order_by("id").values_list("kind", "actor"))
    assert kinds == [(ActionKind.BLOCK, None)] * 3 + [(ActionKind.UNBLOCK, moderator.pk)] * 3 + [
        (ActionKind.RESET, moderator.pk)
    ]


def test_moderator_confirms_an_automatic_block_and_blocks_by_hand(scene, rules):
    moderator = make_moderator()
    image = scene.image("original")
    for n in (1, 2, 3):
        image_report(image_id=image.pk, reporter=reporter(n))
    image_block(image=image, actor=moderator, reason="confirmed")
    confirm = ModerationAction.objects.filter(kind=ActionKind.CONFIRM).get()
    assert (confirm.image_id, confirm.actor, confirm.reason) == (image.pk, moderator, "confirmed")

    other = scene.image("other")  # not reported at all: a moderator may still block it, and a protected one
    image_unblock(image=other, actor=moderator)
    assert image_block(image=other, actor=moderator) == [other.pk]
    assert Image.objects.get(pk=other.pk).state == ImageState.BLOCKED
    assert list(ModerationAction.objects.filter(image=other).order_by("id").values_list("kind", flat=True)) == [
        ActionKind.PROTECT, ActionKind.BLOCK,
    ]


def test_reset_clears_the_count_without_unblocking(scene, rules):
    moderator = make_moderator()
    image = scene.image("other")
    for n in (1, 2):
        image_report(image_id=image.pk, reporter=reporter(n))
    assert image_reports_reset(image=image, actor=moderator, reason="spam wave") == 2
    assert ImageReport.objects.filter(image=image, cleared_at__isnull=True).count() == 0
    # the same readers may report again, and counting starts from zero
    assert image_report(image_id=image.pk, reporter=reporter(1)).status == ReportStatus.COUNTED
    assert image_report(image_id=image.pk, reporter=reporter(2)).image_state == ImageState.OK
    assert image_report(image_id=image.pk, reporter=reporter(3)).image_state == ImageState.BLOCKED
    assert ImageReport.objects.filter(image=image).count() == 5  # history kept for moderators


def test_only_moderators_decide(scene, rules, django_user_model):
    staff = django_user_model.objects.create_user("staff", is_staff=True)
    for decide in (image_block, image_unblock, image_reports_reset):
        with pytest.raises(PermissionDenied):
            decide(image=scene.image("other"), actor=staff)
    assert not ModerationAction.objects.exists()


def test_the_audit_log_refuses_edits(scene, rules):
    image = scene.image("other")
    for n in (1, 2, 3):
        image_report(image_id=image.pk, reporter=reporter(n))
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ModerationAction.objects.filter(image=image).update(reason="nothing happened")
    action = ModerationAction.objects.get(image=image)
    action.reason = "rewritten"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        action.save()
    assert ModerationAction.objects.get(image=image).reason == "reported by 3 distinct readers (threshold 3)"


@pytest.mark.parametrize(("judged", "copy", "expected"), [
    (ImageState.BLOCKED, "same", ImageState.BLOCKED),
    (ImageState.BLOCKED, "resized", ImageState.BLOCKED),
    (ImageState.PROTECTED, "same", ImageState.PROTECTED),
    (ImageState.PROTECTED, "resized", ImageState.PROTECTED),
    (ImageState.BLOCKED, "different", ImageState.OK),
])
def test_a_new_copy_crawled_later_takes_the_pictures_state(rules, media_root, judged, copy, expected):
    moderator = make_moderator()
    content = picture_bytes(31)
    first = make_image(origin_url="https://a.example/first.jpg", content=content)
    decide = image_block if judged == ImageState.BLOCKED else image_unblock
    decide(image=first, actor=moderator)
    later = {
        "same": content,
        "resized": resized(content, factor=0.6, quality=60),
        "different": picture_bytes(32),
    }[copy]
    new = make_image(origin_url="https://b.example/later.jpg", content=later)
    article = make_article(make_source("Autre", slug="autre"), image=new)
    assert Image.objects.get(pk=article.image_id).state == expected
