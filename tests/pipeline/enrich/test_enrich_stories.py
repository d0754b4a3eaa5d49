"""Story grouping: names and numbers, the guard, incremental assignment and the repair pass.

The fixture (tests/fixtures/stories/articles.jsonl, written for these tests, not taken from any corpus) has
15 French, Arabic and English articles on six events, with the hard cases of the real task: two matches of
one club three days apart (3-0 vs 1-1), one minister at two events two days apart (a hospital in Oujda, a
vaccination campaign in Fès, which mentions the hospital), an agency dispatch republished by two outlets
next to independent reports, and a singleton. Its `story` field is read by the tests only.
"""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kiosque.pipeline.enrich.embed import embed, embedding_text
from kiosque.pipeline.enrich.entities import arabic_skeletons, extract_entities, latin_skeleton
from kiosque.pipeline.enrich.guard import GuardWeights, compare, number_weight
from kiosque.pipeline.enrich.normalize import tokenize
from kiosque.pipeline.enrich.stories import StoryAssigner, StoryItem, StoryOptions, repair

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "stories" / "articles.jsonl"
ROWS: list[dict[str, Any]] = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]
GOLD = {row["id"]: row["story"] for row in ROWS}
EXPECTED = sorted(sorted(k for k in GOLD if GOLD[k] == story) for story in set(GOLD.values()))
D = date(2024, 10, 21)  # a Monday


@pytest.fixture(scope="module")
def items() -> list[StoryItem]:
    vectors = embed([embedding_text(r["title"], r["lead"]) for r in ROWS])
    return [
        StoryItem(
            id=r["id"],
            lang=r["lang"],
            title=r["title"],
            lead=r["lead"],
            body=r["body"],
            published=datetime.fromisoformat(r["published"]),
            embedding=vectors[i],
        )
        for i, r in enumerate(ROWS)
    ]


def groups_of(labels: dict[str, str]) -> list[list[str]]:
    out: dict[str, list[str]] = {}
    for key, label in labels.items():
        out.setdefault(label, []).append(key)
    return sorted(sorted(g) for g in out.values())


# ------------------------------------------------------------------- entities
@pytest.mark.parametrize(
    ("text", "lang", "field", "expected"),
    [
        ("devant 38 000 spectateurs", "fr", "numbers", {"38000"}),
        ("before 38,000 fans", "en", "numbers", {"38000"}),
        ("أمام ٣٨ ألف متفرج", "ar", "numbers", {"38000"}),
        ("13,1 millions de touristes", "fr", "numbers", {"13100000"}),
        ("13.1 مليون سائح", "ar", "numbers", {"13100000"}),
        ("a 1.2bn deal", "en", "numbers", {"1200000000"}),
        ("une hausse de 3,5 %", "fr", "numbers", {"3.5"}),
        ("un prêt de 3,500 dirhams", "fr", "numbers", {"3.5"}),
        ("a 3,500-dirham loan", "en", "numbers", {"3500"}),
        ("قرض بقيمة 3,500 درهم", "ar", "numbers", {"3.5", "3500"}),  # either convention
        ("le décret n° 2.24.852", "fr", "numbers", {"2.24.852"}),
        ("coup d'envoi à 20h30", "fr", "numbers", set()),  # local clock times are left out
        ("Raja beat Wydad 2-1", "en", "scores", {"1-2"}),
        ("خسر 1-2 أمام الوداد", "ar", "scores", {"1-2"}),
        ("le jeudi 17 octobre", "fr", "dates", {"10-17"}),
        ("on October 17th", "en", "dates", {"10-17"}),
        ("يوم 17 أكتوبر", "ar", "dates", {"10-17"}),
        ("يوم 17 تشرين الأول", "ar", "dates", {"10-17"}),
        ("le match de dimanche", "fr", "days", {date(2024, 10, 20)}),
        ("announced on Tuesday", "en", "days", {date(2024, 10, 22)}),  # the day after: "tomorrow"
        ("فاز مساء الأحد", "ar", "days", {date(2024, 10, 20)}),
        ("a déclaré hier", "fr", "days", {date(2024, 10, 20)}),
        ("قتل اثنين من الركاب", "ar", "days", set()),  # "two", not Monday
        ("Le ministre Nadia Lahlou à Oujda. Le club", "fr", "names", {"nadia", "lahlou", "oujda"}),
        ("Kettani scored. The ECB said", "en", "names", {"kettani", "ecb"}),
    ],
)
def test_extract_entities(text: str, lang: str, field: str, expected: set[object]) -> None:
    assert set(getattr(extract_entities(text, lang, D), field)) == expected


