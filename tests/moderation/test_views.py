"""The report form (without JavaScript, and as the fragment report.js uses), the JSON endpoint, and what
readers see once a picture is blocked: pages, cards, image files."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client

from kiosque.articles.models import Image, ImageState
from kiosque.moderation.models import ImageReport
from kiosque.moderation.reporters import COOKIE_NAME
from tests.moderation.conftest import Scene

pytestmark = [pytest.mark.django_db]

THANKS_FR = ("Merci d'avoir signalé ! Cette image sera automatiquement bloquée après qu'elle soit signalée par "
             "plusieurs personnes.")
THANKS = {
    "": THANKS_FR,
    "/ar": "شكرًا على الإبلاغ! سيتم حجب هذه الصورة تلقائيًا بعد أن يبلغ عنها عدة أشخاص.",
    "/en": "Thank you for reporting! This image will be blocked automatically once several people have reported it.",
}


def html_text(response) -> str:  # type: ignore[no-untyped-def]
    return unescape(response.content.decode())


def csrf_client(address: str = "203.0.113.1") -> Client:
    return Client(enforce_csrf_checks=True, REMOTE_ADDR=address)


def form_token(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found, "the report form has no CSRF token"
    return found.group(1)


def report_by_form(  # type: ignore[no-untyped-def]
    client: Client, image_id: int, *, prefix: str = "", reason: str = "", json: bool = False, article: int = 0
):
    url = f"{prefix}/images/{image_id}/report/" + (f"?article={article}" if article else "")
    page = client.get(url + ("&" if article else "?") + "fragment=1" if json else url)
    assert page.status_code == 200
    headers = {"HTTP_ACCEPT": "application/json"} if json else {}
    return client.post(url, {"csrfmiddlewaretoken": form_token(page.content.decode()), "reason": reason}, **headers)


def block(scene: Scene, client_factory=csrf_client) -> None:  # type: ignore[no-untyped-def]
    for n in range(3):
        assert report_by_form(client_factory(f"198.51.100.{n}"), scene.original.image_id).status_code == 200
    assert Image.objects.get(pk=scene.original.image_id).state == ImageState.BLOCKED


def test_article_and_cards_have_a_discreet_report_link(client, scene):
    page = client.get(f"/article/{scene.original.pk}/").content.decode()
    assert f'href="/images/{scene.original.image_id}/report/?article={scene.original.pk}"' in page
    assert "Signaler cette image" in page
    assert "csrfmiddlewaretoken" not in page  # pages are cached whole: no token in them
    home = client.get("/").content.decode()
    assert home.count("data-report-image=") == 4  # one per card with an image
    assert 'src="/static/portal/report.js"' in home or "portal/report" in home


@pytest.mark.parametrize("prefix", ["", "/ar", "/en"])
def test_reporting_without_javascript(scene, prefix):
    client = csrf_client()
    page = client.get(f"{prefix}/images/{scene.other.image_id}/report/?article={scene.other.pk}")
    assert page.status_code == 200 and page["Cache-Control"].startswith("max-age=0")
    html = page.content.decode()
    for reason in ("shocking", "sexual", "unrelated", "copyright", "other"):
        assert f'value="{reason}"' in html
    done = report_by_form(client, scene.other.image_id, prefix=prefix, reason="unrelated", article=scene.other.pk)
    assert done.status_code == 200
    assert THANKS[prefix] in html_text(done)
    assert f'href="{prefix}/article/{scene.other.pk}/"' in done.content.decode()  # back to the article
    report = ImageReport.objects.get()
    assert (report.image_id, report.reason, report.address_slot) == (scene.other.image_id, "unrelated", 1)
    assert COOKIE_NAME in done.cookies and done.cookies[COOKIE_NAME]["httponly"]


def test_the_form_refuses_a_post_without_csrf_token(scene):
    response = csrf_client().post(f"/images/{scene.other.image_id}/report/", {"reason": "other"})
    assert response.status_code == 403
    assert not ImageReport.objects.exists()


def test_the_same_reader_counts_once_thanks_to_the_cookie(scene):
    client = csrf_client()
    first = report_by_form(client, scene.other.image_id, json=True).json()
    second = report_by_form(client, scene.other.image_id, json=True).json()
    assert (first["status"], second["status"]) == ("counted", "already_reported")
    assert second["message"] == "Vous avez déjà signalé cette image. Merci !"
    assert ImageReport.objects.count() == 1
    # a new browser (no cookie) on the same address counts, up to KIOSQUE_REPORTS_PER_ADDRESS (2)
    assert report_by_form(csrf_client(), scene.other.image_id, json=True).json()["status"] == "counted"
    assert report_by_form(csrf_client(), scene.other.image_id, json=True).json()["status"] == "not_counted"


def test_a_forged_cookie_is_a_new_reader(scene):
    client = csrf_client()
    report_by_form(client, scene.other.image_id)
    client.cookies[COOKIE_NAME] = "forged-value"
    response = report_by_form(client, scene.other.image_id, json=True)
    assert response.json()["status"] == "counted"  # not an impersonation of the first reader...
    assert response.cookies[COOKIE_NAME].value != "forged-value"  # ...and it gets a real cookie


def test_in_place_reporting_answers_json_in_the_page_language(scene):
    payload = report_by_form(csrf_client(), scene.other.image_id, prefix="/en", reason="other", json=True).json()
    assert payload == {"image": scene.other.image_id, "status": "counted", "state": "ok", "message": THANKS["/en"],
                       "placeholder": "/static/portal/image-hidden.svg"}
    fragment = csrf_client().get(f"/ar/images/{scene.other.image_id}/report/?fragment=1").content.decode()
    assert fragment.lstrip().startswith("<form") and "<html" not in fragment and 'lang="ar" dir="rtl"' in fragment


def test_a_blocked_picture_is_replaced_everywhere(client, scene):
    block(scene)
    for article in (scene.original, scene.same_file, scene.resized_copy):
        page = client.get(f"/article/{article.pk}/").content.decode()
        lead = page[page.index('class="lead-image"'):page.index("</figure>")]
        assert "/static/portal/image-hidden.svg" in lead and f"/images/{article.image_id}/" not in lead
        assert "data-report-image" not in lead
    home = client.get("/").content.decode()
    assert home.count("image-hidden.svg") == 3
    assert f'/images/{scene.other.image_id}/thumb' in home  # the unrelated picture stays
    for image_id in scene.picture_ids:
        for variant in ("display", "thumb"):
            response = client.get(f"/images/{image_id}/{variant}")
            assert response.status_code == 410
            assert response["Content-Type"] == "image/svg+xml" and response["Cache-Control"] == "no-store"
    assert client.get(f"/images/{scene.other.image_id}/display").status_code == 200


def test_report_page_of_a_blocked_image_says_so(scene):
    block(scene)
    html = csrf_client().get(f"/images/{scene.same_file.image_id}/report/").content.decode()
    assert "Cette image a déjà été masquée." in unescape(html) and "<form class=\"image-report-form\"" not in html


def test_the_report_blocking_the_picture_tells_the_reader(scene):
    for n in range(2):
        report_by_form(csrf_client(f"192.0.2.{n}"), scene.original.image_id)
    last = report_by_form(csrf_client("192.0.2.9"), scene.original.image_id, json=True).json()
    assert last["state"] == "blocked"
    assert last["message"] == "Merci d'avoir signalé ! Cette image est maintenant masquée."


# ------------------------------------------------------------------------------------------ JSON endpoint
@pytest.mark.parametrize("base", ["/api", "/api/v1"])
def test_api_report(scene, base):
    client = Client(REMOTE_ADDR="203.0.113.5")
    url = f"{base}/images/{scene.other.image_id}/report"
    first = client.post(url, {"reason": "copyright"}, content_type="application/json")
    assert first.status_code == 200
    assert first.json()["status"] == "counted" and first.json()["state"] == "ok"
    assert client.post(url, {}, content_type="application/json").json()["status"] == "already_reported"
    assert ImageReport.objects.get().reason == "copyright"


@pytest.mark.parametrize(("body", "content_type", "headers", "status", "code"), [
    ("reason=other", "application/x-www-form-urlencoded", {}, 415, "unsupported_media_type"),
    ('{"reason": "other"}', "text/plain", {}, 415, "unsupported_media_type"),
    ('{"reason": "other"}', "application/json", {"HTTP_SEC_FETCH_SITE": "cross-site"}, 403, "cross_site"),
    ("{not json", "application/json", {}, 400, "invalid_json"),
    ('["other"]', "application/json", {}, 400, "invalid_body"),
    ('{"reason": 3}', "application/json", {}, 400, "invalid_body"),
    ('{"reason": "boring"}', "application/json", {}, 400, "invalid_reason"),
])
def test_api_refusals(scene, body, content_type, headers, status, code):
    response = Client().post(f"/api/images/{scene.other.image_id}/report", body, content_type=content_type, **headers)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert not ImageReport.objects.exists()


def test_api_unknown_image_and_method(scene):
    assert Client().post("/api/images/999999/report", {}, content_type="application/json").status_code == 404
    assert Client().get(f"/api/images/{scene.other.image_id}/report").status_code == 405


def test_api_rate_limit_says_when_to_come_back(scene, settings, media_root):
    settings.KIOSQUE = {**settings.KIOSQUE, "KIOSQUE_REPORT_RATE_ADDRESS": 2}
    for n in range(2):
        Client().post(f"/api/images/{scene.picture_ids[n]}/report", {}, content_type="application/json")
    refused = Client().post(f"/api/images/{scene.other.image_id}/report", {}, content_type="application/json")
    assert refused.status_code == 429 and 3500 < int(refused["Retry-After"]) <= 3600
    assert refused.json()["error"]["code"] == "rate_limited"
    # the form path answers the same way, in the reader's language
    limited = report_by_form(csrf_client("127.0.0.1"), scene.other.image_id, json=True)
    assert limited.status_code == 429 and "Retry-After" in limited


def test_addresses_are_stored_hashed_and_grouped_by_ipv6_64(scene):
    for address in ("2001:db8:1:2::10", "2001:db8:1:2:ffff::1", "2001:db8:1:3::1"):
        Client(REMOTE_ADDR=address).post(f"/api/images/{scene.other.image_id}/report", {},
                                         content_type="application/json")
    rows = list(ImageReport.objects.order_by("id"))
    assert [r.address_slot for r in rows] == [1, 2, 1]  # the first two share a /64
    assert all("2001" not in r.address and len(r.address) == 64 for r in rows)


@pytest.mark.parametrize(("hops", "forwarded", "same_as_first"), [
    (0, "198.51.100.7", True),  # no trusted proxy: the header is ignored, REMOTE_ADDR decides
    (1, "198.51.100.7", False),  # one proxy: its X-Forwarded-For entry is the client
    (1, "10.9.9.9, 198.51.100.7", False),  # a client cannot spoof by prepending entries
])
def test_client_address_behind_trusted_proxies(scene, settings, hops, forwarded, same_as_first):
    settings.KIOSQUE = {**settings.KIOSQUE, "KIOSQUE_TRUSTED_PROXIES": hops}
    url = f"/api/images/{scene.other.image_id}/report"
    Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.99").post(url, {}, content_type="application/json")
    Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded).post(url, {}, content_type="application/json")
    first, second = ImageReport.objects.order_by("id")
    assert (first.address == second.address) is same_as_first
