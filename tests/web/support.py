"""Small synthetic additions to the sample for the web tests."""

from __future__ import annotations

from pathlib import Path

# A second, synthetic 何桂兰 (15-digit number, check digit computed on conversion), so that a
# name look-up lists several persons: the sample itself has no two persons of one name.
NAMESAKE_15 = "130603700315122"
NAMESAKE_BIRTH = "1970-03-15"
NAMESAKE_CARD = (
    "卡号,姓名,身份证号,参保日期,缴费起止\nBD900001,何桂兰,130603700315122,1992.01,1992.01-1999.12\n"
)


def write_namesake(folder: Path) -> Path:
    path = Path(folder) / "namesake-card.csv"
    path.write_text(NAMESAKE_CARD, encoding="utf-8-sig")
    return path
