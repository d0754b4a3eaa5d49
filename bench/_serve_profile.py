"""Queries behind one page render, in-process (Django's test client, the page cache emptied first).

    pages_profile(paths) -> dict[name, {"status", "queries", "sql_ms", "render_ms", "slowest": [(ms, sql)]}]

Not the figure of merit (the load runs are): this says WHERE an uncached page spends its time, to point at a
slow query or an N+1 precisely.
"""

from __future__ import annotations

import time
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kiosque.articles.services import content_changed

__all__ = ["pages_profile"]


def pages_profile(paths: dict[str, str], *, repeat: int = 3) -> dict[str, dict[str, Any]]:
    client = Client(SERVER_NAME="127.0.0.1", raise_request_exception=False)  # a 500 is reported
    client.get("/static/portal/kiosque.css")  # imports and URL resolvers loaded before timing
    report: dict[str, dict[str, Any]] = {}
    for name, path in paths.items():
        runs = []
        for _ in range(repeat):
            content_changed()  # what a crawl pass does: every cached page is stale
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(path)
                render_ms = (time.perf_counter() - started) * 1000
            runs.append((render_ms, response.status_code, captured.captured_queries))
        render_ms, status, queries = sorted(runs, key=lambda r: r[0])[len(runs) // 2]  # the median run
        timed = sorted(((float(q["time"]) * 1000, q["sql"]) for q in queries), reverse=True)
        report[name] = {
            "status": status, "queries": len(queries), "render_ms": round(render_ms, 1),
            "sql_ms": round(sum(ms for ms, _ in timed), 1),
            "slowest": [(round(ms, 1), sql[:400]) for ms, sql in timed[:3]],
        }
    return report
