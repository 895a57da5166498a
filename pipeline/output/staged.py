"""The commit of output folders: each folder goes from its complete old set of files to its
complete new set, whatever happens (:func:`commit_folders`).

A secretary signs what is on disk, often on a shared drive where a colleague has a document
open in Word, and a build may be killed or Ctrl-C'd at any moment. So, for every folder of a run:

1. **Lock** (:func:`~pipeline.output.journal.acquire`): one writer per folder; what an
   interrupted commit left is repaired first (completed or undone, from its journal).
2. **Plan under the lock**: the caller's ``plan`` reads the folder as it now is and says which
   files change (:class:`FolderCommit`).
3. **Check every target of every folder before anything is written**: a directory where a file
   goes, a read-only file (how some offices mark a signed document: never replaced), a file open
   in Word (opened for writing without truncating: that is what Word's deny-write refuses, on
   Windows and through an SMB mount), a history folder in the way. Every problem is reported at
   once; nothing is written.
4. **Stage**: every new file is written into a fresh staging folder of the folder (created
   exclusively, names never guessed, nothing followed), each flushed to disk. A full disk here
   leaves everything as it was, and the staging folder is removed.
5. **Journal, then rename**: the journal is written (whole or not at all); then, file by file,
   the file being replaced is *moved* into the history ``.lich-su/<build>/`` (nothing is ever
   deleted: that move is the backup) and the new file renamed into its place; the manifest
   last. No rename ever replaces an existing name (through an SMB mount a replace is a delete
   then a rename; a rename to a free name is one operation).
6. **On any failure** of a rename, every folder of the run already renamed is rolled back from
   its history (last first), and the run stops with a located message: nothing changed.
   Ctrl-C during the renames is held back until the folder is whole (:mod:`.interrupts`).

**What can be observed.** Before step 5 and after it, each folder holds exactly its old set or
its new set (documents, PDFs, manifest), plus at most a hidden staging folder
``.thidua-dang-ghi-…`` and the lock ``.thidua-khoa.json``. *During* step 5 (a few milliseconds
per file on a local disk) a reader sees each document as either its old or its new version,
never a partial file, and for an instant between the two renames of one file that name is
missing; the manifest still describes the old set until the last rename. A process killed there
leaves the journal, and the next thidua command that touches the folder (``build``,
``ban-hanh``, ``luu-tru``, ``lich-su``, ``khoi-phuc``) completes the commit, so the folder then
holds the complete new set (or, if a staged file has gone missing, the complete old set).

I/O: the output folders.
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import Location, Problem, ThiduaError
from pipeline.output import files, interrupts, journal
from pipeline.output.history import HISTORY_DIR, relative_build_folder
from pipeline.output.journal import Journal, NewFile, Step, at
from pipeline.output.manifest import sha256_bytes
from pipeline.testhooks import pause_point

#: Status words printed for each file.
CREATED = "tạo mới"
UPDATED = "cập nhật"
UNCHANGED = "không đổi"
KEPT = "đã cất"

Echo = Callable[[str], object]


@dataclass(frozen=True, slots=True)
class Change:
    """One file of a commit: ``path`` inside the folder (``/``-separated) gets ``data``; with
    ``data`` ``None`` the file there is only moved into the history. Whatever is at ``path``
    before is moved into the history first."""

    path: str
    data: bytes | None


@dataclass(frozen=True, slots=True)
class FolderCommit:
    """What one folder's commit does: its build number and its changes, in order (the
    manifest last)."""

    folder: Path
    build: int
    changes: tuple[Change, ...]


PlanFn = Callable[[Path], "FolderCommit | None"]


@dataclass(frozen=True, slots=True)
class _Staged:
    folder: Path
    staging: Path
    journal: Journal


def commit_folders(
    folders: Sequence[Path], plan: PlanFn, echo: Echo, *, top: Path | None = None
) -> list[FolderCommit]:
    """Commit every folder as described in the module docstring; return the commits done.

    ``plan(folder)`` is called under the folder's lock and returns its commit (``None``:
    nothing to write); it may raise :class:`ThiduaError`. ``top`` is the output folder the
    folders are under (its own path may be a link; nothing inside it may).
    """
    problems = [p for folder in folders for p in _folder_problems(folder, top)]
    if problems:
        raise ThiduaError(problems)
    created: list[Path] = []
    locks: list[journal.Lock] = []
    staged: list[_Staged] = []
    finished = False
    try:
        for folder in folders:
            created += _make_folder(folder)
        for folder in folders:
            locks.append(journal.acquire(folder, echo))
        pause_point("commit-locked")
        commits: list[FolderCommit] = []
        for folder in folders:
            try:
                planned = plan(folder)
            except ThiduaError as exc:
                problems += exc.problems
                continue
            if planned is not None and planned.changes:
                commits.append(planned)
        problems += [p for c in commits for p in _target_problems(c)]
        if problems:
            raise ThiduaError(problems)
        interrupts.check()
        for c in commits:
            staged.append(_stage(c))
        pause_point("commit-staged")
        with interrupts.deferred():
            _write_journals(staged)
            pause_point("commit-journal")
            _rename_all(staged)
            pause_point("commit-done")
            for s in staged:
                files.remove_tree(s.staging)
            staged.clear()
            finished = True
        return commits
    finally:
        with interrupts.deferred():
            for s in staged:
                if files.kind(s.staging / journal.JOURNAL) == files.MISSING:
                    files.remove_tree(s.staging)
            for lock in locks:
                lock.release()
            if not finished:
                for directory in reversed(created):
                    with contextlib.suppress(OSError):
                        os.rmdir(directory)


def _folder_problems(folder: Path, top: Path | None) -> list[Problem]:
    """The folder's path must lead through real directories: every existing part of it below
    ``top`` (without ``top``: the folder itself) must be a directory, not a link; ``top`` and
    what is above it must be directories or links to directories."""
    chain = [folder]  # folder, its parent, … up to the root
    while chain[-1].parent != chain[-1]:
        chain.append(chain[-1].parent)
    below = chain[: chain.index(top)] if top is not None and top in chain else [folder]
    what, path = files.MISSING, folder
    for path in reversed(chain):
        what = files.kind(path)
        if what == files.MISSING:
            return []
        if what == files.DIRECTORY or (what == files.LINK and path not in below and path.is_dir()):
            continue
        break
    else:
        return []
    described = {
        files.FILE: "là một tệp, không phải thư mục",
        files.LINK: "là một liên kết (symlink): thidua chỉ ghi vào thư mục thật",
    }.get(what, "là một tệp đặc biệt, không phải thư mục")
    return [
        Problem(
            "error",
            "obstacle",
            f"{path.as_posix()} {described}, nên không tạo được thư mục văn bản "
            f"{folder.as_posix()}; không tệp nào được ghi",
            "Đổi tên hoặc chuyển nó đi chỗ khác (hoặc chọn thư mục kết quả khác bằng -o), "
            "rồi chạy lại.",
            Location(file=path.as_posix()),
        )
    ]


def _make_folder(folder: Path) -> list[Path]:
    """Create the folder and its missing parents; return those created (outermost first)."""
    missing = []
    path = folder
    while files.kind(path) == files.MISSING and path.parent != path:
        missing.append(path)
        path = path.parent
    created = []
    for directory in reversed(missing):
        try:
            if files.make_directory(directory):
                created.append(directory)
        except OSError as exc:
            for done in reversed(created):
                with contextlib.suppress(OSError):
                    os.rmdir(done)
            raise ThiduaError(write_problem(directory, exc)) from exc
    return created


def _target_problems(commit: FolderCommit) -> list[Problem]:
    """Everything that would make a rename of this commit fail, found before the first one."""
    problems = []
    history = commit.folder / HISTORY_DIR
    if files.kind(history) not in {files.MISSING, files.DIRECTORY}:
        problems.append(_obstacle(history, "không phải thư mục lịch sử của thidua"))
    elif files.kind(at(commit.folder, relative_build_folder(commit.build))) != files.MISSING:
        problems.append(
            _obstacle(at(commit.folder, relative_build_folder(commit.build)), "đã có")
        )
    for change in commit.changes:
        target = at(commit.folder, change.path)
        st = files.lstat(target)
        if st is None:
            continue
        what = files.kind_of_stat(st)
        if what == files.DIRECTORY:
            problems.append(_obstacle(target, "là một thư mục"))
        elif what == files.FILE:
            if files.is_read_only(st):
                problems.append(read_only_problem(target))
                continue  # never probed: one problem per file
            error = _probe(target)
            if error is not None:
                problems.append(write_problem(target, error, held=files.held_elsewhere(error)))
    return problems


def _probe(target: Path) -> OSError | None:
    """:func:`files.probe_write`, again after 5 ms when it says EIO: through smbnetfs every
    call gets EIO for a moment after the server refused another open (docs/testing-smb.md)."""
    error = files.probe_write(target)
    for _attempt in range(3):
        if error is None or error.errno != errno.EIO:
            return error
        time.sleep(0.005)
        error = files.probe_write(target)
    return error


def _stage(commit: FolderCommit) -> _Staged:
    try:
        staging = journal.new_staging(commit.folder)
    except OSError as exc:
        raise ThiduaError(write_problem(commit.folder, exc)) from exc
    steps = []
    try:
        for index, change in enumerate(commit.changes):
            old = files.lstat(at(commit.folder, change.path)) is not None
            if change.data is None:
                if old:
                    steps.append(Step(change.path, True, None))
                continue
            name = str(index)
            files.create_new(staging / name, change.data)
            new = NewFile(name, sha256_bytes(change.data), len(change.data))
            steps.append(Step(change.path, old, new))
    except FileExistsError as exc:  # someone creates files in our fresh staging folder
        files.remove_tree(staging)
        raise ThiduaError(
            Problem(
                "error",
                "changed-meanwhile",
                "Một chương trình khác vừa tạo tệp trong thư mục tạm của thidua; không tệp nào "
                "được ghi",
                "Chạy lại; nếu lỗi lặp lại, kiểm tra chương trình nào đang ghi vào thư mục này.",
                Location(file=staging.as_posix()),
            )
        ) from exc
    except OSError as exc:
        files.remove_tree(staging)
        raise ThiduaError(write_problem(commit.folder, exc)) from exc
    except BaseException:
        files.remove_tree(staging)
        raise
    return _Staged(
        commit.folder,
        staging,
        Journal(commit.build, relative_build_folder(commit.build), tuple(steps)),
    )


def _write_journals(staged: list[_Staged]) -> None:
    """Every folder's journal, before the first rename of any; on a failure none is left."""
    for s in staged:
        try:
            journal.write_journal(s.staging, s.journal)
        except OSError as exc:
            for t in staged:
                files.remove_tree(t.staging)
            staged.clear()
            raise ThiduaError(write_problem(s.folder, exc)) from exc


