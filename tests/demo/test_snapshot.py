"""Invariants of the committed demo snapshot (kiosque/demo/snapshot/)."""

from __future__ import annotations

import collections
import gzip
import io
import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib import robotparser
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from lxml import etree
from PIL import Image, ImageChops, ImageStat

from kiosque.demo import Snapshot, snapshot_dir
from kiosque.demo.build.templates import REPORT_BOX

SNAPSHOT = Snapshot()
MANIFEST: dict[str, Any] = SNAPSHOT.manifest
ARTICLES = MANIFEST["articles"]
SITES = {site["slug"]: site for site in MANIFEST["sites"]}
ARTICLES_BY_SITE: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
for _article in ARTICLES:
    ARTICLES_BY_SITE[_article["site"]].append(_article)
FEEDS = [(site["slug"], feed) for site in MANIFEST["sites"] for feed in site["feeds"]]
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "rss1": "http://purl.org/rss/1.0/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
    "image": "http://www.google.com/schemas/sitemap-image/1.1",
}


def body(url: str) -> bytes:
    resource = SNAPSHOT.get(url)
    assert resource is not None, f"{url} is not served"
    return resource.content()


def feed_entries(feed: dict[str, Any]) -> list[tuple[str, str]]:
    """(url, title) of a feed's entries, in document order, read without Kiosque's own parser."""
    kind, data = feed["kind"], body(feed["url"])
    if kind == "jsonfeed":
        return [(item["url"], item["title"]) for item in json.loads(data)["items"]]
    if kind == "listing":
        doc = lxml.html.document_fromstring(data)
        links = doc.cssselect(feed["listing_selector"])
        return [(urljoin(feed["url"], a.get("href")), a.text_content().strip()) for a in links]
    charset = SNAPSHOT.get(feed["url"]).charset  # type: ignore[union-attr]
    # The HTTP charset wins: L'Opinion's Latin-1 feed has no XML declaration to say so.
    root = etree.fromstring(data, parser=etree.XMLParser(encoding=charset))
    paths = {
        "rss": ("//item", "link", "title", {}),
        "atom": ("//atom:entry", "atom:link[@rel='alternate']/@href", "atom:title", NS),
        "rdf": ("//rss1:item", "rss1:link", "rss1:title", NS),
        "sitemap": ("//sm:url", "sm:loc", "news:news/news:title", NS),
    }
    items, link, title, ns = paths[kind]
    entries = []
    for item in root.xpath(items, namespaces=ns):
        href = item.xpath(link, namespaces=ns)[0]
        url = href if isinstance(href, str) else href.text
        entries.append((str(url).strip(), item.xpath(title, namespaces=ns)[0].text))
    return entries


def test_counts() -> None:
    langs = collections.Counter(a["lang"] for a in ARTICLES)
    assert len(MANIFEST["sites"]) >= 12
    assert len(ARTICLES) >= 120
    assert langs["fr"] >= 35
    assert langs["ar"] >= 25
    assert langs["en"] >= 10
    assert MANIFEST["version"] == 1


def test_every_feed_kind_once_listing() -> None:
    kinds = collections.Counter(feed["kind"] for _, feed in FEEDS)
    assert set(kinds) == {"rss", "atom", "rdf", "jsonfeed", "sitemap", "listing"}
    assert kinds["listing"] == 1
    listing = next(feed for _, feed in FEEDS if feed["kind"] == "listing")
    assert listing["url"] == "https://www.aljazeera.com/news/"
    assert listing["listing_selector"]
    assert all(feed["listing_selector"] is None for _, feed in FEEDS if feed["kind"] != "listing")


@pytest.mark.parametrize(("slug", "feed"), FEEDS, ids=[feed["url"] for _, feed in FEEDS])
def test_feed_lists_the_site_articles_newest_first(slug: str, feed: dict[str, Any]) -> None:
    entries = feed_entries(feed)
    kept = ARTICLES_BY_SITE[slug]
    assert sorted(url for url, _ in entries) == sorted(a["url"] for a in kept)
    by_url = {a["url"]: a for a in kept}
    for url, title in entries:
        assert SNAPSHOT.get(url) is not None, url
        if feed["kind"] != "listing":
            assert title == by_url[url]["title"]
    if feed["kind"] != "listing":
        dates = [by_url[url]["published"] for url, _ in entries if by_url[url]["published"]]
        moments = [datetime.fromisoformat(d) for d in dates]
        assert moments == sorted(moments, reverse=True)


