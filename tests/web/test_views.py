"""The web UI through Django's test client, on the imported sample bundle.

Expected values are the sample's truth.json (written by hand with the sample), never
read back from the code under test.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from shebao.audit.models import AuditEntry
from shebao.contributions.imports import import_paths
from shebao.contributions.models import SourceRow
from shebao.people.models import Person
from tests.web.support import NAMESAKE_BIRTH, write_namesake

HE_GUILAN = "130603196412031769"  # 何桂兰: 2 gaps, arrears 保定市纺织厂 24 months
HE_YONGSHENG = "130603195602062393"  # 贺永生: name conflict 贺永生/贺永升, 15-digit 130603560206239
JIA_CHUNHUA = "130603197302236928"  # 贾春花: birth_date conflict 1973-02-23 / 1974-02-23
FULL_WIDTH_15 = "１３０６０３５６０２０６２３９"  # 130603560206239 in full-width digits

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk_client(client, users, imported_sample):
    client.force_login(users["counter_clerk"])
    return client


def _person(number: str) -> Person:
    return Person.objects.get(id_number=number)


def _text(response) -> str:
    """Visible text of a page, tags removed, white space collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _zip_of(folder, names=None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
        for name, content in (names or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("web:search", []),
        ("web:person", [1]),
        ("web:row", [1]),
        ("web:import", []),
        ("web:import_run", [1]),
        ("web:import_rejections", [1]),
    ],
)
def test_pages_require_login(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_login_page_is_chinese(client):
    response = client.get(reverse("web:login"))
    assert response.status_code == 200
    assert "登录" in _text(response) and "用户名" in _text(response) and "密码" in _text(response)


def test_logout_is_a_post(clerk_client):
    assert clerk_client.get(reverse("web:logout")).status_code == 405
    assert clerk_client.post(reverse("web:logout")).status_code == 302
    assert clerk_client.get(reverse("web:search")).status_code == 302  # logged out


def test_search_by_15_digit_id_in_full_width_digits_opens_the_person(clerk_client):
    response = clerk_client.post(reverse("web:search"), {"q": FULL_WIDTH_15})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:person", args=[_person(HE_YONGSHENG).pk])
    entry = AuditEntry.objects.filter(action="person.search").last()
    assert entry.detail["results"] == 1 and HE_YONGSHENG not in str(entry.detail)


def test_search_by_18_digit_id_with_lower_case_and_spaces(clerk_client):
    # 18-digit numbers whose check character is X are not in the sample; spaces and width are
    response = clerk_client.post(reverse("web:search"), {"q": " 130603 19641203 1769 "})
    assert response["Location"] == reverse("web:person", args=[_person(HE_GUILAN).pk])


def test_search_live_with_htmx_returns_the_partial_list(clerk_client):
    response = clerk_client.post(reverse("web:search"), {"q": HE_GUILAN}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "何桂兰" in html
    assert reverse("web:person", args=[_person(HE_GUILAN).pk]) in html


def test_search_no_match_says_so(clerk_client):
    response = clerk_client.post(reverse("web:search"), {"q": "欧阳不存在"})
    assert response.status_code == 200
    assert "未找到相符的人员" in _text(response)


def test_search_partial_id_asks_for_the_whole_number(clerk_client):
    response = clerk_client.post(reverse("web:search"), {"q": "1306031964"})
    assert "已输入 10 位" in _text(response)


def test_name_with_several_matches_lists_them_with_birth_dates_and_employers(clerk_client, tmp_path):
    report = import_paths([write_namesake(tmp_path)])
    assert report.accepted == 1
    response = clerk_client.post(reverse("web:search"), {"q": "何桂兰"})
    assert response.status_code == 200
    text = _text(response)
    assert "找到 2 人" in text
    html = response.content.decode()
    for person in Person.objects.filter(name="何桂兰"):
        assert reverse("web:person", args=[person.pk]) in html
    assert HE_GUILAN in text and "1964-12-03" in text  # a counter clerk sees full numbers
    assert NAMESAKE_BIRTH in text
    assert "保定市纺织厂" in text  # employers are listed


def test_auditor_sees_masked_ids_in_the_list(client, users, imported_sample):
    client.force_login(users["auditor"])
    response = client.post(reverse("web:search"), {"q": "何桂兰"}, HTTP_HX_REQUEST="true")
    text = _text(response)
    # lists mask names too for roles without full values (issue 4); the detail page shows the name
    assert "何*兰" in text and "何桂兰" not in text and HE_GUILAN not in text and "1306**********1769" in text


def test_auditor_sees_masked_ids_on_the_person_and_row_pages(client, users, imported_sample):
    client.force_login(users["auditor"])
    person = _person(HE_YONGSHENG)
    text = _text(client.get(reverse("web:person", args=[person.pk])))
    assert "贺永生" in text and "1306**********2393" in text
    assert HE_YONGSHENG not in text and "130603560206239" not in text
    row = SourceRow.objects.filter(person=person, kind="roster").first()
    text = _text(client.get(reverse("web:row", args=[row.pk])))
    assert "贺永" in text and HE_YONGSHENG not in text and "130603560206239" not in text


def test_person_page_shows_gaps_arrears_and_interruption(clerk_client):
    person = _person(HE_GUILAN)
    response = clerk_client.get(reverse("web:person", args=[person.pk]), {"as_of": "2026-11"})
    assert response.status_code == 200
    text = _text(response)
    assert "何桂兰" in text and HE_GUILAN in text
    assert "实缴月数 289 个月" in text
    assert "视同缴费月数 17 个月" in text
    assert "1995-01 1996-12 24" in text and "2001-04 2003-01 22" in text  # gaps
    assert "保定市纺织厂 欠缴 24 个月" in text
    assert "自 2014-12 起中断缴费" in text
    html = response.content.decode()
    for state in ("paid", "gap", "arrears", "deemed"):
        assert f'class="cell {state}"' in html
    assert 'title="1995-01 欠缴（在职未缴）"' in html  # employed at 保定市纺织厂, nothing paid
    assert 'title="2001-04 未缴费（间断）"' in html


def test_person_page_shows_the_name_conflict_with_links_to_rows(clerk_client):
    person = _person(HE_YONGSHENG)
    response = clerk_client.get(reverse("web:person", args=[person.pk]), {"as_of": "2026-11"})
    text = _text(response)
    assert "数据冲突" in text and "姓名" in text
    assert "贺永生" in text and "贺永升" in text
    html = response.content.decode()
    row_links = set(re.findall(r'href="/row/(\d+)/"', html))
    evidence = set(SourceRow.objects.filter(person=person).values_list("pk", flat=True))
    assert row_links and {int(pk) for pk in row_links} <= evidence


def test_person_page_shows_the_birth_date_conflict(clerk_client):
    response = clerk_client.get(reverse("web:person", args=[_person(JIA_CHUNHUA).pk]), {"as_of": "2026-11"})
    text = _text(response)
    assert re.search(r"出生日期：\s*1973-02-23\s*/\s*1974-02-23", text)
    assert "rosters/保定市第二机械厂-花名册-1996.xlsx:花名册:14" in text


def test_periods_link_to_their_rows(clerk_client):
    person = _person(HE_GUILAN)
    response = clerk_client.get(reverse("web:person", args=[person.pk]), {"as_of": "2026-11"})
    html = response.content.decode()
    periods = html.split('class="list periods"', 1)[1]
    first = periods.split("</tr>", 2)[1]  # the header row, then the 1987 period
    assert "1987-01" in first and "165.00" in first
    linked = {int(pk) for pk in re.findall(r'href="/row/(\d+)/"', first)}
    kinds = set(SourceRow.objects.filter(pk__in=linked).values_list("kind", flat=True))
    assert kinds == {"annual", "card"}


def test_person_page_is_audited_with_purpose(clerk_client):
    person = _person(HE_GUILAN)
    clerk_client.get(reverse("web:person", args=[person.pk]), {"purpose": "续保"})
    entry = AuditEntry.objects.filter(action="person.view", object_id=str(person.pk)).last()
    assert entry.outcome == "ok" and entry.purpose == "续保" and entry.actor == "counter_clerk"


def test_bad_as_of_is_an_error_not_a_crash(clerk_client):
    response = clerk_client.get(reverse("web:person", args=[_person(HE_GUILAN).pk]), {"as_of": "2026-13"})
    assert response.status_code == 200
    assert "请按 YYYY-MM 填写年月" in _text(response)


def test_employer_hr_of_another_employer_gets_403_and_is_audited(client, users, imported_sample):
    client.force_login(users["employer_hr"])
    person = _person(HE_GUILAN)
    response = client.get(reverse("web:person", args=[person.pk]))
    assert response.status_code == 403
    assert "无权" in _text(response)
    assert "何桂兰" not in _text(response)
    entry = AuditEntry.objects.filter(action="person.view", object_id=str(person.pk)).last()
    assert entry.outcome == "denied" and entry.actor == "employer_hr"
    # nor can they find the person or open the rows behind the record
    found = client.post(reverse("web:search"), {"q": HE_GUILAN})
    assert "未找到相符的人员" in _text(found)
    row = SourceRow.objects.filter(person=person).first()
    assert client.get(reverse("web:row", args=[row.pk])).status_code == 403
    assert AuditEntry.objects.filter(action="row.view", object_id=str(row.pk), outcome="denied").exists()


def test_row_page_shows_the_row_as_imported(clerk_client):
    row = SourceRow.objects.filter(person=_person(JIA_CHUNHUA), kind="roster").order_by("pk").first()
    response = clerk_client.get(reverse("web:row", args=[row.pk]))
    assert response.status_code == 200
    text = _text(response)
    assert row.source_file.path in text and f"第 {row.row} 行" in text
    for _header, value in row.cells:
        assert str(value) in text
    assert AuditEntry.objects.filter(action="row.view", object_id=str(row.pk), outcome="ok").exists()


def test_rejected_row_is_for_importers_only(client, users, imported_sample):
    row = SourceRow.objects.filter(status="rejected").first()
    client.force_login(users["auditor"])
    assert client.get(reverse("web:row", args=[row.pk])).status_code == 403
    client.force_login(users["archivist"])
    response = client.get(reverse("web:row", args=[row.pk]))
    assert response.status_code == 200 and "拒收" in _text(response)


def test_import_page_is_for_importers_only(client, users):
    client.force_login(users["auditor"])
    assert client.get(reverse("web:import")).status_code == 403
    client.force_login(users["counter_clerk"])
    assert client.get(reverse("web:import")).status_code == 200


def _upload(client, name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("web:import"), {"files": [SimpleUploadedFile(name, content)]})


def test_import_of_the_sample_as_a_zip_then_download_the_rejections(client, users, sample_bundle):
    client.force_login(users["counter_clerk"])
    response = _upload(client, "legacy-baoding.zip", _zip_of(sample_bundle))
    assert response.status_code == 302
    page = client.get(response["Location"])
    text = _text(page)
    assert "导入结果" in text
    assert "文件 12 数据行 1053 接收 1044 跳过 6 拒收 3" in text
    assert "涉及人员 40" in text
    assert "身份证号校验位错误" in text and "身份证号被表格软件存成数字，末几位已丢失" in text
    assert "rosters/保定市水泥厂-花名册-2003.xlsx" in text

    run_id = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    download_url = reverse("web:import_rejections", args=[run_id])
    assert download_url in page.content.decode()
    download = client.get(download_url)
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(download.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert len(body) == 3
    located = {(r[0], r[2], r[3]) for r in body}
    assert located == {
        ("rosters/保定市水泥厂-花名册-2003.xlsx", 17, "id_number_check_digit"),
        ("rosters/保定市水泥厂-花名册-2003.xlsx", 27, "id_number_damaged"),
        ("rosters/保定市第二机械厂-花名册-2003.xlsx", 21, "id_number_damaged"),
    }
    # the original cells are there, under their own headers
    assert any("姓名" in str(h) for h in header[6:])
    assert all(any(v not in (None, "") for v in r[6:]) for r in body)

    # only the one who ran it (or an administrator) may download
    client.force_login(users["archivist"])
    assert client.get(download_url).status_code == 403
    client.force_login(users["admin"])
    assert client.get(download_url).status_code == 200


def test_importing_the_same_zip_again_adds_nothing(client, users, sample_bundle):
    client.force_login(users["counter_clerk"])
    _upload(client, "a.zip", _zip_of(sample_bundle))
    rows = SourceRow.objects.count()
    response = _upload(client, "a.zip", _zip_of(sample_bundle))
    text = _text(client.get(response["Location"]))
    assert "接收 0" in text and "未变化" in text
    assert SourceRow.objects.count() == rows


@pytest.mark.parametrize(
    ("member", "message"),
    [
        ("../evil.csv", "跳出目标文件夹"),
        ("a/../../evil.csv", "跳出目标文件夹"),
        ("/etc/evil.csv", "绝对路径"),
        ("C:/evil.csv", "盘符"),
    ],
)
def test_zip_with_unsafe_path_is_refused(client, users, tmp_path, member, message):
    client.force_login(users["counter_clerk"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("good.csv", "身份证号,姓名\n")
        archive.writestr(member, "身份证号,姓名\n")
    response = _upload(client, "evil.zip", buffer.getvalue())
    assert response.status_code == 400
    text = _text(response)
    assert message in text and "未导入任何文件" in text
    assert SourceRow.objects.count() == 0


def test_upload_of_plain_files_keeps_their_names(client, users, sample_bundle):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(users["archivist"])
    path = sample_bundle / "养老保险卡登记.csv"
    response = client.post(
        reverse("web:import"), {"files": [SimpleUploadedFile(path.name, path.read_bytes())]}
    )
    assert response.status_code == 302
    text = _text(client.get(response["Location"]))
    assert "文件 1" in text
    assert SourceRow.objects.filter(source_file__path="养老保险卡登记.csv").exists()


def test_output_is_escaped(clerk_client):
    person = _person(HE_GUILAN)
    Person.objects.filter(pk=person.pk).update(name="<script>alert(1)</script>")
    response = clerk_client.get(reverse("web:person", args=[person.pk]))
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_import_enforces_csrf(users, sample_bundle):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(users["counter_clerk"])
    path = sample_bundle / "养老保险卡登记.csv"
    response = strict.post(
        reverse("web:import"), {"files": [SimpleUploadedFile(path.name, path.read_bytes())]}
    )
    assert response.status_code == 403
    assert SourceRow.objects.count() == 0
    assert strict.post(reverse("web:search"), {"q": HE_GUILAN}).status_code == 403


def test_forms_carry_csrf_tokens(clerk_client):
    for url in (reverse("web:search"), reverse("web:import")):
        assert "csrfmiddlewaretoken" in clerk_client.get(url).content.decode()


def test_links_use_pks_not_id_numbers(clerk_client):
    response = clerk_client.get(reverse("web:person", args=[_person(HE_GUILAN).pk]))
    hrefs = re.findall(r'(?:href|action)="([^"]*)"', response.content.decode())
    assert hrefs and not any(re.search(r"\d{15}", h) for h in hrefs)


# 贺永生 is written 贺永升 in one roster (a variant); 贺咏声 is a spelling nobody wrote (same pinyin).
@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ("贺咏声", "没有姓名完全相同的人员；以下为同音姓名（拼音相同），请核对身份证号"),
        ("贺永升", "以下人员的档案中曾写作此姓名"),
    ],
)
def test_a_single_homophone_or_variant_match_is_listed_not_opened(clerk_client, query, notice):
    response = clerk_client.post(reverse("web:search"), {"q": query})
    assert response.status_code == 200  # never a redirect to someone who may be another person
    text = _text(response)
    assert notice in text and "找到 1 人" in text
    assert HE_YONGSHENG in text and "贺永生" in text
    assert reverse("web:person", args=[_person(HE_YONGSHENG).pk]) in response.content.decode()


def test_a_variant_match_says_which_name_the_record_once_wrote(clerk_client):
    text = _text(clerk_client.post(reverse("web:search"), {"q": "贺永升"}))
    assert "曾写作 贺永升" in text


def test_a_single_exact_name_match_still_opens_the_person(clerk_client):
    response = clerk_client.post(reverse("web:search"), {"q": "贺永生"})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:person", args=[_person(HE_YONGSHENG).pk])


def test_the_live_list_carries_the_homophone_notice(clerk_client):
    response = clerk_client.post(reverse("web:search"), {"q": "贺咏声"}, HTTP_HX_REQUEST="true")
    assert "同音姓名（拼音相同）" in _text(response)
