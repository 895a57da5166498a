"""The bytes of ``du-lieu-in.json`` (pipeline.documents.facts.snapshot_json), checked against
the format's definition written plainly here with ``json.dumps``: whatever makes the bytes
cheaper must keep every byte of every snapshot, so a rebuild after an upgrade does not report a
change that is not one.

The snapshots are those of the bundled sample (its cells read from the workbook) in both
layouts, of the in-code Lạng Sơn dossier with ties, a renamed unit and long texts, and of a unit
named with quotes, backslashes, control characters and characters outside the BMP; and one
snapshot-shaped dictionary with every kind of JSON value.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from collections.abc import Mapping

import pytest
from test_context import lang_son_dossier, with_totals, with_unit

from pipeline.documents.context import build_context
from pipeline.documents.facts import read_snapshot, snapshot, snapshot_json
from pipeline.domain.model import DocFormat, Dossier, Narrative
from pipeline.domain.scoring import compute
from pipeline.resources import bundled_inputs_dir
from pipeline.workbook.schema import SAMPLE_FILE as SAMPLE

#: A text with everything JSON must escape or may keep: quotes, a backslash, control characters,
#: the line and paragraph separators, a no-break space, a character outside the BMP (𝔸), an
#: emoji with a joiner, and Vietnamese.
TRICKY = 'Ban "Tuyên giáo" \\ Tỉnh ủy\t\x01\x1f\x7f\u2028\u2029\xa0𝔸 👩‍👩‍👧 \\u0041 /'


def reference(data: Mapping[str, object]) -> bytes:
    """The snapshot file's format: ``{`` on its own line, then each top-level key sorted; a
    non-empty mapping opens ``"key": {``, gives one ``"k": value`` line per entry (keys sorted)
    and closes ``}``; any other value stands on its key's line; commas between entries; each
    key and value as ``json.dumps(..., ensure_ascii=False, sort_keys=True, separators=(", ",
    ": "))`` writes it; lines joined by ``\\n`` with a final newline; UTF-8."""

    def dumps(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))

    out = ["{"]
    top = sorted(data.items())
    for index, (key, value) in enumerate(top):
        comma = "," if index < len(top) - 1 else ""
        if isinstance(value, Mapping) and value:
            out.append(dumps(key) + ": {")
            inner = sorted(value.items())
            for i, (k, v) in enumerate(inner):
                out.append(dumps(k) + ": " + dumps(v) + ("," if i < len(inner) - 1 else ""))
            out.append("}" + comma)
        else:
            out.append(dumps(key) + ": " + dumps(value) + comma)
    out.append("}")
    return ("\n".join(out) + "\n").encode("utf-8")


@functools.cache
def variables() -> dict[str, list[str]]:
    """The names each bundled template reads, as a build gives them to :func:`snapshot`."""
    from pipeline.documents.templates import compile_templates, find_templates
    from pipeline.resources import bundled_templates_dir

    templates, _ = compile_templates(find_templates(bundled_templates_dir()))
    return {path.name: list(t.variables) for path, t in templates}


@functools.cache
def sample() -> Dossier:
    from pipeline.workbook.loader import load

    dossier, problems = load(bundled_inputs_dir() / SAMPLE)
    assert dossier is not None and not [p for p in problems if p.is_error]
    return dossier


def in_layout(dossier: Dossier, doc_format: DocFormat) -> Dossier:
    return dataclasses.replace(
        dossier, cluster=dataclasses.replace(dossier.cluster, doc_format=doc_format)
    )


def long_texts(dossier: Dossier) -> Dossier:
    text = " ".join(["Các cơ quan trong cụm đã tích cực tham mưu, phục vụ Tỉnh ủy."] * 12)
    narratives = (*dossier.narratives, Narrative("tinh_hinh", None, text, 9))
    return dataclasses.replace(dossier, narratives=narratives)


def tied(dossier: Dossier) -> Dossier:
    first, second = (u.code for u in dossier.units[:2])
    return with_totals(dossier, {first: "990", second: "990"})


def renamed(dossier: Dossier, name: str) -> Dossier:
    return with_unit(dossier, dossier.units[0].code, full_name=name)


def bracketed(dossier: Dossier) -> Dossier:
    """A person proposed whose name has brackets and a dot: the name is a key of the path
    (``de_nghi_ca_nhan[<tên>/<hình thức>]``), so the path is not cut at the wrong place."""
    first, *others = dossier.individual_proposals
    person = dataclasses.replace(first, name=f"Nguyễn [Văn] A.] {TRICKY} [")
    return dataclasses.replace(dossier, individual_proposals=(person, *others))


DOSSIERS = {
    "sample, Party layout": lambda: in_layout(sample(), DocFormat.PARTY),
    "sample, State layout": lambda: in_layout(sample(), DocFormat.STATE),
    "sample, a unit renamed with tricky characters": lambda: renamed(sample(), TRICKY),
    "in code, Party layout, tied": lambda: tied(lang_son_dossier(DocFormat.PARTY)),
    "in code, State layout, long texts": lambda: long_texts(lang_son_dossier(DocFormat.STATE)),
    "in code, renamed": lambda: renamed(lang_son_dossier(), "Ban Dân vận và Tuyên giáo Tỉnh ủy"),
    "in code, tricky name, tied": lambda: renamed(tied(lang_son_dossier()), TRICKY),
    "sample, a person named with brackets": lambda: bracketed(sample()),
}


def facts_of(dossier: Dossier, marks: Mapping[str, str] | None = None) -> dict[str, object]:
    return snapshot(dossier, build_context(dossier, compute(dossier)), variables(), marks)


@pytest.mark.parametrize("case", DOSSIERS)
def test_the_snapshot_file_is_the_format_written_with_json_dumps(case: str) -> None:
    facts = facts_of(DOSSIERS[case](), {"mau/01-bao-cao.docx": "ab" * 32, "thidua": "1.0"})
    assert len(facts["du_lieu"]) > 100  # type: ignore[arg-type]  # a real snapshot
    data = snapshot_json(facts)
    assert data == reference(facts)
    assert read_snapshot(data) == json.loads(json.dumps(facts))  # and it reads back whole


#: SHA-256 of ``du-lieu-in.json`` of the sample, recorded with the code of main before the
#: snapshot was made cheaper (issue 13): the facts themselves, not only their writing, stay the
#: same. A deliberate change of the snapshot (a template reading a new name, a new label)
#: changes them: record the new hashes in the same commit and say so.
RECORDED = {
    "sample, Party layout": "749b68bf5dd4906cdfd6e7f8ea3025e88e26b75bf51b25e92c2de44c7855eb73",
    "sample, State layout": "0a9409d003def0e2ef87e47b7a19e9b3421f3a96a973e81e28f497636cc31cc0",
    "sample, a person named with brackets": (
        "e72c66796d25d5075f6cfe8c419d1128ccc3c2b91d23cbc7d1aa32eed4f794f5"
    ),
}


@pytest.mark.parametrize("case", RECORDED)
def test_the_sample_snapshot_has_the_bytes_recorded_before(case: str) -> None:
    facts = facts_of(DOSSIERS[case](), {"mau/01-bao-cao.docx": "ab" * 32, "thidua": "1.0"})
    assert hashlib.sha256(snapshot_json(facts)).hexdigest() == RECORDED[case]


def test_the_tricky_name_is_in_the_snapshot_escaped_as_json_escapes_it() -> None:
    facts = facts_of(renamed(sample(), TRICKY))
    data = snapshot_json(facts).decode("utf-8")
    quoted = json.dumps(TRICKY.replace("\xa0", " "), ensure_ascii=False)
    assert quoted in data and "\\u0001" in data and "𝔸" in data
    assert len(facts["o_nhap"]) > 100  # type: ignore[arg-type]  # the sample's cells are there


def every_kind_of_value() -> dict[str, object]:
    values: list[object] = [TRICKY, "", 0, -7, 10**20, 1.5, float("nan"), None, True, False]
    nested: dict[str, object] = {
        "z": [TRICKY, {"b": 1, "a": [None, (1, "x")]}],
        "a": {},
        "m": [],
        "é": "ê",
        "A": "upper sorts first",
    }
    return {
        "dinh_dang": 1,
        "van_ban": {"b.docx": ["x", "a"], "a.docx": []},
        "du_lieu": {f"k{i}": v for i, v in enumerate([*values, nested])},
        "o_nhap": {TRICKY: {"gia_tri": TRICKY, "chu_the": "", "muc": "\n"}},
        "so": {3: "three", 1: "one"},
        "dau_vet": {},
        "rong": [],
        "chu": TRICKY,
        "\U0001f600": (1, 2),
    }


def test_every_kind_of_json_value_is_written_as_json_dumps_writes_it() -> None:
    data = every_kind_of_value()
    assert snapshot_json(data) == reference(data)


@pytest.mark.parametrize(
    "value", [{"a": object()}, [{1, 2}], {"x": {("a", 1): 1}}], ids=["object", "set", "tuple-key"]
)
def test_what_json_cannot_write_is_refused_as_json_dumps_refuses_it(value: object) -> None:
    with pytest.raises(TypeError):
        json.dumps(value)
    with pytest.raises(TypeError):
        snapshot_json({"du_lieu": {"k": value}})


def test_a_circular_value_is_refused() -> None:
    loop: list[object] = []
    loop.append(loop)
    with pytest.raises((ValueError, RecursionError)):
        snapshot_json({"du_lieu": {"k": loop}})
