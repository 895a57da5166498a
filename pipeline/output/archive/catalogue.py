"""The Mục lục văn bản, tài liệu of a hồ sơ (NĐ 30/2020 Phụ lục V), for people and machines.

Pure: no I/O, no clock (the date of the list is passed in). The columns are those of the form
"Mục lục văn bản, tài liệu" (reference §1.2): (1) STT · (2) Số, ký hiệu văn bản · (3) Ngày tháng
năm văn bản · (4) Tên loại và trích yếu nội dung văn bản · (5) Tác giả văn bản · (6) Tờ số/Trang
số · (7) Ghi chú. "Trang số" runs through the hồ sơ: the first document holds pages 1–4, the
next 5–9, and so on (Điều 29.4: number the sheets of a hồ sơ kept 5 years or more).

:func:`catalogue_docx` writes a small WordprocessingML document by hand (A4 landscape, Times New
Roman, one table) through :mod:`pipeline.opc`, so the same records give the same bytes on every
machine; :func:`catalogue_csv` the same rows for Excel (UTF-8 with a byte-order mark, CRLF);
:func:`catalogue_json` for programs.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence
from xml.sax.saxutils import escape

from pipeline.opc import deflated_member, write_zip
from pipeline.output.archive.metadata import ArchivedDocument, DossierInfo, vn_date

COLUMNS = (
    "STT",
    "Số, ký hiệu văn bản",
    "Ngày tháng năm văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Tác giả văn bản",
    "Tờ số/Trang số",
    "Ghi chú",
)
#: Column widths in twentieths of a point: 257 mm of A4 landscape with 20 mm margins.
_WIDTHS = (800, 2000, 1500, 4470, 2600, 1200, 2000)


def rows(documents: Sequence[ArchivedDocument]) -> list[tuple[str, ...]]:
    """One row per document, in the given (hồ sơ) order, with running page numbers.

    >>> from pipeline.output.archive.metadata import DocumentInfo
    >>> info = DocumentInfo("bao_cao", "Báo cáo", 12, "BC/BTGTU", dt.date(2014, 1, 10),
    ...     "Ban Tuyên giáo Tỉnh ủy", "Tổng kết năm 2013", "Cụm trưởng", "A", code="12-BC/BTGTU")
    >>> for cell in rows([ArchivedDocument(info, ("a.docx",), 4, ordinal=1)])[0]:
    ...     print(repr(cell))
    '1'
    '12-BC/BTGTU'
    '10/01/2014'
    'Báo cáo: Tổng kết năm 2013'
    'Ban Tuyên giáo Tỉnh ủy'
    '01-04'
    ''
    """
    table: list[tuple[str, ...]] = []
    page = 1
    for position, doc in enumerate(documents, start=1):
        info = doc.info
        if doc.pages:
            span = f"{page:02d}-{page + doc.pages - 1:02d}"
            page += doc.pages
        else:
            span = ""
        table.append(
            (
                str(doc.ordinal or position),
                info.code,
                vn_date(info.date),
                f"{info.type_name}: {info.subject}",
                info.organ_name,
                span,
                doc.note,
            )
        )
    return table


def catalogue_csv(documents: Sequence[ArchivedDocument]) -> bytes:
    """The rows as CSV that Excel opens with its Vietnamese letters (BOM, CRLF)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows(documents))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def catalogue_json(documents: Sequence[ArchivedDocument], dossier: DossierInfo) -> bytes:
    """The rows as JSON: the hồ sơ's title and year, then one object per row."""
    data = {
        "tieu_de_ho_so": dossier.title,
        "nam": dossier.year,
        "cot": list(COLUMNS),
        "van_ban": [dict(zip(COLUMNS, row, strict=True)) for row in rows(documents)],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def catalogue_docx(
    documents: Sequence[ArchivedDocument],
    dossier: DossierInfo,
    made_on: dt.date,
    file_notation: str = "",
) -> bytes:
    """The Mục lục văn bản as a .docx a person opens in Word: title, hồ sơ, year, the table and
    a closing line with the number of documents and pages."""
    table_rows = rows(documents)
    pages = sum(d.pages or 0 for d in documents)
    body = [
        _para("MỤC LỤC VĂN BẢN, TÀI LIỆU", bold=True, center=True, size=28),
        _para(f"Số, ký hiệu hồ sơ: {file_notation or '…………'}", center=True),
        _para(f"Tiêu đề hồ sơ: {dossier.title}", center=True),
        _para(f"Năm: {dossier.year}", center=True, after=240),
        _table(table_rows),
        _para(
            f"Mục lục này gồm {len(table_rows)} văn bản, {pages} trang.",
            before=240,
        ),
        _para(f"Ngày lập: {vn_date(made_on)}", italic=True),
        _SECTION,
    ]
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document xmlns:w="{_W}"><w:body>{"".join(body)}</w:body></w:document>'
    )
    core = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{escape(f'Mục lục văn bản: {dossier.title}')}</dc:title>"
        "<dc:language>vi-VN</dc:language><dc:creator>thidua</dc:creator>"
        "</cp:coreProperties>"
    )
    parts = [
        ("[Content_Types].xml", _CONTENT_TYPES),
        ("_rels/.rels", _RELS),
        ("word/document.xml", document),
        ("word/_rels/document.xml.rels", _DOCUMENT_RELS),
        ("word/styles.xml", _STYLES),
        ("docProps/core.xml", core),
        ("docProps/app.xml", _APP),
    ]
    return write_zip(deflated_member(name, text.encode("utf-8")) for name, text in parts)


