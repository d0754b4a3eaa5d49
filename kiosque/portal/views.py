"""Thin views: read through selectors, render templates."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kiosque.articles import selectors
from kiosque.portal.presenters import excerpt_paragraphs


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"articles": selectors.articles_latest(limit=60)})


@require_GET
def article(request: HttpRequest, article_id: int) -> HttpResponse:
    item = selectors.article_detail(article_id)
    if item is None:
        raise Http404("No such article")
    context = {
        "article": item,
        "paragraphs": excerpt_paragraphs(item, default=settings.KIOSQUE["KIOSQUE_EXCERPT_PARAGRAPHS"]),
        "more_from_source": [a for a in selectors.articles_of_source(item.source, limit=6) if a.pk != item.pk][:5],
    }
    return render(request, "portal/article.html", context)


_VARIANTS = {"display": "display_file", "thumb": "thumb_file"}


@require_GET
def image_file(request: HttpRequest, image_id: int, variant: str) -> FileResponse:
    """Our own copy of a publisher's image (readers never hotlink publishers)."""
    image = selectors.image_by_id(image_id)
    if image is None or variant not in _VARIANTS:
        raise Http404("No such image")
    path = Path(settings.MEDIA_ROOT) / getattr(image, _VARIANTS[variant])
    if not path.is_file():
        raise Http404("Image file missing")
    response = FileResponse(path.open("rb"), content_type=f"image/{path.suffix.lstrip('.')}")
    response["Cache-Control"] = "public, max-age=86400"
    return response
