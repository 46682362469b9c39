"""The 退休与续保 panel and certificate verification in a real browser (system Chromium, Playwright).

A clerk opens 汤卫东 (man, 1973-05) and reads: retirement month 2035-07; months short 116
(minimum 216 for 2035 = 180 + 6 × 6; 100 months so far); continuing from 2026-12 costs
0.6 × 7300 × 20% = 876.00 a month at 60% and 7300 × 20% = 1460.00 at 100% (7300: the sample
policy's 2025 wage, used for later years too); and the explanation on demand.
"""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

from playwright.sync_api import expect  # noqa: E402

from tests.web import test_browser as shared  # noqa: E402

browser_page = shared.browser_page  # the same Chromium and clerk fixtures as test_browser
clerk = shared.clerk
_log_in = shared._log_in

pytestmark = [pytest.mark.browser]
TANG_WEIDONG = "130602197305269198"


def test_clerk_reads_retirement_months_short_and_costs(
    live_server, clerk, sample_bundle, browser_page, tmp_path
):
    from shebao.contributions.imports import import_paths

    import_paths([sample_bundle])
    page = browser_page
    _log_in(page, live_server)
    page.locator("#top-q").fill(TANG_WEIDONG)
    page.locator("#top-q").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("汤卫东")
    page.get_by_label("截至年月").fill("2026-11")
    page.get_by_role("button", name="更新").click()

    panel = page.locator("#retirement-panel")
    expect(panel.locator('[data-field="retirement-month"]')).to_have_text("2035-07")
    expect(panel.locator('[data-field="months-short"]')).to_have_text("116")
    expect(panel).to_contain_text("216")
    expect(panel.locator('[data-field="monthly-cost"]')).to_have_text("876.00")
    expect(panel.locator('[data-field="total-cost"]')).to_have_text("91104.00")

    panel.get_by_label("100%").check()
    expect(panel.locator('[data-field="monthly-cost"]')).to_have_text("1460.00")
    expect(panel.locator('[data-field="total-cost"]')).to_have_text("151840.00")

    explain = panel.locator("#plan-result details.explain")
    expect(explain.locator("ol.steps")).not_to_be_visible()
    explain.locator("summary").click()
    expect(explain).to_contain_text("实缴 100 + 视同 0 + 续保 104 = 204 个月")
    expect(explain).to_contain_text("国发〔2005〕38号")
    page.screenshot(path=str(tmp_path / "retirement-panel.png"), full_page=True)
    if os.environ.get("SHEBAO_SCREENSHOTS"):
        page.screenshot(path=os.environ["SHEBAO_SCREENSHOTS"] + "/retirement-panel.png", full_page=True)

    panel.get_by_label("60%").check()
    expect(panel.locator('[data-field="monthly-cost"]')).to_have_text("876.00")


def test_verification_code_checks_out_in_the_browser(live_server, clerk, sample_bundle, browser_page):
    from shebao.contributions.imports import import_paths
    from shebao.counter.certificates import issue_certificate
    from shebao.people.models import Person
    from shebao.rules.months import parse_month

    import_paths([sample_bundle])
    certificate, _ = issue_certificate(
        clerk, Person.objects.get(id_number=TANG_WEIDONG), "proof", parse_month("2026-11")
    )
    page = browser_page
    _log_in(page, live_server)
    page.get_by_role("link", name="证明核验").click()
    page.get_by_role("textbox", name="核验码").fill(certificate.code.lower())
    page.get_by_role("button", name="核验").click()
    result = page.locator("#verify-result")
    expect(result).to_contain_text("有效")
    expect(result).to_contain_text("汤**")
    expect(result).to_contain_text("2026年11月")  # 截至, as the paper prints it
    page.get_by_role("textbox", name="核验码").fill("AAAA-BBBB-CCCC-DDDD")
    page.get_by_role("button", name="核验").click()
    expect(page.locator("#verify-result")).to_contain_text("无效")
