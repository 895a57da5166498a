"""The lock and the journal of an output folder, and the repair of an interrupted commit.

**The lock** ``<folder>/.thidua-khoa.json`` is created exclusively (``O_CREAT|O_EXCL``; one
winner, on a local disk and on an SMB share alike: docs/testing-smb.md) and holds who, where,
since when and the pid. It is held from the moment a commit reads the folder to plan until its
last rename, so two builds (two secretaries on one share) never write one folder at once: the
second is told who holds it. A lock is *stale* when its process is gone (same computer: the pid
no longer runs) or it is older than :data:`STALE_AFTER` (another computer: a commit lasts
seconds); a stale lock is broken by renaming it away (only one process can rename it) and the
folder repaired before anything else.

**The staging folder** ``<folder>/.thidua-dang-ghi-<random>/`` holds a commit's new files
(``0``, ``1``, … created exclusively, flushed to disk), then its **journal** ``nhat-ky.json``
(written under a temporary name, flushed, renamed: it exists whole or not at all)::

    {"format": 1, "build": 5, "history": ".lich-su/0005",
     "steps": [{"path": "01-bao-cao-tong-ket.docx", "old": true,
                "new": {"staged": "0", "sha256": "…", "size": 41234}},
               {"path": "01-bao-cao-tong-ket.pdf", "old": true, "new": null},   # removed
               {"path": ".lich-su/0005/lan-lap.json", "old": false, "new": {…}},
               {"path": "manifest.json", "old": true, "new": {…}}]}

The steps are done in order; for each, the file now at ``path`` (if ``old``) is moved to
``<history>/<path>``, then the staged file is renamed to ``path``. Every state of a step can be
seen on disk (where the old file is; whether ``path`` has the new bytes), so a commit killed
between any two renames is **repaired by the next run** (:func:`repair`): *completed* when every
new file is still staged or already in place (the normal case: the journal is only written once
all of them are on disk), otherwise *undone* (old files moved back, new ones taken out). A
staging folder without a journal is a commit that never began renaming: it is removed. A marker
``hoan-tac`` in the staging folder means the commit itself had started to undo (a rename failed):
the repair finishes undoing.

I/O: the folder's lock, staging folders and history; reads the clock, the host name and the
user name for the lock (at this edge of the program).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import os
import secrets
import socket
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import Location, Problem, ThiduaError
from pipeline.output import files

LOCK = ".thidua-khoa.json"
STAGING_PREFIX = ".thidua-dang-ghi-"
JOURNAL = "nhat-ky.json"
UNDO_MARKER = "hoan-tac"
_BROKEN_LOCK_PREFIX = ".thidua-khoa-cu-"
_LEGACY_SUFFIX = ".thidua-tmp"
#: A lock older than this is stale, whoever holds it: a commit takes seconds.
STALE_AFTER = dt.timedelta(minutes=10)
_JOURNAL_FORMAT = 1
_MAX_JOURNAL_BYTES = 4 * 1024 * 1024

Echo = Callable[[str], object]


# --- the lock ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Holder:
    """Who holds a lock (a folder's, here, or a cluster-year's on an archive destination,
    :mod:`pipeline.output.archive.lock`): user, computer, since when, process."""

    user: str
    host: str
    since: str
    pid: int | None

    @classmethod
    def me(cls) -> Holder:
        try:
            user = getpass.getuser()
        except (OSError, KeyError, ImportError):
            user = os.environ.get("USERNAME", "")
        since = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        return cls(user, socket.gethostname(), since, os.getpid())

    def to_json(self) -> bytes:
        data = {"nguoi": self.user, "may": self.host, "tu_luc": self.since, "pid": self.pid}
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> Holder | None:
        try:
            data = json.loads(raw.decode("utf-8"))
            pid = data.get("pid")
            return cls(
                str(data["nguoi"]),
                str(data["may"]),
                str(data["tu_luc"]),
                pid if isinstance(pid, int) and not isinstance(pid, bool) else None,
            )
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return None

    def describe(self) -> str:
        """``nguyen-van-a trên máy PC-VANTHU từ 10/01/2014 09:30 (pid 1234)``."""
        when = self.since
        with contextlib.suppress(ValueError):
            when = dt.datetime.fromisoformat(self.since).strftime("%d/%m/%Y %H:%M")
        pid = f" (pid {self.pid})" if self.pid is not None else ""
        user, host = self.user or "(không rõ người)", self.host or "(không rõ)"
        return f"{user} trên máy {host} từ {when}{pid}"


def _process_alive(pid: int) -> bool | None:
    """Whether process ``pid`` of this computer runs; ``None`` when it cannot be told."""
    if pid == os.getpid():
        return False  # a lock naming this very process is a leftover of an earlier one
    if sys.platform == "win32":
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)  # signal 0: no signal sent, only the check (POSIX)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return None
    return True


def _windows_process_alive(pid: int) -> bool | None:  # pragma: no cover - Windows only
    try:
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return None
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    except (OSError, AttributeError):
        return None


def _stale(holder: Holder | None, st: os.stat_result, now: dt.datetime) -> bool:
    """Whether a lock may be broken: its holder's process is gone, or it is too old."""
    if holder is not None and holder.host == socket.gethostname() and holder.pid is not None:
        alive = _process_alive(holder.pid)
        if alive is not None:
            return not alive
    since = None
    if holder is not None:
        with contextlib.suppress(ValueError):
            since = dt.datetime.fromisoformat(holder.since)
    if since is None or since.tzinfo is None:
        since = dt.datetime.fromtimestamp(st.st_mtime).astimezone()
    return now - since > STALE_AFTER


