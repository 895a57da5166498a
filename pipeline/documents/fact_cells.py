"""The workbook cells behind the printed facts, and how a value is shown as text.

Pure: no I/O. :func:`fact_sources` gives the cell (or range) each fact of the template context
was read from (the ``nguon`` of a snapshot's fact), :func:`input_cells` every cell the dossier
was read from with its value (the snapshot's ``o_nhap``, the causes a change report names),
and :func:`show` a value as the documents print it. Used by :mod:`pipeline.documents.facts`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from enum import Enum

from pipeline.documents.fact_labels import DOCUMENT_NAMES, FIELDS
from pipeline.domain.model import Dossier, Source
from pipeline.vi import so


def show(value: object, kind: str = "van") -> str:
    """A value as the documents print it: ``985``, ``45.170.000``, ``10/01/2014``, ``14:00``.

    >>> show(Decimal("45170000"), "tien"), show(Decimal("985.50"), "so"), show(2014, "chu")
    ('45.170.000', '985,5', '2014')
    >>> show(dt.date(2014, 1, 10)), show(dt.time(14, 0)), show(None), show(True)
    ('10/01/2014', '14:00', '', 'có')
    >>> show(["a", "b"])
    'a; b'
    """
    if type(value) is str:  # the common cases first: what the lines below do for them
        return value.replace("\xa0", " ")
    if type(value) is Decimal:
        return so(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Decimal) or (isinstance(value, int) and kind in ("so", "tien")):
        return so(value)
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, list | tuple):
        return "; ".join(show(v, kind) for v in value)
    return str(value).replace("\xa0", " ")


def _joined_cells(cells: Sequence[str]) -> str:
    """``D5, D6, D7`` → ``D5:D7`` when the cells are one run of a column."""
    if len(cells) < 2:
        return "".join(cells)
    column = "".join(c for c in cells[0] if c.isalpha())
    rows = [c[len(column) :] for c in cells]
    if all(c.startswith(column) and c[len(column) :].isdigit() for c in cells):
        numbers = sorted(int(r) for r in rows)
        if numbers == list(range(numbers[0], numbers[-1] + 1)):
            return f"{column}{numbers[0]}:{column}{numbers[-1]}"
    return ", ".join(cells)


def _at(src: Source, field: str) -> str | None:
    cell = src.cells.get(field)
    return f"{src.file} › {src.sheet}!{cell}" if src.file and cell else None


def fact_sources(dossier: Dossier) -> dict[str, str]:
    """The workbook cell (or range) each fact of the context was read from, where one is known,
    keyed by the fact's path (``bang_diem[BTGTU].cum_cham`` → ``cum.xlsx › ChamDiem!D14:D23``)."""
    sources: dict[str, str] = {}

    def put(path: str, where: str | None) -> None:
        if where:
            sources[path] = where

    cluster = dossier.cluster
    for path, field in (
        ("ten_cum", "name"),
        ("ten_cum_ngan", "short_name"),
        ("co_quan_cap_tren", "parent_body"),
        ("dia_danh", "place"),
        ("nam", "year"),
        ("the_thuc", "doc_format"),
    ):
        put(path, _at(cluster.src, field))
    for kind, info in cluster.documents.items():
        for name, field in (
            ("so", "number"),
            ("loai", "type_code"),
            ("co_quan", "issuer_code"),
            ("ngay", "signing_date"),
        ):
            put(f"van_ban.{kind}.{name}", _at(info.src, field))
    unit_fields = {
        "ten": "full_name",
        "ten_ngan": "short_name",
        "ten_in_hoa": "header_name",
        "vai_tro_chu": "role",
        "thu_truong": "head_name",
        "chuc_vu_thu_truong": "head_title",
        "nguoi_ky": "signer_name",
        "chuc_vu_nguoi_ky": "signer_title",
    }
    scored: dict[str, list[Source]] = {}  # each unit's score lines, in the workbook's order
    for score in dossier.scores:
        if score.src.file:
            scored.setdefault(score.unit, []).append(score.src)
    for unit in dossier.units:
        for name, field in unit_fields.items():
            put(f"don_vi[{unit.code}].{name}", _at(unit.src, field))
        put(f"bang_diem[{unit.code}].ten", _at(unit.src, "full_name"))
        for name, field in (("tu_cham", "self_score"), ("cum_cham", "cluster_score")):
            rows = scored.get(unit.code, [])
            cells = [s.cells[field] for s in rows if field in s.cells]
            if rows and cells:
                put(f"bang_diem[{unit.code}].{name}", f"{rows[0].file} › {rows[0].sheet}!"
                    f"{_joined_cells(cells)}")  # fmt: skip
        sources.setdefault(f"bang_diem[{unit.code}].tong", sources.get(
            f"bang_diem[{unit.code}].cum_cham", ""))  # fmt: skip
    meeting = dossier.meeting
    for name, field in (
        ("ngay", "date"),
        ("bat_dau", "start"),
        ("ket_thuc", "end"),
        ("dia_diem", "venue"),
    ):
        put(f"hoi_nghi.{name}", _at(meeting.src, field))
    for salary in dossier.params.base_salaries:
        put(f"luong_co_so@{show(salary.amount)}", _at(salary.src, "amount"))
    return {k: v for k, v in sources.items() if v}


