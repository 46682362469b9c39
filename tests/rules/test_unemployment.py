"""Unemployment benefit months from contribution months, with carried-over months."""

import pytest

from shebao.rules.unemployment import unemployment_benefit_months


@pytest.mark.parametrize(
    ("contribution", "carried", "eligible", "months"),
    [
        (0, 0, False, 0),
        (11, 0, False, 0),
        (11, 6, False, 0),  # no year of contributions: carried-over months cannot be drawn
        (12, 0, True, 12),
        (59, 0, True, 12),
        (60, 0, True, 18),
        (119, 0, True, 18),
        (120, 0, True, 24),
        (400, 0, True, 24),
        (12, 6, True, 18),
        (60, 10, True, 24),  # 28 capped at 24
        (120, 5, True, 24),
    ],
)
def test_duration(contribution, carried, eligible, months):
    result = unemployment_benefit_months(contribution, carried)
    assert (result.eligible, result.months) == (eligible, months)
    assert result.explain.parameters[0].source.startswith("失业保险条例")


def test_negative_months_are_refused():
    with pytest.raises(ValueError):
        unemployment_benefit_months(-1)
