"""Read a score workbook into a :class:`~pipeline.domain.model.Dossier`, reporting every cell
problem.

:func:`load` reads the file through :func:`pipeline.workbook.xlsx_read.read_workbook` (the only
I/O) and interprets the cells against :mod:`pipeline.workbook.schema`; everything after reading
is pure. It never stops at the first problem: it reads every sheet and every cell, reports what
it cannot read (file, sheets, headers, blank required cells, numbers, dates, choices, unit
references, formulas without a value, legacy fonts, merged cells, hidden rows) and returns a
dossier whenever
the workbook's structure allows one.

What happens to a cell that cannot be read:

- an optional value the model allows to be missing (a score, a signing date) becomes ``None``;
- a blank required text becomes ``""`` (the record is kept so that references to it still work);
- a row whose other required value (a unit reference, a number, a choice) cannot be read is left
  out of the dossier; a few fields with a documented default (a unit's role, "present", the
  award-form flags, every parameter) take the default instead;
- the dossier is ``None`` only when the file cannot be read, a required sheet or column is
  missing, a sheet has more than :data:`~pipeline.workbook.schema.MAX_DATA_ROWS` rows, or a required
  non-text setting (a year, the meeting date, next year's head…) cannot be read.

Rules that need the whole dossier (duplicates, sums, ranks, quorum…) belong to
:mod:`pipeline.domain.rules`; this module reports only what it finds while reading cells, plus the
two duplicates a dossier cannot hold (award-form codes and documents, which are keyed).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from pipeline.domain.model import (
    ALL_DOCUMENTS,
    DOCUMENT_KINDS,
    Addressee,
    Adjustment,
    AdjustmentKind,
    Attendee,
    AwardForm,
    BaseSalary,
    ClusterInfo,
    CollectiveProposal,
    CovenantTarget,
    Criterion,
    Discussion,
    DocFormat,
    DocumentInfo,
    Dossier,
    IndividualProposal,
    LegalBasis,
    Meeting,
    Narrative,
    Parameters,
    Person,
    QuotaBase,
    RankMethod,
    Recipient,
    Role,
    Rotation,
    Score,
    Source,
    Unit,
    Vote,
    VoteBase,
)
from pipeline.errors import Location, Problem, Severity
from pipeline.vi import decode_legacy, legacy_encoding, match_key, normalize
from pipeline.workbook.schema import (
    ADDRESSEES,
    ADJUSTMENTS,
    ATTENDEES,
    AWARD_FORMS,
    BASE_SALARIES,
    CLUSTER,
    COLLECTIVE,
    COVENANT,
    CRITERIA,
    DISCUSSIONS,
    DOCUMENTS,
    DOSSIER_PART,
    EMPTY_RUN,
    INDIVIDUAL,
    KV_KEY,
    KV_VALUE,
    LEGAL_BASES,
    MAX_DATA_ROWS,
    MEETING,
    NARRATIVES,
    PARAMETERS,
    ROTATION,
    SCORES,
    SHEETS,
    UNITS,
    VOTES,
    ColType,
    Column,
    Sheet,
    column_letter,
    sheet_key,
    sheet_names_accepted,
)
from pipeline.workbook.xlsx_read import RawCell, RawSheet, read_workbook

#: Header rows are looked for in the first rows of a sheet (a title row above is tolerated).
HEADER_SEARCH_ROWS = 10
#: After this many problems of one kind in one sheet, the rest are counted, not listed.
MAX_PROBLEMS_PER_KIND = 25
#: Numbers larger than this (in absolute value) are typing mistakes, not scores or money.
MAX_NUMBER = Decimal(10) ** 12
MAX_INTEGER = 10**9

_SHEET_ORDER = {s.name: i for i, s in enumerate(SHEETS)}


def load(path: Path) -> tuple[Dossier | None, list[Problem]]:
    """Read the workbook at ``path``: the dossier (or ``None``) and every problem found.

    Problems name the file as ``path.name`` (never an absolute path), the sheet and the cell.
    """
    label = path.name or str(path)
    raw, problems = read_workbook(path, label)
    if raw is None:
        return None, problems
    reader = _Reader(label, str(path), raw.sheets)
    for problem in problems:
        reader.add(problem)
    dossier = reader.run()
    return dossier, reader.finish()


# === number, date and time text ==============================================================


class ParseError(ValueError):
    """A cell value that cannot be read: ``message`` says what, ``hint`` how to fix it."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


_DIGITS_ONLY = re.compile(r"\d+")
_VN_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+")
_VN_FULL = re.compile(r"(?:[1-9]\d{0,2}(?:\.\d{3})+|\d+),\d+")
_SPACED = re.compile(r"[1-9]\d{0,2}(?: \d{3})+(?:,\d+)?")
_AMBIGUOUS_COMMA = re.compile(r"[1-9]\d{0,2},\d{3}")
_HINT_DECIMAL = (
    "Dùng dấu phẩy cho phần thập phân (973,5) và dấu chấm chỉ để tách nhóm nghìn (1.000), "
    "hoặc nhập số vào ô kiểu Số của Excel."
)


