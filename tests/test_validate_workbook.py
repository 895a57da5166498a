"""Validation rules end to end: one defect in a real workbook gives one problem at its cell.

Each case takes a fresh copy of the sample rows (:func:`pipeline.workbook.sample.sample_sheets`),
changes one cell (or adds or deletes a row), writes the workbook with
:func:`pipeline.workbook.xlsx_write.write_workbook`, loads it with
:func:`pipeline.workbook.loader.load` and validates it. The problems it finds beyond those of the
untouched sample must be exactly the expected ones: severity, rule id, sheet and cell
(:func:`pipeline.workbook.schema.cell_of`).

The untouched sample has no error and exactly two notes (info), both legitimate: C17 (Văn phòng
Tỉnh ủy and Ban Tuyên giáo Tỉnh ủy tie for thứ Ba, as in the story) and F32 (the Party form
``BK_BTV_CN`` has no prize coefficient, so no amount is printed for it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal as D
from pathlib import Path

import pytest

from pipeline.domain.rules import validate
from pipeline.errors import Problem
from pipeline.workbook.loader import load
from pipeline.workbook.sample import sample_sheets
from pipeline.workbook.schema import cell_of, value_cell
from pipeline.workbook.xlsx_write import write_workbook

Sheets = dict[str, list[dict[str, object]]]
Key = tuple[str, str, str | None, str | None]

#: Row of each unit in DonVi, and the first ChamDiem row of each unit (ten leaves per unit).
UNIT_ROW = {"VPTU": 0, "BTCTU": 1, "UBKTTU": 2, "BTGTU": 3, "BDVTU": 4, "BNCTU": 5,
            "BBVCSSK": 6, "DUK": 7, "TCT": 8}  # fmt: skip
LEAVES = ("I.1", "I.2", "I.3", "II.1", "II.2", "II.3", "II.4", "III.1", "III.2", "III.3")


def score_row(unit: str, leaf: str) -> int:
    return UNIT_ROW[unit] * len(LEAVES) + LEAVES.index(leaf)


def kv_row(sheets: Sheets, sheet: str, label: str) -> dict[str, object]:
    return next(r for r in sheets[sheet] if r["Mục"] == label)


def problems_of(sheets: Sheets, tmp_path: Path) -> list[Problem]:
    path = tmp_path / "cum.xlsx"
    write_workbook(sheets, path)
    dossier, problems = load(path)
    assert dossier is not None, "\n".join(map(str, problems))
    return [*problems, *validate(dossier)]


def key(p: Problem) -> Key:
    return (p.severity, p.code, p.location.sheet, p.location.cell)


# --- mutations ---------------------------------------------------------------------------------

Mutation = Callable[[Sheets], None]


def set_cell(sheet: str, row: int, values: dict[str, object]) -> Mutation:
    """Set cells of one row (0-based), by column header."""
    return lambda sheets: sheets[sheet][row].update(values)


def set_kv(sheet: str, label: str, value: object) -> Mutation:
    def mutate(sheets: Sheets) -> None:
        kv_row(sheets, sheet, label)["Giá trị"] = value

    return mutate


def set_score(unit: str, leaf: str, cluster: object = ..., own: object = ...) -> Mutation:
    def mutate(sheets: Sheets) -> None:
        row = sheets["ChamDiem"][score_row(unit, leaf)]
        if cluster is not ...:
            row["Điểm cụm chấm"] = cluster
        if own is not ...:
            row["Điểm tự chấm"] = own

    return mutate


def delete_row(sheet: str, row: int) -> Mutation:
    def mutate(sheets: Sheets) -> None:
        del sheets[sheet][row]

    return mutate


def copy_row(sheet: str, row: int, values: dict[str, object] | None = None) -> Mutation:
    """Append a copy of a row, with some cells changed."""
    return lambda sheets: sheets[sheet].append({**sheets[sheet][row], **(values or {})})


def both(*mutations: Mutation) -> Mutation:
    def mutate(sheets: Sheets) -> None:
        for mutation in mutations:
            mutation(sheets)

    return mutate


# --- cases -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    mutate: Mutation
    added: tuple[Key, ...]  # problems beyond the sample's
    removed: tuple[Key, ...] = ()  # sample problems the defect makes disappear


def at(severity: str, code: str, sheet: str, row: int | None = None, header: str = "") -> Key:
    """A problem key; ``row`` is the 0-based row of the sample sheet (None: the whole sheet)."""
    return (severity, code, sheet, None if row is None else cell_of(sheet, row, header))


def kv_at(severity: str, code: str, sheet: str, label: str) -> Key:
    return (severity, code, sheet, value_cell(sheet, label))


TIE_AT_THIRD: Key = ("info", "C17", "ChamDiem", None)

CASES = [
    Case("A1-duplicate-name", set_cell("DonVi", 2, {"Tên đầy đủ": "Ban tổ chức  Tỉnh uỷ"}),
         (at("error", "A1", "DonVi", 2, "Tên đầy đủ"),)),
    Case("A1-duplicate-code",
         copy_row("DonVi", 1, {"Tên đầy đủ": "Ban Tổ chức Tỉnh ủy (mới)", "Tên ngắn": "Ban TC",
                               "Tên gọi khác": None}),
         (at("error", "A1", "DonVi", 9, "Mã đơn vị"),), (TIE_AT_THIRD,)),
    Case("A3-signer-without-title",
         set_cell("DonVi", 0, {"Người ký thay: họ tên": "Lê Văn Nam"}),
         (at("warning", "A3", "DonVi", 0, "Người ký thay: chức vụ"),)),
    Case("A4-two-heads", set_cell("DonVi", 1, {"Vai trò năm thi đua": "Cụm trưởng"}),
         (at("error", "A4", "DonVi", 1, "Vai trò năm thi đua"),
          at("error", "A4", "DonVi", 6, "Vai trò năm thi đua"))),
    Case("B6-cycle", set_cell("TieuChi", 0, {"Mã tiêu chí cha": "I.1"}),
         (at("error", "B6", "TieuChi", 0, "Mã tiêu chí cha"),), (TIE_AT_THIRD,)),
    Case("B6-unknown-parent", set_cell("TieuChi", 12, {"Mã tiêu chí cha": "IV"}),
         (at("error", "B6", "TieuChi", 12, "Mã tiêu chí cha"),), (TIE_AT_THIRD,)),
    Case("B7-children-sum", set_cell("TieuChi", 1, {"Điểm tối đa": 210}),
         (at("error", "B7", "TieuChi", 0, "Điểm tối đa"),)),
    Case("B7-top-level-sum", set_kv("ThongTinChung", "Thang điểm", 1100),
         (kv_at("error", "B7", "ThongTinChung", "Thang điểm"),)),
    Case("B8-blank-cluster-score", set_score("DUK", "II.3", cluster=None),
         (at("error", "B8", "ChamDiem", score_row("DUK", "II.3"), "Điểm cụm chấm"),),
         (TIE_AT_THIRD,)),
    Case("B8-blank-self-score", set_score("DUK", "II.3", own=None),
         (at("warning", "B8", "ChamDiem", score_row("DUK", "II.3"), "Điểm tự chấm"),)),
    Case("B8-missing-row", delete_row("ChamDiem", score_row("TCT", "III.3")),
         (at("error", "B8", "ChamDiem"),), (TIE_AT_THIRD,)),
    Case("B8-unknown-criterion", copy_row("ChamDiem", 0, {"Mã tiêu chí": "IV.1"}),
         (at("error", "B8", "ChamDiem", 90, "Mã tiêu chí"),)),
    Case("B9-above-max", set_score("DUK", "I.1", cluster=201, own=201),
         (at("error", "B9", "ChamDiem", score_row("DUK", "I.1"), "Điểm tự chấm"),
          at("error", "B9", "ChamDiem", score_row("DUK", "I.1"), "Điểm cụm chấm"))),
    Case("B9-step", set_score("DUK", "I.1", cluster=D("194.75")),
         (at("error", "B9", "ChamDiem", score_row("DUK", "I.1"), "Điểm cụm chấm"),)),
    Case("B11-gap", set_score("DUK", "I.1", cluster=183),
         (at("warning", "B11", "ChamDiem", score_row("DUK", "I.1"), "Lý do điều chỉnh"),)),
    Case("B12-cluster-above-self", set_score("DUK", "II.1", own=D("77")),
         (at("warning", "B12", "ChamDiem", score_row("DUK", "II.1"), "Lý do điều chỉnh"),)),
    Case("B13-no-basis", set_cell("DiemCongTru", 0, {"Căn cứ": None}),
         (at("error", "B13", "DiemCongTru", 0, "Căn cứ"),)),
    Case("B13-over-cap", set_kv("ThamSo", "Điểm cộng tối đa", 4),
         (at("error", "B13", "DiemCongTru", 0, "Số điểm"),)),
    Case("B13-negative-deduction", set_cell("DiemCongTru", 1, {"Số điểm": -2}),
         (at("error", "B13", "DiemCongTru", 1, "Số điểm"),)),
    Case("B14-subtotal",
         copy_row("ChamDiem", 0, {"Mã tiêu chí": "I", "Điểm tự chấm": 542, "Điểm cụm chấm": 540}),
         (at("error", "B14", "ChamDiem", 90, "Điểm cụm chấm"),)),
    Case("B15-low-total", set_score("TCT", "I.2", cluster=143, own=143),
         (at("warning", "B15", "ChamDiem"),)),
    Case("C17-second-tie", set_score("UBKTTU", "II.2", cluster=80, own=80),
         (("info", "C17", "ChamDiem", None),)),
    Case("C18-tie-at-merit-boundary",
         both(set_cell("HinhThuc", 1, {"Cần biểu quyết": "Không"}),
              set_cell("DeNghiTapThe", 3, {"Mã biểu quyết": None}),
              delete_row("DeNghiTapThe", 2)),
         (at("error", "C18", "DeNghiTapThe", 2, "Mã biểu quyết"),)),
    Case("D19-flag-not-first", set_cell("DeNghiTapThe", 0, {"Mã đơn vị": "DUK"}),
         (at("error", "D19", "DeNghiTapThe", 0, "Mã đơn vị"),)),
    Case("D20-merit-quota", set_kv("ThamSo", "Tỷ lệ Bằng khen tối đa", D("0.25")),
         (at("error", "D20", "DeNghiTapThe", 3, "Hình thức khen thưởng"),)),
    Case("D21-same-achievement", copy_row("DeNghiTapThe", 1),
         (at("error", "D21", "DeNghiTapThe", 4, "Hình thức khen thưởng"),)),
    Case("D23-no-vote", set_cell("DeNghiTapThe", 1, {"Mã biểu quyết": None}),
         (at("error", "D23", "DeNghiTapThe", 1, "Mã biểu quyết"),)),
    Case("D23-vote-failed", set_cell("BoPhieu", 1, {"Đồng ý": 4, "Không đồng ý": 4}),
         tuple(at("error", "D23", "DeNghiTapThe", i, "Mã biểu quyết") for i in (1, 2, 3))),
    Case("D23-unknown-vote", set_cell("DeNghiTapThe", 1, {"Mã biểu quyết": "BQ9"}),
         (at("error", "D23", "DeNghiTapThe", 1, "Mã biểu quyết"),)),
    Case("D25-duplicate-person", copy_row("DeNghiCaNhan", 1),
         (at("error", "D25", "DeNghiCaNhan", 3, "Họ tên"),)),
    Case("E26-sum", set_cell("BoPhieu", 1, {"Không ý kiến": 2}),
         (at("error", "E26", "BoPhieu", 1, "Đồng ý"),)),
    Case("E26-returned-over-issued", set_cell("BoPhieu", 3, {"Số phiếu phát ra": 8}),
         (at("error", "E26", "BoPhieu", 3, "Số phiếu thu về"),)),
    Case("E26-duplicate-code", copy_row("BoPhieu", 3),
         (at("error", "E26", "BoPhieu", 4, "Mã biểu quyết"),)),
    Case("E27-unit-not-listed", delete_row("ThanhPhan", 9),
         (at("error", "E27", "ThanhPhan"),)),
    Case("E27-no-absence-reason", set_cell("ThanhPhan", 2, {"Có mặt": "Không"}),
         (at("error", "E27", "ThanhPhan", 2, "Lý do vắng"),)),
    Case("E27-quorum",
         both(*(set_cell("ThanhPhan", i, {"Có mặt": "Không", "Lý do vắng": "Đi công tác"})
                for i in (2, 3, 4, 5))),
         (at("error", "E27", "ThanhPhan"),)),
    Case("E28-end-before-start", set_kv("HoiNghi", "Giờ kết thúc", time(13, 0)),
         (kv_at("error", "E28", "HoiNghi", "Giờ kết thúc"),)),
    Case("E28-minutes-before-meeting", set_cell("VanBan", 1, {"Ngày ký": date(2014, 1, 9)}),
         (at("error", "E28", "VanBan", 1, "Ngày ký"),)),
    Case("E28-covenant-year", set_kv("ThongTinChung", "Năm giao ước", 2015),
         (kv_at("error", "E28", "ThongTinChung", "Năm giao ước"),)),
    Case("E29-chair-not-from-head", set_kv("HoiNghi", "Chủ trì: đơn vị", "VPTU"),
         (kv_at("warning", "E29", "HoiNghi", "Chủ trì: đơn vị"),)),
    Case("E30-head-is-deputy", set_kv("LuanPhien", "Cụm phó", "VPTU"),
         (kv_at("error", "E30", "LuanPhien", "Cụm phó"),)),
    Case("E30-head-again", set_kv("LuanPhien", "Cụm trưởng", "BBVCSSK"),
         (kv_at("warning", "E30", "LuanPhien", "Cụm trưởng"),)),
    Case("F31-no-base-salary", delete_row("LuongCoSo", 0),
         (at("error", "F31", "LuongCoSo"),)),
    Case("F31-salary-change-soon",
         set_kv("ThamSo", "Ngày dự kiến quyết định khen thưởng", date(2024, 3, 1)),
         (at("warning", "F31", "LuongCoSo", 1, "Áp dụng từ ngày"),)),
    Case("F32-unknown-form",
         set_cell("DeNghiTapThe", 1, {"Hình thức khen thưởng": "BK_TTG"}),
         (at("error", "F32", "DeNghiTapThe", 1, "Hình thức khen thưởng"),)),
    Case("F32-wrong-recipient",
         set_cell("DeNghiCaNhan", 0, {"Hình thức khen thưởng": "BK_UBND_TT"}),
         (at("error", "F32", "DeNghiCaNhan", 0, "Hình thức khen thưởng"),)),
    Case("F32-no-coefficient", set_cell("HinhThuc", 1, {"Hệ số tiền thưởng": None}),
         (at("info", "F32", "HinhThuc", 1, "Hệ số tiền thưởng"),)),
    Case("F33-decree-not-yet-in-force",
         set_cell("CanCu", 1, {"Căn cứ": "Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 "
                                         "của Chính phủ"}),
         (at("error", "F33", "CanCu", 1, "Căn cứ"),)),
    Case("F33-law-2022-in-a-2014-covenant",
         set_cell("CanCu", 0, {"Văn bản": "Tất cả",
                               "Căn cứ": "Luật Thi đua, khen thưởng số 06/2022/QH15"}),
         (at("error", "F33", "CanCu", 0, "Căn cứ"),)),
]  # fmt: skip


@pytest.fixture(scope="module")
def sample_problems(tmp_path_factory: pytest.TempPathFactory) -> list[Problem]:
    return problems_of(sample_sheets(), tmp_path_factory.mktemp("sample"))


def test_the_sample_has_no_error_and_two_legitimate_warnings(
    sample_problems: list[Problem],
) -> None:
    assert sorted(map(key, sample_problems)) == [
        ("info", "C17", "ChamDiem", None),
        ("info", "F32", "HinhThuc", cell_of("HinhThuc", 4, "Hệ số tiền thưởng")),
    ], "\n".join(map(str, sample_problems))
    tie = next(p for p in sample_problems if p.code == "C17")
    assert tie.message == (
        "Văn phòng Tỉnh ủy và Ban Tuyên giáo Tỉnh ủy cùng 985 điểm, đồng xếp thứ Ba; theo cách "
        "xếp hạng kiểu thi đấu (1, 2, 3, 3, 5), đơn vị kế tiếp (Ban Tổ chức Tỉnh ủy) xếp thứ Năm"
    )


@pytest.mark.parametrize("c", CASES, ids=[c.id for c in CASES])
def test_one_defect_in_the_workbook_one_problem_at_its_cell(
    c: Case, sample_problems: list[Problem], tmp_path: Path
) -> None:
    sheets = sample_sheets()
    c.mutate(sheets)
    problems = problems_of(sheets, tmp_path)
    before, after = Counter(map(key, sample_problems)), Counter(map(key, problems))
    report = "\n".join(map(str, problems))
    assert sorted((after - before).elements()) == sorted(c.added), report
    assert sorted((before - after).elements()) == sorted(c.removed), report


def test_a_legal_basis_problem_names_the_decree_and_the_date(tmp_path: Path) -> None:
    sheets = sample_sheets()
    sheets["CanCu"][1]["Căn cứ"] = "Nghị định số 98/2023/NĐ-CP ngày 31/12/2023 của Chính phủ"
    [problem] = [p for p in problems_of(sheets, tmp_path) if p.code == "F33"]
    assert problem.message == (
        "Căn cứ viện dẫn Nghị định số 98/2023/NĐ-CP, nhưng bản giao ước thi đua ký ngày "
        "10/01/2014: văn bản này chỉ có hiệu lực từ ngày 01/01/2024"
    )
    assert str(problem.location) == "cum.xlsx › CanCu!B3"
