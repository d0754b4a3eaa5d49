"""Editors in the admin: merge, split, pin, unpin, rename and unlock stories, each asking why, each logged with the
editor's name and locking the story; the story log is read-only."""

from __future__ import annotations

from datetime import timedelta
from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from kiosque.articles.models import Article, Story, StoryAction
from kiosque.articles.stories.services import Evidence, Placement, article_story_place
from tests.factories import BASE_TIME, make_article, make_source

pytestmark = pytest.mark.django_db

STORIES = "/admin/articles/story/"
ARTICLES = "/admin/articles/article/"
LOG = "/admin/articles/storyaction/"


@pytest.fixture
def editor(django_user_model):  # type: ignore[no-untyped-def]
    user = django_user_model.objects.create_user("editor", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="articles", codename__in=["view_story", "change_story", "view_article",
                                                          "change_article", "view_storyaction"]))
    return user


@pytest.fixture
def editor_client(editor) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def stories():
    outlets = [make_source(f"Outlet {n}", slug=f"outlet-{n}") for n in range(3)]
    out = []
    for s in range(3):
        articles = [make_article(outlets[n], title=f"Sujet {s}, article {n}",
                                 published=BASE_TIME + timedelta(hours=s, minutes=n)) for n in range(s + 1)]
        story = article_story_place(article=articles[0], placement=Placement(story_id=None))
        for article in articles[1:]:
            story = article_story_place(article=article, placement=Placement(
                story_id=story.pk, evidence=Evidence(matched_id=articles[0].pk, score=0.8, similarity=0.7)))
        out.append(story)
    return out


def act(client: Client, url: str, action: str, ids: list[int], reason: str | None) -> str:
    """Run an admin action: the first POST shows the page asking why, the second one decides."""
    data = {"action": action, "_selected_action": [str(i) for i in ids]}
    page = client.post(url, data)
    assert page.status_code == 200, page.status_code
    assert "Pourquoi (conservé dans le journal des sujets)" in page.content.decode()
    if reason is None:
        return page.content.decode()
    done = client.post(url, {**data, "decided": "yes", "reason": reason}, follow=True)
    assert done.status_code == 200
    return unescape(done.content.decode())


def test_merge_asks_why_then_merges_and_logs_the_editor(editor_client, editor, stories):
    html = act(editor_client, STORIES, "merge", [stories[0].pk, stories[2].pk], "même événement")
    assert "2 sujets fusionnés." in html
    target = Story.objects.get(pk=stories[2].pk)  # the one with most articles
    assert target.article_count == 4 and target.locked
    assert Story.objects.get(pk=stories[0].pk).merged_into_id == target.pk
    row = StoryAction.objects.get(story_id=target.pk)
    assert (row.kind, row.actor, row.reason) == ("merge", editor, "même événement")


def test_merging_one_story_is_refused(editor_client, stories):
    html = unescape(editor_client.post(STORIES, {"action": "merge", "_selected_action": [str(stories[0].pk)]},
                                       follow=True).content.decode())
    assert "Sélectionnez au moins 2 lignes." in html and not StoryAction.objects.exists()


def test_pin_unpin_and_unlock(editor_client, stories):
    act(editor_client, STORIES, "pin", [stories[1].pk], "à la une")
    assert Story.objects.get(pk=stories[1].pk).pinned
    act(editor_client, STORIES, "unpin", [stories[1].pk], "")
    act(editor_client, STORIES, "unlock", [stories[1].pk], "")
    story = Story.objects.get(pk=stories[1].pk)
    assert not story.pinned and not story.locked
    assert list(StoryAction.objects.order_by("pk").values_list("kind", flat=True)) == ["pin", "unpin", "unlock"]


def test_split_from_the_article_list(editor_client, editor, stories):
    story = stories[2]
    listing = editor_client.get(ARTICLES, {"story__exact": story.pk}).content.decode()
    assert "Déplacer vers un nouveau sujet (scinder)" in listing
    moved = list(Article.objects.filter(story=story).order_by("published_at")[1:])
    act(editor_client, ARTICLES, "split_into_new_story", [a.pk for a in moved], "deux événements")
    new = Story.objects.exclude(pk__in=[s.pk for s in stories]).get()
    assert set(new.articles.values_list("pk", flat=True)) == {a.pk for a in moved}
    assert new.locked and Story.objects.get(pk=story.pk).locked
    assert set(StoryAction.objects.values_list("story_id", "kind", "actor")) == {
        (new.pk, "split", editor.pk), (story.pk, "split", editor.pk)}


def test_rename_through_the_story_form(editor_client, editor, stories):
    url = f"{STORIES}{stories[1].pk}/change/"
    form = editor_client.get(url).content.decode()
    assert "Titre en arabe" in form and "Sujet 1, article 0" in form
    response = editor_client.post(url, {"title_fr": "Le derby", "title_ar": "الديربي", "title_en": "",
                                        "reason": "titre plus clair"})
    assert response.status_code == 302
    story = Story.objects.get(pk=stories[1].pk)
    assert story.edited_titles == {"fr": "Le derby", "ar": "الديربي"} and story.locked
    row = StoryAction.objects.get()
    assert (row.kind, row.actor, row.reason, row.details["after"]) == (
        "rename", editor, "titre plus clair", {"fr": "Le derby", "ar": "الديربي"})
    # Saving again without a change writes nothing.
    editor_client.post(url, {"title_fr": "Le derby", "title_ar": "الديربي", "title_en": "", "reason": ""})
    assert StoryAction.objects.count() == 1


def test_the_story_log_is_read_only_and_stories_cannot_be_added_or_deleted(editor_client, stories):
    act(editor_client, STORIES, "pin", [stories[0].pk], "x")
    row = StoryAction.objects.get()
    assert "épinglé" in editor_client.get(LOG).content.decode()
    assert editor_client.post(f"{LOG}{row.pk}/delete/").status_code == 403
    assert editor_client.get(f"{STORIES}add/").status_code == 403
    assert editor_client.post(f"{STORIES}{stories[0].pk}/delete/").status_code == 403


def test_staff_without_the_story_permission_has_no_story_actions(django_user_model, stories):
    user = django_user_model.objects.create_user("reader", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="articles",
                                                         codename__in=["view_article", "change_article"]))
    client = Client()
    client.force_login(user)
    assert "scinder" not in client.get(ARTICLES).content.decode()
    assert client.get(STORIES).status_code == 403
