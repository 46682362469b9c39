"""The true life stories behind a demo bundle: employers, people, employment spells, payments.

Months are ordinals ``year*12 + month-1`` (as everywhere in shebao), written ``YYYY-MM`` only
at the edges.  Everything here is drawn from one ``random.Random``; nothing reads the clock.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from shebao.demo import idnumbers, names


def month(year: int, mon: int) -> int:
    return year * 12 + mon - 1


def ym(m: int) -> str:
    return f"{m // 12:04d}-{m % 12 + 1:02d}"


def parse_ym(text: str) -> int:
    year, mon = text.split("-")
    return month(int(year), int(mon))


def year_of(m: int) -> int:
    return m // 12


def mon_of(m: int) -> int:
    return m % 12 + 1


EMPLOYER_NAMES = (
    "保定市纺织厂",
    "保定市水泥厂",
    "保定市第二机械厂",
    "保定市化纤厂",
    "保定市热电厂",
    "保定市第一棉纺厂",
    "保定市造纸厂",
    "保定市变压器厂",
    "保定市电机厂",
    "保定市印刷厂",
    "保定市食品公司",
    "保定市百货大楼",
    "满城县造纸厂",
    "涿州市建筑公司",
    "定州市化肥厂",
    "安国市药材公司",
)
FLEXIBLE = "灵活就业人员"  # individual contributions: no employer
LAYOFF_WAVE = month(1998, 6)  # 下岗: many enterprise spells end here
CARD_CUTOFF = month(1999, 1)  # the card ledger records months paid before 1999


def avg_wage(year: int) -> float:
    """A made-up local average monthly wage, for plausible contribution bases."""
    if year <= 2012:
        return 100 * 1.11 ** (year - 1987)
    return avg_wage(2012) * 1.07 ** (year - 2012)


@dataclass
class Roster:
    """One 花名册 workbook: the employer's staff list drawn up at ``listing``."""

    employer: str
    year: int
    dating: str  # "fill": 填报日期 line; "title": only the year in the title; "none": neither
    listing: int  # month whose staff it lists
    report: int | None  # reporting month as the file lets one read it (None: undated)
    file: str = ""


@dataclass
class Employer:
    name: str
    index: int
    encoding: str  # of its annual CSV
    header_style: int
    unit_column: str
    rosters: list[Roster] = field(default_factory=list)


@dataclass
class Spell:
    """Employment at one employer from ``start`` up to, not including, ``end``."""

    employer: str
    start: int
    end: int
    left: bool  # False: still employed when the records were pulled
    factor: float
    paid: list[int] = field(default_factory=list)  # paid on time (annual rows)
    backpaid: list[int] = field(default_factory=list)  # paid later (补缴)
    backpay_date: dt.date | None = None
    unpaid: list[int] = field(default_factory=list)  # never paid (arrears)

    def base(self, year: int) -> int:
        return max(40, round(avg_wage(year) * self.factor))


@dataclass
class FlexSpell:
    """Contributions as a flexible worker (灵活就业)."""

    paid: list[int]
    factor: float

    def base(self, year: int) -> int:
        return max(40, round(avg_wage(year) * self.factor))


@dataclass
class Person:
    index: int
    id18: str
    sex: str
    birth: dt.date
    name: str
    work_start: int
    cadre_from: int | None  # month from which the post is a cadre's; None: worker throughout
    spells: list[Spell] = field(default_factory=list)
    flex: list[FlexSpell] = field(default_factory=list)
    has_card: bool = False
    card_no: str = ""

    @property
    def id15(self) -> str:
        return idnumbers.to_id15(self.id18)

    def category_at(self, m: int) -> str:
        return "cadre" if self.cadre_from is not None and m >= self.cadre_from else "worker"

    def card_months(self) -> list[int]:
        """Months the pension card records: paid on time before the card ledger's cut-off."""
        return sorted(m for s in self.spells for m in s.paid if m < CARD_CUTOFF)


