"""Resident ID numbers (公民身份号码, GB 11643) for synthetic people.

Implemented here on purpose, not imported from ``shebao.rules``: the demo bundle's
truth is an independent oracle for the product's own ID handling.
"""

from __future__ import annotations

import datetime as dt

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"

# Historical county codes of 保定 (abolished ones still appear in old IDs) and a few
# elsewhere, all under valid province codes.  Weighted towards the sample region.
REGIONS = (
    ("130602", 8),  # 新市区 (now 竞秀区)
    ("130603", 7),  # 北市区, abolished 2015
    ("130604", 7),  # 南市区, abolished 2015
    ("130621", 5),  # 满城县, abolished 2015
    ("130622", 2),  # 清苑县, abolished 2015
    ("130625", 2),  # 徐水县, abolished 2015
    ("130681", 5),  # 涿州市
    ("130682", 4),  # 定州市
    ("130683", 2),  # 安国市
    ("130684", 3),  # 高碑店市
    ("130626", 1),  # 定兴县
    ("130633", 1),  # 易县
    ("110105", 1),  # 北京市朝阳区
    ("120103", 1),  # 天津市河西区
    ("140105", 1),  # 太原市小店区
    ("370102", 1),  # 济南市历下区
    ("410102", 1),  # 郑州市中原区
)


def check_digit(body17: str) -> str:
    """GB 11643 check character for the first 17 digits."""
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(body17, WEIGHTS, strict=True)) % 11]


def make_id18(region: str, birth: dt.date, seq: int) -> str:
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + check_digit(body)


def to_id15(id18: str) -> str:
    """The first-generation 15-digit form: no century, no check digit."""
    return id18[:6] + id18[8:17]


def from_id15(id15: str) -> str:
    body = id15[:6] + "19" + id15[6:]
    return body + check_digit(body)


def wrong_check_digit(id18: str, pick: int) -> str:
    """The same number with another (wrong) check character."""
    others = [c for c in "0123456789X" if c != id18[17]]
    return id18[:17] + others[pick % len(others)]


FULL_WIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")


def full_width(text: str) -> str:
    return text.translate(FULL_WIDTH)


def damaged_scientific(id18: str) -> str:
    """What a spreadsheet shows for an 18-digit number in a General cell: 1.30602E+17."""
    return f"{float(int(id18[:17] + '0')):.5E}"
