"""Cell values as numbers, dates, times and shares: the pure parsers behind every sheet.

Pure: no I/O, no clock, no locale. Each function takes a cell's value as openpyxl gives it (or
text a person typed) and returns the value or raises :class:`ParseError` with a Vietnamese
message and a hint; callers report it at the cell. Numbers follow the Vietnamese convention
(comma for decimals, dot for thousands) and anything ambiguous is refused rather than guessed.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal

__all__ = [
    "FIRST_DATE",
    "LAST_DATE",
    "MAX_NUMBER",
    "ParseError",
    "date_value",
    "number_value",
    "parse_number_text",
    "plain_text",
    "ratio_value",
    "time_value",
]

#: Numbers larger than this (in absolute value) are typing mistakes, not scores or money.
MAX_NUMBER = Decimal(10) ** 12


class ParseError(ValueError):
    """A cell value that cannot be read: ``message`` says what, ``hint`` how to fix it."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


_DIGITS_ONLY = re.compile(r"\d+")
_VN_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+")
_VN_FULL = re.compile(r"(?:[1-9]\d{0,2}(?:\.\d{3})+|\d+),\d+")
_SPACED = re.compile(r"[1-9]\d{0,2}(?: \d{3})+(?:,\d+)?")
_AMBIGUOUS_COMMA = re.compile(r"[1-9]\d{0,2},\d{3}")
_HINT_DECIMAL = (
    "Dùng dấu phẩy cho phần thập phân (973,5) và dấu chấm chỉ để tách nhóm nghìn (1.000), "
    "hoặc nhập số vào ô kiểu Số của Excel."
)


def parse_number_text(text: str) -> Decimal:
    """A number typed as text, the Vietnamese way; ambiguous or decorated text is refused.

    >>> [str(parse_number_text(t)) for t in ("973,5", "1.000", "1.150.000", "1.000,5", "-2")]
    ['973.5', '1000', '1150000', '1000.5', '-2']
    >>> str(parse_number_text("0,125")), str(parse_number_text("1 000"))
    ('0.125', '1000')
    >>> parse_number_text("1.5")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pipeline.workbook.values.ParseError: “1.5” không rõ là số nào: dấu chấm chỉ dùng để tách ...
    >>> parse_number_text("95đ")
    Traceback (most recent call last):
    ...
    pipeline.workbook.values.ParseError: “95đ” không phải là số
    """
    shown = text.strip()
    body = shown.replace("\u00a0", " ").replace("\u202f", " ")
    sign = ""
    if body and body[0] in "+-−":
        sign = "-" if body[0] in "-−" else ""
        body = body[1:].strip()
    if not body:
        raise ParseError(f"“{shown}” không phải là số", "Nhập một số, ví dụ 973,5.")
    if len(body) > 40:
        raise ParseError(f"“{shown[:20]}…” quá dài để là một số", "Kiểm tra lại ô này.")
    if re.search(r"[^\d., ]", body):
        raise ParseError(
            f"“{shown}” không phải là số",
            "Chỉ ghi chữ số, bỏ chữ và ký hiệu (đ, điểm, %, …); ví dụ 95 hoặc 973,5.",
        )
    if " " in body:
        if not _SPACED.fullmatch(body):
            raise ParseError(f"“{shown}” không rõ là số nào", _HINT_DECIMAL)
        body = body.replace(" ", "")
    if _DIGITS_ONLY.fullmatch(body):
        return Decimal(sign + body)
    if _AMBIGUOUS_COMMA.fullmatch(body):  # 1,000: one thousand (English) or one (Vietnamese)?
        whole, decimals = body.split(",")
        raise ParseError(
            f"“{shown}” không rõ là số nào: {whole}.{decimals} hay {whole},{decimals}",
            f"Nếu là số nguyên, ghi {whole}.{decimals}; nếu là số thập phân, bỏ số 0 ở cuối "
            "hoặc nhập vào ô kiểu Số của Excel.",
        )
    if _VN_THOUSANDS.fullmatch(body):
        return Decimal(sign + body.replace(".", ""))
    if _VN_FULL.fullmatch(body):
        return Decimal(sign + body.replace(".", "").replace(",", "."))
    if "," in body and "." in body:
        raise ParseError(
            f"“{shown}” viết theo kiểu Anh (dấu phẩy tách nghìn, dấu chấm thập phân)",
            _HINT_DECIMAL,
        )
    if "." in body and "," not in body:
        raise ParseError(
            f"“{shown}” không rõ là số nào: dấu chấm chỉ dùng để tách nhóm nghìn",
            f"Nếu là số thập phân, ghi {body.replace('.', ',')}; nếu là số nguyên, tách nhóm "
            "nghìn đủ ba chữ số (1.000).",
        )
    raise ParseError(f"“{shown}” không rõ là số nào", _HINT_DECIMAL)


