"""Image reports in a real headless Chromium against a live server: readers in separate browser contexts
(separate cookies), with and without JavaScript, and a moderator in the admin.

Playwright's sync API keeps an asyncio loop running on the main thread while the browser exists, which trips
Django's async-safety guard on every ORM call of the test code (no coroutine touches the database: the live
server answers in its own thread). DJANGO_ALLOW_ASYNC_UNSAFE is therefore set for exactly as long as this
module's browser lives.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from kiosque.articles.models import Image, ImageState
from kiosque.moderation.models import ActionKind, ImageReport, ModerationAction
from tests.moderation.conftest import Scene, build_scene, make_moderator

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu"]
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is absent: the browser tests need Debian's chromium", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright's Python package is not installed")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

THANKS = ("Merci d'avoir signalé ! Cette image sera automatiquement bloquée après qu'elle soit signalée par "
          "plusieurs personnes.")
NOW_HIDDEN = "Merci d'avoir signalé ! Cette image est maintenant masquée."
ALREADY = "Vous avez déjà signalé cette image. Merci !"
PASSWORD = "correct horse battery"
_CSP_LISTENER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # why: see the module docstring
        playwright = sync_api.sync_playwright().start()
        try:
            launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield launched
            launched.close()
        finally:
            playwright.stop()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Any]:
    """A page in a fresh browser context (its own cookies: another reader), recording errors and CSP
    violations, which the test checks at the end."""
    contexts: list[Any] = []
    problems: list[str] = []

    def make(*, javascript: bool = True) -> Any:
        context = browser.new_context(locale="fr-FR", java_script_enabled=javascript,
                                      viewport={"width": 1200, "height": 900})
        context.set_default_timeout(5000)
        context.add_init_script(_CSP_LISTENER)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on("response", lambda r: problems.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None)
        return page

    yield make
    for context in contexts:
        for page in context.pages:
            if not page.is_closed() and context.pages and page.evaluate("() => window.__csp || []"):
                problems.append(f"CSP: {page.evaluate('() => window.__csp')}")
        context.close()
    assert not problems, problems


@pytest.fixture
def site(live_server: Any, settings: Any, media_root: Any) -> Iterator[Scene]:
    # Every context comes from 127.0.0.1: let one address count up to the threshold (default 2 per address).
    settings.KIOSQUE = {**settings.KIOSQUE, "KIOSQUE_REPORT_THRESHOLD": 3, "KIOSQUE_REPORTS_PER_ADDRESS": 10}
    cache.clear()  # the page cache lives in a file cache shared with other tests
    yield build_scene()
    cache.clear()


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"moderation-{name}.png"))


def report_in_place(page: Any, base: str, path: str, *, reason: str | None = None) -> str:
    """Open `path`, report its lead image through the in-place form, return the confirmation shown."""
    page.goto(base + path)
    page.click("figure.lead-image a[data-report-image]")
    form = page.locator(".image-report-panel form")
    form.wait_for()
    if reason:
        form.get_by_label(reason).check()
    form.get_by_role("button", name="Envoyer le signalement").click()
    done = page.locator(".image-report-panel .image-report-done")
    done.wait_for()
    assert page.url == base + path  # reported in place: the reader never left the article
    return str(done.text_content())


def lead_is_placeholder(page: Any) -> bool:
    return page.locator("figure.lead-image img.image-hidden").count() == 1 and \
        page.locator("figure.lead-image img[data-image-id]").count() == 0


def lead_is_shown(page: Any) -> bool:
    img = page.locator("figure.lead-image img[data-image-id]")
    img.wait_for()
    return bool(img.evaluate("(i) => i.complete && i.naturalWidth > 0"))


def test_three_readers_block_a_picture_everywhere_until_a_moderator_unblocks_it(site, live_server, new_page):
    base, article = live_server.url, f"/article/{site.original.pk}/"
    image_id = site.original.image_id
    reasons = ["Choquante ou violente", None, "Autre"]
    messages = [report_in_place(new_page(), base, article, reason=reason) for reason in reasons[:2]]
    assert messages == [THANKS, THANKS]
    third = new_page()
    assert report_in_place(third, base, article, reason=reasons[2]) == NOW_HIDDEN
    assert third.locator(f'img[data-image-hidden="{image_id}"]').count() == 1  # hidden in place at once
    shot(third, "reported-in-place")

    reader = new_page()  # a fourth reader: the picture is gone from every page that used it
    for other in (site.original, site.same_file, site.resized_copy):
        reader.goto(f"{base}/article/{other.pk}/")
        assert lead_is_placeholder(reader), f"article {other.pk} still shows the picture"
    assert reader.request.get(f"{base}/images/{image_id}/display").status == 410
    reader.goto(f"{base}/")
    assert reader.locator("img.image-hidden").count() == 3
    assert reader.locator(f'img[data-image-id="{site.other.image_id}"]').count() == 1
    shot(reader, "placeholder-cards")
    assert {Image.objects.get(pk=p).state for p in site.picture_ids} == {ImageState.BLOCKED}

    make_moderator(password=PASSWORD)
    admin = new_page()
    admin.goto(f"{base}/admin/login/?next=/admin/moderation/reportedimage/")
    admin.fill("#id_username", "modo")
    admin.fill("#id_password", PASSWORD)
    admin.click("input[type=submit]")
    admin.locator("#result_list").wait_for()
    shot(admin, "queue")
    admin.goto(f"{base}/admin/moderation/reportedimage/{image_id}/change/")
    shot(admin, "image-page")
    admin.get_by_role("button", name="Débloquer et protéger").click()
    shot(admin, "decision")
    admin.fill("#id_reason", "Photo de presse, rien de choquant")
    admin.locator("input[type=submit][value^='Débloquer']").click()
    admin.locator(".messagelist .success").wait_for()

    reader.goto(f"{base}{article}")
    assert lead_is_shown(reader)
    for other in (site.same_file, site.resized_copy):
        reader.goto(f"{base}/article/{other.pk}/")
        assert lead_is_shown(reader)
    unblock = ModerationAction.objects.get(image_id=image_id, kind=ActionKind.UNBLOCK)
    assert (unblock.actor.username, unblock.reason) == ("modo", "Photo de presse, rien de choquant")

    # new reports from new readers no longer block it
    for _ in range(3):
        assert report_in_place(new_page(), base, article) == THANKS
    reader.goto(f"{base}{article}")
    assert lead_is_shown(reader)
    assert {Image.objects.get(pk=p).state for p in site.picture_ids} == {ImageState.PROTECTED}


def test_the_same_reader_reporting_twice_counts_once(site, live_server, new_page):
    base = live_server.url
    page = new_page()
    page.goto(f"{base}/")  # first from the home page's card, in place
    card = page.locator(f'.card-media:has(img[data-image-id="{site.other.image_id}"])')
    card.locator("a[data-report-image]").click()
    panel = page.locator(".image-report-panel")
    panel.locator("form").wait_for()
    panel.get_by_role("button", name="Envoyer le signalement").click()
    assert panel.locator(".image-report-done").text_content() == THANKS
    shot(page, "card-reported")
    # then again from the article page, later
    assert report_in_place(page, base, f"/article/{site.other.pk}/") == ALREADY
    assert ImageReport.objects.filter(image_id=site.other.image_id).count() == 1


def test_reporting_without_javascript(site, live_server, new_page):
    base = live_server.url
    page = new_page(javascript=False)
    page.goto(f"{base}/article/{site.other.pk}/")
    page.get_by_role("link", name="Signaler cette image").click()
    assert "/report/" in page.url
    page.get_by_label("Sans rapport avec l'article").check()
    page.get_by_role("button", name="Envoyer le signalement").click()
    assert page.locator(".image-report-done").text_content() == THANKS
    page.get_by_role("link", name="Retour à l'article").click()
    assert page.url == f"{base}/article/{site.other.pk}/"
    report = ImageReport.objects.get()
    assert (report.image_id, report.reason) == (site.other.image_id, "unrelated")
