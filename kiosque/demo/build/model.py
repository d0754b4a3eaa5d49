"""In-memory model of the snapshot while it is being built (sites, articles, feeds, files)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

__all__ = ["BUILD_EPOCH", "Article", "FeedSpec", "File", "Site"]

# Fallback Last-Modified for files with no date of their own (robots.txt, undated pages):
# a fixed instant keeps the build reproducible.
BUILD_EPOCH = datetime(2024, 10, 25, 6, 0, tzinfo=UTC)


@dataclass
class Article:
    url: str
    site: str  # site slug
    lang: str
    title: str
    html: bytes
    published: datetime | None = None
    description: str = ""
    image_url: str | None = None
    section: str = ""  # section key ("economie"), fictional outlets only
    category: str = ""  # the section as the outlet prints it ("Économie", "اقتصاد", "Business")
    author: str = ""
    story: str | None = None
    wire: bool = False
    origin: str = "replay"  # "replay" (real page) or "clustering" (fictional outlet)
    ref: str = ""  # replay file or clustering id
    image_group: str | None = None
    image_variant: str | None = None  # "same" (identical bytes) or "resized"
    disallowed: bool = False  # under a path the host's robots.txt forbids


@dataclass
class FeedSpec:
    url: str
    kind: str  # rss | atom | rdf | jsonfeed | sitemap | listing
    listing_selector: str | None = None
    encoding: str = "utf-8"
    xml_prolog: bool = True  # False: the charset is only in the HTTP header


@dataclass
class Site:
    slug: str
    name: str
    host: str
    country: str
    feeds: list[FeedSpec]
    articles: list[Article] = field(default_factory=list)
    remove_selectors: list[str] = field(default_factory=list)
    body_selector: str | None = None
    description: str = ""
    disallow: list[str] = field(default_factory=list)  # robots.txt Disallow lines
    crawl_delay: float | None = None
    origin: str = "replay"

    @property
    def homepage(self) -> str:
        return f"https://{self.host}/"

    @property
    def languages(self) -> list[str]:
        counts: dict[str, int] = {}
        for article in self.articles:
            counts[article.lang] = counts.get(article.lang, 0) + 1
        return sorted(counts, key=lambda lang: (-counts[lang], lang))

    def newest_first(self) -> list[Article]:
        floor = datetime.min.replace(tzinfo=UTC)
        return sorted(self.articles, key=lambda a: (a.published or floor, a.url), reverse=True)


@dataclass
class File:
    url: str
    body: bytes
    content_type: str
    last_modified: datetime
