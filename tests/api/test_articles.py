"""GET /api/v1/articles: filters, cursor pagination, parameter errors, query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.syndication.builders import build_many

pytestmark = pytest.mark.django_db
URL = "/api/v1/articles"
VISIBLE = ["economie", "naft", "unknown-language", "politique", "markets"]  # newest first


def keys(corpus, payload: dict) -> list[str]:
    by_id = {a.pk: key for key, a in corpus.articles.items()}
    return [by_id[item["id"]] for item in payload["items"]]


@pytest.mark.parametrize(("query", "expected"), [
    ({}, VISIBLE),
    ({"language": "fr"}, ["economie", "politique"]),
    ({"language": "ar"}, ["naft"]),
    ({"source": "wire"}, ["unknown-language", "markets"]),
    ({"category": "économie"}, ["economie"]),
    ({"category": "economy", "language": "en"}, ["markets"]),
    ({"q": "prix"}, ["economie"]),
    ({"q": "prices", "source": "wire"}, ["markets"]),
    ({"q": "oil prices"}, ["markets"]),
    ({"q": "النفط", "language": "ar"}, ["naft"]),
    ({"q": "nothing-matches-this"}, []),
])
def test_filters(client, corpus, query, expected):
    response = client.get(URL, query)
    assert response.status_code == 200
    assert keys(corpus, response.json()) == expected


def test_since_keeps_articles_published_or_updated_after(client, corpus):
    since = (corpus.now - timedelta(hours=4)).isoformat()  # sent with its '+' unencoded on purpose below
    payload = client.get(f"{URL}?since={since}").json()
    # every article was stored at `now`, so all were updated after `since`
    assert keys(corpus, payload) == VISIBLE
    future = (corpus.now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert client.get(URL, {"since": future}).json()["items"] == []


def test_the_cursor_walks_every_article_once_newest_first(client, corpus):
    build_many(corpus, 24)  # groups of three share a publication time: the id breaks the tie
    seen, url, pages = [], f"{URL}?limit=7&language=fr", 0
    while url:
        payload = client.get(url.removeprefix("http://testserver")).json()
        assert payload["limit"] == 7 and len(payload["items"]) <= 7
        seen.extend((item["published"], item["id"]) for item in payload["items"])
        url, pages = payload["next"], pages + 1
    assert len(seen) == len(set(seen)) == 26
    assert seen == sorted(seen, reverse=True)
    assert pages == 4  # 7 + 7 + 7 + 5, and no empty page at the end


def test_next_keeps_the_filters(client, corpus):
    build_many(corpus, 5, source="wire")
    payload = client.get(URL, {"source": "wire", "limit": 2}).json()
    assert "source=wire" in payload["next"] and "limit=2" in payload["next"] and "cursor=" in payload["next"]


@pytest.mark.parametrize(("query", "parameter"), [
    ({"limit": "0"}, "limit"),
    ({"limit": "101"}, "limit"),
    ({"limit": "ten"}, "limit"),
    ({"since": "yesterday"}, "since"),
    ({"since": "2024-02-30"}, "since"),
    ({"cursor": "not-a-cursor"}, "cursor"),
    ({"language": "French"}, "language"),
    ({"source": "nowhere"}, "source"),
    ({"source": "closed"}, "source"),  # disabled
    ({"category": "nowhere"}, "category"),
])
def test_bad_parameters_are_400_with_a_reason(client, corpus, query, parameter):
    response = client.get(URL, query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_parameter" and error["message"].startswith(f"{parameter}:")


def test_queries_do_not_grow_with_items(client, corpus, django_assert_max_num_queries):
    build_many(corpus, 120)
    # the articles with source and image, then their categories
    with django_assert_max_num_queries(2):
        payload = client.get(URL, {"limit": 100}).json()
    assert len(payload["items"]) == 100
    with django_assert_max_num_queries(4):  # + the source and category checks
        payload = client.get(URL, {"limit": 100, "source": "quotidien", "category": "économie"}).json()
    assert len(payload["items"]) == 100
