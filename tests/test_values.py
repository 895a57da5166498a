"""Numbers, dates, times and ratios typed as text, read through a real workbook.

Secretaries type "+5", "14h30", "2/3" or "ngày 10 tháng 01 năm 2014" into cells formatted as text.
Each case writes the sample workbook with such cells (openpyxl), loads it and checks the value the
dossier holds, or the located problem and its hint. The tests go through :func:`load`, so they
hold whatever module the value parsers live in.
"""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

from pipeline.domain.model import Dossier
from pipeline.errors import Problem
from pipeline.workbook.loader import load
from pipeline.workbook.sample import sample_sheets
from pipeline.workbook.schema import cell_of, value_cell
from pipeline.workbook.xlsx_write import write_workbook

Sheets = dict[str, list[dict[str, object]]]
SCORE = "Điểm cụm chấm"


def _set(sheets: Sheets, sheet: str, label: str, value: object) -> None:
    next(r for r in sheets[sheet] if r["Mục"] == label)["Giá trị"] = value


def read(
    tmp_path: Path, cells: dict[tuple[str, str], object], scores: dict[int, object] | None = None
) -> tuple[Dossier | None, list[Problem]]:
    """Load the sample with key-value cells ``(sheet, label)`` and ChamDiem cluster scores
    (row → value) replaced."""
    sheets = sample_sheets()
    for (sheet, label), value in cells.items():
        _set(sheets, sheet, label, value)
    for row, value in (scores or {}).items():
        sheets["ChamDiem"][row][SCORE] = value
    path = tmp_path / "cum.xlsx"
    write_workbook(sheets, path)
    return load(path)


def located(problems: list[Problem]) -> dict[str, tuple[str, str]]:
    """Each error's cell → (message, hint)."""
    return {f"{p.location.sheet}!{p.location.cell}": (p.message, p.hint)
            for p in problems if p.is_error}  # fmt: skip


def test_text_values_the_vietnamese_way(tmp_path: Path) -> None:
    dossier, problems = read(
        tmp_path,
        {
            ("HoiNghi", "Ngày họp"): "ngày 10 tháng 01 năm 2014",
            ("HoiNghi", "Giờ bắt đầu"): "7g30",
            ("HoiNghi", "Giờ kết thúc"): "23 giờ 59 phút",
            ("ThamSo", "Tỷ lệ Bằng khen tối đa"): "2/3",
            ("ThamSo", "Ngưỡng thông qua biểu quyết"): "50%",
            ("ThamSo", "Tỷ lệ có mặt tối thiểu"): "0,75",
            ("ThamSo", "Ngày dự kiến quyết định khen thưởng"): "2014-01-20",
        },
        {0: "+195", 1: "  194,5 ", 2: "−0"},
    )
    assert [p for p in problems if p.is_error] == []
    assert dossier is not None
    assert dossier.meeting.date == date(2014, 1, 10)
    assert (dossier.meeting.start, dossier.meeting.end) == (time(7, 30), time(23, 59))
    assert dossier.params.merit_quota_ratio == D(2) / D(3)
    assert dossier.params.vote_threshold == D("0.5")
    assert dossier.params.quorum == D("0.75")
    assert dossier.params.decision_date == date(2014, 1, 20)
    assert [s.cluster_score for s in dossier.scores[:3]] == [D(195), D("194.5"), D(0)]


@pytest.mark.parametrize(
    ("start", "end"),
    [("00:00", "23:59"), ("8 giờ", "9h"), ("14:00", "14h05"), ("6h", "7 giờ 5")],
)
def test_times_at_their_bounds(tmp_path: Path, start: str, end: str) -> None:
    dossier, problems = read(tmp_path, {("HoiNghi", "Giờ bắt đầu"): start,
                                        ("HoiNghi", "Giờ kết thúc"): end})  # fmt: skip
    assert [p for p in problems if p.is_error] == []
    assert dossier is not None
    shown = (dossier.meeting.start.strftime("%H:%M"), dossier.meeting.end.strftime("%H:%M"))
    expected = {"00:00": "00:00", "23:59": "23:59", "8 giờ": "08:00", "9h": "09:00",
                "14:00": "14:00", "14h05": "14:05", "6h": "06:00", "7 giờ 5": "07:05"}
    assert shown == (expected[start], expected[end])  # fmt: skip


