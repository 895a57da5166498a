"""The template context: every derived sentence and record, on the Lạng Sơn 2013 story.

The dossier is built inline (``lang_son_dossier``) so that each test shows the data it relies on:
9 Party agencies, year 2013, meeting on 10/01/2014 at 14:00 at Ban Bảo vệ, chăm sóc sức khỏe
cán bộ tỉnh (cụm trưởng 2013); rank 1 BBVCSSK, 2 Ban Dân vận, 3 tied Văn phòng Tỉnh ủy and Ban
Tuyên giáo; everyone at or above 973 points; Văn phòng Tỉnh ủy heads the cluster in 2014 with
Ban Tổ chức as deputy.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from decimal import Decimal

import pytest

from pipeline.documents.context import build_context
from pipeline.domain.model import (
    DOCUMENT_KINDS,
    Addressee,
    Adjustment,
    AdjustmentKind,
    Attendee,
    AwardForm,
    BaseSalary,
    ClusterInfo,
    CollectiveProposal,
    CovenantTarget,
    Criterion,
    Discussion,
    DocFormat,
    DocumentInfo,
    Dossier,
    IndividualProposal,
    LegalBasis,
    Meeting,
    Narrative,
    Parameters,
    Person,
    RankMethod,
    Recipient,
    Role,
    Rotation,
    Score,
    Unit,
    Vote,
)
from pipeline.domain.scoring import compute
from pipeline.vi import ngay_thang_nam

D = Decimal

# code, full name, short name, header name, head's title, head's name, role, total points
UNITS: tuple[tuple[str, str, str, str, str, str, Role, str], ...] = (
    ("VPTU", "Văn phòng Tỉnh ủy", "Văn phòng Tỉnh ủy", "VĂN PHÒNG TỈNH ỦY",
     "Chánh Văn phòng", "Hoàng Văn Minh", Role.MEMBER, "985.5"),
    ("BTC", "Ban Tổ chức Tỉnh ủy", "Ban Tổ chức", "BAN TỔ CHỨC",
     "Trưởng ban", "Lương Văn Khánh", Role.MEMBER, "982"),
    ("UBKT", "Ủy ban Kiểm tra Tỉnh ủy", "Ủy ban Kiểm tra", "ỦY BAN KIỂM TRA",
     "Chủ nhiệm", "Vi Thị Lan", Role.MEMBER, "980"),
    ("BTG", "Ban Tuyên giáo Tỉnh ủy", "Ban Tuyên giáo", "BAN TUYÊN GIÁO",
     "Trưởng ban", "Nông Văn Thắng", Role.MEMBER, "985.5"),
    ("BDV", "Ban Dân vận Tỉnh ủy", "Ban Dân vận", "BAN DÂN VẬN",
     "Trưởng ban", "Chu Thị Hạnh", Role.DEPUTY, "988"),
    ("BNC", "Ban Nội chính Tỉnh ủy", "Ban Nội chính", "BAN NỘI CHÍNH",
     "Trưởng ban", "Hà Văn Long", Role.MEMBER, "978.5"),
    ("BBVCSSK", "Ban Bảo vệ, chăm sóc sức khỏe cán bộ tỉnh", "Ban Bảo vệ sức khỏe cán bộ",
     "BAN BẢO VỆ, CHĂM SÓC SỨC KHỎE CÁN BỘ TỈNH", "Trưởng ban", "Lộc Văn Bình", Role.HEAD,
     "992"),
    ("BAO", "Báo Lạng Sơn", "Báo Lạng Sơn", "BÁO LẠNG SƠN",
     "Tổng Biên tập", "Đinh Thị Hoa", Role.MEMBER, "975"),
    ("TCT", "Trường Chính trị Hoàng Văn Thụ", "Trường Chính trị", "TRƯỜNG CHÍNH TRỊ HOÀNG VĂN THỤ",
     "Hiệu trưởng", "Mã Văn Sơn", Role.MEMBER, "973"),
)  # fmt: skip

LEAVES = (("I.1", D(300)), ("I.2", D(300)), ("II", D(250)), ("III", D(150)))
BONUS = {"BBVCSSK": D(5)}
DEDUCTION = {"BAO": D(2)}


def _criteria() -> tuple[Criterion, ...]:
    return (
        Criterion("I", None, "Thực hiện nhiệm vụ chính trị, chuyên môn", D(600), 1),
        Criterion("I.1", "I", "Tham mưu cho Tỉnh ủy, Ban Thường vụ Tỉnh ủy", D(300), 2),
        Criterion("I.2", "I", "Kết quả thực hiện nhiệm vụ chuyên môn", D(300), 3),
        Criterion("II", None, "Xây dựng Đảng, xây dựng cơ quan, đoàn thể", D(250), 4),
        Criterion("III", None, "Công tác thi đua, khen thưởng và hoạt động của cụm", D(150), 5),
    )


def _scores(code: str, total: Decimal) -> list[Score]:
    """Leaf scores adding up to ``total`` minus the unit's bonus plus its deduction."""
    missing = sum(m for _, m in LEAVES) - (total - BONUS.get(code, 0) + DEDUCTION.get(code, 0))
    scores = []
    for criterion, maximum in LEAVES:
        lost = min(missing, D(10))
        missing -= lost
        self_score = maximum - lost + (D("0.5") if criterion == "I.2" and lost else 0)
        scores.append(Score(code, criterion, self_score, maximum - lost))
    assert missing == 0
    return scores


