"""Story and agency-copy services: placing articles, the earliest copy credited, exact duplicates, regrouping
with locks, and the editors' merge, split, pin, rename and unlock with their append-only log."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.db import DatabaseError, transaction

from kiosque.articles.models import Article, Story, StoryAction, StoryLink
from kiosque.articles.services import ArticleDraft, article_ingest
from kiosque.articles.stories.selectors import article_coverage, exact_copy_of, locked_groups, story_live
from kiosque.articles.stories.services import (
    Evidence,
    Placement,
    article_story_place,
    stories_regroup,
    story_merge,
    story_pin,
    story_rename,
    story_split,
    story_unlock,
)
from kiosque.pipeline.enrich import normalize_text
from tests.factories import BASE_TIME, make_article, make_source

pytestmark = pytest.mark.django_db

DISPATCH = ("Le Conseil de gouvernement a adopté jeudi un projet de décret relevant l'aide sociale directe "
            "minimale à 550 dirhams par mois à partir de novembre, a annoncé le porte-parole du gouvernement "
            "à l'issue de la réunion hebdomadaire tenue à Rabat sous la présidence du chef du gouvernement.")


@pytest.fixture
def outlets():
    return [make_source(f"Outlet {n}", slug=f"outlet-{n}") for n in range(4)]


def place(article: Article, story: Story | None = None, **evidence: object) -> Story:
    placement = Placement(story_id=story.pk if story else None, evidence=Evidence(**evidence))  # type: ignore[arg-type]
    return article_story_place(article=article, placement=placement)


def test_placing_opens_a_story_then_joins_it_and_keeps_counts_and_titles(outlets):
    fr = make_article(outlets[0], title="Séisme au large d'Al Hoceima", language="fr", published=BASE_TIME)
    ar = make_article(outlets[1], title="هزة أرضية قبالة الحسيمة", language="ar",
                      published=BASE_TIME + timedelta(hours=2))
    en = make_article(outlets[2], title="Quake off Al Hoceima", language="en", published=BASE_TIME - timedelta(hours=1))
    story = place(fr)
    assert story.article_count == 1 and story.first_article_id == fr.pk
    assert StoryLink.objects.get(article=fr).method == StoryLink.Method.ALONE
    place(ar, story, matched_id=fr.pk, score=0.8, similarity=0.7, shared_names=("hoceima",), shared_numbers=("4.8",))
    story = place(en, story, matched_id=fr.pk, score=0.9, similarity=0.85)
    assert story.article_count == 3 and story.source_count == 3
    assert story.language_counts == {"fr": 1, "ar": 1, "en": 1}
    assert story.source_counts == {"outlet-0": 1, "outlet-1": 1, "outlet-2": 1}
    # The earliest article is the first report, whatever the order of arrival.
    assert story.first_article_id == en.pk and story.first_language == "en"
    assert story.first_published_at == en.published_at and story.last_published_at == ar.published_at
    assert story.titles == {"fr": fr.title, "ar": ar.title, "en": en.title}
    assert story.title() == en.title and story.title("ar") == ar.title
    link = StoryLink.objects.get(article=ar)
    assert (link.matched_id, link.shared_names, link.shared_numbers) == (fr.pk, ["hoceima"], ["4.8"])


def test_the_earliest_copy_of_a_dispatch_is_the_original_even_when_it_arrives_last(outlets):
    second = make_article(outlets[1], title="Aide sociale : 550 dirhams", text=DISPATCH, published=BASE_TIME)
    third = make_article(outlets[2], title="Conseil de gouvernement", text=DISPATCH,
                         published=BASE_TIME + timedelta(minutes=30))
    story = place(second)
    article_story_place(article=third, placement=Placement(story_id=story.pk, wire_of=second.pk,
                                                           evidence=Evidence(matched_id=second.pk, wire=True)))
    assert Article.objects.get(pk=third.pk).wire_of_id == second.pk
    first = make_article(outlets[0], title="Le Conseil relève l'aide sociale", text=DISPATCH,
                         published=BASE_TIME - timedelta(minutes=40))
    article_story_place(article=first, placement=Placement(story_id=story.pk, wire_of=third.pk))
    rows = {a.pk: a for a in Article.objects.all()}
    assert rows[first.pk].wire_of_id is None
    assert rows[second.pk].wire_of_id == first.pk and rows[third.pk].wire_of_id == first.pk
    assert {a.wire_count for a in rows.values()} == {2}
    coverage = article_coverage(rows[third.pk])
    assert coverage.original == rows[first.pk]
    assert [a.pk for a in coverage.wire] == [first.pk, second.pk] and coverage.others == []


def ingest(source, key: str, text: str):  # type: ignore[no-untyped-def]
    """As the crawler stores a page: the content hash is the SHA-256 of the normalised text."""
    url = f"{source.homepage}{key}"
    draft = ArticleDraft(url=url, canonical_url=url, title=f"Titre {key}", published_at=BASE_TIME, text=text,
                         language="fr", content_hash=hashlib.sha256(normalize_text(text, "fr").encode()).hexdigest())
    return article_ingest(source=source, feed=None, draft=draft, image=None, now=BASE_TIME)


def test_exact_duplicates(outlets):
    first = ingest(outlets[0], "a", DISPATCH).article
    # The same source with the same normalised text under another address: the same article.
    same = ingest(outlets[0], "b", DISPATCH.upper().replace(" ", "  "))
    assert not same.created and same.article.pk == first.pk and Article.objects.count() == 1
    # Another outlet with the same text: an article of its own, found as a copy of the first.
    copy = ingest(outlets[1], "c", DISPATCH).article
    assert copy.pk != first.pk and exact_copy_of(copy, min_chars=200) == first
    # Short texts are never duplicates: an identical blurb is too often a coincidence.
    one, two = ingest(outlets[2], "d", "Lire la suite.").article, ingest(outlets[2], "e", "Lire la suite.").article
    assert one.pk != two.pk and exact_copy_of(two, min_chars=200) is None
    assert exact_copy_of(copy, min_chars=10_000) is None


@pytest.fixture
def two_stories(outlets):
    a = [make_article(outlets[n], title=f"Match A {n}", published=BASE_TIME + timedelta(minutes=n)) for n in range(3)]
    b = [make_article(outlets[n], title=f"Match B {n}", published=BASE_TIME + timedelta(hours=1, minutes=n))
         for n in range(2)]
    first = place(a[0])
    for article in a[1:]:
        place(article, first, matched_id=a[0].pk, score=0.9, similarity=0.8)
    second = place(b[0])
    place(b[1], second, matched_id=b[0].pk, score=0.9, similarity=0.8)
    first.refresh_from_db()
    second.refresh_from_db()
    return first, second, a, b


def test_merge_moves_everything_into_the_largest_locks_and_logs(two_stories, django_user_model):
    first, second, _a, b = two_stories
    editor = django_user_model.objects.create_user("editor")
    story_pin(story=second, actor=editor)
    merged = story_merge(stories=[second, first], actor=editor, reason="same derby")
    assert merged.pk == first.pk and merged.article_count == 5 and merged.locked and merged.pinned
    second.refresh_from_db()
    assert second.article_count == 0 and second.merged_into_id == first.pk and not second.pinned
    assert story_live(second) == merged  # old links lead to the merged story
    rows = StoryAction.objects.filter(kind="merge").order_by("story_id")
    assert [(r.story_id, r.actor, r.reason) for r in rows] == [(first.pk, editor, "same derby"),
                                                                (second.pk, editor, "same derby")]
    assert rows[0].details == {"merged": [second.pk], "articles": [x.pk for x in b]}
    with pytest.raises(ValueError, match="two stories"):
        story_merge(stories=[first])


def test_split_moves_articles_to_a_new_locked_story_and_locks_the_old_one(two_stories):
    first, _second, a, _b = two_stories
    new = story_split(articles=[a[2]], reason="another match")
    first.refresh_from_db()
    assert new.locked and first.locked
    assert new.article_count == 1 and first.article_count == 2
    assert Article.objects.get(pk=a[2].pk).story_id == new.pk
    assert StoryLink.objects.get(article=a[2]).method == StoryLink.Method.EDITOR
    kinds = sorted(StoryAction.objects.values_list("story_id", "kind"))
    assert kinds == sorted([(new.pk, "split"), (first.pk, "split")])


def test_pin_rename_unlock_are_logged(two_stories):
    first, *_ = two_stories
    story = story_pin(story=first, reason="une")
    assert story.pinned and story.locked
    story = story_rename(story=story, titles={"fr": "  Le derby  ", "ar": "الديربي", "en": " "})
    assert story.edited_titles == {"fr": "Le derby", "ar": "الديربي"}
    assert story.title("fr") == "Le derby" and story.title("en") == "Le derby"  # no English title: the first's
    story = story_pin(story=story, pinned=False)
    story = story_unlock(story=story)
    assert not story.pinned and not story.locked
    log = list(StoryAction.objects.filter(story_id=first.pk).order_by("pk").values_list("kind", flat=True))
    assert log == ["pin", "rename", "unpin", "unlock"]
    assert StoryAction.objects.get(kind="rename").details == {"before": {}, "after": story.edited_titles}


@pytest.mark.django_db(transaction=True)
def test_the_story_log_is_append_only(outlets):
    story = story_pin(story=place(make_article(outlets[0])))
    row = StoryAction.objects.get(story_id=story.pk)
    with pytest.raises(DatabaseError), transaction.atomic():
        StoryAction.objects.filter(pk=row.pk).update(reason="rewritten")
    assert StoryAction.objects.get(pk=row.pk).reason == ""


def test_regroup_moves_few_articles_and_never_touches_locked_stories(two_stories, outlets):
    first, second, a, b = two_stories
    loner = make_article(outlets[3], title="Sans sujet")
    story_split(articles=[b[1]])  # an editor took b[1] out: its new story is locked, and so is `second`
    locked = locked_groups([x.pk for x in (*a, *b, loner)])
    assert sorted(map(sorted, locked)) == sorted([[b[0].pk], [b[1].pk]])
    # Grouping now says: a[0], a[1] together; a[2] with b[0] and b[1]; the loner alone.
    report = stories_regroup(groups=[[a[0].pk, a[1].pk], [a[2].pk, b[0].pk, b[1].pk], [loner.pk]])
    stories = dict(Article.objects.values_list("pk", "story_id"))
    assert stories[a[0].pk] == stories[a[1].pk] == first.pk  # the largest overlap keeps its story
    assert stories[b[0].pk] == second.pk and stories[b[1].pk] != second.pk  # locked: exactly as they were
    assert stories[a[2].pk] not in (first.pk, second.pk, stories[b[1].pk])  # a new story, alone of the unlocked
    assert stories[loner.pk] is not None
    assert report.skipped_locked == 2 and report.created == 2 and set(report.moved) == {a[2].pk, loner.pk}
    assert StoryLink.objects.get(article=a[2]).method == StoryLink.Method.REPAIR
    assert Story.objects.get(pk=first.pk).article_count == 2


def test_regroup_merges_and_the_emptied_story_points_at_the_merged_one(two_stories):
    first, second, a, b = two_stories
    stories_regroup(groups=[[*(x.pk for x in a), *(x.pk for x in b)]])
    second.refresh_from_db()
    assert set(Article.objects.values_list("story_id", flat=True)) == {first.pk}
    assert second.article_count == 0 and second.merged_into_id == first.pk
    assert Story.objects.get(pk=first.pk).article_count == 5