def test_impossible_values_are_located_with_their_hint(tmp_path: Path) -> None:
    _, problems = read(
        tmp_path,
        {
            ("HoiNghi", "Giờ bắt đầu"): "24h00",
            ("HoiNghi", "Giờ kết thúc"): "8h60",
            ("HoiNghi", "Ngày họp"): "31/02/2014",
            ("ThamSo", "Tỷ lệ Bằng khen tối đa"): "150%",
            ("ThamSo", "Ngưỡng thông qua biểu quyết"): "1/0",
            ("ThamSo", "Tỷ lệ có mặt tối thiểu"): "1,01",
            ("ThamSo", "Ngày dự kiến quyết định khen thưởng"): "20/13/2014",
        },
        {0: "1,000", 1: "95đ", 2: "1.5", 3: "1,000.5", 4: "+", 5: "1 00"},
    )
    found = located(problems)
    hhmm = "Ghi giờ dạng hh:mm (14:00) hoặc 14h00."
    ratio_hint = "Ghi tỷ lệ như 50%, 0,5 hoặc 2/3."

    def kv(sheet: str, label: str) -> str:
        return f"{sheet}!{value_cell(sheet, label)}"

    def score(row: int) -> str:
        return f"ChamDiem!{cell_of('ChamDiem', row, SCORE)}"

    expected: dict[str, tuple[str, str | None]] = {
        kv("HoiNghi", "Giờ bắt đầu"): ("“24h00” không phải là giờ", hhmm),
        kv("HoiNghi", "Giờ kết thúc"): ("“8h60” không phải là giờ", hhmm),
        kv("HoiNghi", "Ngày họp"): ("“31/02/2014” không phải là ngày có thật",
                                    "Sửa lại ngày, tháng."),
        kv("ThamSo", "Tỷ lệ Bằng khen tối đa"): (
            "Tỷ lệ “150%” không nằm trong khoảng 0 đến 1 (0% đến 100%)", ratio_hint),
        kv("ThamSo", "Ngưỡng thông qua biểu quyết"): ("“1/0” chia cho 0", None),
        kv("ThamSo", "Tỷ lệ có mặt tối thiểu"): (
            "Tỷ lệ “1,01” không nằm trong khoảng 0 đến 1", ratio_hint),
        kv("ThamSo", "Ngày dự kiến quyết định khen thưởng"): (
            "“20/13/2014” không phải là ngày có thật", None),
        score(0): ("“1,000” không rõ là số nào: 1.000 hay 1,000", "Nếu là số nguyên, ghi 1.000"),
        score(1): ("“95đ” không phải là số", "bỏ chữ và ký hiệu"),
        score(2): ("“1.5” không rõ là số nào: dấu chấm chỉ dùng để tách nhóm nghìn",
                   "Nếu là số thập phân, ghi 1,5"),
        score(3): ("“1,000.5” viết theo kiểu Anh", "Dùng dấu phẩy cho phần thập phân"),
        score(4): ("“+” không phải là số", "Nhập một số, ví dụ 973,5."),
        score(5): ("“1 00” không rõ là số nào", "Dùng dấu phẩy cho phần thập phân"),
    }  # fmt: skip
    assert sorted(found) == sorted(expected), found
    for cell, (message, hint) in expected.items():
        assert message in found[cell][0], cell
        assert hint is None or hint in found[cell][1], cell


@pytest.mark.parametrize(
    ("typed", "value"),
    [("1.000", D(1000)), ("1.150.000", D(1_150_000)), ("1.000,5", D("1000.5")),
     ("1 000", D(1000)), ("0,125", D("0.125")), ("-2", D(-2)), ("− 3", D(-3)), ("+7", D(7)),
     (" 12 ", D(12))],
)  # fmt: skip
def test_numbers_typed_as_text(tmp_path: Path, typed: str, value: Any) -> None:
    dossier, _ = read(tmp_path, {}, {0: typed})
    assert dossier is not None
    assert dossier.scores[0].cluster_score == value


def test_cells_of_the_wrong_type_are_located_with_their_hint(tmp_path: Path) -> None:
    """Typed cells (a date, a boolean) in the wrong column, as Excel stores them, and text too
    long or too large to be a number."""
    _, problems = read(
        tmp_path,
        {("ThamSo", "Ngày dự kiến quyết định khen thưởng"): True},
        {0: date(2014, 1, 10), 1: "1" + "0" * 40, 2: "9" * 16},
    )
    found = located(problems)

    def kv(sheet: str, label: str) -> str:
        return f"{sheet}!{value_cell(sheet, label)}"

    expected = {
        kv("ThamSo", "Ngày dự kiến quyết định khen thưởng"): ("Ô không chứa ngày",
                                                              "Ghi ngày dạng dd/mm/yyyy."),
        f"ChamDiem!{cell_of('ChamDiem', 0, SCORE)}": ("Ô đang ở dạng ngày/giờ, không phải số",
                                                      "Format Cells › Number"),
        f"ChamDiem!{cell_of('ChamDiem', 1, SCORE)}": ("quá dài để là một số", "Kiểm tra lại"),
        f"ChamDiem!{cell_of('ChamDiem', 2, SCORE)}": ("quá lớn để là điểm hay số tiền",
                                                      "Kiểm tra lại số này."),
    }  # fmt: skip
    assert sorted(found) == sorted(expected), found
    for cell, (message, hint) in expected.items():
        assert message in found[cell][0] and hint in found[cell][1], (cell, found[cell])


def test_limits_that_are_accepted(tmp_path: Path) -> None:
    dossier, problems = read(
        tmp_path,
        {
            ("ThamSo", "Tỷ lệ Bằng khen tối đa"): "0%",
            ("ThamSo", "Ngưỡng thông qua biểu quyết"): "100%",
            ("HoiNghi", "Giờ bắt đầu"): time(8, 0, 30),  # seconds are dropped
        },
        {0: "0" * 40},  # 40 characters: long, but a number
    )
    assert [p for p in problems if p.is_error] == []
    assert dossier is not None
    assert dossier.params.merit_quota_ratio == D(0)
    assert dossier.params.vote_threshold == D(1)
    assert dossier.meeting.start == time(8, 0)
    assert dossier.scores[0].cluster_score == D(0)
