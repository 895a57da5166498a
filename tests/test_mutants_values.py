"""The pure value parsers on the cell values openpyxl gives and the text people type.

Each case states what a cell means (a time cell, a duration, a date typed as text, an unusual
cell object); expectations follow the workbook conventions in docs/workbook.md: times are read to
the minute, anything that is not the kind of value asked for is refused with a Vietnamese
message saying what the cell holds.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest

from pipeline.workbook.values import MAX_NUMBER, ParseError, date_value, number_value, time_value


class _RichText:
    """Stands for a cell object that is neither a number, a date nor text (a rich-text or array
    formula object of openpyxl)."""


# --- times ----------------------------------------------------------------------------------


def test_a_date_and_time_cell_gives_its_time_to_the_minute() -> None:
    assert time_value(datetime(2025, 3, 14, 14, 30, 45, 500)) == time(14, 30)
    assert time_value(datetime(2025, 3, 14, 8, 5, 1)) == time(8, 5)


@pytest.mark.parametrize(
    ("duration", "expected"),
    [
        (timedelta(hours=14, minutes=30), time(14, 30)),
        (timedelta(hours=7, minutes=59, seconds=59), time(7, 59)),  # seconds dropped
        (timedelta(0), time(0, 0)),  # midnight, the first minute of the day
        (timedelta(hours=23, minutes=59), time(23, 59)),
        (timedelta(hours=14, minutes=5), time(14, 5)),  # 845 minutes: 14 h, not 845 // 61
    ],
)
def test_a_duration_cell_within_one_day_is_a_time_of_day(
    duration: timedelta, expected: time
) -> None:
    # A cell formatted [h]:mm reaches openpyxl as a timedelta.
    assert time_value(duration) == expected


@pytest.mark.parametrize(
    "duration",
    [timedelta(days=1), timedelta(days=1, hours=3), timedelta(minutes=-30)],
)
def test_a_duration_of_a_day_or_more_or_negative_is_not_a_time(duration: timedelta) -> None:
    with pytest.raises(ParseError) as caught:
        time_value(duration)
    assert caught.value.message == "Ô không chứa giờ"
    assert "14:00" in caught.value.hint


@pytest.mark.parametrize("value", [14, 14.5, Decimal("14"), True, date(2025, 3, 14), _RichText()])
def test_a_cell_that_is_not_a_time_is_refused(value: object) -> None:
    with pytest.raises(ParseError) as caught:
        time_value(value)
    assert caught.value.message == "Ô không chứa giờ"


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["hôm qua", "10/01", "2014", "10-01-14"])
def test_text_that_is_no_date_says_so(typed: str) -> None:
    with pytest.raises(ParseError) as caught:
        date_value(typed)
    assert caught.value.message == f"“{typed}” không phải là ngày"
    assert "dd/mm/yyyy" in caught.value.hint


@pytest.mark.parametrize("value", [41649, 41649.5, Decimal("41649")])
def test_a_number_cell_is_not_a_date(value: object) -> None:
    # An Excel serial date left in a General cell: the hint says to format it as a date.
    with pytest.raises(ParseError) as caught:
        date_value(value)
    assert caught.value.message == "Ô chứa số, không phải ngày"
    assert "Format Cells › Date" in caught.value.hint


@pytest.mark.parametrize("value", [True, time(8, 0), _RichText()])
def test_a_cell_that_is_not_a_date_is_refused(value: object) -> None:
    with pytest.raises(ParseError) as caught:
        date_value(value)
    assert caught.value.message == "Ô không chứa ngày"


# --- numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_a_float_that_is_no_finite_number_says_so(value: float) -> None:
    with pytest.raises(ParseError) as caught:
        number_value(value)
    assert caught.value.message == "Ô chứa số không hữu hạn"


@pytest.mark.parametrize("value", [None, _RichText(), [1]])
def test_a_cell_that_is_no_number_is_refused(value: object) -> None:
    with pytest.raises(ParseError) as caught:
        number_value(value)
    assert caught.value.message == "Ô không chứa số"


def test_thirteen_integer_digits_are_a_typing_mistake() -> None:
    # MAX_NUMBER is 10^12: 999.999.999.999 (twelve digits) is still a sum of money, a thirteen-
    # digit number, 10^12 itself included, is refused.
    assert Decimal(10) ** 12 == MAX_NUMBER
    assert number_value(999_999_999_999) == Decimal("999999999999")
    assert number_value("999.999.999.999") == Decimal("999999999999")
    for value in (10**12, "1.000.000.000.000", Decimal(10) ** 12, -(10**12), 1e12):
        with pytest.raises(ParseError) as caught:
            number_value(value)
        assert "quá lớn để là điểm hay số tiền" in caught.value.message
