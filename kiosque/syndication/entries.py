"""One article as every output format shows it, built once per item from a stored article.

Links point to OUR pages and OUR image copies; the publisher's page is only the `canonical_url` extra link, and
the publisher's image URL is never shown. Images go through `selectors.image_for_output` (moderation).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse

from kiosque.articles import selectors

if TYPE_CHECKING:
    from kiosque.articles.models import Article, Image

SITE_NAME = "Kiosque"

# Characters XML 1.0 forbids; Django's XML writer refuses them and lxml raises, so a stray one in a publisher's
# title would break a whole feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

Absolute = Callable[[str], str]


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)


@dataclass(frozen=True)
class OutputImage:
    url: str  # our display copy, absolute
    mime_type: str
    length: int  # bytes of the display file; 0 when the file is missing (RSS's convention for "unknown")
    width: int
    height: int


@dataclass(frozen=True)
class Entry:
    id: int
    title: str
    link: str  # our article page, absolute
    canonical_url: str  # the publisher's page
    lead: str  # plain text
    published: datetime
    updated: datetime
    author: str  # the byline, else the outlet: Atom requires an author on every entry
    categories: tuple[str, ...]
    language: str | None
    source_name: str
    source_feed: str  # our RSS feed of the article's source, absolute
    image: OutputImage | None


def output_image(image: Image, *, absolute: Absolute) -> OutputImage:
    """Our display copy of `image`; type and size as the image view serves the file."""
    path = Path(settings.MEDIA_ROOT) / image.display_file
    try:
        length = path.stat().st_size
    except FileNotFoundError:
        length = 0
    return OutputImage(
        url=absolute(reverse("portal:image", args=[image.pk, "display"])),
        mime_type=f"image/{path.suffix.lstrip('.') or 'jpeg'}",
        length=length,
        width=image.display_width,
        height=image.display_height,
    )


def entry_for(article: Article, *, absolute: Absolute) -> Entry:
    image = selectors.image_for_output(article)
    return Entry(
        id=article.pk,
        title=xml_safe(article.title),
        link=absolute(reverse("portal:article", args=[article.pk])),
        canonical_url=article.canonical_url,
        lead=xml_safe(article.lead),
        published=article.published_at,
        updated=max(article.updated_at, article.published_at),
        author=xml_safe(article.author or article.source.name),
        categories=tuple(xml_safe(c.name) for c in article.categories.all()),
        language=article.language or None,
        source_name=xml_safe(article.source.name),
        source_feed=absolute(reverse("syndication:source-rss", args=[article.source.slug])),
        image=None if image is None else output_image(image, absolute=absolute),
    )
