"""Layout check: what a văn thư checks at a glance, measured on the PDF LibreOffice makes.

Usage (from the repository root)::

    .venv/bin/python scripts/layout_check.py                  # the sample, both layouts, and
                                                              # the stress cases
    .venv/bin/python scripts/layout_check.py --case stress    # one case (sample, stress, khoi)
    .venv/bin/python scripts/layout_check.py a.docx b.pdf     # any documents
    .venv/bin/python scripts/layout_check.py --png previews/  # also a PNG of every page

It prints one line per finding (document, page, rule, what) and exits 1 when there is any. The
documents are converted to PDF in one LibreOffice call (:func:`pipeline.output.pdf.convert_to_pdf`)
and read with pdfminer.six: the position, size and weight of every line of text and every drawn
line of every page. A person's eye is replaced by these rules (NĐ 30/2020/NĐ-CP Phụ lục I,
HD 36-HD/VPTW, and the habits of a văn thư):

- ``de-muc-cuoi-trang``: a numbered heading (bold or italic label: ``I.``, ``2.``, ``2.4.``) is
  never the last line of a page; ``dan-y-cuoi-trang``: nor is a line ending with ``:``, which
  announces what follows; ``in-hoa-cuoi-trang``: nor a line in bold capitals (a signing title, a
  heading); ``noi-nhan-cuoi-trang`` / ``noi-nhan-tach``: "Nơi nhận:" is never the last line of a
  page and its list never starts a page.
- ``trang-chi-chu-ky``: no page holds only signatures (unless the signature grid alone is
  taller than a page); ``chu-ky-tach``: a signature block (titles, space to sign, name) is never
  split across pages; ``luoi-lech``: in a grid row, the titles of the units line up.
- ``tach-tu``: a header name, a title or trích yếu line, a table cell, never breaks between two
  syllables of a word of :data:`WORDS`; ``mot-tu``: nor leaves one word alone on a line;
  ``lech-dong``: the lines of a multi-line header name or trích yếu are balanced.
- ``ngoai-vung-chu``: text and tables stay inside the text area (margins 20/20/30/15 mm);
  ``bang-tieu-de`` / ``bang-tach-hang``: a table continued on a new page repeats its header row
  and does not split a row.
- ``vach``: the rules are as long as asked: under ``ĐẢNG CỘNG SẢN VIỆT NAM`` and the Tiêu ngữ as
  the line, under the issuing body and the trích yếu 1/3 to 1/2 of the longest line.

Needs LibreOffice (``soffice``) and, for previews, ``pdftoppm`` (poppler-utils).
"""

from __future__ import annotations

import argparse
import io
import itertools
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

PT_PER_MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * PT_PER_MM, 297 * PT_PER_MM
LEFT, RIGHT = 30 * PT_PER_MM, PAGE_W - 15 * PT_PER_MM
TOP, BOTTOM = 20 * PT_PER_MM, PAGE_H - 20 * PT_PER_MM
SLACK = 4.0  # points: a table's cell margin sits just outside the text area

#: Words a line must never split (lower case): the names of bodies, clusters and documents of
#: the sample and the stress cases, written down by hand for the check (the pipeline has its own
#: list, :data:`pipeline.vi.lines.WORDS`: the check does not trust it).
WORDS = frozenset(
    w.strip()
    for w in """
    bảo vệ; chăm sóc; sức khỏe; cán bộ; đảng ủy; cơ quan; thi đua; khen thưởng; tổng kết;
    công tác; nhiệm vụ; phương hướng; giao ước; tỉnh ủy; ủy ban; nhân dân; kiểm tra;
    tuyên giáo; dân vận; nội chính; tổ chức; văn phòng; chính trị; hội nghị; biên bản; báo cáo;
    danh sách; đề nghị; thành tích; kinh tế; sở ngành; chủ tịch; thường trực; thường vụ;
    trưởng ban; chủ nhiệm; hiệu trưởng; bí thư; cộng hòa; xã hội; chủ nghĩa; việt nam;
    cộng sản; độc lập; tự do; hạnh phúc; lạng sơn; hoàng văn thụ; ký kết; bằng khen; cờ thi đua;
    hoàn thành; xuất sắc; dẫn đầu; phong trào; kế hoạch; đầu tư; tài chính; xây dựng;
    công thương; nông nghiệp; phát triển; nông thôn; giao thông; vận tải; tài nguyên;
    môi trường; chánh văn phòng; phó trưởng ban; giám đốc
    """.replace("\n", " ").split(";")
    if w.strip()
)
_YEAR = re.compile(r"^(năm|ngày|tháng)\s+\d+[.,;:]?$", re.IGNORECASE)
_LABEL = re.compile(r"^(?:[IVXLC]+|[A-ZĐ]|\d+(?:\.\d+)*)\.\s+\S")
_NAME = re.compile(r"^[^\W\d_]+(?: [^\W\d_]+){1,5}$")


