"""The problems of reading one workbook: collected as they are found, given back in sheet order.

Pure: no I/O. A :class:`ProblemSink` is the one place that reading a file writes what it finds:
problems, the cells whose legacy (TCVN3/VNI) font was decoded, and the unit references written
with another name instead of the code. :meth:`ProblemSink.finish` turns all of it into the list
the user sees: one legacy-font warning and one alias note per case instead of one per cell,
sorted by sheet (in schema order), then row and column (:func:`pipeline.errors.cell_order`),
and at most :data:`MAX_PROBLEMS_PER_KIND` problems of one kind in one sheet, the rest counted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from pipeline.errors import Location, Problem, Severity, cell_order
from pipeline.workbook.schema import SHEETS

__all__ = ["MAX_PROBLEMS_PER_KIND", "ProblemSink"]

#: After this many problems of one kind in one sheet, the rest are counted, not listed.
MAX_PROBLEMS_PER_KIND = 25
#: How many decoded cells the legacy-font warning names before it counts the rest.
_LEGACY_SHOWN = 12

_SHEET_ORDER = {s.name: i for i, s in enumerate(SHEETS)}


class ProblemSink:
    """Collects what reading the file ``file`` finds; :meth:`finish` gives the user's list.

    Adding never depends on what was added before, and :meth:`finish` does not change the sink.
    Problems that compare equal in :meth:`finish`'s order (same sheet, same cell) keep the
    order in which they were added.
    """

    def __init__(self, file: str) -> None:
        self.file = file
        self._problems: list[Problem] = []
        self._legacy: dict[str, dict[tuple[str, str], None]] = {}  # sheet → {(cell, font)}
        self._aliases: dict[tuple[str, str], tuple[str, str]] = {}  # (sheet, text) → code, cell

    @property
    def problems(self) -> tuple[Problem, ...]:
        """The problems added so far, in the order they were added (no summaries)."""
        return tuple(self._problems)

    def add(self, problem: Problem) -> None:
        self._problems.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        self._problems.extend(problems)

    def report(
        self,
        code: str,
        sheet: str | None,
        cell: str | None,
        message: str,
        hint: str,
        severity: Severity = "error",
    ) -> None:
        """Add a problem located at ``sheet!cell`` of this file."""
        where = Location(self.file, sheet, cell)
        self._problems.append(Problem(severity, code, message, hint, where))

    def legacy_font(self, sheet: str, cell: str, font: str) -> None:
        """The text of ``sheet!cell``, in the legacy font ``font``, was decoded to Unicode."""
        self._legacy.setdefault(sheet, {})[(cell, font)] = None

    def unit_alias(self, sheet: str, text: str, code: str, cell: str) -> None:
        """``text`` in ``sheet!cell`` was read as the unit ``code`` (the first cell is named)."""
        self._aliases.setdefault((sheet, text), (code, cell))

    def finish(self) -> list[Problem]:
        """The problems, in workbook order, with long runs of one kind summarised."""
        ordered = sorted(
            [*self._problems, *self._legacy_warnings(), *self._alias_notes()], key=_workbook_order
        )
        return _capped(ordered, self.file)

    def _legacy_warnings(self) -> list[Problem]:
        warnings = []
        for sheet, decoded in self._legacy.items():
            cells = list(decoded)
            fonts = sorted({font for _, font in cells})
            shown = ", ".join(coord for coord, _ in cells[:_LEGACY_SHOWN])
            more = f" và {len(cells) - _LEGACY_SHOWN} ô khác" if len(cells) > _LEGACY_SHOWN else ""
            warnings.append(
                Problem(
                    "warning",
                    "legacy-font",
                    f"Đã chuyển {len(cells)} ô gõ bằng phông cũ ({', '.join(fonts)}) sang "
                    f"Unicode: {shown}{more}",
                    "Kiểm tra lại chữ ở các ô này; nên gõ lại bằng phông Unicode (Times New "
                    "Roman, Arial) để văn bản không sai dấu.",
                    Location(self.file, sheet, cells[0][0]),
                )
            )
        return warnings

    def _alias_notes(self) -> list[Problem]:
        return [
            Problem(
                "info",
                "unit-alias",
                f"“{typed}” được hiểu là đơn vị {code}",
                f"Có thể ghi mã {code} cho rõ; tên gọi khác khai báo ở sheet DonVi.",
                Location(self.file, sheet, cell),
            )
            for (sheet, typed), (code, cell) in self._aliases.items()
        ]


def _workbook_order(problem: Problem) -> tuple[bool, int, tuple[int, int]]:
    """Problems without a sheet first, then by sheet in schema order (a sheet the schema does not
    name after those), then by cell."""
    sheet = problem.location.sheet
    return (
        sheet is not None,
        _SHEET_ORDER.get(sheet or "", len(_SHEET_ORDER)),
        cell_order(problem.location.cell),
    )


def _capped(ordered: list[Problem], file: str) -> list[Problem]:
    """At most :data:`MAX_PROBLEMS_PER_KIND` problems of one code in one sheet, then a count."""
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
                    Location(file, where),
                )
            )
    return kept
