"""Story pages, "À la une", agency copy on lists and article pages, and their query counts."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from django.core.cache import cache

from kiosque.articles.models import Article, Story
from kiosque.articles.services import content_changed
from kiosque.articles.stories.services import Evidence, Placement, article_story_place, story_merge, story_pin
from tests.factories import BASE_TIME, make_article, make_image, make_source

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def place(article: Article, story: Story | None = None, *, wire_of: Article | None = None, **evidence: object) -> Story:
    placement = Placement(story_id=story.pk if story else None, wire_of=wire_of.pk if wire_of else None,
                          evidence=Evidence(**evidence))  # type: ignore[arg-type]
    return article_story_place(article=article, placement=placement)


def text(html: str) -> str:
    """The page's text, tags removed (inline ones leave no space) and white space collapsed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", html)))


@pytest.fixture
def site():
    matin = make_source("Le Matin", slug="le-matin")
    hespress = make_source("Hespress", slug="hespress")
    yaoum = make_source("اليوم 24", slug="alyaoum", languages=["ar"])
    desk = make_source("Global Desk", slug="global-desk", languages=["en"])
    fr = make_article(matin, title="Inondations : huit morts à Tata", published=BASE_TIME, image=make_image(1))
    ar = make_article(yaoum, title="ثمانية قتلى في فيضانات طاطا", language="ar", lead="مقدمة.",
                      published=BASE_TIME + timedelta(hours=1))
    en = make_article(desk, title="Floods kill eight in Tata", language="en", published=BASE_TIME + timedelta(hours=2))
    copy = make_article(hespress, title="Tata : huit morts dans les inondations",
                        published=BASE_TIME + timedelta(hours=3))
    story = place(fr)
    place(ar, story, matched_id=fr.pk, score=0.82, similarity=0.71, shared_names=("tata",), shared_numbers=("8",))
    place(en, story, matched_id=fr.pk, score=0.9, similarity=0.86)
    story = place(copy, story, wire_of=fr, matched_id=fr.pk, score=1.9, similarity=0.9, wire=True)
    alone = place(make_article(matin, title="Un sujet d'un seul titre", published=BASE_TIME + timedelta(hours=4)))
    return {"story": story, "alone": alone, "fr": fr, "ar": ar, "en": en, "copy": copy, "matin": matin,
            "hespress": hespress}


def test_the_story_page_groups_coverage_by_language_earliest_first_and_says_why(client, site):
    html = client.get(f"/story/{site['story'].pk}/").content.decode()
    assert html.index('id="coverage-fr"') < html.index('id="coverage-ar"') < html.index('id="coverage-en"')
    french = html[html.index('id="coverage-fr"'):html.index('id="coverage-ar"')]
    assert french.index("Inondations : huit morts") < french.index("Tata : huit morts dans")
    page = text(html)
    assert "Premier à en parler : Le Matin, le 20 - 10 - 2024 10:00" in page
    assert "4 articles · 4 sources" in page
    assert "Proche de l'article de Le Matin : similarité 71 %; noms en commun : tata; chiffres en commun : 8." in page
    assert "Reprise de la même dépêche que Le Matin." in page
    assert "Premier article de ce sujet." in page
    assert f'href="/feeds/story/{site["story"].pk}/rss/"' in html


def test_the_story_page_in_arabic_and_english(client, site):
    assert "ثمانية قتلى" in client.get(f"/ar/story/{site['story'].pk}/").content.decode()
    assert "First reported by Le Matin" in text(client.get(f"/en/story/{site['story'].pk}/").content.decode())


def test_merged_stories_redirect_and_unknown_ones_are_404(client, site):
    merged = story_merge(stories=[site["story"], site["alone"]])
    assert merged.pk == site["story"].pk
    response = client.get(f"/story/{site['alone'].pk}/")
    assert response.status_code == 301 and response["Location"].endswith(f"/story/{merged.pk}/")
    assert client.get("/story/999999/").status_code == 404


