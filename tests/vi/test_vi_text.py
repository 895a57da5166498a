"""Text clean-up, matching keys, tone placement, upper case, lists and Vietnamese collation."""

from __future__ import annotations

import itertools
import random
import unicodedata
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vi_testdata import vectors

from pipeline.vi import (
    in_hoa,
    match_key,
    name_sort_key,
    noi,
    normalize,
    sort_key,
    tone_style,
)


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# ---------------------------------------------------------------------------------------------
# normalize, match_key, tone_style


@pytest.mark.parametrize("case", vectors("normalization_nfc"), ids=lambda c: c["expected"])
def test_normalization_nfc(case: dict[str, str]) -> None:
    codepoints = " ".join(f"U+{ord(c):04X}" for c in case["input"])
    assert codepoints == case["input_codepoints"]  # the vector really is decomposed
    assert normalize(case["input"]) == case["expected"]
    assert match_key(case["input"]) == match_key(case["expected"])


@pytest.mark.parametrize("case", vectors("normalization_lookalikes"), ids=lambda c: c["note"])
def test_normalization_lookalikes(case: dict[str, str]) -> None:
    assert normalize(case["input"]) == case["expected"]
    assert match_key(case["input"]) == match_key(case["expected"])


def test_unicode_to_hop_form() -> None:
    cp1258_style = "Vi\u00ea\u0323t Nam"  # ê + combining dot below
    assert normalize(cp1258_style) == "Việt Nam"
    assert match_key(cp1258_style) == match_key("VIỆT NAM")


def test_normalize_spaces() -> None:
    assert normalize("  Ban \t Tuyên\u00a0giáo  ") == "Ban Tuyên giáo"
    assert normalize("Dòng 1  \r\n  Dòng 2\rDòng 3") == "Dòng 1\nDòng 2\nDòng 3"
    assert normalize("Tr\u200bường") == "Trường"
    assert normalize("") == ""


@pytest.mark.parametrize(("text", "expected"), vectors("tone_style_old"))
def test_tone_style_old(text: str, expected: str) -> None:
    assert tone_style(text, "old") == expected
    assert tone_style(_nfd(text), "old") == expected
    assert match_key(text) == match_key(expected)


@pytest.mark.parametrize(("text", "expected"), vectors("tone_style_new"))
def test_tone_style_new(text: str, expected: str) -> None:
    assert tone_style(text, "new") == expected
    assert match_key(text) == match_key(expected)


@pytest.mark.parametrize(
    ("text", "old", "new"),
    [
        ("Nguyễn Thị Thủy", "Nguyễn Thị Thủy", "Nguyễn Thị Thuỷ"),
        ("ủy ban", "ủy ban", "uỷ ban"),
        ("HUỲNH", "HUỲNH", "HUỲNH"),  # closed syllable
        ("hoặc", "hoặc", "hoặc"),  # oă is not oa
        ("khuỷu tay", "khuỷu tay", "khuỷu tay"),
        ("thuở", "thuở", "thuở"),
        ("Qùy", "Qùy", "Qùy"),  # never after q, whatever the spelling
        ("kỹ, kĩ, lý, lí", "kỹ, kĩ, lý, lí", "kỹ, kĩ, lý, lí"),  # i/y untouched
        ("Thanh Hoá 2024", "Thanh Hóa 2024", "Thanh Hoá 2024"),
    ],
)
def test_tone_style_rules(text: str, old: str, new: str) -> None:
    assert tone_style(text, "old") == old
    assert tone_style(text, "new") == new


def test_tone_style_rejects_unknown_style() -> None:
    with pytest.raises(ValueError, match="style"):
        tone_style("hoà", "modern")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Tỉnh ủy", "Tỉnh uỷ"),
        ("hòa", "hoà"),
        ("Ban Tuyên giáo Tỉnh ủy", "BAN TUYÊN GIÁO TỈNH UỶ"),
        ("Nguyễn  Văn An", " nguyễn văn an "),
        ("Ðảng bộ", "Đảng bộ"),
        ("Trường\u00ad", "Trường"),
        ("Việt\u00a0Nam", "Việt Nam"),
        ("Dòng 1\nDòng 2", "Dòng 1 Dòng 2"),
    ],
)
def test_match_key_equal(a: str, b: str) -> None:
    assert match_key(a) == match_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Ban Tổ chức", "Ban Tổ chúc"), ("Dũng", "Đũng"), ("Hòa", "Hoa"), ("kỹ", "kĩ")],
)
def test_match_key_keeps_diacritics(a: str, b: str) -> None:
    assert match_key(a) != match_key(b)


