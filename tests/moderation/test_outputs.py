"""A block reaches the API and the output feeds (both cached by content version): the image disappears from
every article using the picture; once a moderator unblocks it, it is back with its moderation state."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from lxml import etree

from kiosque.moderation.services import image_report, image_unblock
from tests.moderation.conftest import make_moderator, reporter

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def api_image(client: Client, article_id: int) -> dict | None:  # type: ignore[type-arg]
    response = client.get(f"/api/v1/articles/{article_id}")
    assert response.status_code == 200
    return response.json()["image"]  # type: ignore[no-any-return]


def rss_enclosures(client: Client) -> dict[str, str]:
    root = etree.fromstring(client.get("/feeds/rss/").content)
    return {item.findtext("link"): item.find("enclosure").get("url") for item in root.iter("item")
            if item.find("enclosure") is not None}


def json_feed_images(client: Client) -> dict[str, str | None]:
    feed = json.loads(client.get("/feeds/json/").content)
    return {item["url"]: item.get("image") for item in feed["items"]}


def block(scene, capture) -> None:  # type: ignore[no-untyped-def]
    with capture(execute=True):  # run content_changed() as the commit would
        for n in (1, 2, 3):
            image_report(image_id=scene.original.image_id, reporter=reporter(n))


def test_blocked_pictures_leave_the_api_and_come_back_protected(client, scene, django_capture_on_commit_callbacks):
    articles = (scene.original, scene.same_file, scene.resized_copy)
    before = {a.pk: api_image(client, a.pk) for a in articles}  # cached now
    assert all(image and image["state"] == "ok" for image in before.values())

    block(scene, django_capture_on_commit_callbacks)
    assert {a.pk: api_image(client, a.pk) for a in articles} == {a.pk: None for a in articles}
    assert api_image(client, scene.other.pk)["state"] == "ok"  # type: ignore[index]
    listed = {item["id"]: item["image"] for item in client.get("/api/v1/articles").json()["items"]}
    assert [listed[a.pk] for a in articles] == [None, None, None] and listed[scene.other.pk] is not None

    with django_capture_on_commit_callbacks(execute=True):
        image_unblock(image=scene.image("original"), actor=make_moderator())
    after = {a.pk: api_image(client, a.pk) for a in articles}
    assert [image["state"] for image in after.values()] == ["protected"] * 3  # type: ignore[index]
    assert after[scene.original.pk]["url"] == before[scene.original.pk]["url"]  # type: ignore[index]


def test_blocked_pictures_leave_the_feeds(client, scene, django_capture_on_commit_callbacks):
    rss, feed = rss_enclosures(client), json_feed_images(client)  # cached now
    assert len(rss) == 4 and sum(1 for image in feed.values() if image) == 4

    block(scene, django_capture_on_commit_callbacks)
    rss, feed = rss_enclosures(client), json_feed_images(client)
    assert len(rss) == 1 and f"/images/{scene.other.image_id}/display" in next(iter(rss.values()))
    assert sum(1 for image in feed.values() if image) == 1
    for article in (scene.original, scene.same_file, scene.resized_copy):
        assert not [url for url in (*rss.values(), *feed.values()) if url and f"/images/{article.image_id}/" in url]
