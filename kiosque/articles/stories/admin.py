"""Editors' tools for stories: merge, split, pin, unpin, rename and unlock, each through a service that locks the
story and writes the story log; and the log itself, read-only.

Merge, pin, unpin and unlock are actions on the story list; split is an action on the article list (select the
articles of a story, "Move to a new story"); rename is the story's own form (a title per language). Every
action first asks for an optional note, which the log keeps with the editor's name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from kiosque.articles.models import Article, Story, StoryAction
from kiosque.articles.stories import selectors, services

EDIT_PERMISSION = "articles.change_story"


class ReasonForm(forms.Form):
    """An editor's note for the story log."""

    reason = forms.CharField(
        label=_("Why (kept in the story log)"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )


def with_reason(
    model_admin: admin.ModelAdmin[Any], request: HttpRequest, queryset: QuerySet[Any], *, action: str,
    apply: Callable[[list[Any], str], Any], done: str, minimum: int = 1,
) -> HttpResponseBase | None:
    """First an intermediate page asking for a note, then `apply(selected, reason)`."""
    rows = list(queryset)
    if len(rows) < minimum:
        model_admin.message_user(request, _("Select at least %(n)d rows.") % {"n": minimum}, messages.WARNING)
        return None
    form = ReasonForm(request.POST if request.POST.get("decided") == "yes" else None)
    if form.is_valid():
        apply(rows, form.cleaned_data["reason"])
        model_admin.message_user(request, done % {"count": len(rows)}, messages.SUCCESS)
        return None
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Story change"),
        "opts": model_admin.model._meta,
        "rows": rows,
        "action": action,
        "action_label": getattr(model_admin, action).short_description,
        "form": form,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/articles/story/decide.html", context)


class StoryForm(forms.ModelForm):  # type: ignore[type-arg]
    """Rename: one title per language (blank: the automatic title, from the first report in that language)."""

    title_fr = forms.CharField(label=_("Title in French"), required=False, max_length=1000)
    title_ar = forms.CharField(label=_("Title in Arabic"), required=False, max_length=1000)
    title_en = forms.CharField(label=_("Title in English"), required=False, max_length=1000)
    reason = forms.CharField(label=_("Why (kept in the story log)"), required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2, "cols": 60}))

    class Meta:
        model = Story
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, _name in settings.LANGUAGES:
            field = self.fields[f"title_{code}"]
            field.initial = self.instance.edited_titles.get(code, "")
            field.help_text = _("Blank: the automatic title, “%(title)s”") % {
                "title": self.instance.titles.get(code) or "—"
            }
            field.widget.attrs["size"] = 80

    def edited_titles(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"title_{code}") or "" for code, _name in settings.LANGUAGES}


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = StoryForm
    list_display = ("display_title", "article_count", "source_count", "language_list", "first_published_at",
                    "last_published_at", "pinned", "locked")
    list_filter = ("pinned", "locked")
    search_fields = ("=id", "articles__title")
    date_hierarchy = "last_published_at"
    list_select_related = ("first_article",)
    actions = ["merge", "pin", "unpin", "unlock"]
    readonly_fields = ("display_title", "pinned", "locked", "merged_into", "first_report", "first_published_at",
                       "last_published_at", "article_count", "source_counts", "language_counts", "articles_list",
                       "history")

    def get_fields(self, request: HttpRequest, obj: Story | None = None) -> list[str]:
        titles = [f"title_{code}" for code, _name in settings.LANGUAGES]
        return [*titles, "reason", *self.readonly_fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # stories come from grouping, or from a split

    def has_delete_permission(self, request: HttpRequest, obj: Story | None = None) -> bool:
        return False  # merge instead: the log and old links keep pointing somewhere

    def save_model(self, request: HttpRequest, obj: Story, form: StoryForm, change: bool) -> None:
        titles = form.edited_titles()
        if {k: v for k, v in titles.items() if v} != obj.edited_titles or form.cleaned_data.get("reason"):
            services.story_rename(story=obj, titles=titles, actor=request.user, reason=form.cleaned_data["reason"])

    # ------------------------------------------------------------------------------------------- columns
    @admin.display(description=_("title"))
    def display_title(self, obj: Story) -> str:
        return obj.title() or f"#{obj.pk}"

    @admin.display(description=_("languages"))
    def language_list(self, obj: Story) -> str:
        return ", ".join(f"{lang} ({obj.language_counts[lang]})" for lang in obj.languages)

    @admin.display(description=_("first report"))
    def first_report(self, obj: Story) -> SafeString | str:
        first = obj.first_article
        if first is None:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:articles_article_change", args=[first.pk]), first)

    @admin.display(description=_("articles"))
    def articles_list(self, obj: Story) -> SafeString:
        rows = obj.articles.select_related("source").order_by("published_at", "pk")
        items = format_html_join(
            "", '<li>{} — <a href="{}">{}</a> — {} ({})</li>',
            ((a.published_at.strftime("%Y-%m-%d %H:%M"), reverse("admin:articles_article_change", args=[a.pk]),
              a.title, a.source.name, a.language or "?") for a in rows),
        )
        split = f"{reverse('admin:articles_article_changelist')}?{urlencode({'story__exact': obj.pk})}"
        return format_html('<ul>{}</ul><p><a href="{}">{}</a></p>', items, split,
                           _("Select some of these articles to move them to a new story (split)"))

    @admin.display(description=_("story log"))
    def history(self, obj: Story) -> SafeString:
        return format_html_join(
            "", "<li>{} — {} — {} — {}</li>",
            ((a.created_at.strftime("%Y-%m-%d %H:%M"), a.get_kind_display(), a.actor or _("automatic"),
              a.reason or "—") for a in selectors.story_history(obj.pk)),
        ) or SafeString("—")

    # ------------------------------------------------------------------------------------------- actions
    @admin.action(description=_("Merge the selected stories into one"), permissions=["change"])
    def merge(self, request: HttpRequest, queryset: QuerySet[Story]) -> HttpResponseBase | None:
        return with_reason(self, request, queryset, action="merge", minimum=2,
                           apply=lambda rows, reason: services.story_merge(stories=rows, actor=request.user,
                                                                           reason=reason),
                           done=_("Merged %(count)d stories."))

    @admin.action(description=_("Pin at the top of the front page"), permissions=["change"])
    def pin(self, request: HttpRequest, queryset: QuerySet[Story]) -> HttpResponseBase | None:
        return self._each(request, queryset, action="pin", service=lambda s, r: services.story_pin(
            story=s, pinned=True, actor=request.user, reason=r), done=_("Pinned %(count)d stories."))

    @admin.action(description=_("Unpin"), permissions=["change"])
    def unpin(self, request: HttpRequest, queryset: QuerySet[Story]) -> HttpResponseBase | None:
        return self._each(request, queryset, action="unpin", service=lambda s, r: services.story_pin(
            story=s, pinned=False, actor=request.user, reason=r), done=_("Unpinned %(count)d stories."))

    @admin.action(description=_("Unlock (let the repair pass regroup them again)"), permissions=["change"])
    def unlock(self, request: HttpRequest, queryset: QuerySet[Story]) -> HttpResponseBase | None:
        return self._each(request, queryset, action="unlock", service=lambda s, r: services.story_unlock(
            story=s, actor=request.user, reason=r), done=_("Unlocked %(count)d stories."))

    def _each(
        self, request: HttpRequest, queryset: QuerySet[Story], *, action: str, service: Callable[[Story, str], Any],
        done: str,
    ) -> HttpResponseBase | None:
        def apply(rows: list[Story], reason: str) -> None:
            for story in rows:
                service(story, reason)

        return with_reason(self, request, queryset, action=action, apply=apply, done=done)


def split_action(model_admin: admin.ModelAdmin[Any], request: HttpRequest,
                 queryset: QuerySet[Article]) -> HttpResponseBase | None:
    """The article list's action: move the selected articles out of their stories into a new one."""
    return with_reason(model_admin, request, queryset, action="split_into_new_story",
                       apply=lambda rows, reason: services.story_split(articles=rows, actor=request.user,
                                                                       reason=reason),
                       done=_("Moved %(count)d articles to a new story."))


@admin.register(StoryAction)
class StoryLogAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The story log, read-only: nobody adds, edits or deletes a row here (and the database refuses edits)."""

    list_display = ("created_at", "kind", "story_link", "actor", "reason")
    list_filter = ("kind", "created_at")
    search_fields = ("=story_id", "reason")
    date_hierarchy = "created_at"
    list_select_related = ("actor",)
    readonly_fields = ("created_at", "kind", "story_link", "actor", "reason", "details")
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: StoryAction | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: StoryAction | None = None) -> bool:
        return False

    @admin.display(description=_("story"), ordering="story_id")
    def story_link(self, obj: StoryAction) -> SafeString:
        url = reverse("admin:articles_story_change", args=[obj.story_id])
        return format_html('<a href="{}">#{}</a>', url, obj.story_id)
