"""The written workbooks as a person uses them: printed, protected, checked while typing.

The blank workbook used to print as 72 pages (no print area, no fit to width, no landscape: the
instructions sheet spread over pages 1, 6, 11 and 16). It is printed here through LibreOffice
headless, the way a secretary prints it, and each page is attributed to its sheet by the
footer every sheet prints (``<sheet> – trang N/M``).

Bounds, and why: a data sheet of the blank workbook holds its header row and, for a key–value
sheet, at most a dozen settings, so it prints on one page when its columns fit the width (a
sheet whose columns did not fit would spill onto a second page sideways). The instructions
sheet holds the reference table of every column of every sheet (about 200 rows, many of them
wrapped over two or three lines: some 4,800 points of rows). Fitted to the width of A4 landscape
(its six columns, 198 characters, at about 75 %), a page holds some 670 points of rows, so it
prints on at most 7 pages; LibreOffice prints 6.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.resources import bundled_inputs_dir
from pipeline.workbook.docs import column_reference_rows
from pipeline.workbook.loader import load
from pipeline.workbook.schema import (
    BLANK_FILE,
    HEADER_ROW,
    INSTRUCTIONS_SHEET,
    KV_KEY,
    KV_NOTE,
    KV_VALUE,
    LISTS_SHEET,
    SAMPLE_FILE,
    SHEETS,
    SHEETS_BY_NAME,
    ColType,
    column_letter,
)

BLANK = bundled_inputs_dir() / BLANK_FILE
SAMPLE = bundled_inputs_dir() / SAMPLE_FILE
DATA_SHEET_PAGES = 1
INSTRUCTION_PAGES = 7


def printed(workbook: Path, tmp: Path) -> dict[str, list[str]]:
    """The text of each printed page, by sheet, from LibreOffice's PDF of ``workbook``."""
    from pdfminer.high_level import extract_text

    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("THIDUA_REQUIRE_LIBREOFFICE"):
            pytest.fail("THIDUA_REQUIRE_LIBREOFFICE is set but soffice is missing")
        pytest.skip("LibreOffice (soffice) is not installed")
    source = tmp / workbook.name
    source.write_bytes(workbook.read_bytes())
    subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp / 'profile').as_uri()}", "--headless",
         "--norestore", "--convert-to", "pdf", "--outdir", str(tmp / "pdf"), str(source)],
        capture_output=True, timeout=300, check=False,
    )  # fmt: skip
    made = tmp / "pdf" / source.with_suffix(".pdf").name
    if not made.is_file():  # LibreOffice without Calc converts no workbook
        if os.environ.get("THIDUA_REQUIRE_LIBREOFFICE"):
            pytest.fail("THIDUA_REQUIRE_LIBREOFFICE is set but LibreOffice has no Calc")
        pytest.skip("this LibreOffice has no Calc (install libreoffice-calc)")
    pdf = made.read_bytes()
    pages: dict[str, list[str]] = {}
    for text in extract_text(io.BytesIO(pdf)).split("\f"):
        if not text.strip():
            continue
        footer = re.search(r"(\w+) – trang \d+/\d+", text)
        assert footer, f"a page without the sheet's footer: {text[:200]!r}"
        pages.setdefault(footer.group(1), []).append(text)
    return pages


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text))


@pytest.mark.libreoffice
def test_the_blank_workbook_prints_every_sheet_fitted_to_the_width(tmp_path: Path) -> None:
    pages = printed(BLANK, tmp_path)
    assert list(pages) == [INSTRUCTIONS_SHEET, *(s.name for s in SHEETS)]  # the lists: hidden
    assert len(pages[INSTRUCTIONS_SHEET]) <= INSTRUCTION_PAGES
    for spec in SHEETS:
        assert len(pages[spec.name]) <= DATA_SHEET_PAGES, spec.name
        headers = (KV_KEY, KV_VALUE, KV_NOTE) if spec.kind == "keyvalue" else spec.headers
        # every column, the last one included, on the sheet's one page: nothing cut sideways
        assert words(" ".join(headers)) <= words(pages[spec.name][0]), spec.name
    instructions = " ".join(pages[INSTRUCTIONS_SHEET])
    for spec in SHEETS:
        for row in column_reference_rows(spec):  # the reference table, "Giá trị cho phép" too
            assert words(row[0] + " " + row[-1]) <= words(instructions), (spec.name, row[0])


