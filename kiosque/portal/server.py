"""Starting the production web server (gunicorn) in a child process."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings


def gunicorn_command(*, bind: str, workers: int, threads: int) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "kiosque.wsgi:application",
        "--bind", bind, "--workers", str(workers), "--threads", str(threads),
        "--worker-class", "gthread", "--access-logfile", "-", "--graceful-timeout", "5",
    ]


def gunicorn_start(*, bind: str, workers: int = 2, threads: int = 4, quiet: bool = False) -> subprocess.Popen[bytes]:
    """gunicorn with the same environment (data dir, database) as this process."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kiosque.settings", "KIOSQUE_DATA_DIR": str(settings.DATA_DIR)}
    out = subprocess.DEVNULL if quiet else None
    return subprocess.Popen(gunicorn_command(bind=bind, workers=workers, threads=threads), env=env, stdout=out)
