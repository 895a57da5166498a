"""Numbers in digits: ``1.490.000``, ``973,5``, ``25,6%``, ``1.490.000 đồng``.

Pure: no I/O, no clock, no locale. Digits are laid out by babel's number patterns and the
``vi`` locale's symbols (thousands ``.``, decimal mark ``,``), never with the system locale: each
pattern is parsed by babel once (:class:`NumberFormat`) and then applied exactly as
``babel.numbers.format_decimal`` applies it, without re-parsing the pattern and the locale for
every number. Rounding is done beforehand with :class:`~decimal.Decimal`
``quantize(ROUND_HALF_UP)``, never by float formatting, so ``so(2.675, le=2)`` is ``2,68``.

Accepted values are ``int``, ``float`` and ``Decimal`` (a float is read through ``str``, so
``0.1`` is exactly ``0,1``). ``bool``, ``None``, strings, NaN and infinities are rejected with a
``ValueError`` that names the value. Years, document numbers and codes must not be grouped: write
them as they are, or use ``so(x, nhom=False)``.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import MAX_EMAX, MIN_EMIN, ROUND_HALF_UP, Context, Decimal

from babel.numbers import get_decimal_symbol, get_group_symbol, parse_pattern

from pipeline.vi._util import require_bool, show

Number = Decimal | int | float
"""What the number functions accept."""

# Exact arithmetic for every value we accept: 30 integer digits + 30 decimals fit easily.
_CTX = Context(prec=100, rounding=ROUND_HALF_UP, Emax=MAX_EMAX, Emin=MIN_EMIN)
_MAX_INT_DIGITS = 30  # |x| < 10**30
_MAX_DECIMALS = 30  # at most 30 digits after the decimal mark
_LOCALE = "vi"
_NUMBERS = (int, float, Decimal)
_GROUP_NEVER = 100  # a grouping size no number this module prints reaches (30 integer digits)


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
    if type(value) is Decimal:  # the usual case first: the context's numbers are Decimal
        number = value
    elif isinstance(value, bool) or not isinstance(value, _NUMBERS):
        raise ValueError(f"{func}: {show(value)} không phải là số (cần int, float hoặc Decimal)")
    elif isinstance(value, float):
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
    if type(le) is int and 0 <= le <= _MAX_DECIMALS:
        return le
    if isinstance(le, bool) or not isinstance(le, int) or not 0 <= le <= _MAX_DECIMALS:
        raise ValueError(
            f"{func}: số chữ số thập phân le={show(le)} phải là số nguyên từ 0 đến {_MAX_DECIMALS}"
        )
    return le


_ONE = Decimal(1)
_QUANTA = tuple(_ONE.scaleb(-places) for places in range(_MAX_DECIMALS + 1))  # 1, 0.1, 0.01…


def _round(number: Decimal, le: int | None, func: str, shown: object) -> Decimal:
    """Round half up to ``le`` places, or strip trailing zeros when ``le`` is None."""
    if le is None:
        if is_integral(number):
            rounded = number.quantize(_ONE, context=_CTX)
        else:
            rounded = number.normalize(context=_CTX)
            if _places(rounded) > _MAX_DECIMALS:
                raise ValueError(
                    f"{func}: {show(shown)} có quá nhiều chữ số thập phân; hãy chỉ rõ le=..."
                )
    else:
        rounded = _CTX.quantize(number, _QUANTA[le])  # the context rounds half up
    if rounded.is_zero():
        rounded = rounded.copy_abs()  # never "-0"
    return rounded


def _places(number: Decimal) -> int:
    """How many digits a finite ``Decimal`` has after the decimal mark."""
    exponent = number.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


_QUOTED = re.compile(r"'([^']*)'")  # babel's last step: 'text' → text, '' → '


@dataclass(frozen=True, slots=True)
class NumberFormat:
    """A babel number pattern parsed once, for one locale, applied like ``format_decimal``.

    :meth:`apply` gives exactly ``babel.numbers.format_decimal(number, format=pattern,
    locale=locale, decimal_quantization=False)`` computed in :data:`_CTX` (tested against babel
    itself over wide ranges), for every finite ``Decimal`` whose digits fit in that context's
    100 digits (every number :func:`so` prints). The pattern's prefixes, suffixes, grouping and
    minimum digits come from ``babel.numbers.parse_pattern``, the decimal and group symbols from
    the locale's CLDR data (``get_decimal_symbol``, ``get_group_symbol``, Latin digits), once, in
    :meth:`parse`. Only plain decimal patterns are accepted (not scientific, significant-digit,
    percent or per-mille patterns, which babel scales or rounds differently).

    >>> NumberFormat.parse("#,##0.00", "vi").apply(Decimal("-1234567.5"))
    '-1.234.567,50'
    >>> NumberFormat.parse("0", "vi").apply(Decimal("1234567"))
    '1234567'
    """

    prefixes: tuple[str, str]  # (positive, negative)
    suffixes: tuple[str, str]
    min_int: int
    grouping: tuple[int, int]  # (first group from the right, every other group)
    min_frac: int
    max_frac: int
    decimal: str
    group: str
    unquote: bool  # whether babel's quote removal can change the result

    @classmethod
    def parse(cls, pattern: str, locale: str) -> NumberFormat:
        """Parse ``pattern`` with babel and read ``locale``'s symbols from babel (CLDR)."""
        parsed = parse_pattern(pattern)
        if parsed.exp_prec or parsed.scale or "@" in parsed.pattern:
            raise ValueError(f"unsupported number pattern {pattern!r}")
        decimal, group = get_decimal_symbol(locale), get_group_symbol(locale)
        affixes = (*parsed.prefix, *parsed.suffix)
        return cls(
            prefixes=(parsed.prefix[0], parsed.prefix[1]),
            suffixes=(parsed.suffix[0], parsed.suffix[1]),
            min_int=parsed.int_prec[0],
            grouping=(parsed.grouping[0], parsed.grouping[1]),
            min_frac=parsed.frac_prec[0],
            max_frac=parsed.frac_prec[1],
            decimal=decimal,
            group=group,
            unquote=any("'" in text for text in (decimal, group, *affixes)),
        )

    def apply(self, number: Decimal) -> str:
        """``number`` (finite) laid out by the pattern, keeping all its decimals."""
        integer, _, fraction = format(_CTX.abs(number), "f").partition(".")
        return self.layout(number.is_signed(), integer, fraction)

    def layout(self, negative: bool, integer: str, fraction: str) -> str:
        """The text for a number given by its sign and its digits before and after the mark.

        These are babel's steps (``NumberPattern.apply`` without decimal quantization), merged:
        babel normalises the value (drops the fraction's trailing zeros), quantizes it to the
        pattern's maximum decimals or its own, whichever is more, then drops trailing zeros down
        to the pattern's minimum, and shows no decimal mark when that minimum is 0 and the
        fraction is all zeros; so what is shown is the fraction without trailing zeros, padded to
        the minimum. The integer part is zero-padded to the pattern's minimum and grouped.
        """
        kept = fraction.rstrip("0")
        shown = self.decimal + kept.ljust(self.min_frac, "0") if kept or self.min_frac else ""
        if len(integer) < self.min_int:
            integer = integer.rjust(self.min_int, "0")
        size = self.grouping[0]
        if len(integer) > size:
            if self.grouping == (3, 3):  # CLDR's usual grouping: Python's own, in C
                integer = f"{int(integer):,}".replace(",", self.group)
            else:
                groups = []
                while len(integer) > size:
                    groups.append(integer[-size:])
                    integer = integer[:-size]
                    size = self.grouping[1]
                integer = self.group.join([integer, *reversed(groups)])
        result = self.prefixes[negative] + integer + shown + self.suffixes[negative]
        return _QUOTED.sub(lambda m: m.group(1) or "'", result) if self.unquote else result


