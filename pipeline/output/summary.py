"""The closing summary of a build, in the secretary's words.

Pure: no I/O; :func:`summary_lines` gives the lines, the caller prints them. After the status of
every file the build prints what the run came to: how many workbooks, which were not built and
why (each is its own unit of work, so the others were built), how many documents were created,
updated or left unchanged, how many PDFs, how many notes were shown, and where the files are.

>>> from pathlib import Path
>>> run = RunSummary(
...     workbooks=("a.xlsx", "b.xlsx"),
...     not_built=(("b.xlsx", 2),),
...     statuses=((Path("out/a/01.docx"), "tạo mới"), (Path("out/a/manifest.json"), "tạo mới")),
...     warnings=0,
...     notes=1,
...     folders=(Path("out/a"),),
... )
>>> print("\\n".join(summary_lines(run)))
Kết quả: 2 workbook; lập được 1, không lập được 1.
  Văn bản: 1 (tạo mới 1, cập nhật 0, không đổi 0).
  Cảnh báo: 0; lưu ý: 1 (in ở trên).
  Không lập được: b.xlsx (2 lỗi) — xem các lỗi in bên dưới, sửa rồi chạy lại.
  Thư mục văn bản: out/a
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.output.report import COMPARE_DIR
from pipeline.output.staged import CREATED, UNCHANGED, UPDATED

__all__ = ["RunSummary", "summary_lines"]

#: Beyond this many output folders the summary names their common parent instead.
MAX_FOLDERS_SHOWN = 6


@dataclass(frozen=True, slots=True)
class RunSummary:
    """What one build did.

    ``workbooks`` are the names of every workbook of the run, in order; ``not_built`` the name and
    error count of each one that was not built; ``statuses`` every file written (or left
    unchanged) with its status (:data:`~pipeline.output.staged.CREATED` …), manifests included;
    ``warnings`` and ``notes`` the number of warnings and notes shown; ``folders`` the output
    folders written.
    """

    workbooks: tuple[str, ...]
    not_built: tuple[tuple[str, int], ...]
    statuses: tuple[tuple[Path, str], ...]
    warnings: int
    notes: int
    folders: tuple[Path, ...]


def _signed(path: Path, suffix: str) -> bool:
    """Whether ``path`` is one of a folder's documents (or PDFs) of that kind: not a
    tracked-changes copy in ``so-sanh/``."""
    return path.suffix == suffix and path.parent.name != COMPARE_DIR


def summary_lines(run: RunSummary) -> list[str]:
    """The summary, one line each (the first unindented)."""
    total = len(run.workbooks)
    failed = len(run.not_built)
    head = f"Kết quả: {total} workbook; lập được {total - failed}"
    lines = [head + (f", không lập được {failed}." if failed else ".")]
    # the documents and their PDFs; not the manifest, the change report's files, the copies
    documents = [(p, s) for p, s in run.statuses if _signed(p, ".docx")]
    pdfs = [(p, s) for p, s in run.statuses if _signed(p, ".pdf")]
    if documents or not failed:
        lines.append(
            f"  Văn bản: {_counted(documents)}" + (f"; PDF: {_counted(pdfs)}." if pdfs else ".")
        )
    if run.warnings or run.notes:
        lines.append(f"  Cảnh báo: {run.warnings}; lưu ý: {run.notes} (in ở trên).")
    if failed:
        named = ", ".join(f"{name} ({count} lỗi)" for name, count in run.not_built)
        lines.append(f"  Không lập được: {named} — xem các lỗi in bên dưới, sửa rồi chạy lại.")
    if run.folders:
        lines.append(f"  Thư mục văn bản: {_where(run.folders)}")
    return lines


def _counted(statuses: Sequence[tuple[Path, str]]) -> str:
    counts = Counter(status for _, status in statuses)
    parts = ", ".join(f"{word} {counts[word]}" for word in (CREATED, UPDATED, UNCHANGED))
    return f"{len(statuses)} ({parts})"


def _where(folders: Sequence[Path]) -> str:
    """The folders, or their common parent and how many when there are many."""
    if len(folders) <= MAX_FOLDERS_SHOWN:
        return ", ".join(f.as_posix() for f in folders)
    parents = {f.parent for f in folders}
    common = parents.pop() if len(parents) == 1 else Path(*_common_parts(folders))
    return f"{len(folders)} thư mục trong {common.as_posix()}"


def _common_parts(folders: Sequence[Path]) -> list[str]:
    first, *rest = (f.parts for f in folders)
    common: list[str] = []
    for index, part in enumerate(first):
        if all(len(p) > index and p[index] == part for p in rest):
            common.append(part)
        else:
            break
    return common or ["."]
