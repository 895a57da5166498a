"""The validation rules: every problem in a dossier, found in one pass.

Pure: no I/O, no clock, no locale. :func:`validate` runs every rule of :data:`RULES` on a
:class:`~pipeline.domain.model.Dossier` and returns all the problems found, never stopping at the
first;
``build`` refuses to render when any of them is an error. Each rule is one small function
``(dossier) -> Iterable[Problem]`` whose :attr:`~pipeline.errors.Problem.code` is the rule's id in
domain-thidua.md §9; adding a rule is adding one function to :data:`RULES`. Messages say what is
wrong with the actual values and hints say how to fix it, both in Vietnamese; each problem points
at the cell to fix (a whole-table rule points at its sheet).

The rules tolerate a partly broken dossier (``None`` in score fields, rows the loader dropped,
references to unknown codes): they skip what they cannot judge. The rules that need totals and
ranks (B15, C17, C18, D19) run only when unit codes are unique (A1), the criteria tree is
consistent (B6) and every unit has exactly one cluster score per leaf (B8); they use
:func:`pipeline.domain.scoring.compute`, and vote results use the same ``scoring`` functions, so the
ranks, ratios, quotas and amounts judged here are the ones the documents print. Thresholds that
no parameter holds yet are the named constants below.

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

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from pipeline.domain.model import (
    DOCUMENT_KINDS,
    AdjustmentKind,
    AwardForm,
    CollectiveProposal,
    Criterion,
    Dossier,
    IndividualProposal,
    QuotaBase,
    RankMethod,
    Recipient,
    Role,
    Score,
    Source,
    Unit,
    Vote,
    VoteBase,
)
from pipeline.domain.scoring import (
    Results,
    VoteResult,
    base_salary_on,
    compute,
    leaf_criteria,
    merit_quota,
    passes,
    present_units,
    vote_base_count,
    vote_ratio,
)
from pipeline.errors import Location, Problem, Severity
from pipeline.vi import match_key, so, thu_hang

Rule = Callable[[Dossier], Iterable[Problem]]

#: B11: a self/cluster gap larger than this on one criterion needs a reason (§9 B11 example).
SELF_GAP_PER_CRITERION = Decimal(10)
#: B11: a gap larger than this between a unit's self total and cluster total needs a reason.
SELF_GAP_TOTAL = Decimal(20)
#: B15: a total below this share of the thang điểm is unusually low (§9 B15: "< 900" of 1.000).
LOW_TOTAL_SHARE = Decimal("0.9")

#: F31: how late an award decision may come after the expected date (or the meeting, when no
#: date is expected); a base-salary change within this window may change the prize money.
DECISION_SLACK = timedelta(days=183)


@dataclass(frozen=True, slots=True)
class LegalText:
    """F33: a legal text a căn cứ may cite, and the days it is in force.

    ``pattern`` finds a citation of the text in a căn cứ line; ``in_force_from`` and
    ``in_force_until`` are its first and last day in force (``None``: no bound checked);
    ``replaced_by`` names its successor for the hint; ``source`` says where the dates come from.
    """

    name: str
    pattern: re.Pattern[str]
    in_force_from: date | None
    in_force_until: date | None
    replaced_by: str | None
    source: str


def _cites(*alternatives: str) -> re.Pattern[str]:
    """A pattern finding any of ``alternatives`` (regular expressions), not inside a longer
    number: ``98/2023`` is not found in ``198/2023``.

    >>> bool(_cites(r"98/2023").search("Nghị định số 198/2023/NĐ-CP"))
    False
    """
    return re.compile("|".join(rf"(?<![\d/])(?:{a})(?!\d)" for a in alternatives), re.IGNORECASE)


def _decree(number: str) -> re.Pattern[str]:
    """A decree's number, alone or as ``…/NĐ-CP``, but not another type of text with the same
    number and year (``Quyết định số 98/2023/QĐ-UBND``).

    >>> [bool(_decree("98/2023").search(t)) for t in ("Nghị định số 98/2023/NĐ-CP",
    ...  "Nghị định 98/2023 của Chính phủ", "Quyết định số 98/2023/QĐ-UBND")]
    [True, True, False]
    """
    return _cites(rf"{number}(?:/N[ĐD]-CP|(?!/))")


#: F33: the texts whose citation is checked against the document's date, with their force
#: (domain-thidua.md §0 item 1 and §1.1). A new decree or circular is one more line.
LEGAL_TEXTS: tuple[LegalText, ...] = (
    LegalText(
        "Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15/6/2022",
        _cites(r"06/2022/QH15", r"15/0?6/2022", r"15 tháng 0?6 năm 2022"),
        date(2024, 1, 1),
        None,
        None,
        "§1.1: Luật TĐKT 06/2022/QH15, 15/6/2022, hiệu lực 01/01/2024 [VERIFIED]",
    ),
    LegalText(
        "Nghị định số 98/2023/NĐ-CP",
        _decree("98/2023"),
        date(2024, 1, 1),
        date(2025, 6, 30),
        "Nghị định số 152/2025/NĐ-CP",
        "§0 item 1, §1.1: hiệu lực 01/01/2024; hết hiệu lực khi NĐ 152/2025 có hiệu lực 01/7/2025 "
        "(NĐ 152/2025 Điều 59)",
    ),
    LegalText(
        "Thông tư số 01/2024/TT-BNV",
        _cites(r"01/2024/TT-BNV"),
        None,
        date(2025, 8, 4),
        None,  # TT 15/2025/TT-BNV per secondary sources: verify before naming it (§11 item 2)
        "§0 item 1, §1.1: thay bằng Thông tư 15/2025/TT-BNV có hiệu lực 05/8/2025 [SECONDARY]",
    ),
    LegalText(
        "Nghị định số 152/2025/NĐ-CP",
        _decree("152/2025"),
        date(2025, 7, 1),
        None,
        None,
        "§0 item 1, §1.1: NĐ 152/2025/NĐ-CP, 14/6/2025, hiệu lực 01/7/2025",
    ),
)

#: How F33 names each document in a sentence.
_DOCUMENT_NAMES = {
    "bao_cao": "báo cáo tổng kết",
    "bien_ban": "biên bản hội nghị",
    "giao_uoc": "bản giao ước thi đua",
    "danh_sach": "danh sách đề nghị khen thưởng",
}

#: Sheet names used when a problem concerns rows that are missing altogether (domain §8.1).
SCORES_SHEET = "ChamDiem"
ATTENDEES_SHEET = "ThanhPhan"
SALARIES_SHEET = "LuongCoSo"
UNITS_SHEET = "DonVi"

_GENDERS = ("Nam", "Nữ")


# --- formatting (Vietnamese style) -----------------------------------------------------------


def _pct(ratio: Decimal) -> str:
    """A ratio as a percentage with at most one decimal.

    >>> _pct(Decimal(7) / Decimal(9)), _pct(Decimal("0.8")), _pct(Decimal(2) / Decimal(3))
    ('77,8%', '80%', '66,7%')
    """
    return so((ratio * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)) + "%"


def _ngay(day: date) -> str:
    """A date as ``dd/mm/yyyy``.

    >>> _ngay(date(2026, 1, 5))
    '05/01/2026'
    """
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def _join(items: Sequence[str]) -> str:
    """Vietnamese list: ``A, B và C``.

    >>> _join(["A"]), _join(["A", "B", "C"])
    ('A', 'A, B và C')
    """
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " và " + items[-1]


# --- helpers ---------------------------------------------------------------------------------


def _problem(severity: Severity, code: str, message: str, hint: str, location: Location) -> Problem:
    return Problem(severity, code, message, hint, location)


def _file(dossier: Dossier) -> str:
    return dossier.cluster.src.file or dossier.path


def _sheet(dossier: Dossier, sources: Iterable[Source], default: str) -> Location:
    """The sheet the given records came from (or ``default``), without a cell."""
    for src in sources:
        if src.sheet:
            return Location(file=src.file or _file(dossier), sheet=src.sheet)
    return Location(file=_file(dossier), sheet=default)


def _name(dossier: Dossier, code: str) -> str:
    """A unit's full name, or its code when the unit is unknown."""
    return next((u.full_name for u in dossier.units if u.code == code), code)


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _criteria(dossier: Dossier) -> dict[str, Criterion]:
    """Criteria by code (the first of duplicates; B6 reports the others)."""
    found: dict[str, Criterion] = {}
    for criterion in dossier.criteria:
        found.setdefault(criterion.code, criterion)
    return found


