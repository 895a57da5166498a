"""Workbooks a secretary fills, read exactly or refused (issue 9, "Read exactly, or refuse").

Every workbook here is a real .xlsx: the sample rows (:func:`pipeline.workbook.sample.
sample_sheets`) written with :func:`pipeline.workbook.xlsx_write.write_workbook` and changed the
way a person would (or, for what rows cannot hold, the sheet XML rewritten inside the zip), then
checked with ``thidua check`` through Click, as a user runs it: exit status 1, no traceback, a
Vietnamese message at the sheet and cell.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from pipeline.checking import check
from pipeline.cli import cli
from pipeline.domain.rules.common import short_date
from pipeline.errors import Problem
from pipeline.workbook.loader import load
from pipeline.workbook.sample import sample_sheets
from pipeline.workbook.schema import cell_of, value_cell
from pipeline.workbook.values import plain_text
from pipeline.workbook.xlsx_write import write_workbook

Sheets = dict[str, list[dict[str, object]]]
Where = tuple[str, str, str | None]  # code, sheet, cell


def kv(sheets: Sheets, sheet: str, label: str) -> dict[str, object]:
    return next(row for row in sheets[sheet] if row["Mục"] == label)


def written(tmp_path: Path, sheets: Sheets, name: str = "cum.xlsx") -> Path:
    path = tmp_path / name
    write_workbook(sheets, path)
    return path


def thidua(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), prog_name="thidua")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def located(problems: list[Problem]) -> set[Where]:
    return {(p.code, p.location.sheet or "", p.location.cell) for p in problems}


def sample_notes() -> set[Where]:
    """The two notes (info) of the untouched sample: the tie for thứ Ba, the Party form."""
    return {("C17", "ChamDiem", None), ("F32", "HinhThuc", "D6")}


def replace_in_part(path: Path, part: str, change: Callable[[bytes], bytes]) -> None:
    """Rewrite one member of the zip (the sheet XML), keeping the others as they are."""
    with zipfile.ZipFile(path) as source:
        members = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members:
            target.writestr(name, change(data) if name == part else data)
    path.write_bytes(buffer.getvalue())


def sheet_part(path: Path, title: str) -> str:
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        return str(workbook[title]._worksheet_path).lstrip("/")  # type: ignore[attr-defined]
    finally:
        workbook.close()


# --- all problems in one pass ------------------------------------------------------------------


def test_a_nearly_empty_workbook_is_refused_not_ranked(tmp_path: Path) -> None:
    """Settings and five units, nothing else: five units "xếp thứ Nhất" with 0 points used to be
    checked clean and built."""
    full = sample_sheets()
    sheets: Sheets = {
        name: full[name] for name in ("ThongTinChung", "HoiNghi", "LuanPhien", "ThamSo")
    }
    sheets["DonVi"] = full["DonVi"][:5]
    kv(sheets, "LuanPhien", "Cụm trưởng")["Giá trị"] = "VPTU"
    kv(sheets, "LuanPhien", "Cụm phó")["Giá trị"] = "BTCTU"
    path = written(tmp_path, sheets)
    code, output = thidua("check", str(path))
    assert code == 1
    found = located(check([path]))
    for sheet in ("VanBan", "TieuChi", "ChamDiem", "ThanhPhan", "GiaoUoc", "TongKetVanBan"):
        assert ("sheet-empty", sheet, None) in found, sheet
        assert f"cum.xlsx › {sheet}: Sheet {sheet} (" in output
    assert "chưa có dòng dữ liệu nào" in output
    code, output = thidua("build", str(path), "-o", str(tmp_path / "out"))
    assert code == 1 and not (tmp_path / "out").exists()


@dataclass(frozen=True)
class Defect:
    """One mistake, where it is reported, and how the user fixes it once told."""

    where: Where
    break_it: Callable[[Sheets], None]
    fix_it: Callable[[Sheets, Sheets], None]  # (sheets, the sample) → fixed


def _set(sheet: str, row: int, header: str, value: object) -> Callable[[Sheets], None]:
    return lambda s: s[sheet][row].update({header: value})


def _restore(sheet: str, row: int, header: str) -> Callable[[Sheets, Sheets], None]:
    return lambda s, good: s[sheet][row].update({header: good[sheet][row][header]})


def _set_kv(sheet: str, label: str, value: object) -> Callable[[Sheets], None]:
    return lambda s: kv(s, sheet, label).update({"Giá trị": value})


def _restore_kv(sheet: str, label: str) -> Callable[[Sheets, Sheets], None]:
    def fix(s: Sheets, good: Sheets) -> None:
        kv(s, sheet, label)["Giá trị"] = kv(good, sheet, label)["Giá trị"]

    return fix


def _empty(sheet: str) -> Callable[[Sheets], None]:
    return lambda s: s.update({sheet: []})


def _refill(sheet: str) -> Callable[[Sheets, Sheets], None]:
    return lambda s, good: s.update({sheet: copy.deepcopy(good[sheet])})


DEFECTS = [
    Defect(
        ("required-blank", "ThongTinChung", value_cell("ThongTinChung", "Năm thi đua")),
        _set_kv("ThongTinChung", "Năm thi đua", None),
        _restore_kv("ThongTinChung", "Năm thi đua"),
    ),
    Defect(
        ("value-format", "HoiNghi", value_cell("HoiNghi", "Ngày họp")),
        _set_kv("HoiNghi", "Ngày họp", "31/02/2014"),
        _restore_kv("HoiNghi", "Ngày họp"),
    ),
    Defect(
        ("value-format", "VanBan", cell_of("VanBan", 1, "Ngày ký")),
        _set("VanBan", 1, "Ngày ký", "01/01/0001"),
        _restore("VanBan", 1, "Ngày ký"),
    ),
    Defect(
        ("required-blank", "DonVi", cell_of("DonVi", 3, "Thủ trưởng: họ tên")),
        _set("DonVi", 3, "Thủ trưởng: họ tên", None),
        _restore("DonVi", 3, "Thủ trưởng: họ tên"),
    ),
    Defect(
        ("B7", "TieuChi", cell_of("TieuChi", 0, "Điểm tối đa")),
        _set("TieuChi", 1, "Điểm tối đa", 201),  # I.1: 201, so group I no longer sums to 550
        _restore("TieuChi", 1, "Điểm tối đa"),
    ),
    Defect(
        ("B9", "ChamDiem", cell_of("ChamDiem", 0, "Điểm cụm chấm")),
        _set("ChamDiem", 0, "Điểm cụm chấm", -5),
        _restore("ChamDiem", 0, "Điểm cụm chấm"),
    ),
    Defect(
        ("B13", "DiemCongTru", cell_of("DiemCongTru", 0, "Căn cứ")),
        _set("DiemCongTru", 0, "Căn cứ", None),
        _restore("DiemCongTru", 0, "Căn cứ"),
    ),
    Defect(
        ("value-format", "ThanhPhan", cell_of("ThanhPhan", 0, "Có mặt")),
        _set("ThanhPhan", 0, "Có mặt", "x"),
        _restore("ThanhPhan", 0, "Có mặt"),
    ),
    Defect(
        ("E26", "BoPhieu", cell_of("BoPhieu", 0, "Đồng ý")),
        _set("BoPhieu", 0, "Đồng ý", 8),  # 8 + 0 + 0 ≠ 9 valid ballots
        _restore("BoPhieu", 0, "Đồng ý"),
    ),
    Defect(
        ("E30", "LuanPhien", value_cell("LuanPhien", "Cụm phó")),
        _set_kv("LuanPhien", "Cụm phó", "VPTU"),  # the same unit as the next cụm trưởng
        _restore_kv("LuanPhien", "Cụm phó"),
    ),
    Defect(("sheet-empty", "GiaoUoc", None), _empty("GiaoUoc"), _refill("GiaoUoc")),
]


def test_every_problem_of_a_workbook_is_reported_in_one_pass(tmp_path: Path) -> None:
    """Mistakes in eleven sheets at once: one ``thidua check`` names them all. Used to come in
    rounds (19, 4, 7…): an unreadable setting left no dossier, so no rule ran."""
    sheets = sample_sheets()
    for defect in DEFECTS:
        defect.break_it(sheets)
    path = written(tmp_path, sheets)
    code, output = thidua("check", str(path))
    assert code == 1
    found = located(check([path]))
    missing = [d.where for d in DEFECTS if d.where not in found]
    assert missing == [], output
    assert "cum.xlsx › HoiNghi!B2" in output and "cum.xlsx › ChamDiem!D2" in output


def test_fixing_what_was_reported_reveals_nothing_new(tmp_path: Path) -> None:
    """Fix exactly what the first check reported: the second check finds nothing more."""
    good = sample_sheets()
    sheets = sample_sheets()
    for defect in DEFECTS:
        defect.break_it(sheets)
    reported = located(check([written(tmp_path, sheets, "lan-1.xlsx")]))
    for defect in DEFECTS:
        if defect.where in reported:
            defect.fix_it(sheets, good)
    again = check([written(tmp_path, sheets, "lan-2.xlsx")])
    assert located(again) == sample_notes(), "\n".join(map(str, again))


def test_an_unreadable_meeting_date_does_not_hide_a_negative_score(tmp_path: Path) -> None:
    sheets = sample_sheets()
    kv(sheets, "HoiNghi", "Ngày họp")["Giá trị"] = "31/02/2014"
    sheets["ChamDiem"][0]["Điểm cụm chấm"] = -5
    path = written(tmp_path, sheets)
    code, output = thidua("check", str(path))
    assert code == 1
    assert "cum.xlsx › HoiNghi!B2: Ô “Ngày họp”: “31/02/2014” không phải là ngày có thật" in output
    assert "cum.xlsx › ChamDiem!D2: Điểm cụm chấm -5 của" in output and "là số âm" in output


def test_a_document_without_its_row_is_reported_by_the_check(tmp_path: Path) -> None:
    """No VanBan row for the covenant: the check passed and the build failed in the template
    (so_ky_hieu: thiếu tên viết tắt cơ quan)."""
    sheets = sample_sheets()
    del sheets["VanBan"][2]
    code, output = thidua("check", str(written(tmp_path, sheets)))
    assert code == 1
    assert "cum.xlsx › VanBan: Chưa có dòng cho văn bản “Giao ước thi đua”" in output


# --- choices -----------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["x", "X", "v", "✓", "yes", "co mat"])
def test_a_choice_cell_refuses_what_is_not_listed(tmp_path: Path, typed: str) -> None:
    """ "x" in Có mặt was read as present, silently: a cross may mean either."""
    sheets = sample_sheets()
    sheets["ThanhPhan"][0]["Có mặt"] = typed
    path = written(tmp_path, sheets)
    code, output = thidua("check", str(path))
    assert code == 1
    cell = cell_of("ThanhPhan", 0, "Có mặt")
    assert f"cum.xlsx › ThanhPhan!{cell}: Ô “Có mặt”: “{typed}” không có trong danh sách" in output
    assert "Chọn một trong: Có; Không." in output


@pytest.mark.parametrize(
    ("typed", "present"),
    [("Có", True), ("có mặt", True), ("CO", True), ("TRUE", True), (1, True), (True, True),
     ("Không", False), ("Vắng", False), ("vắng mặt", False), ("khong", False), (0, False)],
)  # fmt: skip
def test_the_documented_synonyms_of_a_choice_are_read(
    tmp_path: Path, typed: object, present: bool
) -> None:
    sheets = sample_sheets()
    sheets["ThanhPhan"][0].update({"Có mặt": typed, "Lý do vắng": "Đi công tác"})
    dossier, problems = load(written(tmp_path, sheets))
    assert dossier is not None
    assert [p for p in problems if p.severity == "error"] == []
    assert dossier.meeting.attendees[0].present is present


def test_every_synonym_is_in_the_docs() -> None:
    from pipeline.workbook.docs import render_workbook_doc
    from pipeline.workbook.schema import SHEETS

    doc = render_workbook_doc()
    for sheet in SHEETS:
        for column in sheet.columns:
            for choice in column.choices:
                for spelling in choice.other_spellings():
                    assert spelling in doc, (sheet.name, column.header, spelling)


@pytest.mark.parametrize(("header", "internal"), [("Hình thức", "gio_tay"), ("Hình thức", "BỎ")])
def test_an_internal_value_is_not_a_spelling(tmp_path: Path, header: str, internal: str) -> None:
    sheets = sample_sheets()
    sheets["BoPhieu"][0][header] = internal
    _, problems = load(written(tmp_path, sheets))
    assert ("value-format", "BoPhieu", cell_of("BoPhieu", 0, header)) in located(problems)


# --- values that crashed -----------------------------------------------------------------------


@pytest.mark.parametrize("cached", ["NaN", "sNaN", "Infinity", "-Infinity", "1e999"])
def test_a_formula_whose_cached_value_is_not_finite_is_an_error_of_its_cell(
    tmp_path: Path, cached: str
) -> None:
    path = written(tmp_path, sample_sheets())
    cell = cell_of("ChamDiem", 0, "Điểm cụm chấm")

    def formula(xml: bytes) -> bytes:
        pattern = rb'<c r="' + cell.encode() + rb'"([^>]*?)(?: t="\w+")?([^>]*)>.*?</c>'
        new, count = re.subn(
            pattern,
            lambda m: (
                b'<c r="'
                + cell.encode()
                + b'"'
                + m.group(1)
                + m.group(2)
                + b"><f>C2</f><v>"
                + cached.encode()
                + b"</v></c>"
            ),
            xml,
            count=1,
            flags=re.S,
        )
        assert count == 1
        return new

    replace_in_part(path, sheet_part(path, "ChamDiem"), formula)
    code, output = thidua("check", str(path))
    assert code == 1
    assert (
        f"cum.xlsx › ChamDiem!{cell}: Ô “Điểm cụm chấm”: công thức =C2 có giá trị lưu sẵn là "
        f"“{cached}”, không phải là số hữu hạn"
    ) in output


@pytest.mark.parametrize("value", ["31/12/9999", "01/01/0001", date(9999, 12, 31)])
@pytest.mark.parametrize(
    ("sheet", "label"),
    [("HoiNghi", "Ngày họp"), ("ThamSo", "Ngày dự kiến quyết định khen thưởng")],
)
def test_a_date_outside_any_workbook_year_is_refused_at_its_cell(
    tmp_path: Path, value: object, sheet: str, label: str
) -> None:
    """31/12/9999 as the expected decision date crashed (a date past date.max); 01/01/0001 was
    printed 01/01/1."""
    sheets = sample_sheets()
    kv(sheets, sheet, label)["Giá trị"] = value
    code, output = thidua("check", str(written(tmp_path, sheets)))
    assert code == 1
    shown = value if isinstance(value, str) else "31/12/9999"
    assert (
        f"cum.xlsx › {sheet}!{value_cell(sheet, label)}: Ô “{label}”: ngày {shown} nằm ngoài "
        "khoảng 01/01/1900 – 31/12/2199"
    ) in output


@pytest.mark.parametrize(
    ("sheet", "label", "value", "bounds"),
    [
        ("ThamSo", "Điểm cộng tối đa", -1, "từ 0 đến 100.000"),
        ("ThamSo", "Bước điểm", -1, "từ 0 đến 100.000"),
        ("ThongTinChung", "Năm thi đua", 13, "từ 1945 đến 2200"),
        ("LuanPhien", "Năm", 20144, "từ 1945 đến 2200"),
    ],
)
def test_a_setting_outside_its_documented_range_is_refused(
    tmp_path: Path, sheet: str, label: str, value: int, bounds: str
) -> None:
    """A negative bonus cap was read and capped every unit's bonus below zero, silently."""
    sheets = sample_sheets()
    kv(sheets, sheet, label)["Giá trị"] = value
    code, output = thidua("check", str(written(tmp_path, sheets)))
    assert code == 1
    cell = value_cell(sheet, label)
    assert (
        f"cum.xlsx › {sheet}!{cell}: Ô “{label}”: {value} nằm ngoài khoảng cho phép ({bounds})"
        in (output)
    )


