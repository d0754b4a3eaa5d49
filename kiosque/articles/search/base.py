"""The search interface; the back-end (sqlite.py or postgres.py) is chosen by `connection.vendor`.

Ranking, the same on both back-ends:

    score = relevance × (1 + F / (F + age_days)),   F = FRESHNESS_DAYS = 7, age_days >= 0

- relevance: SQLite FTS5 bm25, as 10 × bm25(title) + 3 × bm25(lead) + 1 × bm25(text); PostgreSQL
  `ts_rank_cd` with weights A (title) 1.0, B (lead) 0.3, C (text) 0.1 and length normalisation 1 (rank
  divided by 1 + log of the document length). The same 10:3:1 ratios on both.
- the freshness factor falls from 2 (published now) to 1.5 after F days, 1.2 after a month, towards 1.
  Being at most 2, it reorders matches of similar relevance (equal matches: newer first) but does not lift
  a body-only match over a title match, which weighs about 10 times more. Future dates count as age 0.
  Hyperbolic rather than exponential decay because SQLite has no exp() without its math extension.
- ties: newer first, then higher id.

Every query word must match (in any column), after the analysis of text.py for the article's language: a
query is analysed once per language analyzer and each analysis is matched against the articles of that
analyzer only. No operators: quotes, *, -, NEAR, OR, parentheses are plain punctuation or plain words.
Only articles of enabled sources are returned, as in `selectors.articles_visible`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import ModuleType

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

from kiosque.articles.models import Article
from kiosque.articles.search import postgres, sqlite
from kiosque.articles.search.text import ANALYZERS, analyzer_for
from kiosque.sources.models import Source

__all__ = ["SearchPage", "index_article", "reindex_all", "search_articles", "unindex_article"]

FRESHNESS_DAYS = 7.0
MAX_LIMIT = 100
MAX_QUERY_CHARS = 500
# Caps on what is indexed per article: news texts are far shorter; this bounds a pathological page
# (and keeps PostgreSQL's tsvector under its 1 MB limit).
MAX_LEAD_CHARS = 5_000
MAX_TEXT_CHARS = 100_000
_BACKENDS: dict[str, ModuleType] = {"sqlite": sqlite, "postgresql": postgres}
_ALL_ANALYZERS = (*ANALYZERS, "")
_INDEXED_FIELDS = ("id", "title", "lead", "text", "language")


@dataclass(frozen=True)
class SearchPage:
    """One page of results: article ids, best first, and how many articles match in all."""

    article_ids: list[int]
    total: int


@dataclass(frozen=True)
class Document:
    """What a back-end indexes for one article."""

    article_id: int
    analyzer: str
    title: str
    lead: str
    text: str


def _backend() -> ModuleType:
    try:
        return _BACKENDS[connection.vendor]
    except KeyError:
        raise ImproperlyConfigured(f"search supports SQLite and PostgreSQL, not {connection.vendor}") from None


def _document(article: Article) -> Document:
    return Document(
        article_id=article.pk,
        analyzer=analyzer_for(article.language),
        title=article.title,
        lead=article.lead[:MAX_LEAD_CHARS],
        text=article.text[:MAX_TEXT_CHARS],
    )


def index_article(article: Article) -> None:
    """Add or replace the article's search document (call inside the transaction that wrote the article)."""
    with connection.cursor() as cursor:
        _backend().upsert(cursor, [_document(article)])


def unindex_article(article_id: int) -> None:
    """Remove the article's search document, if any."""
    with connection.cursor() as cursor:
        _backend().delete(cursor, [article_id])


def reindex_all(*, batch_size: int = 500) -> int:
    """Rebuild the whole index from the articles in one transaction (readers keep the old index until the
    commit); returns the number of articles indexed. Also drops documents of deleted articles."""
    backend = _backend()
    count = 0
    with transaction.atomic(), connection.cursor() as cursor:
        backend.clear(cursor)
        batch: list[Document] = []
        for article in Article.objects.only(*_INDEXED_FIELDS).order_by("pk").iterator(chunk_size=batch_size):
            batch.append(_document(article))
            if len(batch) >= batch_size:
                backend.upsert(cursor, batch)
                count, batch = count + len(batch), []
        backend.upsert(cursor, batch)
        backend.optimize(cursor)
    return count + len(batch)


