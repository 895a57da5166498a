"""Where a Vietnamese line may break: balanced lines for headers and titles, words kept whole.

Pure: no I/O, no clock, no locale. Vietnamese writes one syllable per space-separated token, and a
word is often two or three syllables (``sức khỏe``, ``cơ quan``, ``Hoàng Văn Thụ``), so a word
processor that wraps at any space may split a word in two: ``BAN BẢO VỆ, CHĂM SÓC SỨC / KHỎE CÁN
BỘ``. A văn thư breaks a multi-line header name or trích yếu between phrases, in lines of about
the same length, and never leaves one word alone on the last line.

- :func:`break_lines` cuts a text into such lines for a given width, font size and weight; the
  widths are those of Times New Roman (Liberation Serif has the same metrics), so the lines fit
  in Word and in LibreOffice alike. A line break the user typed (Alt+Enter in an Excel cell,
  ``\\n``) is kept: only a part that is still too wide is cut further.
- :data:`WORDS` is the list of words never split (the words of cluster, unit and document names);
  a year after ``năm``, a day after ``ngày`` and a month after ``tháng`` stay with their number.
- Template filters: ``ngat_dong`` (the lines joined with ``\\n``, which the engine turns into
  line breaks), ``vach`` (a run of no-break spaces that, underlined, is the rule under a name: 0,4
  of its longest line, inside the 1/3 to 1/2 NĐ 30/2020 Phụ lục I asks) and ``giu_tu`` (the
  syllables of each listed word joined with no-break spaces, for table cells that Word wraps).
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import unicodedata
from collections.abc import Sequence

from pipeline.vi._util import require_str, show
from pipeline.vi.text import match_key

#: Advance widths (1/2048 em) of Liberation Serif, metrically identical to Times New Roman, for
#: printable ASCII then ``ĐđƠơƯư``, no-break space, ``“”–‘’…``. A Vietnamese letter with marks
#: has the width of its base letter, except the horned ơ, ư (listed).
_CHARS = "".join(chr(c) for c in range(0x20, 0x7F)) + "ĐđƠơƯư\u00a0“”–‘’…"
_REGULAR = (
    512, 682, 836, 1024, 1024, 1706, 1593, 369, 682, 682, 1024, 1155, 512, 682, 512, 569, 1024,
    1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 569, 569, 1155, 1155, 1155, 909, 1886,
    1479, 1366, 1366, 1479, 1251, 1139, 1479, 1479, 682, 797, 1479, 1251, 1821, 1479, 1479, 1139,
    1479, 1366, 1139, 1251, 1479, 1479, 1933, 1479, 1479, 1251, 682, 569, 682, 961, 1024, 682, 909,
    1024, 909, 1024, 909, 682, 1024, 1024, 569, 569, 1024, 569, 1593, 1024, 1024, 1024, 1024, 682,
    797, 569, 1024, 1024, 1479, 1024, 1024, 909, 983, 410, 983, 1108, 1479, 1024, 1479, 1083,
    1589, 1110, 512, 909, 909, 1024, 682, 682, 2048,
)  # fmt: skip
_BOLD = (
    512, 682, 1137, 1024, 1024, 2048, 1706, 569, 682, 682, 1024, 1167, 512, 682, 512, 569, 1024,
    1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 682, 682, 1167, 1167, 1167, 1024, 1905,
    1479, 1366, 1479, 1479, 1366, 1251, 1593, 1593, 797, 1024, 1593, 1366, 1933, 1479, 1593, 1251,
    1593, 1479, 1139, 1366, 1479, 1479, 2048, 1479, 1479, 1366, 682, 569, 682, 1190, 1024, 682,
    1024, 1139, 909, 1139, 909, 682, 1024, 1139, 569, 682, 1139, 569, 1706, 1139, 1024, 1139, 1139,
    909, 797, 682, 1139, 1024, 1479, 1024, 1024, 909, 807, 451, 807, 1065, 1479, 1139, 1593, 1134,
    1630, 1229, 512, 1024, 1024, 1024, 682, 682, 2048,
)  # fmt: skip
_WIDTHS = {
    False: dict(zip(_CHARS, _REGULAR, strict=True)),
    True: dict(zip(_CHARS, _BOLD, strict=True)),
}
_EM = 2048
_PT_PER_CM = 72 / 2.54
#: Lines are cut a little shorter than the column, so that no rounding makes Word wrap again.
_SAFETY = 0.96

#: Words of two or more syllables that a line never splits: the words of the names of clusters,
#: units, bodies and documents of this domain (matching ignores case and tone placement).
_WORD_LIST = """
ban ngành; bảo hiểm; bảo vệ; báo cáo; biên bản; biên phòng; bình xét; bộ đội; cải cách; cán bộ;
chăm sóc; chấp hành; chi bộ; chỉ đạo; chính quyền; chính trị; chủ nhiệm; chủ tịch; chủ tọa;
chủ trì; chuyên môn; chương trình; công an; công chức; công đoàn; công nghệ; công nghiệp;
công tác; công thương; cộng hòa; cộng sản; cơ quan; cơ sở; cựu chiến binh; cụm phó; cụm trưởng;
danh sách; dân chủ; dân tộc; dân vận; du lịch; đại biểu; đại học; đảng bộ; đảng ủy; đào tạo;
đầu tư; đề án; đề nghị; điển hình; đoàn thể; đô thị; độc lập; đơn vị; giao thông; giao ước;
giáo dục; hạnh phúc; hành chính; hải quan; hiệu trưởng; hình thức; hoàng văn thụ; học viện;
hội đồng; hội nghị; hợp tác xã; hướng dẫn; kế hoạch; kết quả; khen thưởng; kho bạc; khoa học;
kiểm sát; kiểm tra; kinh tế; ký kết; lao động; lạng sơn; liên đoàn; luân phiên; lực lượng;
mặt trận; môi trường; ngân hàng; ngân sách; nghị quyết; nhà nước; nhân dân; nhiệm vụ; nội chính;
nội dung; nội vụ; nông dân; nông nghiệp; nông thôn; phát triển; phong trào; phó trưởng; phụ nữ;
phương hướng; quân sự; quốc hội; quyết định; sản xuất; sở ngành; sức khỏe; tài chính;
tài nguyên; tập thể; thanh niên; thanh tra; thành phố; thành tích; thể thao; thi đua; thị xã;
thông tin; thủ trưởng; thư ký; thường trực; thường vụ; tiêu chí; tỉnh ủy; tổ chức; tổ quốc;
tổng kết; tôn giáo; tư pháp; tự do; tuyên giáo; tuyên truyền; trung ương; truyền thông;
trường học; trưởng ban; ủy ban; văn hóa; văn phòng; vận tải; việt nam; xã hội; xây dựng; y tế;
bằng khen; bí thư; cờ thi đua; chánh văn phòng; chủ nghĩa; công trình; cửa khẩu; dẫn đầu; dự án;
đồng đăng; giám đốc; hoàn thành; khu kinh tế; phó trưởng ban; quản lý; thương mại; xuất sắc;
xúc tiến; giấy khen; chiến sĩ; lao động tiên tiến; tiên tiến; trung tâm; sự nghiệp; cơ sở đảng;
khối phó; khối trưởng
"""
WORDS: frozenset[str] = frozenset(
    match_key(w) for w in _WORD_LIST.replace("\n", " ").split(";") if w.strip()
)
_LONGEST_WORD = max(len(w.split()) for w in WORDS)
#: Words that belong with what follows: a line never ends with them (``CÁC / CƠ QUAN``), and a
#: line starting with one of them reads well (``… năm 2013 / và phương hướng …``).
_LEADING = frozenset(
    ("các", "những", "mọi", "và", "hoặc", "của", "về", "cho", "với", "tại", "thuộc", "trong",
     "ngoài", "để", "là", "ở", "theo", "từ", "đến")
)  # fmt: skip
_NUMBER_AFTER = frozenset({"năm", "ngày", "tháng", "số", "khóa", "lần"})
_EDGE_PUNCTUATION = "\"'“”‘’()[],;:.!?"
_BREAK_AFTER = (",", ";", ":")


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in points of ``text`` set in Times New Roman at ``size`` points.

    >>> round(text_width("BAN TUYÊN GIÁO", 14, bold=True), 1)
    122.9
    >>> text_width("ơ", 10) > text_width("o", 10)
    True
    """
    table = _WIDTHS[bool(bold)]
    total = 0
    for char in text:
        width = table.get(char)
        if width is None:
            base = unicodedata.normalize("NFD", char)[:1]
            width = table.get(base, 1024)
        total += width
    return total * size / _EM


