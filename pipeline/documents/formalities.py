"""The formal parts of each document (thể thức): number and issuer, signature blocks, "Nơi nhận",
"Căn cứ", with the defaults of each layout.

Pure: no I/O, no clock, no locale. These records are part of the template context of
:func:`pipeline.documents.context.build_context` (``van_ban``, ``ky``, ``chu_ky_don_vi``,
``noi_nhan``, ``can_cu``; ``docs/templates.md`` lists each name); they follow the layout the
cluster's workbook chose: HD 36-HD/VPTW (Party) or NĐ 30/2020/NĐ-CP (State).
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.documents.sentences import (
    basis_line,
    keep_last_words,
    place_date,
    recipient_line,
    recipient_list,
)
from pipeline.domain.model import DOCUMENT_KINDS, DocFormat, Dossier, Unit
from pipeline.vi import in_hoa

Record = dict[str, object]

#: Width of the covenant's signature grid (domain-thidua.md §5.1: nine units fit a 3 × 3 grid).
SIGNATURE_COLUMNS = 3

#: Default document-type abbreviations (NĐ 30/2020 Phụ lục III; "GƯ" is the cluster's own).
DEFAULT_TYPE_CODES: dict[str, str] = {
    "bao_cao": "BC",
    "bien_ban": "BB",
    "giao_uoc": "GƯ",
    "danh_sach": "DS",
}

#: Signing-capacity prefixes: HD 36-HD/VPTW writes ``T/M``, ``K/T``; NĐ 30/2020 ``TM.``, ``KT.``.
CAPACITY: dict[DocFormat, dict[str, str]] = {
    DocFormat.PARTY: {"tm": "T/M", "kt": "K/T"},
    DocFormat.STATE: {"tm": "TM.", "kt": "KT."},
}

#: The "Căn cứ" lines of a document when the workbook's CanCu sheet gives none for it: what the
#: bundled templates printed before legal bases were workbook data.
DEFAULT_LEGAL_BASES: dict[str, tuple[str, ...]] = {
    "bao_cao": (),
    "bien_ban": (),
    "giao_uoc": ("Luật Thi đua, khen thưởng và các văn bản hướng dẫn thi hành",),
    "danh_sach": (),
}

_COUNCIL = "Thường trực Hội đồng Thi đua – Khen thưởng tỉnh (b/c)"  # one dash style: en dash
_MEMBERS = "Các cơ quan trong {body}"
#: A document's recipients, before the archive line, when the NoiNhan sheet gives none for it.
#: Empty: no "Nơi nhận" (HD 16-HD/VPTW minutes, the covenant and the list have none); NĐ 30/2020
#: Mẫu 1.9 minutes list theirs. ``{body}`` is the body's word, ``cụm`` or ``khối``.
DEFAULT_RECIPIENTS: dict[DocFormat, dict[str, tuple[str, ...]]] = {
    DocFormat.PARTY: {
        "bao_cao": (_COUNCIL, _MEMBERS),
        "bien_ban": (),
        "giao_uoc": (),
        "danh_sach": (),
    },
    DocFormat.STATE: {
        "bao_cao": (_COUNCIL, _MEMBERS),
        "bien_ban": (_MEMBERS,),
        "giao_uoc": (),
        "danh_sach": (),
    },
}
#: The last line of every "Nơi nhận" list, unless the workbook's list has its own "Lưu …" line
#: (``{body}``: ``cụm`` or ``khối``).
ARCHIVE_LINES: dict[DocFormat, str] = {
    DocFormat.PARTY: "Lưu hồ sơ {body}",
    DocFormat.STATE: "Lưu: VT, Hồ sơ {body}",
}


def signature_rows(cells: Sequence[Record], columns: int = SIGNATURE_COLUMNS) -> list[list[Record]]:
    """Cells cut into rows of ``columns``, the last row padded with blank cells.

    A ``{%tr for hang in chu_ky_don_vi %}`` row always finds ``hang[0]`` … ``hang[2]``; a blank
    cell has the same keys with empty values and ``trong`` true.

    >>> rows = signature_rows([{"ho_ten": n} for n in "ABCD"])
    >>> [[c["ho_ten"] for c in row] for row in rows]
    [['A', 'B', 'C'], ['D', '', '']]
    >>> signature_rows([])
    []
    """
    keys = list(cells[0]) if cells else []
    blank: Record = dict.fromkeys(keys, "")
    blank["trong"] = True
    rows = [list(cells[i : i + columns]) for i in range(0, len(cells), columns)]
    if rows:
        rows[-1] += [dict(blank) for _ in range(columns - len(rows[-1]))]
    return rows


# ---------------------------------------------------------------------------------------------
# Signatures


def cluster_signature(dossier: Dossier, doc_format: DocFormat, body: str) -> Record:
    """The head unit signs the cluster's documents: ``T/M CỤM THI ĐUA`` / ``CỤM TRƯỞNG``
    (a khối: ``T/M KHỐI THI ĐUA`` / ``KHỐI TRƯỞNG``), built from the body's kind (``body``:
    ``cụm`` or ``khối``).

    When the head unit's deputy signs, the deputy's capacity follows (``K/T TRƯỞNG BAN`` /
    ``PHÓ TRƯỞNG BAN``) and the deputy's name is printed.
    """
    head = dossier.head
    capacity = CAPACITY[doc_format]
    word = in_hoa(body)
    lines = [f"{capacity['tm']} {word} THI ĐUA", f"{word} TRƯỞNG"]
    if head is None:
        return {"quyen_han": lines[0], "chuc_vu": lines[1], "dong": lines, "ho_ten": ""}
    if head.deputy_signs:
        lines += [f"{capacity['kt']} {in_hoa(head.head_title)}", in_hoa(head.signer_title or "")]
    return {
        "quyen_han": lines[0],
        "chuc_vu": lines[1],
        "dong": lines,
        "ho_ten": head.signer_name or head.head_name,
    }


def meeting_signatures(dossier: Dossier) -> tuple[Record, Record]:
    """The minutes' two signatures: the chair's, then the secretary's."""
    meeting = dossier.meeting
    party = dossier.cluster.doc_format is DocFormat.PARTY
    # HD 16-HD/VPTW writes NGƯỜI GHI BIÊN BẢN / CHỦ TRÌ HỘI NGHỊ; NĐ 30 Mẫu 1.9 writes
    # THƯ KÝ / CHỦ TỌA.
    secretary = "NGƯỜI GHI BIÊN BẢN" if party else "THƯ KÝ"
    chair = "CHỦ TRÌ HỘI NGHỊ" if party else "CHỦ TỌA"
    return (
        {"quyen_han": "", "chuc_vu": chair, "dong": [chair], "ho_ten": meeting.chair.name},
        {
            "quyen_han": "",
            "chuc_vu": secretary,
            "dong": [secretary],
            "ho_ten": meeting.secretary.name,
        },
    )


