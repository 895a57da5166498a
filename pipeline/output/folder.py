"""What a build writes into one output folder (:func:`plan_build`), decided from what is there.

For every document the build rendered, and its PDF, the plan says: created, updated, unchanged,
or moved into the history; it refuses what must not happen (a document edited by hand, without
``--force``; a read-only file; a directory or a link where a document goes; someone else's
folder), and it writes the new manifest and the build's history record. The commit itself is
:func:`pipeline.output.staged.commit_folders`'s.

The rules, in the user's terms (docs/thu-muc-van-ban.md):

- A document is replaced only if it is as thidua wrote it (its SHA-256 is its manifest record's),
  or with ``--force``; either way the replaced file is first kept in ``.lich-su/<build>/``.
- A PDF is reused only if the manifest says it was made from exactly the new .docx bytes
  (``source_sha256``); otherwise ``--pdf`` makes it again. Without ``--pdf``, a PDF thidua made
  from an older .docx is moved into the history, so the folder never holds a PDF of last week's
  scores next to this week's document.
- A partial build (``--only``) keeps the records of the folder's other documents as they are,
  an edited one's included (its record is what thidua wrote; the difference is the edit).
- A damaged or missing manifest makes no document "edited by hand": they are replaced and kept
  in the history, with a warning.
- Nothing to change means nothing written, not even the manifest.

I/O: reads the folder (through :mod:`.files`, :mod:`.manifest`, :mod:`.history`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import Location, Problem
from pipeline.output import files
from pipeline.output.history import (
    EDITED,
    RECORD,
    REMOVED,
    REPLACED,
    THIDUA,
    UNKNOWN,
    BuildRecord,
    Kept,
    build_numbers,
    latest_owner,
    relative_build_folder,
)
from pipeline.output.manifest import (
    MANIFEST,
    FileRecord,
    Manifest,
    ManifestRead,
    OutputRecord,
    Owner,
    read_manifest,
    sha256_bytes,
)
from pipeline.output.names import name_key
from pipeline.output.ownership import check_owner
from pipeline.output.staged import (
    CREATED,
    KEPT,
    UNCHANGED,
    UPDATED,
    Change,
    FolderCommit,
    read_only_problem,
)


@dataclass(frozen=True, slots=True)
class Job:
    """One workbook's documents for one folder, and how to build them."""

    folder: Path
    owner: Owner
    workbook: Path
    inputs: tuple[FileRecord, ...]
    templates: tuple[FileRecord, ...]
    documents: tuple[tuple[str, bytes], ...]
    pdf: bool = False
    force: bool = False
    options: Mapping[str, object] = field(default_factory=dict)
    #: The change report's files (``du-lieu-in.json``, ``thay-doi-<ngày>.md``, the
    #: ``so-sanh/`` copies), by their path in the folder: see :func:`_extra`.
    extras: tuple[tuple[str, bytes], ...] = ()


@dataclass(frozen=True, slots=True)
class Pdfs:
    """The PDFs made for this run: ``made`` by .docx name; ``attempted`` every .docx name that
    was sent to LibreOffice (attempted but not made: the conversion failed)."""

    attempted: frozenset[str] = frozenset()
    made: Mapping[str, bytes] = field(default_factory=dict)