@pytest.mark.parametrize(("wrong", "right", "why"), vectors("title_case_is_wrong"))
def test_title_case_is_only_a_case_difference(wrong: str, right: str, why: str) -> None:
    assert wrong != right, why
    assert match_key(wrong) == match_key(right)
    assert in_hoa(wrong) == in_hoa(right)


@pytest.mark.parametrize("name", vectors("agency_names_canonical_case"))
def test_canonical_agency_names_are_kept_as_written(name: str) -> None:
    assert normalize(name) == name
    assert normalize(_nfd(name)) == name


# ---------------------------------------------------------------------------------------------
# in_hoa, noi


@pytest.mark.parametrize("case", vectors("uppercase"))
def test_uppercase(case: list[str]) -> None:
    text, expected = case[0], case[1]
    assert in_hoa(text) == expected
    assert in_hoa(_nfd(text)) == expected


def test_in_hoa_keeps_d_stroke() -> None:
    assert in_hoa("đảng ủy đơn vị") == "ĐẢNG ỦY ĐƠN VỊ"
    assert in_hoa("Ðảng") == "ĐẢNG"


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([], ""),
        (["A"], "A"),
        (["A", "B"], "A và B"),
        (["A", "B", "C"], "A, B và C"),
        (("Sở Tài chính", "Sở Nội vụ", "Sở Y tế", "Sở Tư pháp"),
         "Sở Tài chính, Sở Nội vụ, Sở Y tế và Sở Tư pháp"),
        (iter(["A", "B"]), "A và B"),
    ],
)  # fmt: skip
def test_noi(items: Any, expected: str) -> None:
    assert noi(items) == expected


@pytest.mark.parametrize(("items", "index"), [(["A", ""], 2), (["", "B"], 1), (["A", " ", "C"], 2)])
def test_noi_refuses_an_empty_item_rather_than_a_dangling_va(items: Any, index: int) -> None:
    # Issue 9: noi(["A", ""]) wrote "A và ": an empty item is missing data, refused by name.
    with pytest.raises(ValueError, match=rf"^noi: phần tử thứ {index} là chuỗi trống"):
        noi(items)


def test_noi_connective() -> None:
    assert noi(["A", "B", "C"], va="hoặc") == "A, B hoặc C"


@pytest.mark.parametrize("bad", ["ABC", None, 3, [1, 2], ["A", None]])
def test_noi_rejects_non_lists_of_strings(bad: object) -> None:
    with pytest.raises(ValueError, match="noi"):
        noi(bad)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Sorting


@pytest.mark.parametrize(("words", "expected"), vectors("sorting"))
def test_sorting(words: list[str], expected: list[str]) -> None:
    assert sorted(words, key=sort_key) == expected
    assert [_nfc(w) for w in sorted(map(_nfd, words), key=sort_key)] == expected
    assert sorted(reversed(words), key=sort_key) == expected


@pytest.mark.parametrize(("names", "expected"), vectors("name_sorting"))
def test_name_sorting(names: list[str], expected: list[str]) -> None:
    assert sorted(names, key=name_sort_key) == expected
    shuffled = names[:]
    random.Random(1).shuffle(shuffled)
    assert sorted(shuffled, key=name_sort_key) == expected


@pytest.mark.parametrize(("names", "expected"), vectors("name_sorting_alt_given_then_full_ho_dem"))
def test_name_sorting_two_column_order(names: list[str], expected: list[str]) -> None:
    assert sorted(names, key=lambda n: name_sort_key(n, family_before_middle=True)) == expected


@pytest.mark.parametrize(("names", "full_string_order"), vectors("name_sorting_wrong_full_string"))
def test_full_string_order_differs_from_name_order(
    names: list[str], full_string_order: list[str]
) -> None:
    assert sorted(names, key=sort_key) == full_string_order  # what a plain string sort gives
    assert sorted(names, key=name_sort_key) != full_string_order


