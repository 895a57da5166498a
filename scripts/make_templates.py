"""Generate the four bundled Word templates in ``templates/docx/`` with python-docx.

Usage (from the repository root)::

    .venv/bin/python scripts/make_templates.py           # write templates/docx/*.docx
    .venv/bin/python scripts/make_templates.py --check   # exit 1 if a file is out of date

Each template serves both layouts, chosen by the workbook's ``the_thuc`` (context variable
``dang``): the header, the title block and a few words are written twice, inside
``{%p if dang %}`` … ``{%p else %}`` … ``{%p endif %}``; the body is shared.

- Party documents, Hướng dẫn 36-HD/VPTW (2018): parent body UPPER 14, issuing body UPPER 14 bold,
  ``*`` under it, ``Số 01-BB/…``; ``ĐẢNG CỘNG SẢN VIỆT NAM`` 15 bold with a rule as long as the
  title; italic place-date line; document type 15 bold; ``T/M``, ``K/T``.
- State documents, Nghị định 30/2020/NĐ-CP Phụ lục I: parent body UPPER 13, issuing body UPPER 13
  bold with a short centred rule, ``Số: 01/BB-…``; Quốc hiệu 13 bold, Tiêu ngữ 14 bold with a rule
  as long as the line; italic place-date line (none on minutes, Mẫu 1.9); type 14 bold; ``TM.``.

Both: A4, margins 20/20/30/15 mm, Times New Roman everywhere, body 14 justified with a 1,27 cm
first-line indent, 6 pt after, line spacing 1,15; page numbers centred in the header from page 2.
Rules under fixed text are bottom borders of short, indented, empty paragraphs, so they stay where
Word puts them; a rule under a name from the data is underlined no-break spaces (filter ``vach``),
0,4 of the name's longest line. Header names, trích yếu and the covenant's grid are cut into
balanced lines (filter ``ngat_dong``; a fixed trích yếu is cut here with the same function);
headings, lead-ins, "Nơi nhận" and signatures are kept with what follows (docs/templates.md,
"Where lines and pages break"; scripts/layout_check.py measures it).

The committed files in ``templates/docx/`` are the source of truth (they may be improved in Word);
this script is a generator to start from, and overwrites them. Its output is deterministic (fixed
zip timestamps and template properties: the documents' own title, issuing body and date are tags,
filled in when rendering); ``--check`` tells whether the committed files still equal it, which is
information, not a test.
"""

from __future__ import annotations

import argparse
import io
import sys
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from pipeline.opc import Stamp, normalized

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from pipeline.vi.lines import break_lines, giu_tu, text_width  # noqa: E402

OUT_DIR = REPO / "templates" / "docx"
FONT = "Times New Roman"
FIXED_TIME = datetime(2025, 1, 1, 0, 0, 0)
# The zip epoch, "made by" MS-DOS, mode rw------- (what these files have always carried).
ZIP_STAMP = Stamp((1980, 1, 1, 0, 0, 0), system=0, external_attr=0o600 << 16)
TEXT_WIDTH = Cm(16.5)  # A4 210 mm − 30 mm − 15 mm

CENTER = WD_ALIGN_PARAGRAPH.CENTER
LEFT = WD_ALIGN_PARAGRAPH.LEFT
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY

# Paragraph styles added to python-docx's default template (ASCII names: Word shows them as
# typed, other tools choke on non-ASCII style ids).
BODY = "Normal"
PLAIN = "Khong thut dong"  # centred lines of headers, titles and signatures: no indent, no space
HEADING = "Muc"  # I., II., 1., 2. headings: bold
TABLE = "Bang"  # table text: 12 pt
RECIPIENTS = "Noi nhan"  # recipient list: 11 pt
TAG = "The lenh"  # paragraphs holding only a {%p %} tag (removed when rendering)
FRESH = "thidua-fresh"  # marks the empty paragraph of a new table cell until it is filled


@dataclass(frozen=True, slots=True)
class R:
    """A run: text and its character formatting (``None`` = inherit from the style)."""

    text: str
    b: bool | None = None
    i: bool | None = None
    size: float | None = None
    u: bool | None = None


Text = str | R