@dataclass(frozen=True, slots=True)
class Lock:
    """A held lock: the folder and the exact bytes written (released only if still ours)."""

    folder: Path
    content: bytes

    @property
    def path(self) -> Path:
        return self.folder / LOCK

    def release(self) -> None:
        """Remove the lock if it is still ours. Never raises: a lock that cannot be removed now
        (the share failing) names a process that will be gone, so the next run breaks it."""
        with contextlib.suppress(OSError):
            found = files.read_regular(self.path, 64 * 1024)
            if found.data == self.content:
                files.remove_file(self.path)


def _busy(path: Path, holder: Holder | None) -> Problem:
    who = holder.describe() if holder else "một lần chạy thidua khác"
    return Problem(
        "error",
        "folder-busy",
        f"Thư mục đang được ghi bởi {who}; chưa ghi gì",
        "Đợi lần chạy đó xong rồi chạy lại. Nếu máy đó đã tắt hoặc thidua ở đó đã bị ngắt, "
        f"sau {int(STALE_AFTER.total_seconds() // 60)} phút thidua tự mở khóa và sửa thư mục.",
        Location(file=path.as_posix()),
    )


def acquire(folder: Path, echo: Echo) -> Lock:
    """Take the folder's lock (breaking a stale one), then repair what an interrupted commit
    left (:func:`repair`). Raises :class:`ThiduaError` when another run holds it."""
    path = folder / LOCK
    content = Holder.me().to_json()
    for _attempt in range(3):
        try:
            files.create_new(path, content)
        except FileExistsError:
            pass
        except OSError as exc:
            if exc.errno != 17:  # EEXIST, as an SMB client may report it
                raise ThiduaError(_lock_problem(path, exc)) from exc
        else:
            lock = Lock(folder, content)
            try:
                repair(folder, echo)
            except BaseException:
                lock.release()
                raise
            return lock
        _break_if_stale(path)
    found = files.read_regular(path, 64 * 1024)
    raise ThiduaError(_busy(path, Holder.from_json(found.data) if found.data else None))