def test_a_negative_time_serial_is_not_midnight(tmp_path: Path) -> None:
    """-1 in a time cell (Excel shows #####) was read as 00:00."""
    sheets = sample_sheets()
    kv(sheets, "HoiNghi", "Giờ bắt đầu")["Giá trị"] = -1
    code, output = thidua("check", str(written(tmp_path, sheets)))
    assert code == 1
    cell = value_cell("HoiNghi", "Giờ bắt đầu")
    assert f"cum.xlsx › HoiNghi!{cell}: Ô “Giờ bắt đầu”: ô chứa số âm -1" in output


def test_dates_in_messages_have_four_digit_years() -> None:
    assert short_date(date(1, 1, 1)) == "01/01/0001"
    assert plain_text(date(999, 3, 5)) == "05/03/0999"


def test_a_date_serial_outside_excels_calendar_is_an_error_of_its_cell(tmp_path: Path) -> None:
    path = written(tmp_path, sample_sheets())
    cell = value_cell("HoiNghi", "Ngày họp")

    def huge(xml: bytes) -> bytes:
        new, count = re.subn(
            rb'(<c r="' + cell.encode() + rb'"[^>]*><v>)[^<]*(</v>)', rb"\g<1>99999999\g<2>", xml
        )
        assert count == 1
        return new

    replace_in_part(path, sheet_part(path, "HoiNghi"), huge)
    code, output = thidua("check", str(path))
    assert code == 1
    assert f"cum.xlsx › HoiNghi!{cell}: Ô “Ngày họp”: ô chứa ngày có số thứ tự 99999999" in output