def _forms() -> dict[str, AwardForm]:
    forms = (
        AwardForm("CO_UBND", "Cờ thi đua của Ủy ban nhân dân tỉnh", Recipient.COLLECTIVE,
                  D("8.0"), is_flag=True, needs_vote=True),
        AwardForm("BK_TT", "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", Recipient.COLLECTIVE,
                  D("2.0"), is_flag=False, needs_vote=True),
        AwardForm("BK_CN", "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", Recipient.INDIVIDUAL,
                  D("1.0"), is_flag=False, needs_vote=True),
    )  # fmt: skip
    return {f.code: f for f in forms}


def lang_son_dossier(doc_format: DocFormat = DocFormat.PARTY) -> Dossier:
    """The Lạng Sơn 2013 story as a dossier (see the module docstring)."""
    units = tuple(
        Unit(code, full, short, header, (), order, role, head, title)
        for order, (code, full, short, header, title, head, role, _) in enumerate(UNITS, 1)
    )
    documents = {
        "bao_cao": DocumentInfo("bao_cao", 5, "BC", "CTĐ", date(2014, 1, 8)),
        "bien_ban": DocumentInfo("bien_ban", 1, "BB", "CTĐ", date(2014, 1, 10)),
        "giao_uoc": DocumentInfo("giao_uoc", 1, "GƯ", "CTĐ", date(2014, 1, 10)),
        "danh_sach": DocumentInfo("danh_sach", None, "DS", "CTĐ", date(2014, 1, 10)),
    }
    cluster = ClusterInfo(
        name="Cụm thi đua các Ban Đảng thuộc Tỉnh ủy Lạng Sơn",
        short_name="Cụm thi đua các Ban Đảng",
        parent_body="TỈNH ỦY LẠNG SƠN",
        doc_format=doc_format,
        place="Lạng Sơn",
        year=2013,
        covenant_year=2014,
        max_score=D(1000),
        documents=documents,
    )
    attendees = [
        Attendee(head, title, code, None, guest=False, present=True)
        for code, _, _, _, title, head, _, _ in UNITS
    ]
    attendees.insert(2, Attendee("Triệu Văn Hùng", "Phó Trưởng ban", "BTC", None, False, False,
                                 "Đi công tác"))  # fmt: skip
    attendees.append(
        Attendee("Nguyễn Thị Mai", "Trưởng phòng", None, "Ban Thi đua - Khen thưởng tỉnh",
                 guest=True, present=True)
    )  # fmt: skip
    meeting = Meeting(
        date=date(2014, 1, 10),
        start=time(14, 0),
        end=time(17, 0),
        venue="Hội trường Ban Bảo vệ, chăm sóc sức khỏe cán bộ tỉnh",
        chair=Person("Lộc Văn Bình", "Trưởng ban", "BBVCSSK"),
        secretary=Person("Hoàng Thị Thu", "Chuyên viên", "BBVCSSK"),
        attendees=tuple(attendees),
        discussions=(
            Discussion(1, "Nông Văn Thắng", "BTG",
                       "Đề nghị đổi mới hình thức phong trào thi đua năm 2014."),
            Discussion(2, "Chu Thị Hạnh", "BDV",
                       "Nhất trí với báo cáo và kết quả chấm điểm."),
        ),
    )  # fmt: skip
    votes = (
        Vote("V1", "Đề nghị tặng Cờ thi đua cho Ban Bảo vệ, chăm sóc sức khỏe cán bộ tỉnh",
             "bo_phieu_kin", 9, 9, 9, 9, 0, 0),
        Vote("V2", "Đề nghị tặng Bằng khen cho Ban Dân vận, Văn phòng và Ban Tuyên giáo",
             "bo_phieu_kin", 9, 9, 9, 7, 1, 1),
        Vote("V3", "Cụm trưởng, Cụm phó năm 2014", "gio_tay", 9, 9, 9, 9, 0, 0),
    )  # fmt: skip
    achievement = "Có thành tích xuất sắc trong phong trào thi đua năm 2013"
    collectives = (
        CollectiveProposal(1, "BBVCSSK", "CO_UBND",
                           "Dẫn đầu phong trào thi đua Cụm thi đua các Ban Đảng năm 2013", "V1"),
        CollectiveProposal(2, "BDV", "BK_TT", achievement, "V2"),
        CollectiveProposal(3, "VPTU", "BK_TT", achievement, "V2"),
        CollectiveProposal(4, "BTG", "BK_TT", achievement, "V2"),
    )  # fmt: skip
    individuals = (
        IndividualProposal(1, "Nông Thị Thu Hà", "Nữ", 1975, "Trưởng phòng Tổng hợp", "BBVCSSK",
                           "BK_CN", "Có thành tích xuất sắc trong công tác năm 2013", "V2"),
    )  # fmt: skip
    narratives = (
        Narrative("tinh_hinh", None, "Năm 2013, các cơ quan trong cụm đã tích cực tham mưu.", 1),
        Narrative("ket_qua_don_vi", "BTG", "Tham mưu tổng kết Nghị quyết.", 2),
        Narrative("ket_qua_don_vi", "VPTU", "Phục vụ tốt các hội nghị của Tỉnh ủy.", 3),
        Narrative("han_che", None, "Nội dung các phong trào thi đua còn đơn điệu.", 4),
    )
    params = Parameters(
        base_salaries=(BaseSalary(D(1_150_000), date(2013, 7, 1)),),
        award_forms=_forms(),
        decision_date=date(2014, 2, 15),
    )
    return Dossier(
        path="cum-cac-ban-dang-lang-son-2013.xlsx",
        cluster=cluster,
        units=units,
        criteria=_criteria(),
        scores=tuple(s for code, *_, total in UNITS for s in _scores(code, D(total))),
        adjustments=(
            Adjustment("BBVCSSK", AdjustmentKind.BONUS, D(5), "Bằng khen của Tỉnh ủy", "QĐ 1"),
            Adjustment("BAO", AdjustmentKind.DEDUCTION, D(2), "Chậm gửi báo cáo", None),
        ),
        meeting=meeting,
        votes=votes,
        collective_proposals=collectives,
        individual_proposals=individuals,
        rotation=Rotation(2014, "VPTU", "BTC", "V3"),
        covenant_targets=(
            CovenantTarget(1, "Thực hiện nhiệm vụ chính trị", "100% cơ quan hoàn thành tốt."),
            CovenantTarget(2, "Xây dựng Đảng", "100% tổ chức đảng trong sạch, vững mạnh."),
            CovenantTarget(3, "Thực hiện nhiệm vụ chính trị", "Không có cán bộ vi phạm."),
        ),
        narratives=narratives,
        params=params,
    )


