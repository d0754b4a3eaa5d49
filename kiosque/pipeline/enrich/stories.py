"""Story grouping: put all coverage of one event together, across outlets and French, Arabic and English.

    assigner = StoryAssigner(StoryOptions())
    a = assigner.assign(StoryItem(id="42", lang="fr", title=..., lead=..., body=..., published=aware_dt))
    a.story_key, a.is_new_story, a.matches[0].shared_numbers, a.wire_of

How an item finds its story (incrementally, one item at a time, in any order of arrival):
1. Agency copy: an item whose text is a near copy (MinHash, see `fingerprint`) of a remembered item joins
   that item's story, and its `wire_group` is the id of the earliest copy (the caller marks that original
   too, and credits its publisher).
2. Candidates are the remembered items published within `window` of it (either side).
3. Each candidate gets a score: the cosine of the two multilingual embeddings of title + lead, adjusted by
   the names-and-numbers guard (`guard.compare`): shared figures and names raise it, disjoint figures or
   dates lower it, conflicting match scores veto the pair.
4. The item joins the story of its best-scoring candidate when that score reaches `threshold` and no member
   of that story vetoes it (single link with cannot-link constraints); otherwise it opens a new story.

`repair(items, locked=...)` re-clusters a batch from scratch the same way (order-independent: strongest
links first), keeping the editor-locked groups exactly as they are; a periodic job calls it.

The assigner remembers every item until `forget_before(newest - window)` (call it now and then); a worker
that restarts `remember`s the recent items with their stored embedding, fingerprint and story. Not
thread-safe: one assigner per process.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt

from kiosque.pipeline.enrich.clusters import Edge, link_clusters
from kiosque.pipeline.enrich.embed import embed, embedding_text
from kiosque.pipeline.enrich.entities import Entities, extract_entities
from kiosque.pipeline.enrich.fingerprint import Fingerprint, WireIndex, WireOptions, text_fingerprint
from kiosque.pipeline.enrich.guard import Evidence, GuardWeights, compare

__all__ = [
    "Assignment",
    "Match",
    "StoryAssigner",
    "StoryItem",
    "StoryOptions",
    "StorySignals",
    "repair",
    "story_entities",
    "story_signals",
]

Vector = npt.NDArray[np.float32]
EmbedFn = Callable[[Sequence[str]], Vector]


@dataclass(frozen=True)
class StoryOptions:
    window: timedelta = timedelta(hours=72)  # articles of one story lie within 48 h of each other on dev
    # Guarded score at and above which two articles report one event: the middle of the range where dev pairwise
    # F1 stays >= 0.95 (0.55-0.775, see bench/RESULTS.md).
    threshold: float = 0.675
    min_similarity: float = 0.2  # below this embedding cosine a pair is not even scored
    max_candidates: int = 200  # most similar window items scored by the guard (the rest cannot win in practice)
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
    # Computed with `embed(embedding_text(title, lead))` when None. Left out of ==: arrays do not compare to a bool.
    embedding: Vector | None = field(default=None, compare=False)
    fingerprint: Fingerprint | None = None  # computed with `text_fingerprint` when None
    entities: Entities | None = field(default=None, compare=False)  # computed with `story_entities` when None


@dataclass(frozen=True)
class StorySignals:
    """What grouping computes from an item's text alone (~9 ms, most of an assignment's cost): computed
    where the CPU is (a crawler passes it to its process pool) and handed back in the StoryItem."""

    embedding: Vector
    fingerprint: Fingerprint
    entities: Entities


def story_signals(item: StoryItem, *, embedder: EmbedFn = embed) -> StorySignals:
    """The embedding, fingerprint and entities of an item (a pure function of its text, language and day)."""
    return StorySignals(
        embedding=embedder([embedding_text(item.title, item.lead)])[0],
        fingerprint=text_fingerprint(item.title, item.lead, item.body, item.lang),
        entities=story_entities(item),
    )


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
        vectors = _vectors_of(items, self._embed)
        return [self._assign_one(item, vector) for item, vector in zip(items, vectors, strict=True)]

    def remember(self, item: StoryItem, story_key: str, *, wire_group: str | None = None) -> None:
        """Load an already-assigned item (worker restart, editor move) without re-deciding its story."""
        vector = _vectors_of([item], self._embed)[0]
        entities = _entities(item)
        self._store(item, vector, entities, story=story_key, wire_group=wire_group)

    def forget_before(self, when: datetime) -> int:
        """Drop items published before `when` (call with newest - window to bound memory)."""
        cutoff = when.timestamp()
        old = [k for k, known in self._known.items() if known.published < cutoff]
        for key in old:
            self._drop(key)
        self._wire.prune(when)
        if len(self._known) < len(self._ids) // 2:
            self._compact()
        return len(old)

    # ------------------------------------------------------------------ internals
    def _assign_one(self, item: StoryItem, vector: Vector) -> Assignment:
        entities = _entities(item)
        fingerprint = item.fingerprint or text_fingerprint(item.title, item.lead, item.body, item.lang)
        copies = [c for c in self._wire.query(fingerprint) if c in self._known and c != item.id]
        story, matches, others = _decide(
            list(self._matches(item, vector, entities, copies=copies)), self.options.threshold
        )
        wire_group = (self._known[copies[0]].wire_group or copies[0]) if copies else None
        is_new = story is None
        story_key = story if story is not None else item.id
        self._store(item, vector, entities, story=story_key, wire_group=wire_group, fingerprint=fingerprint)
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

    def _matches(self, item: StoryItem, vector: Vector, entities: Entities, *, copies: list[str]) -> Iterable[Match]:
        for key in copies:  # a copy of a dispatch belongs to its story however late it is republished
            known = self._known[key]
            sim = float(self._vectors[known.row] @ vector)
            yield Match(key, known.story, 1.0 + sim, sim, wire_copy=True)
        rows = self._candidate_rows(item.published.timestamp())
        if rows.size == 0:
            return
        sims = self._vectors[rows] @ vector
        keep = sims >= self.options.min_similarity
        rows, sims = rows[keep], sims[keep]
        if rows.size > self.options.max_candidates:  # bounds the guard's work when the window is crowded
            top = np.argpartition(-sims, self.options.max_candidates - 1)[: self.options.max_candidates]
            rows, sims = rows[top], sims[top]
        skip = {item.id, *copies}
        for row, sim in zip(rows.tolist(), sims.tolist(), strict=True):
            key = self._ids[row]
            if key is not None and key not in skip:
                known = self._known[key]
                yield _match(key, known.story, compare(entities, known.entities, sim, weights=self.options.guard))

    def _candidate_rows(self, when: float) -> npt.NDArray[np.intp]:
        n = len(self._ids)
        window = self.options.window.total_seconds()
        return np.flatnonzero(np.abs(self._times[:n] - when) <= window)

    def _store(
        self,
        item: StoryItem,
        vector: Vector,
        entities: Entities,
        *,
        story: str,
        wire_group: str | None,
        fingerprint: Fingerprint | None = None,
    ) -> None:
        if item.id in self._known:
            self._drop(item.id)
        row = self._append_row(vector, item.published.timestamp(), item.id)
        self._known[item.id] = _Known(item.id, item.published.timestamp(), entities, story, wire_group, row)
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

    def _compact(self) -> None:
        # Rows of forgotten items are dead weight in every matrix product: rebuild without them.
        live = [known.row for known in self._known.values()]
        vectors, times = self._vectors[live], self._times[live]
        self._vectors = np.zeros((max(64, 2 * len(live)), self._vectors.shape[1]), dtype=np.float32)
        self._times = np.full(self._vectors.shape[0], np.inf)
        self._vectors[: len(live)], self._times[: len(live)] = vectors, times
        self._ids = list(self._known)
        for row, known in enumerate(self._known.values()):
            known.row = row

    def _drop(self, key: str) -> None:
        known = self._known.pop(key)
        self._ids[known.row] = None
        self._times[known.row] = np.inf
        self._wire.remove(key)


def _vectors_of(items: Sequence[StoryItem], embedder: EmbedFn) -> list[Vector]:
    """Each item's embedding: the one it carries, or computed (all missing ones in one batch: faster)."""
    missing = [i for i, item in enumerate(items) if item.embedding is None]
    computed = embedder([embedding_text(items[i].title, items[i].lead) for i in missing]) if missing else None
    rows = {i: n for n, i in enumerate(missing)}
    out: list[Vector] = []
    for i, item in enumerate(items):
        if item.embedding is not None:
            out.append(np.asarray(item.embedding, dtype=np.float32))
        else:
            assert computed is not None
            out.append(computed[rows[i]])
    return out


