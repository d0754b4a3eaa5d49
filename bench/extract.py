"""Article-extraction benchmark: our `extract()` against plain `trafilatura.extract` in the same run.

    .venv/bin/python bench/extract.py [--data DIR] [--repeat 3] [--limit N] [--check-scorer]

Corpora (read from <data>/extraction, see its README):
  scrapinghub-aeb     metric A (ScrapingHub shingle metric) on `articleBody`
  trafilatura-eval    metric B (trafilatura "with"/"without" segments, micro-averaged)
  fundus              metric A against the joined Fundus body (summary, then headlines and paragraphs)
  newspaper4k-arabic  metric A
  fr / ar             the French and Arabic cases (multilingual-fr-ar.json), each scored with its corpus' metric

Prints ONE JSON line: per corpus precision/recall/F1 for both extractors, pages/second for both (median of
`--repeat` timed passes over every page, extraction only, HTML bytes already in memory) and the ratios.
`--check-scorer` scores the ScrapingHub peers' shipped outputs instead (conformance with the README's table D).
`--metadata` scores title (exact), author (same set of names) and date (same day) for both, untimed.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import os
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import trafilatura

from kiosque.pipeline.errors import ExtractError
from kiosque.pipeline.extract import extract
from kiosque.pipeline.types import ExtractOptions

REPO = Path(__file__).resolve().parent.parent

# ----------------------------------------------------------------- metric A
# The standard `re` module on purpose: the README's tokenisation is defined by it (see section A.1).
_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def shingles(toks: list[str]) -> Counter[tuple[str, ...]]:
    if not toks:
        return Counter()
    if len(toks) < 4:
        return Counter([tuple(toks)])
    return Counter(tuple(toks[i : i + 4]) for i in range(len(toks) - 3))


@dataclass
class ShingleScore:
    """Per-document TP/FP/FN shares and exact-match flags, aggregated as the README's section A says."""

    docs: list[tuple[float, float, float, bool]] = field(default_factory=list)

    def add(self, gold: str, pred: str) -> None:
        gold_toks, pred_toks = tokens(gold), tokens(pred)
        g, p = shingles(gold_toks), shingles(pred_toks)
        counts = (sum((g & p).values()), sum((p - g).values()), sum((g - p).values()))  # TP, FP, FN
        total = sum(counts) or 1  # all three stay 0 when there is nothing to count
        tp, fp, fn = (count / total for count in counts)
        self.docs.append((tp, fp, fn, gold_toks == pred_toks))

    def result(self) -> dict[str, float]:
        precisions = [_ratio(tp, fp, fn, denominator=tp + fp) for tp, fp, fn, _ in self.docs if tp + fp > 0]
        recalls = [_ratio(tp, fp, fn, denominator=tp + fn) for tp, fp, fn, _ in self.docs if tp + fn > 0]
        p = statistics.fmean(precisions) if precisions else 0.0
        r = statistics.fmean(recalls) if recalls else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        acc = sum(exact for *_, exact in self.docs) / len(self.docs) if self.docs else 0.0
        return {"precision": p, "recall": r, "f1": f1, "accuracy": acc, "pages": len(self.docs)}


def _ratio(tp: float, fp: float, fn: float, *, denominator: float) -> float:
    if fp == 0 and fn == 0:
        return 1.0
    return tp / denominator


# ----------------------------------------------------------------- metric B
_SPACES = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


@dataclass
class SegmentScore:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0
    pages: int = 0

    def add(self, with_: Iterable[str], without: Iterable[str], pred: str) -> None:
        out = _norm(pred)
        self.pages += 1
        for seg in with_:
            if _norm(seg) in out:
                self.tp += 1
            else:
                self.fn += 1
        for seg in without:
            if _norm(seg) in out:
                self.fp += 1
            else:
                self.tn += 1

    def result(self) -> dict[str, float]:
        tp, fp, fn, tn = self.tp, self.fp, self.fn, self.tn
        return {
            "precision": tp / (tp + fp) if tp + fp else 0.0,
            "recall": tp / (tp + fn) if tp + fn else 0.0,
            "f1": 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0,
            "accuracy": (tp + tn) / (tp + fp + fn + tn) if tp + fp + fn + tn else 0.0,
            "pages": self.pages,
        }


# ------------------------------------------------------------------ corpora
@dataclass(frozen=True)
class Case:
    corpus: str
    key: str  # path-like id as in multilingual-fr-ar.json
    html: bytes
    url: str
    gold: str = ""  # metric A
    with_: tuple[str, ...] = ()  # metric B
    without: tuple[str, ...] = ()
    truth: tuple[tuple[str, str], ...] = ()  # ("title" | "author" | "date", value) for --metadata


def _gunzip(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes())


def load_cases(root: Path, limit: int | None) -> list[Case]:
    """Every case of the split, `limit` per corpus at most, in manifest order."""
    manifest = json.loads((root / "manifest.json").read_text())
    loaders = {
        "scrapinghub-aeb": _scrapinghub,
        "trafilatura-eval": _trafilatura_eval,
        "fundus": _fundus,
        "newspaper4k-arabic": _newspaper4k,
    }
    return [case for corpus, loader in loaders.items() for case in loader(root, manifest[corpus][:limit])]


