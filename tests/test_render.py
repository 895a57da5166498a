"""The docx engine: real templates built with python-docx, compiled, rendered and reopened.

The reference for every output is docxtpl itself, used as its documentation tells a user to:
``DocxTemplate(...).render(context, jinja_env, autoescape=True)`` with a plain
``jinja2.Environment`` (docxtpl's own default) holding the same filters. Not our environment:
an escaping defect in it would then be on both sides. The rendered parts must have the same
canonical XML (C14N).
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import docx
import jinja2
import pytest
from click.testing import CliRunner
from docxtpl import DocxTemplate, InlineImage, RichText
from lxml import etree

from pipeline.cli import cli
from pipeline.documents.engine import CompiledTemplate, clean_value, make_environment
from pipeline.documents.templates import check_templates, find_templates, resolve_templates_dir
from pipeline.errors import Problem, ThiduaError
from pipeline.vi import FILTERS as VI_FILTERS

FILTERS: dict[str, Callable[..., Any]] = {
    "hoa": str.upper,
    "diem": lambda value: f"{value:.2f}".replace(".", ","),
}
TRICKY = "R&D <kiểm tra> \"x\" 'y' — Cụm thi đua số 5, Lạng Sơn"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# --- building templates -------------------------------------------------------------------------


def _save(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _report_template() -> bytes:
    """Body text, a {%p if %} block, a {%tr for %} score table, a header and a footer."""
    document = docx.Document()
    document.add_paragraph("Kính gửi: {{ ten_cum }}")
    document.add_paragraph("{%p if co_y_kien %}")
    document.add_paragraph("Ý kiến: {{ y_kien | hoa }}")
    document.add_paragraph("{%p endif %}")
    table = document.add_table(rows=4, cols=3)
    for cell, text in zip(table.rows[0].cells, ["STT", "Đơn vị", "Điểm"], strict=True):
        cell.text = text
    table.cell(1, 0).text = "{%tr for u in units %}"
    for cell, text in zip(
        table.rows[2].cells, ["{{ loop.index }}", "{{ u.ten }}", "{{ u.diem | diem }}"], strict=True
    ):
        cell.text = text
    table.cell(3, 0).text = "{%tr endfor %}"
    document.add_paragraph("Lạng Sơn, năm {{ nam }}")
    document.sections[0].header.paragraphs[0].text = "Đầu trang: {{ ten_cum }}"
    document.sections[0].footer.paragraphs[0].text = "{{ so_ky_hieu }}-BC/CTĐ"
    return _save(document)


def _context(**changes: object) -> dict[str, object]:
    context: dict[str, object] = {
        "ten_cum": "Cụm thi đua số 5",
        "co_y_kien": True,
        "y_kien": "đồng ý",
        "units": [{"ten": f"Đơn vị {i}", "diem": 90 + i / 4} for i in range(1, 4)],
        "nam": 2025,
        "so_ky_hieu": 12,
    }
    context.update(changes)
    return context


def _png() -> bytes:
    """A valid 1×1 PNG, for a template holding a picture."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def _picture_template() -> bytes:
    """A picture repeated by a {%p for %} loop: docxtpl renumbers the wp:docPr ids."""
    document = docx.Document()
    document.add_paragraph("{%p for x in items %}")
    document.add_paragraph("Ảnh {{ x }}").add_run().add_picture(io.BytesIO(_png()))
    document.add_paragraph("{%p endfor %}")
    return _save(document)


def _column_template() -> bytes:
    """A {%tc for %} column loop: docxtpl's fix_tables widens the grid."""
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(
        table.rows[0].cells, ["{%tc for c in cols %}", "{{ c }}", "{%tc endfor %}"], strict=True
    ):
        cell.text = text
    for cell, text in zip(
        table.rows[1].cells, ["{%tc for c in cols %}", "x", "{%tc endfor %}"], strict=True
    ):
        cell.text = text
    return _save(document)