def context_of(dossier: Dossier) -> dict[str, object]:
    return build_context(dossier, compute(dossier))


def with_totals(dossier: Dossier, totals: dict[str, str]) -> Dossier:
    """The dossier with some units' totals changed (via their leaf scores)."""
    scores = [s for s in dossier.scores if s.unit not in totals]
    for code, total in totals.items():
        scores += _scores(code, D(total))
    return replace(dossier, scores=tuple(scores))


def with_unit(dossier: Dossier, code: str, **changes: object) -> Dossier:
    units = tuple(replace(u, **changes) if u.code == code else u for u in dossier.units)  # type: ignore[arg-type]
    return replace(dossier, units=units)


@pytest.fixture
def ctx() -> dict[str, object]:
    return context_of(lang_son_dossier())


def rec(value: object) -> dict[str, object]:
    assert isinstance(value, dict)
    return value


def recs(value: object) -> list[dict[str, object]]:
    assert isinstance(value, list)
    return value


# ---------------------------------------------------------------------------------------------
# General


def test_format_switch(ctx: dict[str, object]) -> None:
    assert ctx["the_thuc"] == "dang" and ctx["dang"] is True
    state = context_of(lang_son_dossier(DocFormat.STATE))
    assert state["the_thuc"] == "nha_nuoc" and state["dang"] is False


def test_cluster_and_year(ctx: dict[str, object]) -> None:
    assert ctx["ten_cum"] == "Cụm thi đua các Ban Đảng thuộc Tỉnh ủy Lạng Sơn"
    assert (ctx["nam"], ctx["nam_sau"]) == (2013, 2014)
    assert ctx["co_quan_cap_tren"] == "TỈNH ỦY LẠNG SƠN"
    assert ctx["thang_diem"] == D(1000)


def test_pure_and_repeatable() -> None:
    dossier = lang_son_dossier()
    assert context_of(dossier) == context_of(dossier)


def test_units_in_official_order(ctx: dict[str, object]) -> None:
    units = recs(ctx["don_vi"])
    assert [u["ma"] for u in units] == [u[0] for u in UNITS]
    assert [u["stt"] for u in units] == list(range(1, 10))
    assert rec(ctx["don_vi_cum_truong"])["ten"] == "Ban Bảo vệ, chăm sóc sức khỏe cán bộ tỉnh"
    assert rec(ctx["don_vi_cum_pho"])["ten"] == "Ban Dân vận Tỉnh ủy"


def test_membership_sentence(ctx: dict[str, object]) -> None:
    assert ctx["cau_thanh_phan"] == (
        "Năm 2013, Cụm thi đua các Ban Đảng thuộc Tỉnh ủy Lạng Sơn gồm 9 cơ quan: "
        "Văn phòng Tỉnh ủy, Ban Tổ chức Tỉnh ủy, Ủy ban Kiểm tra Tỉnh ủy, Ban Tuyên giáo Tỉnh ủy, "
        "Ban Dân vận Tỉnh ủy, Ban Nội chính Tỉnh ủy, Ban Bảo vệ, chăm sóc sức khỏe cán bộ tỉnh, "
        "Báo Lạng Sơn và Trường Chính trị Hoàng Văn Thụ; Ban Bảo vệ, chăm sóc sức khỏe cán bộ "
        "tỉnh là Cụm trưởng, Ban Dân vận Tỉnh ủy là Cụm phó."
    )