def _lock_problem(path: Path, exc: OSError) -> Problem:
    return Problem(
        "error",
        "write",
        f"Không ghi được vào thư mục ({files.reason(exc)}); chưa ghi gì",
        "Kiểm tra quyền ghi và dung lượng trống của thư mục, rồi chạy lại.",
        Location(file=path.parent.as_posix()),
    )


def _break_if_stale(path: Path) -> None:
    st = files.lstat(path)
    if st is None:
        return  # released meanwhile: try again
    if files.kind_of_stat(st) != files.FILE:
        raise ThiduaError(
            Problem(
                "error",
                "obstacle",
                f"Ở chỗ khóa {LOCK} của thidua lại là một thư mục, một liên kết hay một tệp đặc "
                "biệt; chưa ghi gì",
                f"Xóa hoặc chuyển {LOCK} đi chỗ khác (thidua không bao giờ tạo nó như vậy), rồi "
                "chạy lại.",
                Location(file=path.as_posix()),
            )
        )
    found = files.read_regular(path, 64 * 1024)
    holder = Holder.from_json(found.data) if found.data is not None else None
    if not _stale(holder, st, dt.datetime.now().astimezone()):
        raise ThiduaError(_busy(path, holder))
    aside = path.with_name(f"{_BROKEN_LOCK_PREFIX}{secrets.token_hex(4)}.json")
    try:
        os.rename(path, aside)  # only one process can rename this very file away
    except FileNotFoundError:
        return
    moved = files.read_regular(aside, 64 * 1024)
    if found.data is not None and moved.data != found.data:
        # Someone took the lock between our look and our rename: give it back.
        with contextlib.suppress(OSError):
            files.rename_new(aside, path)
        raise ThiduaError(_busy(path, Holder.from_json(moved.data or b"")))
    files.remove_file(aside)


# --- the journal ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewFile:
    staged: str
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class Step:
    """One file of a commit (see the module docstring)."""

    path: str
    old: bool
    new: NewFile | None

    def to_json(self) -> dict[str, object]:
        new = None
        if self.new is not None:
            new = {"staged": self.new.staged, "sha256": self.new.sha256, "size": self.new.size}
        return {"path": self.path, "old": self.old, "new": new}


@dataclass(frozen=True, slots=True)
class Journal:
    build: int
    history: str
    steps: tuple[Step, ...]

    def to_json(self) -> bytes:
        data = {
            "format": _JOURNAL_FORMAT,
            "build": self.build,
            "history": self.history,
            "steps": [s.to_json() for s in self.steps],
        }
        return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> Journal:
        data = json.loads(raw.decode("utf-8"))
        if data.get("format") != _JOURNAL_FORMAT:
            raise ValueError("journal format")
        steps = []
        for entry in data["steps"]:
            new = entry["new"]
            steps.append(
                Step(
                    _relative(entry["path"]),
                    bool(entry["old"]),
                    None
                    if new is None
                    else NewFile(_staged_name(new["staged"]), str(new["sha256"]), int(new["size"])),
                )
            )
        return cls(int(data["build"]), _relative(data["history"]), tuple(steps))


def _relative(value: object) -> str:
    """A path inside the folder: ``/``-separated parts, none empty, ``.`` or ``..``."""
    if not isinstance(value, str) or "\x00" in value or "\\" in value:
        raise ValueError("path")
    parts = value.split("/")
    if any(p in {"", ".", ".."} for p in parts) or ":" in value:
        raise ValueError("path")
    return value


def _staged_name(value: object) -> str:
    if not isinstance(value, str) or not value.isdigit():
        raise ValueError("staged")
    return value


def at(folder: Path, relative: str) -> Path:
    return folder.joinpath(*relative.split("/"))


def write_journal(staging: Path, journal: Journal) -> None:
    """Write the journal whole: a temporary name, flushed, then renamed to :data:`JOURNAL`."""
    temp = staging / f"{JOURNAL}.tmp"
    files.create_new(temp, journal.to_json())
    files.rename_new(temp, staging / JOURNAL)
    files.fsync_directory(staging)


