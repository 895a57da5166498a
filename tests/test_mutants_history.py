"""The folder's history, its owner, the Ctrl-C guard and restoring, at the level of their
functions: what the mutants of pipeline/output/history.py, ownership.py, interrupts.py and
restore.py showed the command-line tests leave unsaid.

Ctrl-C is pressed in-process (``signal.raise_signal``): Python runs the handler at once, in the
main thread, as it does for a key pressed in the console.
"""

from __future__ import annotations

import json
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import Problem, ThiduaError
from pipeline.output import interrupts
from pipeline.output.history import (
    HISTORY_DIR,
    RECORD,
    BuildRecord,
    Kept,
    build_folder,
    build_numbers,
    describe_kept,
    find_version,
    latest_owner,
    listing,
    read_history,
    read_record,
)
from pipeline.output.manifest import (
    MANIFEST,
    FileRecord,
    Manifest,
    OutputRecord,
    Owner,
    sha256_bytes,
)
from pipeline.output.ownership import Verdict, check_owner, owner_of, same_cluster
from pipeline.output.restore import plan_restore
from pipeline.restoring import restore

# --- the Ctrl-C guard (interrupts.py) ------------------------------------------------------------


def _ctrl_c() -> None:
    signal.raise_signal(signal.SIGINT)


@pytest.fixture
def fresh_count() -> Iterator[None]:
    """Each test leaves the process with no Ctrl-C counted (a command that begins forgets the
    last one's), so that a later test's library call is not stopped by it."""
    yield
    with interrupts.watching():
        pass


class _PressesCtrlC:
    """An object whose destructor is where the Ctrl-C lands (as ``ZipFile.__del__``)."""

    def __del__(self) -> None:
        _ctrl_c()


class _FailsInDestructor:
    def __del__(self) -> None:
        raise ValueError("a destructor's own error")


def test_a_library_call_made_before_any_command_is_not_stopped() -> None:
    """build() and commit_folders() call check() outside a command too (from Python)."""
    assert not interrupts.interrupted()
    interrupts.check()


@pytest.mark.usefixtures("fresh_count")
def test_ctrl_c_in_a_command_stops_it_at_once_and_is_counted() -> None:
    with interrupts.watching():
        assert not interrupts.interrupted()
        interrupts.check()  # nothing pressed yet: goes on
        with pytest.raises(KeyboardInterrupt):
            _ctrl_c()
        assert interrupts.interrupted()
        with pytest.raises(KeyboardInterrupt):
            interrupts.check()


@pytest.mark.usefixtures("fresh_count")
def test_a_ctrl_c_swallowed_by_a_destructor_still_stops_the_run_and_is_not_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reported: list[type[BaseException] | None] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: reported.append(u.exc_type))
    mine = sys.unraisablehook
    with interrupts.watching():
        _PressesCtrlC()  # dropped at once: its __del__ runs here and the interrupt is swallowed
        assert interrupts.interrupted()
        with pytest.raises(KeyboardInterrupt):
            interrupts.check()
        _FailsInDestructor()  # any other error of a destructor is reported as before
    assert reported == [ValueError]
    assert sys.unraisablehook is mine  # the command's end puts the previous hook back


@pytest.mark.usefixtures("fresh_count")
def test_a_new_command_forgets_the_last_one_s_ctrl_c() -> None:
    with interrupts.watching(), pytest.raises(KeyboardInterrupt):
        _ctrl_c()
    with interrupts.watching():
        assert not interrupts.interrupted()
        interrupts.check()
        # and it counts again: the guard is installed anew
        with pytest.raises(KeyboardInterrupt):
            _ctrl_c()
        assert interrupts.interrupted()


@pytest.mark.usefixtures("fresh_count")
def test_the_command_s_end_puts_back_the_previous_ctrl_c_handler() -> None:
    before = signal.getsignal(signal.SIGINT)
    with interrupts.watching():
        assert signal.getsignal(signal.SIGINT) is not before
    assert signal.getsignal(signal.SIGINT) is before


@pytest.mark.usefixtures("fresh_count")
def test_a_command_inside_a_command_keeps_the_outer_one_s_count() -> None:
    with interrupts.watching():
        _PressesCtrlC()
        with interrupts.watching():
            pass
        assert interrupts.interrupted()
        with pytest.raises(KeyboardInterrupt):
            interrupts.check()
        # the outer command still defers: the inner one's end did not switch the guard off
        with pytest.raises(KeyboardInterrupt), interrupts.deferred():
            pass


@pytest.mark.usefixtures("fresh_count")
def test_watching_outside_the_main_thread_does_nothing() -> None:
    """signal.signal works only in the main thread: a worker's watching() just runs its block."""
    outcome: list[object] = []

    def worker() -> None:
        try:
            with interrupts.watching():
                outcome.append("ran")
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert outcome == ["ran"]


@pytest.mark.usefixtures("fresh_count")
def test_ctrl_c_during_the_renames_waits_for_their_end() -> None:
    steps: list[str] = []
    with interrupts.watching():
        with interrupts.deferred():
            steps.append("no Ctrl-C: the block ends normally")
        with pytest.raises(KeyboardInterrupt):
            with interrupts.deferred():
                _ctrl_c()
                steps.append("renames finished")
                with interrupts.deferred():  # a rollback inside: still held back at its end
                    pass
                steps.append("rollback finished")
            steps.append("never: raised when the outer block ends")
    assert steps == ["no Ctrl-C: the block ends normally", "renames finished", "rollback finished"]


