"""Fictional outlets rendered from the hand-written clustering set (/work/shared/data/clustering/dev.jsonl).

Five outlets are kept because together they carry the most same-story pairs, two stories covered
in French, Arabic and English, and one agency dispatch republished by three outlets (d07):
Agence Atlas Presse (the agency), Atlas Matin (styled like the seed page), L'Écho de Rabat,
الأطلس اليوم and Global Desk News. Hosts are invented; the texts are hand-written for the project.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from kiosque.demo.build import templates
from kiosque.demo.build.model import Article, FeedSpec, Site

__all__ = ["IMAGE_GROUP", "OUTLETS", "Outlet", "load_fictional_sites"]

IMAGE_GROUP = "agency-photo-d07"  # one agency picture: identical on two outlets, resized on a third
_IMAGE_GROUP_STORY = "d07-gov-council-1017"
_IMAGE_GROUP_VARIANTS = {"atlas-matin": "same", "echo-de-rabat": "same", "atlas-presse": "resized"}
_PREMIUM_REF = "dev-0150"  # the L'Écho de Rabat article put behind robots.txt (its /abonnes/ section)


@dataclass(frozen=True)
class Outlet:
    name: str
    slug: str
    host: str
    lang: str
    country: str
    style: str  # template family in templates.py
    feed: tuple[str, ...]  # (kind, path[, encoding])
    bylines: tuple[str, ...]
    description: str
    remove_selectors: tuple[str, ...] = ()
    body_selector: str | None = None


OUTLETS: tuple[Outlet, ...] = (
    Outlet(
        "Agence Atlas Presse",
        "atlas-presse",
        "www.atlas-presse.ma",
        "fr",
        "MA",
        "agency",
        ("atom", "/fr/depeches.atom"),
        ("AAP",),
        "Agence de presse : dépêches du Maroc et du monde",
    ),
    Outlet(
        "Atlas Matin",
        "atlas-matin",
        "www.atlas-matin.ma",
        "fr",
        "MA",
        "seed",
        ("rss", "/rss/actualites.xml"),
        ("Karim Benali", "Nadia El Idrissi", "Youssef Amrani"),
        "Quotidien marocain d'information générale",
    ),
    Outlet(
        "L'Écho de Rabat",
        "echo-de-rabat",
        "www.echoderabat.ma",
        "fr",
        "MA",
        "wordpress",
        ("rdf", "/feed/rdf/"),
        ("Leïla Tazi", "Omar Chraibi", "La rédaction"),
        "L'actualité de la capitale et du Royaume",
    ),
    Outlet(
        "الأطلس اليوم",
        "alatlas-alyoum",
        "www.alatlas-alyoum.ma",
        "ar",
        "MA",
        "arabic",
        ("sitemap", "/sitemap-news.xml"),
        ("محمد العلوي", "سناء بناني", "هيئة التحرير"),
        "جريدة إلكترونية مغربية مستقلة",
    ),
    Outlet(
        "Global Desk News",
        "global-desk-news",
        "www.globaldesknews.com",
        "en",
        "GB",
        "desk",
        ("jsonfeed", "/feed.json"),
        ("Sarah Collins", "James Okafor", "Global Desk staff"),
        "World news with a focus on Africa and the Mediterranean",
        remove_selectors=(".newsletter-signup", ".most-viewed"),
        body_selector="div.article-body",
    ),
)

# Section of each story (hand-assigned from dev.meta.json descriptions); stories not listed: "societe".
_SECTIONS = {
    "politique": ("d07", "d14", "d15"),
    "economie": ("d09", "d12", "d13", "d133", "d19", "d20", "d21", "d24", "d26", "d28", "d29", "d30"),
    "sport": ("d01", "d05"),
    "culture": ("d45", "d46", "d49", "d54"),
    "monde": ("d114", "d119", "d120", "d122", "d137", "d27", "d51", "d52", "d58"),
    "sciences": ("d125", "d47", "d48", "d53"),
}


def section_of(story: str) -> str:
    prefix = story.split("-", 1)[0]
    return next((name for name, ids in _SECTIONS.items() if prefix in ids), "societe")


def slugify(text: str, *, words: int = 9) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    parts = [p for p in re.split(r"[^a-z0-9]+", plain) if p]
    return "-".join(parts[:words]) or "article"


def arabic_slug(text: str, *, words: int = 7) -> str:
    parts = re.findall(r"[\w]+", text)
    return "-".join(parts[:words])


def _number(ref: str) -> int:
    return 100_000 + int(ref.split("-")[1]) * 37


def article_url(outlet: Outlet, record: dict[str, Any], section: str) -> str:
    published = datetime.fromisoformat(record["published"])
    number, path = _number(record["id"]), templates.SECTION_PATHS[outlet.lang][section]
    day = published.strftime("%Y/%m/%d")
    if outlet.slug == "atlas-matin":
        return f"https://{outlet.host}/{path}/{slugify(record['title'])}-{number}.html"
    if outlet.slug == "echo-de-rabat":
        prefix = "/abonnes" if record["id"] == _PREMIUM_REF else ""
        return f"https://{outlet.host}{prefix}/{day}/{slugify(record['title'])}/"
    if outlet.slug == "atlas-presse":
        return f"https://{outlet.host}/fr/depeches/{path}/{published:%Y%m%d}-{number}.html"
    if outlet.slug == "alatlas-alyoum":
        return f"https://{outlet.host}/{path}/{number}-{quote(arabic_slug(record['title']))}.html"
    return f"https://{outlet.host}/{path}/{published:%Y/%b/%d}/{slugify(record['title'])}".lower()


def image_url(outlet: Outlet, record: dict[str, Any], url: str) -> str | None:
    digest = hashlib.sha1(record["id"].encode()).hexdigest()
    if int(digest[:2], 16) % 10 == 0 and record["story"] != _IMAGE_GROUP_STORY:
        return None  # about one article in ten comes without a picture, as on real sites
    number = _number(record["id"])
    return {
        "atlas-matin": f"https://{outlet.host}/uploads/2024/10/{slugify(record['title'], words=5)}-{number}.jpg",
        "echo-de-rabat": f"https://{outlet.host}/wp-content/uploads/2024/10/{slugify(record['title'], words=6)}.jpg",
        "atlas-presse": f"https://{outlet.host}/photos/2024/10/{number}.jpg",
        "alatlas-alyoum": f"https://{outlet.host}/media/images/2024/10/{number}.jpg",
        "global-desk-news": f"https://media.globaldesknews.com/img/2024/10/{digest[:12]}.jpg?width=1200&quality=80",
    }[outlet.slug]


def _article(outlet: Outlet, record: dict[str, Any]) -> Article:
    section = section_of(record["story"])
    url = article_url(outlet, record, section)
    grouped = record["story"] == _IMAGE_GROUP_STORY and outlet.slug in _IMAGE_GROUP_VARIANTS
    byline = outlet.bylines[int(hashlib.sha1(record["id"].encode()).hexdigest(), 16) % len(outlet.bylines)]
    return Article(
        url=url,
        site=outlet.slug,
        lang=record["lang"],
        title=record["title"],
        html=b"",  # rendered once every article of the outlet is known (ticker, related links)
        published=datetime.fromisoformat(record["published"]),
        description=record["lead"],
        image_url=image_url(outlet, record, url),
        section=section,
        category=templates.LABELS[outlet.lang][section],
        author=byline,
        story=record["story"],
        wire=bool(record.get("wire")),
        origin="clustering",
        ref=record["id"],
        image_group=IMAGE_GROUP if grouped else None,
        image_variant=_IMAGE_GROUP_VARIANTS.get(outlet.slug) if grouped else None,
        disallowed=record["id"] == _PREMIUM_REF,
    )


def _site(outlet: Outlet, records: list[dict[str, Any]]) -> Site:
    kind, path = outlet.feed[0], outlet.feed[1]
    site = Site(
        slug=outlet.slug,
        name=outlet.name,
        host=outlet.host,
        country=outlet.country,
        feeds=[FeedSpec(url=f"https://{outlet.host}{path}", kind=kind)],
        remove_selectors=list(outlet.remove_selectors),
        body_selector=outlet.body_selector,
        description=outlet.description,
        origin="clustering",
        crawl_delay=0.1,
    )
    site.articles = [_article(outlet, r) for r in records]
    if outlet.slug == "echo-de-rabat":
        site.disallow = ["/abonnes/", "/wp-admin/"]
    bodies = {r["id"]: r for r in records}
    for article in site.articles:
        record = bodies[article.ref]
        article.html = templates.render_article(outlet, article, site, lead=record["lead"], body=record["body"])
    return site


def load_fictional_sites(data: Path) -> list[Site]:
    with (data / "dev.jsonl").open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    by_outlet: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        by_outlet.setdefault(record["outlet"], []).append(record)
    return [_site(outlet, by_outlet[outlet.name]) for outlet in OUTLETS]
