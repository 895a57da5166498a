"""Dates, weekdays and times of day as official documents write them.

Pure: no I/O, no clock, no locale. NĐ 30/2020 Phụ lục I, II.4.b: the date is written in full in
Arabic digits, and a day below 10 and the months 1 and 2 get a leading zero (``ngày 05 tháng 01
năm 2014``, ``ngày 10 tháng 8 năm 2021``). No CLDR pattern does this, hence the small functions
here. Weekdays are written ``thứ Hai`` … ``thứ Bảy``, ``Chủ nhật`` mid-sentence (Phụ lục II,
V.8.c). Times of day use the 24-hour clock with two-digit minutes: ``14 giờ 00 phút``.

Dates are ``datetime.date`` or ``datetime.datetime`` values, or ISO strings (``"2014-01-10"``);
times are ``datetime.time`` or ``datetime.datetime`` values, or ISO strings (``"14:00"``).
Anything else raises ``ValueError`` naming the value.
"""

from __future__ import annotations

from datetime import date, datetime, time

from pipeline.vi._util import require_bool, require_str, show
from pipeline.vi.text import normalize

_WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def as_date(value: object, func: str) -> date:
    """A ``date`` from a date, a datetime (its date part) or an ISO date string.

    >>> as_date("2014-01-10", "ngay_thang_nam")
    datetime.date(2014, 1, 10)
    >>> as_date(datetime(2014, 1, 10, 14, 0), "ngay_thang_nam")
    datetime.date(2014, 1, 10)
    >>> as_date("10/01/2014", "ngay_thang_nam")
    Traceback (most recent call last):
    ...
    ValueError: ngay_thang_nam: '10/01/2014' không phải là ngày (cần date hoặc chuỗi 'YYYY-MM-DD')
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
        try:
            return datetime.fromisoformat(text).date()
        except ValueError:
            pass
    raise ValueError(f"{func}: {show(value)} không phải là ngày (cần date hoặc chuỗi 'YYYY-MM-DD')")


def as_time(value: object, func: str) -> time:
    """A ``time`` from a time, a datetime (its time part) or an ISO time string.

    >>> as_time("08:05", "gio")
    datetime.time(8, 5)
    >>> as_time("2014-01-10T14:30", "gio")
    datetime.time(14, 30)
    >>> as_time(date(2014, 1, 10), "gio")
    Traceback (most recent call last):
    ...
    ValueError: gio: datetime.date(2014, 1, 10) không phải là giờ (cần time hoặc chuỗi 'HH:MM')
    >>> as_time("2014-01-10", "gio")
    Traceback (most recent call last):
    ...
    ValueError: gio: '2014-01-10' là một ngày, không phải giờ (cần time hoặc chuỗi 'HH:MM')
    """
    if isinstance(value, datetime):
        return value.time()
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return time.fromisoformat(text)
        except ValueError:
            pass
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            pass
        else:
            if _has_time(text):
                return moment.time()
            raise ValueError(
                f"{func}: {show(value)} là một ngày, không phải giờ (cần time hoặc chuỗi 'HH:MM')"
            )
    raise ValueError(f"{func}: {show(value)} không phải là giờ (cần time hoặc chuỗi 'HH:MM')")


def _has_time(text: str) -> bool:
    """Whether an ISO date-and-time string writes a time of day (``2014-01-10T14:00``), not just
    a date (``2014-01-10``, which :meth:`datetime.fromisoformat` reads as midnight)."""
    return ":" in text or len(text) > 10


def ngay_thang_nam(d: date | str) -> str:
    """The administrative date phrase (NĐ 30, II.4.b).

    >>> ngay_thang_nam(date(2014, 1, 10))
    'ngày 10 tháng 01 năm 2014'
    >>> ngay_thang_nam(date(2021, 8, 6))
    'ngày 06 tháng 8 năm 2021'
    >>> ngay_thang_nam("2023-02-28")
    'ngày 28 tháng 02 năm 2023'
    """
    return _phrase(as_date(d, "ngay_thang_nam"))


def _phrase(day: date) -> str:
    """``ngày 10 tháng 01 năm 2014`` for a date already read (by the caller's filter)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def dia_danh_ngay(d: date | str, place: str) -> str:
    """The place-and-date line of a document header: ``Lạng Sơn, ngày 10 tháng 01 năm 2014``.

    ``place`` is written as given (capitalised per NĐ 30), after NFC and space clean-up.

    >>> dia_danh_ngay(date(2014, 1, 10), "Lạng Sơn")
    'Lạng Sơn, ngày 10 tháng 01 năm 2014'
    >>> dia_danh_ngay(date(2014, 1, 10), " ")
    Traceback (most recent call last):
    ...
    ValueError: dia_danh_ngay: ' ' không phải là địa danh (chuỗi rỗng)
    """
    name = normalize(require_str(place, "dia_danh_ngay", "địa danh"))
    if not name:
        raise ValueError(f"dia_danh_ngay: {show(place)} không phải là địa danh (chuỗi rỗng)")
    return f"{name}, {_phrase(as_date(d, 'dia_danh_ngay'))}"


def thu(d: date | str, *, dau_cau: bool = False) -> str:
    """The weekday as written mid-sentence: ``thứ Hai`` … ``thứ Bảy``, ``Chủ nhật``.

    ``dau_cau=True`` capitalises it for the start of a sentence (``Thứ Sáu``).

    >>> thu(date(2014, 1, 10)), thu(date(2014, 1, 5))
    ('thứ Sáu', 'Chủ nhật')
    >>> thu("2014-01-10", dau_cau=True)
    'Thứ Sáu'
    """
    name = _WEEKDAYS[as_date(d, "thu").weekday()]
    return name[:1].upper() + name[1:] if require_bool(dau_cau, "dau_cau", "thu") else name


def thu_ngay(d: date | str, *, dau_cau: bool = False) -> str:
    """Weekday and date: ``thứ Sáu, ngày 10 tháng 01 năm 2014``.

    >>> thu_ngay(date(2014, 1, 10))
    'thứ Sáu, ngày 10 tháng 01 năm 2014'
    >>> thu_ngay(date(2014, 1, 5), dau_cau=True)
    'Chủ nhật, ngày 05 tháng 01 năm 2014'
    """
    day = as_date(d, "thu_ngay")
    name = _WEEKDAYS[day.weekday()]
    if require_bool(dau_cau, "dau_cau", "thu_ngay"):
        name = name[:1].upper() + name[1:]
    return f"{name}, {_phrase(day)}"


def gio(t: time | str, *, pad_hour: bool = False) -> str:
    """A time of day in words, 24-hour clock, minutes always on two digits; seconds are ignored.

    ``pad_hour=True`` writes the hour on two digits too (``08 giờ 05 phút``), as some Party
    minutes do.

    >>> gio(time(14, 0))
    '14 giờ 00 phút'
    >>> gio(time(8, 5))
    '8 giờ 05 phút'
    >>> gio("08:05", pad_hour=True)
    '08 giờ 05 phút'
    """
    moment = as_time(t, "gio")
    hour = f"{moment.hour:02d}" if require_bool(pad_hour, "pad_hour", "gio") else str(moment.hour)
    return f"{hour} giờ {moment.minute:02d} phút"
