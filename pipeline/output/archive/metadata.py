"""The archive metadata of NĐ 30/2020/NĐ-CP Phụ lục VI, "Chuẩn thông tin đầu vào của Hệ thống".

Pure: no I/O, no clock. Table I ("Thông tin đầu vào của dữ liệu quản lý văn bản đi") describes
each document and Table III each hồ sơ; both tables give every field a number, a Vietnamese
name, an English tag, a type and a length (source: the transcription of NĐ 30 Phụ lục VI quoted
in shared/reference/archive-and-regeneration.md §1.3; the decree prints ``Organld`` and
``Signerlnfo``, an l/I typo, and the tags here are spelled ``OrganId``, ``SignerInfo``).

thidua fills what it knows from the workbook (số, ký hiệu, ngày, tên loại, trích yếu, cơ quan
ban hành, người ký, nơi nhận) and from the PDF (số trang); what only the office knows (mã định
danh cơ quan, số và ký hiệu hồ sơ from its Danh mục hồ sơ, thời hạn bảo quản, chế độ sử dụng,
người lập hồ sơ, mức độ khẩn/mật, số lượng bản phát hành, hạn trả lời) stays empty for the
văn thư to enter in the agency's System: "nộp lưu" of an electronic hồ sơ happens on that System
(NĐ 30 Điều 30), and these records only make the entry and the check easy.

Dates are written ``dd/mm/yyyy`` (10 characters, as the tables' Date length says). A text longer
than its field is cut at a word boundary with ``…``; :func:`document_fields` never returns a
value longer than its field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace


@dataclass(frozen=True, slots=True)
class Field:
    """One row of a Phụ lục VI table: its number, Vietnamese name, tag, type and length."""

    number: str
    name: str
    tag: str
    kind: str
    length: int | None


#: Table I, văn bản đi (groups 1, 12, 13 flattened as ``Group.Tag``).
DOCUMENT_FIELDS: tuple[Field, ...] = (
    Field("1.1", "Mã định danh của cơ quan lập DMHS", "FileCode.OrganId", "String", 13),
    Field("1.2", "Năm hình thành hồ sơ", "FileCode.FileCatalog", "Number", 4),
    Field("1.3", "Số và ký hiệu hồ sơ", "FileCode.FileNotation", "String", 20),
    Field("2", "Số thứ tự văn bản trong hồ sơ", "DocOrdinal", "Number", 3),
    Field("3", "Tên loại văn bản", "TypeName", "String", 100),
    Field("4", "Số của văn bản", "CodeNumber", "String", 11),
    Field("5", "Ký hiệu của văn bản", "CodeNotation", "String", 30),
    Field("6", "Ngày, tháng, năm văn bản", "IssuedDate", "Date", 10),
    Field("7", "Tên cơ quan ban hành", "OrganName", "String", 200),
    Field("8", "Trích yếu nội dung", "Subject", "String", 500),
    Field("9", "Ngôn ngữ", "Language", "String", 30),
    Field("10", "Số trang của văn bản", "PageAmount", "Number", 3),
    Field("11", "Ghi chú", "Description", "String", 500),
    Field("12.1", "Chức vụ người ký", "SignerInfo.Position", "String", 100),
    Field("12.2", "Họ và tên người ký", "SignerInfo.FullName", "String", 50),
    Field("13.1", "Mã định danh cơ quan nhận", "To.OrganId", "String", 13),
    Field("13.2", "Tên cơ quan nhận", "To.OrganName", "String", 200),
    Field("14", "Mức độ khẩn, độ mật", "Priority", "Number", 1),
    Field("15", "Số lượng bản phát hành", "IssuedAmount", "Number", 3),
    Field("16", "Hạn trả lời", "DueDate", "Date", 10),
)

#: Table III, hồ sơ (group 1 flattened).
DOSSIER_FIELDS: tuple[Field, ...] = (
    Field("1.1", "Mã định danh của cơ quan lập DMHS", "FileCode.OrganId", "String", 13),
    Field("1.2", "Năm hình thành hồ sơ", "FileCode.FileCatalog", "Number", 4),
    Field("1.3", "Số và ký hiệu hồ sơ", "FileCode.FileNotation", "String", 20),
    Field("2", "Tiêu đề hồ sơ", "Title", "String", 500),
    Field("3", "Thời hạn bảo quản", "Maintenance", "String", 30),
    Field("4", "Chế độ sử dụng", "Rights", "String", 30),
    Field("5", "Người lập hồ sơ", "Creator", "String", 30),
    Field("6", "Ngôn ngữ", "Language", "String", 50),
    Field("7", "Thời gian bắt đầu", "StartDate", "Date", 10),
    Field("8", "Thời gian kết thúc", "EndDate", "Date", 10),
    Field("9", "Tổng số văn bản trong hồ sơ", "DocTotal", "Number", 4),
    Field("10", "Tổng số trang của hồ sơ", "PageTotal", "Number", 4),
    Field("11", "Ghi chú", "Description", "String", 500),
)

LANGUAGE = "Tiếng Việt"


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What the workbook says about one document, as the build stage computed it.

    ``kind`` is the document's key (``bao_cao``, ``bien_ban``, ``giao_uoc``, ``danh_sach``);
    ``number`` is ``None`` before the document is numbered; ``notation`` the ký hiệu without the
    number (``BC/BTGTU``, ``BC-UBND``); ``recipients`` the "Nơi nhận" lines.
    """

    kind: str
    type_name: str
    number: int | None
    notation: str
    date: dt.date | None
    organ_name: str
    subject: str
    signer_position: str
    signer_name: str
    recipients: tuple[str, ...] = ()
    year: int | None = None
    code: str = ""
    """The số and ký hiệu as written after ``Số``/``Số:`` (``12-BC/BTGTU``, ``05/BC-UBND``;
    ``…`` stands for a number not yet given)."""

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        data["recipients"] = list(self.recipients)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> DocumentInfo:
        raw_date = data.get("date")
        number = data.get("number")
        year = data.get("year")
        return cls(
            kind=str(data["kind"]),
            type_name=str(data["type_name"]),
            number=int(str(number)) if number is not None else None,
            notation=str(data["notation"]),
            date=dt.date.fromisoformat(str(raw_date)) if raw_date else None,
            organ_name=str(data["organ_name"]),
            subject=str(data["subject"]),
            signer_position=str(data["signer_position"]),
            signer_name=str(data["signer_name"]),
            recipients=tuple(str(r) for r in _list(data.get("recipients"))),
            year=int(str(year)) if year is not None else None,
            code=str(data.get("code", "")),
        )


