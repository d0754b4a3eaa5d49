"""Load runs against a loopback server: wrk with a Lua script, or a small Python generator when wrk is absent.

    load_run(base_url, paths, *, duration, threads, connections, work_dir) -> LoadResult

Every run walks a list of paths: one path for a cached page, many distinct ones for pages that must miss the
page cache. wrk threads take interleaved, never-repeating positions in the list (thread t sends paths t,
t + T, t + 2T ...), so a list longer than the number of requests means every request was a distinct URL;
`LoadResult.repeated` says how many were not. Percentiles (p50..p99.9, p95 included) come from wrk's own
latency histogram through a Lua done() hook, as one JSON line.
"""

from __future__ import annotations

import http.client
import json
import shutil
import statistics
import subprocess
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["LoadResult", "load_run", "wrk_path"]

_LUA = r"""
local count = 0
function setup(thread)
  thread:set("tid", count)
  count = count + 1
end
function init(args)
  paths = {}
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  nthreads = tonumber(args[2])
  n = 0
end
function request()
  local i = (n * nthreads + tid) % #paths + 1
  n = n + 1
  return wrk.format("GET", paths[i])
end
function done(summary, latency, requests)
  local e = summary.errors
  local p = {}
  for _, q in ipairs({50, 75, 90, 95, 99, 99.9}) do
    p[#p + 1] = string.format('"%s":%.3f', q, latency:percentile(q) / 1000)
  end
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_s":%.3f,"bytes":%d,"mean_ms":%.3f,"max_ms":%.3f,"pct_ms":{%s},' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}\n',
    summary.requests, summary.duration / 1e6, summary.bytes, latency.mean / 1000, latency.max / 1000,
    table.concat(p, ","), e.connect, e.read, e.write, e.status, e.timeout))
end
"""


@dataclass(frozen=True)
class LoadResult:
    tool: str
    requests: int
    rps: float
    p50_ms: float
    p75_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    p999_ms: float
    mean_ms: float
    max_ms: float
    errors: int  # socket errors, timeouts and non-2xx/3xx answers
    repeated: int  # requests whose path had already been sent in this run (0: all distinct)
    kb_per_response: float

    def as_dict(self) -> dict[str, float | int | str]:
        return {k: v for k, v in asdict(self).items() if k != "tool"}


def wrk_path() -> str | None:
    return shutil.which("wrk")


def load_run(base_url: str, paths: list[str], *, duration: float, threads: int, connections: int,
             work_dir: Path) -> LoadResult:
    """Closed-loop load: `connections` keep-alive connections sending back-to-back requests for `duration` s."""
    if wrk_path() is None:
        return _python_run(base_url, paths, duration=duration, connections=connections)
    work_dir.mkdir(parents=True, exist_ok=True)
    script, listing = work_dir / "paths.lua", work_dir / "paths.txt"
    script.write_text(_LUA, encoding="utf-8")
    listing.write_text("\n".join(paths) + "\n", encoding="utf-8")
    threads = max(1, min(threads, connections))
    command = ["wrk", "--latency", "--timeout", "10s", "-t", str(threads), "-c", str(connections),
               "-d", f"{max(1, round(duration))}s", "-s", str(script), base_url, "--", str(listing), str(threads)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary:\n{done.stdout}\n{done.stderr}")
    raw = json.loads(line.removeprefix("WRKJSON "))
    pct, errors = raw["pct_ms"], sum(raw["errors"].values())
    return LoadResult(
        tool="wrk", requests=raw["requests"], rps=round(raw["requests"] / raw["duration_s"], 1),
        p50_ms=pct["50"], p75_ms=pct["75"], p90_ms=pct["90"], p95_ms=pct["95"], p99_ms=pct["99"],
        p999_ms=pct["99.9"], mean_ms=round(raw["mean_ms"], 3), max_ms=raw["max_ms"], errors=errors,
        repeated=max(0, raw["requests"] - len(paths)),
        kb_per_response=round(raw["bytes"] / max(1, raw["requests"]) / 1024, 1),
    )


# ------------------------------------------------------------------ fallback (no wrk on this machine)
def _python_run(base_url: str, paths: list[str], *, duration: float, connections: int) -> LoadResult:
    """Threads with one keep-alive http.client connection each. Far weaker than wrk (the GIL caps it near
    a few thousand requests/s), so static-file figures are a floor; used only when wrk cannot be installed."""
    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port
    latencies: list[list[float]] = [[] for _ in range(connections)]
    failures = [0] * connections
    sizes = [0] * connections
    deadline = time.perf_counter() + duration

    def worker(slot: int) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=10)
        n = 0
        while time.perf_counter() < deadline:
            path = paths[(n * connections + slot) % len(paths)]
            n += 1
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                sizes[slot] += len(response.read())
            except (OSError, http.client.HTTPException):
                failures[slot] += 1
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=10)
                continue
            latencies[slot].append((time.perf_counter() - started) * 1000)
            failures[slot] += response.status >= 400
        conn.close()

    started = time.perf_counter()
    workers = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - started
    flat = sorted(x for lst in latencies for x in lst)
    if not flat:
        raise RuntimeError("no request completed")
    cuts = statistics.quantiles(flat, n=1000, method="inclusive")
    at = {q: round(cuts[int(q * 10) - 1], 3) for q in (50, 75, 90, 95, 99, 99.9)}
    return LoadResult(
        tool="python", requests=len(flat), rps=round(len(flat) / elapsed, 1), p50_ms=at[50], p75_ms=at[75],
        p90_ms=at[90], p95_ms=at[95], p99_ms=at[99], p999_ms=at[99.9], mean_ms=round(statistics.fmean(flat), 3),
        max_ms=round(flat[-1], 3), errors=sum(failures), repeated=max(0, len(flat) - len(paths)),
        kb_per_response=round(sum(sizes) / len(flat) / 1024, 1),
    )
