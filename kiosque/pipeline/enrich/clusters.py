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
    sets = _Sets(len(ids))
    for edge in edges:
        if edge.vetoed:
            sets.forbid(edge.i, edge.j)
    for edge in sorted(edges, key=lambda e: (-e.score, e.i, e.j)):
        if edge.score < threshold:
            break
        if not edge.vetoed and ids[edge.i] not in frozen and ids[edge.j] not in frozen:
            sets.union(edge.i, edge.j)
    out: list[list[str]] = [list(group) for group in locked]
    seen: dict[int, list[str]] = {}
    for index, key in enumerate(ids):
        if key not in frozen:
            root = sets.find(index)
            if root not in seen:
                seen[root] = []
                out.append(seen[root])
            seen[root].append(key)
    return out


class _Sets:
    """Union-find whose unions are refused when they would put a forbidden (vetoed) pair together."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))
        self.members: list[set[int]] = [{i} for i in range(size)]
        self.forbidden: list[set[int]] = [set() for _ in range(size)]  # per root: items its members refuse

    def forbid(self, i: int, j: int) -> None:
        self.forbidden[self.find(i)].add(j)
        self.forbidden[self.find(j)].add(i)

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, i: int, j: int) -> bool:
        a, b = self.find(i), self.find(j)
        if a == b or not self.forbidden[a].isdisjoint(self.members[b]):
            return False
        if len(self.members[a]) < len(self.members[b]):
            a, b = b, a
        self.parent[b] = a
        self.members[a] |= self.members[b]
        self.forbidden[a] |= self.forbidden[b]
        self.members[b], self.forbidden[b] = set(), set()
        return True
