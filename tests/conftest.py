"""Shared fixtures: a replay server of the bundled demo snapshot, and crawl options routed to it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session")
def replay_server() -> Iterator[object]:
    from kiosque.demo.replay import ReplayServer

    with ReplayServer() as server:
        yield server


@pytest.fixture
def replay(replay_server: object) -> Iterator[object]:
    """The session's replay server with no faults left over from another test."""
    replay_server.clear_faults()  # type: ignore[attr-defined]
    yield replay_server
    replay_server.clear_faults()  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def fresh_caches(settings):  # type: ignore[no-untyped-def]
    """Caches of this test's own: the content version and cached pages never leak between tests."""
    settings.CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
        for alias in ("default", "state", "pages-local")
    }


@pytest.fixture
def media_root(tmp_path, settings):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
