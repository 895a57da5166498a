"""The folder's lock, the commit's journal and the repair of a commit cut short
(pipeline.output.journal), at the level of its functions: what the mutants of journal.py showed
the command-line tests leave unsaid (their kills run in child processes, which a mutant does not
reach).

A commit is killed for real: the renames run in a forked child (which has this process's code,
mutated or not) holding the folder's lock, and the child sends itself ``SIGKILL`` right after
its n-th rename (the commit's pause points). The repair then runs here, on the files it left.
A live or dead process holding a lock is a real child process. Only the races (a process taking
the lock in the instant between two system calls of ours) are made by doing the other process's
step inside ``os.rename``, as no timing can make them happen for certain.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pipeline.errors import ThiduaError
from pipeline.output import journal
from pipeline.output.journal import LOCK, Holder, Journal, NewFile, Step

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="fork, POSIX signals")

HISTORY = ".lich-su/0005"

#: The folder before the commit: the report and its PDF, a comparison copy in a subfolder, an
#: old table two levels down, the manifest, and (in some tests) an earlier build's history.
OLD = {
    "01-bao-cao.docx": b"bao cao cu",
    "01-bao-cao.pdf": b"pdf cu",
    "so-sanh/01-bao-cao.docx": b"so sanh cu",
    "bang-cu/2013/bang.docx": b"bang cu",
    "manifest.json": b'{"build": 4}',
}
EARLIER = {".lich-su/0004/manifest.json": b'{"build": 3}'}
#: What build 5 writes: the report replaced, its PDF and the old table removed (not in NEW), the
#: comparison copy replaced, a new one beside it, a new file in a new subfolder, the build's
#: record in its own history folder, the manifest replaced.
NEW = {
    "01-bao-cao.docx": b"bao cao moi",
    "so-sanh/01-bao-cao.docx": b"so sanh moi",
    "so-sanh/02-bien-ban.docx": b"bien ban moi",
    "phu-luc/bang.docx": b"bang moi",
    f"{HISTORY}/lan-lap.json": b'{"build": 5, "record": true}',
    "manifest.json": b'{"build": 5}',
}
ORDER = [
    "01-bao-cao.docx",
    "01-bao-cao.pdf",
    "so-sanh/01-bao-cao.docx",
    "so-sanh/02-bien-ban.docx",
    "phu-luc/bang.docx",
    "bang-cu/2013/bang.docx",
    f"{HISTORY}/lan-lap.json",
    "manifest.json",
]
#: Each replaced file is two renames (the old one into the history, the new one into place), a
#: removed one or a new one is one.
RENAMES = sum((path in OLD) + (path in NEW) for path in ORDER)
COMPLETED = {**NEW, **{f"{HISTORY}/{path}": data for path, data in OLD.items()}}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _files(top: Path) -> dict[str, bytes]:
    """Every regular file under ``top``, hidden ones included: relative path → bytes."""
    return {
        p.relative_to(top).as_posix(): p.read_bytes()
        for p in sorted(top.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def _write(top: Path, found: dict[str, bytes]) -> None:
    for relative, data in found.items():
        path = top / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".thidua"))


class Commit:
    """A folder holding :data:`OLD` (and :data:`EARLIER` when asked) and the staging folder of
    build 5's commit, its new files staged and its journal written: the state of a commit at its
    first rename."""

    def __init__(self, folder: Path, earlier: bool = False) -> None:
        self.folder = folder
        self.before = {**OLD, **(EARLIER if earlier else {})}
        _write(folder, self.before)
        steps = []
        for path in ORDER:
            new = None
            if path in NEW:
                staged = str(len([s for s in steps if s.new is not None]))
                new = NewFile(staged, _sha(NEW[path]), len(NEW[path]))
            steps.append(Step(path, path in OLD, new))
        self.journal = Journal(5, HISTORY, tuple(steps))
        self.staging = folder / "(not staged)"

    def stage(self) -> Commit:
        """Stage the new files and write the journal, as the commit does once it holds the lock
        (the lock's repair would otherwise complete this commit at once)."""
        self.staging = journal.new_staging(self.folder)
        for step in self.journal.steps:
            if step.new is not None:
                (self.staging / step.new.staged).write_bytes(NEW[step.path])
        journal.write_journal(self.staging, self.journal)
        return self

    def staged(self, path: str) -> Path:
        (step,) = [s for s in self.journal.steps if s.path == path]
        assert step.new is not None
        return self.staging / step.new.staged

    def killed_after(self, renames: int, undo: bool = False) -> None:
        """The commit in a child process holding the folder's lock: its files staged, its
        journal written, then its renames, killed right after the ``renames``-th; first marking
        the commit as undoing when ``undo`` (it had started to undo after a failed rename)."""
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            try:
                journal.acquire(self.folder, lambda _: None)
                self.stage()
                done = 0

                def die() -> None:
                    if undo:
                        journal.mark_undo(self.staging)
                    os.kill(os.getpid(), signal.SIGKILL)

                def renamed() -> None:
                    nonlocal done
                    done += 1
                    if done == renames:
                        die()

                if renames == 0:
                    die()
                journal.forward(self.folder, self.staging, self.journal, renamed)
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(3)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status), f"the commit ended ({status}) before rename {renames}"
        assert os.WTERMSIG(status) == signal.SIGKILL
        (self.staging,) = self.folder.glob(f"{journal.STAGING_PREFIX}*")

    def completed(self) -> dict[str, bytes]:
        return {**COMPLETED, **{k: v for k, v in self.before.items() if k not in OLD}}


