"""The reader portal in a real headless Chromium, over a live server holding a crawl of the demo snapshot."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from kiosque.articles.models import Article
from tests.browser.conftest import CHROMIUM, VOWELLED_TITLE
from tests.browser.pages import (
    Problems,
    collect_csp,
    horizontal_overflow,
    publish_for_readme,
    screenshot,
    ticker_drift,
    ticker_offset,
    ticker_ready,
    watched_page,
)

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is absent: the browser tests need Debian's chromium", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="Playwright's Python package is not installed")

# Transactional: the live server reads the rows from its own thread and connection (see conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ATTRIBUTION = re.compile(r"Publié dans (?P<source>.+) le (?P<day>\d{2} - \d{2} - \d{4})")
READ_AT_SOURCE = "Cliquez ici pour lire l'article depuis sa source"
HARAKAT = re.compile("[\u064b-\u0652]")
ORIGINAL_TICKER_LINKS = "[data-ticker-track] li:not([aria-hidden]) a"


def _first_visible_ticker_link(page):
    """The first headline of the ticker that is inside the ticker's visible strip right now."""
    index = page.evaluate(
        """(selector) => {
          const box = document.querySelector('.ticker-viewport').getBoundingClientRect();
          return [...document.querySelectorAll(selector)].findIndex((a) => {
            const r = a.getBoundingClientRect();
            return r.left >= box.left && r.right <= box.right && r.width > 0;
          });
        }""",
        ORIGINAL_TICKER_LINKS,
    )
    assert index >= 0, "no ticker headline is fully visible"
    return page.locator(ORIGINAL_TICKER_LINKS).nth(index)


def test_ticker_moves_and_pauses_on_hover_and_on_keyboard_focus(corpus, live_server, new_context):
    page = new_context().new_page()
    page.goto(f"{live_server.url}/")
    ticker_ready(page)
    assert page.locator("[data-ticker]").is_visible()
    assert ticker_drift(page) < -5, "the ticker should scroll towards the start (left) of a French page"

    page.hover(".ticker-label")
    page.wait_for_timeout(100)
    assert ticker_drift(page) == 0, "the ticker should stand still under the mouse"

    page.mouse.move(640, 700)  # away from the ticker: it moves on
    assert ticker_drift(page) < -5

    for _ in range(20):  # Tab through the header until focus enters the ticker
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('[data-ticker]')"):
            break
    focused = page.evaluate("[document.activeElement.tagName, !!document.activeElement.closest('[aria-hidden]')]")
    assert focused == ["A", False], "Tab should reach a ticker headline (not one of its hidden copies)"
    page.wait_for_timeout(100)
    assert ticker_drift(page) == 0, "the ticker should stand still while one of its links has keyboard focus"


def test_ticker_stands_still_for_reduced_motion(corpus, live_server, new_context):
    page = new_context(reduced_motion="reduce").new_page()
    page.goto(f"{live_server.url}/")
    ticker_ready(page)
    assert page.locator("[data-ticker]").is_visible()
    assert ticker_offset(page) == 0 and ticker_drift(page, ms=600) == 0
    # Standing still, the strip scrolls by hand instead, so every headline stays reachable.
    assert page.evaluate("(v => getComputedStyle(v).overflowX === 'auto' && v.scrollWidth > v.clientWidth)"
                         "(document.querySelector('.ticker-viewport'))")


def test_clicking_a_ticker_headline_opens_our_article_page(corpus, live_server, new_context):
    page = new_context().new_page()
    page.goto(f"{live_server.url}/")
    ticker_ready(page)
    page.hover(".ticker-label")  # as a reader does: the ticker stops under the mouse, then the click lands
    link = _first_visible_ticker_link(page)
    title = link.locator("span").first.inner_text()
    link.click()
    page.wait_for_url(re.compile(r"/article/\d+/$"))
    pk = int(urlsplit(page.url).path.split("/")[2])
    assert urlsplit(page.url).netloc == urlsplit(live_server.url).netloc
    assert page.locator("h1").inner_text() == title == Article.objects.get(pk=pk).title


def test_attribution_line_format_and_source_link(corpus, live_server, new_context):
    story = corpus.french
    page = new_context().new_page()
    page.goto(f"{live_server.url}/article/{story.pk}/")
    line = page.locator(".attribution").inner_text().strip()
    found = ATTRIBUTION.fullmatch(line)
    assert found, f"attribution line {line!r}"
    assert found["source"] == story.source_name
    assert found["day"] == timezone.localtime(story.published_at).strftime("%d - %m - %Y")

    page.locator(".attribution").get_by_role("link", name=story.source_name).click()
    page.wait_for_url(f"{live_server.url}/{story.source_slug}/")
    assert page.locator("h1").inner_text() == story.source_name


@pytest.mark.parametrize(("prefix", "which", "label"), [
    ("", "french", READ_AT_SOURCE),
    ("/ar", "arabic", "انقر هنا لقراءة المقال من مصدره"),
])
def test_read_at_source_link_points_at_the_publisher(corpus, live_server, new_context, prefix, which, label):
    story = getattr(corpus, which)
    article = Article.objects.select_related("source").get(pk=story.pk)
    page = new_context().new_page()
    page.goto(f"{live_server.url}{prefix}/article/{story.pk}/")
    link = page.get_by_role("link", name=label, exact=True)
    href = link.get_attribute("href")
    assert href == article.canonical_url
    assert urlsplit(href).netloc == urlsplit(article.source.homepage).netloc  # the publisher, not the replay server
    assert "noopener" in (link.get_attribute("rel") or "").split()


