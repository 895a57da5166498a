"""Numbers in digits, percentages and money (CLDR vi via babel, ROUND_HALF_UP)."""

from __future__ import annotations

from decimal import MAX_EMAX, MIN_EMIN, ROUND_HALF_UP, Context, Decimal, localcontext
from typing import Any

import pytest
from babel.numbers import format_decimal
from hypothesis import given, settings
from hypothesis import strategies as st
from vi_testdata import vectors

from pipeline.vi import doc_so, phan_tram, so, so_ky_hieu, tien, tien_bang_chu
from pipeline.vi.numbers import NumberFormat


def _format(value: Any, kind: str) -> str:
    if kind in ("integer", "decimal"):
        return so(value)
    if kind == "decimal_2dp":
        return so(value, le=2)
    if kind == "percent_0dp":
        return phan_tram(value, le=0)
    if kind == "year":
        return so(value, nhom=False)
    if kind == "doc_number":
        return so_ky_hieu(value, "BC", "UBND", "nha_nuoc").removeprefix("Số: ").split("/")[0]
    raise AssertionError(kind)


@pytest.mark.parametrize(("value", "kind", "expected"), vectors("number_format"))
def test_number_format(value: Any, kind: str, expected: str) -> None:
    assert _format(value, kind) == expected


@pytest.mark.parametrize(("amount", "expected"), vectors("money"))
def test_money(amount: int, expected: str) -> None:
    assert tien(amount) == expected


@pytest.mark.parametrize(("amount", "expected"), vectors("money_line"))
def test_money_line(amount: int, expected: str) -> None:
    assert f"{tien(amount)} (Bằng chữ: {tien_bang_chu(amount)})" == expected


def test_spec_examples() -> None:
    assert so(1000) == "1.000"
    assert so(Decimal("973.5")) == "973,5"
    assert so(8.5, le=2) == "8,50"
    assert phan_tram(0.256) == "25,6%"
    assert tien(1490000) == "1.490.000 đồng"


@pytest.mark.parametrize(
    ("value", "le", "expected"),
    [
        (Decimal("1000.0"), None, "1.000"),
        (Decimal("1000.50"), None, "1.000,5"),
        (-1234.5, None, "-1.234,5"),
        (Decimal("-0.004"), 2, "0,00"),
        (-0.0, None, "0"),
        (0, 2, "0,00"),
        (2.675, 2, "2,68"),  # float read through str: no binary rounding surprise
        (Decimal("2.665"), 2, "2,67"),  # half up, not half even
        (Decimal("0.5"), 0, "1"),
        (Decimal("1.5"), 0, "2"),
        (Decimal("2.5"), 0, "3"),
        (Decimal("-2.5"), 0, "-3"),
        (999, None, "999"),
        (1234567.891, None, "1.234.567,891"),
        (10**18, None, "1.000.000.000.000.000.000"),
        (Decimal("12345678901234567890.25"), 1, "12.345.678.901.234.567.890,3"),
        (0.1 + 0.2, None, "0,30000000000000004"),
        (Decimal("1E+3"), None, "1.000"),
        (Decimal("1E-7"), None, "0,0000001"),
    ],
)
def test_so(value: Any, le: int | None, expected: str) -> None:
    assert so(value, le) == expected


def test_so_without_grouping_for_years_and_codes() -> None:
    assert so(2024, nhom=False) == "2024"
    assert so(Decimal("1234567.5"), nhom=False) == "1234567,5"


@pytest.mark.parametrize(
    ("value", "le", "expected"),
    [
        (0.256, 1, "25,6%"),
        (0.8, 0, "80%"),
        (1, 1, "100,0%"),
        (Decimal("0.12345"), 2, "12,35%"),
        (Decimal("0.9876"), 1, "98,8%"),
        (Decimal("0.125"), 0, "13%"),
        (Decimal("-0.05"), 1, "-5,0%"),
        (Decimal("0.125"), None, "12,5%"),
        (12.5, 0, "1.250%"),
    ],
)
def test_phan_tram(value: Any, le: int | None, expected: str) -> None:
    assert phan_tram(value, le) == expected