# ---------------------------------------------------------------------------------------------
# What the PDF holds


@dataclass
class Line:
    """One line of text as laid out: points from the top-left corner of the page."""

    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    size: float
    bold: bool
    italic: bool
    label_styled: bool  # its leading "2.4." label is bold or italic
    table: int | None = None  # index of the ruled table holding it
    cell: tuple[int, int] | None = None  # (row, column) in that table

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def caps(self) -> bool:
        letters = [c for c in self.text if c.isalpha()]
        return bool(letters) and all(c.isupper() for c in letters)


@dataclass
class Table:
    """A ruled table on one page: its column and row boundaries (points from the top)."""

    xs: list[float]
    ys: list[float]

    @property
    def box(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]


@dataclass
class Page:
    number: int
    lines: list[Line] = field(default_factory=list)
    rules: list[tuple[float, float, float]] = field(default_factory=list)  # x0, x1, y
    tables: list[Table] = field(default_factory=list)

    @property
    def body(self) -> list[Line]:
        """Lines below the top margin (the page number sits above it)."""
        return [ln for ln in self.lines if ln.bottom > TOP - 2]


@dataclass(frozen=True)
class Finding:
    document: str
    page: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.document}: trang {self.page}: [{self.code}] {self.message}"


def read_pdf(data: bytes) -> list[Page]:
    """Every page's lines, rules and ruled tables (pdfminer.six)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar, LTCurve, LTTextContainer, LTTextLine

    params = LAParams(line_margin=0.1, char_margin=1.0, boxes_flow=None)
    pages = []
    for number, layout in enumerate(extract_pages(io.BytesIO(data), laparams=params), start=1):
        height = layout.bbox[3]
        page = Page(number)
        segments_h: list[tuple[float, float, float]] = []
        segments_v: list[tuple[float, float, float]] = []
        for element in layout:
            if isinstance(element, LTTextContainer):
                for item in element:
                    if not isinstance(item, LTTextLine):
                        continue
                    chars = [c for c in item if isinstance(c, LTChar)]
                    text = item.get_text().strip()
                    if not chars or not text:
                        continue
                    page.lines.append(_line(number, item, chars, text, height))
            elif isinstance(element, LTCurve):  # LTLine and LTRect are curves too
                x0, y0, x1, y1 = element.bbox
                top, bottom = height - y1, height - y0
                if bottom - top <= 2.5 and x1 - x0 > 1:
                    segments_h.append((x0, x1, (top + bottom) / 2))
                elif x1 - x0 <= 2.5 and bottom - top > 1:
                    segments_v.append(((x0 + x1) / 2, top, bottom))
        page.tables = _tables(segments_h, segments_v)
        page.rules = _rules(segments_h, page.tables)
        for line in page.lines:
            _place(line, page.tables)
        page.lines.sort(key=lambda ln: (round(ln.top), ln.x0))
        pages.append(page)
    return pages


def _line(number: int, item: object, chars: list, text: str, height: float) -> Line:  # type: ignore[type-arg]
    letters = [c for c in chars if c.get_text().strip()]
    styles = [c.fontname for c in letters] or [chars[0].fontname]
    bold = all("Bold" in f for f in styles)
    italic = all("Italic" in f for f in styles)
    label = _LABEL.match(text)
    label_styled = False
    if label:
        head = [c.fontname for c in letters[: len(text.split()[0])]]
        label_styled = all(("Bold" in f) or ("Italic" in f) for f in head)
    x0, y0, x1, y1 = item.bbox  # type: ignore[attr-defined]
    size = max(round(c.size, 1) for c in chars)
    return Line(number, x0, x1, height - y1, height - y0, text, size, bold, italic, label_styled)


def _tables(
    horizontal: list[tuple[float, float, float]], vertical: list[tuple[float, float, float]]
) -> list[Table]:
    """Ruled tables: groups of vertical borders that overlap in height, with the horizontal
    borders between them."""
    groups: list[list[tuple[float, float, float]]] = []
    for seg in sorted(vertical, key=lambda s: s[1]):
        for group in groups:
            if any(seg[1] < g[2] - 1 and seg[2] > g[1] + 1 for g in group):
                group.append(seg)
                break
        else:
            groups.append([seg])
    tables = []
    for group in groups:
        top, bottom = min(s[1] for s in group), max(s[2] for s in group)
        xs = _cluster(s[0] for s in group)
        ys = _cluster(
            y for x0, x1, y in horizontal if top - 1.5 <= y <= bottom + 1.5 and x1 > xs[0] + 2
        )
        if len(xs) >= 2 and len(ys) >= 2:
            tables.append(Table(xs, ys))
    return tables


def _cluster(values: Iterable[float], tolerance: float = 1.5) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > tolerance:
            out.append(value)
    return out


def _rules(
    horizontal: list[tuple[float, float, float]], tables: list[Table]
) -> list[tuple[float, float, float]]:
    """Horizontal lines that are not table borders, contiguous segments joined (LibreOffice
    draws an underline one character at a time)."""
    free = [
        s
        for s in horizontal
        if not any(t.ys[0] - 2 <= s[2] <= t.ys[-1] + 2 and s[1] > t.xs[0] for t in tables)
    ]
    merged: list[list[float]] = []
    for x0, x1, y in sorted(free, key=lambda s: (round(s[2], 1), s[0])):
        last = merged[-1] if merged else None
        if last and abs(last[2] - y) < 0.6 and x0 <= last[1] + 1.5:
            last[1] = max(last[1], x1)
        elif last and abs(last[2] - y) < 0.6 and x0 >= last[0] and x1 <= last[1]:
            continue  # the same rule drawn twice
        else:
            merged.append([x0, x1, y])
    return [(a, b, y) for a, b, y in merged]


def _place(line: Line, tables: list[Table]) -> None:
    cy, cx = (line.top + line.bottom) / 2, line.center
    for index, table in enumerate(tables):
        x0, y0, x1, y1 = table.box
        if x0 <= cx <= x1 and y0 <= cy <= y1:
            row = sum(1 for y in table.ys[1:-1] if y < cy)
            column = sum(1 for x in table.xs[1:-1] if x < line.x0 + 1)
            line.table, line.cell = index, (row, column)
            return


# ---------------------------------------------------------------------------------------------
# The rules


def _units(text: str) -> list[str]:
    """The line's tokens grouped into the words of :data:`WORDS` (and "năm 2014")."""
    tokens = text.split()
    out, i = [], 0
    while i < len(tokens):
        for size in (3, 2):
            chunk = " ".join(tokens[i : i + size])
            if len(tokens) - i >= size and (_key(chunk) in WORDS or _YEAR.match(chunk)):
                out.append(chunk)
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def _key(text: str) -> str:
    return text.lower().replace("\u00a0", " ").strip("\"'“”()[],;:.!?")