def _key(syllables: Sequence[str]) -> str:
    return match_key(" ".join(syllables).strip(_EDGE_PUNCTUATION))


def word_units(text: str) -> list[str]:
    """The text cut into units that a line break never splits: a listed word (:data:`WORDS`),
    a number with the word before it (``năm 2014``), or a single syllable.

    >>> word_units("BAN BẢO VỆ, CHĂM SÓC SỨC KHỎE CÁN BỘ")
    ['BAN', 'BẢO VỆ,', 'CHĂM SÓC', 'SỨC KHỎE', 'CÁN BỘ']
    >>> word_units("nhiệm vụ năm 2014")
    ['nhiệm vụ', 'năm 2014']
    """
    return list(_units(require_str(text, "word_units")))


@functools.lru_cache(maxsize=1 << 14)
def _units(text: str) -> tuple[str, ...]:
    """:func:`word_units`, remembered: the same names and award forms come back in every
    document of a workbook and in every workbook of a batch."""
    syllables = text.split()
    units: list[str] = []
    i = 0
    while i < len(syllables):
        taken = 1
        for size in range(min(_LONGEST_WORD, len(syllables) - i), 1, -1):
            inner = syllables[i : i + size]
            if any(s.endswith(_BREAK_AFTER) for s in inner[:-1]):
                continue  # "BẢO VỆ, CHĂM SÓC" is two words, not "vệ chăm"
            if _key(inner) in WORDS:
                taken = size
                break
        else:
            nxt = syllables[i + 1] if i + 1 < len(syllables) else ""
            if (
                match_key(syllables[i]) in _NUMBER_AFTER
                and nxt[:1].isdigit()
                and not syllables[i].endswith(_BREAK_AFTER)
            ):
                taken = 2
        units.append(" ".join(syllables[i : i + taken]))
        i += taken
    return tuple(units)