def _repair(folder: Path) -> list[str]:
    said: list[str] = []
    assert journal.recover(folder, said.append) is True
    return said


# --- a commit cut short: completed ---------------------------------------------------------------


@pytest.mark.parametrize("renames", range(RENAMES + 1))
def test_a_commit_killed_after_any_rename_is_completed_by_the_next_run(
    tmp_path: Path, renames: int
) -> None:
    """Every new file is still staged or already in place, so the next run completes the commit:
    the folder holds build 5's set, each replaced or removed file is in its history, the dead
    commit's lock is broken and the staging folder is gone; it says so once."""
    commit = Commit(tmp_path / "out")
    commit.killed_after(renames)
    assert (commit.folder / LOCK).is_file()
    said = _repair(commit.folder)
    assert _files(commit.folder) == commit.completed()
    (message,) = said
    assert "lần lập 5" in message and "đã ghi nốt" in message, message
    assert commit.folder.as_posix() in message


def test_a_commit_renames_each_file_once_and_pauses_after_every_rename(tmp_path: Path) -> None:
    """``renamed`` is the commit's pause point after each rename: as many as there are renames
    (two for a replaced file, one for a removed or a new one), and none in a second pass."""
    commit = Commit(tmp_path / "out").stage()
    calls: list[None] = []
    journal.forward(commit.folder, commit.staging, commit.journal, lambda: calls.append(None))
    assert len(calls) == RENAMES == 11
    assert {k: v for k, v in _files(commit.folder).items() if not k.startswith(".thidua")} == (
        commit.completed()
    )
    journal.forward(commit.folder, commit.staging, commit.journal, lambda: calls.append(None))
    assert len(calls) == RENAMES


def test_a_file_already_replaced_stays_even_when_its_old_copy_left_the_history(
    tmp_path: Path,
) -> None:
    """Killed once the report is replaced, then its old copy deleted from the history by hand:
    the new report, in place, is never moved again; the rest of the commit is completed."""
    commit = Commit(tmp_path / "out")
    commit.killed_after(2)
    (commit.folder / HISTORY / "01-bao-cao.docx").unlink()
    _repair(commit.folder)
    expected = commit.completed()
    del expected[f"{HISTORY}/01-bao-cao.docx"]
    assert _files(commit.folder) == expected


