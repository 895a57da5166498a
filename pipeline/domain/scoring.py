"""Totals, ranks with ties, thresholds, vote ratios, quotas and prize money.

Pure and exact: ``Decimal`` throughout, no I/O, no clock. :func:`compute` expects a dossier whose
scores can be totalled (every unit has a cluster score on every leaf criterion);
:func:`results_if_computable` is the one place that decides whether a dossier is such a dossier,
and computes its results once for the validation rules, the context and the build. The smaller
functions are the rules themselves and are tested one by one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from pipeline.domain.model import (
    Adjustment,
    AdjustmentKind,
    AwardForm,
    BaseSalary,
    CollectiveProposal,
    Criterion,
    Dossier,
    IndividualProposal,
    QuotaBase,
    RankMethod,
    Unit,
    Vote,
    VoteBase,
)

#: Prize money is rounded UP to the next multiple of this (NĐ 152/2025/NĐ-CP Điều 49, same wording
#: as NĐ 98/2023 Điều 55: "làm tròn số lên hàng chục nghìn đồng").
PRIZE_ROUNDING_STEP = Decimal(10_000)


@dataclass(frozen=True, slots=True)
class UnitResult:
    """One unit's points. ``total = criteria_total + bonus (capped) - deduction``."""

    unit: Unit
    self_total: Decimal | None  # None when a self-score is missing
    criteria_total: Decimal
    bonus_raw: Decimal
    bonus: Decimal
    deduction: Decimal
    total: Decimal
    rank: int


@dataclass(frozen=True, slots=True)
class RankGroup:
    """The units sharing one rank (more than one unit means a tie)."""

    rank: int
    total: Decimal
    units: tuple[UnitResult, ...]

    @property
    def tied(self) -> bool:
        return len(self.units) > 1


@dataclass(frozen=True, slots=True)
class VoteResult:
    vote: Vote
    base_count: int
    ratio: Decimal  # yes / base_count
    passed: bool


@dataclass(frozen=True, slots=True)
class Award:
    """A proposal with its form and prize money (``None`` when the form carries no coefficient)."""

    proposal: CollectiveProposal | IndividualProposal
    form: AwardForm
    amount: Decimal | None


@dataclass(frozen=True, slots=True)
class Results:
    """Everything computed from a dossier."""

    units: tuple[UnitResult, ...]  # by rank, ties in the units' official order
    groups: tuple[RankGroup, ...]
    votes: Mapping[str, VoteResult]
    base_salary: BaseSalary | None
    collective_awards: tuple[Award, ...]
    individual_awards: tuple[Award, ...]
    merit_quota: int

    @property
    def min_total(self) -> Decimal:
        return min(r.total for r in self.units)

    @property
    def max_total(self) -> Decimal:
        return max(r.total for r in self.units)

    def count_at_least(self, threshold: Decimal) -> int:
        """How many units scored ``threshold`` points or more."""
        return sum(r.total >= threshold for r in self.units)

    def result_for(self, unit_code: str) -> UnitResult:
        return next(r for r in self.units if r.unit.code == unit_code)


def leaf_criteria(criteria: Iterable[Criterion]) -> list[Criterion]:
    """The criteria that have no children: the ones units are scored on.

    >>> from decimal import Decimal as D
    >>> tree = [Criterion("I", None, "A", D(10), 1), Criterion("I.1", "I", "B", D(10), 2)]
    >>> [c.code for c in leaf_criteria(tree)]
    ['I.1']
    """
    items = list(criteria)
    parents = {c.parent for c in items if c.parent}
    return [c for c in items if c.code not in parents]


def capped(value: Decimal, cap: Decimal | None) -> Decimal:
    """``value`` limited to ``cap`` (no cap when ``None``).

    >>> capped(Decimal(30), Decimal(20)), capped(Decimal(5), None)
    (Decimal('20'), Decimal('5'))
    """
    return value if cap is None else min(value, cap)


