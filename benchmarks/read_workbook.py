"""The workbook stage alone: ``load`` + ``validate`` CPU per workbook, two code trees compared.

Run ``python benchmarks/read_workbook.py [--old DIR] [--count 50] [--rounds 3]``. Each round
runs, alternately, one process with the old tree's ``pipeline`` first on ``sys.path`` (``--old``,
e.g. an export of main: ``git archive main | tar -x -C /tmp/old``) and one with this tree's;
each process imports the stage, then loads and validates the same ``--count`` cached benchmark
workbooks (``benchmarks/.cache/workbooks/*/``, written by ``national_batch.py``, or ``--inputs``)
and reports its CPU time (``time.process_time``) per workbook and a SHA-256 of what it found:
the ``repr`` of every dossier and of every problem. The two digests must be equal: the new code
reads exactly what the old one read. ``--profile`` prints cProfile of this tree's stage instead.
Without ``--old`` only this tree is measured.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

_CHILD = r"""
import hashlib, json, sys, time
from pathlib import Path
t0 = time.process_time()
from pipeline.domain.rules import validate
from pipeline.domain.scoring import results_if_computable
from pipeline.workbook.loader import load
imported = time.process_time() - t0
paths = [Path(p) for p in json.loads(sys.argv[1])]
digest = hashlib.sha256()
start = time.process_time()
for path in paths:
    dossier, problems = load(path)
    if dossier is not None:
        problems = problems + validate(dossier, results_if_computable(dossier))
    digest.update(repr(dossier).encode())
    digest.update(repr(problems).encode())
cpu = time.process_time() - start
print(json.dumps({"cpu": cpu, "import": imported, "digest": digest.hexdigest()}))
"""


def _workbooks(inputs: Path | None, count: int) -> list[Path]:
    if inputs is not None:
        found = sorted(inputs.glob("*.xlsx"))
    else:
        found = sorted((HERE / ".cache" / "workbooks").glob("*/*.xlsx"))
    if not found:
        sys.exit("no workbooks: run benchmarks/national_batch.py once, or pass --inputs")
    return found[:count]


def _run(tree: Path, paths: list[Path]) -> dict[str, float | str]:
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONHASHSEED": "0"}  # same set order
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, json.dumps([str(p) for p in paths])],
        env=env,
        cwd=tree,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float | str] = json.loads(out.stdout.splitlines()[-1])
    return result


def _profile(paths: list[Path]) -> None:
    import cProfile
    import pstats

    sys.path.insert(0, str(ROOT))
    from pipeline.domain.rules import validate
    from pipeline.domain.scoring import results_if_computable
    from pipeline.workbook.loader import load

    def stage() -> None:
        for path in paths:
            dossier, _ = load(path)
            if dossier is not None:
                validate(dossier, results_if_computable(dossier))

    profile = cProfile.Profile()
    profile.runcall(stage)
    pstats.Stats(profile).sort_stats("tottime").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--old", type=Path, help="the tree to compare with (e.g. main, exported)")
    parser.add_argument("--inputs", type=Path, help="a folder of .xlsx (default: the cache)")
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    paths = _workbooks(args.inputs, args.count)
    if args.profile:
        _profile(paths)
        return
    trees = {"new": ROOT} if args.old is None else {"old": args.old.resolve(), "new": ROOT}
    cpu: dict[str, list[float]] = {name: [] for name in trees}
    imports: dict[str, list[float]] = {name: [] for name in trees}
    digests: dict[str, set[str]] = {name: set() for name in trees}
    for _ in range(args.rounds):
        for name, tree in trees.items():
            result = _run(tree, paths)
            cpu[name].append(float(result["cpu"]) / len(paths))
            imports[name].append(float(result["import"]))
            digests[name].add(str(result["digest"]))
    for name in trees:
        per = statistics.median(cpu[name]) * 1000
        imported = statistics.median(imports[name]) * 1000
        print(
            f"{name}: {per:.2f} ms CPU per workbook (load + validate, median of {args.rounds}),"
            f" import {imported:.0f} ms CPU; digest {', '.join(sorted(digests[name]))[:16]}"
        )
    if args.old is not None:
        ratio = statistics.median(o / n for o, n in zip(cpu["old"], cpu["new"], strict=True))
        same = digests["old"] == digests["new"] and len(digests["new"]) == 1
        print(
            f"old ÷ new CPU (median of the rounds' ratios): {ratio:.2f}×; results identical: {same}"
        )
        if not same:
            sys.exit(1)
    print(
        hashlib.sha256(json.dumps(sorted(map(str, paths))).encode()).hexdigest()[:12],
        f"{len(paths)} workbooks",
    )


if __name__ == "__main__":
    main()