def test_a_journal_as_the_module_documents_it_is_completed(tmp_path: Path) -> None:
    """A journal written by hand as the docstring shows it (format 1): the next run obeys it."""
    folder = tmp_path / "out"
    _write(folder, {"01-bao-cao-tong-ket.docx": b"cu"})
    staging = folder / ".thidua-dang-ghi-0000abcd"
    _write(staging, {"0": b"moi"})
    written = {
        "format": 1,
        "build": 5,
        "history": HISTORY,
        "steps": [
            {
                "path": "01-bao-cao-tong-ket.docx",
                "old": True,
                "new": {"staged": "0", "sha256": _sha(b"moi"), "size": 3},
            }
        ],
    }
    (staging / "nhat-ky.json").write_text(json.dumps(written), "utf-8")
    _repair(folder)
    assert _files(folder) == {
        "01-bao-cao-tong-ket.docx": b"moi",
        f"{HISTORY}/01-bao-cao-tong-ket.docx": b"cu",
    }


# --- a commit cut short: undone ------------------------------------------------------------------


@pytest.mark.parametrize("earlier", [False, True], ids=["first-history", "earlier-history"])
@pytest.mark.parametrize("renames", range(RENAMES + 1))
def test_a_commit_killed_while_undoing_is_undone_by_the_next_run(
    tmp_path: Path, renames: int, earlier: bool
) -> None:
    """The commit had begun to undo (a rename failed: the marker is written) when it was killed:
    the next run finishes undoing, whatever was done. The folder holds its old set again, the
    build's history folder is gone (and ``.lich-su`` when this commit had made it)."""
    commit = Commit(tmp_path / "out", earlier)
    commit.killed_after(renames, undo=True)
    said = _repair(commit.folder)
    assert _files(commit.folder) == commit.before
    assert not (commit.folder / HISTORY).exists()
    assert (commit.folder / ".lich-su").exists() is earlier
    (message,) = said
    assert "lần lập 5" in message and "đã hoàn tác" in message, message


def test_a_commit_marked_as_undoing_is_undone_even_if_it_could_be_completed(
    tmp_path: Path,
) -> None:
    """The marker says the commit itself had begun to undo (a rename failed): every new file is
    still staged, yet the repair finishes the undoing, as the commit meant to."""
    commit = Commit(tmp_path / "out").stage()
    journal.mark_undo(commit.staging)
    said = _repair(commit.folder)
    assert _files(commit.folder) == commit.before
    assert "đã hoàn tác" in said[0]


@pytest.mark.parametrize("renames", [0, 3, 9])
def test_a_commit_whose_staged_file_was_lost_is_undone(tmp_path: Path, renames: int) -> None:
    """A new file neither staged intact nor in place (the manifest's, renamed last, lost from the
    staging folder): the commit cannot be completed, so it is undone, and the old manifest,
    not yet moved, stays where it is."""
    commit = Commit(tmp_path / "out")
    commit.killed_after(renames)
    commit.staged("manifest.json").unlink()
    said = _repair(commit.folder)
    assert _files(commit.folder) == commit.before
    assert "đã hoàn tác" in said[0]


def test_a_damaged_staged_file_is_not_put_in_place(tmp_path: Path) -> None:
    """A staged file whose bytes are not the journal's (same size, other content): undone."""
    commit = Commit(tmp_path / "out")
    commit.killed_after(1)
    commit.staged("phu-luc/bang.docx").write_bytes(b"bang MOI")
    _repair(commit.folder)
    assert _files(commit.folder) == commit.before


# --- a commit cut short that can be neither --------------------------------------------------


def test_an_old_file_gone_from_everywhere_is_reported_and_the_journal_kept(tmp_path: Path) -> None:
    """Undoing, the old report is neither in place nor in the history (deleted by hand): the
    repair stops with the path, keeps the staging folder (its journal says where everything
    is) and leaves no lock, not even the dead commit's broken one."""
    commit = Commit(tmp_path / "out")
    commit.killed_after(1, undo=True)
    (commit.folder / HISTORY / "01-bao-cao.docx").unlink()
    with pytest.raises(ThiduaError) as caught:
        journal.recover(commit.folder, print)
    (problem,) = caught.value.problems
    assert problem.code == "repair-failed"
    assert "01-bao-cao.docx" in problem.message and "lần lập 5" in problem.message
    assert _leftovers(commit.folder) == [commit.staging.name]
    assert (commit.staging / "nhat-ky.json").is_file()


