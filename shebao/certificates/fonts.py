"""Fonts for certificates (证明字体): a primary CJK font and per-character fallbacks.

No single TrueType file covers GB18030 (at most 65 535 glyphs), so text is split into
runs by the first font whose cmap has the character: WenQuanYi Zen Hei (文泉驿正黑,
bundled; GBK and CJK Extension A), then HanaMinA and HanaMinB (花园明朝, Debian
``fonts-hanazono``; Extension B and beyond, looked up at run time — too large to ship).
A character no font has becomes a visible placeholder and is reported, never dropped.

Fonts are registered with ReportLab once per process; fallbacks only when first needed.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

BUNDLED_DIR = Path(__file__).with_name("fonts")
FONT_DIRS_ENV = "SHEBAO_FONT_DIRS"  # extra directories, os.pathsep-separated, searched first
PLACEHOLDER = "□"  # U+25A1, drawn for a character no font has
PLACEHOLDER_COLOR = "#d00000"

_SYSTEM_DIRS = (
    "/usr/share/fonts/truetype/wqy",
    "/usr/share/fonts/truetype/hanazono",
    "/usr/share/fonts/truetype",
    "/usr/local/share/fonts",
    "/usr/share/fonts",
)


def _utf16_hex(code: int) -> str:
    return chr(code).encode("utf-16-be").hex().upper()


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap, with characters beyond U+FFFF as UTF-16 surrogate pairs.

    ReportLab 4.x writes ``<%04X>`` (five hex digits for plane 2), so copying or
    extracting the text of an Extension B name gave a wrong character; the PDF spec
    wants UTF-16BE.  Same output as ReportLab's for the BMP.
    """
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{_utf16_hex(code)}>" for i, code in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)


ttfonts.makeToUnicodeCMap = _to_unicode_cmap  # looked up as a module global when a subset is written


class FontUnavailable(RuntimeError):
    """A font file the certificates need cannot be found; the message names the package."""

    reason = "font_unavailable"

    def __init__(self, spec: FontSpec, searched: list[Path]):
        self.spec = spec
        self.searched = searched
        super().__init__(
            f"font {spec.file_name} ({spec.name}) not found; install the Debian package "
            f"`{spec.package}` (apt-get install {spec.package}) or put the file in one of "
            f"${FONT_DIRS_ENV}. Searched: {', '.join(str(p) for p in searched)}"
        )


@dataclass(frozen=True)
class FontSpec:
    name: str  # the name registered with ReportLab and used in <font name="…">
    file_name: str
    package: str  # Debian package that provides it
    subfont_index: int = 0  # face inside a TrueType collection (.ttc)


PRIMARY = FontSpec("WQYZenHei", "wqy-zenhei.ttc", "fonts-wqy-zenhei", subfont_index=0)
FALLBACKS = (
    FontSpec("HanaMinA", "HanaMinA.ttf", "fonts-hanazono"),  # BMP incl. Extension A, some of B
    FontSpec("HanaMinB", "HanaMinB.ttf", "fonts-hanazono"),  # plane 2: Extensions B–F
)


def search_dirs() -> list[Path]:
    extra = [Path(p) for p in os.environ.get(FONT_DIRS_ENV, "").split(os.pathsep) if p]
    return [*extra, BUNDLED_DIR, *(Path(p) for p in _SYSTEM_DIRS)]


def find_font_file(spec: FontSpec) -> Path:
    """The first file named ``spec.file_name`` in :func:`search_dirs`, else FontUnavailable."""
    dirs = search_dirs()
    for directory in dirs:
        candidate = directory / spec.file_name
        if candidate.is_file():
            return candidate
    raise FontUnavailable(spec, dirs)


class _Registry:
    """Fonts loaded so far and the font chosen for each character (process-wide)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded: dict[str, TTFont] = {}
        self._unavailable: dict[str, FontUnavailable] = {}
        self._choice: dict[str, str | None] = {}

    def _load(self, spec: FontSpec) -> TTFont | None:
        # Caller holds the lock.
        if spec.name in self._loaded:
            return self._loaded[spec.name]
        if spec.name in self._unavailable:
            return None
        try:
            path = find_font_file(spec)
        except FontUnavailable as exc:
            if spec is PRIMARY:
                raise
            self._unavailable[spec.name] = exc
            return None
        font = TTFont(spec.name, str(path), subfontIndex=spec.subfont_index)
        pdfmetrics.registerFont(font)
        self._loaded[spec.name] = font
        return font

    def primary(self) -> str:
        with self._lock:
            self._load(PRIMARY)
        return PRIMARY.name

    def font_for(self, char: str) -> str | None:
        """Name of the first font that has ``char``, or None when no available font has it."""
        try:
            return self._choice[char]
        except KeyError:
            pass
        code = ord(char)
        with self._lock:
            chosen = None
            for spec in (PRIMARY, *FALLBACKS):
                font = self._load(spec)
                if font is not None and code in font.face.charToGlyph:
                    chosen = spec.name
                    break
            self._choice[char] = chosen
        return chosen

    def unavailable(self) -> list[FontUnavailable]:
        with self._lock:
            return list(self._unavailable.values())


_REGISTRY = _Registry()


def primary_font() -> str:
    """Register the primary font (once) and return its ReportLab name."""
    return _REGISTRY.primary()


def font_for(char: str) -> str | None:
    return _REGISTRY.font_for(char)


def unavailable_fallbacks() -> list[FontUnavailable]:
    """Fallback fonts that were needed but not found (their messages name the package)."""
    return _REGISTRY.unavailable()


def check_fonts() -> list[Path]:
    """Every certificate font's file, or FontUnavailable for the first one missing.

    For an operator's health check: rendering itself degrades to placeholders instead.
    """
    return [find_font_file(spec) for spec in (PRIMARY, *FALLBACKS)]


def split_runs(text: str) -> list[tuple[str | None, str]]:
    """Runs of ``text`` as (font name or None for "no font has it", characters)."""
    runs: list[tuple[str | None, str]] = []
    for char in text:
        name = font_for(char)
        if runs and runs[-1][0] == name:
            runs[-1] = (name, runs[-1][1] + char)
        else:
            runs.append((name, char))
    return runs


def markup(text: str, missing: list[str]) -> str:
    """Paragraph markup drawing ``text`` with per-character fallback fonts.

    ``text`` is user data: it is escaped.  Characters no font has are drawn as a coloured
    placeholder and appended to ``missing`` (in order, once each).
    """
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    primary = primary_font()
    parts: list[str] = []
    for name, run in split_runs(text):
        if name == primary:
            parts.append(escape(run))
        elif name is not None:
            parts.append(f'<font name="{name}">{escape(run)}</font>')
        else:
            for char in run:
                if char not in missing:
                    missing.append(char)
            parts.append(f'<font color="{PLACEHOLDER_COLOR}">{PLACEHOLDER * len(run)}</font>')
    return "".join(parts)