def _fonts(rpr: Any) -> None:
    """Times New Roman for every script slot (ascii, hAnsi, cs, eastAsia), no theme fonts."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _setting(parent: Any, tag: str, **attrs: str) -> Any:
    """Set (replace) the child ``tag`` of ``parent`` with the given ``w:`` attributes."""
    old = parent.find(qn(tag))
    if old is not None:
        parent.remove(old)
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)
    parent.append(element)
    return element


class Builder:
    """One template under construction: a python-docx document and helpers to fill it."""

    def __init__(self, title: str, doc: str, category: str) -> None:
        self.doc: Any = Document()
        self.kind = doc
        self.category = category
        self._page(title)
        self._styles()
        self._page_numbers()
        body = self.doc.element.body
        for paragraph in list(body.iterchildren(qn("w:p"))):
            body.remove(paragraph)  # the default template's empty first paragraph

    # -- set-up

    def _page(self, title: str) -> None:
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = section.bottom_margin = Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
        section.header_distance = section.footer_distance = Mm(10)
        # An official document's file properties are its own: its title, its cluster, its
        # issuing body and its date, filled in when rendering (the engine renders the tags of
        # docProps/core.xml); the dates are set by _dated().
        issuer = f"{{{{ van_ban.{self.kind}.ten_co_quan | replace('\\n', ' ') }}}}"
        props = self.doc.core_properties
        props.author = props.last_modified_by = issuer
        props.created = props.modified = FIXED_TIME
        props.revision = 1
        props.title = title
        props.subject = "{{ ten_cum }}"
        props.comments = ""
        props.keywords = "thi đua, khen thưởng"
        props.category = self.category
        props.content_status = props.identifier = ""
        props.language = "vi-VN"
        props.version = ""

    def _styles(self) -> None:
        styles = self.doc.styles
        # Document defaults: Times New Roman, Vietnamese proofing, no theme fonts.
        rpr_default = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
        rpr = rpr_default.find(qn("w:rPr"))
        _fonts(rpr)
        _setting(rpr, "w:lang", val="vi-VN", eastAsia="vi-VN", bidi="ar-SA")

        normal = styles["Normal"]
        _fonts(normal.element.get_or_add_rPr())
        normal.font.name = FONT
        normal.font.size = Pt(14)
        fmt = normal.paragraph_format
        fmt.alignment = JUSTIFY
        fmt.first_line_indent = Cm(1.27)
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(6)
        fmt.line_spacing = 1.15
        fmt.widow_control = True

        def add(name: str, size: float | None = None, **fmt_values: Any) -> Any:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = normal
            style.quick_style = True
            _fonts(style.element.get_or_add_rPr())
            if size is not None:
                style.font.size = Pt(size)
            for key, value in fmt_values.items():
                setattr(style.paragraph_format, key, value)
            return style

        add(PLAIN, first_line_indent=Cm(0), space_after=Pt(0), line_spacing=1.0,
            alignment=CENTER)  # fmt: skip
        add(HEADING, keep_with_next=True, keep_together=True).font.bold = True
        add(TABLE, 12, first_line_indent=Cm(0), space_before=Pt(2), space_after=Pt(2),
            line_spacing=1.0, alignment=LEFT)  # fmt: skip
        add(RECIPIENTS, 11, first_line_indent=Cm(0), space_after=Pt(0), line_spacing=1.0,
            alignment=LEFT)  # fmt: skip
        add(TAG, first_line_indent=Cm(0), space_after=Pt(0), alignment=LEFT)
        for fonts in list(styles.element.iter(qn("w:rFonts"))):
            _fonts(fonts.getparent())  # no theme font left in any style (headings use them)

    def _page_numbers(self) -> None:
        """Page numbers centred in the top margin, not on page 1 (NĐ 30 Phụ lục I)."""
        section = self.doc.sections[0]
        section.different_first_page_header_footer = True
        first = section.first_page_header
        first.is_linked_to_previous = False
        first.paragraphs[0].style = self.doc.styles[PLAIN]
        paragraph = section.header.paragraphs[0]
        paragraph.style = self.doc.styles[PLAIN]
        run = paragraph.add_run()
        self._format(run, R("", size=14))
        for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"),
                           ("end", None)):  # fmt: skip
            if kind is not None:
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), kind)
                run._r.append(char)
            elif text == " PAGE ":
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = text
                run._r.append(instr)
            else:
                value = OxmlElement("w:t")
                value.text = text
                run._r.append(value)

    # -- content

    @staticmethod
    def _format(run: Any, spec: R) -> None:
        _fonts(run._r.get_or_add_rPr())
        if spec.b is not None:
            run.bold = spec.b
        if spec.i is not None:
            run.italic = spec.i
        if spec.u is not None:
            run.underline = spec.u
        if spec.size is not None:
            run.font.size = Pt(spec.size)

    def para(
        self,
        *runs: Text,
        style: str = BODY,
        where: Any = None,
        align: Any = None,
        size: float | None = None,
        b: bool | None = None,
        i: bool | None = None,
        before: float | None = None,
        after: float | None = None,
        indent: tuple[float, float] | None = None,
        keep: bool = False,
        lines: bool = False,
        underline: bool | None = None,
    ) -> Any:
        """Add a paragraph of ``runs`` to ``where`` (the body, or a table cell).

        ``size``, ``b``, ``i`` and ``underline`` apply to every run that does not set its own;
        ``indent`` is (left, right) in cm; ``keep`` keeps the paragraph with the next one,
        ``lines`` keeps its lines on one page. A ``\n`` in a run's text is a line break.
        """
        container = self.doc if where is None else where
        first = container.paragraphs[0] if where is not None else None
        if first is not None and first._p.get(FRESH) is not None:
            del first._p.attrib[FRESH]  # a new cell's own empty paragraph: fill it
            paragraph = first
        else:
            paragraph = container.add_paragraph()
        paragraph.style = self.doc.styles[style]
        fmt = paragraph.paragraph_format
        if align is not None:
            fmt.alignment = align
        if before is not None:
            fmt.space_before = Pt(before)
        if after is not None:
            fmt.space_after = Pt(after)
        if indent is not None:
            fmt.left_indent, fmt.right_indent = Cm(indent[0]), Cm(indent[1])
        if keep:
            fmt.keep_with_next = True
        if lines:
            fmt.keep_together = True
        mark = paragraph._p.get_or_add_pPr()
        mark_rpr = _setting(mark, "w:rPr")
        _fonts(mark_rpr)
        if size is not None:
            _setting(mark_rpr, "w:sz", val=str(int(size * 2)))
        for item in runs:
            spec = item if isinstance(item, R) else R(item)
            spec = R(
                spec.text,
                b=spec.b if spec.b is not None else b,
                i=spec.i if spec.i is not None else i,
                size=spec.size if spec.size is not None else size,
                u=spec.u if spec.u is not None else underline,
            )
            for number, piece in enumerate(spec.text.split("\n")):
                run = paragraph.add_run(piece)
                if number:
                    run._r.insert(len(run._r) - 1, OxmlElement("w:br"))  # a line break before
                self._format(run, spec)
        return paragraph

    def tag(self, text: str, where: Any = None) -> Any:
        """A paragraph holding only a ``{%p … %}`` tag."""
        return self.para(text, style=TAG, where=where, size=10)

    def rule(self, length_cm: float, column_cm: float, where: Any = None, before: float = 1) -> Any:
        """A centred horizontal rule ``length_cm`` long in a column ``column_cm`` wide.

        Drawn as the bottom border of an empty paragraph whose indents leave ``length_cm``.
        """
        side = max((column_cm - length_cm) / 2, 0)
        paragraph = self.para(style=PLAIN, where=where, size=2, indent=(side, side), before=before)
        borders = OxmlElement("w:pBdr")
        _setting(borders, "w:bottom", val="single", sz="6", space="1", color="auto")
        ppr = paragraph._p.get_or_add_pPr()
        ppr.insert_element_before(
            borders,
            "w:shd",
            "w:tabs",
            "w:suppressAutoHyphens",
            "w:spacing",
            "w:ind",
            "w:jc",
            "w:rPr",
        )
        return paragraph

    def table(
        self,
        widths: Iterable[float],
        rows: int,
        *,
        grid: bool = False,
        margins_cm: float = 0.1,
    ) -> Any:
        """A fixed-layout table with columns ``widths`` (cm); borderless unless ``grid``."""
        widths = list(widths)
        table = self.doc.add_table(rows=rows, cols=len(widths))
        table.style = self.doc.styles["Table Grid"] if grid else None
        table.autofit = False
        tbl_pr = table._tbl.tblPr
        _setting(tbl_pr, "w:tblW", w=str(int(sum(widths) / 2.54 * 1440)), type="dxa")
        _setting(tbl_pr, "w:tblLayout", type="fixed")
        margins = _setting(tbl_pr, "w:tblCellMar")
        for side in ("left", "right"):
            _setting(margins, f"w:{side}", w=str(int(margins_cm / 2.54 * 1440)), type="dxa")
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)
                cell.paragraphs[0]._p.set(FRESH, "1")
        return table

    def save(self) -> bytes:
        for paragraph in self.doc.element.body.iter(qn("w:p")):
            paragraph.attrib.pop(FRESH, None)  # cells left empty keep their paragraph
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return deterministic_zip(self._properties(buffer.getvalue()))

    def _dated(self, core: str) -> str:
        """core.xml whose created and modified dates become the document's date when rendering.

        The template itself keeps valid dates (Word refuses a file whose dates are not dates):
        the two elements are wrapped in a Jinja ``filter replace`` block whose tags sit in XML
        comments, which Word ignores and the engine renders (leaving empty comments).
        """
        stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
        start = core.index("<dcterms:created")
        end = core.index("</dcterms:modified>") + len("</dcterms:modified>")
        assert core[start:end].count(stamp) == 2, core
        # a document dated by hand (no "Ngày ký") carries the meeting's date
        date = f"((van_ban.{self.kind}.ngay or hoi_nghi.ngay) | string) ~ 'T00:00:00Z'"
        return (
            f"{core[:start]}<!--{{% filter replace('{stamp}', {date}) %}}-->"
            f"{core[start:end]}<!--{{% endfilter %}}-->{core[end:]}"
        )

    def _properties(self, data: bytes) -> bytes:
        """The package with its file properties: created and modified on the document's date
        (see :meth:`_dated`), no last-printed date; Application "thidua" instead of
        python-docx's "Microsoft Macintosh Word"."""
        source = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                member = source.read(info.filename)
                if info.filename == "docProps/core.xml":
                    member = self._dated(member.decode("utf-8")).encode("utf-8")
                elif info.filename == "docProps/app.xml":
                    text = member.decode("utf-8")
                    text = text.replace("<Application>Microsoft Macintosh Word</Application>",
                                        "<Application>thidua</Application>")
                    text = text.replace("<AppVersion>14.0000</AppVersion>", "")
                    member = text.encode("utf-8")
                target.writestr(info, member)
        return out.getvalue()