def test_an_old_file_that_cannot_be_put_back_is_reported(tmp_path: Path) -> None:
    """Undoing, the old comparison copy cannot go back (its subfolder was deleted by hand): the
    rename's failure names that path, and only it."""
    commit = Commit(tmp_path / "out")
    commit.killed_after(4, undo=True)
    (commit.folder / "so-sanh").rmdir()
    with pytest.raises(ThiduaError) as caught:
        journal.recover(commit.folder, print)
    (problem,) = caught.value.problems
    assert problem.code == "repair-failed"
    assert "(so-sanh/01-bao-cao.docx)" in problem.message, problem.message
    assert not (commit.folder / LOCK).exists()


def test_a_file_put_where_a_new_one_goes_stops_the_completion(tmp_path: Path) -> None:
    """Someone saved a file of their own where the commit puts a new one: the repair stops,
    naming it, and never touches that file."""
    commit = Commit(tmp_path / "out")
    commit.killed_after(0)
    mine = commit.folder / "so-sanh" / "02-bien-ban.docx"
    mine.write_bytes(b"cua toi")
    with pytest.raises(ThiduaError) as caught:
        journal.recover(commit.folder, print)
    (problem,) = caught.value.problems
    assert problem.code == "repair-failed"
    assert "(so-sanh/02-bien-ban.docx)" in problem.message, problem.message
    assert mine.read_bytes() == b"cua toi"
    assert _leftovers(commit.folder) == [commit.staging.name]


# --- what the repair removes, and what it never obeys --------------------------------------------


def test_leftovers_that_are_no_commit_are_removed_and_nothing_else(tmp_path: Path) -> None:
    """A staging folder without a journal, one with a journal cut short, a file under a staging
    name, a lock broken by a killed run, an older thidua's temporaries
    (``.NAME.PID.thidua-tmp``); and a folder under a broken lock's name holding a journal, which
    is never obeyed (only thidua's staging folders hold journals). Other hidden files stay."""
    folder = tmp_path / "out"
    mine = {
        "01-bao-cao.docx": b"cu",
        ".ghi-chu.thidua-tmp": b"not thidua's: no pid",
        "01-bao-cao.docx.42.thidua-tmp": b"not thidua's: no leading dot",
        ".01-bao-cao.docx.42.thidua-tmp.bak": b"not thidua's",
    }
    _write(folder, mine)
    _write(
        folder,
        {
            ".thidua-dang-ghi-00000001/0": b"staged",
            ".thidua-dang-ghi-00000002/nhat-ky.json": b'{"format": 1, "bu',
            ".thidua-dang-ghi-00000003": b"a file",
            ".thidua-khoa-cu-00000004.json": b"{}",
            ".01-bao-cao.docx.4242.thidua-tmp": b"half a document",
            ".4242.thidua-tmp": b"half a nameless one",
        },
    )
    planted = folder / ".thidua-khoa-cu-00000005.json"
    _write(planted, {"0": b"moi"})
    written = Journal(
        5, HISTORY, (Step("01-bao-cao.docx", True, NewFile("0", _sha(b"moi"), 3)),)
    )
    journal.write_journal(planted, written)
    said = _repair(folder)
    assert said == []
    assert _files(folder) == mine


