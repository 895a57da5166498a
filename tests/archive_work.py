"""Working folders for the archive tests, built once per test process and copied per test.

Each stage is a real working folder made by the real commands (LibreOffice included):

- ``built``: the sample workbook in ``inputs/`` and ``thidua build``;
- ``issued``: then ``thidua ban-hanh --ngay 10/01/2014`` (v001: the four documents);
- ``corrected``: then the báo cáo's narrative corrected in the workbook, ``thidua build`` and
  ``thidua ban-hanh --ngay 20/01/2014`` (v002: the báo cáo only, replacing v001's).

Building them costs about 10 s of LibreOffice; a test copies the stage it needs into its own
``tmp_path`` (:func:`project`), so tests never share files.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.resources import bundled_inputs_dir
from pipeline.workbook.sample import sample_sheets
from pipeline.workbook.xlsx_write import write_workbook

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = "cum-cac-ban-dang-lang-son-2013.xlsx"
CLUSTER = "2013/cum-thi-dua-cac-ban-dang-thuoc-tinh-uy-lang-son"
FOLDER = Path("outputs") / CLUSTER
DOCUMENTS = (
    "01-bao-cao-tong-ket.docx",
    "02-bien-ban-hoi-nghi.docx",
    "03-giao-uoc-thi-dua.docx",
    "04-danh-sach-de-nghi-khen-thuong.docx",
)
CORRECTION = "Nội dung đã sửa sau khi ban hành (đính chính số liệu)."


def write(top: Path, files: list[tuple[str, bytes]]) -> None:
    """Files for the bag tests: each (path under ``top``, bytes), folders made as needed."""
    for rel, data in files:
        path = top / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


#: A bag's payload: a document, a signed copy in a folder, a name with a space, an empty file.
PAYLOAD = [("a.docx", b"A" * 1000), ("ban-ky/b.pdf", "bản ký".encode()), ("c d.txt", b"")]


def require_libreoffice() -> None:
    from pipeline.output.pdf import find_soffice

    if find_soffice() is None:
        if os.environ.get("THIDUA_REQUIRE_LIBREOFFICE"):
            pytest.fail("THIDUA_REQUIRE_LIBREOFFICE is set but soffice is missing")
        pytest.skip("LibreOffice (soffice) is not installed")


def run(cwd: Path, *args: str, input: str | None = None) -> tuple[int, str, str]:
    """``thidua ARGS`` in ``cwd`` through Click's runner: (exit code, stdout, stderr)."""
    with contextlib.chdir(cwd):
        result = CliRunner().invoke(cli, list(args), input=input)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def command(*args: str) -> list[str]:
    """``python -m pipeline ARGS`` for a subprocess."""
    return [sys.executable, "-m", "pipeline", *args]


def subprocess_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), **extra}


def _must(cwd: Path, *args: str) -> str:
    code, out, err = run(cwd, *args)
    assert code == 0, f"thidua {' '.join(args)}: {out}\n{err}"
    return out


def correct_report(work: Path) -> None:
    """Correct the báo cáo's narrative in the workbook: only the báo cáo changes."""
    sheets = sample_sheets()
    sheets["TongKetVanBan"][0]["Nội dung"] = CORRECTION
    write_workbook(sheets, work / "inputs" / SAMPLE)


@functools.cache
def _stage(name: str) -> Path:
    top = Path(tempfile.mkdtemp(prefix=f"thidua-archive-{name}-"))
    atexit.register(remove, top)
    work = top / "work"
    if name == "built":
        (work / "inputs").mkdir(parents=True)
        shutil.copy(bundled_inputs_dir() / SAMPLE, work / "inputs" / SAMPLE)
        _must(work, "build")
    elif name == "issued":
        shutil.copytree(_stage("built"), work)
        _must(work, "ban-hanh", "--ngay", "10/01/2014")
    elif name == "corrected":
        shutil.copytree(_stage("issued"), work)
        correct_report(work)
        _must(work, "build")
        _must(work, "ban-hanh", "--ngay", "20/01/2014")
    else:
        raise ValueError(name)
    return work


def project(stage: str, tmp_path: Path) -> Path:
    """A private copy of the working folder at ``stage`` (see the module docstring)."""
    if stage != "built":
        require_libreoffice()
    work = tmp_path / "work"
    shutil.copytree(_stage(stage), work)
    return work


def remove(path: Path) -> None:
    """Delete a tree with read-only files in it (frozen issued files are read-only)."""
    for folder, _dirs, names in os.walk(path):
        for name in names:
            with contextlib.suppress(OSError):
                os.chmod(os.path.join(folder, name), stat.S_IWRITE | stat.S_IREAD)
    shutil.rmtree(path, ignore_errors=True)


def snapshot(top: Path) -> dict[str, bytes]:
    """Every file under ``top`` (relative path → bytes)."""
    return {
        p.relative_to(top).as_posix(): p.read_bytes() for p in sorted(top.rglob("*")) if p.is_file()
    }


def wait_for(path: Path, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    """Wait until ``path`` exists (the pause hook wrote it) or the process ended."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            return
        if process.poll() is not None:
            out = process.stdout.read().decode() if process.stdout else ""
            raise AssertionError(f"the publisher ended ({process.returncode}) early: {out}")
        time.sleep(0.02)
    raise AssertionError(f"the publisher did not reach its pause in {timeout} s")
