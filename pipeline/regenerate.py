"""After a correction: what each rebuilt folder now prints differently, and the files that say so.

Called by :func:`pipeline.build.render_workbook` for each cluster-year folder, in the process that
rendered its documents, before anything is written: :func:`folder_changes` compares the snapshot
of the printed facts (:mod:`pipeline.documents.facts`) with the folder's previous one
(:mod:`pipeline.output.changes`) and gives the files to add to the folder's all-or-nothing commit:
the new snapshot, a dated report when something changed, and with ``--so-sanh`` a copy of each
updated document with Word tracked changes against the version it replaces (read from the folder
now, before the commit replaces it). :class:`Regeneration` gathers the reports of a run for the
console and ``--json``.

I/O: reads the folders' previous snapshots and documents; writes nothing itself.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import Problem
from pipeline.output.changes import (
    ClusterChanges,
    compare,
    document_id,
    report_markdown,
    unchanged,
)
from pipeline.output.report import (
    SNAPSHOT,
    compare_path,
    planned_status,
    previous_bytes,
    redline_missing,
    report_path,
    tracked_changes,
)
from pipeline.output.staged import UNCHANGED, UPDATED

if TYPE_CHECKING:
    from pipeline.documents.engine import CompiledTemplate
    from pipeline.documents.facts import Snapshot


def template_marks(templates: Sequence[tuple[Path, CompiledTemplate]]) -> dict[str, str]:
    """What else made a run's documents, for its snapshots (``dau_vet``): each template's SHA-256
    (``mau/<tệp>``) and thidua's version, so that a rebuild names them when they changed."""
    from pipeline import __version__
    from pipeline.output.manifest import sha256_bytes

    marks = {f"mau/{path.name}": sha256_bytes(path.read_bytes()) for path, _ in templates}
    marks["thidua"] = __version__
    return marks


@dataclass(frozen=True, slots=True)
class FolderChanges:
    """One folder's change report and the files that carry it (``files``, by their path, go into
    the folder's commit); ``statuses`` the status each document is planned to get (by
    :func:`~pipeline.output.changes.document_id`), ``notes`` warnings (the tracked-changes engine
    missing or failing)."""

    report: ClusterChanges
    files: tuple[tuple[Path, bytes], ...]
    statuses: tuple[tuple[str, str], ...]
    notes: tuple[Problem, ...] = ()


def folder_changes(
    folder: Path,
    documents: Sequence[tuple[Path, bytes]],
    facts: Snapshot,
    *,
    today: dt.date,
    tracked: bool,
) -> FolderChanges:
    """The change report of ``folder`` about to get ``documents`` (by path) that print ``facts``
    (:func:`pipeline.documents.facts.snapshot`), and (``tracked``) its tracked-changes copies."""
    from pipeline.documents.facts import snapshot_json

    return _changes(folder, documents, snapshot_json(facts), facts, today=today, tracked=tracked)


def changes_again(
    folder: Path,
    documents: Sequence[tuple[Path, bytes]],
    changes: FolderChanges,
    *,
    today: dt.date,
    tracked: bool,
) -> FolderChanges:
    """:func:`folder_changes` made again from the snapshot ``changes`` carries, against the
    folder as it is now: after the repair of a commit cut short, whose files it was made
    against have been replaced."""
    from pipeline.documents.facts import read_snapshot

    written = dict(changes.files)[folder / SNAPSHOT]
    facts = read_snapshot(written)
    assert facts is not None  # the snapshot this version of thidua has just written
    return _changes(folder, documents, written, facts, today=today, tracked=tracked)


def _changes(
    folder: Path,
    documents: Sequence[tuple[Path, bytes]],
    written: bytes,
    facts: Snapshot,
    *,
    today: dt.date,
    tracked: bool,
) -> FolderChanges:
    from pipeline.documents.facts import read_snapshot

    previous = previous_bytes(folder / SNAPSHOT)
    # The very bytes of the previous snapshot (most folders of a batch rebuilt after one
    # correction): nothing to read back or compare.
    found = unchanged(facts) if previous == written else compare(read_snapshot(previous), facts)
    planned = {target.name: planned_status(target, data) for target, data in documents}
    identical = tuple(name for name, status in planned.items() if status == UNCHANGED)
    report = dataclasses.replace(found, identical=identical)
    statuses = {document_id(report, name): status for name, status in planned.items()}
    files = [(folder / SNAPSHOT, written)]
    if report.changed:
        own = report_markdown([report], statuses, title_date=today.strftime("%d/%m/%Y"))
        files.append((report_path(folder, today), own.encode("utf-8")))
    notes = _tracked_copies(documents, files) if tracked else []
    return FolderChanges(report, tuple(files), tuple(statuses.items()), tuple(notes))


@dataclass(slots=True)
class Regeneration:
    """The change reports of a build, gathered folder by folder (:meth:`add`): ``text`` is the
    report printed on the console, ``notes`` the warnings."""

    reports: list[ClusterChanges] = field(default_factory=list)
    statuses: dict[str, str] = field(default_factory=dict)
    notes: list[Problem] = field(default_factory=list)

    def add(self, changes: FolderChanges) -> None:
        self.reports.append(changes.report)
        self.statuses.update(changes.statuses)
        self.notes += changes.notes

    @property
    def text(self) -> str:
        return report_markdown(self.reports, self.statuses)


def _tracked_copies(
    documents: Sequence[tuple[Path, bytes]], files: list[tuple[Path, bytes]]
) -> list[Problem]:
    """A tracked-changes copy of each updated document (the previous bytes are read now)."""
    updated = [
        (target, old, data)
        for target, data in documents
        if target.suffix == ".docx"
        and planned_status(target, data) == UPDATED
        and (old := previous_bytes(target)) is not None
    ]
    if not updated:
        return []
    missing = redline_missing()
    if missing is not None:
        return [missing]
    notes: list[Problem] = []
    for target, old, data in updated:
        copy, problem = tracked_changes(old, data, target.name)
        if copy is not None:
            files.append((compare_path(target), copy))
        if problem is not None:
            notes.append(problem)
    return notes


def build_json(
    workbooks: Sequence[Path], output_dir: Path, *, tracked: bool, dry_run: bool, **options: object
) -> tuple[str, int]:
    """``thidua build --json``: the whole run for machines and the exit status.

    The same build as :func:`pipeline.build.build` with ``options``; the JSON holds every file
    with its status (or, with ``dry_run``, the status it would get), the change reports, the
    problems (errors stop the build: then no file is listed) and the console lines.
    """
    from pipeline.build import build
    from pipeline.errors import ThiduaError
    from pipeline.output.report import run_json

    lines: list[str] = []
    found: list[Regeneration] = []
    statuses: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    try:
        statuses = build(
            workbooks,
            output_dir,
            echo=lambda line: lines.append(str(line)),
            on_report=found.append,
            tracked_changes=tracked,
            dry_run=dry_run,
            **options,  # type: ignore[arg-type]
        )
    except ThiduaError as exc:
        problems = list(exc.problems)
    reports = found[0].reports if found else []
    notes = found[0].notes if found else []
    text = run_json(statuses, reports, [*problems, *notes], dry_run=dry_run, lines=lines)
    return text, 1 if problems else 0
