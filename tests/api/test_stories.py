"""GET /api/v1/stories and /api/v1/stories/<id>, and the story fields of articles."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kiosque.articles.stories.services import Evidence, Placement, article_story_place, story_pin

pytestmark = pytest.mark.django_db
BASE = "http://testserver"


def test_a_story_in_full_with_its_coverage_and_evidence(client, corpus):
    story, economie, naft = corpus.stories["prices"], corpus.articles["economie"], corpus.articles["naft"]
    payload = client.get(f"/api/v1/stories/{story.pk}").json()
    assert payload["url"] == f"{BASE}/story/{story.pk}/"
    assert payload["feed"] == f"{BASE}/feeds/story/{story.pk}/atom/"
    assert payload["titles"] == {"ar": naft.title, "fr": economie.title}
    assert payload["title"] == naft.title  # the first report is the Arabic one (three hours ago, not two)
    assert payload["first_reporter"] == {"article": naft.pk, "source": "akhbar"}
    assert (payload["article_count"], payload["source_count"]) == (2, 2)
    assert payload["languages"] == {"fr": 1, "ar": 1} and payload["sources"] == {"quotidien": 1, "akhbar": 1}
    assert [a["id"] for a in payload["articles"]] == [naft.pk, economie.pk]  # earliest first
    # The French article was placed first (a story of its own), the Arabic one joined it.
    assert payload["articles"][0]["evidence"] == {
        "method": "assign", "matched": economie.pk, "score": 0.81, "similarity": 0.72, "shared_names": ["opep"],
        "shared_numbers": [], "wire": False,
    }
    assert payload["articles"][1]["evidence"]["method"] == "alone"
    assert payload["articles"][0]["story"] == story.pk and payload["articles"][0]["categories"]


def test_articles_carry_their_story_and_dispatch_fields(client, corpus):
    payload = client.get(f"/api/v1/articles/{corpus.articles['naft'].pk}").json()
    assert (payload["story"], payload["wire_of"], payload["wire_count"]) == (corpus.stories["prices"].pk, None, 0)
    assert client.get(f"/api/v1/articles/{corpus.articles['markets'].pk}").json()["story"] is None


def test_the_story_list_newest_coverage_first_with_a_cursor_and_a_language(client, corpus):
    older = article_story_place(article=corpus.articles["markets"], placement=Placement(story_id=None))
    story_pin(story=older)
    first = client.get("/api/v1/stories", {"limit": 1}).json()
    assert [s["id"] for s in first["items"]] == [corpus.stories["prices"].pk]
    second = client.get(first["next"].removeprefix(BASE)).json()
    assert [s["id"] for s in second["items"]] == [older.pk] and second["items"][0]["pinned"]
    assert second["next"] is None
    arabic = client.get("/api/v1/stories", {"language": "ar"}).json()
    assert [s["id"] for s in arabic["items"]] == [corpus.stories["prices"].pk]
    assert client.get("/api/v1/stories", {"language": "xx1"}).status_code == 400


def test_unknown_stories_are_404_and_merged_ones_answer_with_the_merged_story(client, corpus):
    assert client.get("/api/v1/stories/999999").json()["error"]["code"] == "not_found"
    lone = article_story_place(article=corpus.articles["unknown-language"], placement=Placement(
        story_id=corpus.stories["prices"].pk, evidence=Evidence(matched_id=corpus.articles["economie"].pk)))
    assert lone.pk == corpus.stories["prices"].pk
    assert corpus.articles["unknown-language"].published_at < corpus.now - timedelta(hours=4)
    payload = client.get(f"/api/v1/stories/{lone.pk}").json()
    assert payload["article_count"] == 3 and payload["languages"] == {"fr": 1, "ar": 1, "": 1}
