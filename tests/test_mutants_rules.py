"""Rules at the edges the rule table (test_validate.CASES) does not reach: the force of each
legal text on the first and last day (domain-thidua.md §0 item 1 and §1.1), ties that decide
nothing (C18), and whole-sheet locations of a dossier built in code."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from test_validate import (
    FILE,
    add_collective,
    attendees,
    basis,
    bdv_ties_btg,
    both,
    collectives,
    criteria,
    criterion,
    document_date,
    form_changes,
    individuals,
    meeting,
    params,
    salaries,
    scores,
    unsigned,
    valid_dossier,
    votes,
)

from pipeline.domain.model import Source, VoteBase
from pipeline.domain.rules import check_legal_bases, validate
from pipeline.domain.rules.common import sheet_location
from pipeline.errors import Location

# (a citation, the first day it is in force or None, the last day or None), from
# domain-thidua.md §0 item 1: Luật TĐKT 06/2022/QH15 in force from 01/01/2024; NĐ 98/2023 from
# 01/01/2024 until NĐ 152/2025 took effect on 01/7/2025; TT 01/2024/TT-BNV until TT 15/2025
# took effect on 05/8/2025; NĐ 152/2025 from 01/7/2025.
FORCE = [
    ("Luật Thi đua, khen thưởng số 06/2022/QH15", date(2024, 1, 1), None),
    ("Nghị định số 98/2023/NĐ-CP", date(2024, 1, 1), date(2025, 6, 30)),
    ("Thông tư số 01/2024/TT-BNV", None, date(2025, 8, 4)),
    ("Nghị định số 152/2025/NĐ-CP", date(2025, 7, 1), None),
]
DAY = timedelta(days=1)


def _f33(text: str, day: date) -> list[str]:
    d = replace(valid_dossier(), legal_bases=(basis(2, text, "giao_uoc"),))
    return [
        p.message for p in validate(document_date("giao_uoc", day)(d), rules=(check_legal_bases,))
    ]


@pytest.mark.parametrize(("text", "first", "last"), FORCE, ids=[t for t, _, _ in FORCE])
def test_each_text_is_in_force_from_its_first_to_its_last_day(
    text: str, first: date | None, last: date | None
) -> None:
    if first is not None:
        assert _f33(text, first) == []
        assert _f33(text, first + DAY) == []
        [message] = _f33(text, first - DAY)
        assert f"chỉ có hiệu lực từ ngày {first:%d/%m/%Y}" in message
    if last is not None:
        assert _f33(text, last) == []
        assert _f33(text, last - DAY) == []
        [message] = _f33(text, last + DAY)
        assert f"đã hết hiệu lực từ ngày {last + DAY:%d/%m/%Y}" in message


def _codes(mutate: object) -> list[str]:
    return [p.code for p in validate(mutate(valid_dossier()))]  # type: ignore[operator]


def test_a_tie_below_the_top_does_not_decide_a_flag() -> None:
    # BTG, level second with BDV, is proposed for the Cờ (which needs no vote here): D19 says a
    # Cờ goes to the leader only; the tie decides no Cờ, so C18 stays silent.
    codes = _codes(both(bdv_ties_btg, form_changes("CO", needs_vote=False),
                        collectives(0, unit="BTG", vote=None)))  # fmt: skip
    assert "D19" in codes
    assert "C18" not in codes


def test_a_tie_among_units_all_proposed_needs_no_vote() -> None:
    # BTG and BDV tie and both are proposed for the same Bằng khen: nobody is left out.
    d = valid_dossier()
    both_proposed = both(
        bdv_ties_btg,
        collectives(1, form="TTLDXS", vote=None),
        add_collective(replace(d.collective_proposals[1], unit="BDV", form="TTLDXS", vote=None)),
    )
    assert "C18" not in _codes(both_proposed)
    # ... while leaving BDV out is C18 (the rule table's C18-tie-at-merit-boundary)
    assert "C18" in _codes(both(bdv_ties_btg, collectives(1, form="TTLDXS", vote=None)))


def test_a_whole_sheet_of_a_dossier_built_in_code() -> None:
    """No sheet titles known: the sheet of the first record that names one, in the record's
    file, or the dossier's file when the record names none; else the file alone."""
    d = replace(valid_dossier(), sheets={})
    records = [
        Source("", "", 0, {}),
        Source("", "ChamDiem", 2, {}),
        Source("x.xlsx", "Khac", 3, {}),
    ]
    assert sheet_location(d, "scores", records) == Location(file=FILE, sheet="ChamDiem")
    assert sheet_location(d, "scores", records[2:]) == Location(file="x.xlsx", sheet="Khac")
    assert sheet_location(d, "scores", [Source("", "", 0, {})]) == Location(file=FILE)
    # titles known: the part's title wins over the records
    assert sheet_location(valid_dossier(), "scores", records[2:]) == Location(
        file=FILE, sheet="ChamDiem"
    )