def _planted(folder: Path, path: object = "moi.docx", staged: object = "0", **top: object) -> None:
    """A staging folder whose journal says to put ``staged`` (the bytes of the user's
    ``ghi-chu.docx``) at ``path``."""
    data = (folder / "ghi-chu.docx").read_bytes()
    staging = folder / ".thidua-dang-ghi-0000abcd"
    _write(staging, {"0": data})
    new = {"staged": staged, "sha256": _sha(data), "size": len(data)}
    written = {"format": 1, "build": 5, "history": HISTORY, **top}
    written["steps"] = [{"path": path, "old": False, "new": new}]
    (staging / "nhat-ky.json").write_text(json.dumps(written), "utf-8")


@pytest.mark.parametrize(
    ("path", "staged", "top"),
    [
        ("../ngoai.docx", "0", {}),
        ("/tmp/ngoai.docx", "0", {}),
        ("so-sanh/../../ngoai.docx", "0", {}),
        ("so-sanh/./moi.docx", "0", {}),
        ("so-sanh//moi.docx", "0", {}),
        ("..\\ngoai.docx", "0", {}),
        ("C:moi.docx", "0", {}),
        ("moi\x00.docx", "0", {}),
        (5, "0", {}),
        ("moi.docx", "../ghi-chu.docx", {}),
        ("moi.docx", 0, {}),
        ("moi.docx", "0", {"history": "../lich-su"}),
        ("moi.docx", "0", {"format": 2}),
    ],
)
def test_a_journal_naming_a_path_thidua_never_writes_is_not_obeyed(
    tmp_path: Path, path: object, staged: object, top: dict[str, object]
) -> None:
    """A journal is read from the folder, which others can write: one whose paths leave the
    folder or are not plain ``/``-separated names (``..``, ``.``, an empty part, a backslash, a
    drive, a NUL, not a string), whose staged file is not a plain number in the staging folder,
    or of another format is removed without doing any of it."""
    folder = tmp_path / "out"
    _write(folder, {"ghi-chu.docx": b"cua toi"})
    _planted(folder, path, staged, **top)
    _repair(folder)
    assert _files(tmp_path) == {"out/ghi-chu.docx": b"cua toi"}


def test_a_journal_is_written_whole_under_its_name_and_reads_back(tmp_path: Path) -> None:
    commit = Commit(tmp_path / "out").stage()
    assert sorted(p.name for p in commit.staging.iterdir()) == ["0", "1", "2", "3", "4", "5",
                                                                 "nhat-ky.json"]  # fmt: skip
    raw = (commit.staging / "nhat-ky.json").read_bytes()
    assert Journal.from_json(raw) == commit.journal
    assert json.loads(raw)["steps"][1] == {"path": "01-bao-cao.pdf", "old": True, "new": None}


def test_a_journal_of_another_format_is_refused() -> None:
    raw = Journal(5, HISTORY, (Step("a.docx", False, NewFile("0", "ab", 1)),)).to_json()
    data = json.loads(raw)
    assert data["format"] == 1
    data["format"] = 2
    with pytest.raises(ValueError, match="format"):
        Journal.from_json(json.dumps(data).encode())


# --- recover -------------------------------------------------------------------------------------


def test_recover_says_whether_anything_was_left(tmp_path: Path) -> None:
    """No folder, or a folder with nothing of an interrupted run: nothing to do, no lock taken.
    A lock only (a run killed before it staged anything): broken."""
    assert journal.recover(tmp_path / "none", print) is False
    folder = tmp_path / "out"
    _write(folder, {"01-bao-cao.docx": b"cu"})
    assert journal.recover(folder, print) is False
    assert _files(folder) == {"01-bao-cao.docx": b"cu"}
    dead = _dead_pid()
    (folder / LOCK).write_bytes(Holder("a", socket.gethostname(), _ago(0), dead).to_json())
    assert journal.recover(folder, print) is True
    assert _files(folder) == {"01-bao-cao.docx": b"cu"}


def test_recover_repairs_a_staging_folder_left_without_a_lock(tmp_path: Path) -> None:
    commit = Commit(tmp_path / "out").stage()
    assert journal.recover(commit.folder, print) is True
    assert _files(commit.folder) == commit.completed()


# --- the lock ------------------------------------------------------------------------------------