def ranks(totals: Sequence[Decimal], method: RankMethod = RankMethod.COMPETITION) -> list[int]:
    """The rank of each total (higher is better), with ties sharing a rank.

    Competition ranking skips after a tie (1, 2, 3, 3, 5); dense ranking does not (1, 2, 3, 3, 4).

    >>> ranks([Decimal(990), Decimal(985), Decimal(980), Decimal(980), Decimal(975)])
    [1, 2, 3, 3, 5]
    >>> ranks([Decimal(990), Decimal(985), Decimal(980), Decimal(980), Decimal(975)],
    ...       RankMethod.DENSE)
    [1, 2, 3, 3, 4]
    """
    distinct = sorted(set(totals), reverse=True)
    if method is RankMethod.DENSE:
        dense = {value: i + 1 for i, value in enumerate(distinct)}
        return [dense[t] for t in totals]
    return [1 + sum(other > t for other in totals) for t in totals]


def vote_ratio(yes: int, base_count: int) -> Decimal:
    """``yes / base_count`` as an exact Decimal ratio (0 when nobody could vote).

    >>> vote_ratio(7, 9).quantize(Decimal("0.0001"))
    Decimal('0.7778')
    """
    return Decimal(yes) / Decimal(base_count) if base_count else Decimal(0)


def passes(ratio: Decimal, threshold: Decimal, inclusive: bool = True) -> bool:
    """Whether a vote ratio meets the threshold (``>=`` when inclusive, else ``>``).

    >>> passes(Decimal("0.8"), Decimal("0.8")), passes(Decimal("0.5"), Decimal("0.5"), False)
    (True, False)
    """
    return ratio >= threshold if inclusive else ratio > threshold


def base_salary_on(salaries: Iterable[BaseSalary], day: date) -> BaseSalary | None:
    """The base salary in force on ``day``: the latest one that took effect on or before it.

    Prize money uses the base salary in force on the date of the award decision (NĐ 152/2025
    Điều 49 khoản 1).

    >>> s = [BaseSalary(Decimal(1_800_000), date(2023, 7, 1)),
    ...      BaseSalary(Decimal(2_340_000), date(2024, 7, 1))]
    >>> base_salary_on(s, date(2024, 6, 30)).amount, base_salary_on(s, date(2024, 7, 1)).amount
    (Decimal('1800000'), Decimal('2340000'))
    >>> base_salary_on(s, date(2020, 1, 1)) is None
    True
    """
    in_force = [s for s in salaries if s.effective_from <= day]
    return max(in_force, key=lambda s: s.effective_from) if in_force else None


def prize_money(coefficient: Decimal, base_salary: Decimal) -> Decimal:
    """Coefficient × base salary, rounded up to the next 10.000 đồng (NĐ 152/2025 Điều 49).

    >>> prize_money(Decimal("0.8"), Decimal(2_340_000))
    Decimal('1880000')
    >>> prize_money(Decimal("1.5"), Decimal(2_530_000))
    Decimal('3800000')
    >>> prize_money(Decimal("8.0"), Decimal(2_340_000))
    Decimal('18720000')
    """
    raw = coefficient * base_salary
    steps = (raw / PRIZE_ROUNDING_STEP).to_integral_value(rounding=ROUND_CEILING)
    return steps * PRIZE_ROUNDING_STEP


#: merit_quota: how far below a whole number a quota's product may fall and still be that number
#: (a fraction such as 1/3 is held to 28 significant digits; see merit_quota).
QUOTA_SNAP = Decimal("1e-20")


