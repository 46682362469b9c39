"""`shebao retirement --json` against the official conversion table (retirement-2025.csv)."""

import csv
import json
from pathlib import Path

import pytest

from shebao.cli import main

TABLE = Path(__file__).resolve().parents[2] / "shebao" / "rules" / "data" / "retirement-2025.csv"
MINIMUM = Path(__file__).resolve().parents[2] / "shebao" / "rules" / "data" / "minimum-contribution.csv"
ROWS = list(csv.DictReader(TABLE.open(encoding="utf-8")))
MINIMUM_BY_YEAR = {int(r["retirement_year"]): int(r["minimum_months"]) for r in csv.DictReader(MINIMUM.open())}
ARGS = {"male": ["--sex", "M"], "female55": ["--sex", "F", "--category", "cadre"],
        "female50": ["--sex", "F", "--category", "worker"]}


def minimum_for(year: int) -> int:
    if year in MINIMUM_BY_YEAR:
        return MINIMUM_BY_YEAR[year]
    return 180 if year < min(MINIMUM_BY_YEAR) else 240


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['category']}-{r['birth_month']}" for r in ROWS])
def test_retirement_json_matches_the_official_table(capsys, row):
    assert main(["retirement", "--birth", row["birth_month"], *ARGS[row["category"]], "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["retirement_age"] == {"years": int(row["age_years"]), "months": int(row["age_months"])}
    assert out["retirement_month"] == row["retirement_month"]
    assert out["minimum_contribution_months"] == minimum_for(int(row["retirement_month"][:4]))


def test_a_woman_needs_a_category(capsys):
    assert main(["retirement", "--birth", "1975-06", "--sex", "F", "--json"]) == 2
    assert "--category worker|cadre" in capsys.readouterr().err
