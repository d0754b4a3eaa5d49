"""Migration 0007 rebuilds the SQLite FTS5 table with an indexed analyzer column by copying its rows."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from kiosque.articles.search import index_article, search_articles, unindex_article
from tests.factories import make_article, make_source

pytestmark = pytest.mark.django_db(transaction=True)


def test_search_documents_survive_the_analyzer_column_rebuild_both_ways():
    outlet = make_source("Le Matin", slug="le-matin")
    article = make_article(outlet, title="Le barrage de Aït Ziat est plein", language="fr")
    other = make_article(outlet, title="Barrage inauguré", language="xx")  # the "" analyzer
    for item in (article, other):
        index_article(item)
    call_command("migrate", "articles", "0006", verbosity=0)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT analyzer FROM articles_search WHERE rowid IN (%s, %s) ORDER BY rowid", [article.pk, other.pk]
            )
            assert [row[0] for row in cursor.fetchall()] == ["fr", ""]
    call_command("migrate", "articles", verbosity=0)
    try:
        assert set(search_articles("barrage").article_ids) == {article.pk, other.pk}
        assert search_articles("barrage", language="fr").article_ids == [article.pk]
        assert search_articles("barrage", language="xx").article_ids == [other.pk]
    finally:  # a transactional test's flush empties model tables only, not the search index
        for item in (article, other):
            unindex_article(item.pk)
