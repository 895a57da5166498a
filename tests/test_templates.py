"""The bundled Word templates: what they contain, how they are laid out (NĐ 30 / HD 36), and
how they render every shape of data (ties, no proposals, a deputy signing…) in both layouts.

The committed ``templates/docx/*.docx`` are the source of truth: users and developers improve
them in Word. ``scripts/make_templates.py`` is a generator one may start from, not their
provenance, so nothing here compares them with it byte for byte; these tests check what matters
in the files themselves and what the golden texts (``test_templates_golden``) cannot see: tags,
documented variables and filters, page setup, fonts and styles within the decree's ranges.

Data come from the inline Lạng Sơn dossier of ``test_context``; the sample workbook is covered by
the golden texts.
"""

from __future__ import annotations

import functools
import importlib.util
import io
import re
import sys
import zipfile
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from jinja2.filters import FILTERS as JINJA_FILTERS
from lxml import etree
from test_context import context_of, lang_son_dossier, with_unit
from test_templates_golden import document_text

from pipeline.documents.engine import CompiledTemplate
from pipeline.documents.templates import check_templates
from pipeline.domain.model import (
    DOCUMENT_KINDS,
    Addressee,
    DocFormat,
    Dossier,
    LegalBasis,
    RankMethod,
    Role,
)
from pipeline.resources import bundled_templates_dir

REPO = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = bundled_templates_dir()
NAMES = (
    "01-bao-cao-tong-ket.docx",
    "02-bien-ban-hoi-nghi.docx",
    "03-giao-uoc-thi-dua.docx",
    "04-danh-sach-de-nghi-khen-thuong.docx",
)
FORMATS = (DocFormat.PARTY, DocFormat.STATE)


@functools.cache
def _script() -> ModuleType:
    """``scripts/make_templates.py`` as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location(
        "make_templates", REPO / "scripts" / "make_templates.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it executes
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def compiled() -> dict[str, CompiledTemplate]:
    return {name: CompiledTemplate.compile(TEMPLATES_DIR / name) for name in NAMES}


def render_text(template: CompiledTemplate, dossier: Dossier) -> str:
    return document_text(template.render(context_of(dossier)))


# ---------------------------------------------------------------------------------------------
# Content of the templates


def test_the_generator_still_makes_valid_templates(tmp_path: Path) -> None:
    """The generator one may start from: deterministic, and its templates check clean."""
    built: dict[str, bytes] = _script().build_templates()
    assert sorted(built) == list(NAMES)
    assert _script().build_templates() == built
    for name, data in built.items():
        (tmp_path / name).write_bytes(data)
        for info in zipfile.ZipFile(io.BytesIO(data)).infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
    assert check_templates(tmp_path).problems == []


def test_core_properties_are_tags() -> None:
    """The templates' title and author are tags, filled in when rendering (see below)."""
    for name in NAMES:
        props = docx.Document(str(TEMPLATES_DIR / name)).core_properties
        assert "{{" in props.title and "{{ van_ban." in props.author


@pytest.mark.parametrize("doc_format", FORMATS, ids=[f.value for f in FORMATS])
def test_every_document_carries_its_own_properties(
    compiled: dict[str, CompiledTemplate], doc_format: DocFormat
) -> None:
    """An official document's file properties are its title, its issuing body and its date,
    never the generator's notes ("Mẫu văn bản của thidua", 2025-01-01, Microsoft Word)."""
    context = context_of(lang_son_dossier(doc_format))
    titles = {
        NAMES[0]: "Báo cáo tổng kết công tác thi đua, khen thưởng năm 2013",
        NAMES[1]: "Biên bản hội nghị tổng kết công tác thi đua, khen thưởng năm 2013",
        NAMES[2]: "Bản giao ước thi đua năm 2014",
        NAMES[3]: "Danh sách đề nghị khen thưởng thành tích năm 2013",
    }
    for name, title in titles.items():
        data = compiled[name].render(context)
        props = docx.Document(io.BytesIO(data)).core_properties
        kind = ("bao_cao", "bien_ban", "giao_uoc", "danh_sach")[NAMES.index(name)]
        document = context["van_ban"][kind]  # type: ignore[index]
        assert props.title == title
        assert props.author == props.last_modified_by == document["ten_co_quan"]
        assert props.subject == context["ten_cum"]
        day = document["ngay"]
        assert props.created == props.modified == datetime(day.year, day.month, day.day, tzinfo=UTC)
        assert props.last_printed is None and props.comments == ""
        app = zipfile.ZipFile(io.BytesIO(data)).read("docProps/app.xml").decode()
        assert "<Application>thidua</Application>" in app


