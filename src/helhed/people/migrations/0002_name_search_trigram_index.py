"""On PostgreSQL, a trigram index so that name search ("contains ' word'") uses an index.

Name search matches each folded word as a prefix of any word of the folded name, which a
B-tree cannot serve; pg_trgm's GIN index can. SQLite (embedded) scans, which is fine at
its sizes. Creating the extension needs a role allowed to (see docs/running.md).
"""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS people_citizen_name_trgm "
        "ON people_citizen USING gin (name_folded gin_trgm_ops)"
    )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS people_citizen_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("people", "0001_citizens_relations_history")]
    operations = [migrations.RunPython(forward, backward)]
