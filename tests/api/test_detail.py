"""GET /api/v1/articles/<id>: fields, our URLs, image policy, excerpt policy, 404s."""

from __future__ import annotations

import pytest

from kiosque.sources.models import Source

pytestmark = pytest.mark.django_db
BASE = "http://testserver"


def test_an_article_in_full(client, corpus):
    article, image = corpus.articles["economie"], corpus.images["ok"]
    payload = client.get(f"/api/v1/articles/{article.pk}").json()
    assert payload["url"] == f"{BASE}/article/{article.pk}/"
    assert payload["canonical_url"] == "https://quotidien.example/economie"
    assert payload["source"] == {"slug": "quotidien", "name": "Le Quotidien", "homepage": "https://quotidien.example/",
                                 "url": f"{BASE}/quotidien/"}
    assert payload["categories"] == [{"slug": "économie", "name": "Économie"}]
    assert (payload["language"], payload["author"], payload["lead"]) == ("fr", "Marie Curie", article.lead)
    assert payload["image"] == {
        "id": image.pk, "url": f"{BASE}/images/{image.pk}/display", "thumb_url": f"{BASE}/images/{image.pk}/thumb",
        "width": image.display_width, "height": image.display_height, "thumb_width": image.thumb_width,
        "thumb_height": image.thumb_height, "state": "ok",
    }
    assert client.get(payload["image"]["thumb_url"].removeprefix(BASE)).status_code == 200


def test_a_blocked_image_is_not_shown(client, corpus):
    payload = client.get(f"/api/v1/articles/{corpus.articles['politique'].pk}").json()
    assert payload["image"] is None


@pytest.mark.parametrize(("source_policy", "site_default", "expected"), [
    # the text opens with the lead, which is shown on its own: the excerpt starts after it
    (None, 4, ["First paragraph of politique.", "Second.", "Third.", "Fourth."]),
    (None, 2, ["First paragraph of politique.", "Second."]),
    (1, 4, ["First paragraph of politique."]),
    (0, 4, []),
])
def test_the_excerpt_follows_the_source_policy(client, corpus, settings, source_policy, site_default, expected):
    settings.KIOSQUE = {**settings.KIOSQUE, "KIOSQUE_EXCERPT_PARAGRAPHS": site_default}
    Source.objects.filter(slug="quotidien").update(excerpt_paragraphs=source_policy)
    payload = client.get(f"/api/v1/articles/{corpus.articles['politique'].pk}").json()
    assert payload["excerpt"] == expected


def test_the_lead_is_not_repeated_in_the_excerpt(client, corpus):
    article = corpus.ingest("repeat", "wire", lead="Same opening.", text="Same opening.\n\nThen more.")
    assert client.get(f"/api/v1/articles/{article.pk}").json()["excerpt"] == ["Then more."]


@pytest.mark.parametrize("key", ["hidden", None])
def test_unknown_or_hidden_articles_are_404(client, corpus, key):
    pk = corpus.articles[key].pk if key else 999_999
    response = client.get(f"/api/v1/articles/{pk}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
