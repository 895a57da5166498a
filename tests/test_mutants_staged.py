"""The output folder's commit and file primitives when the disk says no (pipeline.output.staged,
pipeline.output.files), in the test process itself: errors are injected at the system call
(``os.write``, ``os.rename``, ``os.mkdir``…) the way a full disk, a share that drops or a file
held by Word would raise them, since the tests run as root (no permission error can be provoked)
and the subprocess tests (test_commit_full.py, test_commit_kill.py) are not run per mutant."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import time
from pathlib import Path

import pytest

from pipeline.errors import ThiduaError
from pipeline.output import files, interrupts, journal, staged
from pipeline.output.staged import Change, FolderCommit, commit_folders


def _open_fds() -> set[str]:
    """The file descriptors this process has open (Linux and macOS)."""
    return set(os.listdir("/dev/fd"))


def _no_space(*_: object) -> int:
    raise OSError(errno.ENOSPC, "No space left on device")


# --- files: reading, creating -----------------------------------------------------------------


def test_a_file_exactly_at_the_limit_is_read_and_one_byte_more_is_not(tmp_path: Path) -> None:
    path = tmp_path / "a.docx"
    path.write_bytes(b"12345")
    read = files.read_regular(path, limit=5)
    assert (read.data, read.why, read.size) == (b"12345", None, 5)
    too_big = files.read_regular(path, limit=4)
    assert (too_big.data, too_big.why, too_big.size) == (None, "too-big", 5)


def test_a_file_that_grows_past_the_limit_while_it_is_read_is_not_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The size is checked before reading and again while reading: a file written meanwhile
    (a sync tool, another program) never makes thidua load more than the limit."""
    path = tmp_path / "a.docx"
    path.write_bytes(b"small")
    real_lstat = files.lstat

    def lstat_then_grow(p: Path) -> os.stat_result | None:
        found = real_lstat(p)
        path.write_bytes(b"x" * 100)
        return found

    monkeypatch.setattr(files, "lstat", lstat_then_grow)
    read = files.read_regular(path, limit=10)
    assert (read.data, read.why) == (None, "too-big")


def test_a_file_swapped_for_a_fifo_after_it_was_looked_at_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between the look (``lstat``) and the open, another program puts a FIFO at the name:
    it is opened without blocking and refused, never read (a read would wait forever)."""
    path = tmp_path / "a.docx"
    path.write_bytes(b"a document")
    regular = os.lstat(path)
    path.unlink()
    os.mkfifo(path)
    monkeypatch.setattr(files, "lstat", lambda _: regular)
    assert files.read_regular(path).why == files.OTHER


def test_reading_and_creating_leave_no_file_open(tmp_path: Path) -> None:
    """An open handle left behind would keep a document from being moved or deleted on Windows
    (and runs out of handles in a long batch)."""
    before = _open_fds()
    files.create_new(tmp_path / "a.docx", b"data")
    assert files.read_regular(tmp_path / "a.docx").data == b"data"
    assert _open_fds() == before


@pytest.mark.parametrize("call", ["write", "fsync"])
def test_a_failed_create_leaves_no_partial_file_and_no_open_handle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, call: str
) -> None:
    """The disk full while writing, or when the file is flushed to it (a network share often
    reports a failed write only then): the file does not count as created."""
    before = _open_fds()
    monkeypatch.setattr(os, call, _no_space)
    with pytest.raises(OSError) as caught:
        files.create_new(tmp_path / "a.docx", b"data")
    assert caught.value.errno == errno.ENOSPC
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []
    assert _open_fds() == before


def test_a_new_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    """Read and write for everyone the umask allows (0o666, as any program creates a file),
    never executable."""
    umask = os.umask(0)
    try:
        files.create_new(tmp_path / "a.docx", b"data")
    finally:
        os.umask(umask)
    assert stat.S_IMODE(os.lstat(tmp_path / "a.docx").st_mode) == 0o666


# --- staged: the commit when the disk says no -------------------------------------------------


def _commit(folder: Path, build: int, *changes: tuple[str, bytes | None]) -> FolderCommit:
    return FolderCommit(folder, build, tuple(Change(p, d) for p, d in changes))


def _everything(top: Path) -> dict[str, bytes | None]:
    """Every entry under ``top``: files with their bytes, folders as ``None``."""
    return {
        p.relative_to(top).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in sorted(top.rglob("*"))
    }


def _build(folder: Path, number: int) -> FolderCommit:
    """Build ``number`` of ``folder``: a.docx, b.docx and m.json (its manifest), each holding
    its name, the build and the folder's name (``b2 a``: b.docx of build 2 in folder a)."""
    tail = f"{number} {folder.name}".encode()
    return _commit(folder, number, *((f"{n}.docx", n.encode() + tail) for n in "ab"),
                   ("m.json", b"m" + tail))  # fmt: skip


