"""Feeds, sitemaps and OPML; language-independent, so mounted outside i18n_patterns."""

from __future__ import annotations

from typing import Any

from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path

from kiosque.syndication.feeds import ArticleFeed, CategoryFeed, LanguageFeed, SearchFeed, SourceFeed, StoryFeed
from kiosque.syndication.http import cached_output
from kiosque.syndication.opml import sources_opml
from kiosque.syndication.sitemaps import SITEMAPS, news_sitemap

app_name = "syndication"
FORMATS = ("rss", "atom", "json")


def _feeds(prefix: str, feed: type[ArticleFeed], name: str) -> list[URLPattern]:
    return [path(f"{prefix}{fmt}/", cached_output(feed(fmt)), name=f"{name}-{fmt}") for fmt in FORMATS]


@cached_output
def sitemap_index(request: HttpRequest) -> HttpResponse:
    return sitemap_views.index(request, SITEMAPS, sitemap_url_name="syndication:sitemap-section")


@cached_output
def sitemap_section(request: HttpRequest, section: str) -> Any:
    return sitemap_views.sitemap(request, SITEMAPS, section=section)


urlpatterns = [
    *_feeds("feeds/", ArticleFeed, "all"),
    *_feeds("feeds/source/<slug:slug>/", SourceFeed, "source"),
    *_feeds("feeds/category/<str:slug>/", CategoryFeed, "category"),
    *_feeds("feeds/lang/<str:lang>/", LanguageFeed, "lang"),
    *_feeds("feeds/story/<int:story_id>/", StoryFeed, "story"),
    *_feeds("feeds/search/", SearchFeed, "search"),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<str:section>.xml", sitemap_section, name="sitemap-section"),
    path("news-sitemap.xml", cached_output(news_sitemap), name="news-sitemap"),
    path("sources.opml", cached_output(sources_opml), name="opml"),
]