# --- two sheets for one ------------------------------------------------------------------------


def _with_copy(tmp_path: Path, change: Callable[[Any], None]) -> Path:
    path = written(tmp_path, sample_sheets())
    workbook = openpyxl.load_workbook(path)
    stale = workbook.copy_worksheet(workbook["DonVi"])
    stale.title = "Đơn vị"
    change(stale)
    workbook.save(path)
    return path


def test_two_different_sheets_for_one_are_an_error_naming_both(tmp_path: Path) -> None:
    """A stale "Đơn vị" next to "DonVi": one used to be read after a warning calling them
    identical."""
    path = _with_copy(tmp_path, lambda ws: setattr(ws["B2"], "value", "Văn phòng Tỉnh ủy (cũ)"))
    code, output = thidua("check", str(path))
    assert code == 1
    both = "Hai sheet “DonVi” và “Đơn vị” cùng là sheet DonVi (Đơn vị) nhưng nội dung khác nhau"
    assert both in output
    assert "(cũ)" not in output


def test_two_identical_sheets_for_one_are_a_warning(tmp_path: Path) -> None:
    path = _with_copy(tmp_path, lambda ws: None)
    dossier, problems = load(path)
    assert dossier is not None
    assert [(p.severity, p.code, p.location.sheet) for p in problems] == [
        ("warning", "sheet-duplicate", "Đơn vị")
    ]
    assert "bản sao" in problems[0].message


