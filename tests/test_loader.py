"""The loader on real .xlsx files: the sample's story, and one test per reading problem.

Every workbook here is written with :func:`pipeline.workbook.xlsx_write.write_workbook` from a
mutated copy of :func:`pipeline.workbook.sample.sample_sheets`, or edited afterwards with openpyxl
for what rows cannot express (fonts, merged cells, hidden rows, deleted sheets, cached formula
values), and read back with :func:`pipeline.workbook.loader.load`. No mocks.
"""

from __future__ import annotations

import re
import time
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from datetime import time as clock
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font

from pipeline.domain.model import DocFormat, Dossier, Role
from pipeline.domain.scoring import compute
from pipeline.errors import Problem
from pipeline.resources import bundled_inputs_dir
from pipeline.workbook.loader import load
from pipeline.workbook.sample import sample_sheets
from pipeline.workbook.schema import SAMPLE_FILE, cell_of, value_cell
from pipeline.workbook.values import ParseError, number_value, parse_number_text, ratio_value
from pipeline.workbook.xlsx_write import write_workbook

Sheets = dict[str, list[dict[str, object]]]
Key = tuple[str, str, str | None, str | None]


def write(tmp_path: Path, mutate: Callable[[Sheets], None] | None = None) -> Path:
    sheets = sample_sheets()
    if mutate is not None:
        mutate(sheets)
    path = tmp_path / "cum.xlsx"
    write_workbook(sheets, path)
    return path


def edit(path: Path, change: Callable[[openpyxl.Workbook], None]) -> Path:
    """Change a written workbook with openpyxl (fonts, merges, hidden rows, sheets)."""
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)
    return path


def keys(problems: list[Problem]) -> list[Key]:
    return [(p.severity, p.code, p.location.sheet, p.location.cell) for p in problems]


def kv(sheets: Sheets, sheet: str, label: str) -> dict[str, object]:
    return next(row for row in sheets[sheet] if row["Mục"] == label)


def loaded(tmp_path: Path, mutate: Callable[[Sheets], None]) -> tuple[Dossier, list[Problem]]:
    dossier, problems = load(write(tmp_path, mutate))
    assert dossier is not None, "\n".join(map(str, problems))
    return dossier, problems


# --- the sample -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> tuple[Dossier | None, list[Problem]]:
    return load(bundled_inputs_dir() / SAMPLE_FILE)


def test_the_committed_sample_loads_without_any_problem(
    sample: tuple[Dossier | None, list[Problem]],
) -> None:
    dossier, problems = sample
    assert problems == []
    assert dossier is not None
    assert dossier.path.endswith(SAMPLE_FILE)
    assert dossier.cluster.src.file == SAMPLE_FILE  # the name, never an absolute path


def test_the_sample_tells_the_story(sample: tuple[Dossier | None, list[Problem]]) -> None:
    dossier = sample[0]
    assert dossier is not None
    cluster = dossier.cluster
    assert cluster.name == "Cụm thi đua các Ban Đảng thuộc Tỉnh ủy Lạng Sơn"
    assert (cluster.year, cluster.covenant_year, cluster.max_score) == (2013, 2014, D(1000))
    assert cluster.doc_format is DocFormat.PARTY
    assert cluster.parent_body == "TỈNH ỦY LẠNG SƠN"
    assert len(dossier.units) == 9
    assert dossier.head is not None and dossier.head.code == "BBVCSSK"
    assert dossier.head.full_name == "Ban Bảo vệ, chăm sóc sức khỏe cán bộ tỉnh"
    assert dossier.head.deputy_signs
    meeting = dossier.meeting
    assert (meeting.date, meeting.start, meeting.end) == (date(2014, 1, 10), clock(14), clock(17))
    assert "Ban Bảo vệ, chăm sóc sức khỏe cán bộ tỉnh" in meeting.venue
    present = {a.unit for a in meeting.attendees if a.present and not a.guest}
    assert present == {u.code for u in dossier.units}
    assert any(a.guest for a in meeting.attendees)
    assert any(d.unit == "BTGTU" for d in meeting.discussions)
    assert (dossier.rotation.year, dossier.rotation.head, dossier.rotation.deputy) == (
        2014,
        "VPTU",
        "BTCTU",
    )
    assert 5 <= len(dossier.covenant_targets) <= 8
    limitations = [n.text for n in dossier.narratives if n.section == "han_che"]
    assert any("đơn điệu" in text and "điển hình tiên tiến" in text for text in limitations)
    assert set(dossier.cluster.documents) == {"bao_cao", "bien_ban", "giao_uoc", "danh_sach"}
    assert all(d.signing_date == date(2014, 1, 10) for d in dossier.cluster.documents.values())
    salaries = {(s.amount, s.effective_from) for s in dossier.params.base_salaries}
    assert (D(1_150_000), date(2013, 7, 1)) in salaries
    assert (D(2_340_000), date(2024, 7, 1)) in salaries