def _merge_template() -> bytes:
    """docxtpl's cell tags: {% vm %} (vertical merge), {% cellbg %} and {% colspan %}."""
    document = docx.Document()
    table = document.add_table(rows=4, cols=3)
    table.cell(0, 0).text = "{% colspan so_cot %}Tổng hợp"
    table.cell(1, 0).text = "{%tr for u in units %}"
    for cell, text in zip(
        table.rows[2].cells,
        ["{% vm %}{{ nhom }}", "{{ u.ten }}", "{% cellbg mau %}{{ u.diem }}"],
        strict=True,
    ):
        cell.text = text
    table.cell(3, 0).text = "{%tr endfor %}"
    return _save(document)


def _with_footnotes(data: bytes, text: str) -> bytes:
    """``data`` plus a footnotes part holding ``text`` (python-docx cannot write footnotes)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            raw = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                raw = raw.replace(
                    b"</Types>",
                    (
                        b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                        b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>'
                    ),
                )
            elif info.filename == "word/_rels/document.xml.rels":
                raw = raw.replace(
                    b"</Relationships>",
                    (
                        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/'
                        b'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
                        b"</Relationships>"
                    ),
                )
            target.writestr(info.filename, raw)
        target.writestr(
            "word/footnotes.xml",
            (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes '
                'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                f'<w:footnote w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:footnote>'
                "</w:footnotes>"
            ),
        )
    return buffer.getvalue()


# --- reading results ----------------------------------------------------------------------------


def _open(data: bytes) -> Any:
    return docx.Document(io.BytesIO(data))


def _texts(data: bytes) -> list[str]:
    return [p.text for p in _open(data).paragraphs]


def _rows(data: bytes, index: int = 0) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in _open(data).tables[index].rows]


def _c14n(xml: bytes) -> bytes:
    return bytes(etree.tostring(etree.fromstring(xml), method="c14n"))


def _docxtpl(data: bytes, context: dict[str, object]) -> bytes:
    """docxtpl's rendering, with its default Jinja environment and its ``autoescape`` switch."""
    environment = jinja2.Environment()
    environment.filters.update(FILTERS)
    template = DocxTemplate(io.BytesIO(data))
    template.render(context, jinja_env=environment, autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def _problems(action: Callable[[], object]) -> tuple[Problem, ...]:
    with pytest.raises(ThiduaError) as caught:
        action()
    return caught.value.problems


def _compile(data: bytes, name: str = "mau.docx") -> CompiledTemplate:
    return CompiledTemplate.compile(data, name=name, filters=FILTERS)


# --- rendering ----------------------------------------------------------------------------------


def test_render_fills_body_table_header_and_footer() -> None:
    compiled = _compile(_report_template())
    output = compiled.render(_context())
    assert _texts(output) == [
        "Kính gửi: Cụm thi đua số 5",
        "Ý kiến: ĐỒNG Ý",
        "Lạng Sơn, năm 2025",
    ]
    assert _rows(output) == [
        ["STT", "Đơn vị", "Điểm"],
        ["1", "Đơn vị 1", "90,25"],
        ["2", "Đơn vị 2", "90,50"],
        ["3", "Đơn vị 3", "90,75"],
    ]
    section = _open(output).sections[0]
    assert section.header.paragraphs[0].text == "Đầu trang: Cụm thi đua số 5"
    assert section.footer.paragraphs[0].text == "12-BC/CTĐ"
    assert compiled.parts == ("word/document.xml", "word/header1.xml", "word/footer1.xml")
    assert compiled.variables == ["co_y_kien", "nam", "so_ky_hieu", "ten_cum", "units", "y_kien"]


def test_paragraph_condition_removes_the_block() -> None:
    output = _compile(_report_template()).render(_context(co_y_kien=False))
    assert _texts(output) == ["Kính gửi: Cụm thi đua số 5", "Lạng Sơn, năm 2025"]


def _literal_braces_template() -> bytes:
    """docxtpl's way to print a tag as text: ``{_{ … }_}`` and ``{_% … %_}``."""
    document = docx.Document()
    document.add_paragraph("Mẫu: {_{ ten_cum }_} và {_% if co %_} — {{ ten_cum }}")
    return _save(document)


def test_escaped_braces_are_printed_as_braces() -> None:
    output = _compile(_literal_braces_template()).render({"ten_cum": "Cụm {_{x}_}"})
    assert _texts(output) == ["Mẫu: {{ ten_cum }} và {% if co %} — Cụm {{x}}"]
    plain = _compile(_literal_braces_template()).render({"ten_cum": "Cụm 5"})
    assert _texts(plain) == ["Mẫu: {{ ten_cum }} và {% if co %} — Cụm 5"]


@pytest.mark.parametrize(
    ("typed", "printed"),
    [("Mở {_% if", "Mở {% if"), ("đóng %_} đây", "đóng %} đây"), ("{_{ chỉ mở", "{{ chỉ mở"),
     ("chỉ đóng }_}", "chỉ đóng }}")],
)  # fmt: skip
def test_one_sided_escapes_are_printed_too(typed: str, printed: str) -> None:
    """A part holding only an opening (or only a closing) escaped brace is un-escaped as well."""
    document = docx.Document()
    document.add_paragraph(typed)
    assert _texts(_compile(_save(document)).render({})) == [printed]


def _equivalence_cases() -> Iterator[tuple[str, bytes, dict[str, object]]]:
    report = _report_template()
    yield "report", report, _context()
    yield "paragraph-if-false", report, _context(co_y_kien=False, units=[])
    yield "listing", report, _context(ten_cum="Dòng 1\nDòng 2\tcột\aĐoạn mới", y_kien="a\fb")
    yield "escaping", report, _context(ten_cum=TRICKY, y_kien=TRICKY)
    yield "rich-text", report, _context(ten_cum=RichText("đậm", bold=True))
    yield "pictures", _picture_template(), {"items": ["một", "hai", "ba"]}
    yield "columns", _column_template(), {"cols": ["A", "B", "C", "D"]}
    yield "merges", _merge_template(), _context(nhom="Khối A", mau="FFCC00", so_cot=2)
    yield "footnotes", _with_footnotes(report, "Chú thích {{ ten_cum }}"), _context()
    yield "literal-braces", _literal_braces_template(), {"ten_cum": "A{_{x}_}"}


@pytest.mark.parametrize(
    ("data", "context"), [pytest.param(d, c, id=i) for i, d, c in _equivalence_cases()]
)
def test_output_is_the_same_xml_as_docxtpl(data: bytes, context: dict[str, object]) -> None:
    compiled = _compile(data)
    ours = zipfile.ZipFile(io.BytesIO(compiled.render(context)))
    theirs = zipfile.ZipFile(io.BytesIO(_docxtpl(data, context)))
    assert set(ours.namelist()) == set(theirs.namelist())
    for name in compiled.parts:
        assert _c14n(ours.read(name)) == _c14n(theirs.read(name)), name
    for name in ("word/styles.xml", "word/_rels/document.xml.rels"):
        assert _c14n(ours.read(name)) == _c14n(theirs.read(name)), name
    assert _content_types(ours) == _content_types(theirs)  # python-docx reorders them


def _content_types(archive: zipfile.ZipFile) -> set[tuple[tuple[str, str], ...]]:
    root = etree.fromstring(archive.read("[Content_Types].xml"))
    return {tuple(sorted(element.attrib.items())) for element in root}


def test_core_properties_are_rendered_like_docxtpl_but_escaped_once() -> None:
    document = docx.Document()
    document.add_paragraph("x")
    document.core_properties.title = "Báo cáo {{ ten_cum }}"
    document.core_properties.subject = "Năm {{ nam }}"
    data = _save(document)
    compiled = _compile(data)
    assert "docProps/core.xml" in compiled.parts
    ours = _open(compiled.render(_context())).core_properties
    theirs = _open(_docxtpl(data, _context())).core_properties
    assert (ours.title, ours.subject) == (theirs.title, theirs.subject)
    assert ours.title == "Báo cáo Cụm thi đua số 5"
    assert _open(compiled.render(_context(ten_cum="R&D"))).core_properties.title == "Báo cáo R&D"


@pytest.mark.libreoffice
def test_libreoffice_reads_the_output_like_docxtpl_output(tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("THIDUA_REQUIRE_LIBREOFFICE"):
            pytest.fail("THIDUA_REQUIRE_LIBREOFFICE is set but soffice is not installed")
        pytest.skip("LibreOffice (soffice) is not installed")
    data, context = _report_template(), _context(ten_cum=TRICKY)
    (tmp_path / "ours.docx").write_bytes(_compile(data).render(context))
    (tmp_path / "docxtpl.docx").write_bytes(_docxtpl(data, context))
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "txt:Text",
            "--outdir",
            str(tmp_path / "txt"),
            str(tmp_path / "ours.docx"),
            str(tmp_path / "docxtpl.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    ours = (tmp_path / "txt" / "ours.txt").read_text(encoding="utf-8-sig")
    assert ours == (tmp_path / "txt" / "docxtpl.txt").read_text(encoding="utf-8-sig")
    assert f"Kính gửi: {TRICKY}" in ours


def test_rendering_is_deterministic() -> None:
    data = _report_template()
    first = _compile(data).render(_context())
    assert _compile(data).render(_context()) == first
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert archive.testzip() is None
    template_names = [i.filename for i in zipfile.ZipFile(io.BytesIO(data)).infolist()]
    assert archive.namelist() == template_names


def test_static_members_are_copied_without_recompression() -> None:
    data = _report_template()
    before = {i.filename: i for i in zipfile.ZipFile(io.BytesIO(data)).infolist()}
    after = zipfile.ZipFile(io.BytesIO(_compile(data).render(_context()))).infolist()
    for info in after:
        if info.filename.startswith("word/styles"):
            old = before[info.filename]
            assert (info.CRC, info.compress_size) == (old.CRC, old.compress_size)


def test_values_come_out_exactly_as_typed_in_body_and_header() -> None:
    output = _compile(_report_template()).render(_context(ten_cum=TRICKY))
    assert _texts(output)[0] == f"Kính gửi: {TRICKY}"
    assert _open(output).sections[0].header.paragraphs[0].text == f"Đầu trang: {TRICKY}"


def test_xml_invalid_characters_are_cleaned() -> None:
    value = "Dòng 1\x0bDòng 2\r\nDòng 3\x00\x1f\ufffe"
    output = _compile(_report_template()).render(_context(ten_cum=value))
    assert _texts(output)[0] == "Kính gửi: Dòng 1\nDòng 2\nDòng 3"
    assert clean_value("ổn định") == "ổn định"


def test_render_never_writes_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _compile(_report_template()).render(_context())
    assert list(tmp_path.iterdir()) == []


# --- errors -------------------------------------------------------------------------------------


def _typo_template() -> bytes:
    document = docx.Document()
    document.add_paragraph("Kính gửi: {{ ten_cum | khong_co_filter }}")
    document.add_paragraph("Ngày {{ ngay | hao }}")
    document.sections[0].header.paragraphs[0].text = "{% for x in %}{{ x }}{% endfor %}"
    document.sections[0].footer.paragraphs[0].text = "{% if co %}Trang"
    return _save(document)


def test_template_mistakes_are_all_reported_with_their_place() -> None:
    problems = _problems(lambda: _compile(_typo_template(), "01-bao-cao.docx"))
    found = [(p.code, p.location.part, p.location.placeholder) for p in problems]
    assert found == [
        (
            "template-filter",
            "thân văn bản (word/document.xml)",
            "đoạn «Kính gửi: {{ ten_cum | khong_co_filter }}»",
        ),
        ("template-filter", "thân văn bản (word/document.xml)", "đoạn «Ngày {{ ngay | hao }}»"),
        (
            "template-syntax",
            "đầu trang (word/header1.xml)",
            "đoạn «{% for x in %}{{ x }}{% endfor %}»",
        ),
        ("template-block", "chân trang (word/footer1.xml)", "đoạn «{% if co %}Trang»"),
    ]
    assert all(p.location.template == "01-bao-cao.docx" for p in problems)
    assert "khong_co_filter" in problems[0].message
    assert "hoa" in problems[1].hint  # the closest filter name
    assert "{% endif %}" in problems[3].hint


def test_several_mistakes_in_one_part_are_all_found() -> None:
    document = docx.Document()
    document.add_paragraph("{{ ten_cum | khong_co_filter }}")
    document.add_paragraph("{% for x in %}")
    document.add_paragraph("{{ x }}")
    document.add_paragraph("{% endfor %}")
    document.add_paragraph("{% if co %} chưa đóng")
    document.add_paragraph("{{ a „b” }}")
    problems = _problems(lambda: _compile(_save(document)))
    assert [p.code for p in problems] == [
        "template-filter",
        "template-syntax",
        "template-block",
        "template-syntax",
    ]
    assert "AutoCorrect" in problems[3].hint


@pytest.mark.parametrize(
    ("text", "code", "hint"),
    [
        ("{%tr for u in units %}", "template-misplaced", "{%tr %}"),
        ("{% fro x in y %}", "template-syntax", "chính tả"),
        ("{% include 'khac.docx' %}", "template-unsupported", "tự chứa"),
        ("{% endif %}", "template-block", "thẻ mở"),
    ],
)
def test_misplaced_and_unknown_tags(text: str, code: str, hint: str) -> None:
    document = docx.Document()
    document.add_paragraph(text)
    (problem,) = _problems(lambda: _compile(_save(document)))
    assert (problem.code, problem.location.placeholder) == (code, f"đoạn «{text}»")
    assert hint in problem.hint


def test_block_opened_in_a_paragraph_and_closed_in_a_table_cell() -> None:
    document = docx.Document()
    document.add_paragraph("{% if co %}Mở ở đây")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "Đóng ở đây{% endif %}"
    (problem,) = _problems(lambda: _compile(_save(document)))
    assert problem.code == "template-structure"
    assert "Mở ở đây" in problem.message
    assert problem.location.placeholder == "đoạn «Đóng ở đây{% endif %}»"


def test_missing_variables_are_located_in_every_part() -> None:
    compiled = _compile(_report_template(), "02-bien-ban.docx")
    context = _context()
    del context["ten_cum"]
    context["ten_cum_thi_dua"] = "x"
    problems = _problems(lambda: compiled.render(context))
    assert [(p.code, p.location.part, p.location.placeholder) for p in problems] == [
        (
            "template-undefined",
            "thân văn bản (word/document.xml)",
            "đoạn «Kính gửi: {{ ten_cum }}»",
        ),
        ("template-undefined", "đầu trang (word/header1.xml)", "đoạn «Đầu trang: {{ ten_cum }}»"),
    ]
    assert "«ten_cum»" in problems[0].message
    assert "ten_cum_thi_dua" in problems[0].hint


def test_missing_field_in_a_loop_is_located() -> None:
    compiled = _compile(_report_template())
    (problem,) = _problems(lambda: compiled.render(_context(units=[{"ten": "A"}])))
    assert problem.code == "template-undefined"
    assert "«diem»" in problem.message
    assert problem.location.placeholder == "đoạn «{{ u.diem | diem }}»"


@pytest.mark.parametrize("value", [None, InlineImage(None, "anh.png")])
def test_none_and_images_are_refused(value: object) -> None:
    compiled = _compile(_report_template())
    (problem,) = _problems(lambda: compiled.render(_context(nam=value)))
    assert problem.code == "template-value"
    assert problem.location.placeholder == "đoạn «Lạng Sơn, năm {{ nam }}»"


def test_filter_failure_is_located() -> None:
    compiled = _compile(_report_template())
    units = [{"ten": "A", "diem": "chín"}]
    (problem,) = _problems(lambda: compiled.render(_context(units=units)))
    assert problem.code == "template-render"
    assert problem.location.part == "thân văn bản (word/document.xml)"


def test_broken_xml_from_a_markup_value_is_an_error_not_silent_loss() -> None:
    document = docx.Document()
    document.add_paragraph("{{ x | safe }}")
    (problem,) = _problems(lambda: _compile(_save(document)).render({"x": "<w:t>"}))
    assert problem.code == "template-xml"


def test_sandbox_blocks_python_internals() -> None:
    document = docx.Document()
    document.add_paragraph("{{ x.__class__ }}")
    (problem,) = _problems(lambda: _compile(_save(document)).render({"x": "a"}))
    assert problem.code == "template-unsafe"


def test_not_a_docx(tmp_path: Path) -> None:
    (problem,) = _problems(lambda: CompiledTemplate.compile(b"not a zip", name="x.docx"))
    assert (problem.code, problem.location.template) == ("template-file", "x.docx")
    missing = tmp_path / "khong-co.docx"
    (problem,) = _problems(lambda: CompiledTemplate.compile(missing, filters=FILTERS))
    assert (problem.code, problem.location.template) == ("template-file", "khong-co.docx")


# --- checking a folder of templates -------------------------------------------------------------


def test_check_templates_reports_every_file(tmp_path: Path) -> None:
    (tmp_path / "01-bao-cao-tong-ket.docx").write_bytes(_report_template())
    (tmp_path / "02-loi.docx").write_bytes(_typo_template())
    (tmp_path / "~$01-bao-cao-tong-ket.docx").write_bytes(b"Word lock file")
    assert [p.name for p in find_templates(tmp_path)] == ["01-bao-cao-tong-ket.docx", "02-loi.docx"]
    report = check_templates(tmp_path, filters=FILTERS, contract=None)  # not thidua's context
    assert report.variables["01-bao-cao-tong-ket.docx"] == [
        "co_y_kien",
        "nam",
        "so_ky_hieu",
        "ten_cum",
        "units",
        "y_kien",
    ]
    assert {p.location.template for p in report.problems} == {"02-loi.docx"}
    assert len(report.problems) == 4


def test_check_templates_on_an_empty_folder(tmp_path: Path) -> None:
    (problem,) = check_templates(tmp_path, filters=FILTERS).problems
    assert problem.code == "template-missing"


def test_resolve_templates_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_templates_dir(tmp_path) == tmp_path
    monkeypatch.chdir(tmp_path)
    local = tmp_path / "templates" / "docx"
    local.mkdir(parents=True)
    assert resolve_templates_dir(None) != Path("templates/docx")  # empty: the bundled ones
    (local / "01.docx").write_bytes(_report_template())
    assert resolve_templates_dir(None) == Path("templates/docx")


def test_cli_templates_check(tmp_path: Path) -> None:
    (tmp_path / "01.docx").write_bytes(_typo_template())
    result = CliRunner().invoke(cli, ["templates", "check", str(tmp_path)])
    assert result.exit_code == 1
    assert "khong_co_filter" in result.output


def test_real_vietnamese_filters() -> None:
    document = docx.Document()
    document.add_paragraph("Bằng chữ: {{ so_tien | tien_bang_chu }}")
    document.add_paragraph("{{ so_tien | khong_co }}")
    document.add_paragraph("{{ so_tien | tien_bang_chuu }}")
    unknown, typo = _problems(lambda: CompiledTemplate.compile(_save(document), name="vi.docx"))
    assert unknown.message == "Không có bộ lọc «khong_co»"
    assert unknown.hint == (
        "Các bộ lọc của thidua: dia_danh_ngay, doc_so, gio, giu_tu, in_hoa, ngat_dong, "
        "ngay_thang_nam, noi, phan_tram, so, so_ky_hieu, thu, thu_hang, thu_ngay, tien, "
        "tien_bang_chu, vach."
    )
    assert typo.message == "Không có bộ lọc «tien_bang_chuu»"
    assert typo.hint == "Có phải là: tien_bang_chu?"
    document.paragraphs[1].text = document.paragraphs[2].text = ""
    output = CompiledTemplate.compile(_save(document)).render({"so_tien": 1490000})
    assert _texts(output)[0] == "Bằng chữ: Một triệu bốn trăm chín mươi nghìn đồng"
    assert set(VI_FILTERS) <= set(make_environment().filters)
