"""More header names of real units, cut as a văn thư cuts them, and the filters' contract at its
edges (pipeline.vi.lines): the mutants scripts/mutate.py found unchecked by test_vi_lines.py.

The names are those of provincial bodies (a sở, a ban quản lý, a bưu điện), at the sizes and
column widths the templates use: 14 pt in the Party header's 7,6 cm, 13 pt in the State
header's 6,2 cm, 11 pt bold in the covenant's 5,3 cm signature columns (scripts/make_templates.py).
Widths are Times New Roman's (test_vi_line_metrics reads them from the font; test_vi_lines
compares two with LibreOffice's PDF): ``TỈNH ỦY LẠNG SƠN`` is 121,5 pt at 13 pt, so 130,8 pt at
14 pt.
"""

from __future__ import annotations

import pytest

from pipeline.vi.lines import break_lines, giu_tu, ngat_dong, vach, word_units


@pytest.mark.parametrize(
    ("text", "width", "size", "bold", "lines"),
    [
        # a line never starts with the dash that joins two place names
        ("BAN QUẢN LÝ KHU KINH TẾ CỬA KHẨU ĐỒNG ĐĂNG - LẠNG SƠN", 7.6, 14, True,
         ["BAN QUẢN LÝ", "KHU KINH TẾ CỬA KHẨU", "ĐỒNG ĐĂNG - LẠNG SƠN"]),
        # after the comma, not inside "thương binh"
        ("SỞ LAO ĐỘNG, THƯƠNG BINH VÀ XÃ HỘI", 7.6, 14, True,
         ["SỞ LAO ĐỘNG,", "THƯƠNG BINH VÀ XÃ HỘI"]),
        ("SỞ LAO ĐỘNG, THƯƠNG BINH VÀ XÃ HỘI", 6.2, 13, True,
         ["SỞ LAO ĐỘNG,", "THƯƠNG BINH VÀ XÃ HỘI"]),
        # "tỉnh Lạng Sơn" is one name: the province is not cut off its name
        ("SỞ NỘI VỤ TỈNH LẠNG SƠN", 6.2, 13, True, ["SỞ NỘI VỤ", "TỈNH LẠNG SƠN"]),
        ("BƯU ĐIỆN TỈNH LẠNG SƠN", 5.3, 11, True, ["BƯU ĐIỆN", "TỈNH LẠNG SƠN"]),
        # no lone syllable on a line of its own
        ("BAN TUYÊN GIÁO TỈNH ỦY", 5.3, 11, True, ["BAN TUYÊN GIÁO", "TỈNH ỦY"]),
    ],
)  # fmt: skip
def test_names_of_provincial_bodies(
    text: str, width: float, size: float, bold: bool, lines: list[str]
) -> None:
    assert break_lines(text, width, size, bold) == lines


@pytest.mark.parametrize("bold", [True, False])
def test_no_line_ends_with_a_word_that_belongs_to_the_next(bold: bool) -> None:
    # "… XÂY DỰNG CÁC / CÔNG TRÌNH …" is the break issue 12 rejected ("CÁC / CƠ QUAN")
    name = "BAN QUẢN LÝ DỰ ÁN ĐẦU TƯ XÂY DỰNG CÁC CÔNG TRÌNH GIAO THÔNG"
    lines = break_lines(name, 7.6, 14, bold)
    assert len(lines) == 3
    for line in lines[:-1]:
        assert line.split()[-1].lower() not in {"các", "và", "của", "thuộc"}, lines


def test_a_word_wider_than_a_narrow_column_stands_alone_and_the_rest_is_still_cut() -> None:
    # in a 3 cm table column "lao động tiên tiến" is wider than the column: it gets a line of its
    # own, and the other words still share lines (four lines, not one word per line)
    lines = break_lines("Chiến sĩ thi đua cơ sở và lao động tiên tiến", 3, 13)
    assert lines[-1] == "lao động tiên tiến"
    assert len(lines) == 4


def test_a_number_keeps_its_word_even_when_it_runs_into_a_symbol() -> None:
    assert word_units("Quyết định số 1/QĐ-UBND") == ["Quyết định", "số 1/QĐ-UBND"]
    assert giu_tu("theo Nghị quyết số 5-NQ/TU") == "theo Nghị\u00a0quyết số\u00a05-NQ/TU"


def test_the_filters_set_body_text_unless_told_otherwise() -> None:
    # 14 pt regular: 130,8 pt fits a 4,95 cm column (less the 4 % margin: 134,7 pt); in bold
    # or at 15 pt it does not
    name = "TỈNH ỦY LẠNG SƠN"
    assert break_lines(name, 4.95) == [name]
    assert ngat_dong(name, 4.95) == name
    assert ngat_dong(name, 4.95, 15) == ngat_dong(name, 4.95, 14, True) == "TỈNH ỦY\nLẠNG SƠN"
    # the rule: 0,4 of 130,8 pt is 52,3 pt, 15 no-break spaces of a quarter em (3,5 pt)
    assert vach(name, 4.95) == "\u00a0" * 15 + "\u200b"


def test_an_empty_name_prints_nothing() -> None:
    assert ngat_dong("", 6.2, 13, True) == ""
    assert ngat_dong("", 6.2) == ""
    assert vach("", 6.2, 13, True) == ""


def test_the_rule_ratio_may_be_anything_in_its_documented_range() -> None:
    name = "BAN TUYÊN GIÁO"
    assert vach(name, 6.2, 13, True, ty_le=0.01) == "\u00a0\u200b"  # the shortest rule: one space
    full = vach(name, 6.2, 13, True, ty_le=1)
    assert len(full) > len(vach(name, 6.2, 13, True))
    with pytest.raises(ValueError, match=r"\(0; 1\]"):
        vach(name, 6.2, 13, True, ty_le=1.5)


def test_padding_up_to_the_twenty_lines_the_message_allows() -> None:
    assert ngat_dong("SỞ Y TẾ", 5.3, 11, True, so_dong=20) == "\n" * 19 + "SỞ Y TẾ"
    with pytest.raises(ValueError, match="0–20"):
        ngat_dong("SỞ Y TẾ", 5.3, 11, True, so_dong=21)
