"""The manifest of an output folder: whose folder it is and what thidua put in it.

``manifest.json`` (format 2; docs/thu-muc-van-ban.md explains it to users)::

    {
      "format": 2,
      "thidua_version": "0.1.0",
      "build": 3,                       # the folder's build number (.lich-su/0003/)
      "owner": {"cluster": "Cụm thi đua …", "year": 2013,
                "workbook": {"name": "cum-….xlsx", "location": "../../../inputs/cum-….xlsx"}},
      "inputs": [{"path", "sha256", "size"}],       # the workbook of the last build
      "templates": [{"path", "sha256", "size"}],    # the templates of the last build
      "outputs": [                                  # every document and PDF, by name
        {"path": "01-bao-cao-tong-ket.docx", "sha256": "…", "size": 41234, "build": 3},
        {"path": "01-bao-cao-tong-ket.pdf", "sha256": "…", "size": 80321, "build": 3,
         "source": "01-bao-cao-tong-ket.docx", "source_sha256": "…"}
      ]
    }

An output record is what thidua wrote: a file whose bytes differ from its record was changed
by a person since (edited by hand). ``build`` is the build that wrote those bytes; a PDF's
``source_sha256`` is the SHA-256 of the exact .docx bytes it was made from, so a PDF is reused
only for those bytes. There is no timestamp: a build that changes nothing writes nothing.

Reading is defensive (:func:`read_manifest`): a manifest that is not exactly what thidua writes
(a BOM from Notepad, broken JSON, an entry whose path is a list or holds a NUL or a ``/``, a link,
a FIFO, something huge) is *damaged*: one warning, and its records are not used, so it can never
make an unedited document look edited. Format 1 (before build numbers) is read as well.

I/O: reads ``manifest.json`` (through :mod:`.files`); writing is the commit's (:mod:`.staged`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pipeline.errors import Location, Problem
from pipeline.output import files
from pipeline.output.names import name_key

MANIFEST = "manifest.json"
FORMAT = 2
#: A manifest larger than this is not one thidua wrote (a folder of a few hundred documents
#: has a manifest of some 100 kB).
MAX_MANIFEST_BYTES = 8 * 1024 * 1024

_HEX64 = re.compile(r"[0-9a-f]{64}")
R = TypeVar("R")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class FileRecord:
    """An input or a template: its path (as shown to the user), SHA-256 and size."""

    path: str
    sha256: str
    size: int

    @classmethod
    def of(
        cls, path: Path, data: bytes | None = None, *, shown_as: str | None = None
    ) -> FileRecord:
        content = path.read_bytes() if data is None else data
        return cls(shown_as or path.as_posix(), sha256_bytes(content), len(content))

    def to_json(self) -> dict[str, object]:
        return {"path": self.path, "sha256": self.sha256, "size": self.size}

    @classmethod
    def from_json(cls, data: object) -> FileRecord:
        entry = _mapping(data)
        path, sha = _text(entry.get("path")), _digest(entry.get("sha256"))
        return cls(path, sha, _count(entry.get("size")))


@dataclass(frozen=True, slots=True)
class OutputRecord:
    """A document or PDF thidua wrote into the folder.

    ``build``: the build that wrote these bytes (``None`` for a format-1 manifest).
    ``source``/``source_sha256``: for a PDF, the .docx it was made from and that .docx's exact
    SHA-256 (``None``: unknown, so the PDF is remade by the next ``build --pdf``).
    """

    path: str
    sha256: str
    size: int
    build: int | None = None
    source: str | None = None
    source_sha256: str | None = None

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {"path": self.path, "sha256": self.sha256, "size": self.size}
        if self.build is not None:
            data["build"] = self.build
        if self.source is not None:
            data["source"] = self.source
            data["source_sha256"] = self.source_sha256
        return data

    @classmethod
    def from_json(cls, data: object) -> OutputRecord:
        entry = _mapping(data)
        build = entry.get("build")
        source = entry.get("source")
        source_sha = entry.get("source_sha256")
        return cls(
            plain_name(entry.get("path")),
            _digest(entry.get("sha256")),
            _count(entry.get("size")),
            None if build is None else _positive(build),
            None if source is None else plain_name(source),
            None if source_sha is None else _digest(source_sha),
        )

    @classmethod
    def of(cls, name: str, data: bytes, build: int, source: tuple[str, bytes] | None = None
           ) -> OutputRecord:  # fmt: skip
        """The record of ``data`` written as ``name`` by ``build`` (a PDF: made from
        ``source``, the .docx name and bytes)."""
        if source is None:
            return cls(name, sha256_bytes(data), len(data), build)
        return cls(name, sha256_bytes(data), len(data), build, source[0], sha256_bytes(source[1]))


@dataclass(frozen=True, slots=True)
class Owner:
    """Whose folder it is: the cluster, the year, and the workbook it is built from.

    ``workbook`` is the workbook's file name; ``location`` its path relative to the folder
    (``../../../inputs/x.xlsx``), or absolute when there is none (another drive), or ``None``.
    See :mod:`.ownership` for what counts as the same workbook.
    """

    cluster: str
    year: int
    workbook: str
    location: str | None

    def to_json(self) -> dict[str, object]:
        return {
            "cluster": self.cluster,
            "year": self.year,
            "workbook": {"name": self.workbook, "location": self.location},
        }

    @classmethod
    def from_json(cls, data: object) -> Owner:
        entry = _mapping(data)
        workbook = _mapping(entry.get("workbook"))
        location = workbook.get("location")
        return cls(
            _text(entry.get("cluster")),
            _positive(entry.get("year")),
            _text(workbook.get("name")),
            None if location is None else _text(location),
        )


@dataclass(frozen=True, slots=True)
class Manifest:
    """A folder's manifest (see the module docstring). ``build`` is 0 for format 1."""

    thidua_version: str
    build: int
    owner: Owner | None
    inputs: tuple[FileRecord, ...]
    templates: tuple[FileRecord, ...]
    outputs: tuple[OutputRecord, ...]
    format: int = FORMAT

    def output(self, name: str) -> OutputRecord | None:
        """The record of the output ``name`` (compared as Windows does: :func:`name_key`)."""
        key = name_key(name)
        return next((r for r in self.outputs if name_key(r.path) == key), None)

    def to_json(self) -> bytes:
        """The bytes of ``manifest.json``: indented UTF-8 JSON, outputs sorted by name.

        >>> m = Manifest("0.1.0", 1, None, (FileRecord("a.xlsx", "ab", 3),), (), ())
        >>> print(m.to_json().decode(), end="")
        {
          "format": 2,
          "thidua_version": "0.1.0",
          "build": 1,
          "owner": null,
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
            "format": FORMAT,
            "thidua_version": self.thidua_version,
            "build": self.build,
            "owner": self.owner.to_json() if self.owner else None,
            "inputs": [r.to_json() for r in self.inputs],
            "templates": [r.to_json() for r in self.templates],
            "outputs": [r.to_json() for r in sorted(self.outputs, key=lambda r: r.path)],
        }
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def parse_manifest(raw: bytes) -> Manifest:
    """A manifest from its bytes; ``ValueError`` saying (in Vietnamese) what is wrong.

    >>> parse_manifest(b'\\xef\\xbb\\xbf{}')  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ValueError: có dấu BOM ở đầu tệp (tệp đã được mở rồi lưu lại bằng Notepad ...)
    >>> parse_manifest(b'{"outputs": [{"path": ["a"], "sha256": "0", "size": 1}]}')
    Traceback (most recent call last):
    ValueError: mục thứ 1 của "outputs" không hợp lệ (tên tệp không phải một chuỗi)
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        raise ValueError(
            "có dấu BOM ở đầu tệp (tệp đã được mở rồi lưu lại bằng Notepad hoặc một trình soạn "
            "thảo khác)"
        )
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ValueError(f"không phải văn bản UTF-8 (byte thứ {exc.start + 1})") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno})") from None
    except RecursionError:
        raise ValueError("không phải JSON hợp lệ (lồng quá sâu)") from None
    if not isinstance(data, dict):
        raise ValueError("không phải một đối tượng JSON")
    version = data.get("format", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValueError('trường "format" không hợp lệ')
    if version > FORMAT:
        raise NewerFormat(version)
    outputs = _records(data, "outputs", OutputRecord.from_json)
    keys = [name_key(r.path) for r in outputs]
    if len(set(keys)) != len(keys):
        raise ValueError('"outputs" có hai mục cùng một tên tệp')
    try:
        if version == 1:
            if not isinstance(data.get("thidua_version", ""), str):
                raise ValueError("thidua_version")
            return Manifest(
                str(data.get("thidua_version", "")),
                0,
                None,
                tuple(_records(data, "inputs", FileRecord.from_json)),
                tuple(_records(data, "templates", FileRecord.from_json)),
                tuple(outputs),
                format=1,
            )
        owner = data.get("owner")
        return Manifest(
            _text(data.get("thidua_version")),
            _count(data.get("build")),
            None if owner is None else Owner.from_json(owner),
            tuple(_records(data, "inputs", FileRecord.from_json)),
            tuple(_records(data, "templates", FileRecord.from_json)),
            tuple(outputs),
        )
    except _Malformed as exc:
        raise ValueError(f"phần đầu không hợp lệ ({exc})") from None


class NewerFormat(ValueError):
    """The manifest was written by a newer thidua (a format this one does not know)."""

    def __init__(self, version: int) -> None:
        super().__init__(f"định dạng {version}, của một phiên bản thidua mới hơn")


@dataclass(frozen=True, slots=True)
class ManifestRead:
    """What :func:`read_manifest` found.

    ``status``: ``"missing"``, ``"ok"``, ``"damaged"`` (``reason`` says why; ``manifest`` is
    ``None``), ``"newer"`` (a newer thidua's format: nothing may be written) or ``"directory"``
    (an obstacle). ``raw``: the bytes on disk when they could be read.
    """

    path: Path
    status: str
    manifest: Manifest | None = None
    reason: str = ""
    raw: bytes | None = None

    @property
    def trusted(self) -> bool:
        """Whether its records may be used to tell thidua's files from edited ones."""
        return self.status == "ok"

    def problem(self) -> Problem | None:
        """The warning (damaged) or error (newer, directory) to show; ``None`` otherwise."""
        where = Location(file=self.path.as_posix())
        if self.status == "damaged":
            return Problem(
                "warning",
                "manifest-damaged",
                f"Tệp manifest.json bị hỏng: {self.reason}; coi như không có",
                "Không mất gì: văn bản nào bị thay cũng được cất vào thư mục .lich-su/ trước, và "
                "không văn bản nào bị coi là đã sửa tay vì tệp này. Lần lập này ghi lại "
                "manifest.json đúng. Đừng mở manifest.json bằng Notepad rồi lưu lại.",
                where,
            )
        if self.status == "newer":
            return Problem(
                "error",
                "manifest-newer",
                f"Thư mục này do một phiên bản thidua mới hơn lập ({self.reason}); phiên bản này "
                "không ghi vào đó để khỏi làm mất thông tin",
                "Cập nhật thidua (pip install -U thidua) rồi chạy lại.",
                where,
            )
        if self.status == "directory":
            return Problem(
                "error",
                "obstacle",
                "Ở chỗ tệp manifest.json lại là một thư mục; không tệp nào được ghi",
                "Đổi tên hoặc chuyển thư mục manifest.json đi chỗ khác, rồi chạy lại.",
                where,
            )
        return None


def read_manifest(folder: Path) -> ManifestRead:
    """Read ``folder/manifest.json`` without ever failing (see :class:`ManifestRead`).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = (Path(d) / MANIFEST).write_bytes(b'\\xef\\xbb\\xbf{"outputs": []}')
    ...     found = read_manifest(Path(d))
    >>> found.status, found.manifest, found.problem().code
    ('damaged', None, 'manifest-damaged')
    """
    path = folder / MANIFEST
    found = files.read_regular(path, MAX_MANIFEST_BYTES)
    if found.why == files.MISSING:
        return ManifestRead(path, "missing")
    if found.why == files.DIRECTORY:
        return ManifestRead(path, "directory")
    if found.data is None:
        reason = {
            files.LINK: "là một liên kết (symlink), không phải tệp thường",
            files.OTHER: "là một tệp đặc biệt, không phải tệp thường",
            "too-big": f"quá lớn ({found.size} byte), không phải tệp thidua ghi",
        }.get(found.why or "", f"không đọc được ({_strerror(found.error)})")
        return ManifestRead(path, "damaged", reason=reason)
    try:
        manifest = parse_manifest(found.data)
    except NewerFormat as exc:
        return ManifestRead(path, "newer", reason=str(exc), raw=found.data)
    except ValueError as exc:
        return ManifestRead(path, "damaged", reason=str(exc), raw=found.data)
    return ManifestRead(path, "ok", manifest, raw=found.data)


def recorded_outputs(folder: Path) -> list[FileRecord]:
    """The outputs the folder's manifest lists (none when it is missing or damaged)."""
    found = read_manifest(folder)
    if found.manifest is None:
        return []
    return [FileRecord(r.path, r.sha256, r.size) for r in found.manifest.outputs]


# --- validation of JSON values -------------------------------------------------------------------


class _Malformed(ValueError):
    pass


def _records(data: Mapping[str, object], key: str, make: Callable[[object], R]) -> list[R]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise ValueError(f'"{key}" không phải một danh sách')
    found = []
    for index, entry in enumerate(value, start=1):
        try:
            found.append(make(entry))
        except _Malformed as exc:
            raise ValueError(f'mục thứ {index} của "{key}" không hợp lệ ({exc})') from None
    return found


def _mapping(value: object) -> Mapping[str, object]:
    if not isinstance(value, dict):
        raise _Malformed("không phải một đối tượng")
    return value


def _text(value: object) -> str:
    if not isinstance(value, str) or "\x00" in value:
        raise _Malformed("không phải một chuỗi")
    return value


def plain_name(value: object) -> str:
    """A file name of the folder itself: a string, no folder part, no NUL, not hidden.

    Raises ``ValueError`` otherwise (a manifest entry pointing at ``../../etc/passwd``,
    ``/dev/zero`` or ``.lich-su`` is malformed, never followed).
    """
    if not isinstance(value, str):
        raise _Malformed("tên tệp không phải một chuỗi")
    if (
        not value
        or len(value) > 255
        or any(c in value for c in "/\\\x00:")
        or any(ord(c) < 32 for c in value)
        or value.startswith(".")
        or value == MANIFEST
    ):
        raise _Malformed(f"tên tệp {value!r} không hợp lệ")
    return value


def _digest(value: object) -> str:
    if not isinstance(value, str) or not _HEX64.fullmatch(value):
        raise _Malformed("mã SHA-256 không hợp lệ")
    return value


def _count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _Malformed("số không hợp lệ")
    return value


def _positive(value: object) -> int:
    number = _count(value)
    if number < 1:
        raise _Malformed("số không hợp lệ")
    return number


def _strerror(error: OSError | None) -> str:
    return (error.strerror or str(error)) if error is not None else "lỗi không rõ"


def records_json(records: Sequence[OutputRecord]) -> list[dict[str, object]]:
    """Output records as JSON values (for the history record)."""
    return [r.to_json() for r in records]
