"""Triggers refusing UPDATE and DELETE on the audit table (SQLite and PostgreSQL only)."""

from django.db import migrations


def create_triggers(apps, schema_editor):
    from shebao.audit import triggers

    if schema_editor.connection.vendor in ("sqlite", "postgresql"):
        triggers.create(schema_editor.connection)


def drop_triggers(apps, schema_editor):
    from shebao.audit import triggers

    if schema_editor.connection.vendor in ("sqlite", "postgresql"):
        triggers.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
