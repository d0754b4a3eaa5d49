"""ETag / Last-Modified and 304s on every feed, sitemap and the OPML; responses cached per content version."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from kiosque.articles.services import content_changed

pytestmark = pytest.mark.django_db

URLS = [
    ("syndication:all-rss", [], {}),
    ("syndication:all-atom", [], {}),
    ("syndication:all-json", [], {}),
    ("syndication:source-rss", ["quotidien"], {}),
    ("syndication:category-json", ["économie"], {}),
    ("syndication:lang-atom", ["ar"], {}),
    ("syndication:search-rss", [], {"q": "prix"}),
    ("syndication:sitemap", [], {}),
    ("syndication:sitemap-section", ["articles"], {}),
    ("syndication:news-sitemap", [], {}),
    ("syndication:opml", [], {}),
]


@pytest.mark.parametrize(("name", "args", "query"), URLS)
def test_revalidation_answers_304_until_the_content_changes(client, corpus, name, args, query):
    url = reverse(name, args=args)
    first = client.get(url, query)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    again = client.get(url, query, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == first["ETag"]
    by_date = client.get(url, query, headers={"If-Modified-Since": first["Last-Modified"]})
    assert by_date.status_code == 304

    corpus.ingest("breaking", "quotidien", language="fr", title="Dernière minute : les prix",
                  published_at=corpus.now - timedelta(minutes=5))
    content_changed()
    fresh = client.get(url, query, headers={"If-None-Match": first["ETag"]})
    assert fresh.status_code == 200 and fresh["ETag"] != first["ETag"]


def test_a_cached_feed_costs_no_query(client, corpus, django_assert_num_queries):
    url = reverse("syndication:all-rss")
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.content == first.content and second["ETag"] == first["ETag"]


def test_etags_differ_between_feeds(client, corpus):
    tags = {client.get(reverse(name, args=args), query)["ETag"] for name, args, query in URLS}
    assert len(tags) == len(URLS)


def test_feeds_answer_head_and_refuse_writes(client, corpus):
    url = reverse("syndication:all-rss")
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405