def deterministic_zip(data: bytes) -> bytes:
    """The same archive with fixed timestamps and attributes (python-docx stamps "now"), every
    member deflated afresh at level 9 (:func:`pipeline.opc.normalized`)."""
    return normalized(data, ZIP_STAMP, level=9)


def mark_header_row(row: Any) -> None:
    """Repeat this row at the top of each page the table spans."""
    _setting(row._tr.get_or_add_trPr(), "w:tblHeader")


def keep_row_together(row: Any) -> None:
    _setting(row._tr.get_or_add_trPr(), "w:cantSplit")


# ---------------------------------------------------------------------------------------------
# Shared blocks


PARTY_COLUMNS = (7.8, 8.7)
SIGNATURE_COLUMN = 5.5  # the covenant's grid: three columns
STATE_COLUMNS = (6.4, 10.1)


#: Lengths of the rules (cm) under fixed text, as long as the text above them, measured with
#: Liberation Serif (metrically identical to Times New Roman): "ĐẢNG CỘNG SẢN VIỆT NAM" 15 bold is
#: 7,3 cm, the Tiêu ngữ 14 bold 6,05 cm. The rules under the issuing body and the trích yếu
#: depend on the text: 0,4 of its longest line (NĐ 30 asks 1/3 to 1/2).
PARTY_TITLE_RULE, MOTTO_RULE = 7.4, 6.1
RULE_RATIO = 0.4
CELL_MARGINS = 0.2  # cm: the 0,1 cm left and right margins of every table cell
#: Widest line of a trích yếu (cm): a longer one is cut into balanced lines.
SUMMARY_WIDTH = 15.0
#: Values measured for the tags of a trích yếu when the generator cuts it (a year is 4 digits).
SAMPLE_VALUES = {"{{ nam }}": "2013", "{{ nam_sau }}": "2014"}


def _rule_paragraph(t: Builder, where: Any, text: str, width: float, size: float,
                    bold: bool) -> Any:  # fmt: skip
    """The rule under a name that comes from the data: no-break spaces (filter ``vach``),
    underlined, in a paragraph of their own whose line is only as tall as the rule needs."""
    paragraph = t.para(
        f"{{{{ {text} | vach({width:g}, {size:g}, {'true' if bold else 'false'}) }}}}",
        style=PLAIN, where=where, size=size, underline=True,
    )  # fmt: skip
    spacing = _setting(paragraph._p.get_or_add_pPr(), "w:spacing", line="200", lineRule="exact",
                       before="0", after="0")  # fmt: skip
    ppr = paragraph._p.pPr
    ppr.remove(spacing)
    ppr.insert_element_before(spacing, "w:ind", "w:jc", "w:rPr")
    return paragraph