def test_no_deputy_unit() -> None:
    dossier = with_unit(lang_son_dossier(), "BDV", role=Role.MEMBER)
    ctx = context_of(dossier)
    assert ctx["don_vi_cum_pho"] is None
    assert str(ctx["cau_thanh_phan"]).endswith("chăm sóc sức khỏe cán bộ tỉnh là Cụm trưởng.")


# ---------------------------------------------------------------------------------------------
# Scores and ranks


def test_score_table_ranked_with_tie(ctx: dict[str, object]) -> None:
    rows = recs(ctx["bang_diem"])
    assert [(r["ma"], r["xep_thu"], r["xep_thu_chu"]) for r in rows[:5]] == [
        ("BBVCSSK", 1, "Nhất"),
        ("BDV", 2, "Nhì"),
        ("VPTU", 3, "Ba"),
        ("BTG", 3, "Ba"),
        ("BTC", 5, "Năm"),
    ]
    assert [r["stt"] for r in rows] == list(range(1, 10))
    first = rows[0]
    assert (first["cum_cham"], first["cong"], first["tru"], first["tong"]) == (
        D(987),
        D(5),
        D(0),
        D(992),
    )
    assert first["tu_cham"] == D("987.5")
    assert [r["dong_hang"] for r in rows[:5]] == [False, False, True, True, False]


def test_score_sentence_uses_exact_minimum(ctx: dict[str, object]) -> None:
    assert (ctx["so_dat"], ctx["so_don_vi"], ctx["diem_thap_nhat"]) == (9, 9, D(973))
    assert ctx["cau_diem"] == (
        "9/9 cơ quan trong cụm đạt số điểm từ 973 điểm trở lên/tổng số 1.000 điểm"
    )
    half = context_of(with_totals(lang_son_dossier(), {"TCT": "973.5"}))
    assert half["diem_thap_nhat"] == D("973.5")
    assert "từ 973,5 điểm trở lên" in str(half["cau_diem"])


def test_ranking_sentence_with_tie(ctx: dict[str, object]) -> None:
    assert ctx["cau_xep_hang"] == (
        "xếp thứ Nhất: Ban Bảo vệ, chăm sóc sức khỏe cán bộ tỉnh; xếp thứ Nhì: Ban Dân vận Tỉnh "
        "ủy; xếp thứ Ba gồm Văn phòng Tỉnh ủy và Ban Tuyên giáo Tỉnh ủy"
    )
    full = str(ctx["cau_xep_hang_diem"])
    assert full.startswith(
        "xếp thứ Nhất: Ban Bảo vệ, chăm sóc sức khỏe cán bộ tỉnh (992 điểm); "
        "xếp thứ Nhì: Ban Dân vận Tỉnh ủy (988 điểm); "
        "xếp thứ Ba gồm Văn phòng Tỉnh ủy và Ban Tuyên giáo Tỉnh ủy (cùng 985,5 điểm); "
        "xếp thứ Năm: Ban Tổ chức Tỉnh ủy (982 điểm)"
    )
    assert full.endswith("xếp thứ Chín: Trường Chính trị Hoàng Văn Thụ (973 điểm)")


def test_dense_ranking_continues_after_tie() -> None:
    dossier = lang_son_dossier()
    dossier = replace(dossier, params=replace(dossier.params, rank_method=RankMethod.DENSE))
    ctx = context_of(dossier)
    assert [r["xep_thu"] for r in recs(ctx["bang_diem"])] == [1, 2, 3, 3, 4, 5, 6, 7, 8]
    assert recs(ctx["bang_diem"])[4]["xep_thu_chu"] == "Tư"
    assert "xếp thứ Tư: Ban Tổ chức Tỉnh ủy (982 điểm)" in str(ctx["cau_xep_hang_diem"])
    assert str(ctx["cau_xep_hang"]).endswith(
        "xếp thứ Ba gồm Văn phòng Tỉnh ủy và Ban Tuyên giáo Tỉnh ủy"
    )


def test_tie_for_second_leaves_no_third_place() -> None:
    ctx = context_of(with_totals(lang_son_dossier(), {"VPTU": "988", "BTG": "970"}))
    assert ctx["cau_xep_hang"] == (
        "xếp thứ Nhất: Ban Bảo vệ, chăm sóc sức khỏe cán bộ tỉnh; "
        "xếp thứ Nhì gồm Văn phòng Tỉnh ủy và Ban Dân vận Tỉnh ủy"
    )


def test_rank_groups(ctx: dict[str, object]) -> None:
    groups = recs(ctx["xep_hang"])
    assert [(g["hang"], g["thu_hang"], g["so_don_vi"]) for g in groups[:4]] == [
        (1, "thứ Nhất", 1),
        (2, "thứ Nhì", 1),
        (3, "thứ Ba", 2),
        (5, "thứ Năm", 1),
    ]
    tie = groups[2]
    assert tie["dong_hang"] is True and tie["tong"] == D("985.5")
    assert tie["ten_don_vi"] == "Văn phòng Tỉnh ủy và Ban Tuyên giáo Tỉnh ủy"
    assert [u["ma"] for u in recs(tie["don_vi"])] == ["VPTU", "BTG"]  # official order in a tie