def _has_new(path: Path, new: NewFile) -> bool:
    found = files.read_regular(path)
    return found.data is not None and found.size == new.size and found.sha256 == new.sha256


class RepairError(Exception):
    """A step could not be completed or undone (something unexpected is in its place)."""


Renamed = Callable[[], None]


def forward(folder: Path, staging: Path, journal: Journal, renamed: Renamed = lambda: None) -> None:
    """Do (or finish) every step of ``journal``, in order. ``renamed`` is called after each
    rename (the commit's pause points)."""
    history = at(folder, journal.history)
    for directory in (history.parent, history):
        if files.kind(directory) == files.MISSING:
            files.retrying(lambda d=directory: os.mkdir(d))  # type: ignore[misc]
    for step in journal.steps:
        target = at(folder, step.path)
        _make_parents(folder, target)  # a file in a subfolder: the so-sanh/ copies
        if step.old:
            kept = at(history, step.path)
            _make_parents(history, kept)
            present = files.kind(target) != files.MISSING
            done = step.new is not None and present and _has_new(target, step.new)
            if present and not done and files.kind(kept) == files.MISSING:
                files.rename_new(target, kept)
                renamed()
        if step.new is not None:
            source = staging / step.new.staged
            if files.kind(target) == files.MISSING and files.kind(source) != files.MISSING:
                files.rename_new(source, target)
                renamed()
            if not _has_new(target, step.new):
                raise RepairError(step.path)
    files.fsync_directory(history)
    files.fsync_directory(folder)


def _make_parents(top: Path, path: Path) -> None:
    """The missing folders between ``top`` (which exists) and ``path``."""
    missing = []
    parent = path.parent
    while parent != top and top in parent.parents and files.kind(parent) == files.MISSING:
        missing.append(parent)
        parent = parent.parent
    for directory in reversed(missing):
        files.retrying(lambda d=directory: os.mkdir(d))  # type: ignore[misc]


def backward(folder: Path, staging: Path, journal: Journal) -> list[str]:
    """Undo every step of ``journal`` that was done, last first; return the paths that could
    not be put back (normally none)."""
    history = at(folder, journal.history)
    stuck = []
    for step in reversed(journal.steps):
        target = at(folder, step.path)
        try:
            if step.new is not None:
                source = staging / step.new.staged
                if files.kind(source) == files.MISSING and _has_new(target, step.new):
                    files.rename_new(target, source)
            if step.old:
                kept = at(history, step.path)
                if files.kind(kept) != files.MISSING and files.kind(target) == files.MISSING:
                    files.rename_new(kept, target)
            if step.old and files.kind(target) == files.MISSING:
                stuck.append(step.path)
        except OSError:
            stuck.append(step.path)
    # The build's history folder, emptied, with the folders forward() made in it for files of
    # subfolders (so-sanh/), deepest first: left behind, they would keep the history of a build
    # that never was. Then .lich-su, when this commit had made it.
    deepest_first = [Path(top) for top, _, _ in os.walk(history, topdown=False)]
    for directory in (*deepest_first, history.parent):
        with contextlib.suppress(OSError):
            if files.kind(directory) == files.DIRECTORY and not any(directory.iterdir()):
                files.retrying(lambda d=directory: os.rmdir(d))  # type: ignore[misc]
    files.fsync_directory(folder)
    return stuck


def can_complete(staging: Path, folder: Path, journal: Journal) -> bool:
    """Whether every new file is still staged (intact) or already in place."""
    if files.kind(staging / UNDO_MARKER) != files.MISSING:
        return False
    for step in journal.steps:
        if step.new is None:
            continue
        target = at(folder, step.path)
        if not (_has_new(staging / step.new.staged, step.new) or _has_new(target, step.new)):
            return False
    return True


