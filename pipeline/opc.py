"""The zip container of Office files (Open Packaging Conventions), written deterministically.

A .docx and a .xlsx are both zip archives of XML parts (ECMA-376 Part 2, Open Packaging
Conventions). Every stage that writes one writes it here: the document engine
(:mod:`pipeline.documents.engine`), the workbook writer (:mod:`pipeline.workbook.xlsx_write`)
and ``scripts/make_templates.py``. This module imports nothing from the package, so every
stage may use it.

:mod:`zipfile` can only write a member by compressing it again, so re-saving a 40 KB template
with it re-deflates about 800 KB of styles and themes on every document. :func:`raw_members`
keeps each member's *raw* compressed bytes instead, and :func:`write_zip` writes an archive by
concatenating those bytes with the few freshly deflated parts (:func:`deflated_member`).

Output is deterministic: members keep their given order, every member carries the same
:class:`Stamp` (by default :data:`ZIP_EPOCH`: 1980-01-01 00:00, the zip epoch, "made by"
MS-DOS, no file attributes), there are no extra fields, and fresh parts are deflated at a fixed
level. The same inputs therefore give byte-identical archives, on every operating system.
:func:`normalized` rewrites an archive a library saved (stamped with the current time and the
local system) that way.

>>> archive = write_zip([deflated_member("a.xml", b"<a/>")])
>>> import io, zipfile
>>> zipfile.ZipFile(io.BytesIO(archive)).read("a.xml")
b'<a/>'
>>> archive == write_zip([deflated_member("a.xml", b"<a/>")])
True
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

DEFLATE_LEVEL = 1  # fast; office files gain little from higher levels
_VERSION = 20  # 2.0: deflate
_UTF8_NAME = 0x0800
_KEPT_FLAGS = 0x0006 | _UTF8_NAME  # deflate options and the UTF-8 name flag; never bit 3
_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL_HEAD = struct.Struct("<4s6H3L5HL")  # a central entry up to its local record's offset
_OFFSET = struct.Struct("<L")
_END = struct.Struct("<4s4H2LH")
_MAX_32 = 0xFFFFFFFF

DateTime = tuple[int, int, int, int, int, int]


class ZipFormatError(ValueError):
    """The archive cannot be copied member by member (encrypted, or too large for plain zip)."""


@dataclass(frozen=True, slots=True)
class Stamp:
    """What every member of an archive says about itself besides its content.

    ``date_time`` is the modification time (year, month, day, hour, minute, second; the zip
    format keeps even seconds from 1980 on), ``system`` the "made by" system (0 MS-DOS, 3 Unix)
    and ``external_attr`` the file attributes (for Unix, the mode shifted left by 16 bits).

    >>> Stamp((2014, 1, 10, 0, 0, 0)).dos_date == (34 << 9) | (1 << 5) | 10
    True
    """

    date_time: DateTime = (1980, 1, 1, 0, 0, 0)
    system: int = 0
    external_attr: int = 0

    @property
    def dos_time(self) -> int:
        _, _, _, hour, minute, second = self.date_time
        return (hour << 11) | (minute << 5) | (second // 2)

    @property
    def dos_date(self) -> int:
        year, month, day, _, _, _ = self.date_time
        return ((year - 1980) << 9) | (month << 5) | day


#: The stamp of documents: the zip epoch, MS-DOS, no attributes.
ZIP_EPOCH = Stamp()


@dataclass(frozen=True, slots=True)
class Member:
    """One zip member, ready to be written.

    ``local`` is the complete local record (header, name, compressed bytes), and ``central``
    its central directory entry without the record's offset, both built once so that copying a
    static member into each output costs one ``bytes`` join.
    """

    name: str
    method: int
    flags: int
    crc: int
    size: int
    compressed_size: int
    local: bytes
    central: bytes  # the central entry up to the offset field (_CENTRAL_HEAD), then the name
    stamp: Stamp = ZIP_EPOCH

    @classmethod
    def build(
        cls,
        name: str,
        method: int,
        flags: int,
        crc: int,
        size: int,
        data: bytes,
        stamp: Stamp = ZIP_EPOCH,
    ) -> Member:
        """A member from its compressed ``data`` and the fields of its header."""
        encoded = name.encode("utf-8")
        header = _LOCAL.pack(
            b"PK\x03\x04",
            _VERSION,
            flags,
            method,
            stamp.dos_time,
            stamp.dos_date,
            crc,
            len(data),
            size,
            len(encoded),
            0,
        )
        central = _CENTRAL_HEAD.pack(
            b"PK\x01\x02",
            _VERSION | (stamp.system << 8),
            _VERSION,
            flags,
            method,
            stamp.dos_time,
            stamp.dos_date,
            crc,
            len(data),
            size,
            len(encoded),
            0,
            0,
            0,
            0,
            stamp.external_attr,
        )
        local = header + encoded + data
        return cls(name, method, flags, crc, size, len(data), local, central + encoded, stamp)

    def central_record(self, offset: int) -> bytes:
        """The central directory entry for the local record written at ``offset``."""
        head = _CENTRAL_HEAD.size
        return self.central[:head] + _OFFSET.pack(offset) + self.central[head:]


def _name_flags(name: str) -> int:
    return 0 if name.isascii() else _UTF8_NAME


def deflated_member(
    name: str, content: bytes, level: int = DEFLATE_LEVEL, stamp: Stamp = ZIP_EPOCH
) -> Member:
    """A member holding ``content`` deflated at ``level`` (a :func:`zlib.compressobj` level)."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    data = compressor.compress(content) + compressor.flush()
    return Member.build(
        name,
        zipfile.ZIP_DEFLATED,
        _name_flags(name),
        zlib.crc32(content),
        len(content),
        data,
        stamp,
    )