@pytest.mark.usefixtures("fresh_count")
def test_after_the_renames_ctrl_c_stops_at_once_again() -> None:
    with interrupts.watching():
        with interrupts.deferred(), interrupts.deferred():
            pass
        with pytest.raises(KeyboardInterrupt):
            _ctrl_c()


@pytest.mark.usefixtures("fresh_count")
def test_a_commit_outside_a_command_does_not_raise_an_earlier_command_s_ctrl_c() -> None:
    with interrupts.watching(), pytest.raises(KeyboardInterrupt):
        _ctrl_c()
    steps = []
    with interrupts.deferred():  # a library call of commit_folders, after the command
        steps.append("renamed")
    assert steps == ["renamed"]


# --- whose folder it is (ownership.py) -----------------------------------------------------------

CLUSTER_1 = "Cụm thi đua số 1"


@pytest.fixture
def owned(tmp_path: Path) -> tuple[Path, Path]:
    """(the output folder, the workbook it was built from, in the working folder's inputs/)."""
    (tmp_path / "inputs").mkdir()
    workbook = tmp_path / "inputs" / "cum-1-2013.xlsx"
    workbook.write_bytes(b"the workbook")
    folder = tmp_path / "outputs" / "2013" / "cum-thi-dua-so-1"
    folder.mkdir(parents=True)
    return folder, workbook


def _another(workbook: Path, name: str) -> Path:
    other = workbook.with_name(name)
    other.write_bytes(b"another workbook")
    return other


def test_the_owner_records_the_workbook_relative_to_the_folder(owned: tuple[Path, Path]) -> None:
    folder, workbook = owned
    assert owner_of(CLUSTER_1, 2013, workbook, folder) == Owner(
        CLUSTER_1, 2013, "cum-1-2013.xlsx", "../../../inputs/cum-1-2013.xlsx"
    )


def test_cluster_names_are_the_same_up_to_case_unicode_form_and_spacing() -> None:
    assert same_cluster("Cụm thi đua  số 1", "CỤM THI ĐUA SỐ 1")
    assert same_cluster("Cu\u0323m thi đua số 1 ", "Cụm thi đua số 1")  # decomposed, as macOS
    assert not same_cluster("Cụm thi đua số 1", "Cụm thi đua số 2")


def test_a_folder_without_an_owner_or_of_another_year_is_free(owned: tuple[Path, Path]) -> None:
    folder, workbook = owned
    mine = owner_of(CLUSTER_1, 2013, workbook, folder)
    assert check_owner(folder, None, mine, workbook) == Verdict()
    other = _another(workbook, "cum-2-2012.xlsx")
    recorded = owner_of("Cụm thi đua số 2", 2012, other, folder)
    assert check_owner(folder, recorded, mine, workbook) == Verdict()


def test_the_same_workbook_rebuilds_its_folder_silently(owned: tuple[Path, Path]) -> None:
    folder, workbook = owned
    mine = owner_of(CLUSTER_1, 2013, workbook, folder)
    assert check_owner(folder, mine, mine, workbook) == Verdict()
    respelled = owner_of("CỤM THI ĐUA  số 1", 2013, workbook, folder)
    assert check_owner(folder, mine, respelled, workbook) == Verdict()


def test_the_same_workbook_with_its_cluster_renamed_keeps_the_folder_with_a_note(
    owned: tuple[Path, Path],
) -> None:
    folder, workbook = owned
    recorded = owner_of(CLUSTER_1, 2013, workbook, folder)
    mine = owner_of("Cụm thi đua số Một", 2013, workbook, folder)
    verdict = check_owner(folder, recorded, mine, workbook)
    assert verdict.problem is None and verdict.note is not None
    assert f"«{CLUSTER_1}» thành «Cụm thi đua số Một»" in verdict.note
    assert folder.as_posix() in verdict.note


def test_a_recorded_absolute_location_is_followed_as_it_is(owned: tuple[Path, Path]) -> None:
    """Another drive: the manifest holds the absolute path (workbook_location's fallback)."""
    folder, workbook = owned
    recorded = Owner(CLUSTER_1, 2013, "cum-1-2013.xlsx", workbook.resolve().as_posix())
    mine = owner_of(CLUSTER_1, 2013, workbook, folder)
    assert check_owner(folder, recorded, mine, workbook) == Verdict()
    # so the recorded workbook is there: a second one of the cluster is refused
    second = _another(workbook, "cum-1-2013-ban-2.xlsx")
    refused = check_owner(folder, recorded, owner_of(CLUSTER_1, 2013, second, folder), second)
    assert refused.problem is not None and refused.problem.code == "other-workbook"


@pytest.mark.parametrize(
    "location",
    [None, "../../../inputs/" + "x" * 300 + ".xlsx"],  # none recorded; one no disk can look up
    ids=["no-location", "name-too-long"],
)
def test_without_a_location_to_look_at_the_workbook_s_name_decides(
    owned: tuple[Path, Path], location: str | None
) -> None:
    folder, workbook = owned
    mine = owner_of(CLUSTER_1, 2013, workbook, folder)
    recorded = Owner(CLUSTER_1, 2013, "CUM-1-2013.xlsx", location)  # the name, as Windows sees it
    assert check_owner(folder, recorded, mine, workbook) == Verdict()


def test_a_workbook_moved_elsewhere_under_its_own_name_is_the_same(
    owned: tuple[Path, Path],
) -> None:
    folder, workbook = owned
    recorded = owner_of(CLUSTER_1, 2013, workbook, folder)
    moved = workbook.parent.parent / "cum-1-2013.xlsx"
    workbook.rename(moved)
    mine = owner_of(CLUSTER_1, 2013, moved, folder)
    assert check_owner(folder, recorded, mine, moved) == Verdict()