def _leaves(dossier: Dossier) -> list[Criterion]:
    return leaf_criteria(_criteria(dossier).values())


def _tree_ok(dossier: Dossier) -> bool:
    """Every parent exists and parents form no cycle (B6): sums over the tree make sense."""
    by_code = _criteria(dossier)
    for criterion in by_code.values():
        seen: set[str] = set()
        code: str | None = criterion.code
        while code is not None:
            if code not in by_code or code in seen:
                return False
            seen.add(code)
            code = by_code[code].parent
    return True


def _top_sum_ok(dossier: Dossier) -> bool:
    """The top-level maxima add up to the thang điểm (B7)."""
    top = [c.max_points for c in _criteria(dossier).values() if c.parent is None]
    return sum(top, Decimal(0)) == dossier.cluster.max_score


def _complete_scores(dossier: Dossier) -> bool:
    """Every unit has exactly one score row with a cluster score on every leaf (B8 is clean)."""
    counts = Counter((s.unit, s.criterion) for s in dossier.scores if s.cluster_score is not None)
    rows = Counter((s.unit, s.criterion) for s in dossier.scores)
    return all(
        counts[(u.code, c.code)] == 1 and rows[(u.code, c.code)] == 1
        for u in dossier.units
        for c in _leaves(dossier)
    )


def _results(dossier: Dossier) -> Results | None:
    """``scoring.compute`` on the dossier, or ``None`` when scores are incomplete (B8).

    Proposals with an unknown form (F32 reports them) are left out so that they cannot stop
    ranks from being computed.
    """
    codes = [u.code for u in dossier.units]
    if not codes or len(set(codes)) != len(codes) or not _tree_ok(dossier):
        return None  # A1, B6: ranks would be meaningless
    if not _complete_scores(dossier):
        return None
    forms = dossier.params.award_forms
    known = replace(
        dossier,
        criteria=tuple(_criteria(dossier).values()),
        collective_proposals=tuple(p for p in dossier.collective_proposals if p.form in forms),
        individual_proposals=tuple(p for p in dossier.individual_proposals if p.form in forms),
    )
    try:
        return compute(known)
    except ValueError:  # pragma: no cover - _complete_scores already checked what compute needs
        return None


def _vote_result(dossier: Dossier, vote: Vote) -> VoteResult:
    """The vote's result under the cluster's rule, exactly as ``scoring.compute`` computes it."""
    params = dossier.params
    base_count = vote_base_count(dossier, vote)
    ratio = vote_ratio(vote.yes, base_count)
    passed = passes(ratio, params.vote_threshold, params.vote_threshold_inclusive)
    return VoteResult(vote, base_count, ratio, passed)


_BASE_WORDS = {
    VoteBase.MEMBERS: "tổng số {n} đơn vị thành viên",
    VoteBase.PRESENT: "{n} đơn vị có mặt",
    VoteBase.VALID: "{n} phiếu hợp lệ",
}


def _vote_failure(dossier: Dossier, result: VoteResult) -> str:
    """``đạt 7/9 phiếu (77,8%), chưa đạt ngưỡng 80% (tính trên tổng số 9 đơn vị thành viên)``."""
    params = dossier.params
    sign = "≥" if params.vote_threshold_inclusive else ">"
    base = _BASE_WORDS[params.vote_base].format(n=result.base_count)
    return (
        f"đạt {result.vote.yes}/{result.base_count} phiếu đồng ý ({_pct(result.ratio)}), "
        f"chưa đạt ngưỡng {sign} {_pct(params.vote_threshold)} (tính trên {base})"
    )


def _votes(dossier: Dossier) -> dict[str, Vote]:
    found: dict[str, Vote] = {}
    for vote in dossier.votes:
        found.setdefault(vote.code, vote)
    return found


Proposal = CollectiveProposal | IndividualProposal


def _proposals(dossier: Dossier) -> Iterator[Proposal]:
    yield from dossier.collective_proposals
    yield from dossier.individual_proposals


def _who(dossier: Dossier, proposal: Proposal) -> str:
    if isinstance(proposal, CollectiveProposal):
        return _name(dossier, proposal.unit)
    return f"{proposal.name} ({_name(dossier, proposal.unit)})"


def _only_head(dossier: Dossier) -> Unit | None:
    """This year's cụm trưởng, when there is exactly one (A4 reports the other cases)."""
    heads = [u for u in dossier.units if u.role is Role.HEAD]
    return heads[0] if len(heads) == 1 else None


def _form(dossier: Dossier, proposal: Proposal) -> AwardForm | None:
    return dossier.params.award_forms.get(proposal.form)


def _flag_proposals(dossier: Dossier) -> list[CollectiveProposal]:
    return [
        p
        for p in dossier.collective_proposals
        if (form := _form(dossier, p)) is not None and form.is_flag
    ]


def _merit_proposals(dossier: Dossier) -> list[CollectiveProposal]:
    """Collective proposals of a known form other than a Cờ: they count against the BK quota."""
    return [
        p
        for p in dossier.collective_proposals
        if (form := _form(dossier, p)) is not None and not form.is_flag
    ]


def _rank_words(rank: int) -> str:
    """``thứ Nhất``, ``thứ Nhì``, ``thứ Tư``… as the documents print ranks."""
    return thu_hang(rank)


# --- A. Structure and identity ---------------------------------------------------------------


def check_unit_identity(dossier: Dossier) -> Iterator[Problem]:
    """A1: unit codes are unique, and so are full names after normalisation."""
    codes: dict[str, str] = {}
    names: dict[str, tuple[str, str]] = {}
    for unit in dossier.units:
        if unit.code in codes:
            yield _problem(
                "error",
                "A1",
                f"Mã đơn vị {unit.code} bị trùng: đã dùng cho {codes[unit.code]}",
                "Mỗi đơn vị một mã riêng; sửa mã của một trong hai dòng (các sheet khác dùng "
                "mã này để chỉ đơn vị).",
                unit.src.at("code"),
            )
        else:
            codes[unit.code] = unit.full_name
        key = match_key(unit.full_name)
        if key in names:
            other_name, other_code = names[key]
            yield _problem(
                "error",
                "A1",
                f"Tên đơn vị “{unit.full_name}” (mã {unit.code}) trùng với “{other_name}” "
                f"(mã {other_code}) sau khi chuẩn hóa chữ hoa, dấu cách và vị trí dấu thanh",
                "Nếu là một đơn vị, xóa dòng trùng và chuyển tên cũ sang cột bí danh; nếu là hai "
                "đơn vị, ghi tên đầy đủ khác nhau.",
                unit.src.at("full_name"),
            )
        else:
            names[key] = (unit.full_name, unit.code)


