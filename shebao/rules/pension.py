"""Pension estimate (养老金测算) for enterprise employees under 国发〔2005〕38号.

基础养老金 = (W + W × I) / 2 × N × 1%   W: the average monthly wage for the retirement year,
                                         I: the average contribution index (平均缴费指数),
                                         N: contribution years, deemed years included.
个人账户养老金 = account balance / 计发月数 (by retirement age, the 38号 attachment).

The estimate from records says plainly what is estimated: the index from the bases the
records hold, the account balance from bases × account rate where no balance is known.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from shebao.rules.explain import Explanation, money, years_text
from shebao.rules.minimum import minimum_contribution
from shebao.rules.months import Month, month_str, year_of
from shebao.rules.policy import SAMPLE_WAGES_NOTE, RegionPolicy, is_sample

GUOFA_2005_38 = "国发〔2005〕38号 (国务院关于完善企业职工基本养老保险制度的决定)"

# 计发月数 by retirement age in whole years: the attachment of 国发〔2005〕38号, transcribed here
# (tests check it against data/jifa-yueshu.csv, copied from the reference tables).
JIFA_MONTHS: dict[int, int] = {
    40: 233, 41: 230, 42: 226, 43: 223, 44: 220, 45: 216, 46: 212, 47: 208, 48: 204, 49: 199,
    50: 195, 51: 190, 52: 185, 53: 180, 54: 175, 55: 170, 56: 164, 57: 158, 58: 152, 59: 145,
    60: 139, 61: 132, 62: 125, 63: 117, 64: 109, 65: 101, 66: 93, 67: 84, 68: 75, 69: 65, 70: 56,
}  # fmt: skip


class PensionError(ValueError):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def jifa_months(age_years: int) -> int:
    """计发月数 for a retirement age in completed years (40–70)."""
    try:
        return JIFA_MONTHS[age_years]
    except KeyError:
        raise PensionError("age_outside_table", f"计发月数表只列 40–70 岁，没有 {age_years} 岁") from None


@dataclass(frozen=True)
class Amount:
    """A money figure (rounded to 0.01) with its explanation."""

    value: Decimal
    explain: Explanation = field(compare=False)

    def to_dict(self) -> dict:
        return {"value": str(self.value), "explain": self.explain.to_dict()}


def basic_pension(
    average_wage: Decimal, average_index: Decimal, contribution_years: Decimal, *, wage_source: str = "input"
) -> Amount:
    """基础养老金 = (W + W × I) / 2 × N × 1%."""
    w, i, n = Decimal(average_wage), Decimal(average_index), Decimal(contribution_years)
    raw = (w + w * i) / 2 * n / 100
    ex = Explanation(
        rule="基础养老金 = (W + W × I) / 2 × N × 1%",
        inputs={"average_index_I": str(i), "contribution_years_N": str(n)},
    )
    ex.param("average_wage_W", w, wage_source)
    ex.param("accrual_per_year", "1%", GUOFA_2005_38)
    ex.step(f"({w} + {w} × {i}) / 2 × {n} × 1% = {raw}")
    return Amount(money(raw), ex)


def personal_account_pension(balance: Decimal, age_years: int, *, balance_source: str = "input") -> Amount:
    """个人账户养老金 = balance / 计发月数(age in completed years)."""
    b = Decimal(balance)
    months = jifa_months(age_years)
    raw = b / months
    ex = Explanation(
        rule="个人账户养老金 = 个人账户储存额 / 计发月数", inputs={"retirement_age_years": age_years}
    )
    ex.param("account_balance", b, balance_source)
    ex.param("jifa_months", months, GUOFA_2005_38 + " 附件（计发月数表）")
    ex.step(f"{b} / {months} = {raw}")
    return Amount(money(raw), ex)


@dataclass(frozen=True)
class IndexResult:
    index: Decimal | None  # None: no base with a known wage
    used: int  # entries used
    skipped_years: tuple[int, ...]
    explain: Explanation = field(compare=False)


def average_index(bases: Iterable[tuple[int, Decimal]], wages: Mapping[int, Decimal]) -> IndexResult:
    """平均缴费指数: the mean of base / average wage of its year.

    One entry per paid month (months weigh equally); entries for years with no wage are
    skipped and listed.  The index is not rounded (it is an intermediate figure).
    """
    ratios: list[Decimal] = []
    skipped: set[int] = set()
    for year, base in bases:
        wage = wages.get(year)
        if wage is None or wage == 0:
            skipped.add(year)
            continue
        ratios.append(Decimal(base) / Decimal(wage))
    ex = Explanation(rule="平均缴费指数 = 各实缴月（月缴费基数 / 当年社会平均工资）的平均值")
    index = sum(ratios, Decimal(0)) / len(ratios) if ratios else None
    ex.step(f"有缴费基数和社会平均工资的月份 {len(ratios)} 个；平均缴费指数 {index}")
    if skipped:
        ex.note(f"{years_text(skipped)} 年政策中没有社会平均工资，这些年份未计入平均缴费指数")
    return IndexResult(index, len(ratios), tuple(sorted(skipped)), ex)


def minimum_warning(contribution_months: int, minimum: int) -> str:
    return (
        f"累计缴费 {contribution_months} 个月，不足最低缴费年限 {minimum} 个月：达到退休年龄时不能按月领取"
        "基本养老金，须延长缴费或转入城乡居民养老保险"
    )


@dataclass(frozen=True)
class PensionEstimate:
    basic: Amount
    personal: Amount
    total: Decimal
    average_index: Decimal
    contribution_months: int
    account_balance: Decimal  # rounded
    balance_estimated: bool
    index_estimated: bool
    wage_estimated: bool
    explain: Explanation = field(compare=False)
    minimum_months: int = 0  # 最低缴费月数 for the retirement year

    @property
    def meets_minimum(self) -> bool:
        return self.contribution_months >= self.minimum_months

    @property
    def shortfall(self) -> int:
        """Months short of the minimum at retirement age (0 when met)."""
        return max(0, self.minimum_months - self.contribution_months)

    @property
    def warning(self) -> str:
        """The clerk's warning when the minimum is not met (empty when it is)."""
        if self.meets_minimum:
            return ""
        return minimum_warning(self.contribution_months, self.minimum_months)

    def to_dict(self) -> dict:
        return {
            "meets_minimum": self.meets_minimum,
            "minimum_contribution_months": self.minimum_months,
            "shortfall": self.shortfall,
            "conditional": not self.meets_minimum,
            "warning": self.warning,
            "basic_pension": str(self.basic.value),
            "personal_account_pension": str(self.personal.value),
            "total": str(self.total),
            "average_index": str(self.average_index.quantize(Decimal("0.0001"))),
            "contribution_months": self.contribution_months,
            "account_balance": str(self.account_balance),
            "estimated": {
                "account_balance": self.balance_estimated,
                "average_index": self.index_estimated,
                "average_wage": self.wage_estimated,
            },
            "explain": self.explain.to_dict(),
            "basic_explain": self.basic.explain.to_dict(),
            "personal_explain": self.personal.explain.to_dict(),
        }


