"""Document numbers and symbols: NĐ 30/2020 (State) and HD 36-HD/VPTW (Party)."""

from __future__ import annotations

from typing import Any

import pytest
from vi_testdata import VECTORS, vectors

from pipeline.vi import BLANK_NUMBER, so_ky_hieu

_FORMAT = {"nd30": "nha_nuoc", "nd30_cong_van": "nha_nuoc", "party_hd36": "dang"}


@pytest.mark.parametrize(("kind", "fields", "expected"), vectors("doc_number_symbols"))
def test_doc_number_symbols(kind: str, fields: dict[str, Any], expected: str) -> None:
    result = so_ky_hieu(
        fields["so"],
        fields.get("loai"),
        fields["co_quan"],
        _FORMAT[kind],
        don_vi=fields.get("don_vi"),
    )
    assert result == expected
    if "don_vi" in fields:  # the same công văn with the unit written into co_quan
        co_quan = f"{fields['co_quan']}-{fields['don_vi']}"
        assert so_ky_hieu(fields["so"], None, co_quan, _FORMAT[kind]) == expected
        assert so_ky_hieu(fields["so"], "", co_quan, _FORMAT[kind]) == expected


@pytest.mark.parametrize(("name", "code"), sorted(VECTORS["doc_type_abbreviations_nd30"].items()))
def test_type_abbreviations_are_kept_exactly(name: str, code: str) -> None:
    assert so_ky_hieu(1, code, "UBND", "nha_nuoc") == f"Số: 01/{code}-UBND"
    assert so_ky_hieu(7, code, "TU", "dang") == f"Số 07-{code}/TU"


def test_spec_examples() -> None:
    assert so_ky_hieu(12, "BC", "BTGTU", "dang") == "Số 12-BC/BTGTU"
    assert so_ky_hieu(5, "BC", "UBND", "nha_nuoc") == "Số: 05/BC-UBND"


@pytest.mark.parametrize(
    ("so", "expected_state", "expected_party"),
    [
        (1, "Số: 01/BC-UBND", "Số 01-BC/UBND"),
        (9, "Số: 09/BC-UBND", "Số 09-BC/UBND"),
        (10, "Số: 10/BC-UBND", "Số 10-BC/UBND"),
        (1234, "Số: 1234/BC-UBND", "Số 1234-BC/UBND"),  # never grouped
        ("05", "Số: 05/BC-UBND", "Số 05-BC/UBND"),
        (5.0, "Số: 05/BC-UBND", "Số 05-BC/UBND"),
    ],
)
def test_numbers_padded_below_ten_and_never_grouped(
    so: Any, expected_state: str, expected_party: str
) -> None:
    assert so_ky_hieu(so, "BC", "UBND", "nha_nuoc") == expected_state
    assert so_ky_hieu(so, "BC", "UBND", "dang") == expected_party


def test_blank_form_before_numbering() -> None:
    assert BLANK_NUMBER == "\u00a0" * 6
    assert (
        so_ky_hieu(None, "BC", "BTGTU", "dang") == "Số\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0-BC/BTGTU"
    )
    assert so_ky_hieu(None, "BC", "UBND", "nha_nuoc") == "Số:" + BLANK_NUMBER + "/BC-UBND"
    assert (
        so_ky_hieu(None, None, "BNV", "nha_nuoc", don_vi="VP") == "Số:" + BLANK_NUMBER + "/BNV-VP"
    )


@pytest.mark.parametrize("the_thuc", ["dang", "Đảng", "ĐẢNG", "hd36"])
def test_party_format_names(the_thuc: str) -> None:
    assert so_ky_hieu(3, "NQ", "ĐU", the_thuc) == "Số 03-NQ/ĐU"


@pytest.mark.parametrize("the_thuc", ["nha_nuoc", "Nhà nước", "NĐ30", "nd30"])
def test_state_format_names(the_thuc: str) -> None:
    assert so_ky_hieu(3, "BB", "UBND", the_thuc) == "Số: 03/BB-UBND"


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((0, "BC", "UBND", "nha_nuoc"), "số văn bản 0"),
        ((-3, "BC", "UBND", "nha_nuoc"), "số văn bản -3"),
        ((1.5, "BC", "UBND", "nha_nuoc"), "số văn bản 1.5"),
        ((True, "BC", "UBND", "nha_nuoc"), "True"),
        (("12a", "BC", "UBND", "nha_nuoc"), "12a"),
        ((1, "BC", "UBND", "state-ish"), "the_thuc='state-ish'"),
        ((1, "BC", "UBND", None), "the_thuc=None"),
        ((1, None, "BTGTU", "dang"), "thiếu loại văn bản"),
        ((1, "BC", "", "nha_nuoc"), "thiếu tên viết tắt cơ quan"),
        ((1, "BC", None, "nha_nuoc"), "thiếu tên viết tắt cơ quan"),
        ((1, "BC", 12, "nha_nuoc"), "12 không phải là tên viết tắt cơ quan"),
        ((1, "B C", "UBND", "nha_nuoc"), "dấu cách"),
    ],
)
def test_bad_input(args: tuple[Any, ...], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        so_ky_hieu(*args)
