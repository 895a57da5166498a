"""Deterministic .docx (zip) writing that copies untouched members as raw compressed bytes.

:mod:`zipfile` can only write a member by compressing it again, so re-saving a 40 KB template
with it re-deflates about 800 KB of styles and themes on every document. This module reads the
template's zip once, keeps each member's *raw* compressed bytes, and writes output archives by
concatenating those bytes with the few freshly deflated parts.

Output is deterministic: members keep the template's order, every timestamp is 1980-01-01 00:00
(the zip epoch), the "made by" system is MS-DOS, there are no extra fields, and fresh parts are
deflated at a fixed level. The same inputs therefore give byte-identical archives.

>>> archive = write_zip([deflated_member("a.xml", b"<a/>")])
>>> import io, zipfile
>>> zipfile.ZipFile(io.BytesIO(archive)).read("a.xml")
b'<a/>'
>>> archive == write_zip([deflated_member("a.xml", b"<a/>")])
True
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

DEFLATE_LEVEL = 1  # fast; office files gain little from higher levels
_DOS_TIME = 0  # 00:00:00
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01, the earliest date a zip can hold
_VERSION = 20  # 2.0: deflate
_UTF8_NAME = 0x0800
_KEPT_FLAGS = 0x0006 | _UTF8_NAME  # deflate options and the UTF-8 name flag; never bit 3
_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")
_MAX_32 = 0xFFFFFFFF


class ZipFormatError(ValueError):
    """The archive cannot be copied member by member (encrypted, or too large for plain zip)."""


@dataclass(frozen=True, slots=True)
class Member:
    """One zip member, ready to be written.

    ``local`` is the complete local record (header, name, compressed bytes), built once so that
    copying a static member into each output costs one ``bytes`` join.
    """

    name: str
    method: int
    flags: int
    crc: int
    size: int
    compressed_size: int
    local: bytes

    @classmethod
    def build(cls, name: str, method: int, flags: int, crc: int, size: int, data: bytes) -> Member:
        """A member from its compressed ``data`` and the fields of its header."""
        encoded = name.encode("utf-8")
        header = _LOCAL.pack(
            b"PK\x03\x04",
            _VERSION,
            flags,
            method,
            _DOS_TIME,
            _DOS_DATE,
            crc,
            len(data),
            size,
            len(encoded),
            0,
        )
        return cls(name, method, flags, crc, size, len(data), header + encoded + data)

    def central_record(self, offset: int) -> bytes:
        """The central directory entry for the local record written at ``offset``."""
        encoded = self.name.encode("utf-8")
        header = _CENTRAL.pack(
            b"PK\x01\x02",
            _VERSION,
            _VERSION,
            self.flags,
            self.method,
            _DOS_TIME,
            _DOS_DATE,
            self.crc,
            self.compressed_size,
            self.size,
            len(encoded),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        return header + encoded


def _name_flags(name: str) -> int:
    return 0 if name.isascii() else _UTF8_NAME


def deflated_member(name: str, content: bytes) -> Member:
    """A member holding ``content`` deflated at :data:`DEFLATE_LEVEL`."""
    compressor = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    data = compressor.compress(content) + compressor.flush()
    return Member.build(
        name, zipfile.ZIP_DEFLATED, _name_flags(name), zlib.crc32(content), len(content), data
    )


def raw_members(archive: bytes, infos: Iterable[zipfile.ZipInfo]) -> dict[str, Member]:
    """The members of ``archive`` with their compressed bytes sliced out, unchanged.

    ``infos`` come from :class:`zipfile.ZipFile` over the same bytes. When a name occurs twice
    (some LibreOffice files repeat ``docProps/core.xml``) the last one wins, as in ``zipfile``.
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
            info.filename, info.compress_type, flags, info.CRC, info.file_size, data
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
