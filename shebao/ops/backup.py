"""Online, consistent backups and restores (备份与恢复).

SQLite: the SQLite online backup API copies a consistent snapshot while the web UI and
imports keep running.  PostgreSQL: ``pg_dump`` in its custom format (a consistent
snapshot by MVCC) and ``pg_restore``.  Each backup gets a manifest beside it (checksum,
table row counts) so ``verify`` can prove the file is whole and restorable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection


class BackupError(RuntimeError):
    pass


def _engine() -> str:
    return "sqlite" if connection.vendor == "sqlite" else connection.vendor


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".manifest.json")


def table_counts() -> dict[str, int]:
    """Row counts of every shebao table: what a restore must give back."""
    counts = {}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if model._meta.app_label in {"contenttypes", "sessions", "admin"}:
                continue
            table = model._meta.db_table
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 — table names come from the models
            counts[table] = cursor.fetchone()[0]
    return counts


def _pg_env() -> tuple[list[str], dict]:
    db = connection.settings_dict
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = [
        "-h",
        db.get("HOST") or "127.0.0.1",
        "-p",
        str(db.get("PORT") or 5432),
        "-U",
        db.get("USER") or "postgres",
    ]
    return args, env


def backup(destination: Path) -> dict:
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    engine = _engine()
    counts = table_counts()
    if engine == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(destination)
        try:
            with target:
                connection.connection.backup(target)
        finally:
            target.close()
    elif engine == "postgresql":
        args, env = _pg_env()
        name = connection.settings_dict["NAME"]
        result = subprocess.run(
            ["pg_dump", *args, "-Fc", "-f", str(destination), name], env=env, capture_output=True, text=True
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    else:
        raise BackupError(f"backups of {engine} are not supported")
    manifest = {
        "engine": engine,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "sha256": _sha256(destination),
        "size": destination.stat().st_size,
        "counts": counts,
    }
    _manifest_path(destination).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    os.chmod(destination, 0o600)  # it holds personal data
    return manifest


@dataclass
class VerifyResult:
    ok: bool
    problem: str = ""


def verify(path: Path) -> VerifyResult:
    """The file matches its manifest and, for SQLite, opens, passes integrity_check and has the counts."""
    path = Path(path)
    manifest_file = _manifest_path(path)
    if not path.exists() or not manifest_file.exists():
        return VerifyResult(False, f"{path} or its manifest is missing")
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    if _sha256(path) != manifest["sha256"]:
        return VerifyResult(
            False, "checksum differs from the manifest: the file was changed or is incomplete"
        )
    if manifest["engine"] == "sqlite":
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                return VerifyResult(False, "SQLite integrity_check failed")
            for table, count in manifest["counts"].items():
                got = db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
                if got != count:
                    return VerifyResult(False, f"{table}: {got} rows, manifest says {count}")
        finally:
            db.close()
    else:
        result = subprocess.run(["pg_restore", "--list", str(path)], capture_output=True, text=True)
        if result.returncode != 0:
            return VerifyResult(False, f"pg_restore cannot read it: {result.stderr.strip()}")
    return VerifyResult(True)


def restore(path: Path) -> dict:
    """Replace the current database with the backup (after verifying it)."""
    path = Path(path)
    checked = verify(path)
    if not checked.ok:
        raise BackupError(f"not restoring: {checked.problem}")
    manifest = json.loads(_manifest_path(path).read_text(encoding="utf-8"))
    if manifest["engine"] != _engine():
        raise BackupError(f"backup is {manifest['engine']}, the database is {_engine()}")
    if manifest["engine"] == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        args, env = _pg_env()
        name = connection.settings_dict["NAME"]
        connection.close()
        result = subprocess.run(
            ["pg_restore", *args, "--clean", "--if-exists", "--no-owner", "-d", name, str(path)],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    counts = table_counts()
    if counts != manifest["counts"]:
        raise BackupError("restored row counts differ from the backup's manifest")
    return manifest


def default_backup_path() -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = "sqlite3" if _engine() == "sqlite" else "pgdump"
    return Path(settings.VAR_DIR) / "backups" / f"shebao-{stamp}.{suffix}"