def _second_build(folder: Path) -> FolderCommit:
    return _build(folder, 2)


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path, Path]:
    """Three folders of a run, each built once."""
    folders = (tmp_path / "a", tmp_path / "b", tmp_path / "c")
    for folder in folders:
        commit_folders([folder], lambda f: _build(f, 1), print)
    return folders


def _refused(folders: tuple[Path, ...]) -> ThiduaError:
    with pytest.raises(ThiduaError) as caught:
        commit_folders(list(folders), _second_build, print)
    return caught.value


def test_a_commit_passes_its_pause_points_in_order(
    built: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The points test_commit_kill.py stops a real build at (pipeline.testhooks): locked,
    staged, journal written, after each rename (replacing a file is two: the old one into the
    history, the new one into its place), done."""
    points: list[str] = []
    monkeypatch.setattr(staged, "pause_point", points.append)
    commit_folders([built[0]], _second_build, print)
    renamed = [f"commit-renamed-{n}" for n in range(1, 7)]
    assert points == ["commit-locked", "commit-staged", "commit-journal", *renamed, "commit-done"]


def test_a_ctrl_c_swallowed_while_planning_stops_the_commit_before_anything_is_written(
    built: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Ctrl-C that a destructor swallowed is still counted (pipeline.output.interrupts): the
    commit stops before it stages anything."""
    monkeypatch.setitem(interrupts._state, "count", 0)  # the count outlives watching()
    before = _everything(built[0])

    def plan(folder: Path) -> FolderCommit:
        with contextlib.suppress(KeyboardInterrupt):  # swallowed, as in ZipFile.__del__
            signal.raise_signal(signal.SIGINT)
        return _second_build(folder)

    with interrupts.watching(), pytest.raises(KeyboardInterrupt):
        commit_folders([built[0]], plan, print)
    assert _everything(built[0]) == before


def test_a_folder_whose_parent_cannot_be_made_leaves_no_folder_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """outputs/2013/cum-1 for the first time: outputs/ is made, then the disk is full for
    2013/: the error names 2013 and says why, and outputs/ is removed again."""
    target = tmp_path / "outputs" / "2013" / "cum-1"
    real_mkdir = os.mkdir

    def mkdir(path: str | os.PathLike[str], mode: int = 0o777) -> None:
        if Path(path) == target.parent:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real_mkdir(path, mode)

    monkeypatch.setattr(os, "mkdir", mkdir)
    with pytest.raises(ThiduaError) as caught:
        commit_folders([target], lambda f: _commit(f, 1, ("a.docx", b"a")), print)
    (problem,) = caught.value.problems
    assert problem.code == "write" and problem.location.file == target.parent.as_posix()
    assert "ổ đĩa đã đầy" in problem.message
    assert list(tmp_path.iterdir()) == []


def _failing_mkdir_of_staging(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    real_mkdir = os.mkdir

    def mkdir(path: str | os.PathLike[str], mode: int = 0o777) -> None:
        if Path(path).parent == folder and Path(path).name.startswith(journal.STAGING_PREFIX):
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real_mkdir(path, mode)

    monkeypatch.setattr(os, "mkdir", mkdir)


def _fail_write_of(monkeypatch: pytest.MonkeyPatch, data: bytes, error: BaseException) -> None:
    """``os.write`` raises ``error`` when it is given ``data``."""
    real_write = os.write

    def write(fd: int, chunk: bytes | memoryview) -> int:
        if bytes(chunk) == data:
            raise error
        return real_write(fd, chunk)

    monkeypatch.setattr(os, "write", write)


def _no_leftovers(folders: tuple[Path, ...]) -> bool:
    return not any(
        p.name.startswith((journal.STAGING_PREFIX, ".thidua-khoa")) for f in folders
        for p in f.iterdir()
    )  # fmt: skip


@pytest.mark.parametrize("where", ["staging-folder", "staged-file"])
def test_a_full_disk_while_staging_changes_no_folder_of_the_run(
    built: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """The second folder's staging fails (its staging folder cannot be made, or its second
    file cannot be written): the first folder's staged files are removed too, and every folder
    is as it was; the error is located at the second folder."""
    before = {f: _everything(f) for f in built}
    if where == "staging-folder":
        _failing_mkdir_of_staging(monkeypatch, built[1])
    else:
        _fail_write_of(monkeypatch, b"b2 b", OSError(errno.ENOSPC, "No space left on device"))
    (problem,) = _refused(built).problems
    assert problem.code == "write" and problem.location.file == built[1].as_posix()
    assert "ổ đĩa đã đầy" in problem.message and problem.message.endswith("giữ nguyên")
    monkeypatch.undo()
    assert {f: _everything(f) for f in built} == before
    assert _no_leftovers(built)


def test_a_file_another_program_puts_in_the_staging_folder_stops_the_commit(
    built: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _everything(built[0])
    real_new_staging = journal.new_staging

    def new_staging(folder: Path) -> Path:
        path = real_new_staging(folder)
        (path / "1").write_bytes(b"not thidua's")  # where b.docx is staged
        return path

    monkeypatch.setattr(journal, "new_staging", new_staging)
    with pytest.raises(ThiduaError) as caught:
        commit_folders([built[0]], _second_build, print)
    (problem,) = caught.value.problems
    assert problem.code == "changed-meanwhile" and "thư mục tạm" in problem.message
    assert _everything(built[0]) == before


def test_a_ctrl_c_while_staging_is_raised_and_leaves_the_folder_as_it_was(
    built: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _everything(built[0])
    _fail_write_of(monkeypatch, b"b2 a", KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        commit_folders([built[0]], _second_build, print)
    monkeypatch.undo()
    assert _everything(built[0]) == before


def test_a_journal_that_cannot_be_written_leaves_no_journal_in_any_folder(
    built: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every journal is written before the first rename: the second folder's failing leaves
    the first one's journal removed too (a journal left would make the next run complete a
    commit that was refused)."""
    before = {f: _everything(f) for f in built}
    real_write_journal = journal.write_journal

    def write_journal(staging: Path, written: journal.Journal) -> None:
        if staging.parent == built[1]:
            raise OSError(errno.EDQUOT, "Disk quota exceeded")
        real_write_journal(staging, written)

    monkeypatch.setattr(journal, "write_journal", write_journal)
    (problem,) = _refused(built).problems
    assert problem.code == "write" and problem.location.file == built[1].as_posix()
    assert "hết hạn mức" in problem.message
    assert {f: _everything(f) for f in built} == before
    assert _no_leftovers(built)


def _in_staging(path: Path) -> bool:
    return path.parent.name.startswith(journal.STAGING_PREFIX)


@pytest.mark.parametrize("fault", ["file-not-there-after-rename", "share-turned-read-only"])
def test_a_rename_failing_in_the_second_folder_rolls_back_the_first_and_spares_the_third(
    built: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    """Folders are renamed one after the other: the second one failing midway puts the first
    (already renamed) and the second back, and the third, not begun, only loses its staged
    files. The message is located at the second folder (at its file when the error names
    one) and says every file was put back; it is no "close it in Word" when nothing holds
    the file."""
    before = {f: _everything(f) for f in built}
    real_rename = os.rename
    b_docx = built[1] / "b.docx"

    def rename(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        if fault == "file-not-there-after-rename":
            if Path(target) == b_docx and _in_staging(Path(source)):
                return  # the share said yes, but the file is not there
        elif Path(source) == b_docx:
            raise OSError(errno.EROFS, "Read-only file system", str(source))
        real_rename(source, target)

    monkeypatch.setattr(os, "rename", rename)
    (problem,) = _refused(built).problems
    monkeypatch.undo()
    assert problem.code == "write" and problem.message.endswith("mọi tệp đã được trả lại như cũ")
    if fault == "file-not-there-after-rename":
        assert problem.location.file == built[1].as_posix()
    else:
        assert problem.location.file == b_docx.as_posix()
        assert "ổ đĩa chỉ cho đọc" in problem.message
    assert {f: _everything(f) for f in built} == before
    assert _no_leftovers(built)


def test_a_file_that_cannot_be_put_back_is_named_and_the_next_command_puts_it_back(
    built: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last rename fails, and while rolling back, the new b.docx cannot be moved away
    (someone opened it in Word meanwhile): the message names it, and the journal is kept,
    marked to be undone, so that the next thidua command returns the folder to its complete
    old set (never completes the commit that was refused)."""
    folder = built[0]
    before = _everything(folder)
    real_rename = os.rename

    def rename(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        if Path(target) == folder / "m.json" and _in_staging(Path(source)):
            raise OSError(errno.EROFS, "Read-only file system", str(source))
        if Path(source) == folder / "b.docx" and _in_staging(Path(target)):
            raise OSError(errno.EBUSY, "Device or resource busy", str(source))
        real_rename(source, target)

    monkeypatch.setattr(os, "rename", rename)
    (problem,) = _refused((folder,)).problems
    monkeypatch.undo()
    assert problem.code == "write" and problem.location.file == folder.as_posix()
    assert problem.message.endswith("chưa trả lại được b.docx")
    assert (folder / "b.docx").read_bytes() == b"b2 a", "stuck: the new one is still there"
    said: list[str] = []
    journal.recover(folder, said.append)
    assert _everything(folder) == before
    assert len(said) == 1 and "đã hoàn tác" in said[0]


def _held_open(monkeypatch: pytest.MonkeyPatch, path: Path, seconds: float | None) -> None:
    """Opening ``path`` for writing fails with EIO (how smbnetfs answers while Word holds the
    file, docs/testing-smb.md) for ``seconds`` after the first try, or for ever (``None``)."""
    real_open = os.open
    since: list[float] = []

    def open_(file: str | os.PathLike[str], flags: int, *args: int, **kwargs: int) -> int:
        if Path(file) == path and flags & os.O_WRONLY and not flags & os.O_CREAT:
            since.append(time.monotonic())
            if seconds is None or since[-1] - since[0] < seconds:
                raise OSError(errno.EIO, "Input/output error", str(file))
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_)


def test_a_document_held_open_stops_the_commit_and_names_it(
    built: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _everything(built[0])
    _held_open(monkeypatch, built[0] / "b.docx", None)
    with pytest.raises(ThiduaError) as caught:
        commit_folders([built[0]], _second_build, print)
    (problem,) = caught.value.problems
    assert problem.code == "file-open"
    assert problem.hint == "Đóng tệp b.docx trong Word rồi chạy lại."
    assert _everything(built[0]) == before


def test_the_millisecond_of_eio_after_a_refused_open_is_not_taken_for_word(
    built: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """smbnetfs answers EIO for every path for about 1 ms after the server refused an open
    (neg_cache_timeout, docs/testing-smb.md): the probe tries again a little later."""
    _held_open(monkeypatch, built[0] / "b.docx", 0.002)
    commit_folders([built[0]], _second_build, print)
    assert (built[0] / "b.docx").read_bytes() == b"b2 a"


def test_the_output_folder_may_be_a_link_but_nothing_inside_it(tmp_path: Path) -> None:
    """``-o`` may name a link (to a share, a synced folder): its own path is followed. A link
    inside it (a year folder pointing elsewhere) is refused, named, and nothing is written
    through it. A ``top`` that is not above the folder protects nothing more than none."""
    real, elsewhere = tmp_path / "real", tmp_path / "elsewhere"
    real.mkdir()
    elsewhere.mkdir()
    top = tmp_path / "outputs"
    top.symlink_to(real)
    commit_folders([top / "2013" / "cum-1"], lambda f: _build(f, 1), print, top=top)
    assert (real / "2013" / "cum-1" / "a.docx").read_bytes() == b"a1 cum-1"
    (real / "2014").symlink_to(elsewhere)
    with pytest.raises(ThiduaError) as caught:
        commit_folders([top / "2014" / "cum-1"], lambda f: _build(f, 1), print, top=top)
    (problem,) = caught.value.problems
    assert problem.code == "obstacle" and problem.location.file == (top / "2014").as_posix()
    assert "là một liên kết (symlink)" in problem.message
    assert list(elsewhere.iterdir()) == []
    commit_folders([real / "2015"], lambda f: _build(f, 1), print, top=tmp_path / "other")
    assert (real / "2015" / "a.docx").read_bytes() == b"a1 2015"


def test_only_the_missing_parents_of_a_new_folder_are_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never a ``mkdir`` of a folder that exists (a share's root may refuse even that)."""
    made: list[Path] = []
    real_mkdir = os.mkdir

    def mkdir(path: str | os.PathLike[str], mode: int = 0o777) -> None:
        made.append(Path(path))
        real_mkdir(path, mode)

    monkeypatch.setattr(os, "mkdir", mkdir)
    folder = tmp_path / "outputs" / "2013" / "cum-1"
    commit_folders([folder], lambda f: _build(f, 1), print)
    assert [p for p in made if p in folder.parents or p == folder] == [
        tmp_path / "outputs",
        tmp_path / "outputs" / "2013",
        folder,
    ]


def test_a_read_only_document_is_one_problem_even_for_a_user_who_cannot_write_it(
    built: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A signed document marked read-only: for anyone but root, opening it for writing fails
    too (EACCES, injected here since the tests run as root). It is reported once, as read-only,
    never also as a file that cannot be written."""
    folder = built[0]
    before = _everything(folder)
    os.chmod(folder / "a.docx", stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    real_open = os.open

    def open_(file: str | os.PathLike[str], flags: int, *args: int, **kwargs: int) -> int:
        if Path(file) == folder / "a.docx" and flags & os.O_WRONLY:
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_)
    with pytest.raises(ThiduaError) as caught:
        commit_folders([folder], _second_build, print)
    assert [p.code for p in caught.value.problems] == ["read-only"]
    assert _everything(folder) == before