def parse_number_text(text: str) -> Decimal:
    """A number typed as text, the Vietnamese way; ambiguous or decorated text is refused.

    >>> [str(parse_number_text(t)) for t in ("973,5", "1.000", "1.150.000", "1.000,5", "-2")]
    ['973.5', '1000', '1150000', '1000.5', '-2']
    >>> str(parse_number_text("0,125")), str(parse_number_text("1 000"))
    ('0.125', '1000')
    >>> parse_number_text("1.5")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pipeline.workbook.loader.ParseError: “1.5” không rõ là số nào: dấu chấm chỉ dùng để tách ...
    >>> parse_number_text("95đ")
    Traceback (most recent call last):
    ...
    pipeline.workbook.loader.ParseError: “95đ” không phải là số
    """
    shown = text.strip()
    body = shown.replace("\u00a0", " ").replace("\u202f", " ")
    sign = ""
    if body and body[0] in "+-−":
        sign = "-" if body[0] in "-−" else ""
        body = body[1:].strip()
    if not body:
        raise ParseError(f"“{shown}” không phải là số", "Nhập một số, ví dụ 973,5.")
    if len(body) > 40:
        raise ParseError(f"“{shown[:20]}…” quá dài để là một số", "Kiểm tra lại ô này.")
    if re.search(r"[^\d., ]", body):
        raise ParseError(
            f"“{shown}” không phải là số",
            "Chỉ ghi chữ số, bỏ chữ và ký hiệu (đ, điểm, %, …); ví dụ 95 hoặc 973,5.",
        )
    if " " in body:
        if not _SPACED.fullmatch(body):
            raise ParseError(f"“{shown}” không rõ là số nào", _HINT_DECIMAL)
        body = body.replace(" ", "")
    if _DIGITS_ONLY.fullmatch(body):
        return Decimal(sign + body)
    if _AMBIGUOUS_COMMA.fullmatch(body):  # 1,000: one thousand (English) or one (Vietnamese)?
        whole, decimals = body.split(",")
        raise ParseError(
            f"“{shown}” không rõ là số nào: {whole}.{decimals} hay {whole},{decimals}",
            f"Nếu là số nguyên, ghi {whole}.{decimals}; nếu là số thập phân, bỏ số 0 ở cuối "
            "hoặc nhập vào ô kiểu Số của Excel.",
        )
    if _VN_THOUSANDS.fullmatch(body):
        return Decimal(sign + body.replace(".", ""))
    if _VN_FULL.fullmatch(body):
        return Decimal(sign + body.replace(".", "").replace(",", "."))
    if "," in body and "." in body:
        raise ParseError(
            f"“{shown}” viết theo kiểu Anh (dấu phẩy tách nghìn, dấu chấm thập phân)",
            _HINT_DECIMAL,
        )
    if "." in body and "," not in body:
        raise ParseError(
            f"“{shown}” không rõ là số nào: dấu chấm chỉ dùng để tách nhóm nghìn",
            f"Nếu là số thập phân, ghi {body.replace('.', ',')}; nếu là số nguyên, tách nhóm "
            "nghìn đủ ba chữ số (1.000).",
        )
    raise ParseError(f"“{shown}” không rõ là số nào", _HINT_DECIMAL)


def _sane(number: Decimal, shown: str) -> Decimal:
    if not number.is_finite() or abs(number) >= MAX_NUMBER:
        raise ParseError(f"“{shown}” quá lớn để là điểm hay số tiền", "Kiểm tra lại số này.")
    return number


def number_value(value: object) -> Decimal:
    """A cell's value as an exact ``Decimal``: numeric cells, or Vietnamese numeric text.

    Floats go through ``repr``, so the 973.5 Excel stores stays ``Decimal('973.5')``.

    >>> number_value(973.5), number_value(1000.0), number_value("1.000")
    (Decimal('973.5'), Decimal('1000'), Decimal('1000'))
    """
    if isinstance(value, bool):
        raise ParseError("Ô chứa giá trị đúng/sai, không phải số", "Nhập một số.")
    if isinstance(value, int):
        return _sane(Decimal(value), str(value))
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ParseError("Ô chứa số không hữu hạn", "Nhập một số.")
        if value.is_integer():
            return _sane(Decimal(int(value)), repr(value))
        return _sane(Decimal(repr(value)), repr(value))
    if isinstance(value, Decimal):
        return _sane(value, str(value))
    if isinstance(value, str):
        return _sane(parse_number_text(value), value)
    if isinstance(value, (datetime, date, time, timedelta)):
        raise ParseError(
            "Ô đang ở dạng ngày/giờ, không phải số",
            "Đổi định dạng ô sang Số (Format Cells › Number) rồi nhập lại số.",
        )
    raise ParseError("Ô không chứa số", "Nhập một số.")


_DMY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_WORDS_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")


def date_value(value: object) -> date:
    """A date cell, or text ``dd/mm/yyyy`` (also ``-`` or ``.``), ISO, or "ngày … tháng … năm".

    >>> date_value("10/01/2014"), date_value("ngày 10 tháng 01 năm 2014")
    (datetime.date(2014, 1, 10), datetime.date(2014, 1, 10))
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip().casefold()
        parts: tuple[str, str, str] | None = None
        if match := _DMY.fullmatch(text):
            parts = (match.group(3), match.group(2), match.group(1))
        elif match := _YMD.fullmatch(text):
            parts = (match.group(1), match.group(2), match.group(3))
        elif match := _WORDS_DATE.fullmatch(text):
            parts = (match.group(3), match.group(2), match.group(1))
        if parts is not None:
            try:
                return date(int(parts[0]), int(parts[1]), int(parts[2]))
            except ValueError:
                raise ParseError(
                    f"“{value.strip()}” không phải là ngày có thật", "Sửa lại ngày, tháng."
                ) from None
        raise ParseError(
            f"“{value.strip()}” không phải là ngày",
            "Ghi ngày dạng dd/mm/yyyy (10/01/2014) hoặc chọn định dạng ô là Ngày.",
        )
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        raise ParseError(
            "Ô chứa số, không phải ngày",
            "Định dạng ô là Ngày (Format Cells › Date) hoặc gõ ngày dạng dd/mm/yyyy.",
        )
    raise ParseError("Ô không chứa ngày", "Ghi ngày dạng dd/mm/yyyy.")


_TIME_TEXT = re.compile(r"(\d{1,2})\s*(?::|h|g|giờ)\s*(?:(\d{1,2})\s*(?:phút|p|')?)?(?::\d{1,2})?")


def time_value(value: object) -> time:
    """A time cell, or text ``14:00``, ``14h00``, ``14h``, ``14 giờ 30 phút``.

    >>> time_value("14h30"), time_value("8 giờ"), time_value("14:00")
    (datetime.time(14, 30), datetime.time(8, 0), datetime.time(14, 0))
    """
    if isinstance(value, datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, timedelta) and timedelta(0) <= value < timedelta(days=1):
        minutes = int(value.total_seconds() // 60)
        return time(minutes // 60, minutes % 60)
    if isinstance(value, str):
        text = value.strip().casefold()
        if match := _TIME_TEXT.fullmatch(text):
            hour, minute = int(match.group(1)), int(match.group(2) or 0)
            if hour < 24 and minute < 60:
                return time(hour, minute)
        raise ParseError(
            f"“{value.strip()}” không phải là giờ", "Ghi giờ dạng hh:mm (14:00) hoặc 14h00."
        )
    raise ParseError(
        "Ô không chứa giờ", "Ghi giờ dạng hh:mm (14:00) hoặc định dạng ô là Giờ (Time)."
    )


_FRACTION = re.compile(r"(\d+)\s*/\s*(\d+)")


def ratio_value(value: object) -> Decimal:
    """A share between 0 and 1: ``0,5``, ``50%``, ``2/3`` or a numeric cell (0.5 or 50 %).

    >>> ratio_value("50%"), ratio_value("2/3") == Decimal(2) / 3, ratio_value(0.8)
    (Decimal('0.5'), True, Decimal('0.8'))
    """
    shown = str(value).strip()
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("%"):
            result = parse_number_text(text[:-1]) / 100
        elif match := _FRACTION.fullmatch(text):
            top, bottom = int(match.group(1)), int(match.group(2))
            if bottom == 0:
                raise ParseError(f"“{text}” chia cho 0", "Ghi tỷ lệ như 2/3, 50% hoặc 0,5.")
            result = Decimal(top) / Decimal(bottom)
        else:
            result = parse_number_text(text)
    else:
        result = number_value(value)
    if not Decimal(0) <= result <= Decimal(1):
        raise ParseError(
            f"Tỷ lệ “{shown}” không nằm trong khoảng 0 đến 1 (0% đến 100%)",
            "Ghi tỷ lệ như 50%, 0,5 hoặc 2/3.",
        )
    return result


def _plain_text(value: object) -> str:
    """Any cell value as the text Excel would show for it."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)


