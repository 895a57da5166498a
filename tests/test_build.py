"""`thidua build` end to end: real workbooks, real templates, real files, LibreOffice for PDFs."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from pipeline.cli import cli
from pipeline.resources import bundled_inputs_dir, bundled_templates_dir

SAMPLE = "cum-cac-ban-dang-lang-son-2013.xlsx"
FOLDER = Path("outputs/2013/cum-thi-dua-cac-ban-dang-thuoc-tinh-uy-lang-son")
DOCUMENTS = [
    "01-bao-cao-tong-ket.docx",
    "02-bien-ban-hoi-nghi.docx",
    "03-giao-uoc-thi-dua.docx",
    "04-danh-sach-de-nghi-khen-thuong.docx",
]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder holding the sample workbook, as a secretary would have it."""
    (tmp_path / "inputs").mkdir()
    shutil.copy(bundled_inputs_dir() / SAMPLE, tmp_path / "inputs" / SAMPLE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def document_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_build_writes_the_four_documents_and_a_manifest(workdir: Path) -> None:
    code, out, err = run("build")
    assert code == 0, err
    assert sorted(p.name for p in FOLDER.iterdir()) == sorted([*DOCUMENTS, "manifest.json"])
    assert out.count("tạo mới") == 5
    manifest = json.loads((FOLDER / "manifest.json").read_text("utf-8"))
    assert manifest["inputs"][0]["path"] == SAMPLE
    assert [t["path"] for t in manifest["templates"]] == DOCUMENTS
    for entry in manifest["outputs"]:
        data = (FOLDER / entry["path"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["size"] == len(data)
    text = document_text(FOLDER / "01-bao-cao-tong-ket.docx")
    assert "9/9 cơ quan trong cụm đạt số điểm từ 973 điểm trở lên/tổng số 1.000 điểm" in text
    assert "Văn phòng Tỉnh ủy và Ban Tuyên giáo Tỉnh ủy" in text


def test_two_builds_give_identical_bytes_and_touch_nothing(workdir: Path) -> None:
    assert run("build")[0] == 0
    first = snapshot(FOLDER)
    mtimes = {p.name: p.stat().st_mtime_ns for p in FOLDER.iterdir()}
    code, out, _ = run("build")
    assert code == 0
    assert out.count("không đổi") == 5
    assert snapshot(FOLDER) == first
    assert {p.name: p.stat().st_mtime_ns for p in FOLDER.iterdir()} == mtimes


def test_only_and_output_folder(workdir: Path) -> None:
    code, _, err = run("build", "--only", "bien-ban", "-o", "ra")
    assert code == 0, err
    (folder,) = Path("ra/2013").iterdir()
    assert sorted(p.name for p in folder.iterdir()) == [
        "02-bien-ban-hoi-nghi.docx",
        "manifest.json",
    ]


def test_no_workbook_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run("build")
    assert code == 1
    assert "thidua init" in err
    assert "Traceback" not in err


def test_a_template_typo_is_located_and_nothing_is_written(workdir: Path) -> None:
    assert run("build")[0] == 0
    before = snapshot(FOLDER)
    templates = workdir / "templates" / "docx"
    shutil.copytree(bundled_templates_dir(), templates)
    broken = Document()
    broken.add_paragraph("Kính gửi {{ ten_cum | khong_co_bo_loc }}")
    broken.add_paragraph("{% for x in %}")
    broken.save(str(templates / "02-bien-ban-hoi-nghi.docx"))
    code, _, err = run("build")
    assert code == 1
    assert "02-bien-ban-hoi-nghi.docx" in err
    assert "khong_co_bo_loc" in err
    assert "Traceback" not in err
    assert snapshot(FOLDER) == before


@pytest.mark.libreoffice
def test_pdf_batch(workdir: Path) -> None:
    if shutil.which("soffice") is None and not os.environ.get("THIDUA_REQUIRE_LIBREOFFICE"):
        pytest.skip("LibreOffice (soffice) is not installed")
    code, _, err = run("build", "--pdf")
    assert code == 0, err
    pdfs = sorted(FOLDER.glob("*.pdf"))
    assert [p.stem for p in pdfs] == [Path(d).stem for d in DOCUMENTS]
    for pdf in pdfs:
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "{{" not in text and "{%" not in text and "}}" not in text
        assert "Tỉnh ủy" in text or "TỈNH ỦY" in text
    # A second run converts nothing: unchanged documents keep their PDFs byte for byte.
    before = snapshot(FOLDER)
    assert run("build", "--pdf")[0] == 0
    assert snapshot(FOLDER) == before


def test_killed_build_leaves_previous_outputs_intact(workdir: Path) -> None:
    """Kill `thidua build` at several moments: each document is always the old or the new one."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    command = [sys.executable, "-m", "pipeline", "build", "-o", "killed"]
    subprocess.run(command, cwd=workdir, env=env, check=True, capture_output=True)
    folder = next(Path("killed/2013").iterdir())
    old = snapshot(folder)
    # A different output folder content: same documents, the new build changes nothing but is
    # killed while it runs; then a changed template makes every document new.
    for delay in (0.05, 0.2, 0.4, 0.6, 0.9):
        process = subprocess.Popen(
            command, cwd=workdir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = snapshot(folder)
        assert set(now) == set(old)
        for name, data in now.items():
            assert data == old[name], f"{name} changed by an identical build"
            if name.endswith(".docx"):
                with zipfile.ZipFile(folder / name) as archive:
                    assert archive.testzip() is None
