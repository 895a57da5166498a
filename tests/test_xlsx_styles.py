"""The workbook reader without openpyxl: stylesheet, serial dates, ISO dates and shared formulas
read as openpyxl reads them (openpyxl is the reference here, imported by the test only), and
importing the loader does not import openpyxl."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.formula.translate import Translator
from openpyxl.styles import Font
from openpyxl.styles.numbers import BUILTIN_FORMATS
from openpyxl.styles.numbers import is_date_format as openpyxl_is_date
from openpyxl.styles.numbers import is_timedelta_format as openpyxl_is_timedelta
from openpyxl.styles.stylesheet import Stylesheet
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH
from openpyxl.utils.datetime import from_excel as openpyxl_from_excel
from openpyxl.utils.datetime import from_ISO8601 as openpyxl_from_iso
from openpyxl.xml.functions import fromstring

from pipeline.resources import bundled_inputs_dir
from pipeline.workbook.loader import load
from pipeline.workbook.xlsx_package import open_package
from pipeline.workbook.xlsx_read import read_workbook
from pipeline.workbook.xlsx_styles import (
    from_excel,
    from_iso8601,
    is_date_format,
    is_timedelta_format,
    read_styles,
)

ROOT = Path(__file__).resolve().parent.parent
WORKBOOKS = sorted(bundled_inputs_dir().glob("*.xlsx")) + sorted(
    (ROOT / "tests/data").glob("*.xlsx")
)


def _outcome(call: Any) -> tuple[str, object]:
    try:
        return "ok", call()
    except (OverflowError, ValueError, TypeError) as exc:
        return "error", type(exc).__name__


SERIALS = sorted(
    {
        *range(0, 3000),
        *range(2_900_000, 2_958_470),  # up to 31/12/9999 and past it
        *(i / 8 for i in range(0, 800)),
        *(
            n + f
            for n in (1, 59, 60, 61, 41649, 45000)
            for f in (0.1, 0.25, 1 / 3, 0.999999, 0.9999999)
        ),
        0.0000001,
        0.9999999999,
        1e-12,
        2_958_465.9999999,
        10**7,
        1e20,
    }
)


@pytest.mark.parametrize("epoch", [WINDOWS_EPOCH, MAC_EPOCH])
@pytest.mark.parametrize("duration", [False, True])
def test_serial_dates_are_read_as_openpyxl_reads_them(epoch: datetime, duration: bool) -> None:
    different = []
    for serial in SERIALS:
        ours = _outcome(partial(from_excel, serial, epoch, duration))
        reference = _outcome(partial(openpyxl_from_excel, serial, epoch, timedelta=duration))
        if ours != reference:
            different.append(serial)
    assert different == []


def test_the_1900_calendar_has_excels_leap_year_bug() -> None:
    # Serial 60 is Excel's 29/02/1900, which never was; 61 is 1/3/1900 in both readings.
    assert from_excel(59) == datetime(1900, 2, 28)
    assert from_excel(61) == datetime(1900, 3, 1)
    assert from_excel(41649) == datetime(2014, 1, 10)
    assert from_excel(41649 - 1462, MAC_EPOCH) == datetime(2014, 1, 10)
    assert from_excel(1.25, timedelta=True) == timedelta(days=1, hours=6)


ISO_TEXTS = [
    "2014-01-10",
    "2014-01-10T08:30:00",
    "2014-01-10T08:30:00Z",
    "2014-01-10T08:30:00.123",
    "2014-01-10T08:30",
    "08:30",
    "08:30:15.5",
    "T08:30:00",
    "2014-13-40",
    "2014-02-30T10:00:00",
    "PT1H30M",
    "PT2.5S",
    "PT",
    "P1D",
    "10/01/2014",
    "abc",
    "2014",
    "٢٠١٤-٠١-١٠",
]


@pytest.mark.parametrize("text", ISO_TEXTS)
def test_iso_dates_are_read_as_openpyxl_reads_them(text: str) -> None:
    assert _outcome(lambda: from_iso8601(text)) == _outcome(lambda: openpyxl_from_iso(text))


FORMATS = [
    *BUILTIN_FORMATS.values(),
    "dd/mm/yyyy",
    "d/m/yy",
    "[$-42A]dd/mm/yyyy",
    "[Red]0.00",
    "[h]:mm",
    "[mm]:ss",
    "[ss].00",
    '0" ngày"',
    '"Ngày" dd',
    "0\\d",
    "0_d",
    "#,##0;[Red]dd",
    "yyyy-mm-dd hh:mm:ss",
    "@",
    "General",
    "",
]


@pytest.mark.parametrize("code", FORMATS)
def test_date_formats_are_recognised_as_openpyxl_recognises_them(code: str) -> None:
    assert is_date_format(code) == openpyxl_is_date(code)
    assert is_timedelta_format(code) == openpyxl_is_timedelta(code)


def _openpyxl_styles(xml: bytes) -> tuple[tuple[str | None, ...], dict[int, bool]]:
    """What the reader read from a stylesheet with openpyxl, before it read it itself."""
    styles: Any = Stylesheet.from_tree(fromstring(xml))
    names = [f.name if isinstance(f.name, str) else None for f in styles.fonts]
    fonts = tuple(
        names[s.fontId] if 0 <= s.fontId < len(names) else None for s in styles.cell_styles
    )
    return fonts, {i: i in styles.timedelta_formats for i in styles.date_formats}


def _styles_of(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/styles.xml")


def _many_styles(tmp_path: Path) -> Path:
    """A workbook, written by openpyxl, whose cells use many fonts and number formats."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    fonts = [".VnTime", "VNI-Times", "Times New Roman", None]
    for row, code in enumerate(FORMATS, 1):
        cell = sheet.cell(row, 1, 41649.5)
        cell.number_format = code or "General"
        cell.font = Font(name=fonts[row % len(fonts)])
    path = tmp_path / "styles.xlsx"
    book.save(path)
    return path


