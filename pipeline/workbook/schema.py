"""The score-workbook format: every sheet and every column, in one place.

Pure: no I/O, declarations only. This module is the single source of truth for the workbook
layout. The reader (:mod:`pipeline.workbook.reader`) finds sheets and columns by these names, the
writer (:mod:`pipeline.workbook.xlsx_write`) lays out the blank and sample workbooks from them,
and ``docs/workbook.md`` is generated from them (:mod:`pipeline.workbook.docs`, written by
``scripts/make_workbooks.py``), so the three cannot drift apart.

Two kinds of sheet:

- a **table** sheet has its headers in row 1 and one record per row from row 2 on;
- a **key–value** sheet has the headers ``Mục | Giá trị | Ghi chú`` in row 1 and one setting per
  row: the label in column A, its value in column B, a note in column C (ignored when reading).

>>> SHEETS_BY_NAME["DonVi"].column("Mã đơn vị").field
'code'
>>> cell_of("ChamDiem", 0, "Điểm cụm chấm")
'D2'
>>> value_cell("HoiNghi", "Giờ kết thúc")
'B4'
"""

from __future__ import annotations

import dataclasses
import functools
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pipeline.domain.model import (
    ALL_DOCUMENTS,
    DOCUMENT_KINDS,
    AdjustmentKind,
    ClusterKind,
    DocFormat,
    Parameters,
    QuotaBase,
    RankMethod,
    Recipient,
    Role,
    VoteBase,
)


class ColType(StrEnum):
    """How a cell is read."""

    TEXT = "text"
    CODE = "code"
    INTEGER = "integer"
    DECIMAL = "decimal"
    MONEY = "money"
    RATIO = "ratio"
    DATE = "date"
    TIME = "time"
    CHOICE = "choice"
    BOOL = "bool"
    LIST = "list"
    UNIT = "unit"
    CRITERION = "criterion"
    AWARD_FORM = "award_form"
    VOTE = "vote"


#: Vietnamese name of each type, as shown in the reference tables.
TYPE_LABELS: dict[ColType, str] = {
    ColType.TEXT: "Chữ",
    ColType.CODE: "Mã (chữ viết liền)",
    ColType.INTEGER: "Số nguyên",
    ColType.DECIMAL: "Số (thập phân dùng dấu phẩy: 973,5)",
    ColType.MONEY: "Số tiền, đồng (1.150.000)",
    ColType.RATIO: "Tỷ lệ (50%, 0,5 hoặc 2/3)",
    ColType.DATE: "Ngày (dd/mm/yyyy)",
    ColType.TIME: "Giờ (hh:mm)",
    ColType.CHOICE: "Chọn trong danh sách",
    ColType.BOOL: "Có / Không",
    ColType.LIST: "Danh sách, ngăn cách bằng dấu chấm phẩy (;)",
    ColType.UNIT: "Mã đơn vị (hoặc tên gọi khác ở sheet DonVi)",
    ColType.CRITERION: "Mã tiêu chí (ở sheet TieuChi)",
    ColType.AWARD_FORM: "Mã hình thức (ở sheet HinhThuc)",
    ColType.VOTE: "Mã biểu quyết (ở sheet BoPhieu)",
}

#: Types whose cells hold numbers (written right-aligned, validated as numbers).
NUMERIC_TYPES = frozenset({ColType.INTEGER, ColType.DECIMAL, ColType.MONEY})


@dataclass(frozen=True, slots=True)
class Choice:
    """One allowed value of a :attr:`ColType.CHOICE` (or :attr:`ColType.BOOL`) column.

    ``label`` is what the drop-down offers and the documents never show; ``value`` is what the
    model stores (an enum value, or the label itself), never a spelling the loader accepts;
    ``synonyms`` are the other spellings it accepts (compared with
    :func:`pipeline.vi.match_key`), all listed in ``docs/workbook.md``. Anything else in the
    cell is refused there: a ``x`` in a Có/Không column says neither.
    """

    label: str
    value: str
    synonyms: tuple[str, ...] = ()

    @property
    def short(self) -> str:
        """The label without its explanation in brackets: ``Thi đấu`` for ``Thi đấu (1, 2…)``."""
        return self.label.split(" (")[0]

    def spellings(self) -> tuple[str, ...]:
        """Every accepted spelling: the label, its :attr:`short` form, the synonyms."""
        return (self.label, self.short, *self.synonyms)

    def other_spellings(self) -> tuple[str, ...]:
        """The accepted spellings besides the label, once each, as the docs list them."""
        seen = {self.label}
        found = []
        for spelling in (self.short, *self.synonyms):
            if spelling not in seen:
                seen.add(spelling)
                found.append(spelling)
        return tuple(found)


@dataclass(frozen=True, slots=True)
class Column:
    """A column of a table sheet, or a row (a setting) of a key–value sheet.

    ``field`` is the loader's name for the value (the model attribute where there is one; for the
    meeting's chair ``chair_name`` etc.); ``None`` marks an informative column that the loader
    accepts and ignores. ``required`` columns must not be blank: the loader reports a blank one.
    ``default`` says, in Vietnamese, what a blank optional cell means. ``minimum``/``maximum``
    become the numeric data validation of the blank workbook.
    """

    header: str
    field: str | None
    type: ColType
    required: bool
    meaning: str
    example: str = ""
    choices: tuple[Choice, ...] = ()
    aliases: tuple[str, ...] = ()
    default: str | None = None
    width: int = 16
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    column_required: bool | None = None  # the column must exist even if its cells may be blank
    year: bool = False  # a year: written and documented without a thousands dot ("2013")

    def accepted_headers(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)

    @property
    def must_exist(self) -> bool:
        """Whether a sheet without this column is unusable."""
        return self.required if self.column_required is None else self.column_required


SheetKind = Literal["table", "keyvalue"]


@dataclass(frozen=True, slots=True)
class Sheet:
    """A data sheet. For a key–value sheet ``columns`` are its settings (one per row).

    A ``required`` sheet must be in the workbook; a required table sheet must also have at least
    one row, unless ``rows_optional`` (a rule then says when its rows are needed: F31 for the
    base salaries, F32 for the award forms).
    """

    name: str
    title: str  # Vietnamese title with diacritics, for the instructions and the docs
    purpose: str
    kind: SheetKind
    columns: tuple[Column, ...]
    required: bool = True
    aliases: tuple[str, ...] = ()
    capacity: int = 500  # rows covered by drop-downs and number checks in the blank workbook
    rows_optional: bool = False

    @property
    def needs_rows(self) -> bool:
        """Whether the sheet without a data row is an error (``sheet-empty``)."""
        return self.required and self.kind == "table" and not self.rows_optional

    @property
    def header_row(self) -> int:
        return HEADER_ROW

    def column(self, header: str) -> Column:
        """The column (or key–value setting) with this exact header."""
        for col in self.columns:
            if col.header == header:
                return col
        raise KeyError(f"{self.name}: no column {header!r}")

    def by_field(self, field: str) -> Column:
        for col in self.columns:
            if col.field == field:
                return col
        raise KeyError(f"{self.name}: no field {field!r}")

    @property
    def headers(self) -> tuple[str, ...]:
        """The headers written in row 1."""
        if self.kind == "keyvalue":
            return KV_HEADERS
        return tuple(c.header for c in self.columns)


