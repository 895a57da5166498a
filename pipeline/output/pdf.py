"""PDF copies of the generated documents, through LibreOffice headless.

One ``soffice`` process per core converts the batch, each its share in one call (LibreOffice
converts on one core; measured: 20 documents in one call 2,3 s, in 20 calls 16,6 s, so a
shared queue of several calls per process would pay a start for each), the shares balanced by
the documents' sizes. Each process has its own profile (two processes on one profile would hand
one's documents to the other), kept between runs in the user's cache folder, one per slot, each
slot locked by the run that uses it (:func:`profiles_dir`, :func:`_profiles`). Where the time of
one process went (40 documents, CPU seconds, 2 December 2026): a start with a new profile
starts LibreOffice twice (the first start of a profile restarts it); every headless start, new
profile or not, ran LibreOffice's graphics render tests (0,9 s, see :func:`_seed`); converting
is 0,16–0,18 s a document. A kept profile that says this version ran before removes both: one
document costs 0,46 s instead of 1,4 s, and 40 documents on 2 cores take 2,1× less CPU time
on the slowest process than one call did (the whole batch in one call with a new profile). A
UNO listener (unoserver) would still start once per run and convert at the same speed; it
needs Python's ``uno`` module, which this machine's Python lacks.

LibreOffice writes every PDF into one folder, while a batch may span several output folders
with the same file names, so the documents are copied under unique names into a private folder,
converted there, and the PDFs handed back as bytes for the caller's atomic writes.

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

import contextlib
import functools
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.caches import cache_folder
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
    per core (:func:`_processes`), each converting its share (:func:`_groups`, balanced by
    size) with a profile kept between runs (:func:`_profiles`). The documents one of them did
    not convert are tried again in one process with a new private profile; a kept profile whose
    documents that process converted is discarded as damaged (the next run makes it anew), and
    only the documents still without a PDF are problems, each naming its document.

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
    with contextlib.ExitStack() as held, tempfile.TemporaryDirectory(prefix="thidua-pdf-") as work:
        root = Path(work)
        sources = []
        for index, (name, data) in enumerate(documents):
            source = root / f"{index:04d}-{Path(name).stem}.docx"
            source.write_bytes(data)
            sources.append(source)
        target = _PDFA_FILTER if pdfa else "pdf"
        groups = _groups(sources, [len(d) for _, d in documents], _processes(len(sources)))
        profiles = _profiles(soffice, root, len(groups), held)
        _convert_groups(soffice, list(zip(groups, profiles, strict=True)), root, target, timeout)
        missing = [s for s in sources if not _converted(root, s)]
        if missing and (len(groups) > 1 or profiles[0].kept):  # the fallback
            fresh = _private_profile(soffice, root, "fallback")
            _convert_groups(soffice, [(missing, fresh)], root, target, timeout)
            for group, profile in zip(groups, profiles, strict=True):
                if profile.kept and any(_converted(root, s) for s in group if s in missing):
                    _discard(profile.folder)
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


#: The fewest documents worth a LibreOffice process of their own (each start costs about
#: 0,5 s of CPU with a kept profile).
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


def _groups(sources: list[Path], sizes: Sequence[int], processes: int) -> list[list[Path]]:
    """``sources`` split into ``processes`` groups of about equal work: the largest first, each
    to the group with the fewest bytes so far (LPT; a .docx's size follows its pages), each
    group kept in the batch's order. Conversion time per document is about proportional to its
    length, and the batch ends with its slowest process."""
    groups: list[list[int]] = [[] for _ in range(processes)]
    loads = [0] * processes
    for index in sorted(range(len(sources)), key=lambda i: (-sizes[i], i)):
        lightest = min(range(processes), key=lambda g: (loads[g], g))
        groups[lightest].append(index)
        loads[lightest] += sizes[index]
    return [[sources[i] for i in sorted(group)] for group in groups]


def _converted(root: Path, source: Path) -> bool:
    pdf = root / "pdf" / f"{source.stem}.pdf"
    return pdf.is_file() and pdf.stat().st_size > 0


def _convert_groups(
    soffice: str,
    groups: Sequence[tuple[Sequence[Path], Profile]],
    root: Path,
    target: str,
    timeout: float,
) -> None:
    """Convert each group with its own ``soffice`` process, all at once, each with its own
    profile (two LibreOffice processes cannot share one), the PDFs into ``root/pdf``."""
    running: list[subprocess.Popen[bytes]] = []
    try:
        for group, profile in groups:
            command = [
                soffice,
                f"-env:UserInstallation={profile.folder.as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                target,
                "--outdir",
                str(root / "pdf"),
                *map(str, group),
            ]
            running.append(
                subprocess.Popen(
                    command,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,  # a group of its own: _kill_tree (Windows ignores it)
                )
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
                _kill_tree(process)


def _kill_tree(process: subprocess.Popen[bytes]) -> None:
    """Kill a conversion that overran (or was interrupted) and everything it started.

    ``soffice`` is a launcher (a shell script and oosplash on Linux, soffice.exe on Windows)
    whose soffice.bin child does the work: killing the launcher alone left soffice.bin running
    with the profile. On POSIX each conversion leads a session (and process group) of its own,
    killed as a whole; on Windows ``taskkill /T`` kills the tree."""
    if sys.platform == "win32":
        subprocess.run(  # /T: the process and its children
            ["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True, check=False
        )
    else:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    process.kill()  # in case the tree could not be killed
    process.wait()


#: Kept LibreOffice profiles at most (slots); a run takes the first free ones.
PROFILE_SLOTS = 8
#: In each kept profile: which ``soffice`` it was made for (a different one, or an upgrade,
#: makes it anew).
_STAMP = "thidua-soffice.txt"
_SETUP_VERSION = re.compile(rb'oor:name="ooSetupVersion">\s*<value>(\d+\.\d+)</value>')
_VERSION_OUTPUT = re.compile(r"\b(\d+)\.(\d+)\.\d")
_SEED = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<oor:items xmlns:oor="http://openoffice.org/2001/registry"'
    ' xmlns:xs="http://www.w3.org/2001/XMLSchema"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
    '<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion"'
    ' oor:op="fuse"><value>{version}</value></prop></item>\n'
    "</oor:items>\n"
)


@dataclass(frozen=True)
class Profile:
    """A LibreOffice user profile (``-env:UserInstallation``): ``kept`` between runs in the
    user's cache (a slot this run holds locked), or private to this run."""

    folder: Path
    kept: bool


def profiles_dir() -> Path | None:
    """Where the kept profiles live (one folder per slot, ``slot-N``, beside its lock
    ``slot-N.lock``), or ``None`` when they are off: ``THIDUA_CACHE_DIR/libreoffice`` if set;
    else ``%LOCALAPPDATA%\\thidua\\Cache\\libreoffice`` on Windows,
    ``~/Library/Caches/thidua/libreoffice`` on macOS, ``$XDG_CACHE_HOME/thidua/libreoffice``
    or ``~/.cache/thidua/libreoffice`` elsewhere (the same folder as the compile cache of
    :mod:`pipeline.documents.cache`); ``THIDUA_NO_CACHE=1`` turns them off."""
    return cache_folder("libreoffice")


def _profiles(soffice: str, root: Path, count: int, held: contextlib.ExitStack) -> list[Profile]:
    """``count`` profiles for one run: the first free kept slots (each locked until ``held``
    closes, so two runs never share one: LibreOffice would hand the second run's documents to
    the first run's process), then private ones in ``root`` for what is missing (no cache
    folder, every slot taken, a slot that cannot be written)."""
    chosen: list[Profile] = []
    base = profiles_dir()
    if base is not None:
        with contextlib.suppress(OSError):
            base.mkdir(parents=True, exist_ok=True)
        for slot in range(PROFILE_SLOTS):
            if len(chosen) == count:
                break
            lock = _try_lock(base / f"slot-{slot}.lock")
            if lock is None:
                continue
            held.callback(_unlock, lock)
            folder = base / f"slot-{slot}"
            if _prepare(folder, soffice):
                chosen.append(Profile(folder, kept=True))
    while len(chosen) < count:
        chosen.append(_private_profile(soffice, root, f"profile-{len(chosen)}"))
    return chosen


def _private_profile(soffice: str, root: Path, name: str) -> Profile:
    folder = root / name
    with contextlib.suppress(OSError):
        _seed(folder, soffice)
    return Profile(folder, kept=False)


def _prepare(folder: Path, soffice: str) -> bool:
    """Make ``folder`` a profile for ``soffice``, unless it already is one (its stamp): whatever
    else is there is removed first. ``False`` when it cannot be written."""
    identity = _identity(soffice)
    stamp = folder / _STAMP
    with contextlib.suppress(OSError, ValueError):
        if stamp.read_text(encoding="utf-8") == identity:
            return True
    _discard(folder)
    try:
        _seed(folder, soffice)
        stamp.write_text(identity, encoding="utf-8")
    except OSError:
        _discard(folder)
        return False
    return True


def _identity(soffice: str) -> str:
    resolved = os.path.realpath(soffice)
    try:
        status = os.stat(resolved)
    except OSError:
        return f"{resolved}\n"
    return f"{resolved}\n{status.st_size}\n{status.st_mtime_ns}\n"


def _seed(folder: Path, soffice: str) -> None:
    """A new profile that tells LibreOffice it has run this version before.

    LibreOffice runs its graphics render tests (about 100 drawings, 0,9 s of CPU here) at every
    start after an upgrade, that is while the profile's ``ooSetupLastVersion`` is older than
    the running version (``runGraphicsRenderTests`` and ``utl::isProductVersionUpgraded``,
    desktop/source/app/app.cxx); only the start centre of a window session ever records the
    version, so headless every start is "after an upgrade". The setting changes nothing in the
    PDFs (the same bytes but for the creation date and ID, measured).
    """
    user = folder / "user"
    user.mkdir(parents=True, exist_ok=True)
    version = _setup_version(soffice)
    if version is not None:
        (user / "registrymodifications.xcu").write_text(
            _SEED.format(version=version), encoding="utf-8"
        )


@functools.cache
def _setup_version(soffice: str) -> str | None:
    """LibreOffice's ``major.minor`` (``ooSetupVersion``), read from its ``main.xcd`` beside the
    program folder (Linux, Windows: ``share/registry``; macOS: ``Resources/registry``), else
    from ``soffice --version`` (not on Windows, where soffice.exe has no console)."""
    program = Path(os.path.realpath(soffice)).parent
    for registry in (program.parent / "share", program.parent / "Resources"):
        try:
            found = _SETUP_VERSION.search((registry / "registry" / "main.xcd").read_bytes())
        except OSError:
            continue
        if found:
            return found.group(1).decode("ascii")
    if sys.platform == "win32":
        return None
    try:
        printed = _VERSION_OUTPUT.search(_run([soffice, "--version"]))
    except (OSError, subprocess.SubprocessError):
        return None
    return f"{printed.group(1)}.{printed.group(2)}" if printed else None


def _discard(folder: Path) -> None:
    """Remove a kept profile (damaged, or made for another soffice)."""
    if folder.is_dir() and not folder.is_symlink():
        shutil.rmtree(folder, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            folder.unlink()


def _try_lock(path: Path) -> int | None:
    """An exclusive lock on ``path`` (created if needed), without waiting: the open file, or
    ``None`` when another run holds it or it cannot be opened. The operating system's lock
    (``flock``; ``msvcrt.locking`` on Windows) on the user's own local cache folder: released
    when the run ends, even killed, so a lock is never stale."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return None
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _unlock(fd: int) -> None:
    with contextlib.suppress(OSError):
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    os.close(fd)


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
