"""One writer at a time per process on SQLite, queued in Python rather than by SQLite's busy handler.

SQLite lets one write transaction run at a time. A thread that finds the database locked is put to sleep by
SQLite's busy handler in steps of 1, 2, 5, 10, 15, 20, 25 ... ms before it retries, so the crawler's threads,
which write a few times per article, lost milliseconds per write sleeping while the lock was long free
(bench/ingest.py). Under this lock they queue on a Python lock instead and start as soon as the writer before
them is done. Writers in other processes (the web server's image reports, other crawler processes) still meet
SQLite's busy timeout as before. PostgreSQL locks rows, not the database: there nothing is serialised.

Only the outermost block takes the lock: inside a transaction the connection may already hold SQLite's write
lock (IMMEDIATE transactions), and waiting there for a thread that waits for SQLite would deadlock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections

_LOCK = threading.RLock()


@contextmanager
def serialized_writes(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    connection = connections[using]
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with _LOCK:
        yield
