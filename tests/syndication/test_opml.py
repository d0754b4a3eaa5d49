"""/sources.opml: the publishers' feeds and our per-source feeds, as OPML 2.0."""

from __future__ import annotations

import pytest
from django.urls import reverse
from lxml import etree

pytestmark = pytest.mark.django_db
BASE = "http://testserver"


def opml(client, query: dict | None = None) -> etree._Element:
    response = client.get(reverse("syndication:opml"), query or {})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/x-opml")
    root = etree.fromstring(response.content)
    assert root.tag == "opml" and root.get("version") == "2.0" and root.findtext("head/title")
    return root


def outlines(group: etree._Element) -> list[dict[str, str]]:
    return [dict(o.attrib) for o in group.findall("outline")]


def test_publishers_feeds_point_to_the_publishers(client, corpus):
    publishers = opml(client).find("body/outline[1]")
    assert outlines(publishers) == [
        {"type": "rss", "text": "Le Quotidien", "title": "Le Quotidien", "xmlUrl": "https://quotidien.example/rss.xml",
         "htmlUrl": "https://quotidien.example/", "language": "fr"},
        {"type": "rss", "text": "الأخبار", "title": "الأخبار", "xmlUrl": "https://akhbar.example/feed.atom",
         "htmlUrl": "https://akhbar.example/", "language": "ar"},
    ]  # the sitemap feed is not subscribable, the disabled source is left out, Wire & Co has no feed


def test_our_feeds_point_to_working_output_feeds(client, corpus):
    ours = outlines(opml(client).find("body/outline[2]"))
    slugs = ("quotidien", "wire", "akhbar")
    assert [o["xmlUrl"] for o in ours] == [f"{BASE}/feeds/source/{slug}/rss/" for slug in slugs]
    assert [o["htmlUrl"] for o in ours] == [f"{BASE}/{slug}/" for slug in slugs]
    for outline in ours:
        assert client.get(outline["xmlUrl"].removeprefix(BASE)).status_code == 200


@pytest.mark.parametrize(("only", "groups"), [("publishers", ["Publishers' feeds"]), ("kiosque", ["Kiosque feeds"])])
def test_one_group_on_request(client, corpus, only, groups):
    assert [o.get("text") for o in opml(client, {"only": only}).findall("body/outline")] == groups


def test_an_unknown_group_is_400(client, corpus):
    assert client.get(reverse("syndication:opml"), {"only": "all"}).status_code == 400
