"""The generic reader: raw sheets → located records, driven by the schema.

Pure: no I/O. For every sheet :mod:`pipeline.workbook.schema` declares, :func:`read_sheets` finds
the worksheet by any accepted name, finds the header row (table sheets) or the ``Mục`` and
``Giá trị`` columns (key–value sheets), matches headers and setting names to the declared
columns, reads merged areas as if their top-left value filled every cell (without changing the
:class:`~pipeline.workbook.xlsx_read.RawSheet`) and keeps hidden rows. The result of each sheet is
a :class:`LocatedSheet`: its records, each field with its column, its cell address and its raw
cell, and the problems locating them found, in the order found.

It knows sheets, columns and cells, nothing about units, criteria or any other part of the
dossier: converting the values is :mod:`pipeline.workbook.convert`'s job and building the model
:mod:`pipeline.workbook.assemble`'s.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from difflib import get_close_matches
from typing import TYPE_CHECKING, NamedTuple

from pipeline.domain.model import Source
from pipeline.errors import Problem
from pipeline.vi import match_key, normalize
from pipeline.workbook.problems import ProblemSink
from pipeline.workbook.schema import (
    EMPTY_RUN,
    KV_KEY,
    KV_VALUE,
    MAX_DATA_ROWS,
    SHEETS,
    Column,
    Sheet,
    column_letter,
    sheet_key,
    sheet_names_accepted,
)
from pipeline.workbook.values import plain_text

if TYPE_CHECKING:  # the types only: reading stays free of openpyxl
    from pipeline.workbook.xlsx_read import RawCell, RawSheet, RawWorkbook

__all__ = ["HEADER_SEARCH_ROWS", "Field", "LocatedSheet", "Record", "locate", "read_sheets"]

#: Header rows are looked for in the first rows of a sheet (a title row above is tolerated).
HEADER_SEARCH_ROWS = 10

Cells = Mapping[int, Mapping[int, "RawCell"]]  # row → column → cell


class Field(NamedTuple):
    """One value of a record: its column, the cell it is read from, and that cell as stored
    (immutable; a named tuple, made much faster than a frozen dataclass).

    ``coord`` is ``""`` when there is no such cell (an optional column absent from the sheet, a
    setting absent from a key–value sheet); ``raw`` is ``None`` for a blank cell.
    """

    column: Column
    coord: str
    raw: RawCell | None


@dataclass(frozen=True, slots=True)
class Record:
    """One row of a table sheet, or all the settings of a key–value sheet.

    ``sheet`` is the sheet's title in the file; ``row`` is ``None`` for a key–value sheet;
    ``order`` counts records from 1 in sheet order. ``fields`` has an entry for every column of
    the sheet that has a :attr:`~pipeline.workbook.schema.Column.field`.
    """

    file: str
    sheet: str
    row: int | None
    order: int
    fields: Mapping[str, Field]

    def source(self, rename: Mapping[str, str] | None = None) -> Source:
        """Where the record is, with the cell of every field (``rename`` maps field names to
        the names the model uses)."""
        names = rename or {}
        cells = {names.get(name, name): f.coord for name, f in self.fields.items() if f.coord}
        return Source(self.file, self.sheet, self.row, cells)


@dataclass(frozen=True, slots=True)
class LocatedSheet:
    """What locating one declared sheet found.

    ``title`` is the sheet's title in the file (``None`` when the file has no such sheet).
    ``records`` is ``None`` when the sheet is missing or cannot be read; a key–value sheet has
    one record. ``problems`` are those locating found, in the order found.
    """

    spec: Sheet
    title: str | None
    records: tuple[Record, ...] | None
    problems: tuple[Problem, ...]

    @property
    def unreadable(self) -> bool:
        """Whether the sheet's data is unknown, each case reported as an error: the sheet is in
        the file but cannot be used (a required column missing, too many rows, two different
        copies), or it is required and missing or without the row it needs
        (:attr:`~pipeline.workbook.schema.Sheet.needs_rows`). (An optional sheet that is
        missing just has no rows.)"""
        if self.records is None:
            return self.spec.required or self.title is not None
        return self.spec.needs_rows and not self.records


def read_sheets(raw: RawWorkbook, file: str) -> dict[str, LocatedSheet]:
    """Every sheet the schema declares, located in ``raw``: sheet name → :class:`LocatedSheet`,
    in schema order. ``file`` names the file in problems and sources."""
    return {spec.name: locate(raw.sheets, spec, file) for spec in SHEETS}


def locate(sheets: Mapping[str, RawSheet], spec: Sheet, file: str) -> LocatedSheet:
    """The records of the sheet ``spec`` among ``sheets`` (title → sheet, in workbook order)."""
    found = ProblemSink(file)
    title, sheet = _find_sheet(sheets, spec, found)
    if sheet is None:  # missing, or too many rows to be a score sheet
        return LocatedSheet(spec, title, None, found.problems)
    records: tuple[Record, ...] | None
    if spec.kind == "keyvalue":
        record = _keyvalue_record(sheet, spec, file, found)
        records = None if record is None else (record,)
    else:
        records = _table_records(sheet, spec, file, found)
        if records == () and spec.needs_rows:
            found.report(
                "sheet-empty",
                title,
                None,
                f"Sheet {title} ({spec.title}) chưa có dòng dữ liệu nào",
                f"Sheet này bắt buộc: {spec.purpose[:1].lower()}{spec.purpose[1:]} Nhập dữ liệu "
                "từ dòng 2, dưới dòng tiêu đề (xem workbook mẫu).",
            )
    return LocatedSheet(spec, title, records, found.problems)


def _find_sheet(
    sheets: Mapping[str, RawSheet], spec: Sheet, found: ProblemSink
) -> tuple[str | None, RawSheet | None]:
    """The sheet's title in the file (``None``: missing) and the sheet, if it can be read."""
    wanted = {sheet_key(n) for n in sheet_names_accepted(spec)}
    matches = [title for title in sheets if sheet_key(title) in wanted]
    if not matches:
        if spec.required:
            found.report(
                "sheet-missing",
                spec.name,
                None,
                f"Thiếu sheet {spec.name} ({spec.title})",
                "Thêm lại sheet này: sao chép từ workbook trống inputs/_mau-trong.xlsx (tạo "
                "bằng lệnh thidua init), giữ nguyên tên sheet và tiêu đề cột.",
            )
        else:
            found.report(
                "sheet-missing",
                spec.name,
                None,
                f"Không có sheet {spec.name} ({spec.title}): coi như không có dòng nào",
                "Nếu có nội dung này, thêm sheet từ workbook trống inputs/_mau-trong.xlsx.",
                "warning",
            )
        return None, None
    chosen = spec.name if spec.name in matches else matches[0]
    for other in matches:
        if other == chosen:
            continue
        if _same_content(sheets[other], sheets[chosen]):
            found.report(
                "sheet-duplicate",
                other,
                None,
                f"Sheet “{other}” là bản sao của sheet “{chosen}” (cùng là sheet {spec.name}, "
                "cùng nội dung) nên không được đọc",
                "Xóa một trong hai sheet.",
                "warning",
            )
        else:  # which one is current is the user's to say: read neither
            found.report(
                "sheet-conflict",
                other,
                None,
                f"Hai sheet “{chosen}” và “{other}” cùng là sheet {spec.name} ({spec.title}) "
                "nhưng nội dung khác nhau: không rõ sheet nào đúng nên không sheet nào được đọc",
                f"Giữ lại sheet có số liệu đúng, xóa sheet kia (hoặc đổi tên nó thành tên không "
                f"phải {spec.name}, ví dụ “Nháp {spec.title}”).",
            )
            return chosen, None
    sheet = sheets[chosen]
    if sheet.stopped_early and sheet.later_row > sheet.last_row:
        found.report(
            "rows-ignored",
            chosen,
            f"A{sheet.last_row + 1}",
            f"Sau {EMPTY_RUN} dòng trống liên tiếp, các dòng từ {sheet.last_row + 1} đến "
            f"{sheet.later_row} không được đọc",
            "Nếu còn dữ liệu ở dưới, dời lên liền với bảng; nếu không, xóa các dòng thừa "
            "(chọn các dòng, Delete Row) để bỏ cảnh báo này.",
            "warning",
        )
    if sheet.too_many_rows:
        found.report(
            "too-many-rows",
            chosen,
            None,
            f"Sheet có hơn {MAX_DATA_ROWS:,} dòng dữ liệu".replace(",", "."),
            "Xóa các dòng thừa (thường do dán nhầm cả cột hoặc kéo công thức quá xa) rồi lưu lại.",
        )
        return chosen, None
    return chosen, sheet