def _sane(number: Decimal, shown: str) -> Decimal:
    if not number.is_finite() or abs(number) >= MAX_NUMBER:
        raise ParseError(f"“{shown}” quá lớn để là điểm hay số tiền", "Kiểm tra lại số này.")
    return number


def number_value(value: object) -> Decimal:
    """A cell's value as an exact ``Decimal``: numeric cells, or Vietnamese numeric text.

    Floats go through ``repr``, so the 973.5 Excel stores stays ``Decimal('973.5')``.

    >>> number_value(973.5), number_value(1000.0), number_value("1.000")
    (Decimal('973.5'), Decimal('1000'), Decimal('1000'))
    """
    if isinstance(value, bool):
        raise ParseError("Ô chứa giá trị đúng/sai, không phải số", "Nhập một số.")
    if isinstance(value, int):
        return _sane(Decimal(value), str(value))
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ParseError("Ô chứa số không hữu hạn", "Nhập một số.")
        if value.is_integer():
            return _sane(Decimal(int(value)), repr(value))
        return _sane(Decimal(repr(value)), repr(value))
    if isinstance(value, Decimal):
        return _sane(value, str(value))
    if isinstance(value, str):
        return _sane(parse_number_text(value), value)
    if isinstance(value, (datetime, date, time, timedelta)):
        raise ParseError(
            "Ô đang ở dạng ngày/giờ, không phải số",
            "Đổi định dạng ô sang Số (Format Cells › Number) rồi nhập lại số.",
        )
    raise ParseError("Ô không chứa số", "Nhập một số.")


_DMY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_WORDS_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")


#: Dates a score workbook can mean: Excel's calendar starts in 1900, and a year past 2199 (or a
#: 31/12/9999 left by a template) is a typing mistake.
FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2199, 12, 31)


def date_value(value: object) -> date:
    """A date cell, or text ``dd/mm/yyyy`` (also ``-`` or ``.``), ISO, or "ngày … tháng … năm",
    from :data:`FIRST_DATE` to :data:`LAST_DATE`.

    >>> date_value("10/01/2014"), date_value("ngày 10 tháng 01 năm 2014")
    (datetime.date(2014, 1, 10), datetime.date(2014, 1, 10))
    >>> date_value("31/12/9999")
    Traceback (most recent call last):
    ...
    pipeline.workbook.values.ParseError: ngày 31/12/9999 nằm ngoài khoảng 01/01/1900 – 31/12/2199
    """
    day = _any_date(value)
    if not FIRST_DATE <= day <= LAST_DATE:
        raise ParseError(
            f"ngày {_dmy(day)} nằm ngoài khoảng {_dmy(FIRST_DATE)} – {_dmy(LAST_DATE)}",
            "Sửa lại năm (bốn chữ số, ví dụ 2014).",
        )
    return day


