"""Read a workbook's raw cells: the xlsx boundary on the way in.

File I/O lives here, in :mod:`pipeline.workbook.xlsx_package` (the container) and in
:mod:`pipeline.workbook.xlsx_write`; openpyxl here and in the writer only. :func:`read_workbook`
opens the package without trusting it, then reads only the worksheets the format uses
(:func:`~pipeline.workbook.schema.declared_sheet`: ``HuongDan``, ``DanhMuc`` and a user's own
sheets are never inflated or parsed), each into a :class:`RawSheet`: every non-empty cell with
its value, the name of its font (the reader decodes legacy TCVN3/VNI fonts), its formula and
the formula's value: the value Excel cached or, for a file saved without one, the value
computed by :func:`~pipeline.workbook.formula.evaluate_formula`.

It parses the sheet XML itself (ECMA-376 Part 1, §18.3 ``sheetData``, §18.4 shared strings): a part
of a few megabytes is parsed whole, in C, a larger one streamed, with the same result
(:func:`~pipeline.workbook.xlsx_xml.elements`). The stylesheet (fonts, date formats) and Excel
serial dates are read by :mod:`pipeline.workbook.xlsx_styles`, as openpyxl reads them; openpyxl
itself is imported only to translate a shared formula (a sheet that has none never imports it). So
a cell's value is read exactly as Excel stores it: ``_xHHHH_`` escapes are decoded as Excel does
(§22.9.2.19: ``_x000D_`` is a carriage return, ``_x005F_`` an underscore), and a value that is not
a number (``NaN``, ``Infinity``, ``sNaN``) or a date serial outside Excel's calendar becomes an
error of that cell, never of the sheet. Reading stops after
:data:`~pipeline.workbook.schema.EMPTY_RUN` empty rows or
:data:`~pipeline.workbook.schema.MAX_DATA_ROWS` data rows; the rest of the XML is only scanned for
merged ranges and for a row further down that still holds a value (so trailing rows that are merely
formatted, as LibreOffice saves them, are not reported as data). Nothing a user can put in a file
raises: an unreadable file or sheet becomes a :class:`~pipeline.errors.Problem`. Interpreting the
values is the job of :mod:`pipeline.workbook.reader` and :mod:`pipeline.workbook.assemble`.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from pipeline.errors import Location, Problem
from pipeline.workbook.formula import FormulaError, evaluate_formula
from pipeline.workbook.schema import EMPTY_RUN, MAX_DATA_ROWS, column_letter, declared_sheet
from pipeline.workbook.xlsx_package import (
    MAX_FILE_BYTES,
    Package,
    PartError,
    open_package,
)
from pipeline.workbook.xlsx_styles import (
    MAC_EPOCH,
    WINDOWS_EPOCH,
    from_excel,
    from_iso8601,
    read_styles,
)
from pipeline.workbook.xlsx_xml import LOCAL_NAMES, decode_escapes, elements, local, string_text

__all__ = [
    "EXCEL_ERRORS",
    "MAX_FILE_BYTES",
    "RawCell",
    "RawSheet",
    "RawWorkbook",
    "decode_escapes",
    "read_workbook",
]

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
#: Excel has 16.384 columns; a score sheet uses a dozen. Cells further right are not read.
_MAX_COLUMN = 256
#: How many cells computing formulas saved without a value may read, over the whole workbook
#: (a formula of the format sums a few dozen cells; this bounds a hostile file's thousands of
#: formulas over whole columns).
_EVALUATION_BUDGET = 2_000_000
_PARSE_ERRORS = (ET.ParseError, ValueError, TypeError, KeyError, IndexError, OverflowError)


class RawCell(NamedTuple):
    """One non-empty cell as stored (immutable; a named tuple, which is made much faster than a
    frozen dataclass, and a workbook has thousands).

    ``value`` is str, int, float, bool, datetime, time or timedelta (as Excel stores it) or, for
    a formula, its cached or computed value (a computed one is a ``Decimal``). ``formula`` is
    the formula text (``"=SUM(C2:C9)"``) or ``None``. ``error`` says, in Vietnamese, why the cell
    has no usable value: an Excel error (``#DIV/0!``), a value that is not a number or a date
    Excel can hold, a formula that has no cached value and cannot be computed, or whose cached
    value is stale (``stale``: the file was changed by a tool that does not recalculate, so the
    value Excel saved no longer follows from the cells the formula reads). ``font`` is the
    cell's font name.
    """

    value: object
    font: str | None = None
    formula: str | None = None
    error: str | None = None
    computed: bool = False
    stale: bool = False  # the cached value differs from the formula recomputed now


@dataclass(slots=True)
class RawSheet:
    """The cells of one worksheet as read, with its merged ranges and hidden rows.

    ``last_row`` is the last row read; ``stopped_early`` says that reading stopped after
    :data:`~pipeline.workbook.schema.EMPTY_RUN` empty rows, and ``later_row`` is then the last
    row further down that still holds a value (0: none; rows that are only formatted hold none).
    """

    title: str
    cells: dict[int, dict[int, RawCell]] = field(default_factory=dict)  # row → column → cell
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # c1, r1, c2, r2
    hidden_rows: set[int] = field(default_factory=set)
    too_many_rows: bool = False
    last_row: int = 0
    stopped_early: bool = False
    later_row: int = 0

    def cell(self, row: int, col: int) -> RawCell | None:
        return self.cells.get(row, {}).get(col)

    def rows(self) -> list[int]:
        return sorted(self.cells)


@dataclass(slots=True)
class RawWorkbook:
    """Every worksheet the format uses, by its title, in workbook order."""

    sheets: dict[str, RawSheet]


def read_workbook(path: Path, label: str) -> tuple[RawWorkbook | None, list[Problem]]:
    """The worksheets of the file at ``path`` that the format uses; ``label`` names the file.

    Returns ``None`` and the reason when the file cannot be read as a workbook; otherwise the
    sheets and the problems of the file (its name) and of sheets that could not be read.
    """
    package, problems = open_package(path, label)
    if package is None:
        return None, problems
    try:
        book = _Book.of(package)
    except PartError as exc:
        package.close()
        return None, [*problems, Problem("error", exc.code, exc.message, exc.hint, Location(label))]
    except (*_PARSE_ERRORS, AttributeError):
        package.close()
        return None, [
            *problems,
            Problem(
                "error",
                "file-corrupt",
                "Workbook bị hỏng hoặc có cấu trúc lạ (phần chuỗi chữ hoặc định dạng ô), không "
                "đọc được",
                "Mở tệp bằng Excel rồi lưu lại dạng .xlsx; nếu Excel báo lỗi, dùng bản sao lưu.",
                Location(file=label),
            ),
        ]
    sheets: dict[str, RawSheet] = {}
    budget = [_EVALUATION_BUDGET]
    try:
        for entry in package.sheets:
            if declared_sheet(entry.title) is None:
                continue  # not a sheet of the format: never inflated, never parsed
            try:
                if entry.part is None:
                    raise PartError(
                        "Sheet này không phải bảng tính (có thể là sheet biểu đồ) nên không đọc "
                        "được",
                        "Đặt dữ liệu vào một sheet bảng tính thường, cùng tên.",
                    )
                sheet, formulas = book.sheet(entry.title, package.read(entry.part))
            except PartError as exc:
                problems.append(_sheet_problem(label, entry.title, exc.message, exc.hint))
                continue
            except _PARSE_ERRORS:  # a broken sheet part must not hide the other sheets
                problems.append(
                    _sheet_problem(
                        label,
                        entry.title,
                        "Sheet bị hỏng, không đọc được",
                        "Mở tệp bằng Excel, sao chép dữ liệu sang sheet mới cùng tên rồi lưu lại.",
                    )
                )
                continue
            if formulas:
                _fill_formula_values(sheet, budget)
            sheets[entry.title] = sheet
    finally:
        package.close()
    return RawWorkbook(sheets), problems


def _sheet_problem(label: str, sheet: str, message: str, hint: str) -> Problem:
    return Problem("error", "sheet-unreadable", message, hint, Location(file=label, sheet=sheet))


# --- the workbook's shared parts ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Book:
    """What every sheet of one workbook is read with: its shared strings, the font name and
    date kind of each cell style (by the cell's ``s``), and its calendar."""

    strings: list[str]
    fonts: tuple[str | None, ...]
    dates: dict[int, bool]  # style → is a duration (timedelta); absent: not a date style
    epoch: datetime

    @classmethod
    def of(cls, package: Package) -> _Book:
        strings: list[str] = []
        if package.shared_strings:
            xml = package.read(package.shared_strings)
            strings = [string_text(node) for node in elements(xml, "si")]
        fonts: tuple[str | None, ...] = ()
        dates: dict[int, bool] = {}
        if package.styles:
            styles = read_styles(package.read(package.styles))
            fonts, dates = styles.fonts, styles.dates or {}
        return cls(strings, fonts, dates, MAC_EPOCH if package.date1904 else WINDOWS_EPOCH)

    def sheet(self, title: str, xml: bytes) -> tuple[RawSheet, bool]:
        """The sheet read from its ``xml``, and whether it has a formula."""
        reader = _SheetReader(self, RawSheet(title))
        return reader.read(xml), reader.formulas


# --- one sheet ---------------------------------------------------------------------------------

_COORD = re.compile(r"([A-Za-z]{1,3})(\d+)")
_MERGE = re.compile(
    rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Za-z$]+[0-9$]+(?::[A-Za-z$]+[0-9$]+)?)\""
)
#: A merged range's reference once its ``$`` are removed (what openpyxl's ``range_boundaries``
#: reads of the references :data:`_MERGE` finds).
_AREA = re.compile(r"([A-Za-z]{1,3})(\d+)(?::([A-Za-z]{1,3})(\d+))?")
#: A row's start (its number in group 1), or a value, inline text or formula with content.
_ROW_OR_VALUE = re.compile(
    rb"<(?:\w+:)?row\b[^>]*?\br=\"(\d+)\"|<(?:\w+:)?(?:v|t|f)(?:\s[^>]*)?>\s*[^<\s]"
)
_SHEET_DATA_END = re.compile(rb"</(?:\w+:)?sheetData>")
#: The letters of the columns read (index → letters; 0: none).
_LETTERS = tuple(column_letter(i) for i in range(_MAX_COLUMN + 1))
#: A cell reference (``r``) → its column (``0``: not a reference), remembered within a bound.
_COLUMN_OF: dict[str, int] = {}


