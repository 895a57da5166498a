"""The province's shared settings file (issue 10, docs/cai-dat-chung.md): real workbooks written
with openpyxl beside a real shared file, read back, built into real documents.

The expected amounts are computed here by hand from the sample's proposals: one Cờ thi đua
(coefficient 8), three collective Bằng khen (2 each) and two individual Bằng khen of the Chủ
tịch UBND (1 each), so the prize money is 8 + 3 × 2 + 2 × 1 = 16 base salaries.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from folder_work import run_here as run

from pipeline.domain.model import RankMethod
from pipeline.workbook.loader import load
from pipeline.workbook.sample import sample_sheets
from pipeline.workbook.schema import SHARED_FILE, cell_of
from pipeline.workbook.xlsx_write import write_workbook

Rows = dict[str, list[dict[str, object]]]
LIST = "04-danh-sach-de-nghi-khen-thuong.docx"


def salary_rows(*rows: tuple[int, date]) -> list[dict[str, object]]:
    return [{"Mức lương cơ sở": amount, "Áp dụng từ ngày": day} for amount, day in rows]


def write_shared(inputs: Path, sheets: Rows) -> Path:
    path = inputs / SHARED_FILE
    write_workbook(sheets, path, shared=True)
    return path


def cluster_sheets(number: int) -> Rows:
    """The sample as the workbook of "Cụm thi đua số N", with no base salary of its own."""
    sheets = sample_sheets()
    for row in sheets["ThongTinChung"]:
        if row["Mục"] == "Tên cụm thi đua":
            row["Giá trị"] = f"Cụm thi đua số {number}"
    sheets["LuongCoSo"] = []
    return sheets


def setting(sheets: Rows, label: str, value: object) -> None:
    for row in sheets["ThamSo"]:
        if row["Mục"] == label:
            row["Giá trị"] = value
            return
    raise KeyError(label)


def text_of(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def folder(number: int) -> Path:
    return Path("outputs/2013") / f"cum-thi-dua-so-{number}"


@pytest.fixture
def inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "inputs").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path / "inputs"


def test_a_changed_shared_base_salary_changes_every_cluster_but_one_that_overrides_it(
    inputs: Path,
) -> None:
    write_shared(inputs, {"LuongCoSo": salary_rows((1_150_000, date(2013, 7, 1)))})
    for number in (1, 2):
        write_workbook(cluster_sheets(number), inputs / f"cum-{number}.xlsx")
    own = cluster_sheets(3)  # its own row for the same date wins over the shared one
    own["LuongCoSo"] = salary_rows((1_050_000, date(2013, 7, 1)))
    write_workbook(own, inputs / "cum-3.xlsx")
    code, _, err = run("build")
    assert code == 0, err
    for number in (1, 2):  # 16 × 1.150.000
        assert "Tổng số tiền thưởng: 18.400.000 đồng" in text_of(folder(number) / LIST)
    assert "Tổng số tiền thưởng: 16.800.000 đồng" in text_of(folder(3) / LIST)  # 16 × 1.050.000
    manifest = json.loads((folder(1) / "manifest.json").read_text("utf-8"))
    assert [i["path"] for i in manifest["inputs"]] == ["cum-1.xlsx", SHARED_FILE]

    # The province changes the base salary: every cluster using it is rebuilt.
    write_shared(inputs, {"LuongCoSo": salary_rows((1_210_000, date(2013, 7, 1)))})
    code, out, err = run("build")
    assert code == 0, err
    for number in (1, 2):
        text = text_of(folder(number) / LIST)
        assert "Tổng số tiền thưởng: 19.360.000 đồng" in text  # 16 × 1.210.000
        assert "mức lương cơ sở 1.210.000 đồng" in text
        assert f"cập nhật   outputs/2013/cum-thi-dua-so-{number}/{LIST}" in out
    assert "Tổng số tiền thưởng: 16.800.000 đồng" in text_of(folder(3) / LIST)
    assert f"không đổi  outputs/2013/cum-thi-dua-so-3/{LIST}" in out
    # Its manifest records the new shared file all the same: the input changed.
    assert "cập nhật   outputs/2013/cum-thi-dua-so-3/manifest.json" in out
    manifest = json.loads((folder(3) / "manifest.json").read_text("utf-8"))
    digest = hashlib.sha256((inputs / SHARED_FILE).read_bytes()).hexdigest()
    assert manifest["inputs"][1] == {
        "path": SHARED_FILE,
        "sha256": digest,
        "size": (inputs / SHARED_FILE).stat().st_size,
    }


def test_a_cluster_may_leave_out_the_sheets_the_shared_file_has(inputs: Path) -> None:
    from pipeline.workbook.loader import load_shared

    sheets = sample_sheets()
    shared: Rows = {
        "LuongCoSo": sheets["LuongCoSo"],
        "HinhThuc": sheets["HinhThuc"],
        "ThamSo": sheets["ThamSo"],
    }
    path = inputs / "cum.xlsx"
    write_workbook(sheets, path)
    wb = openpyxl.load_workbook(path)
    for name in ("LuongCoSo", "HinhThuc", "ThamSo"):
        del wb[name]
    wb.save(path)
    alone, problems = load(path)
    assert alone is not None
    assert alone.unreadable == {"base_salaries", "params", "award_forms"}
    assert {(p.code, p.location.sheet) for p in problems if p.is_error} == {
        ("sheet-missing", "LuongCoSo"),
        ("sheet-missing", "HinhThuc"),
        ("sheet-missing", "ThamSo"),
    }
    write_shared(inputs, shared)
    dossier, problems = load(path, load_shared(inputs / SHARED_FILE))
    assert dossier is not None, problems
    assert [p for p in problems if p.is_error] == []
    assert dossier.unreadable == frozenset()
    assert dossier.params.award_forms["CO_UBND"].coefficient == Decimal(8)
    assert dossier.params.award_forms["CO_UBND"].src.file == SHARED_FILE
    assert str(dossier.params.at("score_step")) == f"{SHARED_FILE} › ThamSo!B11"
    assert dossier.params.score_step == Decimal("0.5")
    # The build reads the file beside the workbook by itself.
    code, _, err = run("build")
    assert code == 0, err


def test_cluster_rows_override_the_shared_ones_key_by_key(inputs: Path) -> None:
    from pipeline.workbook.loader import load_shared
    from pipeline.workbook.shared import facts_from_shared

    write_shared(
        inputs,
        {
            "HinhThuc": [
                {
                    "Mã hình thức": "BK_UBND_TT",
                    "Tên hình thức": "Bằng khen (tỉnh)",
                    "Đối tượng": "Tập thể",
                    "Hệ số tiền thưởng": Decimal(3),
                },
                {
                    "Mã hình thức": "GK_TINH",
                    "Tên hình thức": "Giấy khen của tỉnh",
                    "Đối tượng": "Tập thể",
                    "Hệ số tiền thưởng": Decimal("0.5"),
                },
            ],
            "ThamSo": [
                {"Mục": "Cách xếp hạng khi bằng điểm", "Giá trị": "Liên tiếp (1, 2, 3, 3, 4)"},
                {"Mục": "Số Cờ thi đua tối đa", "Giá trị": 2},
            ],
            "CanCu": [{"Văn bản": "Tất cả", "Căn cứ": "Quyết định số 01/QĐ-UBND của tỉnh"}],
            "LuongCoSo": salary_rows((1_390_000, date(2018, 7, 1))),
        },
    )
    sheets = sample_sheets()
    setting(sheets, "Số Cờ thi đua tối đa", None)  # blank: the shared value
    path = inputs / "cum.xlsx"
    write_workbook(sheets, path)
    shared = load_shared(inputs / SHARED_FILE)
    assert shared.problems == ()
    dossier, problems = load(path, shared)
    assert dossier is not None and not [p for p in problems if p.is_error], problems
    params = dossier.params
    # HinhThuc by code: the cluster's BK_UBND_TT (coefficient 2) wins; GK_TINH is added.
    assert params.award_forms["BK_UBND_TT"].coefficient == Decimal(2)
    assert params.award_forms["BK_UBND_TT"].src.file == "cum.xlsx"
    assert params.award_forms["GK_TINH"].src.file == SHARED_FILE
    # ThamSo setting by setting: the cluster's rank method wins, its blank flag quota inherits.
    assert params.rank_method is RankMethod.COMPETITION
    assert params.flag_quota == 2
    assert str(params.at("flag_quota")) == f"{SHARED_FILE} › ThamSo!B3"
    assert str(params.at("rank_method")) == f"cum.xlsx › ThamSo!{cell_of('ThamSo', 0, 'Giá trị')}"
    # LuongCoSo by date: the cluster's two rows and the shared one of another date.
    assert sorted(s.effective_from.year for s in params.base_salaries) == [2013, 2018, 2024]
    # CanCu by document: the covenant keeps the cluster's lines; the others take the shared one.
    covenant = [b.text for b in dossier.legal_bases if "giao_uoc" in b.documents]
    report = [b.text for b in dossier.legal_bases if "bao_cao" in b.documents]
    assert len(covenant) == 3 and covenant[0].startswith("Luật Thi đua, khen thưởng ngày 26")
    assert report == ["Quyết định số 01/QĐ-UBND của tỉnh"]
    assert facts_from_shared(dossier, SHARED_FILE) == {
        "award_forms": ("GK_TINH",),
        "base_salaries": ("2018-07-01",),
        "legal_bases": ("Quyết định số 01/QĐ-UBND của tỉnh",),
        "params": ("flag_quota",),
    }


def test_an_error_in_the_shared_file_is_located_there_reported_once_and_stops_its_clusters(
    inputs: Path,
) -> None:
    bad = {"Mức lương cơ sở": "một triệu", "Áp dụng từ ngày": date(2013, 7, 1)}
    write_shared(inputs, {"LuongCoSo": [bad]})
    for number in (1, 2):
        write_workbook(cluster_sheets(number), inputs / f"cum-{number}.xlsx")
    code, out, err = run("check")
    assert code == 1
    located = f"Lỗi: {SHARED_FILE} › LuongCoSo!A2: Ô “Mức lương cơ sở”"
    assert out.count(located) == 1, out
    assert out.count(f"Tệp cài đặt chung {SHARED_FILE} có lỗi") == 2
    code, out, err = run("build")
    assert code == 1
    assert err.count(located) == 1, err
    assert "Không lập được 2/2 workbook: cum-1.xlsx, cum-2.xlsx" in err
    assert not Path("outputs").exists()


def test_a_warning_of_the_shared_file_is_said_once_however_many_clusters_read_it(
    inputs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every cluster reads the shared file and gets its warnings: the secretary is told once,
    by check and by build alike, although each of the pool's processes reads the file and
    reports them."""
    from pipeline.parallel import MIN_ITEMS

    monkeypatch.setenv("THIDUA_WORKERS", "2")
    path = write_shared(inputs, {"LuongCoSo": salary_rows((1_150_000, date(2013, 7, 1)))})
    book = openpyxl.load_workbook(path)
    sheet = book["LuongCoSo"]
    sheet.cell(row=1, column=sheet.max_column + 1, value="Ghi chú riêng")
    book.save(path)
    for number in range(1, MIN_ITEMS + 1):
        write_workbook(cluster_sheets(number), inputs / f"cum-{number:02d}.xlsx")
    warning = "Cột “Ghi chú riêng” không có trong mẫu nên không được đọc"
    code, out, err = run("check")
    assert code == 0, out + err
    assert out.count(warning) == 1, out
    code, out, err = run("build")
    assert code == 0, err
    assert (out + err).count(warning) == 1, out + err
    assert "Cảnh báo: 1; lưu ý: 24 (in ở trên)." in out  # the summary counts it once too
    assert all((folder(n) / LIST).exists() for n in range(1, MIN_ITEMS + 1))


