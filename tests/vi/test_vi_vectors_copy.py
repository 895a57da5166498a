"""The repository's copy of the vectors must stay equal to the shared research vectors."""

from __future__ import annotations

import json

import pytest
from vi_testdata import SHARED, VECTORS


def test_repo_copy_equals_shared_vectors() -> None:
    if not SHARED.exists():
        pytest.skip(f"{SHARED} is not beside this clone")
    shared = json.loads(SHARED.read_text(encoding="utf-8"))
    for key, value in VECTORS.items():
        assert key in shared, key
        assert value == shared[key], key


def test_repo_copy_has_the_vectors_the_tests_use() -> None:
    for key in ("dates", "numbers", "money_in_words", "sorting", "legacy_vni_to_unicode"):
        assert VECTORS[key]
