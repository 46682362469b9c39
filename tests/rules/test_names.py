"""Names as written (姓名) and their sound key (拼音键)."""

import pytest

from shebao.rules.names import name_is_plausible, normalise_name, pinyin_key

EXT_B = "\U00020000"  # 𠀀, CJK Extension B (outside GBK, in GB18030)
EXT_G = "\U00030000"  # CJK Extension G, no reading in pypinyin


@pytest.mark.parametrize(
    "text, expected",
    [
        ("邹玉梅", "邹玉梅"),
        (" 邹 玉梅 ", "邹玉梅"),
        ("邹\u3000玉\u00a0梅\t\n", "邹玉梅"),
        ("王䶮", "王䶮"),  # Extension A kept
        (f"王{EXT_B}", f"王{EXT_B}"),  # Extension B kept
        ("e\u0301", "\u00e9"),  # NFC composes
        ("Ａｌｉ", "Ａｌｉ"),  # NFC, not NFKC: written characters stay
        ("", ""),
        ("   ", ""),
        (None, ""),
    ],
)
def test_normalise_name(text, expected):
    assert normalise_name(text) == expected


@pytest.mark.parametrize(
    "name, key",
    [
        ("贺永生", "heyongsheng"),
        ("贺永升", "heyongsheng"),
        ("贺 永生", "heyongsheng"),
        ("林国华", "linguohua"),
        ("林国骅", "linguohua"),
        ("吕卫东", "lvweidong"),
        ("王䶮", "wangyan"),
        ("", ""),
        (None, ""),
    ],
)
def test_pinyin_key(name, key):
    assert pinyin_key(name) == key


@pytest.mark.parametrize(
    "name, key",
    [
        (f"王{EXT_G}", f"wang{EXT_G}"),  # no known reading: the character itself, never dropped
        ("王\ue000", "wang\ue000"),  # private use (造字) likewise
        ("Li王", "liwang"),
    ],
)
def test_pinyin_key_keeps_characters_without_reading(name, key):
    assert pinyin_key(name) == key


@pytest.mark.parametrize(
    "text, plausible",
    [
        ("邹玉梅", True),
        ("王䶮", True),
        ("", False),
        ("  ", False),
        (None, False),
        ("张3", False),
        ("１３０６", False),
    ],
)
def test_name_is_plausible(text, plausible):
    assert name_is_plausible(text) == plausible