def _ago(minutes: float) -> str:
    since = dt.datetime.now().astimezone() - dt.timedelta(minutes=minutes)
    return since.isoformat(timespec="seconds")


def _dead_pid() -> int:
    """The pid of a process of this computer that has ended (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.fixture
def live() -> Iterator[subprocess.Popen[bytes]]:
    """A process of this computer that runs for the whole test, and that any signal but those
    Python handles ends (SIGHUP too, even under nohup, whose ignoring it would inherit)."""
    script = (
        "import signal, time; signal.signal(signal.SIGHUP, signal.SIG_DFL); "
        "print('ready', flush=True); time.sleep(600)"
    )
    with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE) as child:
        assert child.stdout is not None and child.stdout.readline() == b"ready\n"
        yield child
        child.kill()


def _still_running(child: subprocess.Popen[bytes]) -> None:
    """Looking at a lock's process sends it no signal (signal 0 only asks)."""
    with contextlib.suppress(subprocess.TimeoutExpired):
        child.wait(timeout=1)
    assert child.returncode is None, "the lock's check sent its holder a signal"


def _locked(folder: Path, holder: Holder | bytes, minutes_old: float = 0) -> bytes:
    folder.mkdir(parents=True, exist_ok=True)
    content = holder if isinstance(holder, bytes) else holder.to_json()
    (folder / LOCK).write_bytes(content)
    moment = (dt.datetime.now() - dt.timedelta(minutes=minutes_old)).timestamp()
    os.utime(folder / LOCK, (moment, moment))
    return content


def _busy(folder: Path) -> str:
    with pytest.raises(ThiduaError) as caught:
        journal.acquire(folder, print)
    (problem,) = caught.value.problems
    assert problem.code == "folder-busy", problem
    return problem.message


def _taken(folder: Path) -> None:
    """The lock is ours while held, then released."""
    lock = journal.acquire(folder, print)
    found = Holder.from_json((folder / LOCK).read_bytes())
    assert found is not None and found.pid == os.getpid()
    assert _leftovers(folder) == [LOCK]
    lock.release()
    assert _leftovers(folder) == []


HERE = socket.gethostname()
ELSEWHERE = f"{HERE}-khac"


def test_a_lock_whose_process_runs_here_is_respected(
    tmp_path: Path, live: subprocess.Popen[bytes]
) -> None:
    content = _locked(tmp_path, Holder("nguyen-van-a", HERE, _ago(0), live.pid))
    message = _busy(tmp_path)
    assert f"nguyen-van-a trên máy {HERE}" in message and f"(pid {live.pid})" in message
    assert (tmp_path / LOCK).read_bytes() == content
    _still_running(live)


def test_a_lock_whose_process_runs_here_is_respected_however_old(
    tmp_path: Path, live: subprocess.Popen[bytes]
) -> None:
    """On this computer the process tells: a commit still running holds its lock."""
    _locked(tmp_path, Holder("nguyen-van-a", HERE, _ago(60), live.pid), minutes_old=60)
    _busy(tmp_path)
    _still_running(live)


def test_a_lock_whose_process_ended_here_is_broken_at_once(tmp_path: Path) -> None:
    _locked(tmp_path, Holder("nguyen-van-a", HERE, _ago(0), _dead_pid()))
    _taken(tmp_path)


def test_a_lock_naming_this_very_process_is_a_leftover(tmp_path: Path) -> None:
    _locked(tmp_path, Holder("nguyen-van-a", HERE, _ago(0), os.getpid()))
    _taken(tmp_path)


def test_a_lock_of_another_computer_is_judged_by_its_age(tmp_path: Path) -> None:
    """The pid of another computer means nothing here: its lock is broken only once it is
    older than STALE_AFTER (ten minutes), by the time it says, whatever the file's time."""
    dead = _dead_pid()
    _locked(tmp_path, Holder("nguyen-van-a", ELSEWHERE, _ago(0), dead))
    assert ELSEWHERE in _busy(tmp_path)
    _locked(tmp_path, Holder("nguyen-van-a", ELSEWHERE, _ago(9), dead), minutes_old=60)
    _busy(tmp_path)
    _locked(tmp_path, Holder("nguyen-van-a", ELSEWHERE, _ago(10.5), dead))
    _taken(tmp_path)


