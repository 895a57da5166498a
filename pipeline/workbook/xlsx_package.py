"""The .xlsx container, opened without trusting it: the file, the zip, and the parts to read.

File I/O, no openpyxl. A score workbook is a zip of XML parts (ECMA-376 Part 2, Open Packaging
Conventions); a file a user picked may be anything else, or a hostile one. :func:`open_package`
reads the file once, and only a regular file (a FIFO, a device such as ``/dev/zero`` or a folder
is refused before it is opened, so nothing blocks or reads forever), at most
:data:`MAX_FILE_BYTES`. It recognises the formats people confuse with .xlsx, opens the zip and
finds the workbook part and its sheets through the package relationships, reading only
``_rels/.rels``, the workbook part and its relationships. The caller reads the parts it needs
with :meth:`Package.read`, which refuses a part whose declared size is over
:data:`MAX_PART_BYTES`, and stops inflating one that lies about its size (:mod:`zipfile` stops
at the declared size and the CRC check then fails), within a budget of
:data:`MAX_PARSED_BYTES` for the whole workbook: a part nobody reads (a sheet the format does
not use, an image) costs nothing, however large it claims or inflates to.

Every failure is a :class:`~pipeline.errors.Problem` (or, for one part, a :class:`PartError`
the caller locates at its sheet), never an exception from :mod:`zipfile` or :mod:`zlib`.
"""

from __future__ import annotations

import io
import os
import posixpath
import stat
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import Location, Problem
from pipeline.workbook.schema import MAX_FILE_BYTES, MAX_PARSED_BYTES, MAX_PART_BYTES

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_PARSED_BYTES",
    "MAX_PART_BYTES",
    "Package",
    "PartError",
    "SheetPart",
    "display_name",
    "local_name",
    "open_package",
]


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
_CONTENT_TYPES = "[Content_Types].xml"
_OFFICE_DOCUMENT = "/officeDocument"  # the end of the package → workbook relationship type
#: Errors :mod:`zipfile` and :mod:`zlib` raise for archives that are damaged, truncated,
#: encrypted or use a compression method Python does not have.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    RuntimeError,
    NotImplementedError,
    ValueError,
    KeyError,
    ET.ParseError,
)
_BYTE = 1024 * 1024


class PartError(Exception):
    """A part that cannot be read: ``message`` says why, ``hint`` how to fix it (Vietnamese);
    ``code`` is the problem's code when the part is the workbook's own (``file-corrupt``, or
    ``file-format`` for a part too large to read)."""

    def __init__(self, message: str, hint: str, code: str = "file-corrupt") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.code = code


@dataclass(frozen=True, slots=True)
class SheetPart:
    """A sheet the workbook lists: its title and the zip member of its XML (``None`` when the
    workbook names no worksheet part for it: a chart sheet, or a target the zip lacks)."""

    title: str
    part: str | None


@dataclass(slots=True)
class Package:
    """An opened .xlsx: its sheets in workbook order, where its shared strings and styles are,
    and whether its dates count from 1904 (``date1904``, the old Mac calendar)."""

    archive: zipfile.ZipFile
    sheets: tuple[SheetPart, ...]
    shared_strings: str | None
    styles: str | None
    date1904: bool
    _budget: list[int] = field(default_factory=lambda: [MAX_PARSED_BYTES])

    def read(self, member: str) -> bytes:
        """The bytes of ``member``, inflated; :class:`PartError` when it is too large (declared
        or actual), damaged, or would take the workbook over :data:`MAX_PARSED_BYTES`."""
        data = _read_member(self.archive, member, min(MAX_PART_BYTES, self._budget[0]))
        self._budget[0] -= len(data)
        return data

    def close(self) -> None:
        self.archive.close()


def display_name(path: Path) -> str:
    """The file's name as messages show it: a name that is not valid UTF-8 (possible on Linux,
    e.g. copied from an old TCVN3 system) has its undecodable bytes shown as ``�``."""
    name = path.name or str(path)
    return os.fsencode(name).decode("utf-8", errors="replace")


def _shown(path: Path) -> str:
    """The whole path as messages show it (see :func:`display_name`)."""
    return os.fsencode(str(path)).decode("utf-8", errors="replace")


def local_name(tag: str) -> str:
    """An XML tag or attribute name without its namespace: ``{ns}sheet`` → ``sheet``."""
    return tag.rpartition("}")[2]


def _problem(code: str, message: str, hint: str, label: str) -> Problem:
    return Problem("error", code, message, hint, Location(file=label))


