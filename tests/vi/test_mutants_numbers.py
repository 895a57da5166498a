"""Behaviour of ``pipeline.vi.numbers`` that the mutation run found untested.

- ``check_places`` accepts every ``int`` from 0 to 30, an ``int`` subclass too (only ``bool``
  is refused), and nothing outside that range;
- ``_plain_symbols``: the ``vi`` patterns are plain, so the fast digit layout is taken with the
  CLDR symbols (``.`` between thousands, ``,`` before decimals), and patterns that are not plain
  (a prefix, a suffix, no integer digit, other grouping, fixed or optional decimals, quotes) are
  refused by the check, one fault at a time;
- the memo of :func:`so`: it keeps the text for ``int`` and ``Decimal`` keys, never for a
  ``float`` or a ``bool`` (which compare equal to other keys), and holds at most
  ``_DIGITS_KEPT`` entries.

Expected values come from the docstrings and from babel's CLDR ``vi`` data, not from running
the code.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

from pipeline.vi import numbers
from pipeline.vi.numbers import NumberFormat, check_places, so


class Places(int):
    """An ``int`` subclass (an ``IntEnum`` member, say): a number of places like any ``int``."""


@pytest.mark.parametrize("le", [0, 1, 29, 30])
def test_check_places_accepts_int_subclasses_from_0_to_30(le: int) -> None:
    assert check_places(Places(le), "so") == le


@pytest.mark.parametrize("le", [-1, 31])
def test_check_places_refuses_int_subclasses_outside_0_to_30(le: int) -> None:
    with pytest.raises(ValueError, match="phải là số nguyên từ 0 đến 30"):
        check_places(Places(le), "so")


def test_so_with_int_subclass_places() -> None:
    assert so(Decimal("2.5"), le=Places(0)) == "3"
    assert so(Decimal("2.675"), le=Places(2)) == "2,68"
    assert so(Decimal(1), le=Places(30)) == "1," + "0" * 30


# --- _plain_symbols -----------------------------------------------------------------------


@pytest.mark.parametrize("nhom", [True, False])
def test_vi_patterns_are_plain_and_take_the_cldr_symbols(nhom: bool) -> None:
    expected = (get_group_symbol("vi"), get_decimal_symbol("vi"))
    assert expected == (".", ",")
    numbers._plain_symbols.cache_clear()
    try:
        assert numbers._plain_symbols(nhom) == expected
    finally:
        numbers._plain_symbols.cache_clear()


def _with_patterns(
    monkeypatch: pytest.MonkeyPatch, with_decimals: str, without: str, locale: str = "vi"
) -> None:
    """Make ``_number_format`` give these patterns for 1 and 0 decimals."""

    def fake(nhom: bool, places: int) -> NumberFormat:
        assert places in (0, 1)
        return NumberFormat.parse(with_decimals if places else without, locale)

    monkeypatch.setattr(numbers, "_number_format", fake)


_PLAIN_GROUPED = ("#,##0.0", "#,##0")
_PLAIN_UNGROUPED = ("0.0", "0")


@pytest.mark.parametrize(("nhom", "patterns"), [(True, _PLAIN_GROUPED), (False, _PLAIN_UNGROUPED)])
def test_plain_patterns_give_their_symbols(
    monkeypatch: pytest.MonkeyPatch, nhom: bool, patterns: tuple[str, str]
) -> None:
    _with_patterns(monkeypatch, *patterns, locale="de")  # de: also "." and ","
    assert numbers._plain_symbols.__wrapped__(nhom) == (".", ",")
    _with_patterns(monkeypatch, *patterns, locale="en")
    assert numbers._plain_symbols.__wrapped__(nhom) == (",", ".")


@pytest.mark.parametrize(
    ("nhom", "with_decimals", "without"),
    [
        # a prefix before positive numbers, in one of the two patterns
        (True, "+#,##0.0;-#,##0.0", "#,##0"),
        (True, "#,##0.0", "+#,##0;-#,##0"),
        # negative numbers in brackets: other prefix and a suffix
        (True, "#,##0.0;(#,##0.0)", "#,##0"),
        # a suffix only
        (True, "#,##0.0 X", "#,##0"),
        (False, "0.0", "0 X"),
        # no integer digit (".5"), or two ("05")
        (True, "#,##0.0", "#,###"),
        (True, "#,##00.0", "#,##0"),
        (False, "#.0", "0"),
        # grouping other than by three, or grouping when nhom is off, or none when it is on
        (True, "#,##,##0.0", "#,##0"),
        (True, "#,##0.0", "#,###0"),
        (True, "0.0", "#,##0"),
        (False, "0.0", "#,##0"),
        (False, "#,##0.0", "0"),
        # something babel unquotes
        (True, "#,##0.0'x'", "#,##0"),
        (True, "''#,##0.0", "#,##0"),
        # decimals where there should be none, or not exactly one fixed decimal
        (True, "#,##0.0", "#,##0.0"),
        (True, "#,##0.0", "#,##0.#"),
        (True, "#,##0.00", "#,##0"),
        (True, "#,##0.#", "#,##0"),
        (False, "0.0", "0.#"),
        (False, "0.00", "0"),
    ],
)
def test_patterns_that_are_not_plain_are_refused(
    monkeypatch: pytest.MonkeyPatch, nhom: bool, with_decimals: str, without: str
) -> None:
    _with_patterns(monkeypatch, with_decimals, without)
    assert numbers._plain_symbols.__wrapped__(nhom) is None


def test_fast_digits_are_babels() -> None:
    """The fast path (taken for vi, see above) gives format_decimal's digits."""
    for value in (Decimal("-1234567.25"), Decimal("0.5"), Decimal(1000), Decimal(-7)):
        places = max(0, -int(value.as_tuple().exponent))
        pattern = "#,##0" + ("." + "0" * places if places else "")
        assert so(value) == format_decimal(value, format=pattern, locale="vi")
        assert so(value, nhom=False) == format_decimal(
            value, format=pattern.replace("#,##", ""), locale="vi"
        )


