"""Minimum contribution months by retirement year: every row of the official table."""

import csv
from pathlib import Path

import pytest

from shebao.rules.minimum import contribution_total, minimum_contribution, minimum_months
from shebao.rules.months import parse_month

DATA = Path(__file__).resolve().parents[2] / "shebao" / "rules" / "data"

with open(DATA / "minimum-contribution.csv", encoding="utf-8", newline="") as f:
    ROWS = [(int(r["retirement_year"]), int(r["minimum_months"])) for r in csv.DictReader(f)]


@pytest.mark.parametrize(("year", "months"), ROWS)
def test_official_table_row(year, months):
    assert minimum_months(year) == months
    assert minimum_contribution(year).months == months


@pytest.mark.parametrize(("year", "months"), [(1998, 180), (2025, 180), (2040, 240), (2060, 240)])
def test_outside_the_table(year, months):
    assert minimum_months(year) == months


def test_explanation_shows_the_steps():
    result = minimum_contribution(2033)
    assert any("180 + 6 × (2033 − 2029) = 204" in s for s in result.explain.steps)
    assert all(p.source for p in result.explain.parameters)


def test_contribution_total_counts_each_month_once_up_to_as_of():
    paid = [parse_month("2000-01"), parse_month("2000-01"), parse_month("2000-02"), parse_month("2030-01")]
    total = contribution_total(paid, 10, as_of=parse_month("2026-10"))
    assert (total.paid_months, total.deemed_months, total.total) == (2, 10, 12)
    assert total.years == (1, 0)
    assert total.to_dict()["as_of"] == "2026-10"