def check_unit_heads(dossier: Dossier) -> Iterator[Problem]:
    """A3: each unit has a head's name and title; a deputy signer has a title."""
    for unit in dossier.units:
        if _blank(unit.head_name):
            yield _problem(
                "error",
                "A3",
                f"{unit.full_name} chưa có họ tên thủ trưởng",
                "Nhập họ tên thủ trưởng đơn vị: tên này in ở chỗ ký của bản giao ước.",
                unit.src.at("head_name"),
            )
        if _blank(unit.head_title):
            yield _problem(
                "error",
                "A3",
                f"{unit.full_name} chưa có chức vụ thủ trưởng",
                "Nhập chức vụ thủ trưởng (ví dụ: Trưởng ban, Chánh Văn phòng).",
                unit.src.at("head_title"),
            )
        if not _blank(unit.signer_name) and _blank(unit.signer_title):
            yield _problem(
                "warning",
                "A3",
                f"{unit.full_name}: người ký thay {unit.signer_name} chưa có chức vụ",
                "Nhập chức vụ người ký thay (ví dụ: Phó Trưởng ban) để văn bản in “K/T” "
                "(“KT.”) và chức vụ đúng.",
                unit.src.at("signer_title"),
            )
        elif _blank(unit.signer_name) and not _blank(unit.signer_title):
            yield _problem(
                "warning",
                "A3",
                f"{unit.full_name} có chức vụ người ký thay “{unit.signer_title}” nhưng chưa "
                "có họ tên người ký",
                "Nhập họ tên người ký thay, hoặc xóa chức vụ nếu thủ trưởng tự ký.",
                unit.src.at("signer_name"),
            )
        if (
            unit.signer_name
            and not _blank(unit.head_name)
            and match_key(unit.signer_name) == match_key(unit.head_name)
        ):
            yield _problem(
                "warning",
                "A3",
                f"{unit.full_name}: người ký thay {unit.signer_name} chính là thủ trưởng",
                "Bỏ trống người ký thay khi thủ trưởng tự ký; chỉ nhập khi cấp phó ký thay.",
                unit.src.at("signer_name"),
            )


def check_roles(dossier: Dossier) -> Iterator[Problem]:
    """A4: exactly one cụm trưởng and at most one cụm phó."""
    heads = [u for u in dossier.units if u.role is Role.HEAD]
    deputies = [u for u in dossier.units if u.role is Role.DEPUTY]
    if not heads and dossier.units:
        yield _problem(
            "error",
            "A4",
            f"Chưa có đơn vị Cụm trưởng năm {dossier.cluster.year}",
            "Ở cột “Vai trò năm thi đua”, chọn “Cụm trưởng” cho đúng một đơn vị.",
            _sheet(dossier, (u.src for u in dossier.units), UNITS_SHEET),
        )
    for label, found in (("Cụm trưởng", heads), ("Cụm phó", deputies)):
        if len(found) > 1:
            names = _join([u.full_name for u in found])
            for unit in found:  # which one is wrong is for the user to say: point at each
                yield _problem(
                    "error",
                    "A4",
                    f"Có {len(found)} đơn vị {label}: {names}",
                    f"Mỗi năm chỉ một đơn vị là {label}; đổi “Vai trò năm thi đua” của các đơn "
                    "vị còn lại thành “Thành viên”.",
                    unit.src.at("role"),
                )


# --- B. Criteria and scores ------------------------------------------------------------------


def check_criteria_tree(dossier: Dossier) -> Iterator[Problem]:
    """B6: criteria codes are unique, each parent exists, and parents form no cycle."""
    seen: set[str] = set()
    for criterion in dossier.criteria:
        if criterion.code in seen:
            yield _problem(
                "error",
                "B6",
                f"Mã tiêu chí {criterion.code} bị trùng",
                "Mỗi tiêu chí một mã riêng (I, I.1, I.2…); sửa hoặc xóa dòng trùng.",
                criterion.src.at("code"),
            )
        seen.add(criterion.code)
    by_code = _criteria(dossier)
    for criterion in by_code.values():
        if criterion.parent is not None and criterion.parent not in by_code:
            yield _problem(
                "error",
                "B6",
                f"Tiêu chí {criterion.code} có mã tiêu chí cha {criterion.parent} không tồn tại",
                "Sửa mã cha cho đúng một tiêu chí trong bảng, hoặc bỏ trống nếu là tiêu chí "
                "cấp cao nhất.",
                criterion.src.at("parent"),
            )
    reported: set[str] = set()
    for criterion in by_code.values():
        path: list[str] = []
        code: str | None = criterion.code
        while code is not None and code in by_code and code not in path:
            path.append(code)
            code = by_code[code].parent
        if code is None or code not in path or code in reported:
            continue
        cycle = path[path.index(code) :]
        reported.update(cycle)
        first = min((by_code[c] for c in cycle), key=lambda c: c.order)
        yield _problem(
            "error",
            "B6",
            "Các tiêu chí " + " → ".join([*cycle, code]) + " làm cha của nhau thành vòng",
            "Sửa mã tiêu chí cha để cây tiêu chí không có vòng lặp.",
            first.src.at("parent"),
        )


def check_criteria_maxima(dossier: Dossier) -> Iterator[Problem]:
    """B7: a parent's maximum is the sum of its children's; the top level sums to thang điểm.

    Runs on a consistent tree only: with a missing parent or a cycle (B6) the sums mislead.
    """
    if not _tree_ok(dossier):
        return
    by_code = _criteria(dossier)
    for criterion in by_code.values():
        if criterion.max_points < 0:
            yield _problem(
                "error",
                "B7",
                f"Điểm tối đa {so(criterion.max_points)} của tiêu chí {criterion.code} là số âm",
                "Điểm tối đa là số dương; điểm trừ nhập ở sheet DiemCongTru.",
                criterion.src.at("max_points"),
            )
    for criterion in by_code.values():
        children = [c for c in by_code.values() if c.parent == criterion.code]
        if not children:
            continue
        total = sum((c.max_points for c in children), Decimal(0))
        if total != criterion.max_points:
            codes = ", ".join(c.code for c in children)
            yield _problem(
                "error",
                "B7",
                f"Điểm tối đa của tiêu chí {criterion.code} là {so(criterion.max_points)}, "
                f"nhưng các tiêu chí con ({codes}) cộng lại được {so(total)}",
                "Sửa điểm tối đa của tiêu chí cha hoặc của các tiêu chí con theo bảng tiêu chí "
                "năm nay (thường do dùng lại bảng của năm trước).",
                criterion.src.at("max_points"),
            )
    top = [c for c in by_code.values() if c.parent is None]
    total = sum((c.max_points for c in top), Decimal(0))
    if top and total != dossier.cluster.max_score:
        yield _problem(
            "error",
            "B7",
            f"Các tiêu chí cấp cao nhất ({', '.join(c.code for c in top)}) cộng lại được "
            f"{so(total)} điểm, khác thang điểm {so(dossier.cluster.max_score)}",
            "Sửa thang điểm hoặc điểm tối đa của các tiêu chí cho khớp nhau.",
            dossier.cluster.src.at("max_score"),
        )


def check_scores_complete(dossier: Dossier) -> Iterator[Problem]:
    """B8: every unit × leaf has one score row with a cluster score; W a missing self-score."""
    by_code = _criteria(dossier)
    for score in dossier.scores:
        if score.criterion not in by_code:
            yield _problem(
                "error",
                "B8",
                f"Điểm của {_name(dossier, score.unit)} ghi cho tiêu chí {score.criterion} không "
                "có trong bảng tiêu chí",
                "Sửa mã tiêu chí cho đúng một mã ở sheet TieuChi.",
                score.src.at("criterion"),
            )
    rows: dict[tuple[str, str], list[Score]] = {}
    for score in dossier.scores:
        rows.setdefault((score.unit, score.criterion), []).append(score)
    where = _sheet(dossier, (s.src for s in dossier.scores), SCORES_SHEET)
    for unit in sorted(dossier.units, key=lambda u: u.order):
        for leaf in _leaves(dossier):
            found = rows.get((unit.code, leaf.code), [])
            if not found:
                yield _problem(
                    "error",
                    "B8",
                    f"Thiếu dòng điểm của {unit.full_name} ở tiêu chí {leaf.code}",
                    f"Thêm một dòng cho {unit.code} × {leaf.code} với điểm cụm chấm; ô trống "
                    "không được tính là 0 — nếu đơn vị được 0 điểm, nhập 0.",
                    where,
                )
                continue
            for extra in found[1:]:
                yield _problem(
                    "error",
                    "B8",
                    f"{unit.full_name} có {len(found)} dòng điểm ở tiêu chí {leaf.code}",
                    "Giữ một dòng cho mỗi đơn vị × tiêu chí; xóa dòng thừa.",
                    extra.src.at("criterion"),
                )
            score = found[0]
            if score.cluster_score is None:
                yield _problem(
                    "error",
                    "B8",
                    f"Chưa có điểm cụm chấm của {unit.full_name} ở tiêu chí {leaf.code}",
                    "Nhập điểm cụm chấm; ô trống không được tính là 0 — nếu đơn vị được 0 điểm, "
                    "nhập 0.",
                    score.src.at("cluster_score"),
                )
            if score.self_score is None:
                yield _problem(
                    "warning",
                    "B8",
                    f"Chưa có điểm tự chấm của {unit.full_name} ở tiêu chí {leaf.code}",
                    "Nhập điểm đơn vị tự chấm để báo cáo so sánh được với điểm cụm chấm.",
                    score.src.at("self_score"),
                )


