"""Search speed at 100,000 articles (bench/serve.py): the SQLite FTS5 table's `analyzer` column becomes indexed
(matched inside the FTS5 query instead of read from each match's stored row), and a covering index lets the
ranking read source, language and publication date without touching the wide article rows.

The FTS5 table is rebuilt by copying its rows (terms are already analysed): no re-analysis, seconds at 100k.
"""

from django.db import migrations, models

_COPY = "INSERT INTO {new} (rowid, title, lead, body, analyzer) SELECT rowid, title, lead, body, {value} FROM {old}"
FORWARD = [
    "CREATE VIRTUAL TABLE articles_search_new USING fts5(title, lead, body, analyzer, tokenize = 'ascii')",
    _COPY.format(new="articles_search_new", old="articles_search",
                 value="CASE analyzer WHEN '' THEN 'und' ELSE analyzer END"),
    "DROP TABLE articles_search",
    "ALTER TABLE articles_search_new RENAME TO articles_search",
    "INSERT INTO articles_search (articles_search) VALUES ('optimize')",
]
BACKWARD = [
    "CREATE VIRTUAL TABLE articles_search_old USING fts5(title, lead, body, analyzer UNINDEXED, tokenize = 'ascii')",
    _COPY.format(new="articles_search_old", old="articles_search",
                 value="CASE analyzer WHEN 'und' THEN '' ELSE analyzer END"),
    "DROP TABLE articles_search",
    "ALTER TABLE articles_search_old RENAME TO articles_search",
]


def _sqlite_only(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":  # PostgreSQL's tsvector table is unchanged
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_article_updated_at_index"),
        ("sources", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(_sqlite_only(FORWARD), _sqlite_only(BACKWARD), elidable=False),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["id", "source", "language", "published_at"], name="article_search_rank_idx"),
        ),
    ]
