"""Documents per second on the bundled templates: thidua's compiled templates against plain
docxtpl, and CLI start-up.

Run ``python benchmarks/bundled.py`` (about 15 s; ``--seconds`` sets the time given to each
engine); ``python benchmarks/run.py`` runs it with shorter settings among the others.
Both engines build the same documents from the same templates and contexts, with the same kind
of Jinja environment (sandboxed, autoescaping, StrictUndefined, same filters), in memory:

* docxtpl: ``DocxTemplate(path).render(context, jinja_env=env)`` then ``save(BytesIO())`` for
  every document, which is how docxtpl is meant to be used;
* thidua: ``CompiledTemplate.compile(path)`` once per template (timed, included) then
  ``render(context)`` for every document.

Then it times ``thidua --help`` against ``python -c pass`` (separate processes, median of N runs).
The last line is ``speedup_vs_docxtpl=<x>``.

The documents come from :func:`documents`: the bundled templates filled from the bundled sample
workbook, in both layouts.
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from itertools import cycle
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.documents.engine import CompiledTemplate, make_environment  # noqa: E402

Document = tuple[Path, Mapping[str, object]]
Filters = Mapping[str, Callable[..., Any]]


def documents() -> list[Document]:
    """The documents ``thidua build`` makes from the bundled sample: every bundled template, with
    the sample workbook's context in both layouts (Party and State), so 8 documents."""
    from dataclasses import replace

    from pipeline.documents.context import build_context
    from pipeline.domain.model import DocFormat
    from pipeline.domain.scoring import compute
    from pipeline.resources import bundled_inputs_dir, bundled_templates_dir
    from pipeline.workbook.loader import load

    dossier, problems = load(bundled_inputs_dir() / "cum-cac-ban-dang-lang-son-2013.xlsx")
    assert dossier is not None, problems
    contexts = []
    for layout in DocFormat:
        variant = replace(dossier, cluster=replace(dossier.cluster, doc_format=layout))
        contexts.append(build_context(variant, compute(variant)))
    templates = sorted(bundled_templates_dir().glob("*.docx"))
    return [(template, context) for context in contexts for template in templates]


def benchmark_filters() -> Filters:
    """The filters the real templates use."""
    from pipeline.vi import FILTERS

    return FILTERS


def run_docxtpl(docs: list[Document], filters: Filters, seconds: float) -> tuple[int, float]:
    """(documents built, elapsed seconds) with plain docxtpl, for about ``seconds``."""
    from docxtpl import DocxTemplate

    env = make_environment(filters)
    start = time.perf_counter()
    for built, (path, context) in enumerate(cycle(docs), start=1):
        template = DocxTemplate(path)
        template.render(context, jinja_env=env)
        template.save(io.BytesIO())
        if time.perf_counter() - start >= seconds and built >= len(docs):
            return built, time.perf_counter() - start
    raise AssertionError("unreachable")


def run_thidua(docs: list[Document], filters: Filters, seconds: float) -> tuple[int, float, float]:
    """(documents built, elapsed seconds, compile seconds) with compiled templates."""
    start = time.perf_counter()
    compiled = {
        path: CompiledTemplate.compile(path, filters=filters)
        for path in dict.fromkeys(path for path, _ in docs)
    }
    compile_seconds = time.perf_counter() - start
    for built, (path, context) in enumerate(cycle(docs), start=1):
        compiled[path].render(context)
        if time.perf_counter() - start >= seconds and built >= len(docs):
            return built, time.perf_counter() - start, compile_seconds
    raise AssertionError("unreachable")


def median_ms(command: list[str], runs: int) -> float:
    """Median wall time of ``command`` in milliseconds, after one warm-up run."""
    times = []
    for index in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        if index:
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def thidua_command() -> list[str]:
    """``thidua`` from the same environment if installed, else ``python -m pipeline``."""
    script = Path(sys.executable).with_name("thidua")
    found = str(script) if script.exists() else shutil.which("thidua")
    return [found] if found else [sys.executable, "-m", "pipeline"]


def main(argv: list[str] | None = None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--seconds", type=float, default=5.0, help="time given to each engine (default: 5)"
    )
    parser.add_argument(
        "--startup-runs", type=int, default=15, help="runs of each start-up command (default: 15)"
    )
    args = parser.parse_args(argv)

    filters = benchmark_filters()
    docs = documents()
    names = sorted({path.name for path, _ in docs})
    print(f"templates: {', '.join(names)}; {len(docs)} documents (sample, both layouts)")
    run_docxtpl(docs[:2], filters, 0.0)  # warm-up: imports, regex cache
    old_n, old_s = run_docxtpl(docs, filters, args.seconds)
    new_n, new_s, compile_s = run_thidua(docs, filters, args.seconds)
    old_rate, new_rate = old_n / old_s, new_n / new_s
    print(
        f"docxtpl: {old_n} documents in {old_s:.2f} s = {old_rate:.1f} documents/s "
        f"({1000 / old_rate:.2f} ms each)"
    )
    print(
        f"thidua:  {new_n} documents in {new_s:.2f} s = {new_rate:.1f} documents/s "
        f"({1000 / new_rate:.3f} ms each; compile {compile_s * 1000:.1f} ms included)"
    )

    cli = median_ms([*thidua_command(), "--help"], args.startup_runs)
    bare = median_ms([sys.executable, "-c", "pass"], args.startup_runs)
    print(
        f"start-up: thidua --help {cli:.1f} ms, python -c pass {bare:.1f} ms, "
        f"ratio {cli / bare:.2f} (target < 3)"
    )
    print(f"speedup_vs_docxtpl={new_rate / old_rate:.1f}")
    return new_rate / old_rate


if __name__ == "__main__":
    main()