def header(t: Builder, doc: str, *, state_date_line: bool = True) -> None:
    """The two-column header of page 1, once per layout (each its own borderless table).

    Row 1 holds the bodies (left) and the national/Party heading (right); row 2 the number
    (left) and the place-date line (right), so that they share a line as NĐ 30 asks.
    ``state_date_line=False`` leaves the State place-date out (minutes, NĐ 30 Mẫu 1.9).
    The parent and issuing bodies are cut into balanced lines by the filter ``ngat_dong`` for
    their column (a line break typed in the workbook cell is kept); the State rule under the
    issuing body is 0,4 of the name's longest line (filter ``vach``).
    """
    number = (
        f"{{{{ van_ban.{doc}.so | so_ky_hieu(van_ban.{doc}.loai, van_ban.{doc}.co_quan, "
        "the_thuc) }}"
    )
    place_date = f"{{{{ van_ban.{doc}.dia_danh_ngay }}}}"  # "…, ngày … tháng … năm 20…" unsigned
    issuer = f"van_ban.{doc}.ten_co_quan"

    t.tag("{%p if dang %}")
    table = t.table(PARTY_COLUMNS, 2)
    cell = table.cell(0, 0)
    width = PARTY_COLUMNS[0] - CELL_MARGINS
    t.para(f"{{{{ co_quan_cap_tren | ngat_dong({width:g}, 14) }}}}", style=PLAIN, where=cell,
           size=14)  # fmt: skip
    t.para(f"{{{{ {issuer} | ngat_dong({width:g}, 14, true) }}}}", style=PLAIN, where=cell,
           size=14, b=True)  # fmt: skip
    t.para("*", style=PLAIN, where=cell, size=14)
    cell = table.cell(0, 1)
    t.para("ĐẢNG CỘNG SẢN VIỆT NAM", style=PLAIN, where=cell, size=15, b=True)
    t.rule(PARTY_TITLE_RULE, PARTY_COLUMNS[1] - CELL_MARGINS, where=cell)
    t.para(number, style=PLAIN, where=table.cell(1, 0), size=14, before=4)
    t.para(place_date, style=PLAIN, where=table.cell(1, 1), size=14, i=True, before=4)

    t.tag("{%p else %}")
    table = t.table(STATE_COLUMNS, 2)
    cell = table.cell(0, 0)
    width = STATE_COLUMNS[0] - CELL_MARGINS
    t.para(f"{{{{ co_quan_cap_tren | ngat_dong({width:g}, 13) }}}}", style=PLAIN, where=cell,
           size=13)  # fmt: skip
    t.para(f"{{{{ {issuer} | ngat_dong({width:g}, 13, true) }}}}", style=PLAIN, where=cell,
           size=13, b=True)  # fmt: skip
    _rule_paragraph(t, cell, issuer, width, 13, True)
    cell = table.cell(0, 1)
    t.para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", style=PLAIN, where=cell, size=13, b=True)
    t.para("Độc lập - Tự do - Hạnh phúc", style=PLAIN, where=cell, size=14, b=True)
    t.rule(MOTTO_RULE, STATE_COLUMNS[1] - CELL_MARGINS, where=cell)
    t.para(number, style=PLAIN, where=table.cell(1, 0), size=13, before=6)
    if state_date_line:
        t.para(place_date, style=PLAIN, where=table.cell(1, 1), size=14, i=True, before=6)
    else:
        t.para(style=PLAIN, where=table.cell(1, 1), size=14)
    t.tag("{%p endif %}")


def _measured(text: str) -> str:
    for tag, value in SAMPLE_VALUES.items():
        text = text.replace(tag, value)
    return text


def cut_summary(text: str, size: float = 14) -> tuple[str, float]:
    """A static trích yếu cut into balanced lines (``\n`` between them) by the pipeline's own
    :func:`~pipeline.vi.lines.break_lines`, measured with its tags' sample values, and the
    width (cm) of its longest line."""
    lines = break_lines(_measured(text), SUMMARY_WIDTH, size, bold=True)
    # map the measured lines back onto the template text, word by word
    words = text.split(" ")
    out, index = [], 0
    for line in lines:
        count = len(line.split())
        out.append(" ".join(words[index : index + _tag_words(words[index:], count)]))
        index += _tag_words(words[index:], count)
    widest = max(text_width(line, size, bold=True) for line in lines) / (72 / 2.54)
    return "\n".join(out), widest


def _tag_words(words: list[str], count: int) -> int:
    """How many template words make ``count`` measured words (a tag ``{{ nam }}`` is 3)."""
    taken = used = 0
    while used < count and taken < len(words):
        if words[taken] == "{{":
            taken += 3
        else:
            taken += 1
        used += 1
    return taken


def title(
    t: Builder,
    name: str,
    party_summary: str,
    state_summary: str,
    note: str | None = None,
    *,
    dynamic: bool = False,
) -> None:
    """Document type (UPPER bold: 15 Party, 14 State), trích yếu (bold), an optional italic
    note such as "(Kèm theo …)", then the rule: "-----" (Party) or a drawn line (State).

    A static trích yếu is cut into balanced lines here, and its State rule is 0,4 of its longest
    line; a ``dynamic`` one (a single tag, such as ``{{ ten_cum }}``) is cut when rendering by
    the filter ``ngat_dong`` and its rule drawn by ``vach``.
    """
    for party in (True, False):
        t.tag("{%p if dang %}" if party else "{%p else %}")
        t.para(name, style=PLAIN, size=15 if party else 14, b=True, before=18, keep=True,
               lines=True)  # fmt: skip
        summary = party_summary if party else state_summary
        if dynamic:
            variable = summary.strip("{} ")
            text = f"{{{{ {variable} | ngat_dong({SUMMARY_WIDTH:g}, 14, true) }}}}"
            widest = 0.0
        else:
            text, widest = cut_summary(summary)
        t.para(text, style=PLAIN, size=14, b=True, keep=True, lines=True)
        if note:
            t.para(note, style=PLAIN, size=14, i=True, keep=True, lines=True)
        if party:
            t.para("-----", style=PLAIN, size=14, after=12)
        elif dynamic:
            rule = _rule_paragraph(t, None, variable, SUMMARY_WIDTH, 14, True)
            rule.paragraph_format.space_before = Pt(3)
        else:
            t.rule(round(widest * RULE_RATIO, 2), TEXT_WIDTH.cm, before=3)
    t.para(style=PLAIN, size=6)
    t.tag("{%p endif %}")


def loop(t: Builder, head: str, *runs: Text, where: Any = None, **kwargs: Any) -> None:
    """``{%p for head %}`` + one paragraph of ``runs`` + ``{%p endfor %}``."""
    t.tag(f"{{%p for {head} %}}", where=where)
    t.para(*runs, where=where, **kwargs)
    t.tag("{%p endfor %}", where=where)


def signature(t: Builder, where: Any, sig: str, size: float = 14, keep: bool = False) -> None:
    """A signature block: capacity and title lines, space to sign, then the name (bold), each
    kept with the next line; ``keep`` keeps the name with what follows the block too."""
    t.tag(f"{{%p for d in {sig}.dong %}}", where=where)
    t.para("{{ d }}", style=PLAIN, where=where, size=size, b=True, keep=True)
    t.tag("{%p endfor %}", where=where)
    for _ in range(4):
        t.para(style=PLAIN, where=where, size=size, keep=True)
    t.para(f"{{{{ {sig}.ho_ten }}}}", style=PLAIN, where=where, size=size, b=True, keep=keep)


def recipients(t: Builder, where: Any, key: str, before: float | None = None) -> None:
    """ "Nơi nhận:" (12 bold italic) and the list (11), each line "- …;", the last "- …."; the
    heading and its lines kept together, on one page."""
    t.para("Nơi nhận:", style=RECIPIENTS, where=where, size=12, b=True, i=True, keep=True,
           before=before)  # fmt: skip
    loop(t, f"n in noi_nhan.{key}", "- {{ n }}{{ '.' if loop.last else ';' }}", style=RECIPIENTS,
         where=where, keep=True, lines=True)  # fmt: skip


