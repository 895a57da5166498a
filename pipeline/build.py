"""The one module that sequences a run: read → validate → compute → render in memory → write.

Each workbook is its own unit of work: :func:`render_workbook` reads it (over the province's
shared settings file beside it, :mod:`pipeline.workbook.shared`), validates it and renders its
documents in memory (a process per core, :mod:`pipeline.parallel`); :func:`_write` commits each
output folder as a whole (:mod:`pipeline.output.staged`: all its new files or all its old ones,
what it replaces kept in its history). A workbook with errors gets nothing written and leaves
its previous outputs exactly as they were, while the other workbooks of the run are built; the
run then fails (exit status 1) naming what was not built. Between the two steps one LibreOffice
run converts the PDFs of every workbook.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from pipeline import __version__
from pipeline.domain.model import Dossier
from pipeline.domain.scoring import Results
from pipeline.errors import Location, Problem, ThiduaError, format_problems, has_errors
from pipeline.output import interrupts
from pipeline.output.folder import Job, Pdfs, plan_build
from pipeline.output.folder import Plan as FolderPlan
from pipeline.output.journal import recover
from pipeline.output.manifest import MANIFEST, FileRecord, Owner
from pipeline.output.names import document_name, folder_slug, name_key
from pipeline.output.ownership import owner_of
from pipeline.output.staged import FolderCommit, commit_folders
from pipeline.regenerate import Folder, Regeneration, regeneration
from pipeline.testhooks import pause_point
from pipeline.workbook.schema import SHARED_FILE

if TYPE_CHECKING:
    from pipeline.documents.engine import CompiledTemplate
    from pipeline.documents.facts import Snapshot
    from pipeline.documents.templates import TemplatesReport
    from pipeline.workbook.loader import SharedFiles

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


def _load_and_validate(path: Path, shared: SharedFiles | None = None) -> _Checked:
    """Load and validate one workbook over the shared settings file beside it (read once a run
    through ``shared``; its own problems come first the first time it is met)."""
    from pipeline.domain.rules import validate
    from pipeline.domain.scoring import results_if_computable
    from pipeline.workbook.loader import SharedFiles, load

    shared = shared or SharedFiles()
    if path.name == SHARED_FILE:  # named on the command line: checked as what it is
        return _Checked(path, None, None, shared.problems_of(path), path)
    shared_path, settings, problems = shared.of(path)
    dossier, own = load(path, settings)
    problems += own
    if dossier is None:
        return _Checked(path, None, None, problems, shared_path)
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
    return _Checked(path, dossier, results, problems, shared_path)


#: What :func:`_load_and_validate` and :func:`_render_workbook` import (for the process pool).
_LOADING = ("pipeline.domain.rules", "pipeline.domain.scoring", "pipeline.workbook.loader")
_RENDERING = ("pipeline.documents.context", "pipeline.documents.facts")


def check(paths: Sequence[Path]) -> list[Problem]:
    """Every problem of every workbook (loading and validation), in file order; the problems of
    a shared settings file once, before those of the first workbook read over it."""
    # dict.fromkeys: workers of the pool each read the shared file and report its problems.
    return list(dict.fromkeys(p for one in _checked_all(paths) for p in one.problems))


def _checked_all(paths: Sequence[Path]) -> list[_Checked]:
    """:func:`_load_and_validate` of every workbook, by a process per core (see
    :mod:`pipeline.parallel`), each process reading a shared settings file once."""
    from pipeline.parallel import map_in_processes
    from pipeline.workbook.loader import SharedFiles

    _RUN_SHARED.append(SharedFiles())
    try:
        return map_in_processes(_check_job, paths, imports=_LOADING)
    finally:
        _RUN_SHARED.pop()


#: The shared settings files read by the running check or build (forked workers inherit them;
#: other workers, or a call outside a run, start their own).
_RUN_SHARED: list[SharedFiles] = []


def _check_job(path: Path) -> _Checked:
    if not _RUN_SHARED:
        from pipeline.workbook.loader import SharedFiles

        _RUN_SHARED.append(SharedFiles())
    return _load_and_validate(path, _RUN_SHARED[-1])


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


@dataclass(frozen=True, slots=True)
class Rendered:
    """One workbook read, validated and rendered in memory, ready to be written.

    ``inputs`` are the files it was built from (the workbook, then the shared settings file if
    there is one), recorded in the folder's manifest so that changing either shows as a changed
    input; ``owner`` whose folder it is; ``documents`` the file name and bytes of each document;
    ``notes`` the warnings and notes found (shown during the build); ``facts`` the snapshot of
    what the documents print (for the change report, :mod:`pipeline.regenerate`).
    """

    path: Path
    folder: Path
    owner: Owner
    inputs: tuple[FileRecord, ...]
    documents: tuple[tuple[str, bytes], ...]
    notes: tuple[Problem, ...]
    facts: Snapshot

    @property
    def targets(self) -> list[tuple[Path, bytes]]:
        """The documents by their path."""
        return [(self.folder / name, data) for name, data in self.documents]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one workbook: built (``problems`` empty) or not, and why."""

    path: Path
    folder: Path | None
    statuses: tuple[tuple[Path, str], ...] = ()
    problems: tuple[Problem, ...] = ()
    notes: tuple[Problem, ...] = ()

    @property
    def built(self) -> bool:
        return not self.problems


