"""The comparison and its wording (pipeline.output.changes), on snapshots built inline."""

from __future__ import annotations

import pytest

from pipeline.output.changes import CellChange, Change, cell_lines, compare, lines, phrase


def fact(subject: str, label: str, value: str, kind: str = "so", docs: list[str] | None = None):
    return {"chu_the": subject, "muc": label, "kieu": kind, "gia_tri": value,
            "van_ban": docs or ["a.docx"]}  # fmt: skip


def snap(facts: dict[str, object], cells: dict[str, object] | None = None) -> dict[str, object]:
    return {"dinh_dang": 1, "cum": "Cụm A", "nam": 2013, "workbook": "cum.xlsx",
            "van_ban": {"a.docx": [], "b.docx": []}, "du_lieu": facts,
            "o_nhap": cells or {}}  # fmt: skip


def test_a_first_build_reports_nothing_changed() -> None:
    report = compare(None, snap({"x": fact("", "Tổng", "1")}))
    assert report.first and not report.changed and report.changes == ()


def test_only_changed_facts_and_cells_are_reported_with_their_documents() -> None:
    old = snap(
        {"t": fact("Ban A", "tổng điểm", "985"), "n": fact("", "Năm", "2013", "chu")},
        {"ChamDiem!D5": {"gia_tri": "247", "chu_the": "Ban A", "muc": "điểm cụm chấm"}},
    )
    new = snap(
        {"t": fact("Ban A", "tổng điểm", "982", docs=["b.docx"]), "n": fact("", "Năm", "2013")},
        {"ChamDiem!D5": {"gia_tri": "244", "chu_the": "Ban A", "muc": "điểm cụm chấm"}},
    )
    report = compare(old, new)
    assert [(c.key, c.old, c.new, c.documents) for c in report.changes] == [
        ("t", "985", "982", ("a.docx", "b.docx"))  # printed before in a, now in b
    ]
    assert report.cells == (CellChange("ChamDiem!D5", "Ban A", "điểm cụm chấm", "247", "244"),)
    assert report.for_document("a.docx") == report.changes


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (Change("k", "", "số tiền", "tien", "2.300.000", "2.420.000", ()),
         "số tiền 2.300.000 → 2.420.000 đồng"),
        (Change("k", "", "ghi chú", "van", "", "Bổ sung", ()), "ghi chú (trống) → “Bổ sung”"),
        (Change("k", "", "ghi chú", "van", "Cũ", "", ()), "ghi chú “Cũ” → (trống)"),
        (Change("k", "", "số", "chu", None, "12", ()), "thêm số: 12"),
        (Change("k", "", "số", "chu", "12", None, ()), "bỏ số (trước là 12)"),
    ],
)  # fmt: skip
def test_phrase(change: Change, words: str) -> None:
    assert phrase(change) == words


def test_a_new_record_is_one_line_and_a_removed_one_too() -> None:
    added = [
        Change("p/ho_ten", "Đề nghị X", "họ tên", "van", None, "X", ()),
        Change("p/so_tien", "Đề nghị X", "số tiền", "tien", None, "1.150.000", ()),
        Change("p/ghi_chu", "Đề nghị X", "ghi chú", "van", None, "", ()),
    ]
    removed = [Change("q/ho_ten", "Đề nghị Y", "họ tên", "van", "Y", None, ())]
    assert lines(added + removed) == [
        "Đề nghị X: mới có: họ tên “X”; số tiền 1.150.000 đồng",
        "Đề nghị Y: không còn trong văn bản",
    ]


def test_a_rename_echoed_in_sentences_is_counted_once() -> None:
    old, new = "Ban Tuyên giáo Tỉnh ủy", "Ban Tuyên giáo và Dân vận Tỉnh ủy"
    sentence = f"Năm 2013 cụm gồm Văn phòng Tỉnh ủy, {old} và Ban Tổ chức Tỉnh ủy, đủ chín cơ quan"
    changes = [
        Change("u", old, "tên đầy đủ", "van", old, new, ()),
        Change("s", "", "Câu thành phần", "van", sentence, sentence.replace(old, new), ()),
    ]
    assert lines(changes) == [
        f"{old}: tên đầy đủ “{old}” → “{new}”",
        "Tên mới cũng thay cho tên cũ ở 1 chỗ khác (câu thành phần)",
    ]


def test_a_long_text_shows_the_changed_words_only() -> None:
    before = "Các cơ quan trong cụm đã hoàn thành tốt nhiệm vụ chính trị được giao trong năm 2013"
    after = before.replace("hoàn thành tốt", "hoàn thành xuất sắc")
    (line,) = lines([Change("t", "", "Đoạn", "van", before, after, ())])
    assert line == "Đoạn: “… cụm đã hoàn thành [tốt → xuất sắc] nhiệm vụ chính trị…”"  # 4 words


def test_a_row_added_whole_is_one_line_a_corrected_cell_its_own() -> None:
    cells = [
        CellChange("DeNghiCaNhan!A5", "X", "tên", None, "X"),
        CellChange("DeNghiCaNhan!B5", "X", "giới tính", None, "Nam"),
        CellChange("ChamDiem!D33", "Ban A, tiêu chí I.2", "điểm cụm chấm", "247", "244"),
        CellChange("chung.xlsx › LuongCoSo!A2", "", "mức lương cơ sở", "1.150.000", "1.210.000"),
    ]
    assert cell_lines(cells, "cum.xlsx") == [
        "cum.xlsx › DeNghiCaNhan!A5:B5 (X): dòng mới",
        "cum.xlsx › ChamDiem!D33 (Ban A, tiêu chí I.2, điểm cụm chấm): 247 → 244",
        "chung.xlsx › LuongCoSo!A2 (mức lương cơ sở): 1.150.000 → 1.210.000",
    ]