@pytest.mark.libreoffice
def test_the_sample_repeats_its_header_row_on_every_page(tmp_path: Path) -> None:
    pages = printed(SAMPLE, tmp_path)
    long_sheets = [name for name, texts in pages.items() if len(texts) > 1]
    assert "ChamDiem" in long_sheets  # 81 scores: more than one page
    for name in long_sheets:
        if name == INSTRUCTIONS_SHEET:
            continue
        for text in pages[name]:
            assert words(" ".join(SHEETS_BY_NAME[name].headers)) <= words(text), name


# --- the page setup, read back from the file ---------------------------------------------------


@pytest.fixture(scope="module")
def blank() -> openpyxl.Workbook:
    return openpyxl.load_workbook(BLANK)


@pytest.fixture(scope="module")
def sample() -> openpyxl.Workbook:
    return openpyxl.load_workbook(SAMPLE)


def test_every_sheet_is_set_up_for_a4_fitted_to_the_width(blank: openpyxl.Workbook) -> None:
    for spec in SHEETS:
        ws = blank[spec.name]
        assert ws.sheet_properties.pageSetUpPr.fitToPage, spec.name
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), spec.name
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
        width = 180 if spec.kind == "keyvalue" else sum(c.width for c in spec.columns)
        expected = "landscape" if width > 100 else "portrait"
        assert ws.page_setup.orientation == expected, spec.name
        assert ws.print_title_rows.replace("$", "") == f"{HEADER_ROW}:{HEADER_ROW}", spec.name
    assert blank[INSTRUCTIONS_SHEET].page_setup.orientation == "landscape"


def test_every_sheet_prints_its_columns_only() -> None:
    """The print area is the sheet's columns, whole (openpyxl cannot read such an area back:
    the defined names are read from workbook.xml)."""
    with zipfile.ZipFile(BLANK) as archive:
        xml = archive.read("xl/workbook.xml").decode("utf-8")
    areas = dict(re.findall(r'<definedName name="_xlnm.Print_Area" localSheetId="\d+">'
                            r"'(\w+)'!\$A:\$([A-Z]+)</definedName>", xml))  # fmt: skip
    for spec in SHEETS:
        columns = 3 if spec.kind == "keyvalue" else len(spec.columns)
        assert areas[spec.name] == column_letter(columns), spec.name
    assert areas[INSTRUCTIONS_SHEET] == "F"


# --- protection -----------------------------------------------------------------------------------


def _locked(ws: Worksheet, cell: str) -> bool:
    return bool(ws[cell].protection.locked)


def test_headers_are_protected_without_a_password_and_data_cells_are_not(
    blank: openpyxl.Workbook, sample: openpyxl.Workbook
) -> None:
    """Excel (and LibreOffice) refuse typing into a cell of a protected sheet only when its
    format is locked; an empty cell takes the format of its column. So: every sheet protected,
    no password; every header cell locked; every data column's format unlocked, and every
    written data cell unlocked; rows may be inserted, deleted and sorted."""
    for book in (blank, sample):
        for ws in book.worksheets:
            assert ws.protection.sheet, ws.title
            assert not ws.protection.password, ws.title
        for spec in SHEETS:
            ws = book[spec.name]
            allowed = ("insertRows", "deleteRows", "sort", "formatColumns", "formatRows")
            assert not any(getattr(ws.protection, name) for name in allowed), spec.name
            if spec.kind == "keyvalue":
                assert _locked(ws, "A1") and _locked(ws, "B1") and _locked(ws, "C1")
                assert ws.column_dimensions["B"].protection.locked is False
                for row in range(HEADER_ROW + 1, ws.max_row + 1):
                    assert _locked(ws, f"A{row}") and _locked(ws, f"C{row}"), (spec.name, row)
                    assert not _locked(ws, f"B{row}"), (spec.name, row)
                continue
            for col in range(1, len(spec.columns) + 1):
                letter = column_letter(col)
                assert _locked(ws, f"{letter}{HEADER_ROW}"), (spec.name, letter)
                assert ws.column_dimensions[letter].protection.locked is False, spec.name
                for row in range(HEADER_ROW + 1, ws.max_row + 1):
                    cell = ws[f"{letter}{row}"]
                    if cell.value is not None:
                        assert not cell.protection.locked, (spec.name, cell.coordinate)
    assert all(_locked(blank[INSTRUCTIONS_SHEET], c) for c in ("A1", "B3"))
    assert blank[LISTS_SHEET].sheet_state == "hidden"


