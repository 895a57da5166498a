"""Validation rules, one defect at a time, on dossiers built in Python.

:func:`valid_dossier` is a small, correct four-unit cluster-year; each case of
:data:`CASES` injects one defect with ``dataclasses.replace`` and names exactly the problems it
must produce: severity, rule id, sheet and cell.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, time
from decimal import Decimal as D
from typing import Any

import pytest

from pipeline.domain.model import (
    DOCUMENT_KINDS,
    Adjustment,
    AdjustmentKind,
    Attendee,
    AwardForm,
    BaseSalary,
    ClusterInfo,
    CollectiveProposal,
    Criterion,
    DocFormat,
    DocumentInfo,
    Dossier,
    IndividualProposal,
    LegalBasis,
    Meeting,
    Parameters,
    Person,
    RankMethod,
    Recipient,
    Role,
    Rotation,
    Score,
    Source,
    Unit,
    Vote,
)
from pipeline.domain.rules import RULES, check_legal_bases, validate
from pipeline.errors import Problem
from pipeline.workbook.schema import DOSSIER_PART

FILE = "cum.xlsx"
#: The sheet titles a loaded dossier carries (``Dossier.sheets``): here the schema's names.
SHEET_TITLES = {part: name for name, part in DOSSIER_PART.items()}


def src(sheet: str, row: int, *fields: str) -> Source:
    """A row's source with its fields in columns A, B, C… (``""`` skips a column)."""
    cells = {f: f"{col}{row}" for f, col in zip(fields, string.ascii_uppercase, strict=False) if f}
    return Source(FILE, sheet, row, cells)


def kv(sheet: str, **cells: str) -> Source:
    """A key–value sheet's source: each field at its own cell."""
    return Source(FILE, sheet, None, cells)


UNIT_FIELDS = (
    "code",
    "full_name",
    "short_name",
    "",
    "",
    "order",
    "role",
    "head_name",
    "head_title",
    "signer_name",
    "signer_title",
)


def unit(row: int, code: str, name: str, role: Role, head: str) -> Unit:
    return Unit(
        code=code,
        full_name=f"{name} Tỉnh ủy",
        short_name=name,
        header_name=name.upper(),
        aliases=(),
        order=row - 1,
        role=role,
        head_name=head,
        head_title="Trưởng ban",
        src=src("DonVi", row, *UNIT_FIELDS),
    )


def criterion(row: int, code: str, parent: str | None, maximum: int) -> Criterion:
    return Criterion(
        code,
        parent,
        f"Tiêu chí {code}",
        D(maximum),
        row - 1,
        src("TieuChi", row, "code", "parent", "text", "max_points"),
    )


#: Cluster scores per unit on I.1, I.2, II.1, II.2 (self-scores are the same).
SCORES = {
    "BTC": (298, 297, 198, 197),  # 990
    "BTG": (295, 295, 195, 195),  # 980 + 5 bonus = 985
    "BDV": (295, 290, 195, 195),  # 975
    "VPTU": (290, 290, 190, 190),  # 960 - 2 deduction = 958
}
LEAVES = ("I.1", "I.2", "II.1", "II.2")
SCORE_FIELDS = ("unit", "criterion", "self_score", "cluster_score", "reason")


def score(
    row: int,
    unit_code: str,
    leaf: str,
    value: D | int | None,
    own: D | int | None = None,
    reason: str | None = None,
) -> Score:
    cluster = None if value is None else D(value)
    self_score = cluster if own is None else D(own)
    return Score(unit_code, leaf, self_score, cluster, reason, src("ChamDiem", row, *SCORE_FIELDS))


def vote(row: int, code: str, yes: int, no: int = 0, abstain: int = 0, issued: int = 4) -> Vote:
    fields = ("code", "item", "method", "issued", "returned", "valid", "yes", "no", "abstain")
    valid = yes + no + abstain
    return Vote(
        code,
        f"Nội dung {code}",
        "bo_phieu_kin",
        issued,
        valid,
        valid,
        yes,
        no,
        abstain,
        src("BoPhieu", row, *fields),
    )


FORM_FIELDS = ("code", "name", "recipient", "coefficient", "is_flag", "needs_vote")


def form(
    row: int,
    code: str,
    name: str,
    recipient: Recipient,
    coefficient: str | None,
    flag: bool = False,
    needs_vote: bool = False,
) -> AwardForm:
    return AwardForm(
        code,
        name,
        recipient,
        None if coefficient is None else D(coefficient),
        flag,
        needs_vote,
        src("HinhThuc", row, *FORM_FIELDS),
    )


COLLECTIVE_FIELDS = ("order", "unit", "form", "achievement", "vote", "note")
INDIVIDUAL_FIELDS = (
    "order",
    "name",
    "gender",
    "birth_year",
    "title",
    "unit",
    "form",
    "achievement",
    "vote",
    "note",
)


def collective(
    row: int,
    unit_code: str,
    form_code: str,
    vote_code: str | None,
    achievement: str = "Dẫn đầu phong trào thi đua năm 2025",
) -> CollectiveProposal:
    return CollectiveProposal(
        row - 1,
        unit_code,
        form_code,
        achievement,
        vote_code,
        src=src("DeNghiTapThe", row, *COLLECTIVE_FIELDS),
    )


def individual(
    row: int, name: str = "Nguyễn Thị An", form_code: str = "BK_CN", vote_code: str | None = None
) -> IndividualProposal:
    return IndividualProposal(
        row - 1,
        name,
        "Nữ",
        1980,
        "Chuyên viên",
        "BDV",
        form_code,
        "Hoàn thành xuất sắc nhiệm vụ năm 2025",
        vote_code,
        src=src("DeNghiCaNhan", row, *INDIVIDUAL_FIELDS),
    )


ATTENDEE_FIELDS = ("name", "title", "unit", "organization", "guest", "present", "absence_reason")


def attendee(
    row: int, name: str, unit_code: str | None, present: bool = True, reason: str | None = None
) -> Attendee:
    return Attendee(
        name,
        "Phó Trưởng ban",
        unit_code,
        None if unit_code else "Sở Nội vụ",
        unit_code is None,
        present,
        reason,
        src("ThanhPhan", row, *ATTENDEE_FIELDS),
    )


def document(kind: str, cell: str, day: date) -> DocumentInfo:
    return DocumentInfo(
        kind, 1, kind[:2].upper(), "CTĐ", day, kv("ThongTinChung", signing_date=cell)
    )


