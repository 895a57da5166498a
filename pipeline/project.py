"""The working folder: ``thidua init``, finding it from a workbook, refreshing its templates.

A working folder, as ``thidua init`` makes it::

    cum-2025/
      inputs/_mau-trong.xlsx       the blank workbook: copy it, rename it, fill it in
      inputs/_cai-dat-chung.xlsx   the blank shared settings file (docs/cai-dat-chung.md)
      vi-du/<sample>.xlsx          the Lạng Sơn 2013 sample, built only on purpose
      templates/docx/*.docx        the Word templates, which the user may edit
      tai-lieu/*.md                the documentation (resources.USER_DOCS)
      outputs/                     what ``thidua build`` writes

``inputs/`` holds only the user's workbooks and the shared settings they use, because
``thidua build`` builds every workbook there:
the sample lives in ``vi-du/`` so that it never lands in the user's outputs by surprise.

I/O: reads the bundled files (:mod:`pipeline.resources`, which finds them in a source checkout
and in an installed wheel) and writes under the target folder. ``init`` never overwrites: every
target is checked first and, if any exists, nothing at all is written. ``templates cap-nhat``
never loses a file: a template the user edited stays where it is (see :func:`update_templates`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline import __version__
from pipeline.errors import Location, Problem, ThiduaError
from pipeline.output.batch import StagedWrite
from pipeline.output.staged import CREATED, UNCHANGED
from pipeline.resources import (
    USER_DOCS,
    bundled_docs_dir,
    bundled_inputs_dir,
    bundled_templates_dir,
)
from pipeline.shipped_templates import SHIPPED
from pipeline.workbook.schema import BLANK_FILE, SAMPLE_FILE, SHARED_FILE

#: The folders of a working folder.
INPUTS = "inputs"
EXAMPLES = "vi-du"
DOCS = "tai-lieu"
TEMPLATES = Path("templates") / "docx"
OUTPUTS = "outputs"
#: Status of a template the user edited, kept by ``templates cap-nhat``.
KEPT = "giữ bản sửa"


def _generated(name: str) -> Callable[[], bytes]:
    """Bytes of a bundled workbook, generated when the bundled file is not there."""

    def make() -> bytes:
        from pipeline.workbook.sample import sample_sheets
        from pipeline.workbook.xlsx_write import workbook_bytes

        if name == SHARED_FILE:
            return workbook_bytes({}, shared=True)
        return workbook_bytes(sample_sheets() if name == SAMPLE_FILE else {})

    return make


def bundled_templates() -> list[Path]:
    """The bundled ``*.docx`` templates, without Word's ``~$`` lock files."""
    folder = bundled_templates_dir()
    if not folder.is_dir():
        return []
    return [p for p in sorted(folder.glob("*.docx")) if not p.name.startswith("~$")]


def _plan(target: Path) -> list[tuple[Path, Callable[[], bytes]]]:
    """Every file ``init`` writes, with a way to get its bytes."""
    plan: list[tuple[Path, Callable[[], bytes]]] = []
    inputs = bundled_inputs_dir()
    for folder, name in ((INPUTS, BLANK_FILE), (INPUTS, SHARED_FILE), (EXAMPLES, SAMPLE_FILE)):
        source = inputs / name
        reader = source.read_bytes if source.is_file() else _generated(name)
        plan.append((target / folder / name, reader))
    for source in bundled_templates():
        plan.append((target / TEMPLATES / source.name, source.read_bytes))
    docs = bundled_docs_dir()
    for file_name, _ in USER_DOCS.values():
        source = docs / file_name
        if source.is_file():
            plan.append((target / DOCS / file_name, source.read_bytes))
    return plan


