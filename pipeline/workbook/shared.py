"""The province's shared settings: one file beside the cluster workbooks, overridden row by row.

Pure: no I/O (the file is read by :func:`pipeline.workbook.loader.load_shared`). Many clusters of
a province share their base salaries, award forms and coefficients, legal bases, recipients and
default parameters; :data:`~pipeline.workbook.schema.SHARED_FILE` holds them once, in the sheets
of :data:`~pipeline.workbook.schema.SHARED_SHEETS`, laid out exactly as in a cluster workbook and
read by the same reader (:func:`~pipeline.workbook.reader.locate`) and converters
(:mod:`pipeline.workbook.parts`), so that its problems name its own file, sheet and cell.

:func:`read_shared` turns the located sheets into :class:`SharedSettings`; the ``over_*``
functions lay a cluster's own rows over them, keyed as
:data:`~pipeline.workbook.schema.SHARED_KEYS` documents:

- award forms by code, base salaries by their start date: the cluster's row replaces the shared
  row with the same key, the other rows of both are kept;
- legal bases and recipients by document: a document for which the cluster has rows takes only
  the cluster's rows;
- parameters setting by setting (:func:`pipeline.workbook.parts.params`).

A row taken from the shared file keeps its :class:`~pipeline.domain.model.Source`, which names the
shared file: that is how a later report tells which facts came from it
(:func:`facts_from_shared`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypeVar

from pipeline.domain.model import (
    Addressee,
    AwardForm,
    BaseSalary,
    Dossier,
    LegalBasis,
)
from pipeline.errors import Problem, has_errors
from pipeline.workbook import parts
from pipeline.workbook.convert import References, ok, record_values
from pipeline.workbook.problems import ProblemSink
from pipeline.workbook.reader import LocatedSheet, locate
from pipeline.workbook.schema import (
    ADDRESSEES,
    AWARD_FORMS,
    BASE_SALARIES,
    LEGAL_BASES,
    PARAMETERS,
    SHARED_FILE,
    SHARED_SHEETS,
)

__all__ = [
    "SharedSettings",
    "cover",
    "facts_from_shared",
    "over_addressees",
    "over_forms",
    "over_legal_bases",
    "over_salaries",
    "read_shared",
]

if TYPE_CHECKING:  # the types only: reading stays free of openpyxl
    from pipeline.workbook.xlsx_read import RawSheet


@dataclass(frozen=True, slots=True)
class SharedSettings:
    """What a shared settings file holds, read and converted.

    ``file`` names it in problems and sources (its file name). ``sheets`` maps the name of each
    sheet it has (of :data:`~pipeline.workbook.schema.SHARED_SHEETS`) to its title in the file;
    a sheet it lacks overrides nothing. ``problems`` are those reading it found, located in it.
    """

    file: str
    sheets: Mapping[str, str]
    forms: Mapping[str, AwardForm]
    salaries: tuple[BaseSalary, ...]
    legal_bases: tuple[LegalBasis, ...]
    addressees: tuple[Addressee, ...]
    settings: parts.Inherited | None
    problems: tuple[Problem, ...]

    @property
    def usable(self) -> bool:
        """Whether the file has no error (a cluster built over it would be built on sand)."""
        return not has_errors(self.problems)


def read_shared(sheets: Mapping[str, RawSheet], file: str = SHARED_FILE) -> SharedSettings:
    """The shared settings in ``sheets`` (title → raw sheet, as read from the file ``file``).

    Every sheet is optional here and a missing one is not reported; a sheet that is there is
    read exactly as in a cluster workbook, with the same problems. Award forms, salaries, legal
    bases and recipients refer to no unit, criterion or vote, so no references are needed.
    """
    sink = ProblemSink(file)
    located: dict[str, LocatedSheet] = {
        spec.name: locate(sheets, replace(spec, required=False), file) for spec in SHARED_SHEETS
    }
    for sheet in located.values():
        sink.extend(p for p in sheet.problems if p.code != "sheet-missing")
    refs = References()
    forms, _ = parts.award_forms(located[AWARD_FORMS.name].records, refs, sink)
    salaries = parts.base_salaries(located[BASE_SALARIES.name].records, refs, sink)
    legal_bases = parts.legal_bases(located[LEGAL_BASES.name].records, refs, sink)
    addressees = parts.addressees(located[ADDRESSEES.name].records, refs, sink)
    settings = _settings(located[PARAMETERS.name], refs, sink)
    return SharedSettings(
        file=file,
        sheets={name: s.title for name, s in located.items() if s.title is not None},
        forms=forms,
        salaries=salaries,
        legal_bases=legal_bases,
        addressees=addressees,
        settings=settings,
        problems=tuple(sink.finish()),
    )


def _settings(located: LocatedSheet, refs: References, sink: ProblemSink) -> parts.Inherited | None:
    if not located.records:
        return None
    record = located.records[0]
    values = record_values(record, refs, sink)
    return parts.Inherited(
        {name: value for name, value in values.items() if ok(value)}, record.source()
    )


def cover(book: Mapping[str, LocatedSheet], shared: SharedSettings) -> dict[str, LocatedSheet]:
    """The cluster's located sheets, where a sheet the cluster lacks but the shared file has is
    no longer missing: its "sheet-missing" problem is dropped, it is not
    :attr:`~pipeline.workbook.reader.LocatedSheet.unreadable`, and it has no rows of its own."""
    covered = dict(book)
    for name in shared.sheets:
        own = book[name]
        if own.title is None:
            kept = tuple(p for p in own.problems if p.code != "sheet-missing")
            optional = replace(own.spec, required=False)  # missing and optional: not unreadable
            covered[name] = replace(own, spec=optional, records=None, problems=kept)
    return covered


def over_forms(shared: SharedSettings, own: Mapping[str, AwardForm]) -> dict[str, AwardForm]:
    """The award forms: the shared ones in their order, each replaced by the cluster's form with
    the same code, then the cluster's other forms in its order."""
    merged = {code: own.get(code, form) for code, form in shared.forms.items()}
    merged.update((code, form) for code, form in own.items() if code not in merged)
    return merged


