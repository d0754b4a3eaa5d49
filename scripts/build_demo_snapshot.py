#!/usr/bin/env python
"""Build the bundled demo snapshot (kiosque/demo/snapshot/) from the shared data.

    .venv/bin/python scripts/build_demo_snapshot.py [--data ../shared/data] [--out kiosque/demo/snapshot]

Reads replay/ (real publisher pages) and clustering/dev.jsonl (fictional outlets) under --data
(default: $KIOSQUE_SHARED_DATA, else ../shared/data next to the repository). Deterministic:
running it twice gives the same bytes.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
from pathlib import Path

from kiosque.demo.build import build_snapshot
from kiosque.demo.store import snapshot_dir

REPO = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    default_data = Path(os.environ.get("KIOSQUE_SHARED_DATA", REPO.parent / "shared" / "data"))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=default_data, help="shared data directory (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=snapshot_dir(), help="output directory (default: %(default)s)")
    args = parser.parse_args(argv)
    if not (args.data / "replay" / "manifest.json").exists() or not (args.data / "clustering" / "dev.jsonl").exists():
        print(f"no replay/ or clustering/ data under {args.data}; nothing built", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    manifest = build_snapshot(args.data, args.out)
    langs = collections.Counter(a["lang"] for a in manifest["articles"])
    kinds = collections.Counter(f["kind"] for s in manifest["sites"] for f in s["feeds"])
    print(
        f"{len(manifest['sites'])} sites, {len(manifest['articles'])} articles {dict(sorted(langs.items()))}, "
        f"{len(manifest['resources'])} resources, feeds {dict(sorted(kinds.items()))}, "
        f"{manifest['_total_bytes'] / 1e6:.2f} MB -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
