"""A template as a file: read safely, a Word document, and nothing fetched from elsewhere.

Templates sit in a folder users edit, so what is there is not trusted to be what its name says:

* :func:`read_template` looks at what a path *is* before opening it and opens only a regular
  file (a FIFO would block the build for ever, ``/dev/zero`` would fill the memory), of at most
  :data:`MAX_TEMPLATE_BYTES`;
* :func:`word_problems` refuses a package that is not a Word document (a workbook or a
  presentation renamed ``.docx``, a ``.dotx`` or a ``.docm``), from its ``[Content_Types].xml``
  and the content type of its main part (ECMA-376 Part 2, §10.1.2; Part 1, §11.3.10);
* :func:`external_links` lists every relationship with ``TargetMode="External"`` in any
  ``.rels`` of the package (a linked picture, a ``file:///`` or UNC hyperlink, an attached
  template on a share in ``settings.xml.rels``, an OLE link…) and every field that makes Word
  fetch something (``INCLUDEPICTURE``, ``INCLUDETEXT``, ``LINK``, ``DDE``, ``DDEAUTO``). The
  engine copies the package's parts into every document, so Word would fetch each of them —
  and send the user's Windows credentials to a UNC share — when a document is opened.
  :func:`link_problems` turns them into problems: ordinary web and mail hyperlinks (``http``,
  ``https``, ``mailto`` in ``…/relationships/hyperlink``) are a warning, because Word follows
  a hyperlink only when the reader clicks it; everything else is an error unless the user
  allows external links explicitly (then a warning).

Pure except :func:`read_template` (it reads one file).
"""

from __future__ import annotations

import os
import posixpath
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from pipeline.errors import Location, Problem

#: The largest template read (a template with pictures is a few megabytes).
MAX_TEMPLATE_BYTES = 64 * 1024 * 1024
#: The largest uncompressed XML part analysed (the sample's document.xml is about 150 KB).
MAX_PART_BYTES = 32 * 1024 * 1024

_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
#: What a main part of another content type is, for the message.
_OTHER_MAIN = {
    "spreadsheetml": "một bảng tính Excel (.xlsx) đổi tên thành .docx",
    "presentationml": "một bản trình chiếu PowerPoint (.pptx) đổi tên thành .docx",
    "wordprocessingml.template": "một mẫu Word (.dotx), không phải tài liệu Word",
    "macroEnabled": "một tài liệu Word có macro (.docm): thidua không dùng mẫu có macro",
}
_SAVE_AS_DOCX = "Mở tệp bằng Word và lưu lại dạng Word Document (.docx), rồi đặt vào thư mục mẫu."


def _problem(name: str, message: str, hint: str, part: str | None = None) -> Problem:
    return Problem("error", "template-file", message, hint, Location(template=name, part=part))


def read_template(path: Path, name: str) -> tuple[bytes | None, Problem | None]:
    """The bytes of the template at ``path``, or the problem that prevents reading it.

    The file's type is checked before it is opened (following a symbolic link to what it
    points at) and again on the open file, so a FIFO, a device, a socket or a folder is never
    read. Opening uses ``O_NONBLOCK`` where the system has it (not on Windows, which has no
    FIFOs in a folder), so a file swapped for a FIFO in between cannot block either.
    """

    def refused(message: str, hint: str) -> tuple[None, Problem]:
        return None, _problem(name, message, hint)

    try:
        info = path.stat()
    except OSError as exc:
        return refused(
            f"Không đọc được tệp mẫu ({exc.strerror or exc})",
            "Kiểm tra đường dẫn (một liên kết tắt có thể trỏ tới tệp đã xóa), và đóng tệp nếu "
            "đang mở trong Word.",
        )
    kind = _file_kind(info.st_mode)
    if kind is not None:
        return refused(
            f"Không phải tệp Word mà là {kind}",
            "Xóa mục này khỏi thư mục mẫu, hoặc thay bằng tệp .docx thật.",
        )
    if info.st_size > MAX_TEMPLATE_BYTES:
        return refused(
            f"Tệp mẫu quá lớn ({info.st_size // (1024 * 1024)} MB; tối đa "
            f"{MAX_TEMPLATE_BYTES // (1024 * 1024)} MB)",
            "Nén hoặc bỏ bớt ảnh trong mẫu (Word: File › Compress Pictures), rồi lưu lại.",
        )
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        return refused(
            f"Không mở được tệp mẫu ({exc.strerror or exc})",
            "Đóng tệp nếu đang mở trong Word, và kiểm tra quyền đọc thư mục mẫu.",
        )
    with os.fdopen(descriptor, "rb") as file:
        if _file_kind(os.fstat(file.fileno()).st_mode) is not None:
            return refused(
                "Tệp mẫu vừa bị thay bằng một thứ không phải tệp",
                "Chạy lại lệnh; nếu vẫn lỗi, thay bằng tệp .docx thật.",
            )
        data = file.read(MAX_TEMPLATE_BYTES + 1)
    if len(data) > MAX_TEMPLATE_BYTES:
        return refused("Tệp mẫu quá lớn", "Nén hoặc bỏ bớt ảnh trong mẫu, rồi lưu lại.")
    return data, None


