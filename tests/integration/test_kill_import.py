"""`kill -9` in the middle of a large import leaves the database consistent; importing again completes it.

Runs the real `shebao` command in a child process against its own database (a SQLite
file, or a fresh PostgreSQL database when the suite runs on PostgreSQL), kills it with
SIGKILL once some files are committed, checks consistency, re-runs the import and
compares every person with the bundle's truth.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid

import pytest
from django.db import connection

from shebao.demo.generator import generate_bundle

HISTORY_FIELDS = [
    "contribution_months",
    "first_paid",
    "last_paid",
    "gaps",
    "interrupted_since",
    "deemed_months",
    "arrears_months",
    "name",
    "former_id_numbers",
    "work_start",
    "category",
]

DUMP_PERSONS = """
import json, sys
from shebao.cli import _setup_django
_setup_django()
from shebao.people.models import Person
from shebao.people.selectors import person_json
from shebao.rules.months import parse_month
for number in json.loads(sys.argv[1]):
    person = Person.objects.get(id_number=number)
    print(json.dumps(person_json(person, parse_month("1987-01"), parse_month(sys.argv[2])), ensure_ascii=False))
"""


class Database:
    """A throw-away database of the same kind the suite runs on, and raw SQL on it."""

    def __init__(self, tmp_path):
        self.vendor = connection.vendor
        if self.vendor == "sqlite":
            self.path = tmp_path / "killed.sqlite3"
            self.url = str(self.path)
        else:
            settings = connection.settings_dict
            self.name = f"shebao_kill_{uuid.uuid4().hex[:8]}"
            self.server = dict(
                host=settings["HOST"] or "127.0.0.1",
                port=settings["PORT"] or 5432,
                user=settings["USER"] or "postgres",
                password=settings.get("PASSWORD") or None,
            )
            self._admin(f'CREATE DATABASE "{self.name}"')
            auth = self.server["user"] + (f":{self.server['password']}" if self.server["password"] else "")
            self.url = f"postgres://{auth}@{self.server['host']}:{self.server['port']}/{self.name}"

    def _admin(self, sql):
        import psycopg

        with psycopg.connect(dbname="postgres", autocommit=True, **self.server) as admin:
            admin.execute(sql)

    def query(self, sql):
        if self.vendor == "sqlite":
            with sqlite3.connect(self.path, timeout=30) as db:
                return db.execute(sql).fetchall()
        import psycopg

        with psycopg.connect(dbname=self.name, **self.server) as db:
            return db.execute(sql).fetchall()

    def drop(self):
        if self.vendor != "sqlite":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def database(tmp_path):
    db = Database(tmp_path)
    yield db
    db.drop()


def _shebao(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "shebao.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        **kwargs,
    )


def _count(database, table) -> int:
    try:
        return database.query(f"SELECT COUNT(*) FROM {table}")[0][0]
    except Exception:  # the table may not exist yet, or the database is busy: not counted yet
        return 0


def test_kill_9_mid_import_then_import_again(tmp_path, database):
    truth = generate_bundle(tmp_path / "bundle", persons=500, seed=17)
    env = dict(os.environ, SHEBAO_DB=database.url, SHEBAO_VAR=str(tmp_path / "var"), SHEBAO_POLICY="")
    assert _shebao(env, "init").returncode == 0

    child = subprocess.Popen(
        [sys.executable, "-m", "shebao.cli", "import", str(tmp_path / "bundle"), "--json"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while _count(database, "contributions_sourcefile") < 2 and time.monotonic() < deadline:
        assert child.poll() is None, "the import finished before it could be killed"
        time.sleep(0.02)
    assert child.poll() is None, "the import finished before it could be killed"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL

    # Consistent: every committed file has all of its rows; no rows or persons without a file.
    files = database.query("SELECT id, accepted, rejected FROM contributions_sourcefile")
    assert 0 < len(files) < 30
    for file_id, accepted, rejected in files:
        stored = database.query(
            f"SELECT COUNT(*) FROM contributions_sourcerow WHERE source_file_id = {file_id}"
        )
        assert stored[0][0] == accepted + rejected
    orphans = database.query(
        "SELECT COUNT(*) FROM people_person p WHERE NOT EXISTS "
        "(SELECT 1 FROM contributions_sourcerow r WHERE r.person_id = p.id)"
    )
    assert orphans[0][0] == 0

    again = _shebao(env, "import", str(tmp_path / "bundle"), "--json")
    assert again.returncode == 0, again.stderr[-2000:]
    report = json.loads(again.stdout)
    assert len(report["unchanged"]) == len(files)
    assert _count(database, "people_person WHERE needs_reconcile") == 0

    numbers = [p["id_number"] for p in truth["persons"]]
    dumped = subprocess.run(
        [sys.executable, "-c", DUMP_PERSONS, json.dumps(numbers), truth["as_of"]],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    got = [json.loads(line) for line in dumped.stdout.splitlines()]
    wrong = []
    for want, have in zip(truth["persons"], got, strict=True):
        for field in HISTORY_FIELDS:
            value = have[field]
            if field == "gaps":
                value = [{k: g[k] for k in ("from", "to", "months")} for g in value]
            if value != want[field]:
                wrong.append(f"{want['id_number']} {field}: want {want[field]} got {value}")
    assert wrong == [], "\n".join(wrong[:10])
