"""Real publisher pages from the replay corpus (/work/shared/data/replay): pick, describe, date.

Each real host becomes its own site (its real host is kept, so "read at source" links point at
the publisher). Feeds are generated from the pages we keep, because the corpus' real feed
snapshots never link to the pages it holds.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import lxml.html

from kiosque.demo.build.model import Article, FeedSpec, Site

__all__ = ["AJ_LISTING_SELECTOR", "load_real_sites"]

LANGS = ("fr", "ar", "en")
# Al Jazeera's /news/ front: article cards of type post/gallery (live blogs are not held).
AJ_LISTING_SELECTOR = (
    "article.gc--type-post a.u-clickable-card__link, article.gc--type-gallery a.u-clickable-card__link"
)

# host -> (kind, path on the publisher's host[, encoding[, "no-prolog"]]); every other host: RSS at /rss.xml.
# L'Opinion's Latin-1 feed has no XML declaration: it decodes right only when the HTTP charset is honoured.
# Paths follow what these publishers use (or the CMS they run: /feed/ for WordPress, SPIP backend...).
FEEDS: dict[str, tuple[str, ...]] = {
    "www.lemonde.fr": ("rss", "/rss/une.xml"),
    "www.lefigaro.fr": ("rss", "/rss/figaro_actualites.xml", "iso-8859-1"),
    "fr.euronews.com": ("rss", "/rss"),
    "www.lesechos.fr": ("sitemap", "/sitemap_news.xml"),
    "www.liberation.fr": ("rss", "/arc/outboundfeeds/rss-all/?outputType=xml"),
    "www.20minutes.fr": ("rss", "/feeds/rss-une.xml"),
    "www.lopinion.fr": ("rss", "/index.rss", "iso-8859-1", "no-prolog"),
    "www.lepoint.fr": ("rss", "/24h-infos/rss.xml"),
    "www.ouest-france.fr": ("rss", "/rss/une"),
    "www.courrierinternational.com": ("rss", "/feed/all/rss.xml"),
    "www.lexpress.fr": ("rss", "/arc/outboundfeeds/rss/alaune.xml"),
    "www.ledevoir.com": ("rdf", "/rss/manchettes.xml"),
    "ici.radio-canada.ca": ("atom", "/info/rss/atom/une"),
    "blog.mondediplo.net": ("rss", "/spip.php?page=backend"),
    "www.dalloz-actualite.fr": ("atom", "/atom.xml"),
    "francais.radio.cz": ("atom", "/rcz-rss/fr"),
    "aoc.media": ("jsonfeed", "/feed.json"),
    "www.bondyblog.fr": ("rss", "/feed/"),
    "www.regards.fr": ("rss", "/feed/"),
    "lapresse.tn": ("rss", "/feed/"),
    "www.guineenews.org": ("rss", "/feed/"),
    "legrandcontinent.eu": ("rss", "/fr/feed/"),
    "www.sports.fr": ("rss", "/feed/"),
    "www.republicoftogo.com": ("rss", "/feed/"),
    "arabic.cnn.com": ("rss", "/rss"),
    "www.youm7.com": ("rss", "/rss/SectionRss?SectionID=65"),
    "www.albayan.ae": ("atom", "/feed/atom.xml"),
    "www.lbcgroup.tv": ("rss", "/Rss/latest-news/ar"),
    "www.aljazeera.com": ("listing", "/news/"),
    "www.theguardian.com": ("rss", "/world/rss"),
    "www.nytimes.com": ("rss", "/services/xml/rss/nyt/HomePage.xml"),
    "www.theverge.com": ("atom", "/rss/index.xml"),
    "www.theatlantic.com": ("atom", "/feed/all/"),
    "www.npr.org": ("jsonfeed", "/feeds/1001/feed.json"),
    "www.washingtonpost.com": ("sitemap", "/arcio/news-sitemap/"),
    "www.reuters.com": ("sitemap", "/arc/outboundfeeds/news-sitemap/?outputType=xml"),
    "www.dw.com": ("rdf", "/rdf/rss-en-all"),
    "www.bbc.com": ("rss", "/news/rss.xml"),
    "techcrunch.com": ("rss", "/feed/"),
    "www.axios.com": ("jsonfeed", "/feeds/feed.json"),
    "apnews.com": ("atom", "/hub/ap-top-news/feed.atom"),
}

COUNTRIES: dict[str, str] = {
    "fr.euronews.com": "FR",
    "legrandcontinent.eu": "FR",
    "aoc.media": "FR",
    "actu.fr": "FR",
    "ici.radio-canada.ca": "CA",
    "www.ledevoir.com": "CA",
    "francais.radio.cz": "CZ",
    "lapresse.tn": "TN",
    "www.republicoftogo.com": "TG",
    "www.guineenews.org": "GN",
    "www.sudinfo.be": "BE",
    "akhbarelyom.com": "EG",
    "arabic.cnn.com": "US",
    "arabic.sputniknews.com": "RU",
    "elbaladtv.net": "EG",
    "www.youm7.com": "EG",
    "www.lbcgroup.tv": "LB",
    "www.beirutobserver.com": "LB",
    "www.almadenahnews.com": "JO",
    "www.alyaum.com": "SA",
    "www.albayan.ae": "AE",
    "www.assabah.com.tn": "TN",
    "www.aljazeera.com": "QA",
    "www.bbc.com": "GB",
    "www.theguardian.com": "GB",
    "inews.co.uk": "GB",
    "www.euronews.com": "FR",
    "www.dw.com": "DE",
    "www.economist.com": "GB",
    "www.reuters.com": "GB",
    "www.politico.eu": "BE",
    "timesofindia.indiatimes.com": "IN",
    "japannews.yomiuri.co.jp": "JP",
    "www.malaymail.com": "MY",
    "www.timesofisrael.com": "IL",
    "globalnews.ca": "CA",
    "nationalpost.com": "CA",
    "www.cbc.ca": "CA",
    "www.theglobeandmail.com": "CA",
    "www.thelocal.se": "SE",
    "www.heraldsun.com.au": "AU",
    "www.dailymaverick.co.za": "ZA",
}

_DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "datePublished",
    "pubdate",
    "publishdate",
    "date",
    "DC.date.issued",
    "dc.date",
    "parsely-pub-date",
    "sailthru.date",
    "publish-date",
    "Date",
)


def country_of(host: str) -> str:
    if host in COUNTRIES:
        return COUNTRIES[host]
    suffixes = {".fr": "FR", ".co.uk": "GB", ".uk": "GB", ".ma": "MA", ".be": "BE", ".ca": "CA", ".tn": "TN"}
    return next((cc for suffix, cc in suffixes.items() if host.endswith(suffix)), "US")


def slug_of(host: str) -> str:
    return re.sub(r"^www\.", "", host).replace(".", "-")


def _parse_dt(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(text[:10]), time(12))
        except ValueError:
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _json_ld_dates(doc: lxml.html.HtmlElement) -> list[str]:
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("datePublished"), str):
                found.append(node["datePublished"])
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    for script in doc.xpath('//script[@type="application/ld+json"]'):
        try:
            walk(json.loads(script.text_content() or "null"))
        except json.JSONDecodeError:
            continue  # broken JSON-LD is common; the meta tags may still carry the date
    return found


def page_date(doc: lxml.html.HtmlElement) -> datetime | None:
    """Publication time the page states itself (meta tags, then JSON-LD)."""
    for name in _DATE_META:
        for meta in doc.xpath("//meta[@property=$n or @name=$n or @itemprop=$n]", n=name):
            parsed = _parse_dt(meta.get("content"))
            if parsed:
                return parsed
    for value in _json_ld_dates(doc):
        parsed = _parse_dt(value)
        if parsed:
            return parsed
    return None


def expected_date(page: dict[str, Any], data: Path) -> datetime | None:
    """Publication time from the upstream expectations recorded with the page."""
    expected = page.get("expected") or {}
    kind = expected.get("kind")
    if kind == "fundus-parser-output":
        versions = json.loads((data / expected["file"]).read_text(encoding="utf-8"))
        return _parse_dt(versions.get(expected["key"], {}).get("publishing_date"))
    if kind == "readability-output":
        meta = json.loads((data / expected["metadata"]).read_text(encoding="utf-8"))
        return _parse_dt(meta.get("publishedTime"))
    return _parse_dt(expected.get("date") or expected.get("htmldate_date"))


def _url_date(url: str) -> datetime | None:
    match = re.search(r"/(20\d\d|19\d\d)/(\d{1,2})/(\d{1,2})/", url)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    return datetime(year, month, day, 12, tzinfo=UTC)


def best_date(page: dict[str, Any], doc: lxml.html.HtmlElement, data: Path) -> datetime | None:
    """Expected date first; the page's own timestamp when it agrees on the day (it carries the time)."""
    stated = page_date(doc)
    expected = expected_date(page, data)
    if expected and stated and stated.date() == expected.date():
        return stated
    if expected:
        return expected
    captured = _parse_dt((page.get("captured") or "")[:10])
    return stated or _url_date(page["url"]) or captured