# ---------------------------------------------------------------------------------------------
# Meeting and votes


def test_meeting(ctx: dict[str, object]) -> None:
    meeting = rec(ctx["hoi_nghi"])
    assert (meeting["ngay"], meeting["bat_dau"], meeting["ket_thuc"]) == (
        date(2014, 1, 10),
        time(14, 0),
        time(17, 0),
    )
    assert rec(meeting["chu_tri"])["mo_ta"] == (
        "Lộc Văn Bình, Trưởng ban, Ban Bảo vệ, chăm sóc sức khỏe cán bộ tỉnh"
    )
    assert (meeting["so_don_vi_co_mat"], meeting["so_dai_bieu_co_mat"]) == (9, 9)
    absent = recs(meeting["vang_mat"])
    assert [(a["ho_ten"], a["ly_do"]) for a in absent] == [("Triệu Văn Hùng", "Đi công tác")]
    assert meeting["don_vi_vang_mat"] == []
    guests = recs(meeting["khach_moi"])
    assert guests[0]["don_vi"] == "Ban Thi đua - Khen thưởng tỉnh"
    assert [d["don_vi"] for d in recs(meeting["thao_luan"])] == [
        "Ban Tuyên giáo Tỉnh ủy",
        "Ban Dân vận Tỉnh ủy",
    ]


def test_absent_unit() -> None:
    dossier = lang_son_dossier()
    attendees = tuple(
        replace(a, present=False, absence_reason="Ốm") if a.unit == "BAO" else a
        for a in dossier.meeting.attendees
    )
    ctx = context_of(replace(dossier, meeting=replace(dossier.meeting, attendees=attendees)))
    meeting = rec(ctx["hoi_nghi"])
    assert meeting["so_don_vi_co_mat"] == 8
    assert [u["ma"] for u in recs(meeting["don_vi_vang_mat"])] == ["BAO"]


def test_votes_with_ratios(ctx: dict[str, object]) -> None:
    votes = recs(ctx["bieu_quyet"])
    assert [v["ma"] for v in votes] == ["V1", "V2", "V3"]
    assert (votes[0]["ty_le"], votes[0]["ket_qua"], votes[0]["hinh_thuc_chu"]) == (
        D("1.000"),
        "thông qua",
        "bỏ phiếu kín",
    )
    assert (votes[1]["dong_y"], votes[1]["co_so"], votes[1]["ty_le"]) == (7, 9, D("0.778"))
    assert votes[2]["hinh_thuc_chu"] == "biểu quyết giơ tay"
    assert votes[2]["bo_phieu_kin"] is False


# ---------------------------------------------------------------------------------------------
# Proposals


def test_proposals_with_money(ctx: dict[str, object]) -> None:
    flag, *merits = recs(ctx["de_nghi_tap_the"])
    assert (flag["ten"], flag["la_co"], flag["so_tien"]) == (
        "Ban Bảo vệ, chăm sóc sức khỏe cán bộ tỉnh",
        True,
        D(9_200_000),
    )
    assert flag["so_tien_chu"] == "Chín triệu hai trăm nghìn đồng"
    assert flag["ket_qua"] == "xếp thứ Nhất, 992/1.000 điểm"
    assert [m["so_tien"] for m in merits] == [D(2_300_000)] * 3
    person = recs(ctx["de_nghi_ca_nhan"])[0]
    assert person["chuc_vu_don_vi"] == (
        "Trưởng phòng Tổng hợp, Ban Bảo vệ, chăm sóc sức khỏe cán bộ tỉnh"
    )
    assert person["so_tien"] == D(1_150_000)
    assert ctx["tong_tien"] == D(9_200_000 + 3 * 2_300_000 + 1_150_000)
    assert ctx["tong_tien_chu"] == "Mười bảy triệu hai trăm năm mươi nghìn đồng"
    assert rec(ctx["luong_co_so"])["muc"] == D(1_150_000)
    assert ctx["so_bang_khen_toi_da"] == 4


def test_proposal_sentence(ctx: dict[str, object]) -> None:
    assert ctx["cau_de_nghi"] == (
        "đề nghị tặng Cờ thi đua của Ủy ban nhân dân tỉnh cho Ban Bảo vệ, chăm sóc sức khỏe cán bộ "
        "tỉnh; đề nghị tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho 3 tập thể: Ban Dân vận "
        "Tỉnh ủy, Văn phòng Tỉnh ủy và Ban Tuyên giáo Tỉnh ủy; đề nghị tặng Bằng khen của Chủ tịch "
        "Ủy ban nhân dân tỉnh cho bà Nông Thị Thu Hà (Ban Bảo vệ, chăm sóc sức khỏe cán bộ tỉnh)"
    )
    groups = recs(ctx["nhom_de_nghi"])
    assert [(g["doi_tuong"], g["so_luong"]) for g in groups] == [
        ("tập thể", 1),
        ("tập thể", 3),
        ("cá nhân", 1),
    ]


