"""The one module that sequences a run: read → validate → compute → render in memory → write.

Nothing is written until every workbook has loaded and validated without errors and every
document has rendered; then all files are written together (see :mod:`pipeline.output`), so a
failed run leaves the previous outputs exactly as they were.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import __version__
from pipeline.domain.model import Dossier
from pipeline.domain.scoring import Results
from pipeline.errors import Location, Problem, ThiduaError, format_problems, has_errors
from pipeline.output import interrupts
from pipeline.output.folder import Job, Pdfs, Plan, plan_build
from pipeline.output.journal import recover
from pipeline.output.manifest import MANIFEST, FileRecord
from pipeline.output.names import document_name, folder_slug, name_key
from pipeline.output.ownership import owner_of
from pipeline.output.staged import FolderCommit, commit_folders
from pipeline.testhooks import pause_point

if TYPE_CHECKING:
    from pipeline.documents.templates import TemplatesReport

Echo = Callable[[str], object]


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
class _Checked:
    """One workbook, read and validated: its dossier (``None`` when it could not be read), the
    results computed once from it (``None`` when totals and ranks cannot be computed) and every
    problem found."""

    path: Path
    dossier: Dossier | None
    results: Results | None
    problems: list[Problem]


def _load_and_validate(path: Path) -> _Checked:
    from pipeline.domain.rules import validate
    from pipeline.domain.scoring import results_if_computable
    from pipeline.workbook.loader import load

    dossier, problems = load(path)
    if dossier is None:
        return _Checked(path, None, None, problems)
    results = results_if_computable(dossier)
    # A cell the loader already reported is not reported again by the rules.
    reported = {
        (p.location.sheet, p.location.cell) for p in problems if p.is_error and p.location.cell
    }
    problems += [
        p for p in validate(dossier, results) if (p.location.sheet, p.location.cell) not in reported
    ]
    return _Checked(path, dossier, results, problems)


def check(paths: Sequence[Path]) -> list[Problem]:
    """Every problem of every workbook (loading and validation), in file order."""
    problems: list[Problem] = []
    for path in paths:
        problems += _load_and_validate(path).problems
    return problems


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
    for path in paths:
        checked = _load_and_validate(path)
        context = None
        dossier, results = checked.dossier, checked.results
        if dossier is not None and results is not None and not has_errors(checked.problems):
            context = build_context(dossier, results)
        reviews.append(Review(path, checked.problems, context))
    return reviews


def _select_templates(directory: Path, only: Sequence[str]) -> list[Path]:
    from pipeline.documents.templates import find_templates

    templates = find_templates(directory)
    if only:
        templates = [p for p in templates if any(key in p.stem for key in only)]
    if not templates:
        raise ThiduaError(
            Problem(
                "error",
                "no-template",
                "Không có mẫu văn bản .docx nào phù hợp",
                "Chạy 'thidua init' để chép các mẫu vào templates/docx/, hoặc bỏ tùy chọn --only.",
                Location(file=str(directory)),
            )
        )
    return templates


def build(
    paths: Sequence[Path],
    out_dir: Path,
    *,
    only: Sequence[str] = (),
    pdf: bool = False,
    echo: Echo = print,
    templates_dir: Path | None = None,
    force: bool = False,
    now: str | None = None,
    allow_external: bool = False,
) -> list[tuple[Path, str]]:
    """Build the documents of every workbook; return each file with its status.

    Raises :class:`ThiduaError` with every problem found; nothing is written then, except when
    only the PDF conversion failed: the .docx files and manifests are written first. A document
    someone edited after the last build is never overwritten unless ``force`` is set, and then
    it is kept in the folder's history; a template with external links is refused unless
    ``allow_external`` is. ``now`` (ISO 8601) is the time recorded in the history; the clock is
    read when it is not given.
    """
    from pipeline.documents.context import build_context
    from pipeline.documents.templates import compile_templates, resolve_templates_dir

    loaded = []
    for path in paths:
        loaded.append(_load_and_validate(path))
        interrupts.check()
    problems = [p for checked in loaded for p in checked.problems]
    if has_errors(problems):
        raise ThiduaError(problems)
    warnings = [p for p in problems if p.severity == "warning"]  # notes: see `thidua check`
    if warnings:
        echo(format_problems(warnings))
    pause_point("build-loaded")

    template_paths = _select_templates(resolve_templates_dir(templates_dir), only)
    _refuse_shared_names(template_paths)
    templates, template_problems = compile_templates(template_paths, allow_external=allow_external)
    if has_errors(template_problems):
        raise ThiduaError(template_problems)
    if template_problems:
        echo(format_problems(template_problems))

    folder_of = {c.path: _output_folder(out_dir, c.dossier) for c in loaded if c.dossier}
    _refuse_shared_folders(folder_of)

    render_problems: list[Problem] = []
    jobs: list[Job] = []
    template_records = tuple(FileRecord.of(t, shown_as=t.name) for t, _ in templates)
    options = {"pdf": pdf, "force": force, "only": list(only)}
    for checked in loaded:
        # No errors means every workbook loaded and has results (results_if_computable).
        assert checked.dossier is not None and checked.results is not None
        context = build_context(checked.dossier, checked.results)
        folder = folder_of[checked.path]
        rendered: list[tuple[str, bytes]] = []
        for template_path, template in templates:
            try:
                rendered.append((document_name(template_path.stem), template.render(context)))
            except ThiduaError as exc:
                render_problems += exc.problems
            interrupts.check()
        cluster = checked.dossier.cluster
        assert cluster.year is not None  # a required setting: missing is an error, reported
        jobs.append(
            Job(
                folder,
                owner_of(cluster.name, cluster.year, checked.path, folder),
                checked.path,
                (FileRecord.of(checked.path, shown_as=checked.path.name),),
                template_records,
                tuple(rendered),
                pdf,
                force,
                options,
            )
        )
    if render_problems:
        raise ThiduaError(render_problems)
    pause_point("build-rendered")
    return _write(jobs, out_dir, echo, now or _now())


def _now() -> str:
    import datetime as dt

    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _write(jobs: Sequence[Job], out_dir: Path, echo: Echo, now: str) -> list[tuple[Path, str]]:
    """The write phase: repair, plan every folder (all problems at once), make the PDFs that
    are needed, then commit every folder (:mod:`pipeline.output.staged`)."""
    for job in jobs:
        recover(job.folder, echo)
    first = [plan_build(job, None, version=__version__, now=now) for job in jobs]
    errors = [p for plan in first for p in plan.errors]
    if errors:
        raise ThiduaError(errors + [p for plan in first for p in plan.warnings])

    # Without LibreOffice the .docx files, the documents people sign, are still written; the PDF
    # problem is reported after them (exit status 1).
    pdfs: dict[Path, Pdfs] = {}
    pdf_problems: list[Problem] = []
    todo = [(plan.folder, name, data) for plan in first for name, data in plan.pdf_todo]
    if todo:
        made: list[bytes] = []
        try:
            made = _convert(todo, echo)
        except ThiduaError as exc:
            pdf_problems = list(exc.problems)
        for job in jobs:
            mine = [(name, i) for i, (folder, name, _) in enumerate(todo) if folder == job.folder]
            pdfs[job.folder] = Pdfs(
                frozenset(name for name, _ in mine),
                {name: made[i] for name, i in mine} if made else {},
            )
    interrupts.check()

    plans: dict[Path, Plan] = {}
    by_folder = {job.folder: job for job in jobs}

    def plan_locked(folder: Path) -> FolderCommit | None:
        plan = plan_build(by_folder[folder], pdfs.get(folder), version=__version__, now=now)
        plans[folder] = plan
        if plan.errors:
            raise ThiduaError(plan.errors + plan.warnings)
        return plan.commit()

    commit_folders([job.folder for job in jobs], plan_locked, echo, top=out_dir)

    statuses: list[tuple[Path, str]] = []
    plan_warnings = [p for job in jobs for p in plans[job.folder].warnings]
    if plan_warnings:
        echo(format_problems(plan_warnings))
    # Issued documents (ban-hanh/) are never written by a build: say so when a draft now differs.
    from pipeline.output.archive.issued import issued_note

    for job in jobs:
        plan = plans[job.folder]
        for name, status in plan.lines:
            statuses.append((job.folder / name, status))
            echo(f"{status:<10} {(job.folder / name).as_posix()}")
        kept = [k for k in plan.kept if k.path != MANIFEST]
        for note in plan.notes:
            echo(note)
        if kept and plan.commit() is not None:
            echo(
                f"Bản cũ của {len(kept)} tệp được cất trong {plan.history}/ (xem: thidua "
                "lich-su; lấy lại một bản: thidua khoi-phuc TEP)."
            )
        issued = issued_note(job.folder)
        if issued:
            echo(issued)
    if pdf_problems:
        raise ThiduaError(pdf_problems)
    return statuses


def _convert(todo: Sequence[tuple[Path, str, bytes]], echo: Echo) -> list[bytes]:
    """PDF bytes of the documents, in order, in one LibreOffice call."""
    from pipeline.output.pdf import convert_to_pdf, font_report

    note = font_report()
    if note is not None:
        echo(str(note))
    return convert_to_pdf([(name, data) for _, name, data in todo])


def _refuse_shared_names(template_paths: Sequence[Path]) -> None:
    """Two templates that make one file name (``01-bao-cao-tong-ket.docx`` and ``01 Báo cáo
    tổng kết.docx``) would overwrite each other's document: refused before anything is made."""
    by_name: dict[str, list[Path]] = {}
    for path in template_paths:
        by_name.setdefault(name_key(document_name(path.stem)), []).append(path)
    problems = [
        Problem(
            "error",
            "same-document-name",
            f"Các mẫu {', '.join(p.name for p in paths)} cho cùng một tên văn bản "
            f"{document_name(paths[0].stem)}: văn bản của mẫu này sẽ ghi đè mẫu kia (không tệp "
            "nào được ghi)",
            "Đổi tên một trong các mẫu (phần tên sau khi bỏ dấu phải khác nhau), hoặc chuyển mẫu "
            "thừa ra khỏi thư mục mẫu, rồi chạy lại.",
            Location(file=paths[0].parent.as_posix()),
        )
        for paths in by_name.values()
        if len(paths) > 1
    ]
    if problems:
        raise ThiduaError(problems)


