"""Vietnamese composition: the phrases and sentences of the template context.

Pure functions of plain values (names, ranks, totals, texts) that return Vietnamese text: no I/O,
no clock, no locale, no domain objects. ``body`` is always the word for the emulation body,
``"cụm"`` or ``"khối"`` (``ClusterKind.word``): a khối is never called a cụm.
:mod:`pipeline.documents.context` calls them to give the templates ready sentences (``cau_*``)
next to the data they are made of; each is doctested, and the wording follows domain-thidua.md
§4.2 (minutes) and §7.2 (report).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from pipeline.vi import dia_danh_ngay, match_key, noi, normalize, so, thu_hang

#: The date of a document dated by hand, as the models of NĐ 30/2020 Phụ lục III print it
#: ("…, ngày … tháng … năm 20…"). The year is left to the pen too: thidua knows when the
#: meeting was, not when the document is signed.
HAND_DATE = "ngày … tháng … năm 20…"

# ---------------------------------------------------------------------------------------------
# Ranks, scores and the cluster


def ordinal_word(rank: int) -> str:
    """The ordinal alone, as written in a "Xếp thứ" table column.

    >>> [ordinal_word(n) for n in (1, 2, 3, 4, 5)]
    ['Nhất', 'Nhì', 'Ba', 'Tư', 'Năm']
    """
    return thu_hang(rank).removeprefix("thứ ")


def points(value: Decimal) -> str:
    """A score with the word "điểm": ``985,5 điểm``.

    >>> points(Decimal("985.5")), points(Decimal("973.00"))
    ('985,5 điểm', '973 điểm')
    """
    return f"{so(value)} điểm"


def ranking_clause(rank: int, names: Sequence[str], total: Decimal | None = None) -> str:
    """One place of the ranking: ``xếp thứ Nhì: A`` or, for a tie, ``xếp thứ Ba gồm A và B``.

    "gồm" is written only for a tie (domain-thidua.md §7.2). With ``total`` the points follow in
    brackets, "cùng" for a tie.

    >>> ranking_clause(1, ["Ban Dân vận Tỉnh ủy"])
    'xếp thứ Nhất: Ban Dân vận Tỉnh ủy'
    >>> ranking_clause(3, ["Văn phòng Tỉnh ủy", "Ban Tuyên giáo Tỉnh ủy"])
    'xếp thứ Ba gồm Văn phòng Tỉnh ủy và Ban Tuyên giáo Tỉnh ủy'
    >>> ranking_clause(3, ["A", "B"], Decimal("985.5"))
    'xếp thứ Ba gồm A và B (cùng 985,5 điểm)'
    >>> ranking_clause(2, ["A"], Decimal(988))
    'xếp thứ Nhì: A (988 điểm)'
    """
    head = f"xếp {thu_hang(rank)}"
    text = f"{head} gồm {noi(names)}" if len(names) > 1 else f"{head}: {names[0]}"
    if total is not None:
        text += f" (cùng {points(total)})" if len(names) > 1 else f" ({points(total)})"
    return text


def ranking_sentence(
    places: Iterable[tuple[int, Sequence[str], Decimal | None]], max_rank: int | None = None
) -> str:
    """The ranking as one sentence, places separated by ``;`` (no capital, no final stop).

    ``places`` are ``(rank, unit names, total or None)`` in rank order; ``max_rank`` keeps only
    the places up to that rank. With competition ranking a tie for second leaves no third place
    (1, 2, 2, 4), so the three first places may name only two ranks.

    >>> ranking_sentence([(1, ["A"], None), (2, ["B"], None), (3, ["C", "D"], None),
    ...                   (5, ["E"], None)], max_rank=3)
    'xếp thứ Nhất: A; xếp thứ Nhì: B; xếp thứ Ba gồm C và D'
    >>> ranking_sentence([(1, ["A"], None), (2, ["B", "C"], None), (4, ["D"], None)], 3)
    'xếp thứ Nhất: A; xếp thứ Nhì gồm B và C'
    >>> ranking_sentence([(1, ["A"], None), (2, ["B", "C"], None), (3, ["D"], None)], 3)
    'xếp thứ Nhất: A; xếp thứ Nhì gồm B và C; xếp thứ Ba: D'
    >>> ranking_sentence([(1, ["A", "B", "C"], Decimal(990))])
    'xếp thứ Nhất gồm A, B và C (cùng 990 điểm)'
    """
    return "; ".join(
        ranking_clause(rank, names, total)
        for rank, names, total in places
        if max_rank is None or rank <= max_rank
    )


def score_sentence(
    reached: int, n_units: int, minimum: Decimal, max_score: Decimal, *, body: str
) -> str:
    """The score summary of the report (domain-thidua.md §7.2), with the exact minimum.

    The minimum is never rounded up: 973,5 stays 973,5 (a unit with 973,5 did not reach 974).

    >>> score_sentence(9, 9, Decimal(973), Decimal(1000), body="cụm")
    '9/9 cơ quan trong cụm đạt số điểm từ 973 điểm trở lên/tổng số 1.000 điểm'
    >>> score_sentence(8, 8, Decimal("973.5"), Decimal(1000), body="khối")
    '8/8 cơ quan trong khối đạt số điểm từ 973,5 điểm trở lên/tổng số 1.000 điểm'
    """
    return (
        f"{reached}/{n_units} cơ quan trong {body} đạt số điểm từ {points(minimum)} trở lên"
        f"/tổng số {points(max_score)}"
    )


def ranked_result(rank: int, total: Decimal, max_score: Decimal) -> str:
    """A proposed unit's result, as the list's "thành tích" column notes it.

    >>> ranked_result(1, Decimal(992), Decimal(1000))
    'xếp thứ Nhất, 992/1.000 điểm'
    >>> ranked_result(3, Decimal("985.5"), Decimal(1000))
    'xếp thứ Ba, 985,5/1.000 điểm'
    """
    return f"xếp {thu_hang(rank)}, {so(total)}/{points(max_score)}"


def membership_sentence(
    year: int,
    cluster: str,
    members: Sequence[str],
    head: str | None,
    deputy: str | None,
    *,
    body: str,
) -> str:
    """Who the cluster was in the year (domain-thidua.md §7.2), members in official order.

    >>> membership_sentence(2013, "Cụm thi đua X", ["A", "B", "C"], "A", "B", body="cụm")
    'Năm 2013, Cụm thi đua X gồm 3 cơ quan: A, B và C; A là Cụm trưởng, B là Cụm phó.'
    >>> membership_sentence(2013, "Khối thi đua X", ["A", "B"], "A", None, body="khối")
    'Năm 2013, Khối thi đua X gồm 2 cơ quan: A và B; A là Khối trưởng.'
    """
    title = body.capitalize()
    roles = [f"{head} là {title} trưởng"] if head else []
    if deputy:
        roles.append(f"{deputy} là {title} phó")
    text = f"Năm {year}, {cluster} gồm {len(members)} cơ quan: {noi(members)}"
    return text + (f"; {', '.join(roles)}." if roles else ".")


def rotation_sentence(head: str, deputy: str, year: int, *, body: str) -> str:
    """Next year's head and deputy, to follow "Hội nghị thống nhất bầu" or "cử luân phiên".

    >>> rotation_sentence("Văn phòng Tỉnh ủy", "Ban Tổ chức Tỉnh ủy", 2014, body="cụm")
    'Văn phòng Tỉnh ủy làm Cụm trưởng, Ban Tổ chức Tỉnh ủy làm Cụm phó năm 2014'
    >>> rotation_sentence("Sở Tài chính", "Sở Xây dựng", 2014, body="khối")
    'Sở Tài chính làm Khối trưởng, Sở Xây dựng làm Khối phó năm 2014'
    """
    title = body.capitalize()
    return f"{head} làm {title} trưởng, {deputy} làm {title} phó năm {year}"


# ---------------------------------------------------------------------------------------------
# Proposals, people and lines of the documents


def proposal_clause(form: str, recipients: str, names: Sequence[str]) -> str:
    """One form of award and who is proposed for it; a count is written for two or more.

    >>> proposal_clause("Cờ thi đua của Ủy ban nhân dân tỉnh", "tập thể", ["A"])
    'đề nghị tặng Cờ thi đua của Ủy ban nhân dân tỉnh cho A'
    >>> proposal_clause("Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "tập thể", ["A", "B", "C"])
    'đề nghị tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho 3 tập thể: A, B và C'
    """
    if len(names) == 1:
        return f"đề nghị tặng {form} cho {names[0]}"
    return f"đề nghị tặng {form} cho {len(names)} {recipients}: {noi(names)}"


def honorific(gender: str) -> str:
    """How a proposal names a person: "bà" for a woman, "ông" for a man (as on a Bằng khen).

    >>> honorific("Nữ"), honorific("nam"), honorific("NỮ")
    ('bà', 'ông', 'bà')
    """
    return "bà" if gender.strip().lower() == "nữ" else "ông"


def keep_last_words(text: str) -> str:
    """Join the last two words with a no-break space, so that a narrow column never leaves a
    short word ("ỦY") alone on the last line.

    >>> keep_last_words("BAN TUYÊN GIÁO TỈNH ỦY") == "BAN TUYÊN GIÁO TỈNH\u00a0ỦY"
    True
    >>> keep_last_words("BÁO")
    'BÁO'
    """
    head, _, last = text.rpartition(" ")
    return f"{head}\u00a0{last}" if head else text


_BASIS_PREFIX = re.compile(r"^\s*căn cứ\b[\s:]*", re.IGNORECASE)
_LIST_MARK = re.compile(r"^[\s\-–—+•*]+")
_ARCHIVE = re.compile(r"^lưu(?:\W|$)", re.IGNORECASE)


def basis_line(text: str) -> str:
    """A căn cứ as printed after "Căn cứ " and before ";": a typed "Căn cứ" and the final
    punctuation are dropped, so the workbook may hold the line either way.

    >>> basis_line("Căn cứ Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003;")
    'Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003'
    >>> basis_line("CĂN CỨ Nghị định số 42/2010/NĐ-CP.")
    'Nghị định số 42/2010/NĐ-CP'
    >>> basis_line("các văn bản hướng dẫn của Tỉnh ủy")
    'các văn bản hướng dẫn của Tỉnh ủy'
    """
    return _BASIS_PREFIX.sub("", text, count=1).rstrip(" ;,.")


def place_date(place: str, day: date | None) -> str:
    """The place-and-date line under the national or Party heading; with no date, the line to
    date by hand (:data:`HAND_DATE`).

    >>> place_date("Lạng Sơn", date(2014, 1, 10))
    'Lạng Sơn, ngày 10 tháng 01 năm 2014'
    >>> place_date(" Lạng  Sơn", None)
    'Lạng Sơn, ngày … tháng … năm 20…'
    """
    return dia_danh_ngay(day, place) if day is not None else f"{normalize(place)}, {HAND_DATE}"


def recipient_line(text: str) -> str:
    """A recipient as printed between "- " and ";": a typed dash and final punctuation dropped.

    >>> recipient_line("- Thường trực Hội đồng Thi đua - Khen thưởng tỉnh (b/c);")
    'Thường trực Hội đồng Thi đua - Khen thưởng tỉnh (b/c)'
    >>> recipient_line("Lưu: VT.")
    'Lưu: VT'
    """
    return _LIST_MARK.sub("", text, count=1).rstrip(" ;,.")


def recipient_list(lines: Sequence[str], archive: str) -> list[str]:
    """The "Nơi nhận" lines: ``lines`` then ``archive``, unless a line already is a "Lưu …"
    line; no list at all (no archive either) when ``lines`` is empty.

    >>> recipient_list(["Các cơ quan trong cụm"], "Lưu hồ sơ cụm")
    ['Các cơ quan trong cụm', 'Lưu hồ sơ cụm']
    >>> recipient_list(["Các cơ quan trong cụm", "Lưu: VT, Văn phòng cụm"], "Lưu hồ sơ cụm")
    ['Các cơ quan trong cụm', 'Lưu: VT, Văn phòng cụm']
    >>> recipient_list([], "Lưu hồ sơ cụm")
    []
    """
    if not lines or any(_ARCHIVE.match(line) for line in lines):
        return list(lines)
    return [*lines, archive]


def describe(name: str, title: str, where: str) -> str:
    """``Họ tên, chức vụ, đơn vị`` as in the minutes (domain-thidua.md §4.2).

    The unit is left out when the title already names it (``Phó Chánh Văn phòng Tỉnh ủy``).

    >>> describe("Lộc Văn Bình", "Trưởng ban", "Ban Dân vận Tỉnh ủy")
    'Lộc Văn Bình, Trưởng ban, Ban Dân vận Tỉnh ủy'
    >>> describe("Phùng Văn Đức", "Phó Chánh Văn phòng Tỉnh uỷ", "Văn phòng Tỉnh ủy")
    'Phùng Văn Đức, Phó Chánh Văn phòng Tỉnh uỷ'
    >>> describe("", "Chuyên viên", "Báo Lạng Sơn")
    'Chuyên viên, Báo Lạng Sơn'
    >>> describe("Nông Văn Tiến", "Phó Trưởng ban Ban Thi đua - Khen thưởng tỉnh",
    ...          "Ban Thi đua - Khen thưởng tỉnh (Sở Nội vụ)")
    'Nông Văn Tiến, Phó Trưởng ban Ban Thi đua - Khen thưởng tỉnh'
    """
    if _names(title, where):
        where = ""
    return ", ".join(part for part in (name, title, where) if part)


_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)\s*$")


def _names(text: str, unit: str) -> bool:
    """Whether ``text`` already names ``unit`` (a trailing "(…)" of the unit aside)."""
    if not unit:
        return True
    base = _TRAILING_NOTE.sub("", unit) or unit
    return bool(text) and match_key(base) in match_key(text)


_COMRADE = re.compile(r"^\s*(?:đồng chí|đ/c)\s+", re.IGNORECASE)


def without_comrade(speaker: str) -> str:
    """A speaker's name without a leading "Đồng chí"/"Đ/c" (the template writes it).

    >>> without_comrade("Đồng chí Phùng Văn Đức, Phó Chánh Văn phòng Tỉnh ủy")
    'Phùng Văn Đức, Phó Chánh Văn phòng Tỉnh ủy'
    >>> without_comrade("đ/c Lý Thị Hoa"), without_comrade("Lý Thị Hoa")
    ('Lý Thị Hoa', 'Lý Thị Hoa')
    """
    return _COMRADE.sub("", speaker, count=1)


def unit_paragraph(unit: str, text: str) -> str:
    """A per-unit paragraph of the report: ``Đơn vị: nội dung``, unless the text already opens
    with the unit's name.

    >>> unit_paragraph("Ban Tổ chức Tỉnh ủy", "Tham mưu tốt công tác cán bộ.")
    'Ban Tổ chức Tỉnh ủy: Tham mưu tốt công tác cán bộ.'
    >>> unit_paragraph("Ban Tổ chức Tỉnh ủy", "Ban Tổ chức Tỉnh ủy tham mưu tốt công tác cán bộ.")
    'Ban Tổ chức Tỉnh ủy tham mưu tốt công tác cán bộ.'
    >>> unit_paragraph("", "Cả cụm hoàn thành tốt nhiệm vụ.")
    'Cả cụm hoàn thành tốt nhiệm vụ.'
    """
    if not unit or match_key(text).startswith(match_key(unit)):
        return text
    return f"{unit}: {text}"


def speaker_description(speaker: str, unit: str) -> str:
    """A speaker of the discussion with the unit in brackets, unless the speaker's title already
    names it (or there is no unit).

    >>> speaker_description("Lộc Văn Bình, Trưởng ban", "Ban Dân vận Tỉnh ủy")
    'Lộc Văn Bình, Trưởng ban (Ban Dân vận Tỉnh ủy)'
    >>> speaker_description("Phùng Văn Đức, Phó Chánh Văn phòng Tỉnh ủy", "Văn phòng Tỉnh ủy")
    'Phùng Văn Đức, Phó Chánh Văn phòng Tỉnh ủy'
    >>> speaker_description("Lý Thị Hoa", "")
    'Lý Thị Hoa'
    """
    return speaker if _names(speaker, unit) else f"{speaker} ({unit})"