def valid_dossier() -> Dossier:
    """Four Party agencies, year 2025: BTC leads (990), BTG 985, BDV 975, VPTU 958."""
    units = (
        unit(2, "BTC", "Ban Tổ chức", Role.HEAD, "Hoàng Văn A"),
        unit(3, "BTG", "Ban Tuyên giáo", Role.DEPUTY, "Lương Thị B"),
        unit(4, "BDV", "Ban Dân vận", Role.MEMBER, "Vi Văn C"),
        unit(5, "VPTU", "Văn phòng", Role.MEMBER, "Nông Thị D"),
    )
    criteria = (
        criterion(2, "I", None, 600),
        criterion(3, "I.1", "I", 300),
        criterion(4, "I.2", "I", 300),
        criterion(5, "II", None, 400),
        criterion(6, "II.1", "II", 200),
        criterion(7, "II.2", "II", 200),
    )
    scores = tuple(
        score(2 + 4 * i + j, code, leaf, value)
        for i, (code, values) in enumerate(SCORES.items())
        for j, (leaf, value) in enumerate(zip(LEAVES, values, strict=True))
    )
    adjustment_fields = ("unit", "kind", "points", "reason", "basis")
    adjustments = (
        Adjustment(
            "BTG",
            AdjustmentKind.BONUS,
            D(5),
            "Sáng kiến được công nhận",
            "Quyết định số 12-QĐ/TU ngày 10/6/2025",
            src("DiemCongTru", 2, *adjustment_fields),
        ),
        Adjustment(
            "VPTU",
            AdjustmentKind.DEDUCTION,
            D(2),
            "Chậm gửi báo cáo 6 tháng",
            "Thông báo số 5-TB/CTĐ ngày 20/7/2025",
            src("DiemCongTru", 3, *adjustment_fields),
        ),
    )
    person_fields = kv("HoiNghi", name="B6", title="B7", unit="B8")
    meeting = Meeting(
        date=date(2026, 1, 5),
        start=time(8, 0),
        end=time(11, 30),
        venue="Hội trường Ban Tổ chức Tỉnh ủy",
        chair=Person("Hoàng Văn A", "Trưởng ban", "BTC", src=person_fields),
        secretary=Person(
            "Lý Văn E", "Chuyên viên", "BTC", src=kv("HoiNghi", name="B9", title="B10", unit="B11")
        ),
        attendees=(
            attendee(2, "Hoàng Văn A", "BTC"),
            attendee(3, "Lương Thị B", "BTG"),
            attendee(4, "Vi Văn C", "BDV"),
            attendee(5, "Nông Thị D", "VPTU"),
            attendee(6, "Trần Văn G", None),
        ),
        discussions=(),
        src=kv("HoiNghi", date="B2", start="B3", end="B4", venue="B5"),
    )
    forms = {
        f.code: f
        for f in (
            form(
                2,
                "CO",
                "Cờ thi đua của Ủy ban nhân dân tỉnh",
                Recipient.COLLECTIVE,
                "8.0",
                flag=True,
                needs_vote=True,
            ),
            form(
                3,
                "BK_TT",
                "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
                Recipient.COLLECTIVE,
                "3.0",
                needs_vote=True,
            ),
            form(
                4,
                "BK_CN",
                "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
                Recipient.INDIVIDUAL,
                "1.5",
            ),
            form(5, "TTLDXS", "Tập thể lao động xuất sắc", Recipient.COLLECTIVE, "1.5"),
            form(6, "BK_DANG", "Bằng khen của Ban Thường vụ Tỉnh ủy", Recipient.COLLECTIVE, None),
        )
    }
    params = Parameters(
        base_salaries=(
            BaseSalary(
                D(2_340_000), date(2024, 7, 1), src("LuongCoSo", 2, "amount", "effective_from")
            ),
        ),
        award_forms=forms,
        decision_date=date(2026, 1, 20),
        bonus_cap=D(10),
        src=kv("ThamSo", decision_date="B2"),
    )
    cluster = ClusterInfo(
        name="Cụm thi đua các Ban Đảng thuộc Tỉnh ủy Lạng Sơn",
        short_name="Cụm thi đua các Ban Đảng",
        parent_body="TỈNH ỦY LẠNG SƠN",
        doc_format=DocFormat.PARTY,
        place="Lạng Sơn",
        year=2025,
        covenant_year=2026,
        max_score=D(1000),
        documents={
            "bao_cao": document("bao_cao", "B10", date(2025, 12, 30)),
            "bien_ban": document("bien_ban", "B11", date(2026, 1, 5)),
            "giao_uoc": document("giao_uoc", "B12", date(2026, 1, 5)),
            "danh_sach": document("danh_sach", "B13", date(2026, 1, 6)),
        },
        src=kv("ThongTinChung", year="B2", covenant_year="B3", max_score="B4"),
    )
    return Dossier(
        path=FILE,
        cluster=cluster,
        units=units,
        criteria=criteria,
        scores=scores,
        adjustments=adjustments,
        meeting=meeting,
        votes=(vote(2, "V1", 4), vote(3, "V2", 3, 1), vote(4, "V3", 4)),
        collective_proposals=(
            collective(2, "BTC", "CO", "V1"),
            collective(3, "BTG", "BK_TT", "V2"),
        ),
        individual_proposals=(individual(2),),
        rotation=Rotation(
            2026, "BTG", "BDV", "V3", src("LuanPhien", 2, "year", "head", "deputy", "vote")
        ),
        covenant_targets=(),
        narratives=(),
        params=params,
        legal_bases=(
            basis(2, "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022", "giao_uoc"),
            basis(
                3,
                "Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định chi "
                "tiết một số điều của Luật Thi đua, khen thưởng",
                "giao_uoc",
            ),
            basis(4, "Hướng dẫn của Ban Thường vụ Tỉnh ủy về công tác thi đua, khen thưởng"),
        ),
        sheets=SHEET_TITLES,
    )


def basis(row: int, text: str, *documents: str) -> LegalBasis:
    """A CanCu row (text in column B); no documents: every document (``Tất cả``)."""
    return LegalBasis(documents or DOCUMENT_KINDS, text, row - 1, src("CanCu", row, "", "text"))


# --- mutation helpers --------------------------------------------------------------------------


def at(items: tuple[Any, ...], index: int, **changes: Any) -> tuple[Any, ...]:
    """``items`` with ``items[index]`` replaced by a copy carrying ``changes``."""
    return (*items[:index], replace(items[index], **changes), *items[index + 1 :])


def units(index: int, **changes: Any) -> Callable[[Dossier], Dossier]:
    return lambda d: replace(d, units=at(d.units, index, **changes))


def scores(unit_code: str, leaf: str, **changes: Any) -> Callable[[Dossier], Dossier]:
    def mutate(d: Dossier) -> Dossier:
        i = next(i for i, s in enumerate(d.scores) if (s.unit, s.criterion) == (unit_code, leaf))
        return replace(d, scores=at(d.scores, i, **changes))

    return mutate


def unit_scores(unit_code: str, *values: tuple[int, int]) -> Callable[[Dossier], Dossier]:
    """Set one unit's (cluster, self) scores on the four leaves."""

    def mutate(d: Dossier) -> Dossier:
        for leaf, (cluster, own) in zip(LEAVES, values, strict=True):
            d = scores(unit_code, leaf, cluster_score=D(cluster), self_score=D(own))(d)
        return d

    return mutate


def criteria(index: int, **changes: Any) -> Callable[[Dossier], Dossier]:
    return lambda d: replace(d, criteria=at(d.criteria, index, **changes))


def cluster(**changes: Any) -> Callable[[Dossier], Dossier]:
    return lambda d: replace(d, cluster=replace(d.cluster, **changes))


def document_date(kind: str, day: date) -> Callable[[Dossier], Dossier]:
    def mutate(d: Dossier) -> Dossier:
        docs = dict(d.cluster.documents)
        docs[kind] = replace(docs[kind], signing_date=day)
        return replace(d, cluster=replace(d.cluster, documents=docs))

    return mutate


def unsigned(kind: str) -> Callable[[Dossier], Dossier]:
    """The document has no signing date (numbered and dated by hand)."""

    def mutate(d: Dossier) -> Dossier:
        docs = dict(d.cluster.documents)
        docs[kind] = replace(docs[kind], signing_date=None)
        return replace(d, cluster=replace(d.cluster, documents=docs))

    return mutate


