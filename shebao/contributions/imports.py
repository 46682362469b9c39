"""Importing legacy files (导入): discovery, reading, and one atomic write per file.

A file is identified by the hash of its content: importing it again adds nothing
(``unchanged``).  Each file is written in one transaction through bulk inserts; the
persons it touches are marked in the same transaction and rebuilt afterwards, so a
crash at any point leaves the database consistent and the next run completes it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction

from shebao.audit import services as audit
from shebao.contributions.bulk import insert_rows
from shebao.contributions.models import SourceFile, SourceRow
from shebao.contributions.reconcile import reconcile_pending
from shebao.ingest.headers import find_table
from shebao.ingest.readers import SUPPORTED_SUFFIXES, FileRejected, read_file
from shebao.ingest.rows import RowOutcome, RowReader
from shebao.people.models import Employer, Person
from shebao.rules import idnumber
from shebao.rules.dates import parse_reporting_month, year_in_title
from shebao.rules.months import from_year_month
from shebao.rules.names import normalise_name

log = logging.getLogger(__name__)

FILE_LEVEL_ROW = 0  # "row" of a rejection that concerns the whole file


@dataclass
class FileToImport:
    path: Path  # where it is on disk
    display: str  # as reported: relative to the PATH argument, "/" separated, NFC


@dataclass
class ImportReport:
    files: int = 0
    rows: int = 0
    accepted: int = 0
    skipped: int = 0
    rejected: list[dict] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    persons: int = 0
    file_errors: list[dict] = field(default_factory=list)  # also in ``rejected``; kept apart for the UI

    def as_json(self) -> dict:
        key = lambda r: (r["file"], r.get("sheet") or "", r.get("row") or 0)  # noqa: E731
        return {
            "files": self.files,
            "rows": self.rows,
            "accepted": self.accepted,
            "skipped": self.skipped,
            "rejected": sorted(self.rejected, key=key),
            "ignored": sorted(self.ignored),
            "unchanged": sorted(self.unchanged),
            "warnings": sorted(self.warnings, key=key),
            "persons": self.persons,
        }


def _display(text: str) -> str:
    """A path as reported: "/" separators, NFC, and always valid text.

    A name that is not UTF-8 on disk (GBK names from Chinese Windows, unpacked on Linux)
    arrives with surrogate escapes; read it as GB18030, else show the bytes replaced."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raw = os.fsencode(text)
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            text = raw.decode("utf-8", errors="replace")
    return unicodedata.normalize("NFC", text.replace("\\", "/"))


def discover(paths: Iterable[str | Path], report: ImportReport) -> list[FileToImport]:
    """Files to import under the given files and folders (recursively), in a stable order."""
    found: list[FileToImport] = []
    for given in paths:
        given = Path(given)
        if given.is_dir():
            for path in sorted(given.rglob("*")):
                relative = _display(path.relative_to(given).as_posix())
                if path.is_dir():
                    continue
                if not path.is_file():  # dangling link, FIFO, socket: listed, never read
                    report.ignored.append(relative)
                    continue
                if path.suffix.lower() in SUPPORTED_SUFFIXES and not path.name.startswith((".", "~$")):
                    found.append(FileToImport(path, relative))
                else:
                    report.ignored.append(relative)
        elif given.is_file():
            if given.suffix.lower() in SUPPORTED_SUFFIXES:
                found.append(FileToImport(given, _display(given.name)))
            else:
                report.ignored.append(_display(given.name))
        else:
            _file_rejected(
                report, _display(str(given)), "unreadable_file", "文件或文件夹不存在 (no such file or folder)"
            )
    return found


@dataclass
class ParsedFile:
    display: str
    content_hash: str
    size: int
    kinds: list[str]
    employer_text: str
    reporting_month: int | None
    outcomes: list[tuple[str | None, RowOutcome]]  # (sheet, outcome)
    warnings: list[dict]
    ignored_sheets: list[str]


def _reporting(table) -> tuple[int | None, int | None, bool]:
    """(reporting month, reporting year, found) of a table, from 填报日期 or the title's year."""
    month = parse_reporting_month(table.reporting_text) if table.reporting_text else None
    if month is not None:
        return month, month // 12, True
    year = year_in_title(table.title_text) if table.title_text else None
    if year is not None:
        return from_year_month(year, 12), year, True
    return None, None, False


