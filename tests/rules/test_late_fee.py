"""Late fees: the worked example, both first-day conventions, the 2011-07-01 split."""

import datetime as dt
from decimal import Decimal

import pytest

from shebao.rules.late_fee import due_date, late_fee, month_late_fee
from shebao.rules.months import parse_month
from shebao.rules.policy import DEFAULT_LATE_FEE, parse_policy

D = dt.date


def rules(**settings):
    lines = "\n".join(f"{k} = {str(v).lower() if isinstance(v, bool) else v}" for k, v in settings.items())
    text = (
        f'[region]\ncode = "1"\nname = "x"\npooling_start = "1990-01"\n[late_fee]\n{lines}\nsource = "test"\n'
    )
    return parse_policy(text).late_fee


@pytest.mark.parametrize(
    ("first_day_counts", "days", "fee"),
    [(False, 60, "300.00"), (True, 61, "305.00")],
)
def test_worked_example(first_day_counts, days, fee):
    result = late_fee(
        Decimal(10000), D(2024, 1, 16), D(2024, 3, 16), rules(first_day_counts=first_day_counts)
    )
    assert (result.days, result.fee) == (days, Decimal(fee))


def test_default_convention_gives_the_worked_example():
    assert DEFAULT_LATE_FEE.first_day_counts is False
    result = late_fee(Decimal(10000), D(2024, 1, 16), D(2024, 3, 16))
    assert (result.days, result.fee) == (60, Decimal("300.00"))


@pytest.mark.parametrize(
    ("settle", "first_day_counts", "days", "fee"),
    [
        (D(2024, 1, 10), False, 0, "0.00"),  # settled before the due date
        (D(2024, 1, 10), True, 0, "0.00"),
        (D(2024, 1, 16), False, 0, "0.00"),  # on the due date
        (D(2024, 1, 16), True, 1, "5.00"),
        (D(2024, 1, 17), False, 1, "5.00"),
    ],
)
def test_around_the_due_date(settle, first_day_counts, days, fee):
    result = late_fee(Decimal(10000), D(2024, 1, 16), settle, rules(first_day_counts=first_day_counts))
    assert (result.days, result.fee) == (days, Decimal(fee))


def test_span_across_2011_07_01_is_split():
    result = late_fee(Decimal(10000), D(2011, 6, 15), D(2011, 7, 15))
    # 06-16..06-30: 15 days × 0.2% × 10000 = 300; 07-01..07-15: 15 days × 0.05% × 10000 = 75
    assert [(s.days, s.daily_rate) for s in result.spans] == [(15, Decimal("0.002")), (15, Decimal("0.0005"))]
    assert (result.days, result.fee) == (30, Decimal("375.00"))


def test_before_2011_only():
    result = late_fee(Decimal(1000), D(2010, 1, 15), D(2010, 2, 14))
    assert (result.days, result.fee) == (30, Decimal("60.00"))  # 30 × 0.2% × 1000


def test_rounding_half_up_at_the_end():
    assert late_fee(Decimal(10), D(2024, 1, 1), D(2024, 1, 2)).fee == Decimal("0.01")  # 0.005


@pytest.mark.parametrize(("due_day", "expected"), [(15, D(2024, 1, 15)), (16, D(2024, 1, 16))])
def test_due_date_of_a_month(due_day, expected):
    assert due_date(parse_month("2023-12"), rules(due_day=due_day)) == expected


def test_month_late_fee_uses_the_due_date():
    # December 2023 is due 2024-01-15; paid 2024-03-15: 01-16..03-15 = 16 + 29 + 15 = 60 days
    result = month_late_fee(Decimal(10000), parse_month("2023-12"), D(2024, 3, 15))
    assert (result.days, result.fee) == (60, Decimal("300.00"))


def test_cap_at_principal():
    uncapped = late_fee(Decimal(100), D(2000, 1, 15), D(2010, 1, 15))
    capped = late_fee(Decimal(100), D(2000, 1, 15), D(2010, 1, 15), rules(cap_at_principal=True))
    assert uncapped.fee == Decimal("730.60")  # 3653 days × 0.2% × 100
    assert (capped.fee, capped.capped) == (Decimal("100.00"), True)


def test_explanation_names_the_sources():
    result = late_fee(Decimal(10000), D(2011, 6, 15), D(2011, 7, 15))
    sources = " ".join(p.source for p in result.explain.parameters)
    assert "社会保险法" in sources and "1999" in sources
