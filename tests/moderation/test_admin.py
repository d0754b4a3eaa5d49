"""The moderation queue and log in the admin: who may see them, what they show, the decisions."""

from __future__ import annotations

from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from kiosque.articles.models import Image, ImageState
from kiosque.moderation.models import ActionKind, ModerationAction
from kiosque.moderation.services import image_report
from tests.factories import make_article, make_image, make_source
from tests.moderation.conftest import make_moderator, reporter

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

QUEUE = "/admin/moderation/reportedimage/"
LOG = "/admin/moderation/moderationaction/"


@pytest.fixture
def moderator_client() -> Client:
    client = Client()
    client.force_login(make_moderator())
    return client


def blocked(scene) -> None:  # type: ignore[no-untyped-def]
    for n in (1, 2, 3):
        image_report(image_id=scene.original.image_id, reporter=reporter(n), reason="shocking" if n < 3 else "")


def test_the_migration_creates_the_moderators_group():
    group = Group.objects.get(name="Moderators")
    assert [p.codename for p in group.permissions.all()] == ["moderate_images"]


@pytest.mark.parametrize("url", [QUEUE, LOG, f"{QUEUE}1/change/", f"{QUEUE}1/file/display/"])
def test_staff_without_the_permission_is_refused(scene, django_user_model, url):
    client = Client()
    client.force_login(django_user_model.objects.create_user("editor", is_staff=True))
    assert client.get(url).status_code in (403, 404)
    assert "moderation" not in client.get("/admin/").content.decode()


def test_the_queue_shows_counts_reasons_articles_and_blurred_previews(scene, moderator_client):
    blocked(scene)
    image_report(image_id=scene.other.image_id, reporter=reporter(9), reason="copyright")
    html = unescape(moderator_client.get(QUEUE).content.decode())
    assert "3 / 3" in html and "1 / 3" in html
    assert "Choquante ou violente ×2" in html and "Droits d'auteur ×1" in html
    assert scene.original.title in html and scene.other.title in html
    assert f"/admin/moderation/reportedimage/{scene.original.image_id}/file/thumb/" in html
    assert "moderation/admin.css" in html  # the blur
    # copies blocked with the original are in the queue too, awaiting review
    pending = unescape(moderator_client.get(QUEUE, {"review": "pending"}).content.decode())
    for article in (scene.original, scene.same_file, scene.resized_copy, scene.other):
        assert article.title in pending


def test_the_queue_costs_a_fixed_number_of_queries(scene, moderator_client, django_assert_max_num_queries):
    blocked(scene)
    with django_assert_max_num_queries(14) as few:
        moderator_client.get(QUEUE)
    source = make_source("Encore", slug="encore")
    for seed in range(60, 70):
        image = make_image(seed)
        make_article(source, image=image)
        image_report(image_id=image.pk, reporter=reporter(seed))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert moderator_client.get(QUEUE).status_code == 200


def test_moderators_see_blocked_pictures_in_the_admin_only(scene, moderator_client, client):
    blocked(scene)
    image_id = scene.original.image_id
    assert client.get(f"/images/{image_id}/display").status_code == 410
    own = moderator_client.get(f"{QUEUE}{image_id}/file/display/")
    assert own.status_code == 200 and {"private", "no-store"} <= set(own["Cache-Control"].split(", "))
    assert own["Content-Type"].startswith("image/")


def test_image_page_shows_reports_copies_articles_and_history(scene, moderator_client):
    blocked(scene)
    html = unescape(moderator_client.get(f"{QUEUE}{scene.original.image_id}/change/").content.decode())
    assert "même fichier" in html and "bits" in html  # the two copies, by sha256 and by phash
    assert f">#{scene.same_file.image_id}<" in html and f">#{scene.resized_copy.image_id}<" in html
    assert scene.original.title in html
    assert "reported by 3 distinct readers (threshold 3)" in html and "automatique" in html
    for action in ("confirm_block", "unblock", "reset_reports"):
        assert f'value="{action}"' in html
    assert 'name="_save"' not in html  # nothing is edited in place


def decide(client: Client, action: str, image_ids: list[int], reason: str):  # type: ignore[no-untyped-def]
    asked = client.post(QUEUE, {"action": action, "_selected_action": image_ids})
    assert asked.status_code == 200 and 'name="decided"' in asked.content.decode()  # the note page
    return client.post(QUEUE, {"action": action, "_selected_action": image_ids, "decided": "yes", "reason": reason})


def test_unblock_from_the_queue_protects_the_picture_and_logs_who_and_why(scene, moderator_client):
    blocked(scene)
    done = decide(moderator_client, "unblock", [scene.original.image_id], "photo de presse, pas choquante")
    assert done.status_code == 302
    assert {Image.objects.get(pk=p).state for p in scene.picture_ids} == {ImageState.PROTECTED}
    rows = ModerationAction.objects.filter(kind=ActionKind.UNBLOCK).select_related("actor")
    assert {r.image_id for r in rows} == set(scene.picture_ids)
    assert {r.actor.username for r in rows} == {"modo"}
    mine = rows.get(image_id=scene.original.image_id)
    assert mine.reason == "photo de presse, pas choquante"


def test_bulk_confirm_and_reset(scene, moderator_client):
    blocked(scene)
    image_report(image_id=scene.other.image_id, reporter=reporter(9))
    ids = [scene.original.image_id, scene.other.image_id]
    assert decide(moderator_client, "confirm_block", ids, "").status_code == 302
    assert Image.objects.get(pk=scene.other.image_id).state == ImageState.BLOCKED
    kinds = dict(ModerationAction.objects.filter(actor__isnull=False).values_list("image_id", "kind"))
    assert kinds == {scene.original.image_id: ActionKind.CONFIRM, scene.other.image_id: ActionKind.BLOCK}
    assert decide(moderator_client, "reset_reports", ids, "vague de spam").status_code == 302
    assert ModerationAction.objects.filter(kind=ActionKind.RESET).count() == 2
    queue = unescape(moderator_client.get(QUEUE).content.decode())
    assert "0 / 3" in queue


def test_the_log_is_visible_and_read_only(scene, moderator_client):
    blocked(scene)
    listing = unescape(moderator_client.get(LOG).content.decode())
    assert listing.count("automatique") >= 3 and "reported by 3 distinct readers" in listing
    action = ModerationAction.objects.first()
    assert moderator_client.get(f"{LOG}add/").status_code == 403
    assert moderator_client.get(f"{LOG}{action.pk}/delete/").status_code == 403
    page = moderator_client.get(f"{LOG}{action.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    moderator_client.post(f"{LOG}{action.pk}/change/", {"reason": "edited"})
    assert ModerationAction.objects.get(pk=action.pk).reason == action.reason