@dataclass(frozen=True, slots=True)
class RunPlan:
    """What every workbook of one run shares: where to write, the compiled templates, the
    shared settings files (read once a process), and whether edited documents may be
    overwritten. A pool's worker gets it by :data:`_RUN_PLANS` (inherited when forked) or makes
    it again from :attr:`key` (the template files compile from the compile cache)."""

    out_dir: Path
    templates: Sequence[tuple[Path, CompiledTemplate]]
    shared: SharedFiles
    force: bool
    allow_external: bool = False

    @property
    def key(self) -> _RunKey:
        return (self.out_dir, tuple(p for p, _ in self.templates), self.allow_external, self.force)


_RunKey = tuple[Path, tuple[Path, ...], bool, bool]
#: The plans of the running builds in this process, by :attr:`RunPlan.key` (see
#: :func:`_render_job`).
_RUN_PLANS: dict[_RunKey, RunPlan] = {}


def _render_job(job: tuple[Path, _RunKey]) -> Rendered | Outcome:
    """:func:`render_workbook` in a pool's worker: the plan inherited, or made again here."""
    from pipeline.workbook.loader import SharedFiles

    path, key = job
    plan = _RUN_PLANS.get(key)
    if plan is None:
        from pipeline.documents.templates import compile_templates

        out_dir, files, allow_external, force = key
        templates, problems = compile_templates(list(files), allow_external=allow_external)
        if has_errors(problems):  # a template changed since the run started
            return Outcome(path, None, problems=tuple(p for p in problems if p.is_error))
        plan = _RUN_PLANS[key] = RunPlan(out_dir, templates, SharedFiles(), force, allow_external)
    return render_workbook(path, plan)


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
    dry_run: bool = False,
    tracked_changes: bool = False,
    on_report: Callable[[Regeneration], object] | None = None,
    progress: TextIO | None = None,
) -> list[tuple[Path, str]]:
    """Build the documents of every workbook; return each written file with its status.

    Each workbook is its own unit of work (:func:`render_workbook`, by a process per core, then
    :func:`_write` for its folder alone): a workbook with errors, a hand-edited document (unless
    ``force``; then it is kept in the folder's history) or a folder that cannot be written (a
    file open in Word, read-only, in the way, someone else's) stops that workbook only; the others
    are built, and then :class:`ThiduaError` is raised with the problems of those not built and a
    last one naming them. A problem of the templates stops the whole run before anything is
    written. Without LibreOffice the .docx files and manifests are written, and the PDF problem
    raised after them. Warnings and notes are printed as they are found, the status of every
    file as its folder is written, and a closing summary (:mod:`pipeline.output.summary`) at the
    end. ``progress`` is the stream a progress display goes to (:mod:`pipeline.output.progress`;
    ``None``: none).

    Every build also compares the facts it prints with the previous build's and prints what
    changed (:mod:`pipeline.regenerate`); ``dry_run`` prints that and the planned statuses and
    writes nothing; ``tracked_changes`` adds a Word tracked-changes copy of each updated
    document; ``on_report`` receives the change reports (``--json``). ``now`` (ISO 8601) is the
    time recorded in the history; the clock is read when it is not given.
    """
    from pipeline.documents.templates import compile_templates, resolve_templates_dir
    from pipeline.output.progress import Progress
    from pipeline.parallel import map_in_processes
    from pipeline.workbook.loader import SharedFiles

    template_paths = _select_templates(resolve_templates_dir(templates_dir), only)
    _refuse_shared_names(template_paths)
    templates, template_problems = compile_templates(template_paths, allow_external=allow_external)
    if has_errors(template_problems):
        raise ThiduaError(template_problems)
    if template_problems:
        echo(format_problems(template_problems))

    plan = RunPlan(out_dir, templates, SharedFiles(), force, allow_external)
    shown = Progress(progress, len(paths))
    say = shown.wrap(echo)
    outcomes: dict[Path, Outcome] = {}
    ready: list[Rendered] = []
    said: set[Problem] = set()  # each pool worker reads a shared file and reports its notes

    def arrived(done: int, result: Rendered | Outcome) -> None:
        shown.step(done, result.path.name, "đọc, kiểm tra và lập văn bản")
        notes = [p for p in result.notes if p not in said]
        said.update(notes)
        if notes:
            say(format_problems(notes))
        if isinstance(result, Rendered):
            ready.append(result)
        else:
            outcomes[result.path] = result
        interrupts.check()

    _RUN_PLANS[plan.key] = plan  # what the workers use (forked ones inherit it)
    try:
        jobs = [(path, plan.key) for path in paths]
        map_in_processes(_render_job, jobs, imports=_LOADING + _RENDERING, each=arrived)
    finally:
        del _RUN_PLANS[plan.key]
    for outcome in _refuse_shared_folders(ready):
        outcomes[outcome.path] = outcome
    ready = [r for r in ready if r.path not in outcomes]
    pause_point("build-loaded")  # every workbook read, checked (and rendered: one step here)
    pause_point("build-rendered")

    # The change report (issue 10): the snapshot of the printed facts, what changed, the copies.
    printed = [Folder(r.folder, None, None, r.targets, facts=r.facts) for r in ready]
    changes = regeneration(printed, plan.templates, today=dt.date.today(), tracked=tracked_changes)
    if on_report is not None:
        on_report(changes)
    options = {"pdf": pdf, "force": force, "only": list(only)}
    template_records = tuple(FileRecord.of(t, shown_as=t.name) for t, _ in templates)
    work = [
        (r, Job(r.folder, r.owner, r.path, r.inputs, template_records, r.documents, pdf, force,
                options, extras=_extras_of(r.folder, changes.files)))
        for r in ready
    ]  # fmt: skip
    statuses, pdf_problems = _write(work, outcomes, out_dir, say, now or _now(), dry_run=dry_run)
    shown.close()
    if changes.reports:  # nothing rendered, nothing to compare
        echo(changes.text.rstrip())
    if changes.notes:
        echo(format_problems(changes.notes))
    _summarise(paths, outcomes, echo)
    failed = [outcomes[p] for p in paths if not outcomes[p].built]
    # dict.fromkeys: a problem two workbooks share (the same folder) is listed once.
    problems = list(dict.fromkeys(p for outcome in failed for p in outcome.problems))
    problems += pdf_problems
    if failed and len(paths) > 1:  # one workbook alone: its own errors say it all
        problems.append(_not_built_problem(failed, len(paths)))
    if problems:
        raise ThiduaError(problems)
    return statuses


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _extras_of(folder: Path, files: Sequence[tuple[Path, bytes]]) -> tuple[tuple[str, bytes], ...]:
    """The change report's files that go into ``folder``, by their path inside it."""
    return tuple(
        (target.relative_to(folder).as_posix(), data)
        for target, data in files
        if folder in target.parents
    )