@pytest.mark.parametrize(
    ("latin", "arabic"),
    [
        ("Zeroual", "الزروالي"),
        ("Belkhir", "بلخير"),
        ("Agadir", "بأكادير"),
        ("Hoceima", "الحسيمة"),
        ("Lahlou", "لحلو"),
        ("Kettani", "الكتاني"),
        ("Madrid", "مدريد"),
    ],
)
def test_latin_name_found_in_arabic_script(latin: str, arabic: str) -> None:
    skeleton = latin_skeleton(tokenize(latin, "fr")[0])
    assert len(skeleton) >= 3
    assert skeleton in arabic_skeletons(tokenize(arabic, "ar"))


def test_number_weight_discounts_years_and_small_counts() -> None:
    assert number_weight("2025") < number_weight("17") < number_weight("480000000")
    assert number_weight("3") < number_weight("17")
    assert number_weight("2.24.852") == 1.0


# ------------------------------------------------------------------- the guard
MATCH_A = "Le FUS Rabat bat le Hassania Agadir 3-0 samedi, doublé de Kettani (12e, 58e), 9 500 spectateurs."
MATCH_A_AR = "الفتح يفوز على حسنية أكادير 3-0 يوم السبت بثنائية للكتاني في الدقيقتين 12 و58 أمام 9500 متفرج"
MATCH_B = "Le FUS Rabat concède le nul 1-1 mardi à Safi, Kettani buteur à la 35e minute, 42 points."
MEETING_A = "Le conseil de gouvernement réuni jeudi 17 octobre a adopté le décret 2.24.852 sur l'aide de 550 dirhams."
MEETING_A_EN = "Thursday's government council on October 17 approved decree 2.24.852 raising aid to 550 dirhams."
MEETING_B = "Le conseil de gouvernement réuni jeudi 24 octobre a adopté le projet de loi 18.24 sur l'eau."


@pytest.mark.parametrize(
    ("a", "b", "published_b", "same_event", "why"),
    [
        ((MATCH_A, "fr"), (MATCH_A_AR, "ar"), D, True, "9500"),
        ((MATCH_A, "fr"), (MATCH_B, "fr"), D + timedelta(days=3), False, "score"),
        ((MEETING_A, "fr"), (MEETING_A_EN, "en"), D, True, "2.24.852"),
        ((MEETING_A, "fr"), (MEETING_B, "fr"), D + timedelta(days=7), False, "dates"),
    ],
)
def test_guard_keeps_apart_what_the_facts_contradict(
    a: tuple[str, str], b: tuple[str, str], published_b: date, same_event: bool, why: str
) -> None:
    ea, eb = extract_entities(a[0], a[1], D), extract_entities(b[0], b[1], published_b)
    # Same similarity for every row: the guard alone must make the difference.
    evidence = compare(ea, eb, 0.6, weights=GuardWeights())
    assert (evidence.score >= StoryOptions().threshold and not evidence.vetoed) is same_event
    explained = evidence.shared_numbers if same_event else evidence.conflicts
    assert any(why in item for item in explained), evidence


def test_conflicting_scores_veto_even_a_close_pair() -> None:
    ea, eb = extract_entities(MATCH_A, "fr", D), extract_entities(MATCH_B, "fr", D)
    assert compare(ea, eb, 0.95, weights=GuardWeights()).vetoed
    assert not compare(ea, eb, 0.95, weights=GuardWeights(veto_conflicting_scores=False)).vetoed


