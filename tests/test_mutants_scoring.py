"""When the scores can be totalled: every unit, every leaf criterion, exactly one row with a
cluster score (rule B8's contract; scoring.scores_are_complete)."""

from __future__ import annotations

from dataclasses import replace

from test_validate import add_score, scores, valid_dossier

from pipeline.domain.scoring import results_if_computable, scores_are_complete


def test_the_valid_dossier_is_complete() -> None:
    d = valid_dossier()
    assert scores_are_complete(d)
    assert results_if_computable(d) is not None


def test_one_row_without_its_cluster_score_is_not_complete() -> None:
    d = scores("BTC", "I.1", cluster_score=None)(valid_dossier())
    assert not scores_are_complete(d)
    assert results_if_computable(d) is None


def test_a_second_row_for_the_same_unit_and_criterion_is_not_complete() -> None:
    d = valid_dossier()
    [row] = [s for s in d.scores if (s.unit, s.criterion) == ("BTC", "I.1")]
    # a second, blank row: one cluster score but two rows
    twice = add_score(replace(row, cluster_score=None, self_score=None))(d)
    assert not scores_are_complete(twice)
    # a second row with a score too: two scores for one cell
    assert not scores_are_complete(add_score(row)(d))
