"""Writes of the moderation app: readers' reports, automatic blocks, moderators' decisions, the audit log.

    image_report(image_id=, reporter=, reason=)      -> ReportResult     raises ReportRefused (and subclasses)
    image_block(image=, actor=, reason=)             -> list[int]        a moderator blocks, or confirms a block
    image_unblock(image=, actor=, reason=)           -> list[int]        visible again and protected
    image_reports_reset(image=, actor=, reason=)     -> int              the active reports are cleared

A block covers the picture, not one row: the image, the same file elsewhere (sha256) and near-identical copies
(perceptual hash within pipeline.images.PHASH_THRESHOLD bits), whatever article or outlet uses them; new
copies crawled later take the block in `articles.services.image_store`. Automatic decisions only ever move
images that are `ok`: a picture a moderator protected is never blocked again by reports. A moderator's
decision covers every copy, whatever its state. Every change writes one audit row per image.

Concurrency: a report locks its image's row (SELECT ... FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE
transactions lock the whole database), so counting the reports and deciding to block happen on a settled
count, and the unique constraints on ImageReport back this up. Blocking also locks the copies; two reports
crossing the threshold of two copies at once can deadlock on PostgreSQL, which aborts one: it is retried.
"""

from __future__ import annotations

import logging
import math
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from kiosque.articles.models import Image, ImageState
from kiosque.articles.selectors import ImageMatch, images_like
from kiosque.articles.services import images_state_set
from kiosque.moderation.models import ActionKind, ImageReport, ModerationAction, ReportReason

log = logging.getLogger(__name__)

MODERATE_PERMISSION = "moderation.moderate_images"
_ATTEMPTS = 4
T = TypeVar("T")
KindFor = Callable[[str], str]  # the audit row's kind, from the image's state before the decision


@dataclass(frozen=True)
class Reporter:
    """Who reports, as we may keep it: keyed hashes of the reporter cookie's token and of the client network."""

    key: str
    address: str


@dataclass(frozen=True)
class ReportRules:
    threshold: int
    per_address: int
    reporter_per_hour: int
    address_per_hour: int

    @classmethod
    def from_settings(cls) -> ReportRules:
        conf = settings.KIOSQUE
        return cls(
            threshold=max(1, conf["KIOSQUE_REPORT_THRESHOLD"]),
            per_address=max(1, conf["KIOSQUE_REPORTS_PER_ADDRESS"]),
            reporter_per_hour=conf["KIOSQUE_REPORT_RATE_REPORTER"],
            address_per_hour=conf["KIOSQUE_REPORT_RATE_ADDRESS"],
        )


class ReportStatus(StrEnum):
    COUNTED = "counted"
    ALREADY_REPORTED = "already_reported"  # this reader already reported this image: counted once
    NOT_COUNTED = "not_counted"  # kept for moderators, but this address already counted its share


@dataclass(frozen=True)
class ReportResult:
    status: ReportStatus
    image_state: str
    blocked: tuple[int, ...] = ()  # images this report blocked: the image and its copies


class ReportRefused(Exception):
    """A report we did not record, with a reason a person can read."""


class ImageNotFound(ReportRefused):
    pass


class ReportRateLimited(ReportRefused):
    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


# ------------------------------------------------------------------------------------------------ reports
def image_report(*, image_id: int, reporter: Reporter, reason: str = "", now: datetime | None = None) -> ReportResult:
    """File one reader's report; block the picture when enough distinct readers reported it."""
    if reason and reason not in ReportReason.values:
        raise ReportRefused(f"unknown reason {reason!r}; expected one of {', '.join(ReportReason.values)}")
    rules = ReportRules.from_settings()
    when = now or timezone.now()
    return _retrying(lambda: _report_once(image_id, reporter, reason=reason, rules=rules, now=when))


