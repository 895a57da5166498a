"""Legacy 8-bit Vietnamese text: TCVN3 (ABC), VNI-Windows and Windows-1258.

Pure: no I/O, no clock, no locale. Old ``.xls``/``.doc`` files typed with the ``.VnTime`` or
``VNI-Times`` fonts arrive as Latin-1 look-alikes (``Uû ban nh©n d©n``, ``Coäng hoøa``). The
stdlib has no codec for them; the tables here are the TCVN 5712:1993 VN3 set (lowercase letters
plus ``Ă Â Ê Ô Ơ Ư Đ``) and the VNI-Windows set (a base letter followed by one mark byte).
The font name tells which one applies (:func:`legacy_encoding`); TCVN3 fonts whose name ends in
``H`` (``.VnTimeH``) draw every letter as a capital, so their text must be upper-cased after
decoding (:func:`legacy_uppercase`). :func:`decode_legacy` does the whole job for the loader.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from pipeline.vi._util import require_bool, require_str, show

Encoding = Literal["tcvn3", "vni"]

# TCVN3: the bytes as Latin-1 characters, then the letters they stand for. Toned rows are in the
# order huyền, hỏi, ngã, sắc, nặng. U+00AD (SOFT HYPHEN) is the letter ư.
_TCVN3_ROWS = (
    ("¡¢£¤¥¦§", "ĂÂÊÔƠƯĐ"),
    ("¨©ª«¬\u00ad®", "ăâêôơưđ"),
    ("µ¶·¸¹", "àảãáạ"),
    ("»¼½¾Æ", "ằẳẵắặ"),
    ("ÇÈÉÊË", "ầẩẫấậ"),
    ("ÌÎÏÐÑ", "èẻẽéẹ"),
    ("ÒÓÔÕÖ", "ềểễếệ"),
    ("×ØÜÝÞ", "ìỉĩíị"),
    ("ßáâãä", "òỏõóọ"),
    ("åæçèé", "ồổỗốộ"),
    ("êëìíî", "ờởỡớợ"),
    ("ïñòóô", "ùủũúụ"),
    ("õö÷øù", "ừửữứự"),
    ("úûüýþ", "ỳỷỹýỵ"),
)
_TCVN3 = str.maketrans("".join(r[0] for r in _TCVN3_ROWS), "".join(r[1] for r in _TCVN3_ROWS))

# VNI-Windows: mark bytes (lower-case forms; the upper-case forms are their .upper()).
_GRAVE, _HOOK, _TILDE, _ACUTE, _DOT = "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"
_BREVE, _CIRCUMFLEX = "\u0306", "\u0302"
_VNI_TONE = {"ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ù": _ACUTE, "ï": _DOT}
_VNI_CIRCUMFLEX = {"â": "", "à": _GRAVE, "å": _HOOK, "ã": _TILDE, "á": _ACUTE, "ä": _DOT}
_VNI_BREVE = {"ê": "", "è": _GRAVE, "ú": _HOOK, "ü": _TILDE, "é": _ACUTE, "ë": _DOT}
# Single bytes that are whole letters (í and ì are themselves).
_VNI_SINGLE = {"ñ": "đ", "ô": "ơ", "ö": "ư", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"}


def _vni_table() -> dict[str, str]:
    table: dict[str, str] = {}

    def add(bases: str, marks: dict[str, str], quality: str) -> None:
        for written in bases:
            letter = _VNI_SINGLE.get(written.lower(), written.lower())
            for mark, tone in marks.items():
                decoded = unicodedata.normalize("NFC", letter + quality + tone)
                for base in (written.lower(), written.upper()):
                    out = decoded if base.islower() else decoded.upper()
                    table[base + mark] = table[base + mark.upper()] = out

    add("aeouyôö", _VNI_TONE, "")
    add("aeo", _VNI_CIRCUMFLEX, _CIRCUMFLEX)
    add("a", _VNI_BREVE, _BREVE)
    for byte, letter in _VNI_SINGLE.items():
        table[byte] = letter
        table[byte.upper()] = letter.upper()
    return table


_VNI = _vni_table()
_VNI_RE = re.compile("|".join(map(re.escape, sorted(_VNI, key=len, reverse=True))))


def from_tcvn3(text: str, uppercase: bool = False) -> str:
    """Decode TCVN3 (ABC, ``.VnTime``) text that was read as Latin-1 characters.

    ``uppercase=True`` is for the ``…H`` fonts (``.VnTimeH``), which show every letter as a
    capital. Characters outside the table are kept.

    >>> from_tcvn3("Uû ban nh©n d©n tØnh L¹ng S¬n")
    'Uỷ ban nhân dân tỉnh Lạng Sơn'
    >>> from_tcvn3("BAN TUY£N GI¸O", uppercase=True)
    'BAN TUYÊN GIÁO'
    """
    text = require_str(text, "from_tcvn3")
    decoded = text.translate(_TCVN3)
    return decoded.upper() if require_bool(uppercase, "uppercase", "from_tcvn3") else decoded


def from_vni(text: str) -> str:
    """Decode VNI-Windows (``VNI-Times``) text that was read as Latin-1 characters.

    >>> from_vni("Ñaûng Coäng saûn Vieät Nam")
    'Đảng Cộng sản Việt Nam'
    >>> from_vni("Tröôøng Nguyeãn Hueä")
    'Trường Nguyễn Huệ'
    """
    text = require_str(text, "from_vni")
    return _VNI_RE.sub(lambda m: _VNI[m.group()], text)


def from_cp1258(data: bytes) -> str:
    """Decode Windows-1258 bytes and compose the result (cp1258 puts tones as combining marks).

    >>> from_cp1258(bytes.fromhex("56 69 ea f2 74 20 4e 61 6d"))
    'Việt Nam'
    >>> from_cp1258(b"\\x81")
    Traceback (most recent call last):
    ...
    ValueError: from_cp1258: b'\\x81' không phải là văn bản Windows-1258 hợp lệ
    """
    if not isinstance(data, bytes | bytearray):
        raise ValueError(f"from_cp1258: {show(data)} không phải là bytes")
    try:
        text = bytes(data).decode("cp1258")
    except UnicodeDecodeError:
        raise ValueError(
            f"from_cp1258: {show(data)} không phải là văn bản Windows-1258 hợp lệ"
        ) from None
    return unicodedata.normalize("NFC", text)


def _font(font_name: object, func: str) -> str | None:
    if font_name is None:
        return None
    return require_str(font_name, func, "tên phông chữ").strip()


def legacy_encoding(font_name: str | None) -> Encoding | None:
    """Which legacy encoding a font name implies: ``"tcvn3"``, ``"vni"`` or ``None`` (Unicode).

    Fonts whose name starts with ``.Vn`` are TCVN3 (ABC) fonts, those starting with ``VNI`` are
    VNI fonts (both case-insensitive); any other font, or no font, is Unicode.

    >>> legacy_encoding(".VnTime"), legacy_encoding(".VnTimeH"), legacy_encoding("VNI-Times")
    ('tcvn3', 'tcvn3', 'vni')
    >>> legacy_encoding("Times New Roman") is None
    True
    """
    name = _font(font_name, "legacy_encoding")
    if not name:
        return None
    folded = name.casefold()
    if folded.startswith(".vn"):
        return "tcvn3"
    if folded.startswith("vni"):
        return "vni"
    return None


def legacy_uppercase(font_name: str | None) -> bool:
    """Whether a legacy font shows every letter as a capital (TCVN3 ``…H`` fonts).

    >>> legacy_uppercase(".VnTimeH"), legacy_uppercase(".VnArialH"), legacy_uppercase(".VnTime")
    (True, True, False)
    >>> legacy_uppercase("VNI-Times")
    False
    """
    name = _font(font_name, "legacy_uppercase")
    if name is None or legacy_encoding(name) != "tcvn3":
        return False
    return name.endswith("H")


def _already_unicode(text: str) -> bool:
    """True if ``text`` holds letters or marks that no legacy 8-bit text can contain."""
    return any(ord(char) > 0xFF and unicodedata.category(char)[0] in "LM" for char in text)


def decode_legacy(text: str, font_name: str | None) -> str | None:
    """Convert text shown in a legacy font to Unicode, or return None if there is nothing to do.

    None means the font is not a TCVN3/VNI font, or the text already contains Unicode-only
    Vietnamese letters (someone typed Unicode in an old font), so it must be kept as it is.
    The result is NFC; pass it through :func:`~pipeline.vi.text.normalize` afterwards as usual.

    >>> decode_legacy("Céng hoµ x· héi chñ nghÜa ViÖt Nam", ".VnTime")
    'Cộng hoà xã hội chủ nghĩa Việt Nam'
    >>> decode_legacy("CéNG HOµ", ".VnTimeH")
    'CỘNG HOÀ'
    >>> decode_legacy("Coäng hoaø", "VNI-Times")
    'Cộng hoà'
    >>> decode_legacy("Cộng hoà", ".VnTime") is None, decode_legacy("abc", "Arial") is None
    (True, True)
    """
    text = require_str(text, "decode_legacy")
    encoding = legacy_encoding(font_name)
    if encoding is None or _already_unicode(text):
        return None
    if encoding == "tcvn3":
        decoded = from_tcvn3(text, uppercase=legacy_uppercase(font_name))
    else:
        decoded = from_vni(text)
    return unicodedata.normalize("NFC", decoded)
