from __future__ import annotations

import uuid

import pytest

from tests.syndication.builders import Corpus, build_corpus


@pytest.fixture(autouse=True)
def fresh_cache(settings):  # type: ignore[no-untyped-def]
    """A cache of this test's own: the content version and cached responses never leak between tests."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
    }


@pytest.fixture
def corpus(db, media_root) -> Corpus:  # type: ignore[no-untyped-def]
    return build_corpus()
