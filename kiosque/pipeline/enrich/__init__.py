"""Enrich stage: pure functions on text, no I/O (beyond loading models shipped in wheels, lazily).

- `language`: detect_language (script rule, declared language, then a statistical detector)
- `normalize`: normalize_text / tokenize for search and duplicate detection (French elision, Arabic letters)
- `urls`: canonicalize_url / url_host
- `fingerprint`: MinHash fingerprints of normalised shingles, WireIndex (agency copy), exact_hash
- `embed`: multilingual sentence embeddings (Universal Sentence Encoder, in its wheel) behind `embed`
- `stories`: StoryAssigner (incremental grouping across outlets and languages) and `repair`
"""

from kiosque.pipeline.enrich.embed import EMBEDDING_DIM, Embedder, embed, embedding_text
from kiosque.pipeline.enrich.fingerprint import Fingerprint, WireIndex, WireOptions, exact_hash, text_fingerprint
from kiosque.pipeline.enrich.guard import GuardWeights
from kiosque.pipeline.enrich.language import LanguageGuess, detect_language
from kiosque.pipeline.enrich.normalize import normalize_text, tokenize
from kiosque.pipeline.enrich.stories import Assignment, Match, StoryAssigner, StoryItem, StoryOptions, repair
from kiosque.pipeline.enrich.urls import canonicalize_url, url_host

__all__ = [
    "EMBEDDING_DIM",
    "Assignment",
    "Embedder",
    "Fingerprint",
    "GuardWeights",
    "LanguageGuess",
    "Match",
    "StoryAssigner",
    "StoryItem",
    "StoryOptions",
    "WireIndex",
    "WireOptions",
    "canonicalize_url",
    "detect_language",
    "embed",
    "embedding_text",
    "exact_hash",
    "normalize_text",
    "repair",
    "text_fingerprint",
    "tokenize",
    "url_host",
]
