"""Administrative division codes (行政区划代码, GB/T 2260), for display only.

An ID number's region part is the county where the number was issued, and it never
changes: a county abolished later (保定 北市区 130603, 南市区 130604, 满城县 130621)
still stands in millions of valid numbers.  So the only *rule* is the province part
(``valid_province``); county names are looked up in a historical list for display,
and a county the list does not know is a warning for the caller, never an error.

The historical list is the one python-stdnum ships (``stdnum/cn/loc.dat``, compiled from
the Wikipedia tables of GB/T 2260 codes with the years each name was in use).  It is read
as package data only; stdnum's own ID validator is not used because it rejects valid
old numbers (it judges the county against the birth year).

>>> county_name("130603")
'北市区'
>>> county_name("130602", year=1990), county_name("130602")
('新市区', '竞秀区')
>>> place_name("130603")
'河北省保定市北市区'
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

# Province-level codes (省级行政区代码) accepted in an ID number's first two digits.
PROVINCES: dict[str, str] = {
    "11": "北京市",
    "12": "天津市",
    "13": "河北省",
    "14": "山西省",
    "15": "内蒙古自治区",
    "21": "辽宁省",
    "22": "吉林省",
    "23": "黑龙江省",
    "31": "上海市",
    "32": "江苏省",
    "33": "浙江省",
    "34": "安徽省",
    "35": "福建省",
    "36": "江西省",
    "37": "山东省",
    "41": "河南省",
    "42": "湖北省",
    "43": "湖南省",
    "44": "广东省",
    "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市",
    "51": "四川省",
    "52": "贵州省",
    "53": "云南省",
    "54": "西藏自治区",
    "61": "陕西省",
    "62": "甘肃省",
    "63": "青海省",
    "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区",
    "71": "台湾省",
    "81": "香港特别行政区",
    "82": "澳门特别行政区",
}


@dataclass(frozen=True, slots=True)
class CountyName:
    """One name a code had, and the years it was in use (None: open-ended / unknown)."""

    name: str
    start: int | None
    end: int | None

    def in_use(self, year: int) -> bool:
        return (self.start is None or self.start <= year) and (self.end is None or year <= self.end)


def valid_province(code2: str) -> bool:
    """True for the province-level codes an ID number may start with."""
    return code2 in PROVINCES


def province_name(code2: str) -> str | None:
    return PROVINCES.get(code2[:2]) if code2 else None


_LINE = re.compile(r'^( *)(\d+) +(\w+)="([^"]*)"')
_PERIOD = re.compile(r"^\[(\d{4})?-(\d{4})?\](.*)$")


def _names(value: str) -> tuple[CountyName, ...]:
    result = []
    for part in value.split(","):
        found = _PERIOD.match(part)
        if found:
            start, end, name = found.groups()
            result.append(CountyName(name, int(start) if start else None, int(end) if end else None))
        elif part:
            result.append(CountyName(part, None, None))
    return tuple(result)


@functools.cache
def _table() -> dict[str, tuple[CountyName, ...]]:
    """Six-digit code -> its names over time, parsed once per process."""
    text = resources.files("stdnum").joinpath("cn/loc.dat").read_text(encoding="utf-8")
    table: dict[str, tuple[CountyName, ...]] = {}
    prefix_by_depth: list[tuple[int, str]] = []  # (indent, code prefix) of enclosing lines
    for line in text.splitlines():
        found = _LINE.match(line)
        if not found:
            continue
        indent, code, key, value = len(found.group(1)), found.group(2), found.group(3), found.group(4)
        while prefix_by_depth and prefix_by_depth[-1][0] >= indent:
            prefix_by_depth.pop()
        full = (prefix_by_depth[-1][1] if prefix_by_depth else "") + code
        prefix_by_depth.append((indent, full))
        if key == "county" and len(full) == 6:
            table[full] = _names(value)
    return table


def county_names(code6: str) -> tuple[CountyName, ...]:
    """Every name the list records for the code, oldest first; () when unknown."""
    return _table().get(code6, ())


@functools.lru_cache(maxsize=65536)
def county_name(code6: str, year: int | None = None) -> str | None:
    """Display name of a county-level code (县级名称), or None when the list does not know it.

    With ``year``, the name in use that year (or, outside every recorded period, the
    nearest one); without, the latest name.
    """
    names = county_names(code6)
    if not names:
        return None
    if year is None:
        return names[-1].name
    for entry in names:
        if entry.in_use(year):
            return entry.name

    def distance(entry: CountyName) -> int:
        if entry.start is not None and year < entry.start:
            return entry.start - year
        return year - (entry.end if entry.end is not None else year)

    return min(names, key=distance).name


_GROUPINGS = frozenset(
    {
        "市辖区",
        "县",
        "省直辖县级行政单位",
        "自治区直辖县级行政单位",
        "省直辖县级行政区划",
        "自治区直辖县级行政区划",
    }
)


def place_name(code6: str, year: int | None = None) -> str | None:
    """Province, prefecture and county joined (河北省保定市北市区); None for an unknown county."""
    county = county_name(code6, year)
    if county is None:
        return None
    parts = [PROVINCES.get(code6[:2], "")]
    if code6[4:] != "00":
        prefecture = county_name(code6[:4] + "00", year)
        # 市辖区/县 are groupings of municipalities (直辖市), not places
        if prefecture and prefecture not in parts and prefecture not in _GROUPINGS:
            parts.append(prefecture)
    if county not in parts and county not in _GROUPINGS:
        parts.append(county)
    return "".join(parts)