def _record_subject(record: object, units: Mapping[str, str]) -> str:
    code = getattr(record, "unit", None)
    if type(record).__name__ == "Unit":
        return str(getattr(record, "full_name", ""))
    if type(record).__name__ == "DocumentInfo":
        return DOCUMENT_NAMES.get(str(getattr(record, "kind", "")), "")
    if type(record).__name__ == "Score":
        return f"{units.get(str(code), code)}, tiêu chí {getattr(record, 'criterion', '')}"
    name = getattr(record, "name", None)
    if isinstance(name, str) and type(record).__name__ in ("IndividualProposal", "Attendee"):
        return name
    if isinstance(code, str):
        return units.get(code, code)
    return ""


#: The field names of each dataclass met in a dossier (``dataclasses.fields`` is slow to ask).
_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}
#: Types that hold no record (checked before the slower dataclass and ``Mapping`` tests).
_PLAIN_TYPES = frozenset({str, int, bool, float, Decimal, type(None), dt.date, dt.time})


def _field_names(kind: type) -> tuple[str, ...] | None:
    """The fields of dataclass ``kind`` but ``src`` (``None``: not a dataclass)."""
    try:
        return _FIELD_NAMES[kind]
    except KeyError:
        pass
    names = None
    if dataclasses.is_dataclass(kind):
        names = tuple(f.name for f in dataclasses.fields(kind) if f.name != "src")
    _FIELD_NAMES[kind] = names
    return names


def _records(value: object, out: list[object]) -> list[object]:
    """Every record (a dataclass with a ``src``) reachable from ``value``, depth first, each
    before the records it holds, appended to ``out``."""
    plain = _PLAIN_TYPES
    names = _field_names(type(value)) if not isinstance(value, type) else None
    if names is not None:
        if isinstance(getattr(value, "src", None), Source):
            out.append(value)
        for name in names:
            item = getattr(value, name)
            if type(item) not in plain:
                _records(item, out)
    elif isinstance(value, Mapping):
        for item in value.values():
            if type(item) not in plain:
                _records(item, out)
    elif isinstance(value, tuple | list):
        for item in value:
            if type(item) not in plain:
                _records(item, out)
    return out


def file_name(path: str) -> str:
    """The last part of a path written with ``/`` or ``\\``."""
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def input_cells(dossier: Dossier) -> dict[str, dict[str, str]]:
    """Every workbook cell the dossier was read from: ``"Sheet!C7"`` → its value as text, the
    record it belongs to (``chu_the``) and the field (``muc``). A cell of another file than the
    cluster's workbook (shared settings) is keyed ``"file › Sheet!C7"``."""
    units = {u.code: u.full_name for u in dossier.units}
    own = file_name(dossier.path)
    cells: dict[str, dict[str, str]] = {}
    label = FIELDS.get
    prefixes: dict[str, str] = {"": ""}  # a source's file → what its cells' keys begin with
    for record in _records(dossier, []):
        src: Source = record.src  # type: ignore[attr-defined]
        subject = _record_subject(record, units)
        prefix = prefixes.get(src.file)
        if prefix is None:
            own_file = not src.file or file_name(src.file) == own
            prefix = prefixes[src.file] = "" if own_file else f"{src.file} › "
        where = f"{prefix}{src.sheet}!"
        for field, cell in src.cells.items():
            value = getattr(record, field, None)
            kind = type(value)  # show(value), its common cases without the call
            if kind is str:
                text = value.replace("\xa0", " ")  # type: ignore[union-attr]
            elif kind is Decimal:
                text = so(value)  # type: ignore[arg-type]
            else:
                text = "" if value is None else show(value)
            entry = {"gia_tri": text, "chu_the": subject, "muc": label(field, field)}
            cells[f"{where}{cell}"] = entry
    return {key: cells[key] for key in sorted(cells)}