def test_no_proposals() -> None:
    dossier = replace(lang_son_dossier(), collective_proposals=(), individual_proposals=())
    ctx = context_of(dossier)
    assert ctx["de_nghi_tap_the"] == [] and ctx["de_nghi_ca_nhan"] == []
    assert ctx["co_de_nghi"] is False
    assert ctx["cau_de_nghi"] == "" and ctx["nhom_de_nghi"] == []
    assert (ctx["tong_tien"], ctx["tong_tien_chu"]) == (D(0), "Không đồng")


def test_form_without_money() -> None:
    dossier = lang_son_dossier()
    forms = dict(dossier.params.award_forms)
    forms["BK_TT"] = replace(forms["BK_TT"], coefficient=None)
    dossier = replace(dossier, params=replace(dossier.params, award_forms=forms))
    ctx = context_of(dossier)
    merit = recs(ctx["de_nghi_tap_the"])[1]
    assert (merit["so_tien"], merit["so_tien_chu"]) == (None, "")
    assert ctx["tong_tien_tap_the"] == D(9_200_000)


# ---------------------------------------------------------------------------------------------
# Next year, covenant, narratives


def test_rotation(ctx: dict[str, object]) -> None:
    rotation = rec(ctx["luan_phien"])
    assert rec(rotation["cum_truong"])["ten"] == "Văn phòng Tỉnh ủy"
    assert rec(rotation["cum_pho"])["ten"] == "Ban Tổ chức Tỉnh ủy"
    assert rec(rotation["bieu_quyet"])["ma"] == "V3"
    assert ctx["cau_luan_phien"] == (
        "Văn phòng Tỉnh ủy làm Cụm trưởng, Ban Tổ chức Tỉnh ủy làm Cụm phó năm 2014"
    )


def test_covenant_targets_grouped(ctx: dict[str, object]) -> None:
    groups = recs(ctx["chi_tieu_giao_uoc"])
    assert [(g["stt"], g["ten"]) for g in groups] == [
        (1, "Thực hiện nhiệm vụ chính trị"),
        (2, "Xây dựng Đảng"),
    ]
    assert [t["noi_dung"] for t in recs(groups[0]["chi_tieu"])] == [
        "100% cơ quan hoàn thành tốt.",
        "Không có cán bộ vi phạm.",
    ]


def test_narratives_per_section(ctx: dict[str, object]) -> None:
    sections = rec(ctx["noi_dung_bao_cao"])
    assert sections["kien_nghi"] == []
    units = recs(sections["ket_qua_don_vi"])
    assert [u["don_vi"] for u in units] == ["Văn phòng Tỉnh ủy", "Ban Tuyên giáo Tỉnh ủy"]
    assert recs(sections["tinh_hinh"])[0]["don_vi"] == ""


# ---------------------------------------------------------------------------------------------
# Documents and signatures


def test_documents(ctx: dict[str, object]) -> None:
    docs = rec(ctx["van_ban"])
    report = rec(docs["bao_cao"])
    assert (report["so"], report["loai"], report["co_quan"], report["ngay"]) == (
        5,
        "BC",
        "CTĐ",
        date(2014, 1, 8),
    )
    assert report["ten_co_quan"] == "BAN BẢO VỆ, CHĂM SÓC SỨC KHỎE CÁN BỘ TỈNH"
    assert rec(docs["giao_uoc"])["ten_co_quan"] == "CỤM THI ĐUA CÁC BAN ĐẢNG"
    assert rec(docs["danh_sach"])["so"] is None


def test_missing_document_info_is_numbered_and_dated_by_hand() -> None:
    """A document without a VanBan row is a row of blank cells: its number and its date are
    written by hand (the meeting's date is not made the signing date)."""
    dossier = lang_son_dossier()
    cluster = replace(dossier.cluster, documents={})
    docs = rec(context_of(replace(dossier, cluster=cluster))["van_ban"])
    assert rec(docs["bien_ban"]) == {
        "so": None, "loai": "BB", "co_quan": "", "ngay": None,
        "dia_danh_ngay": "Lạng Sơn, ngày … tháng … năm 20…",
        "ten_co_quan": "BAN BẢO VỆ, CHĂM SÓC SỨC KHỎE CÁN BỘ TỈNH",
    }  # fmt: skip


def test_a_blank_signing_date_is_dated_by_hand() -> None:
    """VanBan promises "Ngày ký: để trống: ghi ngày bằng tay" (issue 9): the other documents
    keep their dates."""
    dossier = lang_son_dossier()
    documents = dict(dossier.cluster.documents)
    documents["bao_cao"] = replace(documents["bao_cao"], signing_date=None)
    cluster = replace(dossier.cluster, documents=documents)
    docs = rec(context_of(replace(dossier, cluster=cluster))["van_ban"])
    report, minutes = rec(docs["bao_cao"]), rec(docs["bien_ban"])
    assert (report["ngay"], report["dia_danh_ngay"]) == (None, "Lạng Sơn, ngày … tháng … năm 20…")
    assert minutes["ngay"] is not None
    assert minutes["dia_danh_ngay"] == "Lạng Sơn, " + ngay_thang_nam(minutes["ngay"])


