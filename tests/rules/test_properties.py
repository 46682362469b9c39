"""Property tests over random birth months, histories and plans (bounded CI profile)."""

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from shebao.rules.arrears import OwedMonth, PaidRecord, arrears
from shebao.rules.continuation import continuation_plan
from shebao.rules.late_fee import late_fee
from shebao.rules.minimum import minimum_months
from shebao.rules.months import from_year_month, year_of
from shebao.rules.outpatient import Visit, outpatient_reimbursement
from shebao.rules.policy import load_policy, parse_policy
from shebao.rules.retirement import CATEGORIES, statutory_retirement
from shebao.rules.unemployment import unemployment_benefit_months

BOUNDED = settings(max_examples=200, derandomize=True, deadline=None)
POLICY = load_policy()  # the sample region: rates by period, wages 1987–2025, outpatient 2023–2025
SEX_CATEGORY = {"male": ("M", None), "female55": ("F", "cadre"), "female50": ("F", "worker")}

months = st.integers(from_year_month(1940, 1), from_year_month(2000, 12))
ratios = st.integers(60, 300).map(lambda n: Decimal(n) / 100)
money_amounts = st.integers(0, 10_000_000).map(lambda n: Decimal(n) / 100)
dates = st.dates(dt.date(1995, 1, 1), dt.date(2030, 12, 31))


@BOUNDED
@given(st.sampled_from(sorted(CATEGORIES)), months, months)
def test_retirement_month_never_decreases_with_birth_month(category, a, b):
    sex, post = SEX_CATEGORY[category]
    early, late = sorted((a, b))
    first, second = statutory_retirement(early, sex, post), statutory_retirement(late, sex, post)
    assert first.retirement_month <= second.retirement_month
    for r in (first, second):
        assert 0 <= r.delay_months <= CATEGORIES[category].cap
        assert r.original_retirement_month <= r.flexible.earliest <= r.retirement_month <= r.flexible.latest


@BOUNDED
@given(
    paid=st.integers(0, 480),
    deemed=st.integers(0, 240),
    birth=months,
    category=st.sampled_from(sorted(CATEGORIES)),
    restart=st.integers(from_year_month(2000, 1), from_year_month(2045, 12)),
    ratio=ratios,
    mode=st.sampled_from(["flexible", "employed"]),
)
def test_plan_months_add_up(paid, deemed, birth, category, restart, ratio, mode):
    sex, post = SEX_CATEGORY[category]
    retirement = statutory_retirement(birth, sex, post).retirement_month
    plan = continuation_plan(
        paid_months=paid,
        deemed_months=deemed,
        retirement_month=retirement,
        restart=restart,
        base_ratio=ratio,
        policy=POLICY,
        mode=mode,
    )
    assert plan.months_so_far == paid + deemed
    assert plan.months_so_far + plan.planned_months == plan.total_months
    assert plan.shortfall == max(0, minimum_months(year_of(retirement)) - plan.total_months)
    assert sum(r.months for r in plan.rows) == plan.planned_months
    assert plan.total_cost >= 0
    assert plan.reaches_minimum == (plan.shortfall == 0)
    assert all(o.months == plan.shortfall for o in plan.options if o.kind != "residents_transfer")


owed_months = st.builds(
    OwedMonth,
    person=st.sampled_from(["130602197001010013", "11010519491231002X"]),
    employer=st.sampled_from(["保定市纺织厂", "保定市水泥厂"]),
    month=st.integers(from_year_month(1987, 1), from_year_month(2026, 10)),
    declared_base=st.none() | money_amounts,
)
paid_records = st.builds(
    PaidRecord,
    person=st.sampled_from(["130602197001010013", "11010519491231002X"]),
    employer=st.sampled_from(["保定市纺织厂", "保定市水泥厂", None]),
    month=st.integers(from_year_month(1987, 1), from_year_month(2026, 10)),
    base=st.none() | money_amounts,
)


@BOUNDED
@given(st.lists(owed_months, max_size=8), st.lists(paid_records, max_size=8), st.none() | dates)
def test_arrears_and_late_fees_are_never_negative(owed, paid, settle):
    report = arrears(owed, paid, POLICY, settle)
    for line in report.lines:
        assert line.amount >= 0 and line.fee >= 0 and line.base >= 0
        if line.late_fee:
            assert line.late_fee.days >= 0
    assert report.total.amount == sum((x.amount for x in report.lines), Decimal(0))
    assert report.total.late_fee == sum((t.late_fee for t in report.by_employer.values()), Decimal(0))
    assert report.total.months == len({(o.person, o.employer, o.month) for o in owed})


@BOUNDED
@given(money_amounts, dates, dates, st.booleans())
def test_late_fee_never_negative_and_grows_with_time(amount, due, settle, first_day_counts):
    text = f'[region]\ncode = "1"\nname = "x"\npooling_start = "1990-01"\n[late_fee]\nfirst_day_counts = {str(first_day_counts).lower()}\nsource = "t"\n'
    rules = parse_policy(text).late_fee
    result = late_fee(amount, due, settle, rules)
    later = late_fee(amount, due, settle + dt.timedelta(days=1), rules)
    assert result.fee >= 0 and result.days >= 0
    assert later.fee >= result.fee and later.days >= result.days
    if settle < due:
        assert result.fee == 0


@BOUNDED
@given(st.lists(st.tuples(st.dates(dt.date(2023, 1, 1), dt.date(2025, 12, 31)), money_amounts), max_size=12))
def test_outpatient_within_the_annual_cap(visits):
    result = outpatient_reimbursement([Visit(d, a) for d, a in visits], POLICY)
    for year in {d.year for d, _ in visits}:
        paid = sum((v.reimbursed for v in result.visits if v.day.year == year), Decimal(0))
        assert 0 <= paid <= POLICY.outpatient_params(year).annual_cap
    assert all(v.reimbursed >= 0 for v in result.visits)


@BOUNDED
@given(st.integers(0, 400), st.integers(0, 400), st.integers(0, 30))
def test_unemployment_months_bounded_and_monotone(a, b, carried):
    low, high = sorted((a, b))
    first, second = unemployment_benefit_months(low, carried), unemployment_benefit_months(high, carried)
    assert 0 <= first.months <= second.months <= 24
