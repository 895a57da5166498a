"""What ``thidua check`` shows for review before the meeting: the ranking as the documents print it.

The secretary checks the order, the totals and the ties before anything is built, so the
figures come from the template context itself (:func:`pipeline.documents.context.build_context`:
``bang_diem``, ``cau_xep_hang``), formatted with the templates' own filters (``so``): what is
shown here is what the score table and the minutes will say.

Pure: formats a context it is given; no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pipeline.vi import FILTERS

_so = FILTERS["so"]


def _rank_words(row: Mapping[str, Any]) -> str:
    """``xếp thứ Nhất``, or ``đồng xếp thứ Ba`` for a shared rank."""
    return ("đồng xếp" if row["dong_hang"] else "xếp") + f" thứ {row['xep_thu_chu']}"


def ranking_lines(name: str, context: Mapping[str, Any]) -> list[str]:
    """The ranking of one workbook (``name`` is how the file is shown), as lines to print.

    >>> from decimal import Decimal
    >>> rows = [
    ...     {"stt": 1, "ten": "Ban A", "tong": Decimal("992"), "xep_thu": 1,
    ...      "xep_thu_chu": "Nhất", "dong_hang": False},
    ...     {"stt": 2, "ten": "Văn phòng B", "tong": Decimal("985.5"), "xep_thu": 2,
    ...      "xep_thu_chu": "Nhì", "dong_hang": True},
    ...     {"stt": 3, "ten": "Ban C", "tong": Decimal("985.5"), "xep_thu": 2,
    ...      "xep_thu_chu": "Nhì", "dong_hang": True},
    ... ]
    >>> context = {"ten_cum": "Cụm X", "nam": 2013, "thang_diem": Decimal("1000"),
    ...            "bang_diem": rows, "cau_xep_hang": "xếp thứ Nhất: Ban A; …"}
    >>> print("\\n".join(ranking_lines("x.xlsx", context)))
    Xếp hạng năm 2013 của Cụm X (x.xlsx), như sẽ in trong văn bản:
      STT  Đơn vị       Tổng điểm  Xếp hạng
        1  Ban A              992  xếp thứ Nhất
        2  Văn phòng B      985,5  đồng xếp thứ Nhì
        3  Ban C            985,5  đồng xếp thứ Nhì
      Thang điểm 1.000. Biên bản ghi: xếp thứ Nhất: Ban A; …
    """
    rows: Sequence[Mapping[str, Any]] = context["bang_diem"]
    totals = [_so(row["tong"]) for row in rows]
    name_width = max([len("Đơn vị"), *(len(row["ten"]) for row in rows)])
    total_width = max([len("Tổng điểm"), *map(len, totals)])
    lines = [
        f"Xếp hạng năm {context['nam']} của {context['ten_cum']} ({name}), "
        "như sẽ in trong văn bản:",
        f"  STT  {'Đơn vị':<{name_width}}  {'Tổng điểm':>{total_width}}  Xếp hạng",
    ]
    for row, total in zip(rows, totals, strict=True):
        lines.append(
            f"  {row['stt']:>3}  {row['ten']:<{name_width}}  {total:>{total_width}}  "
            + _rank_words(row)
        )
    lines.append(
        f"  Thang điểm {_so(context['thang_diem'])}. Biên bản ghi: {context['cau_xep_hang']}"
    )
    return lines


def ranking_record(name: str, context: Mapping[str, Any]) -> dict[str, Any]:
    """The same ranking for ``thidua check --json``: totals as exact decimal strings."""
    return {
        "file": name,
        "cluster": context["ten_cum"],
        "year": context["nam"],
        "scale": str(context["thang_diem"]),
        "units": [
            {
                "stt": row["stt"],
                "code": row["ma"],
                "name": row["ten"],
                "total": str(row["tong"]),
                "rank": row["xep_thu"],
                "tie": row["dong_hang"],
                "printed": f"{_so(row['tong'])} điểm, {_rank_words(row)}",
            }
            for row in context["bang_diem"]
        ],
        "sentence": context["cau_xep_hang"],
    }