def _line_cost(units: Sequence[str], start: int, end: int, width: float, target: float,
               limit: float) -> float:
    """Badness of the line ``units[start:end]`` of ``width`` points: its distance to the mean
    width, a last word that belongs with the next line, a lone word; a break after a comma or
    before ``và``/``thuộc``… is preferred."""
    cost = ((width - target) / limit) ** 2
    line = units[start:end]
    last_line = end == len(units)
    if not last_line:
        last = match_key(line[-1].split()[-1].strip(_EDGE_PUNCTUATION))
        if line[-1].endswith(_BREAK_AFTER):
            cost -= 0.1
        elif last in _LEADING:
            cost += 1.0
        if match_key(units[end].split()[0]) in _LEADING:
            cost -= 0.15
    if len(line) == 1:
        syllables = len(line[0].split())  # a name of three syllables may stand alone
        # a lone syllable is always wrong; a lone word of two may close a name ("TỈNH ỦY")
        cost += 2.0 if syllables == 1 else (0.4 if last_line else 0.9) if syllables == 2 else 0.0
    return cost


def _cut(units: list[str], limit: float, size: float, bold: bool) -> list[str]:
    """The best cut of ``units`` into the fewest lines not wider than ``limit`` (points): a
    dynamic programme over (lines used, units placed), exact for its additive cost."""
    n = len(units)
    if n < 2 or text_width(" ".join(units), size, bold) <= limit:
        return [" ".join(units)]
    width = {
        (a, b): text_width(" ".join(units[a:b]), size, bold)
        for a in range(n)
        for b in range(a + 1, n + 1)
    }
    total = width[0, n]

    def fits(a: int, b: int) -> bool:
        return width[a, b] <= limit or b - a == 1  # a word wider than the column stands alone

    for count in range(2, n + 1):
        target = total / count
        best: dict[tuple[int, int], tuple[float, int]] = {(0, 0): (0.0, 0)}
        for lines in range(1, count + 1):
            for b in range(lines, n + 1):
                options = [
                    (best[lines - 1, a][0] + _line_cost(units, a, b, width[a, b], target, limit), a)
                    for a in range(lines - 1, b)
                    if (lines - 1, a) in best and fits(a, b)
                ]
                if options:
                    best[lines, b] = min(options)
        if (count, n) in best:
            bounds, b = [n], n
            for lines in range(count, 0, -1):
                b = best[lines, b][1]
                bounds.append(b)
            bounds.reverse()
            return [" ".join(units[a:b]) for a, b in itertools.pairwise(bounds)]
    return units  # not reached: one unit per line always fits


def _positive(value: object, most: float, least: float = 0.1) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and least <= value <= most
    )


def break_lines(text: str, width_cm: float, size: float = 14, bold: bool = False) -> list[str]:
    """``text`` as balanced lines for a column ``width_cm`` wide, set at ``size`` points.

    Breaks fall between words (never inside a word of :data:`WORDS`, never between ``năm`` and
    its year), preferably after a comma or before ``và``, ``thuộc``, ``các``…, never after
    ``các``, ``và``, ``của``…; the lines are as even as possible, and no line holds a single
    word when another cut exists. Each line break already in ``text`` (``\\n``) is kept.

    >>> break_lines("BAN BẢO VỆ, CHĂM SÓC SỨC KHỎE CÁN BỘ", 7.6, 14, bold=True)
    ['BAN BẢO VỆ, CHĂM SÓC', 'SỨC KHỎE CÁN BỘ']
    >>> break_lines("ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH", 6.2, 13, bold=True)
    ['ĐẢNG ỦY KHỐI', 'CÁC CƠ QUAN TỈNH']
    >>> break_lines("BAN TUYÊN GIÁO", 6.2, 13, bold=True)
    ['BAN TUYÊN GIÁO']
    >>> break_lines("CỤM THI ĐUA\\nCÁC BAN ĐẢNG", 16, 13)
    ['CỤM THI ĐUA', 'CÁC BAN ĐẢNG']
    """
    text = require_str(text, "ngat_dong")
    if not _positive(width_cm, 100):
        raise ValueError(f"ngat_dong: bề rộng phải là một số cm dương, không phải {show(width_cm)}")
    if not _positive(size, 200):
        raise ValueError(f"ngat_dong: cỡ chữ phải là một số dương, không phải {show(size)}")
    return list(_lines(text, width_cm * _PT_PER_CM * _SAFETY, size, bool(bold)))


