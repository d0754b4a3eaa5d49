from __future__ import annotations

from django.contrib import admin

from kiosque.articles.models import Article, Category, Image, TitleRevision


class TitleRevisionInline(admin.TabularInline):
    model = TitleRevision
    extra = 0
    readonly_fields = ("title", "replaced_at")
    can_delete = False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "source", "language", "published_at", "fetched_at")
    list_filter = ("language", "source")
    search_fields = ("title", "canonical_url", "guid")
    date_hierarchy = "published_at"
    raw_id_fields = ("image", "feed")
    filter_horizontal = ("categories",)
    readonly_fields = ("fetched_at", "updated_at", "content_hash", "language_method")
    inlines = [TitleRevisionInline]
    list_select_related = ("source",)


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ("origin_url", "state", "mime", "width", "height", "fetched_at")
    list_filter = ("state", "mime")
    search_fields = ("origin_url", "sha256")
    readonly_fields = ("sha256", "phash", "display_file", "thumb_file")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