_SCORE_FIELDS = (("self_score", "tự chấm"), ("cluster_score", "cụm chấm"))


def check_score_range(dossier: Dossier) -> Iterator[Problem]:
    """B9: 0 ≤ score ≤ max and scores on the step, for self and cluster scores."""
    by_code = _criteria(dossier)
    leaves = {c.code for c in _leaves(dossier)}
    step = dossier.params.score_step
    for score in dossier.scores:
        if score.criterion not in leaves:
            continue
        maximum = by_code[score.criterion].max_points
        if maximum < 0:
            continue  # B7
        for field, label in _SCORE_FIELDS:
            value: Decimal | None = getattr(score, field)
            if value is None:
                continue
            what = (
                f"Điểm {label} {so(value)} của {_name(dossier, score.unit)} ở tiêu chí "
                f"{score.criterion}"
            )
            if value < 0:
                message = f"{what} là số âm"
                hint = "Điểm tiêu chí từ 0 trở lên; điểm trừ nhập ở sheet DiemCongTru."
            elif value > maximum:
                message = f"{what} vượt điểm tối đa {so(maximum)}"
                hint = f"Sửa điểm trong khoảng 0 đến {so(maximum)}."
            elif step > 0 and value % step != 0:
                message = f"{what} không phải bội số của bước chấm {so(step)}"
                hint = (
                    f"Làm tròn về bội số của {so(step)}, hoặc sửa “Bước điểm” ở ThamSo nếu quy "
                    "chế cho phép."
                )
            else:
                continue
            yield _problem("error", "B9", message, hint, score.src.at(field))


def _leaf_scores(dossier: Dossier) -> list[Score]:
    leaves = {c.code for c in _leaves(dossier)}
    return [s for s in dossier.scores if s.criterion in leaves]


def check_self_gap(dossier: Dossier) -> Iterator[Problem]:
    """B11: a large self/cluster gap, on a criterion or in total, needs a reason."""
    flagged: set[str] = set()
    for score in _leaf_scores(dossier):
        if score.self_score is None or score.cluster_score is None or not _blank(score.reason):
            continue
        gap = abs(score.self_score - score.cluster_score)
        if gap > SELF_GAP_PER_CRITERION:
            flagged.add(score.unit)
            yield _problem(
                "warning",
                "B11",
                f"Điểm cụm chấm {so(score.cluster_score)} của {_name(dossier, score.unit)} ở "
                f"tiêu chí {score.criterion} lệch {so(gap)} điểm so với điểm tự chấm "
                f"{so(score.self_score)} (quá {so(SELF_GAP_PER_CRITERION)} điểm) mà chưa "
                "ghi lý do",
                "Ghi lý do điều chỉnh để đơn vị và hội nghị nắm được.",
                score.src.at("reason"),
            )
    for unit in sorted(dossier.units, key=lambda u: u.order):
        rows = [s for s in _leaf_scores(dossier) if s.unit == unit.code]
        both = [
            (s.self_score, s.cluster_score)
            for s in rows
            if s.self_score is not None and s.cluster_score is not None
        ]
        if unit.code in flagged or not both:
            continue
        gap = abs(sum((a - b for a, b in both), Decimal(0)))
        explained = any(not _blank(s.reason) for s in rows if s.self_score != s.cluster_score)
        if gap > SELF_GAP_TOTAL and not explained:
            yield _problem(
                "warning",
                "B11",
                f"Tổng điểm cụm chấm của {unit.full_name} lệch {so(gap)} điểm so với tổng "
                f"điểm tự chấm (quá {so(SELF_GAP_TOTAL)} điểm) mà không tiêu chí nào ghi lý do",
                "Ghi lý do điều chỉnh ở các tiêu chí bị chấm lại.",
                _sheet(dossier, (s.src for s in rows), SCORES_SHEET),
            )


def check_cluster_above_self(dossier: Dossier) -> Iterator[Problem]:
    """B12: a cluster score above the self-score is unusual and needs a reason."""
    for score in _leaf_scores(dossier):
        if score.self_score is None or score.cluster_score is None or not _blank(score.reason):
            continue
        gap = score.cluster_score - score.self_score
        if Decimal(0) < gap <= SELF_GAP_PER_CRITERION:  # larger gaps: B11
            yield _problem(
                "warning",
                "B12",
                f"Điểm cụm chấm {so(score.cluster_score)} của {_name(dossier, score.unit)} ở "
                f"tiêu chí {score.criterion} cao hơn điểm tự chấm {so(score.self_score)}",
                "Kiểm tra lại (có thể nhập nhầm cột); nếu đúng, ghi lý do điều chỉnh.",
                score.src.at("reason"),
            )


def check_adjustments(dossier: Dossier) -> Iterator[Problem]:
    """B13: bonuses and deductions are positive, have a basis, and bonuses stay under the cap."""
    cap = dossier.params.bonus_cap
    running: dict[str, Decimal] = {}
    for adj in dossier.adjustments:
        unit = _name(dossier, adj.unit)
        kind = "cộng" if adj.kind is AdjustmentKind.BONUS else "trừ"
        if adj.points <= 0:
            yield _problem(
                "error",
                "B13",
                f"Điểm {kind} {so(adj.points)} của {unit} (“{adj.reason}”) không phải số dương",
                "Nhập số điểm dương; loại “cong”/“tru” cho biết cộng hay trừ (không nhập số âm "
                "cho điểm trừ).",
                adj.src.at("points"),
            )
        if _blank(adj.basis):
            yield _problem(
                "error",
                "B13",
                f"Điểm {kind} {so(adj.points)} của {unit} (“{adj.reason}”) chưa có căn cứ",
                "Ghi văn bản làm căn cứ (số, ngày, cơ quan ban hành).",
                adj.src.at("basis"),
            )
        if adj.kind is AdjustmentKind.BONUS and cap is not None and adj.points > 0:
            before = running.get(adj.unit, Decimal(0))
            running[adj.unit] = before + adj.points
            if before <= cap < running[adj.unit]:
                yield _problem(
                    "error",
                    "B13",
                    f"Tổng điểm cộng của {unit} là {so(running[adj.unit])} tính đến dòng này, "
                    f"vượt mức trần {so(cap)}",
                    f"Giảm điểm cộng để tổng không quá {so(cap)}, hoặc sửa “Điểm cộng tối đa” "
                    "ở ThamSo.",
                    adj.src.at("points"),
                )


def _descendant_leaves(by_code: dict[str, Criterion], code: str) -> list[str]:
    children: dict[str, list[str]] = {}
    for c in by_code.values():
        if c.parent is not None:
            children.setdefault(c.parent, []).append(c.code)
    found: list[str] = []
    stack, seen = [code], {code}
    while stack:
        current = stack.pop()
        kids = children.get(current, [])
        if not kids and current != code:
            found.append(current)
        for kid in kids:
            if kid not in seen:
                seen.add(kid)
                stack.append(kid)
    return found


