"""The history of an output folder: ``.lich-su/<build>/``, what every build replaced.

Nothing a build (or a restore) replaces is deleted: the commit (:mod:`.staged`) *moves* every
file it replaces or removes into ``.lich-su/<NNNN>/`` of the build that replaced it (four digits,
``0003``), and writes there the build's record :data:`RECORD` (``lan-lap.json``)::

    {
      "format": 1,
      "build": 3,
      "time": "2014-01-12T09:15:02+07:00",
      "command": "build",                      # or "restore"
      "options": {"pdf": false, "force": true, "only": []},
      "thidua_version": "0.1.0",
      "owner": {…}, "inputs": […], "templates": […],   # as in manifest.json
      "written": [ {output record}, … ],      # what this build wrote into the folder
      "kept": [                               # what it moved here, with its manifest record
        {"path": "02-bien-ban-hoi-nghi.docx", "sha256": "…", "size": 40961,
         "state": "edited", "reason": "replaced", "record": {output record} or null},
        {"path": "manifest.json", "sha256": "…", "size": 2345,
         "state": "thidua", "reason": "replaced", "record": null}
      ]
    }

``state`` is ``thidua`` (the file was as thidua wrote it), ``edited`` (a person changed it
after: its bytes differ from its record, or no manifest knew it) or ``unknown`` (the manifest was
missing or damaged); ``reason`` is ``replaced`` or ``removed`` (a PDF that no longer matched its
.docx). So ``.lich-su/0003/`` is exactly what build 3 took away, and undoing build 3 is moving
those files back — which is also how an interrupted or failed commit is rolled back.

A build number is never reused: the next build is one more than the highest of the manifest's
``build`` and the history's folders. Every commit has its folder here, even one that only
created files (then it holds just ``lan-lap.json``).

I/O: reads the history (through :mod:`.files`); writing is the commit's.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import Location, Problem, ThiduaError
from pipeline.output import files
from pipeline.output.manifest import (
    MANIFEST,
    FileRecord,
    OutputRecord,
    Owner,
    plain_name,
    sha256_bytes,
)
from pipeline.output.names import name_key

HISTORY_DIR = ".lich-su"
RECORD = "lan-lap.json"
RECORD_FORMAT = 1

THIDUA = "thidua"
EDITED = "edited"
UNKNOWN = "unknown"
REPLACED = "replaced"
REMOVED = "removed"
_MAX_RECORD_BYTES = 16 * 1024 * 1024


def build_folder_name(build: int) -> str:
    """``0003``.

    >>> build_folder_name(3), build_folder_name(12345)
    ('0003', '12345')
    """
    return f"{build:04d}"


def build_folder(folder: Path, build: int) -> Path:
    return folder / HISTORY_DIR / build_folder_name(build)


def relative_build_folder(build: int) -> str:
    """``.lich-su/0003`` (relative to the output folder, ``/``-separated)."""
    return f"{HISTORY_DIR}/{build_folder_name(build)}"


def build_numbers(folder: Path) -> list[int]:
    """The numbers of the folder's history folders, in order (names of digits only)."""
    top = folder / HISTORY_DIR
    if files.kind(top) != files.DIRECTORY:
        return []
    numbers = []
    try:
        for entry in top.iterdir():
            if entry.name.isdigit() and entry.name.isascii() and files.kind(entry) == "directory":
                numbers.append(int(entry.name))
    except OSError:
        return []
    return sorted(numbers)


@dataclass(frozen=True, slots=True)
class Kept:
    """A file a build moved into its history folder (see the module docstring)."""

    path: str
    sha256: str | None
    size: int | None
    state: str
    reason: str
    record: OutputRecord | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "sha256": self.sha256,
            "size": self.size,
            "state": self.state,
            "reason": self.reason,
            "record": self.record.to_json() if self.record else None,
        }

    @classmethod
    def from_json(cls, data: object) -> Kept:
        if not isinstance(data, dict):
            raise ValueError("kept")
        path = data.get("path")
        if path != MANIFEST:
            path = plain_name(path)
        sha, size = data.get("sha256"), data.get("size")
        record = data.get("record")
        state, reason = data.get("state"), data.get("reason")
        if state not in {THIDUA, EDITED, UNKNOWN} or reason not in {REPLACED, REMOVED}:
            raise ValueError("kept")
        if sha is not None and not isinstance(sha, str):
            raise ValueError("kept")
        if size is not None and (isinstance(size, bool) or not isinstance(size, int)):
            raise ValueError("kept")
        return cls(
            str(path),
            sha,
            size,
            str(state),
            str(reason),
            None if record is None else OutputRecord.from_json(record),
        )


