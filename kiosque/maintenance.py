"""Keeping SQLite's query planner informed: table statistics (ANALYZE).

Without statistics SQLite's planner guesses, and at 100,000 articles it guessed badly for the portal's pages:
the home page rendered cold in 522 ms and an uncached article page in 198 ms; after ANALYZE, 119 ms and 10 ms
(bench/serve.py's database, same queries). SQLite never gathers statistics by itself, so they are refreshed after
migrations and, by the crawler, at most once an hour while articles arrive. A full ANALYZE took 0.16 s at 100,000
articles (linear in the rows); a sample of 1,000 rows per index (`analysis_limit`) was faster but estimated, for
instance, a thousand articles per story id where most are NULL, and the pages stayed as slow as without
statistics. PostgreSQL's autovacuum keeps its own statistics: nothing to do there.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

log = logging.getLogger(__name__)

ANALYSIS_LIMIT = 0  # 0: every row. Sampling 1,000 rows per index misled the planner (see above)
REFRESH_EVERY = 3600.0  # seconds between two refreshes by one process

_last_refresh: float | None = None
_lock = threading.Lock()


def statistics_refresh(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Gather the planner's statistics now; True when something ran (SQLite), False on other databases."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
    log.info("database statistics refreshed", extra={"seconds": round(time.perf_counter() - started, 3)})
    return True


def statistics_refresh_if_due(using: str = DEFAULT_DB_ALIAS) -> bool:
    """statistics_refresh at most once per REFRESH_EVERY in this process (the first call always runs)."""
    global _last_refresh
    with _lock:
        now = time.monotonic()
        if _last_refresh is not None and now - _last_refresh < REFRESH_EVERY:
            return False
        _last_refresh = now
    return statistics_refresh(using)


def refresh_after_migrate(sender: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """post_migrate receiver: new tables and indexes get statistics before the first page is served."""
    statistics_refresh(using)
