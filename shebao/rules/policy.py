"""Region policy (地区政策): the parameters that differ between pooling regions.

Read from a TOML file (``SHEBAO_POLICY`` or ``--policy``); the built-in sample region is
``data/region-130600.toml``.  Only ``[region] code, name, pooling_start`` are required.

Every other section is optional; a section left out takes the national defaults below
(from the reference rules, each with its source).  Every figure in the file carries a
``source`` key saying where it came from; a figure with no public source is marked
``source = "sample value set by the administrator"`` and explanations repeat that.

Sections (all optional)::

    [rates]                    # 费率
    pension = [{ from = "YYYY-MM", employer = 0.16, personal = 0.08, account = 0.08, source = "…" }, …]
    flexible = { rate = 0.20, account = 0.08, source = "…" }      # 灵活就业人员

    [average_wages]            # 社会平均工资 (monthly), as applied in that year
    years = [{ year = 2024, monthly = 7000, source = "…" }, …]

    [base_limits]              # 缴费基数上下限, as fractions of the average wage
    lower = 0.60, upper = 3.00, source = "…"

    [late_fee]                 # 滞纳金
    due_day = 15               # contributions for month M are due on this day of month M+1
    first_day_counts = false   # whether the due date itself is a day of the late fee
    cap_at_principal = false   # whether the fee is capped at the amount owed
    source = "…"
    rates = [{ daily = 0.002, source = "…" }, { from = 2011-07-01, daily = 0.0005, source = "…" }]

    [backpay]                  # 补缴
    earliest_month = "1995-01", flexible_past_months = false, lump_sum_allowed = false,
    pay_on_allowed = true, residents_transfer_allowed = true, source = "…"

    [outpatient]               # 门诊统筹
    years = [{ year = 2024, deductible = 200, rate = 0.5, annual_cap = 1500, source = "…" }, …]

    [account_interest]         # 个人账户记账利率 (yearly); none given: interest is ignored
    years = [{ year = 2024, rate = 0.0262, source = "…" }, …]
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

from shebao.rules.months import Month, month_str, parse_month

SAMPLE_VALUE = "sample value set by the administrator"
REFERENCE = "shebao built-in default from the reference rules"
SAMPLE_WAGES_NOTE = "社会平均工资为管理员设置的示例值，不是公布的统计数"


class PolicyError(ValueError):
    """The policy file cannot be used; the message says which key and why."""


# --- the parts of a policy ---------------------------------------------------------------------


@dataclass(frozen=True)
class RatePeriod:
    """Pension contribution rates (养老保险费率) from ``start`` until the next period."""

    start: Month
    employer: Decimal  # 单位缴费比例
    personal: Decimal  # 个人缴费比例
    account: Decimal  # 个人账户记账比例 (share of the base credited to the personal account)
    source: str

    @property
    def total(self) -> Decimal:
        return self.employer + self.personal


@dataclass(frozen=True)
class FlexibleRates:
    """Flexible workers (灵活就业人员): one rate, part of it credited to the account."""

    rate: Decimal
    account: Decimal
    source: str


@dataclass(frozen=True)
class AverageWage:
    """The average monthly wage (社会平均工资) applied in ``year`` for bases and pensions."""

    year: int
    monthly: Decimal
    source: str


@dataclass(frozen=True)
class BaseLimits:
    """Contribution base limits (缴费基数上下限) as fractions of the average wage."""

    lower: Decimal
    upper: Decimal
    source: str


@dataclass(frozen=True)
class LateFeeRate:
    """Daily late-fee rate (滞纳金日率) for days on or after ``start`` (None: from the beginning)."""

    start: dt.date | None
    daily: Decimal
    source: str


@dataclass(frozen=True)
class LateFeeRules:
    rates: tuple[LateFeeRate, ...]
    due_day: int  # the contribution for month M is due on this day of month M+1
    first_day_counts: bool  # the due date itself is charged
    cap_at_principal: bool
    source: str


@dataclass(frozen=True)
class BackpayRules:
    """Back-payment rules (补缴政策)."""

    earliest_month: Month  # nothing before it may be back-paid
    flexible_past_months: bool  # flexible workers may pay for past months
    lump_sum_allowed: bool  # 一次性补缴 of a shortfall at retirement age
    pay_on_allowed: bool  # 延长缴费 after retirement age
    residents_transfer_allowed: bool  # 转入城乡居民养老保险
    source: str


@dataclass(frozen=True)
class OutpatientParams:
    """门诊统筹 parameters for one year: deductible (起付线), rate, annual cap (封顶线)."""

    year: int
    deductible: Decimal
    rate: Decimal
    annual_cap: Decimal
    source: str


@dataclass(frozen=True)
class InterestRate:
    """Personal-account interest rate (记账利率) credited for ``year``."""

    year: int
    rate: Decimal
    source: str


DEFAULT_PENSION_RATES = (
    RatePeriod(
        start=parse_month("1987-01"),
        employer=Decimal("0.16"),
        personal=Decimal("0.08"),
        account=Decimal("0.08"),
        source=REFERENCE
        + ": employer 16% (国办发〔2019〕13号, most provinces since 2019-05), employee 8% all to the"
        " personal account (国发〔2005〕38号, since 2006); earlier periods differed by region and"
        " are not set: enter them in [rates] pension",
    ),
)
DEFAULT_FLEXIBLE = FlexibleRates(
    Decimal("0.20"),
    Decimal("0.08"),
    REFERENCE + ": 国发〔2005〕38号, 20% of which 8% to the personal account",
)
DEFAULT_BASE_LIMITS = BaseLimits(
    Decimal("0.60"), Decimal("3.00"), REFERENCE + ": 60%–300% of the average wage"
)
DEFAULT_LATE_FEE = LateFeeRules(
    rates=(
        LateFeeRate(
            None,
            Decimal("0.002"),
            "社会保险费征缴暂行条例 (国务院令第259号, 1999) 第十三条: 2‰ per day; applied to every day before 2011-07-01",
        ),
        LateFeeRate(
            dt.date(2011, 7, 1),
            Decimal("0.0005"),
            "社会保险法 第八十六条 (in force 2011-07-01): 0.5‰ per day",
        ),
    ),
    due_day=15,
    first_day_counts=False,
    cap_at_principal=False,
    source=REFERENCE
    + ": due on the 15th of the following month; the due date itself is not charged, the day of"
    " payment is (local conventions differ: a setting)",
)
DEFAULT_BACKPAY = BackpayRules(
    earliest_month=parse_month("1995-01"),
    flexible_past_months=False,
    lump_sum_allowed=False,
    pay_on_allowed=True,
    residents_transfer_allowed=True,
    source=REFERENCE
    + ": nothing before 1995-01 (劳动法 in force 1995-01-01); flexible workers may not back-pay past"
    " months; pay-on after retirement age and transfer to the residents' scheme allowed; lump sum only"
    " where the region allows it (人社部令第13号 第二条 limits it)",
)


# --- the policy --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegionPolicy:
    code: str  # 行政区划代码
    name: str
    pooling_start: Month  # 社会统筹起始年月: months before it can only be deemed (视同缴费)
    source: str = "built-in sample region"
    raw: dict = field(default_factory=dict, repr=False, compare=False)
    pension_rates: tuple[RatePeriod, ...] = DEFAULT_PENSION_RATES
    flexible: FlexibleRates = DEFAULT_FLEXIBLE
    average_wages: tuple[AverageWage, ...] = ()
    base_limits: BaseLimits = DEFAULT_BASE_LIMITS
    late_fee: LateFeeRules = DEFAULT_LATE_FEE
    backpay: BackpayRules = DEFAULT_BACKPAY
    outpatient: tuple[OutpatientParams, ...] = ()
    account_interest: tuple[InterestRate, ...] = ()

    def rate_period(self, month: Month) -> RatePeriod:
        """The pension rates in force in ``month`` (the earliest period for months before it)."""
        chosen = self.pension_rates[0]
        for period in self.pension_rates:
            if period.start <= month:
                chosen = period
        return chosen

    def average_wage(self, year: int) -> AverageWage | None:
        return next((w for w in self.average_wages if w.year == year), None)

    def nearest_wage(self, year: int) -> AverageWage:
        """The wage of ``year``, else of the nearest year known (the earlier on a tie)."""
        if not self.average_wages:
            raise PolicyError(f"{self.source}: no [average_wages] are set for region {self.code}")
        return min(self.average_wages, key=lambda w: (abs(w.year - year), w.year))

    def outpatient_params(self, year: int) -> OutpatientParams | None:
        return next((o for o in self.outpatient if o.year == year), None)

    def interest_rate(self, year: int) -> InterestRate | None:
        return next((r for r in self.account_interest if r.year == year), None)


def sample_policy_text() -> str:
    return resources.files("shebao.rules").joinpath("data/region-130600.toml").read_text(encoding="utf-8")


def load_policy(path: str | Path | None = None) -> RegionPolicy:
    if path:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise PolicyError(f"cannot read policy file {path}: {exc.strerror}") from exc
        source = str(path)
    else:
        text, source = sample_policy_text(), "built-in sample region"
    return parse_policy(text, source)


def parse_policy(text: str, source: str = "<text>") -> RegionPolicy:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{source}: not valid TOML: {exc}") from exc
    region = data.get("region")
    if not isinstance(region, dict):
        raise PolicyError(f"{source}: missing the [region] section")
    for key in ("code", "name", "pooling_start"):
        if not isinstance(region.get(key), str) or not region[key].strip():
            raise PolicyError(f"{source}: [region] {key} is required and must be a string")
    try:
        pooling_start = parse_month(region["pooling_start"])
    except ValueError as exc:
        raise PolicyError(f"{source}: [region] pooling_start: {exc}") from exc
    reader = _Reader()
    sections = reader.sections(data)
    if reader.problems:
        raise PolicyError(f"{source}: " + "; ".join(reader.problems))
    return RegionPolicy(
        code=region["code"].strip(),
        name=region["name"].strip(),
        pooling_start=pooling_start,
        source=source,
        raw=data,
        **sections,
    )


def validate_policy(data: dict) -> list[str]:
    """Every problem in a parsed policy file, each a sentence naming the key (empty: usable).

    For ``shebao policy check FILE``; see :func:`check_policy_text` for text.
    """
    problems: list[str] = []
    region = data.get("region")
    if not isinstance(region, dict):
        problems.append("missing the [region] section")
    else:
        for key in ("code", "name", "pooling_start"):
            if not isinstance(region.get(key), str) or not region[key].strip():
                problems.append(f"[region] {key} is required and must be a string")
        if isinstance(region.get("pooling_start"), str) and region["pooling_start"].strip():
            try:
                parse_month(region["pooling_start"])
            except ValueError as exc:
                problems.append(f"[region] pooling_start: {exc}")
    reader = _Reader()
    reader.sections(data)
    return problems + reader.problems


def check_policy_text(text: str) -> list[str]:
    """Problems in a policy file's text, TOML syntax included."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return [f"not valid TOML: {exc}"]
    return validate_policy(data)


