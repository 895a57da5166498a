"""Numbers in words: ``doc_so``, ``tien_bang_chu`` and ``thu_hang``.

Pure: no I/O, no clock, no locale. The reading follows the school (Toán 4) method used by every
accounting and invoice convention: read the number three digits at a time, skip all-zero groups,
read every later non-zero group in full (``không trăm``, ``linh`` before a single digit), say
``mốt``, ``tư`` and ``lăm`` after ``mươi``, ``lăm`` after ``mười``, and read the count of ``tỷ``
as a number of its own (``hai nghìn năm trăm tỷ``, ``một triệu tỷ`` = 10^15, ``một tỷ tỷ`` =
10^18). Integers are handled exactly (no float on the way). The default convention is the
official one: ``linh``, ``nghìn``, ``tư``, ``tỷ``; the Southern/stylistic variants are options.
"""

from __future__ import annotations

from typing import Literal

from pipeline.vi._util import require_bool, show
from pipeline.vi.numbers import Number, dong, is_integral, to_decimal

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_BILLION = 10**9
_LIMIT = 10**27  # "một tỷ tỷ tỷ": beyond this the reading is no longer in use
_MAX_DECIMALS = 30

_CHOICES: dict[str, tuple[str, ...]] = {
    "linh": ("linh", "lẻ"),
    "nghin": ("nghìn", "ngàn"),
    "tu": ("tư", "bốn"),
    "ty": ("tỷ", "tỉ"),
    "doc_phan_le": ("ca_so", "tung_chu_so"),
}


class _Style:
    """The chosen words for one reading (validated options of :func:`doc_so`)."""

    __slots__ = ("linh", "linh_tu", "nghin", "tu", "ty")

    def __init__(self, linh: str, nghin: str, tu: str, ty: str, linh_tu: bool) -> None:
        self.linh = linh
        self.nghin = nghin
        self.tu = tu
        self.ty = ty
        self.linh_tu = linh_tu


def _check_option(name: str, value: object, func: str) -> str:
    allowed = _CHOICES[name]
    if not isinstance(value, str) or value not in allowed:
        choices = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"{func}: {name}={show(value)} không hợp lệ (chọn một trong {choices})")
    return value


