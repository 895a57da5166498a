"""The one module that sequences a run: read → validate → compute → render in memory → write.

Each workbook is its own unit of work: :func:`render_workbook` reads it (over the province's
shared settings file beside it, :mod:`pipeline.workbook.shared`), validates it, renders its
documents in memory and words what they now print differently (:mod:`pipeline.regenerate`), in a
process per core (:mod:`pipeline.parallel`); :class:`_Writer` commits its output folder as a whole
(:mod:`pipeline.output.staged`: all its new files or all its old ones, what it replaces kept in
its history) as soon as it arrives, in the order of the workbooks, and lets it go, so that a
national batch holds only the few workbooks being built at a time. A workbook with errors gets
nothing written and leaves its previous outputs exactly as they were, while the other workbooks
of the run are built; the run then fails (exit status 1) naming what was not built. With PDFs,
every workbook is rendered first and one LibreOffice run converts the documents of all of them
before the folders are written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from pipeline import __version__
from pipeline.checking import LOADING, load_and_validate
from pipeline.errors import Location, Problem, ThiduaError, format_problems, has_errors
from pipeline.output import interrupts
from pipeline.output.folder import Job, Pdfs, plan_build
from pipeline.output.folder import Plan as FolderPlan
from pipeline.output.journal import recover
from pipeline.output.manifest import MANIFEST, FileRecord, Owner
from pipeline.output.names import document_name, name_key, output_folder
from pipeline.output.ownership import owner_of
from pipeline.output.staged import FolderCommit, commit_folders
from pipeline.regenerate import (
    FolderChanges,
    Regeneration,
    changes_again,
    folder_changes,
    template_marks,
)
from pipeline.testhooks import pause_point

if TYPE_CHECKING:
    from pipeline.documents.engine import CompiledTemplate
    from pipeline.workbook.loader import SharedFiles

Echo = Callable[[str], object]

#: What :func:`render_workbook` imports besides :data:`~pipeline.checking.LOADING` (for the pool).
_RENDERING = ("pipeline.documents.context", "pipeline.documents.facts", "pipeline.regenerate")


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
    ``notes`` the warnings and notes found (shown during the build); ``changes`` what the
    documents now print differently, and the files that say so (:mod:`pipeline.regenerate`).
    """

    path: Path
    folder: Path
    owner: Owner
    inputs: tuple[FileRecord, ...]
    documents: tuple[tuple[str, bytes], ...]
    notes: tuple[Problem, ...]
    changes: FolderChanges

    def compared_again(self, today: dt.date, tracked: bool) -> Rendered:
        """The same documents with their change report made again, against the folder as it is
        now (:func:`~pipeline.regenerate.changes_again`)."""
        targets = [(self.folder / name, data) for name, data in self.documents]
        again = changes_again(self.folder, targets, self.changes, today=today, tracked=tracked)
        return dataclasses.replace(self, changes=again)

    @property
    def extras(self) -> tuple[tuple[str, bytes], ...]:
        """The change report's files, by their path inside the folder."""
        return tuple(
            (target.relative_to(self.folder).as_posix(), data)
            for target, data in self.changes.files
        )


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
    shared settings files (read once a process), whether edited documents may be overwritten,
    the date of the change reports and whether they get tracked-changes copies. A pool's worker
    gets it by :data:`_RUN_PLANS` (inherited when forked) or makes it again from :attr:`key`
    (the template files compile from the compile cache)."""

    out_dir: Path
    templates: Sequence[tuple[Path, CompiledTemplate]]
    shared: SharedFiles
    force: bool
    allow_external: bool
    today: dt.date
    tracked: bool
    #: What the snapshots record of how the documents were made (:func:`template_marks`).
    marks: Mapping[str, str]

    @classmethod
    def make(
        cls,
        out_dir: Path,
        templates: Sequence[tuple[Path, CompiledTemplate]],
        *,
        force: bool,
        allow_external: bool,
        tracked: bool,
        today: dt.date | None = None,
    ) -> RunPlan:
        """The plan of a run starting now (``today``: the date of its change reports)."""
        from pipeline.workbook.loader import SharedFiles

        today = today or dt.date.today()
        marks = template_marks(templates)
        return cls(out_dir, templates, SharedFiles(), force, allow_external, today, tracked, marks)

    @property
    def key(self) -> _RunKey:
        files = tuple(p for p, _ in self.templates)
        return (self.out_dir, files, self.allow_external, self.force, self.today, self.tracked)

    @classmethod
    def of_key(cls, key: _RunKey) -> RunPlan | list[Problem]:
        """The plan made again from its key (a worker that did not inherit it), or the errors
        of a template that changed since the run started."""
        from pipeline.documents.templates import compile_templates

        out_dir, files, allow_external, force, today, tracked = key
        templates, problems = compile_templates(list(files), allow_external=allow_external)
        if has_errors(problems):
            return [p for p in problems if p.is_error]
        return cls.make(
            out_dir, templates, force=force, allow_external=allow_external, tracked=tracked,
            today=today,
        )  # fmt: skip


_RunKey = tuple[Path, tuple[Path, ...], bool, bool, dt.date, bool]
#: The plans of the running builds in this process, by :attr:`RunPlan.key` (see
#: :func:`_render_job`).
_RUN_PLANS: dict[_RunKey, RunPlan] = {}


def _render_job(job: tuple[Path, _RunKey]) -> Rendered | Outcome:
    """:func:`render_workbook` in a pool's worker: the plan inherited, or made again here."""
    path, key = job
    plan = _RUN_PLANS.get(key)
    if plan is None:
        made = RunPlan.of_key(key)
        if isinstance(made, list):
            return Outcome(path, None, problems=tuple(made))
        plan = _RUN_PLANS[key] = made
    return render_workbook(path, plan)


