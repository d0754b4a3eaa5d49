"""Thin views over `moderation.services.image_report`.

- `report_page` (GET/POST /images/<id>/report/, in every interface language): the report form. Without
  JavaScript it is a page of its own: the portal's pages are cached whole, so they can carry no CSRF token
  and link here instead. With JavaScript, portal/report.js fetches the same form as a fragment
  (?fragment=1) and posts it in place asking for JSON. Never cached; CSRF-checked like any form.
- `report_api` (POST /api/images/<id>/report): the same report for API clients, JSON in and out. It is exempt
  from Django's CSRF check (API clients have no CSRF cookie) but accepts only application/json bodies, which
  a cross-site page cannot send without a CORS preflight that we never grant, and refuses requests the
  browser marks cross-site: a page elsewhere cannot make its visitors report our images.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from kiosque.articles.models import Image, ImageState
from kiosque.moderation import selectors, services
from kiosque.moderation.forms import ReportForm
from kiosque.moderation.reporters import remember_reporter, reporter_from_request

PLACEHOLDER = "portal/image-hidden.svg"


@never_cache
@require_http_methods(["GET", "POST"])
def report_page(request: HttpRequest, image_id: int) -> HttpResponse:
    image = selectors.image_for_report(image_id)
    if image is None:
        raise Http404("No such image")
    # Ids unique per image: several cards of one page may have their forms open at once.
    form = ReportForm(request.POST if request.method == "POST" else None, auto_id=f"report-{image.pk}-%s")
    if request.method == "POST" and form.is_valid():
        return _report(request, image, form.cleaned_data["reason"])
    template = "moderation/report_form.html" if request.GET.get("fragment") == "1" else "moderation/report.html"
    context = {"image": image, "form": form, "article_id": _article_id(request)}
    return render(request, template, context, status=400 if form.errors else 200)


def _report(request: HttpRequest, image: Image, reason: str) -> HttpResponse:
    reporter, token = reporter_from_request(request)
    status, retry_after = 200, 0
    try:
        result = services.image_report(image_id=image.pk, reporter=reporter, reason=reason)
        payload = _payload(image.pk, result)
    except services.ReportRateLimited as exc:
        status, retry_after = 429, exc.retry_after
        payload = {"image": image.pk, "status": "rate_limited", "state": image.state,
                   "message": _("You have sent many reports: please try again later.")}
    if "application/json" in request.headers.get("Accept", ""):
        response: HttpResponse = JsonResponse(payload, status=status)
    else:
        context = {"image": image, "message": payload["message"], "article_id": _article_id(request),
                   "blocked": payload["state"] == ImageState.BLOCKED}
        response = render(request, "moderation/report_done.html", context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    remember_reporter(response, request, token)
    return response


@csrf_exempt
@never_cache
@require_POST
def report_api(request: HttpRequest, image_id: int) -> HttpResponseBase:
    if request.content_type != "application/json":
        return _error(415, "unsupported_media_type", 'Send the report as application/json, e.g. {"reason": "other"}.')
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return _error(403, "cross_site", "Reports from another site's pages are refused.")
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return _error(400, "invalid_json", "The body is not JSON.")
    reason = (body.get("reason") or "") if isinstance(body, dict) else None
    if not isinstance(reason, str):
        return _error(400, "invalid_body", 'Expected an object such as {"reason": "other"} (the reason is optional).')
    reporter, token = reporter_from_request(request)
    try:
        result = services.image_report(image_id=image_id, reporter=reporter, reason=reason)
    except services.ImageNotFound:
        return _error(404, "not_found", f"There is no image {image_id}.")
    except services.ReportRateLimited as exc:
        response = _error(429, "rate_limited", str(exc))
        response["Retry-After"] = str(exc.retry_after)
        return response
    except services.ReportRefused as exc:
        return _error(400, "invalid_reason", str(exc))
    response = JsonResponse(_payload(image_id, result))
    remember_reporter(response, request, token)
    return response


def _payload(image_id: int, result: services.ReportResult) -> dict[str, Any]:
    if result.blocked:
        message = _("Thank you for reporting! This image is now hidden.")
    elif result.status == services.ReportStatus.ALREADY_REPORTED:
        message = _("You have already reported this image. Thank you!")
    else:
        message = _("Thank you for reporting! This image will be blocked automatically once several people "
                    "have reported it.")
    return {"image": image_id, "status": str(result.status), "state": result.image_state, "message": message,
            "placeholder": static(PLACEHOLDER)}


def _article_id(request: HttpRequest) -> int | None:
    """The article the reader came from, for the link back (an id, never a URL: no open redirect)."""
    raw = request.GET.get("article", "")
    return int(raw) if raw.isdigit() else None


def _error(status: int, code: str, message: str) -> HttpResponse:
    # The shape of kiosque.api's errors, so clients handle one format.
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)
