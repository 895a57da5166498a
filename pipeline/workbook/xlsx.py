"""The openpyxl boundary: write workbooks in the official format, read raw cells back.

File I/O and openpyxl live here and only here. :func:`write_workbook` lays out a workbook from
rows keyed by the column headers of :mod:`pipeline.workbook.schema` (an empty mapping gives the
blank
workbook): the instructions sheet, headers, frozen header rows, column widths, drop-down lists
and number checks. The file is deterministic (fixed document dates and zip timestamps), so the
committed sample and blank workbooks change only when their content does.

:func:`read_workbook` reads every worksheet into a :class:`RawSheet`: each non-empty cell with
its value, the name of its font (the loader decodes legacy TCVN3/VNI fonts), its formula and the
formula's value: Excel's cached value or, for a file saved without one, the value computed by
:func:`evaluate_formula`. It streams the file in openpyxl's read-only mode, stops after
:data:`~pipeline.workbook.schema.EMPTY_RUN` empty rows or
:data:`~pipeline.workbook.schema.MAX_DATA_ROWS` data
rows, and reads merged ranges and hidden rows from the sheet XML (read-only mode does not expose
them). Nothing a user can put in a file raises: an unreadable file becomes a
:class:`~pipeline.errors.Problem`. Interpreting the values is the loader's job.

:func:`~pipeline.workbook.schema.cell_of` (re-exported here) gives the cell a written row lands in.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, DivisionByZero, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from pipeline.errors import Location, Problem
from pipeline.workbook.schema import (
    EMPTY_RUN,
    HEADER_ROW,
    INSTRUCTIONS_SHEET,
    KV_KEY,
    KV_NOTE,
    KV_VALUE,
    LISTS_SHEET,
    MAX_DATA_ROWS,
    SHEETS,
    SHEETS_BY_NAME,
    ColType,
    Column,
    Sheet,
    cell_of,
    column_letter,
    column_reference_rows,
)

__all__ = [
    "MAX_FILE_BYTES",
    "FormulaError",
    "RawCell",
    "RawSheet",
    "RawWorkbook",
    "cell_of",
    "evaluate_formula",
    "read_workbook",
    "workbook_bytes",
    "write_workbook",
]

#: A score workbook is a few hundred kilobytes; a file this large is not one.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: Document dates and zip timestamps of written files, so that they are reproducible.
FIXED_TIMESTAMP = datetime(2014, 1, 10, 0, 0, 0)

Rows = Mapping[str, Sequence[Mapping[str, object]]]


# === writing =================================================================================

_THIN = Side(style="thin", color="7F7F7F")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FILL_REQUIRED = PatternFill("solid", fgColor="1F4E78")
_FILL_OPTIONAL = PatternFill("solid", fgColor="BDD7EE")
_FONT_REQUIRED = Font(bold=True, color="FFFFFF")
_FONT_OPTIONAL = Font(bold=True, color="000000")
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
_WRAP = Alignment(wrap_text=True, vertical="top")

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
    "Kiểm tra workbook bằng lệnh: thidua check TEN_TEP.xlsx (xem thêm docs/workbook.md).",
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
    _write_instructions(wb.create_sheet(INSTRUCTIONS_SHEET))
    for spec in SHEETS:
        ws = wb.create_sheet(spec.name)
        rows = sheets.get(spec.name)
        if spec.kind == "keyvalue":
            _write_keyvalue(ws, spec, rows, lists)
        else:
            _write_table(ws, spec, rows or (), lists)
    lists.write(wb.create_sheet(LISTS_SHEET))
    return _deterministic_zip(wb)


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


def _write_instructions(ws: Worksheet) -> None:
    ws.cell(1, 1, "HƯỚNG DẪN NHẬP WORKBOOK BẢNG ĐIỂM THI ĐUA").font = Font(bold=True, size=14)
    row = 3
    for line in _INSTRUCTIONS:
        ws.cell(row, 1, "•")
        ws.cell(row, 2, line).alignment = _WRAP
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=6)
        ws.row_dimensions[row].height = 30
        row += 1
    row += 1
    for spec in SHEETS:
        ws.cell(row, 1, f"Sheet {spec.name} ({spec.title})").font = Font(bold=True, size=12)
        row += 1
        ws.cell(row, 1, spec.purpose).alignment = _WRAP
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
        ws.row_dimensions[row].height = 30
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
            row += 1
        row += 1
    for letter, width in zip("ABCDEF", (30, 60, 26, 22, 30, 30), strict=True):
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
    if isinstance(value, str) and len(value) > 40:
        cell.alignment = _WRAP


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
        dv = DataValidation(
            type="whole" if whole else "decimal",
            operator="between",
            formula1=str(column.minimum),
            formula2=str(column.maximum),
            allow_blank=True,
            errorStyle="stop",
            errorTitle="Số không hợp lệ",
            error=(
                f"Nhập {'số nguyên' if whole else 'một số'} từ {column.minimum} đến "
                f"{column.maximum}; số thập phân dùng dấu phẩy."
            ),
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
        if column.type in _NUMBER_FORMATS and column.type not in (ColType.DATE, ColType.TIME):
            dim.number_format = _NUMBER_FORMATS[column.type]
    ws.row_dimensions[HEADER_ROW].height = 32
    for index, row in enumerate(rows):
        extra = set(row) - set(headers)
        if extra:
            raise ValueError(f"{spec.name}: unknown headers {sorted(extra)}")
        for col, column in enumerate(spec.columns, start=1):
            _put(ws, HEADER_ROW + 1 + index, col, row.get(column.header), column)
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
    for letter, width in zip("ABC", (38, 52, 90), strict=True):
        ws.column_dimensions[letter].width = width
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
        if column is not None:
            dv = _validation(column, lists)
            if dv is not None:
                dv.add(f"B{r}")
                ws.add_data_validation(dv)
            if column.type in (ColType.DATE, ColType.TIME, ColType.MONEY, ColType.RATIO):
                ws.cell(r, 2).number_format = _NUMBER_FORMATS[column.type]
    ws.freeze_panes = f"A{HEADER_ROW + 1}"


def _deterministic_zip(wb: Workbook) -> bytes:
    """Save ``wb`` with fixed timestamps (openpyxl's ``save`` stamps the current time)."""
    first = io.BytesIO()
    with zipfile.ZipFile(first, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
    second = io.BytesIO()
    with (
        zipfile.ZipFile(first) as source,
        zipfile.ZipFile(second, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            stamped = zipfile.ZipInfo(info.filename, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            stamped.compress_type = zipfile.ZIP_DEFLATED
            stamped.external_attr = 0o644 << 16
            target.writestr(stamped, source.read(info.filename))
    return second.getvalue()


# === reading =================================================================================

#: Values Excel stores for a failed calculation.
EXCEL_ERRORS = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
    }
)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")


@dataclass(frozen=True, slots=True)
class RawCell:
    """One non-empty cell as stored.

    ``value`` is what openpyxl gives (str, int, float, bool, datetime, date, time, timedelta) or,
    for a formula, its cached or computed value (a computed one is a ``Decimal``). ``formula`` is
    the formula text (``"=SUM(C2:C9)"``) or ``None``. ``error`` says, in Vietnamese, why the cell
    has no usable value: an Excel error (``#DIV/0!``) or a formula that has no cached value and
    cannot be computed, or whose cached value is stale (``stale``: the file was changed by a tool
    that does not recalculate, so the value Excel saved no longer follows from the cells the
    formula reads). ``font`` is the cell's font name.
    """

    value: object
    font: str | None = None
    formula: str | None = None
    error: str | None = None
    computed: bool = False
    stale: bool = False  # the cached value differs from the formula recomputed now


@dataclass(slots=True)
class RawSheet:
    """The cells of one worksheet as read, with its merged ranges and hidden rows."""

    title: str
    cells: dict[int, dict[int, RawCell]] = field(default_factory=dict)  # row → column → cell
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # c1, r1, c2, r2
    hidden_rows: set[int] = field(default_factory=set)
    too_many_rows: bool = False
    last_row: int = 0  # the last row read
    declared_last_row: int = 0  # the last row the file's <dimension> claims
    stopped_early: bool = False  # reading stopped after EMPTY_RUN empty rows

    def cell(self, row: int, col: int) -> RawCell | None:
        return self.cells.get(row, {}).get(col)

    def rows(self) -> list[int]:
        return sorted(self.cells)


@dataclass(slots=True)
class RawWorkbook:
    """Every worksheet, by its title, in workbook order."""

    sheets: dict[str, RawSheet]


def _problem(code: str, message: str, hint: str, file: str, sheet: str | None = None) -> Problem:
    return Problem("error", code, message, hint, Location(file=file, sheet=sheet))


def _sniff(data: bytes, label: str) -> Problem | None:
    """A problem if the bytes are not an .xlsx workbook (checked before openpyxl sees them)."""
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_MARK in data:
            return _problem(
                "file-encrypted",
                "Workbook đã đặt mật khẩu (mã hóa) nên không đọc được",
                "Mở tệp bằng Excel, bỏ mật khẩu (Tệp › Thông tin › Bảo vệ sổ làm việc › Mã hóa "
                "bằng mật khẩu, xóa mật khẩu) rồi lưu lại dạng .xlsx.",
                label,
            )
        return _problem(
            "file-format",
            "Tệp là định dạng Excel cũ (.xls) hoặc tài liệu Office cũ, không phải .xlsx",
            "Mở bằng Excel rồi lưu lại dạng Sổ làm việc Excel (.xlsx).",
            label,
        )
    if not data.startswith(b"PK"):
        return _problem(
            "file-format",
            "Tệp không phải workbook Excel (.xlsx)",
            "Chọn đúng tệp .xlsx; nếu là tệp .csv hay .xls, mở bằng Excel rồi lưu lại dạng .xlsx.",
            label,
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
            mimetype = archive.read("mimetype") if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError, KeyError):
        return _problem(
            "file-corrupt",
            "Tệp .xlsx bị hỏng, không mở được",
            "Mở tệp bằng Excel (Excel có thể đề nghị sửa) rồi lưu lại; hoặc dùng bản sao lưu.",
            label,
        )
    if b"opendocument.spreadsheet" in mimetype:
        return _problem(
            "file-format",
            "Tệp là bảng tính OpenDocument (.ods), không phải .xlsx",
            "Mở bằng LibreOffice Calc, chọn Lưu thành… › Excel 2007-365 (.xlsx).",
            label,
        )
    if b"spreadsheetml" not in types:
        what = "tệp Word (.docx)" if b"wordprocessingml" in types else "tệp nén"
        return _problem(
            "file-format",
            f"Tệp là {what}, không phải workbook Excel (.xlsx)",
            "Chọn đúng workbook bảng điểm (.xlsx); có thể tạo mới bằng lệnh thidua init.",
            label,
        )
    return None


def read_workbook(path: Path, label: str) -> tuple[RawWorkbook | None, list[Problem]]:
    """Every worksheet of the file at ``path``; ``label`` names the file in problems.

    Returns ``None`` and the reason when the file cannot be read as a workbook; otherwise the
    sheets and the problems of sheets that could not be read.
    """
    if not path.exists():
        return None, [
            _problem(
                "file-missing",
                "Không tìm thấy tệp",
                f"Kiểm tra đường dẫn “{path}”; tệp mẫu có thể tạo bằng lệnh thidua init.",
                label,
            )
        ]
    if not path.is_file():
        return None, [
            _problem(
                "file-format", "Đây là thư mục, không phải workbook", "Chỉ ra một tệp .xlsx.", label
            )
        ]
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [
                _problem(
                    "file-format",
                    f"Tệp quá lớn ({size // (1024 * 1024)} MB) để là workbook bảng điểm",
                    "Kiểm tra lại tệp; workbook bảng điểm thường chỉ vài trăm KB.",
                    label,
                )
            ]
        data = path.read_bytes()
    except OSError as exc:
        return None, [
            _problem(
                "file-missing",
                f"Không đọc được tệp ({exc.strerror or exc})",
                "Đóng tệp nếu đang mở ở chương trình khác và kiểm tra quyền đọc tệp.",
                label,
            )
        ]
    sniffed = _sniff(data, label)
    if sniffed is not None:
        return None, [sniffed]
    problems: list[Problem] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        except Exception:  # openpyxl raises many types for broken parts; all mean "corrupt"
            return None, [
                _problem(
                    "file-corrupt",
                    "Workbook bị hỏng hoặc có cấu trúc lạ, openpyxl không mở được",
                    "Mở tệp bằng Excel rồi lưu lại dạng .xlsx; nếu Excel báo lỗi, dùng bản sao "
                    "lưu.",
                    label,
                )
            ]
        sheets: dict[str, RawSheet] = {}
        formula_sheets: list[str] = []
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for ws in wb.worksheets:
                    title = str(ws.title)
                    try:
                        sheet = _read_sheet(ws)
                        _scan_xml(archive, getattr(ws, "_worksheet_path", None), sheet)
                    except Exception:  # a broken sheet part must not hide the other sheets
                        problems.append(
                            _problem(
                                "sheet-unreadable",
                                "Sheet bị hỏng, không đọc được",
                                "Mở tệp bằng Excel, sao chép dữ liệu sang sheet mới cùng tên "
                                "rồi lưu lại.",
                                label,
                                title,
                            )
                        )
                        continue
                    sheets[title] = sheet
                    if any(c.formula for row in sheet.cells.values() for c in row.values()):
                        formula_sheets.append(title)
        finally:
            wb.close()
        if formula_sheets:
            _fill_formula_values(data, sheets, formula_sheets)
    return RawWorkbook(sheets), problems


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _font_name(cell: Any) -> str | None:
    try:
        font = cell.font
    except (IndexError, KeyError, AttributeError, TypeError):
        return None
    name = getattr(font, "name", None) if font is not None else None
    return name if isinstance(name, str) else None


def _read_sheet(ws: Any) -> RawSheet:
    """Stream a read-only worksheet's cells until the data clearly ends."""
    sheet = RawSheet(str(ws.title))
    declared = ws.max_row
    sheet.declared_last_row = declared if isinstance(declared, int) else 0
    ws.reset_dimensions()  # some tools write a wrong <dimension>: never trust it
    empty_run = 0
    data_rows = 0
    row_number = 0
    for row_number, row in enumerate(ws.iter_rows(min_row=1), start=1):
        cells: dict[int, RawCell] = {}
        for cell in row:
            value = getattr(cell, "value", None)
            if _is_blank(value):
                continue
            column = int(cell.column)
            data_type = getattr(cell, "data_type", "n")
            if data_type == "f":
                text = value if isinstance(value, str) else getattr(value, "text", None)
                cells[column] = RawCell(None, _font_name(cell), text if text else "=?")
            elif data_type == "e" or (isinstance(value, str) and value in EXCEL_ERRORS):
                cells[column] = RawCell(None, None, None, f"ô chứa lỗi Excel {value}")
            else:
                font = _font_name(cell) if isinstance(value, str) else None
                cells[column] = RawCell(value, font)
        if cells:
            sheet.cells[row_number] = cells
            empty_run = 0
            data_rows += 1
            if data_rows > MAX_DATA_ROWS:
                sheet.too_many_rows = True
                break
        else:
            empty_run += 1
            if empty_run >= EMPTY_RUN:
                sheet.stopped_early = True
                break
    sheet.last_row = row_number
    return sheet


_MERGE = re.compile(
    rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Za-z$]+[0-9$]+(?::[A-Za-z$]+[0-9$]+)?)\""
)
_MAX_SCANNED_XML = 256 * 1024 * 1024
_ROW_NUMBER = re.compile(rb"\br=\"(\d+)\"")


def _scan_xml(archive: zipfile.ZipFile, part: object, sheet: RawSheet) -> None:
    """Merged ranges and hidden rows, read from the sheet's XML (read-only mode hides them)."""
    if not isinstance(part, str):
        return
    try:
        if archive.getinfo(part.lstrip("/")).file_size > _MAX_SCANNED_XML:
            return  # far beyond any score sheet; reading stops early anyway
        xml = archive.read(part.lstrip("/"))
    except (KeyError, OSError, zipfile.BadZipFile):
        return  # openpyxl found the part another way; merges and hidden rows stay unknown
    tail_start = max(xml.rfind(b"</sheetData>"), xml.rfind(b":sheetData>"), 0)
    for match in _MERGE.finditer(xml, tail_start):
        try:
            c1, r1, c2, r2 = range_boundaries(match.group(1).decode("ascii").replace("$", ""))
        except (ValueError, TypeError):
            continue
        if None not in (c1, r1, c2, r2):
            sheet.merged.append((int(c1), int(r1), int(c2), int(r2)))  # type: ignore[arg-type]
    for marker in (b'hidden="1"', b'hidden="true"'):
        start = xml.find(marker)
        while start != -1 and start < tail_start:
            tag = xml.rfind(b"<", 0, start)
            head = xml[tag:start]
            if head.startswith((b"<row", b"<x:row")) or re.match(rb"<\w+:row\b", head):
                number = _ROW_NUMBER.search(head)
                if number and int(number.group(1)) <= sheet.last_row:
                    sheet.hidden_rows.add(int(number.group(1)))
            start = xml.find(marker, start + 1)


def _fill_formula_values(data: bytes, sheets: dict[str, RawSheet], titles: list[str]) -> None:
    """Put each formula's cached value in place, or compute it, or say why not."""
    cached: dict[str, dict[tuple[int, int], tuple[object, str]]] = {}
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # it opened once; if not twice, formulas just have no cached values
        wb = None
    if wb is not None:
        try:
            for title in titles:
                sheet = sheets[title]
                wanted = {
                    (r, c)
                    for r, row in sheet.cells.items()
                    for c, cell in row.items()
                    if cell.formula
                }
                last = max(r for r, _ in wanted)
                found: dict[tuple[int, int], tuple[object, str]] = {}
                ws: Any = wb[title]
                ws.reset_dimensions()
                for row in ws.iter_rows(min_row=1, max_row=last):
                    for cell in row:
                        value = getattr(cell, "value", None)
                        if value is None:
                            continue
                        key = (int(cell.row), int(cell.column))
                        if key in wanted:
                            found[key] = (value, getattr(cell, "data_type", "n"))
                cached[title] = found
        except Exception:  # a cached value that cannot be read counts as missing
            pass
        finally:
            wb.close()
    for title in titles:
        sheet = sheets[title]
        values = cached.get(title, {})
        for r, row in sheet.cells.items():
            for c, cell in list(row.items()):
                if not cell.formula:
                    continue
                value, data_type = values.get((r, c), (None, "n"))
                if data_type == "e" or (isinstance(value, str) and value in EXCEL_ERRORS):
                    row[c] = RawCell(
                        None,
                        cell.font,
                        cell.formula,
                        f"công thức {cell.formula} cho kết quả lỗi {value}",
                    )
                elif not _is_blank(value):
                    row[c] = RawCell(value, cell.font, cell.formula)
        for r, row in sheet.cells.items():
            for c, cell in list(row.items()):
                if cell.formula and cell.value is not None and cell.error is None:
                    row[c] = _checked_against_cache(sheet, r, c)
        for r, row in sheet.cells.items():
            for c, cell in list(row.items()):
                if cell.formula and cell.value is None and cell.error is None:
                    row[c] = _computed(sheet, r, c)


def _checked_against_cache(sheet: RawSheet, row: int, col: int) -> RawCell:
    """The cell, marked stale when its formula, recomputed from the cells it reads, disagrees with
    the cached value (formulas we cannot compute keep their cached value unchecked)."""
    cell = sheet.cells[row][col]
    assert cell.formula is not None
    try:
        cached = Decimal(str(cell.value))
        fresh = evaluate_formula(cell.formula, _lookup(sheet, {(row, col)}))
    except (FormulaError, ArithmeticError, ValueError):
        return cell
    # Excel stores binary floats: 0,1 + 0,2 is cached as 0.30000000000000004.
    if abs(fresh - cached) <= Decimal("1e-9") * max(Decimal(1), abs(fresh)):
        return cell
    return RawCell(
        None,
        cell.font,
        cell.formula,
        f"công thức {cell.formula} có giá trị lưu sẵn {_plain(cached)} nhưng tính lại từ các ô "
        f"nó dùng thì được {_plain(fresh)}: tệp đã bị sửa mà chưa được tính lại",
        stale=True,
    )


def _plain(number: Decimal) -> str:
    """A number as a person reads it: Vietnamese digits (``196,5``)."""
    from pipeline.vi import so

    return so(number)


def _computed(sheet: RawSheet, row: int, col: int) -> RawCell:
    cell = sheet.cells[row][col]
    assert cell.formula is not None
    try:
        value = evaluate_formula(cell.formula, _lookup(sheet, {(row, col)}))
    except FormulaError as exc:
        return RawCell(
            None,
            cell.font,
            cell.formula,
            f"công thức {cell.formula} không có giá trị lưu sẵn và không tính lại được ({exc})",
        )
    return RawCell(value, cell.font, cell.formula, computed=True)


def _lookup(sheet: RawSheet, visiting: set[tuple[int, int]]) -> Callable[[int, int], object]:
    """A reader of other cells' values for :func:`evaluate_formula`, following formulas."""

    def value_at(row: int, col: int) -> object:
        cell = sheet.cell(row, col)
        if cell is None:
            return None
        if cell.error is not None:
            raise FormulaError(f"ô {column_letter(col)}{row} có lỗi")
        if cell.formula is None or cell.value is not None:
            return cell.value
        if (row, col) in visiting:
            raise FormulaError("công thức vòng tròn")
        inner = evaluate_formula(cell.formula, _lookup(sheet, visiting | {(row, col)}))
        sheet.cells[row][col] = RawCell(inner, cell.font, cell.formula, computed=True)
        return inner

    return value_at


# --- formulas --------------------------------------------------------------------------------


class FormulaError(Exception):
    """A formula :func:`evaluate_formula` cannot compute (the message is Vietnamese)."""


_TOKEN = re.compile(
    r"""\s*(?:
      (?P<num>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)
    | (?P<range>\$?[A-Za-z]{1,3}\$?\d+\s*:\s*\$?[A-Za-z]{1,3}\$?\d+)
    | (?P<func>[A-Za-z_][A-Za-z0-9_.]*)\s*\(
    | (?P<ref>\$?[A-Za-z]{1,3}\$?\d+)
    | (?P<op>[-+*/(),])
    )""",
    re.VERBOSE,
)
_MAX_RANGE_CELLS = 1_000_000


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise FormulaError(f"không hỗ trợ “{text[pos : pos + 12].strip()}”")
        kind = match.lastgroup
        assert kind is not None
        out.append((kind, match.group(kind)))
        pos = match.end()
    return out


def _ref(text: str) -> tuple[int, int]:
    c1, r1, _, _ = range_boundaries(text.replace("$", ""))
    assert c1 is not None and r1 is not None
    return int(r1), int(c1)


def _number(value: object, where: str, in_sum: bool) -> Decimal | None:
    """A referenced cell's value as a number; ``None`` to skip it (text or blank in a SUM)."""
    if value is None:
        return None if in_sum else Decimal(0)
    if isinstance(value, (bool, str, datetime, date, time, timedelta)):
        if in_sum:
            return None
        raise FormulaError(f"ô {where} không chứa số")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise FormulaError(f"ô {where} không chứa số hữu hạn")
        return Decimal(repr(value))
    raise FormulaError(f"ô {where} không chứa số")


def evaluate_formula(formula: str, value_at: Callable[[int, int], object]) -> Decimal:
    """The value of a simple formula: numbers, same-sheet references, ``+ - * /``, ``SUM``.

    ``value_at(row, column)`` gives another cell's value. Blank cells count as 0 and ``SUM``
    skips text, as Excel does. Anything else (other functions, other sheets, text) raises
    :class:`FormulaError`.

    >>> cells = {(2, 3): 150, (3, 3): 48.5, (4, 3): None, (5, 3): "ghi chú"}
    >>> evaluate_formula("=SUM(C2:C5)", lambda r, c: cells.get((r, c)))
    Decimal('198.5')
    >>> evaluate_formula("=C2+C3-2*(1+1)", lambda r, c: cells.get((r, c)))
    Decimal('194.5')
    >>> evaluate_formula("=1/0", lambda r, c: None)
    Traceback (most recent call last):
    ...
    pipeline.workbook.xlsx.FormulaError: chia cho 0
    """
    text = formula.strip()
    if text.startswith("="):
        text = text[1:]
    tokens = _tokens(text)
    if not tokens:
        raise FormulaError("công thức rỗng")
    pos = 0

    def peek() -> tuple[str, str] | None:
        return tokens[pos] if pos < len(tokens) else None

    def take() -> tuple[str, str]:
        nonlocal pos
        if pos >= len(tokens):
            raise FormulaError("công thức chưa kết thúc")
        pos += 1
        return tokens[pos - 1]

    def expect(op: str) -> None:
        kind, value = take()
        if kind != "op" or value != op:
            raise FormulaError(f"thiếu “{op}”")

    def cell_value(ref: str, in_sum: bool) -> Decimal | None:
        row, col = _ref(ref)
        return _number(value_at(row, col), ref.replace("$", "").upper(), in_sum)

    def range_values(ref: str) -> Iterable[Decimal]:
        first, last = (part.strip() for part in ref.split(":"))
        r1, c1 = _ref(first)
        r2, c2 = _ref(last)
        r1, r2 = sorted((r1, r2))
        c1, c2 = sorted((c1, c2))
        if (r2 - r1 + 1) * (c2 - c1 + 1) > _MAX_RANGE_CELLS:
            raise FormulaError("vùng quá lớn")
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                number = _number(value_at(r, c), f"{column_letter(c)}{r}", in_sum=True)
                if number is not None:
                    yield number

    def factor() -> Decimal:
        kind, value = take()
        if kind == "op" and value in "+-":
            inner = factor()
            return -inner if value == "-" else inner
        if kind == "num":
            return Decimal(value)
        if kind == "ref":
            number = cell_value(value, in_sum=False)
            return Decimal(0) if number is None else number
        if kind == "op" and value == "(":
            result = expr()
            expect(")")
            return result
        if kind == "func":
            if value.upper() != "SUM":
                raise FormulaError(f"không hỗ trợ hàm {value.upper()}")
            total = Decimal(0)
            if peek() == ("op", ")"):
                take()
                return total
            while True:
                nxt = peek()
                if nxt is not None and nxt[0] == "range":
                    take()
                    total += sum(range_values(nxt[1]), Decimal(0))
                elif nxt is not None and nxt[0] == "ref":
                    take()
                    total += cell_value(nxt[1], in_sum=True) or Decimal(0)
                else:
                    total += expr()
                kind, value = take()
                if (kind, value) == ("op", ")"):
                    return total
                if (kind, value) != ("op", ","):
                    raise FormulaError("thiếu “)”")
        if kind == "range":
            raise FormulaError("vùng ô chỉ dùng được trong SUM")
        raise FormulaError(f"không hỗ trợ “{value}”")

    def term() -> Decimal:
        result = factor()
        while (nxt := peek()) is not None and nxt[0] == "op" and nxt[1] in "*/":
            take()
            right = factor()
            try:
                result = result * right if nxt[1] == "*" else result / right
            except (DivisionByZero, InvalidOperation, ZeroDivisionError):
                raise FormulaError("chia cho 0") from None
        return result

    def expr() -> Decimal:
        result = term()
        while (nxt := peek()) is not None and nxt[0] == "op" and nxt[1] in "+-":
            take()
            right = term()
            result = result + right if nxt[1] == "+" else result - right
        return result

    try:
        result = expr()
    except (InvalidOperation, OverflowError, ValueError, TypeError, RecursionError):
        raise FormulaError("không tính được") from None
    if pos != len(tokens):
        raise FormulaError(f"không hỗ trợ “{tokens[pos][1]}”")
    return result