def _split_words(upper: str, lower: str) -> list[str]:
    """The words of :data:`WORDS` that the break between two lines cuts in two."""
    a, b = upper.replace("\u00a0", " ").split(), lower.replace("\u00a0", " ").split()
    if not a or not b:
        return []
    found = []
    # a break right after (or before) a whole listed word splits nothing: "Tỉnh ủy / ban hành"
    ends_word = len(_units(" ".join(a))[-1].split()) > 1
    starts_word = len(_units(" ".join(b))[0].split()) > 1
    for left in (1, 2):
        if ends_word:
            break
        for right in (1, 2):
            if left <= len(a) and right <= len(b) and not (starts_word and right == 1):
                chunk = " ".join(a[-left:] + b[:right])
                if (_key(chunk) in WORDS or _YEAR.match(chunk)) and not a[-1].endswith((",", ";")):
                    found.append(chunk)
    return found


def _lone(text: str) -> bool:
    """One word alone: a single syllable ("ĐẢNG"); a lone word of two ("năm 2014" under a
    long line) is caught as unbalanced."""
    return len(text.replace("\u00a0", " ").split()) == 1


def check_breaks(document: str, lines: Sequence[Line], what: str) -> Iterator[Finding]:
    """A multi-line name or title: no word split, no lone word, lines balanced."""
    for upper, lower in itertools.pairwise(lines):
        for word in _split_words(upper.text, lower.text):
            yield Finding(
                document,
                lower.page,
                "tach-tu",
                f"{what} ngắt giữa từ “{word}”: “{upper.text} / {lower.text}”",
            )
    if len(lines) > 1:
        for line in lines:
            if _lone(line.text):
                yield Finding(
                    document, line.page, "mot-tu", f"{what}: “{line.text}” đứng một mình trên dòng"
                )
        widest = max(ln.width for ln in lines)
        for line in lines:
            if line.width < 0.4 * widest and not _lone(line.text):
                yield Finding(
                    document,
                    line.page,
                    "lech-dong",
                    f"{what}: dòng “{line.text}” quá ngắn so với dòng dài nhất "
                    f"({line.width / widest:.0%})",
                )


