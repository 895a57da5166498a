"""Careful file primitives for output folders: look before touching, never follow a link.

Everything the commit (:mod:`.staged`), the manifest, the journal and the history do to a file
goes through here, so that the rules hold everywhere:

- a path is classified with ``os.lstat`` (:func:`kind`): a symbolic link, a directory, a FIFO
  or a device is never opened as if it were a document;
- a file is read only if it is a regular file no larger than a limit (:func:`read_regular`):
  ``/dev/zero``, a FIFO (which would block) or a 10 GB sparse file are "not readable", never a
  hang or a memory error;
- a new file is created exclusively (:func:`create_new`: ``O_CREAT | O_EXCL``, which never
  opens an existing file and, on POSIX, fails on any existing name, a symbolic link included)
  and flushed to disk before it counts;
- whether a document can be replaced is probed by opening it for writing *without* truncating
  it (:func:`probe_write`): that is what fails when Word holds the file with deny-write, on
  Windows (``PermissionError``, WinError 32) and through an SMB mount (errno ``EIO``;
  docs/testing-smb.md).

Windows: ``O_NOFOLLOW``, ``O_NONBLOCK`` and ``O_DIRECTORY`` exist on POSIX only and are used
where they exist (:func:`_flags`); ``O_BINARY`` exists on Windows only. Directory ``fsync`` is
POSIX only and best effort (Linux cifs refuses it with EINVAL: reference §3.2).

I/O: yes, of course; nothing here knows what a document or a manifest is.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

MISSING = "missing"
FILE = "file"
DIRECTORY = "directory"
LINK = "link"
OTHER = "other"

#: The largest document thidua reads back (its own are well under 1 MB; a PDF of a long list a
#: few MB). A file over this size is treated as not readable, never loaded.
MAX_DOCUMENT_BYTES = 256 * 1024 * 1024

_FILE_ATTRIBUTE_REPARSE_POINT = 0x400  # Windows: symbolic links and junctions


def _flags(*names: str) -> int:
    """The ``os.O_*`` flags of ``names`` that exist on this system, or-ed together."""
    value = 0
    for name in names:
        value |= getattr(os, name, 0)
    return value


_READ_FLAGS = os.O_RDONLY | _flags("O_BINARY", "O_NOFOLLOW", "O_NONBLOCK", "O_CLOEXEC")
_PROBE_FLAGS = os.O_WRONLY | _flags("O_BINARY", "O_NOFOLLOW", "O_NONBLOCK", "O_CLOEXEC")
_CREATE_FLAGS = (
    os.O_WRONLY | os.O_CREAT | os.O_EXCL | _flags("O_BINARY", "O_NOFOLLOW", "O_CLOEXEC")
)


def kind_of_stat(st: os.stat_result) -> str:
    """:data:`FILE`, :data:`DIRECTORY`, :data:`LINK` or :data:`OTHER` for an ``lstat`` result."""
    attributes = getattr(st, "st_file_attributes", 0)
    if stat.S_ISLNK(st.st_mode) or attributes & _FILE_ATTRIBUTE_REPARSE_POINT:
        return LINK
    if stat.S_ISDIR(st.st_mode):
        return DIRECTORY
    if stat.S_ISREG(st.st_mode):
        return FILE
    return OTHER


def lstat(path: Path) -> os.stat_result | None:
    """``os.lstat``, or ``None`` when nothing is there (a missing parent included). A transient
    ``EIO`` (smbnetfs, just after the server refused an open: docs/testing-smb.md) is retried
    (:func:`retrying`)."""
    try:
        return retrying(lambda: os.lstat(path))
    except (FileNotFoundError, NotADirectoryError):
        return None


def kind(path: Path) -> str:
    """What is at ``path``, without following a link: :data:`MISSING`, :data:`FILE`,
    :data:`DIRECTORY`, :data:`LINK` or :data:`OTHER` (a FIFO, a device, a socket).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     (Path(d) / "a").write_bytes(b"x") and None
    ...     kind(Path(d) / "a"), kind(Path(d)), kind(Path(d) / "b"), kind(Path(d) / "a" / "c")
    ('file', 'directory', 'missing', 'missing')
    """
    st = lstat(path)
    return MISSING if st is None else kind_of_stat(st)


def is_read_only(st: os.stat_result) -> bool:
    """True when the file is marked read-only (no owner write bit; on Windows the read-only
    attribute, which Python reports the same way): how some offices mark a signed document."""
    return not st.st_mode & stat.S_IWUSR


@dataclass(frozen=True, slots=True)
class Read:
    """What :func:`read_regular` found: the bytes, or why there are none.

    ``why`` is ``None`` when ``data`` holds the whole file; otherwise one of :data:`MISSING`,
    :data:`DIRECTORY`, :data:`LINK`, :data:`OTHER`, ``"too-big"`` or ``"error"`` (with the
    ``OSError`` in ``error``).
    """

    data: bytes | None
    why: str | None
    size: int | None = None
    read_only: bool = False
    error: OSError | None = None

    @property
    def sha256(self) -> str | None:
        return hashlib.sha256(self.data).hexdigest() if self.data is not None else None


def read_regular(path: Path, limit: int = MAX_DOCUMENT_BYTES) -> Read:
    """The bytes of the regular file at ``path`` if it has at most ``limit`` of them.

    Never follows a symbolic link, never opens a FIFO or a device, never reads past ``limit``
    (checked before reading, and again while reading: a file may grow meanwhile).
    """
    st = lstat(path)
    if st is None:
        return Read(None, MISSING)
    what = kind_of_stat(st)
    if what != FILE:
        return Read(None, what, st.st_size)
    read_only = is_read_only(st)
    if st.st_size > limit:
        return Read(None, "too-big", st.st_size, read_only)
    try:
        fd = retrying(lambda: os.open(path, _READ_FLAGS))
    except OSError as exc:
        return Read(None, "error", st.st_size, read_only, exc)
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):  # swapped between lstat and open
            return Read(None, OTHER, opened.st_size, read_only)
        chunks = []
        total = 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                return Read(None, "too-big", total, read_only)
            chunks.append(chunk)
    except OSError as exc:
        return Read(None, "error", st.st_size, read_only, exc)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    return Read(data, None, len(data), read_only)


def create_new(path: Path, data: bytes) -> None:
    """Create ``path`` (which must not exist, not even as a link) holding ``data``, flushed to
    disk (``fsync``) before returning. On any failure the partial file is removed and the
    ``OSError`` raised (``FileExistsError`` when the name is taken)."""
    fd = os.open(path, _CREATE_FLAGS, 0o666)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise
    os.close(fd)


def probe_write(path: Path) -> OSError | None:
    """Open the regular file ``path`` for writing without truncating it, and close it again.

    Returns the ``OSError`` when that fails: the file is open in Word (deny-write; WinError 32 on
    Windows, ``EIO`` through the smbnetfs mount), or cannot be written. Nothing changes on disk.
    """
    try:
        fd = os.open(path, _PROBE_FLAGS)
    except OSError as exc:
        return exc
    os.close(fd)
    return None


def held_elsewhere(exc: OSError) -> bool:
    """Whether an error from opening, renaming or deleting a document means another program
    holds it: ``PermissionError`` on Windows (WinError 32 sharing violation, 5 access denied);
    ``EEXIST`` (replace), ``EIO`` (open for writing), ``EBUSY`` (delete) through an SMB mount
    (measured, docs/testing-smb.md); ``ETXTBSY``."""
    if sys.platform == "win32" and isinstance(exc, PermissionError):
        return True
    return exc.errno in {errno.EIO, errno.EBUSY, errno.ETXTBSY, errno.EEXIST}


def fsync_directory(path: Path) -> None:
    """Flush a directory's entries (renames) to disk where the system allows it; best effort."""
    if sys.platform == "win32":
        return
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY | _flags("O_DIRECTORY", "O_CLOEXEC"))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def retrying(action: Callable[[], T], attempts: int = 8, delay: float = 0.01) -> T:
    """Run ``action``, again a few times (``delay`` doubling) after a transient error.

    Transient: ``PermissionError`` on Windows (antivirus and indexers hold new files for a
    moment; bagit-python#191, briefcase#1780) and ``EIO`` through the smbnetfs mount (for a
    moment after the server refused an open, every call gets EIO: docs/testing-smb.md). Only for
    operations on thidua's own files, which nobody else should hold for long.
    """
    for attempt in range(attempts):
        try:
            return action()
        except OSError as exc:
            transient = exc.errno == errno.EIO or (
                sys.platform == "win32" and isinstance(exc, PermissionError)
            )
            if not transient or attempt == attempts - 1:
                raise
            time.sleep(delay * (2**attempt))
    raise AssertionError("unreachable")  # pragma: no cover


