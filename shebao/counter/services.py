"""The national rules applied to a person on record (窗口业务): retirement, continuation, pension.

Pure rules live in ``shebao.rules``; this module feeds them a person's stored history and the
region policy, and adds to each explanation where the person's data came from.  Reading the
person (permission check and audit) is the caller's job through ``people.services.open_person``;
actions that change or issue something (certificates, the renewal queue) are checked and
audited here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from shebao.people import selectors
from shebao.people.models import Decision, Person
from shebao.rules.continuation import ContinuationPlan, continuation_plan
from shebao.rules.explain import Explanation
from shebao.rules.months import Month, month_str, parse_month, previous_month, year_of
from shebao.rules.pension import PensionEstimate, estimate_pension
from shebao.rules.policy import RegionPolicy, load_policy
from shebao.rules.retirement import RetirementError, RetirementResult, statutory_retirement

BASE_RATIOS = ("0.60", "1.00", "1.50", "2.00", "3.00")  # the levels offered at the counter


class CounterError(ValueError):
    """A question the counter cannot answer for this person; ``reason`` is a machine code."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@functools.lru_cache(maxsize=4)
def _policy(path: str) -> RegionPolicy:
    return load_policy(path or None)


def region_policy() -> RegionPolicy:
    """The region policy of this deployment (``SHEBAO_POLICY``, else the built-in sample region)."""
    return _policy(settings.SHEBAO_POLICY or "")


def default_as_of() -> Month:
    """The last month whose contributions are due: the calendar month before today."""
    return previous_month(timezone.localdate())


# --------------------------------------------------------------------------- birth and category


@dataclass(frozen=True)
class BirthMonth:
    month: Month
    source: str  # archive / id
    how: str


def birth_month_of(person: Person) -> BirthMonth:
    """档案出生日期 when the archive gives at least a month, else the ID number's birth date."""
    text = (person.archive_birth_date or "").strip()
    if len(text) >= 7:
        try:
            month = parse_month(text[:7])
        except ValueError:
            month = None
        if month is not None:
            return BirthMonth(
                month,
                "archive",
                f"档案出生日期 {text}：最早的档案记载（花名册）中的出生日期；"
                "认定退休年龄以最早的档案记载为准，而不是身份证号",
            )
    born = person.birth_date
    how = f"出生日期 {born.isoformat()}，据公民身份号码"
    if text:
        how += f"；档案出生日期 {text!r} 没有月份，未采用"
    else:
        how += "；没有记录档案出生日期"
    return BirthMonth(born.year * 12 + born.month - 1, "id", how)


def category_source(person: Person) -> str:
    """Where the person's post category (工人 / 干部) comes from, as a clerk would say it."""
    decision = Decision.objects.filter(person=person, field="category").select_related("decided_by").first()
    if decision is not None:
        when = timezone.localtime(decision.decided_at).date().isoformat()
        return f"{decision.decided_by.get_username()} 于 {when} 认定：{decision.reason}"
    if person.category:
        return "最近一期花名册中的用工性质"
    return "未记录"


# --------------------------------------------------------------------------- retirement


@dataclass
class PersonRetirement:
    """A person's statutory retirement and contribution months (退休与缴费年限), as of a month."""

    person_id: int
    sex: str
    birth: BirthMonth
    category: str | None  # worker / cadre / None
    category_needed: bool  # a woman with no category: the clerk must set it (认定)
    category_conflict: bool  # sources disagree on the category and no decision yet
    result: RetirementResult | None
    as_of: Month
    paid_months: int
    deemed_months: int
    explain: Explanation = field(repr=False)

    @property
    def months_so_far(self) -> int:
        return self.paid_months + self.deemed_months

    @property
    def minimum_months(self) -> int | None:
        return self.result.minimum_contribution_months if self.result else None

    @property
    def months_short(self) -> int | None:
        """Months short of the minimum if nothing more is paid (None: retirement unknown)."""
        if self.result is None:
            return None
        return max(0, self.result.minimum_contribution_months - self.months_so_far)

    @property
    def past_retirement(self) -> bool | None:
        return None if self.result is None else self.as_of >= self.result.retirement_month

    def to_dict(self) -> dict:
        r = self.result
        return {
            "as_of": month_str(self.as_of),
            "sex": self.sex,
            "birth_month": month_str(self.birth.month),
            "birth_month_source": self.birth.source,
            "category": self.category,
            "category_needed": self.category_needed,
            "category_conflict": self.category_conflict,
            "retirement_age": {"years": r.age_years, "months": r.age_months} if r else None,
            "retirement_month": month_str(r.retirement_month) if r else None,
            "original_retirement_month": month_str(r.original_retirement_month) if r else None,
            "delay_months": r.delay_months if r else None,
            "flexible_window": r.flexible.to_dict() if r else None,
            "minimum_contribution_months": self.minimum_months,
            "paid_months": self.paid_months,
            "deemed_months": self.deemed_months,
            "months_so_far": self.months_so_far,
            "months_short": self.months_short,
            "past_retirement": self.past_retirement,
            "explain": self.explain.to_dict(),
        }