def render_workbook(path: Path, plan: RunPlan) -> Rendered | Outcome:
    """One workbook read over its shared settings, validated, rendered in memory and compared
    with its folder's previous build: the documents and report files to write, or the
    :class:`Outcome` of a workbook that cannot be built (its errors; nothing is written for it)."""
    from pipeline.documents.context import build_context
    from pipeline.documents.facts import snapshot

    checked = load_and_validate(path, plan.shared)
    notes = tuple(p for p in checked.problems if not p.is_error)
    if checked.is_shared_file and not has_errors(checked.problems):
        return Outcome(path, None, problems=(_not_a_cluster(path),), notes=notes)
    if has_errors(checked.problems):
        errors = tuple(p for p in checked.problems if p.is_error)
        return Outcome(path, None, problems=errors, notes=notes)
    # No errors means the workbook loaded and has results (results_if_computable).
    assert checked.dossier is not None and checked.results is not None
    cluster = checked.dossier.cluster
    assert cluster.year is not None  # a required setting: missing is an error, reported
    context = build_context(checked.dossier, checked.results)
    folder = output_folder(plan.out_dir, cluster.name, cluster.year)
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
    facts = snapshot(checked.dossier, context, variables, plan.marks)
    targets = [(folder / name, data) for name, data in documents]
    changes = folder_changes(folder, targets, facts, today=plan.today, tracked=plan.tracked)
    owner = owner_of(cluster.name, cluster.year, path, folder)
    return Rendered(path, folder, owner, tuple(inputs), tuple(documents), notes, changes)


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
    :class:`_Writer` for its folder alone): a workbook with errors, a hand-edited document (unless
    ``force``; then it is kept in the folder's history), a folder that cannot be written (a file
    open in Word, read-only, in the way, someone else's) or one that an earlier workbook of the
    run has just been built into stops that workbook only; the others are built, and then
    :class:`ThiduaError` is raised with the problems of those not built and a last one naming
    them. A problem of the templates stops the whole run before anything is written. Without
    LibreOffice the .docx files and manifests are written, and the PDF problem raised after
    them. Warnings and notes are printed as they are found, the status of every file as its
    folder is written, and a closing summary (:mod:`pipeline.output.summary`) at the end.
    ``progress`` is the stream a progress display goes to (:mod:`pipeline.output.progress`;
    ``None``: none).

    Every build also compares the facts it prints with the previous build's and prints what
    changed (:mod:`pipeline.regenerate`); ``dry_run`` prints that and the planned statuses and
    writes nothing; ``tracked_changes`` adds a Word tracked-changes copy of each updated
    document; ``on_report`` receives the change reports (``--json``). ``now`` (ISO 8601) is the
    time recorded in the history; the clock is read when it is not given.
    """
    from pipeline.documents.templates import compile_templates, resolve_templates_dir
    from pipeline.output.progress import Progress
    from pipeline.parallel import imap_in_processes

    template_paths = _select_templates(resolve_templates_dir(templates_dir), only)
    _refuse_shared_names(template_paths)
    templates, template_problems = compile_templates(template_paths, allow_external=allow_external)
    if has_errors(template_problems):
        raise ThiduaError(template_problems)
    if template_problems:
        echo(format_problems(template_problems))

    plan = RunPlan.make(
        out_dir, templates, force=force, allow_external=allow_external, tracked=tracked_changes
    )
    shown = Progress(progress, len(paths))
    say = shown.wrap(echo)
    options = {"pdf": pdf, "force": force, "only": list(only)}
    template_records = tuple(FileRecord.of(t, shown_as=t.name) for t, _ in templates)
    writer = _Writer(
        out_dir, say, now or _now(), template_records, options, pdf=pdf, force=force,
        dry_run=dry_run, today=plan.today, tracked=plan.tracked,
    )  # fmt: skip
    said: set[Problem] = set()  # each pool worker reads a shared file and reports its notes

    _RUN_PLANS[plan.key] = plan  # what the workers use (forked ones inherit it)
    try:
        jobs = [(path, plan.key) for path in paths]
        results = imap_in_processes(_render_job, jobs, imports=LOADING + _RENDERING)
        # closing: an error or Ctrl-C here stops the pool's work at once (no workbook waits).
        with closing(results):
            for done, result in enumerate(results, 1):  # each written and let go as it comes
                shown.step(done, result.path.name, "đọc, kiểm tra và lập văn bản")
                notes = [p for p in result.notes if p not in said]
                said.update(notes)
                if notes:
                    say(format_problems(notes))
                writer.take(result)
                interrupts.check()
    finally:
        del _RUN_PLANS[plan.key]
    pdf_problems = writer.write_with_pdfs()
    changes = writer.changes
    shown.close()
    if on_report is not None:
        on_report(changes)
    if changes.reports:  # nothing rendered, nothing to compare
        echo(changes.text.rstrip())
    if changes.notes:
        echo(format_problems(changes.notes))
    outcomes = writer.outcomes
    _summarise(paths, outcomes, echo)
    failed = [outcomes[p] for p in paths if not outcomes[p].built]
    # dict.fromkeys: a problem two workbooks share (the same folder) is listed once.
    problems = list(dict.fromkeys(p for outcome in failed for p in outcome.problems))
    problems += pdf_problems
    if failed and len(paths) > 1:  # one workbook alone: its own errors say it all
        problems.append(_not_built_problem(failed, len(paths)))
    if problems:
        raise ThiduaError(problems)
    return writer.statuses


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


class _Writer:
    """The write phase of a build, one folder at a time (:mod:`pipeline.output.staged`): repair
    what an interrupted commit left, plan the folder (a folder whose plan has errors is not
    written), commit it as a whole and print its files' statuses. Each workbook's
    :class:`Outcome` goes into :attr:`outcomes`, every file with its status into
    :attr:`statuses`, its change report into :attr:`changes`."""

    def __init__(
        self,
        out_dir: Path,
        echo: Echo,
        now: str,
        templates: tuple[FileRecord, ...],
        options: Mapping[str, object],
        *,
        pdf: bool,
        force: bool,
        dry_run: bool,
        today: dt.date,
        tracked: bool,
    ) -> None:
        self.out_dir, self.echo, self.now = out_dir, echo, now
        self.templates, self.options = templates, options
        self.pdf, self.force, self.dry_run = pdf, force, dry_run
        self.today, self.tracked = today, tracked
        self.outcomes: dict[Path, Outcome] = {}
        self.statuses: list[tuple[Path, str]] = []
        self.changes = Regeneration()
        self._claimed: dict[Path, Path] = {}  # each folder of the run, the workbook built into it
        self._with_pdfs: list[Rendered] = []  # waiting for the run's one LibreOffice call

    def take(self, result: Rendered | Outcome) -> None:
        """One workbook as it arrives: written now (without PDFs), kept for the PDF run, shown
        (``--dry-run``), or refused when an earlier workbook of the run was built into its
        folder."""
        if isinstance(result, Outcome):
            self.outcomes[result.path] = result
            return
        earlier = self._claimed.setdefault(result.folder, result.path)
        if earlier != result.path:
            self.outcomes[result.path] = _same_folder(result, earlier)
            return
        # A commit a kill cut short is completed first; the report, made against the folder as
        # it was, is made again against the completed one.
        if recover(result.folder, self.echo):
            result = result.compared_again(self.today, self.tracked)
        self.changes.add(result.changes)
        pause_point("build-rendered")  # this workbook rendered, its folder not yet written
        if self.dry_run:
            self.preview(result)
        elif self.pdf:
            self._with_pdfs.append(result)
        else:
            self.write(result, Pdfs())

    def job(self, rendered: Rendered) -> Job:
        r = rendered
        return Job(r.folder, r.owner, r.path, r.inputs, self.templates, r.documents, self.pdf,
                   self.force, self.options, extras=r.extras)  # fmt: skip

    def _first_plan(self, rendered: Rendered) -> FolderPlan | None:
        """The folder planned before its PDFs are made (``None``: it has errors, and its
        outcome says them)."""
        first = plan_build(self.job(rendered), None, version=__version__, now=self.now)
        if not first.errors:
            return first
        problems = tuple(first.errors + first.warnings)
        self.outcomes[rendered.path] = Outcome(rendered.path, rendered.folder, problems=problems)
        return None

    def preview(self, rendered: Rendered) -> None:
        """``--dry-run``: print the status each file would get; write nothing."""
        first = self._first_plan(rendered)
        if first is None:
            return
        lines = tuple((rendered.folder / name, status) for name, status in first.lines)
        for target, status in lines:
            self.echo(f"{status:<10} {target.as_posix()}  (xem trước: chưa ghi)")
        self.statuses += lines
        outcome = Outcome(rendered.path, rendered.folder, lines, notes=rendered.notes)
        self.outcomes[rendered.path] = outcome

    def write_with_pdfs(self) -> list[Problem]:
        """The workbooks kept for the PDF run: every folder planned, the PDFs they need made in
        one LibreOffice run (pdf.py: 20 documents in one call 2,3 s, in 20 calls 16,6 s), then
        each folder committed. Returns the problems of the conversion: without LibreOffice the
        .docx files, the documents people sign, are still written, and the PDF problem is
        reported after them (exit status 1)."""
        ready, self._with_pdfs = self._with_pdfs, []
        planned = [(r, first) for r in ready if (first := self._first_plan(r)) is not None]
        todo = [(r.folder, name, data) for r, first in planned for name, data in first.pdf_todo]
        made: list[bytes] = []
        problems: list[Problem] = []
        if todo:
            try:
                made = _convert(todo, self.echo)
            except ThiduaError as exc:
                problems = list(exc.problems)
        for rendered, _ in planned:  # a Ctrl-C meanwhile: the first commit raises it
            mine = [
                (name, i) for i, (folder, name, _) in enumerate(todo) if folder == rendered.folder
            ]
            made_here = {name: made[i] for name, i in mine} if made else {}
            self.write(rendered, Pdfs(frozenset(name for name, _ in mine), made_here))
        return problems

    def write(self, rendered: Rendered, pdfs: Pdfs) -> None:
        """Commit one workbook's folder (its PDFs made already, or none wanted) and print what
        became of each file."""
        from pipeline.output.archive.issued import issued_note

        folder, job, plans = rendered.folder, self.job(rendered), []

        def plan_locked(locked: Path) -> FolderCommit | None:
            plan = plan_build(job, pdfs, version=__version__, now=self.now)
            plans.append(plan)
            if plan.errors:
                raise ThiduaError(plan.errors + plan.warnings)
            return plan.commit()

        try:
            commit_folders([folder], plan_locked, self.echo, top=self.out_dir)
        except ThiduaError as exc:
            problems = tuple(exc.problems)
            self.outcomes[rendered.path] = Outcome(rendered.path, folder, problems=problems)
            return
        plan = plans[-1]
        if plan.warnings:
            self.echo(format_problems(plan.warnings))
        lines = tuple((folder / name, status) for name, status in plan.lines)
        for target, status in lines:
            self.echo(f"{status:<10} {target.as_posix()}")
        for note in plan.notes:
            self.echo(note)
        kept = [k for k in plan.kept if k.path != MANIFEST]
        if kept and plan.commit() is not None:
            self.echo(
                f"Bản cũ của {len(kept)} tệp được cất trong {plan.history}/ (xem: thidua "
                "lich-su; lấy lại một bản: thidua khoi-phuc TEP)."
            )
        # Issued documents (ban-hanh/) are never written by a build: say so when a draft differs.
        issued = issued_note(folder)
        if issued:
            self.echo(issued)
        self.statuses += lines
        self.outcomes[rendered.path] = Outcome(rendered.path, folder, lines, notes=rendered.notes)


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


def _summarise(paths: Sequence[Path], outcomes: Mapping[Path, Outcome], echo: Echo) -> None:
    from pipeline.output.summary import RunSummary, summary_lines

    # A shared settings file's notes come with each pool worker's first workbook: counted once,
    # as they are printed.
    notes = list(dict.fromkeys(n for p in paths for n in outcomes[p].notes))
    run = RunSummary(
        workbooks=tuple(p.name for p in paths),
        not_built=tuple(
            (p.name, len(outcomes[p].problems)) for p in paths if not outcomes[p].built
        ),
        statuses=tuple(s for p in paths for s in outcomes[p].statuses),
        warnings=sum(1 for n in notes if n.severity == "warning"),
        notes=sum(1 for n in notes if n.severity == "info"),
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


def _same_folder(rendered: Rendered, earlier: Path) -> Outcome:
    """A second workbook of the same cluster and year in one run would overwrite the documents
    just built from the first (in the order of the workbooks): it is not built."""
    problem = Problem(
        "error",
        "same-output",
        f"Cùng một cụm, một năm với {earlier.name}, mà văn bản của {earlier.name} vừa được "
        f"lập vào {rendered.folder.as_posix()}: workbook này không được lập, để không ghi đè",
        "Để lại một workbook cho mỗi cụm và năm (chuyển bản thừa ra khỏi inputs/ hoặc đặt tên "
        "bắt đầu bằng _) rồi chạy lại; nếu bản đúng là "
        f"{rendered.path.name}: chuyển {earlier.name} ra rồi chạy lại, bản vừa lập được cất "
        "trong lịch sử của thư mục.",
        Location(file=rendered.path.name),
    )
    return Outcome(rendered.path, rendered.folder, problems=(problem,), notes=rendered.notes)