def parse_file(item: FileToImport, data: bytes, content_hash: str, mapping=None) -> ParsedFile:
    """Read and normalise every row of one file; raises FileRejected for file-level faults."""
    sheets = read_file(item.path, data)
    parsed = ParsedFile(item.display, content_hash, len(data), [], "", None, [], [], [])
    for sheet in sheets:
        table = find_table(sheet, mapping)
        if table is None:
            parsed.ignored_sheets.append(f"{item.display}:{sheet.name}" if sheet.name else item.display)
            continue
        employer = normalise_name(table.employer_text or "") or None
        reporting_month, reporting_year, found = _reporting(table)
        if table.kind == "roster" and not found:
            parsed.warnings.append(
                {
                    "file": item.display,
                    "sheet": sheet.name,
                    "row": None,
                    "code": "no_reporting_date",
                    "message": "花名册未写填报日期，标题中也没有年份：无离厂日期的人员不能证明在职期间",
                }
            )
        if table.kind in ("roster", "backpay") and not employer:
            parsed.warnings.append(
                {
                    "file": item.display,
                    "sheet": sheet.name,
                    "row": None,
                    "code": "no_employer",
                    "message": "表头上方未找到单位名称（填报单位/标题）",
                }
            )
        parsed.kinds.append(table.kind)
        parsed.employer_text = parsed.employer_text or (employer or "")
        if parsed.reporting_month is None:
            parsed.reporting_month = reporting_month
        reader = RowReader(
            table, employer=employer, reporting_month=reporting_month, reporting_year=reporting_year
        )
        for outcome in reader.outcomes():
            parsed.outcomes.append((sheet.name, outcome))
            for code, message in outcome.warnings:
                parsed.warnings.append(
                    {
                        "file": item.display,
                        "sheet": sheet.name,
                        "row": outcome.row,
                        "code": code,
                        "message": message,
                    }
                )
    if not parsed.kinds:
        raise FileRejected(
            "unknown_columns",
            "未能识别表头：没有一个工作表含有身份证号和姓名等可识别的列 (no recognisable header)",
        )
    return parsed


def _person_ids(numbers: list[str]) -> dict[str, int]:
    """ID number -> person id, in chunks that stay under SQLite's parameter limit."""
    found: dict[str, int] = {}
    for start in range(0, len(numbers), 900):
        chunk = numbers[start : start + 900]
        found.update(Person.objects.filter(id_number__in=chunk).values_list("id_number", "id"))
    return found


def _write(parsed: ParsedFile, user, region_code: str = "") -> set[int]:
    """One atomic write of a parsed file; returns the ids of the persons it touched."""
    accepted = [(sheet, o) for sheet, o in parsed.outcomes if o.status == "accepted"]
    with transaction.atomic():
        source = SourceFile.objects.create(
            path=parsed.display,
            content_hash=parsed.content_hash,
            size=parsed.size,
            kinds=",".join(sorted(set(parsed.kinds))),
            region_code=region_code,
            employer_text=parsed.employer_text,
            reporting_month=parsed.reporting_month,
            rows=len(parsed.outcomes),
            accepted=len(accepted),
            skipped=sum(1 for _, o in parsed.outcomes if o.status == "skipped"),
            rejected=sum(1 for _, o in parsed.outcomes if o.status == "rejected"),
            warnings=parsed.warnings,
            imported_by=user if getattr(user, "pk", None) else None,
        )
        employer_names = sorted({o.employer for _, o in accepted if o.employer})
        existing = dict(Employer.objects.filter(name__in=employer_names).values_list("name", "id"))
        new = [Employer(name=name) for name in employer_names if name not in existing]
        if new:
            Employer.objects.bulk_create(new, batch_size=1000)
            existing = dict(Employer.objects.filter(name__in=employer_names).values_list("name", "id"))

        numbers = sorted({o.id_number for _, o in accepted})
        person_ids = _person_ids(numbers)
        missing = [n for n in numbers if n not in person_ids]
        if missing:
            to_create = []
            for number in missing:
                parsed_id = idnumber.parse(number)
                to_create.append(
                    Person(
                        id_number=number,
                        sex=parsed_id.sex,
                        birth_date=parsed_id.birth_date,
                        needs_reconcile=True,
                    )
                )
            Person.objects.bulk_create(to_create, batch_size=1000)
            person_ids.update(_person_ids(missing))

        def evidence():
            for sheet, outcome in parsed.outcomes:
                if outcome.status == "skipped":
                    continue
                data = outcome.data
                accepted_row = outcome.status == "accepted"
                if accepted_row:
                    data = dict(data, name=outcome.name)
                    if outcome.former_id:
                        data["former_id"] = outcome.former_id
                yield (
                    source.pk,
                    sheet or "",
                    outcome.row,
                    outcome.kind,
                    outcome.status,
                    outcome.reason,
                    outcome.content_hash,
                    outcome.cells,
                    data,
                    person_ids.get(outcome.id_number) if accepted_row else None,
                    existing.get(outcome.employer) if outcome.employer else None,
                )

        insert_rows(
            SourceRow,
            [
                "source_file",
                "sheet",
                "row",
                "kind",
                "status",
                "reason",
                "content_hash",
                "cells",
                "data",
                "person",
                "employer",
            ],
            evidence(),
        )
        touched = {person_ids[n] for n in numbers}
        ids = sorted(touched)
        for start in range(0, len(ids), 900):
            Person.objects.filter(pk__in=ids[start : start + 900]).update(needs_reconcile=True)
        audit.record(
            user,
            "import.file",
            object_type="source_file",
            object_id=source.pk,
            detail={
                "file": parsed.display,
                "rows": source.rows,
                "accepted": source.accepted,
                "rejected": source.rejected,
                "persons": len(touched),
            },
        )
    return touched


