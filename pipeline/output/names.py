"""File and folder names of the outputs: ASCII-folded and Windows-safe.

Pure: no I/O.
"""

from __future__ import annotations

import re
import unicodedata

_WINDOWS_RESERVED = {
    "con", "prn", "aux", "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}  # fmt: skip


def ascii_slug(text: str, max_length: int = 60) -> str:
    """A Windows-safe, ASCII-folded file-name part: lower case, words joined by hyphens.

    ``đ`` becomes ``d`` (it has no Unicode decomposition), other letters lose their marks,
    anything else becomes a hyphen. Long names are cut at a word boundary.

    >>> ascii_slug("Cụm thi đua các Ban Đảng thuộc Tỉnh ủy Lạng Sơn")
    'cum-thi-dua-cac-ban-dang-thuoc-tinh-uy-lang-son'
    >>> ascii_slug("Báo cáo: tổng kết / 2013?")
    'bao-cao-tong-ket-2013'
    >>> ascii_slug("CON")
    'con-'
    >>> ascii_slug("a" * 30 + " " + "b" * 40, max_length=60)
    'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
    """
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "van-ban"
    if len(slug) > max_length:
        cut = slug[:max_length]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return f"{slug}-" if slug in _WINDOWS_RESERVED else slug
