"""Who a person is when the sources disagree: the contract's rules, hand-worked."""

import datetime as dt

import pytest

from shebao.rules.dates import PartialDate
from shebao.rules.identity import Observation, category_of, choose_name, reconcile_identity
from shebao.rules.months import parse_month

BIRTH = dt.date(1956, 2, 6)


def roster(source, file_id, name="贺永生", reporting="1996-12", **fields):
    return Observation(
        source=source,
        file_id=file_id,
        kind="roster",
        name=name,
        reporting_month=parse_month(reporting) if reporting else None,
        **fields,
    )


def annual(source, file_id, name="贺永生", latest="1998-12"):
    return Observation(
        source=source, file_id=file_id, kind="annual", name=name, latest_paid=parse_month(latest)
    )


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("干部", "cadre"),
        ("管理人员", "cadre"),
        ("专业技术岗", "cadre"),
        ("以工代干", "cadre"),
        ("工人", "worker"),
        ("合同制工人", "worker"),
        ("固定工", "worker"),
        ("临时工", "worker"),
        ("农民合同制工人", "worker"),
        ("", None),
        (None, None),
        ("其他", None),
    ],
)
def test_category_wordings(text, category):
    assert category_of(text) == category


def test_name_written_in_most_files_wins_and_a_file_counts_once():
    observations = [
        roster("a:1", 1),
        roster("a:2", 1, name="贺永升"),
        roster("a:3", 1, name="贺永升"),
        annual("b:1", 2),
        annual("c:1", 3, name="贺永升"),
    ]
    # 贺永生: files 1 and 2; 贺永升: files 1 and 3 — a tie, broken by the newest roster (both in
    # file 1 at the same month), then by the file with the latest paid month (also equal),
    # and last by character order, so that the choice never depends on the order of input
    assert choose_name(observations) == "贺永升"
    assert choose_name(list(reversed(observations))) == "贺永升"
    observations.append(annual("d:1", 4, latest="2001-01"))
    assert choose_name(observations) == "贺永生"


def test_name_tie_goes_to_the_most_recent_roster():
    observations = [
        roster("r96:3", 1, name="贺永生", reporting="1996-12"),
        roster("r03:3", 2, name="贺永升", reporting="2003-12"),
    ]
    assert choose_name(observations) == "贺永升"


def test_name_tie_without_rosters_goes_to_the_latest_paid_file():
    observations = [
        annual("a:1", 1, name="林国华", latest="1999-12"),
        annual("b:1", 2, name="林国骅", latest="2005-06"),
    ]
    assert choose_name(observations) == "林国骅"


def test_birth_date_compared_at_the_precision_written():
    agree = [
        roster("r:1", 1, birth_written=PartialDate(1956, 2, None)),
        roster("r:2", 2, birth_written=PartialDate(1956, 2, 6)),
    ]
    assert reconcile_identity(agree, BIRTH, "M").conflicts == []
    differ = agree + [roster("r:3", 3, birth_written=PartialDate(1956, 3, None))]
    conflicts = reconcile_identity(differ, BIRTH, "M").conflicts
    assert [(c.field, c.values, c.sources) for c in conflicts] == [
        ("birth_date", ("1956-02-06", "1956-03"), ("r:3",))
    ]


def test_work_start_earliest_and_conflict_at_month_precision():
    observations = [
        roster("r:1", 1, work_start=parse_month("1973-08")),
        roster("r:2", 2, work_start=parse_month("1973-08")),
        roster("r:3", 3, work_start=parse_month("1972-01")),
    ]
    identity = reconcile_identity(observations, BIRTH, "M")
    assert identity.work_start == parse_month("1972-01")
    assert [c.field for c in identity.conflicts] == ["work_start"]


def test_category_from_the_newest_roster_that_fills_it():
    observations = [
        roster("r96:1", 1, reporting="1996-12", category_text="工人"),
        roster("r03:1", 2, reporting="2003-12", category_text="干部"),
        roster("r05:1", 3, reporting="2005-12", category_text=""),
    ]
    identity = reconcile_identity(observations, BIRTH, "M")
    assert identity.category == "cadre" and identity.conflicts == []


def test_category_conflict_only_between_rosters_of_the_same_newest_month():
    observations = [
        roster("a:1", 1, reporting="2003-12", category_text="工人"),
        roster("b:1", 2, reporting="2003-12", category_text="干部"),
    ]
    assert [c.field for c in reconcile_identity(observations, BIRTH, "M").conflicts] == ["category"]


def test_sex_conflict_and_archive_birth_date_from_the_earliest_roster():
    observations = [
        roster("r03:1", 2, reporting="2003-12", sex_written="F", birth_written=PartialDate(1956, 2, 6)),
        roster("r96:1", 1, reporting="1996-12", sex_written="M", birth_written=PartialDate(1956, 1, None)),
    ]
    identity = reconcile_identity(observations, BIRTH, "M")
    assert [c.field for c in identity.conflicts] == ["birth_date", "sex"]
    assert str(identity.archive_birth_date) == "1956-01"


def test_no_roster_leaves_roster_fields_empty():
    identity = reconcile_identity([annual("a:1", 1)], BIRTH, "M")
    assert (identity.category, identity.work_start, identity.archive_birth_date) == (None, None, None)
