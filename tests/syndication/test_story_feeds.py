"""Output feeds of one story (/feeds/story/<id>/{rss,atom,json}/): its visible articles, newest first."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kiosque.articles.stories.services import Placement, article_story_place, story_merge
from tests.syndication.readers import read

pytestmark = pytest.mark.django_db
FORMATS = ("rss", "atom", "json")
BASE = "http://testserver"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_story_feed_lists_its_articles_in_every_language(client, corpus, fmt):
    story = corpus.stories["prices"]
    response = client.get(reverse(f"syndication:story-{fmt}", args=[story.pk]))
    assert response.status_code == 200
    channel = read(fmt, response.content)
    assert channel.link == f"{BASE}/story/{story.pk}/"
    assert channel.language is None  # French and Arabic: each item carries its own
    assert [(item.title, item.language) for item in channel.items] == [
        ("Les prix montent <vite>", "fr"),  # an hour fresher than the Arabic one
        ("ارتفاع أسعار النفط", "ar"),
    ]
    assert channel.items[1].link == f"{BASE}/article/{corpus.articles['naft'].pk}/"


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_stories_are_404_and_merged_ones_follow_the_merge(client, corpus, fmt):
    assert client.get(reverse(f"syndication:story-{fmt}", args=[999999])).status_code == 404
    other = corpus.stories["prices"]
    alone = article_story_place(article=corpus.articles["markets"], placement=Placement(story_id=None))
    merged = story_merge(stories=[other, alone])
    channel = read(fmt, client.get(reverse(f"syndication:story-{fmt}", args=[alone.pk])).content)
    assert channel.link == f"{BASE}/story/{merged.pk}/" and len(channel.items) == 3
