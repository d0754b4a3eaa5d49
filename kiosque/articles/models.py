"""Articles, their images and categories. Writes happen only in `services.py`."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kiosque.sources.models import Feed, Source


class Category(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class ImageState(models.TextChoices):
    OK = "ok", _("visible")
    BLOCKED = "blocked", _("blocked")
    PROTECTED = "protected", _("protected (unblocked by a moderator)")


class Image(models.Model):
    """A picture downloaded once, verified, re-encoded and served from our own URLs."""

    origin_url = models.URLField(_("origin URL"), max_length=1000, unique=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    phash = models.CharField(_("perceptual hash"), max_length=32, blank=True, db_index=True)
    mime = models.CharField(max_length=50)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    display_file = models.CharField(max_length=300)
    display_width = models.PositiveIntegerField()
    display_height = models.PositiveIntegerField()
    thumb_file = models.CharField(max_length=300)
    thumb_width = models.PositiveIntegerField()
    thumb_height = models.PositiveIntegerField()
    # Indexed: the crawler looks up the few blocked and protected images for every new one (articles.services).
    state = models.CharField(
        _("state"), max_length=16, choices=ImageState.choices, default=ImageState.OK, db_index=True
    )
    fetched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self) -> str:
        return self.origin_url

    @property
    def is_blocked(self) -> bool:
        return self.state == ImageState.BLOCKED


class Article(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="articles")
    feed = models.ForeignKey(Feed, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles")
    url = models.URLField(_("URL"), max_length=1000)
    canonical_url = models.URLField(_("canonical URL"), max_length=1000, unique=True)
    guid = models.CharField(max_length=1000, blank=True)
    title = models.CharField(_("title"), max_length=1000)
    lead = models.TextField(_("lead"), blank=True)
    text = models.TextField(_("text"), blank=True)
    html = models.TextField(_("sanitised HTML"), blank=True)
    content_hash = models.CharField(max_length=64, blank=True, db_index=True)
    language = models.CharField(_("language"), max_length=8, blank=True, db_index=True)
    language_method = models.CharField(max_length=32, blank=True)
    author = models.CharField(_("author"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("published"), db_index=True)
    fetched_at = models.DateTimeField(_("fetched"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    categories = models.ManyToManyField(Category, blank=True, related_name="articles")
    image = models.ForeignKey(Image, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles")
    image_origin_url = models.URLField(max_length=1000, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(fields=["source", "-published_at"], name="article_source_recent_idx"),
            models.Index(fields=["source", "guid"], name="article_source_guid_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class TitleRevision(models.Model):
    """A title the article had before the publisher edited it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="title_history")
    title = models.CharField(max_length=1000)
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["replaced_at"]
        verbose_name = _("previous title")
        verbose_name_plural = _("title history")

    def __str__(self) -> str:
        return self.title