def check_subtotals(dossier: Dossier) -> Iterator[Problem]:
    """B14: a score row on a parent criterion (a subtotal) equals the sum of its leaves."""
    if not _tree_ok(dossier):
        return
    by_code = _criteria(dossier)
    leaves = {c.code for c in _leaves(dossier)}
    scores: dict[tuple[str, str], Score] = {}
    for score in dossier.scores:
        scores.setdefault((score.unit, score.criterion), score)
    for score in dossier.scores:
        if score.criterion not in by_code or score.criterion in leaves:
            continue
        below = _descendant_leaves(by_code, score.criterion)
        for field, label in _SCORE_FIELDS:
            value: Decimal | None = getattr(score, field)
            parts = [getattr(scores.get((score.unit, leaf)), field, None) for leaf in below]
            if value is None or not parts or any(p is None for p in parts):
                continue
            total = sum((p for p in parts if p is not None), Decimal(0))
            if value != total:
                yield _problem(
                    "error",
                    "B14",
                    f"Điểm {label} {so(value)} của {_name(dossier, score.unit)} ở tiêu chí cha "
                    f"{score.criterion} khác tổng các tiêu chí con ({so(total)})",
                    "Xóa dòng điểm của tiêu chí cha (chương trình tự cộng), hoặc tính lại "
                    "công thức rồi lưu tệp bằng Excel.",
                    score.src.at(field),
                )


def check_total_plausible(dossier: Dossier) -> Iterator[Problem]:
    """B15: a criteria total above the thang điểm, or a total unusually low."""
    results = _results(dossier)
    if results is None or not _top_sum_ok(dossier):
        return  # B7 reports a thang điểm that does not match the criteria
    maximum = dossier.cluster.max_score
    low = maximum * LOW_TOTAL_SHARE
    where = _sheet(dossier, (s.src for s in dossier.scores), SCORES_SHEET)
    for result in sorted(results.units, key=lambda r: r.unit.order):
        name = result.unit.full_name
        if result.criteria_total > maximum:
            yield _problem(
                "warning",
                "B15",
                f"Tổng điểm tiêu chí của {name} là {so(result.criteria_total)}, vượt thang "
                f"điểm {so(maximum)}",
                "Kiểm tra điểm tối đa của các tiêu chí và điểm cụm chấm.",
                where,
            )
        if result.total < low:
            yield _problem(
                "warning",
                "B15",
                f"Tổng điểm của {name} chỉ {so(result.total)}/{so(maximum)}, thấp bất "
                f"thường (dưới {so(low)})",
                "Kiểm tra các ô điểm cụm chấm (có thể thiếu một chữ số) và các điểm trừ.",
                where,
            )


# --- C. Ranking and ties ---------------------------------------------------------------------

_METHOD_WORDS = {
    RankMethod.COMPETITION: "xếp hạng kiểu thi đấu (1, 2, 3, 3, 5)",
    RankMethod.DENSE: "xếp hạng liên tiếp (1, 2, 3, 3, 4)",
}


def check_ties(dossier: Dossier) -> Iterator[Problem]:
    """C17: list ties and the rank that follows each under the configured ranking method."""
    results = _results(dossier)
    if results is None:
        return
    where = _sheet(dossier, (s.src for s in dossier.scores), SCORES_SHEET)
    method = _METHOD_WORDS[dossier.params.rank_method]
    groups = list(results.groups)
    for index, group in enumerate(groups):
        if not group.tied:
            continue
        names = _join([r.unit.full_name for r in group.units])
        if index + 1 < len(groups):
            after = groups[index + 1]
            follow = (
                f"theo cách {method}, đơn vị kế tiếp ({after.units[0].unit.full_name}) xếp "
                f"{_rank_words(after.rank)}"
            )
        else:
            follow = "không có đơn vị nào xếp sau"
        yield _problem(
            "info",
            "C17",
            f"{names} cùng {so(group.total)} điểm, đồng xếp {_rank_words(group.rank)}; {follow}",
            "Hội nghị giữ đồng hạng hoặc biểu quyết phân định; nếu quy chế của cụm quy định "
            "khác, sửa “Cách xếp hạng khi bằng điểm” ở ThamSo.",
            where,
        )


def check_boundary_ties(dossier: Dossier) -> Iterator[Problem]:
    """C18: a tie that decides a Cờ or the last Bằng khen needs a recorded vote."""
    results = _results(dossier)
    if results is None:
        return
    group_of = {r.unit.code: g for g in results.groups for r in g.units}
    flags = _flag_proposals(dossier)
    merits = _merit_proposals(dossier)
    proposed = {p.unit for p in (*flags, *merits)}
    for proposal in (*flags, *merits):
        form = _form(dossier, proposal)
        group = group_of.get(proposal.unit)
        if form is None or group is None or not group.tied:
            continue
        if proposal.vote is not None or form.needs_vote:  # needs_vote: D23 reports it
            continue
        others = [r.unit.full_name for r in group.units if r.unit.code != proposal.unit]
        if form.is_flag:
            if group.rank != 1:
                continue  # D19
            why = f"đồng hạng nhất ({so(group.total)} điểm) với {_join(others)}"
        else:
            left_out = [r.unit.full_name for r in group.units if r.unit.code not in proposed]
            if not left_out:
                continue
            why = (
                f"đồng xếp {_rank_words(group.rank)} ({so(group.total)} điểm) với "
                f"{_join(left_out)}, đơn vị không được đề nghị,"
            )
        yield _problem(
            "error",
            "C18",
            f"{_name(dossier, proposal.unit)} được đề nghị {form.name} nhưng {why} "
            "mà chưa có kết quả biểu quyết phân định",
            "Hội nghị biểu quyết chọn đơn vị; ghi kết quả ở BoPhieu và nhập mã biểu quyết vào "
            "dòng đề nghị.",
            proposal.src.at("vote"),
        )


# --- D. Proposals, quotas, eligibility -------------------------------------------------------


def check_flag(dossier: Dossier) -> Iterator[Problem]:
    """D19: a Cờ goes only to the unit ranked first, and no more Cờ than the quota."""
    flags = _flag_proposals(dossier)
    quota = dossier.params.flag_quota
    for extra in flags[quota:]:
        yield _problem(
            "error",
            "D19",
            f"Có {len(flags)} đề nghị Cờ thi đua, vượt chỉ tiêu {quota} của cụm",
            f"Giữ tối đa {quota} đề nghị Cờ (đơn vị dẫn đầu cụm); đổi hình thức hoặc xóa dòng "
            "thừa.",
            extra.src.at("form"),
        )
    results = _results(dossier)
    if results is None or not results.groups:
        return
    first = results.groups[0]
    leaders = _join([r.unit.full_name for r in first.units])
    for proposal in flags:
        if any(r.unit.code == proposal.unit for r in first.units):
            continue
        result = next((r for r in results.units if r.unit.code == proposal.unit), None)
        if result is None:
            continue  # unknown unit: the loader reports it
        form = dossier.params.award_forms[proposal.form]
        yield _problem(
            "error",
            "D19",
            f"{result.unit.full_name} xếp {_rank_words(result.rank)} ({so(result.total)} điểm) "
            f"nhưng được đề nghị {form.name}; Cờ chỉ dành cho đơn vị dẫn đầu cụm ({leaders}, "
            f"{so(first.total)} điểm)",
            "Đề nghị Cờ cho đơn vị xếp thứ nhất, hoặc kiểm tra lại điểm.",
            proposal.src.at("unit"),
        )


def check_merit_quota(dossier: Dossier) -> Iterator[Problem]:
    """D20: collectives proposed for a form other than a Cờ stay within the Bằng khen quota."""
    params = dossier.params
    n_units = len(dossier.units)
    n_flags = len(_flag_proposals(dossier))
    quota = merit_quota(n_units, n_flags, params.merit_quota_ratio, params.merit_quota_base)
    merits = _merit_proposals(dossier)
    if len(merits) <= quota:
        return
    if params.merit_quota_base is QuotaBase.REMAINING_UNITS:
        base = f"{n_units - n_flags} đơn vị còn lại sau Cờ"
    else:
        base = f"{n_units} đơn vị"
    formula = f"≤ {_pct(params.merit_quota_ratio)} × {base} = {quota}"
    for extra in merits[quota:]:
        yield _problem(
            "error",
            "D20",
            f"Có {len(merits)} tập thể được đề nghị khen (ngoài Cờ), vượt chỉ tiêu: {formula}",
            "Giảm số tập thể đề nghị theo thứ tự xếp hạng, hoặc sửa “Tỷ lệ Bằng khen tối đa” "
            "và “Cơ sở tính tỷ lệ Bằng khen” ở ThamSo theo quy chế của cụm.",
            extra.src.at("form"),
        )