# --- cell escapes ------------------------------------------------------------------------------


def test_cell_escapes_are_decoded_as_excel_does(tmp_path: Path) -> None:
    """Excel stores a carriage return as _x000D_ and a literal "_x000D_" as _x005F_x000D_
    (ECMA-376 Part 1, §22.9.2.19), in shared and inline strings alike; they were printed
    literally."""
    path = written(tmp_path, sample_sheets())
    part = sheet_part(path, "GiaoUoc")
    shared = "Dòng một_x000D_\nDòng hai, mã _x005F_x000D_, tab_x0009_hết."
    inline = "Hết_x000A_dòng _xD83D__xDE00_"

    def cells(xml: bytes) -> bytes:
        for cell, new in (
            ("B2", b'<c r="B2" t="s"><v>0</v></c>'),
            ("B3", b'<c r="B3" t="inlineStr"><is><t>' + inline.encode() + b"</t></is></c>"),
        ):
            pattern = rb'<c r="' + cell.encode() + rb'"[^>]*>.*?</c>'
            xml, count = re.subn(pattern, new, xml, count=1, flags=re.S)
            assert count == 1
        return xml

    replace_in_part(path, part, cells)
    _add_shared_strings(path, [shared])
    dossier, problems = load(path)
    assert dossier is not None and problems == []
    first, second = (t.text for t in dossier.covenant_targets[:2])
    assert "_x" not in first.replace("mã _x000D_,", "")
    assert first.splitlines() == ["Dòng một", "Dòng hai, mã _x000D_, tab hết."]  # tab: a space
    assert second.splitlines() == ["Hết", "dòng 😀"]


