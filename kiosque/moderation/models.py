"""Readers' image reports and the moderators' audit log. Writes happen only in `services.py`.

The image's state itself (ok / blocked / protected) lives on `articles.Image`, where every page, feed and API
reads it; this app decides when it changes and keeps the record of why.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kiosque.articles.models import Image


class ReportReason(models.TextChoices):
    SHOCKING = "shocking", _("Shocking or violent")
    SEXUAL = "sexual", _("Sexual")
    UNRELATED = "unrelated", _("Unrelated to the article")
    COPYRIGHT = "copyright", _("Copyright")
    OTHER = "other", _("Other")


class ImageReport(models.Model):
    """One reader's report of one image.

    A reader (a random token in a signed cookie, stored here only as a keyed hash) counts once per image, and
    one address (a salted hash, never the address) at most KIOSQUE_REPORTS_PER_ADDRESS times: each counted
    report takes a numbered slot of its address. Both rules are unique constraints over the active reports,
    so concurrent requests cannot double-count whatever the code above them does. A report over its
    address's cap is kept with no slot: moderators see it, the threshold does not count it.
    """

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="reports", verbose_name=_("image"))
    reporter = models.CharField(_("reporter"), max_length=64)
    address = models.CharField(_("address hash"), max_length=64)
    address_slot = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=16, choices=ReportReason.choices, blank=True)
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    cleared_at = models.DateTimeField(_("reset"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("image report")
        verbose_name_plural = _("image reports")
        permissions = [("moderate_images", "Can moderate reported images")]
        constraints = [
            models.UniqueConstraint(
                fields=["image", "reporter"], condition=Q(cleared_at__isnull=True), name="report_once_per_reporter"
            ),
            models.UniqueConstraint(
                fields=["image", "address", "address_slot"],
                condition=Q(cleared_at__isnull=True),
                name="report_address_slot_once",
            ),
        ]
        indexes = [
            models.Index(fields=["reporter", "created_at"], name="report_reporter_recent_idx"),
            models.Index(fields=["address", "created_at"], name="report_address_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"report of image {self.image_id} ({self.reason or '-'})"

    @property
    def counted(self) -> bool:
        return self.address_slot is not None and self.cleared_at is None


class ActionKind(models.TextChoices):
    BLOCK = "block", _("blocked")
    CONFIRM = "confirm", _("block confirmed")
    UNBLOCK = "unblock", _("unblocked and protected")
    PROTECT = "protect", _("protected")
    RESET = "reset", _("reports reset")


class ModerationAction(models.Model):
    """The audit log: one row per decision on one image, automatic (no actor) or by a moderator.

    Append-only: a database trigger refuses any UPDATE (migration 0002), the admin shows the rows read-only,
    and nothing deletes them. Images and users with a history are protected from deletion, so the log never
    loses what it points at (and a blocked picture stays a blocking key for future copies).
    """

    image = models.ForeignKey(
        Image, on_delete=models.PROTECT, related_name="moderation_actions", verbose_name=_("image")
    )
    kind = models.CharField(_("decision"), max_length=16, choices=ActionKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderator"),
    )
    reason = models.TextField(_("why"), blank=True)
    state_before = models.CharField(_("state before"), max_length=16)
    state_after = models.CharField(_("state after"), max_length=16)
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation log")
        indexes = [models.Index(fields=["image", "created_at"], name="modaction_image_idx")]

    def __str__(self) -> str:
        who = self.actor or _("automatic")
        return f"{self.get_kind_display()} · image {self.image_id} · {who}"


class ReportedImage(Image):
    """The moderation queue's view of an image (a proxy: the same rows, another admin)."""

    class Meta:
        proxy = True
        verbose_name = _("reported image")
        verbose_name_plural = _("moderation queue")
