"""Which folder a run uses, said out loud; the ranking shown before the meeting; the shipped
documentation at hand.

Before: ``build`` run from another folder with a path to a workbook quietly used the bundled
templates and wrote to ``./outputs``; ``templates check`` outside a working folder checked the
bundled templates without saying so; ``check`` showed no ranking; the documentation the
messages point to was neither in the working folder nor in the installed package.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import __version__
from pipeline.cli import cli
from pipeline.project import init_project
from pipeline.resources import USER_DOCS, bundled_docs_dir, bundled_inputs_dir
from pipeline.workbook.schema import SAMPLE_FILE

GOLDEN_REPORT = Path(__file__).parent / "golden" / "01-bao-cao-tong-ket-dang.txt"


def run(folder: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture()
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder that is not a working folder, as the current folder."""
    here = tmp_path / "Desktop"
    here.mkdir()
    monkeypatch.chdir(here)
    return here


# --- the folders a run uses --------------------------------------------------------------------


def test_a_workbook_outside_a_working_folder_says_bundled_templates_and_here(
    elsewhere: Path,
) -> None:
    shutil.copy(bundled_inputs_dir() / SAMPLE_FILE, elsewhere / SAMPLE_FILE)
    code, out, err = run(elsewhere, "build", SAMPLE_FILE, "--only", "bien-ban")
    assert code == 0, err
    first, second = out.splitlines()[:2]
    assert first.startswith(f"Mẫu văn bản: mẫu có sẵn của thidua {__version__} (")
    assert "vì templates/docx/ không có mẫu nào" in first
    assert second == "Ghi văn bản vào: outputs/"
    assert len(list((elsewhere / "outputs").rglob("*.docx"))) == 1


def test_a_workbook_of_a_working_folder_uses_its_templates_and_outputs(
    elsewhere: Path,
) -> None:
    init_project(elsewhere.parent / "cum 2025")
    workbook = f"../cum 2025/vi-du/{SAMPLE_FILE}"
    code, out, err = run(elsewhere, "build", workbook, "--only", "bien-ban")
    assert code == 0, err
    assert out.splitlines()[:2] == [
        "Mẫu văn bản: ../cum 2025/templates/docx/",
        "Ghi văn bản vào: ../cum 2025/outputs/",
    ]
    assert len(list((elsewhere.parent / "cum 2025" / "outputs").rglob("*.docx"))) == 1
    assert not (elsewhere / "outputs").exists()


def test_an_output_folder_given_is_the_one_announced(elsewhere: Path) -> None:
    init_project(elsewhere / "cum")
    code, out, _ = run(elsewhere, "build", f"cum/vi-du/{SAMPLE_FILE}", "-o", "ket-qua",
                       "--only", "bien-ban")  # fmt: skip
    assert code == 0
    assert out.splitlines()[1] == "Ghi văn bản vào: ket-qua/"
    assert (elsewhere / "ket-qua").is_dir() and not (elsewhere / "cum" / "outputs").exists()


def test_workbooks_of_two_working_folders_are_refused(elsewhere: Path) -> None:
    init_project(elsewhere / "a")
    init_project(elsewhere / "b")
    code, _out, err = run(elsewhere, "build", f"a/vi-du/{SAMPLE_FILE}", f"b/vi-du/{SAMPLE_FILE}")
    assert code == 1
    assert "nhiều thư mục làm việc khác nhau: a, b" in err
    assert not any(elsewhere.rglob("outputs"))  # nothing written


def test_templates_check_says_which_templates_it_checks(elsewhere: Path) -> None:
    code, out, _ = run(elsewhere, "templates", "check")
    assert code == 0
    assert out.splitlines()[0].startswith(f"Mẫu văn bản: mẫu có sẵn của thidua {__version__}")
    init_project(elsewhere / "cum")
    code, out, _ = run(elsewhere, "templates", "check", "cum")
    assert code == 0
    assert out.splitlines()[0] == "Mẫu văn bản: cum/templates/docx/"


# --- thidua check: the ranking before the meeting ----------------------------------------------


def golden_ranking() -> list[tuple[str, str, str, str]]:
    """(STT, unit, total, rank) of the score table in the recorded report (tests/golden)."""
    rows = []
    for line in GOLDEN_REPORT.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.replace("\xa0", " ").strip("|").split("|")]
        if len(cells) == 8 and cells[0].isdigit():
            rows.append((cells[0], cells[1], cells[6], cells[7]))
    assert len(rows) == 9
    return rows


