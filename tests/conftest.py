"""Shared fixtures: a replay server of the bundled demo snapshot, and crawl options routed to it."""

from __future__ import annotations

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


@pytest.fixture
def media_root(tmp_path, settings):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
