"""Story grouping: put all coverage of one event together, across outlets and French, Arabic and English.

    assigner = StoryAssigner(StoryOptions())
    a = assigner.assign(StoryItem(id="42", lang="fr", title=..., lead=..., body=..., published=aware_dt))
    a.story_key, a.is_new_story, a.matches[0].shared_numbers, a.wire_of

How an item finds its story (incrementally, one item at a time, in any order of arrival):
1. Agency copy: an item whose text is a near copy (MinHash, see `fingerprint`) of an earlier item joins
   that item's story and its `wire_group`.
2. Candidates are the remembered items published within `window` of it (either side).
3. Each candidate gets a score: the cosine of the two multilingual embeddings of title + lead, adjusted by
   the names-and-numbers guard (`guard.compare`): shared figures and names raise it, disjoint figures or
   dates lower it, conflicting match scores veto the pair.
4. The item joins the story of its best-scoring candidate when that score reaches `threshold` and no member
   of that story vetoes it (single link with cannot-link constraints); otherwise it opens a new story.

`repair(items, locked=...)` re-clusters a batch from scratch the same way (order-independent: strongest
links first), keeping the editor-locked groups exactly as they are; a periodic job calls it.

The assigner keeps only what the window needs in memory; a worker that restarts `remember`s the recent
items with their stored embedding, fingerprint and story. Not thread-safe: one assigner per worker.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt

from kiosque.pipeline.enrich.embed import embed, embedding_text
from kiosque.pipeline.enrich.entities import Entities, extract_entities
from kiosque.pipeline.enrich.fingerprint import Fingerprint, WireIndex, WireOptions, text_fingerprint
from kiosque.pipeline.enrich.clusters import Edge, link_clusters
from kiosque.pipeline.enrich.guard import Evidence, GuardWeights, compare

__all__ = ["Assignment", "Match", "StoryAssigner", "StoryItem", "StoryOptions", "repair"]

Vector = npt.NDArray[np.float32]
EmbedFn = Callable[[Sequence[str]], Vector]


@dataclass(frozen=True)
class StoryOptions:
    window: timedelta = timedelta(hours=72)  # articles of one story lie within 48 h of each other on dev
    threshold: float = 0.65  # guarded score at and above which two articles report one event
    min_similarity: float = 0.2  # below this embedding cosine a pair is not even scored
    guard: GuardWeights = field(default_factory=GuardWeights)
    wire: WireOptions = field(default_factory=WireOptions)


@dataclass(frozen=True)
class StoryItem:
    id: str
    lang: str | None
    title: str
    published: datetime  # timezone-aware
    lead: str = ""
    body: str = ""
    embedding: Vector | None = None  # computed with `embed(embedding_text(title, lead))` when None
    fingerprint: Fingerprint | None = None  # computed with `text_fingerprint` when None


@dataclass(frozen=True)
class Match:
    """A remembered item the new one was compared with, and why they were (or were not) grouped."""

    article_id: str
    story_key: str
    score: float
    similarity: float
    shared_numbers: tuple[str, ...] = ()
    shared_names: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()
    vetoed: bool = False  # conflicting match scores: never grouped with this item
    wire_copy: bool = False


@dataclass(frozen=True)
class Assignment:
    article_id: str
    story_key: str  # the id of the story's first article
    is_new_story: bool
    matches: tuple[Match, ...] = ()  # members of the chosen story that link to the item, best first
    similarity: float = 0.0  # embedding cosine with the best match (1.0 for a wire copy)
    wire_of: tuple[str, ...] = ()  # earlier near copies of this text, earliest first
    wire_group: str | None = None  # id of the earliest copy of the dispatch (None: not a copy)
    other_stories: tuple[str, ...] = ()  # further stories the item also links to: a merge hint for repair

    @property
    def shared_numbers(self) -> tuple[str, ...]:
        return self.matches[0].shared_numbers if self.matches else ()

    @property
    def shared_names(self) -> tuple[str, ...]:
        return self.matches[0].shared_names if self.matches else ()


@dataclass
class _Known:
    id: str
    published: float  # POSIX seconds
    entities: Entities
    story: str
    wire_group: str | None
    row: int  # row of its embedding in the assigner's matrix


class StoryAssigner:
    """Incremental story assignment over a sliding time window (see the module docstring)."""

    def __init__(self, options: StoryOptions | None = None, *, embedder: EmbedFn = embed) -> None:
        self.options = options or StoryOptions()
        self._embed = embedder
        self._known: dict[str, _Known] = {}
        self._stories: dict[str, set[str]] = {}
        self._wire = WireIndex(self.options.wire)
        self._vectors = np.zeros((64, 0), dtype=np.float32)
        self._times = np.zeros(64, dtype=np.float64)
        self._ids: list[str | None] = []

    def __len__(self) -> int:
        return len(self._known)

    def story_of(self, article_id: str) -> str | None:
        known = self._known.get(article_id)
        return known.story if known is not None else None

    def assign(self, item: StoryItem) -> Assignment:
        """Find (or open) the story of a new item, and remember the item."""
        return self.assign_many([item])[0]

    def assign_many(self, items: Sequence[StoryItem]) -> list[Assignment]:
        """Assign items in order; embeddings missing from them are computed in one batch (faster)."""
        vectors = self._vectors_of(items)
        return [self._assign_one(item, vector) for item, vector in zip(items, vectors, strict=True)]

    def remember(self, item: StoryItem, story_key: str, *, wire_group: str | None = None) -> None:
        """Load an already-assigned item (worker restart, editor move) without re-deciding its story."""
        vector = self._vectors_of([item])[0]
        entities = _entities(item)
        self._store(item, vector, entities, story_key, wire_group)

    def forget_before(self, when: datetime) -> int:
        """Drop items published before `when` (call with newest - window to bound memory)."""
        cutoff = when.timestamp()
        old = [k for k, known in self._known.items() if known.published < cutoff]
        for key in old:
            self._drop(key)
        self._wire.prune(when)
        return len(old)

    # ------------------------------------------------------------------ internals
    def _vectors_of(self, items: Sequence[StoryItem]) -> list[Vector]:
        missing = [i for i, item in enumerate(items) if item.embedding is None]
        computed = self._embed([embedding_text(items[i].title, items[i].lead) for i in missing]) if missing else None
        out: list[Vector] = []
        for i, item in enumerate(items):
            if item.embedding is not None:
                out.append(np.asarray(item.embedding, dtype=np.float32))
            else:
                assert computed is not None
                out.append(computed[missing.index(i)])
        return out

    def _assign_one(self, item: StoryItem, vector: Vector) -> Assignment:
        entities = _entities(item)
        fingerprint = item.fingerprint or text_fingerprint(item.title, item.lead, item.body, item.lang)
        copies = [c for c in self._wire.query(fingerprint) if c in self._known and c != item.id]
        story, matches, others = _decide(list(self._matches(item, vector, entities, copies)), self.options.threshold)
        wire_group = self._known[copies[0]].wire_group or copies[0] if copies else None
        is_new = story is None
        story_key = story if story is not None else item.id
        self._store(item, vector, entities, story_key, wire_group, fingerprint)
        return Assignment(
            article_id=item.id,
            story_key=story_key,
            is_new_story=is_new,
            matches=tuple(matches),
            similarity=matches[0].similarity if matches else 0.0,
            wire_of=tuple(copies),
            wire_group=wire_group,
            other_stories=tuple(others),
        )

    def _matches(self, item: StoryItem, vector: Vector, entities: Entities, copies: list[str]) -> Iterable[Match]:
        rows = self._candidate_rows(item.published.timestamp())
        if rows.size == 0:
            return
        sims = self._vectors[rows] @ vector
        copy_set = set(copies)
        for row, sim in zip(rows.tolist(), sims.tolist(), strict=True):
            key = self._ids[row]
            if key is None or key == item.id:
                continue
            known = self._known[key]
            if key in copy_set:
                yield Match(key, known.story, 1.0 + sim, sim, wire_copy=True)
            elif sim >= self.options.min_similarity:
                evidence = compare(entities, known.entities, sim, self.options.guard)
                yield _match(key, known.story, evidence)

    def _candidate_rows(self, when: float) -> npt.NDArray[np.intp]:
        n = len(self._ids)
        window = self.options.window.total_seconds()
        return np.flatnonzero(np.abs(self._times[:n] - when) <= window)

    def _store(
        self,
        item: StoryItem,
        vector: Vector,
        entities: Entities,
        story: str,
        wire_group: str | None,
        fingerprint: Fingerprint | None = None,
    ) -> None:
        if item.id in self._known:
            self._drop(item.id)
        row = self._append_row(vector, item.published.timestamp(), item.id)
        self._known[item.id] = _Known(item.id, item.published.timestamp(), entities, story, wire_group, row)
        self._stories.setdefault(story, set()).add(item.id)
        fp = fingerprint or item.fingerprint or text_fingerprint(item.title, item.lead, item.body, item.lang)
        self._wire.add(item.id, fp, item.published)

    def _append_row(self, vector: Vector, when: float, key: str) -> int:
        n = len(self._ids)
        if self._vectors.shape[1] != vector.shape[0] or n == self._vectors.shape[0]:
            grown = np.zeros((max(64, 2 * n), vector.shape[0]), dtype=np.float32)
            times = np.full(grown.shape[0], np.inf)
            if self._vectors.shape[1] == vector.shape[0]:
                grown[:n] = self._vectors[:n]
                times[:n] = self._times[:n]
            self._vectors, self._times = grown, times
        self._vectors[n] = vector
        self._times[n] = when
        self._ids.append(key)
        return n

    def _drop(self, key: str) -> None:
        known = self._known.pop(key)
        self._ids[known.row] = None
        self._times[known.row] = np.inf
        members = self._stories.get(known.story)
        if members is not None:
            members.discard(key)
            if not members:
                del self._stories[known.story]
        self._wire.remove(key)


def _entities(item: StoryItem) -> Entities:
    # The local calendar day of publication: "jeudi" in a Paris paper means the Paris Thursday.
    return extract_entities(f"{item.title}\n{item.lead}\n{item.body}", item.lang, item.published.date())


def _match(key: str, story: str, evidence: Evidence) -> Match:
    return Match(
        article_id=key,
        story_key=story,
        score=evidence.score,
        similarity=evidence.similarity,
        shared_numbers=evidence.shared_numbers,
        shared_names=evidence.shared_names,
        conflicts=evidence.conflicts,
        vetoed=evidence.vetoed,
    )


def _decide(matches: list[Match], threshold: float) -> tuple[str | None, list[Match], list[str]]:
    """Best story among the linked ones that none of its members vetoes; its links best first; the others."""
    vetoed = {m.story_key for m in matches if m.vetoed}
    best: dict[str, float] = {}
    for m in matches:
        if m.score >= threshold and m.story_key not in vetoed:
            best[m.story_key] = max(best.get(m.story_key, m.score), m.score)
    if not best:
        return None, [], []
    ranked = sorted(best, key=lambda key: (-best[key], key))
    links = sorted((m for m in matches if m.story_key == ranked[0] and m.score >= threshold), key=lambda m: -m.score)
    return ranked[0], links, ranked[1:]


def repair(
    items: Sequence[StoryItem],
    *,
    locked: Collection[Collection[str]] = (),
    options: StoryOptions | None = None,
    embedder: EmbedFn = embed,
) -> list[list[str]]:
    """Re-cluster `items` from scratch; each `locked` group (editor-pinned, merged or split) comes back as is.

    Returns clusters of article ids (every item exactly once), locked groups first, each cluster in the
    order of `items`. Unlike `assign`, the result does not depend on arrival order.
    """
    options = options or StoryOptions()
    assigner = StoryAssigner(options, embedder=embedder)
    vectors = assigner._vectors_of(items)  # noqa: SLF001 - same embedding path as assign
    entities = [_entities(item) for item in items]
    fingerprints = [item.fingerprint or text_fingerprint(item.title, item.lead, item.body, item.lang) for item in items]
    times = np.array([item.published.timestamp() for item in items])
    matrix = np.stack(vectors) if vectors else np.zeros((0, 0), dtype=np.float32)
    edges: list[Edge] = []
    for i in range(len(items)):
        near = np.flatnonzero(np.abs(times[i + 1 :] - times[i]) <= options.window.total_seconds()) + i + 1
        sims = matrix[near] @ matrix[i] if near.size else np.zeros(0, dtype=np.float32)
        for j, sim in zip(near.tolist(), sims.tolist(), strict=True):
            edges.append(_edge(i, j, sim, entities, fingerprints, options))
    return link_clusters([item.id for item in items], edges, locked=locked, threshold=options.threshold)


def _edge(
    i: int, j: int, sim: float, entities: list[Entities], fingerprints: list[Fingerprint], options: StoryOptions
) -> Edge:
    if fingerprints[i].jaccard(fingerprints[j]) >= options.wire.threshold and min(
        fingerprints[i].shingles, fingerprints[j].shingles
    ) >= options.wire.min_shingles:
        return Edge(i, j, 1.0 + sim, vetoed=False)
    if sim < options.min_similarity:
        return Edge(i, j, sim, vetoed=False)
    evidence = compare(entities[i], entities[j], sim, options.guard)
    return Edge(i, j, evidence.score, vetoed=evidence.vetoed)
