"""The test vectors of the Vietnamese core, read from the repository's own copy.

``tests/vi/vi-vectors.json`` holds the vectors of ``shared/reference/vi-vectors.json`` (the
research note's companion file) that concern :mod:`pipeline.vi`, unchanged, so that the
repository is self-contained; ``test_vi_vectors_copy.py`` checks the copy against the shared file
when it is present beside the clone.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO_COPY = HERE / "vi-vectors.json"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "vi-vectors.json"

VECTORS: dict[str, Any] = json.loads(REPO_COPY.read_text(encoding="utf-8"))


def vectors(key: str) -> list[Any]:
    """The list of vectors stored under ``key``."""
    value = VECTORS[key]
    assert isinstance(value, list), key
    return value