def _tag_text(name: str) -> str:
    """The text of every templated part of a template, paragraph by paragraph (a tag that Word
    split over several runs is whole again)."""
    archive = zipfile.ZipFile(TEMPLATES_DIR / name)
    texts = []
    for member in archive.namelist():
        if re.fullmatch(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml", member):
            root = etree.fromstring(archive.read(member))
            for paragraph in root.iter(qn("w:p")):
                texts.append("".join(t.text or "" for t in paragraph.iter(qn("w:t"))))
    return "\n".join(texts)


def _documented(marker: str) -> set[str]:
    """The names of a machine-readable table of docs/templates.md (see test_context_docs)."""
    text = (REPO / "docs" / "templates.md").read_text("utf-8")
    body = text.split(f"<!-- {marker}:bat-dau -->", 1)[1].split(f"<!-- {marker}:ket-thuc -->")[0]
    return set(re.findall(r"^\|\s*`([^`]+)`", body, re.MULTILINE))


@pytest.mark.parametrize("name", NAMES)
def test_every_variable_and_filter_a_template_uses_is_documented(
    name: str, compiled: dict[str, CompiledTemplate]
) -> None:
    top_level = {path.split(".")[0].split("[")[0] for path in _documented("bien")}
    assert set(compiled[name].variables) <= top_level, name
    expressions = re.findall(r"\{[{%](.*?)[}%]\}", _tag_text(name), re.DOTALL)
    used = {f for e in expressions for f in re.findall(r"\|\s*([A-Za-z_]\w*)", e)}
    assert used, "the templates format values with filters"
    assert used - set(JINJA_FILTERS) <= _documented("loc"), name


@pytest.mark.parametrize("name", NAMES)
def test_no_template_leaves_a_tag_half_typed(name: str) -> None:
    """Braces come in whole tags only ({{ }}, {% %}): a lone "{" or "%}" is a tag broken by an
    edit, which Jinja might otherwise print as text."""
    text = _tag_text(name)
    rest = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "", text, flags=re.DOTALL)
    assert not re.search(r"[{}]|%\}", rest), f"{name}: {rest[:200]}"


def test_templates_check_clean() -> None:
    report = check_templates(TEMPLATES_DIR)
    assert report.problems == []
    assert sorted(report.variables) == sorted(NAMES)


def test_templates_read_only_context_variables(compiled: dict[str, CompiledTemplate]) -> None:
    keys = set(context_of(lang_son_dossier()))
    for template in compiled.values():
        assert set(template.variables) <= keys, template.name


# ---------------------------------------------------------------------------------------------
# Layout (NĐ 30/2020 Phụ lục I; HD 36-HD/VPTW)


def _document(name: str) -> Any:
    return docx.Document(str(TEMPLATES_DIR / name))


#: Margins in mm, NĐ 30/2020 Phụ lục I (II.3) and HD 36-HD/VPTW alike: top and bottom 20–25,
#: left 30–35, right 15–20.
MARGINS_MM = {"top": (20, 25), "bottom": (20, 25), "left": (30, 35), "right": (15, 20)}
SLOTS = ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")


@pytest.mark.parametrize("name", NAMES)
def test_page_setup_and_page_numbers(name: str) -> None:
    section = _document(name).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4
    for side, (low, high) in MARGINS_MM.items():
        margin = getattr(section, f"{side}_margin").mm
        assert low - 0.1 <= margin <= high + 0.1, f"{name}: {side} margin {margin:.1f} mm"
    assert section.different_first_page_header_footer is True
    assert section.first_page_header.paragraphs[0].text == ""  # no number on the first page
    header = section.header._element
    assert "PAGE" in "".join(t.text or "" for t in header.iter(qn("w:instrText")))


def _fonts(element: Any) -> Any:
    return element.iter(qn("w:rFonts"))


