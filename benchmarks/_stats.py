"""Small helpers the benchmarks share: medians with their spread, number printing, processes."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(__file__).resolve().parent / ".cache"


def spread(values: Sequence[float], digits: int = 2) -> str:
    """``median (min–max)`` with a decimal comma, the way the issue and the report write it."""
    if not values:
        return "–"
    middle = num(statistics.median(values), digits)
    return f"{middle} ({num(min(values), digits)}–{num(max(values), digits)})"


def num(value: float, digits: int = 2) -> str:
    """A number for a table: thousands with ``.``, decimals with ``,`` (like the issue's tables)."""
    if value >= 100:
        digits = 0
    elif value >= 10:
        digits = min(digits, 1)
    text = f"{value:,.{digits}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table, columns padded (first left-aligned, the others right-aligned)."""
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        padded = [
            str(c).ljust(w) if i == 0 else str(c).rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join("-" * (w + 1) + ("-" if i == 0 else ":") for i, w in enumerate(widths))
    return "\n".join([line(header), rule + "|", *(line(r) for r in rows)])


@dataclass(frozen=True)
class ProcessRun:
    """One finished child process: wall seconds, CPU seconds (user + system, the whole tree
    of waited-for descendants) and the largest single process's peak RSS in MB."""

    wall: float
    cpu: float
    max_rss_mb: float
    returncode: int


def thidua_env(**extra: str) -> dict[str, str]:
    """The environment of a measured ``thidua`` process: as a user's install runs it, with
    Python's ``.pyc`` files written (a shell may set ``PYTHONDONTWRITEBYTECODE``, which makes
    every start compile the changed modules again) and a compile cache of the benchmarks' own
    (``.cache/compile-cache``: warm after the first run, never the user's); plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.pop("THIDUA_NO_CACHE", None)
    env["THIDUA_CACHE_DIR"] = str(CACHE / "compile-cache")
    env.update(extra)
    return env


def run_process(
    command: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> ProcessRun:
    """Run ``command`` to completion (output discarded) and account for it.

    CPU time comes from ``getrusage(RUSAGE_CHILDREN)`` before and after, so it counts the
    command and every descendant it waited for; on Windows (no ``resource``) it is 0.
    """
    before = _children_usage()
    start = time.perf_counter()
    done = subprocess.run(
        list(command), cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False,
        env=env,
    )  # fmt: skip
    wall = time.perf_counter() - start
    after = _children_usage()
    if done.returncode:
        sys.stderr.write(done.stderr.decode("utf-8", "replace")[-2000:])
    return ProcessRun(wall, after[0] - before[0], after[1], done.returncode)


def _children_usage() -> tuple[float, float]:
    try:
        import resource
    except ImportError:  # Windows
        return 0.0, 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def cores() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def thidua_command() -> list[str]:
    """``thidua`` from the same environment if installed, else ``python -m pipeline``."""
    import shutil

    script = Path(sys.executable).with_name("thidua")
    found = str(script) if script.exists() else shutil.which("thidua")
    return [found] if found else [sys.executable, "-m", "pipeline"]
