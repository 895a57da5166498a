"""What a cell's style says about its value: its font's name and whether it holds a date.

Pure: no I/O, no openpyxl (reading a workbook imports no part of it). :func:`read_styles` reads
the stylesheet part (ECMA-376 Part 1, §18.8: ``numFmts`` §18.8.31, ``fonts`` §18.8.23,
``cellXfs`` §18.8.10) the way openpyxl's ``Stylesheet`` does (the reference the tests compare
it with): the ``n``-th ``xf`` of ``cellXfs`` is the style of a cell with ``s="n"``, its
``fontId`` indexes the children of ``fonts`` (their ``name``'s ``val``), its ``numFmtId`` a
custom ``numFmt`` of ``numFmts`` or a built-in format (§18.8.30), and a format is a date or time
format when its first section, without quoted literals and ``[…]`` locale or colour parts, has a
``d m h y s`` that is not escaped (openpyxl's ``is_date_format``), a duration when it has an
elapsed ``[h]``, ``[m]`` or ``[s]`` part. Where one element is repeated, the last one counts.

:func:`from_excel` turns a serial into a date, time or duration as openpyxl's function of that
name does, with Excel's calendars: from 1899-12-30 with the 1900 leap-year bug (serials below
60 count from 1899-12-31, so 1 is 1900-01-01 and 61 is 1900-03-01), or from 1904-01-01 for a
workbook saved with ``date1904``. :func:`from_iso8601` reads a ``t="d"`` cell (§18.17.4).
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

__all__ = [
    "MAC_EPOCH",
    "WINDOWS_EPOCH",
    "Styles",
    "from_excel",
    "from_iso8601",
    "is_date_format",
    "is_timedelta_format",
    "read_styles",
]

WINDOWS_EPOCH = dt.datetime(1899, 12, 30)
MAC_EPOCH = dt.datetime(1904, 1, 1)
_SECONDS_PER_DAY = 86400

#: The built-in number formats a style may name by id alone (§18.8.30); the ids whose format
#: is a date, a time or a duration are the only ones that matter here.
_BUILTIN_FORMATS = {
    14: "mm-dd-yy",
    15: "d-mmm-yy",
    16: "d-mmm",
    17: "mmm-yy",
    18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM",
    20: "h:mm",
    21: "h:mm:ss",
    22: "m/d/yy h:mm",
    45: "mm:ss",
    46: "[h]:mm:ss",
    47: "mmss.0",
}
_STRIP = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_PART = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_ELAPSED = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)


def is_date_format(code: str | None) -> bool:
    """Whether a number format shows a date or a time (openpyxl's ``is_date_format``).

    >>> is_date_format("dd/mm/yyyy"), is_date_format("#,##0"), is_date_format('0 "ngày"')
    (True, False, False)
    """
    if code is None:
        return False
    return _DATE_PART.search(_STRIP.sub("", code.split(";")[0])) is not None


def is_timedelta_format(code: str | None) -> bool:
    """Whether a number format shows elapsed time (``[h]:mm``; openpyxl's function).

    >>> is_timedelta_format("[h]:mm:ss"), is_timedelta_format("h:mm")
    (True, False)
    """
    return code is not None and _ELAPSED.search(code.split(";")[0]) is not None


@dataclass(frozen=True, slots=True)
class Styles:
    """By cell style (a cell's ``s``): the name of its font (``None``: no name), and, for a
    date style only, whether it is a duration."""

    fonts: tuple[str | None, ...] = ()
    dates: dict[int, bool] | None = None


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _int(text: str | None, default: int | None) -> int | None:
    """An integer attribute as openpyxl converts one: ``int()`` of the text (``ValueError``
    for anything else, which makes the stylesheet unreadable), ``default`` when absent."""
    return default if text is None else int(text)


def read_styles(xml: bytes) -> Styles:
    """The styles of the stylesheet ``xml``; ``ET.ParseError`` or ``ValueError`` when it is
    not XML or a needed number (``numFmtId``, ``fontId``) is not an integer."""
    root = ET.fromstring(xml)
    custom: dict[int, str] = {}
    font_names: list[str | None] = []
    xfs: list[ET.Element] = []
    for part in root:
        name = _local(part.tag)
        if name == "numFmts":
            custom = {}
            for n in part:
                if _local(n.tag) == "numFmt":
                    number, code = _int(n.get("numFmtId"), None), n.get("formatCode")
                    if number is None or code is None:  # openpyxl refuses the stylesheet
                        raise ValueError("numFmt without numFmtId or formatCode")
                    custom[number] = code
        elif name == "fonts":
            font_names = [_font_name(font) for font in part]
        elif name == "cellXfs":
            xfs = [xf for xf in part if _local(xf.tag) == "xf"]
    fonts: list[str | None] = []
    dates: dict[int, bool] = {}
    for index, xf in enumerate(xfs):
        font = _int(xf.get("fontId"), 0)
        number = _int(xf.get("numFmtId"), 0)
        assert font is not None and number is not None
        fonts.append(font_names[font] if 0 <= font < len(font_names) else None)
        code = custom[number] if number in custom else _BUILTIN_FORMATS.get(number)
        if is_date_format(code):
            dates[index] = is_timedelta_format(code)
    return Styles(tuple(fonts), dates)


def _font_name(font: ET.Element) -> str | None:
    """The font's ``name`` (the last one, as openpyxl keeps it)."""
    name: str | None = None
    for child in font:
        if _local(child.tag) == "name":
            name = child.get("val")
    return name


def from_excel(value: float, epoch: dt.datetime = WINDOWS_EPOCH, timedelta: bool = False) -> object:
    """The date, time (a serial below 1) or datetime of an Excel serial, or the duration
    (``timedelta=True``), to the millisecond, as openpyxl's ``from_excel`` reads it;
    ``OverflowError`` or ``ValueError`` for a serial outside the calendar.

    >>> from_excel(1), from_excel(60), from_excel(61), from_excel(0.5)
    (datetime.datetime(1900, 1, 1, 0, 0), datetime.datetime(1900, 2, 28, 0, 0), \
datetime.datetime(1900, 3, 1, 0, 0), datetime.time(12, 0))
    >>> from_excel(0, MAC_EPOCH), from_excel(1.5, timedelta=True)
    (datetime.time(0, 0), datetime.timedelta(days=1, seconds=43200))
    """
    if timedelta:
        td = dt.timedelta(days=value)
        if td.microseconds:  # round to the millisecond
            td = dt.timedelta(
                seconds=td.total_seconds() // 1, microseconds=round(td.microseconds, -3)
            )
        return td
    day, fraction = divmod(value, 1)
    diff = dt.timedelta(milliseconds=round(fraction * _SECONDS_PER_DAY * 1000))
    if 0 <= value < 1 and diff.days == 0:
        minutes, seconds = divmod(diff.seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return dt.time(hours, minutes, seconds, diff.microseconds)
    if 0 < value < 60 and epoch == WINDOWS_EPOCH:
        day += 1  # Excel's 29 February 1900, which never was
    return epoch + dt.timedelta(days=day) + diff


_ISO = re.compile(
    r"(?P<date>(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2}))?T?"
    r"(?P<time>(?P<hour>\d{2}):(?P<minute>\d{2})(:(?P<second>\d{2})(?P<microsecond>\.\d{1,3})?)?)?Z?"
)
_ISO_DURATION = re.compile(
    r"PT((?P<hours>\d+)H)?((?P<minutes>\d+)M)?((?P<seconds>\d+(\.\d{1,3})?)S)?"
)


def from_iso8601(text: str) -> object:
    """A ``t="d"`` cell's date, time, datetime or duration, as openpyxl's ``from_ISO8601``
    reads it (``None`` for ``""``); ``ValueError`` for anything else.

    >>> from_iso8601("2014-01-15"), from_iso8601("2014-01-15T08:30:00Z")
    (datetime.date(2014, 1, 15), datetime.datetime(2014, 1, 15, 8, 30))
    >>> from_iso8601("08:30"), from_iso8601("PT1H30M")
    (datetime.time(8, 30), datetime.timedelta(seconds=5400))
    """
    if not text:
        return None
    match = _ISO.match(text)
    if match and any(match.groups()):
        parts: dict[str, int] = {}
        for key in ("year", "month", "day", "hour", "minute", "second"):
            found = match.group(key)
            parts[key] = int(found) if found else 0
        micro = match.group("microsecond")
        microsecond = int(float(micro) * 1_000_000) if micro else 0
        if not match.group("date"):
            return dt.time(parts["hour"], parts["minute"], parts["second"], microsecond)
        if not match.group("time"):
            return dt.date(parts["year"], parts["month"], parts["day"])
        return dt.datetime(
            parts["year"],
            parts["month"],
            parts["day"],
            parts["hour"],
            parts["minute"],
            parts["second"],
            microsecond,
        )
    match = _ISO_DURATION.match(text)
    if match and any(match.groups()):
        hours, minutes, seconds = (match.group(k) for k in ("hours", "minutes", "seconds"))
        return dt.timedelta(
            hours=float(hours) if hours else 0,
            minutes=float(minutes) if minutes else 0,
            seconds=float(seconds) if seconds else 0,
        )
    raise ValueError(f"Invalid datetime value {text}")
