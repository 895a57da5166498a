"""Located records → the domain model: the order in which the dossier is built.

Pure: no I/O. :func:`assemble` builds the dossier in two steps, and the types say so:

1. the four sheets other sheets refer to come first, each giving its part of the dossier and an
   immutable resolution table (:mod:`pipeline.workbook.convert`): units (``DonVi``: codes and
   other names), criteria (``TieuChi``), award forms (``HinhThuc``) and votes (``BoPhieu``),
   each read with the tables built before it;
2. every other part (:mod:`pipeline.workbook.parts`) is built with all four tables, passed in as
   one :class:`~pipeline.workbook.convert.References`.

No part depends on another having been built except through what it is given. Each sheet passes
on what locating it found (:func:`_records`) just before its cells are converted, so problems
are collected sheet by sheet in the order below; :meth:`~pipeline.workbook.problems.ProblemSink.
finish` sorts them for the user (problems that sort equal keep this order).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from pipeline.domain.model import Dossier, Source
from pipeline.workbook import parts
from pipeline.workbook.convert import References
from pipeline.workbook.problems import ProblemSink
from pipeline.workbook.reader import LocatedSheet, Record
from pipeline.workbook.schema import (
    ADDRESSEES,
    ADJUSTMENTS,
    ATTENDEES,
    AWARD_FORMS,
    BASE_SALARIES,
    CLUSTER,
    COLLECTIVE,
    COVENANT,
    CRITERIA,
    DISCUSSIONS,
    DOCUMENTS,
    DOSSIER_PART,
    INDIVIDUAL,
    LEGAL_BASES,
    MEETING,
    NARRATIVES,
    PARAMETERS,
    ROTATION,
    SCORES,
    UNITS,
    VOTES,
    Sheet,
)

__all__ = ["Book", "assemble"]

Book = Mapping[str, LocatedSheet]  # sheet name → what locating it found


def assemble(book: Book, path: str, sink: ProblemSink) -> Dossier:
    """The dossier read from ``book`` (every declared sheet, located), however broken; every
    problem goes to ``sink``. ``path`` is the file's path as given.

    A sheet that cannot be read gives an empty part (no units, no scores…) named in
    :attr:`~pipeline.domain.model.Dossier.unreadable`, and a key–value sheet's required setting
    that is blank or unreadable is ``None`` in the model; the problem is reported either way,
    and the validation rules judge whatever else they can.
    """
    # 1. The sheets that define codes, each read with the tables built before it.
    units, unit_table = parts.units(_records(book, UNITS, sink), References(), sink)
    refs = References(units=unit_table)
    criteria, criterion_table = parts.criteria(_records(book, CRITERIA, sink), refs, sink)
    refs = replace(refs, criteria=criterion_table)
    forms, form_table = parts.award_forms(_records(book, AWARD_FORMS, sink), refs, sink)
    refs = replace(refs, forms=form_table)
    votes, vote_table = parts.votes(_records(book, VOTES, sink), refs, sink)
    refs = replace(refs, votes=vote_table)
    # 2. Every other part, with every table; a part made of parts takes them built.
    cluster_records = _records(book, CLUSTER, sink)
    documents = parts.documents(_records(book, DOCUMENTS, sink), refs, sink)
    cluster = parts.cluster(cluster_records, documents, refs, sink, _whole(book, CLUSTER, sink))
    scores = parts.scores(_records(book, SCORES, sink), refs, sink)
    adjustments = parts.adjustments(_records(book, ADJUSTMENTS, sink), refs, sink)
    meeting_records = _records(book, MEETING, sink)
    attendees = parts.attendees(_records(book, ATTENDEES, sink), refs, sink)
    discussions = parts.discussions(_records(book, DISCUSSIONS, sink), refs, sink)
    meeting = parts.meeting(
        meeting_records, attendees, discussions, refs, sink, _whole(book, MEETING, sink)
    )
    collective = parts.collective_proposals(_records(book, COLLECTIVE, sink), refs, sink)
    individual = parts.individual_proposals(_records(book, INDIVIDUAL, sink), refs, sink)
    rotation = parts.rotation(
        _records(book, ROTATION, sink), refs, sink, _whole(book, ROTATION, sink)
    )
    covenant = parts.covenant_targets(_records(book, COVENANT, sink), refs, sink)
    narratives = parts.narratives(_records(book, NARRATIVES, sink), refs, sink)
    legal_bases = parts.legal_bases(_records(book, LEGAL_BASES, sink), refs, sink)
    addressees = parts.addressees(_records(book, ADDRESSEES, sink), refs, sink)
    params_records = _records(book, PARAMETERS, sink)
    salaries = parts.base_salaries(_records(book, BASE_SALARIES, sink), refs, sink)
    params = parts.params(
        params_records, salaries, forms, refs, sink, _whole(book, PARAMETERS, sink)
    )
    return Dossier(
        path=path,
        cluster=cluster,
        units=units,
        criteria=criteria,
        scores=scores,
        adjustments=adjustments,
        meeting=meeting,
        votes=votes,
        collective_proposals=collective,
        individual_proposals=individual,
        rotation=rotation,
        covenant_targets=covenant,
        narratives=narratives,
        params=params,
        legal_bases=legal_bases,
        addressees=addressees,
        sheets={
            DOSSIER_PART[name]: located.title
            for name, located in book.items()
            if located.title is not None
        },
        unreadable=frozenset(
            DOSSIER_PART[name] for name, located in book.items() if located.unreadable
        ),
    )


def _whole(book: Book, spec: Sheet, sink: ProblemSink) -> Source:
    """Where a key–value sheet is, as a whole: the source of its settings when it cannot be
    read (its title in the file, or its name when the file lacks it)."""
    return Source(sink.file, book[spec.name].title or spec.name)


def _records(book: Book, spec: Sheet, sink: ProblemSink) -> tuple[Record, ...] | None:
    """The records of one sheet (``None``: missing or unreadable), after passing on to ``sink``
    what locating the sheet found."""
    located = book[spec.name]
    sink.extend(located.problems)
    return located.records
