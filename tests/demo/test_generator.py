"""The demo-data generator: deterministic, messy in every promised way, and its truth.json
agrees with a second, deliberately naive reading of the files it wrote."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import time
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest

from shebao.demo.generator import generate_bundle

AS_OF = "2026-11"
POOLING = "1987-01"


def _files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("demo") / "bundle"
    return out, generate_bundle(out, 80, 7)


# ---------------------------------------------------------------- determinism and form


def test_same_seed_gives_identical_files(tmp_path):
    generate_bundle(tmp_path / "a", 40, 3)
    generate_bundle(tmp_path / "b", 40, 3)
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert list(a) == list(b)
    assert a == b  # every file byte for byte, truth.json included


def test_different_seeds_differ(tmp_path):
    ta = generate_bundle(tmp_path / "a", 40, 1)
    tb = generate_bundle(tmp_path / "b", 40, 2)
    assert ta != tb
    assert (tmp_path / "a" / "truth.json").read_bytes() != (tmp_path / "b" / "truth.json").read_bytes()


def test_returns_what_it_writes(bundle):
    out, truth = bundle
    assert json.loads((out / "truth.json").read_text(encoding="utf-8")) == truth


def test_truth_has_the_samples_form(bundle):
    _, truth = bundle
    sample_keys = [
        "id_number",
        "former_id_numbers",
        "name",
        "sex",
        "birth_date",
        "category",
        "work_start",
        "contribution_months",
        "first_paid",
        "last_paid",
        "gaps",
        "interrupted_since",
        "deemed_months",
        "arrears_months",
        "conflicts",
    ]
    assert truth["as_of"] == AS_OF and truth["pooling_start"] == POOLING
    assert 76 <= len(truth["persons"]) <= 80  # someone whose every row is damaged is nobody's
    for p in truth["persons"]:
        assert list(p) == sample_keys
        assert p["former_id_numbers"] == sorted(p["former_id_numbers"])
        assert p["conflicts"] == sorted(p["conflicts"])
        assert all(n > 0 for n in p["arrears_months"].values())
        assert p["category"] in ("cadre", "worker", None)
        assert p["last_paid"] is None or p["last_paid"] <= AS_OF
    for r in truth["rejected_rows"]:
        assert set(r) == {"file", "row", "reason"} and "\\" not in r["file"]
    assert truth["rejected_rows"] == sorted(truth["rejected_rows"], key=lambda r: (r["file"], r["row"]))


@pytest.mark.parametrize(("persons", "as_of"), [(1, "2026-11"), (5, "2026-11"), (12, "2005-06")])
def test_small_and_early_bundles_work(tmp_path, persons, as_of):
    truth = generate_bundle(tmp_path / "b", persons, 11, as_of=as_of)
    assert truth["as_of"] == as_of
    for p in truth["persons"]:
        assert p["last_paid"] is None or p["last_paid"] <= as_of


def test_a_thousand_people_is_fast(tmp_path):
    start = time.perf_counter()
    truth = generate_bundle(tmp_path / "b", 1000, 5)
    assert len(truth["persons"]) >= 995
    assert time.perf_counter() - start < 10


# ---------------------------------------------------------------- a naive second reading

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
FULL = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789XX")


def _check(body: str) -> str:
    return "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=True)) % 11]


def _read_id(value) -> tuple[str | None, str | None, str | None]:
    """(18-digit id, 15-digit former id, rejection reason)."""
    if isinstance(value, float) or (isinstance(value, int) and len(str(value)) > 15):
        return None, None, "id_number_damaged"
    text = re.sub(r"\s", "", str(value)).translate(FULL).upper()
    if "E+" in text:
        return None, None, "id_number_damaged"
    if re.fullmatch(r"\d{15}", text):
        body = text[:6] + "19" + text[6:]
        return body + _check(body), text, None
    assert re.fullmatch(r"\d{17}[\dX]", text), text
    if _check(text[:17]) != text[17]:
        return None, None, "id_number_check_digit"
    return text, None, None


def _m(y: int, m: int) -> int:
    assert 1 <= m <= 12
    return y * 12 + m - 1


def _ym(m: int) -> str:
    return f"{m // 12:04d}-{m % 12 + 1:02d}"


def _read_date(value, fmt: str, report_year: int | None) -> tuple[int, int, int | None]:
    """(year, month, day or None) as a clerk reads the cell."""
    if isinstance(value, dt.datetime):
        return value.year, value.month, value.day
    if isinstance(value, float):
        assert fmt == "0.00"
        y, m = f"{value:.2f}".split(".")
        return int(y), int(m), None
    if isinstance(value, int):
        if 190001 <= value <= 209912 and 1 <= value % 100 <= 12:
            return value // 100, value % 100, None
        d = dt.date(1899, 12, 30) + dt.timedelta(days=value)
        return d.year, d.month, d.day
    text = str(value).strip()
    if g := re.fullmatch(r"(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?", text):
        return int(g[1]), int(g[2]), int(g[3]) if g[3] else None
    if g := re.fullmatch(r"(\d{4})[.\-/](\d{1,2})(?:[.\-/](\d{1,2}))?", text):
        return int(g[1]), int(g[2]), int(g[3]) if g[3] else None
    if g := re.fullmatch(r"(\d{4})(\d{2})", text):
        return int(g[1]), int(g[2]), None
    g = re.fullmatch(r"(\d{2})\.(\d{1,2})", text)
    assert g and report_year, text
    y = report_year - (report_year - int(g[1])) % 100
    return y, int(g[2]), None


def _month(value, fmt="General", report_year=None) -> int:
    y, m, _ = _read_date(value, fmt, report_year)
    return _m(y, m)


def _header(cells: list) -> dict[str, int]:
    return {re.sub(r"\s", "", str(c)): i for i, c in enumerate(cells) if c is not None}


def _col(head: dict[str, int], *names: str) -> int:
    return next(head[n] for n in names if n in head)


class Reading:
    def __init__(self):
        self.paid = defaultdict(set)
        self.employed = defaultdict(lambda: defaultdict(set))
        self.former = defaultdict(set)
        self.names = defaultdict(lambda: defaultdict(set))  # id -> file -> spellings
        self.work_starts = defaultdict(set)
        self.birth_conflict = set()
        self.sex_conflict = set()
        self.rejected = {}

    def link(self, file, row, raw_id, raw_name):
        id18, id15, reason = _read_id(raw_id)
        name = re.sub(r"\s", "", raw_name or "")
        if reason is None and not name:
            reason = "missing_name"
        if reason:
            self.rejected[(file, row)] = reason
            return None
        if id15:
            self.former[id18].add(id15)
        self.names[id18][file].add(name)
        return id18


def _read_bundle(root: Path) -> Reading:
    rd = Reading()
    for path in sorted(root.rglob("*.xlsx")):
        file = path.relative_to(root).as_posix()
        ws = openpyxl.load_workbook(path).worksheets[0]
        grid = list(ws.iter_rows())
        hrow = next(
            i
            for i, r in enumerate(grid[:6])
            if any(str(c.value or "").startswith(("身份证", "公民")) for c in r)
        )
        head = _header([c.value for c in grid[hrow]])
        above = " ".join(str(c.value) for r in grid[:hrow] for c in r if c.value is not None)
        employer = re.search(r"(?:填报单位|单位名称)：(\S+)", above)
        employer = employer[1] if employer else re.match(r"(.+?)养老保险补缴", above)[1]
        report = None
        if g := re.search(r"(?:填报日期|制表日期)：(\S+)", above):
            report = _month(g[1])
        elif g := re.search(r"(\d{4})年", grid[0][0].value):
            report = _m(int(g[1]), 12)
        report_year = report // 12 if report is not None else None
        for r in grid[hrow + 1 :]:
            vals = [c.value for c in r]
            if all(v is None for v in vals) or "合计" in [str(v) for v in vals]:
                continue
            cell = {k: (vals[i], r[i].number_format) for k, i in head.items()}
            rid = rd.link(
                file,
                r[0].row,
                cell[next(k for k in head if k.startswith(("身份证", "公民")))][0],
                cell[next(k for k in head if k.endswith("姓名"))][0],
            )
            if rid is None:
                continue
            if "所属期" in head:
                rd.paid[rid].add(_month(cell["所属期"][0]))
                continue
            y, m, d = _read_date(*cell["出生日期"], report_year)
            if (y, m) != (int(rid[6:10]), int(rid[10:12])) or (d is not None and d != int(rid[12:14])):
                rd.birth_conflict.add(rid)
            if ("男" if int(rid[16]) % 2 else "女") != cell["性别"][0]:
                rd.sex_conflict.add(rid)
            rd.work_starts[rid].add(_month(*cell["参加工作时间"], report_year))
            entry = _month(*cell["入厂日期"], report_year)
            if cell["离厂日期"][0] is not None:
                rd.employed[rid][employer].update(range(entry, _month(*cell["离厂日期"], report_year)))
            elif report is not None:
                rd.employed[rid][employer].update(range(entry, report + 1))
    for path in sorted(root.rglob("*.csv")):
        file = path.relative_to(root).as_posix()
        raw = path.read_bytes()
        text = raw[3:].decode("utf-8") if raw.startswith(b"\xef\xbb\xbf") else raw.decode("gb18030")
        lines = list(csv.reader(io.StringIO(text, newline="")))
        hrow = next(i for i, r in enumerate(lines) if any(c.startswith(("身份证", "公民")) for c in r))
        head = _header(lines[hrow])
        for n, r in enumerate(lines[hrow + 1 :], hrow + 2):
            if not any(c.strip() for c in r) or "合计" in r:
                continue
            rid = rd.link(
                file,
                n,
                r[_col(head, "身份证号", "身份证号码", "公民身份号码")],
                r[_col(head, "姓名", "职工姓名")],
            )
            if rid is None:
                continue
            if "缴费起止" in head:
                for span in r[head["缴费起止"]].split(";"):
                    a, b = span.split("-")
                    rd.paid[rid].update(range(_month(a), _month(b) + 1))
            else:
                rd.paid[rid].update(range(_month(r[head["起始年月"]]), _month(r[head["终止年月"]]) + 1))
    return rd


def test_truth_agrees_with_a_naive_reading_of_the_files(bundle):
    _agrees_with_naive_reading(*bundle)


@pytest.mark.parametrize(
    ("seed", "as_of", "pooling"), [(21, "2005-06", "1992-01"), (22, "2026-11", "1986-07")]
)
def test_other_as_of_and_pooling_start(tmp_path, seed, as_of, pooling):
    truth = generate_bundle(tmp_path / "b", 60, seed, as_of=as_of, pooling_start=pooling)
    assert (truth["as_of"], truth["pooling_start"]) == (as_of, pooling)
    _agrees_with_naive_reading(tmp_path / "b", truth)


def _agrees_with_naive_reading(root: Path, truth: dict) -> None:
    rd = _read_bundle(root)
    as_of, pooling = (_month(truth[k].replace("-", "")) for k in ("as_of", "pooling_start"))
    assert rd.rejected == {(r["file"], r["row"]): r["reason"] for r in truth["rejected_rows"]}
    assert {p["id_number"] for p in truth["persons"]} == set(rd.names)
    for p in truth["persons"]:
        pid = p["id_number"]
        paid = sorted(m for m in rd.paid[pid] if m <= as_of)
        employed = {e: {m for m in ms if m <= as_of} for e, ms in rd.employed[pid].items()}
        got = {
            "pension": len(paid),
            "first": _ym(paid[0]) if paid else None,
            "last": _ym(paid[-1]) if paid else None,
            "gap_months": sum(b - a - 1 for a, b in zip(paid, paid[1:], strict=False)),
            "deemed": len({m for ms in employed.values() for m in ms if m < pooling}),
            "arrears": {
                e: n for e in employed if (n := sum(1 for m in employed[e] if m >= pooling and m not in paid))
            },
            "former": sorted(rd.former[pid]),
            "work_start": _ym(min(rd.work_starts[pid])) if rd.work_starts[pid] else None,
        }
        want = {
            "pension": p["contribution_months"]["pension"],
            "first": p["first_paid"],
            "last": p["last_paid"],
            "gap_months": sum(g["months"] for g in p["gaps"]),
            "deemed": p["deemed_months"],
            "arrears": p["arrears_months"],
            "former": p["former_id_numbers"],
            "work_start": p["work_start"],
        }
        assert got == want, pid
        votes = defaultdict(int)
        for spellings in rd.names[pid].values():
            for s in spellings:
                votes[s] += 1
        assert (
            p["name"] == max(votes, key=votes.get)
            and sorted(votes.values())[-1] > sorted([0, *votes.values()])[-2]
        )
        conflicts = {"name"} if len(votes) > 1 else set()
        conflicts |= {"birth_date"} if pid in rd.birth_conflict else set()
        conflicts |= {"sex"} if pid in rd.sex_conflict else set()
        conflicts |= {"work_start"} if len(rd.work_starts[pid]) > 1 else set()
        assert set(p["conflicts"]) - {"category"} == conflicts, pid
        assert (
            p["sex"] == ("M" if int(pid[16]) % 2 else "F")
            and p["birth_date"] == f"{pid[6:10]}-{pid[10:12]}-{pid[12:14]}"
        )


# ---------------------------------------------------------------- every kind of mess, at 40 people


def _cells(root: Path):
    for path in sorted(root.rglob("*.xlsx")):
        for ws in openpyxl.load_workbook(path).worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if c.value is not None:
                        yield path.relative_to(root).as_posix(), c


def _csv_texts(root: Path) -> dict[str, tuple[bytes, str]]:
    out = {}
    for path in sorted(root.rglob("*.csv")):
        raw = path.read_bytes()
        text = raw[3:].decode("utf-8") if raw.startswith(b"\xef\xbb\xbf") else raw.decode("gb18030")
        out[path.relative_to(root).as_posix()] = (raw, text)
    return out


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_every_kind_of_mess_is_present(tmp_path, seed):
    root = tmp_path / "b"
    truth = generate_bundle(root, 40, seed)
    cells = list(_cells(root))
    texts = _csv_texts(root)
    all_text = [str(c.value) for _, c in cells if isinstance(c.value, str)]
    for _, text in texts.values():
        all_text += [f for row in csv.reader(io.StringIO(text, newline="")) for f in row]
    found = set()
    # IDs
    if any(
        re.fullmatch(r"\d{15}", t)
        for f, t in ((f, str(c.value)) for f, c in cells)
        if f.startswith("rosters/")
    ):
        found.add("id15_roster")
    if any(re.fullmatch(r"\d{15}", t.strip()) for t in all_text):
        found.add("id15_text")
    if any(isinstance(c.value, int) and len(str(c.value)) == 15 for _, c in cells):
        found.add("id15_numeric")
    if any(re.fullmatch(r"\s*\d{17}x\s*", t) for t in all_text):
        found.add("lower_x")
    if any(re.search(r"[０-９]{6}", t) for t in all_text):
        found.add("full_width")
    if any(isinstance(c.value, float) and c.value > 1e16 for _, c in cells):
        found.add("numeric_18")
    if any(re.fullmatch(r"[1-6]\.\d{5}E\+17", t) for t in all_text):
        found.add("scientific")
    reasons = {r["reason"] for r in truth["rejected_rows"]}
    found |= {f"reject:{r}" for r in reasons}
    # names
    if any("\u3000" in t and re.search(r"[\u4e00-\u9fff]", t) for t in all_text):
        found.add("ideographic_space")
    if any(re.fullmatch(r"[\u4e00-\u9fff] [\u4e00-\u9fff]+", t) for t in all_text):
        found.add("ascii_space")
    conflicts = {c for p in truth["persons"] for c in p["conflicts"]}
    found |= {f"conflict:{c}" for c in conflicts}
    if any(not _gbk(p["name"]) for p in truth["persons"]):
        found.add("non_gbk_name")
    # regions
    regions = {p["id_number"][:6] for p in truth["persons"]}
    found |= {
        f"region:{r}"
        for r in regions & {"130603", "130604", "130621", "130602", "130681", "130682", "130684"}
    }
    # dates
    fmt_cells = [c for f, c in cells if f.startswith("rosters/")]
    if any(isinstance(c.value, dt.datetime) for c in fmt_cells):
        found.add("date_cell")
    if any(isinstance(c.value, int) and 10000 < c.value < 99999 for c in fmt_cells):
        found.add("serial")
    if any(isinstance(c.value, int) and 190001 <= c.value <= 209912 for c in fmt_cells):
        found.add("yyyymm_number")
    if any(isinstance(c.value, float) and c.number_format == "0.00" and c.value < 3000 for c in fmt_cells):
        found.add("two_decimal_number")
    patterns = {
        "dot2": r"\d{4}\.\d{2}",
        "cn_month": r"\d{4}年\d{1,2}月",
        "dash_day": r"\d{4}-\d{1,2}-\d{1,2}",
        "yyyymm_text": r"(19|20)\d{2}(0[1-9]|1[0-2])",
        "slash_day": r"\d{4}/\d{1,2}/\d{1,2}",
        "cn_day": r"\d{4}年\d{1,2}月\d{1,2}日",
        "dash_month": r"\d{4}-\d{2}",
    }
    for key, pat in patterns.items():
        if any(re.fullmatch(pat, t) for t in all_text):
            found.add(key)
    # encodings and layout
    for raw, _ in texts.values():
        if raw.startswith(b"\xef\xbb\xbf"):
            found.add("utf8_bom")
        elif _decodes(raw, "gbk") and re.search(rb"[\x80-\xff]", raw):
            found.add("gbk_file")
        elif not _decodes(raw, "gbk") and _decodes(raw, "gb18030"):
            found.add("gb18030_only_file")
    if any(
        path.startswith("annual/") and raw.startswith(b"\xef\xbb\xbf") for path, (raw, _) in texts.items()
    ):
        found.add("annual_utf8_bom")
    if "annual/灵活就业人员-历年缴费记录表.csv" in texts:
        found.add("flexible_file")
    if any(c.value == "合计" for _, c in cells) and any("\r\n合计," in t for _, t in texts.values()):
        found.add("summary_rows")
    if any(",,,,,,,,,\r\n" in t or "\r\n\r\n" in t for _, t in texts.values()):
        found.add("blank_csv_row")
    if any(str(c.value).endswith("职工花名册") or "职工花名册（" in str(c.value) for _, c in cells):
        found.add("roster_title")
    headers = {str(c.value) for _, c in cells} | {
        f for _, t in texts.values() for f in t.splitlines()[1].split(",")
    }
    headers |= {f for _, t in texts.values() for f in t.splitlines()[0].split(",")}
    found |= {
        f"header:{h}"
        for h in headers
        & {"身份证号", "身份证号码", "公民身份号码", "姓名", "职工姓名", "性 别", "月缴费基数", "缴费基数"}
    }
    wanted = {
        "id15_roster",
        "id15_text",
        "id15_numeric",
        "lower_x",
        "full_width",
        "numeric_18",
        "scientific",
        "reject:id_number_damaged",
        "reject:id_number_check_digit",
        "reject:missing_name",
        "ideographic_space",
        "ascii_space",
        "conflict:name",
        "conflict:birth_date",
        "conflict:work_start",
        "conflict:sex",
        "non_gbk_name",
        "region:130603",
        "region:130604",
        "region:130621",
        "region:130602",
        "region:130681",
        "region:130682",
        "region:130684",
        "date_cell",
        "serial",
        "yyyymm_number",
        "two_decimal_number",
        "dot2",
        "cn_month",
        "dash_day",
        "yyyymm_text",
        "slash_day",
        "cn_day",
        "dash_month",
        "utf8_bom",
        "gbk_file",
        "gb18030_only_file",
        "annual_utf8_bom",
        "flexible_file",
        "summary_rows",
        "blank_csv_row",
        "roster_title",
        "header:身份证号",
        "header:身份证号码",
        "header:公民身份号码",
        "header:姓名",
        "header:职工姓名",
        "header:性 别",
        "header:月缴费基数",
        "header:缴费基数",
    }
    assert wanted - found == set(), wanted - found


def _gbk(text: str) -> bool:
    return _decodes(text.encode("gb18030"), "gbk")


def _decodes(raw: bytes, encoding: str) -> bool:
    try:
        raw.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def test_gb18030_file_holds_a_name_outside_gbk(bundle):
    root, truth = bundle
    rare = [p["name"] for p in truth["persons"] if not _gbk(p["name"])]
    assert rare
    texts = _csv_texts(root)
    assert any(not _decodes(raw, "gbk") and any(n in text for n in rare) for raw, text in texts.values())
