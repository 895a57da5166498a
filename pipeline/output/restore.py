"""Restoring a kept version of a document or PDF (``thidua khoi-phuc``): a commit like a build's.

The version kept by build *k* (``.lich-su/<k>/<name>``) goes back into the folder byte for byte;
the file it replaces goes into the history first, under a new build number; the manifest gets
back the record the version had when it was kept. So a restored hand edit is again a hand edit
(the next build refuses to overwrite it without ``--force``), and a restored thidua document is
again thidua's.

A .docx carries its PDF along: the PDF kept with it is restored too when it was made from exactly
those bytes; otherwise a PDF of thidua's now in the folder, made from another version, goes into
the history (the folder never holds a PDF that does not match its document). A PDF alone is
restored only when it was made from the .docx now in the folder.

I/O: reads the folder and its history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import Location, Problem, ThiduaError
from pipeline.output import files
from pipeline.output.folder import next_build
from pipeline.output.history import (
    EDITED,
    RECORD,
    REMOVED,
    REPLACED,
    THIDUA,
    BuildRecord,
    Kept,
    Version,
    find_version,
    relative_build_folder,
)
from pipeline.output.manifest import (
    MANIFEST,
    Manifest,
    OutputRecord,
    plain_name,
    read_manifest,
    sha256_bytes,
)
from pipeline.output.names import name_key
from pipeline.output.staged import CREATED, KEPT, UPDATED, Change, FolderCommit


@dataclass
class RestorePlan:
    folder: Path
    build: int
    version: Version
    lines: list[tuple[str, str]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    kept: list[Kept] = field(default_factory=list)

    def commit(self) -> FolderCommit | None:
        if not self.changes:
            return None
        return FolderCommit(self.folder, self.build, tuple(self.changes))


def plan_restore(
    folder: Path, name: str, build: int | None, *, version: str, now: str
) -> RestorePlan:
    """The restore of ``name`` as kept by ``build`` (default: the newest kept version)."""
    try:
        plain_name(name)
    except ValueError:
        raise ThiduaError(
            _problem(folder / name, "Đây không phải một văn bản của thư mục")
        ) from None
    read = read_manifest(folder)
    if read.manifest is None:
        found = read.problem()
        problem: Problem | None = found if found is not None and found.is_error else None
        if problem is None:
            reason = f" ({read.reason})" if read.reason else ""
            what = "bị hỏng" if read.status == "damaged" else "không có"
            problem = _problem(
                folder / MANIFEST,
                f"Tệp manifest.json của thư mục {what}{reason} nên chưa biết văn bản nào là bản "
                "thidua lập",
                "thidua build (ghi lại manifest.json), rồi khôi phục",
            )
        raise ThiduaError(problem)
    manifest = read.manifest
    kept_version = find_version(folder, name, build)
    _, number = next_build(folder, read)
    plan = RestorePlan(folder, number, kept_version)
    records = {name_key(r.path): r for r in manifest.outputs}

    def replace(target_name: str, data: bytes | None, record: OutputRecord | None) -> None:
        target = folder / target_name
        found = files.read_regular(target)
        if found.why in {files.DIRECTORY, files.LINK, files.OTHER}:
            raise ThiduaError(_problem(target, "Ở chỗ tệp này lại không phải một tệp thường"))
        if found.read_only:
            raise ThiduaError(_problem(target, "Tệp này được đặt chỉ đọc (bản đã ký?)"))
        old = records.get(name_key(target_name))
        if found.why != files.MISSING:
            state = THIDUA if old is not None and found.sha256 == old.sha256 else EDITED
            reason = REPLACED if data is not None else REMOVED
            plan.kept.append(Kept(target_name, found.sha256, found.size, state, reason, old))
        plan.changes.append(Change(target_name, data))
        if data is None:
            plan.lines.append((target_name, KEPT))
        else:
            plan.lines.append((target_name, CREATED if found.why == files.MISSING else UPDATED))
        records.pop(name_key(target_name), None)
        if record is not None:
            records[name_key(target_name)] = record

    data = kept_version.data
    current_bytes = files.read_regular(folder / name).data
    if current_bytes == data:
        return plan  # already that version: nothing to do
    restored_record = kept_version.kept.record
    if name.lower().endswith(".pdf"):
        source = restored_record.source if restored_record else None
        docx = files.read_regular(folder / source).data if source else None
        if restored_record is None or docx is None or (
            sha256_bytes(docx) != restored_record.source_sha256
        ):
            raise ThiduaError(
                _problem(
                    folder / name,
                    "Bản PDF này được lập từ một bản khác của văn bản đang có nên không khôi "
                    "phục riêng được",
                    f'thidua khoi-phuc "{(folder / (source or name)).as_posix()}" --lan '
                    f"{kept_version.record.build} (PDF đi kèm được khôi phục theo)",
                )
            )
        replace(name, data, restored_record)
    else:
        replace(name, data, restored_record)
        _companion_pdf(plan, folder, name, data, records, replace)

    outputs = tuple(records.values())
    record = BuildRecord(
        number,
        now,
        "restore",
        version,
        manifest.owner,
        manifest.inputs,
        manifest.templates,
        tuple(
            records.get(name_key(c.path)) or OutputRecord.of(c.path, c.data, number)
            for c in plan.changes
            if c.data is not None
        ),
        tuple([*plan.kept, Kept(MANIFEST, sha256_bytes(read.raw or b""), len(read.raw or b""),
                                THIDUA, REPLACED)]),
        {"file": name, "from_build": kept_version.record.build},
    )  # fmt: skip
    new_manifest = Manifest(
        version, number, manifest.owner, manifest.inputs, manifest.templates, outputs
    )
    plan.changes.append(Change(f"{relative_build_folder(number)}/{RECORD}", record.to_json()))
    plan.changes.append(Change(MANIFEST, new_manifest.to_json()))
    plan.lines.append((MANIFEST, UPDATED))
    return plan


Replace = Callable[[str, "bytes | None", "OutputRecord | None"], None]


def _companion_pdf(
    plan: RestorePlan,
    folder: Path,
    name: str,
    data: bytes,
    records: dict[str, OutputRecord],
    replace: Replace,
) -> None:
    """The PDF that goes with a restored .docx (see the module docstring)."""
    pdf_name = str(Path(name).with_suffix(".pdf"))
    digest = sha256_bytes(data)
    kept_pdf = plan.version.record.kept_file(pdf_name)
    if kept_pdf is not None and kept_pdf.record and kept_pdf.record.source_sha256 == digest:
        try:
            pdf = find_version(folder, pdf_name, plan.version.record.build)
        except ThiduaError:
            pdf = None
        if pdf is not None:
            replace(pdf_name, pdf.data, kept_pdf.record)
            return
    current = records.get(name_key(pdf_name))
    found = files.read_regular(folder / pdf_name)
    if current is None or found.data is None or found.sha256 != current.sha256:
        return  # not thidua's PDF (or none): left alone
    if current.source_sha256 != digest:
        replace(pdf_name, None, None)


def _problem(path: Path, message: str, fix: str = "") -> Problem:
    hint = f"Chạy: {fix}" if fix else "Xem các bản đã cất: thidua lich-su"
    return Problem("error", "restore", f"{message}; chưa khôi phục gì", hint,
                   Location(file=path.as_posix()))  # fmt: skip
