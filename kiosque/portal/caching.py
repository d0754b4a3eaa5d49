"""Whole-page caching for anonymous readers, invalidated when the content changes, with ETag/304.

Pages are keyed by the content version (bumped by the write services whenever articles or images change),
the interface language and the full path. The same key is the page's ETag, so a reader's browser revalidates
with one cheap request; a new crawl or a moderation decision changes the version and every key at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache import cache
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
        stored = cache.get(f"page:{tag}")
        if stored is not None:
            content, content_type = stored
            return _revalidated(HttpResponse(content, content_type=content_type), etag)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and isinstance(response, HttpResponse) and not response.cookies:
            cache.set(f"page:{tag}", (response.content, response["Content-Type"]), PAGE_TTL)
            _revalidated(response, etag)
        return response

    return wrapper


def _revalidated(response: HttpResponseBase, etag: str) -> HttpResponseBase:
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    return response
