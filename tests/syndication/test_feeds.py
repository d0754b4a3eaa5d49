"""Output feeds in RSS 2.0, Atom and JSON Feed 1.1: scopes, item fields, images, errors, size and query counts."""

from __future__ import annotations

import html
from pathlib import Path

import feedparser
import pytest
from django.conf import settings
from django.urls import reverse

from tests.syndication.builders import build_many
from tests.syndication.readers import read

pytestmark = pytest.mark.django_db
FORMATS = ("rss", "atom", "json")
BASE = "http://testserver"


def external(key: str, source: str) -> str:
    return f"https://{source}.example/{key}"


SCOPES = [
    # (url name, args, query, expected articles newest first as (key, source), channel language)
    ("all", [], {}, [("economie", "quotidien"), ("naft", "akhbar"), ("unknown-language", "wire"),
                     ("politique", "quotidien"), ("markets", "wire")], None),
    ("source", ["quotidien"], {}, [("economie", "quotidien"), ("politique", "quotidien")], "fr"),
    ("source", ["wire"], {}, [("unknown-language", "wire"), ("markets", "wire")], None),
    ("category", ["économie"], {}, [("economie", "quotidien")], None),
    ("category", ["اقتصاد"], {}, [("naft", "akhbar")], None),
    ("lang", ["ar"], {}, [("naft", "akhbar")], "ar"),
    ("lang", ["en"], {}, [("markets", "wire")], "en"),
    ("search", [], {"q": "prix"}, [("economie", "quotidien")], None),
    ("search", [], {"q": "النفط", "lang": "ar"}, [("naft", "akhbar")], "ar"),
    ("search", [], {"q": "oil prices", "lang": "en"}, [("markets", "wire")], "en"),
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("name", "args", "query", "expected", "language"), SCOPES)
def test_each_scope_lists_its_visible_articles_newest_first(client, corpus, fmt, name, args, query, expected, language):
    response = client.get(reverse(f"syndication:{name}-{fmt}", args=args), query)
    assert response.status_code == 200
    channel = read(fmt, response.content)
    assert [item.external_url for item in channel.items] == [external(*pair) for pair in expected]
    assert channel.language == language
    assert channel.link.startswith(f"{BASE}/")


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_item_links_to_our_page_and_our_image_copy(client, corpus, fmt):
    article, image = corpus.articles["economie"], corpus.images["ok"]
    channel = read(fmt, client.get(reverse(f"syndication:all-{fmt}")).content)
    item = next(i for i in channel.items if i.external_url == external("economie", "quotidien"))
    assert item.link == f"{BASE}/article/{article.pk}/"
    assert item.title == "Les prix montent <vite>"  # the control character dropped, the rest kept as text
    assert item.language == "fr" and item.categories == ("Économie",) and item.author == "Marie Curie"
    assert item.image == f"{BASE}/images/{image.pk}/display"
    served = client.get(item.image.removeprefix(BASE))
    body = b"".join(served.streaming_content)
    assert (Path(settings.MEDIA_ROOT) / image.display_file).read_bytes() == body
    if item.image_length is not None:  # RSS and Atom give the enclosure's size and type
        assert item.image_length == len(body) and item.image_type == served["Content-Type"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_lead_is_plain_text_never_markup(client, corpus, fmt):
    lead = corpus.articles["economie"].lead
    item = read(fmt, client.get(reverse(f"syndication:all-{fmt}")).content).items[0]
    if fmt == "json":
        assert item.text == lead
    else:  # an HTML-escaped string: a reader rendering it as HTML shows the lead's characters, runs no markup
        assert "<" not in item.text and html.unescape(item.text) == lead


@pytest.mark.parametrize("fmt", FORMATS)
def test_blocked_images_and_articles_without_image_have_none(client, corpus, fmt):
    items = {i.external_url: i for i in read(fmt, client.get(reverse(f"syndication:all-{fmt}")).content).items}
    assert items[external("politique", "quotidien")].image is None  # its image is blocked
    assert items[external("markets", "wire")].image is None
    assert items[external("naft", "akhbar")].image is not None


@pytest.mark.parametrize("fmt", ("rss", "atom"))
def test_a_feed_reader_sees_the_items(client, corpus, fmt):
    parsed = feedparser.parse(client.get(reverse(f"syndication:source-{fmt}", args=["quotidien"])).content)
    assert not parsed.bozo
    first = parsed.entries[0]
    assert first.link == f"{BASE}/article/{corpus.articles['economie'].pk}/"
    assert first.enclosures[0].href == f"{BASE}/images/{corpus.images['ok'].pk}/display"
    assert [e.title for e in parsed.entries] == ["Les prix montent <vite>", "Le budget voté"]


@pytest.mark.parametrize(
    ("name", "args"),
    [("source", ["nowhere"]), ("source", ["closed"]), ("category", ["nowhere"]), ("lang", ["de"])],
)
@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_or_disabled_scopes_are_404(client, corpus, name, args, fmt):
    assert client.get(reverse(f"syndication:{name}-{fmt}", args=args)).status_code == 404


@pytest.mark.parametrize("query", [{}, {"q": "  "}, {"q": "prix", "lang": "xx"}])
def test_a_search_feed_needs_a_query_and_a_known_language(client, corpus, query):
    assert client.get(reverse("syndication:search-rss"), query).status_code == 400


def test_a_feed_holds_the_50_newest(client, corpus):
    build_many(corpus, 60)
    items = read("atom", client.get(reverse("syndication:source-atom", args=["quotidien"])).content).items
    assert len(items) == 50
    assert items[0].external_url == external("economie", "quotidien")


@pytest.mark.parametrize("fmt", FORMATS)
def test_queries_do_not_grow_with_items(client, corpus, fmt, django_assert_max_num_queries):
    build_many(corpus, 60)
    # the source, the articles with their source and image, their categories: 3 queries whatever the item count
    with django_assert_max_num_queries(3):
        response = client.get(reverse(f"syndication:source-{fmt}", args=["quotidien"]))
    assert len(read(fmt, response.content).items) == 50
