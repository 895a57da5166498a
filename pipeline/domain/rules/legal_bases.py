"""Rule group F, legal bases (domain-thidua.md §9 F33): the căn cứ of the CanCu sheet cite only
texts in force on their document's date. The texts and their force are data, in
:mod:`pipeline.domain.rules.legal_texts`.

Pure: no I/O, no clock, no locale.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from pipeline.domain.model import DOCUMENT_KINDS, Dossier
from pipeline.domain.rules.common import short_date
from pipeline.domain.rules.legal_texts import LEGAL_TEXTS
from pipeline.domain.scoring import Results
from pipeline.errors import Problem

#: How F33 names each document in a sentence.
_DOCUMENT_NAMES = {
    "bao_cao": "báo cáo tổng kết",
    "bien_ban": "biên bản hội nghị",
    "giao_uoc": "bản giao ước thi đua",
    "danh_sach": "danh sách đề nghị khen thưởng",
}


def _document_day(dossier: Dossier, kind: str) -> tuple[date | None, bool]:
    """A document's date (what the documents print) and whether it is its own signing date
    (``None``: neither it nor the meeting date could be read)."""
    info = dossier.cluster.documents.get(kind)
    if info is not None and info.signing_date is not None:
        return info.signing_date, True
    return dossier.meeting.date, False


def check_legal_bases(dossier: Dossier, results: Results | None) -> Iterator[Problem]:
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
                if day is None:
                    continue
                document = _DOCUMENT_NAMES[kind]
                when = (
                    f"{document} ký ngày {short_date(day)}"
                    if signed
                    else f"{document} chưa ghi ngày ký, tính theo ngày họp {short_date(day)}"
                )
                date_fix = f"sửa ngày ký của {document} ở sheet VanBan nếu ngày đó sai"
                if text.in_force_from is not None and day < text.in_force_from:
                    message = (
                        f"Căn cứ viện dẫn {text.name}, nhưng {when}: văn bản này chỉ có hiệu "
                        f"lực từ ngày {short_date(text.in_force_from)}"
                    )
                    hint = (
                        f"Bỏ căn cứ này hoặc thay bằng văn bản đang có hiệu lực vào ngày "
                        f"{short_date(day)}; hoặc {date_fix}."
                    )
                elif text.in_force_until is not None and day > text.in_force_until:
                    successor = f" ({text.replaced_by})" if text.replaced_by else ""
                    message = (
                        f"Căn cứ viện dẫn {text.name}, nhưng {when}: văn bản này đã hết hiệu "
                        f"lực từ ngày {short_date(text.in_force_until + timedelta(days=1))}"
                    )
                    hint = (
                        f"Thay bằng văn bản thay thế đang có hiệu lực vào ngày {short_date(day)}"
                        f"{successor}; hoặc {date_fix}."
                    )
                else:
                    continue
                yield Problem("error", "F33", message, hint, basis.src.at("text"))
                break
