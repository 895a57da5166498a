"""The change report of a rebuild (issue 10), end to end on real workbooks and real documents.

The sample workbook is copied, built once, then corrected the way a secretary does it: one cell
changed in Excel (here with openpyxl, load and save), then ``thidua build`` again. Every expected
line below is written from the workbook change itself: the cell, its old and new value, the
unit's total recomputed here from the ChamDiem and DiemCongTru sheets, and the competition
ranking (1, 2, 3, 3, 5) of the sample's ThamSo sheet. None is copied from the program's output.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from folder_work import DOCUMENTS as BUNDLED_DOCUMENTS
from folder_work import RELATIVE, SAMPLE
from folder_work import run_here as run
from lxml import etree

FOLDER = Path(RELATIVE)
DOCUMENTS = list(BUNDLED_DOCUMENTS)
ORDINALS = ["Nhất", "Nhì", "Ba", "Tư", "Năm", "Sáu", "Bảy", "Tám", "Chín"]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def workbook(workdir: Path) -> Path:
    return workdir / "inputs" / SAMPLE


def find_row(sheet: openpyxl.worksheet.worksheet.Worksheet, **wanted: str) -> int:
    """The row whose cells under the given headers hold the given values."""
    headers = {cell.value: cell.column_letter for cell in sheet[1]}
    for row in range(2, sheet.max_row + 1):
        if all(sheet[f"{headers[h]}{row}"].value == v for h, v in wanted.items()):
            return row
    raise AssertionError(f"no row {wanted} in {sheet.title}")


def column(sheet: openpyxl.worksheet.worksheet.Worksheet, header: str) -> str:
    return next(str(c.column_letter) for c in sheet[1] if c.value == header)


def set_cell(path: Path, sheet: str, cell: str, value: object) -> object:
    """Change one cell as Excel would (the rest of the file kept); return the old value."""
    book = openpyxl.load_workbook(path)
    old = book[sheet][cell].value
    book[sheet][cell] = value
    book.save(path)
    return old


def totals(path: Path) -> dict[str, Decimal]:
    """Each unit's total, recomputed here: the cluster scores plus bonuses minus deductions."""
    book = openpyxl.load_workbook(path, data_only=True)
    scores = book["ChamDiem"]
    unit, points = column(scores, "Mã đơn vị"), column(scores, "Điểm cụm chấm")
    total: dict[str, Decimal] = {}
    for row in range(2, scores.max_row + 1):
        code = scores[f"{unit}{row}"].value
        if code:
            total[code] = total.get(code, Decimal(0)) + Decimal(str(scores[f"{points}{row}"].value))
    adjustments = book["DiemCongTru"]
    a_unit, kind, amount = (column(adjustments, h) for h in ("Mã đơn vị", "Loại", "Số điểm"))
    for row in range(2, adjustments.max_row + 1):
        code = adjustments[f"{a_unit}{row}"].value
        if code:
            sign = 1 if adjustments[f"{kind}{row}"].value == "Cộng" else -1
            total[code] += sign * Decimal(str(adjustments[f"{amount}{row}"].value))
    return total


def ranks(total: dict[str, Decimal]) -> dict[str, int]:
    """Competition ranking (1, 2, 3, 3, 5): one more than the number of better totals."""
    return {code: 1 + sum(1 for t in total.values() if t > mine) for code, mine in total.items()}