# ------------------------------------------------------------------- incremental assignment
def test_fixture_stories_in_publication_order(items: list[StoryItem]) -> None:
    assigner = StoryAssigner()
    results = {item.id: assigner.assign(item) for item in sorted(items, key=lambda it: it.published)}
    assert groups_of({k: a.story_key for k, a in results.items()}) == EXPECTED
    assert [k for k, a in results.items() if a.is_new_story] == ["t01", "t15", "t06", "t11", "t04", "t09"]
    # Why grouped: the Arabic report of the hospital shares its figures and the minister's name.
    t07 = results["t07"]
    assert t07.matches[0].article_id == "t06" and t07.similarity == t07.matches[0].similarity
    assert {"250", "480000000"} <= set(t07.shared_numbers) and "lahlou" in t07.shared_names
    # Agency copy: t12 is a copy of t11, the independent reports are not.
    assert results["t12"].wire_of == ("t11",) and results["t12"].wire_group == "t11"
    assert results["t13"].wire_group is None and results["t14"].wire_group is None
    assert assigner.story_of("t14") == "t11"


def test_fixture_stories_in_any_arrival_order(items: list[StoryItem]) -> None:
    shuffled = list(items)
    random.Random(7).shuffle(shuffled)
    assigner = StoryAssigner()
    labels = {a.article_id: a.story_key for a in assigner.assign_many(shuffled)}
    assert groups_of(labels) == EXPECTED


def test_only_the_most_similar_candidates_are_scored(items: list[StoryItem]) -> None:
    # Three candidates per item are enough here: the guard's work stays bounded in a crowded window.
    assigner = StoryAssigner(StoryOptions(max_candidates=3))
    labels = {a.article_id: a.story_key for a in assigner.assign_many(sorted(items, key=lambda it: it.published))}
    assert groups_of(labels) == EXPECTED


def test_items_outside_the_window_never_group(items: list[StoryItem]) -> None:
    assigner = StoryAssigner(StoryOptions(window=timedelta(hours=1)))
    by_id = {item.id: item for item in items}
    assert assigner.assign(by_id["t06"]).is_new_story
    assert assigner.assign(by_id["t07"]).is_new_story  # 2 h 20 later: outside a one-hour window


def test_remember_and_forget(items: list[StoryItem]) -> None:
    by_id = {item.id: item for item in items}
    assigner = StoryAssigner()
    assigner.remember(by_id["t06"], "story-42")  # a worker restarting with stored assignments
    assert assigner.assign(by_id["t07"]).story_key == "story-42"
    assert assigner.forget_before(by_id["t08"].published) == 2
    assert len(assigner) == 0 and assigner.story_of("t06") is None
    assert assigner.assign(by_id["t08"]).is_new_story


def test_missing_embeddings_are_computed(items: list[StoryItem]) -> None:
    bare = [
        StoryItem(id=i.id, lang=i.lang, title=i.title, lead=i.lead, body=i.body, published=i.published)
        for i in items
        if GOLD[i.id] == "oujda-hospital"
    ]
    keys = {a.story_key for a in StoryAssigner().assign_many(bare)}
    assert keys == {"t06"}
    assert np.allclose(np.linalg.norm(items[0].embedding), 1.0, atol=1e-5)


# ------------------------------------------------------------------- repair
def test_repair_finds_the_stories_in_one_pass(items: list[StoryItem]) -> None:
    assert sorted(sorted(c) for c in repair(list(reversed(items)))) == EXPECTED


def test_repair_keeps_locked_groups_as_given(items: list[StoryItem]) -> None:
    # An editor split the rate story (t13 alone) and merged the two FUS matches.
    locked = [["t13"], ["t01", "t02", "t03", "t04", "t05"]]
    clusters = repair(items, locked=locked)
    assert clusters[:2] == locked
    rest = sorted(sorted(c) for c in clusters[2:])
    assert ["t11", "t12", "t14"] in rest
    assert all(k not in c for c in rest for k in ("t13", "t01", "t04"))
    assert sorted(k for c in clusters for k in c) == sorted(GOLD)
