"""A khối is not a cụm, and a blank signing date is dated by hand (issue 9).

Every workbook here is written with openpyxl and read back by the loader; every document is
rendered from the bundled templates in both layouts (HD 36 and NĐ 30).

- The Khối case is ``scripts/layout_cases.py``'s ``khoi`` (the sample's rows for "Khối thi đua
  các sở ngành kinh tế"), with the words the user typed in its text cells said of a khối too
  ("các cơ quan trong khối"), and the roles chosen as "Khối trưởng"/"Khối phó" (accepted
  spellings of the role). Nothing the program writes may then say cụm.
- The setting *Cụm hay khối* wins over the name; blank, the name decides.
- A blank *Ngày ký* prints the line to date by hand; the file properties keep a valid date.
"""

from __future__ import annotations

import copy
import functools
import importlib.util
import io
import re
import sys
import zipfile
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import docx
import pytest
from test_templates_golden import document_text

from pipeline.documents.context import build_context
from pipeline.documents.engine import CompiledTemplate
from pipeline.domain.model import ClusterKind, DocFormat, Dossier
from pipeline.domain.scoring import compute
from pipeline.resources import bundled_templates_dir
from pipeline.workbook.loader import load
from pipeline.workbook.sample import sample_sheets
from pipeline.workbook.schema import KV_KEY, KV_VALUE, SHEETS_BY_NAME, ColType, value_cell
from pipeline.workbook.xlsx_write import write_workbook

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
FORMATS = (DocFormat.PARTY, DocFormat.STATE)
CUM = re.compile(r"cụm", re.IGNORECASE)
Sheets = dict[str, list[dict[str, object]]]


