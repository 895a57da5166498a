"""A located field → its value, by column type, with references resolved through tables.

Pure: no I/O. :func:`record_values` converts every field of a
:class:`~pipeline.workbook.reader.Record` the way its column's
:class:`~pipeline.workbook.schema.ColType` says: text normalised (legacy fonts decoded), numbers,
dates, times and shares through :mod:`pipeline.workbook.values`, choices matched to their
spellings, and references to units, criteria, award forms and votes resolved through the
:class:`References` passed in. Every value that cannot be read is reported at its cell into the
:class:`~pipeline.workbook.problems.ProblemSink` and comes back as :data:`BAD`.

The resolution tables are immutable values built from the sheets that define the codes
(:mod:`pipeline.workbook.assemble` builds them first); a conversion sees exactly the tables it
is given and nothing else.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Final

from pipeline.domain.model import Unit
from pipeline.vi import decode_legacy, legacy_encoding, match_key, normalize
from pipeline.workbook.problems import ProblemSink
from pipeline.workbook.reader import Field, Record
from pipeline.workbook.schema import SHEETS, ColType, Column, number_text, range_text
from pipeline.workbook.values import (
    ParseError,
    date_value,
    number_value,
    plain_text,
    ratio_value,
    time_value,
)

__all__ = [
    "BAD",
    "MAX_INTEGER",
    "CodeTable",
    "References",
    "UnitTable",
    "as_decimal",
    "as_optional_text",
    "as_text",
    "converted",
    "field_value",
    "ok",
    "record_values",
]

#: Whole numbers this large are typing mistakes, not years, counts or document numbers.
MAX_INTEGER = 10**9


class _Bad:
    """The type of :data:`BAD`."""

    def __repr__(self) -> str:
        return "BAD"


#: A value that could not be read (the problem is reported already).
BAD: Final = _Bad()

_NUMERIC = frozenset({ColType.INTEGER, ColType.DECIMAL, ColType.MONEY, ColType.RATIO})
# The column types as module constants: reading an enum member off its class costs about as
# much as converting a cell in Python 3.11, and a workbook converts a thousand cells.
_INTEGER, _DECIMAL, _MONEY, _RATIO = ColType.INTEGER, ColType.DECIMAL, ColType.MONEY, ColType.RATIO
_DATE, _TIME, _CHOICE, _BOOL, _LIST = (
    ColType.DATE,
    ColType.TIME,
    ColType.CHOICE,
    ColType.BOOL,
    ColType.LIST,
)
_UNIT, _CRITERION, _AWARD_FORM, _VOTE = (
    ColType.UNIT,
    ColType.CRITERION,
    ColType.AWARD_FORM,
    ColType.VOTE,
)
_NUMBER_TYPES = frozenset({_INTEGER, _DECIMAL, _MONEY})
_CHOICE_TYPES = frozenset({_CHOICE, _BOOL})


def ok(value: object) -> bool:
    """Whether a converted value is there and readable (neither blank nor :data:`BAD`)."""
    return value is not None and value is not BAD


def _all_ok(values: Mapping[str, Any], names: Iterable[str]) -> bool:
    """Whether every one of the fields ``names`` is :func:`ok`."""
    return all(ok(values[name]) for name in names)


def as_text(value: object) -> str:
    """A converted text, ``""`` when blank or unreadable."""
    return value if isinstance(value, str) else ""


def as_optional_text(value: object) -> str | None:
    """A converted text, ``None`` when blank or unreadable."""
    return value if isinstance(value, str) and value else None


def as_decimal(value: object) -> Decimal | None:
    """A converted number, ``None`` when blank or unreadable."""
    return value if isinstance(value, Decimal) else None


# --- resolution tables -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CodeTable:
    """The codes of one sheet (criteria, award forms or votes), by :func:`~pipeline.vi.match_key`.

    >>> CodeTable.of(["TC1", "tc1", "TC2"]).resolve("tc1 ")
    'TC1'
    >>> CodeTable().resolve("X")  # unknown codes stay as written: the rules report them
    'X'
    """

    codes: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def of(cls, codes: Iterable[str]) -> CodeTable:
        """The table of ``codes``; of two codes with the same key, the first is kept."""
        table: dict[str, str] = {}
        for code in codes:
            table.setdefault(match_key(code), code)
        return cls(MappingProxyType(table))

    def resolve(self, text: str) -> str:
        """The code ``text`` stands for, or ``text`` itself."""
        return self.codes.get(match_key(text), text)


@dataclass(frozen=True, slots=True)
class UnitTable:
    """How a unit reference resolves: by code, else by a full name, short name or alias.

    ``codes`` maps the key of each code to the code; ``names`` maps the key of every other name
    to the code of the one unit that has it, or to ``None`` when several units share it.
    """

    codes: Mapping[str, str]
    names: Mapping[str, str | None]

    @classmethod
    def of(cls, units: Iterable[Unit]) -> UnitTable:
        codes: dict[str, str] = {}
        owners: dict[str, set[str]] = defaultdict(set)
        for unit in units:
            codes.setdefault(match_key(unit.code), unit.code)
            for name in (unit.full_name, unit.short_name, *unit.aliases):
                if name:
                    owners[match_key(name)].add(unit.code)
        names = {
            key: next(iter(found)) if len(found) == 1 else None
            for key, found in owners.items()
            if key not in codes
        }
        return cls(MappingProxyType(codes), MappingProxyType(names))


@dataclass(frozen=True, slots=True)
class References:
    """The tables references are resolved through.

    ``units`` is ``None`` while no unit table exists (the ``DonVi`` sheet is missing or cannot
    be read, which is reported already): unit references are then kept as written. Empty code
    tables keep every code as written.
    """

    units: UnitTable | None = None
    criteria: CodeTable = field(default_factory=CodeTable)
    forms: CodeTable = field(default_factory=CodeTable)
    votes: CodeTable = field(default_factory=CodeTable)


# --- converting ------------------------------------------------------------------------------


def record_values(rec: Record, refs: References, sink: ProblemSink) -> dict[str, Any]:
    """Every field of ``rec``, converted: the value, ``None`` when blank, or :data:`BAD`."""
    return {name: field_value(rec, f, refs, sink) for name, f in rec.fields.items()}


def converted(
    records: Iterable[Record] | None,
    refs: References,
    sink: ProblemSink,
    needs: tuple[str, ...] = (),
) -> Iterator[tuple[Record, dict[str, Any]]]:
    """Each record with its :func:`record_values`, in sheet order, leaving out those whose
    fields ``needs`` are blank or unreadable (the problem is reported at the cell)."""
    for rec in records or ():
        values = record_values(rec, refs, sink)
        if _all_ok(values, needs):
            yield rec, values


def field_value(rec: Record, f: Field, refs: References, sink: ProblemSink) -> Any:
    """The converted value of one field of ``rec``: the value, ``None`` when blank, or
    :data:`BAD`. Reports blank required cells and unreadable values at their cell."""
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
        sink.report(code, sheet, f.coord, f"Ô “{column.header}”: {raw.error}", hint)
        return BAD
    if (
        raw is None
        or raw.value is None
        or (isinstance(raw.value, str) and not normalize(raw.value))
    ):
        if column.required and f.coord:  # no cell: the missing key is reported already
            _report_blank(rec, f, sink)
        return None
    try:
        value = _convert(rec, f, refs, sink)
        if rec.row is None:  # a setting: no rule judges its range, the loader does
            _in_range(column, value)
        return value
    except ParseError as exc:
        sink.report(
            "number-format" if column.type in _NUMERIC else "value-format",
            sheet,
            f.coord,
            f"Ô “{column.header}”: {exc.message}",
            exc.hint,
        )
        return BAD


def _in_range(column: Column, value: object) -> None:
    """Refuse a setting's number outside its column's documented range (a negative bonus cap
    or score step would silently change totals or switch a rule off)."""
    if not isinstance(value, int | Decimal) or isinstance(value, bool):
        return
    low, high = column.minimum, column.maximum
    if (low is not None and value < low) or (high is not None and value > high):
        shown = str(value) if isinstance(value, int) else number_text(value)
        bounds = range_text(column)
        raise ParseError(f"{shown} nằm ngoài khoảng cho phép ({bounds})", f"Nhập số {bounds}.")


def _report_blank(rec: Record, f: Field, sink: ProblemSink) -> None:
    where = f"ở dòng {rec.row}" if rec.row is not None else ""
    extra = " (ô trống không được hiểu là 0)" if f.column.type in _NUMERIC else ""
    sink.report(
        "required-blank",
        rec.sheet,
        f.coord or None,
        f"Thiếu “{f.column.header}” {where}{extra}".replace("  ", " ").strip(),
        f"Điền ô này: {f.column.meaning}"
        + (f" Ví dụ: {f.column.example}." if f.column.example else ""),
    )


def _text_of(sheet: str, f: Field, sink: ProblemSink) -> str | None:
    """The cell's text, NFC-normalised, legacy fonts decoded; None when blank."""
    raw = f.raw
    if raw is None or raw.value is None:
        return None
    value = raw.value
    if isinstance(value, str):
        if raw.font and _is_legacy(raw.font):
            decoded = decode_legacy(value, raw.font)
            if decoded is not None and decoded != value:
                sink.legacy_font(sheet, f.coord, raw.font)
                value = decoded
        text = normalize(value)
    else:
        text = normalize(plain_text(value))
    return text or None