@dataclass(frozen=True, slots=True)
class DossierInfo:
    """What the workbook says about the hồ sơ of one cluster-year: its title and year."""

    title: str
    year: int
    organ_name: str = ""

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> DossierInfo:
        return cls(str(data["title"]), int(str(data["year"])), str(data.get("organ_name", "")))


@dataclass(frozen=True, slots=True)
class ArchivedDocument:
    """One document as archived: its information, its files, its pages and a note.

    ``files`` are the payload paths of the document (.docx, the PDF/A, signed copies), relative
    to the bag's ``data/``; ``pages`` comes from the PDF (``None`` when there is none).
    """

    info: DocumentInfo
    files: tuple[str, ...]
    pages: int | None
    note: str = ""
    ordinal: int = 0
    extra: dict[str, str] = field(default_factory=dict)


def fit(text: str, length: int | None) -> str:
    """``text`` cut to ``length`` characters at a word boundary, ending with ``…``.

    >>> fit("Báo cáo tổng kết", 100)
    'Báo cáo tổng kết'
    >>> fit("Báo cáo tổng kết", 12)
    'Báo cáo…'
    """
    if length is None or len(text) <= length:
        return text
    cut = text[: length - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def vn_date(value: dt.date | None) -> str:
    """``dd/mm/yyyy``, or ``""``.

    >>> vn_date(dt.date(2014, 1, 10))
    '10/01/2014'
    """
    return value.strftime("%d/%m/%Y") if value else ""


def number_text(number: int | None) -> str:
    """The số as printed: two digits at least (NĐ 30 Phụ lục I; HD 36).

    >>> number_text(5), number_text(None)
    ('05', '')
    """
    return f"{number:02d}" if number is not None else ""


def ordered(documents: Iterable[ArchivedDocument]) -> list[ArchivedDocument]:
    """The documents in the order of the hồ sơ (NĐ 30 Điều 29.1: the order in which the matter
    developed): by date, then by their file names; numbered from 1 (``DocOrdinal``)."""
    items = sorted(
        documents,
        key=lambda d: (d.info.date or dt.date.max, d.files[0] if d.files else "", d.info.kind),
    )
    return [replace(d, ordinal=i) for i, d in enumerate(items, start=1)]


def document_fields(
    doc: ArchivedDocument, dossier: DossierInfo, organ_id: str = "", file_notation: str = ""
) -> dict[str, object]:
    """The Table I record of ``doc``, flattened: ``{tag: value}`` in the table's order.

    Every text fits its field (:func:`fit`); unknown values are ``""`` (texts) or ``None``.
    """
    info = doc.info
    first_recipient = info.recipients[0] if info.recipients else ""
    values: dict[str, object] = {
        "FileCode.OrganId": organ_id,
        "FileCode.FileCatalog": info.year or dossier.year,
        "FileCode.FileNotation": file_notation,
        "DocOrdinal": doc.ordinal or None,
        "TypeName": info.type_name,
        "CodeNumber": number_text(info.number),
        "CodeNotation": info.notation,
        "IssuedDate": vn_date(info.date),
        "OrganName": info.organ_name,
        "Subject": info.subject,
        "Language": LANGUAGE,
        "PageAmount": doc.pages,
        "Description": doc.note,
        "SignerInfo.Position": info.signer_position,
        "SignerInfo.FullName": info.signer_name,
        "To.OrganId": "",
        "To.OrganName": first_recipient,
        "Priority": None,
        "IssuedAmount": None,
        "DueDate": "",
    }
    return {f.tag: _fitted(values[f.tag], f.length) for f in DOCUMENT_FIELDS}


def document_record(
    doc: ArchivedDocument, dossier: DossierInfo, organ_id: str = "", file_notation: str = ""
) -> dict[str, object]:
    """The Table I record of ``doc`` nested as the table groups it (``FileCode``,
    ``SignerInfo``, one ``To`` entry per recipient), plus the files it is made of."""
    flat = document_fields(doc, dossier, organ_id, file_notation)
    record: dict[str, object] = {
        "FileCode": {
            "OrganId": flat["FileCode.OrganId"],
            "FileCatalog": flat["FileCode.FileCatalog"],
            "FileNotation": flat["FileCode.FileNotation"],
        },
    }
    for f in DOCUMENT_FIELDS:
        if "." not in f.tag:
            record[f.tag] = flat[f.tag]
    record["SignerInfo"] = {
        "Position": flat["SignerInfo.Position"],
        "FullName": flat["SignerInfo.FullName"],
    }
    record["To"] = [{"OrganId": "", "OrganName": fit(r, 200)} for r in doc.info.recipients]
    record["Files"] = list(doc.files)
    return record


def dossier_record(
    documents: Sequence[ArchivedDocument],
    dossier: DossierInfo,
    organ_id: str = "",
    file_notation: str = "",
    description: str = "",
) -> dict[str, object]:
    """The Table III record of the hồ sơ holding ``documents``."""
    dates = [d.info.date for d in documents if d.info.date]
    pages = [d.pages for d in documents if d.pages is not None]
    values: dict[str, object] = {
        "FileCode.OrganId": organ_id,
        "FileCode.FileCatalog": dossier.year,
        "FileCode.FileNotation": file_notation,
        "Title": dossier.title,
        "Maintenance": "",
        "Rights": "",
        "Creator": "",
        "Language": LANGUAGE,
        "StartDate": vn_date(min(dates)) if dates else "",
        "EndDate": vn_date(max(dates)) if dates else "",
        "DocTotal": len(documents),
        "PageTotal": sum(pages) if len(pages) == len(documents) else None,
        "Description": description,
    }
    flat = {f.tag: _fitted(values[f.tag], f.length) for f in DOSSIER_FIELDS}
    record: dict[str, object] = {
        "FileCode": {
            "OrganId": flat["FileCode.OrganId"],
            "FileCatalog": flat["FileCode.FileCatalog"],
            "FileNotation": flat["FileCode.FileNotation"],
        }
    }
    record.update({k: v for k, v in flat.items() if "." not in k})
    return record


def _fitted(value: object, length: int | None) -> object:
    return fit(value, length) if isinstance(value, str) else value


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list | tuple) else []
