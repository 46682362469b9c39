"""What the files say (one ``Row`` per written row), derived from the model, with the mess.

Each row carries its meaning (months paid, employment, identity as written) next to the
decisions about how it is written (ID style, spaced name, deliberate damage).  The truth is
computed from these meanings; the writers render the same rows into files.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from shebao.demo import names
from shebao.demo.model import CARD_CUTOFF, FLEXIBLE, Model, Person, Roster, year_of

CADRE_WORDS = ("干部", "干部", "管理人员", "专业技术人员", "以工代干", "管理岗", "专业技术岗")
WORKER_WORDS = ("工人", "工人", "合同制工人", "固定工", "临时工", "农民合同制工人")
OLD_ID_ERA = 1999  # rows about years before this mostly carry the 15-digit number


@dataclass(eq=False)  # rows are distinct things even when they say the same
class Row:
    kind: str  # roster | annual | backpay | card
    file: str
    person: Person
    id_form: int  # 15 or 18 digits written
    name: str  # the spelling written (after removing white space)
    employer: str | None = None
    months: list[int] = field(default_factory=list)  # months this row records as paid
    year: int | None = None  # annual rows
    base: int | None = None
    roster: Roster | None = None
    sex: str | None = None
    birth: dt.date | None = None  # as written in a roster (may differ from the ID)
    work_start: int | None = None
    category_word: str | None = None
    entry: int | None = None
    leave: int | None = None
    paid_on: dt.date | None = None  # back-payment date
    id_style: str = "plain"  # plain | num15 | lower_x | fullwidth | padded
    name_gap: str = ""  # white space a clerk typed inside the name
    reject: str | None = None  # reason code when deliberately made unreadable
    damage: str | None = None  # numeric | scientific | check | blank_name
    lost: bool = False  # never written (a card-only year)
    row: int = 0  # 1-based row / line number, set by the writer

    @property
    def id_written(self) -> str:
        return self.person.id15 if self.id_form == 15 else self.person.id18

    def employment(self) -> range:
        """Months this roster row proves employed, per the spec."""
        if self.kind != "roster":
            return range(0)
        if self.leave is not None:
            return range(self.entry, self.leave)
        if self.roster.report is not None:
            return range(self.entry, self.roster.report + 1)
        return range(0)  # no 离厂 and no reporting month: identity only

    @property
    def accepted(self) -> bool:
        return self.reject is None and not self.lost


def roster_file(r: Roster) -> str:
    suffix = "" if r.dating == "none" else f"-{r.year}"
    return f"rosters/{r.employer}-花名册{suffix}.xlsx"


def annual_file(employer: str) -> str:
    return f"annual/{employer}-历年缴费记录表.csv"


def backpay_file(employer: str) -> str:
    return f"backpay/{employer}-补缴缴费分解表.xlsx"


CARD_FILE = "养老保险卡登记.csv"


def _runs(months: list[int]) -> list[list[int]]:
    """Consecutive runs within one calendar year."""
    runs: list[list[int]] = []
    for m in sorted(months):
        if runs and runs[-1][-1] == m - 1 and year_of(runs[-1][-1]) == year_of(m):
            runs[-1].append(m)
        else:
            runs.append([m])
    return runs


def _era_form(rng: random.Random, year: int) -> int:
    return 15 if year < OLD_ID_ERA and rng.random() < 0.9 else 18


def build_rows(rng: random.Random, model: Model) -> list[Row]:
    rows: list[Row] = []
    wording: dict[tuple[int, int], str] = {}
    for emp in model.employers:
        for roster in emp.rosters:
            roster.file = roster_file(roster)
            for p in model.people:
                for s in p.spells:
                    if s.employer != emp.name or s.start > roster.listing or s.end <= roster.listing - 180:
                        continue
                    row = Row(
                        "roster",
                        roster.file,
                        p,
                        _era_form(rng, roster.year),
                        p.name,
                        emp.name,
                        roster=roster,
                        sex=p.sex,
                        birth=p.birth,
                        work_start=p.work_start,
                        entry=s.start,
                        leave=s.end if s.end <= roster.listing else None,
                    )
                    if roster.report is not None and rng.random() >= 0.05:
                        # one wording per person and reporting month: rosters of the same
                        # month never disagree on the post (no category conflict to resolve)
                        key = (p.index, roster.report)
                        if key not in wording:
                            cadre = p.category_at(roster.report) == "cadre"
                            wording[key] = rng.choice(CADRE_WORDS if cadre else WORKER_WORDS)
                        row.category_word = wording[key]
                    rows.append(row)
    for p in model.people:
        for s in p.spells:
            for run in _runs(s.paid):
                y = year_of(run[0])
                rows.append(
                    Row(
                        "annual",
                        annual_file(s.employer),
                        p,
                        _era_form(rng, y),
                        p.name,
                        s.employer,
                        months=run,
                        year=y,
                        base=s.base(y),
                    )
                )
        for f in p.flex:
            for run in _runs(f.paid):
                y = year_of(run[0])
                rows.append(
                    Row(
                        "annual",
                        annual_file(FLEXIBLE),
                        p,
                        _era_form(rng, y),
                        p.name,
                        FLEXIBLE,
                        months=run,
                        year=y,
                        base=f.base(y),
                    )
                )
        for s in p.spells:
            for m in s.backpaid:
                rows.append(
                    Row(
                        "backpay",
                        backpay_file(s.employer),
                        p,
                        18,
                        p.name,
                        s.employer,
                        months=[m],
                        year=year_of(m),
                        base=s.base(year_of(m)),
                        paid_on=s.backpay_date,
                    )
                )
        if p.has_card:
            rows.append(
                Row("card", CARD_FILE, p, 15 if rng.random() < 0.9 else 18, p.name, months=p.card_months())
            )
    return rows


def _quota(n_persons: int, fraction: float) -> int:
    return max(1, round(fraction * n_persons))


def _pick(rng: random.Random, candidates: list, k: int) -> list:
    return rng.sample(candidates, min(k, len(candidates)))


def _files_of(rows: list[Row]) -> list[str]:
    return sorted({r.file for r in rows if r.accepted})


def inject_mess(rng: random.Random, model: Model, rows: list[Row], encodings: dict[str, str]) -> None:
    """Deliberate damage and variation, each on a seeded fraction (at least one when possible)."""
    n = len(model.people)
    mine: dict[int, list[Row]] = {p.index: [] for p in model.people}
    for r in rows:
        mine[r.person.index].append(r)
    # Card-only years: an annual row lost, its months still on the pension card.
    carded = [p for p in model.people if p.has_card]

    def losable(r: Row) -> bool:
        return r.kind == "annual" and r.employer != FLEXIBLE and r.months[-1] < CARD_CUTOFF

    for p in _pick(rng, carded, _quota(n, 0.03)):
        candidates = [r for r in mine[p.index] if losable(r)]
        if candidates:
            rng.choice(candidates).lost = True

    # Rejected rows: IDs destroyed by spreadsheets, a wrong check digit, a missing name.
    free = [r for r in rows if not r.lost]
    for kind, fraction in (("roster", 0.015), ("backpay", 0.006)):
        numeric = [r for r in free if r.kind == kind and r.id_form == 18 and not r.person.id18.endswith("X")]
        for r in _pick(rng, numeric, _quota(n, fraction)):
            r.reject, r.damage = "id_number_damaged", "numeric"
    free = [r for r in free if r.reject is None]
    sci = [r for r in free if r.kind == "annual" and r.id_form == 18]
    for r in _pick(rng, sci, _quota(n, 0.01)):
        r.reject, r.damage = "id_number_damaged", "scientific"
    free = [r for r in free if r.reject is None]
    check = [r for r in free if r.kind in ("roster", "annual") and r.id_form == 18]
    for r in _pick(rng, check, _quota(n, 0.015)):
        r.reject, r.damage = "id_number_check_digit", "check"
    free = [r for r in free if r.reject is None]
    blank = [r for r in free if r.kind in ("annual", "card")]
    for r in _pick(rng, blank, _quota(n, 0.008)):
        r.reject, r.damage = "missing_name", "blank_name"

    # Names outside GBK, only for people whose CSV files can carry them (GB18030 / UTF-8).
    def csv_ok(p: Person) -> bool:
        files = {r.file for r in mine[p.index] if r.file.endswith(".csv")}
        return all(encodings[f] != "gbk" for f in files) and any(encodings[f] == "gb18030" for f in files)

    for p in _pick(rng, [p for p in model.people if csv_ok(p)], _quota(n, 0.02)):
        p.name = p.name[0] + rng.choice(names.RARE_GIVEN)
        for r in mine[p.index]:
            r.name = p.name

    # 同音不同字: one file writes a homophone; the person's name is in at least two other files.
    homo = [p for p in model.people if len(_files_of(mine[p.index])) >= 3 and names.homophone_variant(p.name)]
    for p in _pick(rng, homo, _quota(n, 0.04)):
        variant = names.homophone_variant(p.name)
        target = rng.choice(_files_of(mine[p.index]))
        if encodings.get(target) == "gbk" and not names.is_gbk(variant):
            continue
        for r in mine[p.index]:
            if r.file == target:
                r.name = variant

    def roster_rows(p: Person) -> list[Row]:
        return [r for r in mine[p.index] if r.kind == "roster" and r.accepted]

    # A roster birth date disagreeing with the ID (at any precision: month or year differ).
    for p in _pick(rng, [p for p in model.people if roster_rows(p)], _quota(n, 0.03)):
        r = rng.choice(roster_rows(p))
        b = p.birth
        if rng.random() < 0.5:
            r.birth = b.replace(year=b.year + rng.choice((-2, -1, 1, 2)))
        else:
            r.birth = b.replace(month=(b.month + rng.randint(0, 10)) % 12 + 1)
    # Rosters disagreeing on 参加工作时间.
    for p in _pick(rng, [p for p in model.people if len(roster_rows(p)) >= 2], _quota(n, 0.02)):
        r = rng.choice(roster_rows(p))
        r.work_start = p.work_start + rng.choice((-14, -6, -1, 1, 3, 12))
    # A roster's 性别 disagreeing with the ID.
    for p in _pick(rng, [p for p in model.people if roster_rows(p)], _quota(n, 0.01)):
        r = rng.choice(roster_rows(p))
        r.sex = "F" if p.sex == "M" else "M"

    # Harmless variation in how IDs and names are written.
    written = [r for r in rows if not r.lost and r.damage is None]
    with_x = [r for r in written if r.id_form == 18 and r.person.id18.endswith("X")]
    for r in _pick(rng, with_x, max(1, len(with_x) // 2)):
        r.id_style = "lower_x"
    num15 = [r for r in written if r.kind == "roster" and r.id_form == 15]
    for r in _pick(rng, num15, _quota(n, 0.1)):
        r.id_style = "num15"
    plain = [r for r in written if r.id_style == "plain"]
    for r in _pick(rng, plain, _quota(n, 0.05)):
        r.id_style = "fullwidth"
    plain = [r for r in written if r.id_style == "plain"]
    for r in _pick(rng, plain, _quota(n, 0.03)):
        r.id_style = "padded"
    named = [r for r in rows if not r.lost and r.damage != "blank_name"]
    for k, r in enumerate(_pick(rng, named, max(2, _quota(n, 0.08)))):
        r.name_gap = "\u3000" if k % 3 != 1 else " "  # U+3000 (全角空格) and the ASCII space