def test_the_stylesheet_is_read_as_openpyxl_reads_it(tmp_path: Path) -> None:
    for path in [*WORKBOOKS, _many_styles(tmp_path)]:
        xml = _styles_of(path)
        styles = read_styles(xml)
        assert (styles.fonts, styles.dates) == _openpyxl_styles(xml), path.name


def test_an_odd_stylesheet_is_read_as_openpyxl_reads_it() -> None:
    # A custom format that reuses a built-in id, a font without a name, a font named twice,
    # a style without ids, one whose font does not exist, and a prefixed namespace.
    xml = (
        b'<x:styleSheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<x:numFmts count="2"><x:numFmt numFmtId="14" formatCode="0.00"/>'
        b'<x:numFmt numFmtId="170" formatCode="[h]:mm"/></x:numFmts>'
        b'<x:fonts><x:font><x:sz val="11"/></x:font><x:font><x:name val="A"/><x:name val="B"/>'
        b"</x:font></x:fonts>"
        b'<x:cellXfs><x:xf numFmtId="14" fontId="1"/><x:xf/><x:xf numFmtId="170" fontId="7"/>'
        b'<x:xf numFmtId="22" fontId="0"/></x:cellXfs></x:styleSheet>'
    )
    styles = read_styles(xml)
    assert (styles.fonts, styles.dates) == _openpyxl_styles(xml)
    assert styles.fonts == ("B", None, None, None)
    assert styles.dates == {2: True, 3: False}


def _rewritten(path: Path, target: Path, part: str, change: Any) -> Path:
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename)
            out.writestr(info, change(data) if info.filename == part else data)
    return target


