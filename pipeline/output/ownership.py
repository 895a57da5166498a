"""Whose output folder it is, and whether a build may write into it.

A folder ``outputs/<năm>/<cụm>/`` belongs to one cluster and year, built from one workbook; its
manifest records that owner (:class:`~pipeline.output.manifest.Owner`). A build for someone else
is refused before anything is written (:func:`check_owner`).

**The workbook's identity** is *the file the folder is built from*: its location (recorded
relative to the folder, so that moving the whole working folder, or opening it from another PC
of the share, keeps it) and, when that location no longer holds a file, its name. A workbook is
the same workbook across every edit of its cells (its content is not its identity: correcting a
score is the whole point of rebuilding).

A **legitimate change of workbook** is one where the previous workbook is no longer where it was:
it was renamed (``cum-2013.xlsx`` → ``cum-2013-ban-sua.xlsx``), moved, or replaced by a corrected
copy with the old one moved out of ``inputs/``. The build says so in a note. While the previous
workbook is still there, a second workbook of the same cluster and year is refused: building the
two one after the other would make each overwrite the other's documents.

A **change of cluster name** in the same workbook (a spelling corrected) keeps the folder when
the new name folds to the same folder name, with a note; another workbook with another cluster
name is someone else, refused.

I/O: looks whether the recorded workbook still exists (``os.path.samefile``).
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import Location, Problem
from pipeline.output.manifest import Owner
from pipeline.output.names import name_key


def workbook_location(workbook: Path, folder: Path) -> str | None:
    """Where the workbook is, seen from the output folder: a relative POSIX path when both are
    on one drive, else the absolute path."""
    try:
        target = os.path.abspath(workbook)
        return Path(os.path.relpath(target, os.path.abspath(folder))).as_posix()
    except ValueError:  # Windows: another drive
        return Path(os.path.abspath(workbook)).as_posix()


def owner_of(cluster: str, year: int, workbook: Path, folder: Path) -> Owner:
    """The owner a build of ``workbook`` (cluster ``cluster``, ``year``) records in ``folder``."""
    return Owner(cluster, year, workbook.name, workbook_location(workbook, folder))


def same_cluster(a: str, b: str) -> bool:
    """Cluster names equal up to case, Unicode form and spacing.

    >>> same_cluster("Cụm thi đua  số 1", "cụm thi đua số 1"), same_cluster("Cụm 1", "Cụm 2")
    (True, False)
    """

    def key(name: str) -> str:
        return " ".join(unicodedata.normalize("NFC", name).casefold().split())

    return key(a) == key(b)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The answer of :func:`check_owner`: an error that refuses the build, or a note to print
    (or neither)."""

    problem: Problem | None = None
    note: str | None = None


def _recorded_path(recorded: Owner, folder: Path) -> Path | None:
    if recorded.location is None:
        return None
    location = Path(recorded.location)
    return location if location.is_absolute() else folder / location


def _is_file(path: Path | None) -> bool:
    try:
        return path is not None and path.is_file()
    except OSError:
        return False


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_owner(folder: Path, recorded: Owner | None, mine: Owner, workbook: Path) -> Verdict:
    """May ``workbook`` (owner ``mine``) be built into ``folder``, recorded as ``recorded``?

    See the module docstring for the rules.
    """
    if recorded is None or recorded.year != mine.year:
        return Verdict()
    previous = _recorded_path(recorded, folder)
    there = _is_file(previous)
    if there:
        assert previous is not None
        same_workbook = _same_file(previous, workbook)
    else:
        same_workbook = name_key(recorded.workbook) == name_key(mine.workbook)
    cluster_same = same_cluster(recorded.cluster, mine.cluster)
    shown = folder.as_posix()
    if same_workbook:
        if cluster_same:
            return Verdict()
        return Verdict(
            note=f"Lưu ý: tên cụm trong {mine.workbook} đã đổi từ «{recorded.cluster}» thành "
            f"«{mine.cluster}»; văn bản vẫn ở {shown}."
        )
    where = f" (vẫn còn ở {previous.as_posix()})" if there and previous is not None else ""
    if cluster_same and not there:
        return Verdict(
            note=f"Lưu ý: {shown} trước đây lập từ workbook {recorded.workbook}, nay lập từ "
            f"{mine.workbook} ({recorded.workbook} không còn ở chỗ cũ nên {mine.workbook} được "
            "coi là workbook thay thế nó)."
        )
    if cluster_same:
        return Verdict(
            Problem(
                "error",
                "other-workbook",
                f"Thư mục {shown} đã được lập từ workbook {recorded.workbook}{where}; "
                f"{mine.workbook} cũng là của {mine.cluster}, năm {mine.year}, nên lập nó sẽ "
                "ghi đè văn bản của workbook kia (không tệp nào được ghi)",
                f"Nếu {mine.workbook} thay cho {recorded.workbook}: chuyển {recorded.workbook} "
                "ra khỏi thư mục của nó (hoặc đổi tên để bắt đầu bằng _), rồi chạy lại. Nếu hai "
                f"workbook là của hai cụm khác nhau: sửa Tên cụm thi đua hoặc Năm trong "
                f"{mine.workbook}. Hoặc lập vào thư mục khác: thidua build -o THU_MUC_KHAC "
                f'"{workbook}"',
                Location(file=str(workbook)),
            )
        )
    return Verdict(
        Problem(
            "error",
            "other-owner",
            f"Thư mục {shown} là của «{recorded.cluster}» (workbook {recorded.workbook}"
            f"{where}), không phải của «{mine.cluster}»: hai tên cụm cho cùng một tên thư mục "
            "(không tệp nào được ghi)",
            f"Lập {mine.workbook} vào thư mục khác: thidua build -o THU_MUC_KHAC \"{workbook}\". "
            "Nếu đây đúng là cụm đó nhưng đã đổi tên và đổi cả workbook: chuyển thư mục "
            f"{shown} đi chỗ khác (hoặc đổi tên nó), rồi chạy lại.",
            Location(file=str(workbook)),
        )
    )
