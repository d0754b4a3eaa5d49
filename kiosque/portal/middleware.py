"""Content-Security-Policy on every response.

Django 5.2 has no CSP support of its own (6.0 adds it) and django-csp would be a dependency for one header,
so this sets it directly: only our own scripts, styles and images; no inline script anywhere on the portal.
The admin keeps Django's inline styles.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

PORTAL_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'; form-action 'self'"
)
ADMIN_POLICY = PORTAL_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        policy = ADMIN_POLICY if request.path.startswith("/admin/") else PORTAL_POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        return response
