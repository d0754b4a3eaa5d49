"""sitemap.xml (an index of article, source and category sitemaps, paginated by Django's sitemap framework) and
the Google News sitemap of the last 48 hours."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.sitemaps import Sitemap
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from kiosque.articles import selectors
from kiosque.sources import selectors as source_selectors
from kiosque.syndication.entries import SITE_NAME, xml_safe

if TYPE_CHECKING:
    from kiosque.articles.models import Article


class ArticleSitemap(Sitemap):
    # One URL per article, in its default-language page: the framework's i18n mode would list every article
    # three times and load them all into memory to do it.
    limit = 10_000

    def items(self) -> Any:
        return selectors.article_sitemap_rows()

    def location(self, item: Article) -> str:
        return reverse("portal:article", args=[item.pk])

    def lastmod(self, item: Article) -> datetime:
        return item.updated_at

    def get_latest_lastmod(self) -> datetime | None:
        return selectors.last_change()  # one query, where the default would read every article


class _LocalisedSitemap(Sitemap):
    """Source and category pages in the three interface languages, with hreflang alternates (few rows)."""

    i18n = True
    alternates = True
    x_default = True

    def lastmod(self, item: Any) -> datetime | None:
        return item.last_change


class SourceSitemap(_LocalisedSitemap):
    def items(self) -> Any:
        return list(source_selectors.sources_for_output())

    def location(self, item: Any) -> str:
        return reverse("portal:source", args=[item.slug])


class CategorySitemap(_LocalisedSitemap):
    def items(self) -> Any:
        return list(selectors.categories_for_output())

    def location(self, item: Any) -> str:
        return reverse("portal:category", args=[item.slug])


SITEMAPS = {"articles": ArticleSitemap, "sources": SourceSitemap, "categories": CategorySitemap}

NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000  # Google News sitemaps hold at most 1,000 URLs
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
IMAGE_NS = "http://www.google.com/schemas/sitemap-image/1.1"


def news_sitemap(request: HttpRequest) -> HttpResponse:
    """Articles published in the last 48 hours, newest first, with their language and our image."""
    articles = selectors.articles_published_since(timezone.now() - NEWS_WINDOW, limit=NEWS_LIMIT)
    root = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS, "news": NEWS_NS, "image": IMAGE_NS})
    for article in articles:
        # news:language is required and must be a real code: an article whose language is unknown is left out.
        if article.language:
            _news_url(root, article, absolute=request.build_absolute_uri)
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return HttpResponse(body, content_type="application/xml; charset=utf-8")


def _news_url(root: etree._Element, article: Article, *, absolute: Any) -> None:
    url = etree.SubElement(root, f"{{{SITEMAP_NS}}}url")
    etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = absolute(reverse("portal:article", args=[article.pk]))
    news = etree.SubElement(url, f"{{{NEWS_NS}}}news")
    publication = etree.SubElement(news, f"{{{NEWS_NS}}}publication")
    # The publication is our site: the URLs listed are our pages.
    etree.SubElement(publication, f"{{{NEWS_NS}}}name").text = SITE_NAME
    etree.SubElement(publication, f"{{{NEWS_NS}}}language").text = article.language
    etree.SubElement(news, f"{{{NEWS_NS}}}publication_date").text = article.published_at.isoformat()
    etree.SubElement(news, f"{{{NEWS_NS}}}title").text = xml_safe(article.title)
    image = selectors.image_for_output(article)
    if image is not None:
        holder = etree.SubElement(url, f"{{{IMAGE_NS}}}image")
        location = absolute(reverse("portal:image", args=[image.pk, "display"]))
        etree.SubElement(holder, f"{{{IMAGE_NS}}}loc").text = location
