"""Rule group C, ranking and ties (domain-thidua.md §9 C): ties in the computed ranks, and ties
that decide an award.

Pure: no I/O, no clock, no locale. Both rules judge the results computed once for the dossier
(:func:`pipeline.domain.scoring.results_if_computable`) and find nothing without them.
"""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.domain.model import Dossier, RankMethod
from pipeline.domain.rules.common import (
    flag_proposals,
    form_of,
    merit_proposals,
    sheet_location,
    unit_name,
)
from pipeline.domain.scoring import Results
from pipeline.errors import Problem
from pipeline.vi import noi, so, thu_hang

_METHOD_WORDS = {
    RankMethod.COMPETITION: "xếp hạng kiểu thi đấu (1, 2, 3, 3, 5)",
    RankMethod.DENSE: "xếp hạng liên tiếp (1, 2, 3, 3, 4)",
}


def check_ties(dossier: Dossier, results: Results | None) -> Iterator[Problem]:
    """C17: list ties and the rank that follows each under the configured ranking method."""
    if results is None:
        return
    where = sheet_location(dossier, "scores", (s.src for s in dossier.scores))
    method = _METHOD_WORDS[dossier.params.rank_method]
    groups = list(results.groups)
    for index, group in enumerate(groups):
        if not group.tied:
            continue
        names = noi([r.unit.full_name for r in group.units])
        if index + 1 < len(groups):
            after = groups[index + 1]
            follow = (
                f"theo cách {method}, đơn vị kế tiếp ({after.units[0].unit.full_name}) xếp "
                f"{thu_hang(after.rank)}"
            )
        else:
            follow = "không có đơn vị nào xếp sau"
        yield Problem(
            "info",
            "C17",
            f"{names} cùng {so(group.total)} điểm, đồng xếp {thu_hang(group.rank)}; {follow}",
            "Hội nghị giữ đồng hạng hoặc biểu quyết phân định; nếu quy chế của cụm quy định "
            "khác, sửa “Cách xếp hạng khi bằng điểm” ở ThamSo.",
            where,
        )


def check_boundary_ties(dossier: Dossier, results: Results | None) -> Iterator[Problem]:
    """C18: a tie that decides a Cờ or the last Bằng khen needs a recorded vote."""
    if results is None:
        return
    group_of = {r.unit.code: g for g in results.groups for r in g.units}
    flags = flag_proposals(dossier)
    merits = merit_proposals(dossier)
    proposed = {p.unit for p in (*flags, *merits)}
    for proposal in (*flags, *merits):
        form = form_of(dossier, proposal)
        group = group_of.get(proposal.unit)
        if form is None or group is None or not group.tied:
            continue
        if proposal.vote is not None or form.needs_vote:  # needs_vote: D23 reports it
            continue
        others = [r.unit.full_name for r in group.units if r.unit.code != proposal.unit]
        if form.is_flag:
            if group.rank != 1:
                continue  # D19
            why = f"đồng hạng nhất ({so(group.total)} điểm) với {noi(others)}"
        else:
            left_out = [r.unit.full_name for r in group.units if r.unit.code not in proposed]
            if not left_out:
                continue
            why = (
                f"đồng xếp {thu_hang(group.rank)} ({so(group.total)} điểm) với "
                f"{noi(left_out)}, đơn vị không được đề nghị,"
            )
        yield Problem(
            "error",
            "C18",
            f"{unit_name(dossier, proposal.unit)} được đề nghị {form.name} nhưng {why} "
            "mà chưa có kết quả biểu quyết phân định",
            "Hội nghị biểu quyết chọn đơn vị; ghi kết quả ở BoPhieu và nhập mã biểu quyết vào "
            "dòng đề nghị.",
            proposal.src.at("vote"),
        )
