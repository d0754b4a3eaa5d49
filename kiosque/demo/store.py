"""Read side of the bundled snapshot: URL keys, file names, and the resource index.

Shared by the replay server (which answers from it) and the snapshot builder (which
writes it), so the two can never disagree on how a URL maps to a file.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

__all__ = ["Resource", "Snapshot", "is_compressible", "snapshot_dir", "url_key", "url_to_file"]

_SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9._,+=@-]{1,100}$")


def snapshot_dir() -> Path:
    """The snapshot committed with the package (kiosque/demo/snapshot/)."""
    return Path(__file__).resolve().parent / "snapshot"


def url_key(host: str, target: str) -> str:
    """Lookup key for a request: lower-case host without port + percent-decoded path and query.

    The scheme is ignored on purpose: the fetcher sends https publisher URLs over plain
    http on the loopback hop. Decoding both sides makes `%D8%A7` and the raw UTF-8 form meet.
    """
    host = host.strip().lower().rsplit("@", 1)[-1]
    host = host.split("]", 1)[0] + "]" if host.startswith("[") else host.split(":", 1)[0]
    path, _, query = target.partition("?")
    # Leading "//" collapses to "/": http.server does so to every request line (open-redirect guard),
    # and some recorded URLs have it (republicoftogo.com//Toutes-les-rubriques/...).
    path = "/" + unquote(path.split("#", 1)[0]).lstrip("/")
    key = host + path
    return key + "?" + unquote(query) if query else key


def key_of_url(url: str) -> str:
    parts = urlsplit(url)
    target = (parts.path or "/") + ("?" + parts.query if parts.query else "")
    return url_key(parts.netloc, target)


def _safe_segment(segment: str) -> str:
    if _SAFE_SEGMENT.match(segment) and segment not in {".", ".."}:
        return segment
    digest = hashlib.sha1(segment.encode("utf-8")).hexdigest()[:10]
    ascii_part = re.sub(r"[^A-Za-z0-9]+", "-", segment).strip("-")[:60]
    return f"{ascii_part or 'slug'}-{digest}"


def url_to_file(url: str) -> str:
    """File name, relative to the snapshot directory, for a URL: files/<host>/<path>[__q<sha1>].gz.

    Path segments are joined with "~" instead of "/" (see below).

    Same idea as the replay corpus: a trailing "/" becomes "index", a query becomes
    "__q" + sha1(query)[:8], odd or long segments become "<ascii>-<sha1[:10]>".
    """
    parts = urlsplit(url)
    host = parts.netloc.lower()
    segments = [unquote(s) for s in (parts.path or "/").split("/")[1:]]
    if not segments or segments[-1] == "":
        segments = [*segments[:-1], "index"] if segments else ["index"]
    names = [_safe_segment(s) for s in segments]
    if parts.query:
        names[-1] += "__q" + hashlib.sha1(unquote(parts.query).encode("utf-8")).hexdigest()[:8]
    # One directory per host, path segments joined with "~": deep URL paths would otherwise make
    # over a thousand directories, which costs more disk than the gzipped bodies of small files.
    return f"files/{host}/" + "~".join(names) + ".gz"


def is_compressible(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media.startswith("text/") or media.endswith(("xml", "json"))


@dataclass
class Resource:
    """One answer of the server. Bodies are stored gzipped; both forms are cached on first use."""

    url: str
    path: Path
    content_type: str
    last_modified: str
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _gz: bytes | None = field(default=None, repr=False)
    _plain: bytes | None = field(default=None, repr=False)

    def gzipped(self) -> bytes:
        with self._lock:
            if self._gz is None:
                self._gz = self.path.read_bytes()
            return self._gz

    def content(self) -> bytes:
        gz = self.gzipped()
        with self._lock:
            if self._plain is None:
                self._plain = gzip.decompress(gz)
            return self._plain

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.content()).hexdigest() + '"'

    @property
    def modified_at(self) -> datetime:
        return parsedate_to_datetime(self.last_modified)

    @property
    def charset(self) -> str | None:
        match = re.search(r"charset=([\w.:-]+)", self.content_type, re.IGNORECASE)
        return match.group(1).lower() if match else None


class Snapshot:
    """The manifest plus an index of its resources by `url_key`."""

    def __init__(self, directory: Path | str | None = None) -> None:
        self.directory = Path(directory) if directory is not None else snapshot_dir()
        with (self.directory / "manifest.json").open(encoding="utf-8") as handle:
            self.manifest: dict[str, Any] = json.load(handle)
        self.resources: dict[str, Resource] = {}
        for entry in self.manifest["resources"]:
            resource = Resource(
                url=entry["url"],
                path=self.directory / entry["file"],
                content_type=entry["content_type"],
                last_modified=entry["last_modified"],
            )
            self.resources[key_of_url(entry["url"])] = resource

    def lookup(self, host: str, target: str) -> Resource | None:
        return self.resources.get(url_key(host, target))

    def get(self, url: str) -> Resource | None:
        return self.resources.get(key_of_url(url))