@pytest.mark.parametrize("name", NAMES)
def test_times_new_roman_everywhere(name: str) -> None:
    """Times New Roman by default and wherever a font is named: in the document defaults, in
    every style and run that names one (a run typed in Word may name none and inherits it), in
    headers and footers; never a theme font, which Word would resolve to Calibri/Cambria."""
    document = _document(name)
    styles = document.styles.element
    default = styles.find(qn("w:docDefaults")).find(f".//{qn('w:rFonts')}")
    assert all(default.get(qn(slot)) == "Times New Roman" for slot in SLOTS)
    section = document.sections[0]
    parts = [styles, document.element.body]
    parts += [p._element for p in (section.header, section.footer, section.first_page_header)]
    for part in parts:
        for fonts in _fonts(part):
            assert not any(k.endswith("Theme") for k in fonts.attrib), name
            named = {fonts.get(qn(slot)) for slot in SLOTS} - {None}
            assert named <= {"Times New Roman"}, f"{name}: {named}"


def test_body_text_style() -> None:
    """NĐ 30/2020 Phụ lục I: body text 13–14 pt, justified, first line indented 1–1,27 cm,
    at least 6 pt between paragraphs, line spacing from single to 1,5 lines."""
    for name in NAMES:
        normal = _document(name).styles["Normal"]
        fmt = normal.paragraph_format
        assert Pt(13) <= normal.font.size <= Pt(14), name
        assert fmt.alignment == 3, name  # justified
        assert Cm(1) <= fmt.first_line_indent <= Cm(1.27) + 1, name
        assert fmt.space_after >= Pt(6), name
        assert 1.0 <= fmt.line_spacing <= 1.5, name


def _runs_with(data: bytes, text: str) -> list[Any]:
    document = docx.Document(io.BytesIO(data))
    found = []
    for paragraph in document.element.body.iter(qn("w:p")):
        if "".join(t.text or "" for t in paragraph.iter(qn("w:t"))).strip() == text:
            found += [r for r in paragraph.iter(qn("w:r")) if "".join(r.itertext()).strip()]
    return found


def _size_bold(run: Any) -> tuple[float, bool]:
    rpr = run.find(qn("w:rPr"))
    size = rpr.find(qn("w:sz"))
    bold = rpr.find(qn("w:b"))
    return int(size.get(qn("w:val"))) / 2, bold is not None


@pytest.mark.parametrize(
    ("doc_format", "expected"),
    [
        (DocFormat.PARTY, {"ĐẢNG CỘNG SẢN VIỆT NAM": (15, True), "TỈNH ỦY LẠNG SƠN": (14, False),
                           "BÁO CÁO": (15, True), "*": (14, False),
                           "Số 05-BC/CTĐ": (14, False)}),
        (DocFormat.STATE, {"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM": (13, True),
                           "Độc lập - Tự do - Hạnh phúc": (14, True),
                           "TỈNH ỦY LẠNG SƠN": (13, False), "BÁO CÁO": (14, True),
                           "Số: 05/BC-CTĐ": (13, False)}),
    ],
)  # fmt: skip
def test_header_sizes_by_format(
    compiled: dict[str, CompiledTemplate],
    doc_format: DocFormat,
    expected: dict[str, tuple[int, bool]],
) -> None:
    data = compiled[NAMES[0]].render(context_of(lang_son_dossier(doc_format)))
    for text, size_bold in expected.items():
        runs = _runs_with(data, text)
        assert runs, text
        assert all(_size_bold(r) == size_bold for r in runs), text
    (place_date,) = _runs_with(data, "Lạng Sơn, ngày 08 tháng 01 năm 2014")
    assert place_date.find(f"{qn('w:rPr')}/{qn('w:i')}") is not None


@pytest.mark.parametrize("doc_format", FORMATS, ids=[f.value for f in FORMATS])
def test_rules_are_paragraph_borders(
    compiled: dict[str, CompiledTemplate], doc_format: DocFormat
) -> None:
    data = compiled[NAMES[0]].render(context_of(lang_son_dossier(doc_format)))
    body = docx.Document(io.BytesIO(data)).element.body
    rules = [b for b in body.iter(qn("w:pBdr")) if b.find(qn("w:bottom")) is not None]
    # Party: under ĐẢNG CỘNG SẢN VIỆT NAM. State: under the Tiêu ngữ and the trích yếu; the
    # rule under the issuing body depends on its name: underlined no-break spaces (vach).
    assert len(rules) == (1 if doc_format is DocFormat.PARTY else 2)
    underlined = [
        r for r in body.iter(qn("w:r"))
        if r.find(f"{qn('w:rPr')}/{qn('w:u')}") is not None
        and "".join(r.itertext()).strip("\u00a0\u200b") == ""
    ]  # fmt: skip
    assert len(underlined) == (0 if doc_format is DocFormat.PARTY else 1)