def _header(page: Page) -> tuple[list[list[Line]], list[Line], list[Line], Line | None]:
    """Page 1: the blocks of the left header column (parent body, issuing body), the title
    lines (document type) and the trích yếu lines, and the "Số" line."""
    number = next((ln for ln in page.lines if re.match(r"^Số[\s:]", ln.text)), None)
    if number is None:
        return [], [], [], None
    left = [
        ln
        for ln in page.lines
        if ln.bottom <= number.top + 1 and abs(ln.center - number.center) < 70 and ln.text != "*"
    ]
    blocks: list[list[Line]] = []
    for line in left:
        if blocks and blocks[-1][-1].bold == line.bold and line.top - blocks[-1][-1].bottom < 6:
            blocks[-1].append(line)
        else:
            blocks.append([line])
    middle = (LEFT + RIGHT) / 2
    below = [ln for ln in page.lines if ln.top > number.bottom + 4 and ln.table is None]
    title: list[Line] = []
    summary: list[Line] = []
    for line in below:
        centred = abs(line.center - middle) < 25
        if not title:
            if line.bold and line.caps and centred:
                title.append(line)
            elif line.text:
                break
        elif not summary and line.bold and line.caps and centred:
            title.append(line)
        elif line.bold and centred and line.top - (summary or title)[-1].bottom < 8:
            summary.append(line)
        else:
            break
    return blocks, title, summary, number


def _signatures(page: Page) -> list[tuple[Line, list[Line]]]:
    """(name, title lines above it) of every signature block on the page; titles may be
    missing when the block was split."""
    free = [ln for ln in page.body if ln.table is None]
    blocks = []
    for name in free:
        tokens = name.text.replace("\u00a0", " ").split()
        if not (
            name.bold
            and not name.caps
            and _NAME.match(" ".join(tokens))
            and all(t[0].isupper() for t in tokens)
        ):
            continue
        above = sorted(
            (
                ln
                for ln in free
                if ln.bold
                and ln.caps
                and ln.bottom <= name.top
                and abs(ln.center - name.center) < 30
            ),
            key=lambda ln: -ln.bottom,
        )
        titles: list[Line] = []
        if above and name.top - above[0].bottom >= 18:
            titles.append(above[0])
            for line in above[1:]:
                if titles[-1].top - line.bottom <= 8:
                    titles.append(line)
                elif line.bottom < titles[-1].top - 8:
                    break
        blocks.append((name, titles[::-1]))
    return blocks