@dataclass
class Model:
    as_of: int
    pooling_start: int
    pulled: int  # the records were pulled after this month: as_of + 1
    employers: list[Employer]
    people: list[Person]


def _pick_weighted(rng: random.Random, pairs) -> str:
    total = sum(w for _, w in pairs)
    x = rng.uniform(0, total)
    for value, weight in pairs:
        x -= weight
        if x <= 0:
            return value
    return pairs[-1][0]


def _make_employers(rng: random.Random, n_persons: int, as_of: int) -> list[Employer]:
    count = max(3, min(len(EMPLOYER_NAMES), n_persons // 10 + 2))
    chosen = rng.sample(EMPLOYER_NAMES, count)
    employers = []
    for i, name in enumerate(chosen):
        encoding = {0: "gb18030", 1: "gbk", 2: "utf-8-sig"}.get(i) or rng.choice(["gbk", "gb18030"])
        emp = Employer(name, i, encoding, i % 4, rng.choice(["单位名称", "单位名称", "单位"]))
        years = [rng.choice([1990, 1992, 1994, 1996, 1998])]
        later = [2001, 2003, 2005, 2008, 2011, 2014, 2017, 2020]
        years += rng.sample(later, rng.choice([1, 1, 2]))
        years = sorted(y for y in years if month(y, 12) <= as_of)
        for y in years:
            if rng.random() < 0.75:
                report = month(y, 12) if rng.random() < 0.7 else month(y, rng.randint(6, 11))
                emp.rosters.append(Roster(name, y, "fill", report, report))
            else:
                emp.rosters.append(Roster(name, y, "title", month(y, 12), month(y, 12)))
        spare = [y for y in later if y not in years and month(y, 12) <= as_of]
        if spare and (i == 1 or rng.random() < 0.15):
            y = rng.choice(spare)
            emp.rosters.append(Roster(name, y, "none", month(y, 12), None))
        emp.rosters.sort(key=lambda r: (r.listing, r.dating))
        employers.append(emp)
    return employers


# The first people come from these counties, so every bundle of a few dozen has them all.
SHOWCASE_REGIONS = ("130603", "130604", "130621", "130602", "130681", "130682", "130684")


def _make_person(
    rng: random.Random,
    index: int,
    employers: list[Employer],
    model_end: int,
    pooling: int,
    used_ids: set[str],
) -> Person:
    sex = rng.choice("MF")
    latest = max(1950, min(1982, year_of(model_end) - 24))
    birth = dt.date(rng.randint(min(1950, latest), latest), rng.randint(1, 12), rng.randint(1, 28))
    region = _pick_weighted(rng, idnumbers.REGIONS)
    if index < len(SHOWCASE_REGIONS):
        region = SHOWCASE_REGIONS[index]
    while True:
        seq = rng.randrange(0, 100) * 10 + rng.choice((1, 3, 5, 7, 9) if sex == "M" else (0, 2, 4, 6, 8))
        id18 = idnumbers.make_id18(region, birth, seq)
        if id18 not in used_ids:
            used_ids.add(id18)
            break
    given = rng.choice(names.MALE_GIVEN if sex == "M" else names.FEMALE_GIVEN)
    name = rng.choice(names.SURNAMES) + given
    born = month(birth.year, birth.month)
    work_start = born + rng.randint(17, 22) * 12 + rng.randint(0, 11)
    cadre_from = None
    r = rng.random()
    if r < (0.35 if sex == "F" else 0.2):
        cadre_from = work_start
    elif r < (0.43 if sex == "F" else 0.28):
        cadre_from = work_start + rng.randint(60, 240)  # promoted (以工代干)
    person = Person(index, id18, sex, birth, name, work_start, cadre_from)
    age = 60 if sex == "M" else (55 if person.category_at(born + 50 * 12) == "cadre" else 50)
    retire = born + age * 12
    story_end = min(retire, model_end)  # exclusive
    if work_start >= story_end - 12:
        person.work_start = work_start = story_end - rng.randint(12, 60)

    pool = rng.sample(employers, len(employers))
    t = work_start
    while t < story_end and pool and len(person.spells) < 3:
        emp = pool.pop()
        end = t + rng.randint(24, 300)
        if t < LAYOFF_WAVE < end and rng.random() < 0.3:
            end = LAYOFF_WAVE
        left = True
        if end >= story_end:
            end = story_end
            left = story_end == retire
        person.spells.append(_make_spell(rng, emp.name, t, end, left, pooling, model_end))
        if end >= story_end:
            break
        r = rng.random()
        if r < 0.45:
            t = end
        elif r < 0.75:
            t = end + rng.randint(1, 60)
        else:
            break
    if not any(s.paid or s.backpaid for s in person.spells) and pool:
        # everyone in the bundle contributed at some time: one more job after pooling began
        t = max(person.spells[-1].end, pooling) + rng.randint(1, 36)
        if t < story_end - 12:
            end = min(story_end, t + rng.randint(24, 240))
            left = end < story_end or story_end == retire
            person.spells.append(_make_spell(rng, pool.pop().name, t, end, left, pooling, model_end))
    employed_until = person.spells[-1].end
    if employed_until < story_end - 6 and rng.random() < 0.5:
        start = max(employed_until + rng.randint(0, 48), month(1998, 1), pooling)
        if start < story_end - 6:
            end = story_end if rng.random() < 0.6 else rng.randint(start + 6, story_end)
            paid = list(range(start, end))
            if len(paid) > 24 and rng.random() < 0.3:
                cut = rng.randint(2, min(36, len(paid) - 4))
                at = rng.randint(1, len(paid) - cut - 1)
                del paid[at : at + cut]
            person.flex.append(FlexSpell(paid, rng.uniform(0.6, 1.0)))
    return person


def _make_spell(
    rng: random.Random, employer: str, start: int, end: int, left: bool, pooling: int, model_end: int
) -> Spell:
    spell = Spell(employer, start, end, left, rng.uniform(0.7, 2.2))
    months = list(range(max(start, pooling), end))
    holes: set[int] = set()
    if len(months) >= 18 and rng.random() < 0.14:
        length = rng.randint(3, min(24, len(months) - 6))
        at = rng.randint(0, len(months) - length)
        hole = months[at : at + length]
        paid_in = hole[-1] + rng.randint(6, 120)
        if paid_in < model_end - 1:
            spell.backpaid = hole
            spell.backpay_date = dt.date(year_of(paid_in), mon_of(paid_in), rng.randint(1, 28))
            holes.update(hole)
    if len(months) >= 18 and rng.random() < 0.08:
        length = rng.randint(2, min(30, len(months) - 6))
        at = rng.randint(0, len(months) - length)
        hole = [m for m in months[at : at + length] if m not in holes]
        spell.unpaid = hole
        holes.update(hole)
    spell.paid = [m for m in months if m not in holes]
    return spell


def build_model(rng: random.Random, persons: int, as_of: int, pooling: int) -> Model:
    employers = _make_employers(rng, persons, as_of)
    model_end = as_of + 2  # payments recorded up to the month after as_of (cut by truth)
    used: set[str] = set()
    people = [_make_person(rng, i, employers, model_end, pooling, used) for i in range(persons)]
    if people and not any(p.id18.endswith("X") for p in people):
        # someone must carry an X check digit (written as lower-case x in places)
        p = people[min(3, len(people) - 1)]
        used.discard(p.id18)
        seq = int(p.id18[14:17])
        for step in range(1, 100):  # same sex digit; tens and hundreds reach every check value
            candidate = idnumbers.make_id18(p.id18[:6], p.birth, (seq + 10 * step) % 1000)
            if candidate.endswith("X") and candidate not in used:
                p.id18 = candidate
                break
        used.add(p.id18)
    for p in people:
        p.has_card = bool(p.card_months()) and rng.random() < 0.9
    for n, p in enumerate(q for q in people if q.has_card):
        p.card_no = f"BD{n * 2 + rng.randint(0, 1):06d}"
    return Model(as_of, pooling, as_of + 1, employers, people)
