"""Layout as a văn thư checks it, measured on LibreOffice's PDF (``scripts/layout_check.py``).

Every document of the sample (both layouts) and of the two stress cases (20 units with long
names and long proposals; a Khối headed by Đảng ủy Khối các cơ quan tỉnh) must pass every rule of
the check: no heading, lead-in or "Nơi nhận:" as the last line of a page, no page of signatures
only, no signature split, no word split in a header name, a title or a table cell, rules of the
lengths NĐ 30 asks, everything inside the text area.

The check must also fail: the same documents with a defect put back (keep-with-next removed, the
balanced line breaks or the rule filter replaced by naive ones) must give the finding a văn thư
would give. All documents are converted in one ``soffice`` call, once per session.

Skipped only when LibreOffice is missing and ``THIDUA_REQUIRE_LIBREOFFICE`` is not set; with that
variable set it fails instead.
"""

from __future__ import annotations

import functools
import importlib.util
import io
import os
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from pipeline.resources import bundled_templates_dir
from pipeline.vi import FILTERS

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def _module(name: str) -> ModuleType:
    """A script of ``scripts/`` as a module (scripts/ is not a package)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


check = _module("layout_check")
cases = _module("layout_cases")


def _strip_keeps(data: bytes) -> bytes:
    """The document with every "keep with next" and "keep lines together" removed."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = source.read(info.filename)
            if info.filename in ("word/document.xml", "word/styles.xml"):
                member = member.replace(b"<w:keepNext/>", b"").replace(b"<w:keepLines/>", b"")
            target.writestr(info, member)
    return out.getvalue()


def _rendered_with(
    filters: dict[str, Callable[..., str]], template: str, case: str, layout: str = "nha_nuoc"
) -> bytes:
    """``template`` rendered for ``case`` in ``layout`` with some filters replaced."""
    from pipeline.documents.engine import CompiledTemplate

    compiled = CompiledTemplate.compile(
        bundled_templates_dir() / f"{template}.docx", filters={**FILTERS, **filters}
    )
    ((_, data),) = [
        d
        for d in cases.render_case(case, ((template, compiled),))
        if d[0].endswith(f"-{layout}.docx")
    ]
    return data


def _naive_lines(text: str, *args: Any, **kwargs: Any) -> str:
    return text  # the word processor wraps where it likes


def _fixed_rule(text: str, *args: Any, **kwargs: Any) -> str:
    return "\u00a0" * 40 + "\u200b"  # 4,6 cm whatever the name


@functools.cache
def _defects() -> dict[str, tuple[bytes, set[str]]]:
    """Documents with one defect put back, and the findings each must give."""
    sample = dict(cases.render_case("sample"))
    return {
        "khong-giu-dong-bien-ban-dang.docx": (
            _strip_keeps(sample["sample-02-bien-ban-hoi-nghi-dang.docx"]),
            {"de-muc-cuoi-trang", "trang-chi-chu-ky"},
        ),
        "khong-giu-dong-giao-uoc-dang.docx": (
            _strip_keeps(sample["sample-03-giao-uoc-thi-dua-dang.docx"]),
            {"trang-chi-chu-ky"},
        ),
        "khong-ngat-dong-bao-cao.docx": (
            _rendered_with({"ngat_dong": _naive_lines}, "01-bao-cao-tong-ket", "sample", "dang"),
            {"tach-tu"},
        ),
        "khong-ngat-dong-giao-uoc.docx": (
            _rendered_with({"ngat_dong": _naive_lines}, "03-giao-uoc-thi-dua", "stress"),
            {"tach-tu", "luoi-lech"},
        ),
        "vach-co-dinh-bao-cao.docx": (
            _rendered_with({"vach": _fixed_rule}, "01-bao-cao-tong-ket", "sample"),
            {"vach"},
        ),
        "khong-giu-tu-danh-sach.docx": (
            _rendered_with(
                {"giu_tu": lambda text: text}, "04-danh-sach-de-nghi-khen-thuong", "sample"
            ),
            {"tach-tu"},
        ),
    }


def _require_libreoffice() -> None:
    from pipeline.output.pdf import find_soffice

    if find_soffice() is None:
        if os.environ.get("THIDUA_REQUIRE_LIBREOFFICE"):
            pytest.fail("THIDUA_REQUIRE_LIBREOFFICE is set but soffice is missing")
        pytest.skip("LibreOffice (soffice) is not installed")


@functools.cache
def _pages() -> dict[str, Any]:
    """Name → pages of every document of every case and every defect: one soffice call."""
    documents = [d for case in cases.CASES for d in cases.render_case(case)]
    defects = _defects()
    documents += [(name, data) for name, (data, _) in defects.items()]
    return {name: check.read_pdf(pdf) for name, pdf in check.to_pdf(documents)}


GOOD = [f"{case}-{stem}-{layout}.docx" for case in cases.CASES for layout in ("dang", "nha_nuoc")
        for stem in sorted(p.stem for p in bundled_templates_dir().glob("*.docx"))]  # fmt: skip


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", GOOD)
def test_every_document_passes_the_layout_check(name: str) -> None:
    _require_libreoffice()
    findings = check.check_document(name, _pages()[name])
    assert [str(f) for f in findings] == []


