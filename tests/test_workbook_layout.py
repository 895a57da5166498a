"""The workbook stage's house rules, checked on the real code and real files.

Reading never changes the raw sheets it reads; the zip container of a written workbook is the
same whatever system writes it; and the problem order of a whole load rests on one A1 ordering.
Which modules may import openpyxl, and which stages a module may import, is checked by
tests/test_architecture.py.
"""

from __future__ import annotations

import copy
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from pipeline.errors import Location, Problem, cell_order, format_problems
from pipeline.opc import Stamp, deflated_member, normalized, write_zip
from pipeline.resources import bundled_inputs_dir
from pipeline.workbook.problems import ProblemSink
from pipeline.workbook.reader import read_sheets
from pipeline.workbook.sample import sample_sheets
from pipeline.workbook.schema import BLANK_FILE, SAMPLE_FILE
from pipeline.workbook.xlsx_read import read_workbook
from pipeline.workbook.xlsx_write import workbook_bytes, write_workbook

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"


def test_load_is_the_stage_entry_and_the_pure_modules_do_not_pull_in_openpyxl() -> None:
    from pipeline.workbook import load
    from pipeline.workbook.loader import load as loader_load

    assert load is loader_load
    pure = "pipeline.workbook, pipeline.workbook.assemble, pipeline.workbook.docs"
    code = f"import sys, {pure}; print('openpyxl' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(("name", "blank"), [(SAMPLE_FILE, False), (BLANK_FILE, True)])
def test_written_workbooks_are_the_same_bytes_on_windows(
    monkeypatch: pytest.MonkeyPatch, name: str, blank: bool
) -> None:
    """zipfile stamps the system it runs on ("made by" 0 on Windows, 3 elsewhere); the committed
    workbooks must come out the same wherever ``scripts/make_workbooks.py`` runs."""
    monkeypatch.setattr(sys, "platform", "win32")
    assert zipfile.ZipInfo("x").create_system == 0  # what zipfile would stamp there
    committed = (bundled_inputs_dir() / name).read_bytes()
    assert workbook_bytes({} if blank else sample_sheets()) == committed


def test_normalized_archives_keep_their_members_and_carry_one_stamp() -> None:
    stamp = Stamp((2014, 1, 10, 0, 0, 0), system=3, external_attr=0o644 << 16)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/t\u1ec9nh.xml", b"<a>" * 100)  # a non-ASCII name
    for level in (None, 9):
        data = normalized(buffer.getvalue(), stamp, level)
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
        assert [i.filename for i in infos] == ["[Content_Types].xml", "xl/t\u1ec9nh.xml"]
        assert {(i.date_time, i.create_system, i.external_attr) for i in infos} == {
            ((2014, 1, 10, 0, 0, 0), 3, 0o644 << 16)
        }
        assert zipfile.ZipFile(io.BytesIO(data)).read("xl/t\u1ec9nh.xml") == b"<a>" * 100
        assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    assert write_zip([deflated_member("a.xml", b"<a/>")]) == write_zip(
        [deflated_member("a.xml", b"<a/>")]
    )


def test_reading_merged_cells_leaves_the_raw_sheet_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "gop.xlsx"
    write_workbook(sample_sheets(), path)
    wb = openpyxl.load_workbook(path)
    wb["ChamDiem"].merge_cells("A2:A4")  # one unit code for three score rows
    wb.save(path)
    raw, problems = read_workbook(path, path.name)
    assert raw is not None and not problems
    before = copy.deepcopy(raw.sheets["ChamDiem"].cells)
    first = read_sheets(raw, path.name)
    assert raw.sheets["ChamDiem"].cells == before
    records = first["ChamDiem"].records
    assert records is not None
    assert [r.fields["unit"].raw for r in records[:3]] == [before[2][1]] * 3
    assert [p.code for p in first["ChamDiem"].problems] == ["merged-cells"]
    assert read_sheets(raw, path.name) == first  # reading again gives the same records


def test_one_a1_ordering_for_the_console_and_the_loader() -> None:
    cells = ["AA2", "B10", None, "Z2", "B2:C4", "C7:C15", "A1"]
    expected = [None, "A1", "B2:C4", "Z2", "AA2", "C7:C15", "B10"]
    assert sorted(cells, key=cell_order) == expected
    sink = ProblemSink("a.xlsx")
    for cell in cells:
        sink.report("W", "DonVi", cell, f"ô {cell}", "Sửa", "warning")
    assert [p.location.cell for p in sink.finish()] == expected
    text = format_problems(
        [Problem("warning", "W", f"ô {c}", "Sửa", Location("a.xlsx", "DonVi", c)) for c in cells]
    )
    shown = [line.split(": ô ")[1].split(" — ")[0] for line in text.splitlines() if ": ô " in line]
    assert shown == [str(c) for c in expected]
