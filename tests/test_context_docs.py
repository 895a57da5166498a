"""``docs/templates.md`` and the template context agree, in both directions.

The documentation lists every variable in a machine-readable table between the markers
``<!-- bien:bat-dau -->`` and ``<!-- bien:ket-thuc -->``: one row per name, the name in
backticks in the first column, written as a path (``hoi_nghi.chu_tri.ho_ten``; ``[]`` for the
items of a list: ``bang_diem[].tong``; ``*`` for any section of ``noi_dung_bao_cao``). A record
that repeats a documented shape (a unit, a vote, a person, a signature) is documented once, at
its first path; elsewhere only its own path is listed.

The filters table (between ``<!-- loc:bat-dau -->`` and ``<!-- loc:ket-thuc -->``) must list
exactly the filters the engine registers (:data:`pipeline.vi.FILTER_NAMES`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, time
from decimal import Decimal
from pathlib import Path

from test_context import lang_son_dossier, with_unit
from test_templates_golden import sample_dossier

from pipeline.documents import contract
from pipeline.documents.context import build_context
from pipeline.domain.model import Dossier, Role
from pipeline.domain.scoring import compute
from pipeline.vi import FILTER_NAMES

DOC = Path(__file__).resolve().parent.parent / "docs" / "templates.md"

#: The first documented path of each repeated record shape.
CANONICAL = (
    "don_vi[]",
    "bieu_quyet[]",
    "hoi_nghi.chu_tri",
    "hoi_nghi.dai_bieu[]",
    "ky.bao_cao",
    "van_ban.bao_cao",
)
SECTIONS = re.compile(r"^noi_dung_bao_cao\.\w+(?=\[\])")


def _table(marker: str) -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    start, end = f"<!-- {marker}:bat-dau -->", f"<!-- {marker}:ket-thuc -->"
    assert start in text and end in text, f"{DOC} lacks the {marker} markers"
    body = text.split(start, 1)[1].split(end, 1)[0]
    names = [m.group(1) for m in re.finditer(r"^\|\s*`([^`]+)`", body, re.MULTILINE)]
    assert len(names) == len(set(names)), "a name is documented twice"
    return names


def _walk(
    value: object, path: str, shapes: dict[frozenset[str], str], emit: bool = True
) -> Iterator[str]:
    """Every documented path under ``value``; a list's items are not paths of their own."""
    if emit:
        yield path
    if isinstance(value, dict):
        shape = frozenset(value)
        first = shapes.get(shape)
        if first is not None and first != path:
            return  # a repeated record: documented at its first path
        for key, item in value.items():
            yield from _walk(item, f"{path}.{key}" if path else key, shapes)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item, f"{path}[]", shapes, emit=False)


def context_paths(context: dict[str, object]) -> set[str]:
    """Every path of the context, canonical records first so repeats are recognised."""
    shapes: dict[frozenset[str], str] = {}
    for path in CANONICAL:  # register the canonical shapes before walking
        node: object = context
        for part in path.replace("[]", ".[]").split("."):
            if part == "[]":
                assert isinstance(node, list) and node, path
                node = node[0]
            else:
                assert isinstance(node, dict), path
                node = node[part]
        assert isinstance(node, dict)
        shapes[frozenset(node)] = path
    return {SECTIONS.sub("noi_dung_bao_cao.*", p) for p in _walk(context, "", shapes, emit=False)}


def _full(d: Dossier) -> Dossier:
    """The inline dossier with every optional list non-empty (an absent unit, a deputy)."""
    attendees = tuple(
        replace(a, present=False) if a.unit == "BAO" else a for a in d.meeting.attendees
    )
    d = with_unit(d, "BTG", signer_name="Lăng Văn Tuấn", signer_title="Phó Trưởng ban")
    return replace(d, meeting=replace(d.meeting, attendees=attendees))


def test_documented_variables_match_the_context() -> None:
    documented = set(_table("bien"))
    actual: set[str] = set()
    for dossier in (sample_dossier(), _full(lang_son_dossier())):
        actual |= context_paths(build_context(dossier, compute(dossier)))
    assert sorted(actual - documented) == [], "in the context but not in docs/templates.md"
    assert sorted(documented - actual) == [], "in docs/templates.md but not in the context"


def test_top_level_variables_of_the_sample_are_all_documented() -> None:
    dossier = sample_dossier()
    top = {n for n in _table("bien") if re.fullmatch(r"\w+", n)}
    assert top == set(build_context(dossier, compute(dossier)))


def test_documented_filters_match_the_engine() -> None:
    assert _table("loc") == list(FILTER_NAMES)


def _all_paths(value: object, path: str = "") -> Iterator[str]:
    """Every path under ``value``, repeated records included (the contract lists them all)."""
    if isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else key
            yield child
            yield from _all_paths(item, child)
    elif isinstance(value, list):
        for item in value:
            yield from _all_paths(item, f"{path}[]")


def test_the_contract_templates_are_checked_against_is_the_context() -> None:
    """``pipeline.documents.contract.CONTEXT`` (what ``templates check`` checks names against)
    has exactly the paths of the context: a name added to one must be added to the other."""
    actual: set[str] = set()
    for dossier in (sample_dossier(), _full(lang_son_dossier())):
        actual |= set(_all_paths(build_context(dossier, compute(dossier))))
    assert sorted(actual - contract.paths()) == [], "in the context but not in the contract"
    assert sorted(contract.paths() - actual) == [], "in the contract but not in the context"


