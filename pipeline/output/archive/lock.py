"""One publisher per cluster-year: an exclusive lock file on the destination.

``open(path, "x")`` is O_CREAT|O_EXCL, sent over SMB as create disposition FILE_CREATE: the
server lets exactly one client create the file (measured on Samba through the smbnetfs mount and
over SMB in 120 races, docs/testing-smb.md). OS locks (``flock``, ``lockf``, byte ranges) are
not used: through a Linux mount they "succeed" without reaching the server, and macOS and Linux
SMB clients treat them differently (reference §3.3).

The lock file holds who (user), where (host), when (ISO 8601, local time with its offset) and
the pid, as JSON. A second publisher is told who holds it and since when. A lock is never broken
automatically (a pid on another PC proves nothing): :func:`break_lock` is for a person, through
``thidua mo-khoa``, and names the lock it breaks.

I/O: the destination's files; the clock and the user's name are read by the caller.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path

from pipeline.errors import Location, Problem, ThiduaError
from pipeline.output.journal import Holder

__all__ = ["LOCK_NAME", "Holder", "break_lock", "find_locks", "held", "read_holder"]

LOCK_NAME = "khoa-luu-tru.json"


def read_holder(path: Path) -> Holder:
    """The holder written in the lock at ``path``; an unreadable lock gives an empty holder."""
    raw = b""
    with contextlib.suppress(OSError):
        raw = path.read_bytes()
    return Holder.from_json(raw) or Holder("", "", "(không đọc được nội dung khóa)", None)


@contextlib.contextmanager
def held(folder: Path, me: Holder) -> Iterator[Path]:
    """Hold the lock of ``folder`` (a cluster-year on the destination) while the block runs.

    Raises :class:`ThiduaError` naming the holder when someone else has it. On leaving, the lock
    is removed if it is still ours (same content).
    """
    path = folder / LOCK_NAME
    content = me.to_json()
    try:
        handle = open(path, "xb")  # noqa: SIM115 (closed below, after the error cases)
    except FileExistsError:
        raise ThiduaError(_held_problem(path, read_holder(path))) from None
    except OSError as exc:
        if exc.errno == errno.EEXIST:
            raise ThiduaError(_held_problem(path, read_holder(path))) from None
        raise
    try:
        with handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError:
        with contextlib.suppress(OSError):
            path.unlink()
        raise
    try:
        yield path
    finally:
        with contextlib.suppress(OSError):
            if path.read_bytes() == content:
                path.unlink()


def _held_problem(path: Path, holder: Holder) -> Problem:
    return Problem(
        "error",
        "lock-held",
        f"Đang có người lưu trữ cụm này: {holder.describe()}; chưa chép tệp nào",
        "Đợi người đó lưu trữ xong rồi chạy lại. Nếu chắc chắn không còn ai đang lưu trữ (máy đó "
        "đã tắt, hoặc lần trước bị ngắt giữa chừng), mở khóa bằng: thidua mo-khoa "
        f'"{path.parent}"',
        Location(file=str(path)),
    )


def find_locks(top: Path) -> list[Path]:
    """The lock files at ``top`` (a cluster-year) or in the cluster-years below it
    (``top/<năm>/<cụm>/`` or ``top/<cụm>/``), sorted."""
    found: set[Path] = set()
    for pattern in (LOCK_NAME, f"*/{LOCK_NAME}", f"*/*/{LOCK_NAME}"):
        with contextlib.suppress(OSError):
            found.update(p for p in top.glob(pattern) if p.is_file())
    return sorted(found)


def break_lock(path: Path) -> Holder:
    """Delete the lock at ``path`` and return who held it (for the message)."""
    holder = read_holder(path)
    path.unlink()
    return holder
