"""What the crawler remembers beyond feeds: article pages that failed, so they are retried politely."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kiosque.sources.models import Feed


class EntryFailure(models.Model):
    """An article link from a feed that could not be fetched or read. Retried with backoff, never lost."""

    url = models.URLField(max_length=1000, unique=True)
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="entry_failures")
    reason = models.TextField()
    severity = models.CharField(max_length=16)
    attempts = models.PositiveIntegerField(default=1)
    first_failed_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-next_attempt_at"]
        verbose_name = _("failed article link")
        verbose_name_plural = _("failed article links")

    def __str__(self) -> str:
        return f"{self.url}: {self.reason}"