def _same_content(one: RawSheet, other: RawSheet) -> bool:
    """Whether two sheets hold the same cells (values, formulas, fonts) and merged areas."""
    return one.cells == other.cells and sorted(one.merged) == sorted(other.merged)


@functools.lru_cache(maxsize=8192)
def _header_key(text: str) -> str:
    """How headers are compared: :func:`~pipeline.vi.match_key`, without a trailing ``*`` or
    ``:``. (Remembered: the same few hundred headers and setting names come in every sheet of
    every workbook, and each is compared with every declared one.)"""
    return match_key(normalize(text).rstrip("*: ").strip())


def _columns_by_header(spec: Sheet) -> dict[str, Column]:
    """Every accepted header (or setting name) of the sheet's columns, as :func:`_header_key`
    (computed once for each sheet declaration, which lives as long as the module)."""
    known = _BY_HEADER.get(id(spec))
    if known is not None and known[0] is spec:
        return known[1]
    by_key: dict[str, Column] = {}
    for col in spec.columns:
        for text in col.accepted_headers():
            by_key[_header_key(text)] = col
    _BY_HEADER[id(spec)] = (spec, by_key)
    return by_key


_BY_HEADER: dict[int, tuple[Sheet, dict[str, Column]]] = {}


def _header_row(sheet: RawSheet, headers: Mapping[str, Column]) -> int | None:
    """The row among the first :data:`HEADER_SEARCH_ROWS` with the most known headers."""
    best, best_count = None, 0
    for row in range(1, HEADER_SEARCH_ROWS + 1):
        cells = sheet.cells.get(row, {})
        count = sum(
            1
            for cell in cells.values()
            if isinstance(cell.value, str) and _header_key(cell.value) in headers
        )
        if count > best_count:
            best, best_count = row, count
    return best