def init_project(target: Path) -> list[tuple[Path, str]]:
    """Create a working folder under ``target`` (see the module's docstring).

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
                    "tên, chuyển các tệp này đi rồi chạy lại. Sau khi nâng cấp thidua, cập nhật "
                    "mẫu bằng: thidua templates cap-nhat",
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


def next_steps(target: Path) -> list[str]:
    """What to do after ``init``, as lines to print: which file to copy, what to run."""
    here = target.as_posix()
    enter = [] if here in ("", ".") else [f"  cd {_quoted(here)}"]
    return [
        "",
        "Các bước tiếp theo:",
        *enter,
        f"  1. Chép {INPUTS}/{BLANK_FILE} thành một tệp mới trong {INPUTS}/, tên không bắt",
        f"     đầu bằng _ (ví dụ {INPUTS}/cum-thi-dua-2025.xlsx), mở bằng Excel, nhập số liệu.",
        f"  2. thidua check    kiểm tra mọi workbook trong {INPUTS}/, xem xếp hạng; sửa đến khi",
        "                     hết lỗi",
        f"  3. thidua build    lập bốn văn bản vào {OUTPUTS}/",
        f"  Xem thử ví dụ:     thidua build {EXAMPLES}/{SAMPLE_FILE}",
        f"  Đọc hướng dẫn:     thidua tai-lieu (hoặc mở thư mục {DOCS}/)",
    ]


def _quoted(path: str) -> str:
    """A path as typed in cmd.exe, PowerShell or a POSIX shell: in double quotes if it has a
    space."""
    return f'"{path}"' if " " in path else path


# --- which working folder a run uses -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RunFolders:
    """Where a build reads its templates and writes its documents.

    ``working`` is the working folder, ``templates`` the folder of templates used (the working
    folder's ``templates/docx`` or the bundled ones: ``bundled``), ``outputs`` the output
    folder.
    """

    working: Path
    templates: Path
    bundled: bool
    outputs: Path

    def lines(self, *, outputs: bool = True) -> list[str]:
        """One line for the templates and one for the outputs, as a run announces them."""
        if self.bundled:
            where = _shown(self.working)
            templates = (
                f"Mẫu văn bản: mẫu có sẵn của thidua {__version__} ({self.templates.as_posix()}),"
                f" vì {_shown(self.working / TEMPLATES)}/ không có mẫu nào"
                + ("" if where == "." else f" (thư mục làm việc: {where})")
            )
        else:
            templates = f"Mẫu văn bản: {_shown(self.templates)}/"
        lines = [templates]
        if outputs:
            lines.append(f"Ghi văn bản vào: {_shown(self.outputs)}/")
        return lines


def _shown(path: Path) -> str:
    return path.as_posix()


def working_folder_of(workbook: Path) -> Path | None:
    """The working folder a workbook belongs to: ``X`` for ``X/inputs/…`` or ``X/vi-du/…``
    (the folders ``init`` makes); ``None`` for a workbook anywhere else.

    >>> working_folder_of(Path("cum-2025/inputs/cum.xlsx")).as_posix()
    'cum-2025'
    >>> working_folder_of(Path("inputs/cum.xlsx")).as_posix()
    '.'
    >>> working_folder_of(Path("Desktop/cum.xlsx")) is None
    True
    """
    folder = workbook.parent
    if folder.name.casefold() in (INPUTS, EXAMPLES):
        return folder.parent
    return None


def run_folders(
    workbooks: Sequence[Path],
    output: Path | None,
    templates: Path | None = None,
    *,
    here: Path = Path("."),
) -> RunFolders:
    """The folders a run over ``workbooks`` uses: the working folder found from the workbooks'
    location (:func:`working_folder_of`; the current folder ``here`` when they are elsewhere or
    none is named), its ``templates/docx`` when it holds templates (else the bundled ones) and
    its ``outputs/``, unless ``output`` or ``templates`` name folders of their own (``templates``
    may name a working folder too: its ``templates/docx`` is used then).

    Raises :class:`ThiduaError` when the workbooks belong to different working folders.
    """
    from pipeline.documents.templates import find_templates

    found = {folder for folder in map(working_folder_of, workbooks) if folder is not None}
    if len(found) > 1:
        raise ThiduaError(
            Problem(
                "error",
                "several-folders",
                "Các workbook thuộc nhiều thư mục làm việc khác nhau: "
                + ", ".join(sorted(p.as_posix() for p in found)),
                "Lập riêng từng thư mục: thidua build THU_MUC/inputs/TEP.xlsx",
            )
        )
    working = found.pop() if found else here
    if templates is not None and find_templates(templates / TEMPLATES):
        working, templates = templates, templates / TEMPLATES  # a working folder, named
    if templates is None:
        local = working / TEMPLATES
        bundled = not find_templates(local)
        templates = bundled_templates_dir() if bundled else local
    else:
        bundled = False
    return RunFolders(working, templates, bundled, output or working / OUTPUTS)


# --- thidua templates cap-nhat ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TemplateUpdate:
    """What ``templates cap-nhat`` did to one bundled template: ``status`` of ``path`` (the
    working folder's copy), and for a template the user edited, ``new_copy``, where the new
    version was written instead."""

    path: Path
    status: str
    new_copy: Path | None = None

    def line(self) -> str:
        if self.new_copy is None:
            return f"{self.status:<11} {self.path.as_posix()}"
        return (
            f"{self.status:<11} {self.path.as_posix()} (đã được sửa tay: giữ nguyên); "
            f"mẫu mới ở {self.new_copy.as_posix()}"
        )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _copy_name(folder: Path, name: str, data: bytes) -> Path:
    """Where the new version of an edited template goes: ``folder/name``, unless a different
    file is already there (then ``name`` with ``-2``, ``-3``… before ``.docx``)."""
    candidate = folder / name
    number = 1
    while candidate.exists() and candidate.read_bytes() != data:
        number += 1
        candidate = folder / f"{Path(name).stem}-{number}{Path(name).suffix}"
    return candidate


def update_templates(target: Path) -> list[TemplateUpdate]:
    """Bring the bundled templates of the working folder ``target`` up to this version.

    For each bundled template, ``target/templates/docx/<name>`` is written when it is missing
    (``tạo mới``), replaced when it equals a version thidua shipped (:data:`SHIPPED`: the user
    never edited it; ``cập nhật``), and left alone when it is already this version
    (``không đổi``). Any other file is the user's work: it stays where it is (the build keeps
    using it) and the new version is written to ``templates/mau-moi-<version>/<name>``, a
    folder the build does not read (``giữ bản sửa``). Templates of the user's own (other names)
    are not touched. All files are written together
    (:class:`~pipeline.output.batch.StagedWrite`).

    Raises :class:`ThiduaError` when ``target`` has no ``templates/docx`` folder (not a working
    folder) or a file cannot be written.
    """
    folder = target / TEMPLATES
    if not folder.is_dir():
        raise ThiduaError(
            Problem(
                "error",
                "no-working-folder",
                "Không phải thư mục làm việc: không có templates/docx/",
                "Chạy lệnh trong thư mục do thidua init tạo (cd THU_MUC), hoặc chỉ rõ nó: "
                "thidua templates cap-nhat THU_MUC",
                Location(file=target.as_posix()),
            )
        )
    copies = target / "templates" / f"mau-moi-{__version__}"
    batch = StagedWrite()
    kept: dict[Path, Path] = {}
    for source in bundled_templates():
        data = source.read_bytes()
        mine = folder / source.name
        if mine.is_file():
            current = mine.read_bytes()
            edited = current != data and _sha256(current) not in SHIPPED.get(source.name, ())
            if edited:
                copy = _copy_name(copies, source.name, data)
                kept[copy] = mine
                batch.add(copy, data)
                continue
        batch.add(mine, data)
    report: list[TemplateUpdate] = []
    for path, status in batch.commit():
        if path in kept:
            report.append(TemplateUpdate(kept[path], KEPT, path))
        else:
            report.append(TemplateUpdate(path, status))
    return report


def update_summary(report: Sequence[TemplateUpdate]) -> list[str]:
    """The closing lines of ``templates cap-nhat``: what to do about the kept templates."""
    if any(item.status == KEPT for item in report):
        return [
            "",
            "Mẫu đã sửa tay vẫn được dùng khi lập văn bản. Mở mẫu mới và mẫu của mình bằng Word, "
            "chép phần đã sửa sang mẫu mới rồi đặt nó vào templates/docx/ (hoặc giữ mẫu cũ), "
            "sau đó chạy: thidua templates check",
        ]
    if all(item.status == UNCHANGED for item in report):
        return ["Các mẫu đã là phiên bản mới nhất."]
    return []
