"""Document numbers and symbols (số, ký hiệu) in the State and the Party formats.

Pure: no I/O, no clock, no locale.

- State documents, NĐ 30/2020 Phụ lục I (ô 3): ``Số: 05/BC-UBND``: a colon after ``Số``, a
  slash between the number and the ký hiệu, hyphens between the abbreviations, no spaces. A
  công văn has no type abbreviation: ``Số: 05/BNV-VP`` (issuing body, then drafting unit).
- Party documents, HD 36-HD/VPTW: ``Số 12-BC/BTGTU``: no colon, a hyphen between the number
  and the type, a slash before the issuing body. A Party công văn uses the type ``CV``.

Numbers below 10 get a leading zero in both formats. Numbers are never grouped (``Số 1234``).
Before a document is numbered, ``so=None`` gives the blank form that is filled in by hand: six
no-break spaces (U+00A0) stand where the number goes, so Word neither collapses nor breaks it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pipeline.vi._util import require_str, show
from pipeline.vi.numbers import is_integral, to_decimal
from pipeline.vi.text import match_key

TheThuc = Literal["dang", "nha_nuoc"]

BLANK_NUMBER = "\u00a0" * 6
"""What stands for the number in the unnumbered form: six no-break spaces."""

_PARTY = {"dang", "đảng", "hd36", "hd 36", "party"}
_STATE = {"nha_nuoc", "nhà nước", "nhà_nước", "nha nuoc", "nd30", "nđ30", "nđ 30", "state"}


def _the_thuc(value: object) -> TheThuc:
    if isinstance(value, str):
        key = match_key(value)
        if key in _PARTY:
            return "dang"
        if key in _STATE:
            return "nha_nuoc"
    raise ValueError(
        f"so_ky_hieu: the_thuc={show(value)} không hợp lệ (chọn 'dang' hoặc 'nha_nuoc')"
    )


def _number(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isdecimal() and value.strip().isascii():
        value = int(value.strip())
    number = to_decimal(value, "so_ky_hieu")
    if number < 1 or not is_integral(number) or number >= Decimal(10) ** 9:
        raise ValueError(f"so_ky_hieu: số văn bản {show(value)} phải là số nguyên dương")
    return f"{int(number):02d}"


def _abbreviation(value: object, what: str, required: bool, hint: str = "") -> str:
    if value is None:
        if required:
            raise ValueError(f"so_ky_hieu: thiếu {what}{hint}")
        return ""
    text = require_str(value, "so_ky_hieu", what).strip()
    if required and not text:
        raise ValueError(f"so_ky_hieu: thiếu {what}{hint}")
    if any(char.isspace() for char in text):
        raise ValueError(f"so_ky_hieu: {what} {show(value)} không được chứa dấu cách")
    return text


def so_ky_hieu(
    so: int | str | None,
    loai: str | None,
    co_quan: str,
    the_thuc: TheThuc | str,
    *,
    don_vi: str | None = None,
) -> str:
    """The "Số, ký hiệu" line of a document.

    ``so`` is the number (``None`` before numbering), ``loai`` the type abbreviation (``BC``,
    ``QĐ``, ``TTr``… kept exactly as given; ``None`` or ``""`` for a State công văn),
    ``co_quan`` the issuing body's abbreviation and ``the_thuc`` ``"dang"`` (HD 36) or
    ``"nha_nuoc"`` (NĐ 30). ``don_vi`` appends the drafting unit (``BNV-VP``).

    >>> so_ky_hieu(12, "BC", "BTGTU", "dang")
    'Số 12-BC/BTGTU'
    >>> so_ky_hieu(5, "BC", "UBND", "nha_nuoc")
    'Số: 05/BC-UBND'
    >>> so_ky_hieu(5, None, "BNV", "nha_nuoc", don_vi="VP")
    'Số: 05/BNV-VP'
    >>> so_ky_hieu(None, "BC", "BTGTU", "dang") == "Số" + BLANK_NUMBER + "-BC/BTGTU"
    True
    >>> so_ky_hieu(None, "BC", "UBND", "nha_nuoc") == "Số:" + BLANK_NUMBER + "/BC-UBND"
    True
    >>> so_ky_hieu(0, "BC", "UBND", "nha_nuoc")
    Traceback (most recent call last):
    ...
    ValueError: so_ky_hieu: số văn bản 0 phải là số nguyên dương
    """
    style = _the_thuc(the_thuc)
    number = _number(so)
    party = style == "dang"
    hint = " (văn bản của Đảng luôn ghi loại; công văn là 'CV')" if party else ""
    kind = _abbreviation(loai, "loại văn bản", required=party, hint=hint)
    body = _abbreviation(co_quan, "tên viết tắt cơ quan", required=True)
    unit = _abbreviation(don_vi, "đơn vị soạn thảo", required=False)
    symbol = f"{body}-{unit}" if unit else body
    if party:
        head = f"Số {number}" if number is not None else "Số" + BLANK_NUMBER
        return f"{head}-{kind}/{symbol}"
    head = f"Số: {number}" if number is not None else "Số:" + BLANK_NUMBER
    return f"{head}/{kind}-{symbol}" if kind else f"{head}/{symbol}"