def unit_signature(unit: Unit, doc_format: DocFormat) -> Record:
    """A cell of the covenant's signature grid (domain-thidua.md §5.1): the unit's full
    name in capitals (the header name alone, "VĂN PHÒNG", is ambiguous outside a header)."""
    head_title = in_hoa(unit.head_title)
    if unit.deputy_signs:
        authority = f"{CAPACITY[doc_format]['kt']} {head_title}"
        title = in_hoa(unit.signer_title or "")
    else:
        authority, title = "", head_title
    return {
        "ma": unit.code,
        "ten_don_vi": keep_last_words(in_hoa(unit.full_name)),
        "ten_tieu_de": unit.header_name,
        "quyen_han": authority,
        "chuc_vu": title,
        "dong_1": authority or title,
        "dong_2": title if authority else "",
        "ho_ten": unit.signer_name or unit.head_name,
        "trong": False,
    }


# ---------------------------------------------------------------------------------------------
# Numbers, recipients, legal bases


def documents(dossier: Dossier) -> Record:
    """Each document's number, type and issuer codes, signing date and issuing body."""
    cluster = dossier.cluster
    head = dossier.head
    cluster_header = in_hoa(cluster.short_name)
    issuer = head.header_name if head is not None else cluster_header
    records: Record = {}
    for kind, type_code in DEFAULT_TYPE_CODES.items():
        info = cluster.documents.get(kind)
        # A blank "Ngày ký" is dated by hand, as the workbook says: no date is made up.
        signed = info.signing_date if info else None
        records[kind] = {
            "so": info.number if info else None,
            "loai": info.type_code if info else type_code,
            "co_quan": info.issuer_code if info else "",
            "ngay": signed,
            "dia_danh_ngay": place_date(cluster.place, signed),
            "ten_co_quan": cluster_header if kind == "giao_uoc" else issuer,
        }
    return records


def legal_bases(dossier: Dossier) -> Record:
    """Each document's căn cứ from CanCu, in row order, or its default."""
    rows = sorted(dossier.legal_bases, key=lambda b: b.order)
    bases: Record = {}
    for kind in DOCUMENT_KINDS:
        given = [basis_line(b.text) for b in rows if kind in b.documents]
        bases[kind] = [t for t in given if t] or list(DEFAULT_LEGAL_BASES[kind])
    return bases


def recipients(dossier: Dossier, doc_format: DocFormat, body: str) -> Record:
    """Each document's "Nơi nhận" from NoiNhan, in row order, or its default; the archive line
    of the layout last."""
    rows = sorted(dossier.addressees, key=lambda a: a.order)
    records: Record = {}
    for kind in DOCUMENT_KINDS:
        given = [t for t in (recipient_line(a.text) for a in rows if kind in a.documents) if t]
        lines = given or [line.format(body=body) for line in DEFAULT_RECIPIENTS[doc_format][kind]]
        archive = ARCHIVE_LINES[doc_format].format(body=body)
        records[kind] = recipient_list(lines, archive)
    return records