def check_double_award(dossier: Dossier) -> Iterator[Problem]:
    """D21: one achievement, one form (Luật TĐKT 2022 Điều 5); W a unit proposed for Cờ and BK."""
    earlier: dict[str, list[CollectiveProposal]] = {}
    for proposal in dossier.collective_proposals:
        form = _form(dossier, proposal)
        name = _name(dossier, proposal.unit)
        for other in earlier.get(proposal.unit, []):
            other_form = _form(dossier, other)
            if match_key(other.achievement) == match_key(proposal.achievement):
                yield _problem(
                    "error",
                    "D21",
                    f"{name} được đề nghị hai lần cho cùng thành tích “{proposal.achievement}” "
                    f"(dòng {other.src.row or other.order} và dòng "
                    f"{proposal.src.row or proposal.order})",
                    "Mỗi thành tích chỉ đề nghị một hình thức khen (Luật Thi đua, khen thưởng "
                    "2022, Điều 5); xóa một dòng.",
                    proposal.src.at("form"),
                )
                break
            if form and other_form and form.is_flag != other_form.is_flag:
                yield _problem(
                    "warning",
                    "D21",
                    f"{name} được đề nghị cả {other_form.name} và {form.name}",
                    "Thường đơn vị nhận Cờ không đề nghị thêm Bằng khen cùng năm; kiểm tra quy "
                    "chế của cụm.",
                    proposal.src.at("form"),
                )
                break
        earlier.setdefault(proposal.unit, []).append(proposal)


def check_proposal_votes(dossier: Dossier) -> Iterator[Problem]:
    """D23: a proposal whose form needs a vote has one; a linked vote exists and passed."""
    votes = _votes(dossier)
    for proposal in _proposals(dossier):
        form = _form(dossier, proposal)
        what = f"Đề nghị {form.name if form else proposal.form} cho {_who(dossier, proposal)}"
        if proposal.vote is None:
            if form is not None and form.needs_vote:
                yield _problem(
                    "error",
                    "D23",
                    f"{what} chưa có kết quả biểu quyết",
                    "Hình thức này phải biểu quyết; ghi kết quả ở BoPhieu và nhập mã biểu quyết "
                    "vào dòng đề nghị.",
                    proposal.src.at("vote"),
                )
            continue
        vote = votes.get(proposal.vote)
        if vote is None:
            yield _problem(
                "error",
                "D23",
                f"{what} ghi mã biểu quyết {proposal.vote} không có trong BoPhieu",
                "Sửa mã cho đúng một dòng ở BoPhieu, hoặc thêm kết quả biểu quyết đó.",
                proposal.src.at("vote"),
            )
            continue
        result = _vote_result(dossier, vote)
        if not result.passed:
            yield _problem(
                "error",
                "D23",
                f"{what} {_vote_failure(dossier, result)}",
                "Đề nghị không được thông qua thì không đưa vào danh sách; kiểm tra lại số "
                "phiếu, hoặc “Ngưỡng thông qua biểu quyết” và “Cơ sở tính tỷ lệ biểu quyết” ở "
                "ThamSo.",
                proposal.src.at("vote"),
            )


def check_individuals(dossier: Dossier) -> Iterator[Problem]:
    """D25: individuals have a name, a gender, a title, and are not listed twice."""
    seen: dict[tuple[str, str, int | None], IndividualProposal] = {}
    genders = {match_key(g): g for g in _GENDERS}
    for person in dossier.individual_proposals:
        if _blank(person.name):
            yield _problem(
                "error",
                "D25",
                f"Dòng đề nghị cá nhân số {person.order} chưa có họ tên",
                "Nhập họ và tên đầy đủ, không viết tắt.",
                person.src.at("name"),
            )
            continue
        if match_key(person.gender) not in genders:
            yield _problem(
                "error",
                "D25",
                f"Giới tính “{person.gender}” của {person.name} không hợp lệ",
                "Ghi “Nam” hoặc “Nữ”.",
                person.src.at("gender"),
            )
        if _blank(person.title):
            yield _problem(
                "error",
                "D25",
                f"{person.name} chưa có chức vụ",
                "Nhập chức vụ của cá nhân (in trong danh sách đề nghị).",
                person.src.at("title"),
            )
        key = (match_key(person.name), person.unit, person.birth_year)
        if key in seen:
            first = seen[key]
            yield _problem(
                "error",
                "D25",
                f"{person.name} ({_name(dossier, person.unit)}, sinh năm "
                f"{person.birth_year or '?'}) có hai dòng đề nghị (số {first.order} và số "
                f"{person.order})",
                "Mỗi người một dòng, một hình thức cho một thành tích; xóa dòng trùng.",
                person.src.at("name"),
            )
        else:
            seen[key] = person


# --- E. Votes and meeting --------------------------------------------------------------------

_TALLY_LABELS = {
    "issued": "phát ra",
    "returned": "thu về",
    "valid": "hợp lệ",
    "yes": "đồng ý",
    "no": "không đồng ý",
    "abstain": "không ý kiến",
}


def check_tallies(dossier: Dossier) -> Iterator[Problem]:
    """E26: vote codes unique, counts consistent: returned ≤ issued, valid ≤ returned, sums."""
    seen: set[str] = set()
    for vote in dossier.votes:
        label = f"Biểu quyết {vote.code} (“{vote.item}”)"
        if vote.code in seen:
            yield _problem(
                "error",
                "E26",
                f"Mã biểu quyết {vote.code} bị trùng",
                "Mỗi nội dung biểu quyết một mã riêng; các dòng đề nghị dẫn tới mã này.",
                vote.src.at("code"),
            )
        seen.add(vote.code)
        negative = [f for f in _TALLY_LABELS if getattr(vote, f) < 0]
        for field in negative:
            yield _problem(
                "error",
                "E26",
                f"{label}: số phiếu {_TALLY_LABELS[field]} {getattr(vote, field)} là số âm",
                "Nhập số phiếu từ 0 trở lên.",
                vote.src.at(field),
            )
        if negative:
            continue
        if vote.returned > vote.issued:
            yield _problem(
                "error",
                "E26",
                f"{label}: số phiếu thu về {vote.returned} nhiều hơn số phát ra {vote.issued}",
                "Kiểm tra lại biên bản kiểm phiếu.",
                vote.src.at("returned"),
            )
        if vote.valid > vote.returned:
            yield _problem(
                "error",
                "E26",
                f"{label}: số phiếu hợp lệ {vote.valid} nhiều hơn số thu về {vote.returned}",
                "Kiểm tra lại biên bản kiểm phiếu.",
                vote.src.at("valid"),
            )
        counted = vote.yes + vote.no + vote.abstain
        if counted != vote.valid:
            yield _problem(
                "error",
                "E26",
                f"{label}: đồng ý {vote.yes} + không đồng ý {vote.no} + không ý kiến "
                f"{vote.abstain} = {counted}, khác số phiếu hợp lệ {vote.valid}",
                "Tổng ba loại ý kiến phải bằng số phiếu hợp lệ; kiểm tra lại biên bản kiểm phiếu.",
                vote.src.at("yes"),
            )