def _grid_rows(
    blocks: list[tuple[Line, list[Line]]],
) -> list[list[tuple[Line, list[Line]]]]:
    """Signature blocks side by side: those whose heights overlap by more than half."""
    rows: list[list[tuple[Line, list[Line]]]] = []
    spans: list[tuple[float, float]] = []
    for name, titles in sorted(blocks, key=lambda b: b[0].top):
        top = titles[0].top if titles else name.top
        for row, (a, b) in zip(rows, spans, strict=True):
            overlap = min(b, name.bottom) - max(a, top)
            if overlap > 0.5 * min(b - a, name.bottom - top):
                row.append((name, titles))
                break
        else:
            rows.append([(name, titles)])
            spans.append((top, name.bottom))
    return rows


def check_document(document: str, pages: Sequence[Page]) -> list[Finding]:
    """Every finding of the rules above for one document."""
    found: list[Finding] = []
    add = found.append
    signature_pages = {p.number: _signatures(p) for p in pages}
    grid_height = 0.0
    for page in pages:
        blocks = signature_pages[page.number]
        tops = [ln.top for _, titles in blocks for ln in titles] + [n.top for n, _ in blocks]
        if tops:
            grid_height += max(n.bottom for n, _ in blocks) - min(tops)
    grid_taller_than_page = grid_height > (BOTTOM - TOP) - 60

    for index, page in enumerate(pages):
        body = page.body
        last_page = index == len(pages) - 1
        # -- the area of text
        for line in page.lines:
            outside = line.x0 < LEFT - SLACK or line.x1 > RIGHT + SLACK or line.bottom > BOTTOM + 2
            if line.bottom <= TOP - 2 and not line.text.isdigit():
                outside = True
            if outside:
                add(
                    Finding(
                        document,
                        page.number,
                        "ngoai-vung-chu",
                        f"“{line.text[:40]}” ra ngoài vùng chữ",
                    )
                )
        for table in page.tables:
            x0, y0, x1, y1 = table.box
            if x0 < LEFT - SLACK or x1 > RIGHT + SLACK or y1 > BOTTOM + 2 or y0 < TOP - 2:
                add(
                    Finding(
                        document,
                        page.number,
                        "ngoai-vung-chu",
                        f"bảng {x0 / PT_PER_MM:.0f}–{x1 / PT_PER_MM:.0f} mm ra ngoài vùng chữ",
                    )
                )
        # -- the foot of the page
        if body and not last_page:
            lowest = max(ln.bottom for ln in body)
            foot = [ln for ln in body if ln.bottom >= lowest - 3 and ln.table is None]
            codes = set()
            for line in foot:
                if line.text.startswith("Nơi nhận"):
                    codes.add(("noi-nhan-cuoi-trang", "“Nơi nhận:” là dòng cuối trang"))
                elif _LABEL.match(line.text) and line.label_styled:
                    codes.add(
                        ("de-muc-cuoi-trang", f"đề mục “{line.text[:50]}” là dòng cuối trang")
                    )
                elif line.text.rstrip().endswith(":"):
                    codes.add(
                        ("dan-y-cuoi-trang", f"dòng dẫn “{line.text[-50:]}” là dòng cuối trang")
                    )
                elif line.bold and line.caps:
                    codes.add(
                        (
                            "in-hoa-cuoi-trang",
                            f"dòng in hoa “{line.text[:50]}” là dòng cuối "
                            "trang (chức danh ký hoặc tiêu đề tách khỏi phần sau)",
                        )
                    )
            for code, message in sorted(codes):
                add(Finding(document, page.number, code, message))
        # -- Nơi nhận
        if index > 0:
            previous = pages[index - 1]
            heading = next((ln for ln in previous.body if ln.text.startswith("Nơi nhận")), None)
            if heading is not None:
                first = [ln for ln in body if ln.table is None]
                first = (
                    [ln for ln in first if ln.top <= min(x.top for x in first) + 3] if first else []
                )
                if any(ln.size < 12 and ln.text.startswith("-") for ln in first):
                    add(
                        Finding(
                            document,
                            page.number,
                            "noi-nhan-tach",
                            "danh sách “Nơi nhận” sang trang mới, tách khỏi “Nơi nhận:”",
                        )
                    )
        # -- signatures
        blocks = signature_pages[page.number]
        for name, titles in blocks:
            if not titles:
                add(
                    Finding(
                        document,
                        page.number,
                        "chu-ky-tach",
                        f"chữ ký “{name.text}” tách khỏi chức danh (ở trang trước)",
                    )
                )
        if blocks:
            text = [
                ln
                for ln in body
                if ln.table is None and not ln.bold and ln.size >= 12.5 and not ln.text.isdigit()
            ]
            if not text and not grid_taller_than_page:
                add(
                    Finding(
                        document,
                        page.number,
                        "trang-chi-chu-ky",
                        f"trang chỉ có chữ ký ({len(blocks)} chữ ký), không có nội dung văn bản",
                    )
                )
        for row in _grid_rows(blocks):
            if len(row) < 2 or not all(titles for _, titles in row):
                continue
            # the signers' titles: the lines below the unit's name (another size), if any;
            # and the signers' names
            firsts = [
                next((ln for ln in titles if ln.size != titles[0].size), titles[0])
                for _, titles in row
            ]
            for what, lines in (("chức danh", firsts), ("tên người ký", [n for n, _ in row])):
                if max(f.top for f in lines) - min(f.top for f in lines) > 2:
                    add(
                        Finding(
                            document,
                            page.number,
                            "luoi-lech",
                            f"{what} các ô chữ ký cùng hàng không thẳng hàng: "
                            + ", ".join(f"“{f.text}”" for f in lines),
                        )
                    )
            for _, titles in row:
                same = [ln for ln in titles if ln.size == titles[0].size]
                found += check_breaks(document, same, "Tên đơn vị ký")
        # -- table cells
        cells: dict[tuple[int, tuple[int, int]], list[Line]] = {}
        for line in body:
            if line.table is not None and line.cell is not None:
                cells.setdefault((line.table, line.cell), []).append(line)
        for lines in cells.values():
            lines.sort(key=lambda ln: ln.top)
            for upper, lower in itertools.pairwise(lines):
                if 0 < lower.top - upper.bottom < upper.size:
                    for word in _split_words(upper.text, lower.text):
                        add(
                            Finding(
                                document,
                                page.number,
                                "tach-tu",
                                f"ô bảng ngắt giữa từ “{word}”: “{upper.text} / {lower.text}”",
                            )
                        )
        # -- tables continued from the previous page
        if index > 0:
            found += _continued(document, pages[index - 1], page)

    if pages:
        found += _page_one(document, pages[0])
    return found