@pytest.mark.parametrize(
    ("doc_format", "tm", "secretary"),
    [(DocFormat.PARTY, "T/M", "NGƯỜI GHI BIÊN BẢN"), (DocFormat.STATE, "TM.", "THƯ KÝ")],
)
def test_signatures_by_format(doc_format: DocFormat, tm: str, secretary: str) -> None:
    ctx = context_of(lang_son_dossier(doc_format))
    ky = rec(ctx["ky"])
    assert rec(ky["bao_cao"]) == {
        "quyen_han": f"{tm} CỤM THI ĐUA",
        "chuc_vu": "CỤM TRƯỞNG",
        "dong": [f"{tm} CỤM THI ĐUA", "CỤM TRƯỞNG"],
        "ho_ten": "Lộc Văn Bình",
    }
    assert rec(ky["danh_sach"]) == rec(ky["bao_cao"])
    chair = "CHỦ TRÌ HỘI NGHỊ" if doc_format is DocFormat.PARTY else "CHỦ TỌA"  # NĐ 30 Mẫu 1.9
    assert rec(ky["bien_ban"])["dong"] == [chair]
    assert rec(ky["thu_ky"])["dong"] == [secretary]
    assert rec(ky["thu_ky"])["ho_ten"] == "Hoàng Thị Thu"


@pytest.mark.parametrize(("doc_format", "kt"), [(DocFormat.PARTY, "K/T"), (DocFormat.STATE, "KT.")])
def test_head_unit_deputy_signs(doc_format: DocFormat, kt: str) -> None:
    dossier = with_unit(
        lang_son_dossier(doc_format), "BBVCSSK",
        signer_name="Vy Văn Đức", signer_title="Phó Trưởng ban",
    )  # fmt: skip
    sig = rec(rec(context_of(dossier)["ky"])["bao_cao"])
    assert sig["dong"][2:] == [f"{kt} TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"]  # type: ignore[index]
    assert sig["ho_ten"] == "Vy Văn Đức"


def test_signature_grid(ctx: dict[str, object]) -> None:
    rows = ctx["chu_ky_don_vi"]
    assert isinstance(rows, list) and len(rows) == 3 and all(len(r) == 3 for r in rows)
    first = rows[0][0]
    assert (first["ten_don_vi"], first["dong_1"], first["dong_2"], first["ho_ten"]) == (
        "VĂN PHÒNG TỈNH\u00a0ỦY",
        "CHÁNH VĂN PHÒNG",
        "",
        "Hoàng Văn Minh",
    )


@pytest.mark.parametrize(("doc_format", "kt"), [(DocFormat.PARTY, "K/T"), (DocFormat.STATE, "KT.")])
def test_signature_grid_deputy_signs(doc_format: DocFormat, kt: str) -> None:
    dossier = with_unit(
        lang_son_dossier(doc_format), "BTG",
        signer_name="Lăng Văn Tuấn", signer_title="Phó Trưởng ban",
    )  # fmt: skip
    cell = context_of(dossier)["chu_ky_don_vi"][1][0]  # type: ignore[index]
    assert (cell["quyen_han"], cell["chuc_vu"]) == (f"{kt} TRƯỞNG BAN", "PHÓ TRƯỞNG BAN")
    assert (cell["dong_1"], cell["dong_2"], cell["ho_ten"]) == (
        f"{kt} TRƯỞNG BAN",
        "PHÓ TRƯỞNG BAN",
        "Lăng Văn Tuấn",
    )


def test_signature_grid_pads_last_row() -> None:
    dossier = lang_son_dossier()
    attendees = tuple(a for a in dossier.meeting.attendees if a.unit != "TCT")
    dossier = replace(
        dossier,
        units=tuple(u for u in dossier.units if u.code != "TCT"),
        scores=tuple(s for s in dossier.scores if s.unit != "TCT"),
        meeting=replace(dossier.meeting, attendees=attendees),
    )
    rows = context_of(dossier)["chu_ky_don_vi"]
    assert isinstance(rows, list) and len(rows) == 3
    assert [c["trong"] for c in rows[2]] == [False, False, True]
    assert rows[2][2]["ho_ten"] == "" and rows[2][2]["dong_1"] == ""


@pytest.mark.parametrize(
    ("doc_format", "archive"),
    [(DocFormat.PARTY, "Lưu hồ sơ cụm"), (DocFormat.STATE, "Lưu: VT, Hồ sơ cụm")],
)
def test_recipients(doc_format: DocFormat, archive: str) -> None:
    noi_nhan = rec(context_of(lang_son_dossier(doc_format))["noi_nhan"])
    assert recs(noi_nhan["bao_cao"])[-1] == archive  # type: ignore[comparison-overlap]


COUNCIL = "Thường trực Hội đồng Thi đua – Khen thưởng tỉnh (b/c)"


@pytest.mark.parametrize(
    ("doc_format", "minutes"),
    [
        (DocFormat.PARTY, []),  # HD 16-HD/VPTW minutes have no "Nơi nhận"
        (DocFormat.STATE, ["Các cơ quan trong cụm", "Lưu: VT, Hồ sơ cụm"]),  # NĐ 30 Mẫu 1.9
    ],
)
def test_default_recipients_when_the_workbook_gives_none(
    doc_format: DocFormat, minutes: list[str]
) -> None:
    archive = "Lưu hồ sơ cụm" if doc_format is DocFormat.PARTY else "Lưu: VT, Hồ sơ cụm"
    assert context_of(lang_son_dossier(doc_format))["noi_nhan"] == {
        "bao_cao": [COUNCIL, "Các cơ quan trong cụm", archive],
        "bien_ban": minutes,
        "giao_uoc": [],
        "danh_sach": [],
    }


