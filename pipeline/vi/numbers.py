"""Numbers in digits: ``1.490.000``, ``973,5``, ``25,6%``, ``1.490.000 đồng``.

Pure: no I/O, no clock, no locale. Digits are grouped by babel with explicit patterns and the
``vi`` locale (thousands ``.``, decimal mark ``,``), never with the system locale. Rounding is
done beforehand with :class:`~decimal.Decimal` ``quantize(ROUND_HALF_UP)``, never by float
formatting, so ``so(2.675, le=2)`` is ``2,68``.

Accepted values are ``int``, ``float`` and ``Decimal`` (a float is read through ``str``, so
``0.1`` is exactly ``0,1``). ``bool``, ``None``, strings, NaN and infinities are rejected with a
``ValueError`` that names the value. Years, document numbers and codes must not be grouped: write
them as they are, or use ``so(x, nhom=False)``.
"""

from __future__ import annotations

import math
from decimal import MAX_EMAX, MIN_EMIN, ROUND_HALF_UP, Context, Decimal, localcontext

from babel.numbers import format_decimal

from pipeline.vi._util import require_bool, show

Number = Decimal | int | float
"""What the number functions accept."""

# Exact arithmetic for every value we accept: 30 integer digits + 30 decimals fit easily.
_CTX = Context(prec=100, rounding=ROUND_HALF_UP, Emax=MAX_EMAX, Emin=MIN_EMIN)
_MAX_INT_DIGITS = 30  # |x| < 10**30
_MAX_DECIMALS = 30  # at most 30 digits after the decimal mark
_LOCALE = "vi"


def to_decimal(value: object, func: str) -> Decimal:
    """Convert an accepted number to an exact ``Decimal``, or raise ``ValueError`` naming it.

    >>> to_decimal(8.5, "so")
    Decimal('8.5')
    >>> to_decimal(0.1, "so")
    Decimal('0.1')
    >>> to_decimal(True, "so")
    Traceback (most recent call last):
    ...
    ValueError: so: True không phải là số (cần int, float hoặc Decimal)
    >>> to_decimal(float("nan"), "so")
    Traceback (most recent call last):
    ...
    ValueError: so: nan không phải là số hữu hạn
    """
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(f"{func}: {show(value)} không phải là số (cần int, float hoặc Decimal)")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{func}: {show(value)} không phải là số hữu hạn")
        number = Decimal(repr(value))
    elif isinstance(value, int):
        if value.bit_length() > 4 * _MAX_INT_DIGITS:
            raise ValueError(f"{func}: {show(value)} quá lớn")
        number = Decimal(value)
    else:
        number = value
    if not number.is_finite():
        raise ValueError(f"{func}: {show(value)} không phải là số hữu hạn")
    if number and number.adjusted() >= _MAX_INT_DIGITS:
        raise ValueError(f"{func}: {show(value)} quá lớn (tối đa {_MAX_INT_DIGITS} chữ số)")
    return number


def check_places(le: object, func: str) -> int | None:
    """Validate a number of decimal places: ``None`` or an ``int`` from 0 to 30.

    >>> check_places(2, "so")
    2
    >>> check_places(-1, "so")
    Traceback (most recent call last):
    ...
    ValueError: so: số chữ số thập phân le=-1 phải là số nguyên từ 0 đến 30
    """
    if le is None:
        return None
    if isinstance(le, bool) or not isinstance(le, int) or not 0 <= le <= _MAX_DECIMALS:
        raise ValueError(
            f"{func}: số chữ số thập phân le={show(le)} phải là số nguyên từ 0 đến {_MAX_DECIMALS}"
        )
    return le


def _round(number: Decimal, le: int | None, func: str, shown: object) -> Decimal:
    """Round half up to ``le`` places, or strip trailing zeros when ``le`` is None."""
    if le is None:
        if is_integral(number):
            rounded = number.quantize(Decimal(1), context=_CTX)
        else:
            rounded = number.normalize(context=_CTX)
            if _places(rounded) > _MAX_DECIMALS:
                raise ValueError(
                    f"{func}: {show(shown)} có quá nhiều chữ số thập phân; hãy chỉ rõ le=..."
                )
    else:
        rounded = number.quantize(Decimal(1).scaleb(-le), rounding=ROUND_HALF_UP, context=_CTX)
    if rounded.is_zero():
        rounded = rounded.copy_abs()  # never "-0"
    return rounded


