"""Articles, their images, categories and stories. Writes happen only in the `services` modules."""

from __future__ import annotations

from django.conf import settings
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


class Story(models.Model):
    """All coverage of one event, across outlets and languages (grouped by `crawler.stories`, edited in the admin).

    Titles, counts and dates are copied from the member articles by the services whenever the membership
    changes, so a list of stories costs one query. A story an editor touched is `locked`: the periodic repair
    pass keeps its membership exactly as it is. A story emptied by a merge or a regrouping keeps its row, with
    `merged_into` pointing at where its articles went, so that old links still lead somewhere.
    """

    titles = models.JSONField(_("titles"), default=dict, blank=True, help_text=_("{language: title}, automatic"))
    edited_titles = models.JSONField(
        _("titles set by an editor"), default=dict, blank=True, help_text=_("{language: title}; they win")
    )
    pinned = models.BooleanField(_("pinned"), default=False, db_index=True)
    locked = models.BooleanField(
        _("locked"), default=False, help_text=_("Set by any editor action: the repair pass keeps this story as it is.")
    )
    first_article = models.ForeignKey(
        "Article", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("first report")
    )
    first_language = models.CharField(_("language of the first report"), max_length=8, blank=True)
    first_published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    last_published_at = models.DateTimeField(_("last published"), null=True, blank=True, db_index=True)
    article_count = models.PositiveIntegerField(_("articles"), default=0)
    source_count = models.PositiveIntegerField(_("sources"), default=0)
    language_counts = models.JSONField(_("articles per language"), default=dict, blank=True)
    source_counts = models.JSONField(_("articles per source"), default=dict, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("merged into")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-last_published_at", "-id"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")

    def __str__(self) -> str:
        return self.title() or f"#{self.pk}"

    def title(self, language: str | None = None) -> str:
        """The title in `language` (an editor's first), else in the first report's language, else any."""
        return self.title_in(language)[0]

    def title_in(self, language: str | None = None) -> tuple[str, str]:
        """(title, its language) as `title` chooses it."""
        titles = {**self.titles, **self.edited_titles}
        for lang in (language, self.first_language, *titles):
            if lang is not None and titles.get(lang):
                return str(titles[lang]), lang
        return "", ""

    @property
    def languages(self) -> list[str]:
        """Languages of its coverage, the most covered first."""
        counts = self.language_counts
        return sorted((lang for lang in counts if lang), key=lambda lang: (-counts[lang], lang))


class Article(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="articles")
    feed = models.ForeignKey(Feed, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles")
    url = models.URLField(_("URL"), max_length=1000, db_index=True)  # the crawler looks up every feed entry by it
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
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, db_index=True)
    categories = models.ManyToManyField(Category, blank=True, related_name="articles")
    image = models.ForeignKey(Image, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles")
    image_origin_url = models.URLField(max_length=1000, blank=True)
    story = models.ForeignKey(
        Story, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles", verbose_name=_("story")
    )
    # An agency dispatch republished by several outlets: the copies point at the earliest published copy (the
    # original, credited to its publisher); `wire_count` is, on every copy, how many other outlets carry it.
    wire_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="wire_copies",
        verbose_name=_("copy of the dispatch"),
    )
    wire_count = models.PositiveIntegerField(_("other outlets carrying the dispatch"), default=0)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(fields=["source", "-published_at"], name="article_source_recent_idx"),
            models.Index(fields=["source", "guid"], name="article_source_guid_idx"),
            # Covering index for ranking search hits (search/base.py): id -> source, language, published_at
            # without reading the wide rows.
            models.Index(fields=["id", "source", "language", "published_at"], name="article_search_rank_idx"),
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


class ArticleSignature(models.Model):
    """What story grouping computed from an article, kept so a restarted crawler and the repair pass need not
    compute it again: the MinHash fingerprint of its text and the sentence embedding of its title and lead.
    A table of its own so that the article lists never read these bytes."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, primary_key=True, related_name="signature")
    fingerprint = models.BinaryField()  # pipeline.enrich.fingerprint.Fingerprint.to_bytes()
    embedding = models.BinaryField()  # float32 little-endian, unit length
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("article signature")
        verbose_name_plural = _("article signatures")

    def __str__(self) -> str:
        return f"signature of article {self.article_id}"


class StoryLink(models.Model):
    """Why an article is in its story: the member it matched best and the evidence (readers see it)."""

    class Method(models.TextChoices):
        ASSIGN = "assign", _("grouped on arrival")
        REPAIR = "repair", _("regrouped by the periodic pass")
        EDITOR = "editor", _("placed by an editor")
        ALONE = "alone", _("first of its story")

    article = models.OneToOneField(Article, on_delete=models.CASCADE, primary_key=True, related_name="story_link")
    matched = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("matched article")
    )
    method = models.CharField(_("how"), max_length=16, choices=Method.choices, default=Method.ASSIGN)
    score = models.FloatField(_("score"), null=True, blank=True)
    similarity = models.FloatField(_("similarity"), null=True, blank=True)
    shared_names = models.JSONField(_("shared names"), default=list, blank=True)
    shared_numbers = models.JSONField(_("shared figures"), default=list, blank=True)
    wire = models.BooleanField(_("copy of the same dispatch"), default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("story link")
        verbose_name_plural = _("story links")

    def __str__(self) -> str:
        return f"article {self.article_id} ({self.method}, matched {self.matched_id or '-'})"


class StoryActionKind(models.TextChoices):
    MERGE = "merge", _("merged")
    SPLIT = "split", _("split")
    PIN = "pin", _("pinned")
    UNPIN = "unpin", _("unpinned")
    RENAME = "rename", _("renamed")
    UNLOCK = "unlock", _("unlocked")


class StoryAction(models.Model):
    """The editors' audit log: one row per change to a story, append-only (migration 0005 makes the database
    refuse UPDATE, and on PostgreSQL DELETE). `story_id` is a plain number, not a foreign key, so the row
    outlives the story and deleting a story never has to touch the log."""

    story_id = models.BigIntegerField(_("story"), db_index=True)
    kind = models.CharField(_("change"), max_length=16, choices=StoryActionKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("editor"),
    )
    reason = models.TextField(_("why"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("story change")
        verbose_name_plural = _("story log")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · story {self.story_id} · {self.actor or '-'}"
