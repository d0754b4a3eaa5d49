"""Thin views: parse the request, read through selectors, render a template."""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from kiosque.articles import selectors
from kiosque.articles.search import search_articles
from kiosque.articles.stories import selectors as story_selectors
from kiosque.portal.caching import cached_page
from kiosque.portal.forms import SearchForm
from kiosque.portal.presenters import excerpt_paragraphs
from kiosque.sources import selectors as source_selectors

PER_PAGE = 20
LANGUAGES = ("fr", "ar", "en")


def _content_language(request: HttpRequest) -> str | None:
    lang = request.GET.get("lang")
    return lang if lang in LANGUAGES else None


def _page(request: HttpRequest, items: Any) -> Page:
    return Paginator(items, PER_PAGE).get_page(request.GET.get("page"))


def _render(request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    # Lazy: the template calls it only when its cached fragment (per content version and language) is missing.
    context.setdefault("ticker", partial(selectors.ticker_headlines, limit=50))
    context.setdefault("content_version", selectors.content_version())
    context.setdefault("content_language", _content_language(request))
    return render(request, f"portal/{template}", context, status=status)


@require_GET
@cached_page
def home(request: HttpRequest) -> HttpResponse:
    lang = _content_language(request)
    context = {
        "top_stories": story_selectors.top_stories(limit=6, language=lang, interface=get_language()),
        "latest": selectors.articles_latest(limit=12, language=lang),
        "by_category": selectors.latest_by_category(language=lang),
        "by_source": selectors.latest_by_source(language=lang),
    }
    return _render(request, "home.html", context)


@require_GET
@cached_page
def article(request: HttpRequest, article_id: int) -> HttpResponse:
    item = selectors.article_detail(article_id)
    if item is None:
        raise Http404("No such article")
    context = {
        "article": item,
        "paragraphs": excerpt_paragraphs(item, default=settings.KIOSQUE["KIOSQUE_EXCERPT_PARAGRAPHS"]),
        "more_from_source": [a for a in selectors.articles_of_source(item.source, limit=6) if a.pk != item.pk][:5],
        "coverage": story_selectors.article_coverage(item),
    }
    return _render(request, "article.html", context)


@require_GET
@cached_page
def story(request: HttpRequest, story_id: int) -> HttpResponseBase:
    """All coverage of one event; a story merged into another leads there."""
    found = story_selectors.story_by_id(story_id)
    live = story_selectors.story_live(found) if found is not None else None
    if live is None:
        raise Http404("No such story")
    if live.pk != story_id:
        return redirect("portal:story", story_id=live.pk, permanent=True)
    view = story_selectors.story_detail(live)
    return _render(request, "story.html", {"view": view, "story": live, "title": live.title(get_language())})


@require_GET
@cached_page
def source(request: HttpRequest, slug: str) -> HttpResponse:
    outlet = source_selectors.source_by_slug(slug)
    if outlet is None:
        raise Http404("No such source")
    page = _page(request, selectors.articles_of_source_qs(outlet))
    return _render(request, "source.html", {"source": outlet, "page": page})


@require_GET
@cached_page
def category(request: HttpRequest, slug: str) -> HttpResponse:
    found = selectors.category_by_slug(slug)
    if found is None:
        raise Http404("No such category")
    page = _page(request, selectors.articles_of_category(found))
    return _render(request, "category.html", {"category": found, "page": page})


@require_GET
@cached_page
def archive(request: HttpRequest) -> HttpResponse:
    return _render(request, "archive.html", {"days": selectors.archive_days()})


@require_GET
@cached_page
def archive_day(request: HttpRequest, year: int, month: int, day: int) -> HttpResponse:
    try:
        when = date(year, month, day)
    except ValueError as error:
        raise Http404("No such date") from error
    page = _page(request, selectors.articles_on_day(when))
    return _render(request, "archive_day.html", {"day": when, "page": page})


@require_GET
@cached_page
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None, sources=source_selectors.source_choices())
    context: dict[str, Any] = {"form": form, "results": None}
    if form.is_valid() and form.cleaned_data["q"]:
        data = form.cleaned_data
        number = max(1, data.get("page") or 1)
        found = search_articles(
            data["q"],
            language=data["lang"] or None,
            source_id=_source_id(data["source"]),
            since=form.since(),
            until=form.until(),
            limit=PER_PAGE,
            offset=(number - 1) * PER_PAGE,
        )
        context.update(
            results=selectors.articles_by_ids(found.article_ids),
            total=found.total,
            number=number,
            has_next=number * PER_PAGE < found.total,
            query_string=form.query_string(),
        )
    return _render(request, "search.html", context)


def _source_id(slug: str) -> int | None:
    outlet = source_selectors.source_by_slug(slug) if slug else None
    return outlet.pk if outlet else None


@require_GET
@cached_page
def sources_page(request: HttpRequest) -> HttpResponse:
    return _render(request, "sources.html", {"sources": source_selectors.sources_with_counts()})


@require_GET
def ticker_json(request: HttpRequest) -> JsonResponse:
    """The ticker's headlines, for refreshing it without reloading the page."""
    items = [
        {
            "title": a.title,
            "source": a.source.name,
            "language": a.language,
            "url": reverse("portal:article", args=[a.pk]),
            "more_sources": a.wire_count,  # other outlets carrying the same agency dispatch
        }
        for a in selectors.ticker_headlines(limit=50)
    ]
    response = JsonResponse({"items": items})
    response["Cache-Control"] = "public, max-age=30"
    return response


_VARIANTS = {"display": "display_file", "thumb": "thumb_file"}
_HIDDEN_IMAGE = Path(__file__).resolve().parent / "static" / "portal" / "image-hidden.svg"


@require_GET
def image_file(request: HttpRequest, image_id: int, variant: str) -> HttpResponseBase:
    """Our own copy of a publisher's image (readers never hotlink publishers). A blocked image is gone (410)
    for everyone, with a neutral placeholder as the body so an old page or feed reader shows that rather
    than a broken image; moderators see the picture in the admin."""
    image = selectors.image_by_id(image_id)
    if image is None or variant not in _VARIANTS:
        raise Http404("No such image")
    if image.is_blocked:
        gone = HttpResponse(_HIDDEN_IMAGE.read_bytes(), status=410, content_type="image/svg+xml")
        gone["Cache-Control"] = "no-store"
        return gone
    path = Path(settings.MEDIA_ROOT) / getattr(image, _VARIANTS[variant])
    if not path.is_file():
        raise Http404("Image file missing")
    response = FileResponse(path.open("rb"), content_type=f"image/{path.suffix.lstrip('.')}")
    # An hour, not a day: a block must also reach the copies shared caches keep (they revalidate after this).
    response["Cache-Control"] = "public, max-age=3600"
    return response
