"""The documents the layout check runs on: the sample, and two stress cases built from its rows.

- ``sample``: the bundled sample workbook (Cụm thi đua các Ban Đảng, Party layout) and the same
  in the State layout (the cluster's ``doc_format`` replaced, as the golden tests do).
- ``stress``: the sample's rows grown to 20 units with long names, a long cluster name, a long
  issuing body (``BAN BẢO VỆ, CHĂM SÓC SỨC KHỎE CÁN BỘ TỈNH``), eight collectives and eight
  individuals proposed with long achievements; both layouts.
- ``khoi``: a Khối (``Khối thi đua các sở ngành kinh tế``) whose head is ``Đảng ủy Khối các cơ
  quan tỉnh``; both layouts.

Each workbook is written with openpyxl and read back by the loader, so the cases pass the same
validation as a user's workbook.
"""

from __future__ import annotations

import copy
import functools
import tempfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from pipeline.documents.context import build_context
from pipeline.documents.engine import CompiledTemplate
from pipeline.domain.model import DocFormat, Dossier
from pipeline.domain.scoring import compute
from pipeline.resources import bundled_inputs_dir, bundled_templates_dir

SAMPLE = "cum-cac-ban-dang-lang-son-2013.xlsx"
FORMATS = (DocFormat.PARTY, DocFormat.STATE)
Row = dict[str, object]

#: Eleven more units for the stress case: code, full name, header name, head, head's title.
_MORE_UNITS = (
    ("SKHDT", "Sở Kế hoạch và Đầu tư tỉnh", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "Nguyễn Văn An", "Giám đốc"),
    (
        "SNNPTNT",
        "Sở Nông nghiệp và Phát triển nông thôn tỉnh",
        "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN",
        "Hoàng Văn Bảo",
        "Giám đốc",
    ),
    ("SGTVT", "Sở Giao thông vận tải tỉnh", "SỞ GIAO THÔNG VẬN TẢI", "Lê Thị Cúc", "Giám đốc"),
    (
        "STNMT",
        "Sở Tài nguyên và Môi trường tỉnh",
        "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG",
        "Vy Văn Dũng",
        "Giám đốc",
    ),
    (
        "BQLKKT",
        "Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng - Lạng Sơn",
        "BAN QUẢN LÝ KHU KINH TẾ CỬA KHẨU ĐỒNG ĐĂNG - LẠNG SƠN",
        "Đàm Văn Em",
        "Trưởng ban",
    ),
    ("SCT", "Sở Công Thương tỉnh", "SỞ CÔNG THƯƠNG", "Chu Thị Giang", "Giám đốc"),
    ("STC", "Sở Tài chính tỉnh", "SỞ TÀI CHÍNH", "Bế Văn Hậu", "Giám đốc"),
    ("SXD", "Sở Xây dựng tỉnh", "SỞ XÂY DỰNG", "Nông Thị Kim", "Giám đốc"),
    (
        "QDTPT",
        "Quỹ Đầu tư phát triển và Bảo vệ môi trường tỉnh",
        "QUỸ ĐẦU TƯ PHÁT TRIỂN VÀ BẢO VỆ MÔI TRƯỜNG",
        "Triệu Văn Long",
        "Giám đốc",
    ),
    (
        "TTXTDT",
        "Trung tâm Xúc tiến đầu tư, thương mại và du lịch tỉnh",
        "TRUNG TÂM XÚC TIẾN ĐẦU TƯ, THƯƠNG MẠI VÀ DU LỊCH",
        "Lăng Thị Mơ",
        "Giám đốc",
    ),
    (
        "BQLDA",
        "Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh",
        "BAN QUẢN LÝ DỰ ÁN ĐẦU TƯ XÂY DỰNG CÁC CÔNG TRÌNH GIAO THÔNG",
        "Hà Văn Nam",
        "Giám đốc",
    ),
)

_LONG_ACHIEVEMENT = (
    "Hoàn thành xuất sắc nhiệm vụ chính trị, chuyên môn năm 2013; tham mưu có hiệu quả cho Tỉnh "
    "ủy, Ban Thường vụ Tỉnh ủy ban hành nhiều chương trình, đề án quan trọng; dẫn đầu phong trào "
    "thi đua của cụm trong công tác cải cách hành chính và ứng dụng công nghệ thông tin"
)


def _set(rows: list[Row], label: str, value: object) -> None:
    for row in rows:
        if row["Mục"] == label:
            row["Giá trị"] = value
            return
    raise KeyError(label)


