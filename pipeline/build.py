"""The one module that sequences a run: read → validate → compute → render in memory → write.

Nothing is written until every workbook has loaded and validated without errors and every
document has rendered; then all files are written together (see :mod:`pipeline.output`), so a
failed run leaves the previous outputs exactly as they were.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import __version__
from pipeline.domain.model import Dossier
from pipeline.domain.scoring import Results
from pipeline.errors import Location, Problem, ThiduaError, format_problems, has_errors
from pipeline.output.manifest import (
    MANIFEST,
    FileRecord,
    hand_edited,
    manifest_json,
    recorded_outputs,
    still_there,
)
from pipeline.output.names import ascii_slug
from pipeline.output.report import planned_status
from pipeline.output.staged import StagedWrite
from pipeline.regenerate import Folder, Regeneration, regeneration

if TYPE_CHECKING:
    from pipeline.documents.engine import CompiledTemplate
    from pipeline.documents.facts import Snapshot
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


#: What :func:`_load_and_validate` and :func:`_render_workbook` import (for the process pool).
_LOADING = ("pipeline.domain.rules", "pipeline.domain.scoring", "pipeline.workbook.loader")
_RENDERING = ("pipeline.documents.context", "pipeline.documents.facts")


def check(paths: Sequence[Path]) -> list[Problem]:
    """Every problem of every workbook (loading and validation), in file order."""
    from pipeline.parallel import map_in_processes

    checked = map_in_processes(_load_and_validate, paths, imports=_LOADING)
    return [p for one in checked for p in one.problems]


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
    from pipeline.parallel import map_in_processes

    reviews = []
    for path, checked in zip(
        paths, map_in_processes(_load_and_validate, paths, imports=_LOADING), strict=True
    ):
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
    allow_external: bool = False,
    dry_run: bool = False,
    tracked_changes: bool = False,
    on_report: Callable[[Regeneration], object] | None = None,
) -> list[tuple[Path, str]]:
    """Build the documents of every workbook; return each written file with its status.

    Raises :class:`ThiduaError` with every problem found; nothing is written then, except when
    only the PDF conversion failed: the .docx files and manifests are written first. A document
    someone edited after the last build is never overwritten unless ``force`` is set; a template
    with external links is refused unless ``allow_external`` is.

    Every build also compares the facts it prints with the previous build's and prints what
    changed (:mod:`pipeline.regenerate`); ``dry_run`` prints that and the planned statuses and
    writes nothing; ``tracked_changes`` adds a Word tracked-changes copy of each updated
    document; ``on_report`` receives the change reports (``--json``).
    """
    from pipeline.documents.templates import compile_templates, resolve_templates_dir
    from pipeline.parallel import map_in_processes

    loaded = map_in_processes(_load_and_validate, paths, imports=_LOADING)  # a process per core
    problems = [p for checked in loaded for p in checked.problems]
    if has_errors(problems):
        raise ThiduaError(problems)
    warnings = [p for p in problems if p.severity == "warning"]  # notes: see `thidua check`
    if warnings:
        echo(format_problems(warnings))

    template_paths = _select_templates(resolve_templates_dir(templates_dir), only)
    templates, template_problems = compile_templates(template_paths, allow_external=allow_external)
    if has_errors(template_problems):
        raise ThiduaError(template_problems)
    if template_problems:
        echo(format_problems(template_problems))

    folder_of = {c.path: _output_folder(out_dir, c.dossier) for c in loaded if c.dossier}
    _refuse_shared_folders(folder_of)

    documents: list[tuple[Path, bytes]] = []
    render_problems: list[Problem] = []
    folders: list[tuple[Path, Path, list[tuple[Path, bytes]]]] = []
    names = (tuple(path for path, _ in templates), allow_external)
    _COMPILED[names] = templates  # what the workers use (forked ones inherit it)
    jobs = [(checked, folder_of[checked.path], names) for checked in loaded]
    try:
        outcomes = map_in_processes(_render_workbook, jobs, imports=_RENDERING)
    finally:
        del _COMPILED[names]
    printed: list[Folder] = []  # for the change report (issue 10)
    for checked, (rendered, found, facts) in zip(loaded, outcomes, strict=True):
        render_problems += found
        folders.append((checked.path, folder_of[checked.path], rendered))
        printed.append(Folder(folder_of[checked.path], None, None, rendered, facts=facts))
        documents += rendered
    if render_problems:
        raise ThiduaError(render_problems)

    # Without LibreOffice the .docx files, the documents people sign, are still written; the PDF
    # problem is reported after them (exit status 1).
    pdfs: dict[Path, bytes] = {}
    pdf_problems: list[Problem] = []
    if pdf:
        try:
            pdfs = _pdfs(documents, echo)
        except ThiduaError as exc:
            pdf_problems = list(exc.problems)
    batch = StagedWrite()
    edited: list[Path] = []
    for input_path, folder, rendered in folders:
        outputs = rendered + [(t.with_suffix(".pdf"), pdfs[t]) for t, _ in rendered if t in pdfs]
        edited += [] if force else hand_edited(folder, outputs)
        for target, data in outputs:
            batch.add(target, data)
        # A partial build (--only) keeps the records of the folder's other documents.
        records = {r.path: r for r in still_there(folder, recorded_outputs(folder))}
        records.update((t.name, FileRecord.of(t, d, shown_as=t.name)) for t, d in outputs)
        manifest = manifest_json(
            __version__,
            [FileRecord.of(input_path, shown_as=input_path.name)],
            [FileRecord.of(t, shown_as=t.name) for t, _ in templates],
            [records[name] for name in sorted(records)],
        )
        batch.add(folder / MANIFEST, manifest)
    if edited:
        raise ThiduaError([_edited_problem(path) for path in edited])

    # The change report (issue 10): the snapshot of the printed facts, what changed, the copies.
    changes = regeneration(printed, templates, today=dt.date.today(), tracked=tracked_changes)
    for target, data in changes.files:
        batch.add(target, data)
    if on_report is not None:
        on_report(changes)
    if dry_run:
        planned = [(t, planned_status(t, d)) for t, d in batch.planned()]
        for target, status in planned:
            echo(f"{status:<10} {target.as_posix()}  (xem trước: chưa ghi)")
        echo(changes.text.rstrip())
        if pdf_problems:
            raise ThiduaError(pdf_problems)
        return planned
    statuses = batch.commit()
    for target, status in statuses:
        echo(f"{status:<10} {target.as_posix()}")
    echo(changes.text.rstrip())
    if changes.notes:
        echo(format_problems(changes.notes))
    # Issued documents (ban-hanh/) are never written by a build: say so when a draft now differs.
    from pipeline.output.archive.issued import issued_note

    for note in filter(None, (issued_note(folder) for _, folder, _ in folders)):
        echo(note)
    if pdf_problems:
        raise ThiduaError(pdf_problems)
    return statuses


_Templates = tuple[tuple[Path, ...], bool]  # the template files, and allow_external
#: The compiled templates of this process, by :data:`_Templates` (see :func:`_render_workbook`).
_COMPILED: dict[_Templates, list[tuple[Path, CompiledTemplate]]] = {}


def _render_workbook(
    job: tuple[_Checked, Path, _Templates],
) -> tuple[list[tuple[Path, bytes]], list[Problem], Snapshot]:
    """The documents of one valid workbook (target path, bytes), the problems rendering met and
    the snapshot of the facts they print (for the change report, :mod:`pipeline.regenerate`).

    Run by :func:`pipeline.parallel.map_in_processes`: a worker uses the templates :func:`build`
    compiled (inherited) or compiles them itself (from the compile cache); a template that
    changed since and no longer compiles gives its problems, so nothing is written.
    """
    from pipeline.documents.context import build_context
    from pipeline.documents.facts import snapshot

    checked, folder, names = job
    templates = _COMPILED.get(names)
    if templates is None:
        from pipeline.documents.templates import compile_templates

        templates, problems = compile_templates(names[0], allow_external=names[1])
        if has_errors(problems):
            return [], problems, {}
        _COMPILED[names] = templates
    # No errors means every workbook loaded and has results (results_if_computable).
    assert checked.dossier is not None and checked.results is not None
    context = build_context(checked.dossier, checked.results)
    rendered: list[tuple[Path, bytes]] = []
    render_problems: list[Problem] = []
    for template_path, template in templates:
        target = folder / f"{ascii_slug(template_path.stem, max_length=80)}.docx"
        try:
            rendered.append((target, template.render(context)))
        except ThiduaError as exc:
            render_problems += exc.problems
    variables = {path.name: list(t.variables) for path, t in templates}
    return rendered, render_problems, snapshot(checked.dossier, context, variables)


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


def _edited_problem(path: Path) -> Problem:
    return Problem(
        "error",
        "edited-output",
        "Văn bản này đã được sửa sau lần lập trước; lập lại sẽ làm mất phần đã sửa (không tệp nào "
        "được ghi)",
        "Nếu cần giữ phần sửa: chép tệp sang chỗ khác, sửa số liệu trong workbook, rồi chạy lại. "
        "Nếu không cần: chạy lại với --force để ghi đè.",
        Location(file=path.as_posix()),
    )


def _output_folder(out_dir: Path, dossier: Dossier) -> Path:
    """``outputs/<năm>/<cụm>/``, ASCII-folded and Windows-safe."""
    return out_dir / str(dossier.cluster.year) / ascii_slug(dossier.cluster.name)


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


def _pdfs(documents: Sequence[tuple[Path, bytes]], echo: Echo) -> dict[Path, bytes]:
    """PDF bytes keyed by the .docx target, converting only documents whose PDF is missing or
    whose .docx changed (an unchanged document keeps its PDF byte for byte)."""
    from pipeline.output.pdf import convert_to_pdf, font_report

    results: dict[Path, bytes] = {}
    todo: list[tuple[Path, bytes]] = []
    for target, data in documents:
        pdf_path = target.with_suffix(".pdf")
        docx_unchanged = target.is_file() and target.read_bytes() == data
        if docx_unchanged and pdf_path.is_file():
            results[target] = pdf_path.read_bytes()
        else:
            todo.append((target, data))
    if todo:
        note = font_report()
        if note is not None:
            echo(str(note))
        converted = convert_to_pdf([(t.name, d) for t, d in todo])
        results.update((t, pdf) for (t, _), pdf in zip(todo, converted, strict=True))
    return results
