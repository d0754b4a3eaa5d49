"""The bundled replay snapshot and the local replay server used by `kiosque demo` and the tests.

`snapshot/manifest.json` lists the sites (with their feeds and extraction rules), every URL the
server answers (`resources`) and the expected articles; `ReplayServer` serves it on 127.0.0.1.
The snapshot is rebuilt by scripts/build_demo_snapshot.py (code in `kiosque.demo.build`).
"""

from kiosque.demo.faults import Fault, FaultKind, parse_fault_spec
from kiosque.demo.replay import ReplayServer, RequestRecord
from kiosque.demo.store import Resource, Snapshot, snapshot_dir, url_key

__all__ = [
    "Fault",
    "FaultKind",
    "ReplayServer",
    "RequestRecord",
    "Resource",
    "Snapshot",
    "parse_fault_spec",
    "snapshot_dir",
    "url_key",
]