def _file_kind(mode: int) -> str | None:
    """What a non-regular file is, in words; ``None`` for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "một thư mục"
    if stat.S_ISFIFO(mode):
        return "một đường ống (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "một thiết bị (như /dev/zero)"
    if stat.S_ISSOCK(mode):
        return "một socket"
    return "một mục không phải tệp thường"


def _xml(archive: zipfile.ZipFile, member: str) -> etree._Element | None:
    try:
        info = archive.getinfo(member)
    except KeyError:
        return None
    if info.file_size > MAX_PART_BYTES:
        return None
    try:
        return etree.fromstring(archive.read(info))
    except (etree.XMLSyntaxError, zipfile.BadZipFile, ValueError, OSError):
        return None


def main_part(archive: zipfile.ZipFile) -> str | None:
    """The package's main part (target of the ``officeDocument`` relationship), if any."""
    root = _xml(archive, "_rels/.rels")
    if root is None:
        return None
    for rel in root.iter(_RELS):
        if rel.get("Type") == _OFFICE_DOCUMENT and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            return posixpath.normpath(target.lstrip("/")) if target else None
    return None


def content_type(types: etree._Element, member: str) -> str | None:
    """The content type of a part: its ``Override``, else the ``Default`` of its extension
    (ECMA-376 Part 2, §10.1.2.4; part names compare case-insensitively)."""
    wanted = "/" + member.lower()
    for override in types.iter(_CT + "Override"):
        if override.get("PartName", "").lower() == wanted:
            return str(override.get("ContentType", ""))
    extension = posixpath.splitext(member)[1].lstrip(".").lower()
    for default in types.iter(_CT + "Default"):
        if default.get("Extension", "").lower() == extension:
            return str(default.get("ContentType", ""))
    return None


def word_problems(archive: zipfile.ZipFile, name: str) -> list[Problem]:
    """Why the package is not a Word document (empty when it is one)."""
    types = _xml(archive, "[Content_Types].xml")
    if types is None:
        return [_problem(name, "Tệp không có danh mục nội dung ([Content_Types].xml) đọc được, "
                         "nên không phải tài liệu Word", _SAVE_AS_DOCX)]  # fmt: skip
    main = main_part(archive)
    if main is None or main not in archive.NameToInfo:
        return [_problem(name, "Tệp không có phần văn bản chính của tài liệu Word",
                         _SAVE_AS_DOCX)]  # fmt: skip
    kind = content_type(types, main) or ""
    if kind == _WORD_MAIN:
        return []
    what = next((text for key, text in _OTHER_MAIN.items() if key in kind), None)
    message = f"Tệp là {what}" if what else f"Tệp không phải tài liệu Word (nội dung «{kind}»)"
    return [_problem(name, message, _SAVE_AS_DOCX, part=main)]


@dataclass(frozen=True, slots=True)
class Link:
    """Something the package makes Word fetch from elsewhere.

    ``part`` is the part that holds it (``word/document.xml``, ``word/settings.xml``…),
    ``kind`` what it is in Vietnamese, ``target`` where it points.
    """

    part: str
    kind: str
    target: str
    clicked_only: bool  # a web or mail hyperlink: followed only when the reader clicks it


_KINDS = {
    "hyperlink": "siêu liên kết",
    "image": "ảnh liên kết (Link to File)",
    "attachedTemplate": "mẫu đính kèm (attached template)",
    "oleObject": "đối tượng OLE liên kết",
    "frame": "khung (frame) lấy nội dung từ ngoài",
    "subDocument": "văn bản con",
    "package": "gói nhúng",
    "externalLinkPath": "liên kết dữ liệu ngoài",
}
_SAFE_SCHEMES = ("http://", "https://", "mailto:")
_FIELD = re.compile(r"^\s*(INCLUDEPICTURE|INCLUDETEXT|LINK|DDEAUTO|DDE|IMPORT)\b\s*(.*)$", re.I)


