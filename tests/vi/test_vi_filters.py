"""The filter contract, and: no function raises anything but ValueError on arbitrary input."""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Callable
from datetime import date, time
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pipeline.vi as vi
from pipeline.vi import FILTER_NAMES, FILTERS

SPEC_FILTERS = [
    "ngay_thang_nam", "dia_danh_ngay", "thu", "thu_ngay", "gio", "so", "phan_tram", "tien",
    "doc_so", "tien_bang_chu", "thu_hang", "noi", "in_hoa", "so_ky_hieu", "ngat_dong", "vach",
    "giu_tu",
]  # fmt: skip


def test_filter_names_are_the_public_contract() -> None:
    assert list(FILTERS) == SPEC_FILTERS
    assert list(FILTER_NAMES) == SPEC_FILTERS
    for name, func in FILTERS.items():
        assert func is getattr(vi, name)
        assert func.__doc__ and ">>>" in func.__doc__, name


def test_every_public_function_has_a_doctest() -> None:
    for name in vi.__all__:
        obj = getattr(vi, name)
        if inspect.isfunction(obj):
            assert obj.__doc__ and ">>>" in obj.__doc__, name


def test_filters_in_a_jinja_template() -> None:
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(autoescape=True)
    env.filters.update(FILTERS)
    template = env.from_string(
        "{{ d|dia_danh_ngay('Lạng Sơn') }} | {{ d|thu_ngay }} | {{ t|gio }} | {{ x|so(le=2) }} | "
        "{{ r|phan_tram }} | {{ m|tien }} | {{ m|tien_bang_chu }} | {{ 1|thu_hang }} | "
        "{{ ds|noi }} | {{ 'Tỉnh ủy'|in_hoa }} | {{ 12|so_ky_hieu('BC', 'BTGTU', 'dang') }} | "
        "{{ 1005|doc_so(linh='lẻ') }}"
    )
    out = template.render(
        d=date(2014, 1, 10), t=time(14, 0), x=8.5, r=0.256, m=1490000, ds=["A", "B", "C"]
    )
    assert out == (
        "Lạng Sơn, ngày 10 tháng 01 năm 2014 | thứ Sáu, ngày 10 tháng 01 năm 2014 | "
        "14 giờ 00 phút | 8,50 | 25,6% | 1.490.000 đồng | "
        "Một triệu bốn trăm chín mươi nghìn đồng | thứ Nhất | A, B và C | TỈNH ỦY | "
        "Số 12-BC/BTGTU | một nghìn không trăm lẻ năm"
    )


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(),
    st.decimals(),
    st.text(max_size=20),
    st.binary(max_size=8),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.sampled_from(["2014-01-10", "14:00", "1000", "dang", "nha_nuoc", ".VnTime", "VNI-Times"]),
)
_VALUES = st.one_of(_SCALARS, st.lists(_SCALARS, max_size=4), st.dictionaries(st.text(), _SCALARS))

_FUNCTIONS: list[Callable[..., Any]] = [
    getattr(vi, name) for name in vi.__all__ if inspect.isfunction(getattr(vi, name))
]


@pytest.mark.parametrize("func", _FUNCTIONS, ids=lambda f: f.__name__)
@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(args=st.lists(_VALUES, max_size=4))
def test_only_value_error_on_arbitrary_positional_input(
    func: Callable[..., Any], args: list[Any]
) -> None:
    parameters = inspect.signature(func).parameters.values()
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    required = [p for p in positional if p.default is p.empty]
    if not len(required) <= len(args) <= len(positional):
        return  # a TypeError for a wrong argument count is Python's, not ours
    with contextlib.suppress(ValueError):
        func(*args)


@pytest.mark.parametrize("func", _FUNCTIONS, ids=lambda f: f.__name__)
@settings(max_examples=60, deadline=None, database=None)
@given(value=_VALUES)
def test_only_value_error_on_arbitrary_keyword_options(
    func: Callable[..., Any], value: Any
) -> None:
    parameters = list(inspect.signature(func).parameters.values())
    good = {
        "ngay_thang_nam": (date(2014, 1, 10),), "dia_danh_ngay": (date(2014, 1, 10), "Hà Nội"),
        "thu": (date(2014, 1, 10),), "thu_ngay": (date(2014, 1, 10),), "gio": (time(8, 5),),
        "so": (Decimal("1.5"),), "phan_tram": (0.5,), "tien": (1000,), "doc_so": (1005,),
        "tien_bang_chu": (1000,), "thu_hang": (2,), "noi": (["A"],), "in_hoa": ("a",),
        "so_ky_hieu": (1, "BC", "UBND", "dang"), "normalize": ("a",), "match_key": ("a",),
        "sort_key": ("a",), "name_sort_key": ("Lê Văn An",), "tone_style": ("hoà",),
        "from_tcvn3": ("a",), "from_vni": ("a",), "from_cp1258": (b"a",),
        "legacy_encoding": (".VnTime",), "legacy_uppercase": (".VnTimeH",),
        "decode_legacy": ("a", ".VnTime"), "ngat_dong": ("BAN TUYÊN GIÁO", 6.2),
        "vach": ("BAN TUYÊN GIÁO", 6.2), "giu_tu": ("cơ quan",),
    }[func.__name__]  # fmt: skip
    func(*good)
    for parameter in parameters[len(good) :]:
        with contextlib.suppress(ValueError):
            func(*good, **{parameter.name: value})
    for index in range(len(good)):
        args = list(good)
        args[index] = value
        with contextlib.suppress(ValueError):
            func(*args)