def _read(path: Path) -> Any:
    return json.loads(path.read_text())


def _scrapinghub(root: Path, ids: list[str]) -> list[Case]:
    truth = _read(root / "scrapinghub-aeb/ground-truth.json")
    return [
        Case(
            "scrapinghub-aeb",
            f"scrapinghub-aeb/{cid}",
            _gunzip(root / f"scrapinghub-aeb/html/{cid}.html.gz"),
            truth[cid]["url"],
            gold=truth[cid]["articleBody"],
        )
        for cid in ids
    ]


def _trafilatura_eval(root: Path, ids: list[str]) -> list[Case]:
    records = _read(root / "trafilatura-eval/evaldata.json")
    cases = []
    for cid in ids:
        rec = records[cid]
        cases.append(
            Case(
                "trafilatura-eval",
                f"trafilatura-eval/{cid}",
                _gunzip(root / f"trafilatura-eval/html/{cid}.gz"),
                rec["key"] if str(rec["key"]).startswith("http") else "",
                with_=tuple(rec["with"]),
                without=tuple(rec["without"]),
                truth=_truth(rec.get("title"), rec.get("author"), rec.get("date")),
            )
        )
    return cases


def _fundus(root: Path, ids: list[str]) -> list[Case]:
    index = _read(root / "fundus/index.json")
    cases = []
    for cid in ids:
        ent = index[cid]
        record = _read(root / "fundus" / ent["expected"])[ent["version_key"]]
        authors = "; ".join(record.get("authors") or [])
        truth = _truth(record.get("title"), authors, (record.get("publishing_date") or "")[:10])
        html = _gunzip(root / "fundus" / ent["html"])
        cases.append(Case("fundus", f"fundus/{cid}", html, ent["url"], gold=_fundus_body(record["body"]), truth=truth))
    return cases


def _newspaper4k(root: Path, ids: list[str]) -> list[Case]:
    truth = _read(root / "newspaper4k-arabic/ground-truth.json")
    return [
        Case(
            "newspaper4k-arabic",
            f"newspaper4k-arabic/{cid}",
            _gunzip(root / f"newspaper4k-arabic/html/{cid}.html.gz"),
            truth[cid].get("url", ""),
            gold=truth[cid]["articleBody"],
        )
        for cid in ids
    ]


def _truth(title: object, author: object, date: object) -> tuple[tuple[str, str], ...]:
    fields = (("title", title), ("author", author), ("date", date))
    return tuple(
        (name, "; ".join(map(str, value)) if isinstance(value, list) else str(value)) for name, value in fields if value
    )


def _fundus_body(body: dict[str, list]) -> str:  # type: ignore[type-arg]
    parts: list[str] = list(body.get("summary", []))
    for section in body.get("sections", []):
        parts.extend(section.get("headline", []))
        parts.extend(section.get("paragraphs", []))
    return "\n\n".join(parts)


# ---------------------------------------------------------------- extractors
OUR_OPTIONS = [ExtractOptions()]  # the base options (one slot: --min-text-chars replaces it)


def ours(case: Case) -> str:
    try:
        return extract(case.html, dataclasses.replace(OUR_OPTIONS[0], url=case.url)).text
    except ExtractError:
        return ""


def plain_trafilatura(case: Case) -> str:
    # The baseline as trafilatura scores itself: comments off, tables on, formatting off.
    return trafilatura.extract(case.html, url=case.url or None, include_comments=False, include_tables=True) or ""


EXTRACTORS: dict[str, Callable[[Case], str]] = {"ours": ours, "trafilatura": plain_trafilatura}


def score(cases: list[Case], outputs: dict[str, str]) -> dict[str, dict[str, float]]:
    scorers: dict[str, ShingleScore | SegmentScore] = {}
    lang_of = _lang_subsets()
    for case in cases:
        pred = outputs.get(case.key, "")
        groups = [case.corpus] + [f"{lang}:{case.corpus}" for lang in lang_of.get(case.key, ())]
        for group in groups:
            if case.with_ or case.without:
                seg = scorers.setdefault(group, SegmentScore())
                assert isinstance(seg, SegmentScore)
                seg.add(case.with_, case.without, pred)
            else:
                shi = scorers.setdefault(group, ShingleScore())
                assert isinstance(shi, ShingleScore)
                shi.add(case.gold, pred)
    return {name: {k: round(v, 4) for k, v in s.result().items()} for name, s in sorted(scorers.items())}


_LANG_SUBSETS: dict[str, list[str]] = {}


def _lang_subsets() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for lang, keys in _LANG_SUBSETS.items():
        for key in keys:
            out.setdefault(key, []).append(lang)
    return out