def estimate_account_balance(
    bases: Iterable[tuple[Month, Decimal]],
    policy: RegionPolicy,
    until_year: int,
    *,
    flexible: Iterable[Month] = (),
) -> tuple[Decimal, Explanation]:
    """Personal-account balance estimated from monthly bases × the account rate of each month.

    Interest is added only for years the policy gives an account interest rate: a year's
    contributions earn interest from the following year (annual crediting, simplified).
    """
    flexible = set(flexible)
    ex = Explanation(rule="个人账户储存额（估算）= Σ 月缴费基数 × 当月个人账户记账比例")
    by_year: dict[int, Decimal] = {}
    periods_used: dict[str, str] = {}
    for month, base in bases:
        if month in flexible:
            rate, src = policy.flexible.account, policy.flexible.source
        else:
            period = policy.rate_period(month)
            rate, src = period.account, period.source
            if month < period.start:
                ex.note(f"{month_str(period.start)} 以前的月份按政策中最早的费率计")
        periods_used[f"account rate {rate}"] = src
        by_year[year_of(month)] = by_year.get(year_of(month), Decimal(0)) + Decimal(base) * rate
    for name, src in periods_used.items():
        ex.param(name, name.split()[-1], src, label=f"个人账户记账比例 {name.split()[-1]}")
    balance = Decimal(0)
    credited = False
    for year in range(min(by_year, default=until_year), until_year + 1):
        interest = policy.interest_rate(year)
        if interest and balance:
            balance += balance * interest.rate
            credited = True
            ex.param(f"interest {year}", interest.rate, interest.source, label=f"{year} 年记账利率")
        balance += by_year.get(year, Decimal(0))
    ex.step(f"共 {len(by_year)} 年的缴费记入个人账户：储存额 {money(balance)}")
    ex.note(
        "个人账户储存额按记录中的缴费基数估算，不是个人账户的实际余额"
        + ("" if credited else "；未计利息（政策未设记账利率）")
    )
    return balance, ex


