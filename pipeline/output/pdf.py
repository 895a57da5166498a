"""PDF copies of the generated documents, through LibreOffice headless.

One ``soffice`` process per core converts the batch, each its share in one call (measured: 20
documents in one call 2,3 s, in 20 calls 16,6 s; LibreOffice converts on one core, so a 2-core
machine runs two, each with its own profile). LibreOffice writes every PDF into one folder,
while a batch may span several output folders with the same file names, so the documents are
copied under unique names into a private folder, converted there, and the PDFs handed back as
bytes for the caller's atomic writes.

Where Times New Roman is not installed (Linux), fontconfig picks a stand-in; we name it, and warn
when it lacks Vietnamese letters (Debian's ``fonts-liberation`` 1.x lacks 51 of them, and the PDF
then mixes typefaces inside words; ``fonts-liberation2`` has them all).

Archived PDFs are PDF/A-2b (ISO 19005-2, level B: the look of every page preserved; fonts
embedded, no encryption, no external content, XMP metadata declaring ``pdfaid:part`` 2 and
``pdfaid:conformance`` B): ``convert_to_pdf(..., pdfa=True)`` asks LibreOffice's
``writer_pdf_Export`` filter for ``SelectPdfVersion`` 2, through the JSON filter options of
``--convert-to`` (LibreOffice 7.4 and later). PDF/A-2 rather than PDF/A-1: it allows the
transparency and OpenType fonts of current documents, and is what archives accept today.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from pipeline.errors import Location, Problem, ThiduaError

#: Letters every Vietnamese document needs: ơ, ư and the whole block Ạ…ỹ.
_VIETNAMESE_CHARSET = "1a0-1a1 1af-1b0 1ea0-1ef9"
_WINDOWS_CANDIDATES = (
    Path(os.environ.get("PROGRAMFILES", r"C:\Program Files")) / "LibreOffice/program/soffice.exe",
    Path(os.environ.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)"))
    / "LibreOffice/program/soffice.exe",
)


def find_soffice() -> str | None:
    """The LibreOffice executable: ``$THIDUA_SOFFICE``, then ``soffice`` on PATH, then the usual
    Windows install folders."""
    configured = os.environ.get("THIDUA_SOFFICE")
    if configured:
        return configured if Path(configured).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((str(p) for p in _WINDOWS_CANDIDATES if p.is_file()), None)


def font_report(family: str = "Times New Roman") -> Problem | None:
    """Which font stands in for ``family`` in PDFs, as an info (or a warning when it lacks
    Vietnamese letters); ``None`` where fontconfig is absent (Windows has the real font)."""
    if shutil.which("fc-match") is None:
        return None
    try:
        matched = _run(["fc-match", "-f", "%{family}|%{file}", family]).split("|", 1)
        covering = _run(["fc-list", f":charset={_VIETNAMESE_CHARSET}", "file"])
    except (OSError, subprocess.SubprocessError):
        return None
    if len(matched) != 2:
        return None
    name, file = matched
    covering_files = {line.rstrip(": ").strip() for line in covering.splitlines()}
    if name.split(",")[0].strip().lower() == family.lower():
        return None
    if file in covering_files:
        return Problem(
            "info",
            "pdf-font",
            f"Máy này không có phông {family}; PDF dùng phông thay thế {name} (cùng kích thước "
            "chữ, đủ dấu tiếng Việt)",
            "",
        )
    return Problem(
        "warning",
        "pdf-font",
        f"Máy này không có phông {family}; phông thay thế {name} thiếu chữ tiếng Việt nên PDF "
        "sẽ lẫn phông trong một từ",
        "Cài phông Times New Roman, hoặc trên Debian/Ubuntu cài gói fonts-liberation2.",
    )


def _run(args: Sequence[str]) -> str:
    return subprocess.run(
        args, capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()


#: The PDF/A part LibreOffice is asked for (``SelectPdfVersion``: 1 = PDF/A-1b, 2 = PDF/A-2b,
#: 3 = PDF/A-3b).
PDFA_PART = 2
_PDFA_FILTER = (
    f'pdf:writer_pdf_Export:{{"SelectPdfVersion":{{"type":"long","value":"{PDFA_PART}"}}}}'
)


def convert_to_pdf(
    documents: Sequence[tuple[str, bytes]], timeout: float = 600, *, pdfa: bool = False
) -> list[bytes]:
    """Convert .docx documents (name, bytes) to PDF bytes, in order: one ``soffice`` process
    per core, each converting its share (:func:`_processes`); the documents one of them did not
    convert are tried again in one process, and only those still without a PDF are problems.

    ``pdfa`` makes PDF/A-2b files (for the archive). Raises :class:`ThiduaError` when
    LibreOffice is missing or a document does not convert.
    """
    soffice = find_soffice()
    if soffice is None:
        raise ThiduaError(
            Problem(
                "error",
                "pdf-missing",
                "Không tìm thấy LibreOffice để xuất PDF; các tệp .docx vẫn được lập bình thường",
                "Cài LibreOffice (https://www.libreoffice.org, hoặc gói libreoffice-writer trên "
                "Debian/Ubuntu), hoặc đặt biến môi trường THIDUA_SOFFICE trỏ tới soffice; "
                "hoặc chạy lại không có --pdf.",
            )
        )
    with tempfile.TemporaryDirectory(prefix="thidua-pdf-") as work:
        root = Path(work)
        sources = []
        for index, (name, data) in enumerate(documents):
            source = root / f"{index:04d}-{Path(name).stem}.docx"
            source.write_bytes(data)
            sources.append(source)
        target = _PDFA_FILTER if pdfa else "pdf"
        groups = _groups(sources, _processes(len(sources)))
        _convert_groups(soffice, groups, root, target, timeout)
        missing = [s for s in sources if not _converted(root, s)]
        if missing and len(groups) > 1:  # the fallback: what did not convert, in one process
            _convert_groups(soffice, [missing], root, target, timeout, first=len(groups))
        results, problems = [], []
        for (name, _), source in zip(documents, sources, strict=True):
            if _converted(root, source):
                results.append((root / "pdf" / f"{source.stem}.pdf").read_bytes())
            else:
                problems.append(
                    Problem(
                        "error",
                        "pdf-failed",
                        "LibreOffice không chuyển được văn bản này sang PDF",
                        "Mở tệp .docx bằng Word hoặc LibreOffice để kiểm tra, rồi chạy lại.",
                        Location(file=name),
                    )
                )
        if problems:
            raise ThiduaError(problems)
        return results


#: The fewest documents worth a LibreOffice process of their own (each start costs about 1 s).
MIN_PER_PROCESS = 4


def _processes(count: int) -> int:
    """How many LibreOffice processes convert ``count`` documents: one per usable core
    (``THIDUA_WORKERS`` if set), each with at least :data:`MIN_PER_PROCESS` documents."""
    chosen = os.environ.get("THIDUA_WORKERS", "").strip()
    if chosen.isdigit() and int(chosen) > 0:
        cores = int(chosen)
    else:
        affinity = getattr(os, "sched_getaffinity", None)
        cores = len(affinity(0)) if affinity is not None else (os.cpu_count() or 1)
    return max(1, min(cores, count // MIN_PER_PROCESS))


def _groups(sources: list[Path], processes: int) -> list[list[Path]]:
    """``sources`` dealt round-robin into ``processes`` groups (long and short documents mix)."""
    return [sources[index::processes] for index in range(processes)]


def _converted(root: Path, source: Path) -> bool:
    pdf = root / "pdf" / f"{source.stem}.pdf"
    return pdf.is_file() and pdf.stat().st_size > 0


def _convert_groups(
    soffice: str,
    groups: Sequence[Sequence[Path]],
    root: Path,
    target: str,
    timeout: float,
    first: int = 0,
) -> None:
    """Convert each group with its own ``soffice`` process, all at once, each with its own
    profile (two LibreOffice processes cannot share one), the PDFs into ``root/pdf``."""
    running: list[subprocess.Popen[bytes]] = []
    try:
        for number, group in enumerate(groups, first):
            profile = (root / f"profile-{number}").as_uri()
            command = [
                soffice,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                target,
                "--outdir",
                str(root / "pdf"),
                *map(str, group),
            ]
            running.append(
                subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            )
        deadline = time.monotonic() + timeout
        for process in running:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ThiduaError(
            Problem(
                "error",
                "pdf-failed",
                f"LibreOffice không chạy được ({exc})",
                "Đóng mọi cửa sổ LibreOffice đang mở rồi chạy lại, hoặc chạy không có --pdf.",
                Location(file=soffice),
            )
        ) from exc
    finally:
        for process in running:
            if process.poll() is None:
                process.kill()
                process.wait()


_PAGES_COUNT = re.compile(
    rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)|/Count\s+(\d+)[^>]*?/Type\s*/Pages\b"
)


def page_count(pdf: bytes) -> int | None:
    """The number of pages of a PDF whose page tree is not compressed (as LibreOffice writes
    it): the ``/Count`` of the root ``/Pages`` node, the largest one. ``None`` when it cannot be
    read this way (object streams, as some signing tools write).

    >>> page_count(b"1 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj "
    ...            b"2 0 obj << /Type /Pages /Kids [1 0 R 4 0 R] /Count 5 >> endobj")
    5
    >>> page_count(b"%PDF-1.5 compressed") is None
    True
    """
    counts = [int(a or b) for a, b in _PAGES_COUNT.findall(pdf)]
    return max(counts) if counts else None