#: The row holding the headers, on every sheet.
HEADER_ROW = 1
#: Headers of a key–value sheet.
KV_KEY, KV_VALUE, KV_NOTE = "Mục", "Giá trị", "Ghi chú"
KV_HEADERS: tuple[str, str, str] = (KV_KEY, KV_VALUE, KV_NOTE)

#: The instructions sheet (first in the workbook, never read back).
INSTRUCTIONS_SHEET = "HuongDan"
#: A hidden sheet holding the drop-down lists (never read back).
LISTS_SHEET = "DanhMuc"
#: Reading a table stops after this many empty rows in a row (the rest is formatting).
EMPTY_RUN = 200
#: More data rows than this in one sheet is a mistake (a pasted column, a runaway fill).
MAX_DATA_ROWS = 10_000
#: A score workbook is a few hundred kilobytes; a file this large is not one.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: The most one part of the file read may inflate to (a sheet, the shared strings, the styles).
#: A sheet of 3.000 scores with Excel's formatting is under 1 MB.
MAX_PART_BYTES = 16 * 1024 * 1024
#: The most all the parts read from one workbook may inflate to together.
MAX_PARSED_BYTES = 64 * 1024 * 1024

#: Workbooks whose file name starts with this are skipped by ``thidua build`` over ``inputs/``.
SKIP_PREFIX = "_"
#: File names of the bundled workbooks.
SAMPLE_FILE = "cum-cac-ban-dang-lang-son-2013.xlsx"
BLANK_FILE = "_mau-trong.xlsx"
#: The province's shared settings, looked for beside each cluster workbook (docs/cai-dat-chung.md).
#: Its name starts with :data:`SKIP_PREFIX`, so ``thidua build`` never takes it for a cluster.
SHARED_FILE = "_cai-dat-chung.xlsx"

_D = Decimal
_SCORE_MAX = _D(100_000)


def _yes_no(yes: tuple[str, ...] = (), no: tuple[str, ...] = ()) -> tuple[Choice, ...]:
    """Có / Không, as secretaries write them: with or without diacritics, Excel's TRUE/FALSE
    and 1/0; ``yes`` and ``no`` add the words of one column. A mark such as ``x`` or ``✓`` is
    not among them: in a column of ticks a cross may mean either."""
    return (
        Choice("Có", "co", (*yes, "co", "Đúng", "TRUE", "1")),
        Choice("Không", "khong", (*no, "khong", "Sai", "FALSE", "0")),
    )


def _param_default(name: str) -> object:
    """The model's default for a :class:`~pipeline.domain.model.Parameters` field."""
    for f in dataclasses.fields(Parameters):
        if f.name == name:
            return f.default
    raise KeyError(name)


def number_text(value: object) -> str:
    """A Decimal as Vietnamese text, for defaults and documentation.

    >>> number_text(Decimal("0.5")), number_text(Decimal(1000)), number_text(3)
    ('0,5', '1.000', '3')
    """
    if not isinstance(value, Decimal):
        return str(value)
    if value == value.to_integral_value():
        return f"{int(value):,}".replace(",", ".")
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def range_text(column: Column) -> str:
    """The documented range of a numeric column: ``từ 0 đến 100.000``; whole numbers such as
    years are not grouped (``từ 1945 đến 2200``).

    >>> range_text(SHEETS_BY_NAME["ThongTinChung"].column("Năm thi đua"))
    'từ 1945 đến 2200'
    """

    def shown(value: Decimal) -> str:
        return str(int(value)) if column.type is ColType.INTEGER else number_text(value)

    low, high = column.minimum, column.maximum
    if low is not None and high is not None:
        return f"từ {shown(low)} đến {shown(high)}"
    if low is not None:
        return f"từ {shown(low)} trở lên"
    return f"không quá {shown(high)}" if high is not None else ""


def _choice_label(choices: Iterable[Choice], value: object) -> str:
    wanted = getattr(value, "value", value)
    for choice in choices:
        if choice.value == wanted:
            return choice.label
    raise KeyError(value)


DOC_FORMAT_CHOICES = (
    Choice("Đảng", DocFormat.PARTY.value, ("Văn bản của Đảng", "HD 36", "36-HD/VPTW")),
    Choice("Nhà nước", DocFormat.STATE.value, ("Hành chính", "NĐ 30", "30/2020/NĐ-CP")),
)
CLUSTER_KIND_CHOICES = (
    Choice("Cụm", ClusterKind.CUM.value, ("Cụm thi đua",)),
    Choice("Khối", ClusterKind.KHOI.value, ("Khối thi đua",)),
)
DOCUMENT_CHOICES = (
    Choice("Báo cáo tổng kết", DOCUMENT_KINDS[0], ("Báo cáo",)),
    Choice("Biên bản hội nghị", DOCUMENT_KINDS[1], ("Biên bản",)),
    Choice("Giao ước thi đua", DOCUMENT_KINDS[2], ("Giao ước", "Bản giao ước")),
    Choice("Danh sách đề nghị khen thưởng", DOCUMENT_KINDS[3], ("Danh sách",)),
)
DOCUMENT_OR_ALL_CHOICES = (
    *DOCUMENT_CHOICES,
    Choice("Tất cả", ALL_DOCUMENTS, ("Tất cả văn bản", "Cả bốn văn bản")),
)
ROLE_CHOICES = (
    Choice("Cụm trưởng", Role.HEAD.value, ("Trưởng cụm", "Khối trưởng", "Trưởng khối")),
    Choice("Cụm phó", Role.DEPUTY.value, ("Phó cụm", "Khối phó", "Phó khối")),
    Choice("Thành viên", Role.MEMBER.value),
)
ADJUSTMENT_CHOICES = (
    Choice("Cộng", AdjustmentKind.BONUS.value, ("Điểm cộng", "Điểm thưởng", "Thưởng", "+")),
    Choice("Trừ", AdjustmentKind.DEDUCTION.value, ("Điểm trừ", "-")),
)
ATTENDEE_CHOICES = (
    Choice("Đơn vị thành viên", "thanh_vien", ("Thành viên", "Đại biểu")),
    Choice("Khách mời", "khach_moi", ("Khách", "Đại biểu khách mời")),
)
VOTE_METHOD_CHOICES = (
    Choice("Bỏ phiếu kín", "bo_phieu_kin", ("Bỏ phiếu",)),
    Choice("Biểu quyết giơ tay", "gio_tay", ("Giơ tay", "Biểu quyết")),
)
GENDER_CHOICES = (Choice("Nam", "Nam"), Choice("Nữ", "Nữ"))
RECIPIENT_CHOICES = (
    Choice("Tập thể", Recipient.COLLECTIVE.value),
    Choice("Cá nhân", Recipient.INDIVIDUAL.value),
)
RANK_METHOD_CHOICES = (
    Choice("Thi đấu (1, 2, 3, 3, 5)", RankMethod.COMPETITION.value),
    Choice("Liên tiếp (1, 2, 3, 3, 4)", RankMethod.DENSE.value),
)
VOTE_BASE_CHOICES = (
    Choice("Tổng số đơn vị thành viên", VoteBase.MEMBERS.value, ("Thành viên",)),
    Choice("Số đơn vị có mặt", VoteBase.PRESENT.value, ("Có mặt",)),
    Choice("Số phiếu hợp lệ", VoteBase.VALID.value, ("Hợp lệ",)),
)
QUOTA_BASE_CHOICES = (
    Choice(
        "Số đơn vị còn lại (trừ đơn vị đề nghị Cờ)", QuotaBase.REMAINING_UNITS.value, ("Còn lại",)
    ),
    Choice("Tổng số đơn vị", QuotaBase.ALL_UNITS.value, ("Tất cả",)),
)
NARRATIVE_CHOICES = (
    Choice("Đặc điểm, tình hình", "tinh_hinh", ("Tình hình",)),
    Choice("Lãnh đạo, chỉ đạo, tổ chức phong trào", "chi_dao", ("Chỉ đạo",)),
    Choice("Kết quả của từng đơn vị", "ket_qua_don_vi", ("Kết quả",)),
    Choice("Công tác khen thưởng", "khen_thuong", ("Khen thưởng",)),
    Choice("Hoạt động chung của cụm", "hoat_dong_chung", ("Hoạt động chung",)),
    Choice("Hạn chế, tồn tại", "han_che", ("Hạn chế",)),
    Choice("Nguyên nhân", "nguyen_nhan"),
    Choice("Phương hướng, nhiệm vụ năm sau", "phuong_huong", ("Phương hướng", "Nhiệm vụ")),
    Choice("Đề xuất, kiến nghị", "kien_nghi", ("Kiến nghị", "Đề xuất")),
)
YES_NO = _yes_no()
PRESENCE = _yes_no(yes=("Có mặt",), no=("Vắng", "Vắng mặt"))


