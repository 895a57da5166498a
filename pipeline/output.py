"""Writing results to disk: Windows-safe names, all-or-nothing writes, manifests.

Outputs often live on Windows shares and are opened in Word while a colleague regenerates them,
so writing is done in two phases (:class:`StagedWrite`): every new file is first written next to
its target under a temporary name and flushed to disk; only when all of them are staged are they
renamed over their targets (``os.replace``, atomic on one volume, on Windows too). A build that
fails or is killed while staging leaves every previous document untouched; one killed while
renaming leaves each document either old or new, never half-written. Files whose bytes did not
change are not touched at all.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import Location, Problem, ThiduaError

#: Status words printed for each file.
CREATED = "tạo mới"
UPDATED = "cập nhật"
UNCHANGED = "không đổi"

_TMP_SUFFIX = ".thidua-tmp"
MANIFEST = "manifest.json"
_WINDOWS_RESERVED = {
    "con", "prn", "aux", "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}  # fmt: skip


def ascii_slug(text: str, max_length: int = 60) -> str:
    """A Windows-safe, ASCII-folded file-name part: lower case, words joined by hyphens.

    ``đ`` becomes ``d`` (it has no Unicode decomposition), other letters lose their marks,
    anything else becomes a hyphen. Long names are cut at a word boundary.

    >>> ascii_slug("Cụm thi đua các Ban Đảng thuộc Tỉnh ủy Lạng Sơn")
    'cum-thi-dua-cac-ban-dang-thuoc-tinh-uy-lang-son'
    >>> ascii_slug("Báo cáo: tổng kết / 2013?")
    'bao-cao-tong-ket-2013'
    >>> ascii_slug("CON")
    'con-'
    >>> ascii_slug("a" * 30 + " " + "b" * 40, max_length=60)
    'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
    """
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "van-ban"
    if len(slug) > max_length:
        cut = slug[:max_length]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return f"{slug}-" if slug in _WINDOWS_RESERVED else slug


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class FileRecord:
    """One file of a manifest: its path (as shown to the user), SHA-256 and size."""

    path: str
    sha256: str
    size: int

    @classmethod
    def of(
        cls, path: Path, data: bytes | None = None, *, shown_as: str | None = None
    ) -> FileRecord:
        content = path.read_bytes() if data is None else data
        return cls(shown_as or path.as_posix(), sha256_bytes(content), len(content))


def manifest_json(
    version: str,
    inputs: Sequence[FileRecord],
    templates: Sequence[FileRecord],
    outputs: Sequence[FileRecord],
) -> bytes:
    """The manifest of one output folder. No timestamp, so identical builds give identical bytes.

    >>> print(manifest_json("0.1.0", [FileRecord("a.xlsx", "ab", 3)], [], []).decode(), end="")
    {
      "thidua_version": "0.1.0",
      "inputs": [
        {
          "path": "a.xlsx",
          "sha256": "ab",
          "size": 3
        }
      ],
      "templates": [],
      "outputs": []
    }
    """
    data = {
        "thidua_version": version,
        "inputs": [vars_of(r) for r in inputs],
        "templates": [vars_of(r) for r in templates],
        "outputs": [vars_of(r) for r in outputs],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def hand_edited(folder: Path, outputs: Sequence[tuple[Path, bytes]]) -> list[Path]:
    """The outputs a person changed since the last build, which writing ``outputs`` would lose.

    A file counts when it exists, differs from the new bytes, and is not what the last build wrote
    according to the folder's ``manifest.json`` (a file no manifest mentions counts too: thidua
    did not write it).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     doc = Path(d) / "a.docx"
    ...     _ = doc.write_bytes(b"old")
    ...     record = FileRecord.of(doc, shown_as="a.docx")
    ...     _ = (Path(d) / MANIFEST).write_bytes(manifest_json("0", [], [], [record]))
    ...     before = hand_edited(Path(d), [(doc, b"new")])
    ...     _ = doc.write_bytes(b"edited in Word")
    ...     after = hand_edited(Path(d), [(doc, b"new")])
    ...     [p.name for p in before], [p.name for p in after]
    ([], ['a.docx'])
    """
    written = {record.path: record.sha256 for record in recorded_outputs(folder)}
    edited = []
    for target, data in outputs:
        try:
            current = target.read_bytes()
        except FileNotFoundError:
            continue
        if current != data and written.get(target.name) != sha256_bytes(current):
            edited.append(target)
    return edited


def recorded_outputs(folder: Path) -> list[FileRecord]:
    """The outputs the folder's ``manifest.json`` lists (none when it is missing or unreadable)."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
        return [FileRecord(e["path"], e["sha256"], e["size"]) for e in manifest["outputs"]]
    except (OSError, ValueError, KeyError, TypeError):
        return []