def test_feed_urls_on_publisher_host() -> None:
    for slug, feed in FEEDS:
        assert urlsplit(feed["url"]).netloc == SITES[slug]["host"]


def test_every_resource_file_exists_and_inflates() -> None:
    urls = [r["url"] for r in MANIFEST["resources"]]
    assert len(urls) == len(set(urls))
    for entry in MANIFEST["resources"]:
        path = snapshot_dir() / entry["file"]
        assert entry["file"].startswith(f"files/{urlsplit(entry['url']).netloc.lower()}/"), entry
        assert path.is_file(), entry
        assert gzip.decompress(path.read_bytes()), entry
        assert entry["content_type"] and entry["last_modified"].endswith("GMT")


def test_total_size_within_budget() -> None:
    total = sum(f.stat().st_size for f in snapshot_dir().rglob("*") if f.is_file())
    assert total <= 15 * 1024 * 1024


def test_every_site_has_homepage_robots_and_discoverable_feed() -> None:
    for site in MANIFEST["sites"]:
        doc = lxml.html.document_fromstring(body(site["homepage"]))
        alternates = {link.get("href") for link in doc.xpath("//link[@rel='alternate']")}
        for feed in site["feeds"]:
            if feed["kind"] in {"rss", "atom", "rdf", "jsonfeed"}:
                assert feed["url"] in alternates, site["slug"]
        assert b"User-agent: *" in body(f"https://{site['host']}/robots.txt")


def test_every_host_has_robots_txt() -> None:
    hosts = {urlsplit(r["url"]).netloc.lower() for r in MANIFEST["resources"]}
    for host in hosts:
        assert SNAPSHOT.get(f"https://{host}/robots.txt") is not None, host


def test_robots_crawl_delay_small() -> None:
    for resource in MANIFEST["resources"]:
        if resource["url"].endswith("/robots.txt"):
            for line in body(resource["url"]).decode().splitlines():
                if line.lower().startswith("crawl-delay"):
                    assert float(line.split(":", 1)[1]) <= 0.2


def test_one_feed_article_is_disallowed_by_robots() -> None:
    disallowed = [a for a in ARTICLES if a["disallowed"]]
    assert len(disallowed) == 1
    article = disallowed[0]
    host = urlsplit(article["url"]).netloc
    parser = robotparser.RobotFileParser()
    parser.parse(body(f"https://{host}/robots.txt").decode().splitlines())
    assert not parser.can_fetch("Kiosque/0.1", article["url"])
    feed = SITES[article["site"]]["feeds"][0]
    assert article["url"] in {url for url, _ in feed_entries(feed)}
    allowed = [a for a in ARTICLES if not a["disallowed"]]
    for other in allowed:
        rules = robotparser.RobotFileParser()
        rules.parse(body(f"https://{urlsplit(other['url']).netloc}/robots.txt").decode().splitlines())
        assert rules.can_fetch("Kiosque/0.1", other["url"]), other["url"]


def _picture(url: str) -> Image.Image:
    image = Image.open(io.BytesIO(body(url)))
    image.load()
    return image


def test_image_group_identical_and_resized() -> None:
    grouped = [a for a in ARTICLES if a["image_group"]]
    same = [a for a in grouped if a["image_variant"] == "same"]
    resized = [a for a in grouped if a["image_variant"] == "resized"]
    assert len(same) == 2 and len(resized) == 1
    assert same[0]["site"] != same[1]["site"]
    assert same[0]["image_url"] != same[1]["image_url"]
    assert body(same[0]["image_url"]) == body(same[1]["image_url"])
    assert body(resized[0]["image_url"]) != body(same[0]["image_url"])
    original, smaller = _picture(same[0]["image_url"]), _picture(resized[0]["image_url"])
    assert smaller.size != original.size
    assert abs(smaller.width / smaller.height - original.width / original.height) < 0.01
    # Same picture: once both are brought to one small size, the pixels barely differ.
    thumb = (64, 36)
    difference = ImageChops.difference(original.convert("L").resize(thumb), smaller.convert("L").resize(thumb))
    assert ImageStat.Stat(difference).mean[0] < 4


