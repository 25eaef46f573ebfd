"""On PostgreSQL, refuse UPDATE and DELETE on the access log at the database level.

Row triggers do not fire on TRUNCATE, which is how tests reset tables. SQLite (the
embedded demo profile) has only the model-level guard: its test flush uses DELETE.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

FORWARD = """
CREATE OR REPLACE FUNCTION helhed_refuse_access_log_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'core_accesslogentry is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_accesslogentry_append_only
    BEFORE UPDATE OR DELETE ON core_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION helhed_refuse_access_log_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS core_accesslogentry_append_only ON core_accesslogentry;
DROP FUNCTION IF EXISTS helhed_refuse_access_log_change();
"""


def forward(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_outbox_and_access_log")]
    operations = [migrations.RunPython(forward, backward)]