def test_a_renamed_workbook_replaces_the_one_no_longer_there_with_a_note(
    owned: tuple[Path, Path],
) -> None:
    folder, workbook = owned
    recorded = owner_of(CLUSTER_1, 2013, workbook, folder)
    renamed = workbook.with_name("cum-1-2013-ban-sua.xlsx")
    workbook.rename(renamed)
    verdict = check_owner(folder, recorded, owner_of(CLUSTER_1, 2013, renamed, folder), renamed)
    assert verdict.problem is None and verdict.note is not None
    assert "cum-1-2013.xlsx không còn ở chỗ cũ" in verdict.note


def test_a_second_workbook_of_the_cluster_is_refused_while_the_first_is_there(
    owned: tuple[Path, Path],
) -> None:
    folder, workbook = owned
    recorded = owner_of(CLUSTER_1, 2013, workbook, folder)
    second = _another(workbook, "cum-1-2013-ban-2.xlsx")
    verdict = check_owner(folder, recorded, owner_of(CLUSTER_1, 2013, second, folder), second)
    assert verdict.note is None and verdict.problem is not None
    assert verdict.problem.code == "other-workbook"
    assert f"(vẫn còn ở {(folder / '../../../inputs/cum-1-2013.xlsx').as_posix()})" in (
        verdict.problem.message
    )


def test_a_workbook_that_cannot_be_compared_is_not_the_recorded_one(
    owned: tuple[Path, Path],
) -> None:
    """The workbook to build gone meanwhile: os.path.samefile fails, so it is not the workbook
    the folder was built from (refused, never overwriting that one's documents)."""
    folder, workbook = owned
    recorded = owner_of(CLUSTER_1, 2013, workbook, folder)
    gone = workbook.with_name("da-xoa.xlsx")
    verdict = check_owner(folder, recorded, owner_of(CLUSTER_1, 2013, gone, folder), gone)
    assert verdict.problem is not None and verdict.problem.code == "other-workbook"


@pytest.mark.parametrize("first_there", [True, False], ids=["first-there", "first-gone"])
def test_another_cluster_s_workbook_is_refused(owned: tuple[Path, Path], first_there: bool) -> None:
    folder, workbook = owned
    recorded = owner_of(CLUSTER_1, 2013, workbook, folder)
    if not first_there:
        workbook.unlink()
    other = _another(workbook, "cum-so-i-2013.xlsx")
    verdict = check_owner(
        folder, recorded, owner_of("Cụm thi đua số I", 2013, other, folder), other
    )
    assert verdict.note is None and verdict.problem is not None
    assert verdict.problem.code == "other-owner"
    assert f"là của «{CLUSTER_1}» (workbook cum-1-2013.xlsx" in verdict.problem.message
    assert ("vẫn còn ở" in verdict.problem.message) is first_there


# --- the history (history.py) ---------------------------------------------------------------------

SHA_A, SHA_B, SHA_C, SHA_D, SHA_E = ("a" * 64, "b" * 64, "c" * 64, "d" * 64, "e" * 64)
DOCX = "02-bien-ban-hoi-nghi.docx"
OWNER = Owner(CLUSTER_1, 2013, "cum-1-2013.xlsx", "../../../inputs/cum-1-2013.xlsx")

#: Build 3 of the module docstring's example, written out by hand as that docstring lays it out:
#: indented by two, the Vietnamese as it is (UTF-8), a final newline.
RECORD_3 = BuildRecord(
    build=3,
    time="2014-01-12T09:15:02+07:00",
    command="build",
    thidua_version="0.1.0",
    owner=OWNER,
    inputs=(FileRecord("cum-1-2013.xlsx", SHA_A, 30512),),
    written=(OutputRecord("01-bao-cao-tong-ket.docx", SHA_B, 39115, 3),),
    kept=(
        Kept(DOCX, SHA_C, 40961, "edited", "replaced", OutputRecord(DOCX, SHA_D, 40000, 1)),
        Kept("manifest.json", SHA_E, 2345, "thidua", "replaced"),
    ),
    options={"pdf": False, "force": True, "only": []},
)
RECORD_3_JSON = f"""{{
  "format": 1,
  "build": 3,
  "time": "2014-01-12T09:15:02+07:00",
  "command": "build",
  "options": {{
    "pdf": false,
    "force": true,
    "only": []
  }},
  "thidua_version": "0.1.0",
  "owner": {{
    "cluster": "Cụm thi đua số 1",
    "year": 2013,
    "workbook": {{
      "name": "cum-1-2013.xlsx",
      "location": "../../../inputs/cum-1-2013.xlsx"
    }}
  }},
  "inputs": [
    {{
      "path": "cum-1-2013.xlsx",
      "sha256": "{SHA_A}",
      "size": 30512
    }}
  ],
  "templates": [],
  "written": [
    {{
      "path": "01-bao-cao-tong-ket.docx",
      "sha256": "{SHA_B}",
      "size": 39115,
      "build": 3
    }}
  ],
  "kept": [
    {{
      "path": "{DOCX}",
      "sha256": "{SHA_C}",
      "size": 40961,
      "state": "edited",
      "reason": "replaced",
      "record": {{
        "path": "{DOCX}",
        "sha256": "{SHA_D}",
        "size": 40000,
        "build": 1
      }}
    }},
    {{
      "path": "manifest.json",
      "sha256": "{SHA_E}",
      "size": 2345,
      "state": "thidua",
      "reason": "replaced",
      "record": null
    }}
  ]
}}
""".encode()


