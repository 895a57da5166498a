"""The facts a build printed: a canonical snapshot of the template context, with their sources.

Pure: no I/O, no clock, no locale. :func:`snapshot` turns the context of
:func:`pipeline.documents.context.build_context` into a plain, JSON-ready dictionary that the
build writes beside the manifest (``du-lieu-in.json``, :data:`pipeline.output.report.SNAPSHOT`);
the next build compares it with its own (:mod:`pipeline.output.changes`) and tells the secretary
what changed.

The snapshot holds:

- ``du_lieu``: every printed fact, one entry per leaf of the context, keyed by a stable path
  (``bang_diem[BTGTU].tong``, ``van_ban.bao_cao.ngay``). A list of records is keyed by each
  record's identity (a unit's code, a person's name), not by position, so that a unit moving from
  third to fourth place changes its rank, not every row. Each entry has the Vietnamese
  ``chu_the`` (whom it is about: a unit's name; empty for the cluster), ``muc`` (what it is:
  ``tổng điểm``), ``kieu`` (``so``, ``tien``, ``ngay``, ``gio``, ``chu``, ``van``: how it is
  shown), ``gia_tri`` (the value as the documents print it: ``985``, ``10/01/2014``), and
  ``nguon`` (the workbook cell it was read from, when one cell or range is known). Redundant
  derived values (positions, codes, the "in words" spelling of an amount) are left out.
- ``o_nhap``: every workbook cell the dossier was read from, ``"Sheet!C7"`` → its value as
  text, with ``chu_the`` (the record: a unit, a score line) and ``muc`` (the field), so that a
  comparison can name the input cells that changed: the cause.
- ``van_ban``: for each template file, the top-level context names it reads (the engine's
  :attr:`~pipeline.documents.engine.CompiledTemplate.variables`), so a change can be told per
  document.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

from pipeline.documents.fact_cells import fact_sources, file_name, input_cells, show
from pipeline.documents.fact_labels import (
    COPIES,
    DOCUMENT_NAMES,
    LABELS,
    LIST_KEYS,
    SECTIONS,
    SIGNERS,
)
from pipeline.domain.model import DOCUMENT_KINDS, Dossier

#: Bumped when the snapshot's shape changes; a snapshot of another format is not compared.
FORMAT = 1

Snapshot = dict[str, object]


_KEYS = re.compile(r"\[[^\]]*\]")


def _label_path(path: str) -> str:
    """``bang_diem[BTGTU].tong`` → ``bang_diem[].tong``; ``van_ban.bao_cao.ngay`` →
    ``van_ban.ngay``; ``noi_dung_bao_cao.tinh_hinh[1].doan`` → ``noi_dung_bao_cao[].doan``."""
    text = _KEYS.sub("[]", path)
    head, _, rest = text.partition(".")
    if head in ("van_ban", "ky", "noi_nhan", "can_cu"):
        _, _, field = rest.partition(".")
        return f"{head}.{field}" if field else head
    if head == "noi_dung_bao_cao":
        return "noi_dung_bao_cao" + rest[rest.index("[") :] if "[" in rest else head
    return text


#: The context's names that hold one entry per document (see :func:`_document_kind`).
_PER_DOCUMENT = ("van_ban", "ky", "noi_nhan", "can_cu")


@functools.lru_cache(maxsize=4096)
def _fact_label(generic: str) -> tuple[str, str, str] | None:
    """The label, kind and top-level name of the facts at ``generic`` (a path with each record
    key as ``[]``), ``None`` for a fact left out: a copy of a fact printed elsewhere, or a
    redundant one."""
    label_path = _label_path(generic)
    if any(copy in label_path for copy in COPIES) and not label_path.endswith(_KEPT_COPIES):
        return None
    if (
        label_path.startswith(("xep_hang[].don_vi", "hoi_nghi."))
        and "[]" in label_path
        and not label_path.startswith("hoi_nghi.thao_luan")
    ):
        return None
    labelled = LABELS.get(label_path, (label_path, "van"))
    if labelled is None:
        return None
    return (*labelled, generic.split(".", 1)[0].split("[", 1)[0])


def _record_key(name: str, record: Mapping[str, object], position: int) -> str:
    fields = LIST_KEYS.get(name)
    if fields and all(record.get(f) not in (None, "") for f in fields):
        return "/".join(show(record[f]) for f in fields)
    return str(position)


#: Types that are always leaves of the context (checked before the slower ``Mapping`` test).
_LEAF_TYPES = frozenset({str, int, bool, Decimal, type(None), dt.date, dt.time, dt.datetime})


def _flatten(
    value: object,
    path: str,
    generic: str | None,
    name: str,
    out: dict[str, tuple[str | None, object]],
    copy: bool = False,
) -> None:
    """Every leaf of ``value`` at its path, with the path's generic form (each record's key as
    ``[]``: what :data:`_KEYS` makes of the path) or ``None`` where a key has a bracket of its
    own (then the generic form is left to :data:`_KEYS`).

    Leaves that :func:`_fact_label` would leave out whatever their value are not listed: the
    records of a list it leaves out whole (:func:`_dropped`), and in a copy of a record printed
    elsewhere (``copy``: the generic path holds one of :data:`COPIES`) every leaf but the ones
    it keeps (``.ten``, ``bieu_quyet.ket_qua``).
    """
    kind = type(value)
    if kind is dict or (kind not in _LEAF_TYPES and isinstance(value, Mapping)):
        leaf = _LEAF_TYPES
        for key, item in value.items():  # type: ignore[attr-defined]
            text = key if type(key) is str else str(key)
            inner = None
            if generic is not None and "[" not in text and "]" not in text:
                inner = f"{generic}.{key}" if generic else text
            if type(item) in leaf:  # what the last branch does, without the call
                if copy and inner is not None and not inner.endswith(_KEPT_COPIES):
                    continue
                out[f"{path}.{key}" if path else text] = (inner, item)
                continue
            inside = copy or (inner is not None and _copied(inner, isinstance(item, Mapping)))
            _flatten(item, f"{path}.{key}" if path else text, inner, text, out, inside)
    elif isinstance(value, list) and value and all(_is_record(v) for v in value):
        if generic is not None and _dropped(f"{generic}[]"):
            return
        records: list[Mapping[str, object]] = []
        for item in value:  # the covenant's signature grid is a list of rows
            records += item if isinstance(item, list) else [item]
        for position, record in enumerate(records, start=1):
            if record.get("trong"):
                continue  # a blank cell of the signature grid
            key = _record_key(name, record, position)
            clean = generic is not None and "[" not in key and "]" not in key
            inner = f"{generic}[]" if clean else None
            _flatten(record, f"{path}[{key}]", inner, name, out, copy)
    else:
        if copy and generic is not None and not generic.endswith(_KEPT_COPIES):
            return
        out[path] = (generic, value)


def _is_record(value: object) -> bool:
    """A record of a list (a mapping) or a row of them (a list): ``isinstance(value, Mapping |
    list)``, the plain ``dict`` and ``list`` told first."""
    kind = type(value)
    return kind is dict or kind is list or isinstance(value, Mapping | list)


#: The top-level names whose label path is not their generic path (see :func:`_label_path`).
_RELABELLED = frozenset({"van_ban", "ky", "noi_nhan", "can_cu", "noi_dung_bao_cao"})
#: The leaves of a copy that are facts all the same (see :func:`_fact_label`).
_KEPT_COPIES = (".ten", "bieu_quyet.ket_qua")


def _copied(generic: str, mapping: bool) -> bool:
    """Whether every leaf under ``generic`` (a mapping's when ``mapping``: its leaves'
    generic paths go on with ``.``) has one of :data:`COPIES` in its label path."""
    if generic.split(".", 1)[0].split("[", 1)[0] in _RELABELLED:
        return False
    below = generic + "." if mapping else generic
    return any(copy in below for copy in COPIES)


def _dropped(generic: str) -> bool:
    """Whether :func:`_fact_label` leaves out every leaf under ``generic`` (records of a list:
    ``generic`` ends with ``[]``) by its second rule: the units of a rank, the people of the
    meeting (given as one fact each list)."""
    return generic.startswith(("xep_hang[].don_vi", "hoi_nghi.")) and not generic.startswith(
        "hoi_nghi.thao_luan"
    )


#: The lists whose facts are about whom their record's key names (see :func:`_subject`).
_ONE_KEY = frozenset(
    {
        "don_vi",
        "bang_diem",
        "chu_ky_don_vi",
        "xep_hang",
        "de_nghi_tap_the",
        "de_nghi_ca_nhan",
        "bieu_quyet",
        "nhom_de_nghi",
    }
)


def _subject(path: str, context: Mapping[str, object], units: Mapping[str, str]) -> str:
    """Whom a fact is about, in the secretary's words (empty: the cluster as a whole)."""
    head = path.split(".", 1)[0].split("[", 1)[0]
    key = path[path.index("[") + 1 : path.index("]")] if "[" in path else ""
    if head in ("don_vi", "bang_diem", "chu_ky_don_vi"):
        return units.get(key, key)
    if head == "xep_hang":
        from pipeline.vi import thu_hang

        return f"Hạng {thu_hang(int(key)).removeprefix('thứ ')}" if key.isdigit() else key
    if head in ("de_nghi_tap_the", "de_nghi_ca_nhan"):
        who, _, form = key.partition("/")
        return f"Đề nghị khen thưởng {units.get(who, who)} ({form})"
    if head == "bieu_quyet":
        return f"Biểu quyết {key}"
    if head == "nhom_de_nghi":
        return f"Nhóm đề nghị {key.replace('/', ', ')}"
    if head in ("van_ban", "ky", "noi_nhan", "can_cu"):
        kind = path.split(".")[1] if "." in path else ""
        return SIGNERS.get(kind) or DOCUMENT_NAMES.get(kind, kind)
    if head == "noi_dung_bao_cao":
        section = path.split(".")[1].split("[")[0]
        return f"Báo cáo, phần {SECTIONS.get(section, section)}, đoạn {key}"
    if head == "chi_tieu_giao_uoc":
        keys = _KEYS.findall(path)
        target = f", chỉ tiêu {keys[1][1:-1]}" if len(keys) > 1 else ""
        return f"Giao ước, nhóm {key}{target}"
    if head == "hoi_nghi" and "thao_luan" in path:
        return f"Ý kiến phát biểu {key}"
    return ""