def test_the_sample_ranks_as_the_story_says(sample: tuple[Dossier | None, list[Problem]]) -> None:
    dossier = sample[0]
    assert dossier is not None
    results = compute(dossier)
    groups = [(g.rank, [r.unit.code for r in g.units]) for g in results.groups[:3]]
    assert groups == [(1, ["BBVCSSK"]), (2, ["BDVTU"]), (3, ["VPTU", "BTGTU"])]
    assert results.min_total == D(973)
    assert results.count_at_least(D(973)) == 9
    flags = [a for a in results.collective_awards if a.form.is_flag]
    assert [a.proposal.unit for a in flags] == ["BBVCSSK"]
    assert all(results.votes[code].passed for code in results.votes)


def test_the_committed_sample_is_what_the_sample_rows_give(
    tmp_path: Path, sample: tuple[Dossier | None, list[Problem]]
) -> None:
    committed = sample[0]
    path = tmp_path / SAMPLE_FILE
    write_workbook(sample_sheets(), path)
    fresh, problems = load(path)
    assert problems == []
    assert fresh is not None and committed is not None
    assert replace(fresh, path="") == replace(committed, path="")


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("973,5", "973.5"),
        ("1.000", "1000"),
        ("1.150.000", "1150000"),
        ("1.000,25", "1000.25"),
        ("0,125", "0.125"),
        ("95", "95"),
        (" 98,5 ", "98.5"),
        ("-2", "-2"),
        ("1 000", "1000"),
    ],
)
def test_vietnamese_number_text_is_read_exactly(text: str, expected: str) -> None:
    assert parse_number_text(text) == D(expected)
    assert str(parse_number_text(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "1.5",
        "12.50",
        "1,000",
        "973,250",
        "1,000.5",
        "1.000.5",
        "95đ",
        "95 điểm",
        "9 5",
        "",
        "1e3",
        "0.5",
        ",5",
        "1..000",
    ],
)
def test_ambiguous_or_decorated_number_text_is_refused(text: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_number_text(text)
    assert info.value.hint


def test_floats_from_numeric_cells_stay_exact() -> None:
    assert number_value(973.5) == D("973.5")
    assert str(number_value(0.1 + 0.2)) == "0.30000000000000004"  # what the cell holds
    assert str(number_value(1000.0)) == "1000"
    with pytest.raises(ParseError):
        number_value(float("nan"))
    with pytest.raises(ParseError):
        number_value(True)


def test_a_score_typed_as_vietnamese_text_is_accepted(tmp_path: Path) -> None:
    def mutate(sheets: Sheets) -> None:
        sheets["ChamDiem"][0]["Điểm tự chấm"] = "197,5"
        sheets["ChamDiem"][0]["Điểm cụm chấm"] = "197,5"
        kv(sheets, "ThongTinChung", "Thang điểm")["Giá trị"] = "1.000"

    dossier, problems = loaded(tmp_path, mutate)
    assert problems == []
    assert dossier.scores[0].self_score == D("197.5")
    assert dossier.scores[0].cluster_score == D("197.5")
    assert dossier.cluster.max_score == D(1000)


def test_a_float_score_stays_exact(tmp_path: Path) -> None:
    dossier, problems = loaded(
        tmp_path, lambda s: s["ChamDiem"][1].update({"Điểm cụm chấm": 245.5})
    )
    assert problems == []
    assert str(dossier.scores[1].cluster_score) == "245.5"


@pytest.mark.parametrize("text", ["1.5", "95đ"])
def test_an_ambiguous_or_decorated_score_is_reported_at_its_cell(tmp_path: Path, text: str) -> None:
    dossier, problems = loaded(tmp_path, lambda s: s["ChamDiem"][0].update({"Điểm cụm chấm": text}))
    cell = cell_of("ChamDiem", 0, "Điểm cụm chấm")
    assert keys(problems) == [("error", "number-format", "ChamDiem", cell)]
    assert f"cum.xlsx › ChamDiem!{cell}: " in str(problems[0])
    assert problems[0].hint
    assert dossier.scores[0].cluster_score is None  # never zero


def test_a_blank_score_is_none_not_zero(tmp_path: Path) -> None:
    dossier, problems = loaded(tmp_path, lambda s: s["ChamDiem"][0].update({"Điểm cụm chấm": None}))
    assert problems == []  # a missing score is the validator's B8
    assert dossier.scores[0].cluster_score is None


def test_a_blank_required_cell_is_reported(tmp_path: Path) -> None:
    dossier, problems = loaded(tmp_path, lambda s: s["DonVi"][3].update({"Tên đầy đủ": None}))
    assert keys(problems) == [
        ("error", "required-blank", "DonVi", cell_of("DonVi", 3, "Tên đầy đủ"))
    ]
    assert dossier.units[3].code == "BTGTU"  # the unit stays, so references to it still work
    assert dossier.units[3].full_name == ""


def test_a_blank_required_number_is_never_zero(tmp_path: Path) -> None:
    path = write(
        tmp_path, lambda s: kv(s, "ThongTinChung", "Năm thi đua").update({"Giá trị": None})
    )
    dossier, problems = load(path)
    assert keys(problems) == [
        ("error", "required-blank", "ThongTinChung", value_cell("ThongTinChung", "Năm thi đua"))
    ]
    assert "không được hiểu là 0" in problems[0].message
    # a year cannot be guessed: it is unknown, and the rest of the workbook is still judged
    assert dossier is not None and dossier.cluster.year is None


# --- units -----------------------------------------------------------------------------------


def test_an_unknown_unit_code_is_reported_and_the_row_left_out(tmp_path: Path) -> None:
    dossier, problems = loaded(tmp_path, lambda s: s["ChamDiem"][0].update({"Mã đơn vị": "XYZ"}))
    assert keys(problems) == [("error", "unit-unknown", "ChamDiem", "A2")]
    assert "VPTU" in problems[0].hint
    assert len(dossier.scores) == 89


def test_an_alias_with_the_new_tone_placement_finds_the_unit(tmp_path: Path) -> None:
    def mutate(sheets: Sheets) -> None:
        sheets["ChamDiem"][30]["Mã đơn vị"] = "Ban TG Tỉnh uỷ"  # declared as "Ban TG Tỉnh ủy"
        sheets["ChamDiem"][31]["Mã đơn vị"] = "ban tuyên giáo tỉnh uỷ"  # the full name
        sheets["ChamDiem"][32]["Mã đơn vị"] = " btgtu "  # the code, any case

    dossier, problems = loaded(tmp_path, mutate)
    assert [s.unit for s in dossier.scores[30:33]] == ["BTGTU"] * 3
    assert keys(problems) == [
        ("info", "unit-alias", "ChamDiem", "A32"),
        ("info", "unit-alias", "ChamDiem", "A33"),
    ]


def test_a_name_shared_by_two_units_is_ambiguous(tmp_path: Path) -> None:
    def mutate(sheets: Sheets) -> None:
        sheets["DonVi"][0]["Tên gọi khác"] = "Ban Đảng"
        sheets["DonVi"][1]["Tên gọi khác"] = "Ban Đảng"
        sheets["ChamDiem"][0]["Mã đơn vị"] = "Ban Đảng"

    _, problems = loaded(tmp_path, mutate)
    assert keys(problems) == [("error", "unit-ambiguous", "ChamDiem", "A2")]


def test_nfd_text_is_normalised(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "Ban Tuyên giáo Tỉnh ủy")
    assert nfd != "Ban Tuyên giáo Tỉnh ủy"

    def mutate(sheets: Sheets) -> None:
        sheets["DonVi"][3]["Tên đầy đủ"] = nfd
        sheets["ChamDiem"][0]["Lý do điều chỉnh"] = unicodedata.normalize("NFD", "Chậm  tiến độ")

    dossier, problems = loaded(tmp_path, mutate)
    assert problems == []
    assert dossier.units[3].full_name == "Ban Tuyên giáo Tỉnh ủy"
    assert dossier.scores[0].reason == "Chậm tiến độ"


# --- legacy fonts ----------------------------------------------------------------------------


def test_text_in_a_tcvn3_or_vni_font_is_converted_with_a_warning(tmp_path: Path) -> None:
    venue = value_cell("HoiNghi", "Địa điểm")
    place = value_cell("ThongTinChung", "Địa danh")

    def change(wb: openpyxl.Workbook) -> None:
        wb["HoiNghi"][venue].value = "Uû ban nh©n d©n tØnh L¹ng S¬n"
        wb["HoiNghi"][venue].font = Font(name=".VnTime")
        wb["DonVi"]["B5"].value = "Ban Tuyên giáo Tỉnh ủy"  # Unicode typed in an old font
        wb["DonVi"]["B5"].font = Font(name=".VnTime")
        wb["ThongTinChung"][place].value = "Laïng Sôn"
        wb["ThongTinChung"][place].font = Font(name="VNI-Times")

    dossier, problems = load(edit(write(tmp_path), change))
    assert dossier is not None
    assert dossier.meeting.venue == "Uỷ ban nhân dân tỉnh Lạng Sơn"
    assert dossier.cluster.place == "Lạng Sơn"
    assert dossier.units[3].full_name == "Ban Tuyên giáo Tỉnh ủy"
    assert keys(problems) == [
        ("warning", "legacy-font", "ThongTinChung", place),
        ("warning", "legacy-font", "HoiNghi", venue),
    ]
    assert venue in problems[1].message and ".VnTime" in problems[1].message


# --- formulas --------------------------------------------------------------------------------


def _with_cached_value(path: Path, sheet_index: int, cell: str, cached: str) -> None:
    """Give one formula cell a cached value, as Excel would have saved it."""
    part = f"xl/worksheets/sheet{sheet_index}.xml"
    with zipfile.ZipFile(path) as source:
        items = {info.filename: source.read(info.filename) for info in source.infolist()}
    xml = items[part].decode("utf-8")
    xml, count = re.subn(
        rf'(<c r="{cell}"[^>]*>\s*<f>[^<]*</f>)\s*(?:<v\s*/>|<v></v>)?',
        rf"\1<v>{cached}</v>",
        xml,
    )
    assert count == 1
    items[part] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in items.items():
            target.writestr(name, data)


def test_a_formula_uses_its_cached_value(tmp_path: Path) -> None:
    path = write(tmp_path, lambda s: s["ChamDiem"][0].update({"Điểm cụm chấm": "=C2-1"}))
    sheet_index = sample_sheets_order().index("ChamDiem") + 2  # after HuongDan
    _with_cached_value(path, sheet_index, "D2", "197.0")
    dossier, problems = load(path)
    assert dossier is not None
    assert problems == []
    assert dossier.scores[0].cluster_score == D(197)


def test_a_stale_formula_is_reported_with_both_values(tmp_path: Path) -> None:
    """A cached value that no longer follows from the cells (the self-score changed after Excel
    last calculated) is an error, not a silently wrong score."""
    path = write(tmp_path, lambda s: s["ChamDiem"][0].update({"Điểm cụm chấm": "=C2-1"}))
    sheet_index = sample_sheets_order().index("ChamDiem") + 2  # after HuongDan
    _with_cached_value(path, sheet_index, "D2", "196.5")  # C2 - 1 is 197 now
    dossier, problems = load(path)
    assert dossier is not None
    assert keys(problems) == [("error", "formula-stale", "ChamDiem", "D2")]
    assert "196,5" in problems[0].message and "197" in problems[0].message
    assert dossier.scores[0].cluster_score is None


def sample_sheets_order() -> list[str]:
    from pipeline.workbook.schema import SHEETS

    return [s.name for s in SHEETS]


def test_a_formula_without_cached_value_is_computed(tmp_path: Path) -> None:
    def mutate(sheets: Sheets) -> None:
        sheets["TieuChi"][0]["Điểm tối đa"] = "=SUM(D3:D5)"  # group I = 200 + 250 + 100
        sheets["ChamDiem"][0]["Điểm cụm chấm"] = "=C2"  # the self-score
        sheets["ChamDiem"][1]["Điểm cụm chấm"] = "=C3+C4-C4*2+D4"

    dossier, problems = loaded(tmp_path, mutate)
    assert problems == []
    assert dossier.criteria[0].max_points == D(550)
    assert dossier.scores[0].cluster_score == D(198)
    assert dossier.scores[1].cluster_score == D(246) + D(97) - D(97) * 2 + D(97)


@pytest.mark.parametrize("formula", ["=VLOOKUP(A2,B:C,2,0)", "=1/0", "=DonVi!A2", '=C2&"x"'])
def test_a_formula_that_cannot_be_computed_is_reported(tmp_path: Path, formula: str) -> None:
    dossier, problems = loaded(
        tmp_path, lambda s: s["ChamDiem"][0].update({"Điểm cụm chấm": formula})
    )
    assert keys(problems) == [("error", "formula-no-cache", "ChamDiem", "D2")]
    assert formula in problems[0].message
    assert dossier.scores[0].cluster_score is None


def test_an_excel_error_value_is_reported(tmp_path: Path) -> None:
    dossier, problems = loaded(
        tmp_path, lambda s: s["ChamDiem"][0].update({"Điểm cụm chấm": "#N/A"})
    )
    assert keys(problems) == [("error", "cell-error", "ChamDiem", "D2")]
    assert dossier.scores[0].cluster_score is None


# --- the file --------------------------------------------------------------------------------


def test_a_missing_file(tmp_path: Path) -> None:
    dossier, problems = load(tmp_path / "khong-co.xlsx")
    assert dossier is None
    assert keys(problems) == [("error", "file-missing", None, None)]
    assert problems[0].location.file == "khong-co.xlsx"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"Ma don vi;Diem\nBTG;150\n", "file-format"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "file-format"),  # an old .xls
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
            + "EncryptedPackage".encode("utf-16-le")
            + b"\0" * 64,
            "file-encrypted",
        ),
        (b"PK\x03\x04 broken", "file-corrupt"),
        (b"", "file-format"),
    ],
)
def test_a_file_that_is_not_a_workbook(tmp_path: Path, content: bytes, code: str) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    dossier, problems = load(path)
    assert dossier is None
    assert keys(problems) == [("error", code, None, None)]
    assert problems[0].hint