def story_entities(item: StoryItem) -> Entities:
    # The local calendar day of publication: "jeudi" in a Paris paper means the Paris Thursday.
    return extract_entities(f"{item.title}\n{item.lead}\n{item.body}", item.lang, item.published.date())


def _entities(item: StoryItem) -> Entities:
    return item.entities if item.entities is not None else story_entities(item)


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
    """The chosen story, its links best first, and the other stories linked (a merge hint).

    A copy of a dispatch goes where its earliest copy went. Otherwise the best-scoring story among those
    linked at `threshold` that no member vetoes (single link with cannot-link constraints).
    """
    copies = [m for m in matches if m.wire_copy]
    vetoed = {m.story_key for m in matches if m.vetoed}
    best: dict[str, float] = {}
    for m in matches:
        if m.score >= threshold and m.story_key not in vetoed:
            best[m.story_key] = max(best.get(m.story_key, m.score), m.score)
    if copies:
        chosen = copies[0].story_key
    elif best:
        chosen = min(best, key=lambda key: (-best[key], key))
    else:
        return None, [], []
    links = sorted(
        (m for m in matches if m.story_key == chosen and (m.wire_copy or m.score >= threshold)), key=lambda m: -m.score
    )
    return chosen, links, sorted(key for key in best if key != chosen)


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
    vectors = _vectors_of(items, embedder)
    batch = _Batch(
        entities=[_entities(item) for item in items],
        fingerprints=[
            item.fingerprint or text_fingerprint(item.title, item.lead, item.body, item.lang) for item in items
        ],
        options=options,
    )
    times = np.array([item.published.timestamp() for item in items])
    matrix = np.stack(vectors) if vectors else np.zeros((0, 0), dtype=np.float32)
    edges: list[Edge] = []
    for i in range(len(items)):
        near = np.flatnonzero(np.abs(times[i + 1 :] - times[i]) <= options.window.total_seconds()) + i + 1
        sims = matrix[near] @ matrix[i] if near.size else np.zeros(0, dtype=np.float32)
        edges.extend(batch.edge(i, j, sim) for j, sim in zip(near.tolist(), sims.tolist(), strict=True))
    return link_clusters([item.id for item in items], edges, locked=locked, threshold=options.threshold)


@dataclass(frozen=True)
class _Batch:
    entities: list[Entities]
    fingerprints: list[Fingerprint]
    options: StoryOptions

    def edge(self, i: int, j: int, sim: float) -> Edge:
        """The pair's score, as `assign` would compute it (a copy of a dispatch links at 1 + cosine)."""
        a, b, wire = self.fingerprints[i], self.fingerprints[j], self.options.wire
        if min(a.shingles, b.shingles) >= wire.min_shingles and a.jaccard(b) >= wire.threshold:
            return Edge(i, j, 1.0 + sim)
        if sim < self.options.min_similarity:
            return Edge(i, j, sim)
        evidence = compare(self.entities[i], self.entities[j], sim, weights=self.options.guard)
        return Edge(i, j, evidence.score, vetoed=evidence.vetoed)
