"""Rule group F, money (domain-thidua.md §9 F31, F32): the base salary the prize money is
computed from (LuongCoSo) and the award forms' coefficients (HinhThuc). The legal bases, the
rest of group F, are in :mod:`pipeline.domain.rules.legal_bases`.

Pure: no I/O, no clock, no locale.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from pipeline.domain.model import AwardForm, CollectiveProposal, Dossier, Recipient
from pipeline.domain.rules.common import proposals, sheet_location, short_date, who
from pipeline.domain.scoring import Results, base_salary_on
from pipeline.errors import Problem
from pipeline.vi import so

#: F31: how late an award decision may come after the expected date (or the meeting, when no
#: date is expected); a base-salary change within this window may change the prize money.
DECISION_SLACK = timedelta(days=183)


def _paid_forms(dossier: Dossier) -> list[AwardForm]:
    """Known forms with a coefficient that some proposal uses: prize money will be printed."""
    used = {p.form for p in proposals(dossier)}
    forms = dossier.params.award_forms
    return [f for code, f in forms.items() if code in used and f.coefficient is not None]


def check_base_salary(dossier: Dossier, results: Results | None) -> Iterator[Problem]:
    """F31: the base salary in force on the decision date exists; W a later one is known."""
    params = dossier.params
    day = params.decision_date or dossier.meeting.date
    if day is None or not _paid_forms(dossier) or not dossier.readable("base_salaries"):
        return  # an unreadable date or sheet is reported by the loader
    basis = (
        f"ngày quyết định dự kiến {short_date(day)}"
        if params.decision_date
        else f"ngày họp {short_date(day)} (chưa có ngày quyết định dự kiến)"
    )
    salary = base_salary_on(params.base_salaries, day)
    if salary is None:
        yield Problem(
            "error",
            "F31",
            f"Không có mức lương cơ sở nào có hiệu lực vào {basis}, nên không tính được "
            "tiền thưởng",
            "Thêm ở sheet LuongCoSo mức lương cơ sở áp dụng vào ngày đó và ngày bắt đầu áp "
            "dụng (ví dụ 2.340.000 đồng từ 01/07/2024, Nghị định 73/2024/NĐ-CP).",
            sheet_location(dossier, "base_salaries", (s.src for s in params.base_salaries)),
        )
        return
    horizon = day + DECISION_SLACK if day <= date.max - DECISION_SLACK else date.max
    later = [s for s in params.base_salaries if day < s.effective_from <= horizon]
    if later:
        nxt = min(later, key=lambda s: s.effective_from)
        yield Problem(
            "warning",
            "F31",
            f"Tiền thưởng tính theo mức lương cơ sở {so(salary.amount)} đồng ({basis}); từ "
            f"{short_date(nxt.effective_from)} mức mới là {so(nxt.amount)} đồng — nếu quyết định "
            "khen thưởng ký từ ngày đó, số tiền sẽ khác",
            "Ghi “Ngày dự kiến quyết định khen thưởng” ở ThamSo (tiền thưởng theo mức lương "
            "cơ sở tại ngày ký quyết định) và kiểm tra lại trước khi trình.",
            nxt.src.at("effective_from"),
        )


def check_coefficients(dossier: Dossier, results: Results | None) -> Iterator[Problem]:
    """F32: each proposal's form exists and fits its recipient; coefficients usable."""
    if not dossier.readable("award_forms"):
        return  # the loader reports the HinhThuc sheet
    forms = dossier.params.award_forms
    warned: set[str] = set()
    for proposal in proposals(dossier):
        collective = isinstance(proposal, CollectiveProposal)
        recipient = Recipient.COLLECTIVE if collective else Recipient.INDIVIDUAL
        kind = "tập thể" if collective else "cá nhân"
        form = forms.get(proposal.form)
        if form is None:
            yield Problem(
                "error",
                "F32",
                f"Hình thức {proposal.form} đề nghị cho {who(dossier, proposal)} không có "
                "trong bảng hình thức khen thưởng",
                "Sửa mã hình thức cho đúng một dòng ở HinhThuc, hoặc thêm hình thức đó kèm hệ số.",
                proposal.src.at("form"),
            )
            continue
        if form.recipient is not recipient:
            yield Problem(
                "error",
                "F32",
                f"{form.name} ({form.code}) là hình thức cho "
                f"{'tập thể' if form.recipient is Recipient.COLLECTIVE else 'cá nhân'}, nhưng "
                f"được đề nghị cho {kind} {who(dossier, proposal)}",
                f"Chọn hình thức dành cho {kind} (hệ số tiền thưởng của tập thể và cá nhân "
                "khác nhau).",
                proposal.src.at("form"),
            )
            continue
        if form.code in warned:
            continue
        warned.add(form.code)
        if form.coefficient is None:
            yield Problem(
                "info",
                "F32",
                f"{form.name} chưa có hệ số tiền thưởng: danh sách sẽ không in số tiền cho "
                "hình thức này",
                "Nhập hệ số (× mức lương cơ sở) nếu có tiền thưởng; bỏ qua nếu là hình thức "
                "khen của Đảng không kèm tiền thưởng theo Nghị định.",
                form.src.at("coefficient"),
            )
        elif form.coefficient < 0:
            yield Problem(
                "error",
                "F32",
                f"Hệ số tiền thưởng {so(form.coefficient)} của {form.name} là số âm",
                "Nhập hệ số dương theo Nghị định 152/2025/NĐ-CP (ví dụ Cờ thi đua cấp tỉnh: 8,0).",
                form.src.at("coefficient"),
            )
