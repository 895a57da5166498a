"""File and folder names of the outputs: ASCII-folded, Windows-safe, unique.

- :func:`ascii_slug` folds a Vietnamese text into a file-name part;
- :func:`folder_slug` names a cluster's output folder: whole when it is short, else cut and
  followed by a hash of the whole folded name, so that two clusters never share a folder because
  their names begin alike;
- :func:`output_folder` is a cluster-year's folder, ``outputs/<năm>/<cụm>/``;
- :func:`document_name` names the document a template makes;
- :func:`name_key` is how two names are compared: Windows and Samba shares ignore case, and no
  system normalises Unicode (reference §3.4–3.5), so names are compared case-folded in NFC.

Pure: no I/O.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

_WINDOWS_RESERVED = {
    "con", "prn", "aux", "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}  # fmt: skip

#: The longest folder name of a cluster (the share-relative path must stay well under Windows'
#: 260 characters: ``outputs/2013/<cụm>/.lich-su/0001/<văn bản>.docx``).
FOLDER_NAME_MAX = 60
#: Hex digits of the hash that ends a shortened folder name (32 bits: two clusters of one
#: province and year sharing them is out of reach in practice; the folder's manifest names its
#: cluster anyway, and a build for another cluster is refused).
_HASH_DIGITS = 8


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


def _cut(slug: str, length: int) -> str:
    cut = slug[:length]
    if len(slug) > length and slug[length] != "-" and "-" in cut:
        cut = cut.rsplit("-", 1)[0]
    return cut.strip("-")


def folder_slug(name: str) -> str:
    """The folder name of a cluster: its whole folded name when that has at most
    :data:`FOLDER_NAME_MAX` characters, else its beginning (cut at a word) and ``-`` and a hash
    of the whole folded name. Two names share a folder only if they fold to the same text.

    >>> folder_slug("Cụm thi đua các Ban Đảng thuộc Tỉnh ủy Lạng Sơn")
    'cum-thi-dua-cac-ban-dang-thuoc-tinh-uy-lang-son'
    >>> a = folder_slug("Cụm thi đua các cơ quan tham mưu, giúp việc Tỉnh ủy và các cơ quan A")
    >>> b = folder_slug("Cụm thi đua các cơ quan tham mưu, giúp việc Tỉnh ủy và các cơ quan B")
    >>> a[:-9], a != b, len(a) <= FOLDER_NAME_MAX
    ('cum-thi-dua-cac-co-quan-tham-muu-giup-viec-tinh-uy', True, True)
    """
    whole = ascii_slug(name, max_length=10_000)
    if len(whole) <= FOLDER_NAME_MAX:
        return whole
    digest = hashlib.sha256(whole.encode("ascii")).hexdigest()[:_HASH_DIGITS]
    return f"{_cut(whole, FOLDER_NAME_MAX - _HASH_DIGITS - 1)}-{digest}"


def output_folder(out_dir: Path, cluster: str, year: int | None) -> Path:
    """``<out_dir>/<năm>/<cụm>/``: ASCII-folded, Windows-safe, never shared by two cluster names
    that fold differently (:func:`folder_slug`)."""
    return out_dir / str(year) / folder_slug(cluster)


def document_name(template_stem: str) -> str:
    """The file name of the document a template makes: ``01 Báo cáo tổng kết`` →
    ``01-bao-cao-tong-ket.docx``."""
    return f"{ascii_slug(template_stem, max_length=80)}.docx"


def name_key(name: str) -> str:
    """Two file names are the same on Windows and on a Samba share when their keys are equal.

    >>> name_key("01-Bao-Cao.DOCX") == name_key("01-bao-cao.docx")
    True
    >>> name_key("Vie\u0323\u0302t") == name_key("Việt")
    True
    """
    return unicodedata.normalize("NFC", name).casefold()