def check_quorum(dossier: Dossier) -> Iterator[Problem]:
    """E27: enough member units present, and every absent unit has a reason."""
    codes = [u.code for u in sorted(dossier.units, key=lambda u: u.order)]
    if not codes:
        return
    attendees = dossier.meeting.attendees
    where = _sheet(dossier, (a.src for a in attendees), ATTENDEES_SHEET)
    present = present_units(dossier) & set(codes)
    quorum = dossier.params.quorum
    # 2/3 as a Decimal is 0,666…7: round the product before comparing, or 6/9 would fail.
    needed = (quorum * len(codes)).quantize(Decimal("0.000001"))
    if len(present) < needed:
        at_least = int(needed.to_integral_value(rounding=ROUND_CEILING))
        yield _problem(
            "error",
            "E27",
            f"Hội nghị chỉ có {len(present)}/{len(codes)} đơn vị có mặt, chưa đủ "
            f"{_pct(quorum)} số đơn vị thành viên (cần ít nhất {at_least})",
            "Kiểm tra cột có mặt ở ThanhPhan; nếu đúng là thiếu, hội nghị chưa đủ điều kiện "
            "biểu quyết.",
            where,
        )
    for code in codes:
        if code in present:
            continue
        rows = [a for a in attendees if a.unit == code and not a.guest]
        if not rows:
            yield _problem(
                "error",
                "E27",
                f"{_name(dossier, code)} không có đại biểu nào trong thành phần hội nghị",
                "Thêm đại biểu của đơn vị; nếu vắng, ghi “Có mặt” là Không và ghi lý do vắng.",
                where,
            )
        elif all(_blank(a.absence_reason) for a in rows):
            yield _problem(
                "error",
                "E27",
                f"{_name(dossier, code)} vắng mặt nhưng chưa ghi lý do",
                "Ghi lý do vắng (biên bản phải nêu đơn vị vắng và lý do).",
                rows[0].src.at("absence_reason"),
            )


def check_dates(dossier: Dossier) -> Iterator[Problem]:
    """E28: meeting times and dates in order; covenant year N + 1."""
    meeting = dossier.meeting
    cluster = dossier.cluster
    if meeting.end <= meeting.start:
        yield _problem(
            "error",
            "E28",
            f"Hội nghị kết thúc lúc {meeting.end:%H:%M}, không sau giờ bắt đầu "
            f"{meeting.start:%H:%M}",
            "Sửa giờ bắt đầu hoặc giờ kết thúc (định dạng 24 giờ, ví dụ 14:30).",
            meeting.src.at("end"),
        )
    if meeting.date.year not in (cluster.year, cluster.year + 1):
        yield _problem(
            "warning",
            "E28",
            f"Hội nghị tổng kết năm {cluster.year} họp ngày {_ngay(meeting.date)}, ngoài năm "
            f"{cluster.year} và {cluster.year + 1}",
            "Kiểm tra ngày họp và năm thi đua.",
            meeting.src.at("date"),
        )
    docs = cluster.documents
    checks: list[tuple[str, Severity, Callable[[date], bool], str, str]] = [
        (
            "bao_cao",
            "error",
            lambda d: d > meeting.date,
            "Báo cáo tổng kết ký ngày {d}, sau ngày họp {m}",
            "Báo cáo trình hội nghị nên ký trước hoặc trong ngày họp; sửa ngày ký báo cáo.",
        ),
        (
            "bien_ban",
            "error",
            lambda d: d < meeting.date,
            "Biên bản ký ngày {d}, trước ngày họp {m}",
            "Biên bản lập tại hoặc sau hội nghị; sửa ngày ký biên bản hoặc ngày họp.",
        ),
        (
            "giao_uoc",
            "warning",
            lambda d: d < meeting.date,
            "Bản giao ước ký ngày {d}, trước ngày họp {m}",
            "Giao ước thường ký tại hội nghị; kiểm tra lại ngày ký.",
        ),
        (
            "danh_sach",
            "warning",
            lambda d: d < meeting.date,
            "Danh sách đề nghị khen thưởng ký ngày {d}, trước ngày họp {m}",
            "Danh sách lập theo kết quả bình xét của hội nghị; kiểm tra lại ngày ký.",
        ),
    ]
    for kind, severity, wrong, message, hint in checks:
        info = docs.get(kind)
        if info is None or info.signing_date is None or not wrong(info.signing_date):
            continue
        yield _problem(
            severity,
            "E28",
            message.format(d=_ngay(info.signing_date), m=_ngay(meeting.date)),
            hint,
            info.src.at("signing_date"),
        )
    decision = dossier.params.decision_date
    if decision is not None and decision < meeting.date:
        yield _problem(
            "warning",
            "E28",
            f"Ngày dự kiến quyết định khen thưởng {_ngay(decision)} trước ngày họp "
            f"{_ngay(meeting.date)}",
            "Quyết định khen thưởng ban hành sau khi cụm đề nghị; sửa “Ngày dự kiến quyết "
            "định khen thưởng” ở ThamSo (ngày này chọn mức lương cơ sở để tính tiền thưởng).",
            dossier.params.src.at("decision_date"),
        )
    if cluster.covenant_year != cluster.year + 1:
        yield _problem(
            "error",
            "E28",
            f"Năm giao ước {cluster.covenant_year} không phải năm liền sau năm thi đua "
            f"{cluster.year}",
            f"Hội nghị tổng kết năm {cluster.year} ký giao ước năm {cluster.year + 1}.",
            cluster.src.at("covenant_year"),
        )


def check_chair(dossier: Dossier) -> Iterator[Problem]:
    """E29: chair and secretary named with titles; W a chair not from the cụm trưởng unit."""
    meeting = dossier.meeting
    for person, role in ((meeting.chair, "người chủ trì"), (meeting.secretary, "thư ký")):
        if _blank(person.name):
            yield _problem(
                "error",
                "E29",
                f"Chưa có họ tên {role} hội nghị",
                f"Nhập họ tên {role}: biên bản in tên và chữ ký.",
                person.src.at("name"),
            )
        if _blank(person.title):
            yield _problem(
                "error",
                "E29",
                f"Chưa có chức vụ {role} hội nghị",
                f"Nhập chức vụ {role}.",
                person.src.at("title"),
            )
    head = _only_head(dossier)
    chair = meeting.chair
    if head is not None and not _blank(chair.name) and chair.unit != head.code:
        where = _name(dossier, chair.unit) if chair.unit else chair.organization or "ngoài cụm"
        yield _problem(
            "warning",
            "E29",
            f"Người chủ trì {chair.name} thuộc {where}, không thuộc đơn vị Cụm trưởng "
            f"{head.full_name}",
            "Chủ trì thường là lãnh đạo đơn vị Cụm trưởng; nếu được ủy quyền, nêu rõ trong "
            "biên bản, hoặc sửa đơn vị của người chủ trì.",
            chair.src.at("unit"),
        )


def check_rotation(dossier: Dossier) -> Iterator[Problem]:
    """E30: next year's head and deputy: two different member units, year N + 1, vote passed."""
    rotation = dossier.rotation
    year = dossier.cluster.year
    codes = {u.code for u in dossier.units}
    if rotation.year != year + 1:
        yield _problem(
            "error",
            "E30",
            f"Luân phiên ghi cho năm {rotation.year}, không phải năm {year + 1}",
            f"Hội nghị tổng kết năm {year} bầu Cụm trưởng, Cụm phó năm {year + 1}.",
            rotation.src.at("year"),
        )
    for field, label in (("head", "Cụm trưởng"), ("deputy", "Cụm phó")):
        code: str = getattr(rotation, field)
        if code not in codes:
            yield _problem(
                "error",
                "E30",
                f"{label} năm {rotation.year} ({code}) không phải đơn vị thành viên của cụm",
                "Ghi mã một đơn vị có trong DonVi.",
                rotation.src.at(field),
            )
    if rotation.head == rotation.deputy:
        yield _problem(
            "error",
            "E30",
            f"{_name(dossier, rotation.head)} vừa là Cụm trưởng vừa là Cụm phó năm {rotation.year}",
            "Cụm trưởng và Cụm phó là hai đơn vị khác nhau; sửa một trong hai.",
            rotation.src.at("deputy"),
        )
    head = _only_head(dossier)
    if head is not None and rotation.head == head.code:
        yield _problem(
            "warning",
            "E30",
            f"{head.full_name} tiếp tục làm Cụm trưởng năm {rotation.year}",
            "Cụm trưởng thường luân phiên hằng năm; kiểm tra lại kết quả bầu.",
            rotation.src.at("head"),
        )
    if rotation.vote is not None:
        vote = _votes(dossier).get(rotation.vote)
        if vote is None:
            yield _problem(
                "error",
                "E30",
                f"Luân phiên ghi mã biểu quyết {rotation.vote} không có trong BoPhieu",
                "Sửa mã cho đúng một dòng ở BoPhieu, hoặc thêm kết quả biểu quyết đó.",
                rotation.src.at("vote"),
            )
        elif not (result := _vote_result(dossier, vote)).passed:
            yield _problem(
                "error",
                "E30",
                f"Bầu Cụm trưởng, Cụm phó năm {rotation.year} {_vote_failure(dossier, result)}",
                "Kiểm tra lại số phiếu, hoặc “Ngưỡng thông qua biểu quyết” và “Cơ sở tính tỷ lệ "
                "biểu quyết” ở ThamSo.",
                rotation.src.at("vote"),
            )


