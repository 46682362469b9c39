"""Outpatient pooling reimbursement (门诊统筹报销).

Per calendar year: the eligible amounts first fill the deductible (起付线); of the rest the
rate is reimbursed, until the annual cap (封顶线) on reimbursements is reached.  Parameters
by region and year come from the policy (``[outpatient]``).  Each visit is a settlement: its
reimbursement is rounded to 0.01 and the cap is tracked in those settled amounts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from shebao.rules.explain import Explanation, money
from shebao.rules.policy import RegionPolicy, is_sample


class OutpatientError(ValueError):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Visit:
    day: dt.date
    eligible: Decimal  # 政策范围内费用


@dataclass(frozen=True)
class VisitResult:
    day: dt.date
    eligible: Decimal
    toward_deductible: Decimal
    reimbursed: Decimal  # rounded
    capped: bool

    def to_dict(self) -> dict:
        return {
            "date": self.day.isoformat(),
            "eligible": str(money(self.eligible)),
            "toward_deductible": str(money(self.toward_deductible)),
            "reimbursed": str(self.reimbursed),
            "capped": self.capped,
        }


@dataclass(frozen=True)
class OutpatientResult:
    visits: tuple[VisitResult, ...]  # in date order
    total: Decimal
    explain: Explanation = field(compare=False)

    def to_dict(self) -> dict:
        return {
            "visits": [v.to_dict() for v in self.visits],
            "total": str(self.total),
            "explain": self.explain.to_dict(),
        }


def outpatient_reimbursement(visits: Iterable[Visit], policy: RegionPolicy) -> OutpatientResult:
    """Reimbursement per visit and in total; visits are taken in date order."""
    ordered = sorted(visits, key=lambda v: v.day)
    ex = Explanation(
        rule="门诊统筹：按自然年计算，政策范围内费用先计入起付线；超过部分按报销比例报销，至年度封顶线为止",
        inputs={"visits": len(ordered)},
    )
    state: dict[int, tuple[Decimal, Decimal]] = {}  # year -> (deductible used, reimbursed so far)
    results: list[VisitResult] = []
    for visit in ordered:
        if visit.eligible < 0:
            raise OutpatientError("negative_amount", f"{visit.day} 就诊：政策范围内费用为负")
        year = visit.day.year
        params = policy.outpatient_params(year)
        if params is None:
            raise OutpatientError("no_parameters", f"{policy.name} 的政策未设 {year} 年门诊统筹参数")
        if year not in state:
            state[year] = (Decimal(0), Decimal("0.00"))
            ex.param(f"{year} deductible", params.deductible, params.source, label=f"{year} 年起付线")
            ex.param(f"{year} rate", params.rate, params.source, label=f"{year} 年报销比例")
            ex.param(f"{year} annual_cap", params.annual_cap, params.source, label=f"{year} 年封顶线")
            if is_sample(params.source):
                ex.note(f"{year} 年门诊统筹参数为管理员设置的示例值")
        used, paid = state[year]
        toward = min(Decimal(visit.eligible), params.deductible - used)
        share = money((Decimal(visit.eligible) - toward) * params.rate)
        room = params.annual_cap - paid
        reimbursed = min(share, room)
        capped = reimbursed < share
        state[year] = (used + toward, paid + reimbursed)
        ex.step(
            f"{visit.day.isoformat()}：政策范围内 {visit.eligible}，计入起付线 {toward}，"
            f"({visit.eligible} − {toward}) × {params.rate} = {share}"
            + (f"，受年度封顶线限制为 {reimbursed}" if capped else "")
        )
        results.append(VisitResult(visit.day, Decimal(visit.eligible), toward, reimbursed, capped))
    total = sum((r.reimbursed for r in results), Decimal("0.00"))
    ex.step(f"合计报销 {total}")
    return OutpatientResult(tuple(results), total, ex)
