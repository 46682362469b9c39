"""Header vocabulary: the words offices write above columns (表头), and mapping files.

Every column the importer understands has one canonical field name (``id_number``,
``start_month`` …).  Offices write many words for the same column (身份证号 / 身份证号码 /
公民身份号码 …); :data:`SYNONYMS` lists the common ones.  An office whose layout uses
words we do not know supplies a small TOML mapping file (列映射文件)::

    kind = "roster"          # optional: force the kind of table

    [columns]
    "公民身份证" = "id_number"
    "工人姓名" = "name"

Header text is compared after :func:`normalise_header` (spaces, full-width forms, unit
suffixes such as （元） and surrounding punctuation removed), in the file and in the
mapping alike.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

KINDS = ("roster", "annual", "backpay", "card")  # 花名册 / 历年缴费记录 / 补缴分解 / 养老保险卡

# canonical field -> the header words that mean it (compared after normalise_header)
SYNONYMS: dict[str, tuple[str, ...]] = {
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "证件号码", "社会保障号码", "身份证"),
    "name": ("姓名", "职工姓名", "参保人姓名", "人员姓名"),
    "sex": ("性别",),
    "birth_date": ("出生日期", "出生年月"),
    "work_start": ("参加工作时间", "参加工作日期", "工作时间"),
    "category": ("用工性质", "用工形式", "身份", "人员身份", "岗位性质"),
    "entry_date": ("入厂日期", "入厂时间", "进厂日期", "入职日期", "调入时间"),
    "leave_date": ("离厂日期", "离厂时间", "离职日期", "调出时间"),
    "employer": ("单位名称", "单位", "缴费单位"),
    "year": ("年度", "缴费年度"),
    "start_month": ("起始年月", "开始年月", "缴费起始年月"),
    "end_month": ("终止年月", "截止年月", "结束年月", "缴费终止年月"),
    "months": ("月数", "缴费月数"),
    "base": ("月缴费基数", "缴费基数", "基数"),
    "employer_amount": ("单位缴纳", "单位部分", "单位缴费"),
    "personal_amount": ("个人缴纳", "个人部分", "个人缴费"),
    "period": ("所属期", "费款所属期", "所属年月"),
    "paid_date": ("补缴日期", "缴费日期", "到账日期"),
    "card_no": ("卡号", "养老保险卡号"),
    "enrol_date": ("参保日期", "参保时间"),
    "paid_ranges": ("缴费起止", "缴费起止年月", "缴费期间"),
    "phone": ("联系电话", "电话", "手机号码"),
    "address": ("住址", "家庭住址", "联系地址"),
    "insurance_type": ("险种", "险种类型"),
    "serial": ("序号",),
    "remark": ("备注",),
}

CANONICAL_FIELDS: frozenset[str] = frozenset(SYNONYMS)

# A trailing bracketed note inside a header cell: 月缴费基数（元）, 身份证号(18位), 金额[元].
_TRAILING_NOTE = re.compile(r"[(\[【〔][^()\[\]【】〔〕]{0,12}[)\]】〕]$")
# Punctuation a clerk puts around a header word: 姓名：, *身份证号, ※备注, “性别”.
_EDGE_PUNCT = ":;,.、，。；：*※#★☆\"'“”‘’-_~/\\|"


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def normalise_header(text: str) -> str:
    """The comparable form of a header cell: 'xing bie' spacing, full-width forms and
    unit notes do not matter ("性 别" == "性别", "月缴费基数（元）" == "月缴费基数")."""
    # NFKC folds full-width letters/digits/brackets/colons and U+3000 to ASCII forms.
    text = unicodedata.normalize("NFKC", text)
    # zero-width characters and stray BOMs are invisible in Excel but not to a comparison
    text = "".join(text.translate(_INVISIBLE).split())
    previous = None
    while previous != text:
        previous = text
        text = text.strip(_EDGE_PUNCT)
        text = _TRAILING_NOTE.sub("", text)
    return text


_BUILTIN: dict[str, str] = {
    normalise_header(word): canonical for canonical, words in SYNONYMS.items() for word in words
}


@dataclass(frozen=True)
class ColumnMapping:
    """An office's own header words (列映射): normalised header text -> canonical field.

    ``kind`` forces the kind of table (one of :data:`KINDS`) instead of recognising it
    from the columns.  Entries take precedence over the built-in synonyms.
    """

    columns: dict[str, str] = field(default_factory=dict)
    kind: str | None = None

    def field_for(self, header_text: str) -> str | None:
        key = normalise_header(header_text)
        return self.columns.get(key) or _BUILTIN.get(key)


def field_for_header(header_text: str, mapping: ColumnMapping | None = None) -> str | None:
    """The canonical field a header cell names, or None for a word we do not know."""
    if mapping is not None:
        return mapping.field_for(header_text)
    return _BUILTIN.get(normalise_header(header_text))


def load_mapping(path: Path | str) -> ColumnMapping:
    """Read a TOML mapping file; a clear ValueError for anything we cannot use."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"列映射文件格式错误 (mapping file is not valid TOML): {path}: {exc}") from exc
    return mapping_from_dict(data, source=str(path))


def mapping_from_dict(data: dict, source: str = "mapping") -> ColumnMapping:
    unknown_keys = set(data) - {"columns", "kind"}
    if unknown_keys:
        raise ValueError(
            f"列映射文件含未知的键 (unknown keys in {source}): {', '.join(sorted(unknown_keys))}; "
            'expected "kind" and [columns]'
        )
    kind = data.get("kind")
    if kind is not None and kind not in KINDS:
        raise ValueError(
            f"未知的表类型 (unknown kind in {source}): {kind!r}; expected one of {', '.join(KINDS)}"
        )
    raw_columns = data.get("columns", {})
    if not isinstance(raw_columns, dict):
        raise ValueError(f"[columns] 必须是表 (must be a table) in {source}")
    columns: dict[str, str] = {}
    for header_text, canonical in raw_columns.items():
        if not isinstance(canonical, str) or canonical not in CANONICAL_FIELDS:
            raise ValueError(
                f"未知的字段名 (unknown canonical field in {source}): {header_text!r} = {canonical!r}; "
                f"expected one of {', '.join(sorted(CANONICAL_FIELDS))}"
            )
        key = normalise_header(header_text)
        if not key:
            raise ValueError(f"空的表头文字 (empty header text in {source}) for {canonical!r}")
        columns[key] = canonical
    return ColumnMapping(columns=columns, kind=kind)