@pytest.mark.parametrize(
    "bad", [True, False, None, "1000", "1.000", float("nan"), float("inf"), -float("inf"),
            Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), [1], 1j, b"1"],
)  # fmt: skip
def test_bad_numbers_raise_value_error_naming_the_value(bad: object) -> None:
    for func in (so, phan_tram, tien, doc_so, tien_bang_chu):
        with pytest.raises(ValueError) as info:
            func(bad)  # type: ignore[operator]
        assert repr(bad)[:20] in str(info.value)


@pytest.mark.parametrize("le", [-1, 31, 1.5, "2", True])
def test_bad_places(le: object) -> None:
    with pytest.raises(ValueError, match="le="):
        so(1, le)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="le="):
        phan_tram(1, le)  # type: ignore[arg-type]


@pytest.mark.parametrize("amount", [1234.5, Decimal("0.01"), Decimal("1490000.5")])
def test_money_must_be_whole_dong(amount: object) -> None:
    with pytest.raises(ValueError, match="đồng nguyên"):
        tien(amount)  # type: ignore[arg-type]


def test_money_accepts_integral_decimal_and_float() -> None:
    assert tien(Decimal("1490000.00")) == "1.490.000 đồng"
    assert tien(1490000.0) == "1.490.000 đồng"


def test_too_large_and_too_precise() -> None:
    with pytest.raises(ValueError, match="quá lớn"):
        so(10**30)
    with pytest.raises(ValueError, match="quá lớn"):
        so(Decimal("1E+40"))
    with pytest.raises(ValueError, match="chữ số thập phân"):
        so(Decimal("1E-40"))
    assert so(Decimal("1E-40"), le=2) == "0,00"


@settings(max_examples=300, deadline=None, database=None)
@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=3, min_value=-(10**15), max_value=10**15
    )
)
def test_so_round_trips(value: Decimal) -> None:
    text = so(value)
    parsed = Decimal(text.replace(".", "").replace(",", "."))
    assert parsed == value
    integer = text.lstrip("-").split(",")[0]
    groups = integer.split(".")
    assert all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3


# ---------------------------------------------------------------------------------------------
# Identity with babel. pipeline.vi.numbers parses babel's patterns once and lays the digits out
# itself; these properties compare it with babel's own format_decimal, called the way the module
# called it before (a pattern string and the locale name for every number), over wide ranges.

_REF_CTX = Context(prec=100, rounding=ROUND_HALF_UP, Emax=MAX_EMAX, Emin=MIN_EMIN)
_PLACES = [None, *range(31)]  # every le= the filters accept


def _babel(number: Decimal, pattern: str, locale: str = "vi") -> str:
    with localcontext(_REF_CTX):
        text: str = format_decimal(
            number, format=pattern, locale=locale, decimal_quantization=False
        )
    return text


def _reference_so(value: object, le: int | None, nhom: bool = True) -> str:
    """so() as it was: Decimal rounding, then babel's format_decimal for the digits."""
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)  # type: ignore[arg-type]
    with localcontext(_REF_CTX):
        if le is not None:
            rounded = number.quantize(Decimal(1).scaleb(-le), rounding=ROUND_HALF_UP)
        elif number == number.to_integral_value():
            rounded = number.quantize(Decimal(1))
        else:
            rounded = number.normalize()
        if rounded.is_zero():
            rounded = rounded.copy_abs()
    exponent = rounded.as_tuple().exponent
    assert isinstance(exponent, int)
    places = max(0, -exponent)
    pattern = ("#,##0" if nhom else "0") + ("." + "0" * places if places else "")
    return _babel(rounded, pattern)


def _too_precise(value: object) -> bool:
    """Whether so(value) without le= must refuse: more than 30 decimals once normalised."""
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)  # type: ignore[arg-type]
    with localcontext(_REF_CTX):
        if number == number.to_integral_value():
            return False
        exponent = number.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    return -exponent > 30


