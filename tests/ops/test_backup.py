"""backup → restore gives identical data; a damaged backup is refused."""

from pathlib import Path

import pytest

from shebao.audit.services import verify as verify_audit
from shebao.contributions.models import SourceRow
from shebao.people.models import Person
from tests.integration.cli import run, run_json

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "legacy-baoding"
pytestmark = pytest.mark.django_db(transaction=True)


def snapshot(capsys) -> list:
    return [
        run_json(capsys, "person", number, "--as-of", "2026-11")[1]
        for number in sorted(Person.objects.values_list("id_number", flat=True))
    ]


def test_backup_restore_gives_identical_data(capsys, tmp_path):
    run_json(capsys, "import", str(SAMPLE))
    before = snapshot(capsys)
    rows_before = SourceRow.objects.count()
    target = tmp_path / "backup.db"
    code, out = run(capsys, "backup", str(target))
    assert code == 0 and target.exists()
    assert run(capsys, "backup", "--verify", str(target))[0] == 0

    SourceRow.objects.filter(kind="card").delete()  # lose data after the backup
    Person.objects.filter(id_number="130603195602062393").update(name="改坏了")

    code, out = run(capsys, "restore", str(target))
    assert code == 0, out
    assert SourceRow.objects.count() == rows_before
    assert snapshot(capsys) == before
    assert verify_audit().ok


def test_a_damaged_backup_is_refused(capsys, tmp_path):
    run_json(capsys, "import", str(SAMPLE / "annual"))
    target = tmp_path / "backup.db"
    run(capsys, "backup", str(target))
    with target.open("r+b") as handle:
        handle.seek(5000)
        handle.write(b"\x00garbage\x00")
    assert run(capsys, "backup", "--verify", str(target))[0] == 1
    assert run(capsys, "restore", str(target))[0] == 1