def _write(
    work: Sequence[tuple[Rendered, Job]],
    outcomes: dict[Path, Outcome],
    out_dir: Path,
    echo: Echo,
    now: str,
    *,
    dry_run: bool = False,
) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """The write phase, one folder at a time (:mod:`pipeline.output.staged`): repair what an
    interrupted commit left, plan every folder (a folder whose plan has errors is not written,
    the others are), make the PDFs that are needed in one LibreOffice run, then commit each
    folder as a whole. Each workbook's :class:`Outcome` goes into ``outcomes``; returns every
    file with its status, and the problems of the PDF conversion (the documents are written
    without their PDFs then)."""
    from pipeline.output.archive.issued import issued_note

    statuses: list[tuple[Path, str]] = []
    planned: list[tuple[Rendered, Job, FolderPlan]] = []
    for rendered, job in work:
        recover(job.folder, echo)
        first = plan_build(job, None, version=__version__, now=now)
        if first.errors:
            problems = tuple(first.errors + first.warnings)
            outcomes[rendered.path] = Outcome(rendered.path, job.folder, problems=problems)
        else:
            planned.append((rendered, job, first))
    if dry_run:
        for rendered, job, first in planned:
            lines = tuple((job.folder / name, status) for name, status in first.lines)
            for target, status in lines:
                echo(f"{status:<10} {target.as_posix()}  (xem trước: chưa ghi)")
            statuses += lines
            outcome = Outcome(rendered.path, job.folder, lines, notes=rendered.notes)
            outcomes[rendered.path] = outcome
        return statuses, []

    # Without LibreOffice the .docx files, the documents people sign, are still written; the PDF
    # problem is reported after them (exit status 1). One LibreOffice run converts the documents
    # of every workbook (pdf.py: 20 documents in one call 2,3 s, in 20 calls 16,6 s).
    todo = [(job.folder, name, data) for _, job, first in planned for name, data in first.pdf_todo]
    made: list[bytes] = []
    pdf_problems: list[Problem] = []
    if todo:
        try:
            made = _convert(todo, echo)
        except ThiduaError as exc:
            pdf_problems = list(exc.problems)
    interrupts.check()

    for rendered, job, _ in planned:
        mine = [(name, i) for i, (folder, name, _) in enumerate(todo) if folder == job.folder]
        pdfs = Pdfs(
            frozenset(name for name, _ in mine), {name: made[i] for name, i in mine} if made else {}
        )
        plans: list[FolderPlan] = []

        def plan_locked(
            folder: Path, job: Job = job, pdfs: Pdfs = pdfs, plans: list[FolderPlan] = plans
        ) -> FolderCommit | None:
            plan = plan_build(job, pdfs, version=__version__, now=now)
            plans.append(plan)
            if plan.errors:
                raise ThiduaError(plan.errors + plan.warnings)
            return plan.commit()

        try:
            commit_folders([job.folder], plan_locked, echo, top=out_dir)
        except ThiduaError as exc:
            problems = tuple(exc.problems)
            outcomes[rendered.path] = Outcome(rendered.path, job.folder, problems=problems)
            continue
        plan = plans[-1]
        if plan.warnings:
            echo(format_problems(plan.warnings))
        lines = tuple((job.folder / name, status) for name, status in plan.lines)
        for target, status in lines:
            echo(f"{status:<10} {target.as_posix()}")
        for note in plan.notes:
            echo(note)
        kept = [k for k in plan.kept if k.path != MANIFEST]
        if kept and plan.commit() is not None:
            echo(
                f"Bản cũ của {len(kept)} tệp được cất trong {plan.history}/ (xem: thidua "
                "lich-su; lấy lại một bản: thidua khoi-phuc TEP)."
            )
        # Issued documents (ban-hanh/) are never written by a build: say so when a draft differs.
        issued = issued_note(job.folder)
        if issued:
            echo(issued)
        statuses += lines
        outcomes[rendered.path] = Outcome(rendered.path, job.folder, lines, notes=rendered.notes)
    return statuses, pdf_problems


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