def _is_legacy(font: str) -> bool:
    """Whether text in ``font`` is in a legacy encoding (remembered: a workbook uses a few
    fonts for thousands of cells)."""
    legacy = _LEGACY_FONTS.get(font)
    if legacy is None:
        legacy = legacy_encoding(font) is not None
        if len(_LEGACY_FONTS) < 1024:
            _LEGACY_FONTS[font] = legacy
    return legacy


_LEGACY_FONTS: dict[str, bool] = {}


def _convert(rec: Record, f: Field, refs: References, sink: ProblemSink) -> Any:
    column = f.column
    raw = f.raw
    assert raw is not None
    kind = column.type
    if kind in _NUMBER_TYPES:
        value = raw.value
        if isinstance(value, str):
            value = _text_of(rec.sheet, f, sink) or ""
        number = number_value(value)
        if kind is _INTEGER:
            if number != number.to_integral_value() or abs(number) >= MAX_INTEGER:
                raise ParseError(
                    f"“{plain_text(raw.value)}” không phải là số nguyên",
                    "Nhập một số nguyên, ví dụ 2014 hoặc 9.",
                )
            return int(number)
        return number
    if kind is _RATIO:
        value = raw.value
        if isinstance(value, str):
            value = _text_of(rec.sheet, f, sink) or ""
        return ratio_value(value)
    if kind is _DATE:
        return date_value(_text_of(rec.sheet, f, sink) if isinstance(raw.value, str) else raw.value)
    if kind is _TIME:
        return time_value(_text_of(rec.sheet, f, sink) if isinstance(raw.value, str) else raw.value)
    if kind is _BOOL and isinstance(raw.value, bool):
        return raw.value
    text = _text_of(rec.sheet, f, sink)
    if text is None:
        return None
    if kind in _CHOICE_TYPES:
        found = _choices(column).get(match_key(text))
        if found is None:
            allowed = "; ".join(c.label for c in column.choices)
            raise ParseError(
                f"“{text}” không có trong danh sách",
                f"Chọn một trong: {allowed}.",
            )
        if kind is _BOOL:
            return found == "co"
        return found
    if kind is _LIST:
        parts = [normalize(p) for p in re.split(r"[;\n]", text)]
        return tuple(p for p in parts if p)
    if kind is _UNIT:
        return _unit_ref(rec, f, text, refs.units, sink)
    if kind is _CRITERION:
        return refs.criteria.resolve(text)
    if kind is _AWARD_FORM:
        return refs.forms.resolve(text)
    if kind is _VOTE:
        return refs.votes.resolve(text)
    return text


