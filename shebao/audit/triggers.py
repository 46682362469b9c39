"""Database triggers that refuse UPDATE and DELETE on the audit table (SQLite and PostgreSQL).

The ORM already refuses (``AuditEntry.save``/``delete``); the triggers also stop any other
client of the database.  Someone with full database access can still drop them: the
hash chain (``shebao audit verify``) is what detects that kind of tampering.
"""

from __future__ import annotations

TABLE = "audit_auditentry"

_SQLITE_CREATE = [
    f"""CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
]
_SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_no_update", "DROP TRIGGER IF EXISTS audit_no_delete"]

_PG_CREATE = [
    """CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit log is append-only'; END; $$ LANGUAGE plpgsql""",
    f"DROP TRIGGER IF EXISTS audit_no_change ON {TABLE}",
    f"""CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION audit_append_only()""",
]
_PG_DROP = [f"DROP TRIGGER IF EXISTS audit_no_change ON {TABLE}"]


def _statements(vendor: str, create: bool) -> list[str]:
    if vendor == "sqlite":
        return _SQLITE_CREATE if create else _SQLITE_DROP
    if vendor == "postgresql":
        return _PG_CREATE if create else _PG_DROP
    return []


def create(connection) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, True):
            cursor.execute(sql)


def drop(connection) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, False):
            cursor.execute(sql)