def over_salaries(shared: SharedSettings, own: Sequence[BaseSalary]) -> tuple[BaseSalary, ...]:
    """The base salaries: the cluster's, then the shared ones whose start date the cluster does
    not give (:func:`~pipeline.domain.scoring.base_salary_on` picks by date, in any order)."""
    dates = {s.effective_from for s in own}
    return (*own, *(s for s in shared.salaries if s.effective_from not in dates))


def over_legal_bases(shared: SharedSettings, own: Sequence[LegalBasis]) -> tuple[LegalBasis, ...]:
    """The legal bases: for each document, the cluster's lines if it has any, else the shared
    file's."""
    return (*_by_document(shared.legal_bases, own), *own)


def over_addressees(shared: SharedSettings, own: Sequence[Addressee]) -> tuple[Addressee, ...]:
    """The recipients, document by document as :func:`over_legal_bases`."""
    return (*_by_document(shared.addressees, own), *own)


_Line = TypeVar("_Line", LegalBasis, Addressee)


def _by_document(lines: Sequence[_Line], own: Sequence[_Line]) -> list[_Line]:
    """The shared ``lines``, each kept only for the documents the cluster gives no line for (a
    line left with no document is dropped). Every document's lines then come from one file, so
    ordering them by their row order stays meaningful."""
    covered = {kind for line in own for kind in line.documents}
    kept = []
    for line in lines:
        documents = tuple(kind for kind in line.documents if kind not in covered)
        if documents:
            kept.append(replace(line, documents=documents))
    return kept


def facts_from_shared(dossier: Dossier, file: str) -> dict[str, tuple[str, ...]]:
    """Which facts of ``dossier`` came from the shared file named ``file``: part → the keys of the
    rows (award-form codes, salary start dates as ``yyyy-mm-dd``, legal bases and recipients by
    their text, parameter names). Parts with none are left out.

    For the change report: a fact that changed and came from the shared file was changed there.
    """
    params = dossier.params
    found: dict[str, tuple[str, ...]] = {
        "award_forms": tuple(c for c, f in params.award_forms.items() if f.src.file == file),
        "base_salaries": tuple(
            s.effective_from.isoformat() for s in params.base_salaries if s.src.file == file
        ),
        "legal_bases": tuple(b.text for b in dossier.legal_bases if b.src.file == file),
        "addressees": tuple(a.text for a in dossier.addressees if a.src.file == file),
        "params": tuple(n for n, src in params.inherited.items() if src.file == file),
    }
    return {part: keys for part, keys in found.items() if keys}