def render_workbook(path: Path, plan: RunPlan) -> Rendered | Outcome:
    """One workbook read over its shared settings, validated and rendered in memory: the
    documents to write, or the :class:`Outcome` of a workbook that cannot be built (its errors;
    nothing is written for it)."""
    from pipeline.documents.context import build_context
    from pipeline.documents.facts import snapshot

    checked = _load_and_validate(path, plan.shared)
    notes = tuple(p for p in checked.problems if not p.is_error)
    if checked.is_shared_file and not has_errors(checked.problems):
        return Outcome(path, None, problems=(_not_a_cluster(path),), notes=notes)
    if has_errors(checked.problems):
        errors = tuple(p for p in checked.problems if p.is_error)
        return Outcome(path, None, problems=errors, notes=notes)
    # No errors means the workbook loaded and has results (results_if_computable).
    assert checked.dossier is not None and checked.results is not None
    context = build_context(checked.dossier, checked.results)
    folder = _output_folder(plan.out_dir, checked.dossier)
    documents: list[tuple[str, bytes]] = []
    render_problems: list[Problem] = []
    for template_path, template in plan.templates:
        try:
            documents.append((document_name(template_path.stem), template.render(context)))
        except ThiduaError as exc:
            render_problems += exc.problems
        interrupts.check()
    if render_problems:
        return Outcome(path, folder, problems=tuple(render_problems), notes=notes)
    inputs = [FileRecord.of(path, shown_as=path.name)]
    if checked.shared is not None:
        inputs.append(FileRecord.of(checked.shared, shown_as=checked.shared.name))
    variables = {p.name: list(t.variables) for p, t in plan.templates}
    facts = snapshot(checked.dossier, context, variables)
    cluster = checked.dossier.cluster
    assert cluster.year is not None  # a required setting: missing is an error, reported
    owner = owner_of(cluster.name, cluster.year, path, folder)
    return Rendered(path, folder, owner, tuple(inputs), tuple(documents), notes, facts)


