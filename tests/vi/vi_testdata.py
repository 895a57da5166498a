"""The test vectors of the Vietnamese core, read from the repository's own copy.

``tests/vi/vi-vectors.json`` holds the vectors of ``shared/reference/vi-vectors.json`` (the
research note's companion file) that concern :mod:`pipeline.vi`, unchanged, so that the
repository is self-contained. ``tests/vi/vi-vectors.provenance.json`` records where they came
from: the SHA-256 of the shared file they were copied from, and the SHA-256 of each copied key's
canonical JSON (:func:`digest`). ``test_vi_vectors_copy.py`` checks the copy against those
digests in every clone, and against the shared file itself where it lies beside the clone.

After a deliberate change of the shared vectors, refresh both files from it::

    .venv/bin/python tests/vi/vi_testdata.py
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO_COPY = HERE / "vi-vectors.json"
PROVENANCE = HERE / "vi-vectors.provenance.json"
SOURCE = "shared/reference/vi-vectors.json"
SHARED = Path(__file__).resolve().parents[2].parent / SOURCE

VECTORS: dict[str, Any] = json.loads(REPO_COPY.read_text(encoding="utf-8"))


def vectors(key: str) -> list[Any]:
    """The list of vectors stored under ``key``."""
    value = VECTORS[key]
    assert isinstance(value, list), key
    return value


def digest(value: Any) -> str:
    """SHA-256 of a JSON value in canonical form (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def provenance(shared_bytes: bytes, keys: list[str]) -> dict[str, Any]:
    """The provenance record of a copy of ``keys`` from the shared file's bytes."""
    shared = json.loads(shared_bytes)
    return {
        "source": SOURCE,
        "source_sha256": hashlib.sha256(shared_bytes).hexdigest(),
        "keys": {key: digest(shared[key]) for key in keys},
    }


def refresh() -> None:
    """Copy the same keys again from the shared file and record their provenance."""
    data = SHARED.read_bytes()
    shared = json.loads(data)
    keys = list(VECTORS)
    copy = {key: shared[key] for key in keys}
    REPO_COPY.write_text(json.dumps(copy, ensure_ascii=False, indent=1) + "\n", "utf-8")
    record = provenance(data, keys)
    PROVENANCE.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    refresh()
