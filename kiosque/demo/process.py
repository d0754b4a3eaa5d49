"""The replay server in a child process, so that serving the snapshot does not share our interpreter's GIL.

A real publisher's server costs us nothing but the network; in-process, the replay server's Python work would
be counted against the crawler (benchmarks) and slow the portal (demo).
"""

from __future__ import annotations

import re
import subprocess
import sys
from types import TracebackType

_BASE = re.compile(r"(http://127\.0\.0\.1:\d+)")


class ReplayProcess:
    """`with ReplayProcess() as base_url:` runs `python -m kiosque.demo.replay --port 0` until the block ends."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[str] | None = None
        self.base_url = ""

    def __enter__(self) -> str:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "kiosque.demo.replay", "--port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        assert self._process.stdout is not None
        first = self._process.stdout.readline()
        match = _BASE.search(first)
        if match is None:
            self._stop()
            raise RuntimeError(f"the replay server did not start: {first!r}")
        self.base_url = match.group(1)
        return self.base_url

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self._stop()

    def _stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
        self._process = None
