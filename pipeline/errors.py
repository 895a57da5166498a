"""Problems a user can fix, and the one exception that carries them.

Every message a secretary sees goes through :class:`Problem`: where (file, sheet and cell, or
template, part and surrounding text), what is wrong, and how to fix it, in Vietnamese. Code that
finds problems collects them all and raises :class:`ThiduaError` once; the command line prints
them with :func:`format_problems` and exits with status 1, never with a traceback.

This module imports nothing from the package, so every other module may import it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]

_SEVERITY_LABEL: dict[str, str] = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Lưu ý"}


@dataclass(frozen=True, slots=True)
class Location:
    """Where a problem is.

    A workbook location has ``file`` and usually ``sheet`` and ``cell`` (``"C7"``, or a range such
    as ``"C7:C15"``). A template location has ``template``, ``part`` (``"body"``, ``"header"``,
    ``"footer"``, …) and ``placeholder``: the tag or the surrounding text that lets a person find
    the spot in Word. ``None`` means "not known or not relevant".

    >>> str(Location(file="cum.xlsx", sheet="DonVi", cell="B4"))
    'cum.xlsx › DonVi!B4'
    >>> str(Location(file="cum.xlsx", sheet="DonVi"))
    'cum.xlsx › DonVi'
    >>> str(Location(template="01-bao-cao.docx", part="header", placeholder="{{ so_ky_hieu }}"))
    '01-bao-cao.docx › header: {{ so_ky_hieu }}'
    """

    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    template: str | None = None
    part: str | None = None
    placeholder: str | None = None

    def __str__(self) -> str:
        pieces: list[str] = []
        if self.file:
            pieces.append(self.file)
        if self.sheet:
            pieces.append(f"{self.sheet}!{self.cell}" if self.cell else self.sheet)
        if self.template:
            pieces.append(self.template)
        text = " › ".join(pieces)
        if self.part:
            text = f"{text} › {self.part}" if text else self.part
        if self.placeholder:
            text = f"{text}: {self.placeholder}" if text else self.placeholder
        return text


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the user's input.

    ``code`` is a stable rule identifier (``"B9"``, ``"doc-so"``, ``"template-syntax"``) that tests
    and ``--json`` consumers can rely on; ``message`` says what is wrong and ``hint`` how to fix
    it, both in Vietnamese.

    >>> p = Problem("error", "B9", "Điểm 160 lớn hơn điểm tối đa 150", "Sửa lại điểm",
    ...             Location(file="cum.xlsx", sheet="ChamDiem", cell="D5"))
    >>> str(p)
    'cum.xlsx › ChamDiem!D5: Điểm 160 lớn hơn điểm tối đa 150 — Sửa lại điểm'
    """

    severity: Severity
    code: str
    message: str
    hint: str
    location: Location = Location()

    def __str__(self) -> str:
        where = str(self.location)
        text = f"{where}: {self.message}" if where else self.message
        return f"{text} — {self.hint}" if self.hint else text

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dict: severity, code, message, hint and the location's fields."""
        data: dict[str, object] = {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }
        data.update({k: v for k, v in asdict(self.location).items() if v is not None})
        return data


class ThiduaError(Exception):
    """A user mistake: shown as Vietnamese messages, never as a traceback.

    Carries every problem found, so the user fixes them all in one pass.
    """

    def __init__(self, problems: Problem | Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = (
            (problems,) if isinstance(problems, Problem) else tuple(problems)
        )
        super().__init__("\n".join(str(p) for p in self.problems))


def has_errors(problems: Iterable[Problem]) -> bool:
    """True if any problem is an error (blocks generation)."""
    return any(p.is_error for p in problems)


def format_problems(problems: Sequence[Problem]) -> str:
    """Problems grouped by file and sheet (or template), errors first within each group.

    >>> loc = Location(file="a.xlsx", sheet="DonVi", cell="B3")
    >>> print(format_problems([Problem("warning", "W", "Tên lạ", "Kiểm tra lại", loc),
    ...                        Problem("error", "E", "Thiếu mã", "Nhập mã", loc)]))
    a.xlsx › DonVi
      Lỗi: a.xlsx › DonVi!B3: Thiếu mã — Nhập mã
      Cảnh báo: a.xlsx › DonVi!B3: Tên lạ — Kiểm tra lại
    1 lỗi, 1 cảnh báo.
    """
    groups: dict[str, list[Problem]] = {}
    for problem in problems:
        loc = problem.location
        key = " › ".join(x for x in (loc.file, loc.sheet, loc.template) if x) or "(chung)"
        groups.setdefault(key, []).append(problem)
    lines: list[str] = []
    for key, items in groups.items():
        lines.append(key)
        for problem in sorted(items, key=_reading_order):
            lines.append(f"  {_SEVERITY_LABEL[problem.severity]}: {problem}")
    counts = [
        f"{n} {_SEVERITY_LABEL[s].lower()}"
        for s in ("error", "warning", "info")
        if (n := sum(p.severity == s for p in problems))
    ]
    lines.append((", ".join(counts) if counts else "Không có vấn đề nào") + ".")
    return "\n".join(lines)


_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
_CELL = re.compile(r"([A-Z]+)(\d+)")


def cell_order(cell: str | None) -> tuple[int, int]:
    """Where an A1 cell stands in reading order: ``(row, column number)``, as a sort key.

    A range counts by its first cell; no cell (or anything that does not start like an A1
    address) is ``(0, 0)``, before every cell. Every ordering of problems by cell uses this.

    >>> cell_order("B3"), cell_order("AA3"), cell_order("C7:C15"), cell_order(None)
    ((3, 2), (3, 27), (7, 3), (0, 0))
    >>> sorted(["AA1", "B2", "Z1", None, "B10"], key=cell_order)
    [None, 'Z1', 'AA1', 'B2', 'B10']
    """
    match = _CELL.match(cell or "")
    if match is None:
        return (0, 0)
    column = 0
    for letter in match.group(1):
        column = column * 26 + ord(letter) - 64
    return (int(match.group(2)), column)


def _reading_order(problem: Problem) -> tuple[int, int, int]:
    """Errors first, then warnings, then notes; within each, by row, then column."""
    return (_SEVERITY_ORDER[problem.severity], *cell_order(problem.location.cell))


def problems_json(problems: Sequence[Problem]) -> str:
    """The same problems as :func:`format_problems`, as a JSON array for machines."""
    return json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2)
