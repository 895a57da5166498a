"""``thidua templates check`` says what the build will say (issue 9).

It said "Các mẫu hợp lệ" for templates the build then refused, or rendered wrong: with one ``}``
deleted from ``{{ cau_xep_hang }}`` the minutes silently lost the ranking and the award
paragraphs, and a misspelt variable passed the check and failed only at build. Each template
below is the bundled minutes with exactly one defect; for each, ``templates check`` exits 1 with
the located message, and ``build`` (on the sample workbook) reports the very same problems and
writes nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from template_files import MINUTES, RANKING, bundled_with, replaced, working_folder
from test_template_package import invoke

PARAGRAPH = "đoạn «- Về bình xét, suy tôn thi đua năm {{ nam }}, kết quả"
VOTE = "đoạn «- {{ b.noi_dungg }} (hình thức: {{ b.hinh_thuc_chu }}):»"

#: name → (text replaced, replacement, the paragraph quoted, the message, a word of the hint)
DEFECTS = {
    "one-brace-deleted": (RANKING, "{{ cau_xep_hang }", PARAGRAPH,
                          "Thẻ «{{ cau_xep_hang }.» chưa được đóng trong đoạn này (thiếu «}}»)",
                          "bỏ mất"),
    "one-brace-too-few": (RANKING, "{ cau_xep_hang }}", PARAGRAPH,
                          "Dấu «}}» không có thẻ mở «{{» đi trước trong đoạn này", "Gõ lại"),
    "misspelt-variable": (RANKING, "{{ cau_xep_hangg }}", PARAGRAPH,
                          "Không có biến «cau_xep_hangg»", "Có phải là: cau_xep_hang"),
    "misspelt-field": ("{{ b.noi_dung }}", "{{ b.noi_dungg }}", VOTE,
                       "Không có trường «noi_dungg»", "Có phải là: noi_dung?"),
    "field-of-a-list": (RANKING, "{{ bang_diem.tong }}", PARAGRAPH,
                        "«tong» được hỏi ở một danh sách, không phải ở từng phần tử",
                        "{% for x in danh_sach %}"),
    "unknown-filter": (RANKING, "{{ cau_xep_hang | viet_hoa }}", PARAGRAPH,
                       "Không có bộ lọc «viet_hoa»", "Có phải là: in_hoa?"),
    "malformed-tag": (RANKING, "{{ cau_xep_hang | }}", PARAGRAPH,
                      "Thẻ {{ cau_xep_hang | }} viết sai", "Viết đúng dạng"),
    "unclosed-block": (RANKING, "{% if co_de_nghi %}{{ cau_xep_hang }}", PARAGRAPH,
                       "chưa được đóng", "endif"),
    "python-internals": (RANKING, "{{ cau_xep_hang.__class__ }}", PARAGRAPH,
                         "Thuộc tính «__class__» không được dùng trong mẫu", "gạch dưới"),
    "changes-the-data": (RANKING, "{{ bang_diem.append(1) }}", PARAGRAPH,
                         "Mẫu không được sửa dữ liệu (append())", "namespace()"),
    "wrong-value-for-a-filter": (RANKING, "{{ nam | ngay_thang_nam }}", PARAGRAPH,
                                 "Lỗi khi điền dữ liệu vào thẻ: ValueError", "Kiểm tra kiểu"),
}  # fmt: skip


def problem_lines(text: str) -> list[str]:
    return sorted(line.strip() for line in text.splitlines() if line.strip().startswith("Lỗi:"))


@pytest.mark.parametrize("case", sorted(DEFECTS))
def test_templates_check_reports_what_the_build_meets(tmp_path: Path, case: str) -> None:
    old, new, paragraph, message, hint = DEFECTS[case]
    folder = working_folder(tmp_path, {MINUTES: bundled_with(old, new)})
    code, out, err = invoke(folder, "templates", "check")
    assert code == 1, out
    assert "Các mẫu hợp lệ" not in out + err
    checked = problem_lines(err)
    found = [line for line in checked if message in line]
    assert found, err
    assert f"{MINUTES} › thân văn bản (word/document.xml): {paragraph}" in found[0]
    assert hint in found[0]
    code, out, err = invoke(folder, "build")
    assert code == 1
    # the build reports what the check reported, nothing more (one workbook: no "not built")
    assert problem_lines(err) == checked
    assert "Traceback" not in err
    assert not (folder / "outputs").exists()


def test_every_problem_of_every_part_at_once(tmp_path: Path) -> None:
    """Defects in the body, in a header and in another template: all reported in one run."""
    minutes = bundled_with(RANKING, "{{ cau_xep_hangg }}")
    minutes = replaced(minutes, "{{ b.noi_dung }}", "{{ b.noi_dungg }}")
    report = bundled_with("{{ ten_cum }}", "{{ ten_cumm }}", name="01-bao-cao-tong-ket.docx")
    folder = working_folder(tmp_path, {MINUTES: minutes, "01-bao-cao-tong-ket.docx": report})
    code, _, err = invoke(folder, "templates", "check")
    assert code == 1
    lines = problem_lines(err)
    assert any("«cau_xep_hangg»" in line for line in lines)
    assert any("«noi_dungg»" in line for line in lines)
    assert any("01-bao-cao-tong-ket.docx" in line and "«ten_cumm»" in line for line in lines)
    assert invoke(folder, "build")[2].count("Lỗi:") == len(lines)