def raw_members(
    archive: bytes, infos: Iterable[zipfile.ZipInfo], stamp: Stamp = ZIP_EPOCH
) -> dict[str, Member]:
    """The members of ``archive`` with their compressed bytes sliced out, unchanged.

    ``infos`` come from :class:`zipfile.ZipFile` over the same bytes. When a name occurs twice
    (some LibreOffice files repeat ``docProps/core.xml``) the last one wins, as in ``zipfile``.
    Each member gets ``stamp``, whatever the archive said.
    """
    members: dict[str, Member] = {}
    for info in infos:
        if info.flag_bits & 0x1:
            raise ZipFormatError(f"{info.filename}: encrypted member")
        if info.file_size > _MAX_32 or info.compress_size > _MAX_32:
            raise ZipFormatError(f"{info.filename}: member needs zip64")
        start = info.header_offset
        if archive[start : start + 4] != b"PK\x03\x04":
            raise ZipFormatError(f"{info.filename}: no local header at {start}")
        name_len, extra_len = struct.unpack_from("<2H", archive, start + 26)
        data_start = start + 30 + name_len + extra_len
        data = archive[data_start : data_start + info.compress_size]
        flags = (info.flag_bits & _KEPT_FLAGS) | _name_flags(info.filename)
        members[info.filename] = Member.build(
            info.filename, info.compress_type, flags, info.CRC, info.file_size, data, stamp
        )
    return members


def write_zip(members: Iterable[Member]) -> bytes:
    """A complete zip archive holding ``members`` in the given order."""
    chunks: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for member in members:
        central.append(member.central_record(offset))
        chunks.append(member.local)
        offset += len(member.local)
    directory = b"".join(central)
    if offset > _MAX_32 or len(central) > 0xFFFF:
        raise ZipFormatError("archive needs zip64")
    end = _END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, 0)
    return b"".join(chunks) + directory + end


def normalized(archive: bytes, stamp: Stamp = ZIP_EPOCH, level: int | None = None) -> bytes:
    """``archive`` (as a library saved it) rewritten deterministically: the same members in the
    same order, each with ``stamp``.

    With ``level`` every member is deflated afresh at that level; without, each member keeps its
    compressed bytes as they are (fast, and as deterministic as the library's compression).
    Raises :class:`ZipFormatError` for an archive that cannot be copied member by member.
    """
    with zipfile.ZipFile(io.BytesIO(archive)) as source:
        infos = source.infolist()
        if level is None:
            return write_zip(raw_members(archive, infos, stamp).values())
        return write_zip(
            deflated_member(info.filename, source.read(info), level, stamp) for info in infos
        )