# === the reader ==============================================================================


_BAD = object()  # a value that could not be read (the problem is already reported)


@dataclass(slots=True)
class _Field:
    column: Column
    coord: str
    raw: RawCell | None


@dataclass(slots=True)
class _Record:
    sheet: str
    row: int | None  # None for a key–value sheet
    order: int
    fields: dict[str, _Field] = field(default_factory=dict)

    def source(self, file: str, rename: dict[str, str] | None = None) -> Source:
        cells = {
            (rename or {}).get(name, name): f.coord for name, f in self.fields.items() if f.coord
        }
        return Source(file, self.sheet, self.row, cells)


class _Reader:
    """Reads the raw sheets of one file into a dossier, collecting problems."""

    def __init__(self, file: str, path: str, raw: dict[str, RawSheet]) -> None:
        self.file = file
        self.path = path
        self.raw = raw
        self.problems: list[Problem] = []
        self.fatal = False
        self.legacy: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.alias_uses: dict[tuple[str, str], tuple[str, str]] = {}
        self.unit_by_key: dict[str, str | None] = {}
        self.unit_codes: dict[str, str] = {}  # code key → code
        self.units_known = False
        self.criterion_by_key: dict[str, str] = {}
        self.form_by_key: dict[str, str] = {}
        self.vote_by_key: dict[str, str] = {}
        self.choice_maps: dict[int, dict[str, str]] = {}
        self.sheet_titles: dict[str, str] = {}  # dossier part → the sheet's title in the file

    # --- problems ---------------------------------------------------------------------------

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def report(
        self,
        code: str,
        sheet: str | None,
        cell: str | None,
        message: str,
        hint: str,
        severity: Severity = "error",
    ) -> None:
        self.add(Problem(severity, code, message, hint, Location(self.file, sheet, cell)))

    def finish(self) -> list[Problem]:
        """The problems, in workbook order, with long runs of one kind summarised."""
        for sheet, cells in self.legacy.items():
            fonts = sorted({font for _, font in cells})
            shown = ", ".join(coord for coord, _ in cells[:12])
            more = f" và {len(cells) - 12} ô khác" if len(cells) > 12 else ""
            self.report(
                "legacy-font",
                sheet,
                cells[0][0],
                f"Đã chuyển {len(cells)} ô gõ bằng phông cũ ({', '.join(fonts)}) sang Unicode: "
                f"{shown}{more}",
                "Kiểm tra lại chữ ở các ô này; nên gõ lại bằng phông Unicode (Times New Roman, "
                "Arial) để văn bản không sai dấu.",
                "warning",
            )
        for (sheet, typed), (code, cell) in self.alias_uses.items():
            self.report(
                "unit-alias",
                sheet,
                cell,
                f"“{typed}” được hiểu là đơn vị {code}",
                f"Có thể ghi mã {code} cho rõ; tên gọi khác khai báo ở sheet DonVi.",
                "info",
            )

        def row_col(problem: Problem) -> tuple[int, int]:
            match = re.match(r"([A-Z]+)(\d+)", problem.location.cell or "")
            if match is None:
                return (0, 0)
            letters = 0
            for ch in match.group(1):
                letters = letters * 26 + ord(ch) - 64
            return (int(match.group(2)), letters)

        ordered = sorted(
            self.problems,
            key=lambda p: (
                p.location.sheet is not None,
                _SHEET_ORDER.get(p.location.sheet or "", len(_SHEET_ORDER)),
                row_col(p),
            ),
        )
        kept: list[Problem] = []
        counts: dict[tuple[str | None, str], int] = defaultdict(int)
        for problem in ordered:
            key = (problem.location.sheet, problem.code)
            counts[key] += 1
            if counts[key] <= MAX_PROBLEMS_PER_KIND:
                kept.append(problem)
        for (where, code), count in counts.items():
            if count > MAX_PROBLEMS_PER_KIND:
                first = next(p for p in ordered if (p.location.sheet, p.code) == (where, code))
                kept.append(
                    Problem(
                        first.severity,
                        code,
                        f"Còn {count - MAX_PROBLEMS_PER_KIND} vấn đề cùng loại “{code}” khác "
                        "trong sheet này",
                        "Sửa các lỗi trên rồi kiểm tra lại; thường là cùng một nguyên nhân.",
                        Location(self.file, where),
                    )
                )
        return kept

    # --- sheets and headers ---------------------------------------------------------------

    def find_sheet(self, spec: Sheet) -> RawSheet | None:
        wanted = {sheet_key(n) for n in sheet_names_accepted(spec)}
        matches = [title for title in self.raw if sheet_key(title) in wanted]
        if not matches:
            if spec.required:
                self.fatal = True
                self.report(
                    "sheet-missing",
                    spec.name,
                    None,
                    f"Thiếu sheet {spec.name} ({spec.title})",
                    "Thêm lại sheet này: sao chép từ workbook trống inputs/_mau-trong.xlsx (tạo "
                    "bằng lệnh thidua init), giữ nguyên tên sheet và tiêu đề cột.",
                )
            else:
                self.report(
                    "sheet-missing",
                    spec.name,
                    None,
                    f"Không có sheet {spec.name} ({spec.title}): coi như không có dòng nào",
                    "Nếu có nội dung này, thêm sheet từ workbook trống inputs/_mau-trong.xlsx.",
                    "warning",
                )
            return None
        chosen = spec.name if spec.name in matches else matches[0]
        self.sheet_titles[DOSSIER_PART[spec.name]] = chosen
        for other in matches:
            if other != chosen:
                self.report(
                    "sheet-duplicate",
                    other,
                    None,
                    f"Sheet “{other}” trùng nội dung với sheet “{chosen}” nên không được đọc",
                    "Xóa hoặc đổi tên một trong hai sheet.",
                    "warning",
                )
        sheet = self.raw[chosen]
        if sheet.stopped_early and sheet.declared_last_row > sheet.last_row:
            self.report(
                "rows-ignored",
                chosen,
                f"A{sheet.last_row + 1}",
                f"Sau {EMPTY_RUN} dòng trống liên tiếp, các dòng từ {sheet.last_row + 1} đến "
                f"{sheet.declared_last_row} không được đọc",
                "Nếu còn dữ liệu ở dưới, dời lên liền với bảng; nếu không, xóa các dòng thừa "
                "(chọn các dòng, Delete Row) để bỏ cảnh báo này.",
                "warning",
            )
        if sheet.too_many_rows:
            self.fatal = True
            self.report(
                "too-many-rows",
                chosen,
                None,
                f"Sheet có hơn {MAX_DATA_ROWS:,} dòng dữ liệu".replace(",", "."),
                "Xóa các dòng thừa (thường do dán nhầm cả cột hoặc kéo công thức quá xa) rồi "
                "lưu lại.",
            )
            return None
        return sheet

    def header_row(self, sheet: RawSheet, headers: dict[str, Column]) -> int | None:
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

    def apply_merges(self, sheet: RawSheet, name: str, header_row: int) -> None:
        last_col = max((max(row) for row in sheet.cells.values() if row), default=0)
        for c1, r1, c2, r2 in sheet.merged:
            area = f"{column_letter(c1)}{r1}:{column_letter(c2)}{r2}"
            if r1 <= header_row <= r2:
                self.report(
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
            top = sheet.cell(r1, c1)
            if top is None:
                continue
            for r in range(r1, min(r2, sheet.last_row) + 1):
                for c in range(c1, min(c2, last_col) + 1):
                    if (r, c) != (r1, c1):
                        sheet.cells.setdefault(r, {})[c] = top
            self.report(
                "merged-cells",
                name,
                area,
                f"Vùng {area} là ô gộp: giá trị của ô {column_letter(c1)}{r1} được dùng cho cả "
                "vùng",
                "Nên bỏ gộp ô và ghi giá trị vào từng ô.",
                "warning",
            )

    def table_records(self, spec: Sheet) -> list[_Record] | None:
        """The data rows of a table sheet, or None if the sheet is absent or unusable."""
        sheet = self.find_sheet(spec)
        if sheet is None:
            return None
        name = sheet.title
        by_key: dict[str, Column] = {}
        for col in spec.columns:
            for text in col.accepted_headers():
                by_key[_header_key(text)] = col
        header = self.header_row(sheet, by_key)
        if header is None:
            self.fatal = True
            expected = ", ".join(f"“{c.header}”" for c in spec.columns)
            self.report(
                "header-missing",
                name,
                "A1",
                "Không tìm thấy dòng tiêu đề cột",
                f"Dòng 1 phải có các tiêu đề: {expected}. Sao chép dòng tiêu đề từ workbook "
                "trống inputs/_mau-trong.xlsx.",
            )
            return None
        self.apply_merges(sheet, name, header)
        positions: dict[int, Column] = {}
        found: dict[str, int] = {}
        unknown: list[tuple[int, str]] = []
        for col_index, cell in sorted(sheet.cells.get(header, {}).items()):
            text = _plain_text(cell.value).strip() if cell.value is not None else ""
            if not text:
                continue
            column = by_key.get(_header_key(text))
            coord = f"{column_letter(col_index)}{header}"
            if column is None:
                unknown.append((col_index, text))
                continue
            if column.header in found:
                self.report(
                    "header-duplicate",
                    name,
                    coord,
                    f"Cột “{column.header}” xuất hiện hai lần (cột "
                    f"{column_letter(found[column.header])} và {column_letter(col_index)})",
                    "Giữ một cột, xóa hoặc đổi tên cột kia; chỉ cột đầu tiên được đọc.",
                )
                continue
            found[column.header] = col_index
            positions[col_index] = column
        unknown_texts = [text for _, text in unknown]
        usable = True
        for column in spec.columns:
            if column.header in found:
                continue
            guess = get_close_matches(column.header, unknown_texts, n=1, cutoff=0.5)
            renamed = f" Có phải cột “{guess[0]}” là cột này? Đổi lại đúng tên." if guess else ""
            if column.must_exist:
                self.fatal = True
                usable = False
                self.report(
                    "header-missing",
                    name,
                    None,
                    f"Thiếu cột bắt buộc “{column.header}”",
                    f"Thêm cột có tiêu đề đúng “{column.header}” ở dòng {header}.{renamed}",
                )
            else:
                self.report(
                    "header-missing",
                    name,
                    None,
                    f"Thiếu cột “{column.header}”: coi như để trống",
                    f"Nếu có dữ liệu này, thêm cột có tiêu đề “{column.header}”.{renamed}",
                    "warning",
                )
        for col_index, text in unknown:
            self.report(
                "header-unknown",
                name,
                f"{column_letter(col_index)}{header}",
                f"Cột “{text}” không có trong mẫu nên không được đọc",
                "Nếu đây là cột của mẫu bị đổi tên, đổi lại đúng tên (xem docs/workbook.md); "
                "nếu là cột ghi chú riêng thì bỏ qua cảnh báo này.",
                "warning",
            )
        if not usable:
            return None  # rows cannot be read without their required columns
        records: list[_Record] = []
        hidden: list[int] = []
        for row in sheet.rows():
            if row <= header:
                continue
            cells = sheet.cells[row]
            if not any(c in positions for c in cells):
                continue
            record = _Record(name, row, len(records) + 1)
            for col_index, column in positions.items():
                if column.field is None:
                    continue
                record.fields[column.field] = _Field(
                    column, f"{column_letter(col_index)}{row}", cells.get(col_index)
                )
            for column in spec.columns:  # absent optional columns: blank, no cell
                if column.field is not None and column.field not in record.fields:
                    record.fields[column.field] = _Field(column, "", None)
            records.append(record)
            if row in sheet.hidden_rows:
                hidden.append(row)
        self.report_hidden(name, hidden)
        return records

    def report_hidden(self, name: str, hidden: list[int]) -> None:
        if hidden:
            shown = ", ".join(str(r) for r in hidden[:15]) + ("…" if len(hidden) > 15 else "")
            self.report(
                "hidden-rows",
                name,
                f"A{hidden[0]}",
                f"Các dòng ẩn vẫn được đọc như dòng thường: {shown}",
                "Nếu các dòng này không còn dùng, hãy xóa hẳn; nếu dùng, bỏ ẩn để dễ kiểm tra.",
                "warning",
            )

    def keyvalue_record(self, spec: Sheet) -> _Record | None:
        """The settings of a key–value sheet as one record, or None if the sheet is unusable."""
        sheet = self.find_sheet(spec)
        if sheet is None:
            return None
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
            self.fatal = True
            missing = " và ".join(
                f"“{h}”" for h, c in ((KV_KEY, key_col), (KV_VALUE, value_col)) if c is None
            )
            self.report(
                "header-missing",
                name,
                None,
                f"Thiếu cột {missing} của sheet dạng mục – giá trị",
                f"Dòng 1 phải có các tiêu đề “{KV_KEY}” (cột A) và “{KV_VALUE}” (cột B).",
            )
            return None
        self.apply_merges(sheet, name, header)
        by_key: dict[str, Column] = {}
        for col in spec.columns:
            for text in col.accepted_headers():
                by_key[_header_key(text)] = col
        record = _Record(name, None, 1)
        seen: dict[str, str] = {}
        hidden: list[int] = []
        for row in sheet.rows():
            if row <= header:
                continue
            key_cell = sheet.cell(row, key_col)
            value_cell = sheet.cell(row, value_col)
            key_text = normalize(_plain_text(key_cell.value)) if key_cell and key_cell.value else ""
            if not key_text:
                if value_cell is not None:
                    self.report(
                        "key-missing",
                        name,
                        f"{column_letter(value_col)}{row}",
                        "Có giá trị nhưng không có tên mục ở cột " + column_letter(key_col),
                        "Ghi tên mục (xem danh sách mục ở docs/workbook.md) hoặc xóa giá trị.",
                    )
                continue
            column = by_key.get(_header_key(key_text))
            key_coord = f"{column_letter(key_col)}{row}"
            if column is None:
                self.report(
                    "key-unknown",
                    name,
                    key_coord,
                    f"Mục “{key_text}” không có trong mẫu nên không được đọc",
                    "Sửa đúng tên mục như workbook trống (xem docs/workbook.md) hoặc xóa dòng.",
                    "warning",
                )
                continue
            if column.header in seen:
                self.report(
                    "key-duplicate",
                    name,
                    key_coord,
                    f"Mục “{column.header}” ghi hai lần (ô {seen[column.header]} và {key_coord})",
                    "Xóa một dòng; chỉ dòng đầu tiên được đọc.",
                )
                continue
            seen[column.header] = key_coord
            assert column.field is not None
            record.fields[column.field] = _Field(
                column, f"{column_letter(value_col)}{row}", value_cell
            )
            if row in sheet.hidden_rows:
                hidden.append(row)
        self.report_hidden(name, hidden)
        for column in spec.columns:
            if column.field is None or column.field in record.fields:
                continue
            record.fields[column.field] = _Field(column, "", None)
            if column.required:
                self.report(
                    "key-missing",
                    name,
                    None,
                    f"Thiếu mục bắt buộc “{column.header}”",
                    f"Thêm một dòng: cột {column_letter(key_col)} ghi “{column.header}”, cột "
                    f"{column_letter(value_col)} ghi giá trị.",
                )
        return record

    # --- cell values ------------------------------------------------------------------------

    def text_of(self, sheet: str, f: _Field) -> str | None:
        """The cell's text, NFC-normalised, legacy fonts decoded; None when blank."""
        raw = f.raw
        if raw is None or raw.value is None:
            return None
        value = raw.value
        if isinstance(value, str):
            if raw.font and legacy_encoding(raw.font) is not None:
                decoded = decode_legacy(value, raw.font)
                if decoded is not None and decoded != value:
                    entry = (f.coord, raw.font)
                    if entry not in self.legacy[sheet]:
                        self.legacy[sheet].append(entry)
                    value = decoded
            text = normalize(value)
        else:
            text = normalize(_plain_text(value))
        return text or None

    def value(self, rec: _Record, name: str) -> Any:
        """The converted value of a field: the value, None when blank, or ``_BAD``.

        Reports blank required cells and unreadable values at their cell.
        """
        f = rec.fields[name]
        column = f.column
        sheet = rec.sheet
        raw = f.raw
        if raw is not None and raw.error is not None:
            if raw.stale:
                code = "formula-stale"
            elif raw.formula and "lưu sẵn" in raw.error:
                code = "formula-no-cache"
            else:
                code = "formula-error" if raw.formula else "cell-error"
            hint = (
                "Mở tệp bằng Excel hoặc LibreOffice để công thức được tính lại (Ctrl+Alt+F9) "
                "rồi lưu, hoặc ghi thẳng giá trị vào ô."
                if code in ("formula-no-cache", "formula-stale")
                else "Sửa công thức hoặc dữ liệu mà nó dùng, hoặc ghi thẳng giá trị vào ô."
            )
            self.report(code, sheet, f.coord, f"Ô “{column.header}”: {raw.error}", hint)
            return _BAD
        if (
            raw is None
            or raw.value is None
            or (isinstance(raw.value, str) and not normalize(raw.value))
        ):
            if column.required and f.coord:  # no cell: the missing key is reported already
                self.report_blank(rec, f)
            return None
        try:
            return self.convert(rec, f)
        except ParseError as exc:
            self.report(
                "number-format" if column.type in _NUMERIC else "value-format",
                sheet,
                f.coord,
                f"Ô “{column.header}”: {exc.message}",
                exc.hint,
            )
            return _BAD

    def report_blank(self, rec: _Record, f: _Field) -> None:
        where = f"ở dòng {rec.row}" if rec.row is not None else ""
        extra = " (ô trống không được hiểu là 0)" if f.column.type in _NUMERIC else ""
        self.report(
            "required-blank",
            rec.sheet,
            f.coord or None,
            f"Thiếu “{f.column.header}” {where}{extra}".replace("  ", " ").strip(),
            f"Điền ô này: {f.column.meaning}"
            + (f" Ví dụ: {f.column.example}." if f.column.example else ""),
        )

    def convert(self, rec: _Record, f: _Field) -> Any:
        column = f.column
        raw = f.raw
        assert raw is not None
        kind = column.type
        if kind in (ColType.INTEGER, ColType.DECIMAL, ColType.MONEY):
            value = raw.value
            if isinstance(value, str):
                value = self.text_of(rec.sheet, f) or ""
            number = number_value(value)
            if kind is ColType.INTEGER:
                if number != number.to_integral_value() or abs(number) >= MAX_INTEGER:
                    raise ParseError(
                        f"“{_plain_text(raw.value)}” không phải là số nguyên",
                        "Nhập một số nguyên, ví dụ 2014 hoặc 9.",
                    )
                return int(number)
            return number
        if kind is ColType.RATIO:
            value = raw.value
            if isinstance(value, str):
                value = self.text_of(rec.sheet, f) or ""
            return ratio_value(value)
        if kind is ColType.DATE:
            return date_value(
                self.text_of(rec.sheet, f) if isinstance(raw.value, str) else raw.value
            )
        if kind is ColType.TIME:
            return time_value(
                self.text_of(rec.sheet, f) if isinstance(raw.value, str) else raw.value
            )
        if kind is ColType.BOOL and isinstance(raw.value, bool):
            return raw.value
        text = self.text_of(rec.sheet, f)
        if text is None:
            return None
        if kind in (ColType.CHOICE, ColType.BOOL):
            mapping = self.choices(column)
            found = mapping.get(match_key(text))
            if found is None:
                allowed = "; ".join(c.label for c in column.choices)
                raise ParseError(
                    f"“{text}” không có trong danh sách",
                    f"Chọn một trong: {allowed}.",
                )
            if kind is ColType.BOOL:
                return found == "co"
            return found
        if kind is ColType.LIST:
            parts = [normalize(p) for p in re.split(r"[;\n]", text)]
            return tuple(p for p in parts if p)
        if kind is ColType.UNIT:
            return self.unit_ref(rec, f, text)
        if kind is ColType.CRITERION:
            return self.criterion_by_key.get(match_key(text), text)
        if kind is ColType.AWARD_FORM:
            return self.form_by_key.get(match_key(text), text)
        if kind is ColType.VOTE:
            return self.vote_by_key.get(match_key(text), text)
        return text

    def choices(self, column: Column) -> dict[str, str]:
        mapping = self.choice_maps.get(id(column))
        if mapping is None:
            mapping = {}
            for choice in column.choices:
                for spelling in choice.spellings():
                    mapping.setdefault(match_key(spelling), choice.value)
            self.choice_maps[id(column)] = mapping
        return mapping

    def unit_ref(self, rec: _Record, f: _Field, text: str) -> Any:
        if not self.units_known:
            return text
        key = match_key(text)
        if key in self.unit_codes:
            return self.unit_codes[key]
        if key in self.unit_by_key:
            code = self.unit_by_key[key]
            if code is None:
                self.report(
                    "unit-ambiguous",
                    rec.sheet,
                    f.coord,
                    f"“{text}” là tên gọi của nhiều đơn vị",
                    "Ghi mã đơn vị thay cho tên gọi, hoặc sửa tên gọi khác ở sheet DonVi cho "
                    "khỏi trùng.",
                )
                return _BAD
            self.alias_uses.setdefault((rec.sheet, text), (code, f.coord))
            return code
        codes = ", ".join(list(self.unit_codes.values())[:12])
        self.report(
            "unit-unknown",
            rec.sheet,
            f.coord,
            f"Không có đơn vị “{text}” trong sheet DonVi",
            f"Ghi một mã đơn vị ({codes}) hoặc khai báo “{text}” ở cột Tên gọi khác của đơn vị đó.",
        )
        return _BAD

    # --- building the dossier ---------------------------------------------------------------

    def run(self) -> Dossier | None:
        units = self.build_units()
        criteria = self.build_criteria()
        forms = self.build_award_forms()
        votes = self.build_votes()
        cluster = self.build_cluster()
        scores = self.build_scores()
        adjustments = self.build_adjustments()
        meeting = self.build_meeting()
        collective, individual = self.build_proposals()
        rotation = self.build_rotation()
        covenant = self.build_covenant()
        narratives = self.build_narratives()
        legal_bases = tuple(LegalBasis(*line) for line in self.document_lines(LEGAL_BASES))
        addressees = tuple(Addressee(*line) for line in self.document_lines(ADDRESSEES))
        params = self.build_parameters(forms)
        if self.fatal or cluster is None or meeting is None or rotation is None or params is None:
            return None
        return Dossier(
            path=self.path,
            cluster=cluster,
            units=units,
            criteria=criteria,
            scores=scores,
            adjustments=adjustments,
            meeting=meeting,
            votes=votes,
            collective_proposals=collective,
            individual_proposals=individual,
            rotation=rotation,
            covenant_targets=covenant,
            narratives=narratives,
            params=params,
            legal_bases=legal_bases,
            addressees=addressees,
            sheets=dict(self.sheet_titles),
        )

    def values(self, rec: _Record) -> dict[str, Any]:
        return {name: self.value(rec, name) for name in rec.fields}

    def build_units(self) -> tuple[Unit, ...]:
        records = self.table_records(UNITS)
        if records is None:
            return ()
        self.units_known = True
        units: list[Unit] = []
        alias_owner: dict[str, set[str]] = defaultdict(set)
        for rec in records:
            v = self.values(rec)
            if not v["code"] or v["code"] is _BAD:
                continue
            role = v["role"]
            unit = Unit(
                code=v["code"],
                full_name=_text(v["full_name"]),
                short_name=_text(v["short_name"]),
                header_name=_text(v["header_name"]),
                aliases=v["aliases"] if isinstance(v["aliases"], tuple) else (),
                order=rec.order,
                role=Role(role) if isinstance(role, str) else Role.MEMBER,
                head_name=_text(v["head_name"]),
                head_title=_text(v["head_title"]),
                signer_name=_opt(v["signer_name"]),
                signer_title=_opt(v["signer_title"]),
                src=rec.source(self.file),
            )
            units.append(unit)
            self.unit_codes.setdefault(match_key(unit.code), unit.code)
            for name in (unit.full_name, unit.short_name, *unit.aliases):
                if name:
                    alias_owner[match_key(name)].add(unit.code)
        for key, owners in alias_owner.items():
            if key not in self.unit_codes:
                self.unit_by_key[key] = next(iter(owners)) if len(owners) == 1 else None
        return tuple(units)

    def build_criteria(self) -> tuple[Criterion, ...]:
        records = self.table_records(CRITERIA) or []
        rows = [(rec, self.values(rec)) for rec in records]
        for _, v in rows:
            if isinstance(v["code"], str):
                self.criterion_by_key.setdefault(match_key(v["code"]), v["code"])
        criteria = []
        for rec, v in rows:
            if not isinstance(v["code"], str) or not isinstance(v["max_points"], Decimal):
                continue
            parent = v["parent"]
            if isinstance(parent, str):
                parent = self.criterion_by_key.get(match_key(parent), parent)
            criteria.append(
                Criterion(
                    code=v["code"],
                    parent=parent if isinstance(parent, str) else None,
                    text=_text(v["text"]),
                    max_points=v["max_points"],
                    order=rec.order,
                    src=rec.source(self.file),
                )
            )
        return tuple(criteria)

    def build_award_forms(self) -> dict[str, AwardForm]:
        records = self.table_records(AWARD_FORMS) or []
        forms: dict[str, AwardForm] = {}
        for rec in records:
            v = self.values(rec)
            code = v["code"]
            if not isinstance(code, str) or not isinstance(v["recipient"], str):
                continue
            if code in forms:
                self.report(
                    "award-form-duplicate",
                    rec.sheet,
                    rec.fields["code"].coord,
                    f"Mã hình thức “{code}” đã dùng ở ô {forms[code].src.at('code').cell}",
                    "Mỗi hình thức × đối tượng một mã riêng (ví dụ BK_UBND_TT và BK_UBND_CN); "
                    "sửa mã của dòng này.",
                )
                continue
            coefficient = v["coefficient"]
            forms[code] = AwardForm(
                code=code,
                name=_text(v["name"]),
                recipient=Recipient(v["recipient"]),
                coefficient=coefficient if isinstance(coefficient, Decimal) else None,
                is_flag=v["is_flag"] is True,
                needs_vote=v["needs_vote"] is True,
                src=rec.source(self.file),
            )
            self.form_by_key.setdefault(match_key(code), code)
        return forms

    def build_votes(self) -> tuple[Vote, ...]:
        records = self.table_records(VOTES) or []
        votes = []
        counts = ("issued", "returned", "valid", "yes", "no", "abstain")
        for rec in records:
            v = self.values(rec)
            if isinstance(v["code"], str):
                self.vote_by_key.setdefault(match_key(v["code"]), v["code"])
            if (
                not isinstance(v["code"], str)
                or not isinstance(v["method"], str)
                or not all(isinstance(v[c], int) for c in counts)
            ):
                continue
            votes.append(
                Vote(
                    code=v["code"],
                    item=_text(v["item"]),
                    method=v["method"],
                    issued=v["issued"],
                    returned=v["returned"],
                    valid=v["valid"],
                    yes=v["yes"],
                    no=v["no"],
                    abstain=v["abstain"],
                    src=rec.source(self.file),
                )
            )
        return tuple(votes)

    def build_documents(self) -> dict[str, DocumentInfo]:
        records = self.table_records(DOCUMENTS) or []
        documents: dict[str, DocumentInfo] = {}
        for rec in records:
            v = self.values(rec)
            kind = v["kind"]
            if not isinstance(kind, str):
                continue
            if kind in documents:
                self.report(
                    "document-duplicate",
                    rec.sheet,
                    rec.fields["kind"].coord,
                    f"Văn bản này đã có ở ô {documents[kind].src.at('kind').cell}",
                    "Mỗi văn bản một dòng; xóa dòng thừa.",
                )
                continue
            documents[kind] = DocumentInfo(
                kind=kind,
                number=v["number"] if isinstance(v["number"], int) else None,
                type_code=_text(v["type_code"]),
                issuer_code=_text(v["issuer_code"]),
                signing_date=v["signing_date"] if isinstance(v["signing_date"], date) else None,
                src=rec.source(self.file),
            )
        return documents

    def build_cluster(self) -> ClusterInfo | None:
        rec = self.keyvalue_record(CLUSTER)
        documents = self.build_documents()
        if rec is None:
            return None
        v = self.values(rec)
        if not _all_ok(v, ("doc_format", "year", "covenant_year", "max_score")):
            return None
        return ClusterInfo(
            name=_text(v["name"]),
            short_name=_text(v["short_name"]),
            parent_body=_text(v["parent_body"]),
            doc_format=DocFormat(v["doc_format"]),
            place=_text(v["place"]),
            year=v["year"],
            covenant_year=v["covenant_year"],
            max_score=v["max_score"],
            documents=documents,
            src=rec.source(self.file),
        )

    def build_scores(self) -> tuple[Score, ...]:
        scores = []
        for rec in self.table_records(SCORES) or []:
            v = self.values(rec)
            if not _ok(v["unit"]) or not _ok(v["criterion"]):
                continue
            scores.append(
                Score(
                    unit=v["unit"],
                    criterion=v["criterion"],
                    self_score=_dec(v["self_score"]),
                    cluster_score=_dec(v["cluster_score"]),
                    reason=_opt(v["reason"]),
                    src=rec.source(self.file),
                )
            )
        return tuple(scores)

    def build_adjustments(self) -> tuple[Adjustment, ...]:
        adjustments = []
        for rec in self.table_records(ADJUSTMENTS) or []:
            v = self.values(rec)
            if not _all_ok(v, ("unit", "kind", "points")):
                continue
            adjustments.append(
                Adjustment(
                    unit=v["unit"],
                    kind=AdjustmentKind(v["kind"]),
                    points=v["points"],
                    reason=_text(v["reason"]),
                    basis=_opt(v["basis"]),
                    src=rec.source(self.file),
                )
            )
        return tuple(adjustments)

    def build_meeting(self) -> Meeting | None:
        rec = self.keyvalue_record(MEETING)
        attendees = self.build_attendees()
        discussions = self.build_discussions()
        if rec is None:
            return None
        v = self.values(rec)
        if not _all_ok(v, ("date", "start", "end")):
            return None
        cells = {name: f.coord for name, f in rec.fields.items()}

        def person(prefix: str) -> Person:
            unit = v[f"{prefix}_unit"]
            return Person(
                name=_text(v[f"{prefix}_name"]),
                title=_text(v[f"{prefix}_title"]),
                unit=unit if _ok(unit) else None,
                src=Source(
                    self.file,
                    rec.sheet,
                    None,
                    {
                        "name": cells[f"{prefix}_name"],
                        "title": cells[f"{prefix}_title"],
                        "unit": cells[f"{prefix}_unit"],
                    },
                ),
            )

        return Meeting(
            date=v["date"],
            start=v["start"],
            end=v["end"],
            venue=_text(v["venue"]),
            chair=person("chair"),
            secretary=person("secretary"),
            attendees=attendees,
            discussions=discussions,
            src=rec.source(self.file, {"chair_name": "chair", "secretary_name": "secretary"}),
        )

    def build_attendees(self) -> tuple[Attendee, ...]:
        attendees = []
        for rec in self.table_records(ATTENDEES) or []:
            v = self.values(rec)
            unit = v["unit"] if _ok(v["unit"]) else None
            kind = v["kind"] if isinstance(v["kind"], str) else None
            if kind is None:
                kind = "thanh_vien" if rec.fields["unit"].raw is not None else "khach_moi"
            guest = kind == "khach_moi"
            if not guest and v["unit"] is None:
                self.report(
                    "required-blank",
                    rec.sheet,
                    rec.fields["unit"].coord or None,
                    f"Đại biểu đơn vị thành viên ở dòng {rec.row} chưa có mã đơn vị",
                    "Ghi mã đơn vị mà đại biểu đại diện; khách mời thì chọn Loại đại biểu là "
                    "Khách mời.",
                )
            present = v["present"]
            attendees.append(
                Attendee(
                    name=_text(v["name"]),
                    title=_text(v["title"]),
                    unit=unit,
                    organization=_opt(v["organization"]),
                    guest=guest,
                    present=present if isinstance(present, bool) else True,
                    absence_reason=_opt(v["absence_reason"]),
                    src=rec.source(self.file),
                )
            )
        return tuple(attendees)

    def build_discussions(self) -> tuple[Discussion, ...]:
        discussions = []
        for rec in self.table_records(DISCUSSIONS) or []:
            v = self.values(rec)
            discussions.append(
                Discussion(
                    order=rec.order,
                    speaker=_text(v["speaker"]),
                    unit=v["unit"] if _ok(v["unit"]) else None,
                    summary=_text(v["summary"]),
                    src=rec.source(self.file),
                )
            )
        return tuple(discussions)

    def build_proposals(
        self,
    ) -> tuple[tuple[CollectiveProposal, ...], tuple[IndividualProposal, ...]]:
        collective = []
        for rec in self.table_records(COLLECTIVE) or []:
            v = self.values(rec)
            if not _all_ok(v, ("unit", "form")):
                continue
            collective.append(
                CollectiveProposal(
                    order=rec.order,
                    unit=v["unit"],
                    form=v["form"],
                    achievement=_text(v["achievement"]),
                    vote=_opt(v["vote"]),
                    note=_opt(v["note"]),
                    src=rec.source(self.file),
                )
            )
        individual = []
        for rec in self.table_records(INDIVIDUAL) or []:
            v = self.values(rec)
            if not _all_ok(v, ("unit", "form", "gender")):
                continue
            individual.append(
                IndividualProposal(
                    order=rec.order,
                    name=_text(v["name"]),
                    gender=v["gender"],
                    birth_year=v["birth_year"] if isinstance(v["birth_year"], int) else None,
                    title=_text(v["title"]),
                    unit=v["unit"],
                    form=v["form"],
                    achievement=_text(v["achievement"]),
                    vote=_opt(v["vote"]),
                    note=_opt(v["note"]),
                    src=rec.source(self.file),
                )
            )
        return tuple(collective), tuple(individual)

    def build_rotation(self) -> Rotation | None:
        rec = self.keyvalue_record(ROTATION)
        if rec is None:
            return None
        v = self.values(rec)
        if not _all_ok(v, ("year", "head", "deputy")):
            return None
        return Rotation(
            year=v["year"],
            head=v["head"],
            deputy=v["deputy"],
            vote=_opt(v["vote"]),
            src=rec.source(self.file),
        )

    def build_covenant(self) -> tuple[CovenantTarget, ...]:
        targets = []
        for rec in self.table_records(COVENANT) or []:
            v = self.values(rec)
            targets.append(
                CovenantTarget(
                    order=rec.order,
                    section=_text(v["section"]),
                    text=_text(v["text"]),
                    src=rec.source(self.file),
                )
            )
        return tuple(targets)

    def build_narratives(self) -> tuple[Narrative, ...]:
        narratives = []
        for rec in self.table_records(NARRATIVES) or []:
            v = self.values(rec)
            if not isinstance(v["section"], str):
                continue
            narratives.append(
                Narrative(
                    section=v["section"],
                    unit=v["unit"] if _ok(v["unit"]) else None,
                    text=_text(v["text"]),
                    order=rec.order,
                    src=rec.source(self.file),
                )
            )
        return tuple(narratives)

    def document_lines(self, spec: Sheet) -> list[tuple[tuple[str, ...], str, int, Source]]:
        """The rows of CanCu or NoiNhan: the documents each belongs to, its text, order, source.

        A blank ``Văn bản`` (or ``Tất cả``) means every document; a row whose ``Văn bản`` cannot
        be read or whose text is blank (both reported at the cell) is left out.
        """
        lines = []
        for rec in self.table_records(spec) or []:
            v = self.values(rec)
            which, text = v["documents"], v["text"]
            if which is _BAD or not isinstance(text, str):
                continue
            documents = DOCUMENT_KINDS if which in (None, ALL_DOCUMENTS) else (which,)
            lines.append((documents, text, rec.order, rec.source(self.file)))
        return lines

    def build_base_salaries(self) -> tuple[BaseSalary, ...]:
        salaries = []
        for rec in self.table_records(BASE_SALARIES) or []:
            v = self.values(rec)
            if not _all_ok(v, ("amount", "effective_from")):
                continue
            salaries.append(
                BaseSalary(
                    amount=v["amount"],
                    effective_from=v["effective_from"],
                    src=rec.source(self.file),
                )
            )
        return tuple(salaries)

    def build_parameters(self, forms: dict[str, AwardForm]) -> Parameters | None:
        rec = self.keyvalue_record(PARAMETERS)
        salaries = self.build_base_salaries()
        if rec is None:
            return None
        v = self.values(rec)
        converters: dict[str, Callable[[Any], object]] = {
            "rank_method": RankMethod,
            "vote_base": VoteBase,
            "merit_quota_base": QuotaBase,
        }
        kwargs: dict[str, Any] = {}
        for name, value in v.items():
            if value is None or value is _BAD:
                continue  # blank: the model's default; unreadable: reported, default kept
            kwargs[name] = converters.get(name, _same)(value)
        return Parameters(
            base_salaries=salaries,
            award_forms=forms,
            decision_date=kwargs.pop("decision_date", None),
            src=rec.source(self.file),
            **kwargs,
        )


_NUMERIC = frozenset({ColType.INTEGER, ColType.DECIMAL, ColType.MONEY, ColType.RATIO})


def _same(value: object) -> object:
    return value


def _header_key(text: str) -> str:
    """How headers are compared: :func:`match_key`, without a trailing ``*`` or ``:``."""
    return match_key(normalize(text).rstrip("*: ").strip())


def _ok(value: object) -> bool:
    return value is not None and value is not _BAD


def _all_ok(values: dict[str, Any], names: tuple[str, ...]) -> bool:
    return all(_ok(values[name]) for name in names)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _opt(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _dec(value: object) -> Decimal | None:
    return value if isinstance(value, Decimal) else None


__all__ = [
    "ParseError",
    "date_value",
    "load",
    "number_value",
    "parse_number_text",
    "ratio_value",
    "time_value",
]
