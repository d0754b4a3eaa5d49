"""End-to-end ingestion rate on the bundled demo snapshot, next to the cost of extraction alone.

    .venv/bin/python bench/ingest.py [--repeat 3] [--workers N] [--processes N] [--image-format webp] [--no-stories]

Pipeline: a fresh SQLite database, the demo outlets registered, then one crawl pass over loopback from the replay
server, run in its own process as a publisher's server would be (fetch with robots.txt, parse, extract, language,
image download + verify + re-encode, idempotent store + search index, story assignment). Robots.txt Crawl-delay
waits are off: they measure politeness, not processing. The crawler starts as `kiosque crawl` does (CPU pool
started and every model loaded: `CpuWork.warm`), then the pass is timed; the cold figure adds that start-up.
Ceiling: `extract()` alone on the same article pages, read from the snapshot in memory, in one process and in the
same process pool as the crawler. Prints one JSON line: medians of --repeat runs and their ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _setup_django(data_dir: str) -> None:
    os.environ["KIOSQUE_DATA_DIR"] = data_dir
    os.environ.pop("KIOSQUE_DATABASE_URL", None)
    os.environ["KIOSQUE_LOG_LEVEL"] = "ERROR"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kiosque.settings")
    import django

    django.setup()


def _pipeline_run(
    workers: int, processes: int, image_format: str = "jpeg", stories: bool = True
) -> tuple[int, float, float]:
    """A fresh database, one crawl pass of the whole snapshot; returns (articles stored, seconds of the pass,
    seconds of the warm-up before it)."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from kiosque.articles.models import Article
    from kiosque.crawler.config import crawl_options, story_desk
    from kiosque.crawler.cpu import cpu_work
    from kiosque.crawler.runner import crawl_pass
    from kiosque.demo.process import ReplayProcess
    from kiosque.portal.management.commands.demo import demo_sources_register

    connection.close()
    db = Path(settings.DATABASES["default"]["NAME"])
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    settings.KIOSQUE["KIOSQUE_CRAWL_WORKERS"] = workers
    settings.KIOSQUE["KIOSQUE_IMAGE_FORMAT"] = image_format
    settings.KIOSQUE["KIOSQUE_STORIES"] = stories
    with ReplayProcess() as base_url:
        demo_sources_register()
        # Politeness waits (robots.txt Crawl-delay on the fictional hosts) are not processing cost: off here.
        options = crawl_options(route_to=base_url, min_host_delay=0.0, max_crawl_delay=0.0)
        started = time.perf_counter()
        cpu = cpu_work(processes)
        try:
            # As `kiosque crawl` does when it starts: the pool's processes and every model are loaded once,
            # before the first pass; a long-running crawler never pays that again. Timed apart.
            cpu.warm(options.languages)
            desk = story_desk(cpu)
            warm_s = time.perf_counter() - started
            started = time.perf_counter()
            crawl_pass(options=options, cpu=cpu, stories=desk)
            elapsed = time.perf_counter() - started
        finally:
            cpu.close()
    return Article.objects.exclude(text="").count(), elapsed, warm_s


def _extract_only(processes: int = 0) -> tuple[int, float]:
    """extract() alone on every article page of the snapshot, bytes already in memory: in this process,
    or spread over a warm pool of `processes` processes (the same pool the crawler uses)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from kiosque.demo import Snapshot

    snapshot = Snapshot()
    pages = []
    for article in snapshot.manifest["articles"]:
        resource = snapshot.get(article["url"])
        if resource is not None:
            pages.append((article["url"], resource.content()))
    if processes:
        with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn")) as pool:
            list(pool.map(_extract_or_none, pages[: processes * 2]))  # warm every process
            started = time.perf_counter()
            done = sum(ok for ok in pool.map(_extract_or_none, pages))
            return done, time.perf_counter() - started
    started = time.perf_counter()
    done = sum(_extract_or_none(page) for page in pages)
    return done, time.perf_counter() - started


def _extract_or_none(page: tuple[str, bytes]) -> bool:
    from kiosque.pipeline.errors import ExtractError
    from kiosque.pipeline.extract import extract
    from kiosque.pipeline.types import ExtractOptions

    try:
        extract(page[1], ExtractOptions(url=page[0]))
    except ExtractError:
        return False
    return True


def _default_setting(name: str) -> int:
    from kiosque.conf import SETTINGS

    return int(next(s.default for s in SETTINGS if s.name == name))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--workers",
        type=int,
        default=_default_setting("KIOSQUE_CRAWL_WORKERS"),
        help="crawl worker threads (KIOSQUE_CRAWL_WORKERS; default: the product's)",
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=os.cpu_count() or 1,
        help="extraction/image processes (KIOSQUE_CRAWL_PROCESSES; 0 = in the crawl threads)",
    )
    parser.add_argument("--no-stories", action="store_true", help="without story grouping (KIOSQUE_STORIES=0)")
    parser.add_argument("--image-format", choices=("jpeg", "webp"), default="jpeg", help="KIOSQUE_IMAGE_FORMAT")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kiosque-bench-ingest-") as data_dir:
        _setup_django(data_dir)
        _extract_only()  # warm-up: imports, trafilatura and language models
        pipeline, ceiling, ceiling_pool, cold = [], [], [], []
        stored = extracted = 0
        for _ in range(args.repeat):
            run = _pipeline_run(args.workers, args.processes, args.image_format, not args.no_stories)
            stored, seconds, warm_s = run
            pipeline.append(stored / seconds)
            cold.append(stored / (seconds + warm_s))
            extracted, seconds = _extract_only()
            ceiling.append(extracted / seconds)
            if args.processes:
                extracted, seconds = _extract_only(args.processes)
                ceiling_pool.append(extracted / seconds)
    pipe, ext = statistics.median(pipeline), statistics.median(ceiling)
    adjacent = [p / e for p, e in zip(pipeline, ceiling, strict=True)]
    ext_pool = statistics.median(ceiling_pool) if ceiling_pool else ext
    print(
        json.dumps(
            {
                "bench": "ingest",
                "articles_stored_with_text": stored,
                "pages_extracted": extracted,
                "pipeline_articles_per_s": round(pipe, 1),
                "extract_only_pages_per_s": round(ext, 1),
                "ratio_pipeline_to_extract": round(pipe / ext, 3),
                # Each pipeline run next to the extraction run that follows it: the machine's speed drifts by
                # 10-20 % within minutes, and adjacent runs share more of it.
                "ratio_median_of_adjacent_runs": round(statistics.median(adjacent), 3),
                "ratios_adjacent_runs": [round(r, 3) for r in adjacent],
                "extract_only_pool_pages_per_s": round(ext_pool, 1),
                "ratio_pipeline_to_extract_same_processes": round(pipe / ext_pool, 3),
                "pipeline_cold_articles_per_s": round(statistics.median(cold), 1),
                "processes": args.processes,
                "image_format": args.image_format,
                "stories": not args.no_stories,
                "target_ratio": 0.7,
                "workers": args.workers,
                "repeat": args.repeat,
                "runs_pipeline": [round(x, 1) for x in pipeline],
                "runs_extract": [round(x, 1) for x in ceiling],
            }
        )
    )


if __name__ == "__main__":
    main()
