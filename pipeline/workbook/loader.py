"""Read a score workbook into a :class:`~pipeline.domain.model.Dossier`, reporting every cell
problem.

:func:`load` is the workbook stage's entry (also importable as ``pipeline.workbook.load``). The
flow, one module a step, each taking what the step before returned:

1. :func:`~pipeline.workbook.xlsx_read.read_workbook`: the file → raw cells (the only I/O);
2. :func:`~pipeline.workbook.reader.read_sheets`: raw sheets → located records, driven by
   :mod:`pipeline.workbook.schema`;
3. :func:`~pipeline.workbook.assemble.assemble`: records → the dossier, resolution tables
   first (:mod:`pipeline.workbook.convert`, :mod:`pipeline.workbook.values`);
4. :meth:`~pipeline.workbook.problems.ProblemSink.finish`: every problem, in workbook order.

It never stops at the first problem: it reads every sheet and every cell, reports what it cannot
read (file, sheets, headers, blank required cells, numbers, dates, choices, unit references,
formulas without a value, legacy fonts, merged cells, hidden rows) and returns a dossier for any
file it can open, however broken, so that the rules judge everything else in the same pass (see
:mod:`pipeline.workbook.assemble` for what becomes of a sheet or a cell that cannot be read).
The dossier is ``None`` only when the file cannot be read as a workbook at all.

Rules that need the whole dossier (duplicates, sums, ranks, quorum…) belong to
:mod:`pipeline.domain.rules`; this stage reports only what it finds while reading cells, plus the
two duplicates a dossier cannot hold (award-form codes and documents, which are keyed).
"""

from __future__ import annotations

from pathlib import Path

from pipeline.domain.model import Dossier
from pipeline.errors import Location, Problem
from pipeline.workbook.assemble import assemble
from pipeline.workbook.problems import MAX_PROBLEMS_PER_KIND, ProblemSink
from pipeline.workbook.reader import read_sheets
from pipeline.workbook.schema import SHARED_FILE
from pipeline.workbook.shared import SharedSettings, read_shared
from pipeline.workbook.xlsx_package import display_name
from pipeline.workbook.xlsx_read import read_workbook

__all__ = ["MAX_PROBLEMS_PER_KIND", "SharedFiles", "load", "load_shared", "shared_beside"]


def load(path: Path, shared: SharedSettings | None = None) -> tuple[Dossier | None, list[Problem]]:
    """Read the workbook at ``path``: the dossier (or ``None``) and every problem found.

    Problems name the file as ``path.name`` (never an absolute path; bytes that are not UTF-8
    shown as ``�``), the sheet and the cell. ``shared`` is the province's shared settings the
    workbook's rows are laid over (:mod:`pipeline.workbook.shared`; :class:`SharedFiles` finds
    and reads them once a run); its own problems are not repeated here, but when it has errors
    the workbook gets one error naming it.
    """
    label = display_name(path)
    raw, problems = read_workbook(path, label)
    if raw is None:
        return None, problems
    sink = ProblemSink(label)
    sink.extend(problems)
    if shared is not None and not shared.usable:
        sink.add(_shared_unusable(shared, label))
    dossier = assemble(read_sheets(raw, label), str(path), sink, shared)
    return dossier, sink.finish()


def load_shared(path: Path) -> SharedSettings:
    """Read the shared settings file at ``path``; its problems name it by ``path.name``."""
    label = display_name(path)
    raw, problems = read_workbook(path, label)
    if raw is None:
        return SharedSettings(label, {}, {}, (), (), (), None, tuple(problems))
    return read_shared(raw.sheets, label)


def shared_beside(workbook: Path) -> Path | None:
    """The shared settings file of a cluster workbook: :data:`~pipeline.workbook.schema.
    SHARED_FILE` in the same folder, if there is one."""
    candidate = workbook.parent / SHARED_FILE
    return candidate if candidate.is_file() else None


class SharedFiles:
    """The shared settings files of one run, each read once however many workbooks use it."""

    def __init__(self) -> None:
        self._read: dict[Path, SharedSettings] = {}

    def of(self, workbook: Path) -> tuple[Path | None, SharedSettings | None, list[Problem]]:
        """The shared file beside ``workbook`` (``None``: none), what it holds, and its problems
        the first time it is met (later: ``[]``, so they are reported once)."""
        path = shared_beside(workbook)
        if path is None:
            return None, None, []
        key = path.resolve()
        if key in self._read:
            return path, self._read[key], []
        settings = self._read[key] = load_shared(path)
        return path, settings, list(settings.problems)

    def problems_of(self, path: Path) -> list[Problem]:
        """The problems of the shared file ``path`` itself (when it is named on the command
        line), unless they were reported already."""
        key = path.resolve()
        if key in self._read:
            return []
        self._read[key] = load_shared(path)
        return list(self._read[key].problems)


def _shared_unusable(shared: SharedSettings, workbook: str) -> Problem:
    """The error of ``workbook`` (located there: one for each workbook the file stops)."""
    return Problem(
        "error",
        "shared-invalid",
        f"Tệp cài đặt chung {shared.file} có lỗi nên workbook này chưa lập được",
        f"Sửa các lỗi của {shared.file} (xem danh sách lỗi, hoặc chạy: thidua check), rồi "
        "chạy lại.",
        Location(file=workbook),
    )