def import_paths(
    paths: Iterable[str | Path],
    *,
    user=None,
    dry_run: bool = False,
    mapping=None,
    progress: Callable[[str], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    region_code: str | None = None,
) -> ImportReport:
    """Import files and folders; returns the report of the contract's ``import --json``."""
    report = ImportReport()
    if region_code is None:
        from django.conf import settings

        from shebao.rules.policy import load_policy

        region_code = load_policy(os.environ.get("SHEBAO_POLICY") or settings.SHEBAO_POLICY or None).code
    items = discover(paths, report)
    if on_start:
        on_start(len(items))
    seen_hashes: set[str] = set()
    touched: set[int] = set()
    would_touch: set[str] = set()
    for item in items:
        report.files += 1
        try:
            data = item.path.read_bytes()
        except OSError as exc:
            _file_rejected(report, item.display, "unreadable_file", f"无法读取文件 ({exc.strerror})")
            if progress:
                progress(item.display)
            continue
        content_hash = hashlib.sha256(data).hexdigest()
        if content_hash in seen_hashes or SourceFile.objects.filter(content_hash=content_hash).exists():
            report.unchanged.append(item.display)
            if progress:
                progress(item.display)
            continue
        seen_hashes.add(content_hash)
        try:
            parsed = parse_file(item, data, content_hash, mapping)
        except FileRejected as rejection:
            _file_rejected(report, item.display, rejection.reason, rejection.message)
            if progress:
                progress(item.display)
            continue
        report.ignored.extend(parsed.ignored_sheets)
        report.warnings.extend(parsed.warnings)
        for sheet, outcome in parsed.outcomes:
            report.rows += 1
            if outcome.status == "accepted":
                report.accepted += 1
            elif outcome.status == "skipped":
                report.skipped += 1
            else:
                report.rejected.append(
                    {
                        "file": item.display,
                        "sheet": sheet,
                        "row": outcome.row,
                        "reason": outcome.reason,
                        "message": outcome.message,
                    }
                )
        if dry_run:
            would_touch.update(o.id_number for _, o in parsed.outcomes if o.status == "accepted")
        else:
            try:
                touched |= _write(parsed, user, region_code)
            except IntegrityError:
                # Another import committed the same content a moment ago: nothing to add.
                if not SourceFile.objects.filter(content_hash=content_hash).exists():
                    raise
                report.unchanged.append(item.display)
        if progress:
            progress(item.display)
    if dry_run:
        report.persons = len(would_touch)
    else:
        # persons left half-done by an interrupted run are rebuilt now: they change in this run too
        report.persons = len(touched | set(reconcile_pending()))
    return report


def _file_rejected(report: ImportReport, display: str, reason: str, message: str) -> None:
    entry = {"file": display, "sheet": None, "row": FILE_LEVEL_ROW, "reason": reason, "message": message}
    report.rejected.append(entry)
    report.file_errors.append(entry)


def record_run(report: ImportReport, user, channel: str):
    """Keep the report of an import so the clerk can review it and download the rejections."""
    from shebao.contributions.models import ImportRun

    run = ImportRun.objects.create(
        user=user if getattr(user, "pk", None) else None, channel=channel, report=report.as_json()
    )
    return run
