"""One function per part of the dossier, each from the records of its sheet.

Pure: no I/O. Each function takes the located records of its sheet
(:class:`~pipeline.workbook.reader.Record`, ``None`` when the sheet is missing or unreadable),
the :class:`~pipeline.workbook.convert.References` to resolve codes through, and the
:class:`~pipeline.workbook.problems.ProblemSink`, and returns its part of the dossier (named as
in :data:`~pipeline.workbook.schema.DOSSIER_PART`). A part made of other parts (the cluster's
documents, the meeting's attendees, the parameters' salaries and award forms) takes them built.
:func:`units`, :func:`criteria`, :func:`award_forms` and :func:`votes` also return the resolution
table of the codes they define. In which order the parts are built is
:func:`pipeline.workbook.assemble.assemble`'s business.

Besides cell problems, they report the two duplicates a dossier cannot hold (award-form codes
and documents, which are keyed) and member attendees without a unit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, time
from decimal import Decimal
from typing import Any, TypeVar

from pipeline.domain.model import (
    ALL_DOCUMENTS,
    DOCUMENT_KINDS,
    Addressee,
    Adjustment,
    AdjustmentKind,
    Attendee,
    AwardForm,
    BaseSalary,
    ClusterInfo,
    ClusterKind,
    CollectiveProposal,
    CovenantTarget,
    Criterion,
    Discussion,
    DocFormat,
    DocumentInfo,
    IndividualProposal,
    LegalBasis,
    Meeting,
    Narrative,
    Parameters,
    Person,
    QuotaBase,
    RankMethod,
    Recipient,
    Role,
    Rotation,
    Score,
    Source,
    Unit,
    Vote,
    VoteBase,
)
from pipeline.workbook.convert import (
    BAD,
    CodeTable,
    References,
    UnitTable,
    as_decimal,
    as_optional_text,
    as_text,
    converted,
    ok,
    record_values,
)
from pipeline.workbook.problems import ProblemSink
from pipeline.workbook.reader import Record
from pipeline.workbook.schema import DOCUMENT_CHOICES

Records = tuple[Record, ...] | None  # a sheet's records; None: missing or unreadable (reported)
T = TypeVar("T")


def _settings(
    records: Records, refs: References, sink: ProblemSink, missing: Source
) -> tuple[Source, dict[str, Any]]:
    """The source and values of a key–value sheet's one record; every value is ``None`` when
    blank or unreadable (reported at its cell), or when the sheet is missing or unreadable
    (reported; the source is then ``missing``: the sheet, without a cell)."""
    found = next(converted(records, refs, sink), None)
    if found is None:
        return missing, defaultdict(lambda: None)
    rec, values = found
    return rec.source(), {name: None if value is BAD else value for name, value in values.items()}


def _typed(kind: Callable[[Any], T], value: object) -> T | None:
    """A converted setting as ``kind`` (an enum), or ``None`` when blank or unreadable."""
    return kind(value) if isinstance(value, str) else None


def _whole(value: object) -> int | None:
    return value if isinstance(value, int) else None


# --- the sheets that define codes ------------------------------------------------------------


def units(
    records: Records, refs: References, sink: ProblemSink
) -> tuple[tuple[Unit, ...], UnitTable | None]:
    """The units and their table; no table when the sheet is missing or unreadable."""
    if records is None:
        return (), None
    built: list[Unit] = []
    for rec in records:
        v = record_values(rec, refs, sink)
        if not v["code"] or v["code"] is BAD:
            continue
        role = v["role"]
        built.append(
            Unit(
                code=v["code"],
                full_name=as_text(v["full_name"]),
                short_name=as_text(v["short_name"]),
                header_name=as_text(v["header_name"]),
                aliases=v["aliases"] if isinstance(v["aliases"], tuple) else (),
                order=rec.order,
                role=Role(role) if isinstance(role, str) else Role.MEMBER,
                head_name=as_text(v["head_name"]),
                head_title=as_text(v["head_title"]),
                signer_name=as_optional_text(v["signer_name"]),
                signer_title=as_optional_text(v["signer_title"]),
                src=rec.source(),
            )
        )
    return tuple(built), UnitTable.of(built)


def criteria(
    records: Records, refs: References, sink: ProblemSink
) -> tuple[tuple[Criterion, ...], CodeTable]:
    """The criteria and the table of every criterion code written (a parent refers to one)."""
    rows = [(rec, record_values(rec, refs, sink)) for rec in records or ()]
    table = CodeTable.of(v["code"] for _, v in rows if isinstance(v["code"], str))
    built = []
    for rec, v in rows:
        if not isinstance(v["code"], str) or not isinstance(v["max_points"], Decimal):
            continue
        parent = v["parent"]
        if isinstance(parent, str):
            parent = table.resolve(parent)
        built.append(
            Criterion(
                code=v["code"],
                parent=parent if isinstance(parent, str) else None,
                text=as_text(v["text"]),
                max_points=v["max_points"],
                order=rec.order,
                src=rec.source(),
            )
        )
    return tuple(built), table


def award_forms(
    records: Records, refs: References, sink: ProblemSink
) -> tuple[dict[str, AwardForm], CodeTable]:
    """The award forms by code and the table of their codes; a second use of a code is
    reported and left out."""
    forms: dict[str, AwardForm] = {}
    for rec in records or ():
        v = record_values(rec, refs, sink)
        code = v["code"]
        if not isinstance(code, str) or not isinstance(v["recipient"], str):
            continue
        if code in forms:
            sink.report(
                "award-form-duplicate",
                rec.sheet,
                rec.fields["code"].coord,
                f"Mã hình thức “{code}” đã dùng ở ô {forms[code].src.at('code').cell}",
                "Mỗi hình thức × đối tượng một mã riêng (ví dụ BK_UBND_TT và BK_UBND_CN); "
                "sửa mã của dòng này.",
            )
            continue
        coefficient = v["coefficient"]
        forms[code] = AwardForm(
            code=code,
            name=as_text(v["name"]),
            recipient=Recipient(v["recipient"]),
            coefficient=coefficient if isinstance(coefficient, Decimal) else None,
            is_flag=v["is_flag"] is True,
            needs_vote=v["needs_vote"] is True,
            src=rec.source(),
        )
    return forms, CodeTable.of(forms)


def votes(
    records: Records, refs: References, sink: ProblemSink
) -> tuple[tuple[Vote, ...], CodeTable]:
    """The votes and the table of every vote code written (even on a row left out)."""
    built = []
    codes = []
    counts = ("issued", "returned", "valid", "yes", "no", "abstain")
    for rec in records or ():
        v = record_values(rec, refs, sink)
        if isinstance(v["code"], str):
            codes.append(v["code"])
        if (
            not isinstance(v["code"], str)
            or not isinstance(v["method"], str)
            or not all(isinstance(v[c], int) for c in counts)
        ):
            continue
        built.append(
            Vote(
                code=v["code"],
                item=as_text(v["item"]),
                method=v["method"],
                issued=v["issued"],
                returned=v["returned"],
                valid=v["valid"],
                yes=v["yes"],
                no=v["no"],
                abstain=v["abstain"],
                src=rec.source(),
            )
        )
    return tuple(built), CodeTable.of(codes)


# --- the other sheets ------------------------------------------------------------------------


def documents(records: Records, refs: References, sink: ProblemSink) -> dict[str, DocumentInfo]:
    """The rows of VanBan by document; a document without a row is reported (its type and
    issuer codes would be missing from its number line) when every row says which document it
    is, and the sheet has rows (an empty one is reported as such)."""
    by_kind: dict[str, DocumentInfo] = {}
    unknown = False
    for rec in records or ():
        v = record_values(rec, refs, sink)
        kind = v["kind"]
        if not isinstance(kind, str):
            unknown = True
            continue
        if kind in by_kind:
            sink.report(
                "document-duplicate",
                rec.sheet,
                rec.fields["kind"].coord,
                f"Văn bản này đã có ở ô {by_kind[kind].src.at('kind').cell}",
                "Mỗi văn bản một dòng; xóa dòng thừa.",
            )
            continue
        by_kind[kind] = DocumentInfo(
            kind=kind,
            number=v["number"] if isinstance(v["number"], int) else None,
            type_code=as_text(v["type_code"]),
            issuer_code=as_text(v["issuer_code"]),
            signing_date=v["signing_date"] if isinstance(v["signing_date"], date) else None,
            src=rec.source(),
        )
    if records and not unknown:
        sheet = records[0].sheet
        for choice in DOCUMENT_CHOICES:
            if choice.value not in by_kind:
                sink.report(
                    "document-missing",
                    sheet,
                    None,
                    f"Chưa có dòng cho văn bản “{choice.label}”",
                    f"Thêm một dòng: cột Văn bản chọn “{choice.label}”, ghi ký hiệu loại văn "
                    "bản, ký hiệu cơ quan ban hành (và số, ngày ký nếu đã có).",
                )
    return by_kind


def cluster(
    records: Records,
    documents: dict[str, DocumentInfo],
    refs: References,
    sink: ProblemSink,
    missing: Source,
) -> ClusterInfo:
    """ThongTinChung, with the :func:`documents` of VanBan; ``missing`` is the source of a
    sheet that cannot be read (every setting is then ``None``)."""
    src, v = _settings(records, refs, sink, missing)
    max_score = v["max_score"]
    return ClusterInfo(
        name=as_text(v["name"]),
        short_name=as_text(v["short_name"]),
        parent_body=as_text(v["parent_body"]),
        doc_format=_typed(DocFormat, v["doc_format"]),
        place=as_text(v["place"]),
        year=_whole(v["year"]),
        covenant_year=_whole(v["covenant_year"]),
        max_score=max_score if isinstance(max_score, Decimal) else None,
        documents=documents,
        src=src,
        declared_kind=_typed(ClusterKind, v["kind"]),
    )


def scores(records: Records, refs: References, sink: ProblemSink) -> tuple[Score, ...]:
    return tuple(
        Score(
            unit=v["unit"],
            criterion=v["criterion"],
            self_score=as_decimal(v["self_score"]),
            cluster_score=as_decimal(v["cluster_score"]),
            reason=as_optional_text(v["reason"]),
            src=rec.source(),
        )
        for rec, v in converted(records, refs, sink, needs=("unit", "criterion"))
    )


def adjustments(records: Records, refs: References, sink: ProblemSink) -> tuple[Adjustment, ...]:
    return tuple(
        Adjustment(
            unit=v["unit"],
            kind=AdjustmentKind(v["kind"]),
            points=v["points"],
            reason=as_text(v["reason"]),
            basis=as_optional_text(v["basis"]),
            src=rec.source(),
        )
        for rec, v in converted(records, refs, sink, needs=("unit", "kind", "points"))
    )


def meeting(
    records: Records,
    attendees: tuple[Attendee, ...],
    discussions: tuple[Discussion, ...],
    refs: References,
    sink: ProblemSink,
    missing: Source,
) -> Meeting:
    """HoiNghi, with the :func:`attendees` of ThanhPhan and the :func:`discussions` of
    PhatBieu; ``missing`` is the source of a sheet that cannot be read."""
    src, v = _settings(records, refs, sink, missing)
    cells = dict(src.cells)

    def person(prefix: str) -> Person:
        unit = v[f"{prefix}_unit"]
        return Person(
            name=as_text(v[f"{prefix}_name"]),
            title=as_text(v[f"{prefix}_title"]),
            unit=unit if ok(unit) else None,
            src=Source(
                src.file,
                src.sheet,
                None,
                {
                    key: cells[f"{prefix}_{key}"]
                    for key in ("name", "title", "unit")
                    if f"{prefix}_{key}" in cells
                },
            ),
        )

    return Meeting(
        date=v["date"] if isinstance(v["date"], date) else None,
        start=v["start"] if isinstance(v["start"], time) else None,
        end=v["end"] if isinstance(v["end"], time) else None,
        venue=as_text(v["venue"]),
        chair=person("chair"),
        secretary=person("secretary"),
        attendees=attendees,
        discussions=discussions,
        src=Source(
            src.file,
            src.sheet,
            None,
            {{"chair_name": "chair", "secretary_name": "secretary"}.get(k, k): c
             for k, c in cells.items()},
        ),
    )


def attendees(records: Records, refs: References, sink: ProblemSink) -> tuple[Attendee, ...]:
    attendees = []
    for rec in records or ():
        v = record_values(rec, refs, sink)
        unit = v["unit"] if ok(v["unit"]) else None
        kind = v["kind"] if isinstance(v["kind"], str) else None
        if kind is None:
            kind = "thanh_vien" if rec.fields["unit"].raw is not None else "khach_moi"
        guest = kind == "khach_moi"
        if not guest and v["unit"] is None:
            sink.report(
                "required-blank",
                rec.sheet,
                rec.fields["unit"].coord or None,
                f"Đại biểu đơn vị thành viên ở dòng {rec.row} chưa có mã đơn vị",
                "Ghi mã đơn vị mà đại biểu đại diện; khách mời thì chọn Loại đại biểu là "
                "Khách mời.",
            )
        present = v["present"]
        attendees.append(
            Attendee(
                name=as_text(v["name"]),
                title=as_text(v["title"]),
                unit=unit,
                organization=as_optional_text(v["organization"]),
                guest=guest,
                present=present if isinstance(present, bool) else True,
                absence_reason=as_optional_text(v["absence_reason"]),
                src=rec.source(),
            )
        )
    return tuple(attendees)


def discussions(records: Records, refs: References, sink: ProblemSink) -> tuple[Discussion, ...]:
    return tuple(
        Discussion(
            order=rec.order,
            speaker=as_text(v["speaker"]),
            unit=v["unit"] if ok(v["unit"]) else None,
            summary=as_text(v["summary"]),
            src=rec.source(),
        )
        for rec, v in converted(records, refs, sink)
    )


def collective_proposals(
    records: Records, refs: References, sink: ProblemSink
) -> tuple[CollectiveProposal, ...]:
    return tuple(
        CollectiveProposal(
            order=rec.order,
            unit=v["unit"],
            form=v["form"],
            achievement=as_text(v["achievement"]),
            vote=as_optional_text(v["vote"]),
            note=as_optional_text(v["note"]),
            src=rec.source(),
        )
        for rec, v in converted(records, refs, sink, needs=("unit", "form"))
    )


def individual_proposals(
    records: Records, refs: References, sink: ProblemSink
) -> tuple[IndividualProposal, ...]:
    return tuple(
        IndividualProposal(
            order=rec.order,
            name=as_text(v["name"]),
            gender=v["gender"],
            birth_year=v["birth_year"] if isinstance(v["birth_year"], int) else None,
            title=as_text(v["title"]),
            unit=v["unit"],
            form=v["form"],
            achievement=as_text(v["achievement"]),
            vote=as_optional_text(v["vote"]),
            note=as_optional_text(v["note"]),
            src=rec.source(),
        )
        for rec, v in converted(records, refs, sink, needs=("unit", "form", "gender"))
    )


def rotation(records: Records, refs: References, sink: ProblemSink, missing: Source) -> Rotation:
    src, v = _settings(records, refs, sink, missing)
    return Rotation(
        year=_whole(v["year"]),
        head=v["head"] if isinstance(v["head"], str) else None,
        deputy=v["deputy"] if isinstance(v["deputy"], str) else None,
        vote=as_optional_text(v["vote"]),
        src=src,
    )


def covenant_targets(
    records: Records, refs: References, sink: ProblemSink
) -> tuple[CovenantTarget, ...]:
    return tuple(
        CovenantTarget(
            order=rec.order,
            section=as_text(v["section"]),
            text=as_text(v["text"]),
            src=rec.source(),
        )
        for rec, v in converted(records, refs, sink)
    )


def narratives(records: Records, refs: References, sink: ProblemSink) -> tuple[Narrative, ...]:
    return tuple(
        Narrative(
            section=v["section"],
            unit=v["unit"] if ok(v["unit"]) else None,
            text=as_text(v["text"]),
            order=rec.order,
            src=rec.source(),
        )
        for rec, v in converted(records, refs, sink, needs=("section",))
    )


def legal_bases(records: Records, refs: References, sink: ProblemSink) -> tuple[LegalBasis, ...]:
    """The rows of CanCu (see :func:`_document_lines`)."""
    return tuple(LegalBasis(*line) for line in _document_lines(records, refs, sink))


def addressees(records: Records, refs: References, sink: ProblemSink) -> tuple[Addressee, ...]:
    """The rows of NoiNhan (see :func:`_document_lines`)."""
    return tuple(Addressee(*line) for line in _document_lines(records, refs, sink))


def _document_lines(
    records: Records, refs: References, sink: ProblemSink
) -> list[tuple[tuple[str, ...], str, int, Source]]:
    """The rows of CanCu or NoiNhan: the documents each belongs to, its text, order, source.

    A blank ``Văn bản`` (or ``Tất cả``) means every document; a row whose ``Văn bản`` cannot
    be read or whose text is blank (both reported at the cell) is left out.
    """
    lines = []
    for rec in records or ():
        v = record_values(rec, refs, sink)
        which, text = v["documents"], v["text"]
        if which is BAD or not isinstance(text, str):
            continue
        documents = DOCUMENT_KINDS if which in (None, ALL_DOCUMENTS) else (which,)
        lines.append((documents, text, rec.order, rec.source()))
    return lines


def base_salaries(records: Records, refs: References, sink: ProblemSink) -> tuple[BaseSalary, ...]:
    return tuple(
        BaseSalary(amount=v["amount"], effective_from=v["effective_from"], src=rec.source())
        for rec, v in converted(records, refs, sink, needs=("amount", "effective_from"))
    )


_PARAMETER_TYPES: dict[str, Callable[[Any], object]] = {
    "rank_method": RankMethod,
    "vote_base": VoteBase,
    "merit_quota_base": QuotaBase,
}


def params(
    records: Records,
    salaries: tuple[BaseSalary, ...],
    forms: dict[str, AwardForm],
    refs: References,
    sink: ProblemSink,
    missing: Source,
) -> Parameters:
    """ThamSo, with the :func:`base_salaries` of LuongCoSo and the :func:`award_forms` of
    HinhThuc; a blank or unreadable setting keeps the model's default (every setting is
    optional), so does every setting of a sheet that cannot be read."""
    src, v = _settings(records, refs, sink, missing)
    kwargs: dict[str, Any] = {}
    for name, value in v.items():
        if value is not None:
            kwargs[name] = _PARAMETER_TYPES.get(name, _same)(value)
    return Parameters(
        base_salaries=salaries,
        award_forms=forms,
        decision_date=kwargs.pop("decision_date", None),
        src=src,
        **kwargs,
    )


def _same(value: object) -> object:
    return value
