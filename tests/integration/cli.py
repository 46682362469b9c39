"""Running the `shebao` command in-process, against the test database."""

from __future__ import annotations

import json

from shebao.cli import main


def run(capsys, *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(list(args))
    out = capsys.readouterr().out
    return code, out


def run_json(capsys, *args: str):
    code, out = run(capsys, *args, "--json")
    return code, json.loads(out)


# The fields truth.json holds for each person (it abbreviates: no periods, no name variants).
TRUTH_FIELDS = [
    "former_id_numbers",
    "name",
    "sex",
    "birth_date",
    "category",
    "work_start",
    "contribution_months",
    "first_paid",
    "last_paid",
    "gaps",
    "interrupted_since",
    "deemed_months",
    "arrears_months",
]


def compare_with_truth(capsys, truth: dict) -> list[str]:
    """Every difference between `shebao person --json` and a truth.json, as readable lines."""
    problems = []
    for want in truth["persons"]:
        code, got = run_json(capsys, "person", want["id_number"], "--as-of", truth["as_of"])
        if code != 0:
            problems.append(f"{want['id_number']}: exit {code}: {got}")
            continue
        for field in TRUTH_FIELDS:
            have = got.get(field)
            if field == "gaps":
                have = [{k: g[k] for k in ("from", "to", "months")} for g in have]
            if have != want[field]:
                problems.append(f"{want['id_number']} {field}: want {want[field]!r} got {have!r}")
        fields = sorted({c["field"] for c in got["conflicts"]})
        if fields != want["conflicts"]:
            problems.append(f"{want['id_number']} conflicts: want {want['conflicts']} got {fields}")
    return problems


def compare_rejections(report: dict, truth: dict) -> list[str]:
    got = sorted((r["file"], r["row"], r["reason"]) for r in report["rejected"])
    want = sorted((r["file"], r["row"], r["reason"]) for r in truth["rejected_rows"])
    return [] if got == want else [f"rejections: want {want} got {got}"]
