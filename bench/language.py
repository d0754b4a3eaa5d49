"""Language detection: accuracy on short titles and leads, and speed, for each candidate detector.

    .venv/bin/python bench/language.py [--data DIR] [--repeat 7]

Candidates (kiosque.pipeline.enrich.language.BACKENDS), all in the same run and through the same code
path as production (`language_scores` restricted to fr/ar/en, and `detect_language`):
  py3langid (set_languages fr/ar/en), lingua (built from fr/ar/en), lingua-low (same, low-accuracy mode).

Corpora, under the shared data folder (--data, else $KIOSQUE_SHARED_DATA, else ../shared/data from the repo):
  clustering/dev.jsonl          titles and leads with gold `lang` (fr/ar/en)
  replay/manifest.json          sites[].pages[] titles with `lang` (fr/ar/en kept)
Derived: fr/en titles cut to their first 2, 3 and 4 words ("short"), the hard case for any detector.

Figures per backend:
  accuracy.<set>          share of texts whose detector argmax is the gold language (detector alone)
  pipeline.<set>          same through detect_language (script rule first, declared=None)
  declared.keep           declared = gold: share kept (the detector must not overrule a right declaration)
  declared.fix            Latin-script titles declared with the wrong Latin language (fr<->en): share fixed
  speed.<set>_per_s       texts per second, median of --repeat passes (detector alone, warm)
  cold_start_s            first call: building the detector and loading its models (lingua-low reuses the
                          models lingua loaded earlier in the run, so its figure is near 0)
Prints ONE JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from kiosque.pipeline.enrich.language import BACKENDS, DEFAULT_BACKEND, detect_language, language_scores

EXPECTED = ("fr", "ar", "en")
Sample = list[tuple[str, str]]


def _data_dir(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    if os.environ.get("KIOSQUE_SHARED_DATA"):
        return Path(os.environ["KIOSQUE_SHARED_DATA"])
    return Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def _load(data: Path) -> dict[str, Sample]:
    rows = [json.loads(line) for line in (data / "clustering" / "dev.jsonl").read_text("utf-8").splitlines() if line]
    manifest = json.loads((data / "replay" / "manifest.json").read_text("utf-8"))
    replay = [
        (page["title"], page["lang"])
        for site in manifest["sites"]
        for page in site.get("pages", [])
        if page.get("lang") in EXPECTED and page.get("title")
    ]
    sets: dict[str, Sample] = {
        "dev_titles": [(row["title"], row["lang"]) for row in rows],
        "dev_leads": [(row["lead"], row["lang"]) for row in rows if row.get("lead")],
        "replay_titles": replay,
    }
    latin_titles = [(title, lang) for title, lang in sets["dev_titles"] + replay if lang != "ar"]
    for words in (2, 3, 4):
        sets[f"short{words}w"] = [(" ".join(title.split()[:words]), lang) for title, lang in latin_titles]
    return sets


def _argmax(backend: str) -> Callable[[str], str]:
    def guess(text: str) -> str:
        scores = language_scores(text, expected=EXPECTED, backend=backend)
        return max(scores, key=scores.__getitem__)

    return guess


def _accuracy(guess: Callable[[str], str | None], sample: Sample) -> float:
    return round(sum(guess(text) == gold for text, gold in sample) / len(sample), 4)


def _speeds(sets: dict[str, Sample], repeat: int) -> dict[str, dict[str, float]]:
    """Texts/s per backend and set, median of `repeat` passes; passes alternate between backends so that
    a change in machine load hits every backend alike."""
    names = ("dev_titles", "dev_leads", "short3w")
    rates: dict[tuple[str, str], list[float]] = {(b, n): [] for b in BACKENDS for n in names}
    for _ in range(repeat):
        for backend in BACKENDS:
            guess = _argmax(backend)
            for name in names:
                start = time.perf_counter()
                for text, _gold in sets[name]:
                    guess(text)
                rates[backend, name].append(len(sets[name]) / (time.perf_counter() - start))
    return {b: {f"{n}_per_s": round(statistics.median(rates[b, n]), 1) for n in names} for b in BACKENDS}


def _declared(backend: str, sample: Sample) -> dict[str, float]:
    def run(text: str, declared: str) -> str | None:
        return detect_language(text, expected=EXPECTED, declared=declared, backend=backend).code

    latin = [(text, gold) for text, gold in sample if gold != "ar"]
    keep = sum(run(text, gold) == gold for text, gold in sample) / len(sample)
    fix = sum(run(text, "en" if gold == "fr" else "fr") == gold for text, gold in latin) / len(latin)
    return {"keep": round(keep, 4), "fix": round(fix, 4), "n_keep": len(sample), "n_fix": len(latin)}


def _measure(backend: str, sets: dict[str, Sample]) -> dict[str, object]:
    guess = _argmax(backend)
    start = time.perf_counter()
    guess("Premier appel : le modèle se charge ici.")
    cold = time.perf_counter() - start

    def pipeline(text: str) -> str | None:
        return detect_language(text, expected=EXPECTED, backend=backend).code

    titles = sets["dev_titles"] + sets["replay_titles"]
    short = sets["short2w"] + sets["short3w"] + sets["short4w"]
    return {
        "cold_start_s": round(cold, 3),
        "accuracy": {name: _accuracy(guess, sample) for name, sample in sets.items()},
        "pipeline": {name: _accuracy(pipeline, sample) for name, sample in sets.items()},
        "declared": {"titles": _declared(backend, titles), "short_titles": _declared(backend, short)},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", help="shared data folder (default: $KIOSQUE_SHARED_DATA or ../shared/data)")
    parser.add_argument("--repeat", type=int, default=7, help="timed passes per figure (median)")
    args = parser.parse_args()
    data = _data_dir(args.data)
    if not (data / "clustering" / "dev.jsonl").is_file() or not (data / "replay" / "manifest.json").is_file():
        print(f"bench/language.py: no corpus under {data} (clustering/dev.jsonl, replay/manifest.json); skipped")
        return 0
    sets = _load(data)
    backends = {backend: _measure(backend, sets) for backend in BACKENDS}
    for backend, speed in _speeds(sets, args.repeat).items():
        backends[backend]["speed"] = speed
    result = {
        "bench": "language",
        "default_backend": DEFAULT_BACKEND,
        "sizes": {name: len(sample) for name, sample in sets.items()},
        "backends": backends,
    }
    print(json.dumps(result, ensure_ascii=False, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
