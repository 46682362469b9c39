"""The web UI in a real browser: the system Chromium, headless, driven by Playwright.

Logs in, searches by a 15-digit ID, opens the person page and finds the gap, the
conflict and the arrears on it; saves screenshots for review (SHEBAO_SCREENSHOTS).
No person in the sample has all three (truth.json), so two persons are used:
贺永生 (name conflict 贺永生/贺永升, found by his 15-digit number) and 何桂兰 (gaps,
arrears at 保定市纺织厂 of 24 months).
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from tests.conftest import PASSWORD  # noqa: E402
from tests.web.support import NAMESAKE_BIRTH, write_namesake  # noqa: E402

pytestmark = [pytest.mark.browser]

# Screenshots go to a temporary folder; SHEBAO_SCREENSHOTS=docs/screenshots refreshes the
# ones kept in the repository (a test run must not change the working tree).
SCREENSHOTS = Path(os.environ.get("SHEBAO_SCREENSHOTS") or Path(tempfile.gettempdir()) / "shebao-screenshots")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser_page():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()


@pytest.fixture
def clerk(transactional_db):
    from shebao.accounts.models import Role
    from shebao.accounts.services import create_user

    return create_user("clerk", PASSWORD, Role.COUNTER_CLERK)


def _log_in(page, live_server):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/login/?next=/")
    page.get_by_label("用户名").fill("clerk")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="人员查询")).to_be_visible()


def test_look_up_by_15_digit_id_and_read_the_person_page(
    live_server, clerk, sample_bundle, browser_page, tmp_path
):
    from shebao.contributions.imports import import_paths

    import_paths([sample_bundle, write_namesake(tmp_path)])
    page = browser_page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    _log_in(page, live_server)

    # live search (htmx) by name lists the candidates
    box = page.locator("#id_q")
    box.fill("何桂兰")
    results = page.locator("#results")
    expect(results.get_by_role("link", name="何桂兰")).to_have_count(2)
    expect(results).to_contain_text("1964-12-03")
    expect(results).to_contain_text(NAMESAKE_BIRTH)
    expect(results).to_contain_text("保定市纺织厂")
    page.screenshot(path=str(SCREENSHOTS / "search.png"), full_page=True)

    # the plain form with a 15-digit number goes straight to the person page
    box.fill("130603560206239")
    page.get_by_role("button", name="查询", exact=True).last.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("贺永生")
    conflicts = page.locator("section.conflicts")
    expect(conflicts).to_contain_text("姓名")
    expect(conflicts).to_contain_text("贺永升")
    expect(conflicts.get_by_role("link").first).to_be_visible()
    expect(page.locator("dl.facts .conflict-mark").first).to_be_visible()

    # a conflict's source opens the row as imported
    conflicts.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("原始记录")
    expect(page.locator("table.cells")).to_contain_text("贺永")
    page.go_back()

    # 何桂兰: gaps and arrears, by her 15-digit number in full-width digits from the top bar
    page.locator("#top-q").fill("１３０６０３６４１２０３１７６")
    page.locator("#top-q").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("何桂兰")
    page.get_by_label("截至年月").fill("2026-11")
    page.get_by_role("button", name="更新").click()
    expect(page.locator("#main")).to_contain_text("截至 2026-11")
    summary = page.locator("section[aria-labelledby=h-summary]")
    expect(summary).to_contain_text("保定市纺织厂 欠缴 24 个月")
    expect(summary.locator("tr.gaprow").first).to_contain_text("1995-01")
    expect(summary.locator("tr.gaprow").nth(1)).to_contain_text("2001-04")
    expect(summary).to_contain_text("自 2014-12 起中断缴费")
    expect(page.locator('td[title="2002-06 未缴费（间断）"]')).to_have_text("断")
    expect(page.locator('td[title="1996-06 欠缴（在职未缴）"]')).to_have_text("欠")
    page.screenshot(path=str(SCREENSHOTS / "person.png"), full_page=True)
    # and the person with the conflict, for the record
    page.go_back()
    page.go_back()
    page.screenshot(path=str(SCREENSHOTS / "person-conflict.png"), full_page=True)


def test_import_page_uploads_a_zip_and_shows_the_rejections(
    live_server, clerk, sample_bundle, browser_page, tmp_path
):
    page = browser_page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    _log_in(page, live_server)
    archive = tmp_path / "legacy-baoding.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(sample_bundle.rglob("*")):
            if path.is_file():
                z.write(path, path.relative_to(sample_bundle).as_posix())
    archive.write_bytes(buffer.getvalue())

    page.get_by_role("link", name="导入").click()
    expect(page.get_by_role("heading", name="导入历史档案")).to_be_visible()
    page.get_by_label("选择文件").set_input_files(str(archive))
    page.screenshot(path=str(SCREENSHOTS / "import-form.png"), full_page=True)
    page.get_by_role("button", name="上传并导入").click()
    expect(page.get_by_role("heading", name="导入结果")).to_be_visible()
    expect(page.locator("dl.stats")).to_contain_text("1044")
    rejected = page.locator("section[aria-labelledby=h-rej]")
    expect(rejected.locator("tbody tr")).to_have_count(3)
    expect(rejected).to_contain_text("身份证号校验位错误")
    with page.expect_download() as download:
        rejected.get_by_role("link", name="下载拒收记录（xlsx）").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    page.screenshot(path=str(SCREENSHOTS / "import.png"), full_page=True)
