"""The crawler's commands as an operator uses them: crawl --once, extract, parse-feed, add-source, import-opml."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from kiosque.articles.models import Article
from kiosque.sources.models import Feed, Source

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def routed(settings, replay):  # type: ignore[no-untyped-def]
    settings.KIOSQUE = {**settings.KIOSQUE, "KIOSQUE_ROUTE_TO": replay.base_url, "KIOSQUE_HOST_DELAY": 0.0,
                        "KIOSQUE_CRAWL_PROCESSES": 0}
    return replay


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("media_root")
def test_add_source_discovers_feeds_then_crawl_once(routed):
    out = run("add_source", "https://www.globaldesknews.com/", "--language", "en")
    assert "feed.json" in out
    assert Feed.objects.get().kind == "jsonfeed"
    summary = run("crawl", "--once", "--no-progress")
    assert "0 failed" in summary
    assert Article.objects.filter(source=Source.objects.get()).count() >= 10


@pytest.mark.django_db
def test_add_source_without_feeds_is_a_readable_error(routed):
    with pytest.raises(CommandError, match=r"Could not fetch|No RSS"):
        run("add_source", "https://unknown.example/")


def test_parse_feed_prints_entries(db):
    feed = next((FIXTURES / "parse").rglob("*.xml"))
    data = json.loads(run("parse_feed", str(feed)))
    assert data["kind"] in {"rss", "atom", "rdf", "sitemap"} and isinstance(data["entries"], list)


def test_extract_prints_article_json(db):
    page = next(p for p in (FIXTURES / "extract").iterdir() if p.name.endswith((".html", ".html.gz")))
    if page.suffix == ".gz":
        import gzip

        plain = Path(str(page)[:-3])
        plain.write_bytes(gzip.decompress(page.read_bytes()))
        page = plain
    try:
        data = json.loads(run("extract", str(page), "--url", "https://www.example.com/article"))
    except CommandError as error:  # the negative fixture (a JavaScript shell) is refused with a reason
        assert "JavaScript" in str(error) or "short" in str(error)
        return
    assert set(data) >= {"title", "lead", "text", "author", "published", "image", "language", "canonical_url"}
    assert data["title"] and data["text"]


@pytest.mark.parametrize("command", ["extract", "parse_feed"])
def test_bad_input_exits_with_a_readable_message(db, tmp_path, command):
    with pytest.raises(CommandError, match="No such file"):
        run(command, str(tmp_path / "missing.html"))
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(b"\x00\x01\x02 not a page at all")
    with pytest.raises(CommandError):
        run(command, str(garbage))


@pytest.mark.django_db
def test_import_opml(tmp_path):
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>'
        '<outline text="Le Desk" type="rss" xmlUrl="https://ledesk.example/rss" htmlUrl="https://ledesk.example/"/>'
        '<outline text="Alyaoum" type="rss" xmlUrl="https://alyaoum.example/feed"/></body></opml>'
    )
    assert "Imported 2 feed(s)" in run("import_opml", str(opml))
    assert "Imported 0 feed(s)" in run("import_opml", str(opml))
    assert Source.objects.count() == 2


def test_image_format_setting_is_checked(settings):
    from django.core.exceptions import ImproperlyConfigured

    from kiosque.crawler.config import crawl_options

    settings.KIOSQUE = {**settings.KIOSQUE, "KIOSQUE_IMAGE_FORMAT": "JPEG"}
    assert crawl_options().image.output_format == "jpeg"
    settings.KIOSQUE = {**settings.KIOSQUE, "KIOSQUE_IMAGE_FORMAT": "webp"}
    assert crawl_options().image.output_format == "webp"
    settings.KIOSQUE = {**settings.KIOSQUE, "KIOSQUE_IMAGE_FORMAT": "png"}
    with pytest.raises(ImproperlyConfigured, match="jpeg or webp"):
        crawl_options()
