"""The repository's copy of the vectors is the shared research vectors, unchanged.

Every clone checks the copy against its recorded provenance (``vi-vectors.provenance.json``: the
SHA-256 of each copied key), so a vector edited by hand, added or dropped fails here, with or
without the shared folder. Where ``shared/reference/vi-vectors.json`` lies beside the clone (the
project's own machines), the copy is also compared with it, value by value; in a standalone clone
that comparison does not exist as a test at all (it is neither run nor reported as passed).
"""

from __future__ import annotations

import json

from vi_testdata import PROVENANCE, SHARED, SOURCE, VECTORS, digest

RECORD = json.loads(PROVENANCE.read_text(encoding="utf-8"))


def test_repo_copy_matches_its_recorded_provenance() -> None:
    assert RECORD["source"] == SOURCE
    assert len(RECORD["source_sha256"]) == 64
    assert list(VECTORS) == list(RECORD["keys"]), "a key was added, dropped or moved"
    changed = [key for key, value in VECTORS.items() if digest(value) != RECORD["keys"][key]]
    assert changed == [], f"vectors edited since they were copied from {SOURCE}: {changed}"


def test_repo_copy_has_the_vectors_the_tests_use() -> None:
    for key in ("dates", "numbers", "money_in_words", "sorting", "legacy_vni_to_unicode"):
        assert VECTORS[key]


if SHARED.is_file():

    def test_repo_copy_equals_shared_vectors() -> None:
        shared = json.loads(SHARED.read_text(encoding="utf-8"))
        for key, value in VECTORS.items():
            assert key in shared, key
            assert value == shared[key], key
            assert digest(shared[key]) == RECORD["keys"][key], key
