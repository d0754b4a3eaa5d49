"""Whole-page caching for anonymous readers, invalidated when the content changes, with ETag/304.

Pages are kept in the shared cache (file or Redis) and, in front of it, in each server process's memory
("pages-local"). They are keyed by the content version (bumped by the write services whenever articles or
images change), the interface language and the full path. The same key is the page's ETag, so a reader's
browser revalidates with one cheap request; a new crawl or a moderation decision changes the version and every
key at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache import cache, caches
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

from kiosque.articles.selectors import content_version

PAGE_TTL = 15 * 60

View = Callable[..., HttpResponseBase]


def page_etag(request: HttpRequest, *, version: str) -> str:
    raw = f"{version}|{get_language()}|{request.get_full_path()}"
    return hashlib.sha1(raw.encode()).hexdigest()


def cached_page(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        tag = page_etag(request, version=content_version())
        etag = f'"{tag}"'
        if etag in request.headers.get("If-None-Match", ""):
            return _revalidated(HttpResponseNotModified(), etag)
        stored = _stored_page(f"page:{tag}")
        if stored is not None:
            content, content_type = stored
            return _revalidated(HttpResponse(content, content_type=content_type), etag)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and isinstance(response, HttpResponse) and not response.cookies:
            page = (response.content, response["Content-Type"])
            cache.set(f"page:{tag}", page, PAGE_TTL)
            caches["pages-local"].set(f"page:{tag}", page, PAGE_TTL)
            _revalidated(response, etag)
        return response

    return wrapper


def _stored_page(key: str) -> tuple[bytes, str] | None:
    """This process's copy, else the shared cache's (then kept here too)."""
    local = caches["pages-local"]
    page: tuple[bytes, str] | None = local.get(key)
    if page is None:
        page = cache.get(key)
        if page is not None:
            local.set(key, page, PAGE_TTL)
    return page


def _revalidated(response: HttpResponseBase, etag: str) -> HttpResponseBase:
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    return response
