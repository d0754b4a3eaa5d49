"""Writes to stories and agency-copy groups.

- `article_story_place`: the crawler puts a new article in the story its grouping chose (or a new one) and
  records why; a copy of an agency dispatch joins the dispatch's group, whose original is always the earliest
  published copy (re-pointed when an earlier copy arrives late).
- `stories_regroup`: the periodic repair pass moves articles between unlocked stories.
- Editors: `story_merge`, `story_split`, `story_pin`, `story_rename`, `story_unlock`. Each locks the story (the
  repair pass then keeps it exactly as it is) and writes one append-only `StoryAction` row per story touched.

Every membership change recomputes the stories' titles, counts and dates from their articles (`_refresh`), in
the same transaction, with the story rows locked (`select_for_update`) so concurrent workers serialise on them.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kiosque.articles.models import Article, ArticleSignature, Story, StoryAction, StoryActionKind, StoryLink
from kiosque.articles.services import content_changed
from kiosque.articles.stories.selectors import STORIES_VERSION_KEY

Method = StoryLink.Method


@dataclass(frozen=True)
class Evidence:
    """Why an article joined its story: the member it matched best and what they share."""

    matched_id: int | None = None
    score: float | None = None
    similarity: float | None = None
    shared_names: tuple[str, ...] = ()
    shared_numbers: tuple[str, ...] = ()
    wire: bool = False  # a copy of the same agency dispatch


@dataclass(frozen=True)
class Placement:
    """Where grouping puts one article: an existing story (None: a new one) and the dispatch it copies."""

    story_id: int | None
    wire_of: int | None = None  # any stored copy of the same dispatch; the group's earliest becomes the original
    evidence: Evidence = field(default_factory=Evidence)


@dataclass
class RegroupReport:
    moved: dict[int, int] = field(default_factory=dict)  # article id -> its new story id
    created: int = 0  # new stories
    emptied: int = 0  # stories left without articles (kept, pointing at where most of them went)
    skipped_locked: int = 0  # articles of locked stories left alone


# ----------------------------------------------------------------------------------------------- crawler
def article_signature_store(*, article_id: int, fingerprint: bytes, embedding: bytes) -> None:
    """Keep what grouping computed for an article, so a restarted worker or the repair pass reuses it."""
    ArticleSignature.objects.bulk_create(  # one INSERT ... ON CONFLICT statement
        [ArticleSignature(article_id=article_id, fingerprint=fingerprint, embedding=embedding)],
        update_conflicts=True,
        unique_fields=["article"],
        update_fields=["fingerprint", "embedding"],
    )


def article_story_place(*, article: Article, placement: Placement) -> Story:
    """Put `article` in the placement's story (a new one when it is None or gone) and record the evidence."""
    with transaction.atomic():
        story = _story_locked(placement.story_id)
        touched: set[int] = set()
        if story is None:
            # A new story holds this article alone: created with its summary, no refresh (3 statements fewer).
            story = Story.objects.create(**_summary([_member_row(article)]))
        else:
            touched.add(story.pk)
        if article.story_id and article.story_id != story.pk:
            touched.add(article.story_id)
        Article.objects.filter(pk=article.pk).update(story=story)
        article.story = story
        evidence = placement.evidence
        method = Method.ALONE if evidence.matched_id is None and not evidence.wire else Method.ASSIGN
        _link_store(article.pk, evidence, method=method)
        if placement.wire_of is not None and placement.wire_of != article.pk:
            _wire_join(article, placement.wire_of)
        if touched:
            _refresh(touched)
    if story.pk in touched:
        story.refresh_from_db()
    return story


def _member_row(article: Article) -> dict[str, Any]:
    """An article as `_refresh` reads story members."""
    return {
        "pk": article.pk,
        "story_id": article.story_id,
        "title": article.title,
        "language": article.language,
        "published_at": article.published_at,
        "source__slug": article.source.slug,
    }