#: The record shapes the "Kiểu" column names ("bản ghi đơn vị" …), as the contract has them.
RECORD_TYPES: dict[str, dict[str, object]] = {
    "đơn vị": contract.UNIT,
    "người": contract.PERSON,
    "đại biểu": contract.DELEGATE,
    "biểu quyết": contract.VOTE,
    "chữ ký": contract.SIGNATURE,
    "văn bản": contract.DOCUMENT,
}
#: The plain types of the "Kiểu" column and the Python values each stands for.
VALUE_TYPES: dict[str, tuple[type, ...]] = {
    "chữ": (str,),
    "số nguyên": (int,),
    "số thập phân": (Decimal, int),
    "ngày": (date,),
    "giờ": (time,),
    "đúng/sai": (bool,),
    "danh sách": (list,),
    "bản ghi": (dict,),
}


def _types() -> dict[str, str]:
    """Name → the "Kiểu" cell of the variables table (header checked: Tên | Kiểu | …)."""
    body = DOC.read_text(encoding="utf-8").split("<!-- bien:bat-dau -->", 1)[1]
    rows = body.split("<!-- bien:ket-thuc -->", 1)[0].strip().splitlines()
    assert rows[0].startswith("| Tên | Kiểu |"), rows[0]
    return {
        m.group(1): m.group(2)
        for m in (re.match(r"^\|\s*`([^`]+)`\s*\|\s*([^|]*?)\s*\|", row) for row in rows[2:])
        if m
    }


def _conforms(value: object, kind: str) -> str | None:
    """Why ``value`` is not of the documented ``kind``, or None when it is. A kind is a plain
    type or ``bản ghi <record>``, maybe after ``danh sách `` (a list of them), maybe followed by
    `` hoặc trống`` (may be none); anything else is not a type and fails the test."""
    item_kind = kind.removesuffix(" hoặc trống")
    if value is None:
        return None if item_kind != kind else "none, not documented as 'hoặc trống'"
    items = [value]
    if item_kind.startswith("danh sách "):
        item_kind = item_kind.removeprefix("danh sách ")
        if not isinstance(value, list):
            return f"{type(value).__name__}, not a list"
        items = value
    name = item_kind.removeprefix("bản ghi ")
    record = RECORD_TYPES.get(name) if name != item_kind else None
    allowed = VALUE_TYPES.get(item_kind)
    assert record or allowed, f"unknown type {kind!r}"
    for item in items:
        if record is not None:
            if not isinstance(item, dict) or set(item) != set(record):
                return f"not a {item_kind}: {item!r}"[:120]
        elif allowed and (
            (isinstance(item, bool) and bool not in allowed) or not isinstance(item, allowed)
        ):
            return f"{type(item).__name__}, not {item_kind}"
    return None


def _values(value: object, path: str = "") -> Iterator[tuple[str, object]]:
    """Every (documented path, value) of the context; the items of a list under ``path[]``."""
    if isinstance(value, dict):
        for key, item in value.items():
            child = SECTIONS.sub("noi_dung_bao_cao.*", f"{path}.{key}" if path else key)
            yield child, item
            yield from _values(item, child)
    elif isinstance(value, list):
        for item in value:
            yield from _values(item, f"{path}[]")


def _sparse(d: Dossier) -> Dossier:
    """The inline dossier with every value that may be none left out: no VanBan rows (number
    and date by hand), no head unit (which the checks refuse, A4) and no deputy, a missing
    self-score, no base salary in force, forms without money, proposals and the rotation
    without a vote, an individual without a birth year."""
    d = with_unit(with_unit(d, "BDV", role=Role.MEMBER), "BBVCSSK", role=Role.MEMBER)
    first = d.scores[0]
    scores = (replace(first, self_score=None), *d.scores[1:])
    forms = {code: replace(f, coefficient=None) for code, f in d.params.award_forms.items()}
    return replace(
        d,
        cluster=replace(d.cluster, documents={}),
        scores=scores,
        params=replace(d.params, award_forms=forms, base_salaries=()),
        collective_proposals=tuple(replace(p, vote=None) for p in d.collective_proposals),
        individual_proposals=tuple(
            replace(p, vote=None, birth_year=None) for p in d.individual_proposals
        ),
        rotation=replace(d.rotation, vote=None),
    )


def test_documented_types_match_the_context() -> None:
    """The "Kiểu" column is a closed vocabulary (chữ, số nguyên, …, bản ghi đơn vị, danh sách …,
    "… hoặc trống") and every value of the context at a documented path is of its type; what is
    "hoặc trống" is none for some workbook, and only that is ever none."""
    types = _types()
    assert set(types) == set(_table("bien"))
    wrong: dict[str, str] = {}
    seen: set[str] = set()
    none: set[str] = set()
    inline = lang_son_dossier()
    for dossier in (sample_dossier(), _full(inline), _sparse(inline)):
        for path, value in _values(build_context(dossier, compute(dossier))):
            if path in types:
                seen.add(path)
                why = _conforms(value, types[path])
                if why:
                    wrong[path] = f"{types[path]}: {why}"
                if value is None:
                    none.add(path)
    assert wrong == {}
    assert seen == set(types)
    optional = {path for path, kind in types.items() if kind.endswith(" hoặc trống")}
    assert sorted(optional - none) == [], "documented 'hoặc trống' but never none"