def _meta(doc: lxml.html.HtmlElement, *names: str) -> str:
    for name in names:
        for meta in doc.xpath("//meta[@property=$n or @name=$n]", n=name):
            content = (meta.get("content") or "").strip()
            if content:
                return " ".join(content.split())
    return ""


def page_title(doc: lxml.html.HtmlElement, recorded: str, url: str) -> str:
    """og:title, else the title recorded in the corpus manifest, else <h1>, else the URL's slug."""
    title = _meta(doc, "og:title") or recorded
    if not title:
        h1 = doc.xpath("//h1")
        title = " ".join(h1[0].text_content().split()) if h1 else ""
    if not title:  # an empty JavaScript shell (La Nouvelle République): its feed would still carry a title
        slug = url.rstrip("/").rsplit("/", 1)[-1].replace("-", " ")
        title = slug[:1].upper() + slug[1:]
    return title


def page_image(doc: lxml.html.HtmlElement, url: str) -> str | None:
    image = _meta(doc, "og:image", "og:image:url", "og:image:secure_url")
    if not image or image.startswith("data:"):
        return None
    return urljoin(url, image.replace(" ", "%20"))


def _article(page: dict[str, Any], slug: str, data: Path) -> Article:
    html = (data / page["file"]).read_bytes()
    doc = lxml.html.document_fromstring(html, parser=lxml.html.HTMLParser(encoding="utf-8"))
    return Article(
        url=page["url"],
        site=slug,
        lang=page["lang"],
        title=page_title(doc, page.get("title") or "", page["url"]),
        html=html,
        published=best_date(page, doc, data),
        description=_meta(doc, "og:description", "description", "twitter:description"),
        image_url=page_image(doc, page["url"]),
        author=_meta(doc, "author", "article:author"),
        ref=page["file"],
    )


