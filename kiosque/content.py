"""The content version: one token that changes whenever what readers see changes.

Every cached page, feed and API response is keyed by it (portal/caching.py and its siblings), so replacing it
invalidates them all at once. It lives below the apps so that any write path can bump it: the crawler after a
pass, moderation decisions, story edits, and the admin's direct edits of outlets, categories and articles.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib import admin
from django.core.cache import caches
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest

CONTENT_VERSION_KEY = "kiosque:content-version"


def content_changed() -> None:
    """Invalidate every cached page and feed at once."""
    caches["state"].set(CONTENT_VERSION_KEY, f"t-{time.time_ns()}", None)


class ContentChangingAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """An admin whose saves and deletions change what readers see: pages are invalidated once the edit commits."""

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        transaction.on_commit(content_changed)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        super().delete_model(request, obj)
        transaction.on_commit(content_changed)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        super().delete_queryset(request, queryset)
        transaction.on_commit(content_changed)