def _add_shared_strings(path: Path, texts: list[str]) -> None:
    """Give the workbook a shared-string part holding ``texts`` (stored as written), as Excel
    and LibreOffice save text."""
    items = "".join(f'<si><t xml:space="preserve">{t}</t></si>' for t in texts)
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main" count="{len(texts)}" uniqueCount="{len(texts)}">{items}</sst>'
    ).encode()
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info.filename) for info in source.infolist()}
    members["xl/sharedStrings.xml"] = xml
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)
    path.write_bytes(buffer.getvalue())


# --- a workbook saved by LibreOffice Calc ------------------------------------------------------

DATA = Path(__file__).resolve().parent / "data"


def _rows_ignored(path: Path) -> list[Problem]:
    dossier, problems = load(path)
    assert dossier is not None
    return [p for p in problems if p.code == "rows-ignored"]


def test_rows_libreoffice_only_formatted_are_not_data() -> None:
    """The sample opened and saved by LibreOffice Calc 7.4 without an edit
    (``soffice --headless --convert-to xlsx``; tests/data): Calc writes formatted empty rows
    down to row 1091, which were reported as rows 292–1091 not read."""
    path = DATA / "sample-saved-by-libreoffice.xlsx"
    assert load(path)[1] == []


def test_a_real_row_after_a_long_gap_is_still_warned_about() -> None:
    """The same, with one covenant line typed at B1200, far below the table, before saving."""
    (warning,) = _rows_ignored(DATA / "stray-row-saved-by-libreoffice.xlsx")
    assert (warning.severity, warning.location.sheet, warning.location.cell) == (
        "warning",
        "GiaoUoc",
        "A210",
    )
    assert "các dòng từ 210 đến 1200 không được đọc" in warning.message


