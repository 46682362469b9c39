"""Explanations (计算说明): how a figure was computed, so a clerk can explain it.

Every rule function returns its result together with an :class:`Explanation`: the rule in
words, the inputs, each parameter with the place it came from, and the steps taken.  Notes
say plainly what is estimated or assumed.  ``to_dict()`` gives plain JSON values (money as
strings with two decimals, months as ``YYYY-MM`` strings already written by the caller).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")


def money(value: Decimal) -> Decimal:
    """Round half-up to 0.01 (元, 分): done once, at the end of a computation."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def jsonable(value: Any) -> Any:
    """Plain JSON values: Decimal -> str, dates -> ISO text, dataclasses -> dicts."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    return value


# Chinese labels (显示名) of the parameter names: the names are a machine interface (JSON), the
# labels are what a clerk reads.  Names built with a year or a date pass their own label.
LABELS: dict[str, str] = {
    # retirement (法定退休年龄)
    "birth_month": "出生年月",
    "category": "退休年龄类别",
    "original_age_years": "原法定退休年龄（岁）",
    "step_months": "延迟步长（每延迟1个月所需出生月数）",
    "cap_months": "最多延迟月数",
    "reform_start": "改革起始年月",
    "pooling_start": "社会统筹起始年月",
    # minimum (最低缴费年限)
    "minimum_months": "最低缴费月数",
    "minimum_base_months": "最低缴费月数（改革前）",
    "minimum_step_months_per_year_from_2030": "2030 年起每年增加月数",
    "minimum_cap_months": "最低缴费月数上限",
    # continuation (续保)
    "base_limits": "缴费基数上下限（占社会平均工资）",
    "flexible_rate": "灵活就业人员费率",
    "pay_on_allowed": "是否允许延长缴费",
    "lump_sum_allowed": "是否允许一次性补缴",
    "residents_transfer_allowed": "是否允许转入城乡居民养老保险",
    # pension (养老金)
    "average_wage_W": "社会平均工资 W（月）",
    "accrual_per_year": "每缴费1年计发比例",
    "account_balance": "个人账户储存额",
    "jifa_months": "计发月数",
    # late fee and arrears (滞纳金、欠缴)
    "first_day_counts": "滞纳金首日是否计算",
    "cap_at_principal": "滞纳金是否以本金为限",
    "due_day": "缴费截止日（次月）",
    "base": "缴费基数",
    "employer_rate": "单位费率",
    "personal_rate": "个人费率",
    # back-payment (补缴)
    "earliest_month": "最早可补缴年月",
    "flexible_past_months": "灵活就业人员是否可补缴以往月份",
    # unemployment (失业保险金)
    "bands": "缴费月数与领取月数对照",
}


def label_of(name: str) -> str:
    """The Chinese label of a parameter name (the name itself when none is known)."""
    return LABELS.get(name, name)


def years_text(years: Any) -> str:
    """Years as a clerk writes them, runs joined: 2027—2044、2046 (no 年)."""
    ordered = sorted(set(years))
    runs: list[tuple[int, int]] = []
    for year in ordered:
        if runs and runs[-1][1] == year - 1:
            runs[-1] = (runs[-1][0], year)
        else:
            runs.append((year, year))
    return "、".join(str(a) if a == b else f"{a}—{b}" for a, b in runs)


def yes_no(value: bool) -> str:
    return "是" if value else "否"


@dataclass(frozen=True)
class Parameter:
    """One parameter used by a rule, with its source (出处) and a Chinese label for display."""

    name: str
    value: Any
    source: str
    label: str = ""

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", label_of(self.name))

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "label": self.label,
            "value": jsonable(self.value),
            "source": self.source,
        }


@dataclass
class Explanation:
    """How a figure was computed (计算说明)."""

    rule: str
    inputs: dict[str, Any] = field(default_factory=dict)
    parameters: list[Parameter] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what is estimated, assumed or left out

    def param(self, name: str, value: Any, source: str, label: str = "") -> Any:
        """Record a parameter and return its value (so it reads inline)."""
        self.parameters.append(Parameter(name, value, source, label))
        return value

    def step(self, text: str) -> None:
        self.steps.append(text)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "inputs": jsonable(self.inputs),
            "parameters": [p.to_dict() for p in self.parameters],
            "steps": list(self.steps),
            "notes": list(self.notes),
        }
