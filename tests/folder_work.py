"""Helpers for the output-folder tests: a working folder with the sample workbook, the command
line in-process and as a child process (to kill it), and views of a folder on disk.

Everything here works on real files: the sample workbook is copied, corrected with the real
workbook writer, built by the real command line.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.resources import bundled_inputs_dir
from pipeline.workbook.sample import sample_sheets
from pipeline.workbook.xlsx_write import write_workbook

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = "cum-cac-ban-dang-lang-son-2013.xlsx"
CLUSTER = "Cụm thi đua các Ban Đảng thuộc Tỉnh ủy Lạng Sơn"
RELATIVE = "outputs/2013/cum-thi-dua-cac-ban-dang-thuoc-tinh-uy-lang-son"
DOCUMENTS = (
    "01-bao-cao-tong-ket.docx",
    "02-bien-ban-hoi-nghi.docx",
    "03-giao-uoc-thi-dua.docx",
    "04-danh-sach-de-nghi-khen-thuong.docx",
)
MANIFEST = "manifest.json"
SNAPSHOT = "du-lieu-in.json"  # the printed facts, for the change report of the next build
CORRECTION = "Nội dung đã đính chính trước hội nghị."


def make_workdir(top: Path, workbook: str = SAMPLE) -> Path:
    """A working folder ``top`` with the sample workbook in ``inputs/`` (as ``workbook``)."""
    (top / "inputs").mkdir(parents=True, exist_ok=True)
    shutil.copy(bundled_inputs_dir() / SAMPLE, top / "inputs" / workbook)
    return top


def run(cwd: Path, *args: str) -> tuple[int, str, str]:
    """``thidua ARGS`` in ``cwd`` through Click's runner: (exit code, stdout, stderr)."""
    with contextlib.chdir(cwd):
        result = CliRunner().invoke(cli, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def run_here(*args: str) -> tuple[int, str, str]:
    """:func:`run` in the current folder."""
    return run(Path.cwd(), *args)


def must(cwd: Path, *args: str) -> str:
    code, out, err = run(cwd, *args)
    assert code == 0, f"thidua {' '.join(args)} → {code}\n{out}\n{err}"
    return out


def write_sample(path: Path, **changes: object) -> None:
    """Write the sample workbook to ``path`` with some changes: ``report=TEXT`` (the báo cáo's
    narrative), ``cluster=NAME`` (Tên cụm thi đua), ``parent=NAME`` (Cơ quan cấp trên)."""
    sheets = sample_sheets()
    if "report" in changes:
        sheets["TongKetVanBan"][0]["Nội dung"] = changes["report"]
    labels = {"cluster": "Tên cụm thi đua", "parent": "Cơ quan cấp trên"}
    for key, label in labels.items():
        if key in changes:
            (row,) = [r for r in sheets["ThongTinChung"] if r["Mục"] == label]
            row["Giá trị"] = changes[key]
    write_workbook(sheets, path)


def cluster_workbooks(folder: Path, count: int) -> None:
    """``count`` workbooks of different clusters (the sample renamed), in both layouts."""
    folder.mkdir(parents=True)
    for index in range(1, count + 1):
        sheets = sample_sheets()
        for row in sheets["ThongTinChung"]:
            if row["Mục"] == "Tên cụm thi đua":
                row["Giá trị"] = f"Cụm thi đua số {index} các Ban Đảng tỉnh Lạng Sơn"
            elif row["Mục"] == "Thể thức văn bản":
                row["Giá trị"] = "Nhà nước" if index % 2 else "Đảng"
        write_workbook(sheets, folder / f"cum-{index:02d}.xlsx")


def correct(work: Path, text: str = CORRECTION) -> None:
    """Correct the báo cáo's narrative in the working folder's workbook."""
    write_sample(work / "inputs" / SAMPLE, report=text)


def status_count(out: str, status: str) -> int:
    """How many files the build printed with this status (the change report and the closing
    summary, which name statuses again, do not count)."""
    return sum(1 for line in out.splitlines() if line.startswith(status + " "))


def visible(folder: Path) -> dict[str, bytes]:
    """The documents, PDFs and manifest of a folder (what a secretary sees), name → bytes."""
    return {
        p.name: p.read_bytes()
        for p in sorted(folder.iterdir())
        if not p.name.startswith(".") and p.is_file()
    }


def tree(top: Path) -> dict[str, bytes | str]:
    """Everything under ``top``, hidden files included: files by bytes, folders and links by
    kind."""
    found: dict[str, bytes | str] = {}
    if not top.exists():
        return found
    for path in sorted(top.rglob("*")):
        rel = path.relative_to(top).as_posix()
        if path.is_symlink():
            found[rel] = f"link → {os.readlink(path)}"
        elif path.is_dir():
            found[rel] = "dir"
        elif path.is_file():
            found[rel] = path.read_bytes()
        else:
            found[rel] = "special"
    return found


def leftovers(folder: Path) -> list[str]:
    """Names thidua uses only while it writes (lock, staging folders, temporaries)."""
    return sorted(
        p.name
        for p in folder.iterdir()
        if p.name.startswith((".thidua", "._thidua")) or p.name.endswith(".thidua-tmp")
    )


def manifest(folder: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((folder / MANIFEST).read_text("utf-8"))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- child processes ---------------------------------------------------------------------------


def child_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), **extra}
    for key in ("THIDUA_TEST_PAUSE", "THIDUA_TEST_PAUSE_FILE", "THIDUA_TEST_PAUSE_SECONDS"):
        if key not in extra:
            env.pop(key, None)
    return env


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", *args]


def run_child(
    cwd: Path, *args: str, timeout: float = 300, **env: str
) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    return subprocess.run(
        command(*args), cwd=cwd, env=child_env(**env), capture_output=True, timeout=timeout
    )


@contextlib.contextmanager
def paused(cwd: Path, point: str, *args: str, seconds: float = 120) -> Iterator[subprocess.Popen]:  # type: ignore[type-arg]
    """``thidua ARGS`` in a child process, held at the pause point ``point`` while the block
    runs (the block kills it, or lets it go on when ``seconds`` is short)."""
    marker = cwd.parent / f"paused-{point}-{time.monotonic_ns()}"
    process = subprocess.Popen(
        command(*args),
        cwd=cwd,
        env=child_env(
            THIDUA_TEST_PAUSE=point,
            THIDUA_TEST_PAUSE_FILE=str(marker),
            THIDUA_TEST_PAUSE_SECONDS=str(seconds),
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            if process.poll() is not None:
                out, err = process.communicate()
                raise AssertionError(
                    f"thidua {' '.join(args)} ended ({process.returncode}) before reaching "
                    f"{point!r}:\n{out.decode()}\n{err.decode()}"
                )
            assert time.monotonic() < deadline, f"never reached {point!r}"
            time.sleep(0.02)
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()