def legal_bases(index: int, **changes: Any) -> Callable[[Dossier], Dossier]:
    return lambda d: replace(d, legal_bases=at(d.legal_bases, index, **changes))


def add_basis(*bases: LegalBasis) -> Callable[[Dossier], Dossier]:
    return lambda d: replace(d, legal_bases=(*d.legal_bases, *bases))


def params(**changes: Any) -> Callable[[Dossier], Dossier]:
    return lambda d: replace(d, params=replace(d.params, **changes))


def meeting(**changes: Any) -> Callable[[Dossier], Dossier]:
    return lambda d: replace(d, meeting=replace(d.meeting, **changes))


def attendees(index: int, **changes: Any) -> Callable[[Dossier], Dossier]:
    return lambda d: meeting(attendees=at(d.meeting.attendees, index, **changes))(d)


def chair(**changes: Any) -> Callable[[Dossier], Dossier]:
    return lambda d: meeting(chair=replace(d.meeting.chair, **changes))(d)


def votes(index: int, **changes: Any) -> Callable[[Dossier], Dossier]:
    return lambda d: replace(d, votes=at(d.votes, index, **changes))


def adjustments(index: int, **changes: Any) -> Callable[[Dossier], Dossier]:
    return lambda d: replace(d, adjustments=at(d.adjustments, index, **changes))


def collectives(index: int, **changes: Any) -> Callable[[Dossier], Dossier]:
    return lambda d: replace(d, collective_proposals=at(d.collective_proposals, index, **changes))


def add_collective(*proposals: CollectiveProposal) -> Callable[[Dossier], Dossier]:
    return lambda d: replace(d, collective_proposals=(*d.collective_proposals, *proposals))


def individuals(index: int, **changes: Any) -> Callable[[Dossier], Dossier]:
    return lambda d: replace(d, individual_proposals=at(d.individual_proposals, index, **changes))


def rotation(**changes: Any) -> Callable[[Dossier], Dossier]:
    return lambda d: replace(d, rotation=replace(d.rotation, **changes))


def both(*mutations: Callable[[Dossier], Dossier]) -> Callable[[Dossier], Dossier]:
    def mutate(d: Dossier) -> Dossier:
        for mutation in mutations:
            d = mutation(d)
        return d

    return mutate


def bdv_ties_btg(d: Dossier) -> Dossier:
    """BDV climbs to 985, level with BTG (rank 2); VPTU then ranks 4th."""
    return scores("BDV", "I.2", cluster_score=D(300), self_score=D(300))(d)


# --- cases -------------------------------------------------------------------------------------


def add_unit_with_code_bdv(d: Dossier) -> Dossier:
    twin = replace(d.units[2], full_name="Ban Dân vận mới", src=src("DonVi", 6, *UNIT_FIELDS))
    return replace(d, units=(*d.units, twin))


def add_duplicate_criterion(d: Dossier) -> Dossier:
    twin = replace(d.criteria[5], src=src("TieuChi", 8, "code", "parent", "text", "max_points"))
    return replace(d, criteria=(*d.criteria, twin))


def add_score(row: Score) -> Callable[[Dossier], Dossier]:
    return lambda d: replace(d, scores=(*d.scores, row))


def add_person(d: Dossier) -> Dossier:
    twin = individual(3, "Nguyễn Thị  An")  # same person, a double space in the name
    return replace(d, individual_proposals=(*d.individual_proposals, twin))


def drop_attendees_of(code: str) -> Callable[[Dossier], Dossier]:
    return lambda d: meeting(attendees=tuple(a for a in d.meeting.attendees if a.unit != code))(d)


def salaries(*rows: tuple[int, date]) -> Callable[[Dossier], Dossier]:
    return params(
        base_salaries=tuple(
            BaseSalary(D(amount), day, src("LuongCoSo", 2 + i, "amount", "effective_from"))
            for i, (amount, day) in enumerate(rows)
        )
    )


def form_changes(code: str, **changes: Any) -> Callable[[Dossier], Dossier]:
    def mutate(d: Dossier) -> Dossier:
        forms = dict(d.params.award_forms)
        forms[code] = replace(forms[code], **changes)
        return params(award_forms=forms)(d)

    return mutate


@dataclass(frozen=True)
class Case:
    id: str
    mutate: Callable[[Dossier], Dossier]
    expected: str  # "E B9 ChamDiem!D2; W B15 ChamDiem": severity letter, rule, sheet[!cell]
    says: str = ""  # a fragment, with the actual values, of the message of the case's rule
    hint: str = ""  # a fragment of its hint

    @property
    def rule(self) -> str:
        """The rule the case is about: the start of its id (``B15`` for ``B15-low-total``)."""
        return self.id.split("-")[0]

    def problems(self) -> list[tuple[str, str, str, str | None]]:
        severities = {"E": "error", "W": "warning", "I": "info"}
        found = []
        for item in self.expected.split(";"):
            letter, code, where = item.split()
            sheet, _, cell = where.partition("!")
            found.append((severities[letter], code, sheet, cell or None))
        return found


