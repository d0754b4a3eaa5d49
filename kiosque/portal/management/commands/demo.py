from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from kiosque.crawler.config import crawl_options
from kiosque.crawler.cpu import cpu_work
from kiosque.crawler.progress import CrawlProgress
from kiosque.crawler.runner import crawl_forever, crawl_pass
from kiosque.demo.process import ReplayProcess
from kiosque.demo.replay import snapshot_dir
from kiosque.portal.server import gunicorn_start
from kiosque.sources.services import source_upsert

DEMO_REPORTS_PER_ADDRESS = 50


def demo_sources_register() -> int:
    """Register every outlet of the bundled snapshot (idempotent) and make its feeds due now."""
    manifest = json.loads((snapshot_dir() / "manifest.json").read_text(encoding="utf-8"))
    for site in manifest["sites"]:
        source_upsert(
            slug=site["slug"], name=site["name"], homepage=site["homepage"], languages=site["languages"],
            country=site.get("country", ""), extraction_rules=site.get("extraction_rules") or {},
            feeds=site["feeds"], check_now=True,
        )
    return len(manifest["sites"])


class Command(BaseCommand):
    help = "Replay a bundled snapshot of real news sites over loopback, crawl it, and serve the portal."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="Where the portal listens.")
        parser.add_argument("--no-serve", action="store_true", help="Crawl the snapshot once, then exit.")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        with ReplayProcess() as replay_url:
            count = demo_sources_register()
            self.stdout.write(f"Replaying {count} news sites at {replay_url}")
            # Loopback replay: a small politeness delay is enough and keeps the first pass short.
            options = crawl_options(route_to=replay_url, min_host_delay=0.05)
            with CrawlProgress(enabled=not opts["no_progress"]) as progress:
                cpu = cpu_work(settings.KIOSQUE["KIOSQUE_CRAWL_PROCESSES"])
                try:
                    report = crawl_pass(options=options, progress=progress, on_claimed=progress.set_total, cpu=cpu)
                finally:
                    cpu.close()
            self.stdout.write(
                f"First pass: {report.articles_created} new articles from {report.feeds_checked} feeds "
                f"({report.feeds_failed} feeds and {report.entries_failed} articles failed)."
            )
            if not opts["no_serve"]:
                self._serve(opts["bind"], options)

    def _serve(self, bind: str, options: Any) -> None:
        # Every browser trying the demo reports from 127.0.0.1: with the production cap of reports per address,
        # three local readers could never block an image. Unless the user chose a cap, the demo allows more.
        if "KIOSQUE_REPORTS_PER_ADDRESS" not in os.environ:
            os.environ["KIOSQUE_REPORTS_PER_ADDRESS"] = str(DEMO_REPORTS_PER_ADDRESS)
            self.stdout.write(
                f"Demo: one address may report an image up to {DEMO_REPORTS_PER_ADDRESS} times "
                "(every local reader is 127.0.0.1; KIOSQUE_REPORTS_PER_ADDRESS sets it)."
            )
        server = gunicorn_start(bind=bind, quiet=True)
        self.stdout.write(self.style.SUCCESS(f"Kiosque demo: open http://{bind}/  (Ctrl-C to stop)"))
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        try:
            crawl_forever(options=options, stop=stop)
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
            self.stdout.write("Demo stopped.")
