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
from pathlib import Path

from test_context import lang_son_dossier, with_unit
from test_templates_golden import sample_dossier

from pipeline.documents import contract
from pipeline.documents.context import build_context
from pipeline.domain.model import Dossier
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
