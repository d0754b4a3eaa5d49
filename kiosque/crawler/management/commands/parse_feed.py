from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kiosque.crawler.inputs import InputError, read_input
from kiosque.pipeline.errors import PipelineError
from kiosque.pipeline.parse import parse_feed
from kiosque.pipeline.types import FeedEntry, ParseOptions


def _entry_json(entry: FeedEntry) -> dict[str, Any]:
    return {
        "url": entry.url,
        "guid": entry.guid,
        "title": entry.title,
        "summary": entry.summary,
        "published": entry.published.isoformat() if entry.published else None,
        "author": entry.author,
        "categories": list(entry.categories),
        "image": entry.image_url,
        "language": entry.language,
    }


class Command(BaseCommand):
    help = "Print a feed's entries as JSON (RSS, Atom, RDF, JSON Feed, sitemap, or a listing page with --selector)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path_or_url")
        parser.add_argument("--url", default="", help="The feed's original URL (resolves relative links).")
        parser.add_argument("--selector", default=None, help="CSS selector of article links on a listing page.")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            feed = read_input(opts["path_or_url"], url=opts["url"])
            options = ParseOptions(base_url=feed.url, listing_selector=opts["selector"], encoding=feed.encoding)
            parsed = parse_feed(feed.content, options)
        except (InputError, PipelineError) as error:
            raise CommandError(getattr(error, "reason", str(error))) from error
        out = {
            "kind": parsed.kind.value,
            "version": parsed.version,
            "title": parsed.title,
            "link": parsed.link,
            "language": parsed.language,
            "warnings": list(parsed.warnings),
            "child_feeds": list(parsed.child_feeds),
            "entries": [_entry_json(e) for e in parsed.entries],
        }
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