@functools.cache
def _number_format(nhom: bool, places: int) -> NumberFormat:
    """The ``vi`` format with ``places`` fixed decimals, grouped or not (parsed on first use)."""
    pattern = ("#,##0" if nhom else "0") + ("." + "0" * places if places else "")
    return NumberFormat.parse(pattern, _LOCALE)


def _format(number: Decimal, nhom: bool) -> str:
    """Digits of an already rounded ``Decimal`` in the ``vi`` style, keeping every decimal.

    The pattern has as many fixed decimals as the number (see :func:`_places`): the length of
    its fraction in positional notation. When the patterns are plain (see :func:`_plain_symbols`)
    Python's own grouping gives the same digits, and only the symbols are swapped.
    """
    symbols = _plain_symbols(nhom)
    if symbols is not None:
        group, mark = symbols
        text = format(number, ",f" if nhom else "f")
        if "," not in text:
            return text.replace(".", mark) if "." in text else text
        if "." not in text:
            return text.replace(",", group)
        return text.replace(".", "\x00").replace(",", group).replace("\x00", mark)
    integer, _, fraction = format(_CTX.abs(number), "f").partition(".")
    return _number_format(nhom, len(fraction)).layout(number.is_signed(), integer, fraction)


@functools.cache
def _plain_symbols(nhom: bool) -> tuple[str, str] | None:
    """The symbols (group, decimal mark) that turn Python's ``format(number, ",f")`` (``"f"``
    without ``nhom``) into the ``vi`` patterns' digits, if these patterns are plain; else
    ``None``.

    Plain: no prefix but ``-`` for negative numbers, no suffix, at least one integer digit,
    thousands grouped by three (or not at all without ``nhom``) and nothing babel unquotes.
    Then :meth:`NumberFormat.layout` of a rounded number (never ``-0``: :func:`_round`) is its
    positional digits with these symbols: every decimal kept (the pattern has as many fixed
    decimals as the number), a decimal mark only before decimals. Whether the patterns are plain
    is read from babel's parse, once.
    """
    with_decimals, without = _number_format(nhom, 1), _number_format(nhom, 0)
    for pattern in (with_decimals, without):
        grouping_ok = pattern.grouping == (3, 3) if nhom else pattern.grouping[0] >= _GROUP_NEVER
        if (
            pattern.prefixes != ("", "-")
            or pattern.suffixes != ("", "")
            or pattern.min_int != 1
            or not grouping_ok
            or pattern.unquote
        ):
            return None
    if without.min_frac or without.max_frac or with_decimals.min_frac != 1:
        return None
    return with_decimals.group, with_decimals.decimal


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
    keyed = type(x) in _KEYED and type(le) in _KEYED_PLACES and type(nhom) is bool
    if keyed:
        try:
            text = _DIGITS.get((x, le, nhom))
        except TypeError:  # a signalling NaN cannot be hashed (and is refused below)
            keyed, text = False, None
        if text is not None:
            return text
    number = to_decimal(x, "so")
    places = check_places(le, "so")
    text = _format(_round(number, places, "so", x), require_bool(nhom, "nhom", "so"))
    if keyed:
        if len(_DIGITS) >= _DIGITS_KEPT:
            _DIGITS.clear()
        _DIGITS[x, le, nhom] = text
    return text


