"""The manifest of an output folder: which inputs, templates and outputs a build used and wrote.

``manifest.json`` records every file with its SHA-256 and size, so a later build can tell a
document it wrote from one a person edited since (:func:`hand_edited`).

I/O: reads the folder's files and manifest; writing is the caller's (a staged commit).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

MANIFEST = "manifest.json"


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