def _summarise(paths: Sequence[Path], outcomes: Mapping[Path, Outcome], echo: Echo) -> None:
    from pipeline.output.summary import RunSummary, summary_lines

    run = RunSummary(
        workbooks=tuple(p.name for p in paths),
        not_built=tuple(
            (p.name, len(outcomes[p].problems)) for p in paths if not outcomes[p].built
        ),
        statuses=tuple(s for p in paths for s in outcomes[p].statuses),
        warnings=sum(1 for p in paths for n in outcomes[p].notes if n.severity == "warning"),
        notes=sum(1 for p in paths for n in outcomes[p].notes if n.severity == "info"),
        folders=tuple(
            dict.fromkeys(o.folder for p in paths if (o := outcomes[p]).built and o.folder)
        ),
    )
    echo("\n".join(summary_lines(run)))


def _not_a_cluster(path: Path) -> Problem:
    return Problem(
        "error",
        "shared-not-cluster",
        f"{path.name} là tệp cài đặt chung, không phải workbook của một cụm: không có văn bản "
        "nào lập từ nó",
        "Lập văn bản cho các workbook của cụm đặt cùng thư mục (thidua build, hoặc thidua build "
        "TEN_CUM.xlsx); các workbook đó tự dùng tệp cài đặt chung.",
        Location(file=path.name),
    )


def _not_built_problem(failed: Sequence[Outcome], total: int) -> Problem:
    names = ", ".join(o.path.name for o in failed)
    return Problem(
        "error",
        "not-built",
        f"Không lập được {len(failed)}/{total} workbook: {names} (các workbook khác đã lập xong)",
        "Sửa các lỗi nêu ở trên rồi chạy lại thidua build; workbook đã lập xong không bị ghi "
        "lại nếu không đổi.",
        Location(file=failed[0].path.parent.as_posix() or "."),
    )


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


def _refuse_shared_folders(ready: Sequence[Rendered]) -> list[Outcome]:
    """Two workbooks of the same cluster and year would overwrite each other's documents: neither
    is built."""
    by_folder: dict[Path, list[Rendered]] = {}
    for rendered in ready:
        by_folder.setdefault(rendered.folder, []).append(rendered)
    refused = []
    for folder, group in by_folder.items():
        if len(group) < 2:
            continue
        problem = Problem(
            "error",
            "same-output",
            f"Các workbook {', '.join(r.path.name for r in group)} cùng là của một cụm, một năm: "
            f"văn bản của chúng sẽ ghi đè lên nhau trong {folder.as_posix()}",
            "Để lại một workbook cho mỗi cụm và năm (chuyển bản cũ ra khỏi inputs/ hoặc đặt tên "
            "bắt đầu bằng _), hoặc lập riêng từng tệp: thidua build TEP.xlsx",
            Location(file=group[0].path.name),
        )
        refused += [Outcome(r.path, folder, problems=(problem,), notes=r.notes) for r in group]
    return refused
