"""GET /api/v1/sources, /categories and /search."""

from __future__ import annotations

import pytest

from tests.syndication.builders import build_many

pytestmark = pytest.mark.django_db
BASE = "http://testserver"


def test_sources(client, corpus):
    items = client.get("/api/v1/sources").json()["items"]
    assert [s["slug"] for s in items] == ["quotidien", "wire", "akhbar"]  # by name; the disabled one left out
    quotidien = items[0]
    assert (quotidien["article_count"], quotidien["languages"]) == (2, ["fr"])
    assert quotidien["url"] == f"{BASE}/quotidien/"
    assert quotidien["feeds"] == [{"url": "https://quotidien.example/rss.xml", "kind": "rss"}]
    assert items[1]["homepage"] is None and items[1]["feeds"] == []


def test_categories(client, corpus):
    items = client.get("/api/v1/categories").json()["items"]
    assert [(c["slug"], c["article_count"]) for c in items] == [
        ("economy", 1), ("markets", 1), ("politique", 1), ("économie", 1), ("اقتصاد", 1)]  # hidden's not counted
    assert items[3]["url"] == f"{BASE}/category/%C3%A9conomie/"


def test_search_pages_with_total(client, corpus):
    build_many(corpus, 45)  # titles "Title bulk-…"
    first = client.get("/api/v1/search", {"q": "title bulk", "lang": "fr"}).json()
    assert (first["total"], first["page"], first["pages"], first["per_page"]) == (45, 1, 3, 20)
    assert first["previous"] is None and "page=2" in first["next"]
    ids = [item["id"] for item in first["items"]]
    for page in (2, 3):
        payload = client.get("/api/v1/search", {"q": "title bulk", "lang": "fr", "page": page}).json()
        ids += [item["id"] for item in payload["items"]]
    assert payload["next"] is None and "page=2" in payload["previous"]
    assert len(ids) == len(set(ids)) == 45
    beyond = client.get("/api/v1/search", {"q": "title bulk", "lang": "fr", "page": 9}).json()
    assert beyond["items"] == [] and beyond["total"] == 45


@pytest.mark.parametrize(("query", "expected"), [
    ({"q": "prix"}, ["economie"]),
    ({"q": "prix", "source": "wire"}, []),
    ({"q": "oil", "lang": "en", "until": "2025-01-01"}, ["markets"]),
    ({"q": "oil", "lang": "en", "since": "2025-01-01"}, []),
])
def test_search_filters(client, corpus, query, expected):
    by_id = {a.pk: key for key, a in corpus.articles.items()}
    payload = client.get("/api/v1/search", query).json()
    assert [by_id[item["id"]] for item in payload["items"]] == expected


@pytest.mark.parametrize("query", [{}, {"q": " "}, {"q": "x", "page": "0"}, {"q": "x", "until": "soon"},
                                   {"q": "x", "source": "nowhere"}, {"q": "x", "lang": "français"}])
def test_search_bad_parameters_are_400(client, corpus, query):
    response = client.get("/api/v1/search", query)
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_parameter"
