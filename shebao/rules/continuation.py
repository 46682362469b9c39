"""Continuation plan (续保方案): what continuing to contribute brings and costs.

From the months so far (paid + deemed), a restart month and a base level (60–300% of the
region's average wage of each year), the plan contributes every month from the restart month
up to and including the statutory retirement month, and says whether that reaches the minimum
for the retirement year.  A shortfall at retirement age lists the options the region allows:
paying on after retirement age (延长缴费), a lump sum (一次性补缴), or transfer to the residents'
scheme (转入城乡居民养老保险).

Cost: a flexible worker pays the flexible rate (20%) of the base; an employee's month costs the
employer and personal rates of that month together.  Each month's payment is rounded to 0.01
(it is a payment); totals add the rounded payments.  Years beyond the policy's wage table use
the last known wage, and the explanation says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from shebao.rules.explain import Explanation, money, years_text
from shebao.rules.minimum import minimum_contribution
from shebao.rules.months import Month, month_str, year_of
from shebao.rules.policy import SAMPLE_WAGES_NOTE, RegionPolicy, is_sample


class ContinuationError(ValueError):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class CostRow:
    """Consecutive planned months in one year at one rate."""

    start: Month
    end: Month
    wage: Decimal
    wage_year: int  # the year whose wage was used (differs from the row's year when unknown)
    base: Decimal
    rate: Decimal
    monthly: Decimal  # rounded payment per month

    @property
    def months(self) -> int:
        return self.end - self.start + 1

    @property
    def subtotal(self) -> Decimal:
        return self.monthly * self.months

    def to_dict(self) -> dict:
        return {
            "from": month_str(self.start),
            "to": month_str(self.end),
            "months": self.months,
            "year": year_of(self.start),
            "average_wage": str(self.wage),
            "wage_year": self.wage_year,
            "base": str(money(self.base)),
            "rate": str(self.rate),
            "monthly": str(self.monthly),
            "subtotal": str(self.subtotal),
        }


@dataclass(frozen=True)
class Option:
    """A way to cover a shortfall at retirement age."""

    kind: str  # pay_on / lump_sum / residents_transfer
    allowed: bool
    months: int
    cost: Decimal | None
    start: Month | None = None
    end: Month | None = None
    note: str = ""

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "allowed": self.allowed,
            "months": self.months,
            "cost": str(self.cost) if self.cost is not None else None,
            "from": month_str(self.start) if self.start is not None else None,
            "to": month_str(self.end) if self.end is not None else None,
            "note": self.note,
        }


@dataclass(frozen=True)
class ContinuationPlan:
    paid_months: int
    deemed_months: int
    restart: Month
    retirement_month: Month
    base_ratio: Decimal
    mode: str  # flexible / employed
    planned_months: int
    minimum_months: int
    rows: tuple[CostRow, ...]
    options: tuple[Option, ...]
    explain: Explanation = field(compare=False)

    @property
    def past_retirement_age(self) -> bool:
        """The restart month is after the retirement month: no month left before retirement age."""
        return self.restart > self.retirement_month

    @property
    def status(self) -> str:
        """retire_now / pay_on (past retirement age, met or short); reaches_minimum / short_at_retirement."""
        if self.past_retirement_age:
            return "retire_now" if self.reaches_minimum else "pay_on"
        return "reaches_minimum" if self.reaches_minimum else "short_at_retirement"

    @property
    def conclusion(self) -> str:
        """The plan's conclusion in one sentence, as the clerk says it (结论)."""
        retire = month_str(self.retirement_month)
        if self.past_retirement_age:
            head = f"已达到法定退休年龄（{retire}）"
            if self.reaches_minimum:
                return f"{head}；已满足最低缴费年限，无需续保，可申请办理退休"
            ways = []
            for o in self.options:
                if o.kind == "pay_on" and o.allowed:
                    ways.append(f"延长缴费至满足（{o.months} 个月，每月 {self.option_monthly(o)} 元）")
                elif o.kind == "lump_sum" and o.allowed:
                    ways.append("一次性补缴")
                elif o.kind == "residents_transfer" and o.allowed:
                    ways.append("转入城乡居民养老保险")
            tail = "，可选择" + "／".join(ways) if ways else "，本地区政策不允许延长缴费或补缴"
            return f"{head}；累计缴费 {self.months_so_far} 个月，不足最低缴费年限 {self.shortfall} 个月{tail}"
        if self.reaches_minimum:
            return "按此续保，退休时可达到最低缴费年限"
        return f"按此续保，到达退休年龄（{retire}）时仍差 {self.shortfall} 个月"

    @staticmethod
    def option_monthly(option: Option) -> Decimal | None:
        if option.cost is None or not option.months:
            return None
        return money(option.cost / option.months)

    @property
    def months_so_far(self) -> int:
        return self.paid_months + self.deemed_months

    @property
    def total_months(self) -> int:
        """Months at the retirement month if the plan is followed."""
        return self.months_so_far + self.planned_months

    @property
    def months_needed(self) -> int:
        """Months still needed to reach the minimum (from now, regardless of the plan)."""
        return max(0, self.minimum_months - self.months_so_far)

    @property
    def reaches_minimum(self) -> bool:
        return self.total_months >= self.minimum_months

    @property
    def shortfall(self) -> int:
        """Months short at the retirement month if the plan is followed."""
        return max(0, self.minimum_months - self.total_months)

    @property
    def total_cost(self) -> Decimal:
        return sum((r.subtotal for r in self.rows), Decimal("0.00"))

    @property
    def first_monthly_cost(self) -> Decimal | None:
        return self.rows[0].monthly if self.rows else None

    def to_dict(self) -> dict:
        return {
            "past_retirement_age": self.past_retirement_age,
            "status": self.status,
            "conclusion": self.conclusion,
            "months_so_far": self.months_so_far,
            "paid_months": self.paid_months,
            "deemed_months": self.deemed_months,
            "restart": month_str(self.restart),
            "retirement_month": month_str(self.retirement_month),
            "base_ratio": str(self.base_ratio),
            "mode": self.mode,
            "minimum_contribution_months": self.minimum_months,
            "months_needed": self.months_needed,
            "planned_months": self.planned_months,
            "total_months": self.total_months,
            "reaches_minimum": self.reaches_minimum,
            "shortfall": self.shortfall,
            "monthly_cost": str(self.first_monthly_cost) if self.first_monthly_cost is not None else None,
            "costs": [r.to_dict() for r in self.rows],
            "total_cost": str(self.total_cost),
            "options": [o.to_dict() for o in self.options],
            "explain": self.explain.to_dict(),
        }