def test_the_file_named_is_the_workbook_the_cluster_came_from() -> None:
    # A dossier read from a path: a whole-sheet problem names the file of its cluster sheet;
    # only a dossier whose cluster names no file falls back to the path.
    moved = bdv_ties_btg(replace(valid_dossier(), path="/srv/share/2025/cum-moi.xlsx"))
    [c17] = [p for p in validate(moved) if p.code == "C17"]
    assert c17.location == Location(file=FILE, sheet="ChamDiem")
    nameless = replace(
        moved, cluster=replace(moved.cluster, src=replace(moved.cluster.src, file=""))
    )
    [c17] = [p for p in validate(nameless) if p.code == "C17"]
    assert c17.location == Location(file="/srv/share/2025/cum-moi.xlsx", sheet="ChamDiem")


def _problems(mutate: object) -> list[tuple[str, str, str]]:
    found = validate(mutate(valid_dossier()))  # type: ignore[operator]
    return [(p.severity, p.code, p.message) for p in found]


def test_a_salary_from_the_decision_day_is_the_one_applied_not_a_later_one() -> None:
    # F31 warns of a base salary that starts after the decision date (NĐ 73/2024: the base in
    # force on the day of the decision counts); one starting on that very day is the one used.
    decided = date(2026, 1, 20)  # valid_dossier's expected decision date
    on_the_day = salaries((2_340_000, date(2024, 7, 1)), (2_530_000, decided))
    assert [p for p in _problems(on_the_day) if p[1] == "F31"] == []
    next_day = salaries((2_340_000, date(2024, 7, 1)), (2_530_000, decided + DAY))
    [(severity, _, message)] = [p for p in _problems(next_day) if p[1] == "F31"]
    assert severity == "warning"
    assert "từ 21/01/2026 mức mới là 2.530.000 đồng" in message


def test_a_form_without_coefficient_is_reported_once() -> None:
    # two proposals for the same form without a coefficient: one F32 note, not one per row
    d = valid_dossier()
    twice = both(
        collectives(1, form="BK_DANG"),
        add_collective(
            replace(d.collective_proposals[1], unit="BDV", form="BK_DANG", vote=None, order=3)
        ),
    )
    notes = [p for p in _problems(twice) if p[1] == "F32"]
    assert len(notes) == 1
    assert "không in số tiền" in notes[0][2]


def test_two_awards_of_the_same_kind_for_different_achievements_are_no_flag_and_merit() -> None:
    # D21's warning is about a Cờ and a Bằng khen for one unit; two Bằng khen-level awards for
    # two different achievements are allowed (one form per achievement, Luật TĐKT 2022 Điều 5).
    d = valid_dossier()
    other = replace(
        d.collective_proposals[1], form="TTLDXS", achievement="Hoàn thành xuất sắc nhiệm vụ"
    )
    problems = _problems(add_collective(other))
    assert [p for p in problems if p[1] == "D21"] == []


def test_a_nameless_individual_row_is_one_problem() -> None:
    # a row with no name is reported for its name only: nothing else of it can be judged
    problems = _problems(individuals(0, name="", gender="??"))
    d25 = [p for p in problems if p[1] == "D25"]
    assert len(d25) == 1
    assert "chưa có họ tên" in d25[0][2]


def test_a_merit_beside_two_flags_is_warned_once() -> None:
    # BTC is proposed for two Cờ (two achievements) and a Bằng khen: D21 warns about the Bằng
    # khen once, not once per Cờ.
    d = valid_dossier()
    forms = dict(d.params.award_forms)
    forms["CO2"] = replace(forms["CO"], code="CO2", name="Cờ thi đua của Chính phủ")
    flag, merit = d.collective_proposals
    extra = (
        replace(flag, form="CO2", achievement="Dẫn đầu phong trào thi đua yêu nước", order=3),
        replace(merit, unit="BTC", achievement="Hoàn thành xuất sắc nhiệm vụ", order=4),
    )
    changed = replace(
        d,
        params=replace(d.params, award_forms=forms),
        collective_proposals=(*d.collective_proposals, *extra),
    )
    warnings = [p for p in validate(changed) if p.code == "D21" and p.severity == "warning"]
    assert len(warnings) == 1
    assert "được đề nghị cả" in warnings[0].message


