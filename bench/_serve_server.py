"""The server side of the serving benchmark: the product's gunicorn command on an ephemeral loopback port.

    server_start(run_dir, *, workers, threads) -> (process, base_url)
    server_stop(process)
    server_cpu_s(master_pid) -> float        CPU seconds used by gunicorn's master and its workers
    http_get(url) -> (status, ms, bytes)
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from kiosque.portal.server import gunicorn_command

__all__ = ["http_get", "server_cpu_s", "server_start", "server_stop"]


def server_start(run_dir: Path, *, workers: int, threads: int) -> tuple[subprocess.Popen[bytes], str]:
    """gunicorn bound to 127.0.0.1:0 (the kernel picks the port; gunicorn logs it), answering static files."""
    command = gunicorn_command(bind="127.0.0.1:0", workers=workers, threads=threads)
    server_log = run_dir / "gunicorn.log"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kiosque.settings", "KIOSQUE_DATA_DIR": str(run_dir)}
    with server_log.open("wb") as errors:
        # stdout is gunicorn's access log ("--access-logfile -" in the product's command): written, discarded.
        server = subprocess.Popen(command, env=env, cwd=run_dir, stdout=subprocess.DEVNULL, stderr=errors,
                                  start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        text = server_log.read_text(errors="replace")
        if "Listening at: " in text and "Booting worker" in text:
            port = int(text.split("Listening at: ")[1].split()[0].rsplit(":", 1)[1])
            base = f"http://127.0.0.1:{port}"
            if http_get(base + "/static/portal/kiosque.css")[0] == 200:
                return server, base
        if server.poll() is not None:
            break
        time.sleep(0.2)
    server_stop(server)
    raise SystemExit(f"gunicorn did not start:\n{server_log.read_text(errors='replace')[-3000:]}")


def server_stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)


def http_get(url: str) -> tuple[int, float, int]:
    """(status, milliseconds, bytes) of one GET."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            body = response.read()
            return response.status, (time.perf_counter() - started) * 1000, len(body)
    except urllib.error.HTTPError as error:
        return error.code, (time.perf_counter() - started) * 1000, 0


def server_cpu_s(master: int) -> float:
    """CPU seconds (user + system) used so far by gunicorn's master and workers: a per-request cost that other
    processes on a shared machine disturb far less than requests/s or latency."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):  # the process ended while we looked
            continue
        pid = int(stat.parent.name)
        if pid == master or int(fields[1]) == master:  # fields[1]: parent pid
            total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    return total / os.sysconf("SC_CLK_TCK")
