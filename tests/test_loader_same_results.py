"""The faster workbook reader reads exactly what the reader before it read.

``tests/golden/loader-results.json`` holds, for every workbook committed in the repository (the
bundled inputs and ``tests/data``), the SHA-256 of the :func:`canonical` ``repr`` of the dossier
:func:`~pipeline.workbook.loader.load` returns and of every problem of ``load`` and
:func:`~pipeline.domain.rules.validate`, and the problems' codes. It was recorded with the code
of main at e159c5e, before the reader stopped using openpyxl (``python
tests/test_loader_same_results.py`` run with that tree first on ``PYTHONPATH``, in its root);
re-record it only for a change that means to read workbooks differently, and say so.
(``benchmarks/read_workbook.py --old`` compares the two trees over the benchmark's workbooks.)
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "loader-results.json"
FOLDERS = ("inputs", "tests/data")


def _workbooks(root: Path) -> list[str]:
    return sorted(
        path.relative_to(root).as_posix()
        for folder in FOLDERS
        for path in (root / folder).glob("*.xlsx")
    )


def canonical(value: object) -> str:
    """``repr`` of a value with its sets in sorted order (a set's ``repr`` follows the string
    hashes, which differ from one process to the next)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        inner = ", ".join(
            f"{f.name}={canonical(getattr(value, f.name))}" for f in dataclasses.fields(value)
        )
        return f"{type(value).__name__}({inner})"
    if isinstance(value, set | frozenset):
        return "{" + ", ".join(sorted(canonical(v) for v in value)) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{canonical(k)}: {canonical(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(canonical(v) for v in value) + "]"
    return repr(value)


def results(relative: str) -> dict[str, object]:
    """What loading and validating the workbook at ``relative`` (from the current folder)
    gives, as digests of its :func:`canonical` ``repr``."""
    from pipeline.domain.rules import validate
    from pipeline.domain.scoring import results_if_computable
    from pipeline.workbook.loader import load

    dossier, problems = load(Path(relative))
    if dossier is not None:
        problems = problems + validate(dossier, results_if_computable(dossier))
    return {
        "dossier": hashlib.sha256(canonical(dossier).encode()).hexdigest(),
        "problems": hashlib.sha256(canonical(problems).encode()).hexdigest(),
        "codes": [p.code for p in problems],
    }


@pytest.mark.parametrize("relative", _workbooks(ROOT))
def test_a_committed_workbook_reads_as_it_did_before(
    relative: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorded = json.loads(GOLDEN.read_text(encoding="utf-8"))
    monkeypatch.chdir(ROOT)
    assert results(relative) == recorded[relative]


def test_every_committed_workbook_is_recorded() -> None:
    assert sorted(json.loads(GOLDEN.read_text(encoding="utf-8"))) == _workbooks(ROOT)


if __name__ == "__main__":  # record, with the tree whose results are the reference
    here = Path.cwd()
    sys.path.insert(0, str(here))
    recorded = {relative: results(relative) for relative in _workbooks(here)}
    text = json.dumps(recorded, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    GOLDEN.write_text(text, encoding="utf-8")
    print(f"recorded {len(recorded)} workbooks with {os.environ.get('PYTHONPATH', 'this tree')}")
