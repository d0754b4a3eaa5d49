from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext_lazy as _

from kiosque.articles.models import Article, Category, Image, TitleRevision
from kiosque.articles.search import index_article, unindex_article
from kiosque.articles.stories.admin import EDIT_PERMISSION, split_action  # also registers the story admins
from kiosque.content_admin import ContentChangingAdmin


class TitleRevisionInline(admin.TabularInline):
    model = TitleRevision
    extra = 0
    readonly_fields = ("title", "replaced_at")
    can_delete = False


@admin.register(Article)
class ArticleAdmin(ContentChangingAdmin):
    list_display = ("title", "source", "language", "published_at", "story", "wire_count", "fetched_at")
    list_filter = ("language", "source")
    search_fields = ("title", "canonical_url", "guid", "=story__id")
    date_hierarchy = "published_at"
    raw_id_fields = ("image", "feed")
    filter_horizontal = ("categories",)
    # Stories and dispatch groups change only through the story services (which keep the story log).
    readonly_fields = ("fetched_at", "updated_at", "content_hash", "language_method", "story", "wire_of",
                       "wire_count")
    inlines = [TitleRevisionInline]
    list_select_related = ("source", "story")
    actions = ["split_into_new_story"]

    @admin.action(description=_("Move to a new story (split)"), permissions=["story"])
    def split_into_new_story(self, request: HttpRequest, queryset: QuerySet[Article]) -> HttpResponseBase | None:
        return split_action(self, request, queryset)

    def has_story_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.has_perm(EDIT_PERMISSION))

    # An edited title or text must be found by search too: the document is replaced in the same transaction.
    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        index_article(obj)

    def delete_model(self, request: HttpRequest, obj: Article) -> None:
        article_id = obj.pk
        super().delete_model(request, obj)
        unindex_article(article_id)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        for article_id in ids:
            unindex_article(article_id)


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ("origin_url", "state", "mime", "width", "height", "fetched_at")
    list_filter = ("state", "mime")
    search_fields = ("origin_url", "sha256")
    # The state changes only through moderation decisions, which write the audit log (see the moderation queue).
    readonly_fields = ("state", "sha256", "phash", "display_file", "thumb_file")


@admin.register(Category)
class CategoryAdmin(ContentChangingAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
