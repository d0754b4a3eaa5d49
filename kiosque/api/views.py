"""API v1 endpoints: parse the parameters, read through the selectors, shape with the presenters."""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.http import urlencode

from kiosque.api import params
from kiosque.api.http import ApiError, Payload, api_view
from kiosque.api.openapi import document
from kiosque.api.presenters import (
    article_data,
    article_detail_data,
    category_data,
    source_data,
    story_data,
    story_detail_data,
)
from kiosque.articles import selectors
from kiosque.articles.search import search_articles
from kiosque.articles.stories import selectors as story_selectors
from kiosque.sources import selectors as source_selectors

SEARCH_PER_PAGE = 20


def _with_params(request: HttpRequest, **changes: Any) -> str:
    """This request's absolute URL with some query parameters replaced."""
    query = request.GET.copy()
    for name, value in changes.items():
        query[name] = str(value)
    return request.build_absolute_uri(f"{request.path}?{urlencode(sorted(query.lists()), doseq=True)}")


def _source(slug: str | None) -> Any:
    if not slug:
        return None
    source = source_selectors.source_by_slug(slug)
    if source is None:
        raise params.invalid("source", f"no source with slug {slug!r}")
    return source


def _category(slug: str | None) -> Any:
    if slug and selectors.category_by_slug(slug) is None:
        raise params.invalid("category", f"no category with slug {slug!r}")
    return slug or None


@api_view
def article_list(request: HttpRequest) -> Payload:
    """Newest first, by cursor. With `q`: the newest of the 1,000 best full-text matches."""
    query = request.GET
    limit, before = params.limit_param(query), params.cursor_param(query)
    language, since = params.language_param(query, "language"), params.datetime_param(query, "since")
    text, source = params.text_param(query, "q"), _source(query.get("source"))
    category = _category(query.get("category"))
    source_id = source.pk if source else None
    ids = None if text is None else selectors.article_ids_matching(text, language=language, source_id=source_id)
    rows = list(
        selectors.articles_for_output(language=language, source_slug=source and source.slug,
                                      category_slug=category, since=since, ids=ids, before=before)[: limit + 1]
    )
    more, rows = len(rows) > limit, rows[:limit]
    cursor = params.encode_cursor(rows[-1].published_at, rows[-1].pk) if more else None
    return {
        "items": [article_data(a, request.build_absolute_uri) for a in rows],
        "limit": limit,
        "next": _with_params(request, cursor=cursor) if cursor else None,
    }


@api_view
def article_detail(request: HttpRequest, article_id: int) -> Payload:
    article = selectors.article_detail(article_id)
    if article is None:
        raise ApiError(404, "not_found", f"No article {article_id}.")
    default = settings.KIOSQUE["KIOSQUE_EXCERPT_PARAGRAPHS"]
    return article_detail_data(article, request.build_absolute_uri, excerpt_default=default)


@api_view
def story_list(request: HttpRequest) -> Payload:
    """Stories, the most recently covered first, by cursor."""
    query = request.GET
    limit, before = params.limit_param(query), params.cursor_param(query)
    language = params.language_param(query, "language")
    rows = list(story_selectors.stories_for_output(language=language, before=before)[: limit + 1])
    more, rows = len(rows) > limit, rows[:limit]
    last = rows[-1] if rows else None
    cursor = params.encode_cursor(last.last_published_at, last.pk) if more and last and last.last_published_at else None
    return {
        "items": [story_data(s, request.build_absolute_uri) for s in rows],
        "limit": limit,
        "next": _with_params(request, cursor=cursor) if cursor else None,
    }


@api_view
def story_detail(request: HttpRequest, story_id: int) -> Payload:
    found = story_selectors.story_by_id(story_id)
    story = story_selectors.story_live(found) if found is not None else None
    if story is None:
        raise ApiError(404, "not_found", f"No story {story_id}.")
    view = story_selectors.story_detail(story, with_categories=True)
    return story_detail_data(view, request.build_absolute_uri)


@api_view
def source_list(request: HttpRequest) -> Payload:
    return {"items": [source_data(s, request.build_absolute_uri) for s in source_selectors.sources_for_output()]}


@api_view
def category_list(request: HttpRequest) -> Payload:
    return {"items": [category_data(c, request.build_absolute_uri) for c in selectors.categories_for_output()]}


@api_view
def search(request: HttpRequest) -> Payload:
    """Best matches first, by page, with the total."""
    query = request.GET
    text, page = params.text_param(query, "q", required=True), params.page_param(query)
    language, source = params.language_param(query, "lang"), _source(query.get("source"))
    since, until = params.datetime_param(query, "since"), params.datetime_param(query, "until")
    found = search_articles(text or "", language=language, source_id=source.pk if source else None, since=since,
                            until=until, limit=SEARCH_PER_PAGE, offset=(page - 1) * SEARCH_PER_PAGE)
    pages = math.ceil(found.total / SEARCH_PER_PAGE)
    rows = selectors.articles_for_output_by_ids(found.article_ids)
    return {
        "query": text,
        "total": found.total,
        "page": page,
        "per_page": SEARCH_PER_PAGE,
        "pages": pages,
        "next": _with_params(request, page=page + 1) if page < pages else None,
        "previous": _with_params(request, page=page - 1) if page > 1 else None,
        "items": [article_data(a, request.build_absolute_uri) for a in rows],
    }


@api_view
def openapi(request: HttpRequest) -> Payload:
    return document()


@api_view
def not_found(request: HttpRequest, rest: str = "") -> Payload:
    raise ApiError(404, "not_found", f"No API endpoint at {request.path}.")
