"""Danish full-text search over ``cases_searchentry`` (journal entries and documents).

PostgreSQL: a GIN index on ``to_tsvector('danish', title || ' ' || body)``; the queries in
``cases/search.py`` use exactly this expression, so the index serves them.

SQLite: an FTS5 table with external content on ``cases_searchentry``, kept in sync by
triggers on insert, update and delete. Tokenizer ``unicode61 remove_diacritics 0``: æ, ø
and å stay letters of their own (Danish sorts and searches them apart from a and o).

Note for later migrations on SQLite: Django rebuilds a table to alter it (new table, copy,
drop, rename), which drops its triggers. A migration that alters ``SearchEntry`` must run
``BACKWARD_SQLITE`` before and ``FORWARD_SQLITE`` after (the rebuild command refills the
index).
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

FORWARD_POSTGRES = [
    "CREATE INDEX cases_searchentry_danish_fts ON cases_searchentry "
    "USING GIN (to_tsvector('danish', title || ' ' || body))",
]
BACKWARD_POSTGRES = ["DROP INDEX IF EXISTS cases_searchentry_danish_fts"]

FORWARD_SQLITE = [
    """CREATE VIRTUAL TABLE cases_searchentry_fts USING fts5(
        title, body, content='cases_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER cases_searchentry_fts_insert AFTER INSERT ON cases_searchentry BEGIN
        INSERT INTO cases_searchentry_fts(rowid, title, body)
        VALUES (new.id, new.title, new.body);
    END""",
    """CREATE TRIGGER cases_searchentry_fts_delete AFTER DELETE ON cases_searchentry BEGIN
        INSERT INTO cases_searchentry_fts(cases_searchentry_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END""",
    """CREATE TRIGGER cases_searchentry_fts_update AFTER UPDATE ON cases_searchentry BEGIN
        INSERT INTO cases_searchentry_fts(cases_searchentry_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO cases_searchentry_fts(rowid, title, body)
        VALUES (new.id, new.title, new.body);
    END""",
    "INSERT INTO cases_searchentry_fts(cases_searchentry_fts) VALUES ('rebuild')",
]
BACKWARD_SQLITE = [
    "DROP TRIGGER IF EXISTS cases_searchentry_fts_insert",
    "DROP TRIGGER IF EXISTS cases_searchentry_fts_delete",
    "DROP TRIGGER IF EXISTS cases_searchentry_fts_update",
    "DROP TABLE IF EXISTS cases_searchentry_fts",
]


def _run(schema_editor: BaseDatabaseSchemaEditor, statements: dict[str, list[str]]) -> None:
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def forward(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run(schema_editor, {"postgresql": FORWARD_POSTGRES, "sqlite": FORWARD_SQLITE})


def backward(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run(schema_editor, {"postgresql": BACKWARD_POSTGRES, "sqlite": BACKWARD_SQLITE})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_cases_notifications_journal_documents_decisions_grants")]
    operations = [migrations.RunPython(forward, backward)]