def _history_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "outputs" / "2013" / "cum-thi-dua-so-1"
    folder.mkdir(parents=True)
    return folder


def _write_record(folder: Path, raw: bytes, build: int) -> None:
    where = build_folder(folder, build)
    where.mkdir(parents=True, exist_ok=True)
    (where / RECORD).write_bytes(raw)


def _record(folder: Path, build: int, *kept: tuple[Kept, bytes], **fields: object) -> BuildRecord:
    """Write build ``build``'s record and the files it kept (each with its bytes)."""
    values: dict[str, object] = {"time": f"2014-01-0{build}T16:02:00+07:00", "command": "build",
                                 "thidua_version": "0.1.0", "owner": OWNER}  # fmt: skip
    values |= fields
    record = BuildRecord(build, kept=tuple(k for k, _ in kept), **values)  # type: ignore[arg-type]
    _write_record(folder, record.to_json(), build)
    for entry, data in kept:
        (build_folder(folder, build) / entry.path).write_bytes(data)
    return record


def _kept(name: str, data: bytes, made_by: int | None = None) -> Kept:
    record = None if made_by is None else OutputRecord.of(name, data, made_by)
    return Kept(name, sha256_bytes(data), len(data), "thidua", "replaced", record)


def test_a_build_record_is_the_json_the_module_documents(tmp_path: Path) -> None:
    assert RECORD_3.to_json() == RECORD_3_JSON
    folder = _history_folder(tmp_path)
    _write_record(folder, RECORD_3_JSON, 3)
    assert read_record(folder, 3) == RECORD_3
    without_owner = BuildRecord(1, "", "build", "0.1.0", None)
    assert json.loads(without_owner.to_json())["owner"] is None
    _write_record(folder, without_owner.to_json(), 1)
    assert read_record(folder, 1) == without_owner


def _edited(change: Callable[[dict[str, Any]], object]) -> bytes:
    data = json.loads(RECORD_3_JSON)
    change(data)
    return json.dumps(data).encode()


def _set(key: str, value: object) -> Callable[[dict[str, Any]], object]:
    return lambda data: data.__setitem__(key, value)


def _set_kept(key: str, value: object) -> Callable[[dict[str, Any]], object]:
    return lambda data: data["kept"][0].__setitem__(key, value)


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b"[1, 3]", id="not-an-object"),
        pytest.param(_edited(_set("format", 2)), id="another-format"),
        pytest.param(_edited(lambda d: d.pop("format")), id="no-format"),
        pytest.param(_edited(_set("build", True)), id="build-true"),
        pytest.param(_edited(_set("build", "3")), id="build-text"),
        pytest.param(_edited(_set("build", 4)), id="another-build-s-record"),
        pytest.param(_edited(_set("kept", ["02-bien-ban-hoi-nghi.docx"])), id="kept-not-an-object"),
        pytest.param(_edited(_set_kept("path", "../02.docx")), id="kept-outside"),
        pytest.param(_edited(_set_kept("path", ".lich-su")), id="kept-hidden"),
        pytest.param(_edited(_set_kept("state", "sua-tay")), id="kept-state"),
        pytest.param(_edited(_set_kept("reason", "deleted")), id="kept-reason"),
        pytest.param(_edited(_set_kept("sha256", 12)), id="kept-sha-number"),
        pytest.param(_edited(_set_kept("size", True)), id="kept-size-true"),
        pytest.param(_edited(_set_kept("size", "40961")), id="kept-size-text"),
        pytest.param(RECORD_3_JSON.replace("Cụm".encode(), b"C\xff"), id="not-utf-8"),
    ],
)
def test_a_record_thidua_did_not_write_is_not_read(tmp_path: Path, raw: bytes) -> None:
    folder = _history_folder(tmp_path)
    _write_record(folder, raw, 3)
    assert read_record(folder, 3) is None


@pytest.mark.parametrize(
    ("number", "build"), [(1, True), (0, 0)], ids=["true-in-0001", "0-in-0000"]
)
def test_a_record_s_build_is_a_whole_number_from_1(
    tmp_path: Path, number: int, build: object
) -> None:
    """JSON's true equals 1 to Python, and a folder 0000 has the number 0: neither record is one
    of thidua's, whose builds are numbered from 1."""
    folder = _history_folder(tmp_path)
    _write_record(folder, _edited(_set("build", build)), number)
    assert read_record(folder, number) is None


def test_a_record_s_optional_values_may_be_missing(tmp_path: Path) -> None:
    def loosen(data: dict[str, Any]) -> None:
        data["build"] = 1  # the first build
        data["owner"] = None
        data["options"] = "--force"  # not a mapping: read as none
        data["kept"][0] |= {"sha256": None, "size": None, "record": None}

    folder = _history_folder(tmp_path)
    _write_record(folder, _edited(loosen), 1)
    record = read_record(folder, 1)
    assert record is not None
    assert (record.build, record.owner, record.options) == (1, None, {})
    assert record.kept[0] == Kept(DOCX, None, None, "edited", "replaced", None)
    assert record.kept[1].path == "manifest.json"


def test_a_build_without_a_record_has_none(tmp_path: Path) -> None:
    folder = _history_folder(tmp_path)
    build_folder(folder, 2).mkdir(parents=True)
    assert read_record(folder, 2) is None


