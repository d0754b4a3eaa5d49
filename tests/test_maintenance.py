"""The planner's statistics: gathered after migrations and, at most hourly, after crawl passes."""

from __future__ import annotations

import pytest
from django.db import connection

from kiosque import maintenance
from tests.factories import make_article, make_source

pytestmark = pytest.mark.django_db


def _stat_tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        return {row[0] for row in cursor.fetchall()}


def test_statistics_are_gathered_on_sqlite_only():
    outlet = make_source("Le Matin", slug="le-matin")
    for i in range(3):
        make_article(outlet, title=f"Titre {i}")
    ran = maintenance.statistics_refresh()
    assert ran == (connection.vendor == "sqlite")
    if ran:
        assert {"articles_article", "sources_source"} <= _stat_tables()


def test_migrate_refreshes_the_statistics(monkeypatch):
    from django.core.management import call_command

    calls: list[str] = []
    monkeypatch.setattr(maintenance, "statistics_refresh", lambda using="default": calls.append(using) or True)
    call_command("migrate", verbosity=0)  # nothing to apply: post_migrate is sent all the same
    assert calls == ["default"]


def test_refresh_if_due_runs_at_most_once_per_interval(monkeypatch):
    calls: list[str] = []
    monkeypatch.setattr(maintenance, "statistics_refresh", lambda using="default": calls.append(using) or True)
    monkeypatch.setattr(maintenance, "_last_refresh", None)
    clock = iter([1000.0, 1001.0, 1000.0 + maintenance.REFRESH_EVERY + 1])
    monkeypatch.setattr(maintenance.time, "monotonic", lambda: next(clock))
    assert maintenance.statistics_refresh_if_due() is True
    assert maintenance.statistics_refresh_if_due() is False
    assert maintenance.statistics_refresh_if_due() is True
    assert calls == ["default", "default"]