def _report_once(image_id: int, reporter: Reporter, *, reason: str, rules: ReportRules, now: datetime) -> ReportResult:
    with transaction.atomic():
        image = Image.objects.select_for_update().filter(pk=image_id).first()
        if image is None:
            raise ImageNotFound(f"no image {image_id}")
        _check_rate(reporter, rules=rules, now=now)
        active = ImageReport.objects.filter(image=image, cleared_at__isnull=True)
        if active.filter(reporter=reporter.key).exists():
            return ReportResult(ReportStatus.ALREADY_REPORTED, image.state)
        # Slots 1..per_address of this address; reports are never cleared one by one, so they stay contiguous.
        used = active.filter(address=reporter.address, address_slot__isnull=False).count()
        slot = used + 1 if used < rules.per_address else None
        ImageReport.objects.create(
            image=image, reporter=reporter.key, address=reporter.address, address_slot=slot, reason=reason,
            created_at=now,
        )
        if slot is None:
            return ReportResult(ReportStatus.NOT_COUNTED, image.state)
        blocked = _block_if_due(image, rules=rules, now=now)
    log.info("image reported", extra={"image_id": image_id, "blocked": blocked})
    return ReportResult(ReportStatus.COUNTED, ImageState.BLOCKED if blocked else image.state, blocked)


def _check_rate(reporter: Reporter, *, rules: ReportRules, now: datetime) -> None:
    since = now - timedelta(hours=1)
    recent = ImageReport.objects.filter(created_at__gt=since)
    for mine, limit, who in (
        (recent.filter(reporter=reporter.key), rules.reporter_per_hour, "reader"),
        (recent.filter(address=reporter.address), rules.address_per_hour, "address"),
    ):
        if mine.count() >= limit:
            oldest = mine.order_by("created_at").values_list("created_at", flat=True).first() or now
            wait = max(1, math.ceil((oldest + timedelta(hours=1) - now).total_seconds()))
            raise ReportRateLimited(f"this {who} filed {limit} reports in the last hour", retry_after=wait)


def _block_if_due(image: Image, *, rules: ReportRules, now: datetime) -> tuple[int, ...]:
    """Block the image and its unprotected copies once `threshold` distinct readers reported it."""
    if image.state != ImageState.OK:
        return ()  # already blocked, or protected by a moderator: reports never block it
    counted = ImageReport.objects.filter(image=image, cleared_at__isnull=True, address_slot__isnull=False)
    reasons = Counter(counted.values_list("reason", flat=True))
    total = sum(reasons.values())
    if total < rules.threshold:
        return ()
    copies = images_like(sha256=image.sha256, phash=image.phash, exclude_id=image.pk, states=[ImageState.OK])
    before = images_state_set(
        image_ids=[image.pk, *(m.image_id for m in copies)], state=ImageState.BLOCKED, only_from=[ImageState.OK]
    )
    why = f"reported by {total} distinct readers (threshold {rules.threshold})"
    details = {"reports": total, "threshold": rules.threshold, "reasons": {k or "none": v for k, v in reasons.items()}}
    _log_changes(image, before=before, after=ImageState.BLOCKED, kind=lambda _old: ActionKind.BLOCK, actor=None,
                 reason=why, details=details, copies=copies, now=now)
    return tuple(sorted(before))


# -------------------------------------------------------------------------------------- moderators' decisions
def image_block(*, image: Image, actor: AbstractBaseUser, reason: str = "") -> list[int]:
    """Block the picture (or confirm an automatic block): the image and every copy of it, in any state."""
    _require_moderator(actor)

    def decide() -> list[int]:
        return _decide(image, actor=actor, reason=reason, state=ImageState.BLOCKED,
                       kind=lambda old: ActionKind.CONFIRM if old == ImageState.BLOCKED else ActionKind.BLOCK)

    return _retrying(decide)


def image_unblock(*, image: Image, actor: AbstractBaseUser, reason: str = "") -> list[int]:
    """Show the picture again everywhere and protect it (and its copies) from automatic blocking."""
    _require_moderator(actor)

    def decide() -> list[int]:
        return _decide(image, actor=actor, reason=reason, state=ImageState.PROTECTED,
                       kind=lambda old: ActionKind.UNBLOCK if old == ImageState.BLOCKED else ActionKind.PROTECT)

    return _retrying(decide)