def estimate_pension(
    *,
    policy: RegionPolicy,
    retirement_month: Month,
    retirement_age_years: int,
    contribution_months: int,
    bases: Iterable[tuple[Month, Decimal]],
    account_balance: Decimal | None = None,
    flexible_months: Iterable[Month] = (),
) -> PensionEstimate:
    """Basic + personal-account pension from what the records hold.

    ``contribution_months`` counts paid and deemed months (N = months / 12); ``bases`` are the
    monthly bases of paid months (the index uses only these: deemed months have no base);
    ``account_balance`` when the account is known, else it is estimated.
    """
    bases = list(bases)
    year = year_of(retirement_month)
    minimum = minimum_contribution(year)
    ex = Explanation(
        rule="养老金 = 基础养老金 + 个人账户养老金 (" + GUOFA_2005_38 + ")",
        inputs={
            "retirement_month": month_str(retirement_month),
            "retirement_age_years": retirement_age_years,
            "contribution_months": contribution_months,
            "months_with_a_base": len(bases),
            "account_balance": str(account_balance) if account_balance is not None else None,
        },
    )
    wage = policy.nearest_wage(year)
    wage_estimated = wage.year != year
    wage_source = wage.source + ("" if not wage_estimated else f"（{year} 年没有，按 {wage.year} 年计）")
    if wage_estimated:
        ex.note(f"{year} 年社会平均工资政策表中没有，按 {wage.year} 年计，W 为估算值")
    if is_sample(wage.source):
        ex.note(SAMPLE_WAGES_NOTE)

    idx = average_index(
        ((year_of(m), b) for m, b in bases), {w.year: w.monthly for w in policy.average_wages}
    )
    ex.notes.extend(idx.explain.notes)
    if idx.index is None:
        index, index_estimated = Decimal(1), True
        ex.note("没有可计算指数的缴费基数：平均缴费指数按 1.0 假定")
    else:
        index = idx.index
        index_estimated = idx.used < contribution_months
        if index_estimated:
            ex.note(
                f"平均缴费指数按 {contribution_months} 个缴费月中有基数和社会平均工资的 {idx.used} 个月估算"
                "（视同缴费月没有缴费基数）"
            )
    n = Decimal(contribution_months) / 12
    basic = basic_pension(wage.monthly, index, n, wage_source=wage_source)

    if account_balance is None:
        balance, bex = estimate_account_balance(bases, policy, year - 1, flexible=flexible_months)
        ex.notes.extend(bex.notes)
        ex.parameters.extend(bex.parameters)
        balance_source = "按记录中的缴费基数估算（见注）"
    else:
        balance, balance_source = Decimal(account_balance), "给定的个人账户储存额"
    personal = personal_account_pension(balance, retirement_age_years, balance_source=balance_source)
    ex.note("计发月数按退休时的整岁年龄取，不足一岁的部分不插值")
    total = basic.value + personal.value
    ex.param("minimum_months", minimum.months, minimum.explain.parameters[-1].source)
    ex.step(f"N = {contribution_months} / 12 = {n} 年；I = {index}")
    ex.step(f"基础养老金 {basic.value} + 个人账户养老金 {personal.value} = {total}")
    if contribution_months < minimum.months:
        ex.step(f"{year} 年最低缴费月数 {minimum.months}：累计 {contribution_months} 个月，不足")
        ex.notes.insert(0, minimum_warning(contribution_months, minimum.months))
        ex.notes.insert(1, "以上测算以补足最低缴费年限为前提，仅供参考")
    else:
        ex.step(f"{year} 年最低缴费月数 {minimum.months}：累计 {contribution_months} 个月，已满足")
    return PensionEstimate(
        basic=basic,
        personal=personal,
        total=total,
        average_index=index,
        contribution_months=contribution_months,
        account_balance=money(balance),
        balance_estimated=account_balance is None,
        index_estimated=index_estimated,
        wage_estimated=wage_estimated,
        explain=ex,
        minimum_months=minimum.months,
    )
