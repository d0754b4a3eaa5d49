"""Documents and queries to search terms, the same way for both back-ends.

    terms("Les ministres ont démissionné", "fr")      -> ["ministr", "demission"]
    terms("وَالْمَدْرَسَةُ", "ar")                        -> ["مدرس"]
    terms("Les ministres", "fr", stem=False)          -> ["ministres"]   (PostgreSQL stems itself)

Steps, per analyzer ("fr", "en", "ar", or "" for any other language):
1. `normalize_text` (casefold, accents, French elision, Arabic tashkeel/tatweel/alef/taa marbuta, digits);
2. stop words dropped (stopwords.py; PostgreSQL's own lists, so both back-ends drop the same words), and
   words longer than MAX_TERM_CHARS;
3. Arabic only: light prefix stripping (Larkey's "light10" prefixes): the conjunction و when at least three
   letters remain, then one of the articles وال بال كال فال لل ال when at least two remain. The Snowball
   Arabic stemmer alone strips only one prefix and skips pronoun suffixes on definite nouns, so it stems
   "وزير" to "زير" but "الوزير" to "وزير", and "المدرسه" to "مدرسه" but "مدرسه" to "مدرس": stripping the
   prefixes first makes the definite and bare forms meet;
4. Snowball stemming (PyStemmer: french, english, arabic); no stemming for "". On PostgreSQL `stem=False`
   is used when the database has the matching text search configuration, which runs the same Snowball
   stemmers (checked: identical output on our test words with PostgreSQL 15 and PyStemmer 3.1).
"""

from __future__ import annotations

import threading

import Stemmer

from kiosque.articles.search.stopwords import STOPWORDS
from kiosque.pipeline.enrich.normalize import normalize_text

__all__ = ["ANALYZERS", "MAX_QUERY_TERMS", "analyzer_for", "query_terms", "terms"]

# Analyzer key -> Snowball algorithm. Languages outside this table use the "" analyzer (no stemming).
ANALYZERS = {"fr": "french", "en": "english", "ar": "arabic"}
MAX_QUERY_TERMS = 16  # every term must match; a longer paste is cut rather than made slow
# Longer "words" are junk (base64, run-together URLs); PostgreSQL would skip them anyway (limit 2047 bytes).
MAX_TERM_CHARS = 100

_ARABIC_CONJUNCTION = "و"
_ARABIC_ARTICLES = ("وال", "بال", "كال", "فال", "لل", "ال")  # longest first
# PyStemmer's Stemmer objects are not thread-safe (they keep a buffer); one set per thread.
_local = threading.local()


def analyzer_for(language: str | None) -> str:
    """The analyzer of an ISO 639-1 language code ("fr-FR" -> "fr"); "" for unknown or other languages."""
    code = (language or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in ANALYZERS else ""


def _stemmer(analyzer: str) -> Stemmer.Stemmer:
    stemmers: dict[str, Stemmer.Stemmer] | None = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {key: Stemmer.Stemmer(algo) for key, algo in ANALYZERS.items()}
    return stemmers[analyzer]


def strip_arabic_prefixes(word: str) -> str:
    """Light10 prefix stripping on a normalised Arabic word (see the module docstring)."""
    if word.startswith(_ARABIC_CONJUNCTION) and len(word) >= 4:
        word = word[1:]
    for article in _ARABIC_ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= 2:
            return word[len(article) :]
    return word


def terms(text: str, analyzer: str, *, stem: bool = True) -> list[str]:
    """Search terms of `text`, in order, with repeats (a document's token stream)."""
    words = normalize_text(text, analyzer or None).split()
    stop = STOPWORDS[analyzer]
    words = [word for word in words if word not in stop and len(word) <= MAX_TERM_CHARS]
    if analyzer == "ar":
        words = [strip_arabic_prefixes(word) for word in words]
    if stem and analyzer:
        # A stemmer never returns "" for a non-empty word, but keep the word if one ever did.
        words = [s or w for s, w in zip(_stemmer(analyzer).stemWords(words), words, strict=True)]
    return words


def query_terms(query: str, analyzer: str, *, stem: bool = True) -> list[str]:
    """Distinct terms of a user query, at most MAX_QUERY_TERMS; [] when nothing searchable is left."""
    distinct = dict.fromkeys(terms(query, analyzer, stem=stem))
    return list(distinct)[:MAX_QUERY_TERMS]
