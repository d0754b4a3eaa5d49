"""The `kiosque` console command: Kiosque's own commands plus all of Django's (`kiosque migrate`, ...)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Friendly hyphenated names for the management commands.
ALIASES = {
    "add-source": "add_source", "import-opml": "import_opml", "parse-feed": "parse_feed",
    "stories-repair": "stories_repair",
}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ALIASES:
        args[0] = ALIASES[args[0]]
    if args and args[0] == "demo":
        # The demo shows a progress bar and a summary; per-article log lines would drown them.
        os.environ.setdefault("KIOSQUE_LOG_LEVEL", "WARNING")
    if args and args[0] == "demo" and not os.environ.get("KIOSQUE_DATA_DIR"):
        # The demo keeps its database apart from a real installation's.
        from kiosque.conf import env_value

        os.environ["KIOSQUE_DATA_DIR"] = str(Path(env_value("KIOSQUE_DATA_DIR")) / "demo")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kiosque.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kiosque", *args])


if __name__ == "__main__":
    main()
