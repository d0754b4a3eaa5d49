"""Serving benchmark: the real stack (gunicorn + Django + whitenoise + SQLite/PostgreSQL) at 100,000 articles.

    .venv/bin/python bench/serve.py [--articles 100000] [--sources 1000] [--database-url URL] [--rebuild]
        [--duration 10] [--warmup 2] [--repeat 1] [--threads 2] [--connections 16] [--workers 2]
        [--server-threads 4] [--only static,home,...] [--data DIR] [--keep]

1. Database: N articles from ~1,000 sources (FreshRSS's reference load is "1,000 feeds and 30,000 entries"),
   recombined from the REAL texts of the bundled demo snapshot (kiosque.pipeline.extract on its pages):
   fr/ar/en in the snapshot's shares, dates over 2 years, 36 categories, 300 re-used images; bulk inserts, then
   the product's `reindex_all()` for the search index. Built once into <data>/db-<N>a-<S>s-g<gen>c<corpus>.sqlite3
   (default <data> = var/bench-serve) and copied into a fresh run directory on later runs, then migrated
   (new migrations apply as on a deployment; an edited one, or `--rebuild`, rebuilds); dates are shifted when
   it is over a day old, so the newest article is always recent. With `--database-url` (PostgreSQL) the
   database is filled in place (it must be empty, or filled earlier by this script).
2. Server: `kiosque.portal.server.gunicorn_command` (gthread; 2 workers x 4 threads by default on 2 cores),
   bound to 127.0.0.1 on an ephemeral port, KIOSQUE_DATA_DIR = the run directory (file page cache, empty).
3. Load: wrk (Debian package `wrk`), `--threads` x `--connections`, `--warmup` then `--duration` seconds per
   scenario, loopback only. Scenarios: static CSS through whitenoise (the ceiling), home and one article and
   one source page (cached), articles and source pages that miss the page cache (every request a distinct
   URL), search (distinct queries of real fr/ar/en words), the RSS feed if /feeds/rss/ exists; the uncached
   article and search again with ONE connection (service time without queueing). Also: home rendered cold
   after a content change (what every crawl pass causes), the queries behind each uncached page, and the
   server's CPU time per request (robust to other jobs on a shared machine, unlike requests/s). `--repeat R`
   runs all scenarios R times in turn and reports medians.

Prints ONE JSON line (stdout); progress on stderr. Stops its server and removes its run directory.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

FRESHRSS_HOME_RPS = 54.0  # FreshRSS's published reference, 1,000 feeds / 30,000 entries
TARGETS = {"article_uncached_p99_ms": 50.0, "search_p95_ms": 100.0, "home_vs_freshrss": 10.0}


def log(message: str) -> None:
    print(f"[serve] {message}", file=sys.stderr, flush=True)


def _args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--articles", type=int, default=100_000)
    p.add_argument("--sources", type=int, default=1_000)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--database-url", default="", help="PostgreSQL URL (empty: SQLite in the run directory)")
    p.add_argument("--rebuild", action="store_true", help="build the database even if a cached one matches")
    p.add_argument("--data", type=Path, default=REPO / "var" / "bench-serve", help="cache of databases and corpus")
    p.add_argument("--duration", type=int, default=10, help="seconds measured per scenario")
    p.add_argument("--warmup", type=int, default=2, help="seconds of unmeasured load before each scenario (0: none)")
    p.add_argument("--threads", type=int, default=2, help="wrk threads")
    p.add_argument("--connections", type=int, default=16, help="wrk connections")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    p.add_argument("--server-threads", type=int, default=4, help="threads per gunicorn worker (gthread)")
    p.add_argument("--repeat", type=int, default=1, help="cycles over all scenarios; figures are medians")
    p.add_argument("--only", default="", help="comma-separated scenarios to run (default: all)")
    p.add_argument("--keep", action="store_true", help="keep the run directory (database copy, server log)")
    return p.parse_args(argv)


def _django_setup(run_dir: Path, database_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "kiosque.settings"
    os.environ["KIOSQUE_DATA_DIR"] = str(run_dir)
    os.environ["KIOSQUE_DATABASE_URL"] = database_url
    os.environ.setdefault("KIOSQUE_LOG_LEVEL", "WARNING")
    os.environ["KIOSQUE_DEBUG"] = "0"
    import django

    django.setup()


# ------------------------------------------------------------------ database
def _database_prepare(args: argparse.Namespace, run_dir: Path) -> dict[str, Any]:
    """A filled database for this run; returns the build's figures (from the cache's sidecar when reused)."""
    from _serve_data import cache_name, migrations_compatible
    from django.core.management import call_command

    if args.database_url:
        return _postgres_prepare(args)
    cached = args.data / f"db-{args.articles}a-{args.sources}s-{cache_name()}.sqlite3"
    meta_path = cached.with_suffix(".json")
    meta = json.loads(meta_path.read_text()) if meta_path.exists() and cached.exists() else {}
    target = run_dir / "kiosque.sqlite3"
    if meta and migrations_compatible(meta.get("migrations", {})) and not args.rebuild:
        started = time.perf_counter()
        shutil.copyfile(cached, target)
        copy_s = time.perf_counter() - started
        call_command("migrate", verbosity=0)  # migrations newer than the build, as a deployment would run them
        log(f"database: cached {cached.name} copied in {copy_s:.1f} s")
        return {**meta, "reused": True, "copy_s": round(copy_s, 1)}
    meta = _build(args)
    with sqlite3.connect(target) as db:  # fold the WAL into the file before copying it
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    tmp = cached.with_suffix(".tmp")
    shutil.copyfile(target, tmp)
    tmp.replace(cached)
    meta_path.write_text(json.dumps(meta))
    for stale in args.data.glob(f"db-{args.articles}a-{args.sources}s-*.sqlite3"):
        if stale != cached:
            stale.unlink()
            stale.with_suffix(".json").unlink(missing_ok=True)
    return {**meta, "reused": False}


def _build(args: argparse.Namespace) -> dict[str, Any]:
    from _serve_corpus import corpus_load
    from _serve_data import database_fill, migrations_state, search_reindex
    from django.core.management import call_command
    from django.db import connection

    corpus = corpus_load(args.data, refresh=args.rebuild)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    log(f"database: migrated in {time.perf_counter() - started:.1f} s; filling {args.articles} articles")
    now = datetime.now(UTC)
    fill = database_fill(corpus, articles=args.articles, sources=args.sources, seed=args.seed, now=now)
    log(f"database: {fill}; building the search index (reindex_all)")
    index = search_reindex()
    log(f"database: {index}")
    connection.close()
    return {**fill, **index, "built_at": now.isoformat(), "vendor": connection.vendor,
            "snapshot_skipped": len(corpus.skipped), "migrations": migrations_state()}


def _postgres_prepare(args: argparse.Namespace) -> dict[str, Any]:
    """Fill the PostgreSQL database in place; reuse it when this script filled it with the same N and schema."""
    import hashlib

    from _serve_data import cache_name, database_counts, migrations_compatible
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    marker = args.data / f"pg-{hashlib.sha256(args.database_url.encode()).hexdigest()[:10]}.json"
    meta = json.loads(marker.read_text()) if marker.exists() else None
    counts = database_counts()
    wanted = {"articles": args.articles, "sources": args.sources, "generator": cache_name()}
    if (meta and not args.rebuild and {k: meta.get(k) for k in wanted} == wanted
            and migrations_compatible(meta.get("migrations", {}))
            and counts == {"articles": args.articles, "sources": args.sources}):
        return {**meta, "reused": True}
    if counts["articles"] or counts["sources"]:
        if meta is None:
            raise SystemExit(f"{args.database_url}: not empty and not filled by bench/serve.py; give an empty database")
        call_command("flush", interactive=False, verbosity=0)
    meta = {**_build(args), **wanted}
    marker.write_text(json.dumps(meta))
    return {**meta, "reused": False}


def _dates_refresh(meta: dict[str, Any]) -> None:
    """A reused database is moved forward in time (when a day old) so that its newest article is "now" again."""
    from _serve_data import dates_shift

    if not meta.get("reused"):
        return
    delta = datetime.now(UTC) - datetime.fromisoformat(meta["built_at"])
    if delta.total_seconds() > 86400:  # a day of drift leaves "the last 7 days" busy enough
        log(f"database: dates shifted by {delta} in {dates_shift(delta):.1f} s")


# ------------------------------------------------------------------ scenarios
def _slices(paths: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Disjoint parts of a list of distinct paths: warm-up, the main run, the one-connection run."""
    a, b = max(1, len(paths) * 5 // 100), max(2, len(paths) * 70 // 100)
    return paths[:a], paths[a:b], paths[b:]


def _scenarios(paths: dict[str, Any]) -> list[tuple[str, list[str], list[str], int | None]]:
    """(name, warm-up paths, measured paths, connections or None for the default)."""
    art_warm, art_main, art_one = _slices(paths["articles"])
    src_warm, src_main, _ = _slices(paths["sources"])
    q_warm, q_main, q_one = _slices(paths["searches"])
    one = [paths["article_one"]]
    return [
        ("static", ["/static/portal/kiosque.css"], ["/static/portal/kiosque.css"], None),
        ("home", ["/"], ["/"], None),
        ("article_cached", one, one, None),
        ("source_cached", [paths["source_one"]], [paths["source_one"]], None),
        ("article_uncached", art_warm, art_main, None),
        ("source_uncached", src_warm, src_main, None),
        ("search", q_warm, q_main, None),
        ("rss", ["/feeds/rss/"], ["/feeds/rss/"], None),
        ("article_uncached_c1", [], art_one, 1),
        ("search_c1", [], q_one, 1),
    ]


def _measure(
    args: argparse.Namespace, base: str, *, run_dir: Path, paths: dict[str, Any], master: int
) -> tuple[dict[str, Any], list[str]]:
    """Every scenario, `--repeat` times in turn (cycle after cycle, so a burst of outside load hits all
    scenarios alike); each figure is the median over the cycles. Distinct-URL scenarios take disjoint
    slices of their lists in each cycle, so no URL is ever requested twice."""
    from _serve_server import http_get

    only = {name.strip() for name in args.only.split(",") if name.strip()}
    runs: dict[str, list[dict[str, Any]]] = {}
    notes: list[str] = []
    skipped: set[str] = set()
    for cycle in range(args.repeat):
        for name, warm, main_paths, connections in _scenarios(paths):
            if (only and name not in only) or name in skipped:
                continue
            share = main_paths[cycle :: args.repeat] if len(main_paths) > 1 else main_paths
            status = http_get(base + share[0])[0]
            if status != 200:
                skipped.add(name)
                notes.append(f"{name}: {share[0]} answered {status}, not measured")
                log(notes[-1])
                continue
            run = {"threads": 1 if connections == 1 else args.threads, "connections": connections or args.connections,
                   "work_dir": run_dir / "load"}
            runs.setdefault(name, []).append(_scenario_run(args, base, (warm, share), run=run, master=master))
            _log_run(name, runs[name][-1])
    results = {name: _median_run(rows) for name, rows in runs.items()}
    for name, row in results.items():
        if row["errors"]:
            notes.append(f"{name}: {row['errors']} errors (socket errors, timeouts or non-2xx/3xx), median of cycles")
        if row["repeated"] and name not in _SINGLE_URL:
            notes.append(f"{name}: {row['repeated']} requests repeated a URL (cache hits); lengthen the path list")
    return results, notes


_SINGLE_URL = {"static", "home", "article_cached", "source_cached", "rss"}


def _scenario_run(
    args: argparse.Namespace, base: str, lists: tuple[list[str], list[str]], *, run: dict[str, Any], master: int
) -> dict[str, Any]:
    from _serve_load import load_run
    from _serve_server import server_cpu_s

    warm, share = lists
    if warm and args.warmup > 0:
        load_run(base, warm, duration=args.warmup, **run)
    cpu = server_cpu_s(master)
    result = load_run(base, share, duration=args.duration, **run)
    cpu_ms = (server_cpu_s(master) - cpu) * 1000 / max(1, result.requests)
    return {**result.as_dict(), "server_cpu_ms_per_request": round(cpu_ms, 2)}


def _median_run(rows: list[dict[str, Any]]) -> dict[str, Any]:
    merged = {key: statistics.median(row[key] for row in rows) for key in rows[0]}
    return {**merged, "cycles": len(rows), "rps_per_cycle": [row["rps"] for row in rows]}


def _log_run(name: str, r: dict[str, Any]) -> None:
    log(f"{name:20s} {r['rps']:9.1f} req/s  p50 {r['p50_ms']:7.2f} ms  p95 {r['p95_ms']:7.2f}  p99 {r['p99_ms']:7.2f}"
        f"  errors {r['errors']}  repeated {r['repeated']}  {r['kb_per_response']} KB"
        f"  server CPU {r['server_cpu_ms_per_request']:.2f} ms/request")


def _home_cold(base: str, *, times: int = 15) -> dict[str, float]:
    """Home rendered after a content change (each crawl pass bumps the content version): one GET per change."""
    from _serve_server import http_get

    from kiosque.articles.services import content_changed

    samples = []
    for _ in range(times):
        content_changed()  # the same shared file cache as the server's: its next home render is cold
        status, ms, _ = http_get(base + "/")
        if status == 200:
            samples.append(ms)
    samples.sort()
    return {"median_ms": round(samples[len(samples) // 2], 1), "max_ms": round(samples[-1], 1), "n": len(samples)}


def _ratios(results: dict[str, Any]) -> dict[str, float | None]:
    def rps(name: str) -> float | None:
        return results[name]["rps"] if name in results else None

    def ratio(a: float | None, b: float | None) -> float | None:
        return round(a / b, 3) if a and b else None

    static, home = rps("static"), rps("home")
    return {
        "home_vs_static": ratio(home, static), "article_cached_vs_static": ratio(rps("article_cached"), static),
        "article_uncached_vs_cached": ratio(rps("article_uncached"), rps("article_cached")),
        "home_vs_freshrss": ratio(home, FRESHRSS_HOME_RPS),
    }


def _targets(results: dict[str, Any], ratios: dict[str, float | None]) -> dict[str, Any]:
    def pick(name: str, key: str) -> float | None:
        return results[name][key] if name in results else None

    figures = {
        "article_uncached_p99_ms": pick("article_uncached", "p99_ms"),
        "article_uncached_p99_ms_c1": pick("article_uncached_c1", "p99_ms"),
        "search_p95_ms": pick("search", "p95_ms"),
        "search_p95_ms_c1": pick("search_c1", "p95_ms"),
        "home_vs_freshrss": ratios["home_vs_freshrss"],
    }
    met = {}
    for key, value in figures.items():
        goal = TARGETS[key.removesuffix("_c1")]
        met[key] = None if value is None else (value >= goal if key == "home_vs_freshrss" else value < goal)
    return {"figures": figures, "goals": TARGETS, "met": met}


def _machine() -> dict[str, Any]:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    return {"cpus": os.cpu_count(), "cpu": model, "load_avg_at_start": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version}


# ------------------------------------------------------------------ main
def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    args.data = args.data.resolve()
    args.data.mkdir(parents=True, exist_ok=True)
    run_dir = Path(tempfile.mkdtemp(prefix="run-", dir=args.data))
    machine = _machine()
    try:
        _django_setup(run_dir, args.database_url)
        return _run(args, run_dir, machine)
    finally:
        if not args.keep:
            shutil.rmtree(run_dir, ignore_errors=True)


def _run(args: argparse.Namespace, run_dir: Path, machine: dict[str, Any]) -> int:
    from _serve_corpus import corpus_load
    from _serve_data import bench_paths
    from _serve_load import wrk_path
    from _serve_profile import pages_profile
    from _serve_server import server_start, server_stop
    from django.db import connection

    meta = _database_prepare(args, run_dir)
    _dates_refresh(meta)
    paths = bench_paths(corpus_load(args.data), seed=args.seed)
    profile = pages_profile({"home": "/", "article": paths["articles"][-1], "source": paths["sources"][-1],
                             "search": paths["searches"][-1]})
    for name, row in profile.items():
        log(f"profile {name}: {row['status']} {row['render_ms']} ms, {row['queries']} queries, {row['sql_ms']} ms SQL; "
            f"slowest {row['slowest'][:1]}")
    connection.close()
    started = time.perf_counter()
    server, base = server_start(run_dir, workers=args.workers, threads=args.server_threads)
    try:
        log(f"server: {base} ({args.workers} workers x {args.server_threads} threads, gthread)")
        cold = _home_cold(base)
        results, notes = _measure(args, base, run_dir=run_dir, paths=paths, master=server.pid)
    finally:
        server_stop(server)
    ratios = _ratios(results)
    report = {
        "bench": "serve", "db": meta.get("vendor", connection.vendor), "articles": meta["articles"],
        "sources": meta["sources"], "build": meta, "machine": machine,
        "server": {"command": "kiosque.portal.server.gunicorn_command", "workers": args.workers,
                   "threads": args.server_threads, "worker_class": "gthread"},
        "load": {"tool": "wrk" if wrk_path() else "python", "duration_s": args.duration, "warmup_s": args.warmup,
                 "threads": args.threads, "connections": args.connections, "cycles": args.repeat},
        "scenarios": results, "home_cold": cold, "ratios": ratios, "targets": _targets(results, ratios),
        "profile": profile, "notes": notes, "run_s": round(time.perf_counter() - started, 1),
        "load_avg_at_end": [round(x, 2) for x in os.getloadavg()],
    }
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