def _places(number: Decimal) -> int:
    """How many digits a finite ``Decimal`` has after the decimal mark."""
    exponent = number.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _format(number: Decimal, nhom: bool) -> str:
    """Digits of an already rounded ``Decimal`` in the ``vi`` style, keeping every decimal."""
    places = _places(number)
    pattern = ("#,##0" if nhom else "0") + ("." + "0" * places if places else "")
    with localcontext(_CTX):  # babel quantizes in the current context; give it enough digits
        text: str = format_decimal(
            number, format=pattern, locale=_LOCALE, decimal_quantization=False
        )
    return text


def so(x: Number, le: int | None = None, *, nhom: bool = True) -> str:
    """A number in digits: ``.`` between thousands, ``,`` before decimals.

    ``le`` is the number of decimal places (rounded half up); ``None`` keeps the value's own
    decimals and drops trailing zeros. ``nhom=False`` turns off thousands grouping (codes).

    >>> so(1000)
    '1.000'
    >>> so(Decimal("973.5"))
    '973,5'
    >>> so(8.5, le=2)
    '8,50'
    >>> so(Decimal("1000.0"))
    '1.000'
    >>> so(-1234.5)
    '-1.234,5'
    >>> so(2.675, le=2)
    '2,68'
    >>> so(Decimal("0.125"), le=2)
    '0,13'
    >>> so(1234567, nhom=False)
    '1234567'
    >>> so("1000")
    Traceback (most recent call last):
    ...
    ValueError: so: '1000' không phải là số (cần int, float hoặc Decimal)
    """
    number = to_decimal(x, "so")
    places = check_places(le, "so")
    return _format(_round(number, places, "so", x), require_bool(nhom, "nhom", "so"))


def phan_tram(x: Number, le: int | None = 1) -> str:
    """A ratio as a percentage: ``0.256`` → ``25,6%`` (no space before ``%``).

    ``le`` decimal places, rounded half up (default 1); ``None`` keeps all decimals.

    >>> phan_tram(0.256)
    '25,6%'
    >>> phan_tram(0.8, le=0)
    '80%'
    >>> phan_tram(1)
    '100,0%'
    >>> phan_tram(Decimal("0.12345"), le=2)
    '12,35%'
    >>> phan_tram(Decimal("0.125"), le=None)
    '12,5%'
    """
    number = to_decimal(x, "phan_tram")
    places = check_places(le, "phan_tram")
    percent = number.scaleb(2, context=_CTX)
    return _format(_round(percent, places, "phan_tram", x), True) + "%"


def is_integral(number: Decimal) -> bool:
    """Whether a finite ``Decimal`` is a whole number (exactly, whatever its size).

    >>> is_integral(Decimal("1000.0")), is_integral(Decimal("0.5"))
    (True, False)
    """
    return number == number.to_integral_value(context=_CTX)


def dong(x: Number, func: str = "tien") -> int:
    """An amount of money as a whole number of đồng; fractional amounts are rejected.

    >>> dong(1490000.0)
    1490000
    >>> dong(1234.5)
    Traceback (most recent call last):
    ...
    ValueError: tien: 1234.5 không phải là số đồng nguyên (tiền phải là số nguyên)
    """
    number = to_decimal(x, func)
    if not is_integral(number):
        raise ValueError(f"{func}: {show(x)} không phải là số đồng nguyên (tiền phải là số nguyên)")
    return int(number)


def tien(x: Number) -> str:
    """An amount of money in digits followed by ``đồng``: ``1490000`` → ``1.490.000 đồng``.

    The amount must be a whole number of đồng (``ValueError`` otherwise); negative amounts keep
    their sign.

    >>> tien(1490000)
    '1.490.000 đồng'
    >>> tien(500)
    '500 đồng'
    >>> tien(-20000)
    '-20.000 đồng'
    """
    return so(dong(x, "tien")) + " đồng"
