from __future__ import annotations

from django.contrib import admin

from kiosque.crawler.models import EntryFailure


@admin.register(EntryFailure)
class EntryFailureAdmin(admin.ModelAdmin):
    list_display = ("url", "feed", "severity", "attempts", "reason", "next_attempt_at")
    list_filter = ("severity",)
    search_fields = ("url", "reason")
