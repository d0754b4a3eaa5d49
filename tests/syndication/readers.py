"""The three feed formats read back into one shape, so each test states its expectation once for all formats."""

from __future__ import annotations

import json
from dataclasses import dataclass

from lxml import etree

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "dc": "http://purl.org/dc/elements/1.1/",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class Item:
    title: str
    link: str
    external_url: str
    text: str  # as a reader shows it: XML formats carry HTML-escaped text, JSON Feed plain text
    language: str | None
    categories: tuple[str, ...]
    image: str | None
    image_length: int | None
    image_type: str | None
    author: str | None


@dataclass(frozen=True)
class Channel:
    title: str
    link: str
    language: str | None
    items: list[Item]


def read(fmt: str, content: bytes) -> Channel:
    return {"rss": _rss, "atom": _atom, "json": _json}[fmt](content)


def _rss(content: bytes) -> Channel:
    channel = etree.fromstring(content).find("channel")
    items = []
    for node in channel.findall("item"):
        enclosure = node.find("enclosure")
        items.append(Item(
            title=node.findtext("title"), link=node.findtext("link"),
            external_url=node.find("atom:link[@rel='via']", NS).get("href"),
            text=node.findtext("description"), language=node.findtext("dc:language", namespaces=NS),
            categories=tuple(c.text for c in node.findall("category")),
            image=None if enclosure is None else enclosure.get("url"),
            image_length=None if enclosure is None else int(enclosure.get("length")),
            image_type=None if enclosure is None else enclosure.get("type"),
            author=node.findtext("dc:creator", namespaces=NS),
        ))
    return Channel(title=channel.findtext("title"), link=channel.findtext("link"),
                   language=channel.findtext("language"), items=items)


def _atom(content: bytes) -> Channel:
    feed = etree.fromstring(content)
    items = []
    for node in feed.findall("atom:entry", NS):
        enclosure = node.find("atom:link[@rel='enclosure']", NS)
        items.append(Item(
            title=node.findtext("atom:title", namespaces=NS),
            link=node.find("atom:link[@rel='alternate']", NS).get("href"),
            external_url=node.find("atom:link[@rel='via']", NS).get("href"),
            text=node.findtext("atom:summary", namespaces=NS), language=node.get(XML_LANG),
            categories=tuple(c.get("term") for c in node.findall("atom:category", NS)),
            image=None if enclosure is None else enclosure.get("href"),
            image_length=None if enclosure is None else int(enclosure.get("length")),
            image_type=None if enclosure is None else enclosure.get("type"),
            author=node.findtext("atom:author/atom:name", namespaces=NS),
        ))
    return Channel(title=feed.findtext("atom:title", namespaces=NS),
                   link=feed.find("atom:link[@rel='alternate']", NS).get("href"), language=feed.get(XML_LANG),
                   items=items)


def _json(content: bytes) -> Channel:
    doc = json.loads(content)
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    items = [
        Item(
            title=item["title"], link=item["url"], external_url=item["external_url"], text=item["content_text"],
            language=item.get("language"), categories=tuple(item.get("tags", ())), image=item.get("image"),
            image_length=None, image_type=None, author=item["authors"][0]["name"] if "authors" in item else None,
        )
        for item in doc["items"]
    ]
    for item in doc["items"]:
        assert item["id"] == item["url"] and item["date_published"] and item["date_modified"]
    return Channel(title=doc["title"], link=doc["home_page_url"], language=doc.get("language"), items=items)
