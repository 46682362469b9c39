"""GB 11643 ID numbers.  Check digits below were computed by hand (weights 7 9 10 5 8 4 2 1 6
3 7 9 10 5 8 4 2, sum mod 11 -> 10X98765432) and cross-checked with a different formula."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shebao.rules import idnumber
from shebao.rules.idnumber import IdNumberError, check_digit, compact, mask, parse, to_15, to_18

TODAY = dt.date(2026, 11, 15)


@pytest.mark.parametrize(
    "first17, expected",
    [
        # 1*7+1*9+0+1*5+0+5*4+1*2+9*1+4*6+9*3+1*7+2*9+3*10+1*5+0+0+2*2 = 167; 167 % 11 = 2 -> X
        ("11010519491231002", "X"),
        ("44052418800101001", "4"),  # the standard's own example
        # 7+27+0+30+0+12+2+9+30+9+0+72+0+30+16+28+12 = 284; 284 % 11 = 9 -> 3
        ("13060319530806276", "3"),
        ("13060419720226087", "1"),
        ("13068119660606121", "X"),
        ("13060219560721076", "6"),
        ("65010219990228001", "4"),
    ],
)
def test_check_digit(first17, expected):
    assert check_digit(first17) == expected


@pytest.mark.parametrize("bad", ["1101051949123100", "110105194912310021", "1101051949123100A", ""])
def test_check_digit_needs_17_digits(bad):
    with pytest.raises(ValueError):
        check_digit(bad)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("１３０６０４１９７２０２２６０８７１", "130604197202260871"),
        ("13068119660606121x", "13068119660606121X"),
        ("13068119660606121ｘ", "13068119660606121X"),
        ("13068119660606121Ｘ", "13068119660606121X"),
        (" 1306 0419\u30007202\u00a02608 71\t\n", "130604197202260871"),
        ("\ufeff130604197202260871\u200b", "130604197202260871"),
        ("", ""),
    ],
)
def test_compact(text, expected):
    assert compact(text) == expected


@pytest.mark.parametrize(
    "id15, id18",
    [
        ("110105491231002", "11010519491231002X"),
        ("130602560721076", "130602195607210766"),
        ("130603560206239", "130603195602062393"),
        ("130621670703934", "130621196707039349"),
    ],
)
def test_15_and_18(id15, id18):
    assert to_18(id15) == id18
    assert to_15(id18) == id15


def test_to_15_only_for_19xx():
    assert to_15("130604200002290026") is None
    assert to_15("1306042000022900") is None


def test_to_18_rejects_non_15_digit():
    with pytest.raises(IdNumberError) as err:
        to_18("13060256072107")
    assert err.value.reason == "id_number_format"


# value, number, former, birth date, sex, county
ACCEPTED = [
    ("11010519491231002X", "11010519491231002X", None, dt.date(1949, 12, 31), "F", "朝阳区"),
    ("110105491231002", "11010519491231002X", "110105491231002", dt.date(1949, 12, 31), "F", "朝阳区"),
    ("１３０６０４１９７２０２２６０８７１", "130604197202260871", None, dt.date(1972, 2, 26), "M", "南市区"),
    ("13068119660606121x", "13068119660606121X", None, dt.date(1966, 6, 6), "M", "涿州市"),
    # numeric cells of 15 digits are exact
    (130602560721076.0, "130602195607210766", "130602560721076", dt.date(1956, 7, 21), "F", "新市区"),
    (130603560206239, "130603195602062393", "130603560206239", dt.date(1956, 2, 6), "M", "北市区"),
    # abolished counties stay valid: 满城县 (130621) became 满城区 in 2015
    ("130621670703934", "130621196707039349", "130621670703934", dt.date(1967, 7, 3), "F", "满城县"),
    # leap days
    ("130604197202290878", "130604197202290878", None, dt.date(1972, 2, 29), "M", "南市区"),
    ("130604200002290026", "130604200002290026", None, dt.date(2000, 2, 29), "F", "南市区"),
    ("130604190003010018", "130604190003010018", None, dt.date(1900, 3, 1), "M", "南市区"),
    # Excel's text marker: a leading apostrophe is not part of the number
    ("'130602195607210766", "130602195607210766", None, dt.date(1956, 7, 21), "F", "新市区"),
    # the standard's own example, born 1880
    ("440524188001010014", "440524188001010014", None, dt.date(1880, 1, 1), "M", "潮阳县"),
]


@pytest.mark.parametrize("value, number, former, birth, sex, county", ACCEPTED)
def test_parse_accepts(value, number, former, birth, sex, county):
    parsed = parse(value, today=TODAY)
    assert parsed.number == number
    assert parsed.former == former
    assert parsed.birth_date == birth
    assert parsed.sex == sex
    assert parsed.region_code == number[:6]
    assert parsed.county == county
    assert parsed.warnings == ()
    assert idnumber.is_valid(value)


@pytest.mark.parametrize(
    "value, number",
    [
        ("710000198001010010", "710000198001010010"),
        ("810000198001010030", "810000198001010030"),
        ("820000198001010059", "820000198001010059"),
    ],
)
def test_parse_accepts_taiwan_hong_kong_macao(value, number):
    assert parse(value, today=TODAY).number == number


@pytest.mark.parametrize("value", ["130699198001010017", "123456198001010017"])
def test_unknown_county_is_a_warning(value):
    parsed = parse(value, today=TODAY)  # 13 河北 and 12 天津 are provinces; the counties are unknown
    assert parsed.county is None
    assert parsed.warnings == ("unknown_county",)


@pytest.mark.parametrize(
    "value, reason",
    [
        (None, "missing_id_number"),
        ("", "missing_id_number"),
        ("  \u3000 ", "missing_id_number"),
        # numbers with more than 15 digits lost their last digits in the spreadsheet
        (1.306211964072144e17, "id_number_damaged"),
        (130621196407214400, "id_number_damaged"),
        (1306021956072107.0, "id_number_damaged"),
        ("1.30602E+17", "id_number_damaged"),
        ("1.30602e17", "id_number_damaged"),
        ("1.30621196407214E+17", "id_number_damaged"),
        (" 1.30602E+17 ", "id_number_damaged"),
        # text with 18 digits ending in 000 is text: read as typed (here: wrong check digit)
        ("130621196407214000", "id_number_check_digit"),
        # format
        ("1.2E3", "id_number_format"),
        (True, "id_number_format"),
        (dt.date(1972, 2, 26), "id_number_format"),
        (dt.datetime(1972, 2, 26), "id_number_format"),
        (13060256072107, "id_number_format"),
        (130602560721.5, "id_number_format"),
        (float("nan"), "id_number_format"),
        (-130602560721076, "id_number_format"),
        ("13060219560721076", "id_number_format"),
        ("1306021956072107666", "id_number_format"),
        ("13060256072107X", "id_number_format"),
        ("1306021956072107A6", "id_number_format"),
        ("13060219560721X766", "id_number_format"),
        ("130602-19560721076-6", "id_number_format"),
        ("130602195607210766.0", "id_number_format"),
        ([130602195607210766], "id_number_format"),
        # impossible birth dates
        ("130604197213260877", "id_number_date"),  # month 13 (check digit correct)
        ("13060419720230087X", "id_number_date"),  # 30 February (check digit correct)
        ("440524179912310013", "id_number_date"),  # before 1800
        ("130604209912310015", "id_number_date"),  # in the future
        ("130604721326087", "id_number_date"),
        ("130604000000001", "id_number_date"),
        # check digit
        ("130603195308062760", "id_number_check_digit"),  # should end in 3
        ("130604197202260870", "id_number_check_digit"),
        ("110105194912310020", "id_number_check_digit"),
        # region: province part not a province
        ("990604197202260871", "id_number_region"),
        ("100604197202260876", "id_number_region"),
        ("160604197202260877", "id_number_region"),
        ("990604720226087", "id_number_region"),
    ],
)
def test_parse_rejects(value, reason):
    with pytest.raises(IdNumberError) as err:
        parse(value, today=TODAY)
    assert err.value.reason == reason
    assert str(err.value)  # a message in plain words
    assert not idnumber.is_valid(value)


@pytest.mark.parametrize(
    "value, reason",
    [
        # several faults: the first in the contract's order wins
        ("1.30602E+17", "id_number_damaged"),
        ("99060419721326087X", "id_number_date"),  # bad region, bad date, bad check digit
        ("990604197202260870", "id_number_check_digit"),  # bad region and check digit
        ("99060419721326087", "id_number_format"),
    ],
)
def test_order_of_reasons(value, reason):
    with pytest.raises(IdNumberError) as err:
        parse(value, today=TODAY)
    assert err.value.reason == reason


def test_future_birth_depends_on_today():
    assert parse("13060420261115001X", today=dt.date(2026, 11, 15)).birth_date == dt.date(2026, 11, 15)
    with pytest.raises(IdNumberError) as err:
        parse("13060420261115001X", today=dt.date(2026, 11, 14))
    assert err.value.reason == "id_number_date"


@pytest.mark.parametrize(
    "number, masked",
    [
        ("130621196407214766", "1306**********4766"),
        ("13068119660606121X", "1306**********121X"),
        ("130602560721076", "1306*******1076"),
        ("1306", "****"),
    ],
)
def test_mask(number, masked):
    assert mask(number) == masked


# --- properties --------------------------------------------------------------------------


def independent_check(first17: str) -> str:
    """ISO 7064 MOD 11-2 written the other way: weights 2**(17-i) mod 11, check (12 - S) mod 11."""
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


PROVINCE_CODES = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82",
]  # fmt: skip


@st.composite
def valid_ids(draw, first_year=1900, last_year=2026):
    province = draw(st.sampled_from(PROVINCE_CODES))
    county = draw(st.integers(0, 9999))
    birth = draw(st.dates(dt.date(first_year, 1, 1), dt.date(last_year, 11, 15)))
    sequence = draw(st.integers(0, 999))
    first17 = f"{province}{county:04d}{birth:%Y%m%d}{sequence:03d}"
    return first17 + independent_check(first17)


def spaced_and_wide(draw, number: str) -> str:
    wide = draw(st.booleans())
    text = "".join(chr(ord(c) + 0xFEE0) if wide and c.isdigit() else c for c in number)
    if text.endswith("X") and draw(st.booleans()):
        text = text[:-1] + "x"
    spaces = draw(st.lists(st.sampled_from([" ", "\u3000", "\u00a0", "\t"]), max_size=3))
    return spaces[0] + text + "".join(spaces[1:]) if spaces else text


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.data(), valid_ids())
def test_valid_ids_round_trip(data, number):
    written = spaced_and_wide(data.draw, number)
    assert compact(written) == number
    parsed = parse(written, today=TODAY)
    assert parsed.number == number
    assert parsed.birth_date == dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    assert parsed.sex == ("M" if int(number[16]) % 2 else "F")
    assert (parsed.county is None) == (parsed.warnings == ("unknown_county",))


@settings(max_examples=300, derandomize=True, deadline=None)
@given(valid_ids(first_year=1900, last_year=1999))
def test_15_digit_form_round_trips(number):
    id15 = to_15(number)
    assert id15 == number[:6] + number[8:17]
    assert to_18(id15) == number
    parsed = parse(id15, today=TODAY)
    assert (parsed.number, parsed.former) == (number, id15)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(valid_ids(), st.integers(0, 9))
def test_any_other_last_digit_is_rejected(number, digit):
    wrong = number[:17] + str(digit)
    if wrong == number:
        return
    with pytest.raises(IdNumberError) as err:
        parse(wrong, today=TODAY)
    assert err.value.reason == "id_number_check_digit"
