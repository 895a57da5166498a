"""Numbers in words, money in words and ranks."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vi_testdata import vectors

from pipeline.vi import doc_so, thu_hang, tien_bang_chu

# ---------------------------------------------------------------------------------------------
# An independent reader of the official form, written from the rules (not from doc_so): it
# splits at the last "tỷ", then at "triệu" and "nghìn", and accepts only the documented grammar
# of a three-digit group, so "một nghìn năm" (colloquial 1.500) or "một trăm linh lăm" fail.

_PLAIN = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9}
_HUNDREDS = {"không": 0, **_PLAIN}
_AFTER_MUOI = {**_PLAIN, "mốt": 1, "tư": 4, "lăm": 5}
del _AFTER_MUOI["một"], _AFTER_MUOI["năm"], _AFTER_MUOI["bốn"]
_AFTER_MUOI_10 = {**_PLAIN, "lăm": 5}
del _AFTER_MUOI_10["năm"]


class NotOfficial(ValueError):
    """The words are not the official reading of any number."""


def _group(tokens: list[str], full: bool) -> int:
    """0 < value < 1000; ``full``: the hundreds must be said (``không trăm``)."""
    hundreds: int | None = None
    if len(tokens) >= 2 and tokens[1] == "trăm":
        if tokens[0] not in _HUNDREDS:
            raise NotOfficial(tokens)
        hundreds, tokens = _HUNDREDS[tokens[0]], tokens[2:]
    elif full:
        raise NotOfficial(f"group without hundreds: {tokens}")
    value = 100 * (hundreds or 0)
    if not tokens:
        if hundreds is None:
            raise NotOfficial("empty group")
    elif tokens[0] == "linh":
        if hundreds is None or len(tokens) != 2 or tokens[1] not in _PLAIN:
            raise NotOfficial(tokens)
        value += _PLAIN[tokens[1]]
    elif tokens[0] == "mười":
        if len(tokens) > 2 or (len(tokens) == 2 and tokens[1] not in _AFTER_MUOI_10):
            raise NotOfficial(tokens)
        value += 10 + (_AFTER_MUOI_10[tokens[1]] if len(tokens) == 2 else 0)
    elif len(tokens) >= 2 and tokens[1] == "mươi":
        tens = _PLAIN.get(tokens[0], 0)
        if tens < 2 or len(tokens) > 3 or (len(tokens) == 3 and tokens[2] not in _AFTER_MUOI):
            raise NotOfficial(tokens)
        value += 10 * tens + (_AFTER_MUOI[tokens[2]] if len(tokens) == 3 else 0)
    else:
        if hundreds is not None or len(tokens) != 1 or tokens[0] not in _PLAIN:
            raise NotOfficial(tokens)
        value += _PLAIN[tokens[0]]
    if value == 0:
        raise NotOfficial("zero group is never read")
    return value


def _below_billion(tokens: list[str], full: bool) -> int:
    total = 0
    for word, scale in (("triệu", 10**6), ("nghìn", 10**3)):
        if word in tokens:
            i = tokens.index(word)
            total += _group(tokens[:i], full) * scale
            tokens, full = tokens[i + 1 :], True
    if tokens:
        total += _group(tokens, full)
    return total


def _read(tokens: list[str], full: bool) -> int:
    if "tỷ" in tokens:
        i = len(tokens) - 1 - tokens[::-1].index("tỷ")
        count = _read(tokens[:i], full)
        rest = tokens[i + 1 :]
        return count * 10**9 + (_below_billion(rest, full=True) if rest else 0)
    if not tokens:
        raise NotOfficial("nothing before a scale word")
    return _below_billion(tokens, full)


def parse_words(text: str) -> int:
    """The integer read by ``text``, or NotOfficial."""
    tokens = text.split()
    if tokens[:1] == ["âm"]:
        return -parse_words(" ".join(tokens[1:]))
    if tokens == ["không"]:
        return 0
    return _read(tokens, full=False)


@pytest.mark.parametrize(
    "text",
    ["một nghìn năm", "một triệu lẻ năm", "một trăm linh lăm", "hai mươi một", "mười mốt",
     "một mươi", "hai mười", "một nghìn không trăm", "một tỷ một triệu", "hai mốt"],
)  # fmt: skip
def test_the_reader_rejects_non_official_forms(text: str) -> None:
    with pytest.raises(NotOfficial):
        parse_words(text)


@settings(max_examples=2000, deadline=None, database=None)
@given(st.integers(min_value=0, max_value=10**15))
def test_doc_so_round_trips_through_an_independent_reader(n: int) -> None:
    assert parse_words(doc_so(n)) == n
    assert parse_words(doc_so(-n)) == -n


@settings(max_examples=300, deadline=None, database=None)
@given(st.integers(min_value=0, max_value=10**18))
def test_doc_so_round_trips_up_to_10_18(n: int) -> None:
    assert parse_words(doc_so(n)) == n


_POWERS = [10**k for k in range(19)]


@pytest.mark.parametrize("n", _POWERS + [p - 1 for p in _POWERS[1:]] + [p + 1 for p in _POWERS])
def test_doc_so_powers_of_ten(n: int) -> None:
    assert parse_words(doc_so(n)) == n


# ---------------------------------------------------------------------------------------------
# Vectors


@pytest.mark.parametrize(("n", "expected"), vectors("numbers"))
def test_numbers(n: Any, expected: str) -> None:
    assert doc_so(n) == expected
    if isinstance(n, float):
        assert doc_so(Decimal(str(n))) == expected


_VARIANT_OPTIONS: list[dict[str, Any]] = [
    dict(zip(("linh", "nghin", "tu", "ty", "linh_tu", "doc_phan_le"), combo, strict=True))
    for combo in itertools.product(
        ("linh", "lẻ"), ("nghìn", "ngàn"), ("tư", "bốn"), ("tỷ", "tỉ"), (False, True),
        ("ca_so", "tung_chu_so"),
    )
]  # fmt: skip


def _all_readings(n: Any) -> set[str]:
    return {doc_so(n, **options) for options in _VARIANT_OPTIONS}


@pytest.mark.parametrize(("n", "expected"), vectors("numbers_accepted_variants"))
def test_accepted_variants_are_available_as_options(n: Any, expected: str) -> None:
    assert expected in _all_readings(n)
    assert doc_so(n) != expected  # a variant, not the default


@pytest.mark.parametrize(("n", "colloquial"), vectors("numbers_colloquial_not_for_documents"))
def test_colloquial_forms_are_never_produced(n: Any, colloquial: str) -> None:
    assert colloquial not in _all_readings(n)


@pytest.mark.parametrize(("n", "wrong", "why"), vectors("numbers_wrong"))
def test_wrong_forms_are_never_produced(n: Any, wrong: str, why: str) -> None:
    assert wrong not in _all_readings(n), why


@pytest.mark.parametrize(
    ("n", "num2words", "expected", "verdict"), vectors("num2words_0_5_14_failures")
)
def test_num2words_failures_are_fixed(n: Any, num2words: str, expected: str, verdict: str) -> None:
    assert doc_so(n) == expected
    assert doc_so(n) != num2words, verdict


@pytest.mark.parametrize(("amount", "expected"), vectors("money_in_words"))
def test_money_in_words(amount: int, expected: str) -> None:
    assert tien_bang_chu(amount) == expected


@pytest.mark.parametrize(("amount", "expected", "note"), vectors("money_in_words_variants"))
def test_money_in_words_variants(amount: int, expected: str, note: str) -> None:
    readings = {
        tien_bang_chu(amount, chan=chan, nghin=nghin)
        for chan in (False, True)
        for nghin in ("nghìn", "ngàn")
    }
    assert expected in readings, note


# ---------------------------------------------------------------------------------------------
# Rules beyond the vectors


def test_spec_examples() -> None:
    assert doc_so(1005) == "một nghìn không trăm linh năm"
    assert doc_so(2500000000000) == "hai nghìn năm trăm tỷ"
    assert doc_so(Decimal("0.05")) == "không phẩy không năm"
    assert doc_so(-25) == "âm hai mươi lăm"
    assert tien_bang_chu(1490000) == "Một triệu bốn trăm chín mươi nghìn đồng"
    assert [thu_hang(n) for n in (1, 2, 3, 4)] == ["thứ Nhất", "thứ Nhì", "thứ Ba", "thứ Tư"]


_BIG = (
    "mười hai triệu ba trăm bốn mươi lăm nghìn sáu trăm bảy mươi tám tỷ "
    "chín trăm linh một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy"
)


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (10, "mười"),
        (14, "mười bốn"),
        (24, "hai mươi tư"),
        (104, "một trăm linh bốn"),
        (110, "một trăm mười"),
        (1100, "một nghìn một trăm"),
        (1004, "một nghìn không trăm linh bốn"),
        (1015, "một nghìn không trăm mười lăm"),
        (1000010, "một triệu không trăm mười"),
        (1001000000, "một tỷ không trăm linh một triệu"),
        (10**15, "một triệu tỷ"),
        (10**18, "một tỷ tỷ"),
        (1005 * 10**9, "một nghìn không trăm linh năm tỷ"),
        (74005601, "bảy mươi tư triệu không trăm linh năm nghìn sáu trăm linh một"),
        (9007842, "chín triệu không trăm linh bảy nghìn tám trăm bốn mươi hai"),
        (12345678901234567, _BIG),
        (Decimal("3.5"), "ba phẩy năm"),
        (Decimal("3.50"), "ba phẩy năm"),
        (Decimal("2.38"), "hai phẩy ba mươi tám"),
        (Decimal("-0.5"), "âm không phẩy năm"),
        (Decimal("-0"), "không"),
        (Decimal("1000.000"), "một nghìn"),
        (Decimal("0.001"), "không phẩy không không một"),
        (0.5, "không phẩy năm"),
    ],
)
def test_doc_so_rules(n: Any, expected: str) -> None:
    assert doc_so(n) == expected


def test_doc_so_is_exact_beyond_float_precision() -> None:
    n = 2**53 + 1
    assert parse_words(doc_so(n)) == n
    assert parse_words(doc_so(10**18 - 1)) == 10**18 - 1


def test_doc_so_limits() -> None:
    assert parse_words(doc_so(10**27 - 1)) == 10**27 - 1
    assert doc_so(10**26) == "một trăm triệu tỷ tỷ"
    with pytest.raises(ValueError, match="quá lớn"):
        doc_so(10**27)
    with pytest.raises(ValueError, match="chữ số thập phân"):
        doc_so(Decimal("1E-31"))


@pytest.mark.parametrize(
    ("option", "value"),
    [("linh", "le"), ("nghin", "nghin"), ("tu", "4"), ("ty", "ty"), ("doc_phan_le", "x"),
     ("linh_tu", "yes"), ("linh", None)],
)  # fmt: skip
def test_bad_options(option: str, value: object) -> None:
    with pytest.raises(ValueError, match=option):
        doc_so(1, **{option: value})


@settings(max_examples=300, deadline=None, database=None)
@given(st.integers(min_value=0, max_value=10**12), st.text("0123456789", min_size=1, max_size=8))
def test_decimals_read_the_fraction_as_a_number_keeping_leading_zeros(
    whole: int, fraction: str
) -> None:
    value = Decimal(f"{whole}.{fraction}")
    text = doc_so(value)
    fraction = fraction.rstrip("0")
    if not fraction:
        assert "phẩy" not in text
        return
    int_words, frac_words = text.split(" phẩy ")
    assert parse_words(int_words) == whole
    zeros = len(fraction) - len(fraction.lstrip("0"))
    words = frac_words.split()
    assert words[:zeros] == ["không"] * zeros
    assert parse_words(" ".join(words[zeros:])) == int(fraction)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (0, "Không đồng"),
        (1005000, "Một triệu không trăm linh năm nghìn đồng"),
        (-50000, "Âm năm mươi nghìn đồng"),
        (Decimal("1490000.00"), "Một triệu bốn trăm chín mươi nghìn đồng"),
        (15000000000, "Mười lăm tỷ đồng"),
    ],
)
def test_tien_bang_chu(amount: Any, expected: str) -> None:
    assert tien_bang_chu(amount) == expected


def test_tien_bang_chu_options() -> None:
    assert tien_bang_chu(1005, linh="lẻ", nghin="ngàn") == "Một ngàn không trăm lẻ năm đồng"
    assert tien_bang_chu(500, chan=True) == "Năm trăm đồng chẵn"
    with pytest.raises(ValueError, match="đồng nguyên"):
        tien_bang_chu(Decimal("0.5"))
    with pytest.raises(ValueError, match="chan"):
        tien_bang_chu(1, chan="yes")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1, "thứ Nhất"), (2, "thứ Nhì"), (3, "thứ Ba"), (4, "thứ Tư"), (5, "thứ Năm"),
     (6, "thứ Sáu"), (7, "thứ Bảy"), (8, "thứ Tám"), (9, "thứ Chín"), (10, "thứ Mười"),
     (11, "thứ Mười một"), (14, "thứ Mười bốn"), (15, "thứ Mười lăm"), (20, "thứ Hai mươi"),
     (21, "thứ Hai mươi mốt"), (24, "thứ Hai mươi tư"), (100, "thứ Một trăm"),
     (105, "thứ Một trăm linh năm"), (Decimal("3"), "thứ Ba"), (2.0, "thứ Nhì")],
)  # fmt: skip
def test_thu_hang(n: Any, expected: str) -> None:
    assert thu_hang(n) == expected


@pytest.mark.parametrize("bad", [0, -1, 1.5, Decimal("2.5"), True, None, "1"])
def test_thu_hang_rejects_non_ranks(bad: object) -> None:
    with pytest.raises(ValueError, match="thu_hang"):
        thu_hang(bad)  # type: ignore[arg-type]
