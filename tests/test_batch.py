"""Many workbooks at once (issue 10): each its own unit of work, notes shown, a progress display
and a closing summary. Real workbooks written with openpyxl, real templates, real files."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from folder_work import run_here as run

from pipeline.resources import bundled_inputs_dir
from pipeline.workbook.sample import sample_sheets
from pipeline.workbook.schema import SAMPLE_FILE, cell_of
from pipeline.workbook.xlsx_write import write_workbook

DOCUMENTS = {
    "01-bao-cao-tong-ket.docx",
    "02-bien-ban-hoi-nghi.docx",
    "03-giao-uoc-thi-dua.docx",
    "04-danh-sach-de-nghi-khen-thuong.docx",
    "manifest.json",
    "du-lieu-in.json",  # the snapshot of the printed facts (the change report)
}


def cluster(inputs: Path, number: int, *, broken: bool = False) -> Path:
    """The sample workbook as the workbook of "Cụm thi đua số N"; ``broken`` types a score as
    words (an error at ChamDiem's first score cell)."""
    sheets = sample_sheets()
    for row in sheets["ThongTinChung"]:
        if row["Mục"] == "Tên cụm thi đua":
            row["Giá trị"] = f"Cụm thi đua số {number}"
    if broken:
        sheets["ChamDiem"][0]["Điểm cụm chấm"] = "chín mươi"
    path = inputs / f"cum-{number}.xlsx"
    write_workbook(sheets, path)
    return path


def folder(number: int) -> Path:
    return Path("outputs/2013") / f"cum-thi-dua-so-{number}"


@pytest.fixture
def five(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Five cluster workbooks in inputs/, the third broken."""
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for number in range(1, 6):
        cluster(inputs, number, broken=number == 3)
    monkeypatch.chdir(tmp_path)
    return inputs


def test_one_broken_workbook_in_a_batch_of_five_leaves_the_four_others_built(five: Path) -> None:
    code, out, err = run("build")
    assert code == 1
    for number in (1, 2, 4, 5):
        assert {p.name for p in folder(number).iterdir() if p.name != ".lich-su"} == DOCUMENTS
    assert not folder(3).exists(), "the broken workbook gets nothing written"
    cell = cell_of("ChamDiem", 0, "Điểm cụm chấm")
    assert f"Lỗi: cum-3.xlsx › ChamDiem!{cell}: Ô “Điểm cụm chấm”: “chín mươi”" in err
    assert "Lỗi: inputs: Không lập được 1/5 workbook: cum-3.xlsx (các workbook khác" in err
    assert "Kết quả: 5 workbook; lập được 4, không lập được 1." in out
    assert "Không lập được: cum-3.xlsx (" in out
    assert "Văn bản: 16 (tạo mới 16, cập nhật 0, không đổi 0)." in out
    # Fixed: the next run builds it, and leaves the four others unchanged.
    cluster(five, 3)
    code, out, err = run("build")
    assert code == 0, err
    assert {p.name for p in folder(3).iterdir() if p.name != ".lich-su"} == DOCUMENTS
    assert "Văn bản: 20 (tạo mới 4, cập nhật 0, không đổi 16)." in out


def test_a_hand_edited_document_stops_only_its_own_cluster(five: Path) -> None:
    cluster(five, 3)
    assert run("build")[0] == 0
    edited = folder(2) / "02-bien-ban-hoi-nghi.docx"
    edited.write_bytes(edited.read_bytes() + b"\0")
    code, out, err = run("build")
    assert code == 1
    assert "Văn bản này đã được sửa" in err and "cum-thi-dua-so-2/02-bien-ban" in err
    assert "Không lập được 1/5 workbook: cum-2.xlsx" in err
    assert "Kết quả: 5 workbook; lập được 4, không lập được 1." in out
    (where,) = [line for line in out.splitlines() if "Thư mục văn bản:" in line]
    assert where.count("cum-thi-dua-so-") == 4 and "cum-thi-dua-so-2" not in where, where


def test_notes_and_warnings_are_printed_during_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sample's tie (two units share the third place) is a note (Lưu ý): the build shows it
    (it used to show warnings only), and the summary counts it."""
    (tmp_path / "inputs").mkdir()
    shutil.copy(bundled_inputs_dir() / SAMPLE_FILE, tmp_path / "inputs" / SAMPLE_FILE)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("build")
    assert code == 0
    assert "Lưu ý: cum-cac-ban-dang-lang-son-2013.xlsx › ChamDiem: Văn phòng Tỉnh ủy và Ban " in out
    assert "cùng 985 điểm, đồng xếp thứ Ba" in out
    assert "Cảnh báo: 0; lưu ý: 2 (in ở trên)." in out
    assert "Thư mục văn bản: outputs/2013/cum-thi-dua-cac-ban-dang-thuoc-tinh-uy-lang-son" in out


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_is_one_line_rewritten_and_erased() -> None:
    from pipeline.output.progress import Progress

    screen = _Terminal()
    progress = Progress(screen, total=3)
    said: list[str] = []
    say = progress.wrap(said.append)
    progress.step(1, "cum-1.xlsx", "lập văn bản")
    progress.step(2, "cum-2.xlsx", "lập văn bản")
    before_say = screen.getvalue()
    say("tạo mới    outputs/a.docx")
    progress.close()
    text = screen.getvalue()
    assert "\n" not in text, "a live line never scrolls"
    assert before_say.count("\r") == 2 and "[2/3] cum-2.xlsx: lập văn bản" in before_say
    # Erased before the report is printed, and at the end: the last state is a blank line.
    assert text[len(before_say) :].startswith("\r" + " ")
    assert text.endswith("\r") and said == ["tạo mới    outputs/a.docx"]
    assert "█" in before_say or "░" in before_say


def test_progress_elsewhere_is_plain_lines_and_a_short_run_shows_nothing() -> None:
    from pipeline.output.progress import Progress

    log = io.StringIO()
    progress = Progress(log, total=2)
    progress.step(1, "cum-1.xlsx", "lập văn bản")
    progress.wrap(lambda _: None)("x")
    progress.step(2, "cum-2.xlsx", "lập văn bản")
    progress.close()
    assert log.getvalue() == "[1/2] cum-1.xlsx: lập văn bản\n[2/2] cum-2.xlsx: lập văn bản\n"
    quiet = _Terminal()
    single = Progress(quiet, total=1)
    single.step(1, "cum-1.xlsx", "lập văn bản")
    single.close()
    assert quiet.getvalue() == ""


def test_the_build_command_shows_plain_progress_when_not_on_a_terminal(five: Path) -> None:
    cluster(five, 3)
    code, _, err = run("build")
    assert code == 0, err
    lines = [line for line in err.splitlines() if line.startswith("[")]
    assert lines == [f"[{n}/5] cum-{n}.xlsx: đọc, kiểm tra và lập văn bản" for n in range(1, 6)]
    assert "\r" not in err


def test_the_build_on_a_terminal_keeps_its_report_apart_from_the_live_line(five: Path) -> None:
    """Through the Python API as the command line calls it: the live line goes to the terminal
    stream (rewritten, never a new line), the report to ``echo``, untouched by it."""
    from pipeline.build import build

    cluster(five, 3)
    screen = _Terminal()
    said: list[str] = []
    paths = sorted(five.glob("cum-*.xlsx"))
    statuses = build(paths, Path("outputs"), echo=said.append, progress=screen)
    assert len(statuses) == 30  # 5 × (4 documents, manifest, snapshot)
    live = screen.getvalue()
    assert "\n" not in live and live.count("[5/5] cum-5.xlsx") == 1
    assert live.endswith("\r"), "erased at the end"
    assert not any("\r" in line or "█" in line for line in said)
    assert said[-1].startswith("Kết quả: 5 workbook; lập được 5.")


def test_the_summary_names_a_common_parent_when_many_folders_were_written() -> None:
    from pipeline.output.summary import RunSummary, summary_lines

    folders = tuple(Path("outputs/2013") / f"cum-{n}" for n in range(1, 9))
    statuses = tuple(
        (folder / name, status)
        for folder, status in zip(
            folders, ["tạo mới"] * 5 + ["cập nhật"] * 2 + ["không đổi"], strict=True
        )
        for name in ("01.docx", "01.pdf", "manifest.json")
    )
    lines = summary_lines(
        RunSummary(tuple(f"{f.name}.xlsx" for f in folders), (), statuses, 1, 0, folders)
    )
    assert lines == [
        "Kết quả: 8 workbook; lập được 8.",
        "  Văn bản: 8 (tạo mới 5, cập nhật 2, không đổi 1); PDF: 8 (tạo mới 5, cập nhật 2, "
        "không đổi 1).",
        "  Cảnh báo: 1; lưu ý: 0 (in ở trên).",
        "  Thư mục văn bản: 8 thư mục trong outputs/2013",
    ]
