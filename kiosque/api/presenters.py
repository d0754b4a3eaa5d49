"""Stored rows shaped as the API's JSON objects (the schemas of the same names in openapi.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.urls import reverse

from kiosque.articles import selectors

if TYPE_CHECKING:
    from kiosque.articles.models import Article, Story
    from kiosque.articles.stories.selectors import StoryView

Absolute = Callable[[str], str]
Payload = dict[str, Any]


def _when(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def image_data(article: Article, absolute: Absolute) -> Payload | None:
    """Our copies of the article's image, or None (no image, or blocked by moderation)."""
    image = selectors.image_for_output(article)
    if image is None:
        return None
    return {
        "id": image.pk,
        "url": absolute(reverse("portal:image", args=[image.pk, "display"])),
        "thumb_url": absolute(reverse("portal:image", args=[image.pk, "thumb"])),
        "width": image.display_width,
        "height": image.display_height,
        "thumb_width": image.thumb_width,
        "thumb_height": image.thumb_height,
        "state": image.state,
    }


def article_data(article: Article, absolute: Absolute) -> Payload:
    source = article.source
    return {
        "id": article.pk,
        "url": absolute(reverse("portal:article", args=[article.pk])),
        "canonical_url": article.canonical_url,
        "title": article.title,
        "lead": article.lead,
        "language": article.language or None,
        "author": article.author or None,
        "published": _when(article.published_at),
        "updated": _when(article.updated_at),
        "source": {
            "slug": source.slug,
            "name": source.name,
            "homepage": source.homepage or None,
            "url": absolute(reverse("portal:source", args=[source.slug])),
        },
        "categories": [{"slug": c.slug, "name": c.name} for c in article.categories.all()],
        "image": image_data(article, absolute),
        "story": article.story_id,
        "wire_of": article.wire_of_id,
        "wire_count": article.wire_count,
    }


def article_detail_data(article: Article, absolute: Absolute, *, excerpt_default: int) -> Payload:
    """An article with the opening paragraphs the source's excerpt policy lets us show."""
    return {**article_data(article, absolute), "excerpt": selectors.article_excerpt(article, default=excerpt_default)}


def source_data(source: Any, absolute: Absolute) -> Payload:
    """A row of `sources_for_output` (annotated with article_count, last_change and output_feeds)."""
    return {
        "slug": source.slug,
        "name": source.name,
        "homepage": source.homepage or None,
        "languages": list(source.languages or []),
        "country": source.country or None,
        "article_count": source.article_count,
        "last_change": _when(source.last_change),
        "url": absolute(reverse("portal:source", args=[source.slug])),
        "feeds": [{"url": feed.url, "kind": feed.kind} for feed in source.output_feeds],
    }


def category_data(category: Any, absolute: Absolute) -> Payload:
    """A row of `categories_for_output` (annotated with article_count and last_change)."""
    return {
        "slug": category.slug,
        "name": category.name,
        "article_count": category.article_count,
        "last_change": _when(category.last_change),
        "url": absolute(reverse("portal:category", args=[category.slug])),
    }


def story_data(story: Story, absolute: Absolute) -> Payload:
    """A story as lists show it: titles per language, counts and dates (its row only)."""
    first = story.first_article
    return {
        "id": story.pk,
        "url": absolute(reverse("portal:story", args=[story.pk])),
        "title": story.title(),
        "titles": {lang: title for lang, title in {**story.titles, **story.edited_titles}.items() if lang},
        "first_published": _when(story.first_published_at),
        "last_published": _when(story.last_published_at),
        "article_count": story.article_count,
        "source_count": story.source_count,
        "languages": dict(story.language_counts),
        "sources": dict(story.source_counts),
        "first_reporter": None if first is None else {"article": first.pk, "source": first.source.slug},
        "pinned": story.pinned,
        "feed": absolute(reverse("syndication:story-atom", args=[story.pk])),
    }


def story_detail_data(view: StoryView, absolute: Absolute) -> Payload:
    """A story with its visible coverage, earliest first, and why each article is in it."""
    return {
        **story_data(view.story, absolute),
        "articles": [
            {**article_data(item.article, absolute), "evidence": _evidence(item)} for item in view.timeline
        ],
    }


def _evidence(item: Any) -> Payload | None:
    link = item.link
    if link is None:
        return None
    return {
        "method": link.method,
        "matched": link.matched_id,
        "score": link.score,
        "similarity": link.similarity,
        "shared_names": list(link.shared_names),
        "shared_numbers": list(link.shared_numbers),
        "wire": link.wire,
    }