def test_no_tie_no_vote_needed() -> None:
    # BTC leads alone; its Cờ (a form that needs no vote here) is proposed without a vote: no
    # tie decides it, so no C18.
    codes = _codes(both(form_changes("CO", needs_vote=False), collectives(0, vote=None)))
    assert "C18" not in codes


def test_a_tie_decided_by_a_recorded_vote_needs_no_other() -> None:
    # BTG climbs level with BTC at the top; BTC's Cờ keeps its vote V1: the tie is decided.
    level = both(
        scores("BTG", "I.1", cluster_score=D(300), self_score=D(300)),
        form_changes("CO", needs_vote=False),
    )
    codes = _codes(level)
    assert "C17" in codes  # the tie is there
    assert "C18" not in codes
    # ... and without the vote it is C18 (the rule table's C18-tie-at-rank-1)
    assert "C18" in _codes(both(level, collectives(0, vote=None)))


def test_a_form_for_the_wrong_recipient_is_one_problem() -> None:
    # BK_DANG (for collectives, no coefficient) proposed for a person: the wrong-recipient error
    # only, not also the note that the form prints no money
    f32 = [p for p in _problems(individuals(0, form="BK_DANG")) if p[1] == "F32"]
    assert len(f32) == 1
    assert f32[0][0] == "error"
    assert "là hình thức cho tập thể" in f32[0][2]


def test_deductions_do_not_count_towards_the_bonus_cap() -> None:
    # VPTU has a deduction of 2; with a bonus of 4 and a cap of 5 it stays under the cap (the
    # cap is on the điểm cộng only; BTG's bonus of 5 is at the cap).
    d = valid_dossier()
    bonus = replace(d.adjustments[0], unit="VPTU", points=D(4))
    capped = both(params(bonus_cap=D(5)), add_adjustment_row(bonus))
    assert [p for p in _problems(capped) if p[1] == "B13"] == []
    # no cap at all: nothing to exceed
    assert [p for p in _problems(params(bonus_cap=None)) if p[1] == "B13"] == []


def add_adjustment_row(row: object) -> object:
    return lambda d: replace(d, adjustments=(*d.adjustments, row))


def test_a_subtotal_beside_a_missing_leaf_is_not_compared() -> None:
    # BTC's subtotal row for I equals I.1 + I.2; with the I.2 row gone, B8 reports the missing
    # leaf, and B14 does not compare the subtotal with the one leaf left.
    d = valid_dossier()
    [i1] = [s for s in d.scores if (s.unit, s.criterion) == ("BTC", "I.1")]
    [i2] = [s for s in d.scores if (s.unit, s.criterion) == ("BTC", "I.2")]
    total = replace(
        i1,
        criterion="I",
        cluster_score=i1.cluster_score + i2.cluster_score,  # type: ignore[operator]
        self_score=i1.self_score + i2.self_score,  # type: ignore[operator]
    )
    rows = (*(s for s in d.scores if s is not i2), total)
    codes = [p.code for p in validate(replace(d, scores=rows))]
    assert "B8" in codes
    assert "B14" not in codes


def test_a_subtotal_over_three_levels_adds_the_leaves_only() -> None:
    # I.1 becomes a parent of I.1.a and I.1.b (150 each); BTC's subtotal row on I must equal
    # the sum of its leaves I.1.a, I.1.b and I.2, the intermediate I.1 having no row of its own.
    d = valid_dossier()
    criteria = (
        *d.criteria,
        criterion(8, "I.1.a", "I.1", 150),
        criterion(9, "I.1.b", "I.1", 150),
    )
    rows = []
    for s in d.scores:
        if s.criterion == "I.1":
            half = s.cluster_score / 2  # type: ignore[operator]
            for code in ("I.1.a", "I.1.b"):
                rows.append(replace(s, criterion=code, cluster_score=half, self_score=half))
        else:
            rows.append(s)
    three_levels = replace(d, criteria=criteria, scores=tuple(rows))
    assert [p.code for p in validate(three_levels) if p.is_error] == []
    [i2] = [s for s in d.scores if (s.unit, s.criterion) == ("BTC", "I.2")]
    wrong = replace(i2, criterion="I", cluster_score=D(590), self_score=D(595))  # 298 + 297 = 595
    [b14] = [p for p in validate(replace(three_levels, scores=(*rows, wrong))) if p.code == "B14"]
    assert "ở tiêu chí cha I khác tổng các tiêu chí con (595)" in b14.message


