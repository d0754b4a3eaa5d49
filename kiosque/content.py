"""The content version: one token that changes whenever what readers see changes.

Every cached page, feed and API response is keyed by it (portal/caching.py and its siblings), so replacing it
invalidates them all at once. It lives below the apps so that any write path can bump it: the crawler after a
pass, moderation decisions, story edits, and the admin's direct edits of outlets, categories and articles
(content_admin.py).
"""

from __future__ import annotations

import time

from django.core.cache import caches

CONTENT_VERSION_KEY = "kiosque:content-version"


def content_changed() -> None:
    """Invalidate every cached page and feed at once."""
    caches["state"].set(CONTENT_VERSION_KEY, f"t-{time.time_ns()}", None)