def test_most_articles_have_a_served_placeholder_image() -> None:
    with_image = [a for a in ARTICLES if a["image_url"]]
    assert len(with_image) >= 0.75 * len(ARTICLES)
    for article in with_image:
        resource = SNAPSHOT.get(article["image_url"])
        assert resource is not None and resource.content_type == "image/jpeg"
        if article["image_variant"] != "resized":
            assert 8_000 <= len(resource.content()) <= 20_000
            assert _picture(article["image_url"]).size == (640, 360)


def test_latin1_and_arabic_feeds() -> None:
    latin = [SNAPSHOT.get(f["url"]) for _, f in FEEDS if f["kind"] != "listing"]
    latin = [r for r in latin if r is not None and r.charset == "iso-8859-1"]
    assert latin
    for resource in latin:
        text = resource.content().decode("iso-8859-1")
        assert "é" in text
        with pytest.raises(UnicodeDecodeError):
            resource.content().decode("utf-8")
    assert any(not r.content().startswith(b"<?xml") for r in latin)  # only the header tells the charset
    arabic = [f for slug, f in FEEDS if SITES[slug]["languages"][0] == "ar"]
    assert len(arabic) >= 5


def test_fictional_stories_wire_and_languages() -> None:
    fictional = [a for a in ARTICLES if a["origin"] == "clustering"]
    assert 3 <= len({a["site"] for a in fictional}) <= 5
    stories: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    for article in fictional:
        stories[article["story"]].append(article)
    wire_outlets = [len({a["site"] for a in group if a["wire"]}) for group in stories.values()]
    assert max(wire_outlets) >= 3
    trilingual = [s for s, group in stories.items() if {a["lang"] for a in group} == {"fr", "ar", "en"}]
    assert trilingual
    assert all(a["story"] is None and not a["wire"] for a in ARTICLES if a["origin"] == "replay")


FICTIONAL_PAGES = [a for a in ARTICLES if a["origin"] == "clustering"]


@pytest.mark.parametrize("article", FICTIONAL_PAGES, ids=[a["ref"] for a in FICTIONAL_PAGES])
def test_fictional_page_metadata(article: dict[str, Any]) -> None:
    doc = lxml.html.document_fromstring(body(article["url"]).decode("utf-8"))
    html = doc.getroottree().getroot()
    assert html.get("lang") == article["lang"]
    assert html.get("dir") == ("rtl" if article["lang"] == "ar" else "ltr")

    def meta(prop: str) -> str | None:
        found = doc.xpath("//meta[@property=$p]/@content", p=prop)
        return str(found[0]) if found else None

    assert meta("og:title") == article["title"]
    assert doc.xpath("string(//h1)").strip() == article["title"]
    assert meta("og:description")
    assert meta("og:image") == article["image_url"]
    assert meta("article:published_time") == article["published"]
    assert doc.xpath("//link[@rel='canonical']/@href") == [article["url"]]
    assert len(doc.xpath("//p")) >= 3


def test_seed_styled_outlet() -> None:
    pages = [a for a in ARTICLES if a["site"] == "atlas-matin"]
    tickers = set()
    for article in pages:
        doc = lxml.html.document_fromstring(body(article["url"]).decode("utf-8"))
        ticker = doc.cssselect(".ticker a")
        assert len(ticker) >= 10
        tickers.add(tuple(a.get("href") for a in ticker))
        text = doc.text_content()
        day, month, year = article["published"][8:10], article["published"][5:7], article["published"][:4]
        assert f"Publié dans Atlas Matin le {day} - {month} - {year}" in text
        if article["image_url"]:
            assert REPORT_BOX[0] in text and REPORT_BOX[1] in text
        assert doc.cssselect("nav") and doc.cssselect("footer") and doc.cssselect(".related a")
    assert len(tickers) == 1  # the same ticker on every page: site boilerplate


@pytest.mark.slow
def test_build_is_reproducible(tmp_path: Path) -> None:
    data = Path(os.environ.get("KIOSQUE_SHARED_DATA", Path(__file__).resolve().parents[3] / "shared" / "data"))
    if not (data / "replay" / "manifest.json").exists():
        pytest.skip(f"shared data not found at {data}")
    from kiosque.demo.build import build_snapshot

    build_snapshot(data, tmp_path)
    committed = snapshot_dir()
    assert (tmp_path / "manifest.json").read_bytes() == (committed / "manifest.json").read_bytes()
    for entry in MANIFEST["resources"]:
        assert (tmp_path / entry["file"]).read_bytes() == (committed / entry["file"]).read_bytes(), entry["url"]