def run(cases: list[Case], repeat: int) -> dict[str, object]:
    """Score both extractors and time them page by page, interleaved (alternating which goes
    first), so that load from other processes on the machine weighs on both alike."""
    names = list(EXTRACTORS)
    outputs: dict[str, dict[str, str]] = {name: {} for name in names}
    totals: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(repeat):
        spent = dict.fromkeys(names, 0.0)
        for index, case in enumerate(cases):
            for name in names if index % 2 == 0 else reversed(names):
                start = time.perf_counter()
                outputs[name][case.key] = EXTRACTORS[name](case)
                spent[name] += time.perf_counter() - start
        for name in names:
            totals[name].append(spent[name])
    speeds = {name: len(cases) / statistics.median(totals[name]) for name in names}
    scores = {name: score(cases, outputs[name]) for name in names}
    return {
        **scores,
        "pages_per_second": {k: round(v, 2) for k, v in speeds.items()},
        "speed_ratio_ours_vs_trafilatura": round(speeds["ours"] / speeds["trafilatura"], 3),
        "f1_delta_ours_minus_trafilatura": {
            corpus: round(result["f1"] - scores["trafilatura"][corpus]["f1"], 4)
            for corpus, result in scores["ours"].items()
        },
        "pages": len(cases),
        "repeat": repeat,
        "our_options": {"min_text_chars": OUR_OPTIONS[0].min_text_chars},
    }


# ----------------------------------------------------------------- metadata
def _people(value: str) -> frozenset[str]:
    return frozenset(" ".join(p.split()).casefold() for p in re.split(r"[,;]| and | und | et ", value) if p.strip())


def _meta_match(field_name: str, truth: str, found: str) -> bool:
    if field_name == "title":
        return " ".join(truth.split()) == " ".join(found.split())
    if field_name == "author":
        return _people(truth) == _people(found)
    return found[:10] == truth[:10]


def _ours_meta(case: Case) -> dict[str, str]:
    try:
        art = extract(case.html, ExtractOptions(url=case.url))
    except ExtractError:
        return {}
    return {"title": art.title, "author": art.author, "date": art.published.isoformat() if art.published else ""}


def _trafilatura_meta(case: Case) -> dict[str, str]:
    doc = trafilatura.bare_extraction(case.html, url=case.url or None, include_comments=False, with_metadata=True)
    if doc is None:
        return {}
    return {"title": doc.title or "", "author": doc.author or "", "date": doc.date or ""}  # type: ignore[union-attr]


def score_metadata(cases: list[Case]) -> dict[str, object]:
    """Exact title, same-day date and same author set on the pages whose truth has the field."""
    report: dict[str, object] = {}
    for name, fn in (("ours", _ours_meta), ("trafilatura", _trafilatura_meta)):
        hits: Counter[str] = Counter()
        totals: Counter[str] = Counter()
        for case in cases:
            if not case.truth:
                continue
            found = fn(case)
            for field_name, value in case.truth:
                key = f"{case.corpus}:{field_name}"
                totals[key] += 1
                hits[key] += _meta_match(field_name, value, found.get(field_name, ""))
        report[name] = {key: {"share": round(hits[key] / totals[key], 3), "n": totals[key]} for key in sorted(totals)}
    return report


def check_scorer(root: Path) -> dict[str, object]:
    manifest = json.loads((root / "manifest.json").read_text())
    gold = json.loads((root / "scrapinghub-aeb/ground-truth.json").read_text())
    out: dict[str, object] = {}
    for path in sorted((root / "scrapinghub-aeb/peer-outputs").glob("*.json.gz")):
        peer = json.loads(_gunzip(path))["output"]
        s = ShingleScore()
        for cid in manifest["scrapinghub-aeb"]:
            s.add(gold[cid]["articleBody"], (peer.get(cid) or {}).get("articleBody") or "")
        out[path.name.removesuffix(".json.gz")] = {k: round(v, 3) for k, v in s.result().items()}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default_data = os.environ.get("KIOSQUE_SHARED_DATA") or str(REPO / "../shared/data")
    parser.add_argument("--data", default=default_data, help="shared data directory (holds extraction/)")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes; pages/second is their median")
    parser.add_argument("--limit", type=int, default=None, help="at most N pages per corpus (quick runs)")
    parser.add_argument("--check-scorer", action="store_true", help="score the shipped ScrapingHub peer outputs")
    parser.add_argument("--metadata", action="store_true", help="score title/author/date instead (not timed)")
    parser.add_argument(
        "--min-text-chars",
        type=int,
        default=None,
        help="override ExtractOptions.min_text_chars (default: ours, 200; 0 compares like for like with trafilatura, "
        "which keeps any text)",
    )
    args = parser.parse_args(argv)
    root = Path(args.data) / "extraction"
    if not (root / "manifest.json").is_file():
        print(f"bench/extract.py: no extraction corpus at {root}; nothing to measure.", file=sys.stderr)
        return 0
    if args.check_scorer:
        print(json.dumps(check_scorer(root)))
        return 0
    if args.min_text_chars is not None:
        OUR_OPTIONS[0] = ExtractOptions(min_text_chars=args.min_text_chars)
    _LANG_SUBSETS.update(json.loads((root / "multilingual-fr-ar.json").read_text()))
    cases = load_cases(root, args.limit)
    if args.metadata:
        print(json.dumps(score_metadata(cases)))
        return 0
    print(json.dumps(run(cases, max(1, args.repeat)), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
