"""`thidua build` end to end: real workbooks, real templates, real files, LibreOffice for PDFs."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from folder_work import DOCUMENTS as BUNDLED_DOCUMENTS
from folder_work import RELATIVE, SAMPLE, status_count
from folder_work import run_here as run

from pipeline.resources import bundled_templates_dir
from pipeline.workbook.sample import sample_sheets
from pipeline.workbook.xlsx_write import write_workbook

FOLDER = Path(RELATIVE)
DOCUMENTS = list(BUNDLED_DOCUMENTS)


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
    assert shown(FOLDER) == sorted([*DOCUMENTS, "manifest.json", "du-lieu-in.json"])
    assert status_count(out, "tạo mới") == 6  # with the snapshot of the printed facts
    assert "Bản cũ" not in out  # nothing was replaced, so nothing went into the history
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
    assert status_count(out, "không đổi") == 6
    assert snapshot(FOLDER) == first
    assert {p: p.stat().st_mtime_ns for p in FOLDER.rglob("*")} == mtimes


def test_only_and_output_folder(workdir: Path) -> None:
    code, _, err = run("build", "--only", "bien-ban", "-o", "ra")
    assert code == 0, err
    (folder,) = Path("ra/2013").iterdir()
    assert shown(folder) == [
        "02-bien-ban-hoi-nghi.docx",
        "du-lieu-in.json",
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

    for command in (["build"], ["build", "--pdf"], ["build", "--xem-truoc"]):
        code, out, err = run(*command)
        assert code == 1, command
        assert "02-bien-ban-hoi-nghi.docx" in err and "--force" in err, command
        assert snapshot(FOLDER) == before, "nothing is written, the edit is kept"

    code, out, _ = run("build", "--force")
    assert code == 0
    assert edited.read_bytes() != kept
    # the edited document and the manifest (its build number)
    assert status_count(out, "cập nhật") == 2
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
    assert status_count(out, "cập nhật") == 6  # the four, the manifest, the snapshot


def test_a_second_workbook_of_one_cluster_year_is_refused(workdir: Path) -> None:
    """Two workbooks of one cluster and year: the first (in the order of the workbooks) is
    built, the second is refused, by name, rather than overwrite it — as a later run refuses
    it while the first is still there (pipeline.output.ownership)."""
    shutil.copy(workdir / "inputs" / SAMPLE, workdir / "inputs" / "ban-sao.xlsx")
    code, out, err = run("build")
    assert code == 1
    assert f"Lỗi: {SAMPLE}: Cùng một cụm, một năm với ban-sao.xlsx" in err and "ghi đè" in err
    assert "Không lập được 1/2 workbook" in err
    assert status_count(out, "tạo mới") == 6  # ban-sao.xlsx's four, the manifest, the snapshot
    owner = json.loads((FOLDER / "manifest.json").read_text("utf-8"))["owner"]
    assert owner["workbook"]["name"] == "ban-sao.xlsx"
    code, out, err = run("build")  # the next run: the same, by the folder's owner
    assert code == 1 and SAMPLE in err and "ban-sao.xlsx" in err
    assert status_count(out, "tạo mới") + status_count(out, "cập nhật") == 0


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
    from pipeline.output.pdf import font_report

    code, out, err = run("build", "--pdf")
    assert code == 0, err
    note = font_report()  # where Times New Roman is missing, the stand-in is named once
    assert out.count("Máy này không có phông") == (0 if note is None else 1)
    pdfs = sorted(FOLDER.glob("*.pdf"))
    assert [p.stem for p in pdfs] == [Path(d).stem for d in DOCUMENTS]
    for pdf in pdfs:
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "{{" not in text and "{%" not in text and "}}" not in text
        assert "Tỉnh ủy" in text or "TỈNH ỦY" in text
    assert "Văn bản: 4 (tạo mới 4, cập nhật 0, không đổi 0); PDF: 4 (tạo mới 4, " in out
    # A second run converts nothing: unchanged documents keep their PDFs byte for byte.
    before = snapshot(FOLDER)
    code, out, _ = run("build", "--pdf")
    assert code == 0
    assert snapshot(FOLDER) == before
    assert "PDF: 4 (tạo mới 0, cập nhật 0, không đổi 4)." in out


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
    assert shown(FOLDER) == sorted([*DOCUMENTS, "manifest.json", "du-lieu-in.json"])
    assert status_count(out, "tạo mới") == 6  # with the snapshot of the printed facts


def tree_hash(folder: Path) -> str:
    """SHA-256 over every file and folder under ``folder`` (names, hidden ones too, and bytes)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        if path.is_file():
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def broken_workbook(path: Path) -> tuple[str, str]:
    """The sample with a score typed as text and a blank score; returns the two cells."""
    from pipeline.workbook.schema import cell_of

    sheets = sample_sheets()
    header = "Điểm cụm chấm"
    sheets["ChamDiem"][0][header] = "chín mươi"
    sheets["ChamDiem"][1][header] = None
    write_workbook(sheets, path)
    return cell_of("ChamDiem", 0, header), cell_of("ChamDiem", 1, header)


