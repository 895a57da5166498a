"""The change report's files: the snapshot beside the manifest, the dated report, the
tracked-changes copies (``--so-sanh``), and the whole run for machines (``--json``).

I/O: reads the folder's previous snapshot and documents; writing is the caller's (a staged
commit). The wording is :mod:`pipeline.output.changes` (pure); the facts are
:mod:`pipeline.documents.facts`.

Tracked changes are made by python-redlines with its Docxodus engine (MIT; a self-contained
.NET program shipped in the wheel), an optional extra: ``pip install 'thidua[so-sanh]'``. Its
output holds native ``w:ins``/``w:del`` revisions, so Word's and LibreOffice's Accept/Reject
work; the revision date is fixed (``REVISION_DATE``), so the same two versions give the same
bytes (shared/reference/archive-and-regeneration.md §4).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from pipeline.errors import Location, Problem
from pipeline.output.changes import ClusterChanges, report_data
from pipeline.output.staged import CREATED, UNCHANGED, UPDATED

#: The snapshot of the printed facts, beside ``manifest.json``.
SNAPSHOT = "du-lieu-in.json"
#: Where the tracked-changes copies go, inside the cluster's folder.
COMPARE_DIR = "so-sanh"
#: The revision author and date written into tracked changes (a fixed date: deterministic).
REVISION_AUTHOR = "thidua"
REVISION_DATE = "2000-01-01T00:00:00Z"


def previous_bytes(path: Path) -> bytes | None:
    """The bytes of a file a build may replace (``None`` when there is none)."""
    try:
        return path.read_bytes()
    except OSError:
        return None


def planned_status(target: Path, data: bytes) -> str:
    """What writing ``data`` to ``target`` would be: ``tạo mới``, ``cập nhật`` or ``không đổi``
    (the words of :mod:`pipeline.output.staged`), without writing anything."""
    current = previous_bytes(target)
    if current is None:
        return CREATED
    return UNCHANGED if current == data else UPDATED


def report_path(folder: Path, today: dt.date) -> Path:
    """``thay-doi-2026-12-02.md`` in ``folder``; ``…-2.md``, ``…-3.md`` for later builds that
    day, so an earlier report is never overwritten."""
    stem = f"thay-doi-{today.isoformat()}"
    candidate = folder / f"{stem}.md"
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{number}.md"
        number += 1
    return candidate


def compare_path(target: Path) -> Path:
    """Where the tracked-changes copy of ``target`` goes: ``so-sanh/<name>``."""
    return target.parent / COMPARE_DIR / target.name


def redline_missing() -> Problem | None:
    """A note when the tracked-changes engine is not installed (``None`` when it is)."""
    try:
        from python_redlines.engines import DocxodusEngine  # noqa: F401
    except ImportError:
        return Problem(
            "warning",
            "so-sanh-thieu",
            "Chưa cài công cụ so sánh văn bản (python-redlines): không tạo được bản so sánh có "
            "đánh dấu thay đổi; báo cáo thay đổi số liệu ở trên vẫn đầy đủ",
            'Cài bằng lệnh: pip install "thidua[so-sanh]" rồi chạy lại với --so-sanh.',
            Location(placeholder="--so-sanh"),
        )
    return None


def tracked_changes(old: bytes, new: bytes, name: str) -> tuple[bytes | None, Problem | None]:
    """A copy of ``new`` with Word tracked changes against ``old`` (python-redlines, Docxodus).

    Returns ``(None, problem)`` when the engine is missing or fails; the build goes on (the data
    report stays the reference).
    """
    missing = redline_missing()
    if missing is not None:
        return None, missing
    from python_redlines.engines import DocxodusEngine, EngineExecutionError

    try:
        data, _, _ = DocxodusEngine().run_redline(
            REVISION_AUTHOR, old, new, date_time=REVISION_DATE
        )
    except (EngineExecutionError, OSError, RuntimeError) as exc:
        return None, Problem(
            "warning",
            "so-sanh-loi",
            f"Không tạo được bản so sánh có đánh dấu thay đổi: {exc}",
            "Xem báo cáo thay đổi số liệu ở trên; trên Linux cần thư viện ICU (libicu) hoặc "
            "đặt biến DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1.",
            Location(file=name),
        )
    return bytes(data), None


def run_json(
    statuses: Sequence[tuple[Path, str]],
    reports: Sequence[ClusterChanges],
    problems: Sequence[Problem],
    *,
    dry_run: bool = False,
    lines: Sequence[str] = (),
) -> str:
    """The whole run for machines: every file with its status, the change reports, problems."""
    data: Mapping[str, object] = {
        "xem_truoc": dry_run,
        "tep": [{"duong_dan": p.as_posix(), "trang_thai": s} for p, s in statuses],
        "tao_moi": sum(1 for _, s in statuses if s == CREATED),
        "cap_nhat": sum(1 for _, s in statuses if s == UPDATED),
        "khong_doi": sum(1 for _, s in statuses if s == UNCHANGED),
        "thay_doi": report_data(reports),
        "van_de": [p.as_dict() for p in problems],
        "thong_bao": list(lines),
    }
    return json.dumps(data, ensure_ascii=False, indent=2)
