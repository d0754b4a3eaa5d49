"""Kiosque's own settings registry: every setting has a default, a parser and a help line.

Like Datasette's settings registry: one table is the single source of truth, the
README's configuration table is checked against it by a test, and
`kiosque settings` prints it. Values come from the environment only.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["SETTINGS", "Setting", "env_value"]


def _bool(raw: str) -> bool:
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _list(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()]


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str


def _default_data_dir() -> str:
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(xdg) / "kiosque")


SETTINGS: tuple[Setting, ...] = (
    Setting("KIOSQUE_DATA_DIR", _default_data_dir(), "Where the SQLite database, images and caches live."),
    Setting(
        "KIOSQUE_DATABASE_URL", "", "Database URL (e.g. postgres://user@host/db). Empty: SQLite file in the data dir."
    ),
    Setting("KIOSQUE_TEST_DATABASE_URL", "", "PostgreSQL URL the test suite also runs against (empty: SQLite only)."),
    Setting(
        "KIOSQUE_REDIS_URL", "", "Redis URL for the shared cache and per-host limits across workers (empty: local)."
    ),
    Setting("KIOSQUE_SECRET_KEY", "", "Django secret key. Empty: one is generated once and kept in the data dir."),
    Setting("KIOSQUE_DEBUG", False, "Django debug mode.", _bool),
    Setting("KIOSQUE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"], "Comma-separated host names served.", _list),
    Setting("KIOSQUE_CSRF_TRUSTED_ORIGINS", [], "Comma-separated origins trusted for POST (behind a proxy).", _list),
    Setting("KIOSQUE_USER_AGENT", "Kiosque/0.1 (+https://kiosque.example/bot)", "User-Agent sent by the crawler."),
    Setting("KIOSQUE_FETCH_CONNECT_TIMEOUT", 5.0, "Seconds to wait for a connection.", float),
    Setting("KIOSQUE_FETCH_READ_TIMEOUT", 15.0, "Seconds to wait for the response (and total body deadline).", float),
    Setting("KIOSQUE_FETCH_MAX_BYTES", 5 * 1024 * 1024, "Largest body accepted, after decompression (bytes).", int),
    Setting("KIOSQUE_FETCH_MAX_REDIRECTS", 5, "Redirects followed before giving up.", int),
    Setting("KIOSQUE_HOST_CONCURRENCY", 2, "Requests in flight to one host at once.", int),
    Setting("KIOSQUE_HOST_DELAY", 1.0, "Minimum seconds between two requests to one host.", float),
    Setting("KIOSQUE_RESPECT_ROBOTS", True, "Honour robots.txt.", _bool),
    Setting("KIOSQUE_ROUTE_TO", "", "Send every request to this base URL (replay server; demo and tests only).", str),
    Setting("KIOSQUE_FEED_INTERVAL", 900, "Default seconds between two checks of a feed.", int),
    Setting("KIOSQUE_MAX_BACKOFF", 24 * 3600, "Longest delay (seconds) before retrying a failing feed.", int),
    Setting("KIOSQUE_DISABLE_AFTER", 20.0, "Failure score at which a feed is disabled with its reason.", float),
    Setting(
        "KIOSQUE_CRAWL_WORKERS",
        # Four threads per CPU keep the CPU pool fed while other threads fetch or write: 8 on 2 CPUs stored
        # 13 % more articles per second than 4, and 12 no more (bench/ingest.py --workers).
        4 * (os.cpu_count() or 1),
        "Sources refreshed in parallel by one crawler process (threads).",
        int,
    ),
    Setting(
        "KIOSQUE_CRAWL_PROCESSES",
        os.cpu_count() or 1,
        "Processes for extraction, image re-encoding and the story embedding (0: in the crawler's threads).",
        int,
    ),
    Setting("KIOSQUE_ARTICLES_PER_FEED", 50, "Newest entries of one feed fetched per pass.", int),
    Setting("KIOSQUE_LEASE_SECONDS", 600, "How long a worker's claim on a feed lasts before others may take it.", int),
    Setting(
        "KIOSQUE_EXCERPT_PARAGRAPHS", 4, "Default paragraphs of an article shown (source policy may override).", int
    ),
    Setting("KIOSQUE_IMAGE_DISPLAY_WIDTH", 960, "Width of stored display images (pixels).", int),
    Setting("KIOSQUE_IMAGE_THUMB_WIDTH", 320, "Width of stored thumbnails (pixels).", int),
    Setting(
        "KIOSQUE_IMAGE_FORMAT",
        "jpeg",
        "Format of stored images: jpeg, or webp (files ~28 % smaller, ~9x the crawler's encoding CPU).",
        str,
    ),
    Setting("KIOSQUE_REPORT_THRESHOLD", 3, "Distinct reporters that block an image automatically.", int),
    Setting(
        "KIOSQUE_REPORTS_PER_ADDRESS",
        2,
        "Reports of one image that count from one client address (keep it under the threshold).",
        int,
    ),
    Setting("KIOSQUE_REPORT_RATE_REPORTER", 20, "Image reports one reader may file per hour.", int),
    Setting("KIOSQUE_REPORT_RATE_ADDRESS", 60, "Image reports one client address may file per hour.", int),
    Setting(
        "KIOSQUE_TRUSTED_PROXIES",
        0,
        "Reverse proxies in front of Kiosque that append to X-Forwarded-For (0: use the connection's address).",
        int,
    ),
    Setting(
        "KIOSQUE_STORIES",
        True,
        "Group articles into stories and detect agency copy while crawling (loads a 30 MB embedding model).",
        _bool,
    ),
    Setting(
        "KIOSQUE_STORY_THRESHOLD",
        0.675,
        "Grouping score at and above which two articles report one event (see bench/RESULTS.md).",
        float,
    ),
    Setting("KIOSQUE_STORY_WINDOW_HOURS", 72, "Hours apart within which articles may belong to one story.", int),
    Setting(
        "KIOSQUE_STORY_REPAIR_MINUTES",
        30,
        "Minutes between two repair passes (regrouping the window's unlocked stories) in the crawler (0: never).",
        int,
    ),
    Setting(
        "KIOSQUE_LANGUAGES",
        ["fr", "ar", "en"],
        "Content languages expected (language detection is limited to them).",
        _list,
    ),
    Setting("KIOSQUE_TIME_ZONE", "Africa/Casablanca", "Time zone in which dates are shown.", str),
    Setting("KIOSQUE_LOG_LEVEL", "INFO", "Log level of the kiosque loggers.", str),
)


def env_value(name: str) -> Any:
    """The setting's value from the environment, parsed, or its default."""
    setting = next(s for s in SETTINGS if s.name == name)
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return setting.default
    return setting.parse(raw)
