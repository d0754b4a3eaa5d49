"""The story log is append-only, enforced by the database, as the moderation log is (see its 0002).

PostgreSQL also refuses DELETE. SQLite cannot: Django's test runner empties tables with DELETE between
transactional tests; there the app never deletes (no service does and the admin has no delete permission).
"""

from django.db import migrations

_SQLITE = [
    """CREATE TRIGGER story_log_no_update BEFORE UPDATE ON articles_storyaction
       BEGIN SELECT RAISE(ABORT, 'the story log is append-only'); END""",
]
_SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS story_log_no_update"]

_POSTGRES = [
    """CREATE FUNCTION story_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'the story log is append-only'; END; $$""",
    """CREATE TRIGGER story_log_no_change BEFORE UPDATE OR DELETE ON articles_storyaction
       FOR EACH ROW EXECUTE FUNCTION story_log_append_only()""",
]
_POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS story_log_no_change ON articles_storyaction",
    "DROP FUNCTION IF EXISTS story_log_append_only()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_stories")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": _SQLITE, "postgresql": _POSTGRES}),
            _run({"sqlite": _SQLITE_REVERSE, "postgresql": _POSTGRES_REVERSE}),
        ),
    ]
