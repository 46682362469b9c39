"""Certificates as PDF (证明打印): 参保缴费证明 and 补办《养老保险手册》缴费记录.

Takes plain data (no database, no Django) and returns PDF bytes.  Every piece of user
text goes through :func:`shebao.certificates.fonts.markup`, which escapes it and picks
a font per character; characters no font has are drawn as "□" and reported, and the
result is then ``flagged`` for a clerk to check by hand.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Literal

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from shebao.certificates import fonts
from shebao.certificates.verification import make_code
from shebao.rules.months import Month, month_of_year, parse_month, year_of

Kind = Literal["proof", "handbook"]
KINDS: tuple[str, ...] = ("proof", "handbook")
TITLES = {"proof": "参保缴费证明", "handbook": "养老保险手册缴费记录（补办）"}
VERIFY_HINT = "登录 shebao 后在 /verify/ 页输入核验码查验"


class CertificateDataError(ValueError):
    """The data cannot make a truthful certificate; ``reason`` is a machine code."""

    def __init__(self, reason: str, message: str):
        self.reason = reason
        super().__init__(message)


# --- Plain data ------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonData:
    name: str
    id_number: str  # full 公民身份号码: a certificate must carry it
    sex: str  # "M" / "F"
    birth_date: str  # YYYY-MM-DD (or YYYY-MM when that is all that is known)
    former_id_numbers: tuple[str, ...] = ()  # 曾用身份号码, e.g. the 15-digit one


@dataclass(frozen=True)
class SummaryData:
    paid_months: int  # 实际缴费月数
    deemed_months: int  # 视同缴费月数
    first_paid: str | None  # YYYY-MM
    last_paid: str | None
    interrupted_since: str | None  # 中断缴费起始月


@dataclass(frozen=True)
class GapData:
    from_month: str  # YYYY-MM, 中断起
    to_month: str
    months: int


@dataclass(frozen=True)
class PeriodData:
    from_month: str  # YYYY-MM
    to_month: str
    employer: str | None  # None: 灵活就业 (flexible) or unknown
    base: str | None  # monthly base 缴费基数 as printed, e.g. "88.00"
    flexible: bool
    months: int

    def __post_init__(self) -> None:
        start, end = parse_month(self.from_month), parse_month(self.to_month)
        if end < start:
            raise CertificateDataError(
                "period_reversed", f"period {self.from_month}–{self.to_month} ends before it starts"
            )
        # Periods are runs of consecutive paid months (contract), so the yearly rows of the
        # handbook can be cut from the span; a different count would print wrong figures.
        if self.months != end - start + 1:
            raise CertificateDataError(
                "period_months_mismatch",
                f"period {self.from_month}–{self.to_month} spans {end - start + 1} months, not {self.months}",
            )


@dataclass(frozen=True)
class CertificateData:
    issuing_office: str  # 出具单位
    issued_at: dt.datetime
    as_of: str  # YYYY-MM, 截至
    verification_code: str  # 核验码 (see with_code)
    person: PersonData
    summary: SummaryData
    gaps: tuple[GapData, ...] = ()
    periods: tuple[PeriodData, ...] = ()
    verify_url: str | None = None  # when given, the QR code holds it instead of the bare code

    def __post_init__(self) -> None:
        parse_month(self.as_of)  # ValueError on a malformed month
        # Accept lists from callers but keep the dataclass hashable and immutable.
        object.__setattr__(self, "gaps", tuple(self.gaps))
        object.__setattr__(self, "periods", tuple(self.periods))
        object.__setattr__(
            self, "person", replace(self.person, former_id_numbers=tuple(self.person.former_id_numbers))
        )

    @classmethod
    def from_dict(cls, data: Mapping) -> CertificateData:
        """Build from the JSON shape of ``shebao person --json`` (``from``/``to`` keys)."""
        person = dict(data["person"])
        person["former_id_numbers"] = tuple(person.get("former_id_numbers") or ())
        issued_at = data["issued_at"]
        if isinstance(issued_at, str):
            issued_at = dt.datetime.fromisoformat(issued_at)

        def months_of(item: Mapping) -> int:
            if "months" in item:
                return int(item["months"])
            return parse_month(item["to"]) - parse_month(item["from"]) + 1

        return cls(
            issuing_office=data["issuing_office"],
            issued_at=issued_at,
            as_of=data["as_of"],
            verification_code=data.get("verification_code", ""),
            person=PersonData(**person),
            summary=SummaryData(**data["summary"]),
            gaps=tuple(GapData(g["from"], g["to"], months_of(g)) for g in data.get("gaps", ())),
            periods=tuple(
                PeriodData(
                    p["from"],
                    p["to"],
                    p.get("employer"),
                    p.get("base"),
                    bool(p.get("flexible")),
                    months_of(p),
                )
                for p in data.get("periods", ())
            ),
            verify_url=data.get("verify_url"),
        )

    def canonical_payload(self, kind: Kind) -> str:
        """The certificate's content as one canonical string: what the code signs.

        Leaves out the code itself and the QR link; everything printed is in it.
        """
        content = asdict(self)
        content.pop("verification_code")
        content.pop("verify_url")
        content["issued_at"] = self.issued_at.isoformat()
        content["kind"] = kind
        return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def with_code(data: CertificateData, kind: Kind, secret: str) -> CertificateData:
    """``data`` with the verification code of its canonical content under ``secret``."""
    return replace(data, verification_code=make_code(data.canonical_payload(kind), secret))


@dataclass(frozen=True)
class RenderResult:
    pdf: bytes
    missing_glyphs: list[str]  # characters drawn as the placeholder, in order of first use
    flagged: bool  # True when anything is missing: a clerk must check the printout
    warnings: list[str] = field(default_factory=list)  # e.g. a fallback font not installed


# --- Formatting ------------------------------------------------------------------------

SEX = {"M": "男", "F": "女"}


def _month_cn(text: str | None) -> str:
    if not text:
        return "—"
    month = parse_month(text)
    return f"{year_of(month)}年{month_of_year(month):02d}月"


def _date_cn(day: dt.date) -> str:
    return f"{day.year}年{day.month:02d}月{day.day:02d}日"


def _years_months(months: int) -> str:
    years, rest = divmod(months, 12)
    return f"{years}年{rest}个月" if rest else f"{years}年"


def _payer(period: PeriodData) -> str:
    if period.employer and period.flexible:
        return f"{period.employer}（灵活就业）"
    if period.employer:
        return period.employer
    return "灵活就业" if period.flexible else "单位不详"


def yearly_rows(periods: Iterable[PeriodData]) -> list[tuple[int, Month, Month, PeriodData]]:
    """(year, first month, last month, period) for each year a period touches, by month."""
    rows = []
    for period in sorted(periods, key=lambda p: parse_month(p.from_month)):
        start, end = parse_month(period.from_month), parse_month(period.to_month)
        for year in range(year_of(start), year_of(end) + 1):
            rows.append((year, max(start, year * 12), min(end, year * 12 + 11), period))
    return rows


# --- Layout ----------------------------------------------------------------------------

MARGIN = 18 * mm
FRAME_PADDING = 6  # points: platypus frames pad their content by this much on each side
CONTENT_LEFT = MARGIN + FRAME_PADDING
BODY_WIDTH = A4[0] - 2 * CONTENT_LEFT
GRID = colors.HexColor("#444444")
SHADE = colors.HexColor("#eeeeee")


class _QrCode(Flowable):
    """A QR code drawn as plain rectangles.

    ReportLab's Drawing would name Helvetica (its default graphics state) without
    embedding it; an archival PDF must not depend on any font the reader has.
    """

    def __init__(self, value: str, size: float):
        super().__init__()
        self.width = self.height = size
        widget = QrCodeWidget(value, barLevel="M")
        _, _, x1, y1 = widget.getBounds()
        self._scale = size / max(x1, y1)
        # fillColor None is the unfilled bounding box: nothing to draw.
        self._rects = [rect for rect in widget.draw().contents if rect.fillColor is not None]

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.scale(self._scale, self._scale)
        for rect in self._rects:
            canvas.setFillColor(rect.fillColor)
            canvas.rect(rect.x, rect.y, rect.width, rect.height, stroke=0, fill=1)
        canvas.restoreState()


class _NumberedCanvas(Canvas):
    """Writes "第 n 页 / 共 N 页" once the page count is known (pages are held until save)."""

    def __init__(self, *args, footer_font: str, footer_left: str, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []
        self._footer_font = footer_font
        self._footer_left = footer_left

    def showPage(self):  # ReportLab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.setFont(self._footer_font, 9)
            self.setFillColor(colors.black)
            self.drawCentredString(A4[0] / 2, 10 * mm, f"第 {number} 页 / 共 {total} 页")
            self.drawString(CONTENT_LEFT, 10 * mm, self._footer_left)
            super().showPage()
        super().save()


class _Builder:
    def __init__(self, data: CertificateData, kind: Kind):
        self.data = data
        self.kind = kind
        self.missing: list[str] = []
        self.font = fonts.primary_font()
        base = ParagraphStyle("body", fontName=self.font, fontSize=10, leading=14, wordWrap="CJK")
        self.body = base
        self.cell = ParagraphStyle("cell", parent=base, fontSize=9.5, leading=12.5)
        self.cell_c = ParagraphStyle("cell_c", parent=self.cell, alignment=TA_CENTER)
        self.cell_r = ParagraphStyle("cell_r", parent=self.cell, alignment=TA_RIGHT)
        self.head = ParagraphStyle("head", parent=self.cell_c, textColor=colors.black)
        self.title = ParagraphStyle("title", parent=base, fontSize=18, leading=24, alignment=TA_CENTER)
        self.section = ParagraphStyle(
            "section", parent=base, fontSize=11.5, leading=16, spaceBefore=8, spaceAfter=4
        )
        self.small = ParagraphStyle("small", parent=base, fontSize=8.5, leading=11)
        self.warn = ParagraphStyle("warn", parent=base, textColor=colors.HexColor(fonts.PLACEHOLDER_COLOR))

    def p(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(fonts.markup(text, self.missing), style or self.body)

    # Blocks

    def identity(self) -> Table:
        person = self.data.person
        former = "、".join(person.former_id_numbers) or "无"
        rows = [
            [
                self.p("姓名", self.head),
                self.p(person.name, self.cell),
                self.p("性别", self.head),
                self.p(SEX.get(person.sex, person.sex), self.cell_c),
            ],
            [
                self.p("公民身份号码", self.head),
                self.p(person.id_number, self.cell),
                self.p("出生日期", self.head),
                self.p(str(person.birth_date), self.cell_c),
            ],
            [self.p("曾用身份号码", self.head), self.p(former, self.cell), "", ""],
        ]
        widths = [28 * mm, BODY_WIDTH - 28 * mm - 24 * mm - 34 * mm, 24 * mm, 34 * mm]
        return self.grid(
            rows,
            widths,
            header=False,
            spans=[((1, 2), (3, 2))],
            labels=[(0, 0), (0, 1), (0, 2), (2, 0), (2, 1)],
        )

    def summary(self) -> Table:
        s = self.data.summary
        total = s.paid_months + s.deemed_months
        rows = [
            [
                self.p("实际缴费月数", self.head),
                self.p(f"{s.paid_months} 个月", self.cell_c),
                self.p("视同缴费月数", self.head),
                self.p(f"{s.deemed_months} 个月", self.cell_c),
            ],
            [
                self.p("缴费年限合计", self.head),
                self.p(
                    f"{total} 个月（{_years_months(total)}），即实际缴费月数与视同缴费月数之和", self.cell
                ),
                "",
                "",
            ],
            [
                self.p("首次缴费年月", self.head),
                self.p(_month_cn(s.first_paid), self.cell_c),
                self.p("末次缴费年月", self.head),
                self.p(_month_cn(s.last_paid), self.cell_c),
            ],
            [
                self.p("中断缴费起始", self.head),
                self.p(_month_cn(s.interrupted_since) if s.interrupted_since else "未中断", self.cell),
                "",
                "",
            ],
        ]
        widths = [28 * mm, BODY_WIDTH / 2 - 28 * mm, 28 * mm, BODY_WIDTH / 2 - 28 * mm]
        labels = [(0, 0), (0, 1), (0, 2), (0, 3), (2, 0), (2, 2)]
        return self.grid(
            rows, widths, header=False, spans=[((1, 1), (3, 1)), ((1, 3), (3, 3))], labels=labels
        )

    def periods_table(self) -> Table:
        rows = [[self.p(t, self.head) for t in ("序号", "起止年月", "缴费单位", "月缴费基数（元）", "月数")]]
        ordered = sorted(self.data.periods, key=lambda p: parse_month(p.from_month))
        for number, period in enumerate(ordered, start=1):
            rows.append(
                [
                    self.p(str(number), self.cell_c),
                    self.p(f"{period.from_month} 至 {period.to_month}", self.cell_c),
                    self.p(_payer(period), self.cell),
                    self.p(period.base or "—", self.cell_r),
                    self.p(str(period.months), self.cell_r),
                ]
            )
        rows.append(
            [self.p("合计", self.head), "", "", "", self.p(str(sum(p.months for p in ordered)), self.cell_r)]
        )
        widths = [11 * mm, 38 * mm, BODY_WIDTH - 11 * mm - 38 * mm - 30 * mm - 15 * mm, 30 * mm, 15 * mm]
        return self.grid(rows, widths, spans=[((0, len(rows) - 1), (3, len(rows) - 1))])

    def yearly_table(self) -> Table:
        rows = [
            [self.p(t, self.head) for t in ("年度", "缴费月份", "缴费单位", "月缴费基数（元）", "缴费月数")]
        ]
        entries = yearly_rows(self.data.periods)
        for year, first, last, period in entries:
            span = (
                f"{month_of_year(first):02d} 月"
                if first == last
                else f"{month_of_year(first):02d}–{month_of_year(last):02d} 月"
            )
            rows.append(
                [
                    self.p(str(year), self.cell_c),
                    self.p(span, self.cell_c),
                    self.p(_payer(period), self.cell),
                    self.p(period.base or "—", self.cell_r),
                    self.p(str(last - first + 1), self.cell_r),
                ]
            )
        rows.append(
            [
                self.p("合计", self.head),
                "",
                "",
                "",
                self.p(str(sum(last - first + 1 for _, first, last, _ in entries)), self.cell_r),
            ]
        )
        widths = [16 * mm, 26 * mm, BODY_WIDTH - 16 * mm - 26 * mm - 30 * mm - 20 * mm, 30 * mm, 20 * mm]
        return self.grid(rows, widths, spans=[((0, len(rows) - 1), (3, len(rows) - 1))])

    def gaps_block(self) -> list:
        if not self.data.gaps:
            return [self.p("缴费期间无中断。")]
        rows = [[self.p(t, self.head) for t in ("序号", "中断起", "中断止", "月数")]]
        for number, gap in enumerate(
            sorted(self.data.gaps, key=lambda g: parse_month(g.from_month)), start=1
        ):
            rows.append(
                [
                    self.p(str(number), self.cell_c),
                    self.p(gap.from_month, self.cell_c),
                    self.p(gap.to_month, self.cell_c),
                    self.p(str(gap.months), self.cell_r),
                ]
            )
        widths = [11 * mm, 40 * mm, 40 * mm, 20 * mm]
        return [self.grid(rows, widths, align_left=True)]

    def closing(self) -> Table:
        d = self.data
        lines = [
            self.p(f"以上记录截至 {_month_cn(d.as_of)}。"),
            self.p(f"出具单位：{d.issuing_office}"),
            self.p(f"出具日期：{_date_cn(d.issued_at)}"),
            self.p(f"核验码：{d.verification_code}"),
            self.p(VERIFY_HINT, self.small),
        ]
        qr_size = 28 * mm
        qr = _QrCode(d.verify_url or d.verification_code, qr_size)
        table = Table([[lines, qr]], colWidths=[BODY_WIDTH - qr_size - 4 * mm, qr_size + 4 * mm])
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), self.font),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        return table

    def grid(self, rows, widths, *, header=True, spans=(), labels=(), align_left=False) -> Table:
        table = Table(
            rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT" if align_left else "CENTER"
        )
        style = [
            ("FONTNAME", (0, 0), (-1, -1), self.font),  # the default, Helvetica, would not be embedded
            ("GRID", (0, 0), (-1, -1), 0.6, GRID),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
        for cell in labels:  # cell by cell: a column-wide shade would show through spans
            style.append(("BACKGROUND", cell, cell, SHADE))
        for start, end in spans:
            style.append(("SPAN", start, end))
        table.setStyle(TableStyle(style))
        return table

    # Pages

    def running_header(self, canvas: Canvas, doc) -> None:
        person = self.data.person
        text = f"{TITLES[self.kind]}　姓名：{person.name}　公民身份号码：{person.id_number}"
        para = self.p(text, self.small)
        _, height = para.wrap(BODY_WIDTH, 20 * mm)
        para.drawOn(canvas, CONTENT_LEFT, A4[1] - 10 * mm - height)
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.4)
        rule_y = A4[1] - 11.5 * mm - height
        canvas.line(CONTENT_LEFT, rule_y, A4[0] - CONTENT_LEFT, rule_y)

    def story(self) -> list:
        d = self.data
        story: list = [self.p(TITLES[self.kind], self.title), Spacer(1, 4 * mm)]
        if self.kind == "proof":
            story.append(
                self.p(f"兹证明下列人员参加基本养老保险及缴费情况如下（截至 {_month_cn(d.as_of)}）。")
            )
        else:
            story.append(
                self.p(
                    f"下列人员《养老保险手册》遗失，根据本机构保存的缴费记录补办，逐年缴费记录如下（截至 {_month_cn(d.as_of)}）。"
                )
            )
        story += [Spacer(1, 3 * mm), self.p("一、参保人员信息", self.section), self.identity()]
        story += [self.p("二、缴费情况", self.section), self.summary()]
        if self.kind == "proof":
            story += [self.p("三、缴费明细（按单位）", self.section), self.periods_table()]
        else:
            story += [self.p("三、逐年缴费记录", self.section), self.yearly_table()]
        story += [self.p("四、缴费中断", self.section), *self.gaps_block(), Spacer(1, 6 * mm), self.closing()]
        if self.missing:
            shown = "、".join(f"U+{ord(ch):04X}" for ch in self.missing)
            story += [
                Spacer(1, 3 * mm),
                self.p(
                    f"注意：本件有字符无法显示，以“{fonts.PLACEHOLDER}”代替（{shown}），须人工核对后使用。",
                    self.warn,
                ),
            ]
        return story


def _check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise CertificateDataError("unknown_kind", f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    return kind


def render_certificate(data: CertificateData, kind: Kind = "proof") -> RenderResult:
    """Render one certificate to PDF bytes (A4, fonts embedded as subsets)."""
    _check_kind(kind)
    builder = _Builder(data, kind)
    story = builder.story()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=22 * mm,
        bottomMargin=18 * mm,
        title=TITLES[kind],
        author=data.issuing_office,
        subject=f"{TITLES[kind]} {data.verification_code}",
        creator="shebao",
        initialFontName=builder.font,  # else every page names Helvetica, which is not embedded
        invariant=1,  # same data, same bytes: no random document ID or wall-clock timestamp
    )
    canvasmaker = functools.partial(
        _NumberedCanvas,
        footer_font=builder.font,
        footer_left=f"核验码 {data.verification_code}",
    )
    doc.build(
        story,
        onFirstPage=builder.running_header,
        onLaterPages=builder.running_header,
        canvasmaker=canvasmaker,
    )
    missing = list(builder.missing)
    warnings = [str(exc) for exc in fonts.unavailable_fallbacks()] if missing else []
    return RenderResult(
        pdf=buffer.getvalue(), missing_glyphs=missing, flagged=bool(missing), warnings=warnings
    )
