"""sitemap.xml (index and sections) and the Google News sitemap: well-formed XML, our URLs, dates, images."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.urls import reverse
from lxml import etree

from tests.syndication.builders import build_many

pytestmark = pytest.mark.django_db
BASE = "http://testserver"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
    "image": "http://www.google.com/schemas/sitemap-image/1.1",
    "xhtml": "http://www.w3.org/1999/xhtml",
}


def xml(client, url: str, query: dict | None = None) -> etree._Element:
    response = client.get(url, query or {})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def test_the_index_lists_each_section_with_its_last_change(client, corpus):
    root = xml(client, reverse("syndication:sitemap"))
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    locations = root.xpath("sm:sitemap/sm:loc/text()", namespaces=NS)
    assert locations == [f"{BASE}/sitemap-{name}.xml" for name in ("articles", "sources", "categories")]
    for lastmod in root.xpath("sm:sitemap/sm:lastmod/text()", namespaces=NS):
        datetime.fromisoformat(lastmod)


def test_the_article_section_lists_every_visible_article_page(client, corpus):
    root = xml(client, reverse("syndication:sitemap-section", args=["articles"]))
    visible = sorted(a.pk for key, a in corpus.articles.items() if key != "hidden")
    assert root.xpath("sm:url/sm:loc/text()", namespaces=NS) == [f"{BASE}/article/{pk}/" for pk in visible]
    assert len(root.xpath("sm:url/sm:lastmod", namespaces=NS)) == len(visible)


def test_a_large_article_section_is_paginated(client, corpus, settings, monkeypatch):
    from kiosque.syndication.sitemaps import ArticleSitemap

    monkeypatch.setattr(ArticleSitemap, "limit", 4)
    build_many(corpus, 5)  # 10 visible articles: 3 pages of 4
    index = xml(client, reverse("syndication:sitemap"))
    pages = [loc for loc in index.xpath("sm:sitemap/sm:loc/text()", namespaces=NS) if "articles" in loc]
    assert pages == [f"{BASE}/sitemap-articles.xml"] + [f"{BASE}/sitemap-articles.xml?p={n}" for n in (2, 3)]
    seen = [loc for n in (1, 2, 3) for loc in xml(client, "/sitemap-articles.xml", {"p": n}).xpath(
        "sm:url/sm:loc/text()", namespaces=NS)]
    assert len(seen) == len(set(seen)) == 10


@pytest.mark.parametrize(("section", "paths"), [
    ("sources", ["/quotidien/", "/wire/", "/akhbar/"]),
    ("categories", ["/category/economy/", "/category/markets/", "/category/politique/",
                    "/category/%C3%A9conomie/", "/category/%D8%A7%D9%82%D8%AA%D8%B5%D8%A7%D8%AF/"]),
])
def test_source_and_category_pages_in_each_language_with_alternates(client, corpus, section, paths):
    root = xml(client, reverse("syndication:sitemap-section", args=[section]))
    expected = [f"{BASE}{prefix}{path}" for path in paths for prefix in ("", "/ar", "/en")]
    assert root.xpath("sm:url/sm:loc/text()", namespaces=NS) == expected
    first = root.find("sm:url", NS)
    alternates = {link.get("hreflang"): link.get("href") for link in first.findall("xhtml:link", NS)}
    assert alternates == {"fr": f"{BASE}{paths[0]}", "ar": f"{BASE}/ar{paths[0]}", "en": f"{BASE}/en{paths[0]}",
                          "x-default": f"{BASE}{paths[0]}"}


def test_unknown_sections_are_404(client, corpus):
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_the_news_sitemap_holds_the_last_48_hours_with_a_language(client, corpus):
    root = xml(client, reverse("syndication:news-sitemap"))
    urls = root.findall("sm:url", NS)
    # newest first; "markets" is too old, "unknown-language" has no language, "hidden" is from a disabled source
    keys = ["economie", "naft", "politique"]
    assert [u.findtext("sm:loc", namespaces=NS) for u in urls] == [
        f"{BASE}/article/{corpus.articles[k].pk}/" for k in keys]
    first = urls[0]
    assert first.findtext("news:news/news:publication/news:name", namespaces=NS) == "Kiosque"
    assert [u.findtext("news:news/news:publication/news:language", namespaces=NS) for u in urls] == ["fr", "ar", "fr"]
    assert first.findtext("news:news/news:title", namespaces=NS) == "Les prix montent <vite>"
    published = datetime.fromisoformat(first.findtext("news:news/news:publication_date", namespaces=NS))
    assert published == corpus.articles["economie"].published_at
    images = [u.findtext("image:image/image:loc", namespaces=NS) for u in urls]
    ok = f"{BASE}/images/{corpus.images['ok'].pk}/display"
    assert images == [ok, ok, None]  # politique's image is blocked