def _story_locked(story_id: int | None) -> Story | None:
    """The story, locked for this transaction; a story merged away leads to where its articles went."""
    for _ in range(8):  # merges chain rarely; the bound only guards against a cycle made by hand
        if story_id is None:
            return None
        story = Story.objects.select_for_update().filter(pk=story_id).first()
        if story is None or story.merged_into_id is None:
            return story
        story_id = story.merged_into_id
    return None


def _link_store(article_id: int, evidence: Evidence, *, method: str) -> None:
    # One INSERT ... ON CONFLICT statement (update_or_create takes a SELECT and a savepoint around the INSERT).
    link = StoryLink(
        article_id=article_id,
        matched_id=evidence.matched_id,
        method=method,
        score=evidence.score,
        similarity=evidence.similarity,
        shared_names=list(evidence.shared_names),
        shared_numbers=list(evidence.shared_numbers),
        wire=evidence.wire,
        updated_at=timezone.now(),
    )
    StoryLink.objects.bulk_create([link], update_conflicts=True, unique_fields=["article"], update_fields=_LINK_FIELDS)


_LINK_FIELDS = ["matched", "method", "score", "similarity", "shared_names", "shared_numbers", "wire", "updated_at"]


def _wire_join(article: Article, other_id: int) -> None:
    """Join the dispatch group of `other_id`; the earliest published copy becomes (or stays) the original."""
    other = Article.objects.filter(pk=other_id).values("pk", "wire_of_id").first()
    if other is None:
        return
    root = other["wire_of_id"] or other["pk"]
    members = list(
        Article.objects.filter(Q(pk__in=[root, article.pk]) | Q(wire_of_id__in=[root, article.pk])).values(
            "pk", "published_at", "source_id"
        )
    )
    original = min(members, key=lambda m: (m["published_at"], m["pk"]))["pk"]
    others = len({m["source_id"] for m in members}) - 1
    Article.objects.filter(pk__in=[m["pk"] for m in members]).exclude(pk=original).update(
        wire_of=original, wire_count=others
    )
    Article.objects.filter(pk=original).update(wire_of=None, wire_count=others)
    article.wire_of_id = None if article.pk == original else original
    article.wire_count = others


# ----------------------------------------------------------------------------------------------- repair
def stories_regroup(*, groups: Sequence[Collection[int]]) -> RegroupReport:
    """Make each group of article ids one story, moving as few articles as possible.

    Each group keeps the story that holds most of its members (greedily, largest overlap first; a story goes
    to one group at most); a group left without one gets a new story. Articles of locked stories never move.
    """
    report = RegroupReport()
    ids = [pk for group in groups for pk in group]
    with transaction.atomic():
        current: dict[int, int | None] = dict(Article.objects.filter(pk__in=ids).values_list("pk", "story_id"))
        stories = {s for s in current.values() if s is not None}
        states = dict(Story.objects.select_for_update().filter(pk__in=stories).values_list("pk", "locked"))
        locked = {pk for pk, is_locked in states.items() if is_locked}
        free = [[pk for pk in group if pk in current and current[pk] not in locked] for group in groups]
        report.skipped_locked = sum(1 for pk in ids if pk in current and current[pk] in locked)
        targets = _match_stories([g for g in free if g], current)
        went: dict[int, Counter[int]] = {}
        for group, target in targets:
            if target is None:
                target = Story.objects.create().pk
                report.created += 1
            moving = [pk for pk in group if current[pk] != target]
            for pk in moving:
                report.moved[pk] = target
                if current[pk] is not None:
                    went.setdefault(current[pk], Counter())[target] += 1  # type: ignore[index]
            Article.objects.filter(pk__in=moving).update(story_id=target)
            StoryLink.objects.filter(article_id__in=moving).update(method=Method.REPAIR, updated_at=timezone.now())
        report.emptied = _refresh({*went, *report.moved.values()}, went=went)
    if report.moved:
        transaction.on_commit(_changed)
    return report