def _column_index(letters: str) -> int:
    index = 0
    for char in letters.upper():
        index = index * 26 + ord(char) - 64
    return index


def _column_of(coord: str) -> int:
    column = _COLUMN_OF.get(coord)
    if column is None:
        match = _COORD.fullmatch(coord)
        column = _column_index(match.group(1)) if match else 0
        if len(_COLUMN_OF) < 65536:
            _COLUMN_OF[coord] = column
    return column


class _SheetReader:
    """Reads one sheet's XML into its :class:`RawSheet` (used once, by :meth:`_Book.sheet`)."""

    def __init__(self, book: _Book, sheet: RawSheet) -> None:
        self.book = book
        self.sheet = sheet
        self.shared: dict[str, tuple[str, str]] = {}  # shared formula id → (formula, its cell)
        self.formulas = False  # whether a cell has a formula
        self.styles: dict[str | None, int] = {None: 0}  # a cell's ``s`` → its style

    def read(self, xml: bytes) -> RawSheet:
        sheet = self.sheet
        previous = 0  # the last row number met
        empty_run = 0
        data_rows = 0
        for node in elements(xml, "row"):
            number = _int(node.get("r")) or previous + 1
            gap = max(0, number - previous - 1)  # rows the file leaves out are empty
            if empty_run + gap >= EMPTY_RUN:
                sheet.stopped_early = True
                sheet.last_row = previous + EMPTY_RUN - empty_run
                break
            empty_run += gap
            previous = number
            hidden = (node.get("hidden") or "").strip().lower() in ("1", "true")
            cells = self._row(node, number)
            sheet.last_row = number
            if not cells:
                empty_run += 1
                if empty_run >= EMPTY_RUN:
                    sheet.stopped_early = True
                    break
                continue
            sheet.cells[number] = cells
            if hidden:
                sheet.hidden_rows.add(number)
            empty_run = 0
            data_rows += 1
            if data_rows > MAX_DATA_ROWS:
                sheet.too_many_rows = True
                break
        self._scan(xml)
        return sheet

    def _row(self, node: ET.Element, number: int) -> dict[int, RawCell]:
        cells: dict[int, RawCell] = {}
        column = 0
        row = str(number)
        local_names = LOCAL_NAMES
        for cell in node:
            tag = cell.tag
            if (local_names.get(tag) or local(tag)) != "c":
                continue
            coord = cell.get("r")
            found = _column_of(coord) if coord else 0
            column = found or column + 1
            if column > _MAX_COLUMN:
                continue
            raw = self._cell(cell, column, row)
            if raw is not None:
                cells[column] = raw
        return cells

    def _cell(self, node: ET.Element, column: int, row: str) -> RawCell | None:
        kind = node.get("t") or "n"
        s = node.get("s")
        style = self.styles.get(s)
        if style is None:
            style = self.styles[s] = _int(s) or 0
        formula: str | None = None
        value_text: str | None = None
        inline: ET.Element | None = None
        local_names = LOCAL_NAMES
        for child in node:
            tag = child.tag
            name = local_names.get(tag) or local(tag)
            if name == "v":
                value_text = child.text
            elif name == "f":
                formula = self._formula(child, _LETTERS[column] + row)
            elif name == "is":
                inline = child
        fonts = self.book.fonts
        font = fonts[style] if 0 <= style < len(fonts) else None
        value: object
        unusable: str | None = None
        if kind == "inlineStr":
            value = None if inline is None else string_text(inline)
        elif value_text is None:  # no value (an error cell without one too): blank
            value = None
        elif kind == "s":  # the most common cells: shared strings and numbers
            index = _int(value_text)
            strings = self.book.strings
            if index is not None and 0 <= index < len(strings):
                value = strings[index]
            else:
                shown = value_text.strip()[:20]
                value, unusable = None, f"một chuỗi chữ (số {shown}) không có trong tệp"
        elif kind == "n" and style not in self.book.dates:
            value = _number(value_text)
            if value is None:
                unusable = f"“{value_text.strip()[:20]}”, không phải là số hữu hạn"
        elif kind == "e":
            shown = value_text.strip()
            if formula is not None:
                return RawCell(None, font, formula, f"công thức {formula} cho kết quả lỗi {shown}")
            return RawCell(None, None, None, f"ô chứa lỗi Excel {shown}")
        else:
            value, unusable = self._value(kind, style, value_text)
        if isinstance(value, str):
            stripped = value.strip()
            if stripped in EXCEL_ERRORS:
                if formula is not None:
                    error = f"công thức {formula} cho kết quả lỗi {stripped}"
                    return RawCell(None, font, formula, error)
                return RawCell(None, None, None, f"ô chứa lỗi Excel {stripped}")
            blank = not stripped
        else:
            blank = value is None
        if formula is not None:
            if unusable is not None:
                error = f"công thức {formula} có giá trị lưu sẵn là {unusable}"
                return RawCell(None, font, formula, error)
            return RawCell(None if blank else value, font, formula)
        if unusable is not None:
            return RawCell(None, None, None, f"ô chứa {unusable}")
        if blank:
            return None
        return RawCell(value, font if isinstance(value, str) else None)

    def _formula(self, node: ET.Element, coord: str) -> str:
        """The formula text of a cell, a shared formula translated from its first cell (by
        openpyxl's ``Translator``, imported only for a sheet that has one)."""
        self.formulas = True
        text = node.text or ""
        shared = node.get("t") == "shared"
        key = node.get("si") or ""
        if shared and text:
            self.shared[key] = (text, coord)
        elif shared and key in self.shared:
            from openpyxl.formula.translate import Translator

            master, origin = self.shared[key]
            try:
                return str(Translator(f"={master}", origin=origin).translate_formula(coord))
            except Exception:  # openpyxl's tokenizer on a formula it cannot read
                return "=?"
        return f"={decode_escapes(text)}"

    def _value(self, kind: str, style: int, text: str) -> tuple[object, str | None]:
        """A cell's stored value (not an inline, shared or error one) or, when it cannot be
        used, what it holds (a Vietnamese phrase that follows "ô chứa")."""
        shown = text.strip()[:20]
        if kind == "str":
            return decode_escapes(text), None
        if kind == "b":
            if shown.lower() in ("1", "true", "0", "false"):
                return shown.lower() in ("1", "true"), None
            return None, f"“{shown}”, không phải giá trị đúng/sai"
        if kind == "d":
            try:
                return from_iso8601(text.strip()), None
            except (ValueError, TypeError, OverflowError):
                return None, f"“{shown}”, không phải ngày giờ"
        number = _number(text)
        if number is None:
            return None, f"“{shown}”, không phải là số hữu hạn"
        if style in self.book.dates:
            return self._date(number, style, shown)
        return number, None

    def _date(self, number: int | float, style: int, shown: str) -> tuple[object, str | None]:
        if number < 0:  # Excel shows ##### for it: no date or time of the 1900 calendar
            return None, f"số âm {shown} trong ô định dạng ngày giờ"
        try:
            return from_excel(number, self.book.epoch, timedelta=self.book.dates[style]), None
        except (OverflowError, ValueError):
            return None, (
                f"ngày có số thứ tự {shown}, nằm ngoài lịch của Excel (01/01/1900 đến 31/12/9999)"
            )

    def _scan(self, xml: bytes) -> None:
        """Merged ranges (listed after the cells) and, when reading stopped early, the last row
        further down that holds a value (a row only formatted holds none)."""
        tail = _sheet_data_end(xml)
        for match in _MERGE.finditer(xml, tail):
            area = _AREA.fullmatch(match.group(1).decode("ascii").replace("$", ""))
            if area is None:
                continue
            c1, r1, c2, r2 = area.groups()
            first, top = _column_index(c1), int(r1)
            last, bottom = (first, top) if c2 is None else (_column_index(c2), int(r2))
            self.sheet.merged.append((first, top, last, bottom))
        if not self.sheet.stopped_early:
            return
        row = later = 0
        for match in _ROW_OR_VALUE.finditer(xml, 0, tail):
            if match.group(1) is not None:
                row = int(match.group(1))
            elif row > self.sheet.last_row:
                later = row
        self.sheet.later_row = later