def _cases() -> ModuleType:
    if "layout_cases" in sys.modules:
        return sys.modules["layout_cases"]
    spec = importlib.util.spec_from_file_location("layout_cases", SCRIPTS / "layout_cases.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["layout_cases"] = module
    spec.loader.exec_module(module)
    return module


def _said_of_a_khoi(value: object) -> object:
    if not isinstance(value, str):
        return value
    return value.replace("cụm", "khối").replace("Cụm", "Khối").replace("CỤM", "KHỐI")


def khoi_sheets() -> Sheets:
    """The layout check's Khối, its free text (the TEXT cells only) written for a khối."""
    sheets: Sheets = copy.deepcopy(_cases().khoi_sheets())
    for name, rows in sheets.items():
        spec = SHEETS_BY_NAME[name]
        by_header = {c.header: c for c in spec.columns}
        for row in rows:
            if spec.kind == "keyvalue":
                column = by_header.get(str(row[KV_KEY]))
                if column is not None and column.type is ColType.TEXT:
                    row[KV_VALUE] = _said_of_a_khoi(row[KV_VALUE])
                continue
            for header, value in row.items():
                column = by_header.get(header)
                if column is not None and column.type is ColType.TEXT:
                    row[header] = _said_of_a_khoi(value)
    roles = {"Cụm trưởng": "Khối trưởng", "Cụm phó": "Khối phó"}
    for unit in sheets["DonVi"]:
        unit["Vai trò năm thi đua"] = roles.get(str(unit["Vai trò năm thi đua"]), "Thành viên")
    return sheets


def read_back(tmp_path: Path, sheets: Sheets, name: str = "cum.xlsx") -> Dossier:
    path = tmp_path / name
    write_workbook(sheets, path)
    dossier, problems = load(path)
    errors = [str(p) for p in problems if p.is_error]
    assert dossier is not None and not errors, errors
    return dossier


@functools.cache
def templates() -> tuple[tuple[str, CompiledTemplate], ...]:
    paths = sorted(bundled_templates_dir().glob("*.docx"))
    return tuple((p.name, CompiledTemplate.compile(p)) for p in paths)


def rendered(dossier: Dossier, doc_format: DocFormat) -> dict[str, bytes]:
    one = replace(dossier, cluster=replace(dossier.cluster, doc_format=doc_format))
    context = build_context(one, compute(one))
    return {name: template.render(context) for name, template in templates()}


def every_text(data: bytes) -> str:
    """The text of every XML part of a .docx (body, headers, footers, file properties)."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    return "\n".join(
        re.sub(r"<[^>]*>", " ", archive.read(name).decode("utf-8"))
        for name in archive.namelist()
        if name.endswith(".xml")
    )


def set_kv(sheets: Sheets, sheet: str, label: str, value: object) -> None:
    rows = sheets[sheet]
    for row in rows:
        if row[KV_KEY] == label:
            row[KV_VALUE] = value
            return
    rows.append({KV_KEY: label, KV_VALUE: value})


# ---------------------------------------------------------------------------------------------
# A khối


@pytest.fixture(scope="module")
def khoi(tmp_path_factory: pytest.TempPathFactory) -> Dossier:
    return read_back(tmp_path_factory.mktemp("khoi"), khoi_sheets(), "khoi.xlsx")


def test_the_khoi_is_read_as_a_khoi(khoi: Dossier) -> None:
    assert khoi.cluster.name == "Khối thi đua các sở ngành kinh tế"
    assert khoi.cluster.declared_kind is None  # the sample's rows have no setting: the name
    assert khoi.cluster.kind is ClusterKind.KHOI


@pytest.mark.parametrize("doc_format", FORMATS, ids=[f.value for f in FORMATS])
def test_a_khoi_documents_never_say_cum(khoi: Dossier, doc_format: DocFormat) -> None:
    """Signatures, sentences, table headers, recipients, archive lines, file properties: the
    four documents of a khối say khối, never cụm, in both layouts."""
    documents = rendered(khoi, doc_format)
    assert len(documents) == 4
    for name, data in documents.items():
        found = [m.group(0) for m in re.finditer(r".{0,30}cụm.{0,30}", every_text(data), re.I)]
        assert found == [], f"{name} ({doc_format.value}) says cụm: {found}"
    text = {name: document_text(data) for name, data in documents.items()}
    tm = "T/M" if doc_format is DocFormat.PARTY else "TM."
    report, minutes, covenant, proposals = (text[name] for name in sorted(text))
    for document in (report, proposals):
        assert f"{tm} KHỐI THI ĐUA / KHỐI TRƯỞNG" in document
    archive = "Lưu hồ sơ khối" if doc_format is DocFormat.PARTY else "Lưu: VT, Hồ sơ khối"
    assert f"- Các cơ quan trong khối; / - {archive}." in report
    assert "là Khối trưởng, Văn phòng Tỉnh ủy là Khối phó." in report
    assert "9/9 cơ quan trong khối đạt số điểm" in report
    assert "4. Hoạt động chung của khối" in report
    for document in (report, minutes):
        assert "| Khối chấm |" in document
    assert "bầu Khối trưởng, Khối phó năm 2014" in minutes
    assert "có mặt 9/9 cơ quan trong khối" in minutes
    assert "Bầu Văn phòng Tỉnh ủy làm Khối trưởng, Ban Tổ chức Tỉnh ủy làm Khối phó" in minutes
    assert "(Khối trưởng) và Ban Tổ chức Tỉnh ủy (Khối phó)" in covenant
    assert "Thủ trưởng các cơ quan trong khối quán triệt" in covenant


def test_a_cum_keeps_its_words(tmp_path: Path) -> None:
    """The same workbook under a cụm's name says cụm (the sample's golden texts hold the rest)."""
    sheets = khoi_sheets()
    set_kv(sheets, "ThongTinChung", "Tên cụm thi đua", "Cụm thi đua các sở ngành kinh tế")
    dossier = read_back(tmp_path, sheets)
    assert dossier.cluster.kind is ClusterKind.CUM
    report = document_text(rendered(dossier, DocFormat.STATE)["01-bao-cao-tong-ket.docx"])
    assert "TM. CỤM THI ĐUA / CỤM TRƯỞNG" in report
    assert "- Lưu: VT, Hồ sơ cụm." in report


@pytest.mark.parametrize(
    ("name", "setting", "kind"),
    [
        ("Cụm thi đua số 3", "Khối", ClusterKind.KHOI),
        ("Khối thi đua các sở ngành kinh tế", "Cụm", ClusterKind.CUM),
        ("Khối thi đua các sở ngành kinh tế", "Khối thi đua", ClusterKind.KHOI),
        ("KHỐI THI ĐUA SỐ 2", None, ClusterKind.KHOI),
        ("Cụm thi đua Khối Đảng", None, ClusterKind.CUM),
    ],
)
def test_the_setting_wins_over_the_name(
    tmp_path: Path, name: str, setting: str | None, kind: ClusterKind
) -> None:
    sheets = sample_sheets()
    set_kv(sheets, "ThongTinChung", "Tên cụm thi đua", name)
    set_kv(sheets, "ThongTinChung", "Cụm hay khối", setting)
    dossier = read_back(tmp_path, sheets)
    assert dossier.cluster.kind is kind
    context = build_context(dossier, compute(dossier))
    word = kind.word
    assert (context["loai_cum"], context["loai_cum_hoa"], context["loai_cum_in_hoa"]) == (
        word, word.capitalize(), word.upper()
    )  # fmt: skip
    assert context["ky"]["bao_cao"]["dong"][:2] == [  # type: ignore[index]
        f"T/M {word.upper()} THI ĐUA",
        f"{word.upper()} TRƯỞNG",
    ]


def test_a_kind_that_is_neither_is_a_located_error(tmp_path: Path) -> None:
    sheets = sample_sheets()
    set_kv(sheets, "ThongTinChung", "Cụm hay khối", "Liên minh")
    path = tmp_path / "cum.xlsx"
    write_workbook(sheets, path)
    _, problems = load(path)
    errors = [p for p in problems if p.is_error]
    assert [(p.location.sheet, p.location.cell) for p in errors] == [
        ("ThongTinChung", value_cell("ThongTinChung", "Cụm hay khối"))
    ]
    assert "Cụm; Khối" in errors[0].hint


# ---------------------------------------------------------------------------------------------
# A document dated by hand


def test_a_blank_signing_date_prints_the_line_to_date_by_hand(tmp_path: Path) -> None:
    sheets = sample_sheets()
    for row in sheets["VanBan"]:
        if row["Văn bản"] == "Báo cáo tổng kết":
            row["Ngày ký"] = None
    dossier = read_back(tmp_path, sheets)
    for doc_format in FORMATS:
        documents = rendered(dossier, doc_format)
        report = document_text(documents["01-bao-cao-tong-ket.docx"])
        assert "Lạng Sơn, ngày … tháng … năm 20…" in report
        assert "ngày 10 tháng 01 năm 2014" not in report  # no date is made up
        covenant = document_text(documents["03-giao-uoc-thi-dua.docx"])
        assert "Lạng Sơn, ngày 10 tháng 01 năm 2014" in covenant  # the others keep their date
        # the file properties stay valid: Word opens the file, the date is the meeting's
        properties = docx.Document(io.BytesIO(documents["01-bao-cao-tong-ket.docx"]))
        created = properties.core_properties.created
        assert created is not None and created.date().isoformat() == "2014-01-10"
        assert properties.core_properties.modified == created


def test_a_khoi_names_its_head_and_deputy_khoi_truong_and_khoi_pho(tmp_path: Path) -> None:
    """A khối's secretary writes the LuanPhien settings in the khối's words."""
    sheets = khoi_sheets()
    for row in sheets["LuanPhien"]:
        row[KV_KEY] = {"Cụm trưởng": "Khối trưởng", "Cụm phó": "Khối phó"}.get(
            str(row[KV_KEY]), row[KV_KEY]
        )
    assert {"Khối trưởng", "Khối phó"} <= {row[KV_KEY] for row in sheets["LuanPhien"]}
    dossier = read_back(tmp_path, sheets)
    assert dossier.rotation is not None
    assert (dossier.rotation.head, dossier.rotation.deputy) == ("VPTU", "BTCTU")
