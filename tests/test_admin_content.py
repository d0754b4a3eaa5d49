"""Direct admin edits of what readers see invalidate the cached pages, and article edits reach search."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from kiosque.articles.models import Article, Category
from kiosque.articles.search import index_article, search_articles
from kiosque.articles.selectors import content_version
from kiosque.sources.models import Source
from tests.factories import make_article, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_(admin_user):  # type: ignore[no-untyped-def]
    request = RequestFactory().post("/admin/")
    request.user = admin_user
    return request


@pytest.mark.parametrize("model", [Source, Category])
def test_saving_or_deleting_an_outlet_or_category_changes_the_content_version(
    model, request_, django_capture_on_commit_callbacks
):
    if model is Source:
        obj = make_source("Le Matin", slug="le-matin")
    else:
        obj = Category.objects.create(name="Sport", slug="sport")
    model_admin = admin.site._registry[model]
    before = content_version()
    with django_capture_on_commit_callbacks(execute=True):
        obj.name = "Le Nouveau Nom"
        model_admin.save_model(request_, obj, form=None, change=True)
    after_save = content_version()
    assert after_save != before
    with django_capture_on_commit_callbacks(execute=True):
        model_admin.delete_queryset(request_, model.objects.filter(pk=obj.pk))
    assert content_version() != after_save


def test_an_article_edited_in_the_admin_is_searched_by_its_new_title(request_, django_capture_on_commit_callbacks):
    article = make_article(make_source("Le Matin", slug="le-matin"), title="Séisme au large d'Agadir")
    index_article(article)
    model_admin = admin.site._registry[Article]
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Tempête sur Tanger"
        model_admin.save_model(request_, article, form=None, change=True)
    assert search_articles("tempête").article_ids == [article.pk]
    assert search_articles("séisme").article_ids == []
    with django_capture_on_commit_callbacks(execute=True):
        model_admin.delete_model(request_, article)
    assert search_articles("tempête").total == 0