@dataclass(frozen=True, slots=True)
class BuildRecord:
    """One build (or restore) of a folder: ``.lich-su/<build>/lan-lap.json``."""

    build: int
    time: str
    command: str
    thidua_version: str
    owner: Owner | None
    inputs: tuple[FileRecord, ...] = ()
    templates: tuple[FileRecord, ...] = ()
    written: tuple[OutputRecord, ...] = ()
    kept: tuple[Kept, ...] = ()
    options: Mapping[str, object] = field(default_factory=dict)

    def to_json(self) -> bytes:
        data = {
            "format": RECORD_FORMAT,
            "build": self.build,
            "time": self.time,
            "command": self.command,
            "options": dict(self.options),
            "thidua_version": self.thidua_version,
            "owner": self.owner.to_json() if self.owner else None,
            "inputs": [r.to_json() for r in self.inputs],
            "templates": [r.to_json() for r in self.templates],
            "written": [r.to_json() for r in self.written],
            "kept": [k.to_json() for k in self.kept],
        }
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> BuildRecord:
        """Raises ``ValueError`` (or ``TypeError``) when the record is not one thidua wrote."""
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict) or data.get("format") != RECORD_FORMAT:
            raise ValueError("format")
        build = data.get("build")
        if isinstance(build, bool) or not isinstance(build, int) or build < 1:
            raise ValueError("build")
        owner = data.get("owner")
        options = data.get("options", {})
        return cls(
            build=build,
            time=str(data.get("time", "")),
            command=str(data.get("command", "")),
            thidua_version=str(data.get("thidua_version", "")),
            owner=None if owner is None else Owner.from_json(owner),
            inputs=tuple(FileRecord.from_json(r) for r in data.get("inputs", [])),
            templates=tuple(FileRecord.from_json(r) for r in data.get("templates", [])),
            written=tuple(OutputRecord.from_json(r) for r in data.get("written", [])),
            kept=tuple(Kept.from_json(k) for k in data.get("kept", [])),
            options=options if isinstance(options, dict) else {},
        )

    def kept_file(self, name: str) -> Kept | None:
        key = name_key(name)
        return next((k for k in self.kept if name_key(k.path) == key), None)


def read_record(folder: Path, build: int) -> BuildRecord | None:
    """The record of ``build``, or ``None`` when it is missing or not readable."""
    found = files.read_regular(build_folder(folder, build) / RECORD, _MAX_RECORD_BYTES)
    if found.data is None:
        return None
    try:
        record = BuildRecord.from_json(found.data)
    except (ValueError, TypeError, UnicodeDecodeError, RecursionError):
        return None
    return record if record.build == build else None


def read_history(folder: Path) -> tuple[list[BuildRecord], list[Problem]]:
    """Every build record of the folder, oldest first, and a warning for each history folder
    whose record cannot be read (its files are still there)."""
    records, problems = [], []
    for number in build_numbers(folder):
        record = read_record(folder, number)
        if record is None:
            problems.append(
                Problem(
                    "warning",
                    "history-damaged",
                    f"Không đọc được bản ghi {RECORD} của lần lập {number}",
                    "Các tệp trong thư mục đó vẫn còn nguyên; chỉ không biết chúng là bản nào.",
                    Location(file=(build_folder(folder, number) / RECORD).as_posix()),
                )
            )
            continue
        records.append(record)
    return records, problems


