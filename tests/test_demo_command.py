"""Smoke test of `kiosque demo` as a user runs it: a real process, a real crawl over loopback, gunicorn serving."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:  # loopback only
        return str(response.read().decode("utf-8"))


def test_demo_crawls_the_snapshot_and_serves_the_portal(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSQUE_")}
    env.update(KIOSQUE_DATA_DIR=str(tmp_path), KIOSQUE_CRAWL_PROCESSES="1", PYTHONUNBUFFERED="1")
    demo = subprocess.Popen(
        [sys.executable, "-m", "kiosque.cli", "demo", "--no-progress", "--bind", f"127.0.0.1:{port}"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        home = ""
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and 'class="card"' not in home:
            time.sleep(2)
            assert demo.poll() is None, demo.stdout.read() if demo.stdout else ""
            try:
                home = _get(f"http://127.0.0.1:{port}/")
            except OSError:
                continue
        assert 'class="card"' in home, "the portal never showed an article"
        article_path = re.search(r'href="(/article/\d+/)"', home)
        assert article_path is not None
        article = _get(f"http://127.0.0.1:{port}{article_path.group(1)}")
        assert "Publié dans" in article and "Cliquez ici pour lire l'article depuis sa source" in article
        assert re.search(r"\d\d - \d\d - \d{4}", article)
    finally:
        demo.send_signal(signal.SIGINT)
        output, _ = demo.communicate(timeout=60)
    assert demo.returncode == 0, output
    assert re.search(r"First pass: (\d+) new articles", output)
    first_pass = int(re.search(r"First pass: (\d+) new articles", output).group(1))  # type: ignore[union-attr]
    assert first_pass >= 150, output
    assert "Demo stopped." in output
    assert "may report an image up to 50 times" in output  # three local browsers can try blocking an image