def _document_kind(variable: str, path: str) -> str | None:
    """The document kind a per-document fact belongs to (``van_ban.bao_cao.so`` → ``bao_cao``)."""
    if variable in ("van_ban", "ky", "noi_nhan", "can_cu"):
        kind = path.split(".")[1] if "." in path else ""
        return "bien_ban" if kind == "thu_ky" else kind
    return None


def template_kind(template: str) -> str | None:
    """The document kind a template file prints, from its name (``01-bao-cao-tong-ket.docx`` →
    ``bao_cao``); ``None`` for a template named otherwise (it is then shown every fact it reads).

    >>> template_kind("01-bao-cao-tong-ket.docx"), template_kind("thu-moi.docx")
    ('bao_cao', None)
    """
    found = [k for k in DOCUMENT_KINDS if k.replace("_", "-") in template]
    return found[0] if len(found) == 1 else None


def documents_printing(path: str, templates: Mapping[str, Sequence[str]]) -> list[str]:
    """The template files whose documents print the fact at ``path``.

    >>> t = {"01-bao-cao.docx": ["van_ban", "tong_tien"], "04-danh-sach.docx": ["van_ban"]}
    >>> documents_printing("van_ban.bao_cao.so", t), documents_printing("tong_tien", t)
    (['01-bao-cao.docx'], ['01-bao-cao.docx'])
    """
    variable = path.split(".", 1)[0].split("[", 1)[0]
    kinds = {name: template_kind(name) for name in templates}
    return _printing(variable, _document_kind(variable, path), templates, kinds)


