"""Personal names (姓名) as written, and a sound key for finding 同音不同字.

A name is kept exactly as written apart from white space and Unicode composition:
characters outside GBK (䶮, CJK Extension B and beyond) are kept, never transliterated.

>>> normalise_name(" 王\u3000 䶮 ")
'王䶮'
>>> pinyin_key("贺永生") == pinyin_key("贺永升") == "heyongsheng"
True
"""

from __future__ import annotations

import unicodedata

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def normalise_name(text: str | None) -> str:
    """All white space removed (also U+3000, NBSP), NFC; "" for None or blank."""
    if text is None:
        return ""
    # Zero-width characters are invisible white space pasted from web pages and Word.
    visible = str(text).translate(_INVISIBLE)
    # NFC, not NFKC: compatibility ideographs and full-width letters stay as written.
    return unicodedata.normalize("NFC", "".join(visible.split()))


def pinyin_key(name: str | None) -> str:
    """Toneless pinyin of the whole name, lower case, no separators (拼音键).

    Uses pypinyin's default reading for heteronyms; a character without a known
    reading is kept as itself.
    """
    from pypinyin import Style, lazy_pinyin  # its dictionaries load slowly: only when needed

    normal = normalise_name(name)
    if not normal:
        return ""
    return "".join(lazy_pinyin(normal, style=Style.NORMAL, errors="default")).lower()


def name_is_plausible(text: str | None) -> bool:
    """Non-empty after normalising, and no digits (a number in the name column is a shifted cell)."""
    normal = normalise_name(text)
    return bool(normal) and not any(unicodedata.category(c) == "Nd" for c in normal)
