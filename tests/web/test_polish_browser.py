"""Layout checks in a real browser (system Chromium, Playwright): the audit table within a
1366 px screen, the renewal queue's short cells on one line, the menu wrapping by item on a
narrow screen.  Screenshots go to tmp_path, and to $SHEBAO_SCREENSHOTS when set, for review."""

from __future__ import annotations

import datetime as dt
import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

from playwright.sync_api import expect  # noqa: E402

from tests.conftest import PASSWORD  # noqa: E402
from tests.web import test_browser as shared  # noqa: E402

browser_page = shared.browser_page  # the same Chromium as test_browser

pytestmark = [pytest.mark.browser]

# How many line boxes an element's text takes (1: it does not wrap).
TEXT_LINES = (
    "e => { const r = document.createRange(); r.selectNodeContents(e); return r.getClientRects().length; }"
)


def _shot(page, tmp_path, name: str) -> None:
    page.screenshot(path=str(tmp_path / name), full_page=True)
    if os.environ.get("SHEBAO_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["SHEBAO_SCREENSHOTS"], name), full_page=True)


def _user(role: str):
    from shebao.accounts.services import create_user

    return create_user(role, PASSWORD, role)


def _log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="人员查询")).to_be_visible()


def _widest_overflow(page) -> int:
    """How far the page is wider than the window (0 when nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_audit_table_fits_a_1366_screen(live_server, transactional_db, browser_page, tmp_path):
    from shebao.audit import services as audit

    _user("auditor")
    long = "保定市第二机械厂职工档案查阅" * 6
    audit.record("counter_clerk", "person.view", object_type="person", object_id=12, purpose=long)
    audit.record(
        "counter_clerk",
        "person.search",
        detail={"query": "何*兰", "results": 2, "channel": "web", "note": "x" * 300},
    )
    audit.record(
        "someone",
        "login.failure",
        object_type="user",
        detail={"username": "someone", "ip": "10.0.0.8"},
        outcome="denied",
    )
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 800})
    _log_in(page, live_server, "auditor")
    page.goto(f"{live_server.url}/audit/")
    table = page.locator("table.auditlog")
    expect(table).to_contain_text("查阅人员档案")
    expect(table).to_contain_text("人员 #12")
    expect(table).to_contain_text("登录失败")
    expect(page.get_by_label("操作", exact=True)).to_have_js_property("tagName", "SELECT")
    assert _widest_overflow(page) <= 0
    box = table.bounding_box()
    assert box["x"] + box["width"] <= 1366
    _shot(page, tmp_path, "audit.png")


def test_renewal_queue_names_and_statuses_on_one_line(live_server, transactional_db, browser_page, tmp_path):
    from shebao.counter.models import RenewalEntry
    from shebao.people.models import Employer, Person

    _user("counter_clerk")
    names = ["欧阳春花", "王建国", "李䶮"]
    for i, name in enumerate(names):
        person = Person.objects.create(
            id_number=["130602197001010011", "130602197001010038", "130602197001010054"][i],
            name=name,
            sex="M",
            birth_date=dt.date(1970, 1, 1),
            phone="13900001234" if i == 0 else "",
        )
        RenewalEntry.objects.create(
            person=person,
            reason=RenewalEntry.Reason.STOPPED,
            details={"last_paid": "2020-12", "months_stopped": 71, "months_so_far": 132, "months_short": 102},
            refreshed_on=dt.date(2026, 12, 4),
        )
    employer = Employer.objects.create(name="保定市某某机械制造有限责任公司")
    RenewalEntry.objects.create(
        employer=employer,
        reason=RenewalEntry.Reason.ARREARS_GREW,
        details={"arrears_months": 3, "arrears_months_before": 1},
        refreshed_on=dt.date(2026, 12, 4),
    )
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 800})
    _log_in(page, live_server, "counter_clerk")
    page.goto(f"{live_server.url}/renewals/")
    line = page.evaluate("parseFloat(getComputedStyle(document.body).lineHeight) || 24")
    for name in names:
        cell = page.locator("td.who", has_text=name)
        assert cell.locator("a").bounding_box()["height"] <= line * 1.3, name
    for status in page.locator("td.status").all():
        # the row may be tall (the 处理 form); the status text itself is one line
        assert status.evaluate(TEXT_LINES) == 1
    _shot(page, tmp_path, "renewals.png")


def test_menu_wraps_by_item_on_a_narrow_screen(live_server, transactional_db, browser_page, tmp_path):
    _user("admin")  # the longest menu
    page = browser_page
    page.set_viewport_size({"width": 420, "height": 800})
    _log_in(page, live_server, "admin")
    for link in page.locator(".topbar nav a").all():
        rects = link.evaluate(TEXT_LINES)
        assert rects == 1, link.inner_text()
    _shot(page, tmp_path, "menu-narrow.png")


def test_homophone_search_lists_and_verify_shows_the_figures(
    live_server, transactional_db, sample_bundle, browser_page, tmp_path
):
    from shebao.contributions.imports import import_paths
    from shebao.counter.certificates import issue_certificate
    from shebao.people.models import Person
    from shebao.rules.months import parse_month

    import_paths([sample_bundle])
    clerk = _user("counter_clerk")
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 800})
    _log_in(page, live_server, "counter_clerk")
    page.locator("#top-q").fill("贺咏声")  # nobody wrote it; 贺永生 sounds the same
    page.locator("#top-q").press("Enter")
    expect(page.get_by_role("heading", name="人员查询")).to_be_visible()  # a list, not his page
    expect(page.locator("#results")).to_contain_text("以下为同音姓名（拼音相同），请核对身份证号")
    _shot(page, tmp_path, "search-homophone.png")

    certificate, _ = issue_certificate(
        clerk, Person.objects.get(id_number="130603196412031769"), "proof", parse_month("2026-11")
    )
    page.goto(f"{live_server.url}/verify/")
    page.get_by_role("textbox", name="核验码").fill(certificate.code)
    page.get_by_role("button", name="核验").click()
    result = page.locator("#verify-result")
    expect(result).to_contain_text("实际缴费月数")
    expect(result).to_contain_text("1306**********1769")
    _shot(page, tmp_path, "verify.png")