def stress_sheets() -> dict[str, list[Row]]:
    """The sample's rows grown to 20 units, long names, long proposals."""
    from pipeline.workbook.sample import sample_sheets

    sheets = copy.deepcopy(sample_sheets())
    info = sheets["ThongTinChung"]
    _set(
        info,
        "Tên cụm thi đua",
        "Cụm thi đua các Ban Đảng, các sở, ban, ngành và đơn vị sự nghiệp thuộc tỉnh Lạng Sơn",
    )
    _set(info, "Tên gọi ngắn", "Cụm thi đua các Ban Đảng, sở, ngành")
    for unit in sheets["DonVi"]:
        if unit["Mã đơn vị"] == "BBVCSSK":
            unit["Tên in ở tiêu đề"] = "BAN BẢO VỆ, CHĂM SÓC SỨC KHỎE CÁN BỘ TỈNH"
    template = next(u for u in sheets["DonVi"] if u["Mã đơn vị"] == "BTCTU")
    scores = [r for r in sheets["ChamDiem"] if r["Mã đơn vị"] == "BTCTU"]
    delegate = next(r for r in sheets["ThanhPhan"] if r["Mã đơn vị"] == "BTCTU")
    narrative = next(r for r in sheets["TongKetVanBan"] if r["Mã đơn vị"] == "BTCTU")
    for number, (code, full, header, head, title) in enumerate(_MORE_UNITS):
        sheets["DonVi"].append(
            {
                **template,
                "Mã đơn vị": code,
                "Tên đầy đủ": full,
                "Tên ngắn": full,
                "Tên in ở tiêu đề": header,
                "Tên gọi khác": None,
                "Thủ trưởng: họ tên": head,
                "Thủ trưởng: chức vụ": title,
            }
        )
        for row in scores:
            loss = Decimal(number % 4) / 2
            cluster = Decimal(str(row["Điểm cụm chấm"])) - loss
            sheets["ChamDiem"].append(
                {
                    **row,
                    "Mã đơn vị": code,
                    "Điểm tự chấm": cluster,
                    "Điểm cụm chấm": cluster,
                    "Lý do điều chỉnh": None,
                }
            )
        sheets["ThanhPhan"].insert(
            -1,
            {
                **delegate,
                "Họ tên": f"Phó {head}",
                "Chức vụ": f"Phó {title} {full}",
                "Mã đơn vị": code,
            },
        )
        sheets["TongKetVanBan"].append(
            {
                **narrative,
                "Mã đơn vị": code,
                "Nội dung": f"{full} {_LONG_ACHIEVEMENT[0].lower()}{_LONG_ACHIEVEMENT[1:]}.",
            }
        )
    units = len(sheets["DonVi"])
    for vote in sheets["BoPhieu"]:
        for key in ("Số phiếu phát ra", "Số phiếu thu về", "Số phiếu hợp lệ"):
            vote[key] = units
        vote["Đồng ý"] = units - int(str(vote["Không đồng ý"])) - int(str(vote["Không ý kiến"]))
    collectives = sheets["DeNghiTapThe"]
    for row in collectives[1:]:
        row["Thành tích"] = _LONG_ACHIEVEMENT
    for code, *_ in _MORE_UNITS[:4]:
        collectives.append({**collectives[1], "Mã đơn vị": code})
    individuals = sheets["DeNghiCaNhan"]
    for row in individuals:
        row["Thành tích"] = _LONG_ACHIEVEMENT
    for number, (code, full, _, head, title) in enumerate(_MORE_UNITS[:5]):
        individuals.append(
            {
                **individuals[0],
                "Họ tên": head,
                "Giới tính": "Nam",
                "Năm sinh": 1970 + number,
                "Chức vụ": f"{title} {full}",
                "Mã đơn vị": code,
            }
        )
    return sheets


def khoi_sheets() -> dict[str, list[Row]]:
    """A Khối whose head unit is Đảng ủy Khối các cơ quan tỉnh."""
    from pipeline.workbook.sample import sample_sheets

    sheets = copy.deepcopy(sample_sheets())
    info = sheets["ThongTinChung"]
    _set(info, "Tên cụm thi đua", "Khối thi đua các sở ngành kinh tế")
    _set(info, "Tên gọi ngắn", "Khối thi đua các sở ngành kinh tế")
    roles = {"DUK": "Cụm trưởng", "BBVCSSK": "Thành viên"}
    for unit in sheets["DonVi"]:
        unit["Vai trò năm thi đua"] = roles.get(str(unit["Mã đơn vị"]), unit["Vai trò năm thi đua"])
    for row in sheets["VanBan"]:
        row["Ký hiệu cơ quan ban hành"] = "ĐUK"
    return sheets


def _load(sheets: dict[str, list[Row]]) -> Dossier:
    from pipeline.workbook.loader import load
    from pipeline.workbook.xlsx_write import write_workbook

    with tempfile.TemporaryDirectory(prefix="thidua-layout-") as work:
        path = Path(work) / "case.xlsx"
        write_workbook(sheets, path)
        dossier, problems = load(path)
    errors = [str(p) for p in problems if p.is_error]
    if dossier is None or errors:
        raise ValueError("\n".join(errors))
    return dossier


@functools.cache
def dossier(case: str) -> Dossier:
    """The case's dossier, validated like a user's workbook."""
    if case == "sample":
        from pipeline.workbook.loader import load

        loaded, problems = load(bundled_inputs_dir() / SAMPLE)
        assert loaded is not None, [str(p) for p in problems]
        return loaded
    return _load({"stress": stress_sheets, "khoi": khoi_sheets}[case]())


CASES = ("sample", "stress", "khoi")


@functools.cache
def _templates() -> tuple[tuple[str, CompiledTemplate], ...]:
    return tuple(
        (p.stem, CompiledTemplate.compile(p))
        for p in sorted(bundled_templates_dir().glob("*.docx"))
    )


def render_case(
    case: str, templates: tuple[tuple[str, CompiledTemplate], ...] | None = None
) -> list[tuple[str, bytes]]:
    """(``<case>-<template>-<layout>.docx``, bytes) of the four documents in both layouts."""
    base = dossier(case)
    out = []
    for doc_format in FORMATS:
        one = replace(base, cluster=replace(base.cluster, doc_format=doc_format))
        context = build_context(one, compute(one))
        for stem, compiled in templates or _templates():
            out.append((f"{case}-{stem}-{doc_format.value}.docx", compiled.render(context)))
    return out