CASES = [
    # A. Structure and identity
    Case("A1-duplicate-code", add_unit_with_code_bdv, "E A1 DonVi!A6", "Mã đơn vị BDV bị trùng",
         hint="Mỗi đơn vị một mã riêng"),
    Case("A1-duplicate-name", units(3, full_name="Ban tổ chức  Tỉnh uỷ"), "E A1 DonVi!B5",
         "trùng với “Ban Tổ chức Tỉnh ủy” (mã BTC)",
         hint="chuyển tên cũ sang cột bí danh"),
    Case("A3-no-head-name", units(2, head_name=" "), "E A3 DonVi!H4",
         says="Ban Dân vận Tỉnh ủy chưa có họ tên thủ trưởng",
         hint="in ở chỗ ký của bản giao ước"),
    Case("A3-no-head-title", units(2, head_title=""), "E A3 DonVi!I4",
         says="Ban Dân vận Tỉnh ủy chưa có chức vụ thủ trưởng",
         hint="Nhập chức vụ thủ trưởng"),
    Case("A3-signer-without-title", units(1, signer_name="Lê Văn C"), "W A3 DonVi!K3",
         says="Ban Tuyên giáo Tỉnh ủy: người ký thay Lê Văn C chưa có chức vụ",
         hint="“K/T” (“KT.”)"),
    Case("A3-title-without-signer", units(1, signer_title="Phó Trưởng ban"), "W A3 DonVi!J3",
         says="chức vụ người ký thay “Phó Trưởng ban” nhưng chưa có họ tên người ký",
         hint="Nhập họ tên người ký thay"),
    Case("A3-signer-is-head", units(1, signer_name="Lương Thị B", signer_title="Trưởng ban"),
         "W A3 DonVi!J3",
         says="người ký thay Lương Thị B chính là thủ trưởng",
         hint="Bỏ trống người ký thay khi thủ trưởng tự ký"),
    Case("A4-no-head", units(0, role=Role.MEMBER), "E A4 DonVi",
         says="Chưa có đơn vị Cụm trưởng năm 2025",
         hint="chọn “Cụm trưởng” cho đúng một đơn vị"),
    Case("A4-two-heads", units(2, role=Role.HEAD), "E A4 DonVi!G2; E A4 DonVi!G4",
         "Có 2 đơn vị Cụm trưởng: Ban Tổ chức Tỉnh ủy và Ban Dân vận Tỉnh ủy",
         hint="Mỗi năm chỉ một đơn vị là Cụm trưởng"),
    Case("A4-two-deputies", units(3, role=Role.DEPUTY), "E A4 DonVi!G3; E A4 DonVi!G5",
         says="Có 2 đơn vị Cụm phó: Ban Tuyên giáo Tỉnh ủy và Văn phòng Tỉnh ủy",
         hint="Mỗi năm chỉ một đơn vị là Cụm phó"),
    # B. Criteria and scores
    Case("B6-duplicate-code", add_duplicate_criterion, "E B6 TieuChi!A8",
         says="Mã tiêu chí II.2 bị trùng",
         hint="sửa hoặc xóa dòng trùng"),
    Case("B6-unknown-parent", criteria(5, parent="III"), "E B6 TieuChi!B7",
         "cha III không tồn tại",
         hint="bỏ trống nếu là tiêu chí cấp cao nhất"),
    Case("B6-cycle", criteria(0, parent="I.1"), "E B6 TieuChi!B2", "I → I.1 → I",
         hint="không có vòng lặp"),
    Case("B7-children-sum", criteria(1, max_points=D(310)), "E B7 TieuChi!D2",
         "cộng lại được 610",
         hint="theo bảng tiêu chí năm nay"),
    Case("B7-top-level-sum", cluster(max_score=D(900)), "E B7 ThongTinChung!B4",
         "khác thang điểm 900",
         hint="Sửa thang điểm hoặc điểm tối đa"),
    Case("B7-negative-max", both(criteria(1, max_points=D(-300)), criteria(2, max_points=D(900))),
         "E B7 TieuChi!D3",
         says="Điểm tối đa -300 của tiêu chí I.1 là số âm",
         hint="điểm trừ nhập ở sheet DiemCongTru"),
    Case("B8-missing-row", lambda d: replace(d, scores=d.scores[:-1]), "E B8 ChamDiem",
         "Thiếu dòng điểm của Văn phòng Tỉnh ủy ở tiêu chí II.2",
         hint="Thêm một dòng cho VPTU × II.2"),
    Case("B8-blank-cluster-score", scores("BDV", "I.1", cluster_score=None), "E B8 ChamDiem!D10",
         says="Chưa có điểm cụm chấm của Ban Dân vận Tỉnh ủy ở tiêu chí I.1",
         hint="ô trống không được tính là 0"),
    Case("B8-blank-self-score", scores("BDV", "I.1", self_score=None), "W B8 ChamDiem!C10",
         says="Chưa có điểm tự chấm của Ban Dân vận Tỉnh ủy ở tiêu chí I.1",
         hint="Nhập điểm đơn vị tự chấm"),
    Case("B8-duplicate-row", add_score(score(18, "BTC", "I.1", 298)), "E B8 ChamDiem!B18",
         says="Ban Tổ chức Tỉnh ủy có 2 dòng điểm ở tiêu chí I.1",
         hint="xóa dòng thừa"),
    Case("B8-unknown-criterion", add_score(score(18, "BTC", "III.9", 5)), "E B8 ChamDiem!B18",
         "ghi cho tiêu chí III.9 không có trong bảng tiêu chí",
         hint="Sửa mã tiêu chí cho đúng một mã ở sheet TieuChi"),
    Case("B9-above-max", scores("BTC", "I.1", cluster_score=D(301), reason="Chấm lại"),
         "E B9 ChamDiem!D2", "vượt điểm tối đa 300",
         hint="Sửa điểm trong khoảng 0 đến 300"),
    Case("B9-negative", scores("BTC", "I.1", self_score=D(-5), reason="Chấm lại"),
         "E B9 ChamDiem!C2", "là số âm",
         hint="Điểm tiêu chí từ 0 trở lên"),
    Case("B9-step", scores("BDV", "I.2", cluster_score=D("289.9")), "E B9 ChamDiem!D11",
         "không phải bội số của bước chấm 0,25",
         hint="Làm tròn về bội số của 0,25"),
    Case("B11-gap-on-criterion", scores("BTG", "I.1", cluster_score=D(280)), "W B11 ChamDiem!E6",
         "lệch 15 điểm",
         hint="Ghi lý do điều chỉnh"),
    Case("B11-gap-in-total", unit_scores("VPTU", (290, 297), (290, 297), (190, 197), (190, 190)),
         "W B11 ChamDiem", "lệch 21 điểm",
         hint="Ghi lý do điều chỉnh ở các tiêu chí bị chấm lại"),
    Case("B12-cluster-above-self", scores("BDV", "II.1", self_score=D(190)), "W B12 ChamDiem!E12",
         says="Điểm cụm chấm 195 của Ban Dân vận Tỉnh ủy ở tiêu chí II.1 cao hơn điểm tự chấm 190",
         hint="có thể nhập nhầm cột"),
    Case("B13-negative-deduction", adjustments(1, points=D(-2)), "E B13 DiemCongTru!C3",
         "không phải số dương",
         hint="không nhập số âm cho điểm trừ"),
    Case("B13-no-basis", adjustments(0, basis=None), "E B13 DiemCongTru!E2",
         says="Điểm cộng 5 của Ban Tuyên giáo Tỉnh ủy (“Sáng kiến được công nhận”) chưa có căn cứ",
         hint="Ghi văn bản làm căn cứ"),
    Case("B13-over-cap", params(bonus_cap=D(4)), "E B13 DiemCongTru!C2", "vượt mức trần 4",
         hint="để tổng không quá 4"),
    Case("B14-subtotal", add_score(score(18, "BTC", "I", 590, 595)), "E B14 ChamDiem!D18",
         "khác tổng các tiêu chí con (595)",
         hint="Xóa dòng điểm của tiêu chí cha"),
    Case("B15-over-thang-diem", scores("BTC", "I.1", cluster_score=D(310), reason="Chấm lại"),
         "E B9 ChamDiem!D2; W B15 ChamDiem",
         says="Tổng điểm tiêu chí của Ban Tổ chức Tỉnh ủy là 1.002, vượt thang điểm 1.000",
         hint="Kiểm tra điểm tối đa của các tiêu chí"),
    Case("B15-low-total", scores("VPTU", "I.1", cluster_score=D(190), self_score=D(190)),
         "W B15 ChamDiem", "858/1.000",
         hint="có thể thiếu một chữ số"),
    # C. Ranking and ties
    Case("C17-tie", bdv_ties_btg, "I C17 ChamDiem",
         "Ban Tuyên giáo Tỉnh ủy và Ban Dân vận Tỉnh ủy cùng 985 điểm, đồng xếp thứ Nhì; theo "
         "cách xếp hạng kiểu thi đấu (1, 2, 3, 3, 5), đơn vị kế tiếp (Văn phòng Tỉnh ủy) "
         "xếp thứ Tư",
         hint="Hội nghị giữ đồng hạng hoặc biểu quyết phân định"),
    Case("C18-tie-at-merit-boundary", both(bdv_ties_btg, collectives(1, form="TTLDXS", vote=None)),
         "I C17 ChamDiem; E C18 DeNghiTapThe!E3",
         says="Ban Tuyên giáo Tỉnh ủy được đề nghị Tập thể lao động xuất sắc nhưng đồng xếp thứ "
              "Nhì (985 điểm) với Ban Dân vận Tỉnh ủy",
         hint="Hội nghị biểu quyết chọn đơn vị"),
    Case("C18-tie-at-rank-1",
         both(scores("BTG", "I.1", cluster_score=D(300), self_score=D(300)),
              form_changes("CO", needs_vote=False), collectives(0, vote=None)),
         "I C17 ChamDiem; E C18 DeNghiTapThe!E2",
         says="được đề nghị Cờ thi đua của Ủy ban nhân dân tỉnh nhưng đồng hạng nhất (990 điểm) "
              "với Ban Tuyên giáo Tỉnh ủy",
         hint="Hội nghị biểu quyết chọn đơn vị"),
    # D. Proposals
    Case("D19-flag-not-first", collectives(0, unit="BDV"), "E D19 DeNghiTapThe!B2",
         "Ban Dân vận Tỉnh ủy xếp thứ Ba (975 điểm)",
         hint="Đề nghị Cờ cho đơn vị xếp thứ nhất"),
    Case("D19-flag-quota", params(flag_quota=0), "E D19 DeNghiTapThe!C2", "vượt chỉ tiêu 0",
         hint="Giữ tối đa 0 đề nghị Cờ"),
    Case("D20-merit-quota", add_collective(collective(4, "BDV", "BK_TT", "V2")),
         "E D20 DeNghiTapThe!C4", "≤ 50% × 3 đơn vị còn lại sau Cờ = 1",
         hint="Giảm số tập thể đề nghị theo thứ tự xếp hạng"),
    Case("D21-same-achievement",
         both(params(merit_quota_ratio=D(1)), add_collective(collective(4, "BTC", "BK_TT", "V2"))),
         "E D21 DeNghiTapThe!C4", "hai lần cho cùng thành tích",
         hint="Luật Thi đua, khen thưởng 2022, Điều 5"),
    Case("D21-flag-and-merit",
         both(params(merit_quota_ratio=D(1)),
              add_collective(collective(4, "BTC", "BK_TT", "V2", "Sáng kiến cải cách"))),
         "W D21 DeNghiTapThe!C4",
         says="Ban Tổ chức Tỉnh ủy được đề nghị cả Cờ thi đua của Ủy ban nhân dân tỉnh và Bằng "
              "khen của Chủ tịch Ủy ban nhân dân tỉnh",
         hint="kiểm tra quy chế của cụm"),
    Case("D23-no-vote", collectives(1, vote=None), "E D23 DeNghiTapThe!E3",
         "chưa có kết quả biểu quyết",
         hint="Hình thức này phải biểu quyết"),
    Case("D23-unknown-vote", collectives(1, vote="V9"), "E D23 DeNghiTapThe!E3",
         "V9 không có trong BoPhieu",
         hint="Sửa mã cho đúng một dòng ở BoPhieu"),
    Case("D23-vote-failed", votes(1, yes=1, no=3), "E D23 DeNghiTapThe!E3",
         "đạt 1/4 phiếu đồng ý (25%), chưa đạt ngưỡng ≥ 50% (tính trên tổng số 4 đơn vị "
         "thành viên)",
         hint="“Ngưỡng thông qua biểu quyết”"),
    Case("D23-threshold", params(vote_threshold=D("0.8")), "E D23 DeNghiTapThe!E3",
         "đạt 3/4 phiếu đồng ý (75%), chưa đạt ngưỡng ≥ 80%",
         hint="“Ngưỡng thông qua biểu quyết”"),
    Case("D23-strict-threshold",
         both(votes(1, yes=2, no=2), params(vote_threshold_inclusive=False)),
         "E D23 DeNghiTapThe!E3", "đạt 2/4 phiếu đồng ý (50%), chưa đạt ngưỡng > 50%",
         hint="“Ngưỡng thông qua biểu quyết”"),
    Case("D25-gender", individuals(0, gender="nữ giới"), "E D25 DeNghiCaNhan!C2",
         says="Giới tính “nữ giới” của Nguyễn Thị An không hợp lệ",
         hint="Ghi “Nam” hoặc “Nữ”"),
    Case("D25-no-title", individuals(0, title=""), "E D25 DeNghiCaNhan!E2",
         says="Nguyễn Thị An chưa có chức vụ",
         hint="Nhập chức vụ của cá nhân"),
    Case("D25-duplicate-person", add_person, "E D25 DeNghiCaNhan!B3", "có hai dòng đề nghị",
         hint="xóa dòng trùng"),
    # E. Votes and meeting
    Case("E26-returned-over-issued", votes(2, issued=3), "E E26 BoPhieu!E4",
         "thu về 4 nhiều hơn số phát ra 3",
         hint="Kiểm tra lại biên bản kiểm phiếu"),
    Case("E26-valid-over-returned", votes(0, valid=5, yes=5, issued=5), "E E26 BoPhieu!F2",
         says="Biểu quyết V1 (“Nội dung V1”): số phiếu hợp lệ 5 nhiều hơn số thu về 4",
         hint="Kiểm tra lại biên bản kiểm phiếu"),
    Case("E26-sum", votes(1, abstain=1), "E E26 BoPhieu!G3", "= 5, khác số phiếu hợp lệ 4",
         hint="Tổng ba loại ý kiến phải bằng số phiếu hợp lệ"),
    Case("E26-negative", votes(2, no=-1, yes=5), "E E26 BoPhieu!H4",
         says="Biểu quyết V3 (“Nội dung V3”): số phiếu không đồng ý -1 là số âm",
         hint="Nhập số phiếu từ 0 trở lên"),
    Case("E26-duplicate-code", lambda d: replace(d, votes=(*d.votes, vote(5, "V3", 4))),
         "E E26 BoPhieu!A5",
         says="Mã biểu quyết V3 bị trùng",
         hint="Mỗi nội dung biểu quyết một mã riêng"),
    Case("E27-quorum",
         both(attendees(2, present=False, absence_reason="Đi công tác"),
              attendees(3, present=False, absence_reason="Ốm")),
         "E E27 ThanhPhan", "chỉ có 2/4 đơn vị có mặt, chưa đủ 66,7%",
         hint="chưa đủ điều kiện biểu quyết"),
    Case("E27-no-absence-reason", attendees(3, present=False), "E E27 ThanhPhan!G5",
         "Văn phòng Tỉnh ủy vắng mặt nhưng chưa ghi lý do",
         hint="Ghi lý do vắng"),
    Case("E27-unit-not-listed", drop_attendees_of("BDV"), "E E27 ThanhPhan",
         "Ban Dân vận Tỉnh ủy không có đại biểu",
         hint="Thêm đại biểu của đơn vị"),
    Case("E28-end-before-start", meeting(end=time(7, 30)), "E E28 HoiNghi!B4",
         "kết thúc lúc 07:30, không sau giờ bắt đầu 08:00",
         hint="định dạng 24 giờ"),
    Case("E28-minutes-before-meeting", document_date("bien_ban", date(2026, 1, 4)),
         "E E28 ThongTinChung!B11", "Biên bản ký ngày 04/01/2026, trước ngày họp",
         hint="Biên bản lập tại hoặc sau hội nghị"),
    Case("E28-report-after-meeting", document_date("bao_cao", date(2026, 1, 6)),
         "E E28 ThongTinChung!B10",
         says="Báo cáo tổng kết ký ngày 06/01/2026, sau ngày họp 05/01/2026",
         hint="sửa ngày ký báo cáo"),
    Case("E28-covenant-signed-before", document_date("giao_uoc", date(2026, 1, 2)),
         "W E28 ThongTinChung!B12",
         says="Bản giao ước ký ngày 02/01/2026, trước ngày họp 05/01/2026",
         hint="Giao ước thường ký tại hội nghị"),
    Case("E28-list-signed-before", document_date("danh_sach", date(2026, 1, 2)),
         "W E28 ThongTinChung!B13",
         says="Danh sách đề nghị khen thưởng ký ngày 02/01/2026, trước ngày họp 05/01/2026",
         hint="theo kết quả bình xét của hội nghị"),
    Case("E28-covenant-year", cluster(covenant_year=2025), "E E28 ThongTinChung!B3",
         "Năm giao ước 2025",
         hint="Hội nghị tổng kết năm 2025 ký giao ước năm 2026"),
    Case("E28-meeting-year",
         both(meeting(date=date(2024, 1, 5)), document_date("bao_cao", date(2024, 1, 5))),
         "W E28 HoiNghi!B2",
         says="Hội nghị tổng kết năm 2025 họp ngày 05/01/2024, ngoài năm 2025 và 2026",
         hint="Kiểm tra ngày họp và năm thi đua"),
    Case("E28-decision-before-meeting", params(decision_date=date(2026, 1, 2)),
         "W E28 ThamSo!B2", "Ngày dự kiến quyết định khen thưởng 02/01/2026 trước ngày họp",
         hint="ngày này chọn mức lương cơ sở"),
    Case("E29-no-chair-name", chair(name=""), "E E29 HoiNghi!B6",
         says="Chưa có họ tên người chủ trì hội nghị",
         hint="Nhập họ tên người chủ trì"),
    Case("E29-no-secretary-title",
         lambda d: meeting(secretary=replace(d.meeting.secretary, title=" "))(d),
         "E E29 HoiNghi!B10",
         says="Chưa có chức vụ thư ký hội nghị",
         hint="Nhập chức vụ thư ký"),
    Case("E29-chair-not-from-head", chair(unit="BDV"), "W E29 HoiNghi!B8",
         "thuộc Ban Dân vận Tỉnh ủy, không thuộc đơn vị Cụm trưởng Ban Tổ chức Tỉnh ủy",
         hint="Chủ trì thường là lãnh đạo đơn vị Cụm trưởng"),
    Case("E30-head-is-deputy", rotation(deputy="BTG"), "E E30 LuanPhien!C2",
         says="Ban Tuyên giáo Tỉnh ủy vừa là Cụm trưởng vừa là Cụm phó năm 2026",
         hint="hai đơn vị khác nhau"),
    Case("E30-year", rotation(year=2025), "E E30 LuanPhien!A2",
         says="Luân phiên ghi cho năm 2025, không phải năm 2026",
         hint="bầu Cụm trưởng, Cụm phó năm 2026"),
    Case("E30-not-a-member", rotation(deputy="XYZ"), "E E30 LuanPhien!C2",
         says="Cụm phó năm 2026 (XYZ) không phải đơn vị thành viên của cụm",
         hint="Ghi mã một đơn vị có trong DonVi"),
    Case("E30-head-again", rotation(head="BTC"), "W E30 LuanPhien!B2",
         says="Ban Tổ chức Tỉnh ủy tiếp tục làm Cụm trưởng năm 2026",
         hint="luân phiên hằng năm"),
    Case("E30-unknown-vote", rotation(vote="V9"), "E E30 LuanPhien!D2",
         says="Luân phiên ghi mã biểu quyết V9 không có trong BoPhieu",
         hint="Sửa mã cho đúng một dòng ở BoPhieu"),
    Case("E30-vote-failed", votes(2, yes=1, no=3), "E E30 LuanPhien!D2",
         "đạt 1/4 phiếu đồng ý (25%)",
         hint="“Ngưỡng thông qua biểu quyết”"),
    # F. Money
    Case("F31-no-base-salary", salaries((2_530_000, date(2026, 7, 1))), "E F31 LuongCoSo",
         "ngày quyết định dự kiến 20/01/2026",
         hint="Thêm ở sheet LuongCoSo mức lương cơ sở"),
    Case("F31-later-salary-known",
         salaries((2_340_000, date(2024, 7, 1)), (2_530_000, date(2026, 7, 1))),
         "W F31 LuongCoSo!B3", "từ 01/07/2026 mức mới là 2.530.000 đồng",
         hint="“Ngày dự kiến quyết định khen thưởng”"),
    Case("F31-meeting-date-when-no-decision-date", params(decision_date=None, base_salaries=()),
         "E F31 LuongCoSo", "ngày họp 05/01/2026",
         hint="Thêm ở sheet LuongCoSo"),
    Case("F32-unknown-form", collectives(1, form="BK_X"), "E F32 DeNghiTapThe!C3",
         says="Hình thức BK_X đề nghị cho Ban Tuyên giáo Tỉnh ủy không có trong bảng hình thức "
              "khen thưởng",
         hint="Sửa mã hình thức cho đúng một dòng ở HinhThuc"),
    Case("F32-wrong-recipient", individuals(0, form="BK_TT", vote="V2"),
         "E F32 DeNghiCaNhan!G2",
         "là hình thức cho tập thể, nhưng được đề nghị cho cá nhân Nguyễn Thị An",
         hint="Chọn hình thức dành cho cá nhân"),
    Case("F32-no-coefficient", collectives(1, form="BK_DANG"), "I F32 HinhThuc!D6",
         "không in số tiền",
         hint="Nhập hệ số (× mức lương cơ sở)"),
    Case("F32-negative-coefficient", form_changes("BK_CN", coefficient=D(-1)),
         "E F32 HinhThuc!D4",
         says="Hệ số tiền thưởng -1 của Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh là số âm",
         hint="Nhập hệ số dương theo Nghị định 152/2025/NĐ-CP"),
    # F. Legal basis
    Case("F33-decree-expired",
         legal_bases(1, text="Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ"),
         "E F33 CanCu!B3",
         "Căn cứ viện dẫn Nghị định số 98/2023/NĐ-CP, nhưng bản giao ước thi đua ký ngày "
         "05/01/2026: văn bản này đã hết hiệu lực từ ngày 01/07/2025",
         hint="(Nghị định số 152/2025/NĐ-CP)"),
    Case("F33-circular-expired",
         add_basis(basis(5, "Thông tư số 01/2024/TT-BNV ngày 03 tháng 01 năm 2024 của Bộ Nội vụ",
                         "giao_uoc")),
         "E F33 CanCu!B5", "hết hiệu lực từ ngày 05/08/2025",
         hint="Thay bằng văn bản thay thế đang có hiệu lực vào ngày 05/01/2026"),
    Case("F33-shared-line-reported-once",
         legal_bases(2, text="Nghị định 98/2023 của Chính phủ và hướng dẫn của Tỉnh ủy"),
         "E F33 CanCu!B4", "báo cáo tổng kết ký ngày 30/12/2025",
         hint="vào ngày 30/12/2025"),
    Case("F33-meeting-date-when-unsigned",
         both(unsigned("giao_uoc"), legal_bases(1, text="Nghị định số 98/2023/NĐ-CP")),
         "E F33 CanCu!B3", "bản giao ước thi đua chưa ghi ngày ký, tính theo ngày họp 05/01/2026",
         hint="vào ngày 05/01/2026"),
]  # fmt: skip