def _choice_map(column: Column) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for choice in column.choices:
        for spelling in choice.spellings():
            mapping.setdefault(match_key(spelling), choice.value)
    return mapping


# The schema's columns live as long as the module, so their identity is a safe key.
_CHOICE_MAPS = {id(column): _choice_map(column) for sheet in SHEETS for column in sheet.columns}


def _choices(column: Column) -> Mapping[str, str]:
    """Spelling key → value of a choice column."""
    mapping = _CHOICE_MAPS.get(id(column))
    return _choice_map(column) if mapping is None else mapping


def _unit_ref(rec: Record, f: Field, text: str, units: UnitTable | None, sink: ProblemSink) -> Any:
    if units is None:
        return text
    key = match_key(text)
    if key in units.codes:
        return units.codes[key]
    if key in units.names:
        code = units.names[key]
        if code is None:
            sink.report(
                "unit-ambiguous",
                rec.sheet,
                f.coord,
                f"“{text}” là tên gọi của nhiều đơn vị",
                "Ghi mã đơn vị thay cho tên gọi, hoặc sửa tên gọi khác ở sheet DonVi cho "
                "khỏi trùng.",
            )
            return BAD
        sink.unit_alias(rec.sheet, text, code, f.coord)
        return code
    codes = ", ".join(list(units.codes.values())[:12])
    sink.report(
        "unit-unknown",
        rec.sheet,
        f.coord,
        f"Không có đơn vị “{text}” trong sheet DonVi",
        f"Ghi một mã đơn vị ({codes}) hoặc khai báo “{text}” ở cột Tên gọi khác của đơn vị đó.",
    )
    return BAD
