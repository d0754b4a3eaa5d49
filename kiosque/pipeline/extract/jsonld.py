"""schema.org JSON-LD: the article object's headline, dates, authors, images, sections, keywords.

Hand-written rather than trafilatura's reader because that one fills its own Document (title,
author, sitename, categories) and has no date, image or language; we need the raw fields.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml.html import HtmlElement

__all__ = ["JsonLd", "read_jsonld"]

_ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "askpublicnewsarticle",
        "blogposting",
        "liveblogposting",
        "socialmediaposting",
        "report",
        "scholarlyarticle",
        "techarticle",
        "satiricalarticle",
    }
)
_PAGE_TYPES = frozenset({"webpage", "itempage", "collectionpage", "medicalwebpage"})
_PUBLISHER_TYPES = frozenset({"organization", "newsmediaorganization", "website"})
_CDATA = re.compile(r"^\s*(?://\s*)?(?:<!\[CDATA\[|<!--)|(?://\s*)?(?:\]\]>|-->)\s*$")
_MAX_NODES = 500  # a guard against huge product catalogues shipped as JSON-LD


@dataclass(frozen=True)
class JsonLd:
    headline: str = ""
    description: str = ""
    date_published: str = ""
    date_modified: str = ""
    authors: tuple[str, ...] = ()
    images: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    language: str = ""
    publisher: str = ""
    url: str = ""


def read_jsonld(root: HtmlElement) -> JsonLd:
    """The page's article object merged with its page object (article fields win); empty if none."""
    nodes = list(_nodes(root))
    article = next((n for n in nodes if _types(n) & _ARTICLE_TYPES), None)
    page = next((n for n in nodes if _types(n) & _PAGE_TYPES), None)
    if article is None and page is None:
        return JsonLd()
    merged: dict[str, Any] = {**(page or {}), **(article or {})}
    # Yoast and friends write "author": {"@id": "#/schema/person/..."} and the Person elsewhere.
    index = {node["@id"]: node for node in nodes if isinstance(node.get("@id"), str)}
    publisher = _name(merged.get("publisher")) or next(
        (_name(n) for n in nodes if _types(n) & _PUBLISHER_TYPES and _name(n)), ""
    )
    return JsonLd(
        headline=_string(merged.get("headline")) or _string(merged.get("name")),
        description=_string(merged.get("description")),
        date_published=_string(merged.get("datePublished")) or _string(merged.get("dateCreated")),
        date_modified=_string(merged.get("dateModified")),
        authors=_names(merged.get("author") or merged.get("creator"), index),
        images=_image_urls(merged.get("image") or merged.get("thumbnailUrl")),
        sections=_strings(merged.get("articleSection")),
        keywords=_keywords(merged.get("keywords")),
        language=_language(merged.get("inLanguage")),
        publisher=publisher,
        url=_string(merged.get("url")) or _string(merged.get("mainEntityOfPage")),
    )


def _nodes(root: HtmlElement) -> Iterator[dict[str, Any]]:
    """Every JSON object of every ld+json script, @graph and mainEntity flattened, in page order."""
    count = 0
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(_CDATA.sub("", script.text), strict=False)
        except ValueError:  # broken JSON-LD is common; the page's other metadata still counts
            continue
        stack = [data]
        while stack and count < _MAX_NODES:
            item = stack.pop(0)
            if isinstance(item, list):
                stack[:0] = item
            elif isinstance(item, dict):
                count += 1
                yield item
                stack[:0] = [item[k] for k in ("@graph", "mainEntity") if isinstance(item.get(k), dict | list)]


def _types(node: dict[str, Any]) -> frozenset[str]:
    value = node.get("@type")
    values = value if isinstance(value, list) else [value]
    return frozenset(v.rsplit("/", 1)[-1].lower() for v in values if isinstance(v, str))


def _string(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        return _string(value.get("@id") or value.get("url") or value.get("name"))
    if isinstance(value, list) and value:
        return _string(value[0])
    return ""


def _strings(value: Any) -> tuple[str, ...]:
    values = value if isinstance(value, list) else [value]
    return tuple(s for v in values if isinstance(v, str) and (s := v.strip()))


def _name(value: Any) -> str:
    if isinstance(value, dict):
        return _string(value.get("name"))
    if isinstance(value, list) and value:
        return _name(value[0])
    return ""


def _names(value: Any, index: dict[str, dict[str, Any]]) -> tuple[str, ...]:
    values = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in values:
        if isinstance(item, dict) and "name" not in item:
            item = index.get(str(item.get("@id")), {})
        raw = item.get("name") if isinstance(item, dict) else item
        for name in raw if isinstance(raw, list) else [raw]:
            if isinstance(name, str) and (name := name.strip()) and "://" not in name and name not in names:
                names.append(name)
    return tuple(names)


def _image_urls(value: Any) -> tuple[str, ...]:
    values = value if isinstance(value, list) else [value]
    urls: list[str] = []
    for item in values:
        if isinstance(item, dict):
            url = _string(item.get("url") or item.get("contentUrl"))
        else:
            url = item.strip() if isinstance(item, str) else ""
        if url and url not in urls:
            urls.append(url)
    return tuple(urls)


def _keywords(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(k for part in re.split(r"[,;]", value) if (k := part.strip()))
    return _strings(value)


def _language(value: Any) -> str:
    if isinstance(value, dict):
        return _string(value.get("alternateName") or value.get("name"))
    return _string(value)