def _with_merges(sheet: RawSheet, name: str, header_row: int, found: ProblemSink) -> Cells:
    """The sheet's cells with every merged area below the header filled with its top-left cell.

    ``sheet`` is left as it is: rows that a merge fills are copies. A merge in the header row
    is an error (each column needs its own header); one in the data is a warning.
    """
    if not sheet.merged:
        return sheet.cells
    cells: dict[int, dict[int, RawCell]] = dict(sheet.cells)
    copied: set[int] = set()
    last_col = max((max(row) for row in sheet.cells.values() if row), default=0)
    for c1, r1, c2, r2 in sheet.merged:
        area = f"{column_letter(c1)}{r1}:{column_letter(c2)}{r2}"
        if r1 <= header_row <= r2:
            found.report(
                "header-merged",
                name,
                area,
                f"Dòng tiêu đề có ô gộp {area}: mỗi cột phải có tiêu đề riêng",
                "Bỏ gộp ô (Home › Merge & Center › Unmerge Cells) và ghi lại đúng tiêu đề "
                "từng cột như workbook trống.",
            )
            continue
        if r1 < header_row:
            continue
        top = cells.get(r1, {}).get(c1)
        if top is None:
            continue
        for r in range(r1, min(r2, sheet.last_row) + 1):
            for c in range(c1, min(c2, last_col) + 1):
                if (r, c) != (r1, c1):
                    if r not in copied:
                        cells[r] = dict(cells.get(r, {}))
                        copied.add(r)
                    cells[r][c] = top
        found.report(
            "merged-cells",
            name,
            area,
            f"Vùng {area} là ô gộp: giá trị của ô {column_letter(c1)}{r1} được dùng cho cả vùng",
            "Nên bỏ gộp ô và ghi giá trị vào từng ô.",
            "warning",
        )
    return cells