def retirement_of(person: Person, policy: RegionPolicy, as_of: Month) -> PersonRetirement:
    """Retirement month, minimum and months so far for a person on record, with the explanation."""
    birth = birth_month_of(person)
    summary = selectors.summary_of(person, policy.pooling_start, as_of)
    category = person.category or None
    conflict = person.conflicts.filter(field="category").exists() and not (
        Decision.objects.filter(person=person, field="category").exists()
    )
    ex = Explanation(
        rule="退休与缴费年限：按出生年月和用工性质计算法定退休年龄（2024 年决定）；"
        "截至某月的缴费月数 = 实缴月数 + 视同缴费月数",
        inputs={
            "as_of": month_str(as_of),
            "sex": person.sex,
            "birth_month": month_str(birth.month),
            "category": category,
        },
    )
    ex.param("birth_month", month_str(birth.month), birth.how)
    ex.param("category", category or "—", category_source(person))
    ex.param("pooling_start", month_str(policy.pooling_start), f"地区政策 {policy.code} {policy.name}")
    result = None
    needed = False
    try:
        result = statutory_retirement(birth.month, person.sex, category)
    except RetirementError as exc:
        if exc.reason != "category_required":
            raise CounterError(exc.reason, str(exc)) from exc
        needed = True
        ex.note(
            "未记录该女职工的用工性质（工人：原退休年龄 50 岁／干部：原退休年龄 55 岁）："
            "须经办员认定后才能计算退休年月"
        )
    if conflict:
        ex.note("各来源记载的用工性质不一致，应由经办员认定")
    if result is not None:
        ex.steps.extend(result.explain.steps)
        ex.parameters.extend(p for p in result.explain.parameters if p.name != "category")
    ex.step(
        f"截至 {month_str(as_of)}：实缴 {summary.paid_months} + 视同 {summary.deemed_months} = "
        f"{summary.paid_months + summary.deemed_months} 个月"
    )
    if result is not None:
        short = max(0, result.minimum_contribution_months - summary.paid_months - summary.deemed_months)
        ex.step(
            f"{year_of(result.retirement_month)} 年最低缴费月数 {result.minimum_contribution_months}："
            + (f"不再缴费时尚差 {short} 个月" if short else "已满足")
        )
    return PersonRetirement(
        person_id=person.pk,
        sex=person.sex,
        birth=birth,
        category=category,
        category_needed=needed,
        category_conflict=conflict,
        result=result,
        as_of=as_of,
        paid_months=summary.paid_months,
        deemed_months=summary.deemed_months,
        explain=ex,
    )


# --------------------------------------------------------------------------- continuation (续保)


def parse_ratio(text: str | Decimal) -> Decimal:
    """A base ratio as typed: 0.6, 60%, 60 (percent when above 3)."""
    raw = str(text).strip().rstrip("%")
    try:
        value = Decimal(raw)
    except ArithmeticError:
        raise CounterError("bad_base_ratio", f"缴费基数档次 {text!r} 不是数字") from None
    if str(text).strip().endswith("%") or value > 3:
        value = value / 100
    return value.quantize(Decimal("0.01"))


def plan_for(
    person: Person,
    policy: RegionPolicy,
    *,
    as_of: Month,
    restart: Month,
    base_ratio: Decimal,
    mode: str = "flexible",
) -> tuple[PersonRetirement, ContinuationPlan]:
    """A 续保 plan for a person: months already counted up to the month before the restart.

    Counting stops at the earlier of ``as_of`` and the month before ``restart``, so that no month
    is both counted as paid and planned.
    """
    counted_to = min(as_of, restart - 1)
    retirement = retirement_of(person, policy, counted_to)
    if retirement.result is None:
        raise CounterError(
            "category_required",
            "未记录该女职工的用工性质（工人/干部）：请先认定",
        )
    plan = continuation_plan(
        paid_months=retirement.paid_months,
        deemed_months=retirement.deemed_months,
        retirement_month=retirement.result.retirement_month,
        restart=restart,
        base_ratio=base_ratio,
        policy=policy,
        mode=mode,
    )
    plan.explain.inputs["months_counted_to"] = month_str(counted_to)
    if counted_to < as_of:
        plan.explain.note(
            f"已缴月数计至续保起始前一个月 {month_str(counted_to)}，以免同一月份既计为已缴又计为续保"
        )
    plan.explain.parameters[0:0] = retirement.explain.parameters[:2]
    return retirement, plan


# --------------------------------------------------------------------------- pension (养老金测算)


def pension_for(
    person: Person, policy: RegionPolicy, as_of: Month
) -> tuple[PersonRetirement, PensionEstimate]:
    """The pension estimate from the record as it stands (nothing after ``as_of`` is assumed).

    Contribution months and bases are counted up to the earlier of ``as_of`` and the month
    before the retirement month; months with no base (cards) leave the index estimated.
    """
    retirement = retirement_of(person, policy, as_of)
    if retirement.result is None:
        raise CounterError(
            "category_required",
            "未记录该女职工的用工性质（工人/干部）：请先认定",
        )
    result = retirement.result
    counted_to = min(as_of, result.retirement_month - 1)
    summary = selectors.summary_of(person, policy.pooling_start, counted_to)
    bases: list[tuple[Month, Decimal]] = []
    flexible: list[Month] = []
    for period in summary.periods:
        for month in range(period.start, period.end + 1):
            if period.base is not None:
                bases.append((month, period.base))
            if period.flexible:
                flexible.append(month)
    estimate = estimate_pension(
        policy=policy,
        retirement_month=result.retirement_month,
        retirement_age_years=result.age_years,
        contribution_months=summary.paid_months + summary.deemed_months,
        bases=bases,
        flexible_months=flexible,
    )
    ex = estimate.explain
    ex.inputs["months_counted_to"] = month_str(counted_to)
    ex.note(f"按截至 {month_str(counted_to)} 的记录测算：此后继续缴费的月份未计入；测算结果不是待遇核定")
    ex.parameters[0:0] = retirement.explain.parameters[:2]
    return retirement, estimate