def test_check_shows_the_ranking_as_the_report_prints_it(elsewhere: Path) -> None:
    init_project(elsewhere / "cum")
    code, out, _ = run(elsewhere, "check", f"cum/vi-du/{SAMPLE_FILE}")
    assert code == 0
    table = out.split("như sẽ in trong văn bản:\n", 1)[1].splitlines()
    assert table[0].split() == ["STT", "Đơn", "vị", "Tổng", "điểm", "Xếp", "hạng"]
    shown = []
    for line in table[1:10]:
        match = re.fullmatch(r"\s*(\d+)  (.+?)\s+(\S+)  (đồng )?xếp thứ (\S+)", line)
        assert match, line
        shown.append((match[1], match[2], match[3], match[5]))
    assert shown == golden_ranking()
    ties = [line for line in table[1:10] if "đồng xếp thứ" in line]
    assert len(ties) == 2 and all("985" in line for line in ties)  # the tie, said as such
    sentence = re.search(r"kết quả (xếp thứ Nhất: .*?)\.\n", GOLDEN_REPORT.read_text("utf-8"))
    assert sentence and table[10] == f"  Thang điểm 1.000. Biên bản ghi: {sentence[1]}"


def test_check_json_has_the_ranking_too(elsewhere: Path) -> None:
    init_project(elsewhere / "cum")
    code, out, _ = run(elsewhere, "check", "--json", f"cum/vi-du/{SAMPLE_FILE}")
    assert code == 0
    (ranking,) = json.loads(out)["rankings"]
    assert ranking["file"] == SAMPLE_FILE and ranking["year"] == 2013
    printed = [(str(u["stt"]), u["name"], u["printed"]) for u in ranking["units"]]
    assert printed == [
        (stt, name, f"{total} điểm, {'đồng ' if total == '985' else ''}xếp thứ {rank}")
        for stt, name, total, rank in golden_ranking()
    ]
    assert [u["tie"] for u in ranking["units"]][2:4] == [True, True]
    assert ranking["units"][1]["total"] == "988.5"  # exact, for machines


def test_a_workbook_with_errors_gets_no_ranking_but_says_why(elsewhere: Path) -> None:
    (elsewhere / "hong.xlsx").write_bytes(b"not a workbook")
    code, out, _err = run(elsewhere, "check", "hong.xlsx")
    assert code == 1
    assert "Chưa xếp hạng được hong.xlsx: sửa các lỗi ở trên trước." in out
    assert "Xếp hạng năm" not in out


# --- thidua tai-lieu ---------------------------------------------------------------------------


def test_tai_lieu_lists_every_shipped_page(elsewhere: Path) -> None:
    code, out, _ = run(elsewhere, "tai-lieu")
    assert code == 0
    for name, (file_name, about) in USER_DOCS.items():
        line = next(line for line in out.splitlines() if line.strip().startswith(name + " "))
        assert about in line, name
        assert (bundled_docs_dir() / file_name).is_file()


@pytest.mark.parametrize("name", [*USER_DOCS, "workbook.md", "templates"])
def test_tai_lieu_gives_the_path_of_the_installed_page(elsewhere: Path, name: str) -> None:
    code, out, _ = run(elsewhere, "tai-lieu", "--duong-dan", name)
    assert code == 0
    path = Path(out.strip())
    assert path.parent == bundled_docs_dir() and path.is_file()


def test_docs_is_the_english_name_and_an_unknown_page_is_named(elsewhere: Path) -> None:
    code, out, _ = run(elsewhere, "docs", "--path", "bo-loc")
    assert code == 0 and Path(out.strip()).name == "filters.md"
    code, _, err = run(elsewhere, "tai-lieu", "--duong-dan", "sach")
    assert code == 1
    assert "Không có tài liệu 'sach'" in err and "workbook, mau, bo-loc, luu-tru" in err


def test_every_page_the_messages_point_to_is_shipped() -> None:
    """The workbook's instructions and the messages name tai-lieu/workbook.md and friends."""
    shipped = {file_name for file_name, _ in USER_DOCS.values()}
    pipeline = Path(__file__).resolve().parent.parent / "pipeline"
    named = set()
    for source in pipeline.rglob("*.py"):
        named |= set(re.findall(r"(?:docs|tai-lieu)/([a-z-]+\.md)", source.read_text("utf-8")))
    developer = {"architecture.md", "testing-smb.md"}
    assert named - developer <= shipped, sorted(named - developer - shipped)


def test_tai_lieu_without_a_viewer_prints_the_path_to_open_by_hand(
    elsewhere: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server or a console without a desktop: nothing to open the page with."""
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    code, out, _ = run(elsewhere, "tai-lieu", "workbook")
    assert code == 0
    assert "mở tệp này bằng Notepad hoặc một trình soạn thảo" in out
    assert out.strip().splitlines()[-1] == str(bundled_docs_dir() / "workbook.md")
