"""Read a workbook's raw cells: the openpyxl boundary on the way in.

File I/O and openpyxl live here and in :mod:`pipeline.workbook.xlsx_write`, nowhere else.
:func:`read_workbook` reads every worksheet into a :class:`RawSheet`: each non-empty cell with
its value, the name of its font (the reader decodes legacy TCVN3/VNI fonts), its formula and the
formula's value: Excel's cached value or, for a file saved without one, the value computed by
:func:`~pipeline.workbook.formula.evaluate_formula`. It streams the file in openpyxl's read-only
mode, stops after :data:`~pipeline.workbook.schema.EMPTY_RUN` empty rows or
:data:`~pipeline.workbook.schema.MAX_DATA_ROWS` data rows, and reads merged ranges and hidden
rows from the sheet XML (read-only mode does not expose them). Nothing a user can put in a file
raises: an unreadable file becomes a :class:`~pipeline.errors.Problem`. Interpreting the values
is the job of :mod:`pipeline.workbook.reader` and :mod:`pipeline.workbook.assemble`.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from pipeline.errors import Location, Problem
from pipeline.workbook.formula import FormulaError, evaluate_formula
from pipeline.workbook.schema import EMPTY_RUN, MAX_DATA_ROWS, column_letter

__all__ = [
    "EXCEL_ERRORS",
    "MAX_FILE_BYTES",
    "RawCell",
    "RawSheet",
    "RawWorkbook",
    "read_workbook",
]

#: A score workbook is a few hundred kilobytes; a file this large is not one.
MAX_FILE_BYTES = 64 * 1024 * 1024

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
        with warnings.catch_warnings():  # as for the first opening (a print area of whole
            warnings.simplefilter("ignore")  # columns, which openpyxl cannot parse, and the like)
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