def _sheet_data_end(xml: bytes) -> int:
    """Where the first ``</sheetData>`` (any prefix) starts, or the part's length: what
    :data:`_SHEET_DATA_END` finds, found by looking only where ``sheetData>`` is (a regular
    expression trying every ``<`` of the part is slow)."""
    at = xml.find(b"sheetData>")
    while at >= 0:
        start = xml.rfind(b"<", 0, at)
        if start >= 0 and _SHEET_DATA_END.fullmatch(xml, start, at + len(b"sheetData>")):
            return start
        at = xml.find(b"sheetData>", at + 1)
    return len(xml)


def _int(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return int(text.strip())
    except ValueError:
        return None


def _number(text: str) -> int | float | None:
    """A stored number as openpyxl reads it (an int without ``.`` or an exponent, else a
    float); ``None`` for anything else, ``NaN`` and the infinities included."""
    body = text.strip()
    try:
        number: int | float = int(body) if body.lstrip("+-").isdigit() else float(body)
    except ValueError:
        return None
    if isinstance(number, float) and not math.isfinite(number):
        return None
    return number


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- formulas ----------------------------------------------------------------------------------


def _fill_formula_values(sheet: RawSheet, budget: list[int]) -> None:
    """Check each formula's cached value against its cells, or compute a missing one."""
    for r, row in sheet.cells.items():
        for c, cell in list(row.items()):
            if cell.formula and cell.value is not None and cell.error is None:
                row[c] = _checked_against_cache(sheet, r, c, budget)
    for r, row in sheet.cells.items():
        for c, cell in list(row.items()):
            if cell.formula and cell.value is None and cell.error is None:
                row[c] = _computed(sheet, r, c, budget)


def _checked_against_cache(sheet: RawSheet, row: int, col: int, budget: list[int]) -> RawCell:
    """The cell, marked stale when its formula, recomputed from the cells it reads, disagrees with
    the cached value (formulas we cannot compute keep their cached value unchecked)."""
    cell = sheet.cells[row][col]
    assert cell.formula is not None
    try:
        cached = Decimal(str(cell.value))
        fresh = evaluate_formula(cell.formula, _lookup(sheet, {(row, col)}, budget))
        # Excel stores binary floats: 0,1 + 0,2 is cached as 0.30000000000000004.
        if abs(fresh - cached) <= Decimal("1e-9") * max(Decimal(1), abs(fresh)):
            return cell
    except (FormulaError, ArithmeticError, ValueError):
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


def _computed(sheet: RawSheet, row: int, col: int, budget: list[int]) -> RawCell:
    cell = sheet.cells[row][col]
    assert cell.formula is not None
    try:
        value = evaluate_formula(cell.formula, _lookup(sheet, {(row, col)}, budget))
    except FormulaError as exc:
        return RawCell(
            None,
            cell.font,
            cell.formula,
            f"công thức {cell.formula} không có giá trị lưu sẵn và không tính lại được ({exc})",
        )
    return RawCell(value, cell.font, cell.formula, computed=True)


def _lookup(
    sheet: RawSheet, visiting: set[tuple[int, int]], budget: list[int]
) -> Callable[[int, int], object]:
    """A reader of other cells' values for :func:`evaluate_formula`, following formulas, within
    the workbook's budget of cells read."""

    def value_at(row: int, col: int) -> object:
        budget[0] -= 1
        if budget[0] < 0:
            raise FormulaError("tệp có quá nhiều công thức phải tính lại")
        cell = sheet.cell(row, col)
        if cell is None:
            return None
        if cell.error is not None:
            raise FormulaError(f"ô {column_letter(col)}{row} có lỗi")
        if cell.formula is None or cell.value is not None:
            return cell.value
        if (row, col) in visiting:
            raise FormulaError("công thức vòng tròn")
        inner = evaluate_formula(cell.formula, _lookup(sheet, visiting | {(row, col)}, budget))
        sheet.cells[row][col] = RawCell(inner, cell.font, cell.formula, computed=True)
        return inner

    return value_at
