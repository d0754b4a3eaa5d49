"""Search, on whichever database the suite runs on (SQLite FTS5 or PostgreSQL tsvector): same cases, same results.

The corpus (tests/fixtures/search/articles.json) is ingested through `article_ingest`, so these tests also
cover the indexing hook. Expected results are article keys of that corpus.
"""

import json
from dataclasses import FrozenInstanceError
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from kiosque.articles.models import Article
from kiosque.articles.search import SearchPage, index_article, reindex_all, search_articles, unindex_article
from kiosque.articles.services import ArticleDraft, article_ingest
from kiosque.sources.models import Source
from kiosque.sources.services import source_create

pytestmark = pytest.mark.django_db

CORPUS = json.loads((Path(__file__).parents[1] / "fixtures" / "search" / "articles.json").read_text())


class Corpus:
    def __init__(self) -> None:
        self.now = timezone.now()
        self.sources = {
            name: source_create(name=f"Source {name}", languages=["fr", "ar", "en"]) for name in ("a", "b", "disabled")
        }
        Source.objects.filter(pk=self.sources["disabled"].pk).update(enabled=False)
        self.ids: dict[str, int] = {}
        for entry in CORPUS:
            self.ingest(entry)
        self.keys = {pk: key for key, pk in self.ids.items()}

    def ingest(self, entry: dict, **changes: str) -> None:
        draft = ArticleDraft(
            url=f"https://news.example/{entry['key']}",
            canonical_url=f"https://news.example/{entry['key']}",
            title=changes.get("title", entry["title"]),
            lead=entry["lead"],
            text=entry["text"],
            language=entry["language"],
            published_at=self.now - timedelta(days=entry["days_ago"]),
        )
        result = article_ingest(source=self.sources[entry["source"]], feed=None, draft=draft, image=None, now=self.now)
        self.ids[entry["key"]] = result.article.pk

    def search(self, query: str, **kwargs: object) -> list[str]:
        return [self.keys[pk] for pk in search_articles(query, **kwargs).article_ids]


@pytest.fixture
def corpus() -> Corpus:
    return Corpus()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # French: accents, case, elision, stemming
        ("economie", {"fr-economie"}),
        ("ÉCONOMIE marocaine", {"fr-economie"}),
        ("l'économie", {"fr-economie"}),
        ("élections", {"fr-election"}),
        ("présidentielle anticipée", {"fr-election"}),
        ("ministres", {"fr-economie", "fr-ministre"}),
        ("la démission du ministre de la santé", set()),  # every word must match: no "démission" anywhere
        ("le ministre de la Santé", {"fr-ministre"}),  # stop words are not required
        # English: Snowball maps floods/flooding/flooded to "flood"; it does not map children to child
        ("floods", {"en-floods"}),
        ("flooding", {"en-floods"}),
        ("flood", {"en-floods"}),
        ("children", {"en-floods"}),
        ("child", set()),
        ("the euro zones", {"en-inflation"}),
        # Arabic: diacritics, alef forms, tatweel, taa marbuta, ال and و prefixes
        ("المغرب يواجه مصر", {"ar-maghreb"}),
        ("المغرب", {"ar-maghreb", "ar-tatweel"}),
        ("الـمـغـرب", {"ar-maghreb", "ar-tatweel"}),
        ("مغرب", {"ar-maghreb", "ar-tatweel"}),
        ("والمغرب", {"ar-maghreb", "ar-tatweel"}),
        ("أحمد", {"ar-ahmad"}),
        ("احمد", {"ar-ahmad"}),
        ("إحمد", {"ar-ahmad"}),
        ("مدرسة", {"ar-school"}),
        ("مدرسه", {"ar-school"}),
        ("المدرسة", {"ar-school"}),
        ("والمدرسة", {"ar-school"}),
        ("الوزير", {"ar-school"}),
        ("الْمُنْتَخَبُ", {"ar-maghreb"}),
        # other languages: normalised, not stemmed
        ("rosnie gospodarka", {"pl-economy"}),
        ("gospodarki", set()),
    ],
)
def test_matching(corpus, query, expected):
    assert set(corpus.search(query)) == expected


@pytest.mark.parametrize(
    ("query", "filters", "expected"),
    [
        ("inflation", {}, ["fr-inflation-title", "en-inflation", "fr-inflation-body"]),
        ("inflation", {"language": "en"}, ["en-inflation"]),
        ("inflation", {"language": "fr"}, ["fr-inflation-title", "fr-inflation-body"]),
        ("inflation", {"language": "ar"}, []),
        ("inflation", {"source": "b"}, ["en-inflation"]),
        ("inflation", {"since_days": 3}, ["en-inflation"]),
        ("inflation", {"until_days": 3}, ["fr-inflation-title", "fr-inflation-body"]),
        ("inflation", {"since_days": 6, "until_days": 4}, ["fr-inflation-title", "fr-inflation-body"]),
        ("inflation", {"since_days": 4, "until_days": 3}, []),
    ],
)
def test_filters(corpus, query, filters, expected):
    kwargs: dict[str, object] = {}
    if "language" in filters:
        kwargs["language"] = filters["language"]
    if "source" in filters:
        kwargs["source_id"] = corpus.sources[filters["source"]].pk
    if "since_days" in filters:
        kwargs["since"] = corpus.now - timedelta(days=filters["since_days"])
    if "until_days" in filters:
        kwargs["until"] = corpus.now - timedelta(days=filters["until_days"])
    assert sorted(corpus.search(query, **kwargs)) == sorted(expected)


