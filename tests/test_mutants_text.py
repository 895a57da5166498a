"""Behaviour of the text steps that the other tests left unstated (found by mutation testing).

- :func:`pipeline.documents.finishing.post_process` says whether the rendered part must be
  parsed strictly: when docxtpl's listing characters were expanded (the XML changed shape), or
  when ``\\a`` or ``\\f`` are left where docxtpl does not expand them (outside a run's text),
  which XML 1.0 forbids; never when nothing changed (its docstring, and XML 1.0: a line break
  between elements is plain white space).
- :func:`pipeline.vi.words.thu_hang` reads a rank past Mười as :func:`doc_so` does by default:
  104 is "một trăm linh bốn" (``/work/shared/reference/vi-formatting.md``, table 4.2, #16), not
  the variant "linh tư".
- :func:`pipeline.vi.dates.as_time` takes an ISO date and time that writes the hour only
  (``2014-01-10T14``, ISO 8601 and :meth:`datetime.fromisoformat` allow it) as a time of day.
- :func:`pipeline.workbook.values.date_value` accepts both ends of its range, 01/01/1900 and
  31/12/2199 (docs/workbook.md: "từ 01/01/1900 đến 31/12/2199"), and refuses the days beyond.
"""

from __future__ import annotations

from datetime import date, time

import pytest

from pipeline.documents.finishing import post_process
from pipeline.vi.dates import as_time
from pipeline.vi.words import thu_hang
from pipeline.workbook.values import ParseError, date_value

# --- finishing: whether the strict parse is needed --------------------------------------------


def test_a_part_without_listing_characters_needs_no_parse() -> None:
    part = b"<w:p><w:r><w:t>a</w:t></w:r></w:p>"
    assert post_process(part) == (part, False)


def test_a_line_break_in_a_runs_text_is_expanded_and_the_part_parsed() -> None:
    data, parse = post_process(b"<w:p><w:r><w:t>a\nb</w:t></w:r></w:p>")
    assert b"<w:br/>" in data and b"\n" not in data
    assert parse


def test_a_line_break_between_elements_is_left_and_needs_no_parse() -> None:
    part = b"<w:body>\n<w:p/></w:body>"  # XML white space: nothing to expand, nothing broken
    assert post_process(part) == (part, False)


@pytest.mark.parametrize("char", [b"\a", b"\f"])
def test_a_bell_or_form_feed_outside_a_run_is_left_and_the_part_parsed(char: bytes) -> None:
    part = b"<w:body>" + char + b"<w:p/></w:body>"  # XML 1.0 forbids the character
    assert post_process(part) == (part, True)


# --- words: a rank past Mười ------------------------------------------------------------------


def test_a_rank_past_ten_reads_four_as_bon_after_linh() -> None:
    assert thu_hang(104) == "thứ Một trăm linh bốn"


# --- dates: a time written with the hour only -------------------------------------------------


@pytest.mark.parametrize("text", ["2014-01-10T14", "20140110T14"])
def test_an_iso_date_and_hour_is_a_time_of_day(text: str) -> None:
    assert as_time(text, "gio") == time(14, 0)


# --- values: both ends of the date range ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"), [("01/01/1900", date(1900, 1, 1)), ("31/12/2199", date(2199, 12, 31))]
)
def test_the_first_and_last_dates_are_accepted(text: str, day: date) -> None:
    assert date_value(text) == day


@pytest.mark.parametrize("text", ["31/12/1899", "01/01/2200"])
def test_a_day_just_outside_the_range_is_refused(text: str) -> None:
    with pytest.raises(ParseError):
        date_value(text)
