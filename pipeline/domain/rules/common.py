"""What several rule groups share: locations, lookups, and the wording of percentages, dates and
votes.

Pure: no I/O, no clock, no locale. Lookups tolerate a partly broken dossier: a unit code that is
not in ``DonVi`` names itself, a duplicated code finds the first of its rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from pipeline.domain.model import (
    AwardForm,
    CollectiveProposal,
    Criterion,
    Dossier,
    IndividualProposal,
    Source,
    Vote,
    VoteBase,
)
from pipeline.domain.scoring import VoteResult, criteria_by_code, leaf_criteria
from pipeline.errors import Location
from pipeline.vi import so

Proposal = CollectiveProposal | IndividualProposal

# --- wording (Vietnamese style) --------------------------------------------------------------


def percent(ratio: Decimal) -> str:
    """A ratio as a percentage with at most one decimal.

    >>> percent(Decimal(7) / Decimal(9)), percent(Decimal("0.8")), percent(Decimal(2) / Decimal(3))
    ('77,8%', '80%', '66,7%')
    """
    return so((ratio * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)) + "%"


def short_date(day: date) -> str:
    """A date as ``dd/mm/yyyy``, the year always on four digits.

    >>> short_date(date(2026, 1, 5)), short_date(date(1, 1, 1))
    ('05/01/2026', '01/01/0001')
    """
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


_BASE_WORDS = {
    VoteBase.MEMBERS: "tổng số {n} đơn vị thành viên",
    VoteBase.PRESENT: "{n} đơn vị có mặt",
    VoteBase.VALID: "{n} phiếu hợp lệ",
}


def in_year(year: int | None) -> str:
    """`` năm 2014`` after a title, or nothing when the year could not be read.

    >>> "Cụm trưởng" + in_year(2014), "Cụm trưởng" + in_year(None)
    ('Cụm trưởng năm 2014', 'Cụm trưởng')
    """
    return "" if year is None else f" năm {year}"


def votes_judgeable(dossier: Dossier) -> bool:
    """Whether a vote's result can be judged: the count it is divided by is known (the units,
    and the attendees when the base is the units present)."""
    if not dossier.readable("units"):
        return False
    return dossier.params.vote_base is not VoteBase.PRESENT or dossier.readable("attendees")


def vote_failure(dossier: Dossier, result: VoteResult) -> str:
    """``đạt 7/9 phiếu (77,8%), chưa đạt ngưỡng 80% (tính trên tổng số 9 đơn vị thành viên)``."""
    params = dossier.params
    sign = "≥" if params.vote_threshold_inclusive else ">"
    base = _BASE_WORDS[params.vote_base].format(n=result.base_count)
    return (
        f"đạt {result.vote.yes}/{result.base_count} phiếu đồng ý ({percent(result.ratio)}), "
        f"chưa đạt ngưỡng {sign} {percent(params.vote_threshold)} (tính trên {base})"
    )


# --- locations -------------------------------------------------------------------------------


def _file(dossier: Dossier) -> str:
    return dossier.cluster.src.file or dossier.path


def sheet_location(dossier: Dossier, part: str, records: Iterable[Source]) -> Location:
    """A whole sheet, without a cell: for a problem about rows that are missing altogether.

    The sheet is the title the ``part`` of the dossier (``"scores"``, ``"units"``, …) had in the
    file (:attr:`~pipeline.domain.model.Dossier.sheets`); for a dossier built in code, which knows
    no titles, the sheet of the first of ``records`` that names one; else the file alone.
    """
    title = dossier.sheet(part)
    if title:
        return Location(file=_file(dossier), sheet=title)
    for src in records:
        if src.sheet:
            return Location(file=src.file or _file(dossier), sheet=src.sheet)
    return Location(file=_file(dossier))


# --- lookups ---------------------------------------------------------------------------------


def unit_name(dossier: Dossier, code: str) -> str:
    """A unit's full name, or its code when the unit is unknown."""
    return next((u.full_name for u in dossier.units if u.code == code), code)


def blank(text: str | None) -> bool:
    return text is None or not text.strip()


def leaves(dossier: Dossier) -> list[Criterion]:
    """The leaf criteria (the first of duplicated codes): the ones units are scored on."""
    return leaf_criteria(criteria_by_code(dossier).values())


def votes_by_code(dossier: Dossier) -> dict[str, Vote]:
    """Votes by code; of duplicated codes the first (E26 reports the others)."""
    found: dict[str, Vote] = {}
    for vote in dossier.votes:
        found.setdefault(vote.code, vote)
    return found


def proposals(dossier: Dossier) -> Iterator[Proposal]:
    """Collective proposals, then individual ones, each in row order."""
    yield from dossier.collective_proposals
    yield from dossier.individual_proposals


def who(dossier: Dossier, proposal: Proposal) -> str:
    """The unit proposed, or ``Name (unit)`` for a person."""
    if isinstance(proposal, CollectiveProposal):
        return unit_name(dossier, proposal.unit)
    return f"{proposal.name} ({unit_name(dossier, proposal.unit)})"


def form_of(dossier: Dossier, proposal: Proposal) -> AwardForm | None:
    """The proposal's award form, ``None`` when its code is unknown (F32 reports it)."""
    return dossier.params.award_forms.get(proposal.form)


def flag_proposals(dossier: Dossier) -> list[CollectiveProposal]:
    """Collective proposals for a Cờ thi đua."""
    return [
        p
        for p in dossier.collective_proposals
        if (form := form_of(dossier, p)) is not None and form.is_flag
    ]


def merit_proposals(dossier: Dossier) -> list[CollectiveProposal]:
    """Collective proposals of a known form other than a Cờ: they count against the BK quota."""
    return [
        p
        for p in dossier.collective_proposals
        if (form := form_of(dossier, p)) is not None and not form.is_flag
    ]
