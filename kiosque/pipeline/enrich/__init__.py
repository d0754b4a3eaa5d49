"""Enrich stage: pure functions on text, no I/O.

- `language`: detect_language (script rule, declared language, then a statistical detector)
- `normalize`: normalize_text / tokenize for search and duplicate detection (French elision, Arabic letters)
- `urls`: canonicalize_url / url_host
"""

from kiosque.pipeline.enrich.language import LanguageGuess, detect_language
from kiosque.pipeline.enrich.normalize import normalize_text, tokenize
from kiosque.pipeline.enrich.urls import canonicalize_url, url_host

__all__ = [
    "LanguageGuess",
    "canonicalize_url",
    "detect_language",
    "normalize_text",
    "tokenize",
    "url_host",
]