def _rename_all(staged: Sequence[_Staged]) -> None:
    """Every folder's renames; on a failure, roll back every folder begun, last first."""
    count = [0]

    def renamed() -> None:
        count[0] += 1
        pause_point(f"commit-renamed-{count[0]}")

    begun: list[_Staged] = []
    try:
        for s in staged:
            begun.append(s)
            journal.forward(s.folder, s.staging, s.journal, renamed)
    except (OSError, journal.RepairError) as exc:
        for s in staged[len(begun) :]:
            files.remove_tree(s.staging)  # not begun: nothing of it was renamed
        stuck: list[str] = []
        for s in reversed(begun):
            journal.mark_undo(s.staging)
            left = journal.backward(s.folder, s.staging, s.journal)
            if not left:
                files.remove_tree(s.staging)
            stuck += left
        raise ThiduaError(_rename_problem(begun[-1], exc, stuck)) from exc


def _rename_problem(failed: _Staged, exc: BaseException, stuck: Sequence[str]) -> Problem:
    path = Path(getattr(exc, "filename", None) or failed.folder)
    held = isinstance(exc, OSError) and files.held_elsewhere(exc)
    if stuck:
        return Problem(
            "error",
            "write",
            f"Không ghi xong thư mục ({files.reason(exc)}) và chưa trả lại được {', '.join(stuck)}",
            "Đóng các tệp của thư mục đang mở trong Word rồi chạy lại bất kỳ lệnh thidua nào: "
            "nó sẽ trả thư mục về đủ bộ văn bản cũ.",
            Location(file=failed.folder.as_posix()),
        )
    if held:
        return Problem(
            "error",
            "file-open",
            "Tệp đang mở ở một chương trình khác nên không thay được; không tệp nào thay đổi",
            f"Đóng tệp {path.name} trong Word rồi chạy lại.",
            Location(file=path.as_posix()),
        )
    return Problem(
        "error",
        "write",
        f"Không ghi được ({files.reason(exc)}); mọi tệp đã được trả lại như cũ",
        "Kiểm tra quyền ghi và dung lượng trống của thư mục, rồi chạy lại.",
        Location(file=path.as_posix()),
    )