def merit_quota(
    n_units: int, n_flags: int, ratio: Decimal, base: QuotaBase = QuotaBase.REMAINING_UNITS
) -> int:
    """The most collectives that may be proposed for a Bằng khen: ``floor(ratio × base)``.

    The base is all member units, or those left after the Cờ (domain-thidua.md §1.5: "≤ 50 % of
    the remaining units"). A quota never rounds up.

    >>> merit_quota(9, 1, Decimal("0.5"))
    4
    >>> merit_quota(9, 1, Decimal(1) / Decimal(3), QuotaBase.ALL_UNITS)
    3

    A ratio typed as a fraction ("1/3") is held to 28 significant digits, so ⅓ × 3 is
    0,999…9; a product short of a whole number by less than :data:`QUOTA_SNAP` is that number
    (no ratio a cluster's rules write has 20 significant digits):

    >>> merit_quota(3, 0, Decimal(1) / Decimal(3))
    1
    """
    count = n_units - n_flags if base is QuotaBase.REMAINING_UNITS else n_units
    return int((ratio * count + QUOTA_SNAP).to_integral_value(rounding=ROUND_FLOOR))


def _points(adjustments: Iterable[Adjustment], kind: AdjustmentKind) -> Decimal:
    return sum((a.points for a in adjustments if a.kind is kind), Decimal(0))


def _unit_results(dossier: Dossier) -> list[UnitResult]:
    leaves = {c.code for c in leaf_criteria(dossier.criteria)}
    cap = dossier.params.bonus_cap
    results = []
    for unit in sorted(dossier.units, key=lambda u: u.order):
        scores = [s for s in dossier.scores if s.unit == unit.code and s.criterion in leaves]
        cluster = [s.cluster_score for s in scores if s.cluster_score is not None]
        if len(cluster) != len(leaves):
            raise ValueError(f"{unit.code}: thiếu điểm cụm chấm; hãy kiểm tra workbook trước")
        selfs = [s.self_score for s in scores if s.self_score is not None]
        self_total = sum(selfs, Decimal(0)) if len(selfs) == len(leaves) else None
        adjustments = [a for a in dossier.adjustments if a.unit == unit.code]
        bonus_raw = _points(adjustments, AdjustmentKind.BONUS)
        deduction = _points(adjustments, AdjustmentKind.DEDUCTION)
        criteria_total = sum(cluster, Decimal(0))
        bonus = capped(bonus_raw, cap)
        results.append(
            UnitResult(
                unit=unit,
                self_total=self_total,
                criteria_total=criteria_total,
                bonus_raw=bonus_raw,
                bonus=bonus,
                deduction=deduction,
                total=criteria_total + bonus - deduction,
                rank=0,
            )
        )
    return results


def vote_base_count(dossier: Dossier, vote: Vote) -> int:
    """The number a vote's "yes" count is divided by, per the cluster's ``vote_base`` rule."""
    base = dossier.params.vote_base
    if base is VoteBase.VALID:
        return vote.valid
    if base is VoteBase.PRESENT:
        return len(present_units(dossier))
    return len(dossier.units)


def vote_result(dossier: Dossier, vote: Vote) -> VoteResult:
    """The vote's result under the cluster's rule (``vote_base``, ``vote_threshold``)."""
    params = dossier.params
    base_count = vote_base_count(dossier, vote)
    ratio = vote_ratio(vote.yes, base_count)
    passed = passes(ratio, params.vote_threshold, params.vote_threshold_inclusive)
    return VoteResult(vote, base_count, ratio, passed)


def present_units(dossier: Dossier) -> set[str]:
    """Codes of the member units with at least one delegate present at the meeting."""
    return {a.unit for a in dossier.meeting.attendees if a.present and not a.guest and a.unit}


