"""The moderation queue and the moderation log, for users with the `moderation.moderate_images` permission
(the "Moderators" group has it; a moderator also needs staff status to sign in to the admin).

The queue lists reported images and images that are not plainly visible, with their counts, the reasons
given, the articles that use them and a blurred preview served from the admin (the public URL answers 410
once an image is blocked). Decisions are admin actions, on one image from its page or on many from the
list; each asks for an optional note and calls a service, which writes the audit log.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from kiosque.articles.models import ImageState
from kiosque.moderation import selectors, services
from kiosque.moderation.forms import DecisionForm
from kiosque.moderation.models import ActionKind, ImageReport, ModerationAction, ReportedImage


class ModeratorOnly:
    """Every permission of these admins is the one moderation permission: a moderator needs no other."""

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm(services.MODERATE_PERMISSION))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_moderate_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_moderate_permission(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PendingFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "review"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("pending", _("awaiting a moderator")), ("done", _("decided by a moderator"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "pending":
            return queryset.filter(selectors.pending_filter())
        if self.value() == "done":
            return queryset.exclude(selectors.pending_filter())
        return queryset


class ImageReportInline(ModeratorOnly, admin.TabularInline):  # type: ignore[type-arg]
    model = ImageReport
    extra = 0
    can_delete = False
    fields = ("created_at", "reason", "counted_display", "reporter_short", "address_short", "cleared_at")
    readonly_fields = fields
    ordering = ("-created_at",)
    verbose_name_plural = _("reports")

    @admin.display(description=_("counted"), boolean=True)
    def counted_display(self, obj: ImageReport) -> bool:
        return obj.counted

    @admin.display(description=_("reader"))
    def reporter_short(self, obj: ImageReport) -> str:
        return obj.reporter[:10]  # enough to see one reader come back; the whole hash says nothing more

    @admin.display(description=_("address"))
    def address_short(self, obj: ImageReport) -> str:
        return obj.address[:10]


@admin.register(ReportedImage)
class ModerationQueueAdmin(ModeratorOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("preview", "state", "counted_reports_display", "reasons", "used_by", "last_reported", "decision")
    list_display_links = ("preview",)
    list_filter = (PendingFilter, "state")
    search_fields = ("=id", "origin_url", "=sha256")
    list_per_page = 50
    actions = ["confirm_block", "unblock", "reset_reports"]
    readonly_fields = ("large_preview", "state", "origin_url", "sha256", "phash", "articles_list", "copies",
                       "history")
    fields = readonly_fields
    inlines = [ImageReportInline]
    change_form_template = "admin/moderation/reportedimage/change_form.html"

    class Media:
        css = {"all": ["moderation/admin.css"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReportedImage]:
        return selectors.moderation_queue().order_by("-last_report", "-pk")

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> ReportedImage | None:
        # Any image has a page (a copy that nobody reported, an image from the log), not only the queue's rows.
        return ReportedImage.objects.filter(pk=object_id).first() if object_id.isdigit() else None

    def get_urls(self) -> list[Any]:
        preview = self.admin_site.admin_view(self.preview_file)
        return [path("<int:image_id>/file/<str:variant>/", preview, name="moderation_image_file"), *super().get_urls()]

    # ------------------------------------------------------------------------------------------- columns
    @admin.display(description=_("image"))
    def preview(self, obj: ReportedImage) -> SafeString:
        return format_html('<span class="mod-preview"><img src="{}" width="{}" height="{}" alt=""></span>',
                           _file_url(obj, "thumb"), obj.thumb_width, obj.thumb_height)

    @admin.display(description=_("preview (blurred)"))
    def large_preview(self, obj: ReportedImage) -> SafeString:
        url = _file_url(obj, "display")
        return format_html('<span class="mod-preview mod-preview-large"><img src="{}" alt=""></span> '
                           '<a href="{}" target="_blank" rel="noopener">{}</a>', url, url, _("Open unblurred"))

    @admin.display(description=_("counted reports"), ordering="counted_reports")
    def counted_reports_display(self, obj: ReportedImage) -> str:
        threshold = settings.KIOSQUE["KIOSQUE_REPORT_THRESHOLD"]
        extra = obj.active_reports - obj.counted_reports  # type: ignore[attr-defined]
        text = f"{obj.counted_reports} / {threshold}"  # type: ignore[attr-defined]
        return text + (f" (+{extra})" if extra else "")

    @admin.display(description=_("reasons"))
    def reasons(self, obj: ReportedImage) -> str:
        labels = dict(ImageReport._meta.get_field("reason").choices or [])
        counts = selectors.reason_counts(obj)
        labels[""] = _("no reason")
        return ", ".join(f"{labels.get(k, k)} ×{n}" for k, n in counts.most_common()) or "—"

    @admin.display(description=_("articles"))
    def used_by(self, obj: ReportedImage) -> SafeString:
        links = format_html_join(
            ", ", '<a href="{}" target="_blank" rel="noopener">{}</a>',
            ((reverse("portal:article", args=[a.pk]), f"{a.title[:60]} ({a.source.name})")
             for a in obj.shown_articles),  # type: ignore[attr-defined]
        )
        more = obj.article_count - len(obj.shown_articles)  # type: ignore[attr-defined]
        return format_html("{}{}", links, f" +{more}" if more > 0 else "")

    @admin.display(description=_("last reported"), ordering="last_report")
    def last_reported(self, obj: ReportedImage) -> Any:
        return obj.last_report or "—"  # type: ignore[attr-defined]

    @admin.display(description=_("latest decision"))
    def decision(self, obj: ReportedImage) -> str:
        if not obj.last_kind:  # type: ignore[attr-defined]
            return "—"
        who = _("moderator") if obj.last_actor else _("automatic")  # type: ignore[attr-defined]
        return f"{ActionKind(obj.last_kind).label} ({who})"  # type: ignore[attr-defined]

    @admin.display(description=_("articles using it"))
    def articles_list(self, obj: ReportedImage) -> SafeString:
        rows = selectors.articles_using(obj)
        return format_html_join(
            "", '<li><a href="{}" target="_blank" rel="noopener">{}</a> — {}</li>',
            ((reverse("portal:article", args=[a.pk]), a.title, a.source.name) for a in rows),
        ) or SafeString("—")

    @admin.display(description=_("same picture elsewhere"))
    def copies(self, obj: ReportedImage) -> SafeString:
        rows = selectors.image_copies(obj)
        return format_html_join(
            "", '<li><a href="{}">#{}</a> {} — {} — {}</li>',
            ((reverse("admin:moderation_reportedimage_change", args=[c.image.pk]), c.image.pk,
              c.image.get_state_display(),
              _("same file") if c.match.same_file else _("%(bits)d bits apart") % {"bits": c.match.distance},
              c.image.origin_url) for c in rows),
        ) or SafeString("—")

    @admin.display(description=_("moderation log"))
    def history(self, obj: ReportedImage) -> SafeString:
        return format_html_join(
            "", "<li>{} — {} — {} — {}</li>",
            ((a.created_at.strftime("%Y-%m-%d %H:%M"), a.get_kind_display(), a.actor or _("automatic"),
              a.reason or "—") for a in selectors.image_history(obj)),
        ) or SafeString("—")

    # ------------------------------------------------------------------------------------------- actions
    @admin.action(description=_("Confirm the block (hide the picture everywhere)"), permissions=["moderate"])
    def confirm_block(self, request: HttpRequest, queryset: QuerySet[ReportedImage]) -> HttpResponseBase | None:
        return self._decide(request, queryset, action="confirm_block", service=services.image_block,
                            done=_("Blocked %(count)d image(s) and their copies."))

    @admin.action(description=_("Unblock and protect from automatic blocking"), permissions=["moderate"])
    def unblock(self, request: HttpRequest, queryset: QuerySet[ReportedImage]) -> HttpResponseBase | None:
        return self._decide(request, queryset, action="unblock", service=services.image_unblock,
                            done=_("Unblocked and protected %(count)d image(s) and their copies."))

    @admin.action(description=_("Reset the reports"), permissions=["moderate"])
    def reset_reports(self, request: HttpRequest, queryset: QuerySet[ReportedImage]) -> HttpResponseBase | None:
        return self._decide(request, queryset, action="reset_reports", service=services.image_reports_reset,
                            done=_("Reset the reports of %(count)d image(s)."))

    def _decide(
        self, request: HttpRequest, queryset: QuerySet[ReportedImage], *, action: str,
        service: Callable[..., Any], done: str,
    ) -> HttpResponseBase | None:
        """First an intermediate page asking for a note, then the decision on each selected image."""
        form = DecisionForm(request.POST if request.POST.get("decided") == "yes" else None)
        if form.is_valid():
            images = list(queryset)
            for image in images:
                service(image=image, actor=request.user, reason=form.cleaned_data["reason"])
            self.message_user(request, done % {"count": len(images)}, messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Moderation decision"),
            "opts": self.model._meta,
            "images": list(queryset),
            "action": action,
            "action_label": getattr(self, action).short_description,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "states": ImageState,
        }
        return TemplateResponse(request, "admin/moderation/reportedimage/decide.html", context)

    # ------------------------------------------------------------------------------------------- preview
    def preview_file(self, request: HttpRequest, image_id: int, variant: str) -> FileResponse:
        """The picture itself, whatever its state, for moderators only (never cached by anyone)."""
        if not self.has_moderate_permission(request):
            raise Http404("No such image")
        image = selectors.image_for_report(image_id)
        field = {"display": "display_file", "thumb": "thumb_file"}.get(variant)
        if image is None or field is None:
            raise Http404("No such image")
        file = Path(settings.MEDIA_ROOT) / getattr(image, field)
        if not file.is_file():
            raise Http404("Image file missing")
        response = FileResponse(file.open("rb"), content_type=f"image/{file.suffix.lstrip('.')}")
        response["Cache-Control"] = "private, no-store"
        return response


def _file_url(image: ReportedImage, variant: str) -> str:
    return reverse("admin:moderation_image_file", args=[image.pk, variant])


class AutomaticFilter(admin.SimpleListFilter):
    title = _("decided by")
    parameter_name = "by"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("automatic", _("automatic")), ("moderator", _("a moderator"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() in ("automatic", "moderator"):
            return queryset.filter(actor__isnull=self.value() == "automatic")
        return queryset


@admin.register(ModerationAction)
class ModerationLogAdmin(ModeratorOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    """The audit log, read-only: nobody adds, edits or deletes a row here (and the database refuses edits)."""

    list_display = ("created_at", "kind", "image_link", "who", "reason", "state_before", "state_after")
    list_filter = ("kind", AutomaticFilter, "created_at")
    search_fields = ("=image__id", "reason")
    date_hierarchy = "created_at"
    list_select_related = ("actor",)
    readonly_fields = ("created_at", "kind", "image_link", "who", "reason", "state_before", "state_after",
                       "details")
    fields = readonly_fields

    @admin.display(description=_("image"), ordering="image_id")
    def image_link(self, obj: ModerationAction) -> SafeString:
        url = reverse("admin:moderation_reportedimage_change", args=[obj.image_id])
        return format_html('<a href="{}">#{}</a>', url, obj.image_id)

    @admin.display(description=_("who"), ordering="actor")
    def who(self, obj: ModerationAction) -> str:
        return str(obj.actor) if obj.actor_id else str(_("automatic"))
