"""Region policy: the minimal file, the sample region, defaults and validation messages."""

import tomllib
from decimal import Decimal

import pytest

from shebao.rules.months import parse_month
from shebao.rules.policy import (
    SAMPLE_VALUE,
    PolicyError,
    check_policy_text,
    load_policy,
    parse_policy,
    sample_policy_text,
    validate_policy,
)

MINIMAL = '[region]\ncode = "130600"\nname = "保定市"\npooling_start = "1987-01"\n'


def test_minimal_file_loads_with_defaults():
    policy = parse_policy(MINIMAL)
    assert (policy.code, policy.name, policy.pooling_start) == ("130600", "保定市", parse_month("1987-01"))
    assert policy.rate_period(parse_month("2024-01")).employer == Decimal("0.16")
    assert (policy.flexible.rate, policy.flexible.account) == (Decimal("0.20"), Decimal("0.08"))
    assert (policy.base_limits.lower, policy.base_limits.upper) == (Decimal("0.60"), Decimal("3.00"))
    assert policy.late_fee.first_day_counts is False
    assert policy.backpay.earliest_month == parse_month("1995-01")
    assert policy.average_wages == () and policy.outpatient == ()
    assert validate_policy(tomllib.loads(MINIMAL)) == []


def test_sample_region_loads_without_problems():
    policy = load_policy()
    assert (policy.code, policy.name, policy.pooling_start) == ("130600", "保定市", parse_month("1987-01"))
    assert check_policy_text(sample_policy_text()) == []
    assert policy.rate_period(parse_month("2019-04")).employer == Decimal("0.20")
    assert policy.rate_period(parse_month("2019-05")).employer == Decimal("0.16")
    assert policy.outpatient_params(2024) is not None


def _figures(value, path=""):
    """Every table holding a number, with its path."""
    if isinstance(value, dict):
        numbers = [k for k, v in value.items() if isinstance(v, int | float) and not isinstance(v, bool)]
        if [k for k in numbers if k not in ("year", "due_day")]:
            yield path, value
        for k, v in value.items():
            yield from _figures(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _figures(v, f"{path}[{i}]")


def test_every_figure_in_the_sample_says_where_it_came_from():
    data = tomllib.loads(sample_policy_text())
    tables = list(_figures(data))
    assert len(tables) > 40
    for path, table in tables:
        assert isinstance(table.get("source"), str) and table["source"].strip(), path


def test_sample_wages_are_marked_as_sample_values():
    assert {w.source for w in load_policy().average_wages} == {SAMPLE_VALUE}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            '[rates]\npension = [{ from = "1995-13", employer = 0.2, personal = 0.08, source = "x" }]',
            "1995-13",
        ),
        (
            '[rates]\npension = [{ from = "1995-01", employer = 1.2, personal = 0.08, source = "x" }]',
            "[rates] pension #1 employer must be at most 1",
        ),
        (
            '[rates]\npension = [{ from = "1995-01", employer = 0.2, personal = 0.08 }]',
            "[rates] pension #1 needs a source",
        ),
        (
            '[rates]\npension = [{ from = "1995-01", employer = 0.2, personal = 0.08, source = "x" },\n'
            '{ from = "1990-01", employer = 0.2, personal = 0.08, source = "x" }]',
            "must come after",
        ),
        ('[rates]\nflexible = { rate = 0.2, account = 0.3, source = "x" }', "account must not exceed rate"),
        (
            '[average_wages]\nyears = [{ year = 2020, monthly = 5000, source = "x" }, { year = 2020, monthly = 1, source = "x" }]',
            "year 2020: given twice",
        ),
        (
            '[average_wages]\nyears = [{ year = 2020, monthly = "lots", source = "x" }]',
            "monthly must be a number",
        ),
        (
            '[average_wages]\nyears = [{ year = "2020", monthly = 1, source = "x" }]',
            "year must be a whole year",
        ),
        ('[base_limits]\nlower = 3\nupper = 0.6\nsource = "x"', "lower must be below upper"),
        ('[late_fee]\ndue_day = 31\nsource = "x"', "due_day must be a day 1–28"),
        ('[late_fee]\nfirst_day_counts = "yes"\nsource = "x"', "first_day_counts must be true or false"),
        (
            '[late_fee]\nsource = "x"\nrates = [{ from = "1 July", daily = 0.0005, source = "x" }]',
            "from must be a date",
        ),
        (
            '[late_fee]\nsource = "x"\nrates = [{ daily = 0.002, source = "x" }, { daily = 0.0005, source = "x" }]',
            "only the first rate may leave it out",
        ),
        ("[late_fee]\ndue_day = 10", "[late_fee] needs a source"),
        ('[backpay]\nearliest_month = "1995"\nsource = "x"', "earliest_month"),
        (
            '[outpatient]\nyears = [{ year = 2024, deductible = 200, rate = 1.5, annual_cap = 1, source = "x" }]',
            "rate must be at most 1",
        ),
        (
            '[outpatient]\nyears = [{ year = 2024, deductible = -1, rate = 0.5, annual_cap = 1, source = "x" }]',
            "deductible must be at least 0",
        ),
        ("base_limits = 3", "[base_limits] must be a table"),
    ],
)
def test_validation_messages(extra, message):
    text = (extra + "\n" + MINIMAL) if not extra.startswith("[") else (MINIMAL + extra + "\n")
    problems = check_policy_text(text)
    assert any(message in p for p in problems), problems
    with pytest.raises(PolicyError) as err:
        parse_policy(text, "region.toml")
    assert message in str(err.value) and str(err.value).startswith("region.toml: ")


def test_several_problems_are_all_reported():
    text = MINIMAL + "[late_fee]\ndue_day = 0\nfirst_day_counts = 1\n"
    assert len(check_policy_text(text)) == 3  # due_day, first_day_counts, source


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not toml = = 1", "not valid TOML"),
        ('[regio]\ncode = "1"', "missing the [region] section"),
        ('[region]\ncode = "1"\nname = "x"', "[region] pooling_start is required"),
        ('[region]\ncode = "1"\nname = "x"\npooling_start = "87-01"', "[region] pooling_start"),
    ],
)
def test_region_problems(text, message):
    assert any(message in p for p in check_policy_text(text))


def test_nearest_wage():
    policy = load_policy()
    assert policy.nearest_wage(2030).year == 2025  # beyond the table: the last known
    assert policy.nearest_wage(1980).year == 1987
    with pytest.raises(PolicyError):
        parse_policy(MINIMAL).nearest_wage(2024)