def test_the_history_folders_are_the_ones_named_by_digits(tmp_path: Path) -> None:
    folder = _history_folder(tmp_path)
    assert build_numbers(folder) == []
    (folder / HISTORY_DIR).write_bytes(b"")
    assert build_numbers(folder) == []  # a file where the history goes: no history
    (folder / HISTORY_DIR).unlink()
    for name in ("12", "0003", "0001", "ghi-chu", "\u0663"):  # ٣: a digit, but not 0-9
        (folder / HISTORY_DIR / name).mkdir(parents=True)
    (folder / HISTORY_DIR / "0002").write_bytes(b"a file, not a build's folder")
    assert build_numbers(folder) == [1, 3, 12]


def test_the_history_lists_the_readable_records_and_warns_of_the_others(tmp_path: Path) -> None:
    folder = _history_folder(tmp_path)
    first = _record(folder, 1)
    _write_record(folder, b"{ not json", 2)
    third = _record(folder, 3)
    records, problems = read_history(folder)
    assert records == [first, third]
    (problem,) = problems
    assert (problem.severity, problem.code) == ("warning", "history-damaged")
    assert "lần lập 2" in problem.message
    assert problem.location.file == f"{folder.as_posix()}/.lich-su/0002/lan-lap.json"


def test_the_newest_readable_record_naming_an_owner_gives_the_owner(tmp_path: Path) -> None:
    folder = _history_folder(tmp_path)
    assert latest_owner(folder) is None
    _record(folder, 1)
    renamed = Owner("Cụm thi đua số Một", 2013, OWNER.workbook, OWNER.location)
    _record(folder, 2, owner=renamed)
    _record(folder, 3, owner=None)
    _write_record(folder, b"damaged", 4)
    assert latest_owner(folder) == renamed


V1, V2, V3 = b"the minutes as build 1 wrote them", b"as build 2 wrote them", b"as build 3"


def _kept_twice(folder: Path) -> None:
    """Build 2 kept build 1's minutes, build 3 kept build 2's (and the report)."""
    _record(folder, 1)
    _record(folder, 2, (_kept(DOCX, V1, 1), V1))
    _record(folder, 3, (_kept(DOCX, V2, 2), V2), (_kept("01-bao-cao.docx", b"r", 1), b"r"))


def test_a_version_is_found_by_the_build_that_kept_it_newest_by_default(tmp_path: Path) -> None:
    folder = _history_folder(tmp_path)
    _kept_twice(folder)
    newest = find_version(folder, DOCX, None)
    assert (newest.record.build, newest.data, newest.path) == (3, V2, f".lich-su/0003/{DOCX}")
    older = find_version(folder, DOCX.upper(), 2)  # names compared as Windows does
    assert (older.record.build, older.data, older.kept.path) == (2, V1, DOCX)


def test_asking_for_a_version_no_build_kept_names_the_builds_that_did(tmp_path: Path) -> None:
    folder = _history_folder(tmp_path)
    _kept_twice(folder)
    with pytest.raises(ThiduaError) as raised:
        find_version(folder, DOCX, 1)
    (problem,) = raised.value.problems
    assert problem.code == "no-version"
    assert problem.message == f"Lần lập 1 không cất bản nào của {DOCX}"
    assert problem.hint == "Các lần lập có cất bản của tệp này: 2, 3."
    assert problem.location.file == (folder / DOCX).as_posix()
    with pytest.raises(ThiduaError) as raised:
        find_version(folder, "03-giao-uoc-thi-dua.docx", None)
    (problem,) = raised.value.problems
    assert problem.message == "Lịch sử chưa cất bản nào của 03-giao-uoc-thi-dua.docx"
    assert problem.hint == f'Xem các bản đã cất: thidua lich-su "{folder.as_posix()}"'


@pytest.mark.parametrize("damage", ["changed", "missing"])
def test_a_kept_version_changed_or_gone_is_refused(tmp_path: Path, damage: str) -> None:
    folder = _history_folder(tmp_path)
    _kept_twice(folder)
    kept = build_folder(folder, 3) / DOCX
    if damage == "changed":
        kept.write_bytes(b"someone opened it in Word")
    else:
        kept.unlink()
    with pytest.raises(ThiduaError) as raised:
        find_version(folder, DOCX, None)
    (problem,) = raised.value.problems
    assert problem.code == "version-damaged" and "lần lập 3" in problem.message
    assert problem.location.file == kept.as_posix()


def test_a_version_kept_without_its_sha256_is_taken_as_it_is(tmp_path: Path) -> None:
    folder = _history_folder(tmp_path)
    _record(folder, 2, (Kept(DOCX, None, None, "unknown", "replaced"), V1))
    assert find_version(folder, DOCX, None).data == V1


@pytest.mark.parametrize(
    ("kept", "described"),
    [
        (Kept(DOCX, SHA_A, 1, "edited", "replaced", OutputRecord(DOCX, SHA_B, 1, 1)),
         "bản đã sửa tay sau lần lập 1"),
        (Kept(DOCX, SHA_A, 1, "edited", "replaced"), "bản đã sửa tay"),
        (Kept(DOCX, SHA_A, 1, "unknown", "replaced"),
         "bản không rõ nguồn (manifest.json hỏng hoặc không có)"),
        (Kept("02.pdf", SHA_A, 1, "thidua", "removed", OutputRecord("02.pdf", SHA_A, 1, 2)),
         "PDF cũ không còn khớp văn bản (lần lập 2)"),
        (Kept("02.pdf", SHA_A, 1, "thidua", "removed"), "PDF cũ"),
        (Kept(DOCX, SHA_A, 1, "thidua", "replaced", OutputRecord(DOCX, SHA_A, 1, 2)),
         "bản của lần lập 2"),
        (Kept(DOCX, SHA_A, 1, "thidua", "replaced"), "bản cũ"),
    ],
)  # fmt: skip
def test_each_kept_file_says_which_version_it_is(kept: Kept, described: str) -> None:
    assert describe_kept(kept) == described