def _unit(
    header: str,
    field: str,
    required: bool,
    meaning: str,
    default: str | None = None,
    example: str = "BTGTU",
    aliases: tuple[str, ...] = (),
) -> Column:
    return Column(
        header,
        field,
        ColType.UNIT,
        required,
        meaning,
        example=example,
        aliases=aliases,
        default=default,
        width=14,
    )


# --- the sheets ------------------------------------------------------------------------------

CLUSTER = Sheet(
    "ThongTinChung",
    "Thông tin chung",
    "Cụm (khối) thi đua, năm thi đua và thể thức văn bản.",
    "keyvalue",
    (
        Column(
            "Tên cụm thi đua",
            "name",
            ColType.TEXT,
            True,
            "Tên đầy đủ của cụm (khối) thi đua, như in trong văn bản.",
            "Cụm thi đua các Ban Đảng thuộc Tỉnh ủy Lạng Sơn",
        ),
        Column(
            "Tên gọi ngắn",
            "short_name",
            ColType.TEXT,
            True,
            "Tên dùng lặp lại trong câu văn.",
            "Cụm thi đua các Ban Đảng",
        ),
        Column(
            "Cơ quan cấp trên",
            "parent_body",
            ColType.TEXT,
            True,
            "Dòng đầu của tiêu đề văn bản (chữ in hoa).",
            "TỈNH ỦY LẠNG SƠN",
        ),
        Column(
            "Thể thức văn bản",
            "doc_format",
            ColType.CHOICE,
            True,
            "Đảng: theo Hướng dẫn 36-HD/VPTW; Nhà nước: theo Nghị định 30/2020/NĐ-CP.",
            "Đảng",
            choices=DOC_FORMAT_CHOICES,
        ),
        Column(
            "Địa danh",
            "place",
            ColType.TEXT,
            True,
            "Địa danh ghi trước ngày tháng văn bản.",
            "Lạng Sơn",
        ),
        Column(
            "Năm thi đua",
            "year",
            ColType.INTEGER,
            True,
            "Năm được tổng kết (năm N).",
            "2013",
            minimum=_D(1945),
            maximum=_D(2200),
            year=True,
        ),
        Column(
            "Năm giao ước",
            "covenant_year",
            ColType.INTEGER,
            True,
            "Năm của giao ước thi đua ký tại hội nghị (thường là N + 1).",
            "2014",
            minimum=_D(1945),
            maximum=_D(2200),
            year=True,
        ),
        Column(
            "Thang điểm",
            "max_score",
            ColType.DECIMAL,
            True,
            "Tổng điểm tối đa của bảng tiêu chí (chưa tính điểm cộng, trừ).",
            "1.000",
            minimum=_D(1),
            maximum=_SCORE_MAX,
        ),
        # Last, so that the settings above keep their rows in workbooks made before it existed.
        Column(
            "Cụm hay khối",
            "kind",
            ColType.CHOICE,
            False,
            "Cụm thi đua hay khối thi đua: quyết định mọi chữ “cụm”/“khối” trong văn bản (“các "
            "cơ quan trong khối”, “Khối trưởng”, “T/M KHỐI THI ĐUA”, “Lưu hồ sơ khối”).",
            "Khối",
            choices=CLUSTER_KIND_CHOICES,
            default="để trống: theo tên cụm thi đua, tên bắt đầu bằng “Khối” là khối, còn lại là "
            "cụm",
        ),
    ),
)

DOCUMENTS = Sheet(
    "VanBan",
    "Văn bản",
    "Số, ký hiệu và ngày ký của bốn văn bản (một dòng cho mỗi văn bản).",
    "table",
    (
        Column(
            "Văn bản",
            "kind",
            ColType.CHOICE,
            True,
            "Văn bản nào.",
            "Biên bản hội nghị",
            choices=DOCUMENT_CHOICES,
            width=30,
        ),
        Column(
            "Số",
            "number",
            ColType.INTEGER,
            False,
            "Số văn bản (Đảng: Số 05-BB/…; Nhà nước: Số: 05/BB-…).",
            "5",
            default="để trống: ghi số bằng tay sau khi in",
            minimum=_D(1),
            maximum=_D(100_000),
            width=8,
        ),
        Column(
            "Ký hiệu loại văn bản",
            "type_code",
            ColType.CODE,
            True,
            "Chữ viết tắt tên loại văn bản.",
            "BB",
            width=14,
        ),
        Column(
            "Ký hiệu cơ quan ban hành",
            "issuer_code",
            ColType.CODE,
            True,
            "Chữ viết tắt tên cơ quan ban hành (thường là đơn vị cụm trưởng).",
            "BBVCSSKCB",
            width=18,
        ),
        Column(
            "Ngày ký",
            "signing_date",
            ColType.DATE,
            False,
            "Ngày ký văn bản.",
            "10/01/2014",
            default="để trống: văn bản in “…, ngày … tháng … năm 20…” để ghi ngày bằng tay",
            width=14,
        ),
    ),
    capacity=20,
)


def _which_documents(meaning: str, example: str) -> Column:
    return Column(
        "Văn bản",
        "documents",
        ColType.CHOICE,
        False,
        meaning,
        example,
        choices=DOCUMENT_OR_ALL_CHOICES,
        default="để trống: Tất cả",
        width=30,
    )


LEGAL_BASES = Sheet(
    "CanCu",
    "Căn cứ ban hành",
    "Các căn cứ pháp lý in ở đầu văn bản (“Căn cứ …;”), theo thứ tự (thứ tự dòng), mỗi dòng một "
    "căn cứ; ghi văn bản đang có hiệu lực vào ngày ký. Văn bản không có dòng nào in căn cứ mặc "
    "định: bản giao ước in “Căn cứ Luật Thi đua, khen thưởng và các văn bản hướng dẫn thi hành”.",
    "table",
    (
        _which_documents(
            "Văn bản in căn cứ này. Mẫu kèm theo in căn cứ ở bản giao ước; mẫu riêng có thể in ở "
            "văn bản khác.",
            "Giao ước thi đua",
        ),
        Column(
            "Căn cứ",
            "text",
            ColType.TEXT,
            True,
            "Phần sau chữ “Căn cứ”, không có dấu chấm phẩy ở cuối (văn bản tự thêm).",
            "Nghị định số 42/2010/NĐ-CP ngày 15 tháng 4 năm 2010 của Chính phủ quy định chi tiết "
            "thi hành một số điều của Luật Thi đua, khen thưởng",
            width=100,
        ),
    ),
    required=False,
    aliases=("Căn cứ", "Căn cứ pháp lý"),
    capacity=50,
)

