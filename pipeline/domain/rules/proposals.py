"""Rule group D, proposals, quotas and eligibility (domain-thidua.md §9 D): the DeNghiTapThe and
DeNghiCaNhan sheets against the ranks, the quotas, the votes and the one-form principle.

Pure: no I/O, no clock, no locale.
"""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.domain.model import CollectiveProposal, Dossier, IndividualProposal, QuotaBase
from pipeline.domain.rules.common import (
    blank,
    flag_proposals,
    form_of,
    merit_proposals,
    percent,
    proposals,
    unit_name,
    vote_failure,
    votes_by_code,
    votes_judgeable,
    who,
)
from pipeline.domain.scoring import Results, merit_quota, vote_result
from pipeline.errors import Problem
from pipeline.vi import match_key, noi, so, thu_hang

_GENDERS = ("Nam", "Nữ")


def check_flag(dossier: Dossier, results: Results | None) -> Iterator[Problem]:
    """D19: a Cờ goes only to the unit ranked first, and no more Cờ than the quota."""
    flags = flag_proposals(dossier)
    quota = dossier.params.flag_quota
    for extra in flags[quota:]:
        yield Problem(
            "error",
            "D19",
            f"Có {len(flags)} đề nghị Cờ thi đua, vượt chỉ tiêu {quota} của cụm",
            f"Giữ tối đa {quota} đề nghị Cờ (đơn vị dẫn đầu cụm); đổi hình thức hoặc xóa dòng "
            "thừa.",
            extra.src.at("form"),
        )
    if results is None or not results.groups:
        return
    first = results.groups[0]
    leaders = noi([r.unit.full_name for r in first.units])
    for proposal in flags:
        if any(r.unit.code == proposal.unit for r in first.units):
            continue
        result = next((r for r in results.units if r.unit.code == proposal.unit), None)
        if result is None:
            continue  # unknown unit: the loader reports it
        form = dossier.params.award_forms[proposal.form]
        yield Problem(
            "error",
            "D19",
            f"{result.unit.full_name} xếp {thu_hang(result.rank)} ({so(result.total)} điểm) "
            f"nhưng được đề nghị {form.name}; Cờ chỉ dành cho đơn vị dẫn đầu cụm ({leaders}, "
            f"{so(first.total)} điểm)",
            "Đề nghị Cờ cho đơn vị xếp thứ nhất, hoặc kiểm tra lại điểm.",
            proposal.src.at("unit"),
        )


def check_merit_quota(dossier: Dossier, results: Results | None) -> Iterator[Problem]:
    """D20: collectives proposed for a form other than a Cờ stay within the Bằng khen quota."""
    params = dossier.params
    if not dossier.readable("units"):
        return  # the quota counts the units: the loader reports DonVi
    n_units = len(dossier.units)
    n_flags = len(flag_proposals(dossier))
    quota = merit_quota(n_units, n_flags, params.merit_quota_ratio, params.merit_quota_base)
    merits = merit_proposals(dossier)
    if len(merits) <= quota:
        return
    if params.merit_quota_base is QuotaBase.REMAINING_UNITS:
        base = f"{n_units - n_flags} đơn vị còn lại sau Cờ"
    else:
        base = f"{n_units} đơn vị"
    formula = f"≤ {percent(params.merit_quota_ratio)} × {base} = {quota}"
    for extra in merits[quota:]:
        yield Problem(
            "error",
            "D20",
            f"Có {len(merits)} tập thể được đề nghị khen (ngoài Cờ), vượt chỉ tiêu: {formula}",
            "Giảm số tập thể đề nghị theo thứ tự xếp hạng, hoặc sửa “Tỷ lệ Bằng khen tối đa” "
            "và “Cơ sở tính tỷ lệ Bằng khen” ở ThamSo theo quy chế của cụm.",
            extra.src.at("form"),
        )


