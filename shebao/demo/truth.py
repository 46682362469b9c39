"""What a correct system concludes from the bundle (truth.json), computed from the rows' meanings.

A second, independent reading of the spec (contribution-history.md): nothing here comes from
the product's own rules.  Only accepted rows count; months after ``as_of`` count nowhere.
"""

from __future__ import annotations

from collections import defaultdict

from shebao.demo.model import Model, Person, ym
from shebao.demo.records import Row


def _gaps(paid: list[int]) -> list[dict]:
    gaps = []
    for a, b in zip(paid, paid[1:], strict=False):
        if b - a > 1:
            gaps.append({"from": ym(a + 1), "to": ym(b - 1), "months": b - a - 1})
    return gaps


def _name(p: Person, rows: list[Row]) -> str:
    """The spelling written in the most files (a file counts once)."""
    per_file: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        per_file[r.file].add(r.name)
    votes: dict[str, int] = defaultdict(int)
    for spellings in per_file.values():
        assert len(spellings) == 1, (p.id18, spellings)  # the generator never mixes within a file
        votes[next(iter(spellings))] += 1
    best = max(votes.values())
    winners = sorted(s for s, v in votes.items() if v == best)
    # the generator only writes a variant where the usual spelling keeps a strict majority,
    # so the spec's tie-breaks (latest roster, latest paid month) are never needed
    assert len(winners) == 1, (p.id18, votes)
    return winners[0]


def person_truth(p: Person, rows: list[Row], as_of: int, pooling: int) -> dict:
    paid: set[int] = set()
    employed: dict[str, set[int]] = defaultdict(set)
    for r in rows:
        if r.kind in ("annual", "backpay", "card"):
            paid.update(m for m in r.months if m <= as_of)
        else:
            employed[r.employer].update(m for m in r.employment() if m <= as_of)
    months = sorted(paid)
    rosters = [r for r in rows if r.kind == "roster"]
    all_employed = set().union(*employed.values()) if employed else set()
    arrears = {}
    for employer in sorted(employed):
        n = sum(1 for m in employed[employer] if m >= pooling and m not in paid)
        if n:
            arrears[employer] = n

    category = None
    dated = [r for r in rosters if r.category_word and r.roster.report is not None]
    conflicts = set()
    if dated:
        latest = max(r.roster.report for r in dated)
        words = {r.category_word for r in dated if r.roster.report == latest}
        cadre = {"干部", "管理人员", "管理岗", "专业技术人员", "专业技术岗", "以工代干"}
        kinds = {"cadre" if w in cadre else "worker" for w in words}
        assert len(kinds) == 1  # see records.build_rows: one wording per person and month
        category = kinds.pop()
        if len(words) > 1:
            conflicts.add("category")
    if len({r.name for r in rows}) > 1:
        conflicts.add("name")
    if any(r.birth != p.birth for r in rosters):
        conflicts.add("birth_date")  # the generator only shifts month or year: differs at any precision
    if len({r.work_start for r in rosters}) > 1:
        conflicts.add("work_start")
    if any(r.sex != p.sex for r in rosters):
        conflicts.add("sex")
    return {
        "id_number": p.id18,
        "former_id_numbers": sorted({r.person.id15 for r in rows if r.id_form == 15}),
        "name": _name(p, rows),
        "sex": p.sex,
        "birth_date": p.birth.isoformat(),
        "category": category,
        "work_start": ym(min(r.work_start for r in rosters)) if rosters else None,
        "contribution_months": {"pension": len(months)},
        "first_paid": ym(months[0]) if months else None,
        "last_paid": ym(months[-1]) if months else None,
        "gaps": _gaps(months),
        "interrupted_since": ym(months[-1] + 1) if months and months[-1] + 1 <= as_of else None,
        "deemed_months": sum(1 for m in all_employed if m < pooling),
        "arrears_months": arrears,
        "conflicts": sorted(conflicts),
    }


def compute_truth(model: Model, rows: list[Row]) -> dict:
    accepted: dict[int, list[Row]] = defaultdict(list)
    for r in rows:
        if r.accepted:
            accepted[r.person.index].append(r)
    persons = [
        person_truth(p, accepted[p.index], model.as_of, model.pooling_start)
        for p in model.people
        if accepted[p.index]
    ]
    rejected = sorted(
        ({"file": r.file, "row": r.row, "reason": r.reject} for r in rows if r.reject and not r.lost),
        key=lambda x: (x["file"], x["row"]),
    )
    return {
        "as_of": ym(model.as_of),
        "pooling_start": ym(model.pooling_start),
        "persons": persons,
        "rejected_rows": rejected,
    }