def check_templates(
    templates_dir: Path | None = None, *, allow_external: bool = False
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
    sample = _load_and_validate(bundled_inputs_dir() / SAMPLE_FILE)
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


def _output_folder(out_dir: Path, dossier: Dossier) -> Path:
    """``outputs/<năm>/<cụm>/``: ASCII-folded, Windows-safe, never shared by two cluster names
    that fold differently (:func:`~pipeline.output.names.folder_slug`)."""
    return out_dir / str(dossier.cluster.year) / folder_slug(dossier.cluster.name)


def _refuse_shared_folders(folder_of: dict[Path, Path]) -> None:
    """Two workbooks of the same cluster and year would overwrite each other's documents."""
    by_folder: dict[Path, list[Path]] = {}
    for path, folder in folder_of.items():
        by_folder.setdefault(folder, []).append(path)
    problems = [
        Problem(
            "error",
            "same-output",
            f"Các workbook {', '.join(p.name for p in paths)} cùng là của một cụm, một năm: "
            f"văn bản của chúng sẽ ghi đè lên nhau trong {folder.as_posix()}",
            "Để lại một workbook cho mỗi cụm và năm (chuyển bản cũ ra khỏi inputs/ hoặc đặt tên "
            "bắt đầu bằng _), hoặc lập riêng từng tệp: thidua build TEP.xlsx",
            Location(file=paths[0].name),
        )
        for folder, paths in by_folder.items()
        if len(paths) > 1
    ]
    if problems:
        raise ThiduaError(problems)