def _legacy_temporary(name: str) -> bool:
    """``.01-bao-cao.docx.4242.thidua-tmp``: what thidua before format 2 staged beside its
    targets (a killed build of that version may have left some)."""
    if not (name.startswith(".") and name.endswith(_LEGACY_SUFFIX)):
        return False
    pid = name[: -len(_LEGACY_SUFFIX)].rsplit(".", 1)[-1]
    return pid.isdigit()


def staging_folders(folder: Path) -> list[Path]:
    """The staging folders (and anything else under their names) left in ``folder``."""
    try:
        return sorted(
            p
            for p in folder.iterdir()
            if p.name.startswith((STAGING_PREFIX, _BROKEN_LOCK_PREFIX))
            or _legacy_temporary(p.name)
        )
    except OSError:
        return []


def repair(folder: Path, echo: Echo) -> None:
    """Complete or undo what interrupted commits left in ``folder`` (the lock must be held).

    Raises :class:`ThiduaError` only when a commit can be neither completed nor undone, which
    needs something to have changed files by hand in the middle of a commit.
    """
    for leftover in staging_folders(folder):
        if not leftover.name.startswith(STAGING_PREFIX) or files.kind(leftover) != "directory":
            files.remove_tree(leftover)
            continue
        found = files.read_regular(leftover / JOURNAL, _MAX_JOURNAL_BYTES)
        journal = None
        if found.data is not None:
            with contextlib.suppress(ValueError, KeyError, TypeError, AttributeError):
                journal = Journal.from_json(found.data)
        if journal is None:
            files.remove_tree(leftover)
            continue
        shown = folder.as_posix()
        if can_complete(leftover, folder, journal):
            try:
                forward(folder, leftover, journal)
            except (OSError, RepairError) as exc:
                raise ThiduaError(_repair_problem(folder, journal, exc)) from exc
            echo(
                f"Lưu ý: lần ghi {shown} trước đây (lần lập {journal.build}) bị ngắt giữa chừng; "
                "đã ghi nốt: thư mục có đủ bộ văn bản mới của lần lập đó."
            )
        else:
            stuck = backward(folder, leftover, journal)
            if stuck:
                raise ThiduaError(_repair_problem(folder, journal, None, stuck))
            echo(
                f"Lưu ý: lần ghi {shown} trước đây (lần lập {journal.build}) bị ngắt giữa chừng; "
                "đã hoàn tác: thư mục có lại đủ bộ văn bản cũ."
            )
        files.remove_tree(leftover)


def _repair_problem(
    folder: Path, journal: Journal, exc: BaseException | None, stuck: Sequence[str] = ()
) -> Problem:
    detail = ", ".join(stuck) if stuck else str(exc)
    return Problem(
        "error",
        "repair-failed",
        f"Lần ghi bị ngắt (lần lập {journal.build}) không tự hoàn tất được ({detail}); chưa ghi "
        "gì thêm",
        f"Các bản cũ nằm trong {journal.history}/. Đóng mọi tệp của thư mục này đang mở trong "
        "Word rồi chạy lại; nếu vẫn lỗi, chép cả thư mục cho người quản trị.",
        Location(file=folder.as_posix()),
    )


def recover(folder: Path, echo: Echo) -> bool:
    """Repair what an interrupted commit left in ``folder``, if anything (taking the lock for
    the time of the repair). For every command that reads or writes an output folder. Returns
    whether there was anything left (a staging folder or a lock)."""
    if files.kind(folder) != files.DIRECTORY:
        return False
    if not staging_folders(folder) and files.kind(folder / LOCK) == files.MISSING:
        return False
    acquire(folder, echo).release()
    return True


def new_staging(folder: Path) -> Path:
    """Create a fresh staging folder (a random name, created exclusively)."""
    for _attempt in range(20):
        path = folder / f"{STAGING_PREFIX}{secrets.token_hex(4)}"
        if files.make_directory(path):
            return path
    raise FileExistsError(17, "no free staging name", str(folder))


def mark_undo(staging: Path) -> None:
    with contextlib.suppress(OSError):
        files.create_new(staging / UNDO_MARKER, b"")