# Produced by ICU 77.1 (PyICU, Collator "vi") during development; PyICU is not a dependency.
ICU_VI_ORDER = [
    "An (B)", "An B", "An, B", "AnB", "ăn", "Ăn", "ăng", "Ân", "Ẩn", "Ấn", "Bình", "cha", "Chà",
    "chả", "Chi", "Cường", "Da", "Dạ", "đa", "Đa", "Đà Nẵng", "Đội 1-2", "Gia", "Giang", "Gìn",
    "Hà Giang", "Hà Nam", "Hà Nội", "Hải Dương", "Hải Phòng", "Hậu Giang", "hoa", "Hoa", "HOA",
    "Hóa", "Hoà Bình", "Hòa Bình", "Hoàng", "Khánh Hòa", "Kiên Giang", "Lai Châu", "Lạng Sơn",
    "Lào Cai", "Long An", "Nghệ An", "Ngọc", "Nguyễn", "Nhung", "Ninh Bình", "Oanh", "Ô Môn",
    "Ơn", "Phú Thọ", "Phường 3", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quận 1", "Quận 10",
    "Quận 2", "Quý", "Quỳnh", "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên",
    "Thanh Hóa", "Thừa Thiên Huế", "Tiền Giang", "Trà Vinh", "Tuyên Quang", "Tư", "Từ", "Tứ",
    "Uyên", "Ưng", "Vĩnh Long", "Vĩnh Phúc", "Ý", "Yên Bái",
]  # fmt: skip


def test_sort_key_matches_icu_vi_collator() -> None:
    shuffled = ICU_VI_ORDER[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled, key=sort_key) == ICU_VI_ORDER


def test_sort_levels() -> None:
    # letters first, then tones, then case
    assert sort_key("Ha") < sort_key("há") < sort_key("Hạ") < sort_key("hb")
    assert sort_key("ha") < sort_key("Ha") < sort_key("hà")
    # Ð (ETH) sorts as Đ but stays a different string
    assert sort_key("Ðức")[:3] == sort_key("Đức")[:3]
    assert sort_key("Ðức") != sort_key("Đức")
    # the soft hyphen is ignorable
    assert sort_key("Trường\u00ad")[:3] == sort_key("Trường")[:3]


def test_name_sort_key_parts() -> None:
    assert name_sort_key("Nguyễn Văn An")[:3] == (
        sort_key("An"),
        sort_key("Văn"),
        sort_key("Nguyễn"),
    )
    assert name_sort_key("An")[:3] == (sort_key("An"), sort_key(""), sort_key(""))
    assert name_sort_key("  Lê   Thị  Hoa ") == name_sort_key("Lê Thị Hoa")


# ---------------------------------------------------------------------------------------------
# Properties

_VI_LETTERS = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ"
    "àảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
)
_vi_text = st.text(alphabet=_VI_LETTERS + " -,.0123456789Ð\u00a0\u00ad", max_size=12)
_any_text = st.one_of(_vi_text, st.text(max_size=12))


@settings(max_examples=500, deadline=None, database=None)
@given(_any_text)
def test_sort_key_is_stable_under_nfc_and_nfd(text: str) -> None:
    key = sort_key(text)
    assert sort_key(_nfd(text)) == key
    assert sort_key(_nfc(text)) == key
    assert sort_key(unicodedata.normalize("NFC", _nfd(text))) == key


@settings(max_examples=500, deadline=None, database=None)
@given(_any_text, _any_text)
def test_sort_key_equal_only_for_canonically_equal_strings(a: str, b: str) -> None:
    assert (sort_key(a) == sort_key(b)) == (_nfc(a) == _nfc(b))


@settings(max_examples=200, deadline=None, database=None)
@given(st.lists(_any_text, max_size=12))
def test_sorting_is_a_total_order_independent_of_input_form(words: list[str]) -> None:
    once = sorted(words, key=sort_key)
    assert [_nfc(w) for w in sorted(map(_nfd, words), key=sort_key)] == [_nfc(w) for w in once]
    assert [_nfc(w) for w in sorted(reversed(words), key=sort_key)] == [_nfc(w) for w in once]
    keys = [sort_key(w) for w in once]
    assert all(a <= b for a, b in itertools.pairwise(keys))


@settings(max_examples=300, deadline=None, database=None)
@given(_any_text)
def test_normalize_and_match_key_are_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    assert unicodedata.is_normalized("NFC", once)
    key = match_key(text)
    assert match_key(key) == key
    assert match_key(_nfd(text)) == key
    assert (
        match_key(text.upper()) == match_key(text.lower()) or text.upper().lower() != text.lower()
    )


@settings(max_examples=300, deadline=None, database=None)
@given(_vi_text)
def test_tone_styles_round_trip(text: str) -> None:
    old = tone_style(text, "old")
    assert tone_style(tone_style(old, "new"), "old") == old
    assert match_key(tone_style(text, "new")) == match_key(text)
