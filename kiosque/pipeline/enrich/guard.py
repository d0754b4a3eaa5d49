"""The names-and-numbers guard: do two articles agree on the facts, or do they report different events?

`compare(a, b, similarity, weights=...)` turns the sentence-embedding similarity of two articles into a
grouping score by adding what they share and subtracting what contradicts:

    score = similarity
          + number_weight * min(shared number weight, number_cap)     figures both print (550, 13.1 million)
          + dice_weight * (shared number weight / mean number weight) the share of their figures in common
          + skeleton_weight * min(shared name consonants, cap)        Latin name found in Arabic script
          - disjoint_penalty   when both print figures and share none (two quakes: 4.8 vs 5.0)
          - date_penalty       when both give calendar dates and share none (council of 17 vs 24 Oct)
          +/- day_bonus / day_penalty   when the days they point at ("on Thursday") meet / do not
    vetoed when both give match scores and share none (Raja-Wydad 2-1 vs Wydad-FAR 1-0)

A number's weight says how unlikely a coincidence is: a year or a small count (1-12) is common, a
figure like 13.1 million or 2.24.852 is not. Weights come from general properties of numbers, not from
a corpus, so a score does not drift as the window fills.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from kiosque.pipeline.enrich.entities import Entities, latin_skeleton

__all__ = ["Evidence", "GuardWeights", "compare", "number_weight"]


@dataclass(frozen=True)
class GuardWeights:
    number_weight: float = 0.1
    number_cap: float = 4.0
    dice_weight: float = 0.2
    skeleton_weight: float = 0.03  # per consonant beyond two of a Latin name matched in Arabic script
    skeleton_cap: int = 6
    disjoint_penalty: float = 0.2
    disjoint_full_weight: float = 2.0  # number weight each text needs for the full penalty (less: in proportion)
    date_penalty: float = 0.2
    day_bonus: float = 0.1  # both point at a common day (weekday or "yesterday" resolved)
    day_penalty: float = 0.1  # both point at days, none in common
    veto_conflicting_scores: bool = True


@dataclass(frozen=True)
class Evidence:
    similarity: float  # cosine of the two embeddings
    score: float  # similarity adjusted by the guard
    shared_numbers: tuple[str, ...] = ()
    shared_names: tuple[str, ...] = ()  # normalised Latin names (matched in Arabic script or as written)
    conflicts: tuple[str, ...] = ()  # readable: "score 1-2 vs 0-1", "dates 10-17 vs 10-24", "no shared figure"
    vetoed: bool = False


@functools.lru_cache(maxsize=65536)
def number_weight(value: str) -> float:
    """How telling a shared number is: years and small counts are common, other figures are not."""
    try:
        number = float(value)
    except ValueError:  # an identifier such as a decree number "2.24.852"
        return 1.0
    if number.is_integer():
        if 1900 <= number <= 2100:
            return 0.3
        if number <= 12:
            return 0.2
        if number <= 31:  # days of the month, minutes of a match, ages...
            return 0.5
    return 1.0


def compare(a: Entities, b: Entities, similarity: float, *, weights: GuardWeights) -> Evidence:
    """Evidence that two articles report the same event, from their entities and embedding similarity."""
    shared = a.numbers & b.numbers
    shared_weight = sum(number_weight(v) for v in shared)
    weight_a = sum(number_weight(v) for v in a.numbers)
    weight_b = sum(number_weight(v) for v in b.numbers)
    score = similarity + weights.number_weight * min(shared_weight, weights.number_cap)
    if weight_a + weight_b > 0:
        score += weights.dice_weight * 2 * shared_weight / (weight_a + weight_b)
    conflicts = []
    if not shared and min(weight_a, weight_b) > 0:
        # The more figures both print, the more telling it is that none match.
        score -= weights.disjoint_penalty * min(1.0, min(weight_a, weight_b) / weights.disjoint_full_weight)
        conflicts.append("no shared figure")
    if a.dates and b.dates and not a.dates & b.dates:
        score -= weights.date_penalty
        conflicts.append(f"dates {','.join(sorted(a.dates))} vs {','.join(sorted(b.dates))}")
    if a.days and b.days:
        if a.days & b.days:
            score += weights.day_bonus
        else:
            score -= weights.day_penalty
            conflicts.append(f"days {_days(a)} vs {_days(b)}")
    vetoed = False
    if a.scores and b.scores and not a.scores & b.scores:
        conflicts.append(f"score {','.join(sorted(a.scores))} vs {','.join(sorted(b.scores))}")
        vetoed = weights.veto_conflicting_scores
    names, matched_across = _shared_names(a, b)
    consonants = sum(len(latin_skeleton(n)) - 2 for n in matched_across)
    score += weights.skeleton_weight * min(consonants, weights.skeleton_cap)
    return Evidence(
        similarity=similarity,
        score=score,
        shared_numbers=tuple(sorted(shared, key=lambda v: (-number_weight(v), v))),  # most telling first
        shared_names=tuple(sorted(names)),
        conflicts=tuple(conflicts),
        vetoed=vetoed,
    )


def _days(e: Entities) -> str:
    return ",".join(d.isoformat() for d in sorted(e.days))


def _shared_names(a: Entities, b: Entities) -> tuple[set[str], set[str]]:
    """Names both mention (as written), and those of them found across scripts by consonant skeleton."""
    names = set(a.names & b.names)
    if a.arabic == b.arabic:
        return names, set()
    latin, arabic = (b, a) if a.arabic else (a, b)
    across = {n for n in latin.names if len(latin_skeleton(n)) >= 3 and latin_skeleton(n) in arabic.skeletons}
    return names | across, across