def _continued(document: str, previous: Page, page: Page) -> Iterator[Finding]:
    before = [t for t in previous.tables if t.ys[-1] > BOTTOM - 80]
    after = [t for t in page.tables if t.ys[0] < TOP + 6]
    if not before or not after:
        return
    old, new = before[-1], after[0]

    def row_text(p: Page, t: Table, row: int) -> str:
        ti = p.tables.index(t)
        return " ".join(
            ln.text for ln in p.lines if ln.table == ti and ln.cell and ln.cell[0] == row
        )

    if row_text(previous, old, 0) != row_text(page, new, 0):
        yield Finding(
            document, page.number, "bang-tieu-de", "bảng sang trang mới không lặp lại hàng tiêu đề"
        )
    ti = page.tables.index(new)
    first_data = [ln for ln in page.lines if ln.table == ti and ln.cell and ln.cell[0] == 1]
    numbered = [
        ln
        for ln in previous.lines
        if ln.table == previous.tables.index(old)
        and ln.cell
        and ln.cell[1] == 0
        and ln.text.isdigit()
    ]
    total = any(ln.text.startswith("Cộng") for ln in first_data)  # the total row has no number
    if (
        numbered
        and first_data
        and not total
        and not any(ln.cell[1] == 0 for ln in first_data if ln.cell)
    ):
        yield Finding(
            document, page.number, "bang-tach-hang", "một hàng của bảng bị tách sang trang mới"
        )


