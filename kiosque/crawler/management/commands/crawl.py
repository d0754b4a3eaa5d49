from __future__ import annotations

import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from kiosque.crawler.config import crawl_options
from kiosque.crawler.cpu import cpu_work
from kiosque.crawler.progress import CrawlProgress
from kiosque.crawler.runner import crawl_forever, crawl_pass


class Command(BaseCommand):
    help = "Crawl the due feeds: continuously (stops cleanly on SIGTERM/Ctrl-C), or one pass with --once."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="One pass over the due feeds, then exit.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **opts: Any) -> None:
        options = crawl_options()
        if not opts["once"]:
            stop = threading.Event()
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_: stop.set())
            self.stdout.write("Crawling until stopped (SIGTERM or Ctrl-C)...")
            crawl_forever(options=options, stop=stop)
            self.stdout.write("Crawler stopped.")
            return
        with CrawlProgress(enabled=not opts["no_progress"]) as progress:
            cpu = cpu_work(settings.KIOSQUE["KIOSQUE_CRAWL_PROCESSES"])
            try:
                report = crawl_pass(options=options, progress=progress, on_claimed=progress.set_total, cpu=cpu)
            finally:
                cpu.close()
        self.stdout.write(
            f"Checked {report.feeds_checked} feeds ({report.feeds_failed} failed): "
            f"{report.articles_created} new articles, {report.articles_updated} updated, "
            f"{report.entries_failed} article errors."
        )
        for error in report.errors[:20]:
            self.stdout.write(f"  ! {error}")