def score_table(t: Builder) -> None:
    """The score table: đơn vị, tự chấm, cụm (khối) chấm, cộng, trừ, tổng, xếp thứ (ranked)."""
    # figures (1.000, 988,5) are 1 cm wide at 12 pt, every word of the headings too: the rest
    # is for the units' names, which then take one line or two
    widths = (1.0, 7.7, 1.3, 1.3, 1.3, 1.3, 1.3, 1.3)
    table = t.table(widths, 4, grid=True)
    heads = ("STT", "Cơ quan", "Tự chấm", "{{ loai_cum_hoa }} chấm", "Điểm cộng", "Điểm trừ",
             "Tổng điểm", "Xếp thứ")  # fmt: skip
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        t.para(giu_tu(text), style=TABLE, where=cell, b=True, align=CENTER)
    mark_header_row(table.rows[0])
    t.para("{%tr for r in bang_diem %}", style=TABLE, where=table.cell(1, 0))
    values = (
        ("{{ r.stt }}", CENTER),
        ("{{ r.ten | giu_tu }}", LEFT),
        ("{{ r.tu_cham | so if r.tu_cham is not none else '' }}", RIGHT),
        ("{{ r.cum_cham | so }}", RIGHT),
        ("{{ r.cong | so }}", RIGHT),
        ("{{ r.tru | so }}", RIGHT),
        ("{{ r.tong | so }}", RIGHT),
        ("{{ r.xep_thu_chu }}", CENTER),
    )
    for cell, (text, align) in zip(table.rows[2].cells, values, strict=True):
        t.para(text, style=TABLE, where=cell, align=align, b=True if "tong" in text else None)
    keep_row_together(table.rows[2])
    t.para("{%tr endfor %}", style=TABLE, where=table.cell(3, 0))


# ---------------------------------------------------------------------------------------------
# The four documents


def bao_cao() -> Builder:
    """01 Báo cáo tổng kết (domain-thidua.md §7)."""
    t = Builder("Báo cáo tổng kết công tác thi đua, khen thưởng năm {{ nam }}", "bao_cao",
                "Báo cáo")
    header(t, "bao_cao")
    summary = (
        "công tác thi đua, khen thưởng năm {{ nam }} và phương hướng, nhiệm vụ năm {{ nam_sau }}"
    )
    title(t, "BÁO CÁO", f"tổng kết {summary}", f"Tổng kết {summary}")
    t.para(
        "Thực hiện giao ước thi đua năm {{ nam }}, {{ ten_cum }} báo cáo tổng kết công tác thi "
        "đua, khen thưởng năm {{ nam }} và phương hướng, nhiệm vụ năm {{ nam_sau }} như sau:"
    )

    def narratives(section: str, dash: bool = False) -> None:
        loop(
            t, f"d in noi_dung_bao_cao.{section}", "- {{ d.doan }}" if dash else "{{ d.noi_dung }}"
        )

    t.para("I. ĐẶC ĐIỂM, TÌNH HÌNH", style=HEADING)
    t.para("{{ cau_thanh_phan }}")
    narratives("tinh_hinh")
    t.para("II. KẾT QUẢ THỰC HIỆN", style=HEADING)
    t.para("1. Công tác lãnh đạo, chỉ đạo, tổ chức phong trào thi đua", style=HEADING)
    narratives("chi_dao")
    t.para("2. Kết quả thực hiện các nội dung giao ước thi đua", style=HEADING)
    narratives("ket_qua_don_vi", dash=True)
    t.para("3. Công tác khen thưởng", style=HEADING)
    narratives("khen_thuong")
    t.para("4. Hoạt động chung của {{ loai_cum }}", style=HEADING)
    narratives("hoat_dong_chung")
    t.para("5. Kết quả chấm điểm, bình xét, suy tôn", style=HEADING)
    t.para(
        "Thực hiện giao ước thi đua năm {{ nam }}, {{ cau_diem }} (cao nhất "
        "{{ diem_cao_nhat | so }} điểm). Kết quả cụ thể như sau:",
        keep=True,
    )
    score_table(t)
    t.para(
        "Căn cứ kết quả chấm điểm, {{ ten_cum_ngan }} thống nhất bình xét, suy tôn thi đua năm "
        "{{ nam }}, kết quả {{ cau_xep_hang }}.",
        before=6,
    )
    t.tag("{%p if co_de_nghi %}")
    t.para("{{ ten_cum_ngan }} thống nhất {{ cau_de_nghi }}.")
    t.tag("{%p endif %}")
    t.para("III. HẠN CHẾ, TỒN TẠI VÀ NGUYÊN NHÂN", style=HEADING)
    t.para("1. Hạn chế, tồn tại", style=HEADING)
    narratives("han_che")
    t.para("2. Nguyên nhân", style=HEADING)
    narratives("nguyen_nhan")
    t.para("IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {{ nam_sau }}", style=HEADING)
    narratives("phuong_huong")
    t.para("{{ ten_cum_ngan }} thống nhất cử luân phiên {{ cau_luan_phien }}.")
    t.tag("{%p if noi_dung_bao_cao.kien_nghi %}")
    t.para("V. ĐỀ XUẤT, KIẾN NGHỊ", style=HEADING)
    narratives("kien_nghi")
    t.tag("{%p endif %}")
    t.para(
        "Trên đây là báo cáo tổng kết công tác thi đua, khen thưởng năm {{ nam }} và phương "
        "hướng, nhiệm vụ năm {{ nam_sau }} của {{ ten_cum }}./.",
        keep=True,  # never leave the signature alone on a page
    )
    t.para(style=PLAIN, size=6, keep=True)
    table = t.table((7.0, 9.5), 1)
    keep_row_together(table.rows[0])
    recipients(t, table.cell(0, 0), "bao_cao")
    signature(t, table.cell(0, 1), "ky.bao_cao")
    return t