ADDRESSEES = Sheet(
    "NoiNhan",
    "Nơi nhận",
    "Nơi nhận của từng văn bản, theo thứ tự (thứ tự dòng), mỗi dòng một nơi nhận; dòng lưu "
    "(Đảng: “Lưu hồ sơ cụm”; Nhà nước: “Lưu: VT, Hồ sơ cụm”; với khối: “hồ sơ khối”) được thêm "
    "vào cuối, trừ khi đã có dòng bắt đầu bằng “Lưu”. Văn bản không có dòng nào dùng nơi nhận "
    "mặc định: báo cáo gửi Thường trực Hội đồng Thi đua - Khen thưởng tỉnh (b/c) và các cơ quan "
    "trong cụm (khối); biên bản thể thức Nhà nước gửi các cơ quan trong cụm (khối); biên bản thể "
    "thức Đảng, bản giao ước và danh sách không in nơi nhận.",
    "table",
    (
        _which_documents("Văn bản gửi tới nơi nhận này.", "Báo cáo tổng kết"),
        Column(
            "Nơi nhận",
            "text",
            ColType.TEXT,
            True,
            "Một nơi nhận, không có gạch đầu dòng và dấu chấm phẩy ở cuối.",
            "Thường trực Hội đồng Thi đua - Khen thưởng tỉnh (b/c)",
            width=70,
        ),
    ),
    required=False,
    capacity=50,
)

UNITS = Sheet(
    "DonVi",
    "Đơn vị",
    "Các đơn vị thành viên của cụm, theo thứ tự sắp xếp chính thức (thứ tự dòng).",
    "table",
    (
        Column(
            "Mã đơn vị",
            "code",
            ColType.CODE,
            True,
            "Mã ngắn, duy nhất; các sheet khác ghi đơn vị bằng mã này.",
            "BTGTU",
            width=12,
        ),
        Column(
            "Tên đầy đủ",
            "full_name",
            ColType.TEXT,
            True,
            "Tên đầy đủ của đơn vị.",
            "Ban Tuyên giáo Tỉnh ủy",
            width=34,
        ),
        Column(
            "Tên ngắn",
            "short_name",
            ColType.TEXT,
            True,
            "Tên rút gọn dùng trong câu văn.",
            "Ban Tuyên giáo",
            width=22,
        ),
        Column(
            "Tên in ở tiêu đề",
            "header_name",
            ColType.TEXT,
            True,
            "Tên cơ quan in ở góc trái tiêu đề văn bản (chữ in hoa).",
            "BAN TUYÊN GIÁO",
            width=26,
        ),
        Column(
            "Tên gọi khác",
            "aliases",
            ColType.LIST,
            False,
            "Cách viết khác mà các sheet có thể dùng thay cho mã.",
            "BTG TU; Ban TG Tỉnh ủy",
            default="để trống: không có",
            width=24,
        ),
        Column(
            "Vai trò năm thi đua",
            "role",
            ColType.CHOICE,
            False,
            "Vai trò của đơn vị trong cụm năm N.",
            "Thành viên",
            choices=ROLE_CHOICES,
            default="để trống: Thành viên",
            width=16,
        ),
        Column(
            "Thủ trưởng: họ tên",
            "head_name",
            ColType.TEXT,
            True,
            "Họ và tên người đứng đầu đơn vị.",
            "Vi Thị Hồng",
            width=22,
        ),
        Column(
            "Thủ trưởng: chức vụ",
            "head_title",
            ColType.TEXT,
            True,
            "Chức vụ người đứng đầu.",
            "Trưởng ban",
            width=20,
        ),
        Column(
            "Người ký thay: họ tên",
            "signer_name",
            ColType.TEXT,
            False,
            "Cấp phó ký thay thủ trưởng (văn bản in K/T hoặc KT.).",
            "Hà Thị Lan",
            default="để trống: thủ trưởng ký",
            width=22,
        ),
        Column(
            "Người ký thay: chức vụ",
            "signer_title",
            ColType.TEXT,
            False,
            "Chức vụ của người ký thay.",
            "Phó Trưởng ban Thường trực",
            default="để trống: thủ trưởng ký",
            width=24,
        ),
    ),
    capacity=100,
)

CRITERIA = Sheet(
    "TieuChi",
    "Tiêu chí",
    "Cây tiêu chí chấm điểm: nhóm lớn (không có mã cha) và tiêu chí con. Điểm tối đa của nhóm "
    "bằng tổng điểm tối đa các tiêu chí con; tổng các nhóm lớn bằng thang điểm.",
    "table",
    (
        Column(
            "Mã tiêu chí", "code", ColType.CODE, True, "Mã duy nhất của tiêu chí.", "I.1", width=12
        ),
        Column(
            "Mã tiêu chí cha",
            "parent",
            ColType.CRITERION,
            False,
            "Mã của nhóm chứa tiêu chí này.",
            "I",
            default="để trống: nhóm lớn",
            width=14,
        ),
        Column(
            "Nội dung tiêu chí",
            "text",
            ColType.TEXT,
            True,
            "Nội dung tiêu chí.",
            "Tham mưu cho Tỉnh ủy ban hành văn bản lãnh đạo, chỉ đạo",
            width=60,
        ),
        Column(
            "Điểm tối đa",
            "max_points",
            ColType.DECIMAL,
            True,
            "Điểm tối đa của tiêu chí.",
            "200",
            minimum=_D(0),
            maximum=_SCORE_MAX,
            width=12,
        ),
    ),
    capacity=300,
)

SCORES = Sheet(
    "ChamDiem",
    "Chấm điểm",
    "Điểm của từng đơn vị trên từng tiêu chí lá: một dòng cho mỗi đơn vị × tiêu chí. Điểm "
    "cụm chấm là điểm chính thức.",
    "table",
    (
        _unit("Mã đơn vị", "unit", True, "Đơn vị được chấm."),
        Column(
            "Mã tiêu chí",
            "criterion",
            ColType.CRITERION,
            True,
            "Tiêu chí lá (không có tiêu chí con).",
            "I.1",
            width=12,
        ),
        Column(
            "Điểm tự chấm",
            "self_score",
            ColType.DECIMAL,
            False,
            "Điểm đơn vị tự chấm.",
            "198,5",
            default="để trống: chưa tự chấm (bị cảnh báo khi kiểm tra)",
            minimum=_D(0),
            maximum=_SCORE_MAX,
            width=13,
            column_required=True,
        ),
        Column(
            "Điểm cụm chấm",
            "cluster_score",
            ColType.DECIMAL,
            False,
            "Điểm chính thức do cụm chấm.",
            "197",
            default="để trống: chưa chấm (bị báo lỗi khi kiểm tra); điểm 0 phải ghi 0",
            minimum=_D(0),
            maximum=_SCORE_MAX,
            width=13,
            column_required=True,
        ),
        Column(
            "Lý do điều chỉnh",
            "reason",
            ColType.TEXT,
            False,
            "Vì sao điểm cụm chấm khác điểm tự chấm.",
            "Một đề án tham mưu chậm tiến độ",
            default="để trống: không có",
            width=48,
        ),
    ),
    capacity=3000,
)