def add_adjustment(unit_code: str, points: int, row: int) -> Callable[[Dossier], Dossier]:
    fields = ("unit", "kind", "points", "reason", "basis")
    extra = Adjustment(unit_code, AdjustmentKind.BONUS, D(points), "Giải thưởng báo chí",
                       "Quyết định số 30-QĐ/TU ngày 01/9/2025", src("DiemCongTru", row, *fields))
    return lambda d: replace(d, adjustments=(*d.adjustments, extra))  # fmt: skip


#: Each rule at its boundary: the defect is one step past it, and exactly one problem follows.
BOUNDARY_CASES = [
    Case("B15-a-zero-score-is-a-score-not-a-defect",
         unit_scores("VPTU", (0, 0), (290, 290), (190, 190), (190, 190)), "W B15 ChamDiem",
         says="Tổng điểm của Văn phòng Tỉnh ủy chỉ 668/1.000",
         hint="có thể thiếu một chữ số"),
    Case("B12-cluster-above-self-by-ten", scores("BDV", "I.1", self_score=D(285)),
         "W B12 ChamDiem!E10",
         says="Điểm cụm chấm 295 của Ban Dân vận Tỉnh ủy ở tiêu chí I.1 cao hơn điểm tự chấm 285",
         hint="có thể nhập nhầm cột"),
    Case("B12-cluster-above-self-by-one", scores("BDV", "I.1", self_score=D(294)),
         "W B12 ChamDiem!E10", says="cao hơn điểm tự chấm 294", hint="có thể nhập nhầm cột"),
    Case("B13-zero-bonus", adjustments(0, points=D(0)), "E B13 DiemCongTru!C2",
         says="Điểm cộng 0 của Ban Tuyên giáo Tỉnh ủy (“Sáng kiến được công nhận”) không phải "
              "số dương",
         hint="Nhập số điểm dương"),
    Case("B13-one-point-past-the-cap",
         both(params(bonus_cap=D(5)), add_adjustment("BTG", 1, 4)), "E B13 DiemCongTru!C4",
         says="Tổng điểm cộng của Ban Tuyên giáo Tỉnh ủy là 6 tính đến dòng này, vượt mức trần 5",
         hint="để tổng không quá 5"),
    Case("C17-tie-for-last",
         unit_scores("VPTU", (295, 295), (290, 290), (195, 195), (197, 197)), "I C17 ChamDiem",
         says="Ban Dân vận Tỉnh ủy và Văn phòng Tỉnh ủy cùng 975 điểm, đồng xếp thứ Ba; không có "
              "đơn vị nào xếp sau",
         hint="Hội nghị giữ đồng hạng"),
    Case("B11-one-warning-per-unit", scores("BTG", "I.1", cluster_score=D(270)),
         "W B11 ChamDiem!E6",  # the total gap (25) is not reported again
         says="lệch 25 điểm so với điểm tự chấm 295 (quá 10 điểm)", hint="Ghi lý do điều chỉnh"),
    Case("B8-a-subtotal-is-not-judged-while-a-leaf-is-missing",
         both(add_score(score(18, "BTC", "I", 590, 595)),
              lambda d: replace(d, scores=tuple(s for s in d.scores
                                                if (s.unit, s.criterion) != ("BTC", "I.1")))),
         "E B8 ChamDiem", says="Thiếu dòng điểm của Ban Tổ chức Tỉnh ủy ở tiêu chí I.1",
         hint="Thêm một dòng cho BTC × I.1"),
    Case("D25-no-name", individuals(0, name=" "), "E D25 DeNghiCaNhan!B2",
         says="Dòng đề nghị cá nhân số 1 chưa có họ tên", hint="Nhập họ và tên đầy đủ"),
    Case("F32-one-note-per-form",
         both(params(merit_quota_ratio=D(1)), collectives(1, form="BK_DANG"),
              add_collective(collective(4, "BDV", "BK_DANG", None))),
         "I F32 HinhThuc!D6", says="Bằng khen của Ban Thường vụ Tỉnh ủy chưa có hệ số tiền thưởng",
         hint="Nhập hệ số (× mức lương cơ sở)"),
    Case("E29-chair-from-outside", chair(unit=None), "W E29 HoiNghi!B8",
         says="Người chủ trì Hoàng Văn A thuộc ngoài cụm, không thuộc đơn vị Cụm trưởng",
         hint="Chủ trì thường là lãnh đạo đơn vị Cụm trưởng"),
    Case("E29-chair-from-an-organization", chair(unit=None, organization="Sở Nội vụ"),
         "W E29 HoiNghi!B8", says="Người chủ trì Hoàng Văn A thuộc Sở Nội vụ, không thuộc",
         hint="sửa đơn vị của người chủ trì"),
    Case("E26-a-negative-tally-is-not-also-a-wrong-sum", votes(2, no=-1), "E E26 BoPhieu!H4",
         says="số phiếu không đồng ý -1 là số âm", hint="Nhập số phiếu từ 0 trở lên"),
    Case("E28-end-at-start", meeting(end=time(8, 0)), "E E28 HoiNghi!B4",
         says="Hội nghị kết thúc lúc 08:00, không sau giờ bắt đầu 08:00",
         hint="định dạng 24 giờ"),
]  # fmt: skip

