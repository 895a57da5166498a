"""Reading and checking workbooks: what ``thidua check`` does, and the first step of a build.

:func:`load_and_validate` reads one workbook over the province's shared settings file beside it
(:mod:`pipeline.workbook.shared`), computes its results once and runs the validation rules;
:func:`check` and :func:`review` do it for every workbook of a run, by a process per core
(:mod:`pipeline.parallel`); :func:`check_templates` is ``thidua templates check``. Nothing here
writes a file or imports the output stage, so that ``thidua check`` starts quickly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import Location, Problem, ThiduaError, has_errors
from pipeline.workbook.schema import SHARED_FILE

if TYPE_CHECKING:
    from pipeline.documents.templates import TemplatesReport
    from pipeline.domain.model import Dossier
    from pipeline.domain.scoring import Results
    from pipeline.workbook.loader import SharedFiles


def default_workbooks(inputs: Path) -> list[Path]:
    """Every workbook in ``inputs/``, skipping Excel's lock files (``~$…``) and names that start
    with ``_`` (the blank workbook ``_mau-trong.xlsx``)."""
    found = sorted(
        p for p in inputs.glob("*.xlsx") if p.is_file() and not p.name.startswith(("~$", "_", "."))
    )
    if not found:
        raise ThiduaError(
            Problem(
                "error",
                "no-input",
                "Không có workbook nào để lập văn bản",
                "Chép inputs/_mau-trong.xlsx thành một tệp mới trong inputs/ (tên không bắt đầu "
                "bằng _) rồi nhập số liệu, hoặc chỉ rõ tệp: thidua build DUONG_DAN.xlsx. Chưa có "
                "thư mục làm việc: thidua init THU_MUC; xem thử ví dụ: thidua build vi-du/*.xlsx",
                Location(file=str(inputs)),
            )
        )
    return found


@dataclass(frozen=True, slots=True)
class Checked:
    """One workbook, read and validated: its dossier (``None`` when it could not be read), the
    results computed once from it (``None`` when totals and ranks cannot be computed), every
    problem found, and the shared settings file it was read over (``None``: none)."""

    path: Path
    dossier: Dossier | None
    results: Results | None
    problems: list[Problem]
    shared: Path | None = None

    @property
    def is_shared_file(self) -> bool:
        """Whether this is the shared settings file itself, named on the command line (checked
        as a shared file: no dossier, and no error when it is clean)."""
        return self.shared == self.path


def load_and_validate(path: Path, shared: SharedFiles | None = None) -> Checked:
    """Load and validate one workbook over the shared settings file beside it (read once a run
    through ``shared``; its own problems come first the first time it is met)."""
    from pipeline.domain.rules import validate
    from pipeline.domain.scoring import results_if_computable
    from pipeline.workbook.loader import SharedFiles, load

    shared = shared or SharedFiles()
    if path.name == SHARED_FILE:  # named on the command line: checked as what it is
        return Checked(path, None, None, shared.problems_of(path), path)
    shared_path, settings, problems = shared.of(path)
    dossier, own = load(path, settings)
    problems += own
    if dossier is None:
        return Checked(path, None, None, problems, shared_path)
    results = results_if_computable(dossier)
    # A cell the loader already reported is not reported again by the rules.
    reported = {
        (p.location.file, p.location.sheet, p.location.cell)
        for p in problems
        if p.is_error and p.location.cell
    }
    problems += [
        p
        for p in validate(dossier, results)
        if (p.location.file, p.location.sheet, p.location.cell) not in reported
    ]
    return Checked(path, dossier, results, problems, shared_path)


#: What :func:`load_and_validate` imports (for the process pool: see
#: :func:`~pipeline.parallel.map_in_processes`).
LOADING = ("pipeline.domain.rules", "pipeline.domain.scoring", "pipeline.workbook.loader")


def check(paths: Sequence[Path]) -> list[Problem]:
    """Every problem of every workbook (loading and validation), in file order; the problems of
    a shared settings file once, before those of the first workbook read over it."""
    # dict.fromkeys: workers of the pool each read the shared file and report its problems.
    return list(dict.fromkeys(p for one in _checked_all(paths) for p in one.problems))


def _checked_all(paths: Sequence[Path]) -> list[Checked]:
    """:func:`load_and_validate` of every workbook, by a process per core (see
    :mod:`pipeline.parallel`), each process reading a shared settings file once."""
    from pipeline.parallel import map_in_processes
    from pipeline.workbook.loader import SharedFiles

    _RUN_SHARED.append(SharedFiles())
    try:
        return map_in_processes(_check_job, paths, imports=LOADING)
    finally:
        _RUN_SHARED.pop()


#: The shared settings files read by the running check or build (forked workers inherit them;
#: other workers, or a call outside a run, start their own).
_RUN_SHARED: list[SharedFiles] = []


def _check_job(path: Path) -> Checked:
    if not _RUN_SHARED:
        from pipeline.workbook.loader import SharedFiles

        _RUN_SHARED.append(SharedFiles())
    return load_and_validate(path, _RUN_SHARED[-1])


@dataclass(frozen=True, slots=True)
class Review:
    """One workbook as ``thidua check`` shows it: its problems and, when it has no error, the
    template context its documents would be filled from (for the ranking, see
    :mod:`pipeline.review`)."""

    path: Path
    problems: list[Problem]
    context: dict[str, object] | None


def review(paths: Sequence[Path]) -> list[Review]:
    """Every workbook checked as :func:`check` does, with the context of each one that a
    build would accept."""
    from pipeline.documents.context import build_context

    reviews = []
    seen: set[Problem] = set()
    for path, checked in zip(paths, _checked_all(paths), strict=True):
        context = None
        dossier, results = checked.dossier, checked.results
        readable = dossier is not None and results is not None and not checked.is_shared_file
        if readable and not has_errors(checked.problems):
            assert dossier is not None and results is not None
            context = build_context(dossier, results)
        problems = [p for p in checked.problems if p not in seen]
        seen.update(problems)
        reviews.append(Review(path, problems, context))
    return reviews


def check_templates(
    templates_dir: Path | None, *, allow_external: bool
) -> TemplatesReport:
    """What ``thidua templates check`` reports: every problem a build would meet in the
    templates — the analysis of each file (tags, names against the documented context,
    external links), then, for the templates that compile, a trial rendering with the bundled
    sample workbook in both layouts (a value a filter refuses, a template over a limit)."""
    from dataclasses import replace

    from pipeline.documents.context import build_context
    from pipeline.documents.templates import (
        check_templates as analyse_templates,
    )
    from pipeline.documents.templates import (
        compile_templates,
        find_templates,
        resolve_templates_dir,
        trial_problems,
    )
    from pipeline.domain.model import DocFormat
    from pipeline.resources import bundled_inputs_dir
    from pipeline.workbook.schema import SAMPLE_FILE

    directory = resolve_templates_dir(templates_dir)
    report = analyse_templates(directory, allow_external=allow_external)
    if not find_templates(directory):
        return report
    compiled, _ = compile_templates(find_templates(directory), allow_external=allow_external)
    sample = load_and_validate(bundled_inputs_dir() / SAMPLE_FILE)
    if sample.dossier is None or sample.results is None:
        return report  # no trial without the sample (it always loads in a release)
    contexts = [
        build_context(
            replace(sample.dossier, cluster=replace(sample.dossier.cluster, doc_format=f)),
            sample.results,
        )
        for f in DocFormat
    ]
    report.problems.extend(trial_problems(compiled, contexts))
    return report
