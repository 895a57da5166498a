"""The bundled Word templates: generated deterministically, laid out as NĐ 30 / HD 36 ask,
and rendering every shape of data (ties, no proposals, a deputy signing…) in both layouts.

Data come from the inline Lạng Sơn dossier of ``test_context``; the sample workbook is covered by
the golden texts (``test_templates_golden``).
"""

from __future__ import annotations

import functools
import importlib.util
import io
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
def generated() -> dict[str, bytes]:
    built: dict[str, bytes] = _script().build_templates()
    return built


@pytest.fixture(scope="module")
def compiled() -> dict[str, CompiledTemplate]:
    return {name: CompiledTemplate.compile(TEMPLATES_DIR / name) for name in NAMES}


def render_text(template: CompiledTemplate, dossier: Dossier) -> str:
    return document_text(template.render(context_of(dossier)))


# ---------------------------------------------------------------------------------------------
# Generation


def test_generator_is_deterministic_and_files_are_current(generated: dict[str, bytes]) -> None:
    assert sorted(generated) == list(NAMES)
    assert _script().build_templates() == generated
    for name, data in generated.items():
        assert (TEMPLATES_DIR / name).read_bytes() == data, (
            f"{name} is out of date: run .venv/bin/python scripts/make_templates.py"
        )


def test_zip_members_have_fixed_timestamps(generated: dict[str, bytes]) -> None:
    for data in generated.values():
        for info in zipfile.ZipFile(io.BytesIO(data)).infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0)


def test_core_properties_are_fixed() -> None:
    """The templates' own properties are fixed (the generator is deterministic) and valid dates,
    so that Word opens them; the title and author are tags, filled in when rendering."""
    for name in NAMES:
        props = docx.Document(str(TEMPLATES_DIR / name)).core_properties
        assert "{{" in props.title and "{{ van_ban." in props.author
        assert props.created == props.modified == datetime(2025, 1, 1, tzinfo=UTC)
        app = zipfile.ZipFile(TEMPLATES_DIR / name).read("docProps/app.xml").decode()
        assert "<Application>thidua</Application>" in app and "Microsoft" not in app


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


@pytest.mark.parametrize("name", NAMES)
def test_page_setup_and_page_numbers(name: str) -> None:
    section = _document(name).sections[0]
    mm = [round(length.mm, 1) for length in (
        section.page_width, section.page_height, section.top_margin, section.bottom_margin,
        section.left_margin, section.right_margin,
    )]  # fmt: skip
    assert mm == [210, 297, 20, 20, 30, 15]
    assert section.different_first_page_header_footer is True
    assert section.first_page_header.paragraphs[0].text == ""
    header = section.header._element
    assert "PAGE" in "".join(t.text or "" for t in header.iter(qn("w:instrText")))


@pytest.mark.parametrize("name", NAMES)
def test_times_new_roman_everywhere(name: str) -> None:
    document = _document(name)
    slots = ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")
    styles = document.styles.element
    for fonts in styles.iter(qn("w:rFonts")):
        assert fonts.get(qn("w:asciiTheme")) is None
    default = styles.find(qn("w:docDefaults")).find(f".//{qn('w:rFonts')}")
    assert all(default.get(qn(slot)) == "Times New Roman" for slot in slots)
    for run in document.element.body.iter(qn("w:r")):
        fonts = run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        assert fonts is not None and all(fonts.get(qn(s)) == "Times New Roman" for s in slots)


def test_body_text_style() -> None:
    normal = _document(NAMES[0]).styles["Normal"]
    fmt = normal.paragraph_format
    assert normal.font.size == Pt(14)
    assert fmt.alignment == 3  # justified
    assert fmt.first_line_indent == Cm(1.27)
    assert fmt.space_after == Pt(6)
    assert 1.0 <= fmt.line_spacing <= 1.5


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