# --- a partly read workbook (issue 9): what the loader could not read is not judged again, and
# what it could read still is. The loader reports the unreadable sheet itself.


def _unreadable(*parts: str) -> object:
    return lambda d: replace(d, unreadable=frozenset(parts))


def _messages(mutate: object, code: str) -> list[str]:
    dossier = mutate(valid_dossier())  # type: ignore[operator]
    return [p.message for p in validate(dossier) if p.code == code]


def test_a_failed_vote_is_not_judged_without_the_member_units() -> None:
    # BTG's Bằng khen vote V2 fails 1/4, but with DonVi unreadable the count of member units
    # the ratio is taken on is unknown: D23 says nothing about the ratio
    failed = votes(1, yes=1, no=3)
    assert any("chưa đạt ngưỡng" in m for m in _messages(failed, "D23"))
    assert not any("chưa đạt ngưỡng" in m for m in _messages(both(failed, _unreadable("units")),
                                                              "D23"))  # fmt: skip


def test_a_failed_vote_on_the_members_is_judged_without_the_attendance_sheet() -> None:
    # the ratio on all member units needs DonVi only: ThanhPhan unreadable hides nothing
    failed = both(
        votes(1, yes=1, no=3), params(vote_base=VoteBase.MEMBERS), _unreadable("attendees")
    )
    assert any("chưa đạt ngưỡng" in m for m in _messages(failed, "D23"))
    # on the units present it needs ThanhPhan: nothing is judged
    present = both(votes(1, yes=1, no=3), params(vote_base=VoteBase.PRESENT),
                   _unreadable("attendees"))  # fmt: skip
    assert not any("chưa đạt ngưỡng" in m for m in _messages(present, "D23"))


def test_a_vote_code_is_not_looked_up_in_an_unreadable_vote_sheet() -> None:
    # BoPhieu unreadable: the loader read no vote, and reports the sheet itself
    unread = both(lambda d: replace(d, votes=()), _unreadable("votes"))
    assert _messages(unread, "D23") == []


def test_no_quorum_problem_without_the_attendance_sheet() -> None:
    absent = both(attendees(2, present=False, absence_reason="Đi công tác"),
                  attendees(3, present=False, absence_reason="Ốm"))  # fmt: skip
    assert _messages(absent, "E27")  # 2/4 present: short of the quorum
    # ThanhPhan unreadable: the loader read no attendee, and reports the sheet itself
    assert _messages(both(meeting(attendees=()), _unreadable("attendees")), "E27") == []


def test_a_legal_basis_is_checked_on_the_documents_whose_date_is_known() -> None:
    # the basis is shared by the báo cáo (unsigned, and the meeting date unreadable: no date) and
    # the giao ước, signed before NĐ 152/2025 took effect: F33 names the giao ước
    d = replace(valid_dossier(), legal_bases=(basis(2, "Nghị định số 152/2025/NĐ-CP",
                                                    "bao_cao", "giao_uoc"),))  # fmt: skip
    d = both(unsigned("bao_cao"), meeting(date=None), document_date("giao_uoc", date(2025, 6, 30)))(
        d
    )
    [message] = [p.message for p in validate(d, rules=(check_legal_bases,))]
    assert "chỉ có hiệu lực từ ngày 01/07/2025" in message
    assert "ký ngày 30/06/2025" in message


def test_a_plausibility_warning_needs_only_the_top_level_to_match_the_thang_diem() -> None:
    # I.1's maximum is wrong against its siblings (B7), but the top level still adds up to the
    # thang điểm: a total of 858/1.000 is still unusually low (B15)
    low = scores("VPTU", "I.1", cluster_score=D(190), self_score=D(190))
    codes = _codes(both(criteria(1, max_points=D(310)), low))
    assert "B7" in codes
    assert "B15" in codes
