"""Feed writers: Django's RSS 2.0 and Atom writers with per-item language and the publisher's link added, and a
JSON Feed 1.1 writer on the same interface, so one `Feed` class serves all three formats.

Extra item keys (passed by `feeds.ArticleFeed.item_extra_kwargs`): language, canonical_url, content_text (the
plain lead), image_url, source_name, source_feed.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed, rfc3339_date
from django.utils.xmlutils import SimplerXMLGenerator

DC = "http://purl.org/dc/elements/1.1/"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


class RssFeed(Rss201rev2Feed):
    def rss_attributes(self) -> dict[str, str]:
        return {**super().rss_attributes(), "xmlns:dc": DC}

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item["language"]:
            handler.addQuickElement("dc:language", item["language"])
        # The publisher's article, as an Atom link inside RSS (the atom prefix is declared by Django's writer).
        handler.addQuickElement("atom:link", None, {"rel": "via", "href": item["canonical_url"]})
        # RSS's <source>: the channel the item came from, here our own feed of that outlet.
        handler.addQuickElement("source", item["source_name"], {"url": item["source_feed"]})


class AtomFeed(Atom1Feed):
    def item_attributes(self, item: dict[str, Any]) -> dict[str, str]:
        return {"xml:lang": item["language"]} if item["language"] else {}

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        handler.addQuickElement("link", "", {"rel": "via", "href": item["canonical_url"]})


class JsonFeed(SyndicationFeed):
    """JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/). Django has no writer for it; this one reuses
    the framework's item collection so the three formats cannot drift apart."""

    content_type = "application/feed+json; charset=utf-8"

    def write(self, outfile: Any, encoding: str) -> None:
        outfile.write(json.dumps(self.document(), ensure_ascii=False))

    def document(self) -> dict[str, Any]:
        feed = self.feed
        doc = {
            "version": JSON_FEED_VERSION,
            "title": feed["title"],
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
            "description": feed["description"],
            "language": feed["language"],
            "items": [_json_item(item) for item in self.items],
        }
        return {key: value for key, value in doc.items() if value is not None}


def _json_item(item: dict[str, Any]) -> dict[str, Any]:
    entry = {
        "id": item["unique_id"],
        "url": item["link"],
        "external_url": item["canonical_url"],
        "title": item["title"],
        "content_text": item["content_text"],
        "image": item["image_url"],
        "date_published": rfc3339_date(item["pubdate"]),
        "date_modified": rfc3339_date(item["updateddate"]),
        "authors": [{"name": item["author_name"]}] if item["author_name"] else None,
        "tags": list(item["categories"]) or None,
        "language": item["language"],
    }
    return {key: value for key, value in entry.items() if value is not None}


GENERATORS: dict[str, type[SyndicationFeed]] = {"rss": RssFeed, "atom": AtomFeed, "json": JsonFeed}
