"""GB/T 2260 codes: the province rule, and county names from the historical list."""

import pytest

from shebao.rules import regions

# The spec's list: 11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71, 81, 82
PROVINCE_CODES = (
    [str(c) for c in range(11, 16)]
    + [str(c) for c in range(21, 24)]
    + [str(c) for c in range(31, 38)]
    + [str(c) for c in range(41, 47)]
    + [str(c) for c in range(50, 55)]
    + [str(c) for c in range(61, 66)]
    + ["71", "81", "82"]
)


@pytest.mark.parametrize("code", [f"{n:02d}" for n in range(100)])
def test_valid_province(code):
    assert regions.valid_province(code) == (code in PROVINCE_CODES)


def test_every_province_has_a_name():
    assert len(PROVINCE_CODES) == 34
    assert all(regions.province_name(code) for code in PROVINCE_CODES)


@pytest.mark.parametrize(
    "code, name",
    [
        ("11", "北京市"),
        ("13", "河北省"),
        ("130603", "河北省"),
        ("46", "海南省"),
        ("50", "重庆市"),
        ("82", "澳门特别行政区"),
        ("99", None),
        ("", None),
    ],
)
def test_province_name(code, name):
    assert regions.province_name(code) == name


@pytest.mark.parametrize(
    "code, year, name",
    [
        # abolished in 2015, still known
        ("130603", None, "北市区"),
        ("130604", None, "南市区"),
        ("130621", None, "满城县"),
        ("130603", 1990, "北市区"),
        ("130603", 2020, "北市区"),  # outside its years: the nearest name
        # renamed: 新市区 until 2014, 竞秀区 from 2015
        ("130602", 1990, "新市区"),
        ("130602", 2014, "新市区"),
        ("130602", 2015, "竞秀区"),
        ("130602", None, "竞秀区"),
        ("130600", None, "保定市"),
        ("110105", None, "朝阳区"),
        ("130699", None, None),
        ("999999", None, None),
        ("", None, None),
    ],
)
def test_county_name(code, year, name):
    assert regions.county_name(code, year) == name


@pytest.mark.parametrize(
    "code, name",
    [
        ("130603", "河北省保定市北市区"),
        ("130600", "河北省保定市"),
        ("110105", "北京市朝阳区"),
        ("130699", None),
    ],
)
def test_place_name(code, name):
    assert regions.place_name(code) == name


def test_county_names_history():
    assert [(n.name, n.start, n.end) for n in regions.county_names("130602")] == [
        ("新市区", 1983, 2014),
        ("竞秀区", 2015, None),
    ]
    assert regions.county_names("130699") == ()