#: Values exactly at a rule's limit, which the rule accepts.
AT_THE_LIMIT: dict[str, Callable[[Dossier], Dossier]] = {
    "gaps-of-ten-per-criterion-twenty-in-all": both(
        scores("VPTU", "I.1", self_score=D(300)), scores("VPTU", "I.2", self_score=D(300))
    ),
    "one-point-bonus": adjustments(0, points=D(1)),
    "bonus-exactly-at-the-cap": params(bonus_cap=D(5)),
    "full-marks": unit_scores("BTC", (300, 300), (300, 300), (200, 200), (200, 200)),
    "total-exactly-ninety-percent": unit_scores(
        "VPTU", (290, 290), (290, 290), (190, 190), (132, 132)
    ),  # 902 - 2 = 900
    "list-signed-on-the-meeting-day": document_date("danh_sach", date(2026, 1, 5)),
    "decision-on-the-meeting-day": params(decision_date=date(2026, 1, 5)),
    "zero-coefficient": form_changes("BK_CN", coefficient=D(0)),
    "merits-exactly-at-the-quota": params(merit_quota_ratio=D("0.34")),  # floor(1,02) = 1
    "a-cờ-for-an-unknown-unit-is-the-reader's-to-report": collectives(0, unit="ZZZ"),
}


