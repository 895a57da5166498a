"""Rule group E, votes and meeting (domain-thidua.md §9 E): vote tallies (BoPhieu), quorum
(ThanhPhan), the dates of the meeting and the documents, the chair and secretary (HoiNghi), and
next year's rotation (LuanPhien).

Pure: no I/O, no clock, no locale.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from decimal import ROUND_CEILING, Decimal

from pipeline.domain.model import Dossier, Role, Unit
from pipeline.domain.rules.common import (
    blank,
    in_year,
    percent,
    sheet_location,
    short_date,
    unit_name,
    vote_failure,
    votes_by_code,
    votes_judgeable,
)
from pipeline.domain.scoring import Results, present_units, vote_result
from pipeline.errors import Problem, Severity


def _only_head(dossier: Dossier) -> Unit | None:
    """This year's cụm trưởng, when there is exactly one (A4 reports the other cases)."""
    heads = [u for u in dossier.units if u.role is Role.HEAD]
    return heads[0] if len(heads) == 1 else None


_TALLY_LABELS = {
    "issued": "phát ra",
    "returned": "thu về",
    "valid": "hợp lệ",
    "yes": "đồng ý",
    "no": "không đồng ý",
    "abstain": "không ý kiến",
}


def check_tallies(dossier: Dossier, results: Results | None) -> Iterator[Problem]:
    """E26: vote codes unique, counts consistent: returned ≤ issued, valid ≤ returned, sums."""
    seen: set[str] = set()
    for vote in dossier.votes:
        label = f"Biểu quyết {vote.code} (“{vote.item}”)"
        if vote.code in seen:
            yield Problem(
                "error",
                "E26",
                f"Mã biểu quyết {vote.code} bị trùng",
                "Mỗi nội dung biểu quyết một mã riêng; các dòng đề nghị dẫn tới mã này.",
                vote.src.at("code"),
            )
        seen.add(vote.code)
        negative = [f for f in _TALLY_LABELS if getattr(vote, f) < 0]
        for field in negative:
            yield Problem(
                "error",
                "E26",
                f"{label}: số phiếu {_TALLY_LABELS[field]} {getattr(vote, field)} là số âm",
                "Nhập số phiếu từ 0 trở lên.",
                vote.src.at(field),
            )
        if negative:
            continue
        if vote.returned > vote.issued:
            yield Problem(
                "error",
                "E26",
                f"{label}: số phiếu thu về {vote.returned} nhiều hơn số phát ra {vote.issued}",
                "Kiểm tra lại biên bản kiểm phiếu.",
                vote.src.at("returned"),
            )
        if vote.valid > vote.returned:
            yield Problem(
                "error",
                "E26",
                f"{label}: số phiếu hợp lệ {vote.valid} nhiều hơn số thu về {vote.returned}",
                "Kiểm tra lại biên bản kiểm phiếu.",
                vote.src.at("valid"),
            )
        counted = vote.yes + vote.no + vote.abstain
        if counted != vote.valid:
            yield Problem(
                "error",
                "E26",
                f"{label}: đồng ý {vote.yes} + không đồng ý {vote.no} + không ý kiến "
                f"{vote.abstain} = {counted}, khác số phiếu hợp lệ {vote.valid}",
                "Tổng ba loại ý kiến phải bằng số phiếu hợp lệ; kiểm tra lại biên bản kiểm phiếu.",
                vote.src.at("yes"),
            )


def check_quorum(dossier: Dossier, results: Results | None) -> Iterator[Problem]:
    """E27: enough member units present, and every absent unit has a reason."""
    codes = [u.code for u in sorted(dossier.units, key=lambda u: u.order)]
    if not codes or not dossier.readable("units", "attendees"):
        return  # the loader reports a DonVi or ThanhPhan it cannot read
    attendees = dossier.meeting.attendees
    where = sheet_location(dossier, "attendees", (a.src for a in attendees))
    present = present_units(dossier) & set(codes)
    quorum = dossier.params.quorum
    # 2/3 as a Decimal is 0,666…7: round the product before comparing, or 6/9 would fail.
    needed = (quorum * len(codes)).quantize(Decimal("0.000001"))
    if len(present) < needed:
        at_least = int(needed.to_integral_value(rounding=ROUND_CEILING))
        yield Problem(
            "error",
            "E27",
            f"Hội nghị chỉ có {len(present)}/{len(codes)} đơn vị có mặt, chưa đủ "
            f"{percent(quorum)} số đơn vị thành viên (cần ít nhất {at_least})",
            "Kiểm tra cột có mặt ở ThanhPhan; nếu đúng là thiếu, hội nghị chưa đủ điều kiện "
            "biểu quyết.",
            where,
        )
    for code in codes:
        if code in present:
            continue
        rows = [a for a in attendees if a.unit == code and not a.guest]
        if not rows:
            yield Problem(
                "error",
                "E27",
                f"{unit_name(dossier, code)} không có đại biểu nào trong thành phần hội nghị",
                "Thêm đại biểu của đơn vị; nếu vắng, ghi “Có mặt” là Không và ghi lý do vắng.",
                where,
            )
        elif all(blank(a.absence_reason) for a in rows):
            yield Problem(
                "error",
                "E27",
                f"{unit_name(dossier, code)} vắng mặt nhưng chưa ghi lý do",
                "Ghi lý do vắng (biên bản phải nêu đơn vị vắng và lý do).",
                rows[0].src.at("absence_reason"),
            )