def open_package(path: Path, label: str) -> tuple[Package | None, list[Problem]]:
    """The package of the workbook at ``path`` (``label`` names it in problems), or ``None``
    and why it cannot be read. A name that is not valid UTF-8 is reported too, without
    stopping the reading (every other problem of the file is reported with it)."""
    problems: list[Problem] = []
    if display_name(path) != (path.name or str(path)):
        problems.append(
            _problem(
                "file-name",
                f"Tên tệp “{label}” có ký tự không đọc được (không phải chữ Unicode UTF-8)",
                "Đổi tên tệp, gõ lại bằng chữ Việt Unicode hoặc không dấu (ví dụ "
                "cum-thi-dua-2013.xlsx), rồi chạy lại: tên này không ghi được vào văn bản và "
                "tệp kê khai.",
                label,
            )
        )
    data = _read_file(path, label)
    if isinstance(data, Problem):
        return None, [*problems, data]
    sniffed = _sniff(data, label)
    if isinstance(sniffed, Problem):
        return None, [*problems, sniffed]
    try:
        package = _package(sniffed)
    except PartError as exc:
        sniffed.close()
        return None, [*problems, _problem(exc.code, exc.message, exc.hint, label)]
    except _ZIP_ERRORS:
        sniffed.close()
        return None, [*problems, _corrupt(label)]
    return package, problems


def _corrupt(label: str) -> Problem:
    return _problem(
        "file-corrupt",
        "Tệp .xlsx bị hỏng, không mở được",
        "Mở tệp bằng Excel (Excel có thể đề nghị sửa) rồi lưu lại; hoặc dùng bản sao lưu.",
        label,
    )


def _read_file(path: Path, label: str) -> bytes | Problem:
    """The file's bytes; only a regular file is opened, and at most MAX_FILE_BYTES + 1 read."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return _problem(
            "file-missing",
            "Không tìm thấy tệp",
            f"Kiểm tra đường dẫn “{_shown(path)}”; tệp mẫu có thể tạo bằng lệnh thidua init.",
            label,
        )
    except OSError as exc:
        return _unreadable(exc, label)
    if stat.S_ISDIR(info.st_mode):
        return _problem(
            "file-format", "Đây là thư mục, không phải workbook", "Chỉ ra một tệp .xlsx.", label
        )
    if not stat.S_ISREG(info.st_mode):
        return _problem(
            "file-format",
            "Đây không phải tệp thông thường (là thiết bị, đường ống FIFO hay socket) nên không "
            "được đọc",
            "Chỉ ra một tệp .xlsx lưu trên đĩa.",
            label,
        )
    if info.st_size > MAX_FILE_BYTES:
        return _too_large(info.st_size, label)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return _unreadable(exc, label)
    if len(data) > MAX_FILE_BYTES:  # the file grew while being read
        return _too_large(len(data), label)
    return data


def _too_large(size: int, label: str) -> Problem:
    return _problem(
        "file-format",
        f"Tệp quá lớn ({size // _BYTE} MB) để là workbook bảng điểm",
        "Kiểm tra lại tệp; workbook bảng điểm thường chỉ vài trăm KB.",
        label,
    )


def _unreadable(exc: OSError, label: str) -> Problem:
    return _problem(
        "file-missing",
        f"Không đọc được tệp ({exc.strerror or exc})",
        "Đóng tệp nếu đang mở ở chương trình khác và kiểm tra quyền đọc tệp.",
        label,
    )


def _sniff(data: bytes, label: str) -> Problem | zipfile.ZipFile:
    """A problem if the bytes are not an .xlsx workbook (checked before any XML is parsed),
    else the zip they are, open."""
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_MARK in data:
            return _problem(
                "file-encrypted",
                "Workbook đã đặt mật khẩu (mã hóa) nên không đọc được",
                "Mở tệp bằng Excel, bỏ mật khẩu (Tệp › Thông tin › Bảo vệ sổ làm việc › Mã hóa "
                "bằng mật khẩu, xóa mật khẩu) rồi lưu lại dạng .xlsx.",
                label,
            )
        return _problem(
            "file-format",
            "Tệp là định dạng Excel cũ (.xls) hoặc tài liệu Office cũ, không phải .xlsx",
            "Mở bằng Excel rồi lưu lại dạng Sổ làm việc Excel (.xlsx).",
            label,
        )
    if not data.startswith(b"PK"):
        return _problem(
            "file-format",
            "Tệp không phải workbook Excel (.xlsx)",
            "Chọn đúng tệp .xlsx; nếu là tệp .csv hay .xls, mở bằng Excel rồi lưu lại dạng .xlsx.",
            label,
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS:
        return _corrupt(label)
    try:
        names = set(archive.namelist())
        types = (
            _read_member(archive, _CONTENT_TYPES, MAX_PART_BYTES)
            if _CONTENT_TYPES in names
            else b""
        )
        mimetype = _read_member(archive, "mimetype", 1024) if "mimetype" in names else b""
    except (PartError, *_ZIP_ERRORS):
        archive.close()
        return _corrupt(label)
    if b"opendocument.spreadsheet" in mimetype or b"spreadsheetml" not in types:
        archive.close()
    if b"opendocument.spreadsheet" in mimetype:
        return _problem(
            "file-format",
            "Tệp là bảng tính OpenDocument (.ods), không phải .xlsx",
            "Mở bằng LibreOffice Calc, chọn Lưu thành… › Excel 2007-365 (.xlsx).",
            label,
        )
    if b"spreadsheetml" not in types:
        what = "tệp Word (.docx)" if b"wordprocessingml" in types else "tệp nén"
        return _problem(
            "file-format",
            f"Tệp là {what}, không phải workbook Excel (.xlsx)",
            "Chọn đúng workbook bảng điểm (.xlsx); có thể tạo mới bằng lệnh thidua init.",
            label,
        )
    return archive


def _read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """A member, inflated, refused over ``limit`` bytes (declared or actual) or when damaged."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise PartError(
            f"Thiếu phần {name} của tệp .xlsx",
            "Mở tệp bằng Excel rồi lưu lại; nếu Excel báo lỗi, dùng bản sao lưu.",
        ) from None
    if info.file_size > limit:
        raise _part_too_large(name, info.file_size)
    try:
        with archive.open(info) as member:
            data = member.read(limit + 1)
    except _ZIP_ERRORS:
        raise PartError(
            f"Phần {name} của tệp .xlsx bị hỏng (dữ liệu nén sai hoặc không khớp kích thước)",
            "Mở tệp bằng Excel (Excel có thể đề nghị sửa) rồi lưu lại; hoặc dùng bản sao lưu.",
        ) from None
    if len(data) > limit:
        raise _part_too_large(name, len(data))
    return data


