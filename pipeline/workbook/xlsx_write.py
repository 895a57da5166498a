"""Write score workbooks in the official format: the blank workbook and the sample.

File I/O and openpyxl live here and in :mod:`pipeline.workbook.xlsx_read`, nowhere else.
:func:`write_workbook` lays out a workbook from rows keyed by the column headers of
:mod:`pipeline.workbook.schema` (an empty mapping gives the blank workbook): the instructions
sheet, headers, frozen header rows, column widths, drop-down lists, number and date checks. It
is laid out for a person too: every sheet prints on A4 fitted to the page's width (landscape for
the wide ones), with its header row repeated on each page and its name and page number in the
footer; the header rows are protected (sheet protection without a password, every data cell
unlocked: data is typed, pasted, sorted, rows inserted and deleted as usual, and Review ›
Unprotect Sheet lifts it). The file is
deterministic (fixed document dates, and the zip container written by :mod:`pipeline.opc` with a
fixed :class:`~pipeline.opc.Stamp`), so the committed sample and blank workbooks change only when
their content does, on every operating system.

:func:`~pipeline.workbook.schema.cell_of` (re-exported here) gives the cell a written row lands in.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from pipeline.opc import Stamp, normalized
from pipeline.workbook.docs import column_reference_rows
from pipeline.workbook.schema import (
    HEADER_ROW,
    INSTRUCTIONS_SHEET,
    KV_KEY,
    KV_NOTE,
    KV_VALUE,
    LISTS_SHEET,
    SHEETS,
    SHEETS_BY_NAME,
    ColType,
    Column,
    Sheet,
    cell_of,
    column_letter,
)
from pipeline.workbook.values import FIRST_DATE, LAST_DATE

__all__ = ["FIXED_TIMESTAMP", "cell_of", "workbook_bytes", "write_workbook"]

#: Document dates and zip timestamps of written files, so that they are reproducible.
FIXED_TIMESTAMP = datetime(2014, 1, 10, 0, 0, 0)
#: How every zip member of a written workbook is stamped. "Made by" Unix and mode rw-r--r--
#: are what the committed workbooks have always carried (Python's zipfile stamps the system it
#: runs on, so they used to differ when regenerated on Windows).
_ZIP_STAMP = Stamp(
    (
        FIXED_TIMESTAMP.year,
        FIXED_TIMESTAMP.month,
        FIXED_TIMESTAMP.day,
        FIXED_TIMESTAMP.hour,
        FIXED_TIMESTAMP.minute,
        FIXED_TIMESTAMP.second,
    ),
    system=3,
    external_attr=0o644 << 16,
)

Rows = Mapping[str, Sequence[Mapping[str, object]]]

_THIN = Side(style="thin", color="7F7F7F")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FILL_REQUIRED = PatternFill("solid", fgColor="1F4E78")
_FILL_OPTIONAL = PatternFill("solid", fgColor="BDD7EE")
_FONT_REQUIRED = Font(bold=True, color="FFFFFF")
_FONT_OPTIONAL = Font(bold=True, color="000000")
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
_WRAP = Alignment(wrap_text=True, vertical="top")
#: Data cells stay editable under the sheet protection that guards the header rows.
_UNLOCKED = Protection(locked=False)
#: Sheets wider than this (in Excel's character widths) print in landscape. A4 portrait with the
#: margins below holds about 100 characters of Calibri 11 at 100 %; fitting a wider sheet to
#: the width would shrink it below 90 %, so it turns to landscape (about 150 at 100 %).
_PORTRAIT_WIDTH = 100
#: Margins in inches (Excel's "Narrow" preset, with room for the footer).
_MARGINS = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.7, header=0.3, footer=0.3)
#: Footer of every printed page: the sheet's name and the page, so a stack of printouts sorts.
_FOOTER = "&A – trang &P/&N"
#: Dates a date cell accepts, as Excel serial numbers: those the reader accepts
#: (:data:`~pipeline.workbook.values.FIRST_DATE` to :data:`~pipeline.workbook.values.LAST_DATE`).
#: A warning only, since a date typed as text (dd/mm/yyyy) is read too.
_DATE_RANGE = tuple(str(int(to_excel(d))) for d in (FIRST_DATE, LAST_DATE))  # type: ignore[no-untyped-call]

_NUMBER_FORMATS: dict[ColType, str] = {
    ColType.MONEY: "#,##0",
    ColType.DATE: "dd/mm/yyyy",
    ColType.TIME: "hh:mm",
    ColType.RATIO: "0%",
    ColType.CODE: "@",
    ColType.UNIT: "@",
    ColType.CRITERION: "@",
    ColType.AWARD_FORM: "@",
    ColType.VOTE: "@",
}
#: Column type → (sheet, header) of the codes a drop-down offers.
_REFERENCE_LISTS: dict[ColType, tuple[str, str]] = {
    ColType.UNIT: ("DonVi", "Mã đơn vị"),
    ColType.CRITERION: ("TieuChi", "Mã tiêu chí"),
    ColType.AWARD_FORM: ("HinhThuc", "Mã hình thức"),
    ColType.VOTE: ("BoPhieu", "Mã biểu quyết"),
}

_INSTRUCTIONS = (
    "Workbook bảng điểm thi đua của một cụm (khối) thi đua trong một năm.",
    "Mỗi sheet một nội dung. Dòng 1 là tiêu đề cột: không sửa, không gộp ô. Mỗi dòng từ dòng 2 "
    "là một bản ghi. Sheet dạng Mục – Giá trị: ghi giá trị vào cột B.",
    "Tiêu đề nền xanh đậm là cột bắt buộc; nền xanh nhạt là cột có thể để trống.",
    "Đơn vị ghi bằng mã ở sheet DonVi (hoặc một tên gọi khác của đơn vị). Tiêu chí, hình thức "
    "khen thưởng, biểu quyết ghi bằng mã ở sheet tương ứng.",
    "Số thập phân dùng dấu phẩy (973,5); dấu chấm chỉ tách nhóm nghìn (1.000). Ô trống không "
    "phải là số 0: điểm 0 phải ghi 0.",
    "Ngày ghi dd/mm/yyyy, giờ ghi hh:mm. Dòng ẩn vẫn được đọc như dòng thường.",
    "Dòng tiêu đề được khóa để không sửa nhầm (bảo vệ sheet, không mật khẩu); các ô dữ liệu "
    "vẫn nhập, dán, sắp xếp, thêm hay xóa dòng bình thường. Cần sửa tiêu đề: Review › "
    "Unprotect Sheet (Xem lại › Bỏ bảo vệ trang tính).",
    "Kiểm tra workbook bằng lệnh: thidua check TEN_TEP.xlsx (tài liệu đầy đủ: thidua tai-lieu "
    "workbook, hoặc tệp tai-lieu/workbook.md trong thư mục làm việc).",
)


def write_workbook(sheets: Rows, path: Path) -> None:
    """Write a workbook in the official format from rows keyed by column headers.

    ``sheets`` maps sheet names of :data:`~pipeline.workbook.schema.SHEETS` to their rows, as
    :func:`pipeline.workbook.sample.sample_sheets` returns them; a sheet left out is written with
    headers
    only (a key–value sheet with every setting and blank values), so ``{}`` gives the blank
    workbook. Row ``i`` of a sheet lands in sheet row ``i + 2`` (:func:`cell_of`). A string
    starting with ``=`` is written as a formula, without a cached value, like any tool that does
    not calculate. Raises ``ValueError`` for an unknown sheet or header (a programming error).
    """
    path.write_bytes(workbook_bytes(sheets))


def workbook_bytes(sheets: Rows) -> bytes:
    """The bytes of :func:`write_workbook`'s file."""
    unknown = set(sheets) - set(SHEETS_BY_NAME)
    if unknown:
        raise ValueError(f"unknown sheets: {sorted(unknown)}")
    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    wb.properties.creator = "thidua"
    wb.properties.created = FIXED_TIMESTAMP
    wb.properties.modified = FIXED_TIMESTAMP
    lists = _ListSheet()
    instructions = wb.create_sheet(INSTRUCTIONS_SHEET)
    _write_instructions(instructions)
    _print_setup(instructions, _INSTRUCTION_WIDTHS, title_rows=False)
    _protect(instructions)
    for spec in SHEETS:
        ws = wb.create_sheet(spec.name)
        rows = sheets.get(spec.name)
        if spec.kind == "keyvalue":
            _write_keyvalue(ws, spec, rows, lists)
            _print_setup(ws, _KV_WIDTHS, title_rows=True)
        else:
            _write_table(ws, spec, rows or (), lists)
            _print_setup(ws, tuple(c.width for c in spec.columns), title_rows=True)
        _protect(ws)
    lists_sheet = wb.create_sheet(LISTS_SHEET)
    lists.write(lists_sheet)
    _protect(lists_sheet)
    return _deterministic_zip(wb)


