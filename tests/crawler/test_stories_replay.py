"""Agency copy and stories through the whole crawler: the replay server serves the 17 October government
council dispatch from three outlets and stories covered in French and Arabic; the pages show the dispatch
once with "+2 sources" and a story with both languages."""

from __future__ import annotations

import html as html_lib
import json
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from django.utils.html import escape

from kiosque.articles.models import Article, Story
from kiosque.articles.stories.services import story_split
from kiosque.crawler.config import crawl_options
from kiosque.crawler.runner import crawl_pass
from kiosque.demo import snapshot_dir
from kiosque.sources.services import source_upsert

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media_root")]

MANIFEST = json.loads((snapshot_dir() / "manifest.json").read_text(encoding="utf-8"))
SITES = {site["slug"]: site for site in MANIFEST["sites"]}
WIRE_STORY = "d07-gov-council-1017"
BILINGUAL_STORY = "d54-fifm-competition"


def manifest_articles(story: str) -> list[dict]:
    return sorted((a for a in MANIFEST["articles"] if a["story"] == story), key=lambda a: a["published"])


def outlets() -> list[str]:
    """The demo sites carrying the dispatch and the French/Arabic story, found in the manifest."""
    return sorted({a["site"] for story in (WIRE_STORY, BILINGUAL_STORY) for a in manifest_articles(story)})


@pytest.fixture
def crawled(replay):  # type: ignore[no-untyped-def]
    for slug in outlets():
        site = SITES[slug]
        source_upsert(slug=slug, name=site["name"], homepage=site["homepage"], languages=site["languages"],
                      country=site["country"], extraction_rules=site["extraction_rules"], feeds=site["feeds"],
                      check_now=True)
    report = crawl_pass(options=crawl_options(route_to=replay.base_url, min_host_delay=0.0, read_timeout=2.0))
    assert report.feeds_failed == 0 and report.entries_failed == 0, report.errors
    cache.clear()
    return report


def stored(story: str) -> list[Article]:
    urls = [a["url"] for a in manifest_articles(story)]
    return sorted(Article.objects.filter(url__in=urls), key=lambda a: (a.published_at, a.pk))


def test_the_dispatch_of_three_outlets_is_one_entry_credited_to_the_first(client, crawled):
    copies = stored(WIRE_STORY)
    assert len(copies) == 3 and len({a.source_id for a in copies}) == 3
    first = copies[0]
    assert first.source.slug == manifest_articles(WIRE_STORY)[0]["site"]  # the earliest publisher is credited
    assert first.wire_of_id is None and all(a.wire_of_id == first.pk for a in copies[1:])
    assert {a.wire_count for a in copies} == {2}
    assert len({a.story_id for a in copies}) == 1 and copies[0].story_id is not None

    day = timezone.localtime(first.published_at).strftime("%Y/%m/%d")
    html = client.get(f"/archive/{day}/").content.decode()
    html = html[html.index("<main"):html.index("</main>")]  # the day's list, not the ticker above it
    titles = [escape(a.title) for a in copies]
    assert sum(html.count(t) for t in titles) == 1 and titles[0] in html
    card = html[html.index(titles[0]):]
    card = card[:card.index("</article>")]
    assert "+2 sources" in card

    ticker = client.get("/ticker.json").json()["items"]
    assert [i["more_sources"] for i in ticker if i["title"] in [a.title for a in copies]] in ([], [2])

    page = html_lib.unescape(re.sub(r"<[^>]+>", " ", client.get(f"/article/{first.pk}/").content.decode()))
    page = re.sub(r"\s+", " ", page)
    assert "Dépêche reprise par 2 titres" in page
    assert all(a.source.name in page for a in copies[1:])


def test_a_story_covered_in_french_and_arabic_is_one_story_with_both_languages(client, crawled):
    articles = stored(BILINGUAL_STORY)
    assert {a.language for a in articles} == {"fr", "ar"}
    assert len({a.story_id for a in articles}) == 1 and articles[0].story_id is not None
    story = Story.objects.get(pk=articles[0].story_id)
    assert story.language_counts == {"fr": 1, "ar": 1} and story.source_count == 2
    assert story.first_article_id == articles[0].pk

    html = client.get(f"/story/{story.pk}/").content.decode()
    assert all(escape(a.title) in html for a in articles)
    assert 'id="coverage-fr"' in html and 'id="coverage-ar"' in html
    home = client.get("/").content.decode()
    top = home[home.index('id="top-stories-h"'):]
    top = top[:top.index("</section>")]
    assert f"/story/{story.pk}/" in top


def test_the_repair_pass_keeps_what_editors_changed(crawled):
    articles = stored(BILINGUAL_STORY)
    split = story_split(articles=[articles[1]], reason="two different festivals")
    before = {a.pk: a.story_id for a in Article.objects.all()}
    call_command("stories_repair", hours=24 * 30)
    after = {a.pk: a.story_id for a in Article.objects.all()}
    assert after[articles[1].pk] == split.pk and after[articles[0].pk] == before[articles[0].pk]
    assert Story.objects.get(pk=split.pk).locked
    # Every stored article has a story after the pass, and the dispatch stays one story.
    assert None not in after.values()
    assert len({after[a.pk] for a in stored(WIRE_STORY)}) == 1
    assert timedelta(0) <= Story.objects.get(pk=split.pk).last_published_at - articles[1].published_at <= timedelta(0)


def test_a_grouping_failure_never_costs_the_article(replay, monkeypatch):  # type: ignore[no-untyped-def]
    """Grouping runs inside the article's own transaction: a failure after it wrote rolls back only its own
    savepoint; the articles are kept (without a story, for the repair pass) and the crawl reports no error."""
    from django.db import DatabaseError

    from kiosque.crawler.stories import StoryDesk

    def failing_place(self, article, *, signals=None):  # type: ignore[no-untyped-def]
        Story.objects.create(titles={"fr": "half-written"})  # a write of the grouping, then a database error
        raise DatabaseError("simulated failure while grouping")

    monkeypatch.setattr(StoryDesk, "place", failing_place)
    slug = outlets()[0]
    site = SITES[slug]
    source_upsert(slug=slug, name=site["name"], homepage=site["homepage"], languages=site["languages"],
                  country=site["country"], extraction_rules=site["extraction_rules"], feeds=site["feeds"],
                  check_now=True)
    report = crawl_pass(options=crawl_options(route_to=replay.base_url, min_host_delay=0.0, read_timeout=2.0))
    assert report.entries_failed == 0 and report.articles_created > 0, report.errors
    assert Article.objects.count() == report.articles_created
    assert not Article.objects.exclude(story=None).exists()
    assert not Story.objects.filter(titles={"fr": "half-written"}).exists()