def _printing(
    variable: str,
    kind: str | None,
    templates: Mapping[str, Sequence[str]],
    kinds: Mapping[str, str | None],
) -> list[str]:
    """:func:`documents_printing` of a fact of ``variable`` and document ``kind``, ``kinds``
    being :func:`template_kind` of each template."""
    return sorted(
        name
        for name, variables in templates.items()
        if variable in variables and (kind is None or kinds[name] in (None, kind))
    )


def snapshot(
    dossier: Dossier,
    context: Mapping[str, object],
    templates: Mapping[str, Sequence[str]],
    fingerprints: Mapping[str, str] | None = None,
) -> Snapshot:
    """The canonical snapshot of one cluster-year's printed facts (see the module docstring).

    ``templates`` maps each template file name to the top-level names it reads;
    ``fingerprints`` what else made the documents (``mau/<tệp>``: a template's SHA-256,
    ``thidua``: the version), so a rebuild can name them when they changed.
    """
    leaves: dict[str, tuple[str | None, object]] = {}
    _flatten(context, "", "", "", leaves)
    units = {u.code: u.full_name for u in dossier.units}
    sources = fact_sources(dossier)
    salary = context.get("luong_co_so")
    if isinstance(salary, Mapping):
        where = sources.get(f"luong_co_so@{show(salary.get('muc'))}")
        if where:
            sources["luong_co_so.muc"] = where
    printing: dict[tuple[str, str | None], list[str]] = {}
    subjects: dict[tuple[str, str], str] = {}
    kinds = {name: template_kind(name) for name in templates}
    facts: dict[str, dict[str, object]] = {}
    label_of = _fact_label
    for path, (generic, value) in leaves.items():
        labelled = label_of(path if generic is None else generic)  # _label_path keys it
        if labelled is None:
            continue
        label, kind, variable = labelled
        document = _document_kind(variable, path) if variable in _PER_DOCUMENT else None
        documents = printing.get((variable, document))
        if documents is None:
            documents = _printing(variable, document, templates, kinds)
            printing[variable, document] = documents
        if variable in _ONE_KEY:  # whom it is about: the same for every fact of a record
            start = path.find("[")
            key = path[start + 1 : path.index("]")] if start >= 0 else ""
            subject = subjects.get((variable, key))
            if subject is None:
                subject = subjects[variable, key] = _subject(path, context, units)
        else:
            subject = _subject(path, context, units)
        fact: dict[str, object] = {
            "chu_the": subject,
            "muc": label,
            "kieu": kind,
            "gia_tri": value.replace("\xa0", " ") if type(value) is str else show(value, kind),
            "van_ban": documents.copy(),
        }
        where = sources.get(path)  # a source is never empty
        if where is not None:
            fact["nguon"] = where
        facts[path] = fact
    # The people present: one fact (the list), not one per person.
    meeting = context.get("hoi_nghi")
    if isinstance(meeting, Mapping):
        for key, label in (
            ("dai_bieu", "Đại biểu có mặt"),
            ("vang_mat", "Đại biểu vắng mặt"),
            ("khach_moi", "Khách mời"),
            ("don_vi_vang_mat", "Đơn vị vắng mặt"),
        ):
            people = meeting.get(key) or []
            assert isinstance(people, list)
            facts[f"hoi_nghi.{key}"] = {
                "chu_the": "",
                "muc": label,
                "kieu": "van",
                "gia_tri": "; ".join(str(p.get("mo_ta") or p.get("ten") or "") for p in people),
                "van_ban": _printing("hoi_nghi", None, templates, kinds),
            }
    return {
        "dinh_dang": FORMAT,
        "cum": dossier.cluster.name,
        "nam": dossier.cluster.year,
        "workbook": file_name(dossier.path),
        "van_ban": {name: sorted(v) for name, v in sorted(templates.items())},
        "du_lieu": {path: facts[path] for path in sorted(facts)},
        "o_nhap": input_cells(dossier),
        "dau_vet": dict(sorted((fingerprints or {}).items())),
    }


