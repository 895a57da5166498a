"""The validation rules: every problem in a dossier, found in one pass.

Pure: no I/O, no clock, no locale. :func:`validate` runs every rule of :data:`RULES` on a
:class:`~pipeline.domain.model.Dossier` and returns all the problems found, never stopping at the
first; ``build`` refuses to render when any of them is an error. Each rule is one small function
``(dossier, results) -> Iterable[Problem]`` whose :attr:`~pipeline.errors.Problem.code` is the
rule's id in domain-thidua.md §9; adding a rule is adding one function to :data:`RULES`. Messages
say what is wrong with the actual values and hints say how to fix it, both in Vietnamese; each
problem points at the cell to fix (a whole-table rule points at its sheet, by the title the sheet
had in the file: :attr:`~pipeline.domain.model.Dossier.sheets`).

One module per group of §9, and the helpers they share:

- :mod:`~pipeline.domain.rules.units`: A, structure and identity (DonVi);
- :mod:`~pipeline.domain.rules.scores`: B, criteria and scores (TieuChi, ChamDiem, DiemCongTru);
- :mod:`~pipeline.domain.rules.ranking`: C, ranking and ties;
- :mod:`~pipeline.domain.rules.proposals`: D, proposals, quotas and eligibility (DeNghi*);
- :mod:`~pipeline.domain.rules.meeting`: E, votes, meeting, dates and rotation (BoPhieu,
  ThanhPhan, HoiNghi, VanBan, LuanPhien);
- :mod:`~pipeline.domain.rules.money`: F31–F32, base salary and prize coefficients (LuongCoSo,
  HinhThuc);
- :mod:`~pipeline.domain.rules.legal_bases`: F33, the căn cứ (CanCu), judged against the table of
  legal texts in :mod:`~pipeline.domain.rules.legal_texts`;
- :mod:`~pipeline.domain.rules.common`: locations, lookups, and the wording of percentages,
  dates and votes.

The rules tolerate a partly broken dossier (``None`` in score fields, rows the loader dropped,
references to unknown codes): they skip what they cannot judge. The rules that need totals and
ranks (B15, C17, C18, D19) judge the ``results`` computed once per dossier by
:func:`pipeline.domain.scoring.results_if_computable`, which are ``None`` unless unit codes are
unique (A1), the criteria tree is consistent (B6) and every unit has exactly one cluster score per
leaf (B8); vote results use the same ``scoring`` functions, so the ranks, ratios, quotas and
amounts judged here are the ones the documents print. Thresholds that no parameter holds yet are
named constants of the group's module.

Rules (E = error, blocks generation; W = warning; source: domain-thidua.md):

====  ====  ==================================================================================
A1    E     unit codes unique; full names unique after matching normalisation (§9 A1)
A3    E/W   E head's name and title present; W signer without title, or title without signer,
            or signer = head (§9 A3)
A4    E     exactly one cụm trưởng, at most one cụm phó (§9 A4, §1.3)
B6    E     criteria codes unique; every parent exists; no cycles (§9 B6)
B7    E     Σ children max = parent max; Σ top-level max = thang điểm; max ≥ 0 (§9 B7, §3.3)
B8    E/W   E every unit × leaf has exactly one row and a cluster score (blank is not zero), scores
            name a known criterion; W self-score missing (§9 B8, §3.4)
B9    E     0 ≤ score ≤ max, and on the score step (``score_step``), self and cluster (§9 B9)
B11   W     |self − cluster| > 10 on a criterion, or > 20 in total, with no reason (§9 B11)
B12   W     cluster score above self-score with no reason (§9 B12)
B13   E     bonus and deduction points positive with a basis; Σ bonus ≤ cap (§9 B13, §3.2)
B14   E     a score row on a parent criterion (a subtotal) equals the sum of its leaves (§9 B14)
B15   W     criteria total above thang điểm, or total below 90 % of it (§9 B15)
C17   W     ties, with the rank that follows under the configured method (§9 C17, §1.6)
C18   E     tie at rank 1 with a Cờ proposed, or at a Bằng khen boundary, no vote recorded
            (§9 C18; when the form needs a vote anyway D23 reports it)
D19   E     Cờ proposed only for rank 1; number of Cờ ≤ ``flag_quota`` (§9 D19, §1.2)
D20   E     collective non-Cờ proposals ≤ Bằng khen quota, formula in the message (§9 D20, §1.5)
D21   E/W   E same unit, same achievement, two proposals; W one unit proposed for Cờ and
            Bằng khen (§9 D21; Luật TĐKT 2022 Điều 5)
D23   E     a form that needs a vote has a vote; a linked vote exists and passes (§9 D23, §1.4)
D25   E     individuals: name, gender (Nam/Nữ), title present; no duplicate person (§9 D25)
E26   E     vote codes unique; counts ≥ 0; returned ≤ issued; valid ≤ returned;
            yes + no + abstain = valid (§9 E26)
E27   E     units present ≥ quorum × units; every absent unit has an absence reason (§9 E27)
E28   E/W   E end after start, report signed ≤ meeting date ≤ minutes signed, covenant year =
            N + 1; W meeting outside years N/N+1, covenant, list or expected award decision
            dated before the meeting (§9 E28)
E29   E/W   E chair and secretary named with titles; W chair not from the cụm trưởng (§9 E29)
E30   E/W   E next head ≠ next deputy, both members, year N + 1, linked vote exists and passes;
            W next head = this year's head (§9 E30, §1.3)
F31   E/W   E a base salary in force on the decision date (or the meeting date) when money is
            printed; W a new base salary takes effect within 6 months after it (§9 F31, §2.1)
F32   E/W   E proposal's form exists and is for its recipient type, coefficient ≥ 0; W form
            without coefficient: no prize money printed (§9 F32, §2.2)
F33   E     a căn cứ cites no text outside its force on its document's date (the signing date,
            else the meeting date): Luật TĐKT 2022 before 01/01/2024, NĐ 98/2023 from 01/7/2025,
            TT 01/2024/TT-BNV from 05/8/2025, NĐ 152/2025 before 01/7/2025 (:data:`LEGAL_TEXTS`;
            §9 F33, §0 item 1, §1.1)
====  ====  ==================================================================================

Skipped, with the reason:

- A2 unknown unit references and alias matches, B10 number parsing, and blank required cells:
  the loader (``pipeline.workbook.loader``) reports them at the cell while parsing. The loader
  passes
  criterion, award-form and vote codes through unresolved, so those references are checked here
  (B6, B8, D23, E30, F32). The presence checks of A3, D25 and E29 repeat the loader's
  "required-blank" at the same cell for a dossier built elsewhere; ``build`` shows a cell's
  problem once.
- A5 unit count or names differing from last year: the dossier holds one year only.
- B14 sheet subtotals other than score rows on parent criteria, C16 ranks typed in the sheet and
  ``KetQuaChot`` overrides: the model holds no typed totals or ranks.
- D22 annual rating and discipline flags, D24 female-priority tie-break (NĐ 152/2025 Điều 4
  k.6): the model holds no ratings, discipline flags, eligibility or female ratios.
- E30 "rotation follows the configured order" and F32 "coefficients marked verify": the
  parameters hold no rotation rule and no verify mark.
- F32 "amount = ceil(coef × base, 10.000)": amounts are not typed in; ``scoring.prize_money``
  computes them.
- F33 beyond :data:`LEGAL_TEXTS`: a text the table does not know is not judged, and a list
  missing a text in force (a covenant of 2026 that cites no decree) is not reported.
- G34–G38 output-text consistency: checked after rendering, by the build.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import Enum
from typing import Literal

from pipeline.domain.model import Dossier
from pipeline.domain.rules.legal_bases import check_legal_bases
from pipeline.domain.rules.legal_texts import LEGAL_TEXTS, LegalText
from pipeline.domain.rules.meeting import (
    check_chair,
    check_dates,
    check_quorum,
    check_rotation,
    check_tallies,
)
from pipeline.domain.rules.money import check_base_salary, check_coefficients
from pipeline.domain.rules.proposals import (
    check_double_award,
    check_flag,
    check_individuals,
    check_merit_quota,
    check_proposal_votes,
)
from pipeline.domain.rules.ranking import check_boundary_ties, check_ties
from pipeline.domain.rules.scores import (
    check_adjustments,
    check_cluster_above_self,
    check_criteria_maxima,
    check_criteria_tree,
    check_score_range,
    check_scores_complete,
    check_self_gap,
    check_subtotals,
    check_total_plausible,
)
from pipeline.domain.rules.units import check_roles, check_unit_heads, check_unit_identity
from pipeline.domain.scoring import Results, results_if_computable
from pipeline.errors import Problem

#: A rule: the dossier and its results (``None`` when they cannot be computed) → its problems.
Rule = Callable[[Dossier, Results | None], Iterable[Problem]]

#: Every rule, in the order of domain-thidua.md §9 (the order of the problems reported).
RULES: tuple[Rule, ...] = (
    check_unit_identity,
    check_unit_heads,
    check_roles,
    check_criteria_tree,
    check_criteria_maxima,
    check_scores_complete,
    check_score_range,
    check_self_gap,
    check_cluster_above_self,
    check_adjustments,
    check_subtotals,
    check_total_plausible,
    check_ties,
    check_boundary_ties,
    check_flag,
    check_merit_quota,
    check_double_award,
    check_proposal_votes,
    check_individuals,
    check_tallies,
    check_quorum,
    check_dates,
    check_chair,
    check_rotation,
    check_base_salary,
    check_coefficients,
    check_legal_bases,
)


class _Default(Enum):
    COMPUTE = "compute"


def validate(
    dossier: Dossier,
    results: Results | Literal[_Default.COMPUTE] | None = _Default.COMPUTE,
    *,
    rules: Iterable[Rule] = RULES,
) -> list[Problem]:
    """Every problem ``rules`` find in ``dossier``, in rule order; empty when all is well.

    ``results`` are the dossier's :func:`~pipeline.domain.scoring.results_if_computable`, passed
    by a caller that computed them already (``build`` computes them once per workbook for the
    rules and the documents); without them they are computed here.
    """
    if results is _Default.COMPUTE:
        results = results_if_computable(dossier)
    return [problem for rule in rules for problem in rule(dossier, results)]


__all__ = [
    "LEGAL_TEXTS",
    "RULES",
    "LegalText",
    "Rule",
    "check_adjustments",
    "check_base_salary",
    "check_boundary_ties",
    "check_chair",
    "check_cluster_above_self",
    "check_coefficients",
    "check_criteria_maxima",
    "check_criteria_tree",
    "check_dates",
    "check_double_award",
    "check_flag",
    "check_individuals",
    "check_legal_bases",
    "check_merit_quota",
    "check_proposal_votes",
    "check_quorum",
    "check_roles",
    "check_rotation",
    "check_score_range",
    "check_scores_complete",
    "check_self_gap",
    "check_subtotals",
    "check_tallies",
    "check_ties",
    "check_total_plausible",
    "check_unit_heads",
    "check_unit_identity",
    "validate",
]
