"""The crawler's story step on stored articles: incremental placement with the real embedding model, a restarted
worker warmed from the database, concurrent placement from threads, and the repair pass with locked stories.

Articles are the hand-written fixture of tests/pipeline/enrich (six events in French, Arabic and English, an
agency copy t11/t12, hard negatives), each from an outlet of its own; its `story` field is read by the asserts
only."""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from kiosque.articles.models import Article, ArticleSignature, Story, StoryLink
from kiosque.articles.services import ArticleDraft, article_ingest
from kiosque.articles.stories.services import story_merge, story_split, story_unlock
from kiosque.crawler.config import story_desk, story_options
from kiosque.crawler.stories import StoryDesk
from kiosque.pipeline.enrich import normalize_text
from kiosque.sources.services import source_create

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "stories" / "articles.jsonl"
ROWS: list[dict[str, Any]] = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]
GOLD = sorted(sorted(r["id"] for r in ROWS if r["story"] == s) for s in {r["story"] for r in ROWS})


def store(row: dict[str, Any]) -> Article:
    source = source_create(name=f"Outlet {row['id']}", slug=f"outlet-{row['id']}", languages=[row["lang"]],
                           homepage=f"https://{row['id']}.example/")
    url = f"https://{row['id']}.example/article"
    draft = ArticleDraft(
        url=url, canonical_url=url, guid=row["id"], title=row["title"], lead=row["lead"], text=row["body"],
        language=row["lang"], published_at=datetime.fromisoformat(row["published"]),
        content_hash=hashlib.sha256(normalize_text(row["body"], row["lang"]).encode()).hexdigest(),
    )
    return article_ingest(source=source, feed=None, draft=draft, image=None, now=draft.published_at).article


@pytest.fixture
def articles() -> dict[str, Article]:
    return {row["id"]: store(row) for row in sorted(ROWS, key=lambda r: r["published"])}


def groups() -> list[list[str]]:
    by_story: dict[int, list[str]] = {}
    for guid, story in Article.objects.values_list("guid", "story_id"):
        by_story.setdefault(story, []).append(guid)
    return sorted(sorted(g) for g in by_story.values())


def test_placement_groups_the_fixture_as_its_stories_and_finds_the_dispatch(articles):
    desk = StoryDesk(story_options())
    for article in articles.values():  # in publication order, as a crawl would meet them
        desk.place(article)
    assert groups() == GOLD
    t11, t12 = Article.objects.get(guid="t11"), Article.objects.get(guid="t12")
    assert t11.wire_of_id is None and t12.wire_of_id == t11.pk and t11.wire_count == t12.wire_count == 1
    assert StoryLink.objects.get(article=t12).wire
    assert ArticleSignature.objects.count() == len(ROWS)
    link = StoryLink.objects.get(article__guid="t07")  # the Arabic report of the Oujda hospital
    assert link.matched.guid in ("t06",) and "250" in link.shared_numbers and link.similarity > 0.3
    story = Story.objects.get(pk=t11.story_id)
    assert story.language_counts == {"fr": 2, "en": 1, "ar": 1} and story.first_article_id == t11.pk


def test_a_restarted_worker_remembers_the_window_from_the_database(articles):
    first = StoryDesk(story_options())
    late = {"t05", "t10", "t14"}
    for guid, article in articles.items():
        if guid not in late:
            first.place(article)
    second = StoryDesk(story_options(), embedder=_refuse_embedding_of_stored_articles(articles, late))
    for guid in sorted(late, key=lambda g: articles[g].published_at):
        second.place(articles[guid])
    assert groups() == GOLD


def _refuse_embedding_of_stored_articles(articles: dict[str, Article], allowed: set[str]):  # type: ignore[no-untyped-def]
    """The real model, which fails the test if asked to embed an article that has a stored embedding."""
    from kiosque.pipeline.enrich.embed import embed, embedding_text

    allowed_texts = {embedding_text(articles[g].title, articles[g].lead) for g in allowed}

    def embedder(texts):  # type: ignore[no-untyped-def]
        assert set(texts) <= allowed_texts, "a warmed worker re-embedded a stored article"
        return embed(texts)

    return embedder


@pytest.mark.django_db(transaction=True)
def test_placement_from_several_threads_is_consistent(articles):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memorydb"):
        pytest.skip("an in-memory SQLite database is not shared between threads")
    desk = StoryDesk(story_options())
    ordered = list(articles.values())

    def place(article: Article) -> int:
        try:
            return desk.place(article).pk
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(place, ordered))
    assert Article.objects.filter(story__isnull=True).count() == 0
    for story in Story.objects.filter(article_count__gt=0):  # counts match the members, whatever the interleaving
        assert story.article_count == Article.objects.filter(story=story).count()
    # Arrival order changes what the incremental pass sees; the repair pass gives the order-free grouping.
    desk.repair(span=timedelta(days=30))
    assert groups() == GOLD


def test_repair_regroups_unlocked_stories_and_keeps_locked_ones_exactly(articles):
    desk = StoryDesk(story_options())
    for article in articles.values():
        desk.place(article)
    # Editors: merge the two FUS matches (wrongly, but it is their call) and split the English hospital report.
    fus = [Story.objects.get(pk=articles[g].story_id) for g in ("t01", "t04")]
    merged = story_merge(stories=fus, reason="one FUS story")
    split = story_split(articles=[articles["t08"]])
    # A split an editor then takes back (unlock): the repair pass puts the story back together.
    alone = story_split(articles=[articles["t10"]])
    story_unlock(story=alone)
    story_unlock(story=Story.objects.get(pk=Article.objects.get(guid="t09").story_id))
    before = {g: s for g, s in Article.objects.values_list("guid", "story_id")}
    report = desk.repair(span=timedelta(days=30))
    after = {g: s for g, s in Article.objects.values_list("guid", "story_id")}
    for guid in ("t01", "t02", "t03", "t04", "t05"):
        assert after[guid] == merged.pk
    assert after["t08"] == split.pk and after["t06"] == after["t07"] == before["t06"]
    assert after["t10"] == after["t09"] and report.moved  # regrouped
    moved = StoryLink.objects.get(article__guid=next(g for g in ("t09", "t10") if before[g] != after[g]))
    assert moved.method == StoryLink.Method.REPAIR and moved.matched is not None and moved.score


def test_grouping_can_be_switched_off(settings):
    settings.KIOSQUE = {**settings.KIOSQUE, "KIOSQUE_STORIES": False}
    assert story_desk() is None
    settings.KIOSQUE = {**settings.KIOSQUE, "KIOSQUE_STORIES": True, "KIOSQUE_STORY_THRESHOLD": 0.7}
    desk = story_desk()
    assert desk is not None and desk.options.threshold == 0.7
