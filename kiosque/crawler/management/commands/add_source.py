from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kiosque.crawler.config import crawl_options
from kiosque.crawler.discovery import DiscoveryError, source_add_from_url
from kiosque.pipeline.fetch import Fetcher


class Command(BaseCommand):
    help = "Add an outlet from its homepage (its feeds are discovered) or from a feed URL."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("url")
        parser.add_argument("--name", default="", help="Outlet name (default: the page or feed title).")
        parser.add_argument("--language", action="append", dest="languages", help="Language code (repeatable).")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            with Fetcher(crawl_options().fetch) as fetcher:
                source = source_add_from_url(opts["url"], fetcher=fetcher, name=opts["name"],
                                             languages=opts["languages"])
        except DiscoveryError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Added {source.name} ({source.slug}) with {source.feeds.count()} feed(s):")
        for feed in source.feeds.all():
            self.stdout.write(f"  {feed.kind:9} {feed.url}")