def write_problem(path: Path, exc: OSError, *, held: bool = False) -> Problem:
    """A file that could not be written: held by another program (``held``), or another cause."""
    if held:
        return Problem(
            "error",
            "file-open",
            "Tệp đang mở ở một chương trình khác nên không thay được; không tệp nào được ghi",
            f"Đóng tệp {path.name} trong Word rồi chạy lại.",
            Location(file=path.as_posix()),
        )
    return Problem(
        "error",
        "write",
        f"Không ghi được tệp ({files.reason(exc)}); văn bản cũ được giữ nguyên",
        "Kiểm tra quyền ghi và dung lượng trống của thư mục, rồi chạy lại.",
        Location(file=path.as_posix()),
    )


def read_only_problem(path: Path) -> Problem:
    """A read-only file where a build would write (how some offices mark a signed document)."""
    return Problem(
        "error",
        "read-only",
        "Tệp này được đặt chỉ đọc (thường là bản đã ký); thidua không bao giờ thay nó nên chưa "
        "ghi gì",
        "Nếu đây là bản đã ký: chuyển nó sang chỗ khác hoặc đổi tên nó (hoặc ghi nhận nó bằng "
        "thidua ban-hanh), rồi lập lại. Nếu không phải: bỏ thuộc tính chỉ đọc (Properties › "
        "Read-only) rồi chạy lại.",
        Location(file=path.as_posix()),
    )


def _obstacle(path: Path, what: str) -> Problem:
    return Problem(
        "error",
        "obstacle",
        f"{path.name} {what}: không ghi được vào chỗ đó; không tệp nào được ghi",
        "Đổi tên hoặc chuyển nó đi chỗ khác, rồi chạy lại.",
        Location(file=path.as_posix()),
    )
