from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kiosque.content_admin import ContentChangingAdmin
from kiosque.sources.models import Feed, Source
from kiosque.sources.services import feed_enable


class FeedInline(admin.TabularInline):
    model = Feed
    extra = 0
    fields = ("url", "kind", "enabled", "next_check_at", "failure_score", "last_error")
    readonly_fields = ("next_check_at", "failure_score", "last_error")


@admin.register(Source)
class SourceAdmin(ContentChangingAdmin):  # names, enabled, excerpt policy: all shown on the pages
    list_display = ("name", "slug", "country", "languages", "enabled", "created_at")
    list_filter = ("enabled", "country")
    search_fields = ("name", "slug", "homepage")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [FeedInline]


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = (
        "url",
        "source",
        "kind",
        "enabled",
        "next_check_at",
        "last_success_at",
        "failure_score",
        "last_error",
    )
    list_filter = ("enabled", "kind", "last_error_kind")
    search_fields = ("url", "source__name", "last_error")
    readonly_fields = (
        "etag",
        "last_modified",
        "last_checked_at",
        "last_success_at",
        "failure_score",
        "consecutive_failures",
        "last_error",
        "last_error_kind",
        "last_error_at",
        "disabled_reason",
        "lease_owner",
        "lease_until",
    )
    actions = ["enable_and_check_now"]

    @admin.action(description=_("Enable and check now"))
    def enable_and_check_now(self, request: HttpRequest, queryset: QuerySet[Feed]) -> None:
        for feed in queryset:
            feed_enable(feed=feed, now=timezone.now())
        self.message_user(
            request, _("%(n)d feeds will be checked on the next pass.") % {"n": queryset.count()}, messages.SUCCESS
        )
