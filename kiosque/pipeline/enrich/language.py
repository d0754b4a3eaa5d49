"""Language of a title, lead or body, among the languages the site is expected to use.

Three steps, cheapest first:

1. Script. Among fr/ar/en only Arabic is written in Arabic script, so an Arabic-script text needs no
   statistical model, and a declared language whose script contradicts the text (declared "fr", text in
   Arabic) is implausible.
2. Declared language (`<html lang>`, feed `<language>`, the source's setting). When its script fits the
   text it is kept, unless the detector contradicts it with probability >= OVERRIDE_PROBABILITY on a text
   of at least OVERRIDE_MIN_WORDS words: CMS templates often declare "en" on French pages, while a
   detector alone misreads short titles full of proper names ("Suez Canal revenue" -> fr).
3. Detector, restricted to the expected languages of the text's script (fr/en for Latin text).

The detector was chosen by measurement (bench/language.py, figures in bench/RESULTS.md, section
"Language detection"); see DEFAULT_BACKEND. Models ship inside the py3langid and lingua wheels; a
detector is built on first use and cached for the process, never at import time.
"""

from __future__ import annotations

import copy
import functools
import threading
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "BACKENDS",
    "DEFAULT_BACKEND",
    "LanguageGuess",
    "detect_language",
    "language_scores",
]

BACKENDS = ("py3langid", "lingua", "lingua-low")

# Chosen by measurement: bench/language.py, all candidates in one run (figures in bench/RESULTS.md).
# Accuracy, detector alone, restricted to fr/ar/en:       py3langid   lingua   lingua-low
#   dev titles (198, fr/ar/en)                              100.0 %     99.5 %    99.5 %
#   dev leads (198)                                         100.0 %    100.0 %   100.0 %
#   replay page titles (134, real sites)                     98.5 %     98.5 %    97.8 %
#   fr/en titles cut to 2 / 3 / 4 words (252 each)     86.1/91.3/96.0  90.9/92.1/94.0  82.5/86.5/87.7
#   wrong declared fr<->en fixed by detect_language           96.0 %     88.9 %    94.8 %
# Speed (texts/s, median of 15 interleaved passes, 2 loaded CPUs): titles 6.3k / 7.6k / 10.8k,
#   leads 5.1k / 5.2k / 5.2k: a tie between py3langid and lingua, far above any crawl rate.
# Model size: py3langid 4.5 MB, lingua 96 MB. py3langid ties or wins on accuracy except on two-word
# fragments, fixes wrong declarations best, and is 20x lighter; lingua's low-accuracy mode loses 4-9
# points on short titles against both. Hence py3langid.
DEFAULT_BACKEND = "py3langid"

# Declared-language override: the detector must give another language at least this probability, on a
# text of at least this many words, to overrule the page. bench/language.py "declared": a right
# declaration is kept on 100 % of titles and of 2-4 word fragments; a wrong fr<->en one is fixed on 96 %
# of full titles but only 22 % of fragments, where the detector is not to be trusted over the page.
OVERRIDE_PROBABILITY = 0.9
OVERRIDE_MIN_WORDS = 4

# Confidence reported for a declared language we could not check (no letters, or a language we have
# no detector for but whose script fits).
UNCHECKED_CONFIDENCE = 0.5

# Detection reads the start of the text only: a title plus a lead is plenty, and cost grows with length.
MAX_CHARS = 1000

_ARABIC_SCRIPT = frozenset({"ar", "fa", "ur", "ps", "ckb", "sd", "ug", "ks"})
_LATIN_SCRIPT = frozenset(
    {
        "af", "br", "ca", "cs", "cy", "da", "de", "en", "eo", "es", "et", "eu", "fi", "fr", "ga", "gl", "ha",
        "hr", "hu", "id", "is", "it", "kab", "lb", "lt", "lv", "ms", "mt", "nb", "nl", "nn", "no", "oc", "pl",
        "pt", "ro", "rw", "sk", "sl", "so", "sq", "sv", "sw", "tl", "tr", "vi", "wo", "xh", "yo", "zu",
    }
)  # fmt: skip


@dataclass(frozen=True)
class LanguageGuess:
    """`code`: ISO 639-1 code or None; `confidence`: 0..1 support from the text for `code`;
    `method`: "declared", "script", "empty" or the detector's name ("py3langid", "lingua", "lingua-low")."""

    code: str | None
    confidence: float
    method: str