def number(value: Decimal) -> str:
    """985 → ``985``, 988.5 → ``988,5`` (the Vietnamese decimal comma)."""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def report_section(out: str) -> list[str]:
    """The printed change report, from its title to the closing summary of the build."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("# Những gì thay đổi"))
    end = next(i for i, line in enumerate(lines) if line.startswith("Kết quả: "))
    return lines[start:end]


def bullets_after(report: list[str], heading: str) -> list[str]:
    """The ``- `` lines that follow ``heading`` up to the next blank line or heading."""
    start = report.index(heading) + 1
    found = []
    for line in report[start:]:
        if not line.startswith("- "):
            break
        found.append(line[2:])
    return found


def tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        if path.is_file():
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------------


def test_the_snapshot_records_the_printed_facts_and_their_cells(workdir: Path) -> None:
    code, out, err = run("build")
    assert code == 0, err
    assert "Lần lập đầu tiên" in out
    assert not list(FOLDER.glob("thay-doi-*")), "a first build has nothing to compare"
    data = json.loads((FOLDER / "du-lieu-in.json").read_text("utf-8"))
    book = openpyxl.load_workbook(workbook(workdir))
    scores = book["ChamDiem"]
    unit = column(scores, "Mã đơn vị")
    rows = [r for r in range(2, scores.max_row + 1) if scores[f"{unit}{r}"].value == "BTGTU"]
    points = column(scores, "Điểm cụm chấm")
    fact = data["du_lieu"]["bang_diem[BTGTU].tong"]
    assert fact["gia_tri"] == number(totals(workbook(workdir))["BTGTU"])
    assert fact["muc"] == "tổng điểm" and fact["chu_the"] == "Ban Tuyên giáo Tỉnh ủy"
    assert fact["nguon"] == f"{SAMPLE} › ChamDiem!{points}{rows[0]}:{points}{rows[-1]}"
    assert fact["van_ban"] == DOCUMENTS[:2]
    documents = book["VanBan"]
    row = find_row(documents, **{"Văn bản": "Danh sách đề nghị khen thưởng"})
    signed = data["du_lieu"]["van_ban.danh_sach.ngay"]
    assert signed["gia_tri"] == documents[f"E{row}"].value.strftime("%d/%m/%Y")
    assert signed["nguon"] == f"{SAMPLE} › VanBan!{column(documents, 'Ngày ký')}{row}"
    assert signed["van_ban"] == [DOCUMENTS[3]]
    assert data["o_nhap"][f"ChamDiem!{points}{rows[0]}"]["muc"] == "điểm cụm chấm"


def test_a_corrected_score_names_the_cell_the_totals_and_the_ranks(workdir: Path) -> None:
    assert run("build")[0] == 0
    book = openpyxl.load_workbook(workbook(workdir))
    scores = book["ChamDiem"]
    row = find_row(scores, **{"Mã đơn vị": "BTGTU", "Mã tiêu chí": "I.2"})
    cell = f"{column(scores, 'Điểm cụm chấm')}{row}"
    before = totals(workbook(workdir))
    old = Decimal(str(scores[cell].value))
    set_cell(workbook(workdir), "ChamDiem", cell, int(old - 3))
    after = totals(workbook(workdir))
    rank_before, rank_after = ranks(before), ranks(after)
    tied_before = {c for c, r in rank_before.items() if list(rank_before.values()).count(r) > 1}
    tied_after = {c for c, r in rank_after.items() if list(rank_after.values()).count(r) > 1}
    # Written from the workbook: BTGTU loses 3 points, 985 → 982, and meets BTCTU's 982.
    assert (before["BTGTU"], after["BTGTU"], after["BTCTU"]) == (985, 982, 982)
    assert (rank_before["BTGTU"], rank_after["BTGTU"], rank_before["BTCTU"]) == (3, 4, 5)

    code, out, err = run("build")
    assert code == 0, err
    report = report_section(out)
    cause = (
        f"{SAMPLE} › ChamDiem!{cell} (Ban Tuyên giáo Tỉnh ủy, tiêu chí I.2, điểm cụm chấm): "
        f"{number(old)} → {number(old - 3)}"
    )
    assert bullets_after(report, "Ô đã sửa trong workbook (nguyên nhân):") == [cause]

    def word(rank: int) -> str:
        return ORDINALS[rank - 1]

    def tie(code: str, ties: set[str]) -> str:
        return "có" if code in ties else "không"

    expected_units = [
        # BTCTU: same points, now tied with BTGTU one place higher.
        f"Ban Tổ chức Tỉnh ủy: đồng hạng {tie('BTCTU', tied_before)} → "
        f"{tie('BTCTU', tied_after)}; xếp thứ {word(rank_before['BTCTU'])} → "
        f"{word(rank_after['BTCTU'])}",
        f"Ban Tuyên giáo Tỉnh ủy: điểm cụm chấm {number(before['BTGTU'])} → "
        f"{number(after['BTGTU'])}; tổng điểm {number(before['BTGTU'])} → "
        f"{number(after['BTGTU'])}; xếp thứ {word(rank_before['BTGTU'])} → "
        f"{word(rank_after['BTGTU'])}",
        # VPTU keeps 985 and third place, no longer shared.
        f"Văn phòng Tỉnh ủy: đồng hạng {tie('VPTU', tied_before)} → {tie('VPTU', tied_after)}",
    ]
    assert expected_units == [
        "Ban Tổ chức Tỉnh ủy: đồng hạng không → có; xếp thứ Năm → Tư",
        "Ban Tuyên giáo Tỉnh ủy: điểm cụm chấm 985 → 982; tổng điểm 985 → 982; xếp thứ Ba → Tư",
        "Văn phòng Tỉnh ủy: đồng hạng có → không",
    ]
    facts = bullets_after(report, "Số liệu in trong văn bản đã thay đổi:")
    assert facts[:3] == expected_units
    award = (
        "Đề nghị khen thưởng Ban Tuyên giáo Tỉnh ủy (BK_UBND_TT): kết quả thi đua "
        "“xếp thứ Ba, 985/1.000 điểm” → “xếp thứ Tư, 982/1.000 điểm”"
    )
    assert award in facts
    ranking = [f for f in facts if f.startswith("Câu xếp hạng:")]
    assert ranking == [
        "Câu xếp hạng: “… Tỉnh ủy; xếp thứ [Ba gồm → Ba:] Văn phòng Tỉnh ủy "
        "[− và Ban Tuyên giáo Tỉnh ủy]”"
    ]
    assert len(facts) == 6  # the three units, the two ranking sentences, the award's result
    # Per document: the covenant prints no score; the list prints the award's result only.
    assert bullets_after(report, "### 03-giao-uoc-thi-dua.docx (không đổi)") == ["Không thay đổi."]
    assert bullets_after(report, "### 04-danh-sach-de-nghi-khen-thuong.docx (cập nhật)") == [award]
    assert bullets_after(report, "### 01-bao-cao-tong-ket.docx (cập nhật)")[:3] == expected_units
    # The same report is written into the folder, dated.
    (written,) = FOLDER.glob("thay-doi-*.md")
    assert written.name == f"thay-doi-{dt.date.today().isoformat()}.md"
    text = written.read_text("utf-8")
    assert cause in text and award in text and expected_units[1] in text
    assert text.splitlines()[0].endswith(f"({dt.date.today().strftime('%d/%m/%Y')})")


def test_a_corrected_signing_date_is_the_whole_report(workdir: Path) -> None:
    assert run("build")[0] == 0
    documents = openpyxl.load_workbook(workbook(workdir))["VanBan"]
    row = find_row(documents, **{"Văn bản": "Danh sách đề nghị khen thưởng"})
    cell = f"{column(documents, 'Ngày ký')}{row}"
    old = set_cell(workbook(workdir), "VanBan", cell, dt.datetime(2014, 1, 12))
    assert old == dt.datetime(2014, 1, 10)

    code, out, err = run("build")
    assert code == 0, err
    expected = [
        "# Những gì thay đổi sau lần lập này",
        "",
        "## Cụm thi đua các Ban Đảng thuộc Tỉnh ủy Lạng Sơn, năm 2013",
        "",
        "Ô đã sửa trong workbook (nguyên nhân):",
        f"- {SAMPLE} › VanBan!{cell} (Danh sách đề nghị khen thưởng, ngày ký): "
        "10/01/2014 → 12/01/2014",
        "",
        "Số liệu in trong văn bản đã thay đổi:",
        "- Danh sách đề nghị khen thưởng: ngày ký 10/01/2014 → 12/01/2014",
        "",
        "### 01-bao-cao-tong-ket.docx (không đổi)",
        "- Không thay đổi.",
        "",
        "### 02-bien-ban-hoi-nghi.docx (không đổi)",
        "- Không thay đổi.",
        "",
        "### 03-giao-uoc-thi-dua.docx (không đổi)",
        "- Không thay đổi.",
        "",
        "### 04-danh-sach-de-nghi-khen-thuong.docx (cập nhật)",
        "- Danh sách đề nghị khen thưởng: ngày ký 10/01/2014 → 12/01/2014",
    ]
    assert report_section(out) == expected


def test_a_renamed_unit_is_reported_once_and_its_echoes_counted(workdir: Path) -> None:
    assert run("build")[0] == 0
    units = openpyxl.load_workbook(workbook(workdir))["DonVi"]
    row = find_row(units, **{"Mã đơn vị": "BTGTU"})
    cell = f"{column(units, 'Tên đầy đủ')}{row}"
    old = "Ban Tuyên giáo Tỉnh ủy"
    new = "Ban Tuyên giáo và Dân vận Tỉnh ủy"
    assert set_cell(workbook(workdir), "DonVi", cell, new) == old

    code, out, err = run("build")
    assert code == 0, err
    report = report_section(out)
    assert bullets_after(report, "Ô đã sửa trong workbook (nguyên nhân):") == [
        f"{SAMPLE} › DonVi!{cell} (Ban Tuyên giáo Tỉnh ủy, tên đầy đủ): {old} → {new}"
    ]
    facts = bullets_after(report, "Số liệu in trong văn bản đã thay đổi:")
    assert facts[0] == (
        f"{old}: tên đầy đủ “{old}” → “{new}”; tên ở ô chữ ký “{old.upper()}” → “{new.upper()}”"
    )
    assert f"Đề nghị khen thưởng {old} (BK_UBND_TT): tên đầy đủ “{old}” → “{new}”" in facts
    assert f"Ý kiến phát biểu 1: đơn vị “{old}” → “{new}”" in facts
    # The sentences that only swap the name are counted, not repeated.
    (echoes,) = [f for f in facts if f.startswith("Tên mới cũng thay cho tên cũ")]
    assert echoes == (
        "Tên mới cũng thay cho tên cũ ở 5 chỗ khác (câu thành phần, câu xếp hạng, "
        "câu xếp hạng kèm điểm, câu đề nghị khen thưởng, danh sách)"
    )
    assert not any(f.startswith(("Câu thành phần", "Câu xếp hạng")) for f in facts)
    # The covenant prints the name only in its signature grid.
    assert bullets_after(report, "### 03-giao-uoc-thi-dua.docx (cập nhật)")[0] == (
        f"{old}: tên ở ô chữ ký “{old.upper()}” → “{new.upper()}”"
    )


def money(value: Decimal) -> str:
    """1210000 → ``1.210.000``."""
    return f"{int(value):,}".replace(",", ".")


def test_a_changed_base_salary_changes_every_amount_and_the_totals(workdir: Path) -> None:
    """The shared figure of the issue: the base salary in force changes; every prize is
    coefficient × base salary, recomputed here from the HinhThuc sheet."""
    assert run("build")[0] == 0
    book = openpyxl.load_workbook(workbook(workdir))
    salaries = book["LuongCoSo"]
    cell = f"{column(salaries, 'Mức lương cơ sở')}2"  # the 2013 row (from 01/07/2013)
    old_base, new_base = Decimal(str(salaries[cell].value)), Decimal(1_210_000)
    forms = book["HinhThuc"]
    coefficient = {
        forms[f"{column(forms, 'Mã hình thức')}{r}"].value: forms[
            f"{column(forms, 'Hệ số tiền thưởng')}{r}"
        ].value
        for r in range(2, forms.max_row + 1)
    }
    units = book["DonVi"]
    name_of = {
        units[f"A{r}"].value: units[f"{column(units, 'Tên đầy đủ')}{r}"].value
        for r in range(2, units.max_row + 1)
    }

    def proposals(sheet: str, who: str) -> list[tuple[str, str, Decimal]]:
        rows = book[sheet]
        found = []
        for r in range(2, rows.max_row + 1):
            form = rows[f"{column(rows, 'Hình thức khen thưởng')}{r}"].value
            key = rows[f"{column(rows, who)}{r}"].value
            if form and coefficient.get(form) is not None:
                found.append((str(key), str(form), Decimal(str(coefficient[form]))))
        return sorted(found)

    people = proposals("DeNghiCaNhan", "Họ tên")
    bodies = proposals("DeNghiTapThe", "Mã đơn vị")
    set_cell(workbook(workdir), "LuongCoSo", cell, int(new_base))

    code, out, err = run("build")
    assert code == 0, err
    report = report_section(out)
    assert bullets_after(report, "Ô đã sửa trong workbook (nguyên nhân):") == [
        f"{SAMPLE} › LuongCoSo!{cell} (mức lương cơ sở): {money(old_base)} → {money(new_base)}"
    ]
    expected = [
        f"Đề nghị khen thưởng {name} ({form}): số tiền {money(k * old_base)} → "
        f"{money(k * new_base)} đồng"
        for name, form, k in people
    ] + [
        f"Đề nghị khen thưởng {name_of[code]} ({form}): số tiền {money(k * old_base)} → "
        f"{money(k * new_base)} đồng"
        for code, form, k in bodies
    ]
    individual = sum(k for _, _, k in people)
    collective = sum(k for _, _, k in bodies)
    expected += [
        f"Mức lương cơ sở {money(old_base)} → {money(new_base)} đồng",
        f"Tổng tiền thưởng {money((individual + collective) * old_base)} → "
        f"{money((individual + collective) * new_base)} đồng",
        f"Tổng tiền thưởng cá nhân {money(individual * old_base)} → "
        f"{money(individual * new_base)} đồng",
        f"Tổng tiền thưởng tập thể {money(collective * old_base)} → "
        f"{money(collective * new_base)} đồng",
    ]
    assert bullets_after(report, "Số liệu in trong văn bản đã thay đổi:") == expected
    assert bullets_after(report, "### 04-danh-sach-de-nghi-khen-thuong.docx (cập nhật)") == expected
    for name in DOCUMENTS[:3]:  # the amounts are printed in the list only
        assert bullets_after(report, f"### {name} (không đổi)") == ["Không thay đổi."]


def test_an_edited_template_is_named_as_the_cause(workdir: Path) -> None:
    from docx import Document

    from pipeline.resources import bundled_templates_dir

    assert run("build")[0] == 0
    shutil.copytree(bundled_templates_dir(), workdir / "templates" / "docx")
    edited = workdir / "templates" / "docx" / DOCUMENTS[3]
    document = Document(str(edited))
    document.add_paragraph("Ghi chú thêm của thư ký.")
    document.save(str(edited))
    code, out, err = run("build")
    assert code == 0, err
    report = report_section(out)
    assert bullets_after(report, "Mẫu văn bản, chương trình đã đổi (nguyên nhân):") == [
        f"Mẫu văn bản {DOCUMENTS[3]}: đã sửa"
    ]
    assert "Không số liệu nào in trong văn bản thay đổi." in report
    assert bullets_after(report, f"### {DOCUMENTS[3]} (cập nhật)") == [
        "Số liệu in không đổi; văn bản khác bản trước ở phần khác (mẫu văn bản, chương trình, "
        "hoặc bản cũ đã được sửa tay)"
    ]
    assert bullets_after(report, f"### {DOCUMENTS[0]} (không đổi)") == ["Không thay đổi."]


def test_a_dry_run_prints_the_report_and_writes_nothing(workdir: Path) -> None:
    assert run("build")[0] == 0
    units = openpyxl.load_workbook(workbook(workdir))["DonVi"]
    cell = f"{column(units, 'Tên đầy đủ')}{find_row(units, **{'Mã đơn vị': 'BTGTU'})}"
    set_cell(workbook(workdir), "DonVi", cell, "Ban Tuyên giáo và Dân vận Tỉnh ủy")
    before = tree_hash(workdir / "outputs")
    for option in ("--xem-truoc", "--dry-run"):
        code, out, err = run("build", option)
        assert code == 0, err
        assert tree_hash(workdir / "outputs") == before, option
        assert "xem trước: chưa ghi" in out
        assert f"DonVi!{cell} (Ban Tuyên giáo Tỉnh ủy, tên đầy đủ)" in out
    # The real build afterwards writes what the dry run announced.
    code, out, _ = run("build")
    assert code == 0
    assert tree_hash(workdir / "outputs") != before


def test_json_gives_the_whole_run(workdir: Path) -> None:
    assert run("build")[0] == 0
    documents = openpyxl.load_workbook(workbook(workdir))["VanBan"]
    row = find_row(documents, **{"Văn bản": "Danh sách đề nghị khen thưởng"})
    cell = f"{column(documents, 'Ngày ký')}{row}"
    set_cell(workbook(workdir), "VanBan", cell, dt.datetime(2014, 1, 12))
    code, out, _ = run("build", "--json")
    assert code == 0
    data = json.loads(out)
    by_file = {Path(f["duong_dan"]).name: f["trang_thai"] for f in data["tep"]}
    assert [by_file[name] for name in DOCUMENTS] == ["không đổi"] * 3 + ["cập nhật"]
    assert data["cap_nhat"] == 3  # the list, the manifest, the snapshot
    assert data["tao_moi"] == 1  # the dated report
    (cluster,) = data["thay_doi"]
    assert cluster["o_thay_doi"] == [
        {
            "o": f"VanBan!{cell}",
            "chu_the": "Danh sách đề nghị khen thưởng",
            "muc": "ngày ký",
            "truoc": "10/01/2014",
            "sau": "12/01/2014",
        }
    ]
    assert cluster["dien_giai"] == [
        "Danh sách đề nghị khen thưởng: ngày ký 10/01/2014 → 12/01/2014"
    ]
    assert cluster["van_ban"][DOCUMENTS[0]] == []
    assert data["van_de"] == []
    # Previewed, the run lists what each file would become (nothing changed since).
    code, out, _ = run("build", "--json", "--xem-truoc")
    assert code == 0
    data = json.loads(out)
    assert data["xem_truoc"] is True and data["khong_doi"] == 6
    assert {Path(f["duong_dan"]).name for f in data["tep"]} >= {*DOCUMENTS, "manifest.json"}
    # From Python, build() makes no tracked-changes copy unless asked (the command's default).
    from pipeline.build import build

    set_cell(workbook(workdir), "VanBan", cell, dt.datetime(2014, 1, 13))
    found: list[object] = []
    build([workbook(workdir)], workdir / "outputs", echo=lambda _: None, on_report=found.append)
    assert not (FOLDER / "so-sanh").exists() and found and not found[0].notes  # type: ignore[attr-defined]
    # A workbook with an error: exit 1, the problem located, nothing listed as written.
    set_cell(workbook(workdir), "VanBan", cell, "không phải ngày")
    code, out, _ = run("build", "--json")
    assert code == 1
    data = json.loads(out)
    assert data["tep"] == []
    assert any(p["cell"] == cell and p["severity"] == "error" for p in data["van_de"])


# --- --so-sanh: native tracked changes --------------------------------------------------------


def body_text(docx: bytes) -> str:
    """The text of every paragraph of the body, one line each (table cells included)."""
    with zipfile.ZipFile(__import__("io").BytesIO(docx)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    return "\n".join(
        "".join(t.text or "" for t in p.iter(f"{W}t", f"{W}delText")) for p in root.iter(f"{W}p")
    )


def resolve(docx: bytes, accept: bool) -> bytes:
    """Accept (or reject) every tracked change by editing the XML, as Word's buttons do:
    accepting keeps the insertions and drops the deletions; rejecting does the opposite."""
    import io

    source = zipfile.ZipFile(io.BytesIO(docx))
    root = etree.fromstring(source.read("word/document.xml"))
    keep, drop = (f"{W}ins", f"{W}del") if accept else (f"{W}del", f"{W}ins")
    # Rows and paragraph marks carry their own ins/del inside trPr/rPr.
    for mark in list(root.iter(drop)):
        parent = mark.getparent()
        if parent is not None and parent.tag == f"{W}trPr":
            row = parent.getparent()
            row.getparent().remove(row)
    for mark in list(root.iter(drop)):
        parent = mark.getparent()
        if parent is None:
            continue
        if parent.tag == f"{W}rPr" and parent.getparent().tag == f"{W}pPr":
            parent.remove(mark)  # a paragraph mark: the paragraph itself stays
            continue
        parent.remove(mark)
    for mark in list(root.iter(keep)):
        parent = mark.getparent()
        if parent is None:
            continue
        if parent.tag in (f"{W}trPr", f"{W}rPr"):
            parent.remove(mark)
            continue
        index = parent.index(mark)
        for child in list(mark):
            parent.insert(index, child)
            index += 1
        parent.remove(mark)
    for deleted in root.iter(f"{W}delText"):
        deleted.tag = f"{W}t"
    for change in list(root.iter(f"{W}rPrChange", f"{W}pPrChange")):
        change.getparent().remove(change)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            target.writestr(item, data)
    return out.getvalue()


def redlines_installed() -> bool:
    try:
        import python_redlines.engines  # noqa: F401
    except ImportError:
        return False
    return True


def test_so_sanh_makes_tracked_changes_that_accept_to_new_and_reject_to_old(
    workdir: Path,
) -> None:
    if not redlines_installed():
        if os.environ.get("THIDUA_REQUIRE_SO_SANH"):
            pytest.fail("python-redlines is not installed but THIDUA_REQUIRE_SO_SANH is set")
        pytest.skip("python-redlines (pip install 'thidua[so-sanh]') is not installed here")
    assert run("build")[0] == 0
    old = {name: (FOLDER / name).read_bytes() for name in DOCUMENTS}
    scores = openpyxl.load_workbook(workbook(workdir))["ChamDiem"]
    cell = f"{column(scores, 'Điểm cụm chấm')}"
    cell += str(find_row(scores, **{"Mã đơn vị": "BTGTU", "Mã tiêu chí": "I.2"}))
    set_cell(workbook(workdir), "ChamDiem", cell, 244)
    code, _, err = run("build", "--so-sanh")
    assert code == 0, err
    compared = sorted(p.name for p in (FOLDER / "so-sanh").iterdir())
    # The covenant prints no score: it is unchanged, so it has no comparison copy.
    assert compared == [DOCUMENTS[0], DOCUMENTS[1], DOCUMENTS[3]]
    for name in compared:
        tracked = (FOLDER / "so-sanh" / name).read_bytes()
        new = (FOLDER / name).read_bytes()
        xml = zipfile.ZipFile(__import__("io").BytesIO(tracked)).read("word/document.xml")
        assert b"<w:ins " in xml and b"<w:del " in xml, name
        assert body_text(new) != body_text(old[name]), name
        assert body_text(resolve(tracked, accept=True)) == body_text(new), name
        assert body_text(resolve(tracked, accept=False)) == body_text(old[name]), name
    # The list's tracked change shows the award's result as deleted and inserted text.
    xml = zipfile.ZipFile(
        __import__("io").BytesIO((FOLDER / "so-sanh" / DOCUMENTS[3]).read_bytes())
    ).read("word/document.xml")
    deleted = "".join(re.findall(r"<w:delText[^>]*>([^<]*)</w:delText>", xml.decode()))
    inserted = "".join(re.findall(r"<w:ins [^>]*>.*?</w:ins>", xml.decode(), flags=re.S))
    assert "Ba" in deleted and "985" in deleted
    assert "Tư" in inserted and "982" in inserted


@pytest.mark.libreoffice
def test_so_sanh_copies_open_in_libreoffice(workdir: Path) -> None:
    if not redlines_installed():
        if os.environ.get("THIDUA_REQUIRE_SO_SANH"):
            pytest.fail("python-redlines is not installed but THIDUA_REQUIRE_SO_SANH is set")
        pytest.skip("python-redlines (pip install 'thidua[so-sanh]') is not installed here")
    if shutil.which("soffice") is None and not os.environ.get("THIDUA_REQUIRE_LIBREOFFICE"):
        pytest.skip("LibreOffice (soffice) is not installed")
    from pipeline.output.pdf import convert_to_pdf

    assert run("build")[0] == 0
    documents = openpyxl.load_workbook(workbook(workdir))["VanBan"]
    row = find_row(documents, **{"Văn bản": "Danh sách đề nghị khen thưởng"})
    set_cell(workbook(workdir), "VanBan", f"{column(documents, 'Ngày ký')}{row}",
             dt.datetime(2014, 1, 12))  # fmt: skip
    assert run("build", "--so-sanh")[0] == 0
    (copy,) = (FOLDER / "so-sanh").iterdir()
    (pdf,) = convert_to_pdf([(copy.name, copy.read_bytes())])
    assert pdf.startswith(b"%PDF")


def test_a_failing_comparison_engine_warns_by_document_and_the_build_goes_on(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Docxodus failing on one machine (no ICU, a broken .NET runtime: injected here) costs the
    tracked-changes copies only: each updated document is named in a warning, every document
    is written and the data report is printed."""
    if not redlines_installed():
        if os.environ.get("THIDUA_REQUIRE_SO_SANH"):
            pytest.fail("python-redlines is not installed but THIDUA_REQUIRE_SO_SANH is set")
        pytest.skip("python-redlines (pip install 'thidua[so-sanh]') is not installed here")
    from python_redlines.engines import DocxodusEngine, EngineExecutionError

    assert run("build")[0] == 0

    def fails(*args: object, **kwargs: object) -> None:
        raise EngineExecutionError(134, "redlines", stderr="Couldn't find a valid ICU package")

    monkeypatch.setattr(DocxodusEngine, "run_redline", fails)
    documents = openpyxl.load_workbook(workbook(workdir))["VanBan"]
    row = find_row(documents, **{"Văn bản": "Danh sách đề nghị khen thưởng"})
    set_cell(workbook(workdir), "VanBan", f"{column(documents, 'Ngày ký')}{row}",
             dt.datetime(2014, 1, 12))  # fmt: skip
    code, out, err = run("build", "--so-sanh")
    assert code == 0, err
    warning = "Không tạo được bản so sánh có đánh dấu thay đổi: Command 'redlines' returned"
    assert out.count(warning) == 1, out
    assert DOCUMENTS[3] in out.split(warning)[0].splitlines()[-1]
    assert "Couldn't find a valid ICU package" in out
    assert f"cập nhật   {RELATIVE}/{DOCUMENTS[3]}" in out
    assert "- Danh sách đề nghị khen thưởng: ngày ký 10/01/2014 → 12/01/2014" in out
    assert not (FOLDER / "so-sanh").exists()


