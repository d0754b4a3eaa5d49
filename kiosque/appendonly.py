"""A database-enforced append-only table, for the audit logs (moderation decisions, story edits).

UPDATE is refused on every database. PostgreSQL also refuses DELETE. SQLite cannot: Django's test runner empties
tables with DELETE between transactional tests (PostgreSQL uses TRUNCATE, which row triggers do not see); there
the app never deletes (no service does, the admin has no delete permission).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def append_only(*, table: str, name: str, what: str) -> migrations.RunPython:
    """A migration operation installing (and, reversed, removing) the triggers on `table`.

    `name` prefixes the trigger and function names; `what` is the log's name in the error message.
    """
    message = f"the {what} is append-only"
    forward = {
        "sqlite": [
            f"CREATE TRIGGER {name}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        ],
        "postgresql": [
            f"CREATE FUNCTION {name}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{message}'; END; $$",
            f"CREATE TRIGGER {name}_no_change BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}_append_only()",
        ],
    }
    backward = {
        "sqlite": [f"DROP TRIGGER IF EXISTS {name}_no_update"],
        "postgresql": [
            f"DROP TRIGGER IF EXISTS {name}_no_change ON {table}",
            f"DROP FUNCTION IF EXISTS {name}_append_only()",
        ],
    }
    return migrations.RunPython(_run(forward), _run(backward))


def _run(statements_by_vendor: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run
