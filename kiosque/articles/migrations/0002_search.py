"""The full-text search index (kiosque/articles/search/): an FTS5 table on SQLite, a tsvector table with a
GIN index on PostgreSQL. No Django model: only the search package reads and writes it.

An existing database gets an empty index: run `kiosque.articles.search.reindex_all()` once after migrating.
"""

from django.db import migrations

CREATE = {
    "sqlite": [
        # Terms are analysed in Python (search/text.py); 'ascii' splits them on spaces and leaves them as they are.
        "CREATE VIRTUAL TABLE articles_search USING fts5(title, lead, body, analyzer UNINDEXED, tokenize = 'ascii')",
    ],
    "postgresql": [
        "CREATE TABLE articles_search ("
        " article_id bigint PRIMARY KEY, analyzer varchar(8) NOT NULL, document tsvector NOT NULL)",
        "CREATE INDEX articles_search_document_idx ON articles_search USING gin (document)",
    ],
}
DROP = {
    "sqlite": ["DROP TABLE articles_search"],
    "postgresql": ["DROP TABLE articles_search"],
}


def _run(statements):
    def run(apps, schema_editor):
        # Other databases get no index; the search package then refuses to run with a clear error.
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