def rename_new(source: Path, target: Path) -> None:
    """Rename ``source`` to ``target``, which must not exist (no file is ever replaced by a
    rename: through an SMB mount a replace is a delete then a rename, not atomic; a rename to a
    free name is one SMB operation, seen whole by every client)."""
    if lstat(target) is not None:
        raise FileExistsError(errno.EEXIST, "the target exists", str(target))
    retrying(lambda: os.rename(source, target))


def remove_file(path: Path) -> None:
    """Delete a file or a link (never what a link points to); nothing when it is missing."""
    with contextlib.suppress(FileNotFoundError):
        retrying(lambda: os.unlink(path))


def remove_tree(path: Path) -> bool:
    """Delete a folder of thidua's own (staging, leftovers) without following links inside it:
    a link is removed, never its target. Returns ``True`` when nothing is left."""
    st = lstat(path)
    if st is None:
        return True
    if kind_of_stat(st) != DIRECTORY:
        with contextlib.suppress(OSError):
            remove_file(path)
        return lstat(path) is None
    for _attempt in range(5):  # a file may appear meanwhile (another program writing there)
        with contextlib.suppress(OSError):
            for child in list(os.scandir(path)):
                remove_tree(Path(child.path))
        with contextlib.suppress(OSError):
            retrying(lambda: os.rmdir(path))
        if lstat(path) is None:
            return True
    return False


def make_directory(path: Path) -> bool:
    """Create one directory; ``False`` if the name is already taken (by anything)."""
    try:
        retrying(lambda: os.mkdir(path))
    except FileExistsError:
        return False
    return True


_REASONS = {
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EDQUOT: "đã hết hạn mức dung lượng",
    errno.EROFS: "ổ đĩa chỉ cho đọc",
    errno.EACCES: "không có quyền ghi",
    errno.EPERM: "không có quyền ghi",
    errno.EFBIG: "tệp quá lớn so với giới hạn",
}


def reason(exc: BaseException) -> str:
    """Why an operation failed, in Vietnamese when the cause is a common one (a full disk)."""
    if isinstance(exc, OSError):
        known = _REASONS.get(exc.errno or 0)
        detail = exc.strerror or str(exc)
        return f"{known}: {detail}" if known else detail
    return str(exc)
