"""Who a person is, from what every source wrote about them (身份信息认定).

Pure: takes one ``Observation`` per accepted row and returns the person's name,
category, work start, archive birth date and the conflicts between sources, by the
rules of `spec/contribution-history.md` ("Linking rows to persons").
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from shebao.rules.dates import PartialDate
from shebao.rules.months import Month, month_str

# 用工性质 wordings.  Cadre (干部) posts keep women's original retirement age at 55.
CADRE_WORDS = ("干部", "管理人员", "管理岗", "专业技术人员", "专业技术岗", "以工代干")
# Every worker wording (工人, 合同制工人, 固定工, 临时工, 农民合同制工人, 合同工, 轮换工, 劳务工…) has 工.
WORKER_MARK = "工"
# Looser cadre wordings, read only when the cell names no worker post (管理工人 is a worker).
CADRE_HINTS = ("技术人员", "管理")


def category_of(text: str | None) -> str | None:
    """``cadre`` / ``worker`` from a 用工性质 cell, None when blank or not a post wording."""
    compact = "".join((text or "").split())
    if not compact:
        return None
    if any(word in compact for word in CADRE_WORDS):
        return "cadre"
    if WORKER_MARK in compact:
        return "worker"
    if any(word in compact for word in CADRE_HINTS):
        return "cadre"
    return None


@dataclass(frozen=True)
class Observation:
    """What one accepted row wrote about the person."""

    source: str  # "file:sheet:row", as shown to the clerk
    file_id: int | str  # a file counts once in the name vote
    kind: str  # roster | annual | backpay | card
    name: str
    reporting_month: Month | None = None  # rosters: 填报日期
    latest_paid: Month | None = None  # the latest month this file records as paid for the person
    birth_written: PartialDate | None = None  # rosters: 出生日期 as written
    sex_written: str | None = None  # rosters: M / F
    work_start: Month | None = None  # rosters: 参加工作时间
    category_text: str | None = None  # rosters: 用工性质 as written


@dataclass(frozen=True)
class Conflict:
    field: str  # name | birth_date | work_start | category | sex
    values: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass
class Identity:
    name: str
    name_variants: list[str]
    category: str | None
    work_start: Month | None
    archive_birth_date: PartialDate | None  # 档案出生日期: the earliest roster's
    conflicts: list[Conflict] = field(default_factory=list)


def _roster_order(obs: Observation) -> tuple[int, int]:
    # A roster with no reporting month ranks as the oldest when looking for the newest,
    # and is only used as the earliest when no dated roster exists.
    return (obs.reporting_month is not None, obs.reporting_month or 0)


def choose_name(observations: Sequence[Observation]) -> str:
    files_by_name: dict[str, set] = defaultdict(set)
    for obs in observations:
        if obs.name:
            files_by_name[obs.name].add(obs.file_id)
    if not files_by_name:
        return ""
    top = max(len(files) for files in files_by_name.values())
    tied = sorted(name for name, files in files_by_name.items() if len(files) == top)
    if len(tied) == 1:
        return tied[0]
    rosters = [
        o for o in observations if o.kind == "roster" and o.name in tied and o.reporting_month is not None
    ]
    if rosters:
        newest = max(o.reporting_month for o in rosters)
        names = sorted({o.name for o in rosters if o.reporting_month == newest})
        if len(names) == 1:
            return names[0]
        tied = names
    paid = [o for o in observations if o.name in tied and o.latest_paid is not None]
    if paid:
        latest = max(o.latest_paid for o in paid)
        return sorted({o.name for o in paid if o.latest_paid == latest})[0]
    return tied[0]


def reconcile_identity(observations: Iterable[Observation], id_birth_date: dt.date, id_sex: str) -> Identity:
    observations = list(observations)
    rosters = [o for o in observations if o.kind == "roster"]
    name = choose_name(observations)
    spellings = sorted({o.name for o in observations if o.name})
    conflicts: list[Conflict] = []

    if len(spellings) > 1:
        conflicts.append(
            Conflict("name", tuple(spellings), tuple(sorted(o.source for o in observations if o.name)))
        )

    disagreeing = [
        o for o in rosters if o.birth_written is not None and not o.birth_written.agrees_with(id_birth_date)
    ]
    if disagreeing:
        values = (id_birth_date.isoformat(), *sorted({str(o.birth_written) for o in disagreeing}))
        conflicts.append(Conflict("birth_date", values, tuple(sorted(o.source for o in disagreeing))))

    starts = [o for o in rosters if o.work_start is not None]
    if len({o.work_start for o in starts}) > 1:
        values = tuple(sorted({month_str(o.work_start) for o in starts}))
        conflicts.append(Conflict("work_start", values, tuple(sorted(o.source for o in starts))))
    work_start = min((o.work_start for o in starts), default=None)

    categorised = [(o, category_of(o.category_text)) for o in rosters]
    categorised = [(o, c) for o, c in categorised if c]
    category = None
    if categorised:
        newest = max(_roster_order(o) for o, _ in categorised)
        at_newest = [(o, c) for o, c in categorised if _roster_order(o) == newest]
        kinds = sorted({c for _, c in at_newest})
        if len(kinds) > 1:
            conflicts.append(
                Conflict("category", tuple(kinds), tuple(sorted(o.source for o, _ in at_newest)))
            )
            # Still disagreeing at the newest roster: keep the spelling of the last row read
            # deterministically (by source), and let the clerk decide (认定).
        category = sorted(at_newest, key=lambda pair: pair[0].source)[-1][1]

    wrong_sex = [o for o in rosters if o.sex_written and o.sex_written != id_sex]
    if wrong_sex:
        values = tuple(sorted({id_sex, *(o.sex_written for o in wrong_sex)}))
        conflicts.append(Conflict("sex", values, tuple(sorted(o.source for o in wrong_sex))))

    dated_births = [o for o in rosters if o.birth_written is not None]
    archive_birth = None
    if dated_births:
        with_month = [o for o in dated_births if o.reporting_month is not None]
        pool = with_month or dated_births
        earliest = min(pool, key=lambda o: (o.reporting_month or 0, o.source))
        archive_birth = earliest.birth_written

    return Identity(
        name=name,
        name_variants=[s for s in spellings if s != name],
        category=category,
        work_start=work_start,
        archive_birth_date=archive_birth,
        conflicts=sorted(conflicts, key=lambda c: c.field),
    )
