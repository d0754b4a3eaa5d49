"""Batch clustering for `stories.repair`: single link, strongest links first, with cannot-link pairs.

Edges are scored pairs of items. Going from the highest score down to the threshold, an edge merges the
two clusters of its ends unless a vetoed pair (conflicting match scores) would end up inside the merged
cluster. Processing strongest first makes the result independent of the order items arrived in, and it is
the same rule the incremental assigner applies to one new item. Editor-locked groups are returned as they
were given and none of their members is linked to anything else.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

__all__ = ["Edge", "link_clusters"]


@dataclass(frozen=True)
class Edge:
    i: int  # indexes into the ids given to link_clusters
    j: int
    score: float
    vetoed: bool = False


def link_clusters(
    ids: Sequence[str],
    edges: Sequence[Edge],
    *,
    locked: Collection[Collection[str]] = (),
    threshold: float,
) -> list[list[str]]:
    """Clusters of `ids` (locked groups first, as given; then the others in the order of `ids`)."""
    frozen = {key for group in locked for key in group}
    parent = list(range(len(ids)))
    members: list[set[int]] = [{i} for i in range(len(ids))]
    vetoes: list[set[int]] = [set() for _ in ids]
    for edge in edges:
        if edge.vetoed:
            vetoes[edge.i].add(edge.j)
            vetoes[edge.j].add(edge.i)

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for edge in sorted(edges, key=lambda e: (-e.score, e.i, e.j)):
        if edge.score < threshold:
            break
        if edge.vetoed or ids[edge.i] in frozen or ids[edge.j] in frozen:
            continue
        a, b = find(edge.i), find(edge.j)
        if a == b or not vetoes[a].isdisjoint(members[b]):
            continue
        if len(members[a]) < len(members[b]):
            a, b = b, a
        parent[b] = a
        members[a] |= members[b]
        vetoes[a] |= vetoes[b]
        members[b], vetoes[b] = set(), set()
    out: list[list[str]] = [list(group) for group in locked]
    seen: dict[int, list[str]] = {}
    for index, key in enumerate(ids):
        if key in frozen:
            continue
        root = find(index)
        if root not in seen:
            seen[root] = []
            out.append(seen[root])
        seen[root].append(key)
    return out
