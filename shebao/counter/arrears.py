"""An employer's arrears (单位欠缴) per person and month, with late fees, and its xlsx breakdown.

Months owed are those of ``selectors``/``history.arrears_runs``: employed there (roster), at or
after the pooling start, with no payment by any source.  Amounts and late fees come from
``rules.arrears``: no declaration of the base is imported, so the base is the person's base in
the nearest paid month at that employer, else the region's minimum base (the explanation says
which, per line).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from shebao.accounts import policy as access_policy
from shebao.accounts.models import Role
from shebao.audit import services as audit
from shebao.contributions.models import EmploymentSpan
from shebao.people import selectors
from shebao.people.models import Employer, Person
from shebao.rules import arrears as rules
from shebao.rules import history
from shebao.rules.explain import money
from shebao.rules.idnumber import mask
from shebao.rules.months import Month, month_str
from shebao.rules.policy import RegionPolicy


def find_employers(query: str) -> list[Employer]:
    """By number, exact name, then names containing the text."""
    text = (query or "").strip()
    if not text:
        return []
    if text.isdigit():
        found = list(Employer.objects.filter(pk=int(text)))
        if found:
            return found
    exact = list(Employer.objects.filter(name=text))
    return exact or list(Employer.objects.filter(name__contains=text).order_by("name"))


def owed_and_paid(employer: Employer, policy: RegionPolicy, as_of: Month):
    """(owed months, paid records, persons by ID) for everyone a roster shows employed there."""
    persons = Person.objects.filter(
        pk__in=EmploymentSpan.objects.filter(employer=employer).values("person_id")
    ).order_by("id_number")
    owed: list[rules.OwedMonth] = []
    paid: list[rules.PaidRecord] = []
    by_id: dict[str, Person] = {}
    for person in persons:
        periods, spans, _ = selectors.stored_history(person)
        kept = history.cut_periods(periods, as_of)
        months = frozenset(m for p in kept for m in range(p.start, p.end + 1))
        runs = history.arrears_runs(spans, months, policy.pooling_start, as_of).get(employer.name, [])
        if not runs:
            continue
        by_id[person.id_number] = person
        owed.extend(rules.OwedMonth(person.id_number, employer.name, m) for run in runs for m in run)
        paid.extend(
            rules.PaidRecord(person.id_number, p.employer, m, p.base)
            for p in kept
            if p.employer == employer.name and p.base is not None
            for m in range(p.start, p.end + 1)
        )
    return owed, paid, by_id


@dataclass
class EmployerArrears:
    employer: Employer
    as_of: Month
    settle: dt.date
    report: rules.ArrearsReport
    persons: dict[str, Person]

    def person_rows(self, user) -> list[dict]:
        full = access_policy.can_see_full_id(user)
        rows = []
        for (_, pid), totals in self.report.by_person.items():
            person = self.persons[pid]
            rows.append(
                {
                    "person_pk": person.pk,
                    "name": person.name,
                    "id_number": pid if full else mask(pid),
                    **totals.to_dict(),
                }
            )
        return rows

    def to_dict(self, user) -> dict:
        full = access_policy.can_see_full_id(user)
        lines = []
        for line in self.report.lines:
            item = line.to_dict()
            item["name"] = self.persons[line.person].name
            if not full:
                item["person"] = mask(line.person)
                item["explain"]["inputs"]["person"] = mask(line.person)
            lines.append(item)
        return {
            "employer": self.employer.name,
            "as_of": month_str(self.as_of),
            "settle": self.settle.isoformat(),
            "lines": lines,
            "persons": self.person_rows(user),
            "total": self.report.total.to_dict(),
            "explain": self.report.explain.to_dict(),
        }


def employer_arrears(
    user, employer: Employer, policy: RegionPolicy, *, as_of: Month, settle: dt.date, channel: str = "web"
) -> EmployerArrears:
    """The arrears report of one employer (the caller checks ``access.can_view_employer_arrears``)."""
    owed, paid, persons = owed_and_paid(employer, policy, as_of)
    report = rules.arrears(owed, paid, policy, settle)
    audit.record(
        user,
        "employer.arrears",
        object_type="employer",
        object_id=employer.pk,
        detail={
            "as_of": month_str(as_of),
            "settle": settle.isoformat(),
            "persons": len(persons),
            "channel": channel,
        },
    )
    return EmployerArrears(employer, as_of, settle, report, persons)


def employers_visible_to(user):
    """Employers whose arrears this user may see (HR: their own only)."""
    from shebao.counter import access

    role = access_policy.role_of(user)
    if role not in access.ARREARS_READERS:
        return Employer.objects.none()
    if role == Role.EMPLOYER_HR:
        return Employer.objects.filter(Q(pk=user.profile.employer_id))
    return Employer.objects.all()


# --------------------------------------------------------------------------- xlsx (补缴缴费分解表)

HEADER = ["姓名", "身份证号", "所属期", "缴费基数", "单位部分", "个人部分", "滞纳金", "合计"]


def split(line: rules.ArrearsLine) -> tuple[Decimal, Decimal]:
    """(单位部分, 个人部分): the employer share rounded, the personal share the rest of the amount.

    So that the two parts always add up to the amount owed (rounded once, as the rule does).
    """
    employer_part = money(line.base * line.employer_rate)
    return employer_part, line.amount - employer_part


def arrears_workbook(result: EmployerArrears, user) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from shebao.web.xlsx import cell_value

    full = access_policy.can_see_full_id(user)
    book = Workbook()
    sheet = book.active
    sheet.title = "补缴缴费分解表"
    title = f"{result.employer.name} 欠缴养老保险费补缴缴费分解表"
    sheet.append([cell_value(title)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([cell_value(f"欠缴截至 {month_str(result.as_of)}，滞纳金计至 {result.settle.isoformat()}")])
    sheet.append(HEADER)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    money_format = "#,##0.00"
    employer_sum = personal_sum = Decimal("0.00")
    for line in result.report.lines:
        person = result.persons[line.person]
        employer_part, personal_part = split(line)
        employer_sum += employer_part
        personal_sum += personal_part
        sheet.append(
            [
                cell_value(person.name),
                cell_value(line.person if full else mask(line.person)),
                month_str(line.month),
                float(money(line.base)),
                float(employer_part),
                float(personal_part),
                float(line.fee),
                float(line.total),
            ]
        )
        for column in "DEFGH":
            sheet[f"{column}{sheet.max_row}"].number_format = money_format
    total = result.report.total
    sheet.append(
        [
            "合计",
            "",
            f"{total.months} 个月",
            None,
            float(employer_sum),
            float(personal_sum),
            float(total.late_fee),
            float(total.total),
        ]
    )
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for column in "EFGH":
        sheet[f"{column}{sheet.max_row}"].number_format = money_format
    for column, width in zip("ABCDEFGH", (12, 22, 10, 12, 12, 12, 12, 14), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A4"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