def check_dates(dossier: Dossier, results: Results | None) -> Iterator[Problem]:
    """E28: meeting times and dates in order; covenant year N + 1.

    Each comparison is made when both its values could be read (the loader reports the others).
    """
    meeting = dossier.meeting
    cluster = dossier.cluster
    if meeting.start is not None and meeting.end is not None and meeting.end <= meeting.start:
        yield Problem(
            "error",
            "E28",
            f"Hội nghị kết thúc lúc {meeting.end:%H:%M}, không sau giờ bắt đầu "
            f"{meeting.start:%H:%M}",
            "Sửa giờ bắt đầu hoặc giờ kết thúc (định dạng 24 giờ, ví dụ 14:30).",
            meeting.src.at("end"),
        )
    day = meeting.date
    if day is None:
        pass
    elif cluster.year is not None and day.year not in (cluster.year, cluster.year + 1):
        yield Problem(
            "warning",
            "E28",
            f"Hội nghị tổng kết năm {cluster.year} họp ngày {short_date(day)}, ngoài năm "
            f"{cluster.year} và {cluster.year + 1}",
            "Kiểm tra ngày họp và năm thi đua.",
            meeting.src.at("date"),
        )
    if day is not None:
        yield from _signing_dates(dossier, day)
    if (
        cluster.year is not None
        and cluster.covenant_year is not None
        and cluster.covenant_year != cluster.year + 1
    ):
        yield Problem(
            "error",
            "E28",
            f"Năm giao ước {cluster.covenant_year} không phải năm liền sau năm thi đua "
            f"{cluster.year}",
            f"Hội nghị tổng kết năm {cluster.year} ký giao ước năm {cluster.year + 1}.",
            cluster.src.at("covenant_year"),
        )


def _signing_dates(dossier: Dossier, day: date) -> Iterator[Problem]:
    """E28: the documents and the expected award decision dated consistently with the meeting
    held on ``day``."""
    docs = dossier.cluster.documents
    checks: list[tuple[str, Severity, Callable[[date], bool], str, str]] = [
        (
            "bao_cao",
            "error",
            lambda d: d > day,
            "Báo cáo tổng kết ký ngày {d}, sau ngày họp {m}",
            "Báo cáo trình hội nghị nên ký trước hoặc trong ngày họp; sửa ngày ký báo cáo.",
        ),
        (
            "bien_ban",
            "error",
            lambda d: d < day,
            "Biên bản ký ngày {d}, trước ngày họp {m}",
            "Biên bản lập tại hoặc sau hội nghị; sửa ngày ký biên bản hoặc ngày họp.",
        ),
        (
            "giao_uoc",
            "warning",
            lambda d: d < day,
            "Bản giao ước ký ngày {d}, trước ngày họp {m}",
            "Giao ước thường ký tại hội nghị; kiểm tra lại ngày ký.",
        ),
        (
            "danh_sach",
            "warning",
            lambda d: d < day,
            "Danh sách đề nghị khen thưởng ký ngày {d}, trước ngày họp {m}",
            "Danh sách lập theo kết quả bình xét của hội nghị; kiểm tra lại ngày ký.",
        ),
    ]
    for kind, severity, wrong, message, hint in checks:
        info = docs.get(kind)
        if info is None or info.signing_date is None or not wrong(info.signing_date):
            continue
        yield Problem(
            severity,
            "E28",
            message.format(d=short_date(info.signing_date), m=short_date(day)),
            hint,
            info.src.at("signing_date"),
        )
    decision = dossier.params.decision_date
    if decision is not None and decision < day:
        yield Problem(
            "warning",
            "E28",
            f"Ngày dự kiến quyết định khen thưởng {short_date(decision)} trước ngày họp "
            f"{short_date(day)}",
            "Quyết định khen thưởng ban hành sau khi cụm đề nghị; sửa “Ngày dự kiến quyết "
            "định khen thưởng” ở ThamSo (ngày này chọn mức lương cơ sở để tính tiền thưởng).",
            dossier.params.src.at("decision_date"),
        )


