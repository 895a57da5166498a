"""Dates, weekdays and times (NĐ 30/2020 Phụ lục I II.4.b; Phụ lục II V.8.c)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from vi_testdata import vectors

from pipeline.vi import dia_danh_ngay, gio, ngay_thang_nam, thu, thu_ngay


@pytest.mark.parametrize(("iso", "expected"), vectors("dates"))
def test_dates(iso: str, expected: str) -> None:
    assert ngay_thang_nam(date.fromisoformat(iso)) == expected
    assert ngay_thang_nam(iso) == expected
    assert ngay_thang_nam(datetime.fromisoformat(iso)) == expected


@pytest.mark.parametrize(("place", "iso", "expected"), vectors("dates_with_place"))
def test_dates_with_place(place: str, iso: str, expected: str) -> None:
    assert dia_danh_ngay(date.fromisoformat(iso), place) == expected


@pytest.mark.parametrize(("iso", "forbidden", "why"), vectors("dates_forbidden"))
def test_forbidden_date_forms(iso: str, forbidden: str, why: str) -> None:
    assert ngay_thang_nam(iso) != forbidden, why
    assert dia_danh_ngay(iso, "Hà Nội") != forbidden, why


@pytest.mark.parametrize(("iso", "expected"), vectors("weekday_date_phrase"))
def test_weekday_date_phrase(iso: str, expected: str) -> None:
    assert thu_ngay(date.fromisoformat(iso)) == expected


def test_weekday_names_mid_sentence() -> None:
    monday = date(2024, 3, 4)
    names = [thu(monday + timedelta(days=i)) for i in range(7)]
    assert names == vectors("weekday_names_mid_sentence")


def test_weekday_at_start_of_sentence() -> None:
    assert thu(date(2014, 1, 10), dau_cau=True) == "Thứ Sáu"
    assert thu(date(2014, 1, 5), dau_cau=True) == "Chủ nhật"
    assert thu_ngay(date(2014, 1, 10), dau_cau=True) == "Thứ Sáu, ngày 10 tháng 01 năm 2014"


@pytest.mark.parametrize(("hhmm", "expected"), vectors("time"))
def test_time(hhmm: str, expected: str) -> None:
    assert gio(time.fromisoformat(hhmm)) == expected
    assert gio(hhmm) == expected


@pytest.mark.parametrize(("hhmm", "expected"), vectors("time_hour_padded_variant"))
def test_time_padded_hour(hhmm: str, expected: str) -> None:
    assert gio(time.fromisoformat(hhmm), pad_hour=True) == expected


@pytest.mark.parametrize(("iso", "expected"), vectors("minutes_opening"))
def test_minutes_opening(iso: str, expected: str) -> None:
    moment = datetime.fromisoformat(iso)
    with_weekday = "thứ" in expected or "Chủ nhật" in expected
    when = thu_ngay(moment) if with_weekday else ngay_thang_nam(moment)
    assert f"Vào hồi {gio(moment)}, {when}" == expected


@pytest.mark.parametrize(("iso", "expected"), vectors("minutes_closing_nd30_mau_1_9"))
def test_minutes_closing(iso: str, expected: str) -> None:
    moment = datetime.fromisoformat(iso)
    assert f"Cuộc họp kết thúc vào {gio(moment)}, {ngay_thang_nam(moment)}./." == expected


def test_spec_examples() -> None:
    assert ngay_thang_nam(date(2014, 1, 10)) == "ngày 10 tháng 01 năm 2014"
    assert ngay_thang_nam(date(2021, 8, 6)) == "ngày 06 tháng 8 năm 2021"
    assert dia_danh_ngay(date(2014, 1, 10), "Lạng Sơn") == "Lạng Sơn, ngày 10 tháng 01 năm 2014"
    assert thu(date(2014, 1, 10)) == "thứ Sáu"
    assert thu(date(2014, 1, 12)) == "Chủ nhật"
    assert gio(time(14, 0)) == "14 giờ 00 phút"
    assert gio(time(8, 5)) == "8 giờ 05 phút"


_EVERY_DAY_2024 = [date(2024, 1, 1) + timedelta(days=i) for i in range(366)]


@pytest.mark.parametrize("d", _EVERY_DAY_2024, ids=str)
def test_padding_rule_for_every_day(d: date) -> None:
    day, month = d.day, d.month
    text = ngay_thang_nam(d)
    day_part, month_part = text.split(" tháng ")
    assert day_part == f"ngày {day:02d}"
    assert month_part.split(" năm ")[0] == (f"{month:02d}" if month < 3 else str(month))
    assert text.endswith(" năm 2024")


def test_years_are_not_grouped() -> None:
    assert ngay_thang_nam(date(2024, 3, 8)).endswith("năm 2024")


@pytest.mark.parametrize(
    "bad", ["10/01/2014", "2014-13-01", "", "hôm nay", None, 20140110.0, True, time(14, 0)]
)
def test_bad_dates_raise_value_error_naming_the_value(bad: object) -> None:
    with pytest.raises(ValueError, match="không phải là ngày") as info:
        ngay_thang_nam(bad)  # type: ignore[arg-type]
    assert repr(bad) in str(info.value)
    with pytest.raises(ValueError):
        thu(bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        thu_ngay(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["25:00", "14h00", date(2014, 1, 10), None, 14, 14.5])
def test_bad_times_raise_value_error(bad: object) -> None:
    with pytest.raises(ValueError, match="không phải là giờ"):
        gio(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad_place", ["", "   ", None, 12])
def test_place_is_required(bad_place: object) -> None:
    with pytest.raises(ValueError, match="dia_danh_ngay"):
        dia_danh_ngay(date(2014, 1, 10), bad_place)  # type: ignore[arg-type]


def test_place_is_cleaned_to_nfc() -> None:
    decomposed = "La\u0323ng  So\u031bn"
    assert dia_danh_ngay("2014-01-05", decomposed) == "Lạng Sơn, ngày 05 tháng 01 năm 2014"


def test_flags_must_be_booleans() -> None:
    with pytest.raises(ValueError, match="pad_hour"):
        gio(time(8, 0), pad_hour="yes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="dau_cau"):
        thu(date(2014, 1, 10), dau_cau=1)  # type: ignore[arg-type]