# --- the memo of so() ---------------------------------------------------------------------


@pytest.fixture
def memo() -> Iterator[dict[tuple[object, object, bool], str]]:
    numbers._DIGITS.clear()
    yield numbers._DIGITS
    numbers._DIGITS.clear()


def test_memo_keeps_texts_for_int_and_decimal_keys(
    memo: dict[tuple[object, object, bool], str],
) -> None:
    assert so(1490000) == "1.490.000"
    assert so(Decimal("973.5"), le=2) == "973,50"
    assert so(2024, nhom=False) == "2024"
    assert memo == {
        (1490000, None, True): "1.490.000",
        (Decimal("973.5"), 2, True): "973,50",
        (2024, None, False): "2024",
    }


def test_memo_keeps_no_float_or_bool(memo: dict[tuple[object, object, bool], str]) -> None:
    assert so(0.5) == "0,5"
    assert so(1.0, le=1) == "1,0"
    with pytest.raises(ValueError):
        so(True)
    with pytest.raises(ValueError):
        so(1, le=True)
    assert memo == {}


def test_an_equal_float_does_not_answer_for_a_decimal(
    memo: dict[tuple[object, object, bool], str],
) -> None:
    # 0.1 is read through str ("0,1"); Decimal.from_float(0.1), equal to that float, has 55 decimals
    assert so(0.1) == "0,1"
    with pytest.raises(ValueError, match="quá nhiều chữ số thập phân"):
        so(Decimal.from_float(0.1))


def test_an_earlier_int_does_not_answer_for_a_bool(
    memo: dict[tuple[object, object, bool], str],
) -> None:
    for value in (1, 1.0, Decimal(1)):
        assert so(value) == "1"
        with pytest.raises(ValueError, match="không phải là số"):
            so(True)
    assert so(Decimal("2.5"), le=Places(0)) == "3"
    with pytest.raises(ValueError, match="le=False"):
        so(Decimal("2.5"), le=False)


def test_memo_holds_at_most_digits_kept_entries(
    memo: dict[tuple[object, object, bool], str],
) -> None:
    for value in range(numbers._DIGITS_KEPT + 2):
        so(value)
        assert len(memo) <= numbers._DIGITS_KEPT
    assert so(numbers._DIGITS_KEPT + 1) == format_decimal(numbers._DIGITS_KEPT + 1, locale="vi")