def test_the_listing_shows_each_build_newest_first_as_the_guide_does() -> None:
    """docs/thu-muc-van-ban.md, section 4 (the command indents these lines by two more)."""
    edited = Kept(DOCX, SHA_A, 9, "edited", "replaced", OutputRecord(DOCX, SHA_B, 8, 1))
    manifest_kept = Kept("manifest.json", SHA_C, 7, "thidua", "replaced")
    records = [
        BuildRecord(1, "2014-01-08T16:02:41+07:00", "build", "0.1.0", OWNER,
                    written=(OutputRecord("01-bao-cao-tong-ket.docx", SHA_D, 5, 1),
                             OutputRecord(DOCX, SHA_B, 8, 1))),
        BuildRecord(2, "2014-01-09T20:15:07+07:00", "build", "0.1.0", OWNER,
                    written=(OutputRecord(DOCX, SHA_E, 6, 2),), kept=(edited, manifest_kept),
                    options={"pdf": False, "force": True, "only": []}),
        BuildRecord(3, "2014-01-10T08:00:00+07:00", "build", "0.1.0", OWNER,
                    options={"pdf": True, "force": False, "only": ["danh-sach", "bien-ban"]}),
        BuildRecord(4, "2014-01-11T09:30:00+07:00", "restore", "0.1.0", OWNER,
                    options={"file": DOCX, "from_build": 2}),
        BuildRecord(5, "", "restore", "0.1.0", OWNER, options={"from_build": 2}),
        BuildRecord(6, "2014-01-12T10:00:00+07:00", "restore", "0.1.0", OWNER,
                    options={"file": DOCX}),
        BuildRecord(7, "2014-01-13T11:00:00+07:00", "ban-hanh", "0.2.0", OWNER),
    ]  # fmt: skip
    assert listing(records) == [
        "Lần lập 7 · 2014-01-13 11:00 · ban-hanh",
        f"Lần lập 6 · 2014-01-12 10:00 · thidua khoi-phuc {DOCX}",
        "Lần lập 5 · (không rõ giờ) · thidua khoi-phuc --lan 2",
        f"Lần lập 4 · 2014-01-11 09:30 · thidua khoi-phuc {DOCX} --lan 2",
        "Lần lập 3 · 2014-01-10 08:00 · thidua build --only danh-sach --only bien-ban --pdf",
        "Lần lập 2 · 2014-01-09 20:15 · thidua build --force",
        f"    ghi      {DOCX}",
        f"    đã cất   {DOCX} (bản đã sửa tay sau lần lập 1) → .lich-su/0002/{DOCX}",
        "Lần lập 1 · 2014-01-08 16:02 · thidua build",
        "    ghi      01-bao-cao-tong-ket.docx",
        f"    ghi      {DOCX}",
    ]


# --- restoring a kept version (restore.py) -------------------------------------------------------

PDF = "02-bien-ban-hoi-nghi.pdf"
P1, P2 = b"the PDF made from build 1's minutes", b"the PDF made from build 2's minutes"
NOW = "2014-01-12T09:15:02+07:00"


def _pdf_record(data: bytes, build: int, docx: bytes) -> OutputRecord:
    return OutputRecord.of(PDF, data, build, (DOCX, docx))


def _folder_now(
    folder: Path, build: int, files: dict[str, tuple[bytes, OutputRecord | None]]
) -> bytes:
    """Write the folder's files and the manifest of ``build`` recording them (``None``: a file
    the manifest does not know); return the manifest's bytes."""
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    outputs = tuple(r for _, r in files.values() if r is not None)
    raw = Manifest("0.1.0", build, OWNER, (), (), outputs).to_json()
    (folder / MANIFEST).write_bytes(raw)
    return raw


def _rebuilt_without_pdf(folder: Path) -> bytes:
    """Build 1 wrote the minutes V1 and their PDF; build 2 (a corrected workbook, no --pdf)
    wrote V2 and kept V1 and the PDF, which no longer matched."""
    _record(folder, 1)
    removed_pdf = Kept(PDF, sha256_bytes(P1), len(P1), "thidua", "removed", _pdf_record(P1, 1, V1))
    _record(folder, 2, (_kept(DOCX, V1, 1), V1), (removed_pdf, P1))
    return _folder_now(folder, 2, {DOCX: (V2, OutputRecord.of(DOCX, V2, 2))})


def _manifest(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / MANIFEST).read_text("utf-8"))
    return data


def _lines(out: list[str]) -> list[str]:
    return [" ".join(line.split()) for line in out]