def _match_stories(groups: list[list[int]], current: Mapping[int, int | None]) -> list[tuple[list[int], int | None]]:
    overlaps = sorted(
        (-count, story, index)
        for index, group in enumerate(groups)
        for story, count in Counter(current[pk] for pk in group if current[pk] is not None).items()
    )
    chosen: dict[int, int] = {}
    for _, story, index in overlaps:
        if index not in chosen and story not in chosen.values():
            chosen[index] = story  # type: ignore[assignment]
    return [(group, chosen.get(index)) for index, group in enumerate(groups)]


def story_links_store(*, evidence: Mapping[int, Evidence], method: str = Method.REPAIR) -> None:
    """Record why articles moved by the repair pass are where they are."""
    for article_id, item in evidence.items():
        _link_store(article_id, item, method=method)


# ----------------------------------------------------------------------------------------------- editors
def story_merge(*, stories: Sequence[Story], actor: Any = None, reason: str = "") -> Story:
    """Merge the stories into the one with most articles (then the oldest); the others point at it."""
    if len({s.pk for s in stories}) < 2:
        raise ValueError("merging needs at least two stories")
    with transaction.atomic():
        rows = list(Story.objects.select_for_update().filter(pk__in=[s.pk for s in stories]).order_by("pk"))
        target = min(rows, key=lambda s: (-s.article_count, s.first_published_at or timezone.now(), s.pk))
        others = [s for s in rows if s.pk != target.pk]
        moved = sorted(Article.objects.filter(story__in=others).values_list("pk", flat=True))
        Article.objects.filter(pk__in=moved).update(story=target)
        StoryLink.objects.filter(article_id__in=moved, method=Method.ALONE).update(method=Method.EDITOR)
        edited = {k: v for s in reversed(others) for k, v in s.edited_titles.items()}
        Story.objects.filter(pk=target.pk).update(
            locked=True, pinned=any(s.pinned for s in rows), edited_titles={**edited, **target.edited_titles}
        )
        others_ids = [s.pk for s in others]
        Story.objects.filter(Q(pk__in=others_ids) | Q(merged_into__in=others_ids)).update(merged_into=target)
        Story.objects.filter(pk__in=others_ids).update(locked=True, pinned=False)
        _refresh({target.pk, *others_ids})
        details = {"merged": others_ids, "articles": moved}
        _log(target.pk, StoryActionKind.MERGE, actor=actor, reason=reason, details=details)
        for pk in others_ids:
            _log(pk, StoryActionKind.MERGE, actor=actor, reason=reason, details={"into": target.pk})
        transaction.on_commit(_changed)
    target.refresh_from_db()
    return target


def story_split(*, articles: Iterable[Article], actor: Any = None, reason: str = "") -> Story:
    """Move the articles out of their stories into a new story; every story involved is then locked."""
    ids = sorted({a.pk for a in articles})
    if not ids:
        raise ValueError("splitting needs at least one article")
    with transaction.atomic():
        previous = set(Article.objects.filter(pk__in=ids, story__isnull=False).values_list("story_id", flat=True))
        list(Story.objects.select_for_update().filter(pk__in=previous))
        story = Story.objects.create(locked=True)
        Article.objects.filter(pk__in=ids).update(story=story)
        for pk in ids:
            _link_store(pk, Evidence(), method=Method.EDITOR)
        Story.objects.filter(pk__in=previous).update(locked=True)
        _refresh({story.pk, *previous}, went={pk: Counter({story.pk: 1}) for pk in previous})
        details = {"from": sorted(previous), "articles": ids}
        _log(story.pk, StoryActionKind.SPLIT, actor=actor, reason=reason, details=details)
        for pk in sorted(previous):
            _log(pk, StoryActionKind.SPLIT, actor=actor, reason=reason, details={"into": story.pk, "articles": ids})
        transaction.on_commit(_changed)
    story.refresh_from_db()
    return story