def _triplet(n: int, full: bool, style: _Style) -> list[str]:
    """Words for 0 < n < 1000; ``full`` reads the hundreds even when zero (``không trăm``)."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                unit = "tư" if units == 4 and style.linh_tu else _DIGITS[units]
                words += [style.linh, unit]
            else:
                words.append(_DIGITS[units])
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else _DIGITS[units])
    else:
        words += [_DIGITS[tens], "mươi"]
        if units == 1:
            words.append("mốt")
        elif units == 4:
            words.append(style.tu)
        elif units == 5:
            words.append("lăm")
        elif units:
            words.append(_DIGITS[units])
    return words


def _below_billion(n: int, leading: bool, style: _Style) -> list[str]:
    """Words for 0 < n < 10^9; ``leading`` is False when something was already said."""
    words: list[str] = []
    for scale, name in ((10**6, "triệu"), (10**3, style.nghin), (1, "")):
        group, n = divmod(n, scale)
        if group:
            words += _triplet(group, full=not leading or bool(words), style=style)
            if name:
                words.append(name)
    return words


def _integer_words(n: int, style: _Style) -> list[str]:
    """Words for an integer n >= 0, nesting the count of tỷ."""
    if n == 0:
        return [_DIGITS[0]]
    if n < _BILLION:
        return _below_billion(n, leading=True, style=style)
    high, low = divmod(n, _BILLION)
    words = [*_integer_words(high, style), style.ty]
    if low:
        words += _below_billion(low, leading=False, style=style)
    return words


def doc_so(
    x: Number,
    *,
    linh: Literal["linh", "lẻ"] = "linh",
    nghin: Literal["nghìn", "ngàn"] = "nghìn",
    tu: Literal["tư", "bốn"] = "tư",
    ty: Literal["tỷ", "tỉ"] = "tỷ",
    linh_tu: bool = False,
    doc_phan_le: Literal["ca_so", "tung_chu_so"] = "ca_so",
) -> str:
    """Read a number in Vietnamese words (lower case), as in money-in-words.

    Options: ``linh="lẻ"`` (Southern), ``nghin="ngàn"``, ``tu="bốn"`` (``hai mươi bốn``),
    ``ty="tỉ"``, ``linh_tu=True`` (``một trăm linh tư``). Decimals are read after ``phẩy``; the
    fractional part is read as a number keeping its leading zeros (``0,05`` → ``không phẩy không
    năm``), or digit by digit with ``doc_phan_le="tung_chu_so"``. Trailing zeros of a Decimal are
    not read (``Decimal("3.50")`` is ``ba phẩy năm``). Exact for integers of any size below
    10^27; larger values raise ``ValueError``.

    >>> from decimal import Decimal
    >>> doc_so(1005)
    'một nghìn không trăm linh năm'
    >>> doc_so(2500000000000)
    'hai nghìn năm trăm tỷ'
    >>> doc_so(Decimal("0.05"))
    'không phẩy không năm'
    >>> doc_so(-25)
    'âm hai mươi lăm'
    >>> doc_so(1_000_000_000_000_000_000)
    'một tỷ tỷ'
    >>> doc_so(1.25)
    'một phẩy hai mươi lăm'
    >>> doc_so(1.25, doc_phan_le="tung_chu_so")
    'một phẩy hai năm'
    >>> doc_so(1005, linh="lẻ", nghin="ngàn")
    'một ngàn không trăm lẻ năm'
    >>> doc_so(24, tu="bốn")
    'hai mươi bốn'
    >>> doc_so(Decimal("0.00")), doc_so(Decimal("-0.0")), doc_so(Decimal("10.00"))
    ('không', 'không', 'mười')
    >>> doc_so(float("inf"))
    Traceback (most recent call last):
    ...
    ValueError: doc_so: inf không phải là số hữu hạn
    """
    return _read(x, "doc_so", linh, nghin, tu, ty, linh_tu, doc_phan_le)


def _read(
    x: object,
    func: str,
    linh: object = "linh",
    nghin: object = "nghìn",
    tu: object = "tư",
    ty: object = "tỷ",
    linh_tu: object = False,
    doc_phan_le: object = "ca_so",
) -> str:
    """:func:`doc_so`, with every error naming ``func``: the filter the template author typed
    (``tien_bang_chu`` and ``thu_hang`` read their numbers through here)."""
    style = _Style(
        linh=_check_option("linh", linh, func),
        nghin=_check_option("nghin", nghin, func),
        tu=_check_option("tu", tu, func),
        ty=_check_option("ty", ty, func),
        linh_tu=require_bool(linh_tu, "linh_tu", func),
    )
    per_digit = _check_option("doc_phan_le", doc_phan_le, func) == "tung_chu_so"
    number = to_decimal(x, func)
    if number.copy_abs() >= _LIMIT:
        raise ValueError(f"{func}: {show(x)} quá lớn để đọc thành chữ (giới hạn 10^27)")
    if number.is_zero():  # 0,00 (the loader reads the text "0,00" so) and -0 are "không"
        return _DIGITS[0]
    sign, digit_tuple, exponent = number.as_tuple()
    assert isinstance(exponent, int)  # to_decimal only returns finite values
    text = "".join(map(str, digit_tuple))
    if exponent < 0:  # drop trailing zeros after the decimal mark: 3,50 is read 3,5
        zeros = min(len(text) - len(text.rstrip("0")), -exponent)
        text, exponent = text[: len(text) - zeros], exponent + zeros
    if exponent < -_MAX_DECIMALS:
        raise ValueError(f"{func}: {show(x)} có quá nhiều chữ số thập phân (tối đa 30)")
    if exponent >= 0:
        int_part, frac_part = int(text) * 10**exponent, ""
    else:
        text = text.rjust(-exponent + 1, "0")
        int_part, frac_part = int(text[:exponent]), text[exponent:]
    words = _integer_words(int_part, style)
    if frac_part:
        words.append("phẩy")
        if per_digit:
            words += [_DIGITS[int(c)] for c in frac_part]
        else:
            stripped = frac_part.lstrip("0")
            words += [_DIGITS[0]] * (len(frac_part) - len(stripped))
            words += _integer_words(int(stripped), style)
    if sign and (int_part or frac_part):
        words.insert(0, "âm")
    return " ".join(words)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def tien_bang_chu(
    x: Number,
    *,
    chan: bool = False,
    linh: Literal["linh", "lẻ"] = "linh",
    nghin: Literal["nghìn", "ngàn"] = "nghìn",
    tu: Literal["tư", "bốn"] = "tư",
    ty: Literal["tỷ", "tỉ"] = "tỷ",
    linh_tu: bool = False,
) -> str:
    """An amount of money in words, capitalised, followed by ``đồng``.

    The amount must be a whole number of đồng (``ValueError`` otherwise). ``chan=True`` appends
    ``chẵn`` as some banks do; the other options are those of :func:`doc_so`.

    >>> tien_bang_chu(1490000)
    'Một triệu bốn trăm chín mươi nghìn đồng'
    >>> tien_bang_chu(0)
    'Không đồng'
    >>> tien_bang_chu(1490000, chan=True, nghin="ngàn")
    'Một triệu bốn trăm chín mươi ngàn đồng chẵn'
    >>> tien_bang_chu(1234.5)
    Traceback (most recent call last):
    ...
    ValueError: tien_bang_chu: 1234.5 không phải là số đồng nguyên (tiền phải là số nguyên)
    """
    func = "tien_bang_chu"
    amount = dong(x, func)
    words = _read(amount, func, linh=linh, nghin=nghin, tu=tu, ty=ty, linh_tu=linh_tu)
    suffix = " đồng chẵn" if require_bool(chan, "chan", func) else " đồng"
    return _capitalise(words) + suffix


_ORDINALS = ("Nhất", "Nhì", "Ba", "Tư", "Năm", "Sáu", "Bảy", "Tám", "Chín", "Mười")


def thu_hang(n: int, *, dau_cau: bool = False) -> str:
    """A rank in words: ``thứ Nhất``, ``thứ Nhì``, ``thứ Ba``, ``thứ Tư``, …, ``thứ Mười một``.

    The first word of the ordinal is capitalised (NĐ 30 style for ``thứ Hai``…); ``dau_cau=True``
    also capitalises ``Thứ`` at the start of a sentence. ``n`` must be a whole number >= 1.

    >>> [thu_hang(i) for i in (1, 2, 3, 4)]
    ['thứ Nhất', 'thứ Nhì', 'thứ Ba', 'thứ Tư']
    >>> thu_hang(11), thu_hang(21), thu_hang(24)
    ('thứ Mười một', 'thứ Hai mươi mốt', 'thứ Hai mươi tư')
    >>> thu_hang(1, dau_cau=True)
    'Thứ Nhất'
    >>> thu_hang(0)
    Traceback (most recent call last):
    ...
    ValueError: thu_hang: 0 không phải là thứ hạng (cần số nguyên từ 1 trở lên)
    """
    func = "thu_hang"
    number = to_decimal(n, func)
    if number < 1 or not is_integral(number):
        raise ValueError(f"{func}: {show(n)} không phải là thứ hạng (cần số nguyên từ 1 trở lên)")
    rank = int(number)
    name = _ORDINALS[rank - 1] if rank <= len(_ORDINALS) else _capitalise(_read(rank, func))
    prefix = "Thứ" if require_bool(dau_cau, "dau_cau", func) else "thứ"
    return f"{prefix} {name}"