def _part_too_large(name: str, size: int) -> PartError:
    return PartError(
        f"Phần {name} của tệp giải nén ra hơn {max(size, MAX_PART_BYTES) // _BYTE} MB, quá "
        f"lớn để đọc (giới hạn {MAX_PART_BYTES // _BYTE} MB mỗi sheet, "
        f"{MAX_PARSED_BYTES // _BYTE} MB cả workbook)",
        "Xóa các dòng, cột thừa (thường do định dạng hoặc dán cả cột đến cuối sheet), hoặc sao "
        "chép dữ liệu sang workbook trống mới rồi lưu lại.",
        "file-format",
    )


def _relationships(archive: zipfile.ZipFile, source: str) -> dict[str, tuple[str, str]]:
    """The internal relationships of the part ``source`` (``""``: the package): id → (type,
    target member)."""
    folder, base = posixpath.split(source)
    rels = posixpath.join(folder, "_rels", f"{base}.rels")
    member = _member_name(archive, rels)
    if member is None:
        return {}
    found: dict[str, tuple[str, str]] = {}
    for node in ET.fromstring(_read_member(archive, member, MAX_PART_BYTES)):
        if local_name(node.tag) != "Relationship" or node.get("TargetMode") == "External":
            continue
        target = node.get("Target") or ""
        resolved = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        found[node.get("Id") or ""] = (node.get("Type") or "", posixpath.normpath(resolved))
    return found


def _member_name(archive: zipfile.ZipFile, name: str) -> str | None:
    """The member called ``name``, compared without case as part names are (OPC §9.1.1)."""
    names = archive.namelist()
    if name in names:
        return name
    wanted = name.casefold()
    return next((n for n in names if n.casefold() == wanted), None)


def _package(archive: zipfile.ZipFile) -> Package:
    """The workbook part, its sheets, shared strings, styles and calendar."""
    workbook = next(
        (t for kind, t in _relationships(archive, "").values() if kind.endswith(_OFFICE_DOCUMENT)),
        "xl/workbook.xml",
    )
    member = _member_name(archive, workbook)
    if member is None:
        raise PartError(
            "Tệp .xlsx không có phần sổ làm việc (workbook.xml)",
            "Mở tệp bằng Excel rồi lưu lại dạng .xlsx; nếu Excel báo lỗi, dùng bản sao lưu.",
        )
    root = ET.fromstring(_read_member(archive, member, MAX_PART_BYTES))
    rels = _relationships(archive, member)
    date1904 = False
    sheets: list[SheetPart] = []
    for node in root.iter():
        name = local_name(node.tag)
        if name == "workbookPr":
            date1904 = (node.get("date1904") or "").strip().lower() in ("1", "true")
        elif name == "sheet":
            rel_id = next((v for k, v in node.attrib.items() if local_name(k) == "id"), "")
            kind, target = rels.get(rel_id, ("", ""))
            part = _member_name(archive, target) if kind.endswith("/worksheet") else None
            sheets.append(SheetPart(node.get("name") or "", part))

    def related(suffix: str) -> str | None:
        target = next((t for kind, t in rels.values() if kind.endswith(suffix)), None)
        return _member_name(archive, target) if target else None

    return Package(archive, tuple(sheets), related("/sharedStrings"), related("/styles"), date1904)
