"""F33's data: the legal texts a căn cứ may cite, and the days each is in force.

Pure: no I/O. A new decree or circular is one more :class:`LegalText` in :data:`LEGAL_TEXTS`;
rule F33 (:mod:`pipeline.domain.rules.legal_bases`) reads the table and needs no change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class LegalText:
    """F33: a legal text a căn cứ may cite, and the days it is in force.

    ``pattern`` finds a citation of the text in a căn cứ line; ``in_force_from`` and
    ``in_force_until`` are its first and last day in force (``None``: no bound checked);
    ``replaced_by`` names its successor for the hint; ``source`` says where the dates come from.
    """

    name: str
    pattern: re.Pattern[str]
    in_force_from: date | None
    in_force_until: date | None
    replaced_by: str | None
    source: str


def _cites(*alternatives: str) -> re.Pattern[str]:
    """A pattern finding any of ``alternatives`` (regular expressions), not inside a longer
    number: ``98/2023`` is not found in ``198/2023``.

    >>> bool(_cites(r"98/2023").search("Nghị định số 198/2023/NĐ-CP"))
    False
    """
    return re.compile("|".join(rf"(?<![\d/])(?:{a})(?!\d)" for a in alternatives), re.IGNORECASE)


def _decree(number: str) -> re.Pattern[str]:
    """A decree's number, alone or as ``…/NĐ-CP``, but not another type of text with the same
    number and year (``Quyết định số 98/2023/QĐ-UBND``).

    >>> [bool(_decree("98/2023").search(t)) for t in ("Nghị định số 98/2023/NĐ-CP",
    ...  "Nghị định 98/2023 của Chính phủ", "Quyết định số 98/2023/QĐ-UBND")]
    [True, True, False]
    """
    return _cites(rf"{number}(?:/N[ĐD]-CP|(?!/))")


#: F33: the texts whose citation is checked against the document's date, with their force
#: (domain-thidua.md §0 item 1 and §1.1). A new decree or circular is one more line.
LEGAL_TEXTS: tuple[LegalText, ...] = (
    LegalText(
        "Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15/6/2022",
        _cites(r"06/2022/QH15", r"15/0?6/2022", r"15 tháng 0?6 năm 2022"),
        date(2024, 1, 1),
        None,
        None,
        "§1.1: Luật TĐKT 06/2022/QH15, 15/6/2022, hiệu lực 01/01/2024 [VERIFIED]",
    ),
    LegalText(
        "Nghị định số 98/2023/NĐ-CP",
        _decree("98/2023"),
        date(2024, 1, 1),
        date(2025, 6, 30),
        "Nghị định số 152/2025/NĐ-CP",
        "§0 item 1, §1.1: hiệu lực 01/01/2024; hết hiệu lực khi NĐ 152/2025 có hiệu lực 01/7/2025 "
        "(NĐ 152/2025 Điều 59)",
    ),
    LegalText(
        "Thông tư số 01/2024/TT-BNV",
        _cites(r"01/2024/TT-BNV"),
        None,
        date(2025, 8, 4),
        None,  # TT 15/2025/TT-BNV per secondary sources: verify before naming it (§11 item 2)
        "§0 item 1, §1.1: thay bằng Thông tư 15/2025/TT-BNV có hiệu lực 05/8/2025 [SECONDARY]",
    ),
    LegalText(
        "Nghị định số 152/2025/NĐ-CP",
        _decree("152/2025"),
        date(2025, 7, 1),
        None,
        None,
        "§0 item 1, §1.1: NĐ 152/2025/NĐ-CP, 14/6/2025, hiệu lực 01/7/2025",
    ),
)