@pytest.mark.parametrize("limit", AT_THE_LIMIT)
def test_a_value_at_the_limit_is_accepted(limit: str) -> None:
    assert validate(AT_THE_LIMIT[limit](valid_dossier())) == []


def test_valid_dossier_has_no_problems() -> None:
    assert validate(valid_dossier()) == []


@pytest.mark.parametrize("c", CASES + BOUNDARY_CASES, ids=[c.id for c in CASES + BOUNDARY_CASES])
def test_one_defect_one_problem(c: Case) -> None:
    problems = validate(c.mutate(valid_dossier()))
    found = [(p.severity, p.code, p.location.sheet, p.location.cell) for p in problems]
    assert found == c.problems(), "\n".join(map(str, problems))
    for p in problems:
        assert p.location.file == FILE
        assert p.message and p.hint
    problem = next(p for p in problems if p.code == c.rule)
    assert c.says in problem.message
    assert c.hint in problem.hint


def test_every_case_states_its_message_and_hint() -> None:
    assert [c.id for c in CASES + BOUNDARY_CASES if not (c.says and c.hint)] == []


def test_every_rule_is_exercised() -> None:
    """Each rule function produces at least one problem in some case."""
    codes = {code for c in CASES for _, code, _, _ in c.problems()}
    every = (
        "A1 A3 A4 B6 B7 B8 B9 B11 B12 B13 B14 B15 C17 C18 D19 D20 D21 D23 D25 E26 E27 E28 E29 E30"
    )
    assert codes == {*every.split(), "F31", "F32", "F33"}
    assert len(RULES) == 27


