from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kiosque.crawler.inputs import InputError, read_input
from kiosque.pipeline.enrich import canonicalize_url, detect_language
from kiosque.pipeline.errors import PipelineError
from kiosque.pipeline.extract import extract
from kiosque.pipeline.types import ExtractOptions


class Command(BaseCommand):
    help = "Print our extraction of one article page as JSON (title, lead, text, author, date, image, language...)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path_or_url")
        parser.add_argument("--url", default="", help="The page's original URL (for a saved file).")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            page = read_input(opts["path_or_url"], url=opts["url"])
            article = extract(page.content, ExtractOptions(url=page.url))
        except (InputError, PipelineError) as error:
            raise CommandError(getattr(error, "reason", str(error))) from error
        sample = " ".join((article.title, article.lead, article.text[:600]))
        language = detect_language(sample, declared=article.language)
        canonical = article.canonical_url or page.url
        out = {
            "title": article.title,
            "lead": article.lead,
            "text": article.text,
            "author": article.author,
            "published": article.published.isoformat() if article.published else None,
            "image": article.image_url,
            "language": language.code,
            "canonical_url": canonicalize_url(canonical) if canonical else None,
        }
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