def _part_of(rels_name: str) -> str:
    """``word/_rels/settings.xml.rels`` → ``word/settings.xml``; ``_rels/.rels`` → ``""``."""
    folder, base = posixpath.split(rels_name)
    owner = posixpath.dirname(folder)
    return posixpath.join(owner, base.removesuffix(".rels")).lstrip("/") if base != ".rels" else ""


def external_links(archive: zipfile.ZipFile) -> list[Link]:
    """Every external relationship of every part, and every field that fetches something, in
    package order."""
    links: list[Link] = []
    for info in archive.infolist():
        member = info.filename
        if member.endswith(".rels"):
            root = _xml(archive, member)
            if root is None:
                continue
            for rel in root.iter(_RELS):
                if rel.get("TargetMode") != "External":
                    continue
                short = rel.get("Type", "").rsplit("/", 1)[-1]
                target = rel.get("Target", "")
                clicked = short == "hyperlink" and target.lower().startswith(_SAFE_SCHEMES)
                links.append(Link(_part_of(member), _KINDS.get(short, short), target, clicked))
        elif member.startswith("word/") and member.endswith(".xml"):
            for code in _field_codes(archive, info):
                match = _FIELD.match(code)
                if match:
                    field = match.group(1).upper()
                    links.append(Link(member, f"trường {field}", match.group(2).strip(), False))
    return links


def _field_codes(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> list[str]:
    """The codes of the fields of a part: each ``w:fldSimple``'s, and each complex field's
    ``w:instrText`` pieces joined (Word splits a code across runs) up to its ``separate``."""
    if info.file_size > MAX_PART_BYTES:
        return []
    try:
        data = archive.read(info)
    except (zipfile.BadZipFile, ValueError, OSError):
        return []
    if b"instrText" not in data and b"fldSimple" not in data:
        return []  # most parts (styles, fonts, settings): no need to parse them
    try:
        root = etree.fromstring(data)
    except etree.XMLSyntaxError:
        return []
    codes = [node.get(_W + "instr", "") for node in root.iter(_W + "fldSimple")]
    current: list[str] | None = None
    for node in root.iter(_W + "fldChar", _W + "instrText"):
        if node.tag == _W + "instrText":
            if current is not None:
                current.append(node.text or "")
        elif node.get(_W + "fldCharType") == "begin":
            current = []
        elif current is not None:  # separate or end: the code is complete
            codes.append("".join(current))
            current = None
    return codes


def link_problems(links: list[Link], name: str, *, allow_external: bool) -> list[Problem]:
    """The problems of :func:`external_links`: web and mail hyperlinks are warnings; anything
    else is an error, or a warning when ``allow_external``."""
    problems = []
    for link in links:
        where = Location(template=name, part=link.part or "gói tệp", placeholder=link.target)
        if link.clicked_only:
            problems.append(Problem(
                "warning", "template-hyperlink", f"Mẫu có {link.kind} ra ngoài",
                "Word chỉ mở liên kết khi người đọc bấm vào; kiểm tra địa chỉ có đúng không.",
                where,
            ))  # fmt: skip
        elif allow_external:
            problems.append(Problem(
                "warning", "template-external",
                f"Mẫu có {link.kind} trỏ ra ngoài (đã cho phép): Word sẽ tải nó khi mở mọi văn "
                "bản lập từ mẫu", "Bỏ liên kết nếu không thật cần.", where,
            ))  # fmt: skip
        else:
            problems.append(Problem(
                "error", "template-external",
                f"Mẫu có {link.kind} trỏ ra ngoài: Word sẽ tải nó (và có thể gửi thông tin đăng "
                "nhập Windows tới máy chủ đó) khi mở mọi văn bản lập từ mẫu",
                "Bỏ liên kết trong Word rồi lưu lại (ảnh: chèn lại ảnh từ tệp, không chọn «Link "
                "to File»; mẫu đính kèm: Developer › Document Template, xóa đường dẫn; siêu liên "
                "kết: chuột phải › Remove Hyperlink). Nếu thật sự cần, chạy lại với "
                "--cho-phep-lien-ket-ngoai.",
                where,
            ))  # fmt: skip
    return problems
