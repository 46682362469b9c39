"""Statutory retirement under the 2024 decision: every row of the official conversion table."""

import csv
from pathlib import Path

import pytest

from shebao.rules.months import month_str, parse_month
from shebao.rules.retirement import RetirementError, early_retirement, statutory_retirement

DATA = Path(__file__).resolve().parents[2] / "shebao" / "rules" / "data"
SEX_CATEGORY = {"male": ("M", None), "female55": ("F", "cadre"), "female50": ("F", "worker")}


def _rows(name):
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize(
    "row", _rows("retirement-2025.csv"), ids=lambda r: f"{r['category']}-{r['birth_month']}"
)
def test_official_table_row(row):
    sex, category = SEX_CATEGORY[row["category"]]
    result = statutory_retirement(parse_month(row["birth_month"]), sex, category)
    assert result.category == row["category"]
    assert result.delay_months == int(row["delay_months"])
    assert (result.age_years, result.age_months) == (int(row["age_years"]), int(row["age_months"]))
    assert month_str(result.retirement_month) == row["retirement_month"]


def test_json_contract():
    result = statutory_retirement(parse_month("1965-01"), "M")
    data = result.to_dict()
    assert data["retirement_age"] == {"years": 60, "months": 1}
    assert data["retirement_month"] == "2025-02"
    assert data["minimum_contribution_months"] == 180
    assert data["explain"]["parameters"] and all(p["source"] for p in data["explain"]["parameters"])


def test_woman_without_category_is_a_clear_error():
    with pytest.raises(RetirementError) as err:
        statutory_retirement(parse_month("1975-01"), "F", None)
    assert err.value.reason == "category_required"
    assert "worker" in str(err.value) and "cadre" in str(err.value)


@pytest.mark.parametrize(
    ("sex", "category", "reason"), [("X", None, "bad_sex"), ("F", "manager", "bad_category")]
)
def test_bad_input(sex, category, reason):
    with pytest.raises(RetirementError) as err:
        statutory_retirement(parse_month("1975-01"), sex, category)
    assert err.value.reason == reason


@pytest.mark.parametrize(
    ("birth", "sex", "category", "minimum"),
    [
        ("1965-01", "M", None, 180),  # retires 2025-02
        ("1980-01", "F", "worker", 198),  # retires 2032-08: 180 + 3 × 6
        ("1976-09", "M", None, 240),  # retires 2039-09
        ("1975-07", "F", "cadre", 192),  # retires 2031-12
    ],
)
def test_minimum_for_the_retirement_year(birth, sex, category, minimum):
    assert statutory_retirement(parse_month(birth), sex, category).minimum_contribution_months == minimum


@pytest.mark.parametrize(
    ("birth", "sex", "category", "earliest", "latest"),
    [
        # statutory 2031-11, original 2030-06 is later than 2031-11 − 36 = 2028-11
        ("1970-06", "M", None, "2030-06", "2034-11"),
        # statutory 2040-01 (63), original 2037-01 equals 2040-01 − 36
        ("1977-01", "M", None, "2037-01", "2043-01"),
        # statutory 2039-11 (55), original 2034-11 is before 2039-11 − 36 = 2036-11
        ("1984-11", "F", "worker", "2036-11", "2042-11"),
        # no delay: earliest is the statutory month itself
        ("1969-12", "F", "cadre", "2024-12", "2027-12"),
    ],
)
def test_flexible_window(birth, sex, category, earliest, latest):
    window = statutory_retirement(parse_month(birth), sex, category).flexible
    assert (month_str(window.earliest), month_str(window.latest)) == (earliest, latest)
    assert (window.early_notice_months, window.late_notice_months) == (3, 1)


@pytest.mark.parametrize(
    ("month", "paid", "deemed", "possible", "reason"),
    [
        (None, 200, 22, True, "ok"),  # earliest 2036-11: minimum for 2036 is 222
        (None, 200, 21, False, "minimum_not_met"),
        ("2036-10", 300, 0, False, "before_earliest"),
        ("2039-11", 300, 0, False, "after_statutory"),
        ("2038-01", 234, 0, True, "ok"),  # retiring in 2038 needs the 2038 minimum, 234
        ("2038-01", 233, 0, False, "minimum_not_met"),
    ],
)
def test_early_retirement(month, paid, deemed, possible, reason):
    result = statutory_retirement(parse_month("1984-11"), "F", "worker")
    answer = early_retirement(result, paid, deemed, parse_month(month) if month else None)
    assert (answer.possible, answer.reason) == (possible, reason)
