"""The scoring rules, one parametrised test per rule (pipeline.domain.scoring)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.domain.model import BaseSalary, QuotaBase, RankMethod
from pipeline.domain.scoring import (
    base_salary_on,
    capped,
    merit_quota,
    passes,
    prize_money,
    ranks,
    vote_ratio,
)


@pytest.mark.parametrize(
    ("totals", "method", "expected"),
    [
        ([990, 985, 980, 980, 975], RankMethod.COMPETITION, [1, 2, 3, 3, 5]),
        ([990, 985, 980, 980, 975], RankMethod.DENSE, [1, 2, 3, 3, 4]),
        ([980, 990, 980], RankMethod.COMPETITION, [2, 1, 2]),
        (["973.5", "973.25", "973.5"], RankMethod.COMPETITION, [1, 3, 1]),
        ([1000], RankMethod.DENSE, [1]),
        ([], RankMethod.COMPETITION, []),
    ],
)
def test_ranks_with_ties(totals: list[object], method: RankMethod, expected: list[int]) -> None:
    assert ranks([D(str(t)) for t in totals], method) == expected


@given(st.lists(st.decimals(min_value=0, max_value=1100, places=2), max_size=30))
def test_rank_properties(totals: list[D]) -> None:
    competition = ranks(totals, RankMethod.COMPETITION)
    dense = ranks(totals, RankMethod.DENSE)
    for i, a in enumerate(totals):
        for j, b in enumerate(totals):
            if a > b:
                assert competition[i] < competition[j] and dense[i] < dense[j]
            if a == b:
                assert competition[i] == competition[j] and dense[i] == dense[j]
    # competition: the rank is 1 + the number of strictly better totals
    assert competition == [1 + sum(o > t for o in totals) for t in totals]
    if totals:
        assert max(dense) == len(set(totals))


# Prize money: coefficient × base salary, rounded UP to a multiple of 10.000 đồng
# (NĐ 152/2025 Điều 49; amounts from domain-thidua.md §2.2 and BTĐKT TW's Q&A).
@pytest.mark.parametrize(
    ("coefficient", "base", "amount"),
    [
        ("8.0", 2_340_000, 18_720_000),  # Cờ thi đua cấp tỉnh
        ("0.8", 2_340_000, 1_880_000),  # 1.872.000 rounds up
        ("0.3", 2_340_000, 710_000),  # 702.000 rounds up
        ("1.5", 2_530_000, 3_800_000),  # 3.795.000 rounds up
        ("3.5", 2_530_000, 8_860_000),  # 8.855.000 rounds up
        ("0.8", 1_390_000, 1_120_000),  # 1.112.000 → 1.120.000 (BTĐKT TW example)
        ("0.6", 1_390_000, 840_000),  # 834.000 → 840.000
        ("1.0", 2_340_000, 2_340_000),  # already a multiple: unchanged
        ("0", 2_340_000, 0),
    ],
)
def test_prize_money_rounds_up_to_ten_thousand(coefficient: str, base: int, amount: int) -> None:
    assert prize_money(D(coefficient), D(base)) == D(amount)


@given(
    st.decimals(min_value=0, max_value=20, places=2),
    st.integers(min_value=1_000_000, max_value=5_000_000),
)
def test_prize_money_is_the_smallest_multiple_not_below(coefficient: D, base: int) -> None:
    amount = prize_money(coefficient, D(base))
    raw = coefficient * base
    assert amount % 10_000 == 0
    assert raw <= amount < raw + 10_000


def test_base_salary_in_force_on_the_decision_date() -> None:
    salaries = (
        BaseSalary(D(1_150_000), date(2013, 7, 1)),
        BaseSalary(D(2_340_000), date(2024, 7, 1)),
        BaseSalary(D(2_530_000), date(2026, 7, 1)),
    )
    assert base_salary_on(salaries, date(2014, 1, 10)).amount == D(1_150_000)  # type: ignore[union-attr]
    assert base_salary_on(salaries, date(2026, 6, 30)).amount == D(2_340_000)  # type: ignore[union-attr]
    assert base_salary_on(salaries, date(2026, 7, 1)).amount == D(2_530_000)  # type: ignore[union-attr]
    assert base_salary_on(salaries, date(2013, 6, 30)) is None


@pytest.mark.parametrize(
    ("units", "flags", "ratio", "base", "quota"),
    [
        (9, 1, "0.5", QuotaBase.REMAINING_UNITS, 4),  # ≤ 50 % of the remaining 8
        (9, 1, "0.5", QuotaBase.ALL_UNITS, 4),  # floor(4,5)
        (9, 0, "0.2", QuotaBase.REMAINING_UNITS, 1),  # floor(1,8): never rounds up
        (5, 1, "0.5", QuotaBase.REMAINING_UNITS, 2),
    ],
)
def test_merit_quota(units: int, flags: int, ratio: str, base: QuotaBase, quota: int) -> None:
    assert merit_quota(units, flags, D(ratio), base) == quota


@pytest.mark.parametrize(
    ("yes", "base", "threshold", "inclusive", "passed"),
    [
        (8, 10, "0.8", True, True),  # exactly 80 % passes an inclusive threshold
        (8, 10, "0.8", False, False),
        (7, 9, "0.8", True, False),  # 77,8 %
        (5, 9, "0.5", False, True),
        (0, 0, "0.5", True, False),  # nobody could vote
    ],
)
def test_votes(yes: int, base: int, threshold: str, inclusive: bool, passed: bool) -> None:
    assert passes(vote_ratio(yes, base), D(threshold), inclusive) is passed


def test_bonus_cap() -> None:
    assert capped(D(35), D(30)) == D(30)
    assert capped(D(10), D(30)) == D(10)
    assert capped(D(35), None) == D(35)