def test_recipients_from_the_workbook_in_row_order_with_the_archive_last() -> None:
    lines = (
        Addressee(("bao_cao",), "- Ban Thi đua - Khen thưởng tỉnh (Sở Nội vụ);", 2),
        Addressee(DOCUMENT_KINDS, "Các cơ quan trong cụm", 3),
        Addressee(("bao_cao",), COUNCIL, 1),
        Addressee(("danh_sach",), "Văn phòng Tỉnh ủy", 4),
        Addressee(("danh_sach",), "Lưu: VT, Văn phòng cụm.", 5),
    )
    dossier = replace(lang_son_dossier(), addressees=lines)
    assert context_of(dossier)["noi_nhan"] == {
        "bao_cao": [
            COUNCIL,
            "Ban Thi đua - Khen thưởng tỉnh (Sở Nội vụ)",
            "Các cơ quan trong cụm",
            "Lưu hồ sơ cụm",
        ],
        "bien_ban": ["Các cơ quan trong cụm", "Lưu hồ sơ cụm"],  # Party minutes: asked for
        "giao_uoc": ["Các cơ quan trong cụm", "Lưu hồ sơ cụm"],
        "danh_sach": ["Các cơ quan trong cụm", "Văn phòng Tỉnh ủy", "Lưu: VT, Văn phòng cụm"],
    }


def test_default_legal_bases_when_the_workbook_gives_none(ctx: dict[str, object]) -> None:
    assert ctx["can_cu"] == {
        "bao_cao": [],
        "bien_ban": [],
        "giao_uoc": ["Luật Thi đua, khen thưởng và các văn bản hướng dẫn thi hành"],
        "danh_sach": [],
    }


def test_legal_bases_from_the_workbook_replace_the_default() -> None:
    law = "Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003"
    decree = "Nghị định số 42/2010/NĐ-CP ngày 15 tháng 4 năm 2010 của Chính phủ"
    bases = (
        LegalBasis(("giao_uoc",), f"Căn cứ {decree};", 2),
        LegalBasis(("giao_uoc",), law, 1),
        LegalBasis(DOCUMENT_KINDS, "hướng dẫn của Tỉnh ủy.", 3),
    )
    can_cu = rec(context_of(replace(lang_son_dossier(), legal_bases=bases))["can_cu"])
    assert can_cu["giao_uoc"] == [law, decree, "hướng dẫn của Tỉnh ủy"]
    assert can_cu["bao_cao"] == can_cu["danh_sach"] == ["hướng dẫn của Tỉnh ủy"]


def test_discussion_speaker_named_once(ctx: dict[str, object]) -> None:
    first = recs(rec(ctx["hoi_nghi"])["thao_luan"])[0]
    assert first["mo_ta"] == "Nông Văn Thắng (Ban Tuyên giáo Tỉnh ủy)"
    dossier = lang_son_dossier()
    spoken = Discussion(
        1, "Đồng chí Lăng Thị Mai, Phó Trưởng ban Tuyên giáo Tỉnh ủy", "BTG", "Ý kiến."
    )
    dossier = replace(dossier, meeting=replace(dossier.meeting, discussions=(spoken,)))
    item = recs(rec(context_of(dossier)["hoi_nghi"])["thao_luan"])[0]
    assert (
        item["nguoi_phat_bieu"]
        == item["mo_ta"]
        == ("Lăng Thị Mai, Phó Trưởng ban Tuyên giáo Tỉnh ủy")
    )


def test_unit_paragraph_does_not_repeat_the_unit(ctx: dict[str, object]) -> None:
    units = recs(rec(ctx["noi_dung_bao_cao"])["ket_qua_don_vi"])
    assert units[0]["doan"] == "Văn phòng Tỉnh ủy: Phục vụ tốt các hội nghị của Tỉnh ủy."
    dossier = lang_son_dossier()
    told = Narrative("ket_qua_don_vi", "BTC", "Ban Tổ chức Tỉnh ủy tham mưu tốt.", 9)
    dossier = replace(dossier, narratives=(told,))
    (item,) = recs(rec(context_of(dossier)["noi_dung_bao_cao"])["ket_qua_don_vi"])
    assert item["doan"] == "Ban Tổ chức Tỉnh ủy tham mưu tốt."


def test_person_title_naming_the_unit() -> None:
    dossier = lang_son_dossier()
    title = "Phó Trưởng ban Thường trực Ban Bảo vệ, chăm sóc sức khỏe cán bộ tỉnh"
    chair = Person("Hà Thị Lan", title, "BBVCSSK")
    dossier = replace(dossier, meeting=replace(dossier.meeting, chair=chair))
    assert rec(rec(context_of(dossier)["hoi_nghi"])["chu_tri"])["mo_ta"] == (
        "Hà Thị Lan, Phó Trưởng ban Thường trực Ban Bảo vệ, chăm sóc sức khỏe cán bộ tỉnh"
    )
