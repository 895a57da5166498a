"""Rule group A, structure and identity (domain-thidua.md §9 A): the member units of the DonVi
sheet, their heads and signers, and this year's cụm trưởng and cụm phó.

Pure: no I/O, no clock, no locale.
"""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.domain.model import Dossier, Role
from pipeline.domain.rules.common import blank, in_year, sheet_location
from pipeline.domain.scoring import Results
from pipeline.errors import Problem
from pipeline.vi import match_key, noi


def check_unit_identity(dossier: Dossier, results: Results | None) -> Iterator[Problem]:
    """A1: unit codes are unique, and so are full names after normalisation."""
    codes: dict[str, str] = {}
    names: dict[str, tuple[str, str]] = {}
    for unit in dossier.units:
        if unit.code in codes:
            yield Problem(
                "error",
                "A1",
                f"Mã đơn vị {unit.code} bị trùng: đã dùng cho {codes[unit.code]}",
                "Mỗi đơn vị một mã riêng; sửa mã của một trong hai dòng (các sheet khác dùng "
                "mã này để chỉ đơn vị).",
                unit.src.at("code"),
            )
        else:
            codes[unit.code] = unit.full_name
        key = match_key(unit.full_name)
        if key in names:
            other_name, other_code = names[key]
            yield Problem(
                "error",
                "A1",
                f"Tên đơn vị “{unit.full_name}” (mã {unit.code}) trùng với “{other_name}” "
                f"(mã {other_code}) sau khi chuẩn hóa chữ hoa, dấu cách và vị trí dấu thanh",
                "Nếu là một đơn vị, xóa dòng trùng và chuyển tên cũ sang cột bí danh; nếu là hai "
                "đơn vị, ghi tên đầy đủ khác nhau.",
                unit.src.at("full_name"),
            )
        else:
            names[key] = (unit.full_name, unit.code)


def check_unit_heads(dossier: Dossier, results: Results | None) -> Iterator[Problem]:
    """A3: each unit has a head's name and title; a deputy signer has a title."""
    for unit in dossier.units:
        if blank(unit.head_name):
            yield Problem(
                "error",
                "A3",
                f"{unit.full_name} chưa có họ tên thủ trưởng",
                "Nhập họ tên thủ trưởng đơn vị: tên này in ở chỗ ký của bản giao ước.",
                unit.src.at("head_name"),
            )
        if blank(unit.head_title):
            yield Problem(
                "error",
                "A3",
                f"{unit.full_name} chưa có chức vụ thủ trưởng",
                "Nhập chức vụ thủ trưởng (ví dụ: Trưởng ban, Chánh Văn phòng).",
                unit.src.at("head_title"),
            )
        if not blank(unit.signer_name) and blank(unit.signer_title):
            yield Problem(
                "warning",
                "A3",
                f"{unit.full_name}: người ký thay {unit.signer_name} chưa có chức vụ",
                "Nhập chức vụ người ký thay (ví dụ: Phó Trưởng ban) để văn bản in “K/T” "
                "(“KT.”) và chức vụ đúng.",
                unit.src.at("signer_title"),
            )
        elif blank(unit.signer_name) and not blank(unit.signer_title):
            yield Problem(
                "warning",
                "A3",
                f"{unit.full_name} có chức vụ người ký thay “{unit.signer_title}” nhưng chưa "
                "có họ tên người ký",
                "Nhập họ tên người ký thay, hoặc xóa chức vụ nếu thủ trưởng tự ký.",
                unit.src.at("signer_name"),
            )
        if (
            unit.signer_name
            and not blank(unit.head_name)
            and match_key(unit.signer_name) == match_key(unit.head_name)
        ):
            yield Problem(
                "warning",
                "A3",
                f"{unit.full_name}: người ký thay {unit.signer_name} chính là thủ trưởng",
                "Bỏ trống người ký thay khi thủ trưởng tự ký; chỉ nhập khi cấp phó ký thay.",
                unit.src.at("signer_name"),
            )


def check_roles(dossier: Dossier, results: Results | None) -> Iterator[Problem]:
    """A4: exactly one cụm trưởng and at most one cụm phó."""
    heads = [u for u in dossier.units if u.role is Role.HEAD]
    deputies = [u for u in dossier.units if u.role is Role.DEPUTY]
    if not heads and dossier.units:
        yield Problem(
            "error",
            "A4",
            f"Chưa có đơn vị Cụm trưởng{in_year(dossier.cluster.year)}",
            "Ở cột “Vai trò năm thi đua”, chọn “Cụm trưởng” cho đúng một đơn vị.",
            sheet_location(dossier, "units", (u.src for u in dossier.units)),
        )
    for label, found in (("Cụm trưởng", heads), ("Cụm phó", deputies)):
        if len(found) > 1:
            names = noi([u.full_name for u in found])
            for unit in found:  # which one is wrong is for the user to say: point at each
                yield Problem(
                    "error",
                    "A4",
                    f"Có {len(found)} đơn vị {label}: {names}",
                    f"Mỗi năm chỉ một đơn vị là {label}; đổi “Vai trò năm thi đua” của các đơn "
                    "vị còn lại thành “Thành viên”.",
                    unit.src.at("role"),
                )