def test_no_row_format_locks_the_data_cells_again() -> None:
    """A ``<row customFormat>`` would override the columns' unlocked format."""
    with zipfile.ZipFile(BLANK) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets
        for name in sheets:
            assert b"customFormat" not in archive.read(name), name


def test_the_protected_workbooks_still_load() -> None:
    dossier, problems = load(SAMPLE)
    assert dossier is not None and problems == []
    # the blank workbook: only what a blank workbook lacks, nothing about its print setup
    assert {p.code for p in load(BLANK)[1]} == {"required-blank", "sheet-empty"}


# --- checks while typing ------------------------------------------------------------------------


def test_date_cells_check_dates_and_whole_numbers_say_nothing_of_decimals(
    blank: openpyxl.Workbook,
) -> None:
    dates = 0
    for spec in SHEETS:
        ws = blank[spec.name]
        for dv in ws.data_validations.dataValidation:
            first = str(dv.sqref).split()[0].split(":")[0]
            letter = first.rstrip("0123456789")
            row = int(first[len(letter) :])
            if spec.kind == "keyvalue":
                column = spec.column(ws[f"A{row}"].value)
            else:
                column = spec.columns[openpyxl.utils.column_index_from_string(letter) - 1]
            if column.type is ColType.DATE:
                dates += 1
                assert dv.type == "date" and dv.errorStyle == "warning", column.header
                assert "dd/mm/yyyy" in dv.error
            if dv.type == "whole":
                assert "thập phân" not in dv.error and "dấu phẩy" not in dv.error, column.header
            if column.year:
                assert dv.error == f"Nhập năm từ {column.minimum} đến {column.maximum}."
    assert dates >= 3  # Ngày họp, Ngày ký, Từ ngày: every date of the schema


def test_years_are_written_and_documented_without_a_thousands_dot(
    sample: openpyxl.Workbook,
) -> None:
    for spec in SHEETS:
        for column in spec.columns:
            if not column.year:
                continue
            rows = {r[0]: r for r in column_reference_rows(spec)}
            assert rows[column.header][-1] == f"từ {column.minimum} đến {column.maximum}"
            assert "." not in rows[column.header][-1]
    years = [c for s in SHEETS for c in s.columns if c.year]
    assert {c.header for c in years} == {"Năm thi đua", "Năm giao ước", "Năm sinh", "Năm"}
    ws = sample["ThongTinChung"]
    year_rows = [r for r in range(2, ws.max_row + 1) if ws[f"A{r}"].value == "Năm thi đua"]
    assert ws[f"B{year_rows[0]}"].value == 2013
    assert ws[f"B{year_rows[0]}"].number_format == "0"
    assert sample["DeNghiCaNhan"].column_dimensions[
        column_letter(SHEETS_BY_NAME["DeNghiCaNhan"].headers.index("Năm sinh") + 1)
    ].number_format == "0"


def test_the_rotation_examples_name_two_different_units() -> None:
    rotation = SHEETS_BY_NAME["LuanPhien"]
    assert rotation.column("Cụm trưởng").example != rotation.column("Cụm phó").example
