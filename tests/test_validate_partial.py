"""The rules on a partly read dossier: what could not be read is None or named unreadable, and
every rule judges the rest without failing (issue 9: one problem never hides another).

The dossiers are built in code from the valid dossier of ``tests/test_validate.py``; the
workbook-level tests are in ``tests/test_workbook_inputs.py``.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from decimal import Decimal

import pytest

from pipeline.domain.model import Dossier
from pipeline.domain.rules import RULES, validate
from pipeline.domain.scoring import results_if_computable
from tests.test_validate import valid_dossier

PARTS = ("units", "criteria", "scores", "meeting", "attendees", "votes", "rotation",
         "base_salaries", "award_forms", "documents")  # fmt: skip


def unknown_settings(d: Dossier) -> Dossier:
    """Every required setting of ThongTinChung, HoiNghi and LuanPhien unreadable."""
    return replace(
        d,
        cluster=replace(d.cluster, doc_format=None, year=None, covenant_year=None, max_score=None),
        meeting=replace(d.meeting, date=None, start=None, end=None),
        rotation=replace(d.rotation, year=None, head=None, deputy=None),
    )


def negative_score(d: Dossier) -> Dossier:
    first = replace(d.scores[0], cluster_score=Decimal(-5))
    return replace(d, scores=(first, *d.scores[1:]))


#: The rules that read the settings made unreadable: the thang điểm (B7, B15), the dates and
#: years (E28), next year's rotation (E30).
NEEDS_SETTINGS = {"B7", "B15", "E28", "E30"}


def test_unreadable_settings_hide_nothing_else() -> None:
    """The same problems with or without the settings, but for the rules that read them."""
    known = validate(negative_score(valid_dossier()))
    assert {"B9", "D19", "B15"} <= {p.code for p in known}  # the -5 costs the leader the Cờ
    unknown = validate(negative_score(unknown_settings(valid_dossier())))
    assert unknown == [p for p in known if p.code not in NEEDS_SETTINGS]


@pytest.mark.parametrize("parts", [(p,) for p in PARTS] + list(itertools.combinations(PARTS, 3)))
def test_every_rule_runs_on_any_unreadable_part(parts: tuple[str, ...]) -> None:
    dossier = replace(unknown_settings(valid_dossier()), unreadable=frozenset(parts))
    results = results_if_computable(dossier)
    for rule in RULES:
        list(rule(dossier, results))  # no rule fails on what the loader could not read


@pytest.mark.parametrize("part", ["criteria", "scores", "units"])
def test_no_results_without_the_units_criteria_and_scores(part: str) -> None:
    assert results_if_computable(valid_dossier()) is not None
    assert results_if_computable(replace(valid_dossier(), unreadable=frozenset({part}))) is None


def test_an_unreadable_sheet_is_not_reported_again_as_every_row_missing() -> None:
    """ChamDiem unreadable (the loader reports it): B8 does not list every unit × criterion."""
    dossier = replace(valid_dossier(), scores=(), unreadable=frozenset({"scores"}))
    assert [p for p in validate(dossier) if p.code == "B8"] == []
    assert [p for p in validate(replace(dossier, unreadable=frozenset())) if p.code == "B8"]