def test_top_stories_rank_covered_stories_and_pinned_ones_first(client, site, django_capture_on_commit_callbacks):
    html = client.get("/").content.decode()
    top = html[html.index('id="top-stories-h"'):]
    top = top[:top.index("</section>")]
    assert "À la une" in top and f'href="/story/{site["story"].pk}/"' in top
    assert f'href="/story/{site["alone"].pk}/"' not in top  # one source: not front-page coverage
    assert "4 sources" in text(top) and "premier : Le Matin" in text(top)
    with django_capture_on_commit_callbacks(execute=True):  # as after the admin's commit: the pages change
        story_pin(story=site["alone"])
    html = client.get("/").content.decode()
    top = html[html.index('id="top-stories-h"'):]
    assert top.index(f'href="/story/{site["alone"].pk}/"') < top.index(f'href="/story/{site["story"].pk}/"')
    assert "أبرز المواضيع" in client.get("/ar/").content.decode()
    only_ar = client.get("/?lang=ar").content.decode()
    assert "ثمانية قتلى في فيضانات طاطا" in only_ar[only_ar.index('id="top-stories-h"'):]  # the story's Arabic title


def test_lists_show_a_dispatch_once_with_its_other_outlets(client, site):
    html = client.get("/").content.decode()
    latest = html[html.index('id="latest-h"'):]
    latest = latest[:latest.index("</section>")]
    assert "Inondations : huit morts" in latest and "Tata : huit morts dans" not in latest
    assert "+1 source" in text(latest)
    ticker = client.get("/ticker.json").json()["items"]
    assert [i["more_sources"] for i in ticker if "huit morts" in i["title"]] == [1]
    # The outlet that republished the dispatch still lists it on its own page.
    assert "Tata : huit morts dans" in client.get("/hespress/").content.decode()


def test_the_article_page_lists_the_dispatch_copies_and_the_rest_of_the_story(client, site):
    page = text(client.get(f"/article/{site['copy'].pk}/").content.decode())
    assert "Dépêche reprise par 1 titre" in page and "Publiée d'abord par Le Matin." in page
    assert "Les autres articles sur le même sujet" in page
    assert "ثمانية قتلى في فيضانات طاطا" in page and "Floods kill eight in Tata" in page
    assert "Tout le sujet : 4 articles" in page
    english = text(client.get(f"/en/article/{site['fr'].pk}/").content.decode())
    assert "Dispatch republished by 1 outlet" in english and "Other coverage of the same story" in english
    assert "Dépêche" not in text(client.get(f"/article/{site['en'].pk}/").content.decode())


@pytest.mark.parametrize("url", ["STORY", "/", "ARTICLE"])
def test_story_queries_do_not_grow_with_coverage(client, site, django_assert_max_num_queries, url):
    paths = {"STORY": f"/story/{site['story'].pk}/", "ARTICLE": f"/article/{site['fr'].pk}/"}
    path = paths.get(url, url)
    with django_assert_max_num_queries(14) as small:
        client.get(path)
    story = site["story"]
    outlets = [site["matin"], site["hespress"], site["fr"].source, site["en"].source]  # the home page shows 8
    for i in range(12):
        outlet = outlets[i % len(outlets)]
        article = make_article(outlet, title=f"Tata, reportage {i}", image=make_image(50 + i),
                               published=BASE_TIME + timedelta(minutes=5 * i))
        place(article, story, matched_id=site["fr"].pk, score=0.8, similarity=0.7, shared_names=("tata",))
        if i % 3 == 0:
            other = make_article(outlet, title=f"Autre sujet {i}", published=BASE_TIME + timedelta(minutes=i))
            place(make_article(site["matin"], title=f"Encore {i}"), place(other))
        if i % 4 == 0:
            copy = make_article(outlet, title=f"Copie {i}", published=BASE_TIME + timedelta(hours=6))
            place(copy, story, wire_of=site["fr"], matched_id=site["fr"].pk, wire=True)
    content_changed()
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(path).status_code == 200