def _run(text: str, bold: bool = False, italic: bool = False, size: int | None = None) -> str:
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    if size:
        props += f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _para(
    text: str,
    bold: bool = False,
    italic: bool = False,
    center: bool = False,
    size: int | None = None,
    before: int = 0,
    after: int = 0,
) -> str:
    ppr = f'<w:spacing w:before="{before}" w:after="{after}"/>'
    if center:
        ppr += '<w:jc w:val="center"/>'
    return f"<w:p><w:pPr>{ppr}</w:pPr>{_run(text, bold, italic, size)}</w:p>"


def _cell(text: str, width: int, bold: bool = False, center: bool = False) -> str:
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
        f"{_para(text, bold=bold, center=center, size=24)}</w:tc>"
    )


def _row(cells: Sequence[str], bold: bool = False, header: bool = False) -> str:
    trpr = "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>" if header else ""
    centred = {0, 2, 5}
    return (
        f"<w:tr>{trpr}"
        + "".join(
            _cell(text, width, bold=bold, center=header or i in centred)
            for i, (text, width) in enumerate(zip(cells, _WIDTHS, strict=True))
        )
        + "</w:tr>"
    )


def _table(table_rows: Sequence[Sequence[str]]) -> str:
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in _WIDTHS)
    numbers = [f"({i})" for i in range(1, len(COLUMNS) + 1)]
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(_WIDTHS)}" w:type="dxa"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>"
        + _row(COLUMNS, bold=True, header=True)
        + _row(numbers, header=True)
        + "".join(_row(row) for row in table_rows)
        + "</w:tbl>"
    )


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_SECTION = (
    '<w:sectPr><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>'
    '<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="567" '
    'w:footer="567" w:gutter="0"/></w:sectPr>'
)
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
    'package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.extended-properties+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
    'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/extended-properties" Target="docProps/app.xml"/></Relationships>'
)
_DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/></Relationships>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:styles xmlns:w="{_W}"><w:docDefaults><w:rPrDefault><w:rPr>'
    '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman" '
    'w:eastAsia="Times New Roman"/><w:sz w:val="26"/><w:szCs w:val="26"/>'
    '<w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault>'
    "<w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>"
    "</w:pPr></w:pPrDefault></w:docDefaults>"
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
    "</w:style></w:styles>"
)
_APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-'
    'properties"><Application>thidua</Application></Properties>'
)