def _print_setup(ws: Worksheet, widths: Sequence[float], *, title_rows: bool) -> None:
    """A4, fitted to the page's width (landscape when wider than :data:`_PORTRAIT_WIDTH`), the
    header row repeated on every page, the sheet's columns as the print area (whole columns:
    the rows a user adds print too, a stray cell beyond the table does not) and a footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if sum(widths) > _PORTRAIT_WIDTH else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = _MARGINS
    footer = ws.oddFooter
    assert footer is not None  # openpyxl gives every sheet its (empty) footers
    footer.center.text = _FOOTER
    if title_rows:
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    last = column_letter(len(widths))
    ws.defined_names["_xlnm.Print_Area"] = DefinedName(
        "_xlnm.Print_Area", attr_text=f"'{ws.title}'!$A:${last}"
    )


def _protect(ws: Worksheet) -> None:
    """Protect the sheet without a password: locked cells (the headers, the keys and notes of a
    key–value sheet, the instructions) cannot be changed; unlocked ones are edited as usual,
    and rows may be inserted, deleted, sorted and formatted."""
    protection = ws.protection
    protection.sheet = True
    for allowed in (
        "formatCells",
        "formatColumns",
        "formatRows",
        "insertRows",
        "deleteRows",
        "sort",
        "autoFilter",
    ):
        setattr(protection, allowed, False)  # False: not protected, i.e. allowed


class _ListSheet:
    """The hidden sheet holding the drop-down lists, one column per list of choices."""

    def __init__(self) -> None:
        self.columns: list[tuple[str, tuple[str, ...]]] = []

    def reference(self, title: str, labels: tuple[str, ...]) -> str:
        known = [existing for _, existing in self.columns]
        if labels in known:
            index = known.index(labels) + 1
        else:
            self.columns.append((title, labels))
            index = len(self.columns)
        letter = column_letter(index)
        return f"{LISTS_SHEET}!${letter}$2:${letter}${len(labels) + 1}"

    def write(self, ws: Worksheet) -> None:
        ws.sheet_state = "hidden"
        for col, (title, labels) in enumerate(self.columns, start=1):
            ws.cell(1, col, title).font = _FONT_OPTIONAL
            for row, label in enumerate(labels, start=2):
                ws.cell(row, col, label)
            ws.column_dimensions[column_letter(col)].width = max(14, *(len(x) for x in labels))


_INSTRUCTION_WIDTHS = (30, 60, 26, 22, 30, 30)
_KV_WIDTHS = (38, 52, 90)


def _write_instructions(ws: Worksheet) -> None:
    ws.cell(1, 1, "HƯỚNG DẪN NHẬP WORKBOOK BẢNG ĐIỂM THI ĐUA").font = Font(bold=True, size=14)
    row = 3
    for line in _INSTRUCTIONS:
        ws.cell(row, 1, "•")
        ws.cell(row, 2, line).alignment = _WRAP
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=6)
        ws.row_dimensions[row].height = 30
        _fit_height(ws, row, [(line, sum(_INSTRUCTION_WIDTHS[1:]))])
        row += 1
    row += 1
    for spec in SHEETS:
        ws.cell(row, 1, f"Sheet {spec.name} ({spec.title})").font = Font(bold=True, size=12)
        row += 1
        ws.cell(row, 1, spec.purpose).alignment = _WRAP
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
        ws.row_dimensions[row].height = 30
        _fit_height(ws, row, [(spec.purpose, sum(_INSTRUCTION_WIDTHS))])
        row += 1
        first = "Mục (cột A)" if spec.kind == "keyvalue" else "Cột"
        for col, title in enumerate(
            (first, "Ý nghĩa", "Kiểu", "Bắt buộc", "Ví dụ", "Giá trị cho phép"), start=1
        ):
            cell = ws.cell(row, col, title)
            cell.font, cell.fill, cell.border = _FONT_OPTIONAL, _FILL_OPTIONAL, _BORDER
        row += 1
        for values in column_reference_rows(spec):
            for col, value in enumerate(values, start=1):
                cell = ws.cell(row, col, value)
                cell.alignment, cell.border = _WRAP, _BORDER
            _fit_height(ws, row, list(zip(values, _INSTRUCTION_WIDTHS, strict=True)))
            row += 1
        row += 1
    for letter, width in zip("ABCDEF", _INSTRUCTION_WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width


def _header_cell(ws: Worksheet, col: int, text: str, required: bool) -> None:
    cell = ws.cell(HEADER_ROW, col, text)
    cell.font = _FONT_REQUIRED if required else _FONT_OPTIONAL
    cell.fill = _FILL_REQUIRED if required else _FILL_OPTIONAL
    cell.alignment = _HEADER_ALIGN
    cell.border = _BORDER


_Writable = bool | int | float | Decimal | str | datetime | date | time


def _writable(value: object) -> _Writable:
    """``value`` as a type openpyxl writes (integral Decimals as int, so 1000 stays 1000)."""
    if isinstance(value, Decimal):
        if value.is_finite() and value == value.to_integral_value() and abs(value) < 10**15:
            return int(value)
        return value
    if isinstance(value, (bool, int, float, str, datetime, date, time)):
        return value
    raise ValueError(f"cannot write {type(value).__name__} {value!r}")


def _put(ws: Worksheet, row: int, col: int, value: object, column: Column | None) -> None:
    """Write one value with the number format its column type asks for."""
    if value is None:
        return
    value = _writable(value)
    cell = ws.cell(row, col, value)
    cell.protection = _UNLOCKED
    if isinstance(value, datetime):
        cell.number_format = "dd/mm/yyyy hh:mm"
    elif isinstance(value, date):
        cell.number_format = "dd/mm/yyyy"
    elif isinstance(value, time):
        cell.number_format = "hh:mm"
    elif (
        column is not None
        and column.type in (ColType.MONEY, ColType.RATIO)
        and cell.data_type == "n"
    ):
        cell.number_format = _NUMBER_FORMATS[column.type]
    elif column is not None and column.year and cell.data_type == "n":
        cell.number_format = "0"  # 2013, not 2.013
    if isinstance(value, str) and len(value) > 40:
        cell.alignment = _WRAP


def _fit_height(ws: Worksheet, row: int, cells: Sequence[tuple[object, float]]) -> None:
    """Give a row holding wrapped text the height of its tallest cell (``(value, column
    width)`` pairs), as neither Excel nor LibreOffice recomputes heights when opening or printing
    a file: without it a long note prints over the next row. A line holds about 1,15 character
    per unit of column width (Calibri 11) and is 15 points high; one-line rows keep the
    default."""
    lines = 1
    for value, width in cells:
        if isinstance(value, str) and len(value) > width:
            per_line = max(1, int(width * 1.15))
            lines = max(lines, sum(-(-len(part) // per_line) or 1 for part in value.split("\n")))
    if lines > 1:
        ws.row_dimensions[row].height = 15 * lines


def _validation(column: Column, lists: _ListSheet) -> DataValidation | None:
    """The data validation (drop-down or number check) for a column, if it has one."""
    prompt = column.meaning[:250]
    title = column.header[:32]
    if column.type in (ColType.CHOICE, ColType.BOOL) and column.choices:
        labels = tuple(c.label for c in column.choices)
        dv = DataValidation(
            type="list",
            formula1=lists.reference(column.header, labels),
            allow_blank=True,
            errorStyle="stop",
            errorTitle="Giá trị không có trong danh sách",
            error=("Chọn một giá trị trong danh sách: " + "; ".join(labels))[:250],
        )
    elif column.type in _REFERENCE_LISTS:
        sheet, header = _REFERENCE_LISTS[column.type]
        spec = SHEETS_BY_NAME[sheet]
        letter = cell_of(sheet, 0, header).rstrip("0123456789")
        dv = DataValidation(
            type="list",
            formula1=f"{sheet}!${letter}$2:${letter}${spec.capacity + 1}",
            allow_blank=True,
            errorStyle="warning",
            errorTitle="Mã chưa có trong danh sách",
            error=f"Mã này chưa có ở sheet {sheet}. Vẫn giữ nếu đó là tên gọi khác đã khai báo.",
        )
    elif column.type in (ColType.INTEGER, ColType.DECIMAL, ColType.MONEY) and (
        column.minimum is not None and column.maximum is not None
    ):
        whole = column.type is ColType.INTEGER
        bounds = f"từ {column.minimum} đến {column.maximum}"
        dv = DataValidation(
            type="whole" if whole else "decimal",
            operator="between",
            formula1=str(column.minimum),
            formula2=str(column.maximum),
            allow_blank=True,
            errorStyle="stop",
            errorTitle="Số không hợp lệ",
            error=(
                f"Nhập {'năm' if column.year else 'số nguyên'} {bounds}."
                if whole
                else f"Nhập một số {bounds}; số thập phân dùng dấu phẩy."
            ),
        )
    elif column.type is ColType.DATE:
        dv = DataValidation(
            type="date",
            operator="between",
            formula1=_DATE_RANGE[0],
            formula2=_DATE_RANGE[1],
            allow_blank=True,
            errorStyle="warning",
            errorTitle="Không phải ngày",
            error="Nhập ngày dạng ngày/tháng/năm (dd/mm/yyyy), ví dụ 10/01/2014.",
        )
    elif column.type is ColType.TIME:
        dv = DataValidation(
            type="time",
            operator="between",
            formula1="0",
            formula2="0.999988425925926",  # 23:59:59
            allow_blank=True,
            errorStyle="warning",
            errorTitle="Không phải giờ",
            error="Nhập giờ dạng giờ:phút (hh:mm), ví dụ 14:00.",
        )
    else:
        return None
    dv.promptTitle = title
    dv.prompt = prompt
    dv.showInputMessage = True
    dv.showErrorMessage = True
    return dv


def _write_table(
    ws: Worksheet, spec: Sheet, rows: Sequence[Mapping[str, object]], lists: _ListSheet
) -> None:
    headers = spec.headers
    for col, column in enumerate(spec.columns, start=1):
        _header_cell(ws, col, column.header, column.required)
        dim = ws.column_dimensions[column_letter(col)]
        dim.width = column.width
        dim.protection = _UNLOCKED  # the cells under the header stay editable
        if column.type in _NUMBER_FORMATS and column.type not in (ColType.DATE, ColType.TIME):
            dim.number_format = _NUMBER_FORMATS[column.type]
        elif column.year:
            dim.number_format = "0"
    ws.row_dimensions[HEADER_ROW].height = 32
    for index, row in enumerate(rows):
        extra = set(row) - set(headers)
        if extra:
            raise ValueError(f"{spec.name}: unknown headers {sorted(extra)}")
        for col, column in enumerate(spec.columns, start=1):
            _put(ws, HEADER_ROW + 1 + index, col, row.get(column.header), column)
        cells = [(row.get(c.header), c.width) for c in spec.columns]
        _fit_height(ws, HEADER_ROW + 1 + index, cells)
    last = HEADER_ROW + max(spec.capacity, len(rows))
    for col, column in enumerate(spec.columns, start=1):
        dv = _validation(column, lists)
        if dv is not None:
            letter = column_letter(col)
            dv.add(f"{letter}{HEADER_ROW + 1}:{letter}{last}")
            ws.add_data_validation(dv)
    ws.freeze_panes = f"A{HEADER_ROW + 1}"


def _kv_note(column: Column) -> str:
    parts = [column.meaning]
    if column.required:
        parts.append("Bắt buộc.")
    elif column.default:
        parts.append(column.default[0].upper() + column.default[1:] + ".")
    if column.example:
        parts.append(f"Ví dụ: {column.example}.")
    return " ".join(parts)


def _write_keyvalue(
    ws: Worksheet,
    spec: Sheet,
    rows: Sequence[Mapping[str, object]] | None,
    lists: _ListSheet,
) -> None:
    for col, header in enumerate((KV_KEY, KV_VALUE, KV_NOTE), start=1):
        _header_cell(ws, col, header, header != KV_NOTE)
    for letter, width in zip("ABC", _KV_WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width
    ws.column_dimensions["B"].protection = _UNLOCKED  # the values; keys and notes stay locked
    ws.row_dimensions[HEADER_ROW].height = 24
    by_label = {c.header: c for c in spec.columns}
    if rows is None:
        rows = [{KV_KEY: c.header, KV_VALUE: None} for c in spec.columns]
    for index, row in enumerate(rows):
        extra = set(row) - {KV_KEY, KV_VALUE, KV_NOTE}
        if extra:
            raise ValueError(f"{spec.name}: unknown headers {sorted(extra)}")
        r = HEADER_ROW + 1 + index
        label = row.get(KV_KEY)
        column = by_label.get(label) if isinstance(label, str) else None
        if label is not None:
            key = ws.cell(r, 1, _writable(label))
            key.font = Font(bold=column is not None and column.required)
            key.alignment = _WRAP
        _put(ws, r, 2, row.get(KV_VALUE), column)
        note = row.get(KV_NOTE, _kv_note(column) if column is not None else None)
        if note is not None:
            cell = ws.cell(r, 3, _writable(note))
            cell.font = Font(italic=True, color="595959")
            cell.alignment = _WRAP
        _fit_height(ws, r, list(zip((label, row.get(KV_VALUE), note), _KV_WIDTHS, strict=True)))
        if column is not None:
            dv = _validation(column, lists)
            if dv is not None:
                dv.add(f"B{r}")
                ws.add_data_validation(dv)
            if column.type in (ColType.DATE, ColType.TIME, ColType.MONEY, ColType.RATIO):
                ws.cell(r, 2).number_format = _NUMBER_FORMATS[column.type]
            elif column.year:
                ws.cell(r, 2).number_format = "0"
            ws.cell(r, 2).protection = _UNLOCKED
    ws.freeze_panes = f"A{HEADER_ROW + 1}"


def _deterministic_zip(wb: Workbook) -> bytes:
    """Save ``wb`` with fixed timestamps (openpyxl's ``save`` stamps the current time).

    openpyxl writes through :mod:`zipfile`; the members keep the bytes it deflated, and
    :func:`pipeline.opc.normalized` writes them again with :data:`_ZIP_STAMP`.
    """
    first = io.BytesIO()
    with zipfile.ZipFile(first, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
    return normalized(first.getvalue(), _ZIP_STAMP)
