"""The scoring rules, one parametrised test per rule (pipeline.domain.scoring)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_validate import (
    add_collective,
    attendees,
    both,
    collective,
    collectives,
    params,
    salaries,
    scores,
    valid_dossier,
    votes,
)

from pipeline.domain.model import BaseSalary, Dossier, QuotaBase, RankMethod, VoteBase
from pipeline.domain.scoring import (
    base_salary_on,
    capped,
    compute,
    merit_quota,
    passes,
    present_units,
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


# ---------------------------------------------------------------------------------------------
# compute() on a whole dossier: the four-unit cluster of test_validate (BTC 990, BTG 985 with a
# 5-point bonus, BDV 975, VPTU 958 after a 2-point deduction), every figure worked out by hand.


def _dossier() -> Dossier:
    return valid_dossier()


def test_totals_adjustments_and_ranks() -> None:
    results = compute(_dossier())
    by_code = {r.unit.code: r for r in results.units}
    assert [r.unit.code for r in results.units] == ["BTC", "BTG", "BDV", "VPTU"]
    assert [(r.criteria_total, r.bonus_raw, r.bonus, r.deduction, r.total, r.rank)
            for r in results.units] == [
        (D(990), D(0), D(0), D(0), D(990), 1),
        (D(980), D(5), D(5), D(0), D(985), 2),
        (D(975), D(0), D(0), D(0), D(975), 3),
        (D(960), D(0), D(0), D(2), D(958), 4),
    ]  # fmt: skip
    assert by_code["BTC"].self_total == D(990)
    assert results.result_for("BDV").total == D(975)
    assert (results.min_total, results.max_total) == (D(958), D(990))
    assert results.count_at_least(D(985)) == 2  # 985 itself counts
    assert results.count_at_least(D("985.5")) == 1
    assert [g.rank for g in results.groups] == [1, 2, 3, 4]
    assert not any(g.tied for g in results.groups)


def test_a_capped_bonus_keeps_its_raw_points() -> None:
    results = compute(params(bonus_cap=D(3))(_dossier()))
    btg = results.result_for("BTG")
    assert (btg.bonus_raw, btg.bonus, btg.total) == (D(5), D(3), D(983))


def test_one_blank_self_score_leaves_the_self_total_unknown_not_summed() -> None:
    d = scores("BTC", "I.2", self_score=None)(_dossier())
    btc = compute(d).result_for("BTC")
    assert btc.self_total is None  # never 990 - 297 = 693
    assert btc.criteria_total == D(990)
    assert compute(d).result_for("BTG").self_total == D(980)


def test_ties_share_a_rank_group() -> None:
    d = scores("BDV", "I.2", cluster_score=D(300), self_score=D(300))(_dossier())
    results = compute(d)
    assert [(g.rank, [r.unit.code for r in g.units]) for g in results.groups] == [
        (1, ["BTC"]), (2, ["BTG", "BDV"]), (4, ["VPTU"]),
    ]  # fmt: skip
    assert [g.tied for g in results.groups] == [False, True, False]
    assert results.groups[1].total == D(985)


def _vote_under(base: VoteBase) -> tuple[int, D, bool]:
    """V2 with 2 valid ballots, both yes, VPTU absent: 4 members, 3 present, 2 valid."""
    d = both(
        votes(1, issued=4, returned=2, valid=2, yes=2, no=0, abstain=0),
        attendees(3, present=False, absence_reason="Ốm"),
        params(vote_base=base, vote_threshold=D("0.6")),
    )(_dossier())
    result = compute(d).votes["V2"]
    return result.base_count, result.ratio, result.passed


@pytest.mark.parametrize(
    ("base", "count", "ratio", "passed"),
    [
        (VoteBase.MEMBERS, 4, D("0.5"), False),
        (VoteBase.PRESENT, 3, D(2) / D(3), True),
        (VoteBase.VALID, 2, D(1), True),
    ],
)
def test_each_vote_base(base: VoteBase, count: int, ratio: D, passed: bool) -> None:
    assert _vote_under(base) == (count, ratio, passed)


def test_vote_results_of_the_dossier() -> None:
    results = compute(_dossier()).votes
    assert sorted(results) == ["V1", "V2", "V3"]
    v2 = results["V2"]
    assert (v2.vote.code, v2.base_count, v2.ratio, v2.passed) == ("V2", 4, D("0.75"), True)
    strict = compute(both(votes(1, yes=2, no=2), params(vote_threshold_inclusive=False))(
        _dossier()
    )).votes["V2"]
    assert (strict.ratio, strict.passed) == (D("0.5"), False)  # 50 % is not > 50 %


def test_guests_and_absent_delegates_are_not_present_units() -> None:
    d = attendees(3, present=False, absence_reason="Ốm")(_dossier())
    assert present_units(d) == {"BTC", "BTG", "BDV"}  # the guest (no unit) is not counted


@pytest.mark.parametrize(("base", "quota"), [(QuotaBase.REMAINING_UNITS, 3),
                                             (QuotaBase.ALL_UNITS, 4)])  # fmt: skip
def test_the_merit_quota_counts_the_flags_proposed(base: QuotaBase, quota: int) -> None:
    """One Cờ among three collective proposals: 4 units, ratio 1 → 3 remaining, or all 4."""
    d = both(
        add_collective(collective(4, "BDV", "TTLDXS", None)),
        params(merit_quota_ratio=D(1), merit_quota_base=base),
    )(_dossier())
    assert compute(d).merit_quota == quota


def test_prize_money_uses_the_base_salary_on_the_decision_date() -> None:
    """The meeting is on 05/01/2026, the decision on 20/01/2026, and a new base salary takes
    effect in between: the decision date chooses it (NĐ 152/2025 Điều 49 khoản 1)."""
    d = salaries((2_340_000, date(2024, 7, 1)), (2_530_000, date(2026, 1, 10)))(_dossier())
    results = compute(d)
    assert results.base_salary is not None and results.base_salary.amount == D(2_530_000)
    assert [(a.proposal.unit, a.amount) for a in results.collective_awards] == [
        ("BTC", D(20_240_000)),  # Cờ: 8,0 × 2.530.000
        ("BTG", D(7_590_000)),  # Bằng khen tập thể: 3,0 × 2.530.000
    ]
    assert [a.amount for a in results.individual_awards] == [D(3_800_000)]  # 1,5 × 2.530.000
    on_meeting_day = compute(params(decision_date=None)(d))
    assert on_meeting_day.base_salary is not None
    assert on_meeting_day.base_salary.amount == D(2_340_000)


def test_a_form_without_coefficient_or_a_missing_salary_gives_no_amount() -> None:
    d = collectives(1, form="BK_DANG")(_dossier())
    assert [a.amount for a in compute(d).collective_awards] == [D(18_720_000), None]
    no_salary = compute(params(base_salaries=())(_dossier()))
    assert no_salary.base_salary is None
    assert [a.amount for a in no_salary.collective_awards] == [None, None]


def test_a_missing_cluster_score_is_refused() -> None:
    d = scores("VPTU", "II.2", cluster_score=None)(_dossier())
    with pytest.raises(ValueError, match="VPTU: thiếu điểm cụm chấm"):
        compute(d)


@pytest.mark.parametrize(
    ("units", "numerator", "denominator", "quota"),
    [(3, 1, 3, 1), (6, 1, 3, 2), (3, 2, 3, 2), (7, 1, 7, 1), (9, 2, 3, 6), (5, 1, 3, 1)],
)
def test_merit_quota_of_a_fraction_is_exact(
    units: int, numerator: int, denominator: int, quota: int
) -> None:
    """A ratio typed as "1/3" (the loader divides, to 28 digits) gives the quota of the exact
    fraction: ⅓ of 3 units is 1, not 0."""
    ratio = D(numerator) / D(denominator)
    assert merit_quota(units, 0, ratio, QuotaBase.ALL_UNITS) == quota