def _feed_spec(host: str) -> FeedSpec:
    spec = FEEDS.get(host, ("rss", "/rss.xml"))
    kind, path = spec[0], spec[1]
    encoding = spec[2] if len(spec) > 2 else "utf-8"
    selector = AJ_LISTING_SELECTOR if kind == "listing" else None
    prolog = "no-prolog" not in spec
    return FeedSpec(
        url=f"https://{host}{path}", kind=kind, listing_selector=selector, encoding=encoding, xml_prolog=prolog
    )


def load_real_sites(data: Path) -> tuple[list[Site], list[tuple[str, bytes]]]:
    """Sites built from the replay corpus, plus the real listing pages to serve as they are."""
    manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
    sites: list[Site] = []
    listings: list[tuple[str, bytes]] = []
    for entry in manifest["sites"]:
        pages = [p for p in entry["pages"] if p["lang"] in LANGS]
        if not pages:
            continue  # German-only hosts and feed-only hosts: nothing for a fr/ar/en portal
        slug = slug_of(entry["host"])
        site = Site(
            slug=slug,
            name=entry["name"],
            host=entry["host"],
            country=country_of(entry["host"]),
            feeds=[_feed_spec(entry["host"])],
        )
        site.articles = [_article(page, slug, data) for page in pages]
        sites.append(site)
        listings += [(p["url"], (data / p["file"]).read_bytes()) for p in entry["listing_pages"]]
    return sites, listings
