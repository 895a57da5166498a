"""The benchmark document, written once and translated for every engine, with its data.

The document is the commendation list with the minutes' score table: the header block of a Party
document, the title, one table with a row per unit (STT, unit, self score, cluster score, bonus,
penalty, total, rank, award, money), a total row, the total amount and the signature. It is built
once as a *base* .docx with python-docx (so its package is the one the bundled templates have:
about 800 KB of styles), with neutral markers ``[[name]]`` in single runs. :func:`write_templates`
turns the base into one template per syntax by replacing the markers and marking the table's
data row as the loop:

* Jinja (thidua and docxtpl): ``{{ r.tong | so(2) }}``, the row between ``{%tr for r in rows %}``
  and ``{%tr endfor %}`` rows;
* docxtemplater (angular expressions): ``{tong | so:2}``, ``{#rows}`` in the row's first cell and
  ``{/rows}`` in its last;
* Carbone: ``{d.rows[i].tong:formatN(2)}`` and a copy of the row with ``[i+1]``.

Every engine formats the numbers itself, the way its users do: thidua with its ``so`` filter,
docxtpl with babel's ``format_decimal`` (the usual docxtpl filter), docxtemplater with
``Intl.NumberFormat('vi-VN')``, Carbone with ``formatN`` and ``lang: 'vi'``. The data are chosen so
that all of them print the same characters (scores are multiples of 0,25, exact in binary, so no
engine has to round); :func:`printed_text` extracts the text of an output so the benchmark can
check that before it times anything.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MARKER = re.compile(r"\[\[([a-z_.]+)\]\]")


@dataclass(frozen=True)
class Field:
    """A printed value: its path in the data (``r.`` = the current row) and its format.

    ``places`` is ``None`` for a value printed as it is (text, STT, rank), else the number of
    decimal places of a formatted number (0 for money: grouped, no decimals).
    """

    path: str
    places: int | None = None


FIELDS = {
    "co_quan": Field("co_quan"),
    "so_van_ban": Field("so_van_ban"),
    "dia_danh_ngay": Field("dia_danh_ngay"),
    "nam": Field("nam"),
    "ten_cum": Field("ten_cum"),
    "so_don_vi": Field("so_don_vi", 0),
    "tong_tien": Field("tong_tien", 0),
    "nguoi_ky": Field("nguoi_ky"),
    "r.stt": Field("r.stt"),
    "r.ten": Field("r.ten"),
    "r.tu_cham": Field("r.tu_cham", 2),
    "r.cum_cham": Field("r.cum_cham", 2),
    "r.cong": Field("r.cong", 2),
    "r.tru": Field("r.tru", 2),
    "r.tong": Field("r.tong", 2),
    "r.xep_thu": Field("r.xep_thu"),
    "r.danh_hieu": Field("r.danh_hieu"),
    "r.so_tien": Field("r.so_tien", 0),
}

_COLUMNS = (
    ("STT", "r.stt", 0.45),
    ("Tên đơn vị", "r.ten", 1.9),
    ("Tự chấm", "r.tu_cham", 0.75),
    ("Cụm chấm", "r.cum_cham", 0.75),
    ("Điểm cộng", "r.cong", 0.6),
    ("Điểm trừ", "r.tru", 0.6),
    ("Tổng điểm", "r.tong", 0.75),
    ("Xếp thứ", "r.xep_thu", 0.5),
    ("Danh hiệu đề nghị", "r.danh_hieu", 1.3),
    ("Số tiền (đồng)", "r.so_tien", 0.9),
)


# ---------------------------------------------------------------------------------------------
# The base document


def base_docx() -> bytes:
    """The neutral base .docx (python-docx's default package, A4, Times New Roman 13)."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(2.5), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(13)

    def paragraph(container, *parts: str, bold: bool = False, center: bool = False):  # type: ignore[no-untyped-def]
        p = container.add_paragraph()
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for part in parts:  # each marker in a run of its own
            run = p.add_run(part)
            run.bold = bold
        return p

    header = doc.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.paragraphs[0].add_run("TỈNH ỦY LẠNG SƠN")
    paragraph(left, "[[co_quan]]", bold=True, center=True)
    paragraph(left, "*", center=True)
    paragraph(left, "Số ", "[[so_van_ban]]", center=True)
    right.paragraphs[0].add_run("ĐẢNG CỘNG SẢN VIỆT NAM").bold = True
    paragraph(right, "[[dia_danh_ngay]]", center=True)

    paragraph(doc, "DANH SÁCH", bold=True, center=True)
    paragraph(doc, "đề nghị khen thưởng thành tích năm ", "[[nam]]", bold=True, center=True)
    paragraph(
        doc,
        "(Kèm theo Biên bản Hội nghị tổng kết công tác thi đua, khen thưởng năm ",
        "[[nam]]",
        " của ",
        "[[ten_cum]]",
        ")",
        center=True,
    )
    paragraph(
        doc,
        "Kết quả chấm điểm, xếp hạng và đề nghị khen thưởng của ",
        "[[so_don_vi]]",
        " đơn vị trong cụm như sau:",
    )

    table = doc.add_table(rows=3, cols=len(_COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, (title, marker, width) in enumerate(_COLUMNS):
        for row in range(3):
            table.cell(row, column).width = Cm(width * 1.8)
        table.cell(0, column).paragraphs[0].add_run(title).bold = True
        table.cell(1, column).paragraphs[0].add_run(f"[[{marker}]]")
    total = table.rows[2].cells
    total[1].paragraphs[0].add_run("Cộng: ").bold = True
    total[1].paragraphs[0].add_run("[[so_don_vi]]").bold = True
    total[1].paragraphs[0].add_run(" đơn vị").bold = True
    total[-1].paragraphs[0].add_run("[[tong_tien]]").bold = True

    paragraph(doc, "Tổng số tiền thưởng: ", "[[tong_tien]]", " đồng.")
    paragraph(doc, "T/M CỤM THI ĐUA", bold=True, center=True)
    paragraph(doc, "CỤM TRƯỞNG", bold=True, center=True)
    paragraph(doc, "[[nguoi_ky]]", bold=True, center=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# One template per syntax


def _jinja(field: Field) -> str:
    if field.places is None:
        return "{{ " + field.path + " }}"
    return "{{ " + field.path + " | so" + (f"({field.places})" if field.places else "") + " }}"


def _docxtemplater(field: Field) -> str:
    path = field.path.removeprefix("r.")
    return "{" + path + ("" if field.places is None else f" | so:{field.places}") + "}"


def _carbone(field: Field) -> str:
    path = field.path.replace("r.", "rows[i].")
    return "{d." + path + ("" if field.places is None else f":formatN({field.places})") + "}"


def _texts(element: etree._Element) -> list[etree._Element]:
    return list(element.iter(W + "t"))


def _replace_markers(root: etree._Element, syntax: Callable[[Field], str]) -> None:
    for node in root.iter(W + "t"):
        if node.text and "[[" in node.text:
            node.text = _MARKER.sub(lambda m: syntax(FIELDS[m.group(1)]), node.text)


def _loop_row(root: etree._Element) -> etree._Element:
    rows = [tr for tr in root.iter(W + "tr") if any("[[r." in (t.text or "") for t in _texts(tr))]
    assert len(rows) == 1, "the base has exactly one data row"
    return rows[0]


def _tag_row(row: etree._Element, tag: str) -> etree._Element:
    """A copy of ``row`` whose only text is ``tag`` (docxtpl removes the whole row)."""
    import copy

    tagged = copy.deepcopy(row)
    texts = _texts(tagged)
    for node in texts:
        node.text = ""
    texts[0].text = tag
    return tagged


def _jinja_template(root: etree._Element) -> None:
    row = _loop_row(root)
    row.addprevious(_tag_row(row, "{%tr for r in rows %}"))
    row.addnext(_tag_row(row, "{%tr endfor %}"))
    _replace_markers(root, _jinja)


def _docxtemplater_template(root: etree._Element) -> None:
    texts = _texts(_loop_row(root))
    texts[0].text = "{#rows}" + (texts[0].text or "")
    texts[-1].text = (texts[-1].text or "") + "{/rows}"
    _replace_markers(root, _docxtemplater)


def _carbone_template(root: etree._Element) -> None:
    import copy

    row = _loop_row(root)
    following = copy.deepcopy(row)
    row.addnext(following)
    _replace_markers(root, _carbone)
    for node in _texts(following):
        node.text = (node.text or "").replace("[i]", "[i+1]")


SYNTAXES: dict[str, Callable[[etree._Element], None]] = {
    "jinja": _jinja_template,
    "docxtemplater": _docxtemplater_template,
    "carbone": _carbone_template,
}


def _rewrite(base: bytes, part: str, transform: Callable[[etree._Element], None]) -> bytes:
    """``base`` with ``part`` transformed (other members copied, same order)."""
    source = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == part:
                root = etree.fromstring(data)
                transform(root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(info, data)
    return out.getvalue()


def write_templates(folder: Path) -> dict[str, Path]:
    """Write ``base.docx`` and one template per syntax into ``folder``; syntax → path."""
    folder.mkdir(parents=True, exist_ok=True)
    base = base_docx()
    (folder / "base.docx").write_bytes(base)
    paths = {}
    for syntax, transform in SYNTAXES.items():
        path = folder / f"{syntax}.docx"
        path.write_bytes(_rewrite(base, "word/document.xml", transform))
        paths[syntax] = path
    return paths


# ---------------------------------------------------------------------------------------------
# The data

_KINDS = (
    "Ban Tuyên giáo",
    "Ủy ban Kiểm tra",
    "Văn phòng",
    "Ban Dân vận",
    "Ban Tổ chức",
    "Đảng ủy Khối các cơ quan",
    "Trung tâm Chính trị",
    "Ban Nội chính",
)
_PLACES = (
    "huyện Cao Lộc",
    "huyện Văn Lãng",
    "huyện Tràng Định",
    "huyện Bình Gia",
    "huyện Bắc Sơn",
    "huyện Hữu Lũng",
    "huyện Chi Lăng",
    "huyện Đình Lập",
    "huyện Lộc Bình",
    "huyện Văn Quan",
    "thành phố Lạng Sơn",
)
_AWARDS = (  # (name, money in đồng), by rank band
    ("Cờ thi đua của Ban Chấp hành Đảng bộ tỉnh", 9_200_000),
    ("Bằng khen của Ban Thường vụ Tỉnh ủy", 2_300_000),
    ("Giấy khen của Ban Thường vụ Huyện ủy", 345_000),
    ("Hoàn thành tốt nhiệm vụ", 0),
)
_Q = Decimal("0.25")


def rows(count: int) -> list[dict[str, object]]:
    """``count`` units with scores in steps of 0,25, ranked by total (ties share a rank)."""
    units: list[dict[str, object]] = []
    for index in range(count):
        tu_cham = Decimal(880 + (index * 37) % 117) + _Q * (index % 4)
        cum_cham = tu_cham - Decimal("0.5") * (index % 3)
        cong = Decimal("1.5") * (index % 5)
        tru = Decimal(2) if index % 7 == 3 else Decimal(0)
        name = f"{_KINDS[index % len(_KINDS)]} {_PLACES[index % len(_PLACES)]}"
        if index % 10 == 2:
            name = f"Ban Tuyên giáo & Dân vận {_PLACES[index % len(_PLACES)]}"  # escaping
        units.append(
            {
                "stt": index + 1,
                "ten": f"{name} (đơn vị {index + 1})",
                "tu_cham": tu_cham,
                "cum_cham": cum_cham,
                "cong": cong,
                "tru": tru,
                "tong": cum_cham + cong - tru,
            }
        )
    order = sorted(units, key=lambda u: -u["tong"])  # type: ignore[operator]
    for position, unit in enumerate(order):
        previous = order[position - 1] if position else None
        unit["xep_thu"] = (
            previous["xep_thu"] if previous and previous["tong"] == unit["tong"] else position + 1
        )
        rank = unit["xep_thu"]
        assert isinstance(rank, int)
        band = (
            0 if rank == 1 else 1 if rank <= max(1, count // 10) else 2 if rank <= count // 2 else 3
        )
        unit["danh_hieu"], unit["so_tien"] = _AWARDS[band]
    return units


def context(count: int) -> dict[str, object]:
    """The whole document's data for ``count`` units (numbers as ``Decimal`` and ``int``)."""
    units = rows(count)
    return {
        "co_quan": "CỤM THI ĐUA CÁC BAN ĐẢNG",
        "so_van_ban": "02-DS/CTĐ",
        "dia_danh_ngay": "Lạng Sơn, ngày 10 tháng 01 năm 2014",
        "nam": 2013,
        "ten_cum": "Cụm thi đua các Ban Đảng thuộc Tỉnh ủy Lạng Sơn",
        "so_don_vi": count,
        "tong_tien": sum(int(u["so_tien"]) for u in units),  # type: ignore[call-overload]
        "nguoi_ky": "Nguyễn Văn Lực",
        "rows": units,
    }


def write_json(value: object, path: Path) -> None:
    """``value`` as JSON for the Node peers (a ``Decimal`` becomes a JSON number)."""

    def default(item: object) -> object:
        if isinstance(item, Decimal):
            return float(item)  # exact: every value is a multiple of 0,25
        raise TypeError(type(item))

    path.write_text(json.dumps(value, ensure_ascii=False, default=default), encoding="utf-8")


def babel_so(value: object, places: int | None = None) -> str:
    """The number filter a docxtpl user writes with babel (docxtpl has none of its own)."""
    from babel.numbers import format_decimal

    number = Decimal(str(value))
    if places:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    text: str = format_decimal(number, format=pattern, locale="vi", decimal_quantization=False)
    return text


# ---------------------------------------------------------------------------------------------
# What an output prints


_SPECIAL = {W + "tab": "\t", W + "br": "\n"}


def printed_text(docx: bytes) -> str:
    """The printed text of a .docx's main part: one line per paragraph, in document order."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    lines = []
    for paragraph in root.iter(W + "p"):
        parts = [
            (node.text or "") if node.tag == W + "t" else _SPECIAL[node.tag]
            for node in paragraph.iter(W + "t", W + "tab", W + "br")
        ]
        lines.append("".join(parts))
    return "\n".join(lines)