@pytest.mark.parametrize(
    "content",
    [
        Holder("nguyen-van-a", ELSEWHERE, "2014-01-10T09:30:00", None).to_json(),  # no zone
        Holder("nguyen-van-a", ELSEWHERE, "hôm qua", None).to_json(),
        b"\x00 not a lock",
    ],
    ids=["time-without-zone", "no-time", "unreadable"],
)
def test_a_lock_that_cannot_tell_its_age_is_judged_by_the_files_time(
    tmp_path: Path, content: bytes
) -> None:
    _locked(tmp_path, content)
    message = _busy(tmp_path)
    if content.startswith(b"\x00"):
        assert "một lần chạy thidua khác" in message
    _locked(tmp_path, content, minutes_old=11)
    _taken(tmp_path)


def test_a_lock_of_this_computer_without_a_pid_is_judged_by_its_age(tmp_path: Path) -> None:
    _locked(tmp_path, Holder("nguyen-van-a", HERE, _ago(0), None), minutes_old=60)
    _busy(tmp_path)
    _locked(tmp_path, Holder("nguyen-van-a", HERE, _ago(11), None))
    _taken(tmp_path)


def test_a_lock_is_stale_only_when_older_than_stale_after(tmp_path: Path) -> None:
    since = dt.datetime(2014, 1, 10, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    holder = Holder("nguyen-van-a", ELSEWHERE, since.isoformat(), 1234)
    st = os.lstat(tmp_path)
    assert journal._stale(holder, st, since + journal.STALE_AFTER) is False
    assert journal._stale(holder, st, since + journal.STALE_AFTER + dt.timedelta(seconds=1))


def test_a_process_of_another_user_is_alive() -> None:
    """Signal 0 to a process this user may not signal is refused (EPERM): it runs all the same.
    As root, the check is made for a moment as an unprivileged user (effective uid 65534) on a
    process of a third one (65533), which root may start: the kernel then refuses for real."""
    if os.geteuid() != 0:
        assert journal._process_alive(1) is True  # init, root's
        return
    other = subprocess.Popen(["sleep", "600"], user=65533)
    try:
        os.seteuid(65534)
        try:
            alive = journal._process_alive(other.pid)
        finally:
            os.seteuid(0)
    finally:
        other.kill()
        other.wait()
    assert alive is True


def test_a_folder_at_the_locks_name_is_an_obstacle(tmp_path: Path) -> None:
    (tmp_path / LOCK).mkdir()
    with pytest.raises(ThiduaError) as caught:
        journal.acquire(tmp_path, print)
    (problem,) = caught.value.problems
    assert problem.code == "obstacle" and problem.location.file == (tmp_path / LOCK).as_posix()


def test_a_folder_that_cannot_be_written_is_not_called_busy(tmp_path: Path) -> None:
    """The lock cannot be created (here: the folder is gone): a write problem, not 'busy'."""
    with pytest.raises(ThiduaError) as caught:
        journal.acquire(tmp_path / "none", print)
    (problem,) = caught.value.problems
    assert problem.code == "write" and problem.location.file == (tmp_path / "none").as_posix()


def test_a_released_lock_is_removed_only_while_it_is_still_ours(tmp_path: Path) -> None:
    lock = journal.acquire(tmp_path, print)
    other = _locked(tmp_path, Holder("tran-thi-b", ELSEWHERE, _ago(0), 7))
    lock.release()
    assert (tmp_path / LOCK).read_bytes() == other


def _doing_at_rename(
    monkeypatch: pytest.MonkeyPatch, lock: Path, before: Callable[[], None] | None = None,
    after: Callable[[], None] | None = None,
) -> None:
    """Another process's step done in the instant our ``os.rename`` of ``lock`` begins or ends."""
    real = os.rename

    def rename(source: object, target: object) -> None:
        mine = Path(str(source)) == lock
        if mine and before:
            before()
        real(source, target)  # type: ignore[arg-type]
        if mine and after:
            after()

    monkeypatch.setattr(os, "rename", rename)


def test_a_lock_taken_between_the_look_and_the_break_is_given_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stale lock, broken by another run too, which takes the folder in the instant between
    our reading the stale lock and our renaming it away: we rename the new holder's lock, see it
    is not the one we judged, and put it back; the folder is busy, held by them."""
    _locked(tmp_path, Holder("nguyen-van-a", HERE, _ago(0), _dead_pid()))
    theirs = Holder("tran-thi-b", ELSEWHERE, _ago(0), 7).to_json()
    taken = []

    def take() -> None:
        if not taken:
            taken.append(True)
            (tmp_path / "theirs").write_bytes(theirs)
            os.replace(tmp_path / "theirs", tmp_path / LOCK)

    _doing_at_rename(monkeypatch, tmp_path / LOCK, before=take)
    assert "tran-thi-b" in _busy(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [LOCK]
    assert (tmp_path / LOCK).read_bytes() == theirs


def test_a_lock_that_comes_back_after_every_break_is_reported_busy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each time we break the stale lock, another run takes the folder before we can (and is
    killed, leaving a stale lock again): after a few tries the folder is reported busy with the
    holder of the lock now there, rather than tried forever."""
    _locked(tmp_path, Holder("nguyen-van-a", HERE, _ago(0), _dead_pid()))
    theirs = Holder("tran-thi-b", HERE, _ago(0), _dead_pid()).to_json()
    _doing_at_rename(
        monkeypatch, tmp_path / LOCK, after=lambda: (tmp_path / LOCK).write_bytes(theirs)
    )
    assert "tran-thi-b" in _busy(tmp_path)


# --- the holder ----------------------------------------------------------------------------------


def test_a_holder_is_described_as_the_docstring_shows() -> None:
    holder = Holder("nguyen-van-a", "PC-VANTHU", "2014-01-10T09:30:00+07:00", 1234)
    assert holder.describe() == "nguyen-van-a trên máy PC-VANTHU từ 10/01/2014 09:30 (pid 1234)"
    no_pid = Holder("nguyen-van-a", "PC-VANTHU", "2014-01-10T09:30:00+07:00", None)
    assert no_pid.describe() == "nguyen-van-a trên máy PC-VANTHU từ 10/01/2014 09:30"


def test_a_holder_without_user_or_computer_still_reads_as_someone() -> None:
    text = Holder("", "", "2014-01-10T09:30:00+07:00", None).describe()
    assert not text.startswith(" ") and " trên máy  " not in text


@pytest.mark.parametrize(
    ("pid", "read"), [(1234, 1234), ("1234", None), (True, None), (12.5, None), (None, None)]
)
def test_only_an_integer_is_read_as_a_pid(pid: object, read: int | None) -> None:
    raw = json.dumps({"nguoi": "a", "may": "b", "tu_luc": "c", "pid": pid}).encode()
    holder = Holder.from_json(raw)
    assert holder is not None and holder.pid == read
    assert Holder.from_json(Holder("a", "b", "c", 1234).to_json()) == Holder("a", "b", "c", 1234)


# --- staging names -------------------------------------------------------------------------------


def test_when_every_staging_name_is_taken_the_commit_is_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The random name always the same, and taken: a ``FileExistsError`` (EEXIST), never a
    staging folder that is not new."""
    monkeypatch.setattr(journal.secrets, "token_hex", lambda _: "0000abcd")
    (tmp_path / ".thidua-dang-ghi-0000abcd").mkdir()
    with pytest.raises(FileExistsError) as caught:
        journal.new_staging(tmp_path)
    assert caught.value.errno == errno.EEXIST
