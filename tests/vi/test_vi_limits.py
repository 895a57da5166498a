"""The limits of the Vietnamese core, exactly at and one step past each one."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pipeline.vi import doc_so, legacy_uppercase, so, so_ky_hieu, thu_hang, tien_bang_chu
from pipeline.vi._util import show


def test_a_value_is_shown_whole_up_to_sixty_characters() -> None:
    assert show("x" * 58) == "'" + "x" * 58 + "'"  # 60 characters: whole
    assert show("x" * 59) == "'" + "x" * 57 + "…'"  # 61: cut to 60, the closing quote kept
    assert len(show("y" * 500)) == 60


def test_integers_past_thirty_digits_are_refused_with_the_limit_named() -> None:
    below = 2**120 - 1  # 37 digits, 120 bits: past the digit limit, within the quick bit check
    with pytest.raises(ValueError) as caught:
        so(below)
    assert str(caught.value) == f"so: {below} quá lớn (tối đa 30 chữ số)"
    with pytest.raises(ValueError) as caught:
        so(2**120)  # 121 bits: refused before any conversion
    assert str(caught.value) == f"so: {2**120} quá lớn"
    assert so(10**30 - 1) == "999.999.999.999.999.999.999.999.999.999"


def test_not_a_finite_number() -> None:
    for value in (float("nan"), float("inf"), float("-inf")):
        with pytest.raises(ValueError, match="không phải là số hữu hạn"):
            so(value)


def test_thirty_decimals_at_most() -> None:
    assert so(1, le=30) == "1," + "0" * 30
    with pytest.raises(ValueError, match="le=31 phải là số nguyên từ 0 đến 30"):
        so(1, le=31)
    assert so(Decimal("0." + "0" * 29 + "1")) == "0," + "0" * 29 + "1"
    with pytest.raises(ValueError, match="có quá nhiều chữ số thập phân"):
        so(Decimal("0." + "0" * 30 + "1"))


def test_document_numbers_from_one_to_nine_digits() -> None:
    assert so_ky_hieu(1, "BC", "CTĐ", "dang") == "Số 01-BC/CTĐ"
    assert so_ky_hieu(999_999_999, "BC", "CTĐ", "dang") == "Số 999999999-BC/CTĐ"
    for number in (0, 10**9):
        with pytest.raises(ValueError, match=f"số văn bản {number} phải là số nguyên dương"):
            so_ky_hieu(number, "BC", "CTĐ", "dang")


def test_a_party_document_without_its_kind_says_why_it_is_needed() -> None:
    with pytest.raises(ValueError) as caught:
        so_ky_hieu(5, None, "CTĐ", "dang")
    assert str(caught.value) == (
        "so_ky_hieu: thiếu loại văn bản (văn bản của Đảng luôn ghi loại; công văn là 'CV')"
    )


def test_only_tcvn3_fonts_ending_in_h_are_uppercase_fonts() -> None:
    assert legacy_uppercase(".VnTimeH") is True
    assert legacy_uppercase("VNI-TimesH") is False  # a VNI font, whatever its last letter


def test_numbers_in_words_at_their_limits() -> None:
    assert doc_so(Decimal("1E2")) == "một trăm"  # an exponent, not trailing digits
    thirty = Decimal("0." + "0" * 29 + "1")
    assert doc_so(thirty).startswith("không phẩy " + "không " * 29)
    with pytest.raises(ValueError, match="có quá nhiều chữ số thập phân"):
        doc_so(Decimal("0." + "0" * 30 + "1"))
    assert tien_bang_chu(1004) == "Một nghìn không trăm linh bốn đồng"  # 'tư' only if asked
    assert thu_hang(10) == "thứ Mười" and thu_hang(11) == "thứ Mười một"