def _table_records(
    sheet: RawSheet, spec: Sheet, file: str, found: ProblemSink
) -> tuple[Record, ...] | None:
    """The data rows of a table sheet, or ``None`` if its header or a required column is
    missing."""
    name = sheet.title
    by_key = _columns_by_header(spec)
    header = _header_row(sheet, by_key)
    if header is None:
        expected = ", ".join(f"“{c.header}”" for c in spec.columns)
        found.report(
            "header-missing",
            name,
            "A1",
            "Không tìm thấy dòng tiêu đề cột",
            f"Dòng 1 phải có các tiêu đề: {expected}. Sao chép dòng tiêu đề từ workbook "
            "trống inputs/_mau-trong.xlsx.",
        )
        return None
    cells = _with_merges(sheet, name, header, found)
    positions = _header_columns(cells.get(header, {}), header, spec, by_key, name, found)
    if positions is None:
        return None  # rows cannot be read without their required columns
    records: list[Record] = []
    hidden: list[int] = []
    # The same for every row: where each field is read, and the fields no column holds.
    located = [
        (col_index, column, column.field, column_letter(col_index))
        for col_index, column in positions.items()
        if column.field is not None
    ]
    absent: dict[str, Field] = {}
    for column in spec.columns:  # absent optional columns: blank, no cell
        if (
            column.field is not None
            and column.field not in absent
            and all(column.field != known for _, _, known, _ in located)
        ):
            absent[column.field] = Field(column, "", None)
    for row in sorted(cells):
        if row <= header:
            continue
        values = cells[row]
        if not any(c in positions for c in values):
            continue
        number = str(row)
        fields: dict[str, Field] = {
            key: Field(column, letters + number, values.get(col_index))
            for col_index, column, key, letters in located
        }
        fields.update(absent)
        records.append(Record(file, name, row, len(records) + 1, fields))
        if row in sheet.hidden_rows:
            hidden.append(row)
    _report_hidden(name, hidden, found)
    return tuple(records)


def _header_columns(
    header_cells: Mapping[int, RawCell],
    header: int,
    spec: Sheet,
    by_key: Mapping[str, Column],
    name: str,
    found: ProblemSink,
) -> dict[int, Column] | None:
    """Column index → declared column, from the header row; ``None`` if a column that must
    exist is missing. Duplicate, missing and unknown headers are reported."""
    positions: dict[int, Column] = {}
    found_at: dict[str, int] = {}
    unknown: list[tuple[int, str]] = []
    for col_index, cell in sorted(header_cells.items()):
        text = plain_text(cell.value).strip() if cell.value is not None else ""
        if not text:
            continue
        column = by_key.get(_header_key(text))
        coord = f"{column_letter(col_index)}{header}"
        if column is None:
            unknown.append((col_index, text))
            continue
        if column.header in found_at:
            found.report(
                "header-duplicate",
                name,
                coord,
                f"Cột “{column.header}” xuất hiện hai lần (cột "
                f"{column_letter(found_at[column.header])} và {column_letter(col_index)})",
                "Giữ một cột, xóa hoặc đổi tên cột kia; chỉ cột đầu tiên được đọc.",
            )
            continue
        found_at[column.header] = col_index
        positions[col_index] = column
    unknown_texts = [text for _, text in unknown]
    usable = True
    for column in spec.columns:
        if column.header in found_at:
            continue
        guess = get_close_matches(column.header, unknown_texts, n=1, cutoff=0.5)
        renamed = f" Có phải cột “{guess[0]}” là cột này? Đổi lại đúng tên." if guess else ""
        if column.must_exist:
            usable = False
            found.report(
                "header-missing",
                name,
                None,
                f"Thiếu cột bắt buộc “{column.header}”",
                f"Thêm cột có tiêu đề đúng “{column.header}” ở dòng {header}.{renamed}",
            )
        else:
            found.report(
                "header-missing",
                name,
                None,
                f"Thiếu cột “{column.header}”: coi như để trống",
                f"Nếu có dữ liệu này, thêm cột có tiêu đề “{column.header}”.{renamed}",
                "warning",
            )
    for col_index, text in unknown:
        found.report(
            "header-unknown",
            name,
            f"{column_letter(col_index)}{header}",
            f"Cột “{text}” không có trong mẫu nên không được đọc",
            "Nếu đây là cột của mẫu bị đổi tên, đổi lại đúng tên (xem: thidua tai-lieu workbook); "
            "nếu là cột ghi chú riêng thì bỏ qua cảnh báo này.",
            "warning",
        )
    return positions if usable else None