def test_build_refuses_a_workbook_with_errors_and_writes_nothing(workdir: Path) -> None:
    first, second = broken_workbook(workdir / "inputs" / SAMPLE)
    code, out, err = run("build")
    assert code == 1
    assert (
        f"Lỗi: {SAMPLE} › ChamDiem!{first}: Ô “Điểm cụm chấm”: “chín mươi” không phải là số — "
        "Chỉ ghi chữ số" in err
    )
    assert (
        f"Lỗi: {SAMPLE} › ChamDiem!{second}: Chưa có điểm cụm chấm của Văn phòng Tỉnh ủy ở tiêu "
        "chí I.2 — Nhập điểm cụm chấm; ô trống không được tính là 0" in err
    )
    # one workbook alone: its own errors, no "1/1 not built" line on top of them
    assert "Không lập được 1/1" not in err
    assert "2 lỗi" in err
    assert "Những gì thay đổi" not in out  # nothing built: no change report, not even its title
    assert "Traceback" not in err and status_count(out, "tạo mới") == 0
    assert f"Không lập được: {SAMPLE} (2 lỗi)" in out  # the closing summary
    assert [line.split(":")[0] for line in out.splitlines()][:2] == [
        "Mẫu văn bản",
        "Ghi văn bản vào",
    ]
    assert not Path("outputs").exists(), "nothing is written, not even the folder"


def test_build_with_errors_leaves_the_previous_outputs_byte_for_byte(workdir: Path) -> None:
    assert run("build")[0] == 0
    before = tree_hash(Path("outputs"))
    broken_workbook(workdir / "inputs" / SAMPLE)
    code, _, err = run("build", "--force", "--pdf")
    assert code == 1
    assert f"Lỗi: {SAMPLE} › ChamDiem!" in err
    assert tree_hash(Path("outputs")) == before


def test_one_workbook_breaking_a_rule_stops_only_itself(workdir: Path) -> None:
    """Each workbook is its own unit of work (issue 10): a workbook that loads but breaks a rule
    (the Cờ proposed for a unit that is not first) is reported and gets no document, while the
    valid workbook beside it is built; the run exits 1 naming what was not built."""
    from pipeline.workbook.schema import cell_of

    sheets = sample_sheets()
    set_value(sheets, "Tên cụm thi đua", "Cụm thi đua số 2")
    write_workbook(sheets, workdir / "inputs" / "cum-2.xlsx")
    sheets = sample_sheets()
    sheets["DeNghiTapThe"][0]["Mã đơn vị"] = "DUK"
    write_workbook(sheets, workdir / "inputs" / SAMPLE)
    code, out, err = run("build")
    assert code == 1
    cell = cell_of("DeNghiTapThe", 0, "Mã đơn vị")
    assert (
        f"Lỗi: {SAMPLE} › DeNghiTapThe!{cell}: Đảng ủy Khối các cơ quan tỉnh xếp thứ Tám (975,5 "
        "điểm) nhưng được đề nghị Cờ thi đua" in err
    )
    assert "Lỗi: cum-2.xlsx" not in err
    assert f"Không lập được 1/2 workbook: {SAMPLE}" in err
    built = Path("outputs/2013/cum-thi-dua-so-2")
    assert shown(built) == sorted([*DOCUMENTS, "manifest.json", "du-lieu-in.json"])
    assert status_count(out, "tạo mới") == 6
    assert not FOLDER.exists(), "the workbook with an error gets nothing written"


def test_a_workbook_with_only_warnings_is_built_and_the_warnings_shown(workdir: Path) -> None:
    from pipeline.workbook.schema import cell_of

    sheets = sample_sheets()
    sheets["ChamDiem"][0]["Điểm tự chấm"] = None  # B8: a missing self-score is a warning
    write_workbook(sheets, workdir / "inputs" / SAMPLE)
    code, out, err = run("build")
    assert code == 0, err
    assert f"{SAMPLE} › ChamDiem!{cell_of('ChamDiem', 0, 'Điểm tự chấm')}" in out
    assert "Chưa có điểm tự chấm" in out
    assert status_count(out, "tạo mới") == 6


def test_a_template_failing_at_render_time_is_located_and_nothing_is_written(
    workdir: Path,
) -> None:
    """A variable the context lacks compiles (Jinja cannot know) and fails when rendered."""
    templates = workdir / "templates" / "docx"
    shutil.copytree(bundled_templates_dir(), templates)
    document = Document()
    document.add_paragraph("Kính gửi {{ ten_cum_khong_co }}")
    document.save(str(templates / "02-bien-ban-hoi-nghi.docx"))
    code, out, err = run("build")
    assert code == 1
    assert "02-bien-ban-hoi-nghi.docx" in err and "«ten_cum_khong_co»" in err
    assert "Traceback" not in err and "tạo mới" not in out
    assert not Path("outputs").exists()


