"""SQLite back-end: an FTS5 table of our own analysed terms (text.py), ranked with bm25.

Table (migrations 0002_search and 0007_search_analyzer_indexed, on SQLite only), one row per article,
rowid = article id:

    CREATE VIRTUAL TABLE articles_search USING fts5(title, lead, body, analyzer, tokenize = 'ascii')

`analyzer` holds one token, the article's analyzer key ("und" for the "" analyzer), and is matched inside the
FTS5 query (`{title lead body} : (...) AND analyzer : "fr"`): FTS5 intersects two doclists instead of reading
each match's stored row to compare an UNINDEXED column, which walked the row's overflow pages past the body
text and cost 40 ms of a 60 ms query with 22,000 matches at 100,000 articles (bench/serve.py).

The columns hold space-separated terms that are already normalised, stop-word-free and stemmed, so FTS5 only
has to split on spaces: the `ascii` tokenizer does exactly that for our terms (it treats every non-ASCII
character as part of a word and leaves it untouched, unlike unicode61, which would split words at the
combining marks of some scripts). Queries are built from quoted terms, never from user syntax.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from kiosque.articles.search.text import query_terms, terms

if TYPE_CHECKING:
    from django.db.backends.utils import CursorWrapper

    from kiosque.articles.search.base import Document

TABLE = "articles_search"
# Relevance = 10 × bm25(title) + 3 × bm25(lead) + 1 × bm25(body), each column scored on its own (bm25()
# arguments are column weights, in column order title, lead, body, analyzer). One bm25() call with weights
# (10, 3, 1) would weigh term frequencies before bm25's saturation, which squashes a title match to about
# twice a body match; the sum keeps the 10:3:1 ratios of PostgreSQL's weighted ts_rank_cd.
_RELEVANCE = (
    f"-(10.0 * bm25({TABLE}, 1.0, 0.0, 0.0, 0.0) + 3.0 * bm25({TABLE}, 0.0, 1.0, 0.0, 0.0)"
    f" + bm25({TABLE}, 0.0, 0.0, 1.0, 0.0))"
)


def upsert(cursor: CursorWrapper, documents: Sequence[Document]) -> None:
    if not documents:
        return
    # FTS5 has no ON CONFLICT clause; delete then insert, in the caller's transaction.
    cursor.executemany(f"DELETE FROM {TABLE} WHERE rowid = %s", [(doc.article_id,) for doc in documents])
    rows = [
        (
            doc.article_id,
            " ".join(terms(doc.title, doc.analyzer)),
            " ".join(terms(doc.lead, doc.analyzer)),
            " ".join(terms(doc.text, doc.analyzer)),
            analyzer_token(doc.analyzer),
        )
        for doc in documents
    ]
    cursor.executemany(f"INSERT INTO {TABLE} (rowid, title, lead, body, analyzer) VALUES (%s, %s, %s, %s, %s)", rows)


def delete(cursor: CursorWrapper, article_ids: Sequence[int]) -> None:
    cursor.executemany(f"DELETE FROM {TABLE} WHERE rowid = %s", [(article_id,) for article_id in article_ids])


def clear(cursor: CursorWrapper) -> None:
    cursor.execute(f"DELETE FROM {TABLE}")


def optimize(cursor: CursorWrapper) -> None:
    """Merge the index b-trees into one after a rebuild (FTS5's 'optimize' command)."""
    cursor.execute(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('optimize')")


def hits(cursor: CursorWrapper, query: str, analyzers: Sequence[str]) -> tuple[str, list[object]] | None:
    """SQL of (article_id, relevance) rows, one SELECT per analyzer that leaves query terms; None if none."""
    selects: list[str] = []
    params: list[object] = []
    for analyzer in analyzers:
        words = query_terms(query, analyzer)
        if words:
            selects.append(f"SELECT rowid, {_RELEVANCE} FROM {TABLE} WHERE {TABLE} MATCH %s")
            token = analyzer_token(analyzer)
            params.append(f'{{title lead body}} : ({_match_expression(words)}) AND analyzer : "{token}"')
    return (" UNION ALL ".join(selects), params) if selects else None


def analyzer_token(analyzer: str) -> str:
    """The analyzer column's token: the analyzer key, "und" (undetermined) for the "" analyzer."""
    return analyzer or "und"


def article_index_hint(table_alias: str) -> str:
    """Read the ranked articles through the narrow covering index (id, source, language, published_at):
    the rows themselves are wide (text, html), so reaching published_at in the table walks each row's
    overflow pages (80 ms against 42 ms for 22,000 matches). SQLite's planner prefers the rowid, hence the hint."""
    return f"{table_alias} INDEXED BY article_search_rank_idx"


def _match_expression(words: Sequence[str]) -> str:
    """Every term as an FTS5 string ("..."), implicitly ANDed: no user text reaches FTS5's query syntax."""
    return " ".join('"{}"'.format(word.replace('"', '""')) for word in words)


def age_days_sql(published: str) -> str:
    """Days from `published` (Django's UTC text) to the %s parameter, at least 0."""
    return f"MAX(0.0, julianday(%s) - julianday({published}))"