def test_without_the_engine_so_sanh_says_how_to_install_and_keeps_the_data_report(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fallback: python-redlines made unimportable (as on a machine without the extra)."""
    assert run("build")[0] == 0
    monkeypatch.setitem(sys.modules, "python_redlines", None)
    monkeypatch.setitem(sys.modules, "python_redlines.engines", None)
    documents = openpyxl.load_workbook(workbook(workdir))["VanBan"]
    row = find_row(documents, **{"Văn bản": "Danh sách đề nghị khen thưởng"})
    set_cell(workbook(workdir), "VanBan", f"{column(documents, 'Ngày ký')}{row}",
             dt.datetime(2014, 1, 12))  # fmt: skip
    code, out, err = run("build", "--so-sanh")
    assert code == 0, err
    assert "Chưa cài công cụ so sánh văn bản" in out
    assert 'pip install "thidua[so-sanh]"' in out
    assert "- Danh sách đề nghị khen thưởng: ngày ký 10/01/2014 → 12/01/2014" in out
    assert not (FOLDER / "so-sanh").exists()
    # --json: the note is among the run's problems, as a warning (exit 0).
    set_cell(workbook(workdir), "VanBan", f"{column(documents, 'Ngày ký')}{row}",
             dt.datetime(2014, 1, 13))  # fmt: skip
    code, out, err = run("build", "--so-sanh", "--json")
    assert code == 0, err
    (note,) = json.loads(out)["van_de"]
    assert note["severity"] == "warning" and note["code"] == "so-sanh-thieu"


def test_a_snapshot_equal_to_the_previous_one_is_reported_as_comparing_gives(
    workdir: Path,
) -> None:
    """A rebuild whose snapshot has the previous one's bytes is not compared: its report is the
    one comparing the two would give."""
    from pipeline.build import RunPlan, render_workbook
    from pipeline.documents.facts import read_snapshot
    from pipeline.documents.templates import compile_templates, find_templates
    from pipeline.output.changes import compare, unchanged
    from pipeline.resources import bundled_templates_dir

    templates, _ = compile_templates(find_templates(bundled_templates_dir()))
    plan = RunPlan.make(workdir / "out", templates, force=False, allow_external=False,
                        tracked=False)  # fmt: skip
    rendered = render_workbook(workbook(workdir), plan)
    snapshot_file, written = rendered.changes.files[0]  # type: ignore[union-attr]
    facts = read_snapshot(written)
    assert facts is not None and snapshot_file.name == "du-lieu-in.json"
    assert unchanged(facts) == compare(read_snapshot(written), facts)
    assert not unchanged(facts).changed and not unchanged(facts).first
