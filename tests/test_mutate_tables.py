"""``scripts/mutate.py``'s tables of explained survivors stay true to the code.

Every :data:`EQUIVALENT` or :data:`ACCEPTED` entry must name a mutant the script makes today:
an entry left behind when a function moved or a line was fixed explains nothing, and may one
day explain a new mutant by accident. An entry whose every mutant an earlier entry already
explains is left behind too.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the script needs os.fork")


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("thidua_mutate", ROOT / "scripts" / "mutate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


@pytest.mark.parametrize("table", ["EQUIVALENT", "ACCEPTED"])
def test_every_explained_survivor_is_a_mutant_of_today(table: str) -> None:
    mutate = _script()
    entries = list(getattr(mutate, table))
    numbered = {key: str(index) for index, key in enumerate(entries)}
    used = set()
    for target, path in mutate._chosen([]):
        for mutant in mutate.mutants_of(path, target.functions):
            index = mutate.equivalent_reason(mutant, numbered)
            if index is not None:
                used.add(int(index))
    stale = [entries[i] for i in range(len(entries)) if i not in used]
    assert not stale, f"{table} entries that match no mutant of today's code:\n" + "\n".join(
        map(repr, stale)
    )