#: The text :func:`so` gave for the last arguments it was called with, ``(x, le, nhom)`` with
#: ``x`` an ``int`` or a ``Decimal``: a document prints the same scores and amounts many times
#: (ties, award amounts, totals). The text depends only on the values of the arguments (equal
#: numbers round and normalise alike: ``Decimal("1.50")``, ``Decimal("1.5")``; ``2`` and
#: ``Decimal(2)``), and so does whether they are refused, so equal keys give equal texts; only
#: texts are kept, never a failure. ``bool`` and ``float`` are not keys (``True == 1``,
#: ``0.5 == Decimal("0.5")``).
_DIGITS: dict[tuple[object, object, bool], str] = {}
_DIGITS_KEPT = 4096
_KEYED = frozenset({int, Decimal})
_KEYED_PLACES = frozenset({int, type(None)})


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


#: The number filters a template may call without the sandbox's checks of every call
#: (:func:`pipeline.documents.filtering.bounded_filter`). Each of them, whatever its arguments,
#: does a bounded amount of work and returns a short text (at most 30 integer digits and 30
#: decimals, grouped, with a sign and a suffix), and raises ``ValueError`` for every argument it
#: does not accept: a number must be an ``int``, ``float`` or ``Decimal``, ``le`` an ``int`` or
#: ``None``, ``nhom`` a ``bool``, so anything else (a Jinja undefined value too) is refused.
BOUNDED_FILTERS: frozenset[Callable[..., str]] = frozenset({so, phan_tram, tien})
