"""The crawler against the replay server: real HTTP over loopback, real pipeline, faults injected."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from kiosque.articles.models import Article, Image
from kiosque.crawler.config import crawl_options
from kiosque.crawler.models import EntryFailure
from kiosque.crawler.runner import crawl_pass
from kiosque.demo import Fault, snapshot_dir
from kiosque.sources.models import Feed
from kiosque.sources.services import source_upsert

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media_root")]

MANIFEST = json.loads((snapshot_dir() / "manifest.json").read_text(encoding="utf-8"))
SITES = {site["slug"]: site for site in MANIFEST["sites"]}
ARTICLES = MANIFEST["articles"]
# One site per feed kind, plus the seed-styled outlet and the one with a robots.txt-disallowed section.
KINDS = {
    "rss": "atlas-matin",
    "atom": "atlas-presse",
    "rdf": "echo-de-rabat",
    "sitemap": "alatlas-alyoum",
    "jsonfeed": "global-desk-news",
    "listing": "aljazeera-com",
}


def register(*slugs: str) -> None:
    for slug in slugs:
        site = SITES[slug]
        source_upsert(slug=slug, name=site["name"], homepage=site["homepage"], languages=site["languages"],
                      country=site["country"], extraction_rules=site["extraction_rules"], feeds=site["feeds"],
                      check_now=True)


def expected_urls(slug: str) -> set[str]:
    return {a["url"] for a in ARTICLES if a["site"] == slug}


def run(replay, **overrides):  # type: ignore[no-untyped-def]
    options = crawl_options(route_to=replay.base_url, min_host_delay=0.0, read_timeout=2.0, **overrides)
    return crawl_pass(options=options)


def make_due() -> None:
    Feed.objects.update(next_check_at=timezone.now() - timedelta(seconds=1))


def test_every_feed_kind_is_crawled_into_articles(replay):
    register(*KINDS.values())
    report = run(replay)
    assert report.feeds_failed == 0, report.errors
    for slug in KINDS.values():
        stored = set(Article.objects.filter(source__slug=slug).values_list("url", flat=True))
        assert stored == expected_urls(slug), slug
    sample = Article.objects.filter(source__slug="atlas-matin").exclude(image=None).first()
    assert sample is not None and sample.text and sample.language == "fr"
    assert "Merci d'avoir signalé" not in sample.text  # the seed-style boilerplate is gone
    assert "<script" not in "".join(Article.objects.values_list("html", flat=True))
    arabic = Article.objects.filter(source__slug="alatlas-alyoum").first()
    assert arabic is not None and arabic.language == "ar"


def test_second_pass_uses_conditional_get_and_duplicates_nothing(replay):
    register("atlas-matin", "global-desk-news")
    run(replay)
    count = Article.objects.count()
    make_due()
    replay.clear_requests()
    report = run(replay)
    assert Article.objects.count() == count and report.articles_created == 0
    feed_requests = [r for r in replay.requests if r.path in ("/rss/actualites.xml", "/feed.json")]
    assert feed_requests and all(r.status == 304 for r in feed_requests)


def test_robots_disallowed_page_is_never_fetched(replay):
    register("echo-de-rabat")
    replay.clear_requests()
    run(replay)
    blocked = next(a for a in ARTICLES if a["disallowed"])
    assert not any(r.path.startswith("/abonnes/") for r in replay.requests)
    # The feed's own headline is still listed, with the link to the publisher.
    assert Article.objects.get(url=blocked["url"]).text == ""


FEED_FAULTS = [
    (Fault.server_error(), "500", "temporary"),
    (Fault.rate_limited(retry_after=3600), "429", "temporary"),
    (Fault.latency(3.0), "timed out", "temporary"),
    (Fault.oversized(size=8 * 1024 * 1024), "larger than", "hard"),
    (Fault.oversized(size=64 * 1024 * 1024, gzip_bomb=True), "larger than", "hard"),
    (Fault.redirect_loop(), "redirect", "hard"),
    (Fault.truncated(), "", "temporary"),
]


@pytest.mark.parametrize(("fault", "reason_part", "severity"), FEED_FAULTS, ids=lambda v: getattr(v, "kind", None))
def test_feed_fault_is_recorded_backed_off_and_others_go_on(replay, fault, reason_part, severity):
    register("atlas-matin", "global-desk-news")
    bad = SITES["atlas-matin"]["feeds"][0]["url"]
    replay.set_fault(bad, fault)
    before = timezone.now()
    report = run(replay, max_body_bytes=2 * 1024 * 1024)
    feed = Feed.objects.get(url=bad)
    assert report.feeds_failed == 1
    assert reason_part.lower() in feed.last_error.lower()
    assert feed.last_error_kind == severity
    assert feed.next_check_at >= before + timedelta(seconds=feed.interval_seconds)
    assert not Article.objects.filter(source__slug="atlas-matin").exists()
    assert set(Article.objects.filter(source__slug="global-desk-news").values_list("url", flat=True)) == (
        expected_urls("global-desk-news")
    )


def test_retry_after_sets_the_next_check(replay):
    register("atlas-matin")
    replay.set_fault(SITES["atlas-matin"]["feeds"][0]["url"], Fault.rate_limited(retry_after=7200))
    before = timezone.now()
    run(replay)
    assert Feed.objects.get().next_check_at >= before + timedelta(seconds=7200)


def test_wrong_charset_feed_is_still_read(replay):
    register("global-desk-news")
    replay.set_fault(SITES["global-desk-news"]["feeds"][0]["url"], Fault.wrong_charset())
    report = run(replay)
    assert report.feeds_failed == 0
    assert Article.objects.filter(source__slug="global-desk-news").count() == len(expected_urls("global-desk-news"))


def test_failed_article_is_recorded_then_retried(replay):
    register("global-desk-news")
    victim = sorted(expected_urls("global-desk-news"))[0]
    replay.set_fault(victim, Fault.server_error())
    report = run(replay)
    assert report.entries_failed == 1 and report.feeds_failed == 0
    failure = EntryFailure.objects.get(url=victim)
    assert "500" in failure.reason and failure.next_attempt_at > timezone.now()
    assert not Article.objects.filter(url=victim).exists()  # nothing half-written
    replay.clear_faults()
    EntryFailure.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    make_due()
    Feed.objects.update(etag="", last_modified="")
    run(replay)
    assert Article.objects.filter(url=victim).exists()
    assert not EntryFailure.objects.exists()


def test_identical_images_are_stored_once(replay):
    register("atlas-matin", "echo-de-rabat", "atlas-presse")
    run(replay)
    group = [a for a in ARTICLES if a.get("image_group") and a.get("image_variant") == "same"]
    images = Image.objects.filter(origin_url__in=[a["image_url"] for a in group])
    assert images.count() == len(group)
    assert len({img.sha256 for img in images}) == 1
    assert len({img.display_file for img in images}) == 1