def test_a_worker_started_afresh_reads_the_shared_file_itself_once(
    inputs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pool's worker on Windows or macOS is a new interpreter that inherits no shared files
    of the run: it reads the shared file beside its workbooks itself, once for all of them."""
    from pipeline import checking
    from pipeline.workbook import loader

    shared = write_shared(inputs, {"LuongCoSo": salary_rows((1_150_000, date(2013, 7, 1)))})
    for number in (1, 2):
        write_workbook(cluster_sheets(number), inputs / f"cum-{number}.xlsx")
    monkeypatch.setattr(checking, "_RUN_SHARED", [])  # as in a fresh interpreter
    reads: list[Path] = []
    real_load_shared = loader.load_shared

    def counted(path: Path) -> object:
        reads.append(path)
        return real_load_shared(path)

    monkeypatch.setattr(loader, "load_shared", counted)
    first = checking._check_job(inputs / "cum-1.xlsx")
    second = checking._check_job(inputs / "cum-2.xlsx")
    assert reads == [shared]
    for checked in (first, second):  # the shared base salary, which these clusters lack
        assert checked.shared == shared and not [p for p in checked.problems if p.is_error]
        assert checked.dossier is not None
        assert [s.amount for s in checked.dossier.params.base_salaries] == [Decimal(1_150_000)]


def test_without_a_shared_file_nothing_changes(inputs: Path) -> None:
    """The sample builds exactly as before when a blank shared file lies beside it."""
    from pipeline.workbook.loader import load_shared

    path = inputs / "cum.xlsx"
    write_workbook(sample_sheets(), path)
    before, _ = load(path)
    write_shared(inputs, {})
    after, problems = load(path, load_shared(inputs / SHARED_FILE))
    assert after == before and not [p for p in problems if p.is_error]


def test_the_shared_file_named_on_the_command_line_is_checked_as_what_it_is(
    inputs: Path,
) -> None:
    path = write_shared(inputs, {})
    code, out, _ = run("check", str(path))
    assert code == 0 and "Lỗi" not in out, out
    bad = {"Mức lương cơ sở": 1_150_000, "Áp dụng từ ngày": "1/7/13 nhé"}
    write_shared(inputs, {"LuongCoSo": [bad]})
    code, out, _ = run("check", str(path))
    assert code == 1
    assert f"Lỗi: {SHARED_FILE} › LuongCoSo!B2: " in out
    assert "sheet-missing" not in out and "Thiếu sheet" not in out
    code, _, err = run("build", str(path))
    assert code == 1
    assert f"Lỗi: {SHARED_FILE} › LuongCoSo!B2: " in err  # its own errors, once
    write_shared(inputs, {})
    code, _, err = run("build", str(path))
    assert code == 1
    assert f"{SHARED_FILE} là tệp cài đặt chung, không phải workbook của một cụm" in err
    assert not Path("outputs").exists()


def test_the_change_report_names_the_shared_file_as_the_cause(inputs: Path) -> None:
    """Issue 10: a changed shared base salary is reported, per cluster, with the shared file's
    cell as the cause and the prize money that follows from it."""
    write_shared(inputs, {"LuongCoSo": salary_rows((1_150_000, date(2013, 7, 1)))})
    write_workbook(cluster_sheets(1), inputs / "cum-1.xlsx")
    assert run("build")[0] == 0
    write_shared(inputs, {"LuongCoSo": salary_rows((1_210_000, date(2013, 7, 1)))})
    code, out, err = run("build")
    assert code == 0, err
    report = out.split("# Những gì thay đổi", 1)[1].split("\nKết quả: ", 1)[0]
    cause = report.split("Ô đã sửa trong workbook (nguyên nhân):\n", 1)[1].split("\n\n", 1)[0]
    # the shared file's own cell (LuongCoSo row 2, column A: Mức lương cơ sở), old → new
    assert cause.splitlines() == [
        f"- {SHARED_FILE} › LuongCoSo!A2 (mức lương cơ sở): 1.150.000 → 1.210.000"
    ], cause
    # 16 × the base salary, in the list's total
    assert "18.400.000 → 19.360.000" in report, report
    written = sorted(p.name for p in folder(1).glob("thay-doi-*.md"))
    assert len(written) == 1 and SHARED_FILE in (folder(1) / written[0]).read_text("utf-8")
