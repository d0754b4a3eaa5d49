"""Portal pages: content, attribution, languages, caching and query counts."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.core.cache import cache

from kiosque.articles.services import content_changed
from tests.factories import make_article, make_image, make_source

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site():
    le_matin = make_source("Le Matin", slug="le-matin")
    alyaoum = make_source("اليوم 24", slug="alyaoum", languages=["ar"])
    articles = []
    for i in range(6):
        articles.append(make_article(le_matin, title=f"Le gouvernement réunit son conseil n°{i}",
                                     categories=("Politique",), image=make_image(i + 1)))
        articles.append(make_article(alyaoum, title=f"الحكومة تعقد اجتماعها رقم {i}", language="ar",
                                     categories=("سياسة",), image=make_image(i + 20), lead="مقدمة الخبر.",
                                     text="الفقرة الأولى.\n\nالفقرة الثانية."))
    return {"le_matin": le_matin, "alyaoum": alyaoum, "articles": articles}


def test_home_shows_ticker_latest_and_groups(client, site):
    html = client.get("/").content.decode()
    assert html.count('data-ticker-track') == 1
    ticker = html[html.index("data-ticker-track"):html.index("</ul>", html.index("data-ticker-track"))]
    assert "Le Matin" in ticker and "اليوم 24" in ticker
    assert "Politique" in html and "Le Matin" in html


def test_attribution_line_has_the_exact_format(client, site):
    article = site["articles"][0]
    article.published_at = datetime(2023, 11, 15, 10, 0, tzinfo=UTC)
    article.save(update_fields=["published_at"])
    html = client.get(f"/article/{article.pk}/").content.decode()
    text = re.sub(r"<[^>]+>", "", html[html.index('class="attribution"'):])
    assert text.split("\n")[0].endswith("Publié dans Le Matin le 15 - 11 - 2023")
    assert 'href="/le-matin/"' in html
    assert f'href="{article.canonical_url}" rel="noopener noreferrer"' in html
    assert "Cliquez ici pour lire l'article depuis sa source" in html


@pytest.mark.parametrize(("prefix", "line", "link"), [
    ("/en", "Published in Le Matin on", "Click here to read the article at its source"),
    ("/ar", "نُشر في Le Matin يوم", "انقر هنا لقراءة المقال من مصدره"),
])
def test_attribution_in_other_interface_languages(client, site, prefix, line, link):
    article = site["articles"][0]
    html = client.get(f"{prefix}/article/{article.pk}/").content.decode()
    assert line in re.sub(r"<[^>]+>", "", html)
    assert link in html


def test_arabic_interface_is_rtl_and_arabic_content_is_marked(client, site):
    html = client.get("/ar/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    french = client.get("/").content.decode()
    assert '<html lang="fr" dir="ltr">' in french
    assert 'lang="ar" dir="rtl"' in french  # Arabic headlines inside the French page


def test_language_filter(client, site):
    html = client.get("/?lang=ar").content.decode()
    latest = html[html.index('id="latest-h"'):html.index("</section>", html.index('id="latest-h"'))]
    assert "الحكومة" in latest and "Le gouvernement" not in latest


def test_source_category_archive_and_sources_pages(client, site):
    assert "Le gouvernement" in client.get("/le-matin/").content.decode()
    assert client.get("/category/politique/").status_code == 200
    assert client.get("/archive/").status_code == 200
    assert "Le gouvernement" in client.get("/archive/2024/10/20/").content.decode()
    assert "اليوم 24" in client.get("/sources/").content.decode()
    for missing in ("/nope/", "/category/nope/", "/article/999999/", "/archive/2024/02/31/"):
        assert client.get(missing).status_code == 404


def test_search_finds_arabic_without_diacritics_and_filters(client, site):
    html = client.get("/search/", {"q": "الحُكومة"}).content.decode()
    assert "6 results" in html or "6 résultats" in html
    html = client.get("/search/", {"q": "gouvernement", "lang": "ar"}).content.decode()
    assert "0 résultat" in html


def test_search_source_filter_escapes_names_and_refuses_unknown_slugs(client, site):
    make_source('L\'"Écho" <du> Sud & Co', slug="echo")
    html = client.get("/search/", {"q": "gouvernement", "source": "le-matin"}).content.decode()
    assert '<option value="le-matin" selected>Le Matin</option>' in html
    assert '<option value="echo">L&#x27;&quot;Écho&quot; &lt;du&gt; Sud &amp; Co</option>' in html
    assert "6 résultats" in html
    html = client.get("/search/", {"q": "gouvernement", "source": "nope"}).content.decode()
    assert 'class="result-count"' not in html  # an unknown source is an invalid form, not "all sources"


def test_pages_are_cached_with_etag_and_invalidated_on_change(client, site):
    first = client.get("/")
    etag = first["ETag"]
    assert client.get("/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    make_article(site["le_matin"], title="Une nouvelle toute fraîche")
    content_changed()
    second = client.get("/", HTTP_IF_NONE_MATCH=etag)
    assert second.status_code == 200 and second["ETag"] != etag
    assert "Une nouvelle toute fraîche" in second.content.decode()


def test_pages_are_also_kept_in_process_memory_until_the_content_changes(client, site):
    from django.core.cache import caches

    first = client.get("/").content
    cache.clear()  # the shared copy is gone (culled, expired): this process still has the page
    assert client.get("/").content == first
    make_article(site["le_matin"], title="Une nouvelle toute fraîche")
    content_changed()
    assert "Une nouvelle toute fraîche" in client.get("/").content.decode()
    caches["pages-local"].clear()  # another server process: it reads the shared copy
    assert "Une nouvelle toute fraîche" in client.get("/").content.decode()


@pytest.mark.parametrize("url", ["/", "/le-matin/", "/search/?q=gouvernement", "/category/politique/", "ARTICLE"])
def test_query_count_does_not_grow_with_articles(client, site, django_assert_max_num_queries, url):
    if url == "ARTICLE":
        url = f"/article/{site['articles'][0].pk}/"
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    for i in range(20):
        make_article(site["le_matin"], title=f"Encore le gouvernement {i}", categories=("Politique",),
                     image=make_image(100 + i))
    content_changed()  # as the crawler does: every cached page is stale now
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_security_headers(client, site):
    response = client.get("/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_ticker_json(client, site):
    items = client.get("/ticker.json").json()["items"]
    assert len(items) == 12 and {"title", "source", "language", "url"} <= set(items[0])
