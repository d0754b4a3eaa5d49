from datetime import UTC, datetime

import pytest
from django.utils import timezone

from kiosque.articles.models import Article, Category, TitleRevision
from kiosque.articles.services import ArticleDraft, article_ingest
from kiosque.sources.services import source_create

pytestmark = pytest.mark.django_db

PUBLISHED = datetime(2024, 10, 20, 9, 30, tzinfo=UTC)


@pytest.fixture
def source():
    return source_create(name="Le Test", languages=["fr"])


def draft(**changes):
    base = {
        "url": "https://test.example/a/1?utm_source=x",
        "canonical_url": "https://test.example/a/1",
        "guid": "urn:test:1",
        "title": "Le titre",
        "published_at": PUBLISHED,
        "lead": "Le chapeau.",
        "text": "Le chapeau.\n\nLe corps.",
        "language": "fr",
        "categories": ("Économie",),
    }
    base.update(changes)
    return ArticleDraft(**base)


def test_ingesting_twice_never_duplicates(source):
    first = article_ingest(source=source, feed=None, draft=draft(), image=None, now=timezone.now())
    second = article_ingest(source=source, feed=None, draft=draft(), image=None, now=timezone.now())
    assert first.created and not second.created and not second.updated
    assert Article.objects.count() == 1
    assert list(Category.objects.values_list("slug", flat=True)) == ["économie"]


@pytest.mark.parametrize(
    "same_article",
    [
        {"url": "https://test.example/other"},  # same canonical URL
        {"canonical_url": "https://test.example/moved"},  # same GUID within the source
        {"guid": "", "canonical_url": "https://test.example/moved"},  # same publisher URL
    ],
)
def test_an_article_is_recognised_by_canonical_url_guid_or_url(source, same_article):
    article_ingest(source=source, feed=None, draft=draft(), image=None, now=timezone.now())
    again = article_ingest(source=source, feed=None, draft=draft(**same_article), image=None, now=timezone.now())
    assert not again.created
    assert Article.objects.count() == 1


def test_edited_title_updates_in_place_and_keeps_history(source):
    first = article_ingest(source=source, feed=None, draft=draft(), image=None, now=timezone.now())
    edited = article_ingest(source=source, feed=None, draft=draft(title="Le titre corrigé"), image=None,
                            now=timezone.now())
    assert edited.updated and edited.article.pk == first.article.pk
    article = Article.objects.get()
    assert article.title == "Le titre corrigé"
    assert list(TitleRevision.objects.values_list("title", flat=True)) == ["Le titre"]


def test_categories_are_found_or_created_once_by_slug(source):
    from kiosque.articles.services import categories_for

    existing = Category.objects.create(name="Économie", slug="économie")
    found = categories_for(["Économie", " économie ", "Sport", "Sport", "  ", "!!"])
    assert [c.slug for c in found] == ["économie", "sport"]
    assert found[0].pk == existing.pk
    assert Category.objects.count() == 2
    assert categories_for(["Sport"])[0].pk == found[1].pk
    article = article_ingest(source=source, feed=None, draft=draft(categories=("Sport", "Culture")), image=None,
                             now=timezone.now()).article
    assert sorted(article.categories.values_list("slug", flat=True)) == ["culture", "sport"]