# ---------------------------------------------------------------------------------------------
# Rendering every shape of data


def _no_proposals(d: Dossier) -> Dossier:
    return replace(d, collective_proposals=(), individual_proposals=())


def _dense(d: Dossier) -> Dossier:
    return replace(d, params=replace(d.params, rank_method=RankMethod.DENSE))


def _quiet_meeting(d: Dossier) -> Dossier:
    attendees = tuple(a for a in d.meeting.attendees if a.present and not a.guest)
    meeting = replace(d.meeting, attendees=attendees, discussions=())
    return replace(d, meeting=meeting, votes=(), rotation=replace(d.rotation, vote=None),
                   collective_proposals=(), individual_proposals=())  # fmt: skip


def _absent_unit(d: Dossier) -> Dossier:
    attendees = tuple(
        replace(a, present=False, absence_reason="ốm") if a.unit == "BAO" else a
        for a in d.meeting.attendees
    )
    return replace(d, meeting=replace(d.meeting, attendees=attendees))


def _deputies_sign(d: Dossier) -> Dossier:
    d = with_unit(d, "BBVCSSK", signer_name="Vy Văn Đức", signer_title="Phó Trưởng ban")
    return with_unit(d, "BTG", signer_name="Lăng Văn Tuấn", signer_title="Phó Trưởng ban")


def _no_money(d: Dossier) -> Dossier:
    return replace(d, params=replace(d.params, base_salaries=()))


def _no_deputy_unit(d: Dossier) -> Dossier:
    return with_unit(d, "BDV", role=Role.MEMBER)


VARIANTS: dict[str, Callable[[Dossier], Dossier]] = {
    "mau": lambda d: d,
    "khong-de-nghi": _no_proposals,
    "xep-hang-lien-tiep": _dense,
    "hop-khong-bieu-quyet": _quiet_meeting,
    "don-vi-vang": _absent_unit,
    "cap-pho-ky": _deputies_sign,
    "khong-luong-co-so": _no_money,
    "khong-cum-pho": _no_deputy_unit,
}


@pytest.mark.parametrize("doc_format", FORMATS, ids=[f.value for f in FORMATS])
@pytest.mark.parametrize("variant", VARIANTS)
def test_every_template_renders(
    compiled: dict[str, CompiledTemplate], variant: str, doc_format: DocFormat
) -> None:
    dossier = VARIANTS[variant](lang_son_dossier(doc_format))
    for template in compiled.values():
        text = render_text(template, dossier)
        assert "{{" not in text and "{%" not in text, template.name


def test_no_proposals_reads_sensibly(compiled: dict[str, CompiledTemplate]) -> None:
    dossier = _no_proposals(lang_son_dossier())
    listing = render_text(compiled[NAMES[3]], dossier)
    assert "Không có tập thể được đề nghị khen thưởng." in listing
    assert "Không có cá nhân được đề nghị khen thưởng." in listing
    assert "Tổng số: 0 tập thể và 0 cá nhân." in listing
    assert "Tổng số tiền thưởng" not in listing
    minutes = render_text(compiled[NAMES[1]], dossier)
    assert "- Về khen thưởng: không đề nghị khen thưởng tập thể, cá nhân nào." in minutes
    report = render_text(compiled[NAMES[0]], dossier)
    assert "thống nhất đề nghị" not in report


def test_quiet_meeting_reads_sensibly(compiled: dict[str, CompiledTemplate]) -> None:
    minutes = render_text(compiled[NAMES[1]], _quiet_meeting(lang_son_dossier()))
    for line in ("Vắng mặt: không.", "1.2. Đại biểu mời dự: không có.",
                 "2.3. Ý kiến thảo luận: không có ý kiến khác."):  # fmt: skip
        assert line in minutes
    assert "2.4." not in minutes


def test_absent_unit_is_named(compiled: dict[str, CompiledTemplate]) -> None:
    minutes = render_text(compiled[NAMES[1]], _absent_unit(lang_son_dossier()))
    assert "có mặt 8/9 cơ quan trong cụm" in minutes
    assert "Cơ quan không có đại biểu dự: Báo Lạng Sơn." in minutes
    assert "- Đồng chí Đinh Thị Hoa, Tổng Biên tập, Báo Lạng Sơn (lý do: ốm)." in minutes


@pytest.mark.parametrize(("doc_format", "kt", "tm"), [(DocFormat.PARTY, "K/T", "T/M"),
                                                      (DocFormat.STATE, "KT.", "TM.")])  # fmt: skip