def image_reports_reset(*, image: Image, actor: AbstractBaseUser, reason: str = "") -> int:
    """Clear the image's active reports (kept, marked cleared): counting starts again from zero. The image's
    state does not change; unblocking is its own decision."""
    _require_moderator(actor)
    now = timezone.now()
    with transaction.atomic():
        locked = Image.objects.select_for_update().get(pk=image.pk)
        cleared = ImageReport.objects.filter(image=locked, cleared_at__isnull=True).update(cleared_at=now)
        _log(locked.pk, kind=ActionKind.RESET, actor=actor, reason=reason, before=locked.state, after=locked.state,
             details={"cleared_reports": cleared}, now=now).save()
    return cleared


def _decide(image: Image, *, actor: AbstractBaseUser, reason: str, state: str, kind: KindFor) -> list[int]:
    now = timezone.now()
    with transaction.atomic():
        locked = Image.objects.select_for_update().get(pk=image.pk)
        copies = images_like(sha256=locked.sha256, phash=locked.phash, exclude_id=locked.pk)
        before = images_state_set(image_ids=[locked.pk, *(m.image_id for m in copies)], state=state)
        before.setdefault(locked.pk, locked.state)  # the decision on the image itself is logged even if unchanged
        _log_changes(locked, before=before, after=state, kind=kind, actor=actor, reason=reason,
                     details={}, copies=copies, now=now)
    return sorted(before)


def _require_moderator(actor: AbstractBaseUser) -> None:
    if not actor.has_perm(MODERATE_PERMISSION):  # type: ignore[attr-defined]
        raise PermissionDenied(f"{actor} may not moderate images")


# ------------------------------------------------------------------------------------------------- audit log
def _log_changes(
    image: Image,
    *,
    before: dict[int, str],
    after: str,
    kind: KindFor,
    actor: AbstractBaseUser | None,
    reason: str,
    details: dict[str, Any],
    copies: Iterable[ImageMatch],
    now: datetime,
) -> None:
    """One audit row per image whose state this decision set: the image, then each copy with why it is one."""
    rows = []
    if image.pk in before:
        rows.append(_log(image.pk, kind=kind(before[image.pk]), actor=actor, reason=reason, before=before[image.pk],
                         after=after, details=details, now=now))
    for match in copies:
        if match.image_id in before:
            how = "same file as" if match.same_file else f"near-identical copy (phash distance {match.distance}) of"
            rows.append(_log(
                match.image_id, kind=kind(before[match.image_id]), actor=actor, before=before[match.image_id],
                after=after, reason=f"{how} image {image.pk}" + (f": {reason}" if reason else ""), now=now,
                details={"copy_of": image.pk, "distance": match.distance, "same_file": match.same_file},
            ))
    ModerationAction.objects.bulk_create(rows)


def _log(
    image_id: int,
    *,
    kind: str,
    actor: AbstractBaseUser | None,
    reason: str,
    before: str,
    after: str,
    details: dict[str, Any],
    now: datetime,
) -> ModerationAction:
    return ModerationAction(image_id=image_id, kind=kind, actor=actor, reason=reason, state_before=before,
                            state_after=after, details=details, created_at=now)


# ----------------------------------------------------------------------------------------------- retrying
def _retrying(attempt: Callable[[], T]) -> T:
    """Run a transaction again when the database aborted it for a reason that a new try clears: a deadlock
    or serialization failure (PostgreSQL), a lock wait past the busy timeout (SQLite), or a unique constraint
    hit by a concurrent request (the retry then sees that request's row and answers from it)."""
    for number in range(1, _ATTEMPTS + 1):
        try:
            return attempt()
        except (OperationalError, IntegrityError) as exc:
            if number == _ATTEMPTS or not _transient(exc):
                raise
            log.warning("moderation transaction retried (attempt %d): %s", number, exc, extra={"attempt": number})
            time.sleep(random.uniform(0, 0.02 * number))  # jitter: the two sides of a deadlock retry apart
    raise AssertionError("unreachable")


def _transient(exc: Exception) -> bool:
    if isinstance(exc, IntegrityError):  # PostgreSQL names the constraint, SQLite the table and columns
        return any(name in str(exc) for name in ("report_once_per_reporter", "report_address_slot_once",
                                                 "moderation_imagereport.image_id"))
    sqlstate = getattr(exc.__cause__, "sqlstate", None)
    return sqlstate in ("40P01", "40001") or "database is locked" in str(exc)
