"""``thidua init``: a ready working folder: the sample and blank workbooks, a blank shared settings
file (docs/cai-dat-chung.md) and the templates.

I/O: reads the bundled files (:mod:`pipeline.resources`, which finds them in a source checkout
and in an installed wheel) and writes copies under the target folder. It never overwrites: every
target is checked first and, if any exists, nothing at all is written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pipeline.errors import Location, Problem, ThiduaError
from pipeline.output.staged import CREATED
from pipeline.resources import bundled_inputs_dir, bundled_templates_dir
from pipeline.workbook.schema import BLANK_FILE, SAMPLE_FILE, SHARED_FILE


def _generated(name: str) -> Callable[[], bytes]:
    """Bytes of a bundled workbook, generated when the bundled file is not there."""

    def make() -> bytes:
        from pipeline.workbook.sample import sample_sheets
        from pipeline.workbook.xlsx_write import workbook_bytes

        if name == SHARED_FILE:
            return workbook_bytes({}, shared=True)
        return workbook_bytes(sample_sheets() if name == SAMPLE_FILE else {})

    return make


def _plan(target: Path) -> list[tuple[Path, Callable[[], bytes]]]:
    """Every file ``init`` writes, with a way to get its bytes."""
    plan: list[tuple[Path, Callable[[], bytes]]] = []
    inputs = bundled_inputs_dir()
    for name in (SAMPLE_FILE, BLANK_FILE, SHARED_FILE):
        source = inputs / name
        reader = source.read_bytes if source.is_file() else _generated(name)
        plan.append((target / "inputs" / name, reader))
    templates = bundled_templates_dir()
    if templates.is_dir():
        for source in sorted(templates.glob("*.docx")):
            if source.name.startswith("~$"):  # Word's lock file of an open document
                continue
            plan.append((target / "templates" / "docx" / source.name, source.read_bytes))
    return plan


def init_project(target: Path) -> list[tuple[Path, str]]:
    """Create ``inputs/`` (sample and blank workbooks) and ``templates/docx/`` under ``target``.

    Returns each path written with the status ``"tạo mới"``. Raises
    :class:`~pipeline.errors.ThiduaError` listing every file that already exists (and writes
    nothing), or when a file cannot be written.
    """
    plan = _plan(target)
    existing = [path for path, _ in plan if path.exists()]
    if existing:
        raise ThiduaError(
            [
                Problem(
                    "error",
                    "init-exists",
                    "Tệp đã có, không ghi đè",
                    "Không tệp nào được tạo. Chọn thư mục khác (thidua init THU_MUC) hoặc đổi "
                    "tên, chuyển các tệp này đi rồi chạy lại.",
                    Location(file=str(path)),
                )
                for path in existing
            ]
        )
    written: list[tuple[Path, str]] = []
    for path, read in plan:
        try:
            data = read()
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("xb") as handle:  # "x": fail rather than overwrite
                handle.write(data)
        except OSError as exc:
            raise ThiduaError(
                Problem(
                    "error",
                    "init-write",
                    f"Không ghi được tệp ({exc.strerror or exc})",
                    "Kiểm tra quyền ghi vào thư mục và chỗ trống trên đĩa."
                    + (f" Đã tạo: {', '.join(str(p) for p, _ in written)}." if written else ""),
                    Location(file=str(path)),
                )
            ) from None
        written.append((path, CREATED))
    return written
