"""Certificates as PDF: rare characters drawn, text extractable, fonts embedded, codes check.

The PDFs are read back with poppler (pdftotext, pdffonts), not with the code under test.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess

import pytest

from shebao.certificates import (
    CertificateData,
    CertificateDataError,
    CodeError,
    GapData,
    PeriodData,
    PersonData,
    SummaryData,
    check_code,
    make_code,
    normalize_code,
    render_certificate,
    with_code,
)

SECRET = "test-secret"
TRICKY_EMPLOYER = "保定<b>&第二机械厂"


def person(name: str, id_number: str = "130604196309152032", sex: str = "M", birth: str = "1963-09-15"):
    return PersonData(name, id_number, sex, birth, ("130604630915203",))


# A worker at a textile mill, a gap, then a flexible worker: 12 + 84 + 190 = 286 paid months.
PERIODS = (
    PeriodData("1987-01", "1987-12", "保定市纺织厂", "88.00", False, 12),
    PeriodData("1988-01", "1994-12", TRICKY_EMPLOYER, "120.00", False, 84),
    PeriodData("1997-01", "2012-10", None, "1800.00", True, 190),
)
SUMMARY = SummaryData(286, 70, "1987-01", "2012-10", "2012-11")
GAPS = (GapData("1995-01", "1996-12", 24),)


def certificate(name: str, kind: str = "proof", **person_fields) -> CertificateData:
    data = CertificateData(
        issuing_office="保定市社会保险事业管理局",
        issued_at=dt.datetime(2026, 11, 3, 10, 15),
        as_of="2026-10",
        verification_code="",
        person=person(name, **person_fields),
        summary=SUMMARY,
        gaps=GAPS,
        periods=PERIODS,
    )
    return with_code(data, kind, SECRET)


def pdf_text(pdf: bytes, tmp_path, layout: bool = True) -> str:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    text = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return re.sub(r"[ \t]+", " ", text)  # table cells are spaced by column width


def pdf_fonts(pdf: bytes, tmp_path) -> list[tuple[str, str]]:
    """(font name without subset prefix, emb column) for each font pdffonts lists."""
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name type [type…] encoding emb sub uni object ID
        rows.append((parts[0].split("+")[-1], parts[-5]))
    return rows


# --- Rare characters -----------------------------------------------------------------------

RARE_NAMES = [
    # name, kind, font whose subset must be embedded for the rare character
    ("刘䶮", "proof", "WenQuanYiZenHei-0"),  # U+4DAE, Extension A: in the primary font
    ("刘䶮", "handbook", "WenQuanYiZenHei-0"),
    ("王𪚥", "proof", "HanaMinA"),  # U+2A6A5, Extension B: first fallback
    ("王𪚥", "handbook", "HanaMinA"),
    ("李𤭢", "proof", "HanaMinB"),  # U+24B62, Extension B: only the second fallback has it
    ("李𤭢", "handbook", "HanaMinB"),
]


@pytest.mark.parametrize(("name", "kind", "font"), RARE_NAMES)
def test_rare_name_is_drawn_and_extractable(name, kind, font, tmp_path):
    data = certificate(name, kind)
    result = render_certificate(data, kind)

    assert result.missing_glyphs == []
    assert result.flagged is False
    text = pdf_text(result.pdf, tmp_path)
    assert f"姓名 {name}" in text
    assert data.verification_code in text
    assert "130604196309152032" in text
    assert "截至 2026年10月" in text
    assert (font, "yes") in pdf_fonts(result.pdf, tmp_path)


PROOF_ROWS = [
    "1 1987-01 至 1987-12 保定市纺织厂 88.00 12",
    f"2 1988-01 至 1994-12 {TRICKY_EMPLOYER} 120.00 84",
    "3 1997-01 至 2012-10 灵活就业 1800.00 190",
    "合计 286",
    "1 1995-01 1996-12 24",  # the gap
    "实际缴费月数 286 个月 视同缴费月数 70 个月",
    "356 个月（29年8个月）",
]


@pytest.mark.parametrize("row", PROOF_ROWS)
def test_proof_lists_every_period(row, tmp_path):
    text = pdf_text(render_certificate(certificate("刘䶮"), "proof").pdf, tmp_path)
    assert row in text


HANDBOOK_ROWS = [
    "1987 01–12 月 保定市纺织厂 88.00 12",
    f"1988 01–12 月 {TRICKY_EMPLOYER} 120.00 12",
    f"1994 01–12 月 {TRICKY_EMPLOYER} 120.00 12",
    "1997 01–12 月 灵活就业 1800.00 12",
    "2012 01–10 月 灵活就业 1800.00 10",
    "合计 286",
]


@pytest.mark.parametrize("row", HANDBOOK_ROWS)
def test_handbook_lists_every_year(row, tmp_path):
    text = pdf_text(render_certificate(certificate("王𪚥", "handbook"), "handbook").pdf, tmp_path)
    assert row in text


@pytest.mark.parametrize("kind", ["proof", "handbook"])
def test_no_year_row_for_gap_years(kind, tmp_path):
    text = pdf_text(render_certificate(certificate("刘䶮", kind), kind).pdf, tmp_path)
    assert not re.search(r"^ ?199[56] ", text, re.MULTILINE)


# --- Missing characters ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "missing"),
    [
        ("张\ue000", ["\ue000"]),  # private use: no font has it
        ("张\U0010fffd明", ["\U0010fffd"]),  # plane 16 private use
        ("\ue000张\ue000\ue001", ["\ue000", "\ue001"]),  # reported once each, in order
    ],
)
@pytest.mark.parametrize("kind", ["proof", "handbook"])
def test_character_no_font_has_is_shown_and_flagged(name, missing, kind, tmp_path):
    result = render_certificate(certificate(name, kind), kind)

    assert result.missing_glyphs == missing
    assert result.flagged is True
    text = pdf_text(result.pdf, tmp_path)
    assert "姓名 " + "".join("□" if ch in missing else ch for ch in name) in text
    for ch in missing:
        assert f"U+{ord(ch):04X}" in text  # the printed warning names the code point
    assert "须人工核对" in text


# --- Embedding, pages, determinism -----------------------------------------------------------


@pytest.mark.parametrize(("name", "kind"), [("刘䶮", "proof"), ("王𪚥", "handbook"), ("李𤭢", "proof")])
def test_every_font_is_embedded(name, kind, tmp_path):
    fonts = pdf_fonts(render_certificate(certificate(name, kind), kind).pdf, tmp_path)
    assert fonts
    assert all(emb == "yes" for _, emb in fonts), fonts


def long_record() -> CertificateData:
    """A base change every year 1987–2025: 39 yearly rows, more than one page."""
    periods = tuple(
        PeriodData(f"{year}-01", f"{year}-12", "保定市纺织厂", f"{100 + 50 * (year - 1987)}.00", False, 12)
        for year in range(1987, 2026)
    )
    data = CertificateData(
        issuing_office="保定市社会保险事业管理局",
        issued_at=dt.datetime(2026, 11, 3, 9, 0),
        as_of="2026-10",
        verification_code="",
        person=PersonData("赵桂兰", "13060219700412004X", "F", "1970-04-12"),
        summary=SummaryData(468, 0, "1987-01", "2025-12", "2026-01"),
        periods=periods,
    )
    return with_code(data, "handbook", SECRET)


def test_handbook_spans_pages_with_header_and_numbers(tmp_path):
    data = long_record()
    text = pdf_text(render_certificate(data, "handbook").pdf, tmp_path)
    pages = text.split("\f")[:-1]  # pdftotext ends every page with a form feed

    assert len(pages) == 2
    for number, page in enumerate(pages, start=1):
        assert f"第{number}页/共2页" in page.replace(" ", "")  # -layout may close up the spaces
        assert "年度 缴费月份 缴费单位 月缴费基数（元） 缴费月数" in page  # header row repeated
        assert "赵桂兰" in page and "13060219700412004X" in page  # running header
    assert "1987 01–12 月 保定市纺织厂 100.00 12" in pages[0]
    assert "2025 01–12 月 保定市纺织厂 2000.00 12" in pages[1]
    assert "合计 468" in pages[1]


def test_same_data_same_bytes():
    data = certificate("刘䶮")
    assert render_certificate(data, "proof").pdf == render_certificate(data, "proof").pdf


# --- Verification codes ----------------------------------------------------------------------

# Expected codes computed outside shebao: HMAC-SHA256, first 80 bits, Crockford base32.
CODES = [
    ("content", "secret", "4C6R-49FT-HNY4-5G6H"),
    ("参保缴费证明|130604196309152032", "k", "RGX9-D1RA-2R6Z-6H21"),
]


@pytest.mark.parametrize(("payload", "secret", "code"), CODES)
def test_make_code(payload, secret, code):
    assert make_code(payload, secret) == code


@pytest.mark.parametrize(
    ("typed", "ok"),
    [
        ("4C6R-49FT-HNY4-5G6H", True),
        ("4c6r49fthny45g6h", True),
        ("4C6R 49FT HNY4 5G6H", True),
        ("4C6R-49FT-HNY4-5G6I", False),  # I read as 1
        ("4C6R-49FT-HNY4-5G6", False),  # too short
        ("4C6R-49FT-HNY4-5G6U", False),  # U is not in the alphabet
    ],
)
def test_check_code_forgives_typing(typed, ok):
    assert check_code(typed, "content", "secret") is ok


@pytest.mark.parametrize(
    ("typed", "normal"),
    [("4c6r-49ft-hny4-5g6h", "4C6R-49FT-HNY4-5G6H"), ("OOOO-IIII-LLLL-0000", "0000-1111-1111-0000")],
)
def test_normalize_code(typed, normal):
    assert normalize_code(typed) == normal


@pytest.mark.parametrize(
    ("typed", "reason"), [("ABC", "code_length"), ("4C6R-49FT-HNY4-5G6U", "code_characters")]
)
def test_normalize_code_rejects(typed, reason):
    with pytest.raises(CodeError) as caught:
        normalize_code(typed)
    assert caught.value.reason == reason


@pytest.mark.parametrize(
    "change",
    [
        {"issuing_office": "保定市人力资源和社会保障局"},
        {"as_of": "2026-09"},
        {"issued_at": dt.datetime(2026, 11, 3, 10, 16)},
        {"person": person("刘岩")},
        {"summary": dataclasses.replace(SUMMARY, deemed_months=71)},
        {"periods": PERIODS[:2]},
        {"gaps": ()},
    ],
)
def test_code_changes_with_any_printed_content(change):
    data = certificate("刘䶮")
    assert check_code(data.verification_code, data.canonical_payload("proof"), SECRET)
    changed = dataclasses.replace(data, **change)
    assert not check_code(data.verification_code, changed.canonical_payload("proof"), SECRET)


def test_code_depends_on_kind():
    data = certificate("刘䶮")
    assert not check_code(data.verification_code, data.canonical_payload("handbook"), SECRET)


# --- Data checks -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "reason"),
    [
        (("1990-01", "1990-12", "厂", None, False, 11), "period_months_mismatch"),
        (("1990-12", "1990-01", "厂", None, False, 1), "period_reversed"),
    ],
)
def test_period_data_rejected(period, reason):
    with pytest.raises(CertificateDataError) as caught:
        PeriodData(*period)
    assert caught.value.reason == reason


def test_unknown_kind_rejected():
    with pytest.raises(CertificateDataError) as caught:
        render_certificate(certificate("刘䶮"), "passport")
    assert caught.value.reason == "unknown_kind"


def test_from_dict_reads_person_json_shape():
    data = CertificateData.from_dict(
        {
            "issuing_office": "保定市社会保险事业管理局",
            "issued_at": "2026-11-03T10:15:00",
            "as_of": "2026-10",
            "person": {
                "name": "刘䶮",
                "id_number": "130604196309152032",
                "sex": "M",
                "birth_date": "1963-09-15",
                "former_id_numbers": ["130604630915203"],
            },
            "summary": {
                "paid_months": 286,
                "deemed_months": 70,
                "first_paid": "1987-01",
                "last_paid": "2012-10",
                "interrupted_since": "2012-11",
            },
            "gaps": [{"from": "1995-01", "to": "1996-12", "months": 24}],
            "periods": [
                {
                    "from": "1987-01",
                    "to": "1987-12",
                    "employer": "保定市纺织厂",
                    "base": "88.00",
                    "flexible": False,
                    "sources": ["annual", "card"],
                },
                {
                    "from": "1988-01",
                    "to": "1994-12",
                    "employer": TRICKY_EMPLOYER,
                    "base": "120.00",
                    "flexible": False,
                },
                {"from": "1997-01", "to": "2012-10", "employer": None, "base": "1800.00", "flexible": True},
            ],
        }
    )
    assert dataclasses.replace(data, verification_code="") == dataclasses.replace(
        certificate("刘䶮"), verification_code=""
    )


# --- Single months and the verification hint --------------------------------------------------


def test_handbook_prints_a_single_month_once(tmp_path):
    # one month paid in 2013 (December only): "12 月", not "12–12 月"
    periods = (*PERIODS, PeriodData("2013-12", "2013-12", None, "1800.00", True, 1))
    data = dataclasses.replace(certificate("刘䶮", "handbook"), periods=periods)
    text = pdf_text(render_certificate(data, "handbook").pdf, tmp_path)
    assert "2013 12 月 灵活就业 1800.00 1" in text
    assert "12–12" not in text


@pytest.mark.parametrize("kind", ["proof", "handbook"])
def test_pdf_names_the_verification_page(kind, tmp_path):
    text = pdf_text(render_certificate(certificate("刘䶮", kind), kind).pdf, tmp_path, layout=False)
    assert "/verify/" in re.sub(r"\s+", "", text)
