from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kiosque.articles.search import reindex_all


class Command(BaseCommand):
    help = "Rebuild the full-text search index of every article (after an upgrade or a restore)."

    def handle(self, *args: Any, **opts: Any) -> None:
        count = reindex_all()
        self.stdout.write(f"Indexed {count} articles.")
