"""Page metadata read from the raw tree: <meta> tags, JSON-LD, <link rel=canonical>, <html lang>.

Read before any cleaning so that nothing the boilerplate pass removes can hide a field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from lxml.html import HtmlElement
from trafilatura.metadata import extract_author

from .dates import DATE_META_KEYS, page_date
from .dom import absolute_http_url, article_container
from .jsonld import JsonLd, read_jsonld
from .titles import clean_title, first_h1, names_site, site_labels

__all__ = ["MetaTags", "PageMeta", "normalise_language", "read_metadata"]

_MAX_CATEGORIES = 12
_MAX_CATEGORY_CHARS = 60
_MAX_AUTHOR_CHARS = 120
_BYLINE_PREFIX = re.compile(r"^\s*(?:by|par|de|von|por|بقلم|كتب|كتبت)\s*:?\s+", re.IGNORECASE)
_LANGUAGE = re.compile(r"^([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]+)*$")
_THREE_LETTER = {"fra": "fr", "fre": "fr", "ara": "ar", "eng": "en", "deu": "de", "ger": "de", "spa": "es"}
_SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)+$")  # "article-payant-classique": a CMS flag, not a topic
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\$\{.*?\}")  # unrendered AngularJS/Vue/JS template expressions


class MetaTags:
    """All <meta> values by lower-cased property/name/itemprop/http-equiv, in page order."""

    def __init__(self, root: HtmlElement) -> None:
        self._values: dict[str, list[str]] = {}
        for meta in root.iter("meta"):
            content = " ".join((meta.get("content") or "").split())
            if not content or _TEMPLATE.search(content):
                continue
            for attr in ("property", "name", "itemprop", "http-equiv"):
                key = (meta.get(attr) or "").strip().lower()
                if key:
                    self._values.setdefault(key, []).append(content)

    def first(self, *keys: str) -> str:
        return next((values[0] for key in keys if (values := self._values.get(key))), "")

    def every(self, *keys: str) -> list[str]:
        return [value for key in keys for value in self._values.get(key, ())]


@dataclass(frozen=True)
class PageMeta:
    title: str = ""
    description: str = ""
    author: str = ""
    published: datetime | None = None
    image_candidates: tuple[str, ...] = ()  # og:image, twitter:image, JSON-LD image, as written
    canonical_url: str | None = None
    language: str | None = None
    categories: tuple[str, ...] = ()
    site_name: str = ""


def read_metadata(root: HtmlElement, *, page_url: str, base: str) -> PageMeta:
    tags = MetaTags(root)
    ld = read_jsonld(root)
    site_name = tags.first("og:site_name") or ld.publisher or tags.first("application-name")
    canonical = _canonical(root, tags, base=base, page_url=page_url)
    return PageMeta(
        title=_title(root, tags, ld, site_name=site_name, url=canonical or page_url),
        description=tags.first("og:description", "description", "twitter:description") or ld.description,
        author=_author(root, tags, ld, site=site_labels([site_name, ld.publisher], "")),
        published=page_date(root, declared=[ld.date_published, *tags.every(*DATE_META_KEYS)], url=page_url),
        image_candidates=tuple(
            tags.every("og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src")
        )
        + ld.images,
        canonical_url=canonical,
        language=_language(root, tags, ld),
        categories=_categories(tags, ld),
        site_name=site_name,
    )


def _title(root: HtmlElement, tags: MetaTags, ld: JsonLd, *, site_name: str, url: str) -> str:
    h1 = first_h1(root)
    title_element = root.find("head/title")
    page_title = " ".join(title_element.text_content().split()) if title_element is not None else ""
    raw = tags.first("og:title", "twitter:title") or ld.headline or page_title or h1
    if not raw:
        return ""
    labels = site_labels([site_name, tags.first("application-name")], url)
    # The on-page headline wins over a rewritten social title when the <title> confirms it.
    if h1 and page_title and raw != page_title and clean_title(page_title, labels=labels, h1=h1) == h1:
        return h1
    return clean_title(raw, labels=labels, h1=h1)


def _author(root: HtmlElement, tags: MetaTags, ld: JsonLd, *, site: frozenset[str]) -> str:
    candidates = list(ld.authors) or tags.every(
        "author", "article:author", "parsely-author", "dc.creator", "byl", "sailthru.author", "citation_author"
    )
    names: list[str] = []
    for candidate in candidates:
        name = _BYLINE_PREFIX.sub("", candidate).strip(" ,;")
        if name and "://" not in name and not name.startswith("@") and name not in names:
            names.append(name)
    # The outlet's own name in the author slot often means "no byline declared": look for one on
    # the page, and keep the outlet only if there is none.
    if not names or all(names_site(name, site) for name in names):
        names = _byline(root) or names
    author = ", ".join(names)
    return author if len(author) <= _MAX_AUTHOR_CHARS else ""


def _byline(root: HtmlElement) -> list[str]:
    """trafilatura's byline XPaths, on the article container only: they copy and search what they
    are given (16 ms on a whole page). On trafilatura-eval this finds as many authors as a
    whole-page search once the container is the <article> holding the <h1> or <main>."""
    container = article_container(root)
    found = extract_author(container) if container is not None else None
    return [found] if found else []


def _canonical(root: HtmlElement, tags: MetaTags, *, base: str, page_url: str) -> str | None:
    candidates = [
        link.get("href")
        for link in root.iter("link")
        if "canonical" in (link.get("rel") or "").lower().split() and not _TEMPLATE.search(link.get("href") or "")
    ]
    candidates.append(tags.first("og:url"))
    page_path = urlsplit(page_url).path.strip("/") if page_url else ""
    for candidate in candidates:
        url = absolute_http_url(candidate, base)
        # A canonical pointing at the site's home page from an article is a template bug.
        if url and (urlsplit(url).path.strip("/") or not page_path):
            return url
    return page_url or None


def normalise_language(value: str) -> str | None:
    """ "fr-FR", "ar_MA", "fra" -> "fr", "ar", "fr"; None for anything that is not a language tag."""
    match = _LANGUAGE.match(value.strip())
    if not match:
        return None
    code = match.group(1).lower()
    return code if len(code) == 2 else _THREE_LETTER.get(code)


def _language(root: HtmlElement, tags: MetaTags, ld: JsonLd) -> str | None:
    declared = [
        root.get("lang") or "",
        root.get("xml:lang") or "",  # the HTML parser keeps the prefix as part of the name
        tags.first("og:locale"),
        tags.first("content-language"),
        tags.first("language", "dc.language"),
        ld.language,
    ]
    return next((code for value in declared if value and (code := normalise_language(value))), None)


def _categories(tags: MetaTags, ld: JsonLd) -> tuple[str, ...]:
    """Sections first, then keywords; comma lists split, duplicates and CMS slugs dropped."""
    raw = [
        *tags.every("article:section"),
        *ld.sections,
        *tags.every("news_keywords", "keywords", "article:tag"),
        *ld.keywords,
    ]
    seen: dict[str, str] = {}
    for value in (part for item in raw for part in item.split(",")):
        value = " ".join(value.split()).strip(" ;")
        key = value.casefold()
        if value and len(value) <= _MAX_CATEGORY_CHARS and key not in seen and not _SLUG.match(value):
            seen[key] = value
    return tuple(seen.values())[:_MAX_CATEGORIES]