def test_articles_of_disabled_sources_are_never_found(corpus):
    assert "fr-disabled-source" not in corpus.search("économie")
    assert corpus.search("source désactivée") == []


def test_title_match_ranks_above_body_only_match(corpus):
    assert corpus.search("inflation", language="fr") == ["fr-inflation-title", "fr-inflation-body"]


def test_equal_matches_newer_first(corpus):
    assert corpus.search("storm coast") == ["en-storm-new", "en-storm-old"]


def test_freshness_does_not_lift_a_body_only_match_over_an_older_title_match(corpus):
    fresh = {**CORPUS[4], "key": "fr-inflation-body-today", "days_ago": 0}
    corpus.ingest(fresh)
    corpus.keys[corpus.ids[fresh["key"]]] = fresh["key"]
    assert corpus.search("inflation", language="fr") == [
        "fr-inflation-title",  # five days old, in the title
        "fr-inflation-body-today",  # same body as the next one, but fresher
        "fr-inflation-body",
    ]


def test_pagination(corpus):
    full = search_articles("inflation")
    assert full.total == 3 and len(full.article_ids) == 3
    pages = [search_articles("inflation", limit=2, offset=offset) for offset in (0, 2)]
    assert [page.total for page in pages] == [3, 3]
    assert pages[0].article_ids + pages[1].article_ids == full.article_ids
    assert search_articles("inflation", limit=2, offset=10) == SearchPage(article_ids=[], total=3)
    assert search_articles("inflation", limit=0) == SearchPage(article_ids=[], total=3)


@pytest.mark.parametrize(
    "query",
    ["", "   ", '"', '""', "*", "-", "()", ")(", "NEAR(", '"*"', "^", ":", "{}", "'", "\x00", "💥", "AND", "OR",
     "NOT", "le la les", "the of and", "في من", "title:", "NEAR(economie marocaine, 2)", "a" * 600],
)
def test_empty_or_garbage_queries_return_an_empty_page(corpus, query):
    assert search_articles(query) == SearchPage(article_ids=[], total=0)


@pytest.mark.parametrize("query", ['"économie', "économie*", "(économie)", "-économie", "économie:"])
def test_query_syntax_is_plain_text(corpus, query):
    """No operator reaches FTS5 or tsquery: punctuation is ignored."""
    assert corpus.search(query) == ["fr-economie"]


def test_edited_article_is_reindexed(corpus):
    corpus.ingest(CORPUS[0], title="La Bourse de Casablanca termine en hausse")
    assert corpus.search("bourse casablanca") == ["fr-economie"]
    assert corpus.search("ralentit trimestre") == []
    assert corpus.search("croissance") == ["fr-economie"]  # the lead and text are still indexed


def test_unindex_and_reindex_all(corpus):
    unindex_article(corpus.ids["fr-economie"])
    assert corpus.search("economie") == []
    assert reindex_all() == len(CORPUS) == Article.objects.count()
    assert corpus.search("economie") == ["fr-economie"]


def test_reindex_all_drops_documents_of_deleted_articles(corpus):
    deleted = corpus.ids["en-storm-old"]
    Article.objects.filter(pk=deleted).delete()
    assert reindex_all() == len(CORPUS) - 1
    table = connection.ops.quote_name("articles_search")
    key = "rowid" if connection.vendor == "sqlite" else "article_id"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {key} = %s", [deleted])
        assert cursor.fetchone()[0] == 0


def test_index_article_is_an_upsert(corpus):
    article = Article.objects.get(pk=corpus.ids["en-floods"])
    index_article(article)
    index_article(article)
    assert corpus.search("flooded villages") == ["en-floods"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL text search configurations")
def test_postgresql_without_an_arabic_configuration_stems_in_python(corpus, monkeypatch):
    """A database without the 'arabic' configuration indexes Arabic with 'simple' over our own stems."""
    from kiosque.articles.search import postgres

    settings = connection.settings_dict
    key = (settings.get("HOST"), settings.get("PORT"), settings.get("NAME"))
    configs = postgres._configs_seen.get(key, frozenset({"simple", "french", "english", "arabic"}))
    monkeypatch.setitem(postgres._configs_seen, key, configs - {"arabic"})
    reindex_all()
    for query in ("مدرسة", "المدرسة", "والمدرسة", "الـمـغـرب", "إحمد", "الوزير"):
        assert corpus.search(query, language="ar"), query
    assert set(corpus.search("المغرب")) == {"ar-maghreb", "ar-tatweel"}


def test_search_page_is_frozen():
    page = SearchPage(article_ids=[1], total=1)
    with pytest.raises(FrozenInstanceError):
        page.total = 2  # type: ignore[misc]
