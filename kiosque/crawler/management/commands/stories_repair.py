from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand

from kiosque.crawler.config import story_options
from kiosque.crawler.stories import StoryDesk


class Command(BaseCommand):
    help = (
        "Regroup the recent articles into stories from scratch (what the crawler does every "
        "KIOSQUE_STORY_REPAIR_MINUTES): unlocked stories are merged or split as grouping now sees them; "
        "stories an editor changed stay exactly as they are."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--hours", type=float, default=None,
                            help="How far back from the newest article (default: KIOSQUE_STORY_WINDOW_HOURS).")

    def handle(self, *args: Any, **opts: Any) -> None:
        span = timedelta(hours=opts["hours"]) if opts["hours"] else None
        report = StoryDesk(story_options()).repair(span=span)
        self.stdout.write(
            f"Moved {len(report.moved)} articles; {report.created} new stories, {report.emptied} emptied; "
            f"{report.skipped_locked} articles of locked stories left as they are."
        )
