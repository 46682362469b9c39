"""The contract's definitions on hand-worked histories (months written as text for readability)."""

from decimal import Decimal

import pytest

from shebao.rules.history import PaidRecord, build_periods, employment_span, summarise
from shebao.rules.months import month_str, parse_month

M = parse_month


def annual(first, last, employer="甲厂", base="100.00", flexible=False):
    return [
        PaidRecord(m, "annual", None if flexible else employer, Decimal(base), flexible)
        for m in range(M(first), M(last) + 1)
    ]


def card(first, last):
    return [PaidRecord(m, "card") for m in range(M(first), M(last) + 1)]


def backpay(month, employer="甲厂", base="90.00"):
    return [PaidRecord(M(month), "backpay", employer, Decimal(base))]


def summary(records, spans=(), pooling="1987-01", as_of="2026-11"):
    periods, doubles = build_periods(records)
    return summarise(periods, spans, M(pooling), M(as_of), doubles)


def test_months_count_once_across_sources_and_gaps_between_first_and_last():
    # 1987-01…1990-12 on both the annual table and the card; 1993-01…1993-06 on the card only
    s = summary(annual("1987-01", "1990-12") + card("1987-01", "1990-12") + card("1993-01", "1993-06"))
    assert s.paid_months == 48 + 6
    assert (month_str(s.first_paid), month_str(s.last_paid)) == ("1987-01", "1993-06")
    assert [(month_str(g.start), month_str(g.end), g.months) for g in s.gaps] == [("1991-01", "1992-12", 24)]
    assert month_str(s.interrupted_since) == "1993-07"


def test_as_of_cuts_every_figure():
    s = summary(annual("2020-01", "2026-12"), as_of="2024-06")
    assert s.paid_months == 54 and month_str(s.last_paid) == "2024-06"
    assert s.interrupted_since is None  # paid up to the as-of month: not interrupted
    assert s.periods[-1].end == M("2024-06")


def test_nothing_paid():
    s = summary([])
    assert (s.paid_months, s.first_paid, s.last_paid, s.gaps, s.interrupted_since) == (
        0,
        None,
        None,
        [],
        None,
    )


@pytest.mark.parametrize(
    ("entry", "leave", "reporting", "expected"),
    [
        ("1980-01", "1985-07", "1996-12", ("1980-01", "1985-06")),  # up to, not including, 离厂
        ("1994-09", None, "1996-12", ("1994-09", "1996-12")),  # no 离厂: up to the reporting month
        ("1994-09", None, None, None),  # no reporting month: proves no employment
        (None, "1990-01", "1996-12", None),  # no 入厂: proves nothing
        ("1990-05", "1990-05", "1996-12", None),  # left the month it came
    ],
)
def test_employment_span(entry, leave, reporting, expected):
    span = employment_span("甲厂", *(None if v is None else M(v) for v in (entry, leave, reporting)))
    got = None if span is None else (month_str(span.start), month_str(span.end))
    assert got == expected


def test_deemed_months_before_pooling_and_arrears_after():
    # employed 1980-01…1995-06 at 甲厂 (leave 1995-07); paid only 1987-01…1993-12
    span = employment_span("甲厂", M("1980-01"), M("1995-07"), M("1996-12"))
    s = summary(annual("1987-01", "1993-12"), [span])
    assert s.deemed_months == 7 * 12  # 1980-01…1986-12
    assert s.arrears_months == {"甲厂": 18}  # 1994-01…1995-06


def test_arrears_only_up_to_as_of_and_overlapping_spans_count_once():
    spans = [
        employment_span("甲厂", M("2020-01"), None, M("2026-12")),
        employment_span("甲厂", M("2020-01"), M("2021-01"), M("2026-12")),
    ]
    s = summary([], spans, as_of="2020-12")
    assert s.arrears_months == {"甲厂": 12}


def test_a_payment_from_any_source_clears_arrears():
    span = employment_span("乙厂", M("1995-01"), M("1996-01"), M("1996-12"))
    s = summary(card("1995-01", "1995-06") + backpay("1995-07", "乙厂"), [span])
    assert s.arrears_months == {"乙厂": 5}


def test_periods_split_on_employer_and_base_and_list_their_sources():
    records = (
        annual("1987-01", "1987-12", base="88.00")
        + annual("1988-01", "1988-06", base="97.00")
        + card("1987-01", "1988-06")
        + backpay("1988-07")
        + card("1988-08", "1988-09")
    )
    periods, _ = build_periods(records)
    got = [
        (month_str(p.start), month_str(p.end), p.employer, p.base and str(p.base), p.sources) for p in periods
    ]
    assert got == [
        ("1987-01", "1987-12", "甲厂", "88.00", ("annual", "card")),
        ("1988-01", "1988-06", "甲厂", "97.00", ("annual", "card")),
        ("1988-07", "1988-07", "甲厂", "90.00", ("backpay",)),
        ("1988-08", "1988-09", None, None, ("card",)),
    ]


def test_annual_row_decides_employer_over_backpay_and_flexible_has_no_employer():
    periods, doubles = build_periods(
        annual("2010-01", "2010-02", base="1000.00", flexible=True) + backpay("2010-02", "丙公司", "1500.00")
    )
    assert [(p.employer, p.flexible, str(p.base)) for p in periods] == [(None, True, "1000.00")]
    assert [(month_str(d.month), d.payers) for d in doubles] == [("2010-02", ("丙公司", "灵活就业"))]


def test_double_paid_by_two_employers_counts_once():
    s = summary(annual("2000-01", "2000-03", "甲厂") + annual("2000-03", "2000-04", "乙厂"))
    assert s.paid_months == 4
    assert [(month_str(d.month), d.payers) for d in s.double_paid] == [("2000-03", ("乙厂", "甲厂"))]