# --- F. Money --------------------------------------------------------------------------------


def _paid_forms(dossier: Dossier) -> list[AwardForm]:
    """Known forms with a coefficient that some proposal uses: prize money will be printed."""
    used = {p.form for p in _proposals(dossier)}
    forms = dossier.params.award_forms
    return [f for code, f in forms.items() if code in used and f.coefficient is not None]


def check_base_salary(dossier: Dossier) -> Iterator[Problem]:
    """F31: the base salary in force on the decision date exists; W a later one is known."""
    params = dossier.params
    if not _paid_forms(dossier):
        return
    day = params.decision_date or dossier.meeting.date
    basis = (
        f"ngày quyết định dự kiến {_ngay(day)}"
        if params.decision_date
        else f"ngày họp {_ngay(day)} (chưa có ngày quyết định dự kiến)"
    )
    salary = base_salary_on(params.base_salaries, day)
    if salary is None:
        yield _problem(
            "error",
            "F31",
            f"Không có mức lương cơ sở nào có hiệu lực vào {basis}, nên không tính được "
            "tiền thưởng",
            "Thêm ở sheet LuongCoSo mức lương cơ sở áp dụng vào ngày đó và ngày bắt đầu áp "
            "dụng (ví dụ 2.340.000 đồng từ 01/07/2024, Nghị định 73/2024/NĐ-CP).",
            _sheet(dossier, (s.src for s in params.base_salaries), SALARIES_SHEET),
        )
        return
    horizon = day + DECISION_SLACK
    later = [s for s in params.base_salaries if day < s.effective_from <= horizon]
    if later:
        nxt = min(later, key=lambda s: s.effective_from)
        yield _problem(
            "warning",
            "F31",
            f"Tiền thưởng tính theo mức lương cơ sở {so(salary.amount)} đồng ({basis}); từ "
            f"{_ngay(nxt.effective_from)} mức mới là {so(nxt.amount)} đồng — nếu quyết định "
            "khen thưởng ký từ ngày đó, số tiền sẽ khác",
            "Ghi “Ngày dự kiến quyết định khen thưởng” ở ThamSo (tiền thưởng theo mức lương "
            "cơ sở tại ngày ký quyết định) và kiểm tra lại trước khi trình.",
            nxt.src.at("effective_from"),
        )


def check_coefficients(dossier: Dossier) -> Iterator[Problem]:
    """F32: each proposal's form exists and fits its recipient; coefficients usable."""
    forms = dossier.params.award_forms
    warned: set[str] = set()
    for proposal in _proposals(dossier):
        collective = isinstance(proposal, CollectiveProposal)
        recipient = Recipient.COLLECTIVE if collective else Recipient.INDIVIDUAL
        kind = "tập thể" if collective else "cá nhân"
        form = forms.get(proposal.form)
        if form is None:
            yield _problem(
                "error",
                "F32",
                f"Hình thức {proposal.form} đề nghị cho {_who(dossier, proposal)} không có "
                "trong bảng hình thức khen thưởng",
                "Sửa mã hình thức cho đúng một dòng ở HinhThuc, hoặc thêm hình thức đó kèm hệ số.",
                proposal.src.at("form"),
            )
            continue
        if form.recipient is not recipient:
            yield _problem(
                "error",
                "F32",
                f"{form.name} ({form.code}) là hình thức cho "
                f"{'tập thể' if form.recipient is Recipient.COLLECTIVE else 'cá nhân'}, nhưng "
                f"được đề nghị cho {kind} {_who(dossier, proposal)}",
                f"Chọn hình thức dành cho {kind} (hệ số tiền thưởng của tập thể và cá nhân "
                "khác nhau).",
                proposal.src.at("form"),
            )
            continue
        if form.code in warned:
            continue
        warned.add(form.code)
        if form.coefficient is None:
            yield _problem(
                "info",
                "F32",
                f"{form.name} chưa có hệ số tiền thưởng: danh sách sẽ không in số tiền cho "
                "hình thức này",
                "Nhập hệ số (× mức lương cơ sở) nếu có tiền thưởng; bỏ qua nếu là hình thức "
                "khen của Đảng không kèm tiền thưởng theo Nghị định.",
                form.src.at("coefficient"),
            )
        elif form.coefficient < 0:
            yield _problem(
                "error",
                "F32",
                f"Hệ số tiền thưởng {so(form.coefficient)} của {form.name} là số âm",
                "Nhập hệ số dương theo Nghị định 152/2025/NĐ-CP (ví dụ Cờ thi đua cấp tỉnh: 8,0).",
                form.src.at("coefficient"),
            )


def _document_day(dossier: Dossier, kind: str) -> tuple[date, bool]:
    """A document's date (what the documents print) and whether it is its own signing date."""
    info = dossier.cluster.documents.get(kind)
    if info is not None and info.signing_date is not None:
        return info.signing_date, True
    return dossier.meeting.date, False


def check_legal_bases(dossier: Dossier) -> Iterator[Problem]:
    """F33: a căn cứ cites only texts in force on its document's date (:data:`LEGAL_TEXTS`).

    A line shared by several documents is reported once per text, for the first document (in
    the order báo cáo, biên bản, giao ước, danh sách) whose date is outside the text's force.
    """
    for basis in dossier.legal_bases:
        for text in LEGAL_TEXTS:
            if not text.pattern.search(basis.text):
                continue
            for kind in (k for k in DOCUMENT_KINDS if k in basis.documents):
                day, signed = _document_day(dossier, kind)
                document = _DOCUMENT_NAMES[kind]
                when = (
                    f"{document} ký ngày {_ngay(day)}"
                    if signed
                    else f"{document} chưa ghi ngày ký, tính theo ngày họp {_ngay(day)}"
                )
                date_fix = f"sửa ngày ký của {document} ở sheet VanBan nếu ngày đó sai"
                if text.in_force_from is not None and day < text.in_force_from:
                    message = (
                        f"Căn cứ viện dẫn {text.name}, nhưng {when}: văn bản này chỉ có hiệu "
                        f"lực từ ngày {_ngay(text.in_force_from)}"
                    )
                    hint = (
                        f"Bỏ căn cứ này hoặc thay bằng văn bản đang có hiệu lực vào ngày "
                        f"{_ngay(day)}; hoặc {date_fix}."
                    )
                elif text.in_force_until is not None and day > text.in_force_until:
                    successor = f" ({text.replaced_by})" if text.replaced_by else ""
                    message = (
                        f"Căn cứ viện dẫn {text.name}, nhưng {when}: văn bản này đã hết hiệu "
                        f"lực từ ngày {_ngay(text.in_force_until + timedelta(days=1))}"
                    )
                    hint = (
                        f"Thay bằng văn bản thay thế đang có hiệu lực vào ngày {_ngay(day)}"
                        f"{successor}; hoặc {date_fix}."
                    )
                else:
                    continue
                yield _problem("error", "F33", message, hint, basis.src.at("text"))
                break


#: Every rule, in the order of domain-thidua.md §9.
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


def validate(dossier: Dossier, rules: Iterable[Rule] = RULES) -> list[Problem]:
    """Every problem :data:`RULES` find in ``dossier``, in rule order; empty when all is well."""
    return [problem for rule in rules for problem in rule(dossier)]