def bien_ban() -> Builder:
    """02 Biên bản hội nghị (domain-thidua.md §4; NĐ 30 Mẫu 1.9; HD 16-HD/VPTW)."""
    t = Builder("Biên bản hội nghị tổng kết công tác thi đua, khen thưởng năm {{ nam }}",
                "bien_ban", "Biên bản")
    header(t, "bien_ban", state_date_line=False)  # NĐ 30 Mẫu 1.9 has no place-date line
    summary = (
        "Hội nghị tổng kết công tác thi đua, khen thưởng năm {{ nam }} và ký kết giao ước thi "
        "đua năm {{ nam_sau }}"
    )
    # Party trích yếu start in lower case (HD 36), State ones with a capital (NĐ 30)
    title(t, "BIÊN BẢN", summary[0].lower() + summary[1:], summary)

    def labelled(label: str, *rest: Text) -> None:
        t.para(R(label, b=True), *rest)

    labelled("Thời gian: ", "bắt đầu vào hồi {{ hoi_nghi.bat_dau | gio }}, "
             "{{ hoi_nghi.ngay | thu_ngay }}.")  # fmt: skip
    labelled("Địa điểm: ", "{{ hoi_nghi.dia_diem }}.")
    labelled(
        "Nội dung: ",
        "tổng kết công tác thi đua, khen thưởng năm {{ nam }} của {{ ten_cum }}; chấm điểm, "
        "bình xét, suy tôn; bầu {{ loai_cum_hoa }} trưởng, {{ loai_cum_hoa }} phó năm "
        "{{ nam_sau }}; ký kết giao ước thi đua năm {{ nam_sau }}.",
    )
    labelled("Chủ trì: ", "đồng chí {{ hoi_nghi.chu_tri.mo_ta }}.")
    labelled(
        "{% if dang %}Người ghi biên bản{% else %}Thư ký{% endif %}: ",
        "đồng chí {{ hoi_nghi.thu_ky.mo_ta }}.",
    )

    t.para("1. Thành phần hội nghị", style=HEADING)
    t.para(
        R("1.1. Đại biểu chính thức: ", i=True),
        "có mặt {{ hoi_nghi.so_don_vi_co_mat }}/{{ so_don_vi }} cơ quan trong {{ loai_cum }} "
        "({{ hoi_nghi.so_dai_bieu_co_mat }} đồng chí), gồm:",
        keep=True,
    )
    loop(t, "a in hoi_nghi.dai_bieu", "- Đồng chí {{ a.mo_ta }}{{ '.' if loop.last else ';' }}")
    t.tag("{%p if hoi_nghi.vang_mat %}")
    t.para("Vắng mặt:", keep=True)
    loop(
        t,
        "a in hoi_nghi.vang_mat",
        "- Đồng chí {{ a.mo_ta }}{% if a.ly_do %} (lý do: {{ a.ly_do }}){% endif %}"
        "{{ '.' if loop.last else ';' }}",
    )
    t.tag("{%p else %}")
    t.para("Vắng mặt: không.")
    t.tag("{%p endif %}")
    t.tag("{%p if hoi_nghi.don_vi_vang_mat %}")
    t.para(
        "Cơ quan không có đại biểu dự: "
        "{{ hoi_nghi.don_vi_vang_mat | map(attribute='ten') | list | noi }}."
    )
    t.tag("{%p endif %}")
    t.tag("{%p if hoi_nghi.khach_moi %}")
    t.para(R("1.2. Đại biểu mời dự:", i=True), keep=True, lines=True)
    loop(t, "g in hoi_nghi.khach_moi", "- Đồng chí {{ g.mo_ta }}{{ '.' if loop.last else ';' }}")
    t.tag("{%p else %}")
    t.para(R("1.2. Đại biểu mời dự: ", i=True), "không có.")
    t.tag("{%p endif %}")

    t.para("2. Diễn biến hội nghị", style=HEADING)
    t.para(
        R("2.1. ", i=True),
        "Đồng chí {{ hoi_nghi.chu_tri.ho_ten }}, chủ trì hội nghị, thông qua Báo cáo tổng kết "
        "công tác thi đua, khen thưởng năm {{ nam }} và phương hướng, nhiệm vụ năm "
        "{{ nam_sau }} của {{ ten_cum }}.",
    )
    t.para(
        R("2.2. ", i=True),
        "Hội nghị thông qua kết quả chấm điểm thi đua năm {{ nam }}: {{ cau_diem }}. "
        "Kết quả cụ thể như sau:",
        keep=True,
    )
    score_table(t)
    t.tag("{%p if hoi_nghi.thao_luan %}")
    t.para(R("2.3. Ý kiến thảo luận:", i=True), before=6, keep=True, lines=True)
    loop(
        t,
        "d in hoi_nghi.thao_luan",
        "- Đồng chí {{ d.mo_ta }}: {{ d.noi_dung }}",
    )
    t.tag("{%p else %}")
    t.para(R("2.3. Ý kiến thảo luận: ", i=True), "không có ý kiến khác.", before=6)
    t.tag("{%p endif %}")
    t.tag("{%p if bieu_quyet %}")
    t.para(R("2.4. Biểu quyết, bỏ phiếu:", i=True), keep=True, lines=True)
    t.tag("{%p for b in bieu_quyet %}")
    t.para("- {{ b.noi_dung }} (hình thức: {{ b.hinh_thuc_chu }}):", keep=True)
    t.para(
        "{% if b.bo_phieu_kin %}Số phiếu phát ra: {{ b.phat_ra }}; số phiếu thu về: "
        "{{ b.thu_ve }}; hợp lệ: {{ b.hop_le }}; không hợp lệ: {{ b.khong_hop_le }}. "
        "{% else %}Số đại biểu biểu quyết: {{ b.hop_le }}. {% endif %}"
        "Đồng ý: {{ b.dong_y }}/{{ b.co_so }} ({{ b.ty_le | phan_tram(none) }}); không đồng ý: "
        "{{ b.khong_dong_y }}; không có ý kiến: {{ b.khong_y_kien }}. Kết quả: {{ b.ket_qua }}."
    )
    t.tag("{%p endfor %}")
    t.tag("{%p endif %}")

    t.para("3. Kết luận của hội nghị", style=HEADING)
    t.para("Hội nghị thống nhất:", keep=True)
    t.para("- Về bình xét, suy tôn thi đua năm {{ nam }}, kết quả {{ cau_xep_hang }}.")
    t.tag("{%p if co_de_nghi %}")
    t.para("- Về khen thưởng: {{ cau_de_nghi }}.")
    t.tag("{%p else %}")
    t.para("- Về khen thưởng: không đề nghị khen thưởng tập thể, cá nhân nào.")
    t.tag("{%p endif %}")
    t.para("- Bầu {{ cau_luan_phien }}.")
    t.para("- Các cơ quan trong {{ loai_cum }} thống nhất nội dung và ký kết giao ước thi đua năm "
           "{{ nam_sau }}.")  # fmt: skip
    t.para(
        "Hội nghị kết thúc vào hồi {{ hoi_nghi.ket_thuc | gio }} cùng ngày. Biên bản đã được "
        "thông qua tại hội nghị, các đại biểu dự hội nghị nhất trí với nội dung biên bản./.",
        keep=True,
    )
    t.para(style=PLAIN, size=6, keep=True)
    table = t.table((8.25, 8.25), 1)
    keep_row_together(table.rows[0])
    signature(t, table.cell(0, 0), "ky.thu_ky", keep=True)
    signature(t, table.cell(0, 1), "ky.bien_ban", keep=True)
    t.tag("{%p if noi_nhan.bien_ban %}")  # by default State minutes only (NĐ 30 Mẫu 1.9)
    recipients(t, None, "bien_ban", before=18)
    t.tag("{%p endif %}")
    return t