@st.composite
def _decimals(draw: st.DrawFn, max_int_digits: int = 30) -> Decimal:
    """Finite decimals below 10**max_int_digits in size, with 0 to 40 decimals, any sign,
    trailing zeros or not, positive exponents too (1E+3), and both zeros (0, -0, -0.000)."""
    exponent = draw(st.integers(-40, max_int_digits - 1))
    digits = draw(st.integers(0, max(0, max_int_digits - exponent)))
    coefficient = draw(st.integers(0, 10**digits - 1)) if digits else 0
    number = Decimal(coefficient).scaleb(exponent, context=_REF_CTX)
    if number.adjusted() >= max_int_digits:
        number = Decimal(0).scaleb(exponent, context=_REF_CTX)
    return number.copy_negate() if draw(st.booleans()) else number


_NUMBERS = st.one_of(
    _decimals(),
    st.integers(-(10**30) + 1, 10**30 - 1),
    st.integers(-(10**7), 10**7),  # the sizes documents print: 1.000, 1.490.000
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e29, max_value=1e29),
    st.sampled_from([0, 0.0, -0.0, Decimal("-0"), Decimal("-0.000"), Decimal("0E+5"),
                     Decimal("1E+29"), Decimal("-999999999999999999999999999999.5"),
                     Decimal("0.005"), Decimal("-0.005"), Decimal("2.675"), 1e-7, 5e-324]),
)  # fmt: skip


@settings(max_examples=1500, deadline=None, database=None)
@given(_NUMBERS, st.sampled_from(_PLACES), st.booleans())
def test_so_gives_babels_strings(value: Any, le: int | None, nhom: bool) -> None:
    if le is None and _too_precise(value):
        with pytest.raises(ValueError, match="chữ số thập phân"):
            so(value, le, nhom=nhom)
        return
    assert so(value, le, nhom=nhom) == _reference_so(value, le, nhom)


@settings(max_examples=500, deadline=None, database=None)
@given(st.one_of(_decimals(max_int_digits=27), st.floats(-1e26, 1e26)), st.sampled_from(_PLACES))
def test_phan_tram_gives_babels_strings(value: Any, le: int | None) -> None:
    # Scaled exactly (the default context would round at 28 digits; phan_tram does not).
    exact = Context(prec=200)
    percent = (Decimal(repr(value)) if isinstance(value, float) else value).scaleb(2, exact)
    if le is None and _too_precise(percent):
        with pytest.raises(ValueError, match="chữ số thập phân"):
            phan_tram(value, le)
        return
    assert phan_tram(value, le) == _reference_so(percent, le) + "%"


@settings(max_examples=300, deadline=None, database=None)
@given(st.integers(-(10**30) + 1, 10**30 - 1))
def test_tien_gives_babels_strings(amount: int) -> None:
    assert tien(amount) == _reference_so(amount, None) + " đồng"


_PATTERNS = st.one_of(
    st.builds(lambda g, n: ("#,##0" if g else "0") + ("." + "0" * n if n else ""),
              st.booleans(), st.integers(0, 30)),
    st.sampled_from(["#,##0.##", "#,##0.0#", "#,##,##0.###", "0000.00", "#,##0.00;(#,##0.00)",
                     "'N'#,##0.0' đ'", "#", "#,###", "00"]),
)  # fmt: skip


@settings(max_examples=1500, deadline=None, database=None)
@given(_decimals(), _PATTERNS, st.sampled_from(["vi", "en", "fr", "de_CH", "hi", "vi_VN"]))
def test_number_format_is_babels_format_decimal(number: Decimal, pattern: str, locale: str) -> None:
    """Any finite Decimal (trailing zeros, -0, 1E+3…), plain patterns, several locales."""
    assert NumberFormat.parse(pattern, locale).apply(number) == _babel(number, pattern, locale)


@pytest.mark.parametrize("pattern", ["#,##0%", "#,##0‰", "0.###E0", "@@@"])
def test_number_format_refuses_patterns_babel_scales_or_rounds(pattern: str) -> None:
    with pytest.raises(ValueError, match="unsupported"):
        NumberFormat.parse(pattern, "vi")