def snapshot_json(data: Snapshot) -> bytes:
    """Deterministic bytes: sorted keys, UTF-8, one fact or cell a line (so that two snapshots
    compare line by line in any text tool), a final newline.

    >>> print(snapshot_json({"b": {"x": [1]}, "a": 1}).decode(), end="")
    {
    "a": 1,
    "b": {
    "x": [1]
    }
    }
    """

    pieces = _encoder()
    out: list[str] = ["{\n"]  # pieces of the text, joined once at the end
    add, extend = out.append, out.extend
    items = sorted(data.items())
    for index, (key, value) in enumerate(items):
        extend(pieces(key, 0))
        if isinstance(value, Mapping) and value:
            add(": {\n")
            for k, v in sorted(value.items()):
                extend(pieces(k, 0))
                add(": ")
                extend(pieces(v, 0))
                add(",\n")
            out[-1] = "\n"  # no comma after the last entry
            add("}")
        else:
            add(": ")
            extend(pieces(value, 0))
        add(",\n" if index < len(items) - 1 else "\n")
    add("}\n")
    return "".join(out).encode("utf-8")


def _encoder() -> Callable[[object, int], Sequence[str]]:
    """The pieces ``json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ",
    ": "))`` writes a value in (call it with the value and ``0``): the one definition of a
    value's text in the snapshot, made cheap to use thousands of times.

    ``json.dumps`` with options builds a new :class:`json.JSONEncoder`, and its ``encode`` a new
    C encoder, for every value: most of the cost of a snapshot's few thousand lines. Here the C
    encoder is made once per snapshot, with the very arguments ``JSONEncoder.iterencode`` gives
    it (CPython's ``Lib/json/encoder.py``), so the text is the same by construction (a text
    too: ``encode``'s shortcut for one quotes it with the same ``encode_basestring``);
    ``tests/test_facts_json.py`` checks it against ``json.dumps``. Where the C encoder is missing
    (another Python), the one encoder object's ``encode`` is used.
    """
    options = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(", ", ": "))
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - CPython has it
        return lambda value, _: (options.encode(value),)
    encode: Callable[[object, int], Sequence[str]] = make(
        {},  # markers: a circular reference is refused, as json.dumps refuses it
        options.default,
        json.encoder.encode_basestring,
        None,  # indent
        options.key_separator,
        options.item_separator,
        options.sort_keys,
        options.skipkeys,
        options.allow_nan,
    )
    return encode


def read_snapshot(data: bytes | None) -> Snapshot | None:
    """A snapshot read back (``None`` when absent, unreadable or of another format)."""
    if data is None:
        return None
    try:
        loaded = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(loaded, dict) or loaded.get("dinh_dang") != FORMAT:
        return None
    return loaded
