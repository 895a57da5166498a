"""The width tables of :mod:`pipeline.vi.lines` are Liberation Serif's: read them from the font.

The module's docstring promises the advance widths (1/2048 em) of Liberation Serif, metrically
identical to Times New Roman, for printable ASCII then ``ĐđƠơƯư``, the no-break space and
``“”–‘’…``. Here they are read from the installed TrueType files (its ``cmap`` and ``hmtx``
tables, parsed by hand: fontTools is not a dependency). The fonts come with LibreOffice
(fonts-liberation2); without them the test is skipped, unless ``THIDUA_REQUIRE_LIBREOFFICE`` is
set, as the layout tests are.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest

from pipeline.vi import lines

_FOLDERS = (
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/liberation"),
    Path("/usr/share/fonts/liberation-serif"),
)


def _font(name: str) -> bytes:
    for folder in _FOLDERS:
        if (folder / name).is_file():
            return (folder / name).read_bytes()
    if os.environ.get("THIDUA_REQUIRE_LIBREOFFICE"):
        pytest.fail(f"THIDUA_REQUIRE_LIBREOFFICE is set but {name} is missing")
    pytest.skip(f"{name} is not installed")


def _tables(data: bytes) -> dict[bytes, bytes]:
    (count,) = struct.unpack_from(">H", data, 4)
    tables = {}
    for i in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        tables[tag] = data[offset : offset + length]
    return tables


def _glyph(cmap: bytes, char: str) -> int:
    """The glyph of ``char`` in the Windows Unicode BMP subtable (format 4) of ``cmap``."""
    (count,) = struct.unpack_from(">H", cmap, 2)
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", cmap, 4 + 8 * i)
        if (platform, encoding) == (3, 1):
            break
    else:
        raise AssertionError("no Windows Unicode cmap")
    (segments,) = struct.unpack_from(">H", cmap, offset + 6)
    segments //= 2
    ends = offset + 14
    starts = ends + 2 * segments + 2
    deltas = starts + 2 * segments
    ranges = deltas + 2 * segments
    code = ord(char)
    for s in range(segments):
        (end,) = struct.unpack_from(">H", cmap, ends + 2 * s)
        if code > end:
            continue
        (start,) = struct.unpack_from(">H", cmap, starts + 2 * s)
        (delta,) = struct.unpack_from(">h", cmap, deltas + 2 * s)
        (range_offset,) = struct.unpack_from(">H", cmap, ranges + 2 * s)
        if code < start:
            return 0
        if range_offset == 0:
            return (code + delta) & 0xFFFF
        at = ranges + 2 * s + range_offset + 2 * (code - start)
        (glyph,) = struct.unpack_from(">H", cmap, at)
        return (glyph + delta) & 0xFFFF if glyph else 0
    return 0


def _advances(name: str, chars: str) -> list[int]:
    tables = _tables(_font(name))
    (units_per_em,) = struct.unpack_from(">H", tables[b"head"], 18)
    assert units_per_em == 2048
    (metrics,) = struct.unpack_from(">H", tables[b"hhea"], 34)
    hmtx = tables[b"hmtx"]
    widths = []
    for char in chars:
        glyph = _glyph(tables[b"cmap"], char)
        assert glyph, f"{char!r} is not in {name}"
        (width,) = struct.unpack_from(">H", hmtx, 4 * min(glyph, metrics - 1))
        widths.append(width)
    return widths


def test_the_characters_are_those_the_docstring_lists() -> None:
    printable = "".join(chr(c) for c in range(0x20, 0x7F))
    assert printable + "ĐđƠơƯư\u00a0“”–‘’…" == lines._CHARS


@pytest.mark.parametrize(
    ("table", "font"),
    [("_REGULAR", "LiberationSerif-Regular.ttf"), ("_BOLD", "LiberationSerif-Bold.ttf")],
)
def test_widths_are_the_fonts_advance_widths(table: str, font: str) -> None:
    expected = _advances(font, lines._CHARS)
    assert list(getattr(lines, table)) == expected
    bold = table == "_BOLD"
    assert [lines._WIDTHS[bold][c] for c in lines._CHARS] == expected


@pytest.mark.parametrize(
    ("bold", "font"), [(False, "LiberationSerif-Regular.ttf"), (True, "LiberationSerif-Bold.ttf")]
)
def test_a_text_is_as_wide_as_its_letters_in_the_font(bold: bool, font: str) -> None:
    # At 2048 pt one unit of the font (1/2048 em) is one point; a letter with marks is as wide
    # as its base letter (the docstring's rule), the horned ơ ư as themselves.
    assert lines.text_width("", 12, bold) == 0
    text = "Ban Tuyên giáo Tỉnh ủy, Sở Nội vụ"
    bases = "Ban Tuyen giao Tinh uy, So Noi vu"
    assert lines.text_width(text, 2048, bold) == sum(_advances(font, bases))
    assert lines.text_width("Ươ", 2048, bold) == sum(_advances(font, "Ươ"))
    assert lines.text_width(text, 14, bold) == sum(_advances(font, bases)) * 14 / 2048
