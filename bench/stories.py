"""Story grouping and agency-copy benchmark: `StoryAssigner` against the naive embedding baseline, same run.

    .venv/bin/python bench/stories.py [--data FILE] [--out PREDICTIONS] [--repeat 3] [--workers 2] [--ablation]

Data: <data>/clustering/dev.jsonl by default, <data> being KIOSQUE_SHARED_DATA or ../shared/data relative to
the repo; dev.meta.json next to the file gives the hard-negative pairs. Prediction reads only id, lang, title,
lead, body and published: never `story` or `wire`, which only the scorer opens. No data: a message, exit 0.

Prints ONE JSON line with the metrics of the data's README (pairwise, B-cubed, same- and cross-language
pairwise, wire detection, wire pair recall of clustering, hard-negative merges) for
  system     incremental `StoryAssigner.assign`, items in publication order
  repair     `stories.repair` over the whole set (the periodic batch pass)
  baseline   USE title+lead cosine, single link within 72 h, one threshold (the best of a small sweep)
plus `stability` (pairwise F1 with the threshold moved by +-0.025/0.05/0.1, and on each half of the time
window run alone), `ablation` (optional: the guard's parts switched off) and `speed`: articles/s of
incremental assignment including embedding (one item at a time, and in batches of 16), assignment alone
(embeddings given), embedding alone (batch of 1, whole list), and a pipeline with `--workers` embedding
processes feeding the assigner. Wall-clock medians of `--repeat` interleaved passes, plus CPU-time rates
(this process only), which other processes sharing the cores do not distort.
`--out` writes one JSON line per article: {"id", "cluster", "wire_group"}.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import datetime, timedelta
from itertools import combinations
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

from kiosque.pipeline.enrich.embed import Embedder, embedding_text
from kiosque.pipeline.enrich.guard import GuardWeights
from kiosque.pipeline.enrich.stories import StoryAssigner, StoryItem, StoryOptions, repair

REPO = Path(__file__).resolve().parent.parent
Labels = dict[str, Any]


# ------------------------------------------------------------------- metrics (README "Metric")
def _ratio(num: float, den: float) -> float:
    return round(num / den, 4) if den else 0.0


def _prf(tp: int, predicted: int, true: int) -> dict[str, float]:
    p, r = _ratio(tp, predicted), _ratio(tp, true)
    return {
        "p": p,
        "r": r,
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        "tp": tp,
        "predicted_pairs": predicted,
        "true_pairs": true,
    }


def pairwise(
    gold: list[dict[str, Any]], cluster: Labels, keep: Callable[[dict[str, Any], dict[str, Any]], bool]
) -> dict[str, float]:
    tp = predicted = true = 0
    for a, b in combinations(gold, 2):
        if not keep(a, b):
            continue
        same, linked = a["story"] == b["story"], _same(cluster, a["id"], b["id"])
        tp += same and linked
        predicted += linked
        true += same
    return _prf(tp, predicted, true)


def _same(labels: Labels, a: str, b: str) -> bool:
    # Missing articles count as singletons; a null label links nothing.
    la, lb = labels.get(a), labels.get(b)
    return la is not None and la == lb


def bcubed(gold: list[dict[str, Any]], cluster: Labels) -> dict[str, float]:
    by_pred: dict[Any, set[str]] = {}
    by_gold: dict[str, set[str]] = {}
    for row in gold:
        by_pred.setdefault(cluster.get(row["id"], ("alone", row["id"])), set()).add(row["id"])
        by_gold.setdefault(row["story"], set()).add(row["id"])
    ps, rs = [], []
    for row in gold:
        pred = by_pred[cluster.get(row["id"], ("alone", row["id"]))]
        both = len(pred & by_gold[row["story"]])
        ps.append(both / len(pred))
        rs.append(both / len(by_gold[row["story"]]))
    p, r = sum(ps) / len(ps), sum(rs) / len(rs)
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def score(
    gold: list[dict[str, Any]], cluster: Labels, *, wire: Labels | None, meta: dict[str, Any] | None
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "pairwise": pairwise(gold, cluster, lambda a, b: True),
        "bcubed": bcubed(gold, cluster),
        "same_language": pairwise(gold, cluster, lambda a, b: a["lang"] == b["lang"]),
        "cross_language": pairwise(gold, cluster, lambda a, b: a["lang"] != b["lang"]),
    }
    gold_wire = [
        (a["id"], b["id"])
        for a, b in combinations(gold, 2)
        if a.get("wire") and b.get("wire") and a["story"] == b["story"]
    ]
    out["wire_pair_recall_of_clustering"] = _ratio(sum(_same(cluster, a, b) for a, b in gold_wire), len(gold_wire))
    if wire is not None:  # only a prediction that flags copies is scored on detection
        predicted_wire = [(a["id"], b["id"]) for a, b in combinations(gold, 2) if _same(wire, a["id"], b["id"])]
        out["wire_detection"] = _prf(len(set(predicted_wire) & set(gold_wire)), len(predicted_wire), len(gold_wire))
    if meta is not None:
        out["hard_negatives"] = hard_negatives(gold, cluster, meta)
    return out


def hard_negatives(gold: list[dict[str, Any]], cluster: Labels, meta: dict[str, Any]) -> dict[str, Any]:
    pairs = {frozenset((h["a"], h["b"])) for h in meta.get("hard_negative_pairs", [])}
    total = merged = 0
    which: set[tuple[str, ...]] = set()
    for a, b in combinations(gold, 2):
        if frozenset((a["story"], b["story"])) in pairs and a["story"] != b["story"]:
            total += 1
            if _same(cluster, a["id"], b["id"]):
                merged += 1
                which.add(tuple(sorted((a["story"], b["story"]))))
    return {
        "merged_pairs": merged,
        "cross_pairs": total,
        "ratio": _ratio(merged, total),
        "merged_story_pairs": sorted("|".join(w) for w in which),
    }


# ------------------------------------------------------------------- prediction (never reads story/wire)
def items_of(rows: list[dict[str, Any]], vectors: np.ndarray | None = None) -> list[StoryItem]:
    return [
        StoryItem(
            id=r["id"],
            lang=r["lang"],
            title=r["title"],
            lead=r["lead"],
            body=r["body"],
            published=datetime.fromisoformat(r["published"]),
            embedding=None if vectors is None else vectors[i],
        )
        for i, r in enumerate(rows)
    ]


def run_system(items: list[StoryItem], options: StoryOptions) -> tuple[Labels, Labels]:
    assigner = StoryAssigner(options)
    cluster: Labels = {}
    wire: Labels = {}
    for item in sorted(items, key=lambda it: it.published):
        assignment = assigner.assign(item)
        cluster[item.id] = assignment.story_key
        if assignment.wire_group is not None:
            wire[item.id] = assignment.wire_group
            wire[assignment.wire_group] = assignment.wire_group  # the caller marks the original too
    return cluster, wire


def run_repair(items: list[StoryItem], options: StoryOptions) -> Labels:
    return {key: n for n, group in enumerate(repair(items, options=options)) for key in group}


def run_baseline(items: list[StoryItem], vectors: np.ndarray, threshold: float) -> Labels:
    parent = list(range(len(items)))

    def find(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    sims = vectors @ vectors.T
    for i, j in combinations(range(len(items)), 2):
        close = abs(items[i].published - items[j].published) <= timedelta(hours=72)
        if close and sims[i, j] >= threshold:
            parent[find(i)] = find(j)
    return {item.id: find(i) for i, item in enumerate(items)}


# ------------------------------------------------------------------- speed
def speed(rows: list[dict[str, Any]], options: StoryOptions, *, repeat: int, workers: int) -> dict[str, float]:
    embedder = Embedder()
    texts = [embedding_text(r["title"], r["lead"]) for r in rows]
    embedder.embed(texts[:2])  # load the model outside the timings
    runs: dict[str, list[tuple[float, float]]] = {}

    def timed(name: str, fn: Callable[[], object]) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        runs.setdefault(name, []).append(
            (len(rows) / (time.perf_counter() - wall), len(rows) / (time.process_time() - cpu))
        )

    items = items_of(rows)
    embedded = items_of(rows, embedder.embed(texts))
    for _ in range(repeat):  # interleaved so that a burst of load elsewhere hits every figure alike
        timed("embed_only_batch1", lambda: [embedder.embed([t]) for t in texts])
        timed("embed_only_whole_list", lambda: embedder.embed(texts))
        timed("assign_incl_embedding", lambda: _assign_all(items, options, embedder, batch=1))
        timed("assign_incl_embedding_batch16", lambda: _assign_all(items, options, embedder, batch=16))
        timed("assign_only_embeddings_given", lambda: _assign_all(embedded, options, embedder, batch=1))
    out: dict[str, float] = {"load_average_1min": round(os.getloadavg()[0], 2), "cpus": os.cpu_count() or 0}
    if workers > 1:
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn"), initializer=_worker_init) as pool:
            list(pool.map(_worker_embed, [texts[:2]] * workers * 2))  # every worker loads its model first
            for _ in range(repeat):
                timed(f"pipeline_{workers}_embed_processes", lambda: _pipeline(items, texts, options, pool=pool))
    for name, values in runs.items():
        out[f"{name}_per_s"] = round(statistics.median(v[0] for v in values), 1)
        if not name.startswith("pipeline"):  # CPU time of this process only: meaningless across processes
            out[f"{name}_per_cpu_s"] = round(statistics.median(v[1] for v in values), 1)
    return out


_WORKER: list[Embedder] = []


def _worker_init() -> None:
    _WORKER.append(Embedder())


def _worker_embed(texts: list[str]) -> np.ndarray:
    return _WORKER[0].embed(texts)


def _pipeline(items: list[StoryItem], texts: list[str], options: StoryOptions, *, pool: ProcessPoolExecutor) -> None:
    """Embedding in worker processes, batches of 16, while this process assigns the batches in order."""
    assigner = StoryAssigner(options)
    chunks = [(start, pool.submit(_worker_embed, texts[start : start + 16])) for start in range(0, len(items), 16)]
    for start, future in chunks:
        vectors = future.result()
        batch = [replace(item, embedding=vectors[n]) for n, item in enumerate(items[start : start + 16])]
        assigner.assign_many(batch)


def _assign_all(items: list[StoryItem], options: StoryOptions, embedder: Embedder, *, batch: int) -> None:
    assigner = StoryAssigner(options, embedder=embedder.embed)
    for start in range(0, len(items), batch):
        assigner.assign_many(items[start : start + batch])


# ------------------------------------------------------------------- main
def main(argv: Sequence[str] | None = None) -> int:
    shared = Path(os.environ.get("KIOSQUE_SHARED_DATA", REPO.parent / "shared" / "data"))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=shared / "clustering" / "dev.jsonl")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=3, help="timed passes for speed (0: skip speed)")
    parser.add_argument("--workers", type=int, default=2, help="embedding processes of the pipeline speed figure")
    parser.add_argument("--ablation", action="store_true", help="also score the guard's parts one by one")
    parser.add_argument("--baseline-thresholds", default="0.45,0.5,0.55,0.6")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"bench/stories.py: no data at {args.data}; nothing measured (set --data or KIOSQUE_SHARED_DATA)")
        return 0
    gold = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    meta_path = args.data.with_name(args.data.name.replace(".jsonl", ".meta.json"))
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else None
    rows = [{k: r[k] for k in ("id", "lang", "title", "lead", "body", "published")} for r in gold]
    options = StoryOptions()
    vectors = Embedder().embed([embedding_text(r["title"], r["lead"]) for r in rows])
    items = items_of(rows, vectors)
    cluster, wire = run_system(items, options)
    result: dict[str, Any] = {"bench": "stories", "data": str(args.data), "articles": len(rows)}
    result["threshold"] = options.threshold
    result["system"] = score(gold, cluster, wire=wire, meta=meta)
    result["repair"] = score(gold, run_repair(items, options), wire=None, meta=meta)
    result["baseline"] = _baseline(gold, items, vectors, meta=meta, thresholds=args.baseline_thresholds)
    result["stability"] = _stability(gold, items, options)
    if args.ablation:
        result["ablation"] = _ablation(gold, items, options)
    if args.repeat > 0:
        result["speed"] = speed(rows, options, repeat=args.repeat, workers=args.workers)
    if args.out is not None:
        with args.out.open("w", encoding="utf-8") as out:
            for r in rows:
                out.write(
                    json.dumps({"id": r["id"], "cluster": cluster[r["id"]], "wire_group": wire.get(r["id"])}) + "\n"
                )
    print(json.dumps(result, ensure_ascii=False))
    return 0


def _baseline(
    gold: list[dict[str, Any]],
    items: list[StoryItem],
    vectors: np.ndarray,
    *,
    meta: dict[str, Any] | None,
    thresholds: str,
) -> dict[str, Any]:
    sweep = {
        t: score(gold, run_baseline(items, vectors, float(t)), wire=None, meta=meta) for t in thresholds.split(",")
    }
    best = max(sweep, key=lambda t: sweep[t]["pairwise"]["f1"])
    return {
        "threshold": float(best),
        **sweep[best],
        "pairwise_f1_by_threshold": {t: s["pairwise"]["f1"] for t, s in sweep.items()},
    }


def _ablation(gold: list[dict[str, Any]], items: list[StoryItem], options: StoryOptions) -> dict[str, Any]:
    """Best pairwise F1 (and its threshold) of the assigner with parts of the guard switched off."""
    off = GuardWeights(
        number_weight=0,
        dice_weight=0,
        skeleton_weight=0,
        disjoint_penalty=0,
        date_penalty=0,
        day_bonus=0,
        day_penalty=0,
        veto_conflicting_scores=False,
    )
    full = options.guard
    variants = {
        "embedding_only": off,
        "numbers": replace(
            off, number_weight=full.number_weight, dice_weight=full.dice_weight, disjoint_penalty=full.disjoint_penalty
        ),
        "numbers_days": replace(full, skeleton_weight=0, date_penalty=0, veto_conflicting_scores=False),
        "full": full,
    }
    out: dict[str, Any] = {}
    for name, weights in variants.items():
        curve = {}
        for step in range(15):
            threshold = round(0.45 + 0.025 * step, 3)
            cluster, _ = run_system(items, replace(options, guard=weights, threshold=threshold))
            curve[threshold] = pairwise(gold, cluster, lambda a, b: True)["f1"]
        best = max(curve, key=lambda t: curve[t])
        out[name] = {
            "best_f1": curve[best],
            "threshold": best,
            "thresholds_with_f1_over_0.95": sum(f >= 0.95 for f in curve.values()),
        }
    return out


def _stability(gold: list[dict[str, Any]], items: list[StoryItem], options: StoryOptions) -> dict[str, float]:
    out: dict[str, float] = {}
    for delta in (-0.1, -0.05, -0.025, 0.025, 0.05, 0.1):
        cluster, _ = run_system(items, replace(options, threshold=options.threshold + delta))
        out[f"pairwise_f1_threshold_{delta:+.3f}"] = pairwise(gold, cluster, lambda a, b: True)["f1"]
    times = sorted(item.published for item in items)
    middle = times[0] + (times[-1] - times[0]) / 2
    for name, second in (("first_half", False), ("second_half", True)):
        part = [it for it in items if (it.published >= middle) is second]
        ids = {it.id for it in part}
        cluster, _ = run_system(part, options)
        sub = [g for g in gold if g["id"] in ids]
        out[f"pairwise_f1_{name}"] = pairwise(sub, cluster, lambda a, b: True)["f1"]
        out[f"cross_language_recall_{name}"] = pairwise(sub, cluster, lambda a, b: a["lang"] != b["lang"])["r"]
    return out


if __name__ == "__main__":
    sys.exit(main())
