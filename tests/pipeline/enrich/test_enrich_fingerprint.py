"""Agency-copy fingerprints: shingling, MinHash estimates, the wire index and exact hashes.

Articles come from tests/fixtures/stories/articles.jsonl (written for these tests): t11 and t12 are one
agency dispatch republished with a new title, a date added to the lead and the last sentence dropped;
t13 and t14 are independent English and Arabic reports of the same decision; t01 and t06 are unrelated.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kiosque.pipeline.enrich.fingerprint import (
    Fingerprint,
    WireIndex,
    WireOptions,
    exact_hash,
    shingles,
    text_fingerprint,
)

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "stories" / "articles.jsonl"
ARTICLES: dict[str, dict[str, Any]] = {
    row["id"]: row for row in map(json.loads, FIXTURE.read_text(encoding="utf-8").splitlines())
}


def fingerprint(article_id: str) -> Fingerprint:
    row = ARTICLES[article_id]
    return text_fingerprint(row["title"], row["lead"], row["body"], row["lang"])


def true_jaccard(a: str, b: str) -> float:
    ra, rb = ARTICLES[a], ARTICLES[b]
    sa = shingles(f"{ra['title']}\n{ra['lead']}\n{ra['body']}", ra["lang"])
    sb = shingles(f"{rb['title']}\n{rb['lead']}\n{rb['body']}", rb["lang"])
    return len(sa & sb) / len(sa | sb)


def test_shingles_are_word_trigrams_of_the_normalised_text() -> None:
    assert shingles("L’Équipe a GAGNÉ hier soir", "fr") == {b"equipe a gagne", b"a gagne hier", b"gagne hier soir"}
    assert shingles("Deux mots", "fr") == {b"deux mots"}
    assert shingles("  ", "fr") == set()


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [
        ("t11", "t12", 0.55, 0.95),  # wire copies
        ("t11", "t13", 0.0, 0.1),  # independent report, other language
        ("t01", "t06", 0.0, 0.05),  # unrelated
        ("t09", "t06", 0.0, 0.1),  # same minister, same language, another event
    ],
)
def test_minhash_estimate_tracks_true_jaccard(a: str, b: str, low: float, high: float) -> None:
    estimate = fingerprint(a).jaccard(fingerprint(b))
    assert low <= true_jaccard(a, b) <= high
    assert abs(estimate - true_jaccard(a, b)) < 0.15  # 128 permutations: std ~0.045


def test_fingerprint_round_trips_through_bytes() -> None:
    fp = fingerprint("t11")
    data = fp.to_bytes()
    assert len(data) == 7 + 4 * 128
    assert Fingerprint.from_bytes(data) == fp
    assert Fingerprint.from_bytes(data).jaccard(fingerprint("t12")) == fp.jaccard(fingerprint("t12"))
    with pytest.raises(ValueError, match="fingerprint"):
        Fingerprint.from_bytes(data[:-4])


def test_empty_text_matches_nothing() -> None:
    empty = text_fingerprint("", "", "", "fr")
    assert empty.shingles == 0
    assert empty.jaccard(empty) == 0.0


def test_wire_index_returns_earlier_copies_earliest_first() -> None:
    t0 = datetime(2025, 3, 11, 16, tzinfo=UTC)
    index = WireIndex()
    for n, key in enumerate(("t11", "t13", "t14", "t06")):
        index.add(key, fingerprint(key), t0 + timedelta(minutes=n))
    assert index.query(fingerprint("t12")) == ["t11"]
    index.add("t12", fingerprint("t12"), t0 - timedelta(hours=1))  # an earlier copy found later
    assert index.query(fingerprint("t11")) == ["t12", "t11"]
    assert index.query(fingerprint("t13")) == ["t13"]  # itself only: independent reports are not copies
    assert index.prune(t0) == 1 and "t12" not in index
    index.remove("t11")
    assert index.query(fingerprint("t12")) == []
    assert len(index) == 3


def test_short_texts_are_never_flagged() -> None:
    index = WireIndex(WireOptions(min_shingles=12))
    title = text_fingerprint("Le Raja bat le Wydad", "", "", "fr")
    index.add("a", title, datetime(2025, 1, 1, tzinfo=UTC))
    assert title.shingles < 12
    assert index.query(title) == []


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Le Raja  bat le WYDAD", "le raja bat le wydad", True),
        ("Élection à Fès", "election a fes", True),
        ("الْمَغْرِبُ يُواجِهُ مِصْرَ", "المغرب يواجه مصر", True),
        ("Le Raja bat le Wydad", "Le Wydad bat le Raja", False),
    ],
)
def test_exact_hash_ignores_case_accents_spacing_only(a: str, b: str, same: bool) -> None:
    assert (exact_hash(a, "fr") == exact_hash(b, "fr")) is same
