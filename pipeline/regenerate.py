"""After a correction: what each rebuilt folder now prints differently, and the files that say so.

Called by :func:`pipeline.build.build` once every document has rendered in memory and before
anything is written. For each cluster-year folder it makes the snapshot of the printed facts
(:mod:`pipeline.documents.facts`), compares it with the folder's previous one
(:mod:`pipeline.output.changes`) and returns the files to add to the build's all-or-nothing
commit: the new snapshot, a dated report when something changed, and with ``--so-sanh`` a copy of
each updated document with Word tracked changes against the version it replaces (read from the
folder now, before the commit replaces it).

I/O: reads the folders' previous snapshots and documents; writes nothing itself.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import Problem
from pipeline.output.changes import ClusterChanges, compare, document_id, report_markdown
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
    from pipeline.domain.model import Dossier


@dataclass(frozen=True, slots=True)
class Folder:
    """One cluster-year about to be written: its folder, dossier, context and documents.

    ``facts`` is the snapshot of the printed facts when it was made already (by a process that
    rendered the documents: :func:`pipeline.documents.facts.snapshot` of the same dossier and
    context); ``None`` makes it here from ``dossier`` and ``context``.
    """

    folder: Path
    dossier: Dossier | None
    context: Mapping[str, object] | None
    documents: Sequence[tuple[Path, bytes]]
    facts: Mapping[str, object] | None = None


@dataclass(slots=True)
class Regeneration:
    """The change reports of a build and the files that carry them.

    ``files`` go into the build's commit; ``text`` is the report printed on the console;
    ``notes`` are warnings (the tracked-changes engine missing or failing).
    """

    reports: list[ClusterChanges] = field(default_factory=list)
    files: list[tuple[Path, bytes]] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    text: str = ""


def regeneration(
    folders: Sequence[Folder],
    templates: Sequence[tuple[Path, CompiledTemplate]],
    *,
    today: dt.date,
    tracked: bool = False,
) -> Regeneration:
    """Snapshots, change reports and (``tracked``) tracked-changes copies for ``folders``."""
    from pipeline import __version__
    from pipeline.documents.facts import read_snapshot, snapshot, snapshot_json
    from pipeline.output.manifest import sha256_bytes

    variables = {path.name: list(t.variables) for path, t in templates}
    marks = {f"mau/{path.name}": sha256_bytes(path.read_bytes()) for path, _ in templates}
    marks["thidua"] = __version__
    result = Regeneration()
    statuses: dict[str, str] = {}
    for item in folders:
        if item.facts is not None:
            new = {**item.facts, "dau_vet": dict(sorted(marks.items()))}
        else:
            assert item.dossier is not None and item.context is not None
            new = snapshot(item.dossier, item.context, variables, marks)
        old = read_snapshot(previous_bytes(item.folder / SNAPSHOT))
        report = compare(old, new)
        planned = {target.name: planned_status(target, data) for target, data in item.documents}
        identical = tuple(name for name, status in planned.items() if status == UNCHANGED)
        report = dataclasses.replace(report, identical=identical)
        result.reports.append(report)
        result.files.append((item.folder / SNAPSHOT, snapshot_json(new)))
        statuses.update((document_id(report, name), status) for name, status in planned.items())
        if report.changed:
            own = report_markdown([report], statuses, title_date=today.strftime("%d/%m/%Y"))
            result.files.append((report_path(item.folder, today), own.encode("utf-8")))
        if tracked:
            result.notes += _tracked_copies(item, result.files)
    result.text = report_markdown(result.reports, statuses)
    return result


def _tracked_copies(item: Folder, files: list[tuple[Path, bytes]]) -> list[Problem]:
    """A tracked-changes copy of each updated document (the previous bytes are read now)."""
    updated = [
        (target, old, data)
        for target, data in item.documents
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


def build_json(workbooks: Sequence[Path], output_dir: Path, **options: object) -> tuple[str, int]:
    """``thidua build --json``: the whole run for machines and the exit status.

    The same build as :func:`pipeline.build.build` with ``options``; the JSON holds every file
    with its status (or, with ``dry_run``, the status it would get), the change reports, the
    problems (errors stop the build: then no file is listed) and the console lines.
    """
    from pipeline.build import build, default_workbooks
    from pipeline.errors import ThiduaError
    from pipeline.output.report import run_json

    lines: list[str] = []
    found: list[Regeneration] = []
    statuses: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    tracked = bool(options.pop("tracked", False))
    dry_run = bool(options.get("dry_run", False))
    try:
        paths = list(workbooks) or default_workbooks(Path("inputs"))
        statuses = build(
            paths,
            output_dir,
            echo=lambda line: lines.append(str(line)),
            on_report=found.append,
            tracked_changes=tracked,
            **options,  # type: ignore[arg-type]
        )
    except ThiduaError as exc:
        problems = list(exc.problems)
    reports = found[0].reports if found else []
    notes = found[0].notes if found else []
    text = run_json(statuses, reports, [*problems, *notes], dry_run=dry_run, lines=lines)
    return text, 1 if problems else 0