def _dmy(day: date) -> str:
    """``dd/mm/yyyy``, the year always on four digits (``strftime`` does not pad it everywhere)."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def _any_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip().casefold()
        parts: tuple[str, str, str] | None = None
        if match := _DMY.fullmatch(text):
            parts = (match.group(3), match.group(2), match.group(1))
        elif match := _YMD.fullmatch(text):
            parts = (match.group(1), match.group(2), match.group(3))
        elif match := _WORDS_DATE.fullmatch(text):
            parts = (match.group(3), match.group(2), match.group(1))
        if parts is not None:
            try:
                return date(int(parts[0]), int(parts[1]), int(parts[2]))
            except ValueError:
                raise ParseError(
                    f"“{value.strip()}” không phải là ngày có thật", "Sửa lại ngày, tháng."
                ) from None
        raise ParseError(
            f"“{value.strip()}” không phải là ngày",
            "Ghi ngày dạng dd/mm/yyyy (10/01/2014) hoặc chọn định dạng ô là Ngày.",
        )
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        raise ParseError(
            "Ô chứa số, không phải ngày",
            "Định dạng ô là Ngày (Format Cells › Date) hoặc gõ ngày dạng dd/mm/yyyy.",
        )
    raise ParseError("Ô không chứa ngày", "Ghi ngày dạng dd/mm/yyyy.")


_TIME_TEXT = re.compile(r"(\d{1,2})\s*(?::|h|g|giờ)\s*(?:(\d{1,2})\s*(?:phút|p|')?)?(?::\d{1,2})?")


def time_value(value: object) -> time:
    """A time cell, or text ``14:00``, ``14h00``, ``14h``, ``14 giờ 30 phút``.

    >>> time_value("14h30"), time_value("8 giờ"), time_value("14:00")
    (datetime.time(14, 30), datetime.time(8, 0), datetime.time(14, 0))
    """
    if isinstance(value, datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, timedelta) and timedelta(0) <= value < timedelta(days=1):
        minutes = int(value.total_seconds() // 60)
        return time(minutes // 60, minutes % 60)
    if isinstance(value, str):
        text = value.strip().casefold()
        if match := _TIME_TEXT.fullmatch(text):
            hour, minute = int(match.group(1)), int(match.group(2) or 0)
            if hour < 24 and minute < 60:
                return time(hour, minute)
        raise ParseError(
            f"“{value.strip()}” không phải là giờ", "Ghi giờ dạng hh:mm (14:00) hoặc 14h00."
        )
    raise ParseError(
        "Ô không chứa giờ", "Ghi giờ dạng hh:mm (14:00) hoặc định dạng ô là Giờ (Time)."
    )


_FRACTION = re.compile(r"(\d+)\s*/\s*(\d+)")


def ratio_value(value: object) -> Decimal:
    """A share between 0 and 1: ``0,5``, ``50%``, ``2/3`` or a numeric cell (0.5 or 50 %).

    >>> ratio_value("50%"), ratio_value("2/3") == Decimal(2) / 3, ratio_value(0.8)
    (Decimal('0.5'), True, Decimal('0.8'))
    """
    shown = str(value).strip()
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("%"):
            result = parse_number_text(text[:-1]) / 100
        elif match := _FRACTION.fullmatch(text):
            top, bottom = int(match.group(1)), int(match.group(2))
            if bottom == 0:
                raise ParseError(f"“{text}” chia cho 0", "Ghi tỷ lệ như 2/3, 50% hoặc 0,5.")
            result = Decimal(top) / Decimal(bottom)
        else:
            result = parse_number_text(text)
    else:
        result = number_value(value)
    if not Decimal(0) <= result <= Decimal(1):
        raise ParseError(
            f"Tỷ lệ “{shown}” không nằm trong khoảng 0 đến 1 (0% đến 100%)",
            "Ghi tỷ lệ như 50%, 0,5 hoặc 2/3.",
        )
    return result


def plain_text(value: object) -> str:
    """Any cell value as the text Excel would show for it.

    >>> plain_text(973.0), plain_text(973.5), plain_text(True), plain_text(datetime(2014, 1, 10))
    ('973', '973.5', 'TRUE', '10/01/2014')
    """
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        if value.time() == time(0):
            return _dmy(value)
        return f"{_dmy(value)} {value:%H:%M}"
    if isinstance(value, date):
        return _dmy(value)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)