ADJUSTMENTS = Sheet(
    "DiemCongTru",
    "Điểm cộng, điểm trừ",
    "Các khoản điểm cộng (thưởng) và điểm trừ, mỗi khoản một dòng, số điểm ghi số dương.",
    "table",
    (
        _unit("Mã đơn vị", "unit", True, "Đơn vị được cộng hoặc bị trừ điểm."),
        Column(
            "Loại",
            "kind",
            ColType.CHOICE,
            True,
            "Cộng hay trừ.",
            "Cộng",
            choices=ADJUSTMENT_CHOICES,
            width=10,
        ),
        Column(
            "Số điểm",
            "points",
            ColType.DECIMAL,
            True,
            "Số điểm, luôn là số dương.",
            "5",
            minimum=_D(0),
            maximum=_SCORE_MAX,
            width=10,
        ),
        Column(
            "Lý do",
            "reason",
            ColType.TEXT,
            True,
            "Lý do cộng hoặc trừ điểm.",
            "Chậm gửi báo cáo sơ kết 6 tháng",
            width=48,
        ),
        Column(
            "Căn cứ",
            "basis",
            ColType.TEXT,
            False,
            "Văn bản làm căn cứ (số, ngày).",
            "Quyết định số 215-QĐ/BDVTW ngày 15/11/2013",
            default="để trống: chưa có (bị báo lỗi khi kiểm tra)",
            width=40,
        ),
    ),
    required=False,
    capacity=200,
)

MEETING = Sheet(
    "HoiNghi",
    "Hội nghị",
    "Hội nghị tổng kết: thời gian, địa điểm, chủ trì, thư ký.",
    "keyvalue",
    (
        Column("Ngày họp", "date", ColType.DATE, True, "Ngày tổ chức hội nghị.", "10/01/2014"),
        Column("Giờ bắt đầu", "start", ColType.TIME, True, "Giờ khai mạc.", "14:00"),
        Column("Giờ kết thúc", "end", ColType.TIME, True, "Giờ bế mạc.", "17:00"),
        Column(
            "Địa điểm",
            "venue",
            ColType.TEXT,
            True,
            "Nơi họp.",
            "Hội trường Ban Bảo vệ, chăm sóc sức khỏe cán bộ tỉnh",
        ),
        Column(
            "Chủ trì: họ tên",
            "chair_name",
            ColType.TEXT,
            True,
            "Người chủ trì hội nghị.",
            "Hà Thị Lan",
        ),
        Column(
            "Chủ trì: chức vụ",
            "chair_title",
            ColType.TEXT,
            True,
            "Chức vụ người chủ trì.",
            "Phó Trưởng ban Thường trực",
        ),
        _unit(
            "Chủ trì: đơn vị",
            "chair_unit",
            False,
            "Đơn vị của người chủ trì.",
            default="để trống: không thuộc đơn vị thành viên",
        ),
        Column(
            "Thư ký: họ tên",
            "secretary_name",
            ColType.TEXT,
            True,
            "Người ghi biên bản.",
            "Lộc Thị Hương",
        ),
        Column(
            "Thư ký: chức vụ",
            "secretary_title",
            ColType.TEXT,
            True,
            "Chức vụ người ghi biên bản.",
            "Chuyên viên",
        ),
        _unit(
            "Thư ký: đơn vị",
            "secretary_unit",
            False,
            "Đơn vị của thư ký.",
            default="để trống: không thuộc đơn vị thành viên",
        ),
    ),
)

ATTENDEES = Sheet(
    "ThanhPhan",
    "Thành phần dự họp",
    "Đại biểu các đơn vị thành viên (có mặt hoặc vắng, kèm lý do) và khách mời.",
    "table",
    (
        Column("Họ tên", "name", ColType.TEXT, True, "Họ và tên đại biểu.", "Hà Thị Lan", width=22),
        Column(
            "Chức vụ",
            "title",
            ColType.TEXT,
            True,
            "Chức vụ đại biểu.",
            "Phó Trưởng ban Thường trực",
            width=26,
        ),
        Column(
            "Loại đại biểu",
            "kind",
            ColType.CHOICE,
            False,
            "Đại biểu của đơn vị thành viên hay khách mời.",
            "Đơn vị thành viên",
            choices=ATTENDEE_CHOICES,
            default="để trống: Đơn vị thành viên nếu có mã đơn vị, nếu không là Khách mời",
            width=18,
        ),
        _unit(
            "Mã đơn vị",
            "unit",
            False,
            "Đơn vị thành viên mà đại biểu đại diện.",
            default="để trống với khách mời",
        ),
        Column(
            "Cơ quan (khách mời)",
            "organization",
            ColType.TEXT,
            False,
            "Cơ quan của khách mời.",
            "Ban Thi đua – Khen thưởng tỉnh",
            default="để trống với đại biểu đơn vị thành viên",
            width=30,
        ),
        Column(
            "Có mặt",
            "present",
            ColType.BOOL,
            False,
            "Đại biểu có mặt hay vắng.",
            "Có",
            choices=PRESENCE,
            default="để trống: Có",
            width=9,
        ),
        Column(
            "Lý do vắng",
            "absence_reason",
            ColType.TEXT,
            False,
            "Lý do vắng mặt (khi Có mặt là Không).",
            "Đi công tác",
            default="để trống: không có",
            width=26,
        ),
    ),
    capacity=200,
)

DISCUSSIONS = Sheet(
    "PhatBieu",
    "Phát biểu thảo luận",
    "Các ý kiến thảo luận tại hội nghị, theo thứ tự phát biểu (thứ tự dòng).",
    "table",
    (
        Column(
            "Người phát biểu",
            "speaker",
            ColType.TEXT,
            True,
            "Họ tên và chức vụ.",
            "Đồng chí Hoàng Thị Thanh Nga, Phó Trưởng ban Tuyên giáo Tỉnh ủy",
            width=40,
        ),
        _unit(
            "Mã đơn vị",
            "unit",
            False,
            "Đơn vị của người phát biểu.",
            default="để trống với khách mời",
        ),
        Column(
            "Tóm tắt ý kiến",
            "summary",
            ColType.TEXT,
            True,
            "Nội dung phát biểu, tóm tắt.",
            "Nhất trí với báo cáo; đề nghị đổi mới hình thức thi đua",
            width=70,
        ),
    ),
    required=False,
    capacity=100,
)

