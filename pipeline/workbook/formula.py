"""The value of a simple spreadsheet formula, computed from the cells it reads.

Pure: no I/O, no openpyxl. :func:`evaluate_formula` understands what a score sheet needs when a
file was saved by a tool that does not calculate (no cached value): numbers, same-sheet
references and ranges, ``+ - * /``, parentheses and ``SUM``. Anything else raises
:class:`FormulaError` with a Vietnamese reason, so a formula is computed or reported, never read
as 0. :mod:`pipeline.workbook.xlsx_read` uses it to fill in missing cached values and to check
cached ones against their cells.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal, DivisionByZero, InvalidOperation

from pipeline.errors import cell_order
from pipeline.workbook.schema import column_letter

__all__ = ["FormulaError", "evaluate_formula"]


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
    """(row, column) of a reference token such as ``$C$2`` or ``c2``."""
    return cell_order(text.replace("$", "").upper())


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
    pipeline.workbook.formula.FormulaError: chia cho 0
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