def test_a_restore_puts_the_version_and_its_pdf_back_and_keeps_what_it_replaces(
    tmp_path: Path,
) -> None:
    folder = _history_folder(tmp_path)
    before = _rebuilt_without_pdf(folder)
    out: list[str] = []
    restore(folder / DOCX, 2, out.append, now=NOW)
    assert (folder / DOCX).read_bytes() == V1 and (folder / PDF).read_bytes() == P1
    assert (build_folder(folder, 3) / DOCX).read_bytes() == V2  # the current one kept first
    shown = folder.as_posix()
    assert _lines(out[:3]) == [f"cập nhật {shown}/{DOCX}", f"tạo mới {shown}/{PDF}",
                               f"cập nhật {shown}/manifest.json"]  # fmt: skip
    # the manifest gives each file back the record it had when it was kept
    restored, pdf = OutputRecord.of(DOCX, V1, 1), _pdf_record(P1, 1, V1)
    assert _manifest(folder)["build"] == 3
    assert _manifest(folder)["outputs"] == [restored.to_json(), pdf.to_json()]
    record = read_record(folder, 3)
    assert record is not None
    assert (record.command, record.time, record.owner) == ("restore", NOW, OWNER)
    assert record.options == {"file": DOCX, "from_build": 2}
    assert record.written == (restored, pdf)
    assert record.kept == (
        Kept(DOCX, sha256_bytes(V2), len(V2), "thidua", "replaced", OutputRecord.of(DOCX, V2, 2)),
        Kept(MANIFEST, sha256_bytes(before), len(before), "thidua", "replaced"),
    )
    # the next build sees thidua's files: the restored document is not a hand edit
    assert _manifest_states(folder) == {DOCX: "thidua", PDF: "thidua"}


def _manifest_states(folder: Path) -> dict[str, str]:
    """Whether each recorded file is as the manifest says thidua wrote it."""
    states = {}
    for entry in _manifest(folder)["outputs"]:
        same = sha256_bytes((folder / entry["path"]).read_bytes()) == entry["sha256"]
        states[entry["path"]] = "thidua" if same else "edited"
    return states


def test_a_hand_edit_replaced_by_a_restore_is_kept_as_a_hand_edit(tmp_path: Path) -> None:
    folder = _history_folder(tmp_path)
    _rebuilt_without_pdf(folder)
    edited = b"V2 with a paragraph the secretary typed"
    (folder / DOCX).write_bytes(edited)
    plan = plan_restore(folder, DOCX, None, version="0.1.0", now=NOW)
    assert plan.kept[0] == Kept(DOCX, sha256_bytes(edited), len(edited), "edited", "replaced",
                                OutputRecord.of(DOCX, V2, 2))  # fmt: skip


def test_a_restored_hand_edit_is_again_a_hand_edit(tmp_path: Path) -> None:
    """Its record is that of thidua's version it was edited from, so the next build sees an
    edit (docs/thu-muc-van-ban.md, section 4)."""
    folder = _history_folder(tmp_path)
    edited = b"V1 with a paragraph the secretary typed"
    _record(folder, 1)
    thidua_s = OutputRecord.of(DOCX, V1, 1)
    hand_edit = Kept(DOCX, sha256_bytes(edited), len(edited), "edited", "replaced", thidua_s)
    _record(folder, 2, (hand_edit, edited))
    _folder_now(folder, 2, {DOCX: (V2, OutputRecord.of(DOCX, V2, 2))})
    restore(folder / DOCX, None, lambda _: None, now=NOW)
    assert (folder / DOCX).read_bytes() == edited
    assert _manifest_states(folder) == {DOCX: "edited"}


def test_restoring_the_version_already_there_writes_nothing(tmp_path: Path) -> None:
    folder = _history_folder(tmp_path)
    _rebuilt_without_pdf(folder)
    (folder / DOCX).write_bytes(V1)
    out: list[str] = []
    plan = restore(folder / DOCX, 2, out.append, now=NOW)
    assert plan.changes == [] and plan.commit() is None
    assert _lines(out) == [f"không đổi {folder.as_posix()}/{DOCX} đã đúng là bản cất ở lần lập 2."]
    assert build_numbers(folder) == [1, 2]


def _rebuilt_with_pdf(folder: Path, pdf_now: bytes = P2) -> None:
    """As _rebuilt_without_pdf, but build 2 made the PDF of V2 too (the folder holds
    ``pdf_now`` as that PDF)."""
    _record(folder, 1)
    _record(folder, 2, (_kept(DOCX, V1, 1), V1))
    _folder_now(folder, 2, {DOCX: (V2, OutputRecord.of(DOCX, V2, 2)),
                            PDF: (pdf_now, _pdf_record(P2, 2, V2))})  # fmt: skip


def test_restoring_a_document_moves_away_thidua_s_pdf_of_another_version(tmp_path: Path) -> None:
    folder = _history_folder(tmp_path)
    _rebuilt_with_pdf(folder)
    out: list[str] = []
    restore(folder / DOCX, 2, out.append, now=NOW)
    assert (folder / DOCX).read_bytes() == V1 and not (folder / PDF).exists()
    assert (build_folder(folder, 3) / PDF).read_bytes() == P2
    assert f"đã cất {folder.as_posix()}/{PDF}" in _lines(out)
    assert [o["path"] for o in _manifest(folder)["outputs"]] == [DOCX]
    record = read_record(folder, 3)
    assert record is not None and record.kept_file(PDF) == Kept(
        PDF, sha256_bytes(P2), len(P2), "thidua", "removed", _pdf_record(P2, 2, V2)
    )
    assert record.written == (OutputRecord.of(DOCX, V1, 1),)


def test_restoring_a_document_leaves_a_hand_edited_pdf_alone(tmp_path: Path) -> None:
    folder = _history_folder(tmp_path)
    signed = b"the PDF with a signature added"
    _rebuilt_with_pdf(folder, signed)
    restore(folder / DOCX, 2, lambda _: None, now=NOW)
    assert (folder / DOCX).read_bytes() == V1 and (folder / PDF).read_bytes() == signed
    record = read_record(folder, 3)
    assert record is not None and record.kept_file(PDF) is None


