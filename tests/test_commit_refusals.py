"""A commit that must not happen writes nothing, in any folder (pipeline.output.staged), in the
build process itself: a folder whose plan fails, a read-only document, a history that is not a
folder. (The kill, Ctrl-C and full-disk cases run a real ``thidua`` child:
test_commit_kill.py, test_commit_full.py.)
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from pipeline.errors import Location, Problem, ThiduaError
from pipeline.output.staged import Change, FolderCommit, commit_folders


def _commit(folder: Path, build: int, *changes: tuple[str, bytes | None]) -> FolderCommit:
    return FolderCommit(folder, build, tuple(Change(p, d) for p, d in changes))


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file()}  # fmt: skip


def test_a_folder_whose_plan_fails_stops_every_folder(tmp_path: Path) -> None:
    # two units' folders in one run: the second's plan fails (its workbook is wrong); the first
    # folder, already existing, is not written, and the second, new, is not left behind empty
    first, second = tmp_path / "a", tmp_path / "b"
    commit_folders([first], lambda f: _commit(f, 1, ("x.docx", b"old")), print)
    wrong = Problem("error", "B9", "Điểm vượt điểm tối đa", "Sửa điểm.", Location(file="b.xlsx"))

    def plan(folder: Path) -> FolderCommit:
        if folder == second:
            raise ThiduaError([wrong])
        return _commit(folder, 2, ("x.docx", b"new"))

    with pytest.raises(ThiduaError) as caught:
        commit_folders([first, second], plan, print)
    assert list(caught.value.problems) == [wrong]
    assert _tree(first) == {"x.docx": b"old"}
    assert not second.exists()


def test_a_read_only_document_is_never_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    commit_folders([folder], lambda f: _commit(f, 1, ("a.docx", b"signed"), ("b.docx", b"b")),
                   print)  # fmt: skip
    os.chmod(folder / "a.docx", stat.S_IRUSR | stat.S_IRGRP)
    try:
        with pytest.raises(ThiduaError) as caught:
            commit_folders([folder], lambda f: _commit(f, 2, ("a.docx", b"new"), ("b.docx", b"B")),
                           print)  # fmt: skip
    finally:
        os.chmod(folder / "a.docx", stat.S_IRUSR | stat.S_IWUSR)
    [problem] = caught.value.problems
    assert problem.code == "read-only" and "chỉ đọc" in problem.message
    assert problem.location is not None and "a.docx" in str(problem.location)
    assert _tree(folder) == {"a.docx": b"signed", "b.docx": b"b"}


def test_a_file_where_the_history_folder_goes_stops_the_commit(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    commit_folders([folder], lambda f: _commit(f, 1, ("a.docx", b"one")), print)
    shutil.rmtree(folder / ".lich-su")  # a sync tool or a user replaced it with a file
    (folder / ".lich-su").write_bytes(b"not a folder")
    with pytest.raises(ThiduaError) as caught:
        commit_folders([folder], lambda f: _commit(f, 2, ("a.docx", b"two")), print)
    [problem] = caught.value.problems
    assert "không phải thư mục lịch sử của thidua" in problem.message
    assert (folder / "a.docx").read_bytes() == b"one"


def test_the_first_folder_s_plan_failing_is_reported_too(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    wrong = Problem("error", "B9", "Điểm vượt điểm tối đa", "Sửa điểm.", Location(file="a.xlsx"))

    def plan(folder: Path) -> FolderCommit:
        if folder == first:
            raise ThiduaError([wrong])
        return _commit(folder, 1, ("x.docx", b"new"))

    with pytest.raises(ThiduaError) as caught:
        commit_folders([first, second], plan, print)
    assert list(caught.value.problems) == [wrong]
    assert not first.exists() and not second.exists()


def test_a_history_entry_already_there_for_this_build_stops_the_commit(tmp_path: Path) -> None:
    # .lich-su/0002 left by a copied folder: build 2 would mix its replaced files into it
    folder = tmp_path / "out"
    commit_folders([folder], lambda f: _commit(f, 1, ("a.docx", b"one")), print)
    (folder / ".lich-su" / "0002").mkdir(parents=True)
    with pytest.raises(ThiduaError) as caught:
        commit_folders([folder], lambda f: _commit(f, 2, ("a.docx", b"two")), print)
    [problem] = caught.value.problems
    assert "đã có" in problem.message and "0002" in str(problem.location)
    assert (folder / "a.docx").read_bytes() == b"one"