def compute(dossier: Dossier) -> Results:
    """Totals, ranks, rank groups, vote results, quota and prize money for a validated dossier."""
    params = dossier.params
    unsorted = _unit_results(dossier)
    unit_ranks = ranks([r.total for r in unsorted], params.rank_method)
    ranked = sorted(
        (replace(r, rank=k) for r, k in zip(unsorted, unit_ranks, strict=True)),
        key=lambda r: (r.rank, r.unit.order),
    )
    groups: list[RankGroup] = []
    for result in ranked:
        if groups and groups[-1].rank == result.rank:
            last = groups[-1]
            groups[-1] = RankGroup(last.rank, last.total, (*last.units, result))
        else:
            groups.append(RankGroup(result.rank, result.total, (result,)))

    votes = {vote.code: vote_result(dossier, vote) for vote in dossier.votes}

    decision_day = params.decision_date or dossier.meeting.date
    salary = None if decision_day is None else base_salary_on(params.base_salaries, decision_day)

    def award(proposal: CollectiveProposal | IndividualProposal) -> Award:
        form = params.award_forms[proposal.form]
        amount = (
            prize_money(form.coefficient, salary.amount)
            if form.coefficient is not None and salary is not None
            else None
        )
        return Award(proposal, form, amount)

    n_flags = sum(1 for p in dossier.collective_proposals if params.award_forms[p.form].is_flag)
    return Results(
        units=tuple(ranked),
        groups=tuple(groups),
        votes=votes,
        base_salary=salary,
        collective_awards=tuple(award(p) for p in dossier.collective_proposals),
        individual_awards=tuple(award(p) for p in dossier.individual_proposals),
        merit_quota=merit_quota(
            len(dossier.units), n_flags, params.merit_quota_ratio, params.merit_quota_base
        ),
    )


def criteria_by_code(dossier: Dossier) -> dict[str, Criterion]:
    """The dossier's criteria by code; of duplicated codes the first (B6 reports the others)."""
    found: dict[str, Criterion] = {}
    for criterion in dossier.criteria:
        found.setdefault(criterion.code, criterion)
    return found


def tree_is_consistent(dossier: Dossier) -> bool:
    """Every parent criterion exists and parents form no cycle (rule B6): sums over the tree make
    sense."""
    by_code = criteria_by_code(dossier)
    for criterion in by_code.values():
        seen: set[str] = set()
        code: str | None = criterion.code
        while code is not None:
            if code not in by_code or code in seen:
                return False
            seen.add(code)
            code = by_code[code].parent
    return True


def scores_are_complete(dossier: Dossier) -> bool:
    """Every unit has exactly one score row, with a cluster score, on every leaf criterion (rule B8
    finds nothing)."""
    counts = Counter((s.unit, s.criterion) for s in dossier.scores if s.cluster_score is not None)
    rows = Counter((s.unit, s.criterion) for s in dossier.scores)
    leaves = leaf_criteria(criteria_by_code(dossier).values())
    return all(
        counts[(u.code, c.code)] == 1 and rows[(u.code, c.code)] == 1
        for u in dossier.units
        for c in leaves
    )


def results_if_computable(dossier: Dossier) -> Results | None:
    """:func:`compute` on the dossier, or ``None`` when totals and ranks would be meaningless.

    ``None`` when the units, criteria or scores could not be read (the loader reports it:
    :attr:`~pipeline.domain.model.Dossier.unreadable`), there is no unit, unit codes repeat
    (rule A1), the criteria tree is broken (B6)
    or a unit lacks exactly one cluster score on a leaf (B8); validation then reports an error, so
    a dossier without errors always has results. Proposals with an unknown form (F32 reports them)
    are left out, so that they cannot stop ranks from being computed; a dossier without errors
    has none, and its results are ``compute(dossier)``.
    """
    codes = [u.code for u in dossier.units]
    if not dossier.readable("units", "criteria", "scores"):
        return None
    if not codes or len(set(codes)) != len(codes) or not tree_is_consistent(dossier):
        return None
    if not scores_are_complete(dossier):
        return None
    forms = dossier.params.award_forms
    known = replace(
        dossier,
        criteria=tuple(criteria_by_code(dossier).values()),
        collective_proposals=tuple(p for p in dossier.collective_proposals if p.form in forms),
        individual_proposals=tuple(p for p in dossier.individual_proposals if p.form in forms),
    )
    try:
        return compute(known)
    except ValueError:  # pragma: no cover - scores_are_complete checked what compute needs
        return None
