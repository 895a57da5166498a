"""Real template files with exactly one defect, and running ``thidua`` on them in a subprocess.

Every template here is one of the bundled .docx files with a part changed in its zip (a tag
replaced in ``word/document.xml``, a relationship added…), so it is what a secretary gets after
editing the bundled template in Word; :func:`working_folder` lays out a folder as ``thidua init``
does (the sample workbook in ``inputs/``, the four templates in ``templates/docx/``).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pipeline.resources import bundled_inputs_dir, bundled_templates_dir

SAMPLE = "cum-cac-ban-dang-lang-son-2013.xlsx"
MINUTES = "02-bien-ban-hoi-nghi.docx"
#: A tag of the minutes that is alone in its run (so a replacement stays one run).
RANKING = "{{ cau_xep_hang }}"


def with_members(data: bytes, changes: dict[str, bytes | None]) -> bytes:
    """The zip ``data`` with members replaced, added (``bytes``) or removed (``None``)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in changes:
                content = changes.pop(info.filename)
                if content is not None:
                    target.writestr(info, content)
            else:
                target.writestr(info, source.read(info))
        for name, content in changes.items():
            if content is not None:
                target.writestr(name, content)
    return out.getvalue()


def bundled(name: str = MINUTES) -> bytes:
    return (bundled_templates_dir() / name).read_bytes()


def bundled_with(
    old: str, new: str, name: str = MINUTES, member: str = "word/document.xml"
) -> bytes:
    """A bundled template whose ``member`` has its first ``old`` replaced by ``new`` (raw XML:
    escape ``&``, ``<``, ``>`` in text yourself)."""
    return replaced(bundled(name), old, new, member)


def replaced(data: bytes, old: str, new: str, member: str = "word/document.xml") -> bytes:
    """The .docx ``data`` whose ``member`` has its first ``old`` replaced by ``new``."""
    xml = zipfile.ZipFile(io.BytesIO(data)).read(member).decode("utf-8")
    assert old in xml, f"{old!r} is not in {member}"
    return with_members(data, {member: xml.replace(old, new, 1).encode("utf-8")})


def working_folder(root: Path, templates: dict[str, bytes | None] | None = None) -> Path:
    """``root`` with ``inputs/`` (the sample) and ``templates/docx/`` (the bundled templates,
    some replaced: ``None`` leaves a template out)."""
    (root / "inputs").mkdir(parents=True, exist_ok=True)
    shutil.copy(bundled_inputs_dir() / SAMPLE, root / "inputs" / SAMPLE)
    folder = root / "templates" / "docx"
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(bundled_templates_dir().glob("*.docx")):
        shutil.copy(path, folder / path.name)
    for name, data in (templates or {}).items():
        target = folder / name
        if data is None:
            target.unlink(missing_ok=True)
        else:
            target.write_bytes(data)
    return root


@dataclass(frozen=True, slots=True)
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float | None  # peak resident memory of the process (None where not measurable)


#: Runs its arguments as a command and writes the command's peak resident memory (``ru_maxrss``)
#: to the file named first. Linux counts in a child's ``ru_maxrss`` the memory of the process
#: that started it (the memory it had when the child was forked counts until ``exec``), so the
#: peak of ``thidua`` started straight from pytest, which holds hundreds of MB after a few
#: hundred tests, would be pytest's; started from this small launcher, it is its own.
_LAUNCHER = (
    "import os, subprocess, sys\n"
    "child = subprocess.Popen(sys.argv[2:])\n"
    "_, status, usage = os.wait4(child.pid, 0)\n"
    "with open(sys.argv[1], 'w') as peak:\n"
    "    peak.write(str(usage.ru_maxrss))\n"
    "sys.exit(os.waitstatus_to_exitcode(status) % 256)\n"
)


def run_thidua(folder: Path, *args: str, timeout: float = 120) -> Run:
    """``python -m pipeline ARGS`` in ``folder``, killed after ``timeout`` seconds (a hang
    detector, not a speed assertion), with its peak resident memory where the system tells it
    (``os.wait4``: Linux, macOS; measured by :data:`_LAUNCHER`)."""
    command = [sys.executable, "-m", "pipeline", *args]
    with tempfile.TemporaryDirectory() as scratch, tempfile.TemporaryFile() as out, \
            tempfile.TemporaryFile() as err:  # fmt: skip
        env = dict(os.environ, PYTHONIOENCODING="utf-8")
        peak_file = Path(scratch) / "peak"
        measured = hasattr(os, "wait4")
        if measured:
            command = [sys.executable, "-S", "-c", _LAUNCHER, str(peak_file), *command]
        started = time.monotonic()
        process = subprocess.Popen(
            command, cwd=folder, stdout=out, stderr=err, env=env, start_new_session=measured
        )
        kill = (lambda: os.killpg(process.pid, 9)) if measured else process.kill
        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            process.wait()
        finally:
            timer.cancel()
        seconds = time.monotonic() - started
        peak: float | None = None
        if measured and peak_file.exists():
            scale = 1024 * 1024 if sys.platform == "darwin" else 1024
            peak = int(peak_file.read_text()) / scale
        out.seek(0)
        err.seek(0)
        code = process.returncode
        assert code is not None
        return Run(code, out.read().decode("utf-8"), err.read().decode("utf-8"), seconds, peak)
