"""Browser-test fixtures: one headless Chromium for the package, one crawled corpus restored before each test.

Why this shape:
- pytest-django's `live_server` turns every test that uses it into a transactional test, whose database is
  flushed after the test. Crawling the demo sources through the replay server takes seconds, so it is done once
  per package; the crawled rows are kept as a JSON string (Django's own serializers) and loaded back, with the
  same primary keys, before each test (a fraction of a second).
- Playwright's sync API keeps an asyncio event loop "running" on the main thread from `start()` to `stop()`, so
  Django's async-safety guard would refuse every ORM call the tests make (restoring rows, the flush). No
  coroutine touches the database here: the live server answers in its own thread and the test code is plain
  synchronous code. So DJANGO_ALLOW_ASYNC_UNSAFE is set for exactly as long as the browser exists (package
  scope) and removed afterwards; the browser is stopped at the end of the package so that the rest of the
  session runs without a running loop and without the override.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core import serializers
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import override_settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update",
    "--no-first-run", "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

# Eight outlets of the bundled snapshot: the Maghress-like demo sites in the three languages, plus real hosts.
DEMO_SOURCES = (
    "atlas-matin", "echo-de-rabat", "alatlas-alyoum", "global-desk-news",
    "lemonde-fr", "bbc-com", "arabic-cnn-com", "youm7-com",
)
# A vowelled (harakat) Arabic headline: the crawled Arabic titles carry none, so this one makes the search test
# really depend on normalisation (the reader types the plain form).
VOWELLED_TITLE = "مَهْرَجَانُ الزَّعْفَرَانِ يَفْتَتِحُ دَوْرَتَهُ الجَدِيدَةَ فِي تَالِوِين"
VOWELLED_TEXT = (
    "يَسْتَقْبِلُ المَهْرَجَانُ المُزَارِعِينَ وَالزُّوَّارَ طِيلَةَ ثَلَاثَةِ أَيَّامٍ.\n\n"
    "وَتُعْرَضُ فِيهِ مُنْتَجَاتُ التَّعَاوُنِيَّاتِ المَحَلِّيَّةِ."
)


@dataclass(frozen=True)
class Story:
    pk: int
    title: str
    language: str
    source_name: str
    source_slug: str
    canonical_url: str
    published_at: datetime


@dataclass(frozen=True)
class Corpus:
    """What the tests need to know about the restored rows (primary keys are the same in every test)."""

    data: str = field(repr=False)
    french: Story
    arabic: Story
    english: Story
    vowelled: Story
    total: int


def _story(article: Any) -> Story:
    return Story(pk=article.pk, title=article.title, language=article.language, source_name=article.source.name,
                 source_slug=article.source.slug, canonical_url=article.canonical_url,
                 published_at=article.published_at)


def _register_and_crawl(replay_server: Any) -> None:
    from kiosque.crawler.config import crawl_options
    from kiosque.crawler.runner import crawl_pass
    from kiosque.demo import snapshot_dir
    from kiosque.pipeline.enrich import detect_language
    from kiosque.sources.services import source_upsert

    sites = {s["slug"]: s for s in json.loads((snapshot_dir() / "manifest.json").read_text("utf-8"))["sites"]}
    for slug in DEMO_SOURCES:
        site = sites[slug]
        source_upsert(slug=slug, name=site["name"], homepage=site["homepage"], languages=site["languages"],
                      country=site["country"], extraction_rules=site["extraction_rules"], feeds=site["feeds"],
                      check_now=True)
    replay_server.clear_faults()
    # Six entries per feed (the newest) are plenty for the pages and keep the crawl to a few seconds.
    options = replace(crawl_options(route_to=replay_server.base_url, min_host_delay=0.0, read_timeout=2.0),
                      articles_per_feed=6)
    # Load the language model once, here: the crawl's worker threads would otherwise all miss its (lock-free)
    # cache at the same moment and each decompress their own copy, several seconds of CPU apiece.
    detect_language("Le conseil de gouvernement a adopté le projet de loi de finances.", expected=options.languages)
    report = crawl_pass(options=options)
    assert report.feeds_failed == 0, report.errors


def _pick(language: str, slug: str) -> Story:
    from kiosque.articles.models import Article

    found = (Article.objects.filter(language=language, source__slug=slug).exclude(image=None).exclude(text="")
             .select_related("source").order_by("-published_at").first())
    assert found is not None, f"the crawl gave no {language} article with an image from {slug}"
    return _story(found)


def _build_corpus(replay_server: Any) -> Corpus:
    from kiosque.articles.models import Article, ArticleSignature, Category, Image, Story, StoryLink, TitleRevision
    from kiosque.crawler.models import EntryFailure
    from kiosque.sources.models import Feed, Source
    from tests.factories import make_article

    _register_and_crawl(replay_server)
    vowelled = make_article(Source.objects.get(slug="alatlas-alyoum"), title=VOWELLED_TITLE, language="ar",
                            text=VOWELLED_TEXT, lead="", published=datetime(2024, 10, 12, 12, 0, tzinfo=UTC))
    models = (Source, Feed, Category, Image, Story, Article, ArticleSignature, StoryLink, TitleRevision, EntryFailure)
    data = serializers.serialize("json", [obj for model in models for obj in model._base_manager.order_by("pk")])
    return Corpus(data=data, french=_pick("fr", "echo-de-rabat"), arabic=_pick("ar", "alatlas-alyoum"),
                  english=_pick("en", "global-desk-news"), vowelled=_story(vowelled), total=Article.objects.count())


def _clear_search_index() -> None:
    # `flush` empties only the tables of Django models; the search index is not one (see migration 0002_search),
    # so documents of flushed articles would stay behind for the tests that run after ours.
    from kiosque.articles.models import Article
    from kiosque.articles.search import reindex_all

    Article.objects.all().delete()
    reindex_all()


@pytest.fixture(scope="package")
def _orm_under_playwright() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # why: see the module docstring
        yield


@pytest.fixture(scope="package")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Image files of the crawled articles, shared by the package's tests (the rows are restored per test)."""
    path = tmp_path_factory.mktemp("browser-media")
    with override_settings(MEDIA_ROOT=path):
        yield path