def story_pin(*, story: Story, pinned: bool = True, actor: Any = None, reason: str = "") -> Story:
    """Pin the story at the top of "À la une" (or unpin it)."""
    kind = StoryActionKind.PIN if pinned else StoryActionKind.UNPIN
    return _edit(story, kind, actor=actor, reason=reason, changes={"pinned": pinned}, details={})


def story_rename(*, story: Story, titles: Mapping[str, str], actor: Any = None, reason: str = "") -> Story:
    """Set the editor's titles per language; a blank title gives that language back to the automatic one."""
    edited = {lang: " ".join(title.split())[:1000] for lang, title in titles.items() if title and title.strip()}
    details = {"before": story.edited_titles, "after": edited}
    return _edit(story, StoryActionKind.RENAME, actor=actor, reason=reason, changes={"edited_titles": edited},
                 details=details)


def story_unlock(*, story: Story, actor: Any = None, reason: str = "") -> Story:
    """Let the repair pass regroup this story's articles again."""
    return _edit(story, StoryActionKind.UNLOCK, actor=actor, reason=reason, changes={"locked": False}, details={})


def _edit(
    story: Story, kind: str, *, actor: Any, reason: str, changes: dict[str, Any], details: dict[str, Any]
) -> Story:
    with transaction.atomic():
        locked = {"locked": True, **changes}
        Story.objects.filter(pk=story.pk).update(**locked, updated_at=timezone.now())
        _log(story.pk, kind, actor=actor, reason=reason, details=details)
        transaction.on_commit(_changed)
    story.refresh_from_db()
    return story


def _log(story_id: int, kind: str, *, actor: Any, reason: str, details: dict[str, Any]) -> None:
    StoryAction.objects.create(
        story_id=story_id, kind=kind, actor=actor if getattr(actor, "pk", None) else None,
        reason=reason.strip()[:2000], details=details,
    )


def _changed() -> None:
    """Crawler processes re-read the stories before their next placement; cached pages show the change."""
    stories_changed()
    content_changed()


def stories_changed() -> None:
    cache.set(STORIES_VERSION_KEY, f"t-{time.time_ns()}", None)


# ----------------------------------------------------------------------------------------------- refresh
def _refresh(story_ids: Iterable[int], *, went: Mapping[int, Counter[int]] | None = None) -> int:
    """Recompute each story's titles, counts and dates from its articles; returns how many are now empty.

    An emptied story keeps its row and points (`merged_into`) at the story that received most of its articles.
    """
    ids = sorted(set(story_ids))
    rows: dict[int, list[dict[str, Any]]] = {pk: [] for pk in ids}
    for row in (
        Article.objects.filter(story_id__in=ids)
        .order_by("published_at", "pk")
        .values("pk", "story_id", "title", "language", "published_at", "source__slug")
    ):
        rows[row["story_id"]].append(row)
    now, emptied = timezone.now(), 0
    for pk, members in rows.items():
        if members:
            Story.objects.filter(pk=pk).update(**_summary(members), updated_at=now)
            continue
        emptied += 1
        heir = (went or {}).get(pk)
        Story.objects.filter(pk=pk).update(
            article_count=0, source_count=0, language_counts={}, source_counts={}, first_article=None,
            updated_at=now, **({"merged_into": heir.most_common(1)[0][0]} if heir else {}),
        )
    return emptied


def _summary(members: list[dict[str, Any]]) -> dict[str, Any]:
    """Story fields from its articles, earliest first: the first report, a title per language, counts."""
    titles: dict[str, str] = {}
    for row in members:
        titles.setdefault(row["language"] or "", row["title"])
    first = members[0]
    return {
        "first_article_id": first["pk"],
        "first_language": first["language"] or "",
        "first_published_at": first["published_at"],
        "last_published_at": members[-1]["published_at"],
        "titles": titles,
        "article_count": len(members),
        "language_counts": dict(Counter(row["language"] or "" for row in members)),
        "source_counts": dict(Counter(row["source__slug"] for row in members)),
        "source_count": len({row["source__slug"] for row in members}),
    }