def _page_one(document: str, page: Page) -> Iterator[Finding]:
    blocks, title, summary, number = _header(page)
    for block in blocks:
        yield from check_breaks(document, block, "Tên cơ quan ở tiêu đề")
    yield from check_breaks(document, title, "Tên loại văn bản")
    yield from check_breaks(document, summary, "Trích yếu")
    for x0, x1, y in page.rules:
        above = [ln for ln in page.lines if 0 <= y - ln.bottom <= 22 and ln.x0 < x1 and ln.x1 > x0]
        if not above:
            continue
        line = max(above, key=lambda ln: ln.bottom)
        length = x1 - x0
        if line.text.startswith(("ĐẢNG CỘNG SẢN", "Độc lập")):
            what, low, high, base = f"dưới “{line.text}”", 0.9, 1.1, line.width
        elif number is not None and abs((x0 + x1) / 2 - number.center) < 40 and line.bold:
            block = next((b for b in blocks if line in b), [line])
            what, low, high, base = (
                "dưới tên cơ quan ban hành",
                1 / 3,
                1 / 2,
                max(ln.width for ln in block),
            )
        elif summary and line in summary:
            what, low, high, base = "dưới trích yếu", 1 / 3, 1 / 2, max(ln.width for ln in summary)
        elif title and line in title and not summary:
            what, low, high, base = "dưới tên loại", 1 / 3, 1 / 2, max(ln.width for ln in title)
        else:
            continue
        ratio = length / base
        if not low - 0.01 <= ratio <= high + 0.01:
            yield Finding(
                document,
                page.number,
                "vach",
                f"đường kẻ {what} dài {length / PT_PER_MM:.1f} mm = {ratio:.2f} dòng "
                f"chữ (cần {low:.2f}–{high:.2f})",
            )


# ---------------------------------------------------------------------------------------------
# Documents to check


def check_pdfs(documents: Sequence[tuple[str, bytes]]) -> list[Finding]:
    """Findings of every (name, PDF bytes)."""
    found: list[Finding] = []
    for name, pdf in documents:
        found += check_document(name, read_pdf(pdf))
    return found


def to_pdf(documents: Sequence[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """(name, PDF) of every (name, .docx bytes), in one LibreOffice call."""
    from pipeline.output.pdf import convert_to_pdf

    return list(zip([n for n, _ in documents], convert_to_pdf(documents), strict=True))


def previews(documents: Sequence[tuple[str, bytes]], folder: Path, dpi: int = 60) -> list[Path]:
    """A PNG of every page of every (name, PDF), named ``<name>-<page>.png``, with pdftoppm."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise SystemExit("pdftoppm không có: cài poppler-utils để xem trước các trang")
    folder.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="thidua-layout-") as work:
        for name, pdf in documents:
            stem = Path(name).stem
            source = Path(work) / f"{stem}.pdf"
            source.write_bytes(pdf)
            subprocess.run(
                [tool, "-r", str(dpi), "-png", str(source), str(folder / stem)],
                check=True,
                timeout=120,
            )
            made += sorted(folder.glob(f"{stem}-*.png"))
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help=".docx or .pdf files to check")
    parser.add_argument(
        "--case",
        action="append",
        default=None,
        help="sample, stress or khoi (default: all, when no file is given)",
    )
    parser.add_argument("--png", type=Path, help="folder for a PNG preview of every page")
    args = parser.parse_args(argv)
    docx: list[tuple[str, bytes]] = []
    pdfs: list[tuple[str, bytes]] = []
    for path in args.files:
        (pdfs if path.suffix.lower() == ".pdf" else docx).append((path.name, path.read_bytes()))
    if not args.files or args.case:
        from layout_cases import CASES, render_case  # type: ignore[import-not-found]

        for case in args.case or list(CASES):
            docx += render_case(case)
    if docx:
        pdfs += to_pdf(docx)
    findings = check_pdfs(pdfs)
    for finding in findings:
        print(finding)
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.document] = counts.get(finding.document, 0) + 1
    for name, _ in pdfs:
        print(f"{counts.get(name, 0):3d}  {name}")
    print(f"{len(findings)} điểm cần sửa trong {len(pdfs)} văn bản")
    if args.png:
        for path in previews(pdfs, args.png):
            print(f"xem trước: {path}")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