def _brand_centre_share(page) -> float:
    """Where the brand's centre is across the window: near 0 at the left, near 1 at the right."""
    box = page.locator(".site-header .brand").bounding_box()
    return (box["x"] + box["width"] / 2) / page.evaluate("window.innerWidth")


def test_arabic_interface_is_right_to_left_and_mirrored(corpus, live_server, new_context):
    page = new_context(locale="ar-MA").new_page()
    page.goto(f"{live_server.url}/ar/article/{corpus.arabic.pk}/")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert _brand_centre_share(page) > 0.75, "the brand should sit at the right of an Arabic page"
    nav = page.locator(".main-nav").bounding_box()
    brand = page.locator(".site-header .brand").bounding_box()
    assert nav["x"] + nav["width"] <= brand["x"], "the sections come after (left of) the brand"
    assert re.fullmatch(r"نُشر في (.+) يوم \d{2} - \d{2} - \d{4}", page.locator(".attribution").inner_text().strip())
    ticker_ready(page)
    assert ticker_drift(page) > 5, "an Arabic page's ticker should scroll towards its start (the right)"

    page.goto(f"{live_server.url}/article/{corpus.arabic.pk}/")  # the same article in the French interface
    assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"
    assert _brand_centre_share(page) < 0.25
    assert page.locator("h1").get_attribute("dir") == "rtl"  # Arabic content stays RTL inside a French page


def test_language_switch_keeps_the_page(corpus, live_server, new_context):
    pk = corpus.english.pk
    page = new_context().new_page()
    page.goto(f"{live_server.url}/article/{pk}/")
    switch = page.locator(".language-switch")
    steps = [("/ar", "ar", "انقر هنا لقراءة المقال من مصدره"),
             ("/en", "en", "Click here to read the article at its source"),
             ("", "fr", READ_AT_SOURCE)]
    for prefix, lang, label in steps:
        # Each language is named in itself, the same way on every page.
        link = switch.locator(f'a[hreflang="{lang}"]')
        assert link.inner_text() == {"ar": "العربية", "en": "English", "fr": "Français"}[lang]
        link.click()
        page.wait_for_url(f"{live_server.url}{prefix}/article/{pk}/")
        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [
            lang, "rtl" if lang == "ar" else "ltr"]
        assert page.locator("h1").inner_text() == corpus.english.title
        assert page.get_by_role("link", name=label, exact=True).is_visible()
        assert switch.locator("[aria-current]").get_attribute("hreflang") == lang


def test_search_finds_arabic_whatever_the_diacritics(corpus, live_server, new_context):
    page = new_context(locale="ar-MA").new_page()
    # The stored title is vowelled; the reader types the bare word.
    plain = "الزعفران"
    assert HARAKAT.search(VOWELLED_TITLE) and not HARAKAT.search(plain)
    page.goto(f"{live_server.url}/ar/")
    page.locator("#quick-q").fill(plain)
    page.locator("#quick-q").press("Enter")
    page.wait_for_url(re.compile(r"/ar/search/\?q="))
    titles = page.locator(".results .card-title").all_inner_texts()
    assert titles == [VOWELLED_TITLE]

    # The other way round: a crawled title has no harakat, the reader types them.
    snow = Article.objects.get(source__slug="alatlas-alyoum", title__contains="الثلوج")
    page.locator("#quick-q").fill("الثُّلُوجُ")
    page.locator("#quick-q").press("Enter")
    page.wait_for_url(re.compile(r"/ar/search/\?q=.*%D9%8F"))  # the query went out with its damma
    titles = page.locator(".results .card-title").all_inner_texts()
    assert snow.title in titles and len(titles) < corpus.total


@pytest.mark.parametrize("lang", ["fr", "ar", "en"])
def test_pages_load_cleanly_and_are_captured(corpus, live_server, new_context, artifacts_dir, lang):
    prefix = "" if lang == "fr" else f"/{lang}"
    story = {"fr": corpus.french, "ar": corpus.arabic, "en": corpus.english}[lang]
    context = new_context(locale={"fr": "fr-FR", "ar": "ar-MA", "en": "en-GB"}[lang])
    for name, path in (("home", "/"), ("article", f"/article/{story.pk}/")):
        page, problems = watched_page(context)
        page.goto(f"{live_server.url}{prefix}{path}")
        ticker_ready(page)
        if name == "article":
            assert page.evaluate("document.querySelector('.lead-image img').naturalWidth") > 0
        shot = screenshot(page, artifacts_dir, f"{name}-{lang}")
        assert collect_csp(page, problems).all() == [], f"{name} ({lang})"
        # Positive control: an inline script is refused by the policy, and the watcher sees it.
        page.evaluate("document.head.append(Object.assign(document.createElement('script'), {text: '1'}))")
        assert any("script-src" in v for v in collect_csp(page, Problems()).csp), "the CSP should block inline JS"
        if (name, lang) in {("home", "fr"), ("article", "ar")}:
            publish_for_readme(shot)
        page.close()


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_phone_viewport_has_no_horizontal_scroll(corpus, live_server, new_context, lang):
    prefix = "" if lang == "fr" else f"/{lang}"
    story = corpus.french if lang == "fr" else corpus.arabic
    context = new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                          device_scale_factor=2)
    page = context.new_page()
    for path in ("/", f"/article/{story.pk}/", "/sources/", "/search/?q=maroc", f"/{story.source_slug}/"):
        page.goto(f"{live_server.url}{prefix}{path}")
        # A phone widens its layout viewport (zooms out) to fit content wider than the screen: both must hold.
        assert page.evaluate("window.innerWidth") == 390, f"{prefix}{path} is wider than a phone's screen"
        assert horizontal_overflow(page) <= 0, f"{prefix}{path} scrolls sideways on a phone"