def test_a_kept_pdf_gone_from_the_history_is_not_restored(tmp_path: Path) -> None:
    folder = _history_folder(tmp_path)
    _rebuilt_without_pdf(folder)
    (build_folder(folder, 2) / PDF).unlink()
    restore(folder / DOCX, 2, lambda _: None, now=NOW)
    assert (folder / DOCX).read_bytes() == V1 and not (folder / PDF).exists()


def test_a_pdf_alone_is_restored_when_made_from_the_document_now_there(tmp_path: Path) -> None:
    """Build 2 remade the PDF of the same minutes (another LibreOffice): build 1's PDF comes
    back, with its record."""
    folder = _history_folder(tmp_path)
    _record(folder, 1)
    older = Kept(PDF, sha256_bytes(P1), len(P1), "thidua", "replaced", _pdf_record(P1, 1, V1))
    _record(folder, 2, (older, P1))
    remade = _pdf_record(P2, 2, V1)
    _folder_now(folder, 2, {DOCX: (V1, OutputRecord.of(DOCX, V1, 1)), PDF: (P2, remade)})
    restore(folder / PDF, None, lambda _: None, now=NOW)
    assert (folder / PDF).read_bytes() == P1 and (folder / DOCX).read_bytes() == V1
    assert _manifest(folder)["outputs"][1] == _pdf_record(P1, 1, V1).to_json()
    record = read_record(folder, 3)
    assert record is not None and record.kept[0] == Kept(
        PDF, sha256_bytes(P2), len(P2), "thidua", "replaced", remade
    )


@pytest.mark.parametrize("case", ["another-version", "source-gone", "unknown-pdf"])
def test_a_pdf_alone_of_another_version_is_refused(tmp_path: Path, case: str) -> None:
    folder = _history_folder(tmp_path)
    _rebuilt_without_pdf(folder)
    if case == "source-gone":
        (folder / DOCX).unlink()
    if case == "unknown-pdf":
        _record(folder, 3, (Kept(PDF, sha256_bytes(P1), len(P1), "unknown", "replaced"), P1))
    with pytest.raises(ThiduaError) as raised:
        plan_restore(folder, PDF, None, version="0.1.0", now=NOW)
    (problem,) = raised.value.problems
    assert problem.code == "restore"
    assert problem.message.startswith("Bản PDF này được lập từ một bản khác")
    assert problem.location.file == (folder / PDF).as_posix()
    shown = folder / (PDF if case == "unknown-pdf" else DOCX)
    build = 3 if case == "unknown-pdf" else 2
    assert f'thidua khoi-phuc "{shown.as_posix()}" --lan {build}' in problem.hint


def _refusal(folder: Path, name: str = DOCX) -> Problem:
    with pytest.raises(ThiduaError) as raised:
        plan_restore(folder, name, None, version="0.1.0", now=NOW)
    (problem,) = raised.value.problems
    return problem


def test_only_a_document_or_pdf_of_the_folder_is_restored(tmp_path: Path) -> None:
    folder = _history_folder(tmp_path)
    _rebuilt_without_pdf(folder)
    for name in (MANIFEST, HISTORY_DIR):
        problem = _refusal(folder, name)
        assert problem.code == "restore"
        assert problem.message.startswith("Đây không phải một văn bản của thư mục")
        assert problem.location.file == (folder / name).as_posix()


@pytest.mark.parametrize(
    ("manifest", "said"),
    [
        (None, "Tệp manifest.json của thư mục không có nên chưa biết"),
        (b"\xef\xbb\xbf{}", "Tệp manifest.json của thư mục bị hỏng (có dấu BOM ở đầu tệp"),
    ],
    ids=["missing", "damaged"],
)
def test_without_a_readable_manifest_nothing_is_restored(
    tmp_path: Path, manifest: bytes | None, said: str
) -> None:
    folder = _history_folder(tmp_path)
    _rebuilt_without_pdf(folder)
    if manifest is None:
        (folder / MANIFEST).unlink()
    else:
        (folder / MANIFEST).write_bytes(manifest)
    problem = _refusal(folder)
    assert problem.code == "restore" and problem.message.startswith(said)
    assert problem.location.file == (folder / MANIFEST).as_posix()
    assert problem.hint == "Chạy: thidua build (ghi lại manifest.json), rồi khôi phục"


def test_a_newer_thidua_s_manifest_refuses_the_restore_with_its_own_error(tmp_path: Path) -> None:
    folder = _history_folder(tmp_path)
    _rebuilt_without_pdf(folder)
    (folder / MANIFEST).write_text('{"format": 99}', "utf-8")
    assert _refusal(folder).code == "manifest-newer"


@pytest.mark.parametrize("obstacle", ["directory", "read-only"])
def test_a_document_that_cannot_be_replaced_stops_the_restore(
    tmp_path: Path, obstacle: str
) -> None:
    folder = _history_folder(tmp_path)
    _rebuilt_without_pdf(folder)
    target = folder / DOCX
    if obstacle == "directory":
        target.unlink()
        target.mkdir()
        said = "Ở chỗ tệp này lại không phải một tệp thường"
    else:
        target.chmod(0o444)
        said = "Tệp này được đặt chỉ đọc (bản đã ký?)"
    problem = _refusal(folder)
    assert problem.code == "restore" and problem.message == f"{said}; chưa khôi phục gì"
    assert problem.location.file == target.as_posix()
    assert problem.hint == "Xem các bản đã cất: thidua lich-su"
