"""Agency copy and exact duplicates: MinHash LSH over word shingles of the normalised text.

An agency dispatch republished by several outlets keeps most of its wording (a new title, a sentence
dropped or added): on the labelled dev set its word 3-shingle Jaccard is 0.60-0.82 between copies, while
independent reports of one event stay at or below 0.10 and unrelated articles below 0.08. The default
`WireOptions.threshold` (0.4) sits in the middle of that gap, low enough to still catch a copy cut to
half its length (Jaccard ~0.5) and far above independent reports (see bench/RESULTS.md, "Stories").

    fp = text_fingerprint("Titre", "Chapeau.", "Corps...", "fr")
    index = WireIndex()
    index.add("a1", fp, published)
    index.query(other_fp)            # -> ["a1"]: ids of near-identical items, earliest first
    Fingerprint.from_bytes(fp.to_bytes()) == fp

`datasketch` does the hashing and the banding; this module chooses what is shingled, keeps a
serialisable form for the database, and drops texts too short to tell a copy from a coincidence.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from kiosque.pipeline.enrich.normalize import tokenize

__all__ = ["Fingerprint", "WireIndex", "WireOptions", "exact_hash", "shingles", "text_fingerprint"]

SHINGLE_WORDS = 3  # word 3-shingles: measured gap 0.10 / 0.60 on dev (2-shingles: 0.15 / 0.65)
NUM_PERM = 128  # estimator std ~0.045 at J=0.5; 512 bytes per article
_SEED = 1
_SCHEME = "affine32"
_HEADER = struct.Struct("<BHI")  # format version, num_perm, shingle count
_VERSION = 1


@dataclass(frozen=True)
class WireOptions:
    threshold: float = 0.4  # estimated Jaccard at and above which two texts are copies of one dispatch
    min_shingles: int = 12  # shorter texts (a bare title) are never flagged: too easy to match by chance


@dataclass(frozen=True)
class Fingerprint:
    """MinHash signature of a text; `to_bytes()` is what the database stores (512 bytes + 7)."""

    hashvalues: bytes  # num_perm little-endian uint32
    shingles: int  # number of distinct shingles: 0 for an empty text
    num_perm: int = NUM_PERM

    def to_bytes(self) -> bytes:
        return _HEADER.pack(_VERSION, self.num_perm, self.shingles) + self.hashvalues

    @classmethod
    def from_bytes(cls, data: bytes) -> Fingerprint:
        version, num_perm, shingles = _HEADER.unpack_from(data)
        if version != _VERSION or len(data) != _HEADER.size + 4 * num_perm:
            raise ValueError(f"not a version-{_VERSION} fingerprint of {len(data)} bytes")
        return cls(hashvalues=data[_HEADER.size :], shingles=shingles, num_perm=num_perm)

    def minhash(self) -> LeanMinHash:
        # Lean: the LSH index only needs the values, and a full MinHash would draw its permutations again.
        values = np.frombuffer(self.hashvalues, dtype="<u4").astype(np.uint32)
        return LeanMinHash(seed=_SEED, hashvalues=values, scheme=_SCHEME)

    def jaccard(self, other: Fingerprint) -> float:
        """Estimated Jaccard similarity of the two shingle sets (0.0 when either text is empty)."""
        if not self.shingles or not other.shingles:
            return 0.0
        mine = np.frombuffer(self.hashvalues, dtype="<u4")
        theirs = np.frombuffer(other.hashvalues, dtype="<u4")
        return float(np.count_nonzero(mine == theirs)) / self.num_perm


def shingles(text: str, lang: str | None, size: int = SHINGLE_WORDS) -> set[bytes]:
    """Distinct word `size`-shingles of the normalised text (the whole text when it is shorter)."""
    words = tokenize(text, lang)
    if len(words) < size:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)}


_TEMPLATE: dict[int, MinHash] = {}


def _empty_minhash(num_perm: int) -> MinHash:
    # Building a MinHash draws its permutations again each time; copying a template skips that.
    template = _TEMPLATE.get(num_perm)
    if template is None:
        template = _TEMPLATE.setdefault(num_perm, MinHash(num_perm=num_perm, seed=_SEED, scheme=_SCHEME))
    return template.copy()


def text_fingerprint(title: str, lead: str, body: str, lang: str | None, *, num_perm: int = NUM_PERM) -> Fingerprint:
    """Fingerprint of an article's title, lead and body (joined: copies often change only the title)."""
    grams = shingles(f"{title}\n{lead}\n{body}", lang)
    minhash = _empty_minhash(num_perm)
    if grams:
        minhash.update_batch(list(grams))
    values = np.asarray(minhash.hashvalues, dtype=np.uint32).astype("<u4").tobytes()
    return Fingerprint(hashvalues=values, shingles=len(grams), num_perm=num_perm)


def exact_hash(text: str, lang: str | None) -> str:
    """SHA-256 (hex) of the normalised text: equal for texts differing only in case, accents, spacing."""
    return hashlib.sha256(" ".join(tokenize(text, lang)).encode()).hexdigest()


@dataclass
class _Entry:
    fingerprint: Fingerprint
    published: datetime


@dataclass
class WireIndex:
    """Near-duplicate index: which earlier items is this text a copy of? Not thread-safe (one per worker)."""

    options: WireOptions = field(default_factory=WireOptions)
    num_perm: int = NUM_PERM

    def __post_init__(self) -> None:
        self._lsh = MinHashLSH(threshold=self.options.threshold, num_perm=self.num_perm)
        self._entries: dict[str, _Entry] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._entries

    def add(self, article_id: str, fingerprint: Fingerprint, published: datetime) -> None:
        """Index an item (texts under `min_shingles` are remembered but never matched)."""
        if article_id in self._entries:
            self.remove(article_id)
        self._entries[article_id] = _Entry(fingerprint, published)
        if fingerprint.shingles >= self.options.min_shingles:
            self._lsh.insert(article_id, fingerprint.minhash(), check_duplication=False)

    def remove(self, article_id: str) -> None:
        entry = self._entries.pop(article_id, None)
        if entry is not None and entry.fingerprint.shingles >= self.options.min_shingles:
            self._lsh.remove(article_id)

    def prune(self, before: datetime) -> int:
        """Forget items published before `before` (keeps memory bounded); returns how many went."""
        old = [key for key, entry in self._entries.items() if entry.published < before]
        for key in old:
            self.remove(key)
        return len(old)

    def query(self, fingerprint: Fingerprint) -> list[str]:
        """Ids of indexed copies of this text (estimated Jaccard >= threshold), earliest published first."""
        if fingerprint.shingles < self.options.min_shingles:
            return []
        found = []
        for key in self._lsh.query(fingerprint.minhash()):
            entry = self._entries[str(key)]
            if entry.fingerprint.jaccard(fingerprint) >= self.options.threshold:
                found.append((entry.published, str(key)))
        return [key for _, key in sorted(found)]

    def similarity(self, article_id: str, fingerprint: Fingerprint) -> float:
        """Estimated Jaccard between an indexed item and a fingerprint (0.0 when the id is unknown)."""
        entry = self._entries.get(article_id)
        return entry.fingerprint.jaccard(fingerprint) if entry is not None else 0.0