def test_a_damaged_stylesheet_is_a_corrupt_file_not_a_traceback(tmp_path: Path) -> None:
    # Before, openpyxl parsed the stylesheet with lxml, whose syntax error was not caught.
    sample = bundled_inputs_dir() / "cum-cac-ban-dang-lang-son-2013.xlsx"
    broken = _rewritten(
        sample, tmp_path / "broken.xlsx", "xl/styles.xml", lambda d: d[: len(d) // 2]
    )
    dossier, problems = load(broken)
    assert dossier is None
    assert [p.code for p in problems] == ["file-corrupt"]


def _sheet_with(tmp_path: Path, cells: str) -> Path:
    """The sample with its ``ChamDiem`` sheet's data replaced by ``cells`` (row XML)."""
    sample = bundled_inputs_dir() / "cum-cac-ban-dang-lang-son-2013.xlsx"
    package, _ = open_package(sample, "sample")
    assert package is not None
    part = next(entry.part for entry in package.sheets if entry.title == "ChamDiem")
    package.close()
    assert part is not None

    def change(data: bytes) -> bytes:
        text = data.decode()
        start, end = text.index("<sheetData>") + len("<sheetData>"), text.index("</sheetData>")
        return (text[:start] + cells + text[end:]).encode()

    return _rewritten(sample, tmp_path / "shared.xlsx", part, change)


def test_shared_formulas_are_translated_as_openpyxl_translates_them(tmp_path: Path) -> None:
    cells = (
        '<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c>'
        '<c r="C1"><f t="shared" ref="C1:C3" si="0">A1+$B$1*SUM(A1:B1)</f><v>7</v></c></row>'
        '<row r="2"><c r="A2"><v>3</v></c><c r="B2"><v>4</v></c>'
        '<c r="C2"><f t="shared" si="0"/><v>0</v></c></row>'
        '<row r="3"><c r="C3"><f t="shared" si="0"/></c><c r="D3"><f t="shared" si="9"/></c></row>'
    )
    raw, _ = read_workbook(_sheet_with(tmp_path, cells), "shared.xlsx")
    assert raw is not None
    sheet = raw.sheets["ChamDiem"]
    master = "=A1+$B$1*SUM(A1:B1)"
    for coord, row, col in (("C2", 2, 3), ("C3", 3, 3)):
        cell = sheet.cell(row, col)
        assert cell is not None
        assert cell.formula == Translator(master, origin="C1").translate_formula(coord)
    assert sheet.cell(2, 3).formula == "=A2+$B$1*SUM(A2:B2)"  # type: ignore[union-attr]
    assert sheet.cell(3, 4).formula == "="  # type: ignore[union-attr]  # an unknown group


def _imported_by(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"import sys\n{code}\nprint('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return {name.split(".")[0] for name in out.stdout.split()}


def test_importing_and_using_the_loader_does_not_import_openpyxl() -> None:
    assert "openpyxl" not in _imported_by("import pipeline.workbook.loader")
    sample = bundled_inputs_dir() / "cum-cac-ban-dang-lang-son-2013.xlsx"
    read = "from pathlib import Path\nfrom pipeline.workbook.loader import load\n"
    read += f"load(Path({str(sample)!r}))"
    assert "openpyxl" not in _imported_by(read)


def test_the_check_is_real_openpyxl_is_seen_when_imported() -> None:
    assert "openpyxl" in _imported_by("import openpyxl.formula.translate")


def _streamed(xml: bytes, name: str) -> list[tuple[str, dict[str, str], str]]:
    """The elements called ``name`` as :func:`ET.iterparse` gives them (the reference)."""
    import io
    import xml.etree.ElementTree as ET

    seen = []
    for _, node in ET.iterparse(io.BytesIO(xml)):
        if node.tag.rpartition("}")[2] == name:
            seen.append((node.tag, dict(node.attrib), "".join(node.itertext())))
            node.clear()
    return seen


MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
PARTS = [
    b"<worksheet " + MAIN + b'><sheetData><row r="1"><c><v>1</v></c></row><row r="2"/>'
    b"</sheetData></worksheet>",
    # a prefixed namespace, a comment, rows in two namespaces, nested rows, no namespace
    b'<x:worksheet xmlns:x="urn:a"><x:sheetData><x:row r="1"/></x:sheetData></x:worksheet>',
    b"<worksheet "
    + MAIN
    + b'><sheetData><!-- <row r="9"/> --><row r="1"/></sheetData></worksheet>',
    b"<worksheet " + MAIN + b' xmlns:y="urn:y"><sheetData><row r="1"/><y:row r="2"/><row r="3"/>'
    b"</sheetData></worksheet>",
    b"<worksheet " + MAIN + b'><sheetData><row r="1"><c><row r="2"/></c></row><row r="3"/>'
    b"</sheetData></worksheet>",
    b'<worksheet><sheetData><row r="1"/><row r="2"><c><is><t>a</t></is></c></row></sheetData>'
    b"</worksheet>",
    b'<?xml version="1.0"?><?pi <row r="7"/> ?><worksheet><row r="1"/></worksheet>',
    b'<!DOCTYPE w [<!ENTITY e "&#60;row r=\'5\'/&#62;">]><worksheet><row r="1"/>&e;&e;</worksheet>',
]


@pytest.mark.parametrize("xml", PARTS)
def test_parts_parsed_whole_give_the_elements_streaming_gives(xml: bytes) -> None:
    from pipeline.workbook.xlsx_xml import elements

    got = [(n.tag, dict(n.attrib), "".join(n.itertext())) for n in elements(xml, "row")]
    assert got == _streamed(xml, "row")


def test_a_part_broken_after_the_rows_read_gives_the_rows_before_the_error() -> None:
    from pipeline.workbook.xlsx_xml import elements

    xml = b"<worksheet><sheetData>" + b'<row r="1"/>' * 3 + b"<row r=></sheetData>"
    got = []
    with pytest.raises(SyntaxError):  # ET.ParseError
        for node in elements(xml, "row"):
            got.append(node.get("r"))
    assert got == ["1", "1", "1"]


def test_an_error_cell_without_a_value_is_blank_not_a_traceback(tmp_path: Path) -> None:
    # Before, ``<c t="e"/>`` raised AttributeError ('NoneType' object has no attribute 'strip').
    cells = (
        '<row r="1"><c r="A1" t="e"/><c r="B1" t="e"><f>1+1</f></c>'
        '<c r="C1" t="e"><v>#DIV/0!</v></c></row>'
    )
    raw, problems = read_workbook(_sheet_with(tmp_path, cells), "e.xlsx")
    assert raw is not None and problems == []
    sheet = raw.sheets["ChamDiem"]
    assert sheet.cell(1, 1) is None
    computed = sheet.cell(1, 2)
    assert computed is not None and computed.computed and computed.value == 2
    error = sheet.cell(1, 3)
    assert error is not None and error.error == "ô chứa lỗi Excel #DIV/0!"


@pytest.mark.parametrize(
    "xml",
    [
        b"<worksheet><sheetData><row/></sheetData><mergeCells/></worksheet>",
        b"<x:worksheet><x:sheetData></x:sheetData></x:worksheet>",
        b"<w><sheetData/></w>",
        b"<w>sheetData></sheetData ></a:b:sheetData></ab_1:sheetData><z/></w>",
        b"<w><t>&lt;/sheetData></t></w>",
        b"",
    ],
)
def test_the_end_of_the_cells_is_found_where_the_pattern_finds_it(xml: bytes) -> None:
    from pipeline.workbook.xlsx_read import _SHEET_DATA_END, _sheet_data_end

    found = _SHEET_DATA_END.search(xml)
    assert _sheet_data_end(xml) == (found.start() if found else len(xml))