def test_all_problems_are_reported_at_once() -> None:
    d = both(
        units(2, head_name=""),
        scores("BDV", "I.1", cluster_score=None),
        votes(1, abstain=1),
        meeting(end=time(7, 0)),
    )(valid_dossier())
    assert [p.code for p in validate(d)] == ["A3", "B8", "E26", "E28"]


def test_message_names_actual_values() -> None:
    d = scores("BTC", "I.1", cluster_score=D("300.5"), reason="Chấm lại")(valid_dossier())
    [problem] = validate(d)
    assert problem.message == (
        "Điểm cụm chấm 300,5 của Ban Tổ chức Tỉnh ủy ở tiêu chí I.1 vượt điểm tối đa 300"
    )
    assert str(problem.location) == "cum.xlsx › ChamDiem!D2"


def test_dense_ranking_names_the_next_rank() -> None:
    d = both(bdv_ties_btg, params(rank_method=RankMethod.DENSE))(valid_dossier())
    [problem] = validate(d)
    assert "xếp hạng liên tiếp (1, 2, 3, 3, 4), đơn vị kế tiếp (Văn phòng Tỉnh ủy) xếp thứ Ba" in (
        problem.message
    )


def test_quorum_of_two_thirds_is_met_exactly() -> None:
    """With 9 units and a 2/3 quorum, 4 present is short and 6 present is enough."""
    d = valid_dossier()
    extra = tuple(unit(6 + i, f"U{i}", f"Ban {i}", Role.MEMBER, f"Người {i}") for i in range(5))
    absent = tuple(attendee(7 + i, f"Người {i}", f"U{i}", False, "Đi công tác") for i in range(3))
    present = tuple(attendee(10 + i, f"Người {i}", f"U{i}") for i in range(3, 5))
    d = replace(
        d,
        units=(*d.units, *extra),
        meeting=replace(d.meeting, attendees=(*d.meeting.attendees[:2], *absent, *present)),
    )
    assert len(d.units) == 9
    quorum = [p for p in validate(d) if p.code == "E27"]
    # present: BTC, BTG, U3, U4 = 4 of 9: short; BDV and VPTU not listed at all
    assert quorum[0].message.startswith("Hội nghị chỉ có 4/9 đơn vị có mặt")
    d = replace(
        d,
        meeting=replace(
            d.meeting,
            attendees=(
                *d.meeting.attendees,
                attendee(20, "Vi Văn C", "BDV"),
                attendee(21, "Nông Thị D", "VPTU"),
            ),
        ),
    )
    assert [p for p in validate(d) if p.code == "E27"] == []  # 6/9


def _blank_scores(d: Dossier) -> Dossier:
    blank = tuple(replace(s, self_score=None, cluster_score=None) for s in d.scores)
    return replace(d, scores=blank)


#: Dossiers a loader may return after dropping rows and leaving blanks.
BROKEN: dict[str, Callable[[Dossier], Dossier]] = {
    "no-units": lambda d: replace(d, units=()),
    "no-criteria": lambda d: replace(d, criteria=()),
    "no-scores": lambda d: replace(d, scores=()),
    "blank-scores": _blank_scores,
    "no-votes": lambda d: replace(d, votes=()),
    "no-attendees": meeting(attendees=()),
    "unknown-everything": lambda d: replace(
        d, collective_proposals=(collective(2, "ZZZ", "NOPE", "V404"),)
    ),
    "no-documents": cluster(documents={}),
    "no-forms-salaries-step": params(award_forms={}, base_salaries=(), score_step=D(0)),
    "criterion-its-own-parent": criteria(0, parent="I"),
    "two-criteria-cycle": both(criteria(0, parent="II"), criteria(3, parent="I")),
}


@pytest.mark.parametrize("broken", BROKEN)
def test_partial_dossiers_do_not_crash(broken: str) -> None:
    problems = validate(BROKEN[broken](valid_dossier()))
    assert all(isinstance(p, Problem) and p.message and p.hint for p in problems)


def test_a_salary_change_long_after_the_decision_is_not_a_warning() -> None:
    later = salaries((2_340_000, date(2024, 7, 1)), (2_530_000, date(2026, 8, 1)))
    assert validate(later(valid_dossier())) == []  # more than six months after 20/01/2026


def test_no_prize_money_no_base_salary_needed() -> None:
    """F31 asks for a base salary only when some proposed form carries a coefficient."""
    d = replace(valid_dossier(), collective_proposals=(), individual_proposals=())
    assert validate(salaries()(d)) == []


LAW_2022_FORMS = (
    "Luật Thi đua, khen thưởng số 06/2022/QH15",
    "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
    "Luật Thi đua, khen thưởng ngày 15/6/2022",
    "Luật Thi đua, khen thưởng ngày 15/06/2022",
)


@pytest.mark.parametrize(
    ("text", "day", "says"),
    [
        ("Nghị định số 98/2023/NĐ-CP", date(2025, 6, 30), None),
        ("Nghị định số 98/2023/NĐ-CP", date(2025, 7, 1), "đã hết hiệu lực từ ngày 01/07/2025"),
        ("Nghị định 98/2023 của Chính phủ", date(2025, 7, 1), "Nghị định số 98/2023/NĐ-CP"),
        ("Nghị định số 98/2023/NĐ-CP", date(2023, 12, 31), "chỉ có hiệu lực từ ngày 01/01/2024"),
        ("Thông tư số 01/2024/TT-BNV", date(2025, 8, 4), None),
        ("Thông tư số 01/2024/TT-BNV", date(2025, 8, 5), "đã hết hiệu lực từ ngày 05/08/2025"),
        ("Nghị định số 152/2025/NĐ-CP", date(2025, 6, 30), "chỉ có hiệu lực từ ngày 01/07/2025"),
        ("Nghị định số 152/2025/NĐ-CP", date(2025, 7, 1), None),
        *((law, date(2023, 12, 31), "có hiệu lực từ ngày 01/01/2024") for law in LAW_2022_FORMS),
        *((law, date(2024, 1, 1), None) for law in LAW_2022_FORMS),
        ("Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003", date(2014, 1, 10), None),
        ("Quyết định số 98/2023/QĐ-UBND của Ủy ban nhân dân tỉnh", date(2026, 1, 5), None),
        ("Nghị định số 198/2023/NĐ-CP", date(2026, 1, 5), None),
    ],
)
def test_a_legal_basis_is_in_force_on_its_document_date(
    text: str, day: date, says: str | None
) -> None:
    """F33 alone: the texts of LEGAL_TEXTS are judged against the covenant's signing date."""
    d = replace(valid_dossier(), legal_bases=(basis(2, text, "giao_uoc"),))
    problems = validate(document_date("giao_uoc", day)(d), rules=(check_legal_bases,))
    if says is None:
        assert problems == []
        return
    [problem] = problems
    assert (problem.severity, problem.code, str(problem.location)) == (
        "error",
        "F33",
        "cum.xlsx › CanCu!B2",
    )
    assert says in problem.message
    assert "sheet VanBan" in problem.hint


def test_an_expired_decree_hint_names_its_successor() -> None:
    d = legal_bases(1, text="Nghị định số 98/2023/NĐ-CP")(valid_dossier())
    [problem] = validate(d, rules=(check_legal_bases,))
    assert "(Nghị định số 152/2025/NĐ-CP)" in problem.hint