def test_a_zip_without_workbook_parts(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    assert keys(load(path)[1]) == [("error", "file-format", None, None)]


def test_a_workbook_with_broken_parts(tmp_path: Path) -> None:
    path = write(tmp_path)
    with zipfile.ZipFile(path) as source:
        items = {i.filename: source.read(i.filename) for i in source.infolist()}
    items["xl/workbook.xml"] = b"<workbook>not really"
    with zipfile.ZipFile(path, "w") as target:
        for name, data in items.items():
            target.writestr(name, data)
    dossier, problems = load(path)
    assert dossier is None
    assert keys(problems) == [("error", "file-corrupt", None, None)]


def test_a_truncated_workbook(tmp_path: Path) -> None:
    path = write(tmp_path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    dossier, problems = load(path)
    assert dossier is None
    assert [p.code for p in problems] == ["file-corrupt"]


def test_a_directory_is_not_a_workbook(tmp_path: Path) -> None:
    assert keys(load(tmp_path)[1]) == [("error", "file-format", None, None)]


# --- sheets and headers ----------------------------------------------------------------------


def test_a_missing_sheet(tmp_path: Path) -> None:
    path = edit(write(tmp_path), lambda wb: wb.remove(wb["DonVi"]))
    dossier, problems = load(path)
    assert dossier is not None and dossier.unreadable == {"units"}
    assert ("error", "sheet-missing", "DonVi", None) in keys(problems)


def test_a_missing_optional_sheet_is_a_warning(tmp_path: Path) -> None:
    dossier, problems = load(edit(write(tmp_path), lambda wb: wb.remove(wb["PhatBieu"])))
    assert dossier is not None
    assert keys(problems) == [("warning", "sheet-missing", "PhatBieu", None)]
    assert dossier.meeting.discussions == ()


def test_the_sample_legal_bases_and_recipients(
    sample: tuple[Dossier | None, list[Problem]],
) -> None:
    dossier = sample[0]
    assert dossier is not None
    assert [b.documents for b in dossier.legal_bases] == [("giao_uoc",)] * 3
    assert dossier.legal_bases[0].text.startswith("Luật Thi đua, khen thưởng ngày 26 tháng 11")
    assert "42/2010/NĐ-CP" in dossier.legal_bases[1].text
    assert [b.order for b in dossier.legal_bases] == [1, 2, 3]
    assert str(dossier.legal_bases[2].src.at("text")) == f"{SAMPLE_FILE} › CanCu!B4"
    assert [(a.documents, a.text) for a in dossier.addressees] == [
        (("bao_cao",), "Thường trực Hội đồng Thi đua – Khen thưởng tỉnh (b/c)"),
        (("bao_cao",), "Các cơ quan trong cụm"),
    ]


@pytest.mark.parametrize("sheet", ["CanCu", "NoiNhan"])
def test_an_absent_legal_basis_or_recipient_sheet_means_the_defaults(
    tmp_path: Path, sheet: str
) -> None:
    dossier, problems = load(edit(write(tmp_path), lambda wb: wb.remove(wb[sheet])))
    assert dossier is not None
    assert keys(problems) == [("warning", "sheet-missing", sheet, None)]
    assert getattr(dossier, "legal_bases" if sheet == "CanCu" else "addressees") == ()


def test_blank_legal_basis_and_recipient_sheets_mean_the_defaults(tmp_path: Path) -> None:
    def empty(sheets: Sheets) -> None:
        sheets["CanCu"] = []
        sheets["NoiNhan"] = []

    dossier, problems = loaded(tmp_path, empty)
    assert problems == []
    assert (dossier.legal_bases, dossier.addressees) == ((), ())


def test_a_blank_document_means_every_document(tmp_path: Path) -> None:
    def blank(sheets: Sheets) -> None:
        sheets["CanCu"][2]["Văn bản"] = None
        sheets["NoiNhan"][0]["Văn bản"] = "tất cả văn bản"

    dossier, problems = loaded(tmp_path, blank)
    assert problems == []
    assert dossier.legal_bases[2].documents == ("bao_cao", "bien_ban", "giao_uoc", "danh_sach")
    assert dossier.addressees[0].documents == ("bao_cao", "bien_ban", "giao_uoc", "danh_sach")


def test_an_unknown_document_is_reported_and_the_row_left_out(tmp_path: Path) -> None:
    dossier, problems = loaded(tmp_path, lambda s: s["CanCu"][1].update({"Văn bản": "Tờ trình"}))
    assert keys(problems) == [("error", "value-format", "CanCu", cell_of("CanCu", 1, "Văn bản"))]
    assert "“Tờ trình” không có trong danh sách" in problems[0].message
    assert "Giao ước thi đua" in problems[0].hint and "Tất cả" in problems[0].hint
    assert [b.order for b in dossier.legal_bases] == [1, 3]


def test_a_blank_recipient_is_reported(tmp_path: Path) -> None:
    dossier, problems = loaded(tmp_path, lambda s: s["NoiNhan"][1].update({"Nơi nhận": None}))
    assert keys(problems) == [
        ("error", "required-blank", "NoiNhan", cell_of("NoiNhan", 1, "Nơi nhận"))
    ]
    assert len(dossier.addressees) == 1


def test_a_legal_basis_sheet_named_can_cu_is_found(tmp_path: Path) -> None:
    def rename(wb: openpyxl.Workbook) -> None:
        wb["CanCu"].title = "Căn cứ"

    dossier, problems = load(edit(write(tmp_path), rename))
    assert problems == []
    assert dossier is not None and len(dossier.legal_bases) == 3


def test_a_sheet_named_with_diacritics_is_found(tmp_path: Path) -> None:
    def rename(wb: openpyxl.Workbook) -> None:
        wb["DonVi"].title = "Đơn vị"

    dossier, problems = load(edit(write(tmp_path), rename))
    assert problems == []
    assert dossier is not None and dossier.units[0].src.sheet == "Đơn vị"


def test_a_renamed_header_is_reported_with_a_suggestion(tmp_path: Path) -> None:
    def rename(wb: openpyxl.Workbook) -> None:
        wb["DonVi"]["G1"].value = "Thủ trưởng họ tên"

    dossier, problems = load(edit(write(tmp_path), rename))
    assert dossier is not None and dossier.unreadable == {"units"}
    assert keys(problems) == [
        ("error", "header-missing", "DonVi", None),
        ("warning", "header-unknown", "DonVi", "G1"),
    ]
    assert "Thủ trưởng họ tên" in problems[0].hint


def test_a_renamed_score_column_is_an_error_even_if_its_cells_may_be_blank(
    tmp_path: Path,
) -> None:
    path = edit(write(tmp_path), lambda wb: setattr(wb["ChamDiem"]["D1"], "value", "Điểm CC"))
    dossier, problems = load(path)
    assert dossier is not None and dossier.unreadable == {"scores"}
    assert ("error", "header-missing", "ChamDiem", None) in keys(problems)


def test_headers_are_matched_loosely_and_columns_may_move(tmp_path: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb["DonVi"]
        ws["A1"].value = "  mã  ĐƠN VỊ "
        ws.move_range("J1:J20", cols=2)  # "Người ký thay: chức vụ" moves from J to L

    dossier, problems = load(edit(write(tmp_path), change))
    assert problems == []
    assert dossier is not None
    unit = dossier.units[6]
    assert unit.signer_title == "Phó Trưởng ban Thường trực"
    assert unit.src.at("signer_title").cell == "L8"


def test_a_title_row_above_the_headers_is_tolerated(tmp_path: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        wb["DonVi"].insert_rows(1)
        wb["DonVi"]["A1"].value = "DANH SÁCH ĐƠN VỊ"

    dossier, problems = load(edit(write(tmp_path), change))
    assert problems == []
    assert dossier is not None and dossier.units[0].src.at("code").cell == "A3"


def test_merged_header_cells_are_an_error(tmp_path: Path) -> None:
    dossier, problems = load(edit(write(tmp_path), lambda wb: wb["ChamDiem"].merge_cells("C1:D1")))
    assert dossier is not None and dossier.unreadable == {"scores"}
    assert keys(problems) == [
        ("error", "header-missing", "ChamDiem", None),
        ("error", "header-merged", "ChamDiem", "C1:D1"),
    ]


def test_merged_data_cells_spread_their_value_with_a_warning(tmp_path: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        wb["ChamDiem"].merge_cells("A2:A11")  # VPTU's ten rows, a common layout

    dossier, problems = load(edit(write(tmp_path), change))
    assert dossier is not None
    assert keys(problems) == [("warning", "merged-cells", "ChamDiem", "A2:A11")]
    assert [s.unit for s in dossier.scores[:10]] == ["VPTU"] * 10


def test_hidden_rows_are_read_with_a_warning(tmp_path: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        wb["DonVi"].row_dimensions[4].hidden = True

    dossier, problems = load(edit(write(tmp_path), change))
    assert dossier is not None
    assert len(dossier.units) == 9
    assert keys(problems) == [("warning", "hidden-rows", "DonVi", "A4")]


# --- key–value sheets ------------------------------------------------------------------------


def test_key_value_rows_may_move_and_unknown_keys_are_warned(tmp_path: Path) -> None:
    def mutate(sheets: Sheets) -> None:
        sheets["HoiNghi"].reverse()
        sheets["HoiNghi"].append({"Mục": "Trang phục", "Giá trị": "Áo dài"})

    dossier, problems = loaded(tmp_path, mutate)
    assert dossier.meeting.end == clock(17)
    assert keys(problems) == [("warning", "key-unknown", "HoiNghi", "A12")]


def test_a_missing_or_repeated_key(tmp_path: Path) -> None:
    def mutate(sheets: Sheets) -> None:
        sheets["ThongTinChung"] = [r for r in sheets["ThongTinChung"] if r["Mục"] != "Địa danh"]
        sheets["ThongTinChung"].append({"Mục": "Năm thi đua", "Giá trị": 2012})

    dossier, problems = loaded(tmp_path, mutate)
    assert keys(problems) == [
        ("error", "key-missing", "ThongTinChung", None),
        ("error", "key-duplicate", "ThongTinChung", "A9"),
    ]
    assert dossier.cluster.year == 2013  # the first one counts


def test_parameters_default_when_blank_and_read_ratios(tmp_path: Path) -> None:
    def mutate(sheets: Sheets) -> None:
        kv(sheets, "ThamSo", "Ngưỡng thông qua biểu quyết")["Giá trị"] = "80%"
        kv(sheets, "ThamSo", "Tỷ lệ có mặt tối thiểu")["Giá trị"] = None
        kv(sheets, "ThamSo", "Cách xếp hạng khi bằng điểm")["Giá trị"] = "liên tiếp"

    dossier, problems = loaded(tmp_path, mutate)
    assert problems == []
    assert dossier.params.vote_threshold == D("0.8")
    assert dossier.params.quorum == D(2) / D(3)
    assert dossier.params.rank_method.value == "lien_tiep"


def test_a_ratio_out_of_range_is_refused() -> None:
    with pytest.raises(ParseError):
        ratio_value("150%")
    with pytest.raises(ParseError):
        ratio_value(50)


# --- dates, times and choices ----------------------------------------------------------------


def test_dates_and_times_typed_as_text(tmp_path: Path) -> None:
    def mutate(sheets: Sheets) -> None:
        kv(sheets, "HoiNghi", "Ngày họp")["Giá trị"] = "10/01/2014"
        kv(sheets, "HoiNghi", "Giờ bắt đầu")["Giá trị"] = "14h00"
        kv(sheets, "HoiNghi", "Giờ kết thúc")["Giá trị"] = "17 giờ 30 phút"

    dossier, problems = loaded(tmp_path, mutate)
    assert problems == []
    meeting = dossier.meeting
    assert (meeting.date, meeting.start, meeting.end) == (
        date(2014, 1, 10),
        clock(14),
        clock(17, 30),
    )


def test_an_impossible_date_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, lambda s: s["VanBan"][0].update({"Ngày ký": "31/02/2014"}))
    dossier, problems = load(path)
    assert keys(problems) == [("error", "value-format", "VanBan", "E2")]
    assert dossier is not None
    assert dossier.cluster.documents["bao_cao"].signing_date is None


def test_a_value_outside_a_list_is_reported_and_the_default_kept(tmp_path: Path) -> None:
    dossier, problems = loaded(
        tmp_path, lambda s: s["DonVi"][0].update({"Vai trò năm thi đua": "Trưởng"})
    )
    assert keys(problems) == [("error", "value-format", "DonVi", "F2")]
    assert "Cụm trưởng" in problems[0].hint
    assert dossier.units[0].role is Role.MEMBER


def test_an_award_form_code_used_twice(tmp_path: Path) -> None:
    dossier, problems = loaded(
        tmp_path, lambda s: s["HinhThuc"][2].update({"Mã hình thức": "BK_UBND_TT"})
    )
    assert keys(problems) == [("error", "award-form-duplicate", "HinhThuc", "A4")]
    assert dossier.params.award_forms["BK_UBND_TT"].recipient.value == "tap_the"


# --- size ------------------------------------------------------------------------------------


def test_a_stray_value_far_below_the_data_is_not_read_but_warned(tmp_path: Path) -> None:
    path = edit(write(tmp_path), lambda wb: setattr(wb["ChamDiem"]["A100000"], "value", "x"))
    started = time.perf_counter()
    dossier, problems = load(path)
    assert time.perf_counter() - started < 5
    assert dossier is not None
    assert keys(problems) == [("warning", "rows-ignored", "ChamDiem", "A292")]


def test_a_sheet_of_100_000_rows_is_refused_quickly(tmp_path: Path) -> None:
    path = write(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["GiaoUoc"]
    for row in range(10, 100_010):
        ws.cell(row, 1, "x")
    wb.save(path)
    started = time.perf_counter()
    dossier, problems = load(path)
    assert time.perf_counter() - started < 10
    assert dossier is not None and dossier.unreadable == {"covenant_targets"}
    assert keys(problems) == [("error", "too-many-rows", "GiaoUoc", None)]


def test_many_problems_of_one_kind_are_summarised(tmp_path: Path) -> None:
    def mutate(sheets: Sheets) -> None:
        for row in sheets["ChamDiem"]:
            row["Điểm cụm chấm"] = "95đ"

    _, problems = loaded(tmp_path, mutate)
    assert len(problems) == 26
    assert problems[-1].location.cell is None
    assert "65" in problems[-1].message


def test_a_huge_merged_area_stays_fast(tmp_path: Path) -> None:
    # openpyxl itself cannot merge a whole sheet without running out of memory: edit the XML
    path = write(tmp_path)
    part = f"xl/worksheets/sheet{sample_sheets_order().index('GiaoUoc') + 2}.xml"
    with zipfile.ZipFile(path) as source:
        items = {info.filename: source.read(info.filename) for info in source.infolist()}
    items[part] = items[part].replace(
        b"</sheetData>",
        b'</sheetData><mergeCells count="1"><mergeCell ref="B2:XFD1048576"/></mergeCells>',
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in items.items():
            target.writestr(name, data)
    started = time.perf_counter()
    dossier, problems = load(path)
    assert time.perf_counter() - started < 5
    assert dossier is not None
    assert keys(problems) == [("warning", "merged-cells", "GiaoUoc", "B2:XFD1048576")]


def test_openpyxl_warnings_do_not_escape(tmp_path: Path) -> None:
    # Excel stores drop-downs that point to other sheets as an x14 extension, which openpyxl
    # warns about; with filterwarnings=error a leaked warning would fail this test.
    path = write(tmp_path)
    part = f"xl/worksheets/sheet{sample_sheets_order().index('ChamDiem') + 2}.xml"
    with zipfile.ZipFile(path) as source:
        items = {info.filename: source.read(info.filename) for info in source.infolist()}
    items[part] = items[part].replace(
        b"</worksheet>",
        b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
        b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        b'<x14:dataValidations count="0"/></ext></extLst></worksheet>',
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in items.items():
            target.writestr(name, data)
    with pytest.warns(UserWarning):  # the file really makes openpyxl warn…
        openpyxl.load_workbook(path)
    dossier, problems = load(path)  # …and load() keeps it inside
    assert dossier is not None and problems == []