def _wage_notes(rows: list[CostRow], ex: Explanation) -> None:
    """One note per wage year standing in for others: 2027—2044 年…超出政策表，按 2025 年计."""
    later: dict[tuple[int, Decimal], set[int]] = {}
    earlier: dict[tuple[int, Decimal], set[int]] = {}
    for row in rows:
        year = year_of(row.start)
        if year != row.wage_year:
            (later if year > row.wage_year else earlier).setdefault((row.wage_year, row.wage), set()).add(
                year
            )
    for (wage_year, wage), years in sorted(later.items()):
        ex.note(f"{years_text(years)} 年社会平均工资超出政策表，按最近一年（{wage_year} 年，{wage} 元）计")
    for (wage_year, wage), years in sorted(earlier.items()):
        ex.note(f"{years_text(years)} 年社会平均工资政策表中没有，按最近一年（{wage_year} 年，{wage} 元）计")


def _rows(start: Month, end: Month, ratio: Decimal, mode: str, policy: RegionPolicy) -> list[CostRow]:
    rows: list[CostRow] = []
    for month in range(start, end + 1):
        year = year_of(month)
        wage = policy.nearest_wage(year)
        if mode == "flexible":
            rate = policy.flexible.rate
        else:
            period = policy.rate_period(month)
            rate = period.employer + period.personal
        base = ratio * wage.monthly
        last = rows[-1] if rows else None
        if last and last.end == month - 1 and year_of(last.start) == year and last.rate == rate:
            rows[-1] = CostRow(last.start, month, last.wage, last.wage_year, last.base, rate, last.monthly)
        else:
            rows.append(CostRow(month, month, wage.monthly, wage.year, base, rate, money(base * rate)))
    return rows