def test_libreoffice_calc_saving_the_sample_now(tmp_path: Path) -> None:
    """The same two files made now by the LibreOffice installed here, when it has Calc."""
    import os
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("THIDUA_REQUIRE_LIBREOFFICE"):
            pytest.fail("THIDUA_REQUIRE_LIBREOFFICE is set but soffice is missing")
        pytest.skip("LibreOffice is not installed")
    written(tmp_path, sample_sheets(), "sample.xlsx")
    stray = written(tmp_path, sample_sheets(), "stray.xlsx")
    workbook = openpyxl.load_workbook(stray)
    workbook["GiaoUoc"]["B1200"] = "Một dòng giao ước gõ sót ở xa phía dưới"
    workbook.save(stray)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path / "calc"),
            str(tmp_path / "sample.xlsx"),
            str(stray),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    saved = tmp_path / "calc" / "sample.xlsx"
    if not saved.is_file():
        if os.environ.get("THIDUA_REQUIRE_LIBREOFFICE"):  # .ci/run installs Calc
            pytest.fail("THIDUA_REQUIRE_LIBREOFFICE is set but LibreOffice has no Calc")
        pytest.skip("this LibreOffice has no Calc (install libreoffice-calc)")
    assert load(saved)[1] == []
    (warning,) = _rows_ignored(tmp_path / "calc" / "stray.xlsx")
    assert "đến 1200 không được đọc" in warning.message
