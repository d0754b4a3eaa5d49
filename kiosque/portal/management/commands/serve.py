from __future__ import annotations

import signal
import subprocess
from typing import Any

from django.core.management.base import BaseCommand

from kiosque.portal.server import gunicorn_start


class Command(BaseCommand):
    help = "Serve the portal with gunicorn (a production server)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=4)

    def handle(self, *args: Any, **opts: Any) -> None:
        server = gunicorn_start(bind=opts["bind"], workers=opts["workers"], threads=opts["threads"])
        signal.signal(signal.SIGTERM, lambda *_: server.terminate())
        self.stdout.write(f"Serving on http://{opts['bind']}/ (Ctrl-C to stop)")
        try:
            server.wait()
        except KeyboardInterrupt:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