# --- reading and checking the optional sections ------------------------------------------------

_DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _Reader:
    """Reads the optional sections, collecting every problem instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def sections(self, data: dict) -> dict[str, Any]:
        result: dict[str, Any] = {}
        rates = self.table(data, "rates")
        if rates is not None:
            if "pension" in rates:
                periods = self.pension_periods(rates["pension"])
                if periods:
                    result["pension_rates"] = periods
            if "flexible" in rates:
                flexible = self.flexible(rates["flexible"])
                if flexible:
                    result["flexible"] = flexible
        wages = self.year_list(data, "average_wages", ("monthly",))
        if wages is not None:
            result["average_wages"] = tuple(AverageWage(e["year"], e["monthly"], e["source"]) for e in wages)
        limits = self.table(data, "base_limits")
        if limits is not None:
            lower = self.number(limits, "lower", "[base_limits]", minimum=Decimal(0))
            upper = self.number(limits, "upper", "[base_limits]", minimum=Decimal(0))
            src = self.source(limits, "[base_limits]")
            if lower is not None and upper is not None and lower >= upper:
                self.problems.append("[base_limits] lower must be below upper")
            elif None not in (lower, upper, src):
                result["base_limits"] = BaseLimits(lower, upper, src)
        late = self.table(data, "late_fee")
        if late is not None:
            rules = self.late_fee(late)
            if rules:
                result["late_fee"] = rules
        backpay = self.table(data, "backpay")
        if backpay is not None:
            rules = self.backpay(backpay)
            if rules:
                result["backpay"] = rules
        outpatient = self.year_list(data, "outpatient", ("deductible", "rate", "annual_cap"))
        if outpatient is not None:
            for e in outpatient:
                if e["rate"] > 1:
                    self.problems.append(f"[outpatient] year {e['year']}: rate must be at most 1")
            result["outpatient"] = tuple(
                OutpatientParams(e["year"], e["deductible"], e["rate"], e["annual_cap"], e["source"])
                for e in outpatient
            )
        interest = self.year_list(data, "account_interest", ("rate",))
        if interest is not None:
            result["account_interest"] = tuple(
                InterestRate(e["year"], e["rate"], e["source"]) for e in interest
            )
        return result

    # primitives

    def table(self, data: dict, name: str) -> dict | None:
        value = data.get(name)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.problems.append(f"[{name}] must be a table (a [{name}] section)")
            return None
        return value

    def number(
        self,
        table: dict,
        key: str,
        where: str,
        *,
        minimum: Decimal | None = None,
        maximum: Decimal | None = None,
    ) -> Decimal | None:
        value = table.get(key)
        if value is None:
            self.problems.append(f"{where} {key} is required")
            return None
        number = _decimal(value)
        if number is None:
            self.problems.append(f"{where} {key} must be a number, got {value!r}")
            return None
        if minimum is not None and number < minimum:
            self.problems.append(f"{where} {key} must be at least {minimum}, got {number}")
            return None
        if maximum is not None and number > maximum:
            self.problems.append(f"{where} {key} must be at most {maximum}, got {number}")
            return None
        return number

    def flag(self, table: dict, key: str, where: str, default: bool) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            self.problems.append(f"{where} {key} must be true or false, got {value!r}")
            return default
        return value

    def source(self, table: dict, where: str) -> str | None:
        value = table.get("source")
        if not isinstance(value, str) or not value.strip():
            self.problems.append(
                f'{where} needs a source = "…" saying where its figures come from (or "{SAMPLE_VALUE}")'
            )
            return None
        return value.strip()

    def month(self, table: dict, key: str, where: str) -> Month | None:
        value = table.get(key)
        if not isinstance(value, str):
            self.problems.append(f'{where} {key} is required, a month written "YYYY-MM"')
            return None
        try:
            return parse_month(value)
        except ValueError as exc:
            self.problems.append(f"{where} {key} = {value!r}: {exc}")
            return None

    def entries(self, value: Any, where: str) -> list[dict]:
        if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
            self.problems.append(f"{where} must be a list of tables {{ key = value, … }}")
            return []
        return value

    # sections

    def pension_periods(self, value: Any) -> tuple[RatePeriod, ...]:
        periods: list[RatePeriod] = []
        entries = self.entries(value, "[rates] pension")
        ok = True
        for n, entry in enumerate(entries, 1):
            where = f"[rates] pension #{n}"
            start = self.month(entry, "from", where)
            employer = self.number(entry, "employer", where, minimum=Decimal(0), maximum=Decimal(1))
            personal = self.number(entry, "personal", where, minimum=Decimal(0), maximum=Decimal(1))
            account = (
                self.number(entry, "account", where, minimum=Decimal(0), maximum=Decimal(1))
                if "account" in entry
                else personal
            )
            src = self.source(entry, where)
            if None in (start, employer, personal, account, src):
                ok = False
                continue
            if periods and start <= periods[-1].start:
                self.problems.append(f"{where} from {month_str(start)} must come after the period before it")
                ok = False
            periods.append(RatePeriod(start, employer, personal, account, src))
        if not entries and isinstance(value, list):
            self.problems.append("[rates] pension must list at least one period")
        return tuple(periods) if ok else ()

    def flexible(self, value: Any) -> FlexibleRates | None:
        if not isinstance(value, dict):
            self.problems.append("[rates] flexible must be a table { rate = …, account = …, source = … }")
            return None
        where = "[rates] flexible"
        rate = self.number(value, "rate", where, minimum=Decimal(0), maximum=Decimal(1))
        account = self.number(value, "account", where, minimum=Decimal(0), maximum=Decimal(1))
        src = self.source(value, where)
        if rate is not None and account is not None and account > rate:
            self.problems.append(f"{where} account must not exceed rate")
            return None
        if None in (rate, account, src):
            return None
        return FlexibleRates(rate, account, src)

    def year_list(self, data: dict, name: str, keys: tuple[str, ...]) -> list[dict] | None:
        table = self.table(data, name)
        if table is None:
            return None
        entries = self.entries(table.get("years", []), f"[{name}] years")
        result: list[dict] = []
        seen: set[int] = set()
        for n, entry in enumerate(entries, 1):
            year = entry.get("year")
            if not isinstance(year, int) or isinstance(year, bool) or not 1949 <= year <= 2200:
                self.problems.append(
                    f"[{name}] years #{n}: year must be a whole year such as 2024, got {year!r}"
                )
                continue
            where = f"[{name}] year {year}:"
            if year in seen:
                self.problems.append(f"{where} given twice")
                continue
            seen.add(year)
            values = {k: self.number(entry, k, where, minimum=Decimal(0)) for k in keys}
            src = self.source(entry, where)
            if name == "average_wages" and values.get("monthly") == 0:
                self.problems.append(f"{where} monthly must be above 0")
                continue
            if src is None or None in values.values():
                continue
            result.append({"year": year, "source": src, **values})
        return sorted(result, key=lambda e: e["year"])

    def late_fee(self, table: dict) -> LateFeeRules | None:
        where = "[late_fee]"
        due_day = table.get("due_day", DEFAULT_LATE_FEE.due_day)
        if not isinstance(due_day, int) or isinstance(due_day, bool) or not 1 <= due_day <= 28:
            self.problems.append(
                f"{where} due_day must be a day 1–28 of the following month, got {due_day!r}"
            )
            due_day = None
        first = self.flag(table, "first_day_counts", where, DEFAULT_LATE_FEE.first_day_counts)
        cap = self.flag(table, "cap_at_principal", where, DEFAULT_LATE_FEE.cap_at_principal)
        src = self.source(table, where)
        rates = DEFAULT_LATE_FEE.rates
        if "rates" in table:
            read: list[LateFeeRate] = []
            entries = self.entries(table["rates"], f"{where} rates")
            for n, entry in enumerate(entries, 1):
                w = f"{where} rates #{n}"
                start = entry.get("from")
                if isinstance(start, str) and _DATE_TEXT.match(start):
                    try:
                        start = dt.date.fromisoformat(start)
                    except ValueError:
                        pass
                if start is not None and (not isinstance(start, dt.date) or isinstance(start, dt.datetime)):
                    self.problems.append(
                        f"{w} from must be a date such as 2011-07-01, got {entry.get('from')!r}"
                    )
                    continue
                if start is None and n != 1:
                    self.problems.append(f"{w} needs a from date (only the first rate may leave it out)")
                    continue
                daily = self.number(entry, "daily", w, minimum=Decimal(0), maximum=Decimal("0.01"))
                s = self.source(entry, w)
                if daily is None or s is None:
                    continue
                if read and read[-1].start is not None and start <= read[-1].start:
                    self.problems.append(f"{w} from {start} must come after the rate before it")
                    continue
                read.append(LateFeeRate(start, daily, s))
            if not read:
                self.problems.append(f"{where} rates must list at least one rate")
                return None
            rates = tuple(read)
        if due_day is None or src is None:
            return None
        return LateFeeRules(rates, due_day, first, cap, src)

    def backpay(self, table: dict) -> BackpayRules | None:
        where = "[backpay]"
        earliest = (
            self.month(table, "earliest_month", where)
            if "earliest_month" in table
            else DEFAULT_BACKPAY.earliest_month
        )
        d = DEFAULT_BACKPAY
        flags = {
            key: self.flag(table, key, where, getattr(d, key))
            for key in (
                "flexible_past_months",
                "lump_sum_allowed",
                "pay_on_allowed",
                "residents_transfer_allowed",
            )
        }
        src = self.source(table, where)
        if earliest is None or src is None:
            return None
        return BackpayRules(earliest_month=earliest, source=src, **flags)


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | str):
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


def minimum_base(policy: RegionPolicy, year: int) -> tuple[Decimal, str]:
    """The region's minimum contribution base (缴费基数下限) for ``year`` and how it was found."""
    wage = policy.nearest_wage(year)
    how = f"{policy.base_limits.lower} × {wage.year} 年社会平均工资 {wage.monthly}（{wage.source}）"
    if wage.year != year:
        how += f"；{year} 年社会平均工资政策表中没有，按最近一年（{wage.year} 年）计"
    return policy.base_limits.lower * wage.monthly, how


def is_sample(source: str) -> bool:
    """Whether a figure is a sample value with no public source (the UI says so)."""
    return source.startswith(SAMPLE_VALUE)
