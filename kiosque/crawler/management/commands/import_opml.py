from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kiosque.pipeline.errors import ParseError
from kiosque.pipeline.parse import parse_opml
from kiosque.sources.services import sources_import_outlines


class Command(BaseCommand):
    help = "Import the feeds of an OPML file as sources (one source per outline; existing feeds are skipped)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument("--language", action="append", dest="languages", help="Language code (repeatable).")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            outlines = parse_opml(path.read_bytes())
        except ParseError as error:
            raise CommandError(f"{path} is not a usable OPML file: {error.reason}") from error
        rows = [(o.title, o.xml_url, o.html_url or "", "rss") for o in outlines if o.xml_url]
        added = sources_import_outlines(outlines=rows, languages=opts["languages"])
        self.stdout.write(f"Imported {added} feed(s) from {len(outlines)} outline(s) in {path}.")
