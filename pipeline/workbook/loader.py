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
from pipeline.errors import Problem
from pipeline.workbook.assemble import assemble
from pipeline.workbook.problems import MAX_PROBLEMS_PER_KIND, ProblemSink
from pipeline.workbook.reader import read_sheets
from pipeline.workbook.xlsx_package import display_name
from pipeline.workbook.xlsx_read import read_workbook

__all__ = ["MAX_PROBLEMS_PER_KIND", "load"]


def load(path: Path) -> tuple[Dossier | None, list[Problem]]:
    """Read the workbook at ``path``: the dossier (or ``None``) and every problem found.

    Problems name the file as ``path.name`` (never an absolute path; bytes that are not UTF-8
    shown as ``�``), the sheet and the cell.
    """
    label = display_name(path)
    raw, problems = read_workbook(path, label)
    if raw is None:
        return None, problems
    sink = ProblemSink(label)
    sink.extend(problems)
    dossier = assemble(read_sheets(raw, label), str(path), sink)
    return dossier, sink.finish()
