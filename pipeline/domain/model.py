"""Domain types: one cluster's emulation year, as read from its score workbook.

Pure: no I/O, no clock, no locale. The loader (``pipeline.workbook.loader``) builds a
:class:`Dossier` from a
workbook; validation, scoring and the template context read it. Every record remembers where it
came from (:class:`Source`) so that a problem can name the exact sheet and cell.

Units are referred to by their ``code`` everywhere (the loader resolves aliases). Numbers are
``Decimal``; a value the user left blank is ``None``, never zero.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from enum import StrEnum

from pipeline.errors import Location

#: The four documents, in the order they are numbered in output file names.
DOCUMENT_KINDS: tuple[str, ...] = ("bao_cao", "bien_ban", "giao_uoc", "danh_sach")
#: What a ``Văn bản`` cell of CanCu or NoiNhan holds for a row that belongs to every document.
ALL_DOCUMENTS = "tat_ca"


class DocFormat(StrEnum):
    """Which layout rules the documents follow."""

    PARTY = "dang"  # Hướng dẫn 36-HD/VPTW (2018): ĐẢNG CỘNG SẢN VIỆT NAM, "Số 01-BB/…", T/M, K/T
    STATE = "nha_nuoc"  # Nghị định 30/2020/NĐ-CP: Quốc hiệu, Tiêu ngữ, "Số: 01/BB-…", TM., KT.


class ClusterKind(StrEnum):
    """What kind of emulation body the workbook is about: a *cụm* or a *khối thi đua*.

    Provinces organise emulation in both (Luật Thi đua, khen thưởng 2022 Điều 16: "trong cụm,
    khối thi đua do Hội đồng Thi đua – Khen thưởng các cấp tổ chức"; domain-thidua.md §1). The
    kind gives every word the documents use for the body: "các cơ quan trong khối", "Khối
    trưởng", ``T/M KHỐI THI ĐUA``.
    """

    CUM = "cum"
    KHOI = "khoi"

    @property
    def word(self) -> str:
        """The word in running text: ``cụm`` or ``khối``.

        >>> ClusterKind.KHOI.word, ClusterKind.CUM.word.capitalize(), ClusterKind.KHOI.word.upper()
        ('khối', 'Cụm', 'KHỐI')
        """
        return "khối" if self is ClusterKind.KHOI else "cụm"


def kind_from_name(name: str) -> ClusterKind:
    """The kind a body's name implies: a name whose first word is "Khối" is a khối, any other
    a cụm (the workbook's setting, when given, wins over this).

    >>> kind_from_name("Khối thi đua các sở ngành kinh tế"), kind_from_name("  KHỐI THI ĐUA")
    (<ClusterKind.KHOI: 'khoi'>, <ClusterKind.KHOI: 'khoi'>)
    >>> kind_from_name("Cụm thi đua các Ban Đảng"), kind_from_name("Khốiđua"), kind_from_name("")
    (<ClusterKind.CUM: 'cum'>, <ClusterKind.CUM: 'cum'>, <ClusterKind.CUM: 'cum'>)
    """
    words = unicodedata.normalize("NFC", name).casefold().split(None, 1)
    return ClusterKind.KHOI if words and words[0] == "khối" else ClusterKind.CUM


class Role(StrEnum):
    """A unit's role in the cluster during the emulation year."""

    HEAD = "cum_truong"
    DEPUTY = "cum_pho"
    MEMBER = "thanh_vien"


class RankMethod(StrEnum):
    """How ranks continue after a tie (domain-thidua.md §1.6)."""

    COMPETITION = "thi_dau"  # 1, 2, 3, 3, 5
    DENSE = "lien_tiep"  # 1, 2, 3, 3, 4


class AdjustmentKind(StrEnum):
    BONUS = "cong"
    DEDUCTION = "tru"


class Recipient(StrEnum):
    COLLECTIVE = "tap_the"
    INDIVIDUAL = "ca_nhan"


class VoteBase(StrEnum):
    """What a vote ratio is counted against."""

    MEMBERS = "thanh_vien"  # all member units of the cluster
    PRESENT = "co_mat"  # units present at the meeting
    VALID = "hop_le"  # valid ballots


class QuotaBase(StrEnum):
    """What the Bằng khen quota ratio is applied to (domain-thidua.md §1.5)."""

    ALL_UNITS = "tat_ca"
    REMAINING_UNITS = "con_lai"  # members not proposed for the Cờ


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record was read: a file, a sheet, a row, and the cell of each field.

    ``cells`` maps a field name (the dataclass attribute) to its cell reference (``"C7"``).

    >>> src = Source("cum.xlsx", "DonVi", 7, {"code": "A7", "full_name": "B7"})
    >>> str(src.at("full_name"))
    'cum.xlsx › DonVi!B7'
    >>> str(src.at("missing_field"))
    'cum.xlsx › DonVi!A7'
    """

    file: str
    sheet: str
    row: int | None = None
    cells: Mapping[str, str] = field(default_factory=dict)

    def at(self, field_name: str | None = None) -> Location:
        """The location of one field, or of the row (its first cell) when the field is unknown."""
        cell = self.cells.get(field_name) if field_name else None
        if cell is None and self.row is not None:
            cell = f"A{self.row}"
        return Location(file=self.file, sheet=self.sheet, cell=cell)


NO_SOURCE = Source(file="", sheet="")


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """Number, symbol and signing date of one of the four documents.

    ``type_code`` is the document-type abbreviation (``BC``, ``BB``, ``GƯ``, ``DS``) and
    ``issuer_code`` the issuing body's (``BBVCSSKCB``, ``CTĐ``). ``number`` is ``None`` when the
    document is numbered by hand after printing.
    """

    kind: str
    number: int | None
    type_code: str
    issuer_code: str
    signing_date: date | None
    src: Source = NO_SOURCE


@dataclass(frozen=True, slots=True)
class ClusterInfo:
    """The cluster, its emulation year and how its documents are laid out (``None``: a required
    setting that could not be read, reported by the loader).

    ``declared_kind`` is the workbook's "Cụm hay khối" setting (``None`` when left blank);
    :attr:`kind` is what the documents use: the setting, else what the name implies.
    """

    name: str  # "Cụm thi đua các Ban Đảng thuộc Tỉnh ủy Lạng Sơn"
    short_name: str  # "Cụm thi đua các Ban Đảng" (used in running text)
    parent_body: str  # "TỈNH ỦY LẠNG SƠN": first header line
    doc_format: DocFormat | None
    place: str  # "Lạng Sơn"
    year: int | None  # emulation year N
    covenant_year: int | None  # N + 1
    max_score: Decimal | None  # 1.000
    documents: Mapping[str, DocumentInfo]
    src: Source = NO_SOURCE
    declared_kind: ClusterKind | None = None

    @property
    def kind(self) -> ClusterKind:
        """Cụm or khối: the workbook's setting, else :func:`kind_from_name` of the name."""
        return self.declared_kind or kind_from_name(self.name)


@dataclass(frozen=True, slots=True)
class Unit:
    """A member unit.

    ``head_title`` is the title of the unit's head (``Trưởng ban``). When a deputy signs for the
    head, ``signer_name`` and ``signer_title`` are set (``Phó Trưởng ban``) and documents print
    ``K/T`` (Party) or ``KT.`` (State) before the head's title.
    """

    code: str
    full_name: str  # "Ban Tuyên giáo Tỉnh ủy"
    short_name: str  # "Ban Tuyên giáo"
    header_name: str  # "BAN TUYÊN GIÁO" (as printed in a document header)
    aliases: tuple[str, ...]
    order: int
    role: Role
    head_name: str
    head_title: str
    signer_name: str | None = None
    signer_title: str | None = None
    src: Source = NO_SOURCE

    @property
    def deputy_signs(self) -> bool:
        return bool(self.signer_name)


@dataclass(frozen=True, slots=True)
class Criterion:
    """A node of the criteria tree. Leaves are scored; a parent's maximum is its children's sum."""

    code: str  # "I", "I.1"
    parent: str | None
    text: str
    max_points: Decimal
    order: int
    src: Source = NO_SOURCE


@dataclass(frozen=True, slots=True)
class Score:
    """One unit's score on one leaf criterion. The cluster score is the official one."""

    unit: str
    criterion: str
    self_score: Decimal | None
    cluster_score: Decimal | None
    reason: str | None = None  # why the cluster score differs from the self-score
    src: Source = NO_SOURCE


@dataclass(frozen=True, slots=True)
class Adjustment:
    """A bonus or a deduction, entered as a positive number of points with its reason and basis."""

    unit: str
    kind: AdjustmentKind
    points: Decimal
    reason: str
    basis: str | None  # the document it rests on ("Quyết định số 12/QĐ-UBND ngày …")
    src: Source = NO_SOURCE


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    title: str
    unit: str | None = None  # unit code, when the person belongs to a member unit
    organization: str | None = None  # for guests from outside the cluster
    src: Source = NO_SOURCE


@dataclass(frozen=True, slots=True)
class Attendee:
    """A delegate of a member unit, or an invited guest."""

    name: str
    title: str
    unit: str | None  # member unit code; None for a guest
    organization: str | None  # guest's organisation
    guest: bool
    present: bool
    absence_reason: str | None = None
    src: Source = NO_SOURCE


@dataclass(frozen=True, slots=True)
class Discussion:
    """A contribution to the meeting's discussion, in the order spoken."""

    order: int
    speaker: str
    unit: str | None
    summary: str
    src: Source = NO_SOURCE


@dataclass(frozen=True, slots=True)
class Meeting:
    """The annual review meeting (``None``: a date or time that could not be read)."""

    date: date | None
    start: time | None
    end: time | None
    venue: str
    chair: Person
    secretary: Person
    attendees: tuple[Attendee, ...]
    discussions: tuple[Discussion, ...]
    src: Source = NO_SOURCE


@dataclass(frozen=True, slots=True)
class Vote:
    """A ballot or show of hands on one item. ``invalid`` is ``returned - valid``."""

    code: str
    item: str
    method: str  # "bo_phieu_kin" | "gio_tay"
    issued: int
    returned: int
    valid: int
    yes: int
    no: int
    abstain: int
    src: Source = NO_SOURCE

    @property
    def invalid(self) -> int:
        return self.returned - self.valid


@dataclass(frozen=True, slots=True)
class AwardForm:
    """A form of commendation and its prize coefficient (× base salary) for one recipient type.

    ``coefficient`` is ``None`` when no money is attached or it is not known (Party-issued forms).
    ``is_flag`` marks a Cờ thi đua, which only the cluster's leader may receive.
    """

    code: str
    name: str  # "Cờ thi đua của Ủy ban nhân dân tỉnh"
    recipient: Recipient
    coefficient: Decimal | None
    is_flag: bool
    needs_vote: bool
    src: Source = NO_SOURCE


@dataclass(frozen=True, slots=True)
class CollectiveProposal:
    order: int
    unit: str  # unit code
    form: str  # award form code
    achievement: str
    vote: str | None
    note: str | None = None
    src: Source = NO_SOURCE


@dataclass(frozen=True, slots=True)
class IndividualProposal:
    order: int
    name: str
    gender: str  # "Nam" | "Nữ"
    birth_year: int | None
    title: str
    unit: str  # unit code
    form: str
    achievement: str
    vote: str | None
    note: str | None = None
    src: Source = NO_SOURCE


@dataclass(frozen=True, slots=True)
class Rotation:
    """Next year's head and deputy units (``None``: a setting that could not be read)."""

    year: int | None
    head: str | None
    deputy: str | None
    vote: str | None
    src: Source = NO_SOURCE


@dataclass(frozen=True, slots=True)
class CovenantTarget:
    order: int
    section: str  # group heading, e.g. "Thực hiện nhiệm vụ chính trị"
    text: str
    src: Source = NO_SOURCE


@dataclass(frozen=True, slots=True)
class Narrative:
    """A paragraph of the report's prose. ``section`` is one of :data:`NARRATIVE_SECTIONS`."""

    section: str
    unit: str | None
    text: str
    order: int
    src: Source = NO_SOURCE


#: Sections of the report that take prose from the workbook.
NARRATIVE_SECTIONS: tuple[str, ...] = (
    "tinh_hinh",  # đặc điểm, tình hình
    "chi_dao",  # lãnh đạo, chỉ đạo, tổ chức phong trào
    "ket_qua_don_vi",  # kết quả của từng đơn vị (one paragraph per unit)
    "khen_thuong",  # công tác khen thưởng
    "hoat_dong_chung",  # hoạt động chung của cụm
    "han_che",  # hạn chế, tồn tại
    "nguyen_nhan",  # nguyên nhân
    "phuong_huong",  # phương hướng, nhiệm vụ năm sau
    "kien_nghi",  # đề xuất, kiến nghị
)


@dataclass(frozen=True, slots=True)
class LegalBasis:
    """A "Căn cứ …" line printed at the top of one or more documents, in row order.

    ``text`` is what follows "Căn cứ" (``Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003``);
    ``documents`` are the kinds (:data:`DOCUMENT_KINDS`) the line belongs to.
    """

    documents: tuple[str, ...]
    text: str
    order: int
    src: Source = NO_SOURCE


@dataclass(frozen=True, slots=True)
class Addressee:
    """A line of the "Nơi nhận" list of one or more documents, in row order.

    ``text`` is the recipient without the dash and the final ``;``
    (``Thường trực Hội đồng Thi đua - Khen thưởng tỉnh (b/c)``).
    """

    documents: tuple[str, ...]
    text: str
    order: int
    src: Source = NO_SOURCE


@dataclass(frozen=True, slots=True)
class BaseSalary:
    """Mức lương cơ sở in force from ``effective_from`` (NĐ 73/2024: 2.340.000 đ from 01/7/2024)."""

    amount: Decimal
    effective_from: date
    src: Source = NO_SOURCE


@dataclass(frozen=True, slots=True)
class Parameters:
    """The cluster's rules that no national law fixes (domain-thidua.md §1.4–§1.6, §8 ThamSo)."""

    base_salaries: tuple[BaseSalary, ...]
    award_forms: Mapping[str, AwardForm]
    decision_date: date | None  # expected date of the award decision (selects the base salary)
    rank_method: RankMethod = RankMethod.COMPETITION
    vote_threshold: Decimal = Decimal("0.5")  # a proposal passes when yes/base > threshold…
    vote_threshold_inclusive: bool = True  # …or >= when inclusive
    vote_base: VoteBase = VoteBase.MEMBERS
    quorum: Decimal = Decimal(2) / Decimal(3)  # share of member units present (Hà Nội HD 01/2021)
    flag_quota: int = 1
    merit_quota_ratio: Decimal = Decimal("0.5")
    merit_quota_base: QuotaBase = QuotaBase.REMAINING_UNITS
    bonus_cap: Decimal | None = None
    score_step: Decimal = Decimal("0.25")
    src: Source = NO_SOURCE


@dataclass(frozen=True, slots=True)
class Dossier:
    """All that one cluster-year workbook holds: the input of validation, scoring, rendering.

    The loader builds one from any workbook it can open, however broken, so that validation
    judges everything it can in one pass: a required setting that is blank or cannot be read is
    ``None`` (:class:`ClusterInfo`, :class:`Meeting`, :class:`Rotation`), a part that cannot be
    read at all is named in :attr:`unreadable`, and each was reported by the loader. A dossier
    without a loader error has neither, which is what rendering requires.
    """

    path: str
    cluster: ClusterInfo
    units: tuple[Unit, ...]
    criteria: tuple[Criterion, ...]
    scores: tuple[Score, ...]
    adjustments: tuple[Adjustment, ...]
    meeting: Meeting
    votes: tuple[Vote, ...]
    collective_proposals: tuple[CollectiveProposal, ...]
    individual_proposals: tuple[IndividualProposal, ...]
    rotation: Rotation
    covenant_targets: tuple[CovenantTarget, ...]
    narratives: tuple[Narrative, ...]
    params: Parameters
    legal_bases: tuple[LegalBasis, ...] = ()  # empty: the templates' default căn cứ
    addressees: tuple[Addressee, ...] = ()  # empty: the templates' default recipients
    #: The title, in the file, of the sheet each part of the dossier was read from, keyed by the
    #: part's name ("scores", "units", "params", …; see ``workbook.schema.DOSSIER_PART``). Empty
    #: for a dossier built in code.
    sheets: Mapping[str, str] = field(default_factory=dict)
    #: The parts (named as in :attr:`sheets`) that could not be read at all: their required sheet
    #: is missing, unusable (a required column missing, too many rows) or has no row. The loader
    #: reported each; a rule that needs one of them does not judge it (its data is not empty, it
    #: is unknown).
    unreadable: frozenset[str] = frozenset()

    def sheet(self, part: str) -> str | None:
        """The sheet the given part of the dossier came from (``None`` when not known)."""
        return self.sheets.get(part)

    def readable(self, *parts: str) -> bool:
        """Whether every one of ``parts`` was read (see :attr:`unreadable`)."""
        return self.unreadable.isdisjoint(parts)

    def unit(self, code: str) -> Unit:
        """The unit with this code (codes are validated to exist before anyone asks)."""
        for unit in self.units:
            if unit.code == code:
                return unit
        raise KeyError(code)

    @property
    def head(self) -> Unit | None:
        return next((u for u in self.units if u.role is Role.HEAD), None)

    @property
    def deputy(self) -> Unit | None:
        return next((u for u in self.units if u.role is Role.DEPUTY), None)