def still_there(folder: Path, records: Sequence[FileRecord]) -> list[FileRecord]:
    """The records whose file is still in ``folder`` with the recorded content."""
    kept = []
    for record in records:
        try:
            data = (folder / record.path).read_bytes()
        except OSError:
            continue
        if sha256_bytes(data) == record.sha256:
            kept.append(record)
    return kept


def vars_of(record: FileRecord) -> dict[str, object]:
    return {"path": record.path, "sha256": record.sha256, "size": record.size}


@dataclass
class StagedWrite:
    """Files to write all together: stage every one, then rename every one.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     target = Path(d) / "x" / "a.txt"
    ...     batch = StagedWrite()
    ...     batch.add(target, b"hello")
    ...     [status for _, status in batch.commit()]
    ...     batch = StagedWrite(); batch.add(target, b"hello")
    ...     [status for _, status in batch.commit()]
    ['tạo mới']
    ['không đổi']
    """

    _items: list[tuple[Path, bytes]] = field(default_factory=list)

    def add(self, target: Path, data: bytes) -> None:
        self._items.append((target, data))

    def commit(self) -> list[tuple[Path, str]]:
        """Write everything; return each target with its status, in the order added.

        Raises :class:`ThiduaError` (and leaves every target untouched) when a file cannot be
        staged, e.g. a read-only share or a full disk.
        """
        statuses: list[tuple[Path, str]] = []
        staged: list[tuple[Path, Path]] = []
        problems: list[Problem] = []
        for folder in {target.parent for target, _ in self._items}:
            remove_stale_temporaries(folder)
        try:
            for target, data in self._items:
                status = _status(target, data)
                statuses.append((target, status))
                if status == UNCHANGED:
                    continue
                try:
                    staged.append((_stage(target, data), target))
                except OSError as exc:
                    problems.append(_write_problem(target, exc))
            if problems:
                raise ThiduaError(problems)
            for temp, target in staged:
                try:
                    os.replace(temp, target)
                except PermissionError as exc:  # Windows: the document is open in Word
                    problems.append(_write_problem(target, exc, open_elsewhere=True))
            if problems:
                raise ThiduaError(problems)
        finally:
            for temp, _ in staged:
                with contextlib.suppress(FileNotFoundError):
                    temp.unlink()
        return statuses


def _status(target: Path, data: bytes) -> str:
    if not target.exists():
        return CREATED
    try:
        same = target.stat().st_size == len(data) and target.read_bytes() == data
    except OSError:
        same = False
    return UNCHANGED if same else UPDATED


def _stage(target: Path, data: bytes) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.{os.getpid()}{_TMP_SUFFIX}")
    with open(temp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return temp


def remove_stale_temporaries(directory: Path) -> None:
    """Delete temporary files a killed build left behind in ``directory``."""
    if not directory.is_dir():
        return
    for stale in directory.glob(f".*{_TMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            stale.unlink()


def _write_problem(target: Path, exc: OSError, *, open_elsewhere: bool = False) -> Problem:
    hint = (
        "Đóng tệp nếu đang mở trong Word hoặc chương trình khác, rồi chạy lại."
        if open_elsewhere
        else "Kiểm tra quyền ghi và dung lượng trống của thư mục, rồi chạy lại."
    )
    return Problem(
        "error",
        "write",
        f"Không ghi được tệp ({exc.strerror or exc}); văn bản cũ được giữ nguyên",
        hint,
        Location(file=str(target)),
    )