def continuation_plan(
    *,
    paid_months: int,
    deemed_months: int,
    retirement_month: Month,
    restart: Month,
    base_ratio: Decimal,
    policy: RegionPolicy,
    mode: str = "flexible",
) -> ContinuationPlan:
    """A 续保 plan: contribute from ``restart`` through ``retirement_month`` at ``base_ratio``."""
    ratio = Decimal(base_ratio)
    limits = policy.base_limits
    if not limits.lower <= ratio <= limits.upper:
        raise ContinuationError(
            "base_ratio_out_of_range",
            f"缴费基数档次 {ratio} 超出社会平均工资的 {limits.lower}–{limits.upper} 倍",
        )
    if mode not in ("flexible", "employed"):
        raise ContinuationError(
            "bad_mode", f"缴费方式须为 flexible（灵活就业）或 employed（单位职工），而不是 {mode!r}"
        )
    if paid_months < 0 or deemed_months < 0:
        raise ContinuationError("negative_months", "月数不能为负")
    minimum = minimum_contribution(year_of(retirement_month))
    so_far = paid_months + deemed_months
    ex = Explanation(
        rule="续保：自续保起始月至到达退休年龄当月（含）逐月缴费，缴费基数 = 基数档次 × 当年社会平均工资；"
        "与退休当年的最低缴费年限比较",
        inputs={
            "paid_months": paid_months,
            "deemed_months": deemed_months,
            "retirement_month": month_str(retirement_month),
            "restart": month_str(restart),
            "base_ratio": str(ratio),
            "mode": mode,
        },
    )
    ex.param("base_limits", f"{limits.lower}–{limits.upper}", limits.source)
    ex.param("minimum_months", minimum.months, minimum.explain.parameters[-1].source)
    if mode == "flexible":
        ex.param("flexible_rate", policy.flexible.rate, policy.flexible.source)
    else:
        for period in policy.pension_rates:
            if period.start <= retirement_month:
                ex.param(
                    f"rates from {month_str(period.start)}",
                    f"{period.employer} + {period.personal}",
                    period.source,
                    label=f"{month_str(period.start)} 起费率（单位 + 个人）",
                )

    if restart > retirement_month:
        planned = 0
        rows: list[CostRow] = []
        ex.step(
            f"续保起始 {month_str(restart)} 晚于退休年月 {month_str(retirement_month)}："
            f"已达到法定退休年龄，退休前没有可续保的月份"
        )
    else:
        planned = retirement_month - restart + 1
        rows = _rows(restart, retirement_month, ratio, mode, policy)
        ex.step(f"{month_str(restart)} 至 {month_str(retirement_month)}：共 {planned} 个月")
    used = {r.wage_year for r in rows}
    for wage in policy.average_wages:
        if wage.year in used:
            ex.param(
                f"average wage {wage.year}",
                wage.monthly,
                wage.source,
                label=f"{wage.year} 年社会平均工资（月）",
            )
            if is_sample(wage.source):
                ex.note(SAMPLE_WAGES_NOTE)
    total = so_far + planned
    shortfall = max(0, minimum.months - total)
    ex.step(f"实缴 {paid_months} + 视同 {deemed_months} + 续保 {planned} = {total} 个月")
    ex.step(
        f"{year_of(retirement_month)} 年最低缴费月数 {minimum.months}："
        + (f"到达退休年龄时仍差 {shortfall} 个月" if shortfall else "已达到")
    )
    total_cost = sum((r.subtotal for r in rows), Decimal("0.00"))
    ex.step(f"合计缴费 {total_cost} 元")

    options: list[Option] = []
    extra: list[CostRow] = []
    if shortfall:
        options, extra = _options(shortfall, so_far, restart, retirement_month, ratio, mode, policy, ex)
    _wage_notes(rows + extra, ex)
    return ContinuationPlan(
        paid_months=paid_months,
        deemed_months=deemed_months,
        restart=restart,
        retirement_month=retirement_month,
        base_ratio=ratio,
        mode=mode,
        planned_months=planned,
        minimum_months=minimum.months,
        rows=tuple(rows),
        options=tuple(options),
        explain=ex,
    )


def _options(
    shortfall: int,
    so_far: int,
    restart: Month,
    retirement_month: Month,
    ratio: Decimal,
    mode: str,
    policy: RegionPolicy,
    ex: Explanation,
) -> tuple[list[Option], list[CostRow]]:
    rules = policy.backpay
    ex.param("pay_on_allowed", rules.pay_on_allowed, rules.source)
    ex.param("lump_sum_allowed", rules.lump_sum_allowed, rules.source)
    ex.param("residents_transfer_allowed", rules.residents_transfer_allowed, rules.source)
    start = max(restart, retirement_month + 1)
    end = start + shortfall - 1
    never_insured = so_far == 0
    note = "没有缴费记录：已达到退休年龄的人员不能以延长缴费或一次性补缴的方式参保"
    pay_on_rows = _rows(start, end, ratio, mode, policy)
    pay_on_cost = sum((r.subtotal for r in pay_on_rows), Decimal("0.00"))
    pay_on_ok = rules.pay_on_allowed and not never_insured
    lump_monthly = pay_on_rows[0].monthly
    lump_ok = rules.lump_sum_allowed and not never_insured
    ex.step(
        f"办理方式：延长缴费 {shortfall} 个月，{month_str(start)}—{month_str(end)}（{pay_on_cost} 元）；"
        f"一次性补缴 {shortfall} × {lump_monthly} = {lump_monthly * shortfall} 元"
        + ("" if lump_ok else "（本地区不允许）")
    )
    return [
        Option("pay_on", pay_on_ok, shortfall, pay_on_cost, start, end, note if never_insured else ""),
        Option(
            "lump_sum",
            lump_ok,
            shortfall,
            lump_monthly * shortfall,
            start,
            None,
            note if never_insured else f"按 {year_of(start)} 年缴费基数",
        ),
        Option(
            "residents_transfer",
            rules.residents_transfer_allowed,
            0,
            None,
            note="将个人账户转入城乡居民基本养老保险",
        ),
    ], pay_on_rows
