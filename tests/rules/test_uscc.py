"""GB 32100 unified social credit codes.

Check characters computed by hand: values 0-9, A=10 ... H=17, J=18 ... N=22, P=23, Q=24,
R=25, T=26, U=27, W=28, X=29, Y=30; weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28;
check = 31 - (sum mod 31), 31 meaning 0.
"""

import pytest

from shebao.rules import uscc
from shebao.rules.uscc import UsccError, check_character, compact, validate


@pytest.mark.parametrize(
    "first17, expected",
    [
        # 1*1+2*3+1*9+3*27+0+6*26+0*... +1*28 = 1+6+9+81+156+28 = 281; 281 % 31 = 2; 31-2 = 29 -> X
        ("12130600000000001", "X"),
        # all zeros: sum 0 -> 31 - 0 = 31 -> 0
        ("00000000000000000", "0"),
        # only the last is 1: sum 28; 31 - 28 = 3
        ("00000000000000001", "3"),
        # only the first is Y (30): sum 30; 31 - 30 = 1
        ("Y0000000000000000", "1"),
        # 9*1+1*3+1*9+1*27 + 6*20 + 3*8+7*24+3*10+4*30+1*28 = 538; 538 % 31 = 11; 31-11 = 20 -> L
        ("91110000600037341", "L"),
        # 9*1+1*3+1*9+3*27 + 6*26 + M(21)*20 + A(10)*29 = 968; 968 % 31 = 7; 31-7 = 24 -> Q
        ("91130600MA0000000", "Q"),
    ],
)
def test_check_character(first17, expected):
    assert check_character(first17) == expected


@pytest.mark.parametrize("bad", ["9113060MA000000", "91130600MA00000001", "91130600IA0000000"])
def test_check_character_needs_17_characters_of_the_set(bad):
    with pytest.raises(ValueError):
        check_character(bad)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("91110000600037341L", "91110000600037341L"),
        ("91110000600037341l", "91110000600037341L"),
        (" 9111 0000\u30006000 3734 1L ", "91110000600037341L"),
        ("９１１１００００６０００３７３４１Ｌ", "91110000600037341L"),
        ("12130600000000001X", "12130600000000001X"),
        ("91130600MA0000000Q", "91130600MA0000000Q"),
        ("91130600ma0000000q", "91130600MA0000000Q"),
        ("Y00000000000000001", "Y00000000000000001"),
    ],
)
def test_validate_accepts(text, expected):
    assert compact(text) == expected
    assert validate(text) == expected
    assert uscc.is_valid(text)


@pytest.mark.parametrize(
    "text, reason",
    [
        (None, "missing_uscc"),
        ("", "missing_uscc"),
        (" \u3000", "missing_uscc"),
        ("91110000600037341", "uscc_format"),
        ("91110000600037341LL", "uscc_format"),
        ("91110000600037341I", "uscc_format"),  # I is not in the set
        ("9111000060003734OL", "uscc_format"),  # O is not in the set
        ("911A0000600037341L", "uscc_format"),  # region code must be digits
        ("91110000600037341M", "uscc_check_digit"),
        ("91110000600037342L", "uscc_check_digit"),
    ],
)
def test_validate_rejects(text, reason):
    with pytest.raises(UsccError) as err:
        validate(text)
    assert err.value.reason == reason
    assert str(err.value)
    assert not uscc.is_valid(text)


def test_region_code():
    assert uscc.region_code("91130600MA0000000Q") == "130600"
