"""The envelope of every API view: methods, CORS, conditional GET, caching and JSON errors.

A view decorated with `api_view` takes the request and returns the JSON-ready payload, or raises `ApiError`.
- GET and HEAD answer with `Access-Control-Allow-Origin: *`, an ETag and a Last-Modified; a matching
  If-None-Match / If-Modified-Since gets a 304. OPTIONS answers CORS preflights. Other methods get a JSON 405
  without CORS headers: cross-origin pages may read, nothing else.
- Validators and the cache follow the content version exactly as syndication.http does (see its docstring):
  a payload is valid for as long as the version it was built under.

CORS by hand rather than django-cors-headers: the policy is one fixed rule on one URL prefix (any origin, read
methods, no credentials), which is a few header lines, not a middleware with settings.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt

from kiosque.articles.selectors import content_version

CACHE_TTL = 15 * 60
JSON = "application/json"
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Last-Modified",
}
PREFLIGHT = {
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, Content-Type, If-None-Match, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}

Payload = dict[str, Any]


class ApiError(Exception):
    """An answer other than 200, with a machine-readable code and a message a person can read."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error_response(status: int, code: str, message: str) -> HttpResponse:
    body = json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False)
    return HttpResponse(body, status=status, content_type=JSON)


def api_view(view: Callable[..., Payload]) -> Callable[..., HttpResponseBase]:
    @csrf_exempt  # read-only: every unsafe method is refused below, with a JSON 405 instead of the CSRF page
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method == "OPTIONS":
            return _with(HttpResponse(status=204), {**CORS, **PREFLIGHT})
        if request.method not in ("GET", "HEAD"):
            message = f"{request.method} is not allowed: the API is read-only."
            response = error_response(405, "method_not_allowed", message)
            response["Allow"] = "GET, HEAD, OPTIONS"
            return response
        etag, last_modified = _validators(request)
        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is not None:
            return _with(_stamp(not_modified, etag, last_modified), CORS)
        key = f"api:response:{etag.strip(chr(34))}"
        body = cache.get(key)
        if body is None:
            try:
                payload = view(request, *args, **kwargs)
            except ApiError as error:
                return _with(error_response(error.status, error.code, error.message), CORS)
            body = json.dumps(payload, ensure_ascii=False).encode()
            cache.set(key, body, CACHE_TTL)
        return _with(_stamp(HttpResponse(body, content_type=JSON), etag, last_modified), CORS)

    return wrapper


def _validators(request: HttpRequest) -> tuple[str, int]:
    version = content_version()
    tag = hashlib.sha1(f"{version}|{request.build_absolute_uri()}".encode()).hexdigest()
    first_seen = cache.get_or_set(f"api:seen:{version}", lambda: int(time.time()), 24 * 3600)
    return f'"{tag}"', int(first_seen)


def _stamp(response: HttpResponseBase, etag: str, last_modified: int) -> HttpResponseBase:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    return response


def _with(response: HttpResponseBase, headers: dict[str, str]) -> HttpResponseBase:
    for name, value in headers.items():
        response[name] = value
    return response