def check_double_award(dossier: Dossier, results: Results | None) -> Iterator[Problem]:
    """D21: one achievement, one form (Luật TĐKT 2022 Điều 5); W a unit proposed for Cờ and BK."""
    earlier: dict[str, list[CollectiveProposal]] = {}
    for proposal in dossier.collective_proposals:
        form = form_of(dossier, proposal)
        name = unit_name(dossier, proposal.unit)
        for other in earlier.get(proposal.unit, []):
            other_form = form_of(dossier, other)
            if match_key(other.achievement) == match_key(proposal.achievement):
                yield Problem(
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
                yield Problem(
                    "warning",
                    "D21",
                    f"{name} được đề nghị cả {other_form.name} và {form.name}",
                    "Thường đơn vị nhận Cờ không đề nghị thêm Bằng khen cùng năm; kiểm tra quy "
                    "chế của cụm.",
                    proposal.src.at("form"),
                )
                break
        earlier.setdefault(proposal.unit, []).append(proposal)


def check_proposal_votes(dossier: Dossier, results: Results | None) -> Iterator[Problem]:
    """D23: a proposal whose form needs a vote has one; a linked vote exists and passed."""
    votes = votes_by_code(dossier)
    for proposal in proposals(dossier):
        form = form_of(dossier, proposal)
        what = f"Đề nghị {form.name if form else proposal.form} cho {who(dossier, proposal)}"
        if proposal.vote is None:
            if form is not None and form.needs_vote:
                yield Problem(
                    "error",
                    "D23",
                    f"{what} chưa có kết quả biểu quyết",
                    "Hình thức này phải biểu quyết; ghi kết quả ở BoPhieu và nhập mã biểu quyết "
                    "vào dòng đề nghị.",
                    proposal.src.at("vote"),
                )
            continue
        vote = votes.get(proposal.vote)
        if vote is None and dossier.readable("votes"):
            yield Problem(
                "error",
                "D23",
                f"{what} ghi mã biểu quyết {proposal.vote} không có trong BoPhieu",
                "Sửa mã cho đúng một dòng ở BoPhieu, hoặc thêm kết quả biểu quyết đó.",
                proposal.src.at("vote"),
            )
        if vote is None or not votes_judgeable(dossier):  # unknown, unreadable or unjudgeable
            continue
        result = vote_result(dossier, vote)
        if not result.passed:
            yield Problem(
                "error",
                "D23",
                f"{what} {vote_failure(dossier, result)}",
                "Đề nghị không được thông qua thì không đưa vào danh sách; kiểm tra lại số "
                "phiếu, hoặc “Ngưỡng thông qua biểu quyết” và “Cơ sở tính tỷ lệ biểu quyết” ở "
                "ThamSo.",
                proposal.src.at("vote"),
            )


def check_individuals(dossier: Dossier, results: Results | None) -> Iterator[Problem]:
    """D25: individuals have a name, a gender, a title, and are not listed twice."""
    seen: dict[tuple[str, str, int | None], IndividualProposal] = {}
    genders = {match_key(g): g for g in _GENDERS}
    for person in dossier.individual_proposals:
        if blank(person.name):
            yield Problem(
                "error",
                "D25",
                f"Dòng đề nghị cá nhân số {person.order} chưa có họ tên",
                "Nhập họ và tên đầy đủ, không viết tắt.",
                person.src.at("name"),
            )
            continue
        if match_key(person.gender) not in genders:
            yield Problem(
                "error",
                "D25",
                f"Giới tính “{person.gender}” của {person.name} không hợp lệ",
                "Ghi “Nam” hoặc “Nữ”.",
                person.src.at("gender"),
            )
        if blank(person.title):
            yield Problem(
                "error",
                "D25",
                f"{person.name} chưa có chức vụ",
                "Nhập chức vụ của cá nhân (in trong danh sách đề nghị).",
                person.src.at("title"),
            )
        key = (match_key(person.name), person.unit, person.birth_year)
        if key in seen:
            first = seen[key]
            yield Problem(
                "error",
                "D25",
                f"{person.name} ({unit_name(dossier, person.unit)}, sinh năm "
                f"{person.birth_year or '?'}) có hai dòng đề nghị (số {first.order} và số "
                f"{person.order})",
                "Mỗi người một dòng, một hình thức cho một thành tích; xóa dòng trùng.",
                person.src.at("name"),
            )
        else:
            seen[key] = person
