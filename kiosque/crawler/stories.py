"""The crawler's story step: agency copy and story grouping of each new article, and the periodic repair pass.

`crawler.services._entry_ingest` hands every new article to the process's `StoryDesk` once it is stored; this
module is that step, kept apart from `services.py` for size. It composes the enrich stage (fingerprint,
embedding, `StoryAssigner`, `repair`) with stored state and writes through `articles.stories.services`.

- One desk per crawler process holds one incremental `StoryAssigner` (the pipeline's, not thread-safe) behind
  a lock. The embedding and the fingerprint, 90 % of the cost, are computed before taking the lock, so the
  crawl's threads only queue for the assignment itself (~1.5 ms) and its few writes.
- The assigner is warmed from the database: the articles of the last window (ending at the newest stored
  article, so an old snapshot works too) with their stored signature and story, via `remember`. It is
  warmed again whenever editors or a repair pass changed stories (`stories_version`), so a merged or split
  story is what new articles join.
- Assigner story keys are "s<story id>": a new story is keyed by its first article's id until the service has
  created its row, then relabelled.
- `repair` re-clusters the window from scratch (`pipeline.enrich.stories.repair`), keeping the articles of
  locked stories exactly as they are, and moves as few articles as possible (`stories_regroup`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from functools import partial

import numpy as np
from django.db import transaction
from django.utils import timezone

from kiosque.articles.models import Article, Story
from kiosque.articles.services import EXACT_DUPLICATE_MIN_CHARS, content_changed
from kiosque.articles.stories import selectors as story_selectors
from kiosque.articles.stories.services import (
    Evidence,
    Placement,
    RegroupReport,
    article_signature_store,
    article_story_place,
    stories_regroup,
    story_links_store,
)
from kiosque.pipeline.enrich.embed import embed, embedding_text
from kiosque.pipeline.enrich.entities import Entities, extract_entities
from kiosque.pipeline.enrich.fingerprint import Fingerprint, text_fingerprint
from kiosque.pipeline.enrich.guard import compare
from kiosque.pipeline.enrich.stories import (
    Assignment,
    Match,
    StoryAssigner,
    StoryItem,
    StoryOptions,
    StorySignals,
    repair,
    story_signals,
)
from kiosque.writes import serialized_writes

log = logging.getLogger(__name__)

EmbedFn = Callable[[Sequence[str]], np.ndarray]
SignalsFn = Callable[[StoryItem], StorySignals]

FORGET_EVERY = 200  # placements between two prunings of the assigner's memory
REPAIR_LIMIT = 5000  # newest articles of the window a repair pass regroups (its cost grows with the square)


class StoryDesk:
    """Story grouping for one crawler process: `place` each new article, `repair` now and then."""

    def __init__(
        self,
        options: StoryOptions,
        *,
        embedder: EmbedFn = embed,
        signals: SignalsFn | None = None,
        repair_limit: int = REPAIR_LIMIT,
    ) -> None:
        self.options = options
        self._embed = embedder
        self._signals = signals or partial(story_signals, embedder=embedder)
        self._repair_limit = repair_limit
        self._lock = threading.Lock()
        self._assigner: StoryAssigner | None = None
        self._version: str | None = None
        self._placed = 0
        self._newest: datetime | None = None

    # ------------------------------------------------------------------------------------------- placement
    def place(self, article: Article, *, signals: StorySignals | None = None) -> Story:
        """Group a stored article (copy of a dispatch, story) and store the result; returns its story.
        `signals`: the article's, when the crawler computed them already (crawler.cpu.prepare_article)."""
        item, signature = self._signed(article, signals)  # the costly part, outside the locks
        # The write lock first: a thread holding the desk must never wait for the database (that convoy held the
        # desk ~25 ms per article with 8 crawl threads, bench/ingest.py). Assignment is ~1 ms of it.
        with serialized_writes(), self._lock:
            assigner = self._current()
            assignment = assigner.assign(item)
            placement = self._placement(article, assignment)
            # The signature and the placement in one transaction (a savepoint inside the article's own).
            with transaction.atomic():
                article_signature_store(article_id=article.pk, fingerprint=signature[0], embedding=signature[1])
                story = article_story_place(article=article, placement=placement)
            key = _key(story.pk)
            if key != assignment.story_key:  # a new story got its row, or the story met was merged meanwhile
                wire = str(article.wire_of_id or article.pk) if article.wire_of_id or article.wire_count else None
                assigner.remember(item, key, wire_group=wire)
            self._forget_old(assigner, item.published)
        log.debug("story placed", extra={"url": article.url, "story_id": story.pk, "new": assignment.is_new_story})
        return story

    def _signed(
        self, article: Article, signals: StorySignals | None = None
    ) -> tuple[StoryItem, tuple[bytes, bytes]]:
        """The article as the assigner sees it, and its (fingerprint, embedding) bytes to store."""
        bare = _item(article)
        found = signals or self._signals(bare)
        item = replace(bare, embedding=found.embedding, fingerprint=found.fingerprint, entities=found.entities)
        return item, (found.fingerprint.to_bytes(), _vector_bytes(found.embedding))

    def _current(self) -> StoryAssigner:
        version = story_selectors.stories_version()
        if self._assigner is None or version != self._version:
            self._assigner, self._version = self._warm(), version
        return self._assigner

    def _warm(self) -> StoryAssigner:
        """An assigner that remembers the window's stored articles with their signature and story."""
        assigner = StoryAssigner(self.options, embedder=self._embed)
        rows = self._window(self.options.window)
        for row in rows:
            signature = story_selectors.signature_of(row)
            if signature is None or row.story_id is None:
                continue  # the repair pass gives them a signature and a story
            wire = str(row.wire_of_id or row.pk) if row.wire_of_id or row.wire_count else None
            assigner.remember(_item(row, *signature), _key(row.story_id), wire_group=wire)
        log.info("story assigner warmed", extra={"articles": len(assigner)})
        return assigner

    def _window(self, span: timedelta) -> list[Article]:
        anchor = story_selectors.grouping_anchor(now=timezone.now())
        if anchor is None:
            return []
        return story_selectors.articles_for_grouping(since=anchor - span, until=anchor, limit=self._repair_limit)

    def _placement(self, article: Article, assignment: Assignment) -> Placement:
        story_id = None if assignment.is_new_story else _story_id(assignment.story_key)
        wire_of = int(assignment.wire_of[0]) if assignment.wire_of else None
        evidence = _evidence(assignment.matches[0]) if assignment.matches else Evidence()
        if wire_of is None:
            # The same normalised text from another outlet, however long ago (the assigner only sees the window).
            exact = story_selectors.exact_copy_of(article, min_chars=EXACT_DUPLICATE_MIN_CHARS)
            if exact is not None:
                wire_of, story_id = exact.pk, exact.story_id or story_id
                evidence = Evidence(matched_id=exact.pk, similarity=1.0, wire=True)
        return Placement(story_id=story_id, wire_of=wire_of, evidence=evidence)

    def _forget_old(self, assigner: StoryAssigner, published: datetime) -> None:
        now = timezone.now()
        newest = min(published, now)
        self._newest = newest if self._newest is None else max(self._newest, newest)
        self._placed += 1
        if self._placed % FORGET_EVERY == 0:
            assigner.forget_before(self._newest - self.options.window)

    # ------------------------------------------------------------------------------------------- repair
    def repair(self, *, span: timedelta | None = None) -> RegroupReport:
        """Regroup the last `span` (default: the window) of stored articles from scratch; locked stories stay."""
        with serialized_writes(), self._lock:  # the same order as `place`
            rows = self._window(span or self.options.window)
            items = self._items(rows)
            locked = story_selectors.locked_groups([row.pk for row in rows])
            clusters = repair(
                items,
                locked=[[str(pk) for pk in group] for group in locked],
                options=self.options,
                embedder=self._embed,
            )
            free = [[int(key) for key in cluster] for cluster in clusters[len(locked) :]]
            report = stories_regroup(groups=free)
            if report.moved:
                story_links_store(evidence=self._repair_evidence(report.moved, free, items))
                content_changed()  # the pages show the new evidence too
            self._assigner = None  # warmed again from the database before the next placement
        log.info(
            "stories repaired",
            extra={
                "articles": len(items),
                "moved": len(report.moved),
                "stories_created": report.created,
                "emptied": report.emptied,
            },
        )
        return report

    def _items(self, rows: Sequence[Article]) -> list[StoryItem]:
        """Items with their stored signature; missing ones are computed in one batch and stored."""
        missing = [row for row in rows if story_selectors.signature_of(row) is None]
        vectors = self._embed([embedding_text(r.title, r.lead) for r in missing]) if missing else None
        computed: dict[int, tuple[bytes, bytes]] = {}
        for n, row in enumerate(missing):
            assert vectors is not None
            fingerprint = text_fingerprint(row.title, row.lead, row.text, row.language or None).to_bytes()
            computed[row.pk] = (fingerprint, _vector_bytes(vectors[n]))
            article_signature_store(article_id=row.pk, fingerprint=fingerprint, embedding=computed[row.pk][1])
        return [_item(row, *(computed.get(row.pk) or story_selectors.signature_of(row) or ())) for row in rows]

    def _repair_evidence(
        self, moved: dict[int, int], groups: list[list[int]], items: list[StoryItem]
    ) -> dict[int, Evidence]:
        """For each moved article, its best link inside its new group (as `assign` would score it)."""
        by_id = {int(item.id): item for item in items}
        group_of = {pk: group for group in groups for pk in group}
        entities: dict[int, Entities] = {}

        def facts(pk: int) -> Entities:
            if pk not in entities:
                item = by_id[pk]
                entities[pk] = extract_entities(
                    f"{item.title}\n{item.lead}\n{item.body}", item.lang, item.published.date()
                )
            return entities[pk]

        out: dict[int, Evidence] = {}
        for pk in moved:
            best: Evidence | None = None
            for other in group_of.get(pk, ()):
                if other != pk:
                    candidate = self._pair_evidence(by_id[pk], by_id[other], facts=(facts(pk), facts(other)))
                    if best is None or (candidate.score or 0.0) > (best.score or 0.0):
                        best = candidate
            out[pk] = best or Evidence()
        return out

    def _pair_evidence(self, a: StoryItem, b: StoryItem, *, facts: tuple[Entities, Entities]) -> Evidence:
        assert a.embedding is not None and b.embedding is not None and a.fingerprint and b.fingerprint
        similarity = float(np.dot(a.embedding, b.embedding))
        wire = self.options.wire
        fa, fb = a.fingerprint, b.fingerprint
        if min(fa.shingles, fb.shingles) >= wire.min_shingles and fa.jaccard(fb) >= wire.threshold:
            return Evidence(matched_id=int(b.id), score=1.0 + similarity, similarity=similarity, wire=True)
        found = compare(*facts, similarity, weights=self.options.guard)
        return Evidence(
            matched_id=int(b.id),
            score=found.score,
            similarity=similarity,
            shared_names=found.shared_names,
            shared_numbers=found.shared_numbers,
        )


def _item(
    article: Article, fingerprint: bytes | Fingerprint | None = None, embedding: bytes | np.ndarray | None = None
) -> StoryItem:
    """The pipeline's view of a stored article; published in the site's time zone (weekdays resolve there)."""
    if isinstance(fingerprint, bytes):
        fingerprint = Fingerprint.from_bytes(fingerprint)
    if isinstance(embedding, bytes):
        embedding = np.frombuffer(embedding, dtype="<f4").astype(np.float32)
    return StoryItem(
        id=str(article.pk),
        lang=article.language or None,
        title=article.title,
        lead=article.lead,
        body=article.text,
        published=timezone.localtime(article.published_at),
        embedding=embedding,
        fingerprint=fingerprint,
    )


def _vector_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def _key(story_id: int) -> str:
    return f"s{story_id}"


def _story_id(key: str) -> int | None:
    return int(key[1:]) if key.startswith("s") and key[1:].isdigit() else None


def _evidence(match: Match) -> Evidence:
    return Evidence(
        matched_id=int(match.article_id),
        score=match.score,
        similarity=match.similarity,
        shared_names=match.shared_names,
        shared_numbers=match.shared_numbers,
        wire=match.wire_copy,
    )