def latest_owner(folder: Path) -> Owner | None:
    """The owner the newest readable build record names (when the manifest is damaged)."""
    for number in reversed(build_numbers(folder)):
        record = read_record(folder, number)
        if record is not None and record.owner is not None:
            return record.owner
    return None


@dataclass(frozen=True, slots=True)
class Version:
    """A kept version of a file: the build that kept it, its entry, and its bytes."""

    record: BuildRecord
    kept: Kept
    data: bytes

    @property
    def path(self) -> str:
        return f"{relative_build_folder(self.record.build)}/{self.kept.path}"


def find_version(folder: Path, name: str, build: int | None) -> Version:
    """The version of ``name`` kept by ``build`` (by default the newest one kept), read and
    checked against its recorded SHA-256; :class:`ThiduaError` when there is none."""
    records, _ = read_history(folder)
    candidates = [r for r in records if r.kept_file(name) is not None]
    if build is not None:
        candidates = [r for r in candidates if r.build == build]
    where = Location(file=(folder / name).as_posix())
    if not candidates:
        builds = ", ".join(str(r.build) for r in records if r.kept_file(name) is not None)
        raise ThiduaError(
            Problem(
                "error",
                "no-version",
                (
                    f"Lần lập {build} không cất bản nào của {name}"
                    if build is not None
                    else f"Lịch sử chưa cất bản nào của {name}"
                ),
                (
                    f"Các lần lập có cất bản của tệp này: {builds}."
                    if builds
                    else "Xem các bản đã cất: thidua lich-su " + f'"{folder.as_posix()}"'
                ),
                where,
            )
        )
    record = candidates[-1]
    kept = record.kept_file(name)
    assert kept is not None
    path = build_folder(folder, record.build) / kept.path
    found = files.read_regular(path)
    if found.data is None or (kept.sha256 is not None and sha256_bytes(found.data) != kept.sha256):
        raise ThiduaError(
            Problem(
                "error",
                "version-damaged",
                f"Bản cất ở lần lập {record.build} của {name} bị mất hoặc đã bị thay đổi",
                "Chọn một bản khác (thidua lich-su cho biết các bản đã cất).",
                Location(file=path.as_posix()),
            )
        )
    return Version(record, kept, found.data)


def describe_kept(kept: Kept) -> str:
    """How a kept file is described to the user: ``bản của lần lập 2``, ``bản đã sửa tay``."""
    made = kept.record.build if kept.record is not None else None
    if kept.state == EDITED:
        return "bản đã sửa tay" + (f" sau lần lập {made}" if made else "")
    if kept.state == UNKNOWN:
        return "bản không rõ nguồn (manifest.json hỏng hoặc không có)"
    if kept.reason == REMOVED:
        return f"PDF cũ không còn khớp văn bản (lần lập {made})" if made else "PDF cũ"
    return f"bản của lần lập {made}" if made else "bản cũ"


def listing(records: Sequence[BuildRecord]) -> list[str]:
    """The lines of ``thidua lich-su`` for one folder, newest build first (paths relative to
    the folder, which the command prints above them)."""
    lines = []
    for record in reversed(records):
        when = record.time.replace("T", " ")[:16] if record.time else "(không rõ giờ)"
        what = {"build": "thidua build", "restore": "thidua khoi-phuc"}.get(
            record.command, record.command
        )
        options = record.options
        only = options.get("only")
        extras = [f"--only {o}" for o in only] if isinstance(only, list) else []
        extras += [f"--{k}" for k in ("pdf", "force") if options.get(k)]
        if record.command == "restore" and isinstance(options.get("file"), str):
            extras.append(str(options["file"]))
        if record.command == "restore" and options.get("from_build"):
            extras.append(f"--lan {options['from_build']}")
        lines.append(f"Lần lập {record.build} · {when} · {' '.join([what, *extras])}")
        for written in record.written:
            lines.append(f"    ghi      {written.path}")
        for kept in record.kept:
            if kept.path == MANIFEST:
                continue
            lines.append(
                f"    đã cất   {kept.path} ({describe_kept(kept)}) → "
                f"{relative_build_folder(record.build)}/{kept.path}"
            )
    return lines