@pytest.fixture(scope="package")
def corpus_snapshot(
    _orm_under_playwright: None, media_dir: Path, django_db_setup: None, django_db_blocker: Any, replay_server: Any,
) -> Iterator[Corpus]:
    with django_db_blocker.unblock():
        try:
            built = _build_corpus(replay_server)
        finally:  # leave the test database as empty as the other tests expect it
            _clear_search_index()
            call_command("flush", interactive=False, verbosity=0)
            cache.clear()
    yield built


@pytest.fixture
def corpus(corpus_snapshot: Corpus, live_server: Any) -> Iterator[Corpus]:
    """The crawled corpus, loaded into this (transactional) test's database, with a cold page cache."""
    from kiosque.articles.search import reindex_all

    connection.creation.deserialize_db_from_string(corpus_snapshot.data)
    reindex_all()
    cache.clear()  # the page cache and its content version live in a file cache shared with other tests
    yield corpus_snapshot
    _clear_search_index()
    cache.clear()


@pytest.fixture(scope="package")
def browser(_orm_under_playwright: None) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent (install Debian's chromium package); never download a browser")
    sync_api = pytest.importorskip("playwright.sync_api")
    playwright = sync_api.sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def new_context(browser: Any) -> Iterator[Any]:
    """Factory of fresh browser contexts (cookies, storage, media emulation); all closed after the test."""
    opened: list[Any] = []

    def make(**options: Any) -> Any:
        options.setdefault("viewport", {"width": 1280, "height": 800})
        context = browser.new_context(locale=options.pop("locale", "fr-FR"), **options)
        context.set_default_timeout(5000)
        opened.append(context)
        return context

    yield make
    for context in opened:
        context.close()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