@pytest.mark.libreoffice
@pytest.mark.parametrize(
    "name",
    [
        "khong-giu-dong-bien-ban-dang.docx",
        "khong-giu-dong-giao-uoc-dang.docx",
        "khong-ngat-dong-bao-cao.docx",
        "khong-ngat-dong-giao-uoc.docx",
        "vach-co-dinh-bao-cao.docx",
        "khong-giu-tu-danh-sach.docx",
    ],
)
def test_the_check_finds_a_defect_put_back(name: str) -> None:
    _require_libreoffice()
    expected = _defects()[name][1]
    codes = {f.code for f in check.check_document(name, _pages()[name])}
    assert expected <= codes, codes


@pytest.mark.libreoffice
def test_the_rules_are_measured() -> None:
    """The rules the check measures are there: under the Quốc hiệu's Tiêu ngữ, the issuing body
    and the trích yếu of every State document (three), under ĐẢNG CỘNG SẢN VIỆT NAM (one)."""
    _require_libreoffice()
    for name in GOOD:
        first = _pages()[name][0]
        assert len(first.rules) == (3 if "nha_nuoc" in name else 1), (name, first.rules)


@pytest.mark.libreoffice
def test_the_header_is_cut_between_phrases() -> None:
    """What the văn thư sees on page 1 of the stress case and the Khối: the names as lines."""
    _require_libreoffice()
    texts = {
        name: [ln.text for ln in _pages()[name][0].lines if ln.bold and ln.caps]
        for name in ("stress-01-bao-cao-tong-ket-nha_nuoc.docx",
                     "khoi-01-bao-cao-tong-ket-nha_nuoc.docx",
                     "sample-03-giao-uoc-thi-dua-nha_nuoc.docx")
    }  # fmt: skip
    assert {"BAN BẢO VỆ, CHĂM SÓC", "SỨC KHỎE CÁN BỘ TỈNH"} <= set(
        texts["stress-01-bao-cao-tong-ket-nha_nuoc.docx"]
    )
    assert "ĐẢNG ỦY KHỐI" in texts["khoi-01-bao-cao-tong-ket-nha_nuoc.docx"]
    assert "CÁC CƠ QUAN TỈNH" in texts["khoi-01-bao-cao-tong-ket-nha_nuoc.docx"]
    assert {"CỤM THI ĐUA", "CÁC BAN ĐẢNG"} <= set(texts["sample-03-giao-uoc-thi-dua-nha_nuoc.docx"])


# ---------------------------------------------------------------------------------------------
# The rules themselves, on lines made by hand (no LibreOffice)


def _line(text: str, top: float = 100, x0: float = 100, width: float = 100, **kw: Any) -> Any:
    values = {"size": 13.0, "bold": True, "italic": False, "label_styled": False, **kw}
    return check.Line(1, x0, x0 + width, top, top + 13, text, **values)


@pytest.mark.parametrize(
    ("upper", "lower", "split"),
    [
        ("BAN BẢO VỆ, CHĂM SÓC SỨC", "KHỎE CÁN BỘ", "SỨC KHỎE"),
        ("ĐẢNG ỦY KHỐI CÁC CƠ", "QUAN TỈNH", "CƠ QUAN"),
        ("Tổng kết công tác thi đua, khen thưởng năm 2013 và phương hướng, nhiệm", "vụ năm 2014",
         "nhiệm vụ"),
        ("Trường Chính trị Hoàng", "Văn Thụ", "Hoàng Văn Thụ"),
        ("Cờ thi đua của Ủy", "ban nhân dân tỉnh", "Ủy ban"),
        ("BAN BẢO VỆ, CHĂM SÓC", "SỨC KHỎE CÁN BỘ", None),
        ("Thường vụ Tỉnh ủy", "ban hành nhiều", None),
        ("BAN BẢO VỆ,", "CHĂM SÓC", None),
    ],
)  # fmt: skip
def test_a_break_inside_a_word_is_found(upper: str, lower: str, split: str | None) -> None:
    found = list(check.check_breaks("x", [_line(upper), _line(lower, top=115)], "Tên"))
    words = [f.message for f in found if f.code == "tach-tu"]
    assert (split is not None and any(split in w for w in words)) or (split is None and not words)


def test_a_lone_syllable_and_an_unbalanced_title_are_found() -> None:
    lone = [_line("CỤM THI ĐUA CÁC BAN", width=150), _line("ĐẢNG", top=115, width=40)]
    assert {f.code for f in check.check_breaks("x", lone, "Tên")} == {"mot-tu"}
    short = [_line("Tổng kết … năm 2013 và phương hướng", width=440),
             _line("vụ năm 2014", top=115, width=75)]  # fmt: skip
    assert {f.code for f in check.check_breaks("x", short, "Trích yếu")} == {"lech-dong"}
    balanced = [_line("ĐẢNG ỦY KHỐI", width=95), _line("CÁC CƠ QUAN TỈNH", top=115, width=125)]
    assert list(check.check_breaks("x", balanced, "Tên")) == []