def detect_language(
    text: str,
    *,
    expected: tuple[str, ...] = ("fr", "ar", "en"),
    declared: str | None = None,
    backend: str = DEFAULT_BACKEND,
) -> LanguageGuess:
    """Guess the language of `text` among `expected`, trusting `declared` when the text allows it."""
    sample = text[:MAX_CHARS]
    wanted = _codes(expected)
    claimed = _primary(declared)
    script, share = _dominant_script(sample)
    if script is None:  # no letters: nothing to check the declaration against
        if claimed:
            return LanguageGuess(claimed, UNCHECKED_CONFIDENCE, "declared")
        return LanguageGuess(None, 0.0, "empty")
    plausible = claimed is not None and _script_of(claimed) == script
    candidates = tuple(code for code in wanted if _script_of(code) == script)
    if plausible and claimed not in candidates:
        # e.g. a page declaring "de": we have no detector for it, but the script fits.
        return LanguageGuess(claimed, UNCHECKED_CONFIDENCE, "declared")
    if not candidates:
        return LanguageGuess(None, share, "script")
    if len(candidates) == 1:
        return LanguageGuess(candidates[0], share, "declared" if plausible else "script")
    scores = language_scores(sample, expected=candidates, backend=backend)
    best = max(scores, key=scores.__getitem__)
    if plausible and claimed is not None:
        overruled = best != claimed and scores[best] >= OVERRIDE_PROBABILITY
        if not (overruled and len(sample.split()) >= OVERRIDE_MIN_WORDS):
            return LanguageGuess(claimed, scores[claimed], "declared")
    return LanguageGuess(best, scores[best], backend)


def language_scores(text: str, *, expected: Sequence[str], backend: str = DEFAULT_BACKEND) -> dict[str, float]:
    """Probability of each expected language (they sum to 1) from the detector alone, no script rule."""
    wanted = _codes(expected)
    if len(wanted) < 2:
        raise ValueError(f"need at least two expected languages to compare, got {wanted!r}")
    scorer = _scorer(backend, tuple(sorted(wanted)))
    return scorer(text[:MAX_CHARS])


# ------------------------------------------------------------------ detectors
Scorer = Callable[[str], dict[str, float]]


_BUILD_LOCK = threading.Lock()


def _scorer(backend: str, codes: tuple[str, ...]) -> Scorer:
    """Build once per (backend, languages); later calls reuse it (models load on first use only).

    The crawler calls this from several threads at once on a cold process: the lock makes one thread load
    the model while the others wait, instead of each decompressing it (seconds each).
    """
    with _BUILD_LOCK:
        return _build_scorer(backend, codes)


@functools.cache
def _build_scorer(backend: str, codes: tuple[str, ...]) -> Scorer:
    if backend == "py3langid":
        return _py3langid_scorer(codes)
    if backend in ("lingua", "lingua-low"):
        return _lingua_scorer(codes, low_accuracy=backend == "lingua-low")
    raise ValueError(f"unknown language detector {backend!r}; choose one of {BACKENDS}")


@functools.cache
def _py3langid_model() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _py3langid_scorer(codes: tuple[str, ...]) -> Scorer:
    # set_languages() rebinds the restricted arrays on the instance and leaves the full model alone, so
    # a shallow copy per language set shares the 4.5 MB model instead of loading it again.
    identifier = copy.copy(_py3langid_model())
    identifier.set_languages(list(codes))  # ValueError names unknown codes

    def score(text: str) -> dict[str, float]:
        # rank(): every allowed language with its probability (norm_probs=True makes them sum to 1).
        return {str(label): float(p) for label, p in identifier.rank(text)}

    return score


def _lingua_scorer(codes: tuple[str, ...], *, low_accuracy: bool) -> Scorer:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    try:
        isos = [getattr(IsoCode639_1, code.upper()) for code in codes]
    except AttributeError as exc:
        raise ValueError(f"lingua has no language for one of {codes!r}") from exc
    builder = LanguageDetectorBuilder.from_iso_codes_639_1(*isos)
    detector = (builder.with_low_accuracy_mode() if low_accuracy else builder).build()

    def score(text: str) -> dict[str, float]:
        result = {code: 0.0 for code in codes}
        for value in detector.compute_language_confidence_values(text):
            result[value.language.iso_code_639_1.name.lower()] = value.value
        if not any(result.values()):  # lingua gives all zeros when it sees no letters
            result = {code: 1.0 / len(codes) for code in codes}
        return result

    return score


# --------------------------------------------------------------------- script
def _dominant_script(text: str) -> tuple[str | None, float]:
    """("arabic" | "latin" | "other", share of letters) of the most used script; (None, 0) without letters."""
    counts = {"arabic": 0, "latin": 0, "other": 0}
    for char in text:
        if char.isalpha():
            counts[_char_script(char)] += 1
    total = sum(counts.values())
    if not total:
        return None, 0.0
    script = max(counts, key=counts.__getitem__)
    return script, counts[script] / total


@functools.lru_cache(maxsize=4096)
def _char_script(char: str) -> str:
    name = unicodedata.name(char, "")
    if name.startswith("ARABIC"):
        return "arabic"
    if name.startswith("LATIN"):
        return "latin"
    return "other"


def _script_of(code: str) -> str:
    if code in _ARABIC_SCRIPT:
        return "arabic"
    if code in _LATIN_SCRIPT:
        return "latin"
    return "other"


def _primary(tag: str | None) -> str | None:
    """Primary subtag: "fr-FR", "fr_CA", " AR " -> "fr", "fr", "ar"; "" or None -> None."""
    if not tag:
        return None
    primary = tag.strip().replace("_", "-").split("-", 1)[0].lower()
    return primary or None


def _codes(expected: Sequence[str]) -> tuple[str, ...]:
    codes: list[str] = []
    for tag in expected:
        code = _primary(tag)
        if code and code not in codes:
            codes.append(code)
    return tuple(codes)