def check_chair(dossier: Dossier, results: Results | None) -> Iterator[Problem]:
    """E29: chair and secretary named with titles; W a chair not from the cụm trưởng unit."""
    if not dossier.readable("meeting"):
        return  # the loader reports the HoiNghi sheet
    meeting = dossier.meeting
    for person, role in ((meeting.chair, "người chủ trì"), (meeting.secretary, "thư ký")):
        if blank(person.name):
            yield Problem(
                "error",
                "E29",
                f"Chưa có họ tên {role} hội nghị",
                f"Nhập họ tên {role}: biên bản in tên và chữ ký.",
                person.src.at("name"),
            )
        if blank(person.title):
            yield Problem(
                "error",
                "E29",
                f"Chưa có chức vụ {role} hội nghị",
                f"Nhập chức vụ {role}.",
                person.src.at("title"),
            )
    head = _only_head(dossier)
    chair = meeting.chair
    if head is not None and not blank(chair.name) and chair.unit != head.code:
        where = unit_name(dossier, chair.unit) if chair.unit else chair.organization or "ngoài cụm"
        yield Problem(
            "warning",
            "E29",
            f"Người chủ trì {chair.name} thuộc {where}, không thuộc đơn vị Cụm trưởng "
            f"{head.full_name}",
            "Chủ trì thường là lãnh đạo đơn vị Cụm trưởng; nếu được ủy quyền, nêu rõ trong "
            "biên bản, hoặc sửa đơn vị của người chủ trì.",
            chair.src.at("unit"),
        )


def check_rotation(dossier: Dossier, results: Results | None) -> Iterator[Problem]:
    """E30: next year's head and deputy: two different member units, year N + 1, vote passed.

    Each check is made when its values could be read (the loader reports the others).
    """
    if not dossier.readable("rotation"):
        return
    rotation = dossier.rotation
    year = dossier.cluster.year
    when = in_year(rotation.year)
    if rotation.year is not None and year is not None and rotation.year != year + 1:
        yield Problem(
            "error",
            "E30",
            f"Luân phiên ghi cho năm {rotation.year}, không phải năm {year + 1}",
            f"Hội nghị tổng kết năm {year} bầu Cụm trưởng, Cụm phó năm {year + 1}.",
            rotation.src.at("year"),
        )
    codes = {u.code for u in dossier.units}
    for field, label in (("head", "Cụm trưởng"), ("deputy", "Cụm phó")):
        code: str | None = getattr(rotation, field)
        if code is not None and dossier.readable("units") and code not in codes:
            yield Problem(
                "error",
                "E30",
                f"{label}{when} ({code}) không phải đơn vị thành viên của cụm",
                "Ghi mã một đơn vị có trong DonVi.",
                rotation.src.at(field),
            )
    if rotation.head is not None and rotation.head == rotation.deputy:
        yield Problem(
            "error",
            "E30",
            f"{unit_name(dossier, rotation.head)} vừa là Cụm trưởng vừa là Cụm phó{when}",
            "Cụm trưởng và Cụm phó là hai đơn vị khác nhau; sửa một trong hai.",
            rotation.src.at("deputy"),
        )
    head = _only_head(dossier)
    if head is not None and rotation.head == head.code:
        yield Problem(
            "warning",
            "E30",
            f"{head.full_name} tiếp tục làm Cụm trưởng{when}",
            "Cụm trưởng thường luân phiên hằng năm; kiểm tra lại kết quả bầu.",
            rotation.src.at("head"),
        )
    if rotation.vote is not None:
        vote = votes_by_code(dossier).get(rotation.vote)
        if vote is None:
            if dossier.readable("votes"):
                yield Problem(
                    "error",
                    "E30",
                    f"Luân phiên ghi mã biểu quyết {rotation.vote} không có trong BoPhieu",
                    "Sửa mã cho đúng một dòng ở BoPhieu, hoặc thêm kết quả biểu quyết đó.",
                    rotation.src.at("vote"),
                )
        elif votes_judgeable(dossier) and not (result := vote_result(dossier, vote)).passed:
            yield Problem(
                "error",
                "E30",
                f"Bầu Cụm trưởng, Cụm phó{when} {vote_failure(dossier, result)}",
                "Kiểm tra lại số phiếu, hoặc “Ngưỡng thông qua biểu quyết” và “Cơ sở tính tỷ lệ "
                "biểu quyết” ở ThamSo.",
                rotation.src.at("vote"),
            )
