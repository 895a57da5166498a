"""Vietnamese language core: dates, numbers, words, text, line breaks, legacy encodings, document
numbers.

Pure functions: no I/O, no clock, no system locale. Every function raises ``ValueError`` naming
the value on bad input (a string that is not a date, a NaN…), never returns a wrong string.

:data:`FILTERS` maps the template filter names, a public contract typed by template authors in
Word (``{{ ngay_ky|ngay_thang_nam }}``), to their functions. The names never change.

>>> sorted(FILTERS) == sorted(FILTER_NAMES)
True
>>> FILTERS["tien_bang_chu"](1490000)
'Một triệu bốn trăm chín mươi nghìn đồng'
"""

from __future__ import annotations

from collections.abc import Callable

from pipeline.vi.dates import dia_danh_ngay, gio, ngay_thang_nam, thu, thu_ngay
from pipeline.vi.docs import BLANK_NUMBER, so_ky_hieu
from pipeline.vi.legacy import (
    decode_legacy,
    from_cp1258,
    from_tcvn3,
    from_vni,
    legacy_encoding,
    legacy_uppercase,
)
from pipeline.vi.lines import giu_tu, ngat_dong, vach
from pipeline.vi.numbers import phan_tram, so, tien
from pipeline.vi.text import (
    SortKey,
    in_hoa,
    match_key,
    name_sort_key,
    noi,
    normalize,
    sort_key,
    tone_style,
)
from pipeline.vi.words import doc_so, thu_hang, tien_bang_chu

FILTER_NAMES = (
    "ngay_thang_nam",
    "dia_danh_ngay",
    "thu",
    "thu_ngay",
    "gio",
    "so",
    "phan_tram",
    "tien",
    "doc_so",
    "tien_bang_chu",
    "thu_hang",
    "noi",
    "in_hoa",
    "so_ky_hieu",
    "ngat_dong",
    "vach",
    "giu_tu",
)
"""The template filter names, in the order of the documentation."""

FILTERS: dict[str, Callable[..., str]] = {
    "ngay_thang_nam": ngay_thang_nam,
    "dia_danh_ngay": dia_danh_ngay,
    "thu": thu,
    "thu_ngay": thu_ngay,
    "gio": gio,
    "so": so,
    "phan_tram": phan_tram,
    "tien": tien,
    "doc_so": doc_so,
    "tien_bang_chu": tien_bang_chu,
    "thu_hang": thu_hang,
    "noi": noi,
    "in_hoa": in_hoa,
    "so_ky_hieu": so_ky_hieu,
    "ngat_dong": ngat_dong,
    "vach": vach,
    "giu_tu": giu_tu,
}
"""Template filter name → function (register with ``jinja_env.filters.update(FILTERS)``)."""

__all__ = [
    "BLANK_NUMBER",
    "FILTERS",
    "FILTER_NAMES",
    "SortKey",
    "decode_legacy",
    "dia_danh_ngay",
    "doc_so",
    "from_cp1258",
    "from_tcvn3",
    "from_vni",
    "gio",
    "giu_tu",
    "in_hoa",
    "legacy_encoding",
    "legacy_uppercase",
    "match_key",
    "name_sort_key",
    "ngat_dong",
    "ngay_thang_nam",
    "noi",
    "normalize",
    "phan_tram",
    "so",
    "so_ky_hieu",
    "sort_key",
    "thu",
    "thu_hang",
    "thu_ngay",
    "tien",
    "tien_bang_chu",
    "tone_style",
    "vach",
]