@dataclass
class Plan:
    """What :func:`plan_build` decided for one folder."""

    folder: Path
    build: int
    lines: list[tuple[str, str]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    pdf_todo: list[tuple[str, bytes]] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    kept: list[Kept] = field(default_factory=list)

    def commit(self) -> FolderCommit | None:
        if not self.changes:
            return None
        return FolderCommit(self.folder, self.build, tuple(self.changes))

    @property
    def history(self) -> str:
        return f"{self.folder.as_posix()}/{relative_build_folder(self.build)}"


def next_build(folder: Path, read: ManifestRead) -> tuple[int, int]:
    """(the folder's current build number, the next one): never reusing a number, even when
    the manifest is gone."""
    current = read.manifest.build if read.manifest is not None else 0
    last = max([current, *build_numbers(folder)])
    return current, last + 1


def _classify(read: ManifestRead, name: str, sha: str | None) -> tuple[str, OutputRecord | None]:
    """Whether the file now at ``name`` is as thidua wrote it, edited, or unknown."""
    if read.manifest is None:
        return UNKNOWN, None
    record = read.manifest.output(name)
    if record is not None and sha is not None and sha == record.sha256:
        return THIDUA, record
    return EDITED, record


def plan_build(job: Job, pdfs: Pdfs | None, *, version: str, now: str) -> Plan:
    """The plan of one folder (see the module docstring). ``pdfs`` is ``None`` before the PDFs
    are made: the plan then lists in ``pdf_todo`` the documents whose PDF must be made."""
    folder = job.folder
    read = read_manifest(folder)
    current, build = next_build(folder, read)
    plan = Plan(folder, build)
    problem = read.problem()
    if problem is not None:
        (plan.errors if problem.is_error else plan.warnings).append(problem)
        if problem.is_error:
            return plan
    recorded_owner = read.manifest.owner if read.manifest is not None else latest_owner(folder)
    verdict = check_owner(folder, recorded_owner, job.owner, job.workbook)
    if verdict.problem is not None:
        plan.errors.append(verdict.problem)
        return plan
    if verdict.note:
        plan.notes.append(verdict.note)

    records: dict[str, OutputRecord] = {}
    handled: set[str] = set()
    doc_status: dict[str, str] = {}
    for name, data in job.documents:
        handled.add(name_key(name))
        status = _document(plan, read, job, name, data, records)
        if status is not None:
            doc_status[name] = status
    for name, data in job.documents:
        _pdf(plan, read, job, pdfs, name, data, doc_status.get(name), records, handled)
    for name, data in job.extras:
        _extra(plan, job.folder / name, name, data)
    if read.manifest is not None:
        for record in read.manifest.outputs:
            key = name_key(record.path)
            known = key in handled or key in records
            if not known and files.kind(folder / record.path) == files.FILE:
                records[key] = record
    if read.status == "missing" and plan.kept and not plan.warnings:
        plan.warnings.append(_no_manifest(folder))
    if plan.errors or plan.pdf_todo:
        return plan

    outputs = tuple(records.values())
    if not plan.changes:
        unchanged = Manifest(version, current, job.owner, job.inputs, job.templates, outputs)
        if read.trusted and read.raw == unchanged.to_json():
            plan.build = current
            plan.lines.append((MANIFEST, UNCHANGED))
            return plan
    written = tuple(OutputRecord.of(c.path, c.data, build) for c in plan.changes if c.data)
    written = tuple(records.get(name_key(w.path), w) for w in written)
    if read.status != "missing":
        state = THIDUA if read.trusted else UNKNOWN
        sha = sha256_bytes(read.raw) if read.raw is not None else None
        size = len(read.raw) if read.raw is not None else None
        plan.kept.append(Kept(MANIFEST, sha, size, state, REPLACED))
    history_record = BuildRecord(
        build,
        now,
        "build",
        version,
        job.owner,
        job.inputs,
        job.templates,
        written,
        tuple(plan.kept),
        dict(job.options),
    )
    manifest = Manifest(version, build, job.owner, job.inputs, job.templates, outputs)
    record_path = f"{relative_build_folder(build)}/{RECORD}"
    plan.changes.append(Change(record_path, history_record.to_json()))
    plan.changes.append(Change(MANIFEST, manifest.to_json()))
    plan.lines.append((MANIFEST, CREATED if read.status == "missing" else UPDATED))
    return plan


def _document(
    plan: Plan,
    read: ManifestRead,
    job: Job,
    name: str,
    data: bytes,
    records: dict[str, OutputRecord],
) -> str | None:
    target = job.folder / name
    found = files.read_regular(target)
    key = name_key(name)
    if found.why in {files.DIRECTORY, files.LINK, files.OTHER}:
        plan.errors.append(_not_a_file(target, found.why or ""))
        return None
    if found.why == "error":
        plan.errors.append(_unreadable(target, found.error))
        return None
    if found.why == files.MISSING:
        plan.changes.append(Change(name, data))
        plan.lines.append((name, CREATED))
        records[key] = OutputRecord.of(name, data, plan.build)
        return CREATED
    if found.data == data:
        plan.lines.append((name, UNCHANGED))
        state, record = _classify(read, name, found.sha256)
        keep = state == THIDUA and record is not None
        records[key] = record if keep and record else OutputRecord.of(name, data, plan.build)
        return UNCHANGED
    if found.read_only:
        plan.errors.append(read_only_problem(target))
        return None
    state, record = _classify(read, name, found.sha256)
    if state == EDITED and not job.force:
        plan.errors.append(edited_problem(target))
        return None
    plan.kept.append(Kept(name, found.sha256, found.size, state, REPLACED, record))
    plan.changes.append(Change(name, data))
    plan.lines.append((name, UPDATED))
    records[key] = OutputRecord.of(name, data, plan.build)
    if state == EDITED:
        kept_at = f"{plan.history}/{name}"
        plan.notes.append(
            f"Bản đã sửa tay của {name} được cất ở {kept_at}; lấy lại bằng: "
            f'thidua khoi-phuc "{target.as_posix()}"'
        )
    return UPDATED


def _extra(plan: Plan, target: Path, name: str, data: bytes) -> None:
    """A file of the change report: written with the folder's commit, the version it replaces
    kept in the history like any other; not a document (no PDF, no manifest record: it is
    thidua's account of the build, never "edited by hand")."""
    found = files.read_regular(target)
    if found.why in {files.DIRECTORY, files.LINK, files.OTHER}:
        plan.errors.append(_not_a_file(target, found.why or ""))
    elif found.why == "error":
        plan.errors.append(_unreadable(target, found.error))
    elif found.why == files.MISSING:
        plan.changes.append(Change(name, data))
        plan.lines.append((name, CREATED))
    elif found.data == data:
        plan.lines.append((name, UNCHANGED))
    elif found.read_only:
        plan.errors.append(read_only_problem(target))
    else:
        plan.kept.append(Kept(name, found.sha256, found.size, UNKNOWN, REPLACED))
        plan.changes.append(Change(name, data))
        plan.lines.append((name, UPDATED))


def _pdf(
    plan: Plan,
    read: ManifestRead,
    job: Job,
    pdfs: Pdfs | None,
    name: str,
    data: bytes,
    doc_status: str | None,
    records: dict[str, OutputRecord],
    handled: set[str],
) -> None:
    pdf_name = str(Path(name).with_suffix(".pdf"))
    target = job.folder / pdf_name
    key = name_key(pdf_name)
    found = files.read_regular(target)
    state, record = _classify(read, pdf_name, found.sha256)
    ours = state == THIDUA and record is not None
    doc_sha = sha256_bytes(data)
    if job.pdf:
        if found.why in {files.DIRECTORY, files.LINK, files.OTHER}:
            plan.errors.append(_not_a_file(target, found.why or ""))
            return
        if ours and record is not None and record.source_sha256 == doc_sha:
            plan.lines.append((pdf_name, UNCHANGED))
            records[key] = record
            return
        if pdfs is None:
            # Refuse now what the new PDF could not replace, before LibreOffice runs.
            if found.data is not None and found.read_only:
                plan.errors.append(read_only_problem(target))
            elif found.data is not None and state == EDITED and not job.force:
                plan.errors.append(edited_problem(target))
            else:
                plan.pdf_todo.append((name, data))
            return
        if name in pdfs.made:
            new = pdfs.made[name]
            _new_pdf(plan, job, name, data, pdf_name, found, state, record, new, records)
            return
        if name not in pdfs.attempted:
            plan.errors.append(_changed_meanwhile(target))
            return
    # No new PDF for this document (or, with --pdf, LibreOffice failed on it): an old one of
    # thidua's that was not made from these exact bytes leaves the folder (into the history);
    # one that stays keeps its record.
    if found.data is None or record is None or doc_status is None:
        return
    if not ours:
        if doc_status == UPDATED:
            plan.notes.append(
                f"Lưu ý: {pdf_name} đã bị sửa sau khi thidua lập (hay là bản ký?) nên được giữ "
                f"nguyên, nhưng nó không còn khớp {name} mới."
            )
        return
    if record.source_sha256 == doc_sha or (record.source_sha256 is None and doc_status != UPDATED):
        if record.source_sha256 is None:
            plan.notes.append(
                f"Lưu ý: không rõ {pdf_name} được lập từ bản nào của {name}; chạy thidua build "
                "--pdf để lập lại cho chắc."
            )
        return
    if found.read_only:
        plan.notes.append(
            f"Lưu ý: {pdf_name} chỉ đọc (bản đã ký?) nên được giữ nguyên, nhưng nó được lập từ "
            f"một bản cũ của {name}."
        )
        return
    handled.add(key)
    plan.kept.append(Kept(pdf_name, found.sha256, found.size, THIDUA, REMOVED, record))
    plan.changes.append(Change(pdf_name, None))
    plan.lines.append((pdf_name, KEPT))
    plan.notes.append(
        f"{pdf_name} được lập từ bản cũ của {name} nên đã được cất vào {plan.history}/; lập "
        "lại PDF bằng: thidua build --pdf"
    )


def _new_pdf(
    plan: Plan,
    job: Job,
    name: str,
    data: bytes,
    pdf_name: str,
    found: files.Read,
    state: str,
    record: OutputRecord | None,
    new: bytes,
    records: dict[str, OutputRecord],
) -> None:
    target = job.folder / pdf_name
    key = name_key(pdf_name)
    if found.why == "error":
        plan.errors.append(_unreadable(target, found.error))
        return
    if found.why == files.MISSING:
        plan.changes.append(Change(pdf_name, new))
        plan.lines.append((pdf_name, CREATED))
        records[key] = OutputRecord.of(pdf_name, new, plan.build, (name, data))
        return
    if found.data == new:
        plan.lines.append((pdf_name, UNCHANGED))
        made = record.build if record is not None and state == THIDUA else plan.build
        records[key] = OutputRecord(
            pdf_name, sha256_bytes(new), len(new), made, name, sha256_bytes(data)
        )
        return
    if found.read_only:
        plan.errors.append(read_only_problem(target))
        return
    if state == EDITED and not job.force:
        plan.errors.append(edited_problem(target))
        return
    plan.kept.append(Kept(pdf_name, found.sha256, found.size, state, REPLACED, record))
    plan.changes.append(Change(pdf_name, new))
    plan.lines.append((pdf_name, UPDATED))
    records[key] = OutputRecord.of(pdf_name, new, plan.build, (name, data))


def edited_problem(path: Path) -> Problem:
    """A document edited since the last build would be lost: the ways out that really work."""
    shown = path.as_posix()
    return Problem(
        "error",
        "edited-output",
        "Văn bản này đã được sửa sau lần lập trước; lập lại sẽ thay nó bằng bản mới (không tệp "
        "nào được ghi)",
        "Chọn một cách: (1) lập lại mà vẫn giữ bản đã sửa: chạy lại với --force, bản đã sửa "
        "được cất vào thư mục .lich-su/ bên cạnh (lệnh in ra chỗ cất) và lấy lại được bất cứ lúc "
        f'nào bằng thidua khoi-phuc "{shown}"; (2) giữ bản đã sửa làm bản chính: đổi tên nó '
        f"(ví dụ {path.stem}-da-sua{path.suffix}) rồi chạy lại, thidua lập bản mới bên cạnh và "
        "không đụng tới tệp đã đổi tên; (3) nếu phần sửa là số liệu: sửa trong workbook, rồi "
        "chạy lại với --force.",
        Location(file=shown),
    )


def _not_a_file(path: Path, why: str) -> Problem:
    what = {
        files.DIRECTORY: "là một thư mục",
        files.LINK: "là một liên kết (symlink): thidua không ghi qua liên kết",
    }.get(why, "là một tệp đặc biệt, không phải tệp thường")
    return Problem(
        "error",
        "obstacle",
        f"Ở chỗ văn bản {path.name} lại {what}; không tệp nào được ghi",
        "Đổi tên hoặc chuyển nó đi chỗ khác, rồi chạy lại.",
        Location(file=path.as_posix()),
    )


def _unreadable(path: Path, error: OSError | None) -> Problem:
    detail = (error.strerror or str(error)) if error is not None else "lỗi không rõ"
    return Problem(
        "error",
        "unreadable",
        f"Không đọc được tệp đang có ({detail}) nên không biết nó đã bị sửa chưa; không tệp "
        "nào được ghi",
        "Kiểm tra quyền đọc của tệp (hoặc đóng chương trình đang khóa nó), rồi chạy lại.",
        Location(file=path.as_posix()),
    )


def _changed_meanwhile(path: Path) -> Problem:
    return Problem(
        "error",
        "changed-meanwhile",
        "Tệp này vừa bị thay đổi trong lúc thidua đang lập; không tệp nào được ghi",
        "Chạy lại (nếu có người khác đang lập cùng thư mục, đợi họ xong).",
        Location(file=path.as_posix()),
    )


def _no_manifest(folder: Path) -> Problem:
    return Problem(
        "warning",
        "manifest-missing",
        "Thư mục có văn bản nhưng không có manifest.json; không biết văn bản nào đã được sửa tay",
        "Không mất gì: mọi văn bản bị thay đều được cất vào .lich-su/ trước (thidua lich-su để "
        "xem, thidua khoi-phuc để lấy lại).",
        Location(file=(folder / MANIFEST).as_posix()),
    )
