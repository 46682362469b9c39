"""Dates read as a clerk reads them.  Serial numbers: Excel's day 0 is 1899-12-30, so
25569 = 1970-01-01, 32874 = 1990-01-01, 36526 = 2000-01-01, 10000 = 1927-05-18."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shebao.rules.dates import (
    DateError,
    PartialDate,
    parse_date,
    parse_month_cell,
    parse_month_ranges,
    parse_reporting_month,
    year_in_title,
)


def ym(year, month):  # month ordinal, as in shebao.rules.months
    return year * 12 + month - 1


D = PartialDate


@pytest.mark.parametrize(
    "value, expected",
    [
        # date cells
        (dt.date(1987, 1, 5), D(1987, 1, 5)),
        (dt.datetime(1987, 1, 5, 13, 30), D(1987, 1, 5)),
        # Excel serials (whole numbers that are nothing else)
        (32874, D(1990, 1, 1)),
        (32874.0, D(1990, 1, 1)),
        ("32874", D(1990, 1, 1)),
        (25569, D(1970, 1, 1)),
        (36526, D(2000, 1, 1)),
        (10000, D(1927, 5, 18)),
        # YYYYMM and YYYYMMDD numbers, as numbers or text
        (198701, D(1987, 1)),
        (198701.0, D(1987, 1)),
        ("198701", D(1987, 1)),
        (199412, D(1994, 12)),
        (19870105, D(1987, 1, 5)),
        ("19870105", D(1987, 1, 5)),
        # years
        (1987, D(1987)),
        ("1987", D(1987)),
        ("1987年", D(1987)),
        # year.month in a number cell: two decimals are unambiguous
        (1987.01, D(1987, 1)),
        (1987.12, D(1987, 12)),
        (1987.05, D(1987, 5)),
        (1987.2, D(1987, 2)),  # cannot be 1987.20: February is the only reading
        # text keeps what was typed
        ("1987.01", D(1987, 1)),
        ("1987.1", D(1987, 1)),
        ("1987.10", D(1987, 10)),
        ("1987年1月", D(1987, 1)),
        ("1987年01月", D(1987, 1)),
        ("1987年1月5日", D(1987, 1, 5)),
        ("1987年1月5号", D(1987, 1, 5)),
        ("1987-1-5", D(1987, 1, 5)),
        ("1987-01", D(1987, 1)),
        ("1987-01-05", D(1987, 1, 5)),
        ("1987/1/5", D(1987, 1, 5)),
        ("1987/01", D(1987, 1)),
        ("1987.01.05", D(1987, 1, 5)),
        ("1987.1.5", D(1987, 1, 5)),
        ("1987-01-05 00:00:00", D(1987, 1, 5)),
        # full width, spaces, trailing 止/日
        ("１９８７年１月", D(1987, 1)),
        ("１９８７．０１", D(1987, 1)),
        ("  1987.01\u3000", D(1987, 1)),
        ("1987 年 1 月 5 日", D(1987, 1, 5)),
        ("1994年12月止", D(1994, 12)),
        ("1994.12止", D(1994, 12)),
        # leap day
        ("2000-2-29", D(2000, 2, 29)),
        (20000229, D(2000, 2, 29)),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", [None, "", "   ", "\u3000"])
def test_empty_cell_is_none(value):
    assert parse_date(value) is None
    assert parse_month_cell(value) is None


@pytest.mark.parametrize(
    "value",
    [
        1987.1,  # number cell: 1987.1 or 1987.10 that lost its zero
        "1987.13",
        "1987年13月",
        198713,  # not YYYYMM, and far beyond the serial range
        "1987-02-30",
        "1987-2-29",
        19870230,
        19871301,
        "abc",
        "1987年1月上旬",
        "1987 01",
        "0198701",
        8701,  # not a year, too short to be a serial
        "8701",
        87,
        0,
        -32874,
        1987.011,
        32874.5,  # a fraction in a number cell that is not a date cell
        float("nan"),
        True,
        "1899",  # years outside 1900-2100
        "2101.01",
        189912,
        99999,  # serial after 2100
        [1987],
    ],
)
def test_unreadable_dates(value):
    with pytest.raises(DateError) as err:
        parse_date(value)
    assert err.value.reason == "bad_date"
    assert str(err.value)


@pytest.mark.parametrize(
    "value, reporting_year, expected",
    [
        ("87.1", 1996, D(1987, 1)),
        ("87年1月", 1996, D(1987, 1)),
        ("87-1-5", 1996, D(1987, 1, 5)),
        (87.01, 1996, D(1987, 1)),
        ("96.12", 1996, D(1996, 12)),  # the reporting year itself
        ("03.5", 2003, D(2003, 5)),
        ("05.5", 2003, D(1905, 5)),  # the latest 05 not after 2003
        ("87年", 1996, D(1987)),
    ],
)
def test_two_digit_years(value, reporting_year, expected):
    assert parse_date(value, reporting_year=reporting_year) == expected


@pytest.mark.parametrize(
    "value, reporting_year",
    [("87.1", None), ("87年1月", None), (87.01, None), ("97.1", 1996)],  # 1897 is not plausible
)
def test_two_digit_years_unreadable(value, reporting_year):
    with pytest.raises(DateError):
        parse_date(value, reporting_year=reporting_year)


@pytest.mark.parametrize(
    "value, number_format, expected",
    [
        (1987.1, "0.00", D(1987, 10)),  # the cell shows 1987.10
        (1987.1, "#,##0.00_ ", D(1987, 10)),
        (1987.01, "0.00", D(1987, 1)),
        (1987.12, "General", D(1987, 12)),
        (32874, "yyyy-mm-dd", D(1990, 1, 1)),
        (32874, 'yyyy"年"m"月"d"日"', D(1990, 1, 1)),
        (32874.75, "yyyy-mm-dd h:mm", D(1990, 1, 1)),
        (198701, "General", D(1987, 1)),
        (1987, "0", D(1987)),
    ],
)
def test_number_formats(value, number_format, expected):
    assert parse_date(value, number_format=number_format) == expected


@pytest.mark.parametrize(
    "value, number_format",
    [
        (1987.1, "General"),
        (1987.1, "0.0"),
        (1987.1, "0.0#"),  # shows at least one decimal only
        (1987.2, "0.00"),  # shows 1987.20
        (198701, "yyyy-mm-dd"),  # a date cell: serial 198701 is after 2100
    ],
)
def test_number_formats_unreadable(value, number_format):
    with pytest.raises(DateError):
        parse_date(value, number_format=number_format)


@pytest.mark.parametrize(
    "date, text, precision",
    [(D(1953), "1953", "year"), (D(1953, 4), "1953-04", "month"), (D(1953, 4, 2), "1953-04-02", "day")],
)
def test_partial_date_text_and_precision(date, text, precision):
    assert str(date) == text
    assert date.precision == precision


def test_month_ordinal():
    assert D(1987, 1).month_ordinal == 1987 * 12
    assert D(1987, 12, 31).month_ordinal == 1987 * 12 + 11
    with pytest.raises(ValueError):
        D(1987).month_ordinal  # noqa: B018


@pytest.mark.parametrize("args", [(1987, 13), (1987, 0), (1987, None, 5), (1987, 2, 29), (1988, 2, 30)])
def test_partial_date_must_exist(args):
    with pytest.raises(ValueError):
        D(*args)


@pytest.mark.parametrize(
    "written, other, agrees",
    [
        (D(1953, 4), dt.date(1953, 4, 2), True),
        (D(1953, 4), dt.date(1953, 5, 2), False),
        (D(1953), dt.date(1953, 12, 31), True),
        (D(1953), dt.date(1954, 1, 1), False),
        (D(1953, 4, 2), dt.date(1953, 4, 2), True),
        (D(1953, 4, 2), dt.date(1953, 4, 3), False),
        (D(1971, 9), D(1971, 9, 1), True),  # 1971年9月 and 1971-9-1
        (D(1971, 9, 1), D(1971, 9), True),
        (D(1971, 9, 1), D(1971, 9, 2), False),
        (D(1971, 9), D(1971, 10), False),
        (D(1971), D(1971, 10, 3), True),
        (D(1971), D(1972), False),
    ],
)
def test_agrees_with(written, other, agrees):
    assert written.agrees_with(other) is agrees


@pytest.mark.parametrize(
    "value, kwargs, expected",
    [
        ("1987.01", {}, ym(1987, 1)),
        (198712, {}, ym(1987, 12)),
        ("87.1", {"reporting_year": 1996}, ym(1987, 1)),
        (1987.1, {"number_format": "0.00"}, ym(1987, 10)),
        ("1987-01-31", {}, ym(1987, 1)),
    ],
)
def test_parse_month_cell(value, kwargs, expected):
    assert parse_month_cell(value, **kwargs) == expected


@pytest.mark.parametrize("value", ["1987", "1987年", 1987, "1987.13"])
def test_parse_month_cell_needs_a_month(value):
    with pytest.raises(DateError):
        parse_month_cell(value)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1987.01-1994.12;1997.01-1998.05", [(ym(1987, 1), ym(1994, 12)), (ym(1997, 1), ym(1998, 5))]),
        (
            "1987.01-1988.04;1988.07-1994.12;1997.01-1998.05",
            [(ym(1987, 1), ym(1988, 4)), (ym(1988, 7), ym(1994, 12)), (ym(1997, 1), ym(1998, 5))],
        ),
        ("1987.01 - 1994.12；1997.01—1998.05", [(ym(1987, 1), ym(1994, 12)), (ym(1997, 1), ym(1998, 5))]),
        ("1987.01~1994.12, 1997.01到1998.05", [(ym(1987, 1), ym(1994, 12)), (ym(1997, 1), ym(1998, 5))]),
        ("1987.01–1994.12，1997.01至1998.05", [(ym(1987, 1), ym(1994, 12)), (ym(1997, 1), ym(1998, 5))]),
        ("1987.01-1994.12 1997.01-1998.05", [(ym(1987, 1), ym(1994, 12)), (ym(1997, 1), ym(1998, 5))]),
        ("1987年1月至1994年12月", [(ym(1987, 1), ym(1994, 12))]),
        ("1987-01-1994-12", [(ym(1987, 1), ym(1994, 12))]),  # hyphens inside and between dates
        ("198701-199412", [(ym(1987, 1), ym(1994, 12))]),
        ("1987.1-1994.10", [(ym(1987, 1), ym(1994, 10))]),  # text: 1987.1 is January
        ("１９８７．０１－１９９４．１２", [(ym(1987, 1), ym(1994, 12))]),
        ("1998.05", [(ym(1998, 5), ym(1998, 5))]),  # a single month
        ("1998.05-1998.05", [(ym(1998, 5), ym(1998, 5))]),
        ("1987.01-1994.12;", [(ym(1987, 1), ym(1994, 12))]),
        ("", []),
        ("  ", []),
    ],
)
def test_parse_month_ranges(text, expected):
    assert parse_month_ranges(text) == expected


def test_parse_month_ranges_two_digit_years():
    assert parse_month_ranges("87.1-94.12", reporting_year=1998) == [(ym(1987, 1), ym(1994, 12))]
    with pytest.raises(DateError):
        parse_month_ranges("87.1-94.12")


@pytest.mark.parametrize(
    "text",
    [
        "1994.12-1987.01",  # ends before it starts
        "1987-1994",  # years only
        "1987.01-",
        "-1994.12",
        "1987.01-1994.13",
        "1987.01-1994.12;garbage",
        "1987.01/1994.12",
    ],
)
def test_parse_month_ranges_unreadable(text):
    with pytest.raises(DateError):
        parse_month_ranges(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1996年12月", ym(1996, 12)),
        ("2003-12-31", ym(2003, 12)),
        ("2003.12", ym(2003, 12)),
        ("填报日期：1996年12月", ym(1996, 12)),
        ("制表日期:2003-12-31", ym(2003, 12)),
        (" １９９６年１２月３１日 ", ym(1996, 12)),
        ("1996年12月\u3000\u3000单位：元", ym(1996, 12)),
        ("1996年", None),  # no month: the caller falls back to the title's year
        ("", None),
        (None, None),
        ("不详", None),
    ],
)
def test_parse_reporting_month(text, expected):
    assert parse_reporting_month(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("保定市水泥厂职工花名册（1996年）", 1996),
        ("保定市纺织厂职工花名册(2003年)", 2003),
        ("保定市纺织厂职工花名册（2003）", 2003),
        ("保定市纺织厂职工花名册【2003】", 2003),
        ("2003年度职工花名册", 2003),
        ("保定市纺织厂１９９６年职工花名册", 1996),
        ("保定市纺织厂职工花名册", None),
        ("保定市纺织厂职工花名册1996", None),  # neither 年 nor brackets
        ("保定市第1996号", None),
        ("1949年职工花名册", None),  # before 1950
        ("（1958年建厂）职工花名册（1996年）", None),  # two years: which one is not ours to guess
        ("职工花名册（1996年12月）", 1996),
        ("", None),
        (None, None),
    ],
)
def test_year_in_title(text, expected):
    assert year_in_title(text) == expected


# --- properties --------------------------------------------------------------------------

FORMS = [
    "{y}.{m:02d}",
    "{y}.{m}",
    "{y}年{m}月",
    "{y}年{m:02d}月",
    "{y}-{m}",
    "{y}-{m:02d}",
    "{y}/{m:02d}",
    "{y}{m:02d}",
]


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.integers(1900, 2100), st.integers(1, 12), st.sampled_from(FORMS))
def test_year_month_forms(year, month, form):
    assert parse_date(form.format(y=year, m=month)) == D(year, month)
    assert parse_month_cell(form.format(y=year, m=month)) == ym(year, month)


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.dates(dt.date(1927, 5, 18), dt.date(2100, 12, 31)))
def test_serials(day):
    serial = (day - dt.date(1899, 12, 30)).days  # five digits from 1927-05-18: never a year
    assert parse_date(serial) == D(day.year, day.month, day.day)
    assert parse_date(f"{day.year}年{day.month}月{day.day}日") == D(day.year, day.month, day.day)
    assert parse_date(int(f"{day:%Y%m%d}")) == D(day.year, day.month, day.day)
