"""Balanced line breaks for header names and trích yếu (pipeline.vi.lines): never inside a word.

The cases are the ones a văn thư rejected in issue 12 (``BAN BẢO VỆ, CHĂM SÓC SỨC / KHỎE CÁN
BỘ``, ``CỤM THI ĐUA CÁC BAN / ĐẢNG``, ``ĐẢNG ỦY KHỐI CÁC CƠ / QUAN TỈNH``, ``… nhiệm / vụ năm
2014``), written down with the lines a văn thư would write instead.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.vi.lines import WORDS, break_lines, giu_tu, ngat_dong, text_width, vach, word_units

PT_PER_CM = 72 / 2.54


@pytest.mark.parametrize(
    ("text", "width", "size", "bold", "lines"),
    [
        ("BAN BẢO VỆ, CHĂM SÓC SỨC KHỎE CÁN BỘ", 7.6, 14, True,
         ["BAN BẢO VỆ, CHĂM SÓC", "SỨC KHỎE CÁN BỘ"]),
        ("BAN BẢO VỆ, CHĂM SÓC SỨC KHỎE CÁN BỘ TỈNH", 6.2, 13, True,
         ["BAN BẢO VỆ, CHĂM SÓC", "SỨC KHỎE CÁN BỘ TỈNH"]),
        ("CỤM THI ĐUA CÁC BAN ĐẢNG", 7.6, 14, True, ["CỤM THI ĐUA", "CÁC BAN ĐẢNG"]),
        ("ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH", 6.2, 13, True, ["ĐẢNG ỦY KHỐI", "CÁC CƠ QUAN TỈNH"]),
        ("KHỐI THI ĐUA CÁC SỞ NGÀNH KINH TẾ", 6.2, 13, True,
         ["KHỐI THI ĐUA", "CÁC SỞ NGÀNH KINH TẾ"]),
        ("TRƯỜNG CHÍNH TRỊ HOÀNG VĂN THỤ", 7.6, 14, True, ["TRƯỜNG CHÍNH TRỊ", "HOÀNG VĂN THỤ"]),
        ("ỦY BAN KIỂM TRA TỈNH ỦY", 5.3, 12, True, ["ỦY BAN KIỂM TRA", "TỈNH ỦY"]),
        ("Tổng kết công tác thi đua, khen thưởng năm 2013 và phương hướng, nhiệm vụ năm 2014",
         15, 14, True,
         ["Tổng kết công tác thi đua, khen thưởng năm 2013", "và phương hướng, nhiệm vụ năm 2014"]),
        ("Hội nghị tổng kết công tác thi đua, khen thưởng năm 2013 và ký kết giao ước thi đua "
         "năm 2014", 15, 14, True,
         ["Hội nghị tổng kết công tác thi đua, khen thưởng năm 2013",
          "và ký kết giao ước thi đua năm 2014"]),
        ("BAN TUYÊN GIÁO", 6.2, 13, True, ["BAN TUYÊN GIÁO"]),
    ],
)  # fmt: skip
def test_balanced_breaks_between_phrases(
    text: str, width: float, size: float, bold: bool, lines: list[str]
) -> None:
    assert break_lines(text, width, size, bold) == lines


def test_a_break_typed_by_the_user_is_kept() -> None:
    assert break_lines("BAN BẢO VỆ, CHĂM SÓC SỨC\nKHỎE CÁN BỘ", 7.6, 14, True) == [
        "BAN BẢO VỆ, CHĂM SÓC SỨC",
        "KHỎE CÁN BỘ",
    ]  # the user's choice, even inside a word
    assert ngat_dong("CỤM THI ĐUA\r\nCÁC BAN ĐẢNG", 16, 13) == "CỤM THI ĐUA\nCÁC BAN ĐẢNG"


def test_widths_are_those_of_times_new_roman() -> None:
    """Measured by LibreOffice with Liberation Serif (same metrics) in the sample's PDF."""
    assert text_width("BAN BẢO VỆ, CHĂM SÓC", 13, True) == pytest.approx(157.6, abs=0.5)
    assert text_width("TỈNH ỦY LẠNG SƠN", 13) == pytest.approx(121.5, abs=0.5)


def test_the_rule_is_two_fifths_of_the_longest_line() -> None:
    name = "BAN BẢO VỆ, CHĂM SÓC SỨC KHỎE CÁN BỘ"
    rule = vach(name, 6.2, 13, True)
    assert rule.endswith("\u200b") and set(rule[:-1]) == {"\u00a0"}
    longest = max(text_width(line, 13, True) for line in break_lines(name, 6.2, 13, True))
    assert text_width(rule[:-1], 13) / longest == pytest.approx(0.4, abs=0.02)


def test_words_are_kept_whole_in_cells() -> None:
    assert giu_tu("Phó Trưởng ban Ban Bảo vệ, chăm sóc sức khỏe cán bộ tỉnh") == (
        "Phó\u00a0Trưởng\u00a0ban Ban Bảo\u00a0vệ, chăm\u00a0sóc sức\u00a0khỏe cán\u00a0bộ tỉnh"
    )


_LISTED = sorted(WORDS)
_FILLERS = ["các", "và", "của", "tỉnh", "ban", "sở", "năm 2014"]


@settings(max_examples=200, deadline=None, database=None)
@given(
    words=st.lists(st.sampled_from(_LISTED + _FILLERS), min_size=1, max_size=12),
    width=st.floats(min_value=3, max_value=16),
    size=st.sampled_from([11, 12, 13, 14]),
    bold=st.booleans(),
)
def test_no_listed_word_is_ever_split_and_every_line_fits(
    words: list[str], width: float, size: int, bold: bool
) -> None:
    text = " ".join(words).upper() if bold else " ".join(words)
    lines = break_lines(text, width, size, bold)
    assert " ".join(lines).split() == text.split()  # nothing lost, nothing added
    units = word_units(text)
    starts = {sum(len(u.split()) for u in units[:i]) for i in range(len(units))}
    position = 0
    for line in lines[:-1]:
        position += len(line.split())
        assert position in starts, (line, lines)  # each break falls between two units
    for line in lines:
        fits = text_width(line, size, bold) <= width * PT_PER_CM
        assert fits or len(word_units(line)) == 1, (line, lines)