def test_only_a_document_with_no_template_is_a_clear_error(workdir: Path) -> None:
    templates = workdir / "templates" / "docx"
    templates.mkdir(parents=True)
    shutil.copy(bundled_templates_dir() / DOCUMENTS[0], templates / DOCUMENTS[0])
    code, _, err = run("build", "--only", "bien-ban")
    assert code == 1
    assert "Không có mẫu văn bản .docx nào phù hợp" in err and "--only" in err
    assert not Path("outputs").exists()


def test_a_cell_the_reader_reported_is_not_reported_again_by_the_rules(workdir: Path) -> None:
    first, _ = broken_workbook(workdir / "inputs" / SAMPLE)
    _, _, err = run("build")
    assert err.count(f"ChamDiem!{first}") == 1, err


def test_build_called_from_python_writes_no_pdf_and_keeps_edits(workdir: Path) -> None:
    """The defaults of :func:`pipeline.build.build`: no PDF, and an edited document refused."""
    from pipeline.build import build
    from pipeline.errors import ThiduaError

    source = workdir / "inputs" / SAMPLE
    statuses = build([source], Path("outputs"), echo=lambda _: None)
    assert [p.suffix for p, _ in statuses] == [".docx"] * 4 + [".json"] * 2  # manifest, snapshot
    edited = FOLDER / DOCUMENTS[1]
    edited.write_bytes(edited.read_bytes() + b"\0")
    with pytest.raises(ThiduaError) as caught:
        build([source], Path("outputs"), echo=lambda _: None)
    assert [p.code for p in caught.value.problems] == ["edited-output"]


def test_a_build_records_what_made_it_and_says_where_the_old_files_went(workdir: Path) -> None:
    """The manifest lists the workbook and the shared settings file it was read over; the
    snapshot names thidua's version with the templates; a rebuild that replaces files says
    where their old versions are kept."""
    from pipeline import __version__
    from pipeline.resources import bundled_inputs_dir
    from pipeline.workbook.schema import SHARED_FILE

    shutil.copy(bundled_inputs_dir() / SHARED_FILE, workdir / "inputs" / SHARED_FILE)
    assert run("build")[0] == 0
    manifest = json.loads((FOLDER / "manifest.json").read_text("utf-8"))
    assert [record["path"] for record in manifest["inputs"]] == [SAMPLE, SHARED_FILE]
    snapshot = json.loads((FOLDER / "du-lieu-in.json").read_text("utf-8"))
    assert snapshot["dau_vet"]["thidua"] == __version__
    sheets = sample_sheets()
    set_value(sheets, "Cơ quan cấp trên", "TỈNH ỦY LẠNG SƠN (SỬA)")
    write_workbook(sheets, workdir / "inputs" / SAMPLE)
    code, out, err = run("build")
    assert code == 0, err
    # the four documents and the snapshot (the manifest's old version is not counted)
    assert f"Bản cũ của 5 tệp được cất trong {FOLDER.as_posix()}/.lich-su/0002/ (xem" in out


def test_each_build_records_when_it_ran(workdir: Path) -> None:
    """``.lich-su/<lần lập>/lan-lap.json`` holds the time of each build (docs/thu-muc-van-ban.md):
    the clock's local time with its offset by default, the caller's time when it gives one."""
    import datetime as dt

    from folder_work import correct

    from pipeline.build import build
    from pipeline.output.history import read_history

    source = workdir / "inputs" / SAMPLE
    before = dt.datetime.now().astimezone().replace(microsecond=0)
    build([source], Path("outputs"), echo=lambda _: None)
    after = dt.datetime.now().astimezone()
    correct(workdir)
    build([source], Path("outputs"), echo=lambda _: None, now="2014-01-12T09:15:02+07:00")
    records, problems = read_history(FOLDER)
    assert problems == []
    first, second = sorted(records, key=lambda record: record.build)
    assert before <= dt.datetime.fromisoformat(first.time) <= after
    assert second.time == "2014-01-12T09:15:02+07:00"


def test_the_live_line_is_erased_before_the_closing_report(tmp_path: Path) -> None:
    """On a terminal the progress line is rewritten in place on the screen the report goes to
    too: the report after the run must not be written over the bar. The last workbook here
    cannot be read, so no list of files written erases the bar before the report does."""
    import io

    from folder_work import cluster_workbooks

    from pipeline.build import build
    from pipeline.errors import ThiduaError

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    cluster_workbooks(tmp_path / "inputs", 2)
    (tmp_path / "inputs" / "cum-03.xlsx").write_bytes(b"not a workbook")
    screen = Terminal()
    with pytest.raises(ThiduaError):
        build(sorted((tmp_path / "inputs").glob("*.xlsx")), tmp_path / "outputs",
              echo=lambda line: screen.write(f"{line}\n"), progress=screen)  # fmt: skip
    shown = []
    for raw in screen.getvalue().split("\n"):  # what the screen shows: \r goes back to column 0
        row: list[str] = []
        for index, piece in enumerate(raw.split("\r")):
            column = 0 if index else len(row)
            for char in piece:
                row[column : column + 1] = [char]
                column += 1
        shown.append("".join(row).rstrip())
    assert "Kết quả: 3 workbook; lập được 2, không lập được 1." in shown, shown
    assert not [line for line in shown if "█" in line or "░" in line], shown
