"""`thidua build` end to end: real workbooks, real templates, real files, LibreOffice for PDFs."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from pipeline.cli import cli
from pipeline.resources import bundled_inputs_dir, bundled_templates_dir
from pipeline.workbook.sample import sample_sheets
from pipeline.workbook.xlsx_write import write_workbook

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


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Everything under ``folder``, the history ``.lich-su/`` included: files by bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else "dir"
        for p in sorted(folder.rglob("*"))
    }


def shown(folder: Path) -> list[str]:
    """The names a secretary sees in the folder (hidden ones, such as .lich-su/, left out)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def document_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_build_writes_the_four_documents_and_a_manifest(workdir: Path) -> None:
    code, out, err = run("build")
    assert code == 0, err
    assert shown(FOLDER) == sorted([*DOCUMENTS, "manifest.json"])
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
    mtimes = {p: p.stat().st_mtime_ns for p in FOLDER.rglob("*")}
    code, out, _ = run("build")
    assert code == 0
    assert out.count("không đổi") == 5
    assert snapshot(FOLDER) == first
    assert {p: p.stat().st_mtime_ns for p in FOLDER.rglob("*")} == mtimes


def test_only_and_output_folder(workdir: Path) -> None:
    code, _, err = run("build", "--only", "bien-ban", "-o", "ra")
    assert code == 0, err
    (folder,) = Path("ra/2013").iterdir()
    assert shown(folder) == [
        "02-bien-ban-hoi-nghi.docx",
        "manifest.json",
    ]


def test_a_document_edited_by_hand_is_never_overwritten_silently(workdir: Path) -> None:
    assert run("build")[0] == 0
    edited = FOLDER / "02-bien-ban-hoi-nghi.docx"
    doc = Document(str(edited))
    doc.add_paragraph("Ý kiến bổ sung do thư ký gõ thêm trong Word.")
    doc.save(str(edited))
    kept = edited.read_bytes()
    before = snapshot(FOLDER)

    code, _, err = run("build")
    assert code == 1
    assert "02-bien-ban-hoi-nghi.docx" in err and "--force" in err
    assert snapshot(FOLDER) == before, "nothing is written, the edit is kept"

    code, out, _ = run("build", "--force")
    assert code == 0
    assert edited.read_bytes() != kept
    assert out.count("cập nhật") == 2  # the edited document and the manifest (its build number)
    assert (FOLDER / ".lich-su/0002/02-bien-ban-hoi-nghi.docx").read_bytes() == kept


def test_a_partial_build_keeps_the_manifest_of_the_other_documents(workdir: Path) -> None:
    assert run("build")[0] == 0
    complete = json.loads((FOLDER / "manifest.json").read_text("utf-8"))["outputs"]
    assert run("build", "--only", "bien-ban")[0] == 0
    assert json.loads((FOLDER / "manifest.json").read_text("utf-8"))["outputs"] == complete
    sheets = sample_sheets()
    set_value(sheets, "Cơ quan cấp trên", "TỈNH ỦY LẠNG SƠN (SỬA)")
    write_workbook(sheets, workdir / "inputs" / SAMPLE)
    code, out, err = run("build")  # every document changes; none was edited by hand
    assert code == 0, err
    assert out.count("cập nhật") == 5


def test_two_workbooks_of_one_cluster_year_are_refused(workdir: Path) -> None:
    shutil.copy(workdir / "inputs" / SAMPLE, workdir / "inputs" / "ban-sao.xlsx")
    code, _, err = run("build")
    assert code == 1
    assert "ban-sao.xlsx" in err and SAMPLE in err and "ghi đè" in err
    assert not Path("outputs").exists()


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


def set_value(sheets: dict[str, list[dict[str, object]]], label: str, value: object) -> None:
    """Set one value of the key-value sheet ThongTinChung."""
    (row,) = [r for r in sheets["ThongTinChung"] if r["Mục"] == label]
    row["Giá trị"] = value


def test_text_comes_out_exactly_as_typed(workdir: Path) -> None:
    """XML-special characters, quotes and Vietnamese in workbook fields reach every document."""
    typed = "TỈNH ỦY \"A&B\" <Lạng Sơn> 'R&D'"
    sheets = sample_sheets()
    set_value(sheets, "Cơ quan cấp trên", typed)
    sheets["TongKetVanBan"][0]["Nội dung"] = "Chỉ tiêu <100%> & \"đạt\" 'tốt' — R&D < > &amp;"
    write_workbook(sheets, workdir / "inputs" / SAMPLE)
    code, _, err = run("build")
    assert code == 0, err
    for name in DOCUMENTS:
        doc = Document(str(FOLDER / name))
        header_text = "\n".join(
            p.text.replace("\n", " ")  # a long name is cut into lines (filter ngat_dong)
            for table in doc.tables[:2]
            for row in table.rows
            for cell in row.cells
            for p in cell.paragraphs
        )
        assert typed in header_text, name
    report = document_text(FOLDER / DOCUMENTS[0])
    assert "Chỉ tiêu <100%> & \"đạt\" 'tốt' — R&D < > &amp;" in report


def test_pdf_without_libreoffice_still_writes_the_documents(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("THIDUA_SOFFICE", str(workdir / "khong-co-soffice"))
    monkeypatch.setenv("PATH", str(workdir))
    code, out, err = run("build", "--pdf")
    assert code == 1
    assert "Không tìm thấy LibreOffice" in err and "THIDUA_SOFFICE" in err
    assert "Traceback" not in err
    assert shown(FOLDER) == sorted([*DOCUMENTS, "manifest.json"])
    assert out.count("tạo mới") == 5
