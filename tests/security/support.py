"""A small synthetic world for the security tests: two employers, persons at several
secrecy levels, imported through the real importer (annual tables as CSV)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import PASSWORD

EMPLOYER_A = "保定市甲机械厂"
EMPLOYER_B = "保定市乙纺织厂"
_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"


def id_number(birth: str, serial: str) -> str:
    """An 18-digit number of 保定市北市区 (130603) with its GB 11643 check character."""
    body = "130603" + birth + serial
    return body + _CHECK[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]


ID_A = id_number("19700101", "123")  # 甲厂, 内部
ID_B = id_number("19710202", "234")  # 乙厂, 内部
ID_SECRET = id_number("19720303", "345")  # 甲厂, 机密
ID_DECLASSIFIED = id_number("19730404", "456")  # 甲厂, 绝密 but declassified yesterday
ID_TOP = id_number("19740505", "567")  # 乙厂, 秘密


def annual_csv(rows: list[tuple[str, str, str]]) -> str:
    lines = ["身份证号,姓名,单位名称,起始年月,终止年月,缴费基数"]
    lines += [f"{number},{name},{employer},2001-01,2003-12,800" for number, name, employer in rows]
    return "\n".join(lines) + "\n"


@dataclass
class World:
    a: object
    b: object
    secret: object
    declassified: object
    top: object
    users: dict
    hr_a: object
    hr_b: object


def build_world(tmp_path: Path, users: dict) -> World:
    from shebao.accounts.models import Role, Secrecy
    from shebao.accounts.services import create_user
    from shebao.contributions.imports import import_paths
    from shebao.people.models import Employer, Person

    path = Path(tmp_path) / "annual.csv"
    path.write_text(
        annual_csv(
            [
                (ID_A, "甲一", EMPLOYER_A),
                (ID_B, "乙二", EMPLOYER_B),
                (ID_SECRET, "甲三", EMPLOYER_A),
                (ID_DECLASSIFIED, "甲四", EMPLOYER_A),
                (ID_TOP, "乙五", EMPLOYER_B),
            ]
        ),
        encoding="utf-8",
    )
    report = import_paths([path])
    assert report.accepted == 5, report.as_json()
    yesterday = dt.date.today() - dt.timedelta(days=1)
    Person.objects.filter(id_number=ID_SECRET).update(secrecy=Secrecy.CONFIDENTIAL)
    Person.objects.filter(id_number=ID_DECLASSIFIED).update(
        secrecy=Secrecy.TOP_SECRET, declassify_on=yesterday
    )
    Person.objects.filter(id_number=ID_TOP).update(secrecy=Secrecy.SECRET)
    hr_a = create_user("hr_a", PASSWORD, Role.EMPLOYER_HR, employer=Employer.objects.get(name=EMPLOYER_A))
    hr_b = create_user("hr_b", PASSWORD, Role.EMPLOYER_HR, employer=Employer.objects.get(name=EMPLOYER_B))
    get = Person.objects.get
    return World(
        a=get(id_number=ID_A),
        b=get(id_number=ID_B),
        secret=get(id_number=ID_SECRET),
        declassified=get(id_number=ID_DECLASSIFIED),
        top=get(id_number=ID_TOP),
        users=users,
        hr_a=hr_a,
        hr_b=hr_b,
    )
