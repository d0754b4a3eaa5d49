"""PostgreSQL back-end: a side table with one weighted tsvector per article, GIN-indexed, ranked with ts_rank_cd.

Table (created by migration 0002_search, on PostgreSQL only):

    articles_search (article_id bigint PRIMARY KEY, analyzer varchar(8), document tsvector)  + GIN (document)

There is no foreign key to the articles on purpose: Django's test flush TRUNCATEs the tables it knows
without CASCADE, which a referencing table would make fail. A document left behind by a deleted article
is never returned (searches join the articles) and `reindex_all()` drops it.

The document is built from our normalised, stop-word-free text (text.py with stem=False) by the text
search configuration of the article's language: french, english, arabic (PostgreSQL 13+ ships it). A
configuration missing from the database (checked once in pg_ts_config) is replaced by 'simple' over terms
that text.py has stemmed itself, so results never depend on it. Queries go through `plainto_tsquery` with
the same configuration: every word must match, and no user text is read as tsquery syntax.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from kiosque.articles.search.text import ANALYZERS, query_terms, terms

if TYPE_CHECKING:
    from django.db.backends.utils import CursorWrapper

    from kiosque.articles.search.base import Document

TABLE = "articles_search"
# ts_rank_cd weights in PostgreSQL's order {D, C, B, A}: text is C, lead B, title A; D is unused.
_WEIGHTS = "'{0.1, 0.1, 0.3, 1.0}'::float4[]"
_UPSERT = f"""
    INSERT INTO {TABLE} (article_id, analyzer, document) VALUES (%s, %s,
        setweight(to_tsvector(%s::regconfig, %s), 'A') || setweight(to_tsvector(%s::regconfig, %s), 'B')
        || setweight(to_tsvector(%s::regconfig, %s), 'C'))
    ON CONFLICT (article_id) DO UPDATE SET analyzer = EXCLUDED.analyzer, document = EXCLUDED.document
"""
# Database (host, port, name) -> names of its text search configurations.
_configs_seen: dict[tuple[object, ...], frozenset[str]] = {}


def _config(cursor: CursorWrapper, analyzer: str) -> tuple[str, bool]:
    """(configuration, whether text.py must stem) for an analyzer."""
    settings = cursor.db.settings_dict
    key = (settings.get("HOST"), settings.get("PORT"), settings.get("NAME"))
    if key not in _configs_seen:
        cursor.execute("SELECT cfgname FROM pg_ts_config")
        _configs_seen[key] = frozenset(row[0] for row in cursor.fetchall())
    wanted = ANALYZERS.get(analyzer)
    if wanted is None:
        return "simple", False
    return (wanted, False) if wanted in _configs_seen[key] else ("simple", True)


def upsert(cursor: CursorWrapper, documents: Sequence[Document]) -> None:
    rows = []
    for doc in documents:
        config, stem = _config(cursor, doc.analyzer)
        title, lead, text = (" ".join(terms(part, doc.analyzer, stem=stem)) for part in (doc.title, doc.lead, doc.text))
        rows.append((doc.article_id, doc.analyzer, config, title, config, lead, config, text))
    if rows:
        cursor.executemany(_UPSERT, rows)


def delete(cursor: CursorWrapper, article_ids: Sequence[int]) -> None:
    cursor.execute(f"DELETE FROM {TABLE} WHERE article_id = ANY(%s)", [list(article_ids)])


def clear(cursor: CursorWrapper) -> None:
    # DELETE, not TRUNCATE: TRUNCATE would lock readers out until the rebuild commits.
    cursor.execute(f"DELETE FROM {TABLE}")


def optimize(cursor: CursorWrapper) -> None:
    """After a rebuild: move the GIN index's pending list (fast-update inserts) into the index proper, and
    refresh statistics. Measured on 9,900 articles: a search fell from ~20 ms to 2-6 ms, partly because the
    planner stopped choosing a parallel plan. Between rebuilds autovacuum does the same."""
    cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [f"{TABLE}_document_idx"])
    cursor.execute(f"ANALYZE {TABLE}")


def hits(cursor: CursorWrapper, query: str, analyzers: Sequence[str]) -> tuple[str, list[object]] | None:
    """SQL of (article_id, relevance) rows, one SELECT per analyzer that leaves query terms; None if none."""
    selects: list[str] = []
    params: list[object] = []
    for analyzer in analyzers:
        config, stem = _config(cursor, analyzer)
        words = query_terms(query, analyzer, stem=stem)
        if words:
            selects.append(
                f"SELECT d.article_id, ts_rank_cd({_WEIGHTS}, d.document, q.query, 1) "
                f"FROM {TABLE} d, plainto_tsquery(%s::regconfig, %s) AS q (query) "
                "WHERE d.analyzer = %s AND d.document @@ q.query"
            )
            params += [config, " ".join(words), analyzer]
    return (" UNION ALL ".join(selects), params) if selects else None


def article_index_hint(table_alias: str) -> str:
    """No hint: PostgreSQL's planner chooses between the table and the covering index itself."""
    return table_alias


def age_days_sql(published: str) -> str:
    """Days from `published` to the %s parameter, at least 0."""
    return f"GREATEST(0.0, EXTRACT(EPOCH FROM (%s - {published}))::float8 / 86400.0)"
