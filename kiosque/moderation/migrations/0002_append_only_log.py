"""The moderation log is append-only, enforced by the database: an UPDATE of a row fails whoever issues it.

PostgreSQL also refuses DELETE. SQLite cannot: Django's test runner empties tables with DELETE between
transactional tests (PostgreSQL uses TRUNCATE, which row triggers do not see); there the app never deletes
(no service does, the admin has no delete permission, and images and users with a history are protected).
"""

from django.db import migrations

_SQLITE = [
    """CREATE TRIGGER moderation_log_no_update BEFORE UPDATE ON moderation_moderationaction
       BEGIN SELECT RAISE(ABORT, 'the moderation log is append-only'); END""",
]
_SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS moderation_log_no_update"]

_POSTGRES = [
    """CREATE FUNCTION moderation_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'the moderation log is append-only'; END; $$""",
    """CREATE TRIGGER moderation_log_no_change BEFORE UPDATE OR DELETE ON moderation_moderationaction
       FOR EACH ROW EXECUTE FUNCTION moderation_log_append_only()""",
]
_POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS moderation_log_no_change ON moderation_moderationaction",
    "DROP FUNCTION IF EXISTS moderation_log_append_only()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": _SQLITE, "postgresql": _POSTGRES}),
            _run({"sqlite": _SQLITE_REVERSE, "postgresql": _POSTGRES_REVERSE}),
        ),
    ]