VOTES = Sheet(
    "BoPhieu",
    "Biểu quyết",
    "Kết quả bỏ phiếu hoặc biểu quyết của từng nội dung cần biểu quyết.",
    "table",
    (
        Column(
            "Mã biểu quyết",
            "code",
            ColType.CODE,
            True,
            "Mã ngắn để các sheet đề nghị và luân phiên dẫn tới.",
            "BQ1",
            width=12,
        ),
        Column(
            "Nội dung",
            "item",
            ColType.TEXT,
            True,
            "Nội dung được biểu quyết.",
            "Đề nghị tặng Cờ thi đua của Ủy ban nhân dân tỉnh",
            width=50,
        ),
        Column(
            "Hình thức",
            "method",
            ColType.CHOICE,
            True,
            "Bỏ phiếu kín hay giơ tay.",
            "Bỏ phiếu kín",
            choices=VOTE_METHOD_CHOICES,
            width=18,
        ),
        Column(
            "Số phiếu phát ra",
            "issued",
            ColType.INTEGER,
            True,
            "Số phiếu phát ra (giơ tay: số người biểu quyết).",
            "9",
            minimum=_D(0),
            maximum=_D(100_000),
            width=10,
        ),
        Column(
            "Số phiếu thu về",
            "returned",
            ColType.INTEGER,
            True,
            "Số phiếu thu về.",
            "9",
            minimum=_D(0),
            maximum=_D(100_000),
            width=10,
        ),
        Column(
            "Số phiếu hợp lệ",
            "valid",
            ColType.INTEGER,
            True,
            "Số phiếu hợp lệ.",
            "9",
            minimum=_D(0),
            maximum=_D(100_000),
            width=10,
        ),
        Column(
            "Đồng ý",
            "yes",
            ColType.INTEGER,
            True,
            "Số phiếu đồng ý.",
            "9",
            minimum=_D(0),
            maximum=_D(100_000),
            width=9,
        ),
        Column(
            "Không đồng ý",
            "no",
            ColType.INTEGER,
            True,
            "Số phiếu không đồng ý.",
            "0",
            minimum=_D(0),
            maximum=_D(100_000),
            width=9,
        ),
        Column(
            "Không ý kiến",
            "abstain",
            ColType.INTEGER,
            True,
            "Số phiếu không có ý kiến.",
            "0",
            minimum=_D(0),
            maximum=_D(100_000),
            width=9,
        ),
    ),
    required=False,
    capacity=100,
)


def _proposal_columns(
    form: str, achievement: str, vote: str, *, widths: tuple[int, int]
) -> tuple[Column, ...]:
    """The columns every proposal sheet (collective or individual) ends with; the arguments are
    the examples and the widths of the achievement and note columns."""
    achievement_width, note_width = widths
    return (
        Column(
            "Hình thức khen thưởng",
            "form",
            ColType.AWARD_FORM,
            True,
            "Hình thức đề nghị (mã ở sheet HinhThuc).",
            form,
            width=16,
        ),
        Column(
            "Thành tích",
            "achievement",
            ColType.TEXT,
            True,
            "Tóm tắt thành tích.",
            achievement,
            width=achievement_width,
        ),
        Column(
            "Mã biểu quyết",
            "vote",
            ColType.VOTE,
            False,
            "Kết quả biểu quyết thông qua đề nghị.",
            vote,
            default="để trống: không biểu quyết",
            width=12,
        ),
        Column(
            "Ghi chú",
            "note",
            ColType.TEXT,
            False,
            "Ghi chú in trong danh sách.",
            "",
            default="để trống: không có",
            width=note_width,
        ),
    )


COLLECTIVE = Sheet(
    "DeNghiTapThe",
    "Đề nghị khen thưởng tập thể",
    "Các tập thể (đơn vị thành viên) được đề nghị khen thưởng.",
    "table",
    (
        _unit("Mã đơn vị", "unit", True, "Đơn vị được đề nghị."),
        *_proposal_columns(
            "CO_UBND", "Dẫn đầu phong trào thi đua Cụm năm 2013", "BQ1", widths=(60, 24)
        ),
    ),
    required=False,
    capacity=100,
)

INDIVIDUAL = Sheet(
    "DeNghiCaNhan",
    "Đề nghị khen thưởng cá nhân",
    "Các cá nhân được đề nghị khen thưởng.",
    "table",
    (
        Column(
            "Họ tên",
            "name",
            ColType.TEXT,
            True,
            "Họ và tên, không viết tắt.",
            "Lý Văn Sơn",
            width=22,
        ),
        Column(
            "Giới tính",
            "gender",
            ColType.CHOICE,
            True,
            "Nam hoặc Nữ.",
            "Nam",
            choices=GENDER_CHOICES,
            width=9,
        ),
        Column(
            "Năm sinh",
            "birth_year",
            ColType.INTEGER,
            False,
            "Năm sinh.",
            "1970",
            default="để trống: không in",
            minimum=_D(1900),
            maximum=_D(2100),
            year=True,
            width=9,
        ),
        Column(
            "Chức vụ",
            "title",
            ColType.TEXT,
            True,
            "Chức vụ, nơi công tác.",
            "Trưởng phòng Dân vận",
            width=26,
        ),
        _unit("Mã đơn vị", "unit", True, "Đơn vị thành viên của cá nhân."),
        *_proposal_columns(
            "BK_UBND_CN", "Hoàn thành xuất sắc nhiệm vụ năm 2013", "BQ3", widths=(50, 20)
        ),
    ),
    required=False,
    capacity=100,
)

ROTATION = Sheet(
    "LuanPhien",
    "Luân phiên",
    "Đơn vị cụm trưởng, cụm phó năm sau.",
    "keyvalue",
    (
        Column(
            "Năm",
            "year",
            ColType.INTEGER,
            True,
            "Năm nhận nhiệm vụ (N + 1).",
            "2014",
            minimum=_D(1945),
            maximum=_D(2200),
            year=True,
        ),
        _unit(
            "Cụm trưởng",
            "head",
            True,
            "Đơn vị cụm trưởng (khối trưởng) năm sau.",
            example="VPTU",
            aliases=("Khối trưởng",),
        ),
        _unit(
            "Cụm phó",
            "deputy",
            True,
            "Đơn vị cụm phó (khối phó) năm sau (khác đơn vị cụm trưởng).",
            example="BTCTU",
            aliases=("Khối phó",),
        ),
        Column(
            "Mã biểu quyết",
            "vote",
            ColType.VOTE,
            False,
            "Kết quả biểu quyết cử cụm trưởng, cụm phó.",
            "BQ4",
            default="để trống: không biểu quyết",
        ),
    ),
)

COVENANT = Sheet(
    "GiaoUoc",
    "Giao ước thi đua",
    "Nội dung giao ước thi đua năm sau, theo thứ tự (thứ tự dòng), chia theo nhóm.",
    "table",
    (
        Column(
            "Nhóm nội dung",
            "section",
            ColType.TEXT,
            True,
            "Tiêu đề nhóm.",
            "Thực hiện nhiệm vụ chính trị, chuyên môn",
            width=36,
        ),
        Column(
            "Nội dung giao ước",
            "text",
            ColType.TEXT,
            True,
            "Một chỉ tiêu giao ước.",
            "Hoàn thành 100% chương trình công tác năm",
            width=80,
        ),
    ),
    capacity=100,
)

NARRATIVES = Sheet(
    "TongKetVanBan",
    "Nội dung báo cáo",
    "Các đoạn văn của báo cáo tổng kết, theo thứ tự (thứ tự dòng); mỗi dòng một đoạn.",
    "table",
    (
        Column(
            "Phần",
            "section",
            ColType.CHOICE,
            True,
            "Phần của báo cáo.",
            "Hạn chế, tồn tại",
            choices=NARRATIVE_CHOICES,
            width=28,
        ),
        _unit(
            "Mã đơn vị",
            "unit",
            False,
            "Đơn vị được nói tới (phần Kết quả của từng đơn vị).",
            default="để trống: cả cụm",
        ),
        Column(
            "Nội dung",
            "text",
            ColType.TEXT,
            True,
            "Đoạn văn.",
            "Nội dung các phong trào thi đua còn đơn điệu…",
            width=100,
        ),
    ),
    capacity=100,
)