def giao_uoc() -> Builder:
    """03 Bản giao ước thi đua năm sau (domain-thidua.md §5)."""
    t = Builder("Bản giao ước thi đua năm {{ nam_sau }}", "giao_uoc", "Giao ước thi đua")
    header(t, "giao_uoc")
    title(t, "BẢN GIAO ƯỚC THI ĐUA NĂM {{ nam_sau }}", "{{ ten_cum }}", "{{ ten_cum }}",
          dynamic=True)  # fmt: skip
    loop(t, "c in can_cu.giao_uoc", "Căn cứ {{ c }};", i=True)  # from the CanCu sheet
    for text in (
        "Căn cứ kết quả Hội nghị tổng kết công tác thi đua, khen thưởng năm {{ nam }} của "
        "{{ ten_cum }} {{ hoi_nghi.ngay | ngay_thang_nam }};",
        "Căn cứ chức năng, nhiệm vụ và chương trình công tác năm {{ nam_sau }} của các cơ quan "
        "trong {{ loai_cum }}.",
    ):
        t.para(text, i=True)
    t.para(
        "Các cơ quan trong {{ ten_cum }} thống nhất ký kết giao ước thi đua năm {{ nam_sau }} "
        "với những nội dung sau:"
    )
    t.para("I. NỘI DUNG GIAO ƯỚC THI ĐUA", style=HEADING)
    t.tag("{%p for n in chi_tieu_giao_uoc %}")
    t.para("{{ n.stt }}. {{ n.ten }}", style=HEADING)
    loop(t, "c in n.chi_tieu", "- {{ c.noi_dung }}")
    t.tag("{%p endfor %}")
    t.para("II. TỔ CHỨC THỰC HIỆN", style=HEADING)
    t.para(
        "1. Thủ trưởng các cơ quan trong {{ loai_cum }} quán triệt nội dung giao ước đến toàn "
        "thể cán bộ, công chức, viên chức, người lao động; xây dựng kế hoạch cụ thể để tổ chức "
        "thực hiện."
    )
    t.para(
        "2. {{ luan_phien.cum_truong.ten }} ({{ loai_cum_hoa }} trưởng) và "
        "{{ luan_phien.cum_pho.ten }} ({{ loai_cum_hoa }} phó) năm {{ nam_sau }} chủ trì theo "
        "dõi, đôn đốc việc thực hiện giao ước; tổ chức sơ kết 6 tháng, tổng kết năm; chấm điểm, "
        "bình xét thi đua theo quy định."
    )
    t.para("3. Bản giao ước này có hiệu lực kể từ ngày ký./.", keep=True)
    t.para("ĐẠI DIỆN CÁC CƠ QUAN KÝ GIAO ƯỚC", style=PLAIN, size=14, b=True, before=12,
           after=6, keep=True)  # fmt: skip
    # One row per group of three units, never split across pages: the unit's name in four
    # lines (empty ones first: filter ngat_dong with so_dong=4), its signer's titles in three
    # lines (empty ones last), the space to sign and the signer's name, so that titles and names
    # line up whatever the length of a unit's name or title. Every line is kept with the next,
    # so that the grid stays with the last paragraph of the text.
    width = SIGNATURE_COLUMN - CELL_MARGINS
    table = t.table((SIGNATURE_COLUMN,) * 3, 3)
    t.para("{%tr for hang in chu_ky_don_vi %}", style=TABLE, where=table.cell(0, 0))
    for column, cell in enumerate(table.rows[1].cells):
        # 11 pt: "SỞ CÔNG THƯƠNG TỈNH", "BAN NỘI CHÍNH TỈNH ỦY" on one line of the column
        t.para(f"{{{{ hang[{column}].ten_don_vi | ngat_dong({width:g}, 11, true, so_dong=4) }}}}",
               style=PLAIN, where=cell, size=11, b=True, keep=True)  # fmt: skip
        # the titles in three lines too (empty ones last), so that the names line up
        titles = f"(hang[{column}].dong_1 ~ '\\n' ~ hang[{column}].dong_2)"
        t.para(f"{{{{ {titles} | ngat_dong({width:g}, 13, true, so_dong=3, them_sau=true) }}}}",
               style=PLAIN, where=cell, size=13, b=True, keep=True)  # fmt: skip
        for _ in range(4):
            t.para(style=PLAIN, where=cell, size=13, keep=True)
        t.para(f"{{{{ hang[{column}].ho_ten }}}}", style=PLAIN, where=cell, size=13, b=True,
               after=18, keep=True)  # fmt: skip
    keep_row_together(table.rows[1])
    t.para("{%tr endfor %}", style=TABLE, where=table.cell(2, 0))
    t.tag("{%p if noi_nhan.giao_uoc %}")  # none by default
    recipients(t, None, "giao_uoc", before=12)
    t.tag("{%p endif %}")
    return t


