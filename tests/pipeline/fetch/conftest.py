"""Fixtures for the fetch tests (helpers live in fetch_server.py, importable by the test modules)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fetch_server import LocalServer, start_server


@pytest.fixture
def server() -> Iterator[LocalServer]:
    state, stop = start_server()
    try:
        yield state
    finally:
        stop()


@pytest.fixture
def other_server() -> Iterator[LocalServer]:
    state, stop = start_server()
    try:
        yield state
    finally:
        stop()
