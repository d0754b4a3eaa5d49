"""Outlets and their feeds, with the schedule and health the crawler keeps on each feed."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Source(models.Model):
    """One outlet (newspaper, agency, broadcaster)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    homepage = models.URLField(_("homepage"), max_length=500, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True, help_text=_('ISO 639-1 codes, e.g. ["fr"]'))
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2"))
    enabled = models.BooleanField(_("enabled"), default=True)
    extraction_rules = models.JSONField(
        _("extraction rules"),
        default=dict,
        blank=True,
        help_text=_('CSS selectors: {"remove_selectors": [...], "body_selector": "..."}'),
    )
    excerpt_paragraphs = models.PositiveSmallIntegerField(
        _("excerpt paragraphs"),
        null=True,
        blank=True,
        help_text=_("Paragraphs of an article shown on our page (empty: site default; 0: lead only)."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.name


class FeedKind(models.TextChoices):
    RSS = "rss", "RSS"
    ATOM = "atom", "Atom"
    RDF = "rdf", "RDF (RSS 1.0)"
    JSON_FEED = "jsonfeed", "JSON Feed"
    SITEMAP = "sitemap", _("News sitemap")
    LISTING = "listing", _("Feedless listing page")


class Feed(models.Model):
    """A URL we poll for new article links, with its HTTP cache validators and health."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="feeds")
    url = models.URLField(_("URL"), max_length=1000, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=FeedKind.choices, default=FeedKind.RSS)
    listing_selector = models.CharField(
        _("listing selector"), max_length=300, blank=True, help_text=_("CSS selector of article links (listing pages).")
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    interval_seconds = models.PositiveIntegerField(_("interval (s)"), default=900)

    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)

    next_check_at = models.DateTimeField(_("next check"), default=timezone.now, db_index=True)
    last_checked_at = models.DateTimeField(_("last check"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    failure_score = models.FloatField(_("failure score"), default=0.0)
    consecutive_failures = models.PositiveIntegerField(default=0)
    last_error = models.TextField(_("last error"), blank=True)
    last_error_kind = models.CharField(_("error kind"), max_length=16, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.TextField(_("disabled because"), blank=True)

    # A worker's claim (see crawler.scheduler): no other worker takes the feed until the lease ends.
    lease_owner = models.CharField(max_length=100, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["source__name", "url"]
        verbose_name = _("feed")
        verbose_name_plural = _("feeds")
        indexes = [models.Index(fields=["enabled", "next_check_at"], name="feed_due_idx")]

    def __str__(self) -> str:
        return self.url
