"""What validation takes and where it points: results computed once, whole-sheet locations.

- The results (totals, ranks) are computed once per workbook by
  :func:`pipeline.domain.scoring.results_if_computable` and shared by the rules, the context and
  the build; ``validate(dossier)`` alone computes them itself.
- A problem about a whole sheet names the sheet by the title it has in the file
  (``Dossier.sheets``), not by the schema's name; a dossier built in code without titles falls
  back to the sheet of its records, else to the file alone.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from test_validate import CASES, valid_dossier

from pipeline.build import build
from pipeline.checking import check
from pipeline.domain import scoring
from pipeline.domain.model import Dossier, Role
from pipeline.domain.rules import validate
from pipeline.domain.scoring import results_if_computable
from pipeline.errors import has_errors
from pipeline.resources import bundled_inputs_dir
from pipeline.workbook.loader import load
from pipeline.workbook.schema import SAMPLE_FILE

#: The rules that judge only totals and ranks: they find nothing without results.
RANKED_ONLY = {"B15", "C17", "C18"}
#: D19 judges the Cờ quota without results, and the rank of the unit proposed with them.
RANK_1_ONLY = "Cờ chỉ dành cho đơn vị dẫn đầu cụm"


def count_computations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count every computation of totals (``scoring.compute`` sums the units' points once)."""
    calls: list[int] = []
    original = scoring._unit_results

    def counting(dossier: Dossier) -> list[scoring.UnitResult]:
        calls.append(1)
        return original(dossier)

    monkeypatch.setattr(scoring, "_unit_results", counting)
    return calls


def sample_copy(tmp_path: Path) -> Path:
    path = tmp_path / SAMPLE_FILE
    shutil.copy(bundled_inputs_dir() / SAMPLE_FILE, path)
    return path


def test_check_computes_the_results_once_per_workbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = sample_copy(tmp_path)
    calls = count_computations(monkeypatch)
    check([path, path])
    assert len(calls) == 2


def test_build_computes_the_results_once_per_workbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = sample_copy(tmp_path)
    calls = count_computations(monkeypatch)
    statuses = build([path], tmp_path / "outputs", echo=lambda _: None)
    assert len(statuses) == 6  # four documents, the manifest, the snapshot of the printed facts
    assert len(calls) == 1


def test_validate_alone_computes_the_results_itself() -> None:
    for case in CASES:
        d = case.mutate(valid_dossier())
        assert validate(d) == validate(d, results_if_computable(d)), case.id


def test_without_results_the_ranking_rules_find_nothing() -> None:
    """``None`` results: B15, C17, C18 and D19's rank check are silent; every other problem is
    still found, in the same order."""
    judged_ranks = 0
    for case in CASES:
        d = case.mutate(valid_dossier())
        full = validate(d)
        ranked = [p for p in full if p.code in RANKED_ONLY or RANK_1_ONLY in p.message]
        judged_ranks += bool(ranked)
        assert validate(d, None) == [p for p in full if p not in ranked], case.id
    assert judged_ranks >= 4  # the comparison above covered cases the ranking rules judge


def partial_dossiers() -> dict[str, Dossier]:
    """Dossiers whose results cannot be computed, as a loader may return them."""
    d = valid_dossier()
    blank_scores = tuple(replace(s, cluster_score=None) for s in d.scores)
    cycle = (replace(d.criteria[0], parent="I.1"), *d.criteria[1:])
    return {
        "no-units": replace(d, units=()),
        "no-scores": replace(d, scores=()),
        "blank-cluster-scores": replace(d, scores=blank_scores),
        "criteria-cycle": replace(d, criteria=cycle),
        "duplicated-unit": replace(d, units=(*d.units, d.units[0])),
    }


@pytest.mark.parametrize(
    "dossier",
    [c.mutate(valid_dossier()) for c in CASES] + list(partial_dossiers().values()),
    ids=[c.id for c in CASES] + list(partial_dossiers()),
)
def test_no_results_means_an_error(dossier: Dossier) -> None:
    """``build`` renders only dossiers without errors, and relies on them having results."""
    if results_if_computable(dossier) is None:
        assert has_errors(validate(dossier))


@pytest.mark.parametrize("name", list(partial_dossiers()))
def test_a_partial_dossier_has_no_results(name: str) -> None:
    assert results_if_computable(partial_dossiers()[name]) is None


def test_an_error_free_dossier_has_the_results_compute_gives() -> None:
    d = valid_dossier()
    assert results_if_computable(d) == scoring.compute(d)


# --- whole-sheet locations -----------------------------------------------------------------------


def test_a_whole_sheet_is_named_as_in_the_file(tmp_path: Path) -> None:
    """An empty LuongCoSo renamed "Lương cơ sở" (the loader accepts it): F31 points at it."""
    path = sample_copy(tmp_path)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["LuongCoSo"]
    sheet.delete_rows(2, sheet.max_row)
    sheet.title = "Lương cơ sở"
    workbook.save(path)
    dossier, problems = load(path)
    assert dossier is not None, problems
    assert dossier.sheet("base_salaries") == "Lương cơ sở"
    [f31] = [p for p in validate(dossier) if p.code == "F31"]
    assert (f31.severity, f31.location.sheet, f31.location.cell) == ("error", "Lương cơ sở", None)
    assert str(f31.location) == f"{SAMPLE_FILE} › Lương cơ sở"


def no_salaries(d: Dossier) -> Dossier:
    return replace(d, params=replace(d.params, base_salaries=()))


def test_a_dossier_built_in_code_falls_back_to_its_records_then_to_the_file() -> None:
    d = replace(valid_dossier(), sheets={})
    # records with a sheet: their sheet (A4: no head, the units come from DonVi)
    no_head = replace(d, units=tuple(replace(u, role=Role.MEMBER) for u in d.units))
    [a4] = [p for p in validate(no_head) if p.code == "A4"]
    assert str(a4.location) == "cum.xlsx › DonVi"
    # no record at all: the file alone, never a sheet name the dossier does not know
    [f31] = [p for p in validate(no_salaries(d)) if p.code == "F31"]
    assert (f31.location.file, f31.location.sheet, f31.location.cell) == ("cum.xlsx", None, None)


def test_the_titles_win_over_the_records() -> None:
    d = replace(valid_dossier(), sheets={"base_salaries": "Lương", "units": "Đơn vị"})
    no_head = replace(d, units=tuple(replace(u, role=Role.MEMBER) for u in d.units))
    [a4] = [p for p in validate(no_head) if p.code == "A4"]
    assert str(a4.location) == "cum.xlsx › Đơn vị"
    [f31] = [p for p in validate(no_salaries(d)) if p.code == "F31"]
    assert str(f31.location) == "cum.xlsx › Lương"
