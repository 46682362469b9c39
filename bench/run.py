"""Benchmarks: import throughput and counter look-up latency, each beside a baseline measured in the same run.

    .venv/bin/python bench/run.py [--persons 2000] [--lookups 300]

Baselines:
- import: the same number of rows written with a plain sqlite3 ``executemany`` into one
  table in one transaction — the floor any import into SQLite can reach on this machine;
- look-up: a bare indexed ``SELECT`` of the person row by ID number — the floor of any look-up.
Nothing here asserts a time; the figures are printed for people to compare.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=2000)
    parser.add_argument("--lookups", type=int, default=300)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="shebao-bench-"))
    os.environ["SHEBAO_DB"] = str(work / "bench.sqlite3")
    os.environ["SHEBAO_VAR"] = str(work / "var")
    os.environ["DJANGO_SETTINGS_MODULE"] = "shebao.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from shebao.contributions.imports import import_paths
    from shebao.contributions.models import SourceRow
    from shebao.demo.generator import generate_bundle
    from shebao.people import selectors
    from shebao.rules.months import parse_month

    bundle = work / "bundle"
    started = time.perf_counter()
    truth = generate_bundle(bundle, persons=args.persons, seed=7)
    print(f"bundle: {args.persons} persons generated in {time.perf_counter() - started:.2f} s")

    started = time.perf_counter()
    import_paths([bundle], dry_run=True)
    read_seconds = time.perf_counter() - started

    started = time.perf_counter()
    report = import_paths([bundle])
    import_seconds = time.perf_counter() - started
    rows = report.rows

    # Baseline: the same number of rows, of similar width, with executemany in one transaction.
    sample_rows = list(SourceRow.objects.values_list("cells", "data")[:1000])
    payload = [(json.dumps(c, ensure_ascii=False), json.dumps(d)) for c, d in sample_rows]
    baseline_db = sqlite3.connect(work / "baseline.sqlite3")
    baseline_db.execute("PRAGMA journal_mode=WAL")
    baseline_db.execute(
        "CREATE TABLE evidence (id INTEGER PRIMARY KEY, cells TEXT, data TEXT, person INTEGER)"
    )
    baseline_db.execute("CREATE INDEX evidence_person ON evidence(person)")
    started = time.perf_counter()
    with baseline_db:
        baseline_db.executemany(
            "INSERT INTO evidence (cells, data, person) VALUES (?, ?, ?)",
            (
                (payload[i % len(payload)][0], payload[i % len(payload)][1], i % args.persons)
                for i in range(rows)
            ),
        )
    baseline_seconds = time.perf_counter() - started
    print(
        f"import:   {rows} rows in {import_seconds:.2f} s = {rows / import_seconds:,.0f} rows/s "
        "(read, normalise, write, reconcile)"
    )
    print(f"  alone:  reading and normalising them (--dry-run, no writes) took {read_seconds:.2f} s")
    print(
        f"baseline: {rows} rows in {baseline_seconds:.2f} s = {rows / baseline_seconds:,.0f} rows/s "
        "(plain executemany, write only)"
    )

    ids = [p["id_number"] for p in truth["persons"]]
    random.Random(1).shuffle(ids)
    ids = ids[: args.lookups]
    as_of = parse_month(truth["as_of"])
    pooling = parse_month(truth["pooling_start"])
    timings = []
    for number in ids:
        started = time.perf_counter()
        found = selectors.find_persons(number)
        if found.persons:
            selectors.person_json(found.persons[0], pooling, as_of)
        timings.append((time.perf_counter() - started) * 1000)
    raw = sqlite3.connect(os.environ["SHEBAO_DB"])
    base_timings = []
    for number in ids:
        started = time.perf_counter()
        raw.execute("SELECT * FROM people_person WHERE id_number = ?", (number,)).fetchone()
        base_timings.append((time.perf_counter() - started) * 1000)

    def describe(values):
        values = sorted(values)
        return f"median {statistics.median(values):.2f} ms, p95 {values[int(len(values) * 0.95) - 1]:.2f} ms"

    print(f"look-up:  find + full history by ID, {len(ids)} persons: {describe(timings)}")
    print(f"baseline: indexed SELECT of the person row:            {describe(base_timings)}")


if __name__ == "__main__":
    main()