@functools.lru_cache(maxsize=1 << 12)
def _lines(text: str, limit: float, size: float, bold: bool) -> tuple[str, ...]:
    """:func:`break_lines` of checked arguments, remembered (a header name is cut alike in
    every document of a batch)."""
    lines: list[str] = []
    for part in re.split(r"\s*\n\s*", text.replace("\r\n", "\n").replace("\x0b", "\n")):
        units = list(_units(part))
        if units:
            lines += _cut(units, limit, size, bold)
    return tuple(lines)


def ngat_dong(
    text: str,
    rong: float,
    co_chu: float = 14,
    dam: bool = False,
    so_dong: int = 0,
    them_sau: bool = False,
) -> str:
    """Template filter: ``text`` cut by :func:`break_lines` for a column ``rong`` cm wide, at
    ``co_chu`` points, bold if ``dam``; the lines joined with ``\\n`` (a line break in Word).
    ``so_dong`` pads the text with empty lines up to that many lines, before it (or after it
    with ``them_sau``), so that what follows in neighbouring cells lines up (the covenant's
    signature grid).

    >>> ngat_dong("CỤM THI ĐUA CÁC BAN ĐẢNG", 6.2, 13, dam=True)
    'CỤM THI ĐUA\\nCÁC BAN ĐẢNG'
    >>> ngat_dong("VĂN PHÒNG TỈNH ỦY", 5.3, 11, True, so_dong=3)
    '\\n\\nVĂN PHÒNG TỈNH ỦY'
    >>> ngat_dong("CHÁNH VĂN PHÒNG\\n", 5.3, 13, True, so_dong=2, them_sau=True)
    'CHÁNH VĂN PHÒNG\\n'
    """
    if not isinstance(so_dong, int) or isinstance(so_dong, bool) or not 0 <= so_dong <= 20:
        raise ValueError(f"ngat_dong: số dòng phải là số nguyên 0–20, không phải {show(so_dong)}")
    lines = break_lines(text, rong, co_chu, bold=dam)
    padding = "\n" * max(0, so_dong - len(lines))
    return "\n".join(lines) + padding if them_sau else padding + "\n".join(lines)


def vach(text: str, rong: float, co_chu: float = 14, dam: bool = False, ty_le: float = 0.4) -> str:
    """Template filter: the rule under ``text`` as no-break spaces (and a zero-width space that
    keeps them from being trailing spaces), to be underlined in a
    paragraph of its own at the same size ``co_chu``: ``ty_le`` (0,4) of the longest line
    :func:`ngat_dong` gives, so inside the 1/3 to 1/2 of NĐ 30/2020 Phụ lục I (ô số 2, 5a).

    >>> len(vach("BAN TUYÊN GIÁO", 6.2, 13, dam=True))
    15
    """
    if not _positive(ty_le, 1, 0.01):
        raise ValueError(f"vach: tỷ lệ phải trong khoảng (0; 1], không phải {show(ty_le)}")
    lines = break_lines(text, rong, co_chu, bold=dam)
    longest = max((text_width(line, co_chu, dam) for line in lines), default=0.0)
    space = text_width("\u00a0", co_chu)
    # a zero-width space last: LibreOffice (and Word) underline no trailing spaces in a cell
    return "\u00a0" * max(1, round(longest * ty_le / space)) + "\u200b" if longest else ""


def giu_tu(text: str) -> str:
    """Template filter: the syllables of each listed word, and a number with the word before
    it, joined by no-break spaces, so that Word wraps a table cell between words only.

    >>> giu_tu("Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh") == (
    ...     "Bằng\\u00a0khen của Chủ\\u00a0tịch Ủy\\u00a0ban nhân\\u00a0dân tỉnh")
    True
    """
    return "\n".join(
        " ".join(unit.replace(" ", "\u00a0") for unit in word_units(line))
        for line in require_str(text, "giu_tu").split("\n")
    )
