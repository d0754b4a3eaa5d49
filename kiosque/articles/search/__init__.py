"""Full-text search of articles: one interface, an SQLite FTS5 back-end and a PostgreSQL tsvector back-end.

    index_article(article)          add or replace one article's search document (article_ingest calls it)
    unindex_article(article_id)     remove it
    reindex_all() -> int            rebuild everything (after a migration, or to drop stale documents)
    search_articles(query, language=..., source_id=..., since=..., until=..., limit=20, offset=0) -> SearchPage

Analysis (normalisation, stop words, Arabic prefixes, Snowball stemming) is in text.py, the ranking formula
in base.py, database-specific SQL in sqlite.py and postgres.py (and migration 0002_search).
"""

from kiosque.articles.search.base import SearchPage, index_article, reindex_all, search_articles, unindex_article

__all__ = ["SearchPage", "index_article", "reindex_all", "search_articles", "unindex_article"]
