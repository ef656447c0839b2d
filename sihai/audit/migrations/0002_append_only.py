"""The chain head row, and on PostgreSQL a trigger that makes both logs append-only.

UPDATE is always refused; DELETE only inside a transaction that set
``sihai.audit_purge = 'on'`` (what `sihai audit purge` does after checking the
retention period). SQLite has no such guard: the hash chain still detects changes.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

FUNCTION = """
CREATE OR REPLACE FUNCTION sihai_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('sihai.audit_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'sihai: % is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
TABLES = ("audit_auditentry", "audit_accesslogentry")


def create_head(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("audit", "AuditChain").objects.get_or_create(pk=1)


def add_triggers(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION sihai_audit_append_only()"
        )


def drop_triggers(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS sihai_audit_append_only()")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [
        migrations.RunPython(create_head, migrations.RunPython.noop),
        migrations.RunPython(add_triggers, drop_triggers),
    ]
