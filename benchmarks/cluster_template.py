"""A realistic cluster report template and context, built with python-docx, for benchmarks.

It mirrors what the project's real templates hold: a borderless two-column header table in the
Party format (issuing body, number, national motto, place and date), a title, about three pages of
Vietnamese text with a ``{%p if %}`` block, a 6-column score table with a ``{%tr for %}`` row loop,
a signature table, and a header and a footer with a PAGE field. Runs carry explicit fonts and
``lang=vi-VN`` as Word writes them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

_SENTENCES = (
    "Thực hiện Hướng dẫn số 36-HD/VPTW của Văn phòng Trung ương Đảng về thể thức văn bản, "
    "cụm thi đua đã tổ chức ký kết giao ước thi đua ngay từ đầu năm.",
    "Các đơn vị trong cụm đã bám sát nhiệm vụ chính trị, chủ động xây dựng kế hoạch và triển "
    "khai đồng bộ các phong trào thi đua yêu nước.",
    "Công tác kiểm tra, giám sát được duy trì thường xuyên, góp phần nâng cao chất lượng "
    "hoạt động của tổ chức cơ sở đảng và đảng viên.",
    "Nhiều mô hình hay, cách làm sáng tạo được nhân rộng, tạo khí thế thi đua sôi nổi "
    "trong cán bộ, đảng viên và người lao động.",
    "Bên cạnh kết quả đạt được, vẫn còn một số hạn chế cần khắc phục trong thời gian tới, "
    "nhất là việc sơ kết, tổng kết và nhân rộng điển hình tiên tiến.",
)
_UNIT_NAMES = (
    "Ban Tổ chức Tỉnh ủy", "Ban Tuyên giáo Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy",
    "Văn phòng Tỉnh ủy", "Ban Dân vận Tỉnh ủy", "Ban Nội chính Tỉnh ủy",
    "Đảng ủy Khối Cơ quan", "Đảng ủy Khối Doanh nghiệp", "Báo Lạng Sơn",
)


def _style_run(run: Any, *, bold: bool = False, size: float = 14) -> None:
    run.bold = bold or None
    run.font.size = Pt(size)
    run.font.name = "Times New Roman"
    r_pr = run._element.get_or_add_rPr()
    fonts = r_pr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), "Times New Roman")
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    r_pr.append(lang)


def _paragraph(
    container: Any, text: str, *, bold: bool = False, center: bool = False, size: float = 14
) -> Any:
    paragraph = container.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _style_run(paragraph.add_run(text), bold=bold, size=size)
    return paragraph


def _cell_text(cell: Any, lines: list[str], *, bold: bool = False) -> None:
    cell.paragraphs[0].text = ""
    for index, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _style_run(paragraph.add_run(line), bold=bold, size=13)


def _page_field(paragraph: Any) -> None:
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"),
                       ("end", None)):
        run = paragraph.add_run()
        _style_run(run, size=12)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._element.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._element.append(instr)
        else:
            run.text = text


def make_cluster_template(path: Path) -> Path:
    """Write the benchmark template to ``path`` and return it."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(2)

    header = document.add_table(rows=1, cols=2)
    _cell_text(header.cell(0, 0), ["TỈNH ỦY LẠNG SƠN", "{{ co_quan_ban_hanh|upper }}", "*",
                                   "Số {{ so_ky_hieu }}-BC/CTĐ"], bold=True)
    _cell_text(header.cell(0, 1), ["ĐẢNG CỘNG SẢN VIỆT NAM", "",
                                   "{{ dia_danh }}, ngày {{ ngay }} tháng {{ thang }} "
                                   "năm {{ nam }}"], bold=True)
    _paragraph(document, "BÁO CÁO", bold=True, center=True, size=15)
    _paragraph(document, "tổng kết phong trào thi đua năm {{ nam }} của {{ ten_cum }}",
               bold=True, center=True)
    _paragraph(document, "-----", center=True)
    for chapter in range(1, 4):
        _paragraph(document, f"{chapter}. Kết quả thực hiện nhiệm vụ {chapter} của "
                             "{{ ten_cum }}", bold=True)
        for index in range(8):
            text = " ".join(_SENTENCES[(index + k) % len(_SENTENCES)] for k in range(3))
            if index == 2:
                text += " Năm {{ nam }}, cụm có {{ units|length }} đơn vị tham gia."
            _paragraph(document, text)
    _paragraph(document, "{%p if truong_khoi_phat_bieu %}")
    _paragraph(document, "Ý kiến của Trưởng khối: {{ truong_khoi_phat_bieu }}")
    _paragraph(document, "{%p endif %}")

    _paragraph(document, "Bảng tổng hợp điểm thi đua", bold=True, center=True)
    scores = document.add_table(rows=4, cols=6)
    scores.style = "Table Grid"
    titles = ["STT", "Tên đơn vị", "Điểm tự chấm", "Điểm khối chấm", "Xếp hạng",
              "Danh hiệu đề nghị"]
    for cell, title in zip(scores.rows[0].cells, titles, strict=True):
        _cell_text(cell, [title], bold=True)
    _cell_text(scores.cell(1, 0), ["{%tr for u in units %}"])
    row = ["{{ loop.index }}", "{{ u.ten }}", "{{ u.tu_cham|round(2) }}",
           "{{ u.khoi_cham|round(2) }}", "{{ u.xep_hang }}", "{{ u.danh_hieu }}"]
    for cell, text in zip(scores.rows[2].cells, row, strict=True):
        _cell_text(cell, [text])
    _cell_text(scores.cell(3, 0), ["{%tr endfor %}"])

    signature = document.add_table(rows=1, cols=2)
    _cell_text(signature.cell(0, 0), ["Nơi nhận:", "- Như trên,", "- Lưu VP."])
    _cell_text(signature.cell(0, 1), ["T/M TRƯỞNG KHỐI", "", "", "{{ nguoi_ky }}"], bold=True)

    _paragraph(section.header, "{{ ten_cum }} — năm {{ nam }}", center=True, size=12)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _style_run(footer.add_run("{{ so_ky_hieu }}-BC/CTĐ — Trang "), size=12)
    _page_field(footer)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def cluster_context(index: int, units: int = 9) -> dict[str, object]:
    """The context of document number ``index``: a different cluster name each time."""
    return {
        "co_quan_ban_hanh": "Cụm thi đua số 3",
        "so_ky_hieu": 40 + index,
        "dia_danh": "Lạng Sơn",
        "ngay": "05", "thang": "02", "nam": 2025,
        "ten_cum": f"Cụm thi đua các cơ quan Đảng số {index} (R&D <thử>)",
        "truong_khoi_phat_bieu": "Đề nghị các đơn vị tiếp tục phát huy.",
        "nguoi_ky": "Nguyễn Văn Ánh",
        "units": [
            {
                "ten": _UNIT_NAMES[i % len(_UNIT_NAMES)],
                "tu_cham": 95 - i * 1.25, "khoi_cham": 94.5 - i * 1.5,
                "xep_hang": i + 1,
                "danh_hieu": "Cờ thi đua" if i == 0 else "Bằng khen",
            }
            for i in range(units)
        ],
    }