def danh_sach() -> Builder:
    """04 Danh sách đề nghị khen thưởng (domain-thidua.md §6.2): A. Tập thể, B. Cá nhân."""
    t = Builder("Danh sách đề nghị khen thưởng thành tích năm {{ nam }}", "danh_sach",
                "Danh sách")
    header(t, "danh_sach")
    summary = "đề nghị khen thưởng thành tích năm {{ nam }}"
    note = (
        "(Kèm theo Biên bản Hội nghị tổng kết công tác thi đua, khen thưởng năm {{ nam }} của "
        "{{ ten_cum }} {{ hoi_nghi.ngay | ngay_thang_nam }})"
    )
    title(t, "DANH SÁCH", summary, "Đề nghị khen thưởng thành tích năm {{ nam }}", note)
    amount = "{% if x.so_tien is not none %}{{ x.so_tien | so }}{% else %}–{% endif %}"

    t.para("A. TẬP THỂ", style=HEADING)
    t.tag("{%p if de_nghi_tap_the %}")
    # money columns as wide as "16.100.000" in bold (1,9 cm); names and forms of award in two
    # lines; no word split inside a cell (filter giu_tu)
    table = t.table((1.0, 4.6, 4.2, 4.5, 2.2), 5, grid=True)
    heads: tuple[str, ...] = (
        "STT",
        "Tên tập thể",
        "Hình thức khen thưởng",
        "Thành tích",
        "Số tiền (đồng)",
    )
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        t.para(giu_tu(text), style=TABLE, where=cell, b=True, align=CENTER)
    mark_header_row(table.rows[0])
    t.para("{%tr for x in de_nghi_tap_the %}", style=TABLE, where=table.cell(1, 0))
    cells = table.rows[2].cells
    t.para("{{ x.stt }}", style=TABLE, where=cells[0], align=CENTER)
    t.para("{{ x.ten | giu_tu }}", style=TABLE, where=cells[1])
    t.para("{{ x.hinh_thuc | giu_tu }}", style=TABLE, where=cells[2])
    t.para("{{ x.thanh_tich | giu_tu }}", style=TABLE, where=cells[3])
    t.para("({{ x.ket_qua }})", style=TABLE, where=cells[3], i=True)
    t.para(amount, style=TABLE, where=cells[4], align=RIGHT)
    keep_row_together(table.rows[2])
    t.para("{%tr endfor %}", style=TABLE, where=table.cell(3, 0))
    cells = table.rows[4].cells
    keep_row_together(table.rows[4])
    t.para(style=TABLE, where=cells[0])
    t.para("Cộng: {{ de_nghi_tap_the | length }} tập thể", style=TABLE, where=cells[1], b=True)
    for cell in cells[2:4]:
        t.para(style=TABLE, where=cell)
    t.para("{{ tong_tien_tap_the | so }}", style=TABLE, where=cells[4], b=True, align=RIGHT)
    t.tag("{%p else %}")
    t.para("Không có tập thể được đề nghị khen thưởng.")
    t.tag("{%p endif %}")

    t.para("B. CÁ NHÂN", style=HEADING, before=6)
    t.tag("{%p if de_nghi_ca_nhan %}")
    table = t.table((1.0, 2.6, 3.8, 3.1, 3.8, 2.2), 5, grid=True)
    heads = ("STT", "Họ và tên", "Chức vụ, đơn vị", "Hình thức khen thưởng", "Thành tích",
             "Số tiền (đồng)")  # fmt: skip
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        t.para(giu_tu(text), style=TABLE, where=cell, b=True, align=CENTER)
    mark_header_row(table.rows[0])
    t.para("{%tr for x in de_nghi_ca_nhan %}", style=TABLE, where=table.cell(1, 0))
    cells = table.rows[2].cells
    t.para("{{ x.stt }}", style=TABLE, where=cells[0], align=CENTER)
    t.para("{{ x.ho_ten }}", style=TABLE, where=cells[1], b=True)
    t.para(
        "({{ x.gioi_tinh }}{% if x.nam_sinh is not none %}, {{ x.nam_sinh }}{% endif %})",
        style=TABLE, where=cells[1],
    )  # fmt: skip
    t.para("{{ x.chuc_vu_don_vi | giu_tu }}", style=TABLE, where=cells[2])
    t.para("{{ x.hinh_thuc | giu_tu }}", style=TABLE, where=cells[3])
    t.para("{{ x.thanh_tich | giu_tu }}", style=TABLE, where=cells[4])
    t.para(amount, style=TABLE, where=cells[5], align=RIGHT)
    keep_row_together(table.rows[2])
    t.para("{%tr endfor %}", style=TABLE, where=table.cell(3, 0))
    cells = table.rows[4].cells
    keep_row_together(table.rows[4])
    t.para(style=TABLE, where=cells[0])
    t.para("Cộng: {{ de_nghi_ca_nhan | length }} cá nhân", style=TABLE, where=cells[1], b=True)
    for cell in cells[2:5]:
        t.para(style=TABLE, where=cell)
    t.para("{{ tong_tien_ca_nhan | so }}", style=TABLE, where=cells[5], b=True, align=RIGHT)
    t.tag("{%p else %}")
    t.para("Không có cá nhân được đề nghị khen thưởng.")
    t.tag("{%p endif %}")

    t.para(
        "Tổng số: {{ de_nghi_tap_the | length }} tập thể và {{ de_nghi_ca_nhan | length }} cá "
        "nhân.",
        before=6,
        keep=True,
    )
    t.tag("{%p if tong_tien %}")
    t.para(
        "Tổng số tiền thưởng: {{ tong_tien | tien }} (Bằng chữ: {{ tong_tien_chu }}).", keep=True
    )
    t.tag("{%p if luong_co_so %}")
    t.para(
        "Số tiền thưởng tính theo mức lương cơ sở {{ luong_co_so.muc | tien }} áp dụng từ "
        "{{ luong_co_so.tu_ngay | ngay_thang_nam }}, làm tròn lên hàng chục nghìn đồng.",
        i=True,
        keep=True,
    )
    t.tag("{%p endif %}")
    t.tag("{%p endif %}")
    t.para(style=PLAIN, size=6, keep=True)
    table = t.table((7.0, 9.5), 1)
    keep_row_together(table.rows[0])
    t.tag("{%p if noi_nhan.danh_sach %}", where=table.cell(0, 0))  # none by default
    recipients(t, table.cell(0, 0), "danh_sach")
    t.tag("{%p endif %}", where=table.cell(0, 0))
    t.para(style=PLAIN, where=table.cell(0, 0))  # a cell keeps a paragraph when the list is gone
    signature(t, table.cell(0, 1), "ky.danh_sach")
    return t


TEMPLATES: dict[str, Callable[[], Builder]] = {
    "01-bao-cao-tong-ket.docx": bao_cao,
    "02-bien-ban-hoi-nghi.docx": bien_ban,
    "03-giao-uoc-thi-dua.docx": giao_uoc,
    "04-danh-sach-de-nghi-khen-thuong.docx": danh_sach,
}


def build_templates() -> dict[str, bytes]:
    """File name → bytes of every template (deterministic)."""
    return {name: make().save() for name, make in TEMPLATES.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder")
    parser.add_argument("--check", action="store_true", help="only check the files are current")
    args = parser.parse_args(argv)
    stale = []
    for name, data in build_templates().items():
        path = args.out / name
        current = path.read_bytes() if path.is_file() else None
        if current == data:
            print(f"identical  {path}")
            continue
        stale.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print(f"{'overwrite' if current is not None else 'create':<10} {path}")
    if args.check and stale:
        print("out of date: " + ", ".join(str(p) for p in stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