PARAMETERS = Sheet(
    "ThamSo",
    "Tham số",
    "Các quy định riêng của cụm. Ô để trống nhận giá trị mặc định ghi ở cột Ghi chú.",
    "keyvalue",
    (
        Column(
            "Cách xếp hạng khi bằng điểm",
            "rank_method",
            ColType.CHOICE,
            False,
            "Thi đấu: hai đơn vị đồng hạng Ba thì đơn vị sau xếp thứ Năm; liên tiếp: thứ Tư.",
            "Thi đấu (1, 2, 3, 3, 5)",
            choices=RANK_METHOD_CHOICES,
            default="để trống: "
            + _choice_label(RANK_METHOD_CHOICES, _param_default("rank_method")),
        ),
        Column(
            "Ngưỡng thông qua biểu quyết",
            "vote_threshold",
            ColType.RATIO,
            False,
            "Tỷ lệ đồng ý cần đạt.",
            "50%",
            default="để trống: " + number_text(_param_default("vote_threshold")),
        ),
        Column(
            "Tính bằng ngưỡng là đạt",
            "vote_threshold_inclusive",
            ColType.BOOL,
            False,
            "Có: đạt khi tỷ lệ ≥ ngưỡng; Không: phải vượt ngưỡng (quá bán).",
            "Không",
            choices=YES_NO,
            default="để trống: Có",
        ),
        Column(
            "Cơ sở tính tỷ lệ biểu quyết",
            "vote_base",
            ColType.CHOICE,
            False,
            "Số đồng ý được chia cho số nào.",
            "Tổng số đơn vị thành viên",
            choices=VOTE_BASE_CHOICES,
            default="để trống: " + _choice_label(VOTE_BASE_CHOICES, _param_default("vote_base")),
        ),
        Column(
            "Tỷ lệ có mặt tối thiểu",
            "quorum",
            ColType.RATIO,
            False,
            "Hội nghị hợp lệ khi số đơn vị có mặt đạt tỷ lệ này.",
            "2/3",
            default="để trống: 2/3",
        ),
        Column(
            "Số Cờ thi đua tối đa",
            "flag_quota",
            ColType.INTEGER,
            False,
            "Số đơn vị được đề nghị Cờ thi đua.",
            "1",
            default="để trống: " + str(_param_default("flag_quota")),
            minimum=_D(0),
            maximum=_D(1000),
        ),
        Column(
            "Tỷ lệ Bằng khen tối đa",
            "merit_quota_ratio",
            ColType.RATIO,
            False,
            "Số tập thể đề nghị Bằng khen không quá tỷ lệ này (làm tròn xuống).",
            "50%",
            default="để trống: " + number_text(_param_default("merit_quota_ratio")),
        ),
        Column(
            "Cơ sở tính tỷ lệ Bằng khen",
            "merit_quota_base",
            ColType.CHOICE,
            False,
            "Tỷ lệ Bằng khen tính trên số đơn vị nào.",
            "Số đơn vị còn lại (trừ đơn vị đề nghị Cờ)",
            choices=QUOTA_BASE_CHOICES,
            default="để trống: "
            + _choice_label(QUOTA_BASE_CHOICES, _param_default("merit_quota_base")),
        ),
        Column(
            "Điểm cộng tối đa",
            "bonus_cap",
            ColType.DECIMAL,
            False,
            "Tổng điểm cộng của một đơn vị không vượt quá số này.",
            "10",
            default="để trống: không giới hạn",
            minimum=_D(0),
            maximum=_SCORE_MAX,
        ),
        Column(
            "Bước điểm",
            "score_step",
            ColType.DECIMAL,
            False,
            "Điểm phải là bội số của bước này.",
            "0,5",
            default="để trống: " + number_text(_param_default("score_step")),
            minimum=_D(0),
            maximum=_SCORE_MAX,
        ),
        Column(
            "Ngày dự kiến quyết định khen thưởng",
            "decision_date",
            ColType.DATE,
            False,
            "Chọn mức lương cơ sở để tính tiền thưởng.",
            "25/02/2014",
            default="để trống: ngày họp",
        ),
    ),
)

BASE_SALARIES = Sheet(
    "LuongCoSo",
    "Mức lương cơ sở",
    "Các mức lương cơ sở và ngày bắt đầu áp dụng; tiền thưởng dùng mức đang áp dụng vào ngày "
    "quyết định khen thưởng.",
    "table",
    (
        Column(
            "Mức lương cơ sở",
            "amount",
            ColType.MONEY,
            True,
            "Số tiền, đồng/tháng.",
            "1.150.000",
            minimum=_D(0),
            maximum=_D(1_000_000_000),
            width=16,
        ),
        Column(
            "Áp dụng từ ngày",
            "effective_from",
            ColType.DATE,
            True,
            "Ngày bắt đầu áp dụng.",
            "01/07/2013",
            width=14,
        ),
        Column(
            "Căn cứ",
            None,
            ColType.TEXT,
            False,
            "Văn bản quy định (chỉ để tra cứu).",
            "Nghị định số 66/2013/NĐ-CP",
            default="để trống: không có",
            width=34,
        ),
    ),
    capacity=50,
    rows_optional=True,
)

AWARD_FORMS = Sheet(
    "HinhThuc",
    "Hình thức khen thưởng",
    "Các hình thức khen thưởng được đề nghị, mỗi hình thức × đối tượng một dòng, với hệ số "
    "tiền thưởng (× mức lương cơ sở).",
    "table",
    (
        Column(
            "Mã hình thức",
            "code",
            ColType.CODE,
            True,
            "Mã ngắn, duy nhất; các sheet đề nghị dùng mã này.",
            "BK_UBND_TT",
            width=14,
        ),
        Column(
            "Tên hình thức",
            "name",
            ColType.TEXT,
            True,
            "Tên đầy đủ, như in trong văn bản.",
            "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
            width=46,
        ),
        Column(
            "Đối tượng",
            "recipient",
            ColType.CHOICE,
            True,
            "Tập thể hay cá nhân.",
            "Tập thể",
            choices=RECIPIENT_CHOICES,
            width=10,
        ),
        Column(
            "Hệ số tiền thưởng",
            "coefficient",
            ColType.DECIMAL,
            False,
            "Hệ số nhân với mức lương cơ sở.",
            "2,0",
            default="để trống: không tính tiền thưởng",
            minimum=_D(0),
            maximum=_D(1000),
            width=12,
        ),
        Column(
            "Là Cờ thi đua",
            "is_flag",
            ColType.BOOL,
            False,
            "Cờ thi đua chỉ tặng đơn vị dẫn đầu cụm.",
            "Không",
            choices=YES_NO,
            default="để trống: Không",
            width=10,
        ),
        Column(
            "Cần biểu quyết",
            "needs_vote",
            ColType.BOOL,
            False,
            "Đề nghị hình thức này phải có kết quả biểu quyết.",
            "Có",
            choices=YES_NO,
            default="để trống: Không",
            width=10,
        ),
    ),
    capacity=50,
    rows_optional=True,
)

