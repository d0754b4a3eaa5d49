"""The admin side of the content version, apart from kiosque/content.py so that the crawler and the page
views, which import that module, never load django.contrib.admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from kiosque.content import content_changed


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