def test_deputy_signing(
    compiled: dict[str, CompiledTemplate], doc_format: DocFormat, kt: str, tm: str
) -> None:
    dossier = _deputies_sign(lang_son_dossier(doc_format))
    covenant = render_text(compiled[NAMES[2]], dossier)
    # one row per unit: its name, its signer's titles, then the signer's name
    cell = f"BAN TUYÊN GIÁO\nTỈNH ỦY / {kt} TRƯỞNG BAN\nPHÓ TRƯỞNG BAN / Lăng Văn Tuấn"
    assert cell in covenant
    report = render_text(compiled[NAMES[0]], dossier)
    signature = f"{tm} CỤM THI ĐUA / CỤM TRƯỞNG / {kt} TRƯỞNG BAN / PHÓ TRƯỞNG BAN / Vy Văn Đức"
    assert signature in report


@pytest.mark.parametrize(("doc_format", "shown"), [(DocFormat.PARTY, True),
                                                   (DocFormat.STATE, False)])  # fmt: skip
def test_minutes_place_date_only_in_party_format(
    compiled: dict[str, CompiledTemplate], doc_format: DocFormat, shown: bool
) -> None:
    minutes = render_text(compiled[NAMES[1]], lang_son_dossier(doc_format))
    assert ("Lạng Sơn, ngày 10 tháng 01 năm 2014" in minutes) is shown
    secretary = "NGƯỜI GHI BIÊN BẢN" if shown else "THƯ KÝ"
    chair = "CHỦ TRÌ HỘI NGHỊ" if shown else "CHỦ TỌA"  # HD 16-HD/VPTW; NĐ 30 Mẫu 1.9
    assert f"| {secretary} / Hoàng Thị Thu | {chair} / Lộc Văn Bình |" in minutes
    assert ("Nơi nhận:" in minutes) is not shown  # NĐ 30 Mẫu 1.9 lists recipients


@pytest.mark.parametrize("doc_format", FORMATS)
def test_covenant_prints_the_workbook_legal_bases(
    compiled: dict[str, CompiledTemplate], doc_format: DocFormat
) -> None:
    covenant = render_text(compiled[NAMES[2]], lang_son_dossier(doc_format))
    assert "Căn cứ Luật Thi đua, khen thưởng và các văn bản hướng dẫn thi hành;\n" in covenant
    bases = (
        LegalBasis(("giao_uoc",), "Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003", 1),
        LegalBasis(DOCUMENT_KINDS, "Căn cứ hướng dẫn của Tỉnh ủy;", 2),
    )
    dossier = replace(lang_son_dossier(doc_format), legal_bases=bases)
    covenant = render_text(compiled[NAMES[2]], dossier)
    assert (
        "\nCăn cứ Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003;\n"
        "Căn cứ hướng dẫn của Tỉnh ủy;\n"
        "Căn cứ kết quả Hội nghị tổng kết"
    ) in covenant
    assert "các văn bản hướng dẫn thi hành" not in covenant
    assert "Nơi nhận:" not in covenant


@pytest.mark.parametrize("doc_format", FORMATS)
def test_recipients_asked_for_are_printed_in_every_document(
    compiled: dict[str, CompiledTemplate], doc_format: DocFormat
) -> None:
    """A NoiNhan row for all documents gives each one a "Nơi nhận" (Party minutes too)."""
    archive = "Lưu hồ sơ cụm" if doc_format is DocFormat.PARTY else "Lưu: VT, Hồ sơ cụm"
    lines = (Addressee(DOCUMENT_KINDS, "Văn phòng Tỉnh ủy (b/c)", 1),)
    dossier = replace(lang_son_dossier(doc_format), addressees=lines)
    for name in NAMES:
        text = render_text(compiled[name], dossier)
        assert f"Nơi nhận: / - Văn phòng Tỉnh ủy (b/c); / - {archive}." in text.replace(
            "\n", " / "
        ), name
        assert "Thường trực Hội đồng Thi đua" not in text, name


def test_dense_ranking_in_score_table(compiled: dict[str, CompiledTemplate]) -> None:
    report = render_text(compiled[NAMES[0]], _dense(lang_son_dossier()))
    name = "Ban Tổ\u00a0chức Tỉnh\u00a0ủy"  # words kept whole in the cell (filter giu_tu)
    assert f"| 5 | {name} | 982,5 | 982 | 0 | 0 | 982 | Tư |" in report