#: Every data sheet, in workbook order (after the instructions sheet).
SHEETS: tuple[Sheet, ...] = (
    CLUSTER,
    DOCUMENTS,
    LEGAL_BASES,
    ADDRESSEES,
    UNITS,
    CRITERIA,
    SCORES,
    ADJUSTMENTS,
    MEETING,
    ATTENDEES,
    DISCUSSIONS,
    VOTES,
    COLLECTIVE,
    INDIVIDUAL,
    ROTATION,
    COVENANT,
    NARRATIVES,
    PARAMETERS,
    BASE_SALARIES,
    AWARD_FORMS,
)
SHEETS_BY_NAME: dict[str, Sheet] = {s.name: s for s in SHEETS}

#: The sheets a shared settings file (:data:`SHARED_FILE`) may hold, each optional there: what
#: many clusters of a province share. A cluster workbook's own rows override them, keyed as
#: :data:`SHARED_KEYS` says (:mod:`pipeline.workbook.shared`).
SHARED_SHEETS: tuple[Sheet, ...] = (LEGAL_BASES, ADDRESSEES, PARAMETERS, BASE_SALARIES, AWARD_FORMS)
#: How a cluster's own rows override the shared file's, per sheet: the field (or, for a
#: key–value sheet, each setting) that identifies a row, and the Vietnamese rule for the docs.
SHARED_KEYS: dict[str, tuple[str, str]] = {
    LEGAL_BASES.name: (
        "documents",
        "theo văn bản: văn bản nào có ít nhất một dòng căn cứ trong workbook của cụm thì dùng "
        "các dòng của cụm (và chỉ các dòng đó) cho văn bản ấy; văn bản khác dùng các dòng của "
        "tệp chung",
    ),
    ADDRESSEES.name: (
        "documents",
        "theo văn bản, như CanCu: văn bản nào có nơi nhận trong workbook của cụm thì dùng nơi "
        "nhận của cụm cho văn bản ấy",
    ),
    PARAMETERS.name: (
        "",
        "theo từng mục: mục có giá trị trong workbook của cụm thì dùng giá trị đó; mục để trống "
        "(hoặc không có) thì dùng giá trị của tệp chung, rồi mới đến giá trị mặc định",
    ),
    BASE_SALARIES.name: (
        "effective_from",
        "theo “Áp dụng từ ngày”: dòng của cụm có cùng ngày thay cho dòng của tệp chung; các "
        "mức khác của cả hai được dùng chung",
    ),
    AWARD_FORMS.name: (
        "code",
        "theo “Mã hình thức”: dòng của cụm có cùng mã thay cả dòng của tệp chung (tên, đối "
        "tượng, hệ số…); các mã khác của cả hai được dùng chung",
    ),
}

#: The part of the dossier each sheet fills (a field of :class:`~pipeline.domain.model.Dossier`
#: or of one of its parts). The loader records the title each sheet has in the file under this
#: key (:attr:`~pipeline.domain.model.Dossier.sheets`), so rules name a sheet without
#: declaring its name again.
DOSSIER_PART: dict[str, str] = {
    CLUSTER.name: "cluster",
    DOCUMENTS.name: "documents",
    LEGAL_BASES.name: "legal_bases",
    ADDRESSEES.name: "addressees",
    UNITS.name: "units",
    CRITERIA.name: "criteria",
    SCORES.name: "scores",
    ADJUSTMENTS.name: "adjustments",
    MEETING.name: "meeting",
    ATTENDEES.name: "attendees",
    DISCUSSIONS.name: "discussions",
    VOTES.name: "votes",
    COLLECTIVE.name: "collective_proposals",
    INDIVIDUAL.name: "individual_proposals",
    ROTATION.name: "rotation",
    COVENANT.name: "covenant_targets",
    NARRATIVES.name: "narratives",
    PARAMETERS.name: "params",
    BASE_SALARIES.name: "base_salaries",
    AWARD_FORMS.name: "award_forms",
}

#: Sheets the loader knows and skips.
IGNORED_SHEETS: tuple[str, ...] = (INSTRUCTIONS_SHEET, LISTS_SHEET)


@functools.lru_cache(maxsize=4096)
def sheet_key(name: str) -> str:
    """How sheet names are compared: no diacritics, no spaces or punctuation, any case.

    So ``Đơn vị``, ``Don Vi`` and ``DONVI`` all find ``DonVi``. (Remembered: every declared
    sheet compares its names with every title of every workbook.)

    >>> sheet_key("Đơn vị") == sheet_key("DonVi") == sheet_key(" don_vi ")
    True
    """
    text = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in text.casefold() if ch.isalnum() and ch.isascii())


def sheet_names_accepted(sheet: Sheet) -> tuple[str, ...]:
    """The sheet's name, its Vietnamese title and aliases (compared with :func:`sheet_key`)."""
    return (sheet.name, sheet.title, *sheet.aliases)


def declared_sheet(title: str) -> Sheet | None:
    """The declared sheet a worksheet titled ``title`` is (by :func:`sheet_names_accepted`,
    compared with :func:`sheet_key`), or ``None`` for a sheet the format does not use.

    >>> declared_sheet("Đơn vị").name, declared_sheet("HuongDan"), declared_sheet("Tính nháp")
    ('DonVi', None, None)
    """
    return _SHEET_BY_KEY.get(sheet_key(title))


_SHEET_BY_KEY = {sheet_key(n): s for s in SHEETS for n in sheet_names_accepted(s)}


# --- cell addresses --------------------------------------------------------------------------


def column_letter(index: int) -> str:
    """The letters of a 1-based column index (``1`` → ``A``, ``28`` → ``AB``).

    >>> column_letter(1), column_letter(26), column_letter(28)
    ('A', 'Z', 'AB')
    """
    if 0 < index < len(_COLUMN_LETTERS):
        return _COLUMN_LETTERS[index]
    return _letters(index)


def _letters(index: int) -> str:
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


#: The letters of the first columns, computed once (every located cell names its column).
_COLUMN_LETTERS = tuple(_letters(i) for i in range(257))


def cell_of(sheet: str, row_index: int, header: str) -> str:
    """The cell a written row's value lands in.

    ``row_index`` is the 0-based position in the row list given to
    :func:`pipeline.workbook.xlsx_write.write_workbook`; ``header`` is a column header (for a
    key–value sheet, one of ``Mục``, ``Giá trị``, ``Ghi chú``). Row 1 holds the headers, so row
    ``i`` is written in sheet row ``i + 2``.

    >>> cell_of("DonVi", 0, "Mã đơn vị"), cell_of("ThongTinChung", 5, "Giá trị")
    ('A2', 'B7')
    """
    spec = SHEETS_BY_NAME[sheet]
    try:
        col = spec.headers.index(header) + 1
    except ValueError:
        raise KeyError(f"{sheet}: no column {header!r}") from None
    return f"{column_letter(col)}{HEADER_ROW + 1 + row_index}"


def value_cell(sheet: str, label: str) -> str:
    """The value cell of a key–value setting, when rows are written in schema order.

    :func:`pipeline.workbook.sample.sample_sheets` and the blank workbook list the settings in
    schema
    order, so this is where a setting lands unless rows were added or removed.
    """
    spec = SHEETS_BY_NAME[sheet]
    labels = [c.header for c in spec.columns]
    return cell_of(sheet, labels.index(label), KV_VALUE)