def _report_hidden(name: str, hidden: list[int], found: ProblemSink) -> None:
    if hidden:
        shown = ", ".join(str(r) for r in hidden[:15]) + ("…" if len(hidden) > 15 else "")
        found.report(
            "hidden-rows",
            name,
            f"A{hidden[0]}",
            f"Các dòng ẩn vẫn được đọc như dòng thường: {shown}",
            "Nếu các dòng này không còn dùng, hãy xóa hẳn; nếu dùng, bỏ ẩn để dễ kiểm tra.",
            "warning",
        )


def _keyvalue_record(sheet: RawSheet, spec: Sheet, file: str, found: ProblemSink) -> Record | None:
    """The settings of a key–value sheet as one record, or ``None`` if its ``Mục`` or
    ``Giá trị`` column is missing."""
    name = sheet.title
    kv_keys = {_header_key(KV_KEY): KV_KEY, _header_key(KV_VALUE): KV_VALUE}
    header = None
    key_col = value_col = None
    for row in range(1, HEADER_SEARCH_ROWS + 1):
        for col_index, cell in sheet.cells.get(row, {}).items():
            if isinstance(cell.value, str):
                which = kv_keys.get(_header_key(cell.value))
                if which == KV_KEY and key_col is None:
                    key_col = col_index
                elif which == KV_VALUE and value_col is None:
                    value_col = col_index
        if key_col is not None or value_col is not None:
            header = row
            break
    if header is None or key_col is None or value_col is None:
        missing = " và ".join(
            f"“{h}”" for h, c in ((KV_KEY, key_col), (KV_VALUE, value_col)) if c is None
        )
        found.report(
            "header-missing",
            name,
            None,
            f"Thiếu cột {missing} của sheet dạng mục – giá trị",
            f"Dòng 1 phải có các tiêu đề “{KV_KEY}” (cột A) và “{KV_VALUE}” (cột B).",
        )
        return None
    cells = _with_merges(sheet, name, header, found)
    by_key = _columns_by_header(spec)
    fields: dict[str, Field] = {}
    seen: dict[str, str] = {}
    hidden: list[int] = []
    for row in sorted(cells):
        if row <= header:
            continue
        key_cell = cells[row].get(key_col)
        value_cell = cells[row].get(value_col)
        key_text = normalize(plain_text(key_cell.value)) if key_cell and key_cell.value else ""
        if not key_text:
            if value_cell is not None:
                found.report(
                    "key-missing",
                    name,
                    f"{column_letter(value_col)}{row}",
                    "Có giá trị nhưng không có tên mục ở cột " + column_letter(key_col),
                    "Ghi tên mục (danh sách mục: thidua tai-lieu workbook) hoặc xóa giá trị.",
                )
            continue
        column = by_key.get(_header_key(key_text))
        key_coord = f"{column_letter(key_col)}{row}"
        if column is None:
            found.report(
                "key-unknown",
                name,
                key_coord,
                f"Mục “{key_text}” không có trong mẫu nên không được đọc",
                "Sửa đúng tên mục như workbook trống (thidua tai-lieu workbook) hoặc xóa dòng.",
                "warning",
            )
            continue
        if column.header in seen:
            found.report(
                "key-duplicate",
                name,
                key_coord,
                f"Mục “{column.header}” ghi hai lần (ô {seen[column.header]} và {key_coord})",
                "Xóa một dòng; chỉ dòng đầu tiên được đọc.",
            )
            continue
        seen[column.header] = key_coord
        assert column.field is not None
        fields[column.field] = Field(column, f"{column_letter(value_col)}{row}", value_cell)
        if row in sheet.hidden_rows:
            hidden.append(row)
    _report_hidden(name, hidden, found)
    for column in spec.columns:
        if column.field is None or column.field in fields:
            continue
        fields[column.field] = Field(column, "", None)
        if column.required:
            found.report(
                "key-missing",
                name,
                None,
                f"Thiếu mục bắt buộc “{column.header}”",
                f"Thêm một dòng: cột {column_letter(key_col)} ghi “{column.header}”, cột "
                f"{column_letter(value_col)} ghi giá trị.",
            )
    return Record(file, name, None, 1, fields)