def search_articles(
    query: str,
    *,
    language: str | None = None,
    source_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SearchPage:
    """Articles matching every word of `query`, best first (see the module docstring for the ranking).

    Filters: `language` (the article's language code, exact), `source_id`, `since` <= published_at < `until`
    (naive datetimes are read in the current time zone). `limit` is capped at MAX_LIMIT.
    """
    backend = _backend()
    analyzers = [analyzer_for(language)] if language else list(_ALL_ANALYZERS)
    limit, offset = max(0, min(limit, MAX_LIMIT)), max(0, offset)
    with connection.cursor() as cursor:
        hits = backend.hits(cursor, query[:MAX_QUERY_CHARS], analyzers)
        if hits is None:
            return SearchPage(article_ids=[], total=0)
        where, where_params = _filters(language=language, source_id=source_id, since=since, until=until)
        page_sql, count_sql = _ranked_sql(hits[0], where, backend)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        cursor.execute(page_sql, [*hits[1], *where_params, FRESHNESS_DAYS, FRESHNESS_DAYS, now, limit, offset])
        rows = cursor.fetchall()
        if rows:
            return SearchPage(article_ids=[row[0] for row in rows], total=rows[0][1])
        if limit == 0 or offset > 0:  # an empty page past the end still reports the total
            cursor.execute(count_sql, [*hits[1], *where_params])
            return SearchPage(article_ids=[], total=cursor.fetchone()[0])
        return SearchPage(article_ids=[], total=0)


def _ranked_sql(hits_sql: str, where: str, backend: ModuleType) -> tuple[str, str]:
    """SQL of one page (id, total) and of the count, over the backend's (article_id, relevance) hits."""
    qn = connection.ops.quote_name
    article, source = Article._meta, Source._meta
    article_id = f"a.{qn(article.pk.column)}"
    published = f"a.{qn(article.get_field('published_at').column)}"
    # MATERIALIZED: the full-text hits are computed once, then joined. Without it the planners may walk every
    # article of the filtered language and probe the index per row (measured 1-34 s at 100k articles, against
    # 0.07-0.4 s materialised). Both SQLite >= 3.35 and PostgreSQL >= 12 accept the keyword.
    with_hits = f"WITH hits (article_id, relevance) AS MATERIALIZED ({hits_sql})"
    matched = (
        f"FROM hits h JOIN {qn(article.db_table)} {backend.article_index_hint('a')} ON {article_id} = h.article_id "
        f"JOIN {qn(source.db_table)} s ON s.{qn(source.pk.column)} = a.{qn(article.get_field('source').column)} "
        f"WHERE {where}"
    )
    page = (
        f"{with_hits} SELECT {article_id}, COUNT(*) OVER () {matched} "
        f"ORDER BY h.relevance * (1.0 + %s / (%s + {backend.age_days_sql(published)})) DESC, "
        f"{published} DESC, {article_id} DESC LIMIT %s OFFSET %s"
    )
    return page, f"{with_hits} SELECT COUNT(*) {matched}"


def _filters(
    *, language: str | None, source_id: int | None, since: datetime | None, until: datetime | None
) -> tuple[str, list[object]]:
    qn, article = connection.ops.quote_name, Article._meta
    clauses = [f"s.{qn(Source._meta.get_field('enabled').column)} = %s"]
    params: list[object] = [True]
    published = f"a.{qn(article.get_field('published_at').column)}"
    for clause, value in (
        (f"a.{qn(article.get_field('language').column)} = %s", language or None),
        (f"a.{qn(article.get_field('source').column)} = %s", source_id),
        (f"{published} >= %s", _db_datetime(since)),
        (f"{published} < %s", _db_datetime(until)),
    ):
        if value is not None:
            clauses.append(clause)
            params.append(value)
    return " AND ".join(clauses), params


def _db_datetime(value: datetime | None) -> object:
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return connection.ops.adapt_datetimefield_value(value)
