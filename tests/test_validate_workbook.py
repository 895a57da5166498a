"""Validation rules end to end: one defect in a real workbook gives one problem at its cell.

Each case takes a fresh copy of the sample rows (:func:`pipeline.workbook.sample.sample_sheets`),
changes one cell (or adds or deletes a row), writes the workbook with
:func:`pipeline.workbook.xlsx_write.write_workbook`, loads it with
:func:`pipeline.workbook.loader.load` and validates it. The problems it finds beyond those of the
untouched sample must be exactly the expected ones: severity, rule id, sheet and cell
(:func:`pipeline.workbook.schema.cell_of`); one of them must say what the case names, with the
workbook's actual values, and give its hint.

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
    says: str = ""  # a fragment, with the actual values, of an added problem's message
    hint: str = ""  # a fragment of the same problem's hint


def at(severity: str, code: str, sheet: str, row: int | None = None, header: str = "") -> Key:
    """A problem key; ``row`` is the 0-based row of the sample sheet (None: the whole sheet)."""
    return (severity, code, sheet, None if row is None else cell_of(sheet, row, header))


def kv_at(severity: str, code: str, sheet: str, label: str) -> Key:
    return (severity, code, sheet, value_cell(sheet, label))


TIE_AT_THIRD: Key = ("info", "C17", "ChamDiem", None)

CASES = [
    Case("A1-duplicate-name", set_cell("DonVi", 2, {"Tên đầy đủ": "Ban tổ chức  Tỉnh uỷ"}),
         (at("error", "A1", "DonVi", 2, "Tên đầy đủ"),),
         says="“Ban tổ chức Tỉnh uỷ” (mã UBKTTU) trùng với “Ban Tổ chức Tỉnh ủy” (mã BTCTU)",
         hint="chuyển tên cũ sang cột bí danh"),
    Case("A1-duplicate-code",
         copy_row("DonVi", 1, {"Tên đầy đủ": "Ban Tổ chức Tỉnh ủy (mới)", "Tên ngắn": "Ban TC",
                               "Tên gọi khác": None}),
         (at("error", "A1", "DonVi", 9, "Mã đơn vị"),), (TIE_AT_THIRD,),
         says="Mã đơn vị BTCTU bị trùng: đã dùng cho Ban Tổ chức Tỉnh ủy",
         hint="Mỗi đơn vị một mã riêng"),
    Case("A3-signer-without-title",
         set_cell("DonVi", 0, {"Người ký thay: họ tên": "Lê Văn Nam"}),
         (at("warning", "A3", "DonVi", 0, "Người ký thay: chức vụ"),),
         says="Văn phòng Tỉnh ủy: người ký thay Lê Văn Nam chưa có chức vụ",
         hint="“K/T” (“KT.”)"),
    Case("A4-two-heads", set_cell("DonVi", 1, {"Vai trò năm thi đua": "Cụm trưởng"}),
         (at("error", "A4", "DonVi", 1, "Vai trò năm thi đua"),
          at("error", "A4", "DonVi", 6, "Vai trò năm thi đua")),
         says="Có 2 đơn vị Cụm trưởng: Ban Tổ chức Tỉnh ủy và Ban Bảo vệ, chăm sóc sức khỏe cán bộ "
              "tỉnh",
         hint="Mỗi năm chỉ một đơn vị là Cụm trưởng"),
    Case("B6-cycle", set_cell("TieuChi", 0, {"Mã tiêu chí cha": "I.1"}),
         (at("error", "B6", "TieuChi", 0, "Mã tiêu chí cha"),), (TIE_AT_THIRD,),
         says="Các tiêu chí I → I.1 → I làm cha của nhau thành vòng",
         hint="không có vòng lặp"),
    Case("B6-unknown-parent", set_cell("TieuChi", 12, {"Mã tiêu chí cha": "IV"}),
         (at("error", "B6", "TieuChi", 12, "Mã tiêu chí cha"),), (TIE_AT_THIRD,),
         says="Tiêu chí III.3 có mã tiêu chí cha IV không tồn tại",
         hint="bỏ trống nếu là tiêu chí cấp cao nhất"),
    Case("B7-children-sum", set_cell("TieuChi", 1, {"Điểm tối đa": 210}),
         (at("error", "B7", "TieuChi", 0, "Điểm tối đa"),),
         says="Điểm tối đa của tiêu chí I là 550, nhưng các tiêu chí con (I.1, I.2, I.3) cộng lại "
              "được 560",
         hint="theo bảng tiêu chí năm nay"),
    Case("B7-top-level-sum", set_kv("ThongTinChung", "Thang điểm", 1100),
         (kv_at("error", "B7", "ThongTinChung", "Thang điểm"),),
         says="(I, II, III) cộng lại được 1.000 điểm, khác thang điểm 1.100",
         hint="Sửa thang điểm hoặc điểm tối đa"),
    Case("B8-blank-cluster-score", set_score("DUK", "II.3", cluster=None),
         (at("error", "B8", "ChamDiem", score_row("DUK", "II.3"), "Điểm cụm chấm"),),
         (TIE_AT_THIRD,),
         says="Chưa có điểm cụm chấm của Đảng ủy Khối các cơ quan tỉnh ở tiêu chí II.3",
         hint="ô trống không được tính là 0"),
    Case("B8-blank-self-score", set_score("DUK", "II.3", own=None),
         (at("warning", "B8", "ChamDiem", score_row("DUK", "II.3"), "Điểm tự chấm"),),
         says="Chưa có điểm tự chấm của Đảng ủy Khối các cơ quan tỉnh ở tiêu chí II.3",
         hint="Nhập điểm đơn vị tự chấm"),
    Case("B8-missing-row", delete_row("ChamDiem", score_row("TCT", "III.3")),
         (at("error", "B8", "ChamDiem"),), (TIE_AT_THIRD,),
         says="Thiếu dòng điểm của Trường Chính trị Hoàng Văn Thụ ở tiêu chí III.3",
         hint="Thêm một dòng cho TCT × III.3"),
    Case("B8-unknown-criterion", copy_row("ChamDiem", 0, {"Mã tiêu chí": "IV.1"}),
         (at("error", "B8", "ChamDiem", 90, "Mã tiêu chí"),),
         says="Điểm của Văn phòng Tỉnh ủy ghi cho tiêu chí IV.1 không có trong bảng tiêu chí",
         hint="Sửa mã tiêu chí cho đúng một mã ở sheet TieuChi"),
    Case("B9-above-max", set_score("DUK", "I.1", cluster=201, own=201),
         (at("error", "B9", "ChamDiem", score_row("DUK", "I.1"), "Điểm tự chấm"),
          at("error", "B9", "ChamDiem", score_row("DUK", "I.1"), "Điểm cụm chấm")),
         says="Điểm tự chấm 201 của Đảng ủy Khối các cơ quan tỉnh ở tiêu chí I.1 vượt điểm tối đa "
              "200",
         hint="Sửa điểm trong khoảng 0 đến 200"),
    Case("B9-step", set_score("DUK", "I.1", cluster=D("194.75")),
         (at("error", "B9", "ChamDiem", score_row("DUK", "I.1"), "Điểm cụm chấm"),),
         says="Điểm cụm chấm 194,75 của Đảng ủy Khối các cơ quan tỉnh ở tiêu chí I.1 không phải "
              "bội số của bước chấm 0,5",
         hint="Làm tròn về bội số của 0,5"),
    Case("B11-gap", set_score("DUK", "I.1", cluster=183),
         (at("warning", "B11", "ChamDiem", score_row("DUK", "I.1"), "Lý do điều chỉnh"),),
         says="Điểm cụm chấm 183 của Đảng ủy Khối các cơ quan tỉnh ở tiêu chí I.1 lệch 12 điểm so "
              "với điểm tự chấm 195 (quá 10 điểm)",
         hint="Ghi lý do điều chỉnh"),
    Case("B12-cluster-above-self", set_score("DUK", "II.1", own=D("77")),
         (at("warning", "B12", "ChamDiem", score_row("DUK", "II.1"), "Lý do điều chỉnh"),),
         says="Điểm cụm chấm 78,5 của Đảng ủy Khối các cơ quan tỉnh ở tiêu chí II.1 cao hơn điểm "
              "tự chấm 77",
         hint="có thể nhập nhầm cột"),
    Case("B13-no-basis", set_cell("DiemCongTru", 0, {"Căn cứ": None}),
         (at("error", "B13", "DiemCongTru", 0, "Căn cứ"),),
         says="Điểm cộng 5 của Ban Dân vận Tỉnh ủy (“Được Ban Dân vận Trung ương tặng Bằng khen về "
              "thành tích công tác dân vận năm 2013”) chưa có căn cứ",
         hint="Ghi văn bản làm căn cứ"),
    Case("B13-over-cap", set_kv("ThamSo", "Điểm cộng tối đa", 4),
         (at("error", "B13", "DiemCongTru", 0, "Số điểm"),),
         says="Tổng điểm cộng của Ban Dân vận Tỉnh ủy là 5 tính đến dòng này, vượt mức trần 4",
         hint="để tổng không quá 4"),
    Case("B13-negative-deduction", set_cell("DiemCongTru", 1, {"Số điểm": -2}),
         (at("error", "B13", "DiemCongTru", 1, "Số điểm"),),
         says="Điểm trừ -2 của Ủy ban Kiểm tra Tỉnh ủy",
         hint="không nhập số âm cho điểm trừ"),
    Case("B14-subtotal",
         copy_row("ChamDiem", 0, {"Mã tiêu chí": "I", "Điểm tự chấm": 542, "Điểm cụm chấm": 540}),
         (at("error", "B14", "ChamDiem", 90, "Điểm cụm chấm"),),
         says="Điểm cụm chấm 540 của Văn phòng Tỉnh ủy ở tiêu chí cha I khác tổng các tiêu chí con "
              "(542)",
         hint="Xóa dòng điểm của tiêu chí cha"),
    Case("B15-low-total", set_score("TCT", "I.2", cluster=143, own=143),
         (at("warning", "B15", "ChamDiem"),),
         says="Tổng điểm của Trường Chính trị Hoàng Văn Thụ chỉ 873/1.000, thấp bất thường (dưới "
              "900)",
         hint="có thể thiếu một chữ số"),
    Case("C17-second-tie", set_score("UBKTTU", "II.2", cluster=80, own=80),
         (("info", "C17", "ChamDiem", None),),
         says="Ban Tổ chức Tỉnh ủy và Ủy ban Kiểm tra Tỉnh ủy cùng 982 điểm, đồng xếp thứ Năm",
         hint="Hội nghị giữ đồng hạng hoặc biểu quyết phân định"),
    Case("C18-tie-at-merit-boundary",
         both(set_cell("HinhThuc", 1, {"Cần biểu quyết": "Không"}),
              set_cell("DeNghiTapThe", 3, {"Mã biểu quyết": None}),
              delete_row("DeNghiTapThe", 2)),
         (at("error", "C18", "DeNghiTapThe", 2, "Mã biểu quyết"),),
         says="Ban Tuyên giáo Tỉnh ủy được đề nghị Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh "
              "nhưng đồng xếp thứ Ba (985 điểm) với Văn phòng Tỉnh ủy",
         hint="Hội nghị biểu quyết chọn đơn vị"),
    Case("D19-flag-not-first", set_cell("DeNghiTapThe", 0, {"Mã đơn vị": "DUK"}),
         (at("error", "D19", "DeNghiTapThe", 0, "Mã đơn vị"),),
         says="Đảng ủy Khối các cơ quan tỉnh xếp thứ Tám (975,5 điểm) nhưng được đề nghị Cờ "
              "thi đua",
         hint="Đề nghị Cờ cho đơn vị xếp thứ nhất"),
    Case("D20-merit-quota", set_kv("ThamSo", "Tỷ lệ Bằng khen tối đa", D("0.25")),
         (at("error", "D20", "DeNghiTapThe", 3, "Hình thức khen thưởng"),),
         says="Có 3 tập thể được đề nghị khen (ngoài Cờ), vượt chỉ tiêu: ≤ 25% × 8 đơn vị còn lại "
              "sau Cờ = 2",
         hint="Giảm số tập thể đề nghị theo thứ tự xếp hạng"),
    Case("D21-same-achievement", copy_row("DeNghiTapThe", 1),
         (at("error", "D21", "DeNghiTapThe", 4, "Hình thức khen thưởng"),),
         says="Ban Dân vận Tỉnh ủy được đề nghị hai lần cho cùng thành tích",
         hint="Luật Thi đua, khen thưởng 2022, Điều 5"),
    Case("D23-no-vote", set_cell("DeNghiTapThe", 1, {"Mã biểu quyết": None}),
         (at("error", "D23", "DeNghiTapThe", 1, "Mã biểu quyết"),),
         says="Đề nghị Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho Ban Dân vận Tỉnh ủy chưa có "
              "kết quả biểu quyết",
         hint="Hình thức này phải biểu quyết"),
    Case("D23-vote-failed", set_cell("BoPhieu", 1, {"Đồng ý": 4, "Không đồng ý": 4}),
         tuple(at("error", "D23", "DeNghiTapThe", i, "Mã biểu quyết") for i in (1, 2, 3)),
         says="đạt 4/9 phiếu đồng ý (44,4%), chưa đạt ngưỡng > 50% (tính trên tổng số 9 đơn vị "
              "thành viên)",
         hint="“Ngưỡng thông qua biểu quyết”"),
    Case("D23-unknown-vote", set_cell("DeNghiTapThe", 1, {"Mã biểu quyết": "BQ9"}),
         (at("error", "D23", "DeNghiTapThe", 1, "Mã biểu quyết"),),
         says="ghi mã biểu quyết BQ9 không có trong BoPhieu",
         hint="Sửa mã cho đúng một dòng ở BoPhieu"),
    Case("D25-duplicate-person", copy_row("DeNghiCaNhan", 1),
         (at("error", "D25", "DeNghiCaNhan", 3, "Họ tên"),),
         says="Lý Văn Sơn (Ban Dân vận Tỉnh ủy, sinh năm 1970) có hai dòng đề nghị (số 2 và số 4)",
         hint="xóa dòng trùng"),
    Case("E26-sum", set_cell("BoPhieu", 1, {"Không ý kiến": 2}),
         (at("error", "E26", "BoPhieu", 1, "Đồng ý"),),
         says="đồng ý 8 + không đồng ý 0 + không ý kiến 2 = 10, khác số phiếu hợp lệ 9",
         hint="Tổng ba loại ý kiến phải bằng số phiếu hợp lệ"),
    Case("E26-returned-over-issued", set_cell("BoPhieu", 3, {"Số phiếu phát ra": 8}),
         (at("error", "E26", "BoPhieu", 3, "Số phiếu thu về"),),
         says="số phiếu thu về 9 nhiều hơn số phát ra 8",
         hint="Kiểm tra lại biên bản kiểm phiếu"),
    Case("E26-duplicate-code", copy_row("BoPhieu", 3),
         (at("error", "E26", "BoPhieu", 4, "Mã biểu quyết"),),
         says="Mã biểu quyết BQ4 bị trùng",
         hint="Mỗi nội dung biểu quyết một mã riêng"),
    Case("E27-unit-not-listed", delete_row("ThanhPhan", 9),
         (at("error", "E27", "ThanhPhan"),),
         says="Trường Chính trị Hoàng Văn Thụ không có đại biểu nào trong thành phần hội nghị",
         hint="Thêm đại biểu của đơn vị"),
    Case("E27-no-absence-reason", set_cell("ThanhPhan", 2, {"Có mặt": "Không"}),
         (at("error", "E27", "ThanhPhan", 2, "Lý do vắng"),),
         says="Văn phòng Tỉnh ủy vắng mặt nhưng chưa ghi lý do",
         hint="Ghi lý do vắng"),
    Case("E27-quorum",
         both(*(set_cell("ThanhPhan", i, {"Có mặt": "Không", "Lý do vắng": "Đi công tác"})
                for i in (2, 3, 4, 5))),
         (at("error", "E27", "ThanhPhan"),),
         says="Hội nghị chỉ có 5/9 đơn vị có mặt, chưa đủ 66,7% số đơn vị thành viên (cần ít nhất "
              "6)",
         hint="chưa đủ điều kiện biểu quyết"),
    Case("E28-end-before-start", set_kv("HoiNghi", "Giờ kết thúc", time(13, 0)),
         (kv_at("error", "E28", "HoiNghi", "Giờ kết thúc"),),
         says="Hội nghị kết thúc lúc 13:00, không sau giờ bắt đầu 14:00",
         hint="định dạng 24 giờ"),
    Case("E28-minutes-before-meeting", set_cell("VanBan", 1, {"Ngày ký": date(2014, 1, 9)}),
         (at("error", "E28", "VanBan", 1, "Ngày ký"),),
         says="Biên bản ký ngày 09/01/2014, trước ngày họp 10/01/2014",
         hint="Biên bản lập tại hoặc sau hội nghị"),
    Case("E28-covenant-year", set_kv("ThongTinChung", "Năm giao ước", 2015),
         (kv_at("error", "E28", "ThongTinChung", "Năm giao ước"),),
         says="Năm giao ước 2015 không phải năm liền sau năm thi đua 2013",
         hint="Hội nghị tổng kết năm 2013 ký giao ước năm 2014"),
    Case("E29-chair-not-from-head", set_kv("HoiNghi", "Chủ trì: đơn vị", "VPTU"),
         (kv_at("warning", "E29", "HoiNghi", "Chủ trì: đơn vị"),),
         says="Người chủ trì Hà Thị Lan thuộc Văn phòng Tỉnh ủy, không thuộc đơn vị Cụm trưởng Ban "
              "Bảo vệ, chăm sóc sức khỏe cán bộ tỉnh",
         hint="Chủ trì thường là lãnh đạo đơn vị Cụm trưởng"),
    Case("E30-head-is-deputy", set_kv("LuanPhien", "Cụm phó", "VPTU"),
         (kv_at("error", "E30", "LuanPhien", "Cụm phó"),),
         says="Văn phòng Tỉnh ủy vừa là Cụm trưởng vừa là Cụm phó năm 2014",
         hint="hai đơn vị khác nhau"),
    Case("E30-head-again", set_kv("LuanPhien", "Cụm trưởng", "BBVCSSK"),
         (kv_at("warning", "E30", "LuanPhien", "Cụm trưởng"),),
         says="Ban Bảo vệ, chăm sóc sức khỏe cán bộ tỉnh tiếp tục làm Cụm trưởng năm 2014",
         hint="luân phiên hằng năm"),
    Case("F31-no-base-salary", delete_row("LuongCoSo", 0),
         (at("error", "F31", "LuongCoSo"),),
         says="Không có mức lương cơ sở nào có hiệu lực vào ngày họp 10/01/2014",
         hint="Thêm ở sheet LuongCoSo mức lương cơ sở"),
    Case("F31-salary-change-soon",
         set_kv("ThamSo", "Ngày dự kiến quyết định khen thưởng", date(2024, 3, 1)),
         (at("warning", "F31", "LuongCoSo", 1, "Áp dụng từ ngày"),),
         says="mức lương cơ sở 1.150.000 đồng (ngày quyết định dự kiến 01/03/2024); từ 01/07/2024 "
              "mức mới là 2.340.000 đồng",
         hint="“Ngày dự kiến quyết định khen thưởng”"),
    Case("F32-unknown-form",
         set_cell("DeNghiTapThe", 1, {"Hình thức khen thưởng": "BK_TTG"}),
         (at("error", "F32", "DeNghiTapThe", 1, "Hình thức khen thưởng"),),
         says="Hình thức BK_TTG đề nghị cho Ban Dân vận Tỉnh ủy không có trong bảng hình thức khen "
              "thưởng",
         hint="Sửa mã hình thức cho đúng một dòng ở HinhThuc"),
    Case("F32-wrong-recipient",
         set_cell("DeNghiCaNhan", 0, {"Hình thức khen thưởng": "BK_UBND_TT"}),
         (at("error", "F32", "DeNghiCaNhan", 0, "Hình thức khen thưởng"),),
         says="(BK_UBND_TT) là hình thức cho tập thể, nhưng được đề nghị cho cá nhân Hà Thị Lan",
         hint="Chọn hình thức dành cho cá nhân"),
    Case("F32-no-coefficient", set_cell("HinhThuc", 1, {"Hệ số tiền thưởng": None}),
         (at("info", "F32", "HinhThuc", 1, "Hệ số tiền thưởng"),),
         says="Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh chưa có hệ số tiền thưởng: danh sách sẽ "
              "không in số tiền",
         hint="Nhập hệ số (× mức lương cơ sở)"),
    Case("F33-decree-not-yet-in-force",
         set_cell("CanCu", 1, {"Căn cứ": "Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 "
                                         "của Chính phủ"}),
         (at("error", "F33", "CanCu", 1, "Căn cứ"),),
         says="Nghị định số 152/2025/NĐ-CP, nhưng bản giao ước thi đua ký ngày 10/01/2014: văn bản "
              "này chỉ có hiệu lực từ ngày 01/07/2025",
         hint="vào ngày 10/01/2014"),
    Case("F33-law-2022-in-a-2014-covenant",
         set_cell("CanCu", 0, {"Văn bản": "Tất cả",
                               "Căn cứ": "Luật Thi đua, khen thưởng số 06/2022/QH15"}),
         (at("error", "F33", "CanCu", 0, "Căn cứ"),),
         says="Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15/6/2022, nhưng báo cáo tổng kết ký "
              "ngày 10/01/2014: văn bản này chỉ có hiệu lực từ ngày 01/01/2024",
         hint="vào ngày 10/01/2014"),
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
    assert any(
        c.says in p.message and c.hint in p.hint for p in problems if key(p) in c.added
    ), f"no added problem says {c.says!r} with the hint {c.hint!r}:\n{report}"


def test_every_case_states_its_message_and_hint() -> None:
    assert [c.id for c in CASES if not (c.says and c.hint)] == []


def test_a_legal_basis_problem_names_the_decree_and_the_date(tmp_path: Path) -> None:
    sheets = sample_sheets()
    sheets["CanCu"][1]["Căn cứ"] = "Nghị định số 98/2023/NĐ-CP ngày 31/12/2023 của Chính phủ"
    [problem] = [p for p in problems_of(sheets, tmp_path) if p.code == "F33"]
    assert problem.message == (
        "Căn cứ viện dẫn Nghị định số 98/2023/NĐ-CP, nhưng bản giao ước thi đua ký ngày "
        "10/01/2014: văn bản này chỉ có hiệu lực từ ngày 01/01/2024"
    )
    assert str(problem.location) == "cum.xlsx › CanCu!B3"
