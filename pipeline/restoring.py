"""``thidua lich-su`` (history) and ``thidua khoi-phuc`` (restore): runs of their own.

``lich-su`` lists, for each output folder, every build (newest first) with what it wrote and
what it kept in ``.lich-su/<build>/``, then the files now there with the build that made each
(and whether it was edited since). ``khoi-phuc`` puts a kept version back, as a commit like a
build's (:mod:`pipeline.output.restore`): the file it replaces is kept first.

Both first repair what an interrupted commit left in the folder (:func:`~pipeline.output.
journal.recover`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from pipeline import __version__
from pipeline.errors import Location, Problem, ThiduaError, format_problems
from pipeline.output import files
from pipeline.output.history import HISTORY_DIR, build_numbers, listing, read_history
from pipeline.output.journal import recover
from pipeline.output.manifest import MANIFEST, read_manifest
from pipeline.output.restore import RestorePlan, plan_restore
from pipeline.output.staged import FolderCommit, commit_folders

Echo = Callable[[str], object]


def _is_output_folder(path: Path) -> bool:
    return files.kind(path / MANIFEST) != files.MISSING or bool(build_numbers(path))


def _folders(targets: Sequence[Path], out_dir: Path) -> list[Path]:
    """The output folders named (a folder, or a workbook whose folder it is), or all of
    ``out_dir``'s."""
    if not targets:
        found = sorted(
            p for p in out_dir.glob("*/*") if files.kind(p) == "directory" and _is_output_folder(p)
        )
        if not found:
            raise ThiduaError(_problem(out_dir, "Chưa có thư mục văn bản nào", "thidua build"))
        return found
    folders = []
    problems: list[Problem] = []
    for target in targets:
        if target.suffix.lower() == ".xlsx" and target.is_file():
            folders.append(_workbook_folder(target, out_dir))
        elif files.kind(target) == "directory" and _is_output_folder(target):
            folders.append(target)
        else:
            problems.append(
                _problem(
                    target,
                    "Không phải thư mục văn bản của thidua (không có manifest.json) cũng không "
                    "phải workbook",
                    "thidua lich-su (mọi thư mục trong outputs/), hoặc chỉ rõ thư mục "
                    "outputs/<năm>/<cụm> hay tệp workbook .xlsx",
                )
            )
    if problems:
        raise ThiduaError(problems)
    return folders


def _workbook_folder(workbook: Path, out_dir: Path) -> Path:
    from pipeline.output.names import output_folder
    from pipeline.workbook.loader import load

    dossier, problems = load(workbook)
    if dossier is None:
        raise ThiduaError(problems)
    return output_folder(out_dir, dossier.cluster.name, dossier.cluster.year)


def history(targets: Sequence[Path], out_dir: Path, echo: Echo = print) -> None:
    """Print the history of each output folder (``thidua lich-su``)."""
    for folder in _folders(targets, out_dir):
        recover(folder, echo)
        shown = folder.as_posix()
        echo(f"{shown}/")
        read = read_manifest(folder)
        problem = read.problem()
        if problem is not None:
            echo(format_problems([problem]))
        records, problems = read_history(folder)
        if problems:
            echo(format_problems(problems))
        manifest = read.manifest
        if manifest is not None and manifest.owner is not None:
            owner = manifest.owner
            echo(
                f"  «{owner.cluster}», năm {owner.year} · workbook {owner.workbook} · lần lập "
                f"hiện tại: {manifest.build}"
            )
        for line in listing(records):
            echo(f"  {line}")
        if not records:
            echo("  (chưa có lần lập nào được ghi vào lịch sử)")
        if manifest is not None and manifest.outputs:
            echo("  Hiện có:")
            for record in manifest.outputs:
                found = files.read_regular(folder / record.path)
                made = f"lần lập {record.build}" if record.build else "trước khi có lịch sử"
                if found.why == files.MISSING:
                    state = ", không còn trong thư mục"
                elif found.sha256 != record.sha256:
                    state = ", đã bị sửa sau đó"
                else:
                    state = ""
                echo(f"      {record.path} ({made}{state})")
        if records:
            echo(
                f'  Lấy lại một bản đã cất: thidua khoi-phuc "{shown}/TEN_TEP" --lan SO '
                f"(các bản nằm trong {shown}/{HISTORY_DIR}/)"
            )


def _restore_target(target: Path) -> tuple[Path, str, int | None]:
    """(folder, file name, build) for ``outputs/…/x.docx`` or ``outputs/…/.lich-su/0003/x.docx``."""
    parent = target.parent
    if parent.parent.name == HISTORY_DIR and parent.name.isdigit():
        return parent.parent.parent, target.name, int(parent.name)
    return parent, target.name, None


def restore(
    target: Path, build: int | None, echo: Echo = print, *, now: str | None = None
) -> RestorePlan:
    """Put back a kept version of ``target`` (``thidua khoi-phuc``); return what was done."""
    folder, name, from_path = _restore_target(target)
    build = build if build is not None else from_path
    if not _is_output_folder(folder):
        raise ThiduaError(
            _problem(target, "Tệp này không nằm trong một thư mục văn bản của thidua", "")
        )
    when = now or dt.datetime.now().astimezone().isoformat(timespec="seconds")
    recover(folder, echo)
    done: list[RestorePlan] = []

    def plan_locked(path: Path) -> FolderCommit | None:
        plan = plan_restore(path, name, build, version=__version__, now=when)
        done.append(plan)
        return plan.commit()

    commit_folders([folder], plan_locked, echo)
    plan = done[-1]
    kept = plan.version
    if not plan.changes:
        echo(
            f"{'không đổi':<10} {(folder / name).as_posix()} đã đúng là bản cất ở lần lập "
            f"{kept.record.build}."
        )
        return plan
    for file_name, status in plan.lines:
        echo(f"{status:<10} {(folder / file_name).as_posix()}")
    echo(
        f"Đã khôi phục {name} từ {folder.as_posix()}/{kept.path} (lần lập {plan.build}); bản "
        f"vừa bị thay được cất trong {folder.as_posix()}/{HISTORY_DIR}/{plan.build:04d}/."
    )
    return plan


def _problem(path: Path, message: str, fix: str) -> Problem:
    return Problem(
        "error",
        "history",
        message,
        f"Chạy: {fix}" if fix else "Chỉ rõ một tệp trong outputs/<năm>/<cụm>/.",
        Location(file=path.as_posix()),
    )
