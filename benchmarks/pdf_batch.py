"""PDF conversion of a batch: one LibreOffice call against one per core, on the same documents.

Run ``python benchmarks/pdf_batch.py`` (40 documents: the four bundled templates rendered with
the sample in both layouts, five times; about 1 min). Each round converts the batch three ways,
in turn:

- ``one call, new profile``: one ``soffice`` call with a new private profile, as thidua did
  before (the baseline of the goal);
- ``1 process, kept profile``: :func:`convert_to_pdf` with ``THIDUA_WORKERS=1``;
- ``N processes, kept profiles``: :func:`convert_to_pdf` with one LibreOffice per core.

The kept profiles live in a temporary ``THIDUA_CACHE_DIR``, made by a first conversion before
the rounds (reported on its own: a user's first run). Reported: wall time (median and spread),
the CPU time of every ``soffice`` process (user + system, measured by a wrapper around soffice
with ``wait4``; POSIX only), the CPU utilisation (CPU ÷ wall × cores), and the ratios within
each round: wall (the goal: one call ÷ per core ≥ 1,8 on 2 cores) and CPU (the one call's CPU ÷
the slowest process's CPU: the wall ratio an otherwise idle machine would give, as LibreOffice
converts on one core). On a machine shared with other work, only the CPU ratio is meaningful.
Also checked: every way gave the same page counts. Skipped with a note where LibreOffice is
missing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))

from _stats import cores, num, spread, table  # noqa: E402

from pipeline.output.pdf import MIN_PER_PROCESS, convert_to_pdf, find_soffice, page_count  # noqa: E402

_WRAPPER = """\
#!{python}
import os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen([{soffice!r}, *sys.argv[1:]])
_, status, usage = os.wait4(child.pid, 0)
if "--convert-to" in sys.argv:
    with open({log!r}, "a") as log:
        log.write(f"{{time.perf_counter() - start}} {{usage.ru_utime + usage.ru_stime}}\\n")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def documents(copies: int) -> list[tuple[str, bytes]]:
    """The four bundled templates rendered with the sample in both layouts, ``copies`` times."""
    from dataclasses import replace

    from pipeline.checking import load_and_validate
    from pipeline.documents.context import build_context
    from pipeline.documents.engine import CompiledTemplate
    from pipeline.domain.model import DocFormat
    from pipeline.resources import bundled_inputs_dir, bundled_templates_dir
    from pipeline.workbook.schema import SAMPLE_FILE

    sample = load_and_validate(bundled_inputs_dir() / SAMPLE_FILE)
    assert sample.dossier is not None and sample.results is not None
    found = []
    for layout in DocFormat:
        cluster = replace(sample.dossier.cluster, doc_format=layout)
        dossier = replace(sample.dossier, cluster=cluster)
        context = build_context(dossier, sample.results)
        for path in sorted(bundled_templates_dir().glob("*.docx")):
            data = CompiledTemplate.compile(path).render(context)
            found.append((f"{path.stem}-{layout.value}.docx", data))
    return [(f"{i}-{name}", data) for i in range(copies) for name, data in found]


class Timed:
    """soffice behind a wrapper that logs each conversion process's wall and CPU seconds."""

    def __init__(self, folder: Path, soffice: str) -> None:
        self.log = folder / "soffice-times.log"
        self.soffice = soffice
        if os.name == "posix" and hasattr(os, "wait4"):
            self.command = folder / "soffice-timed"
            self.command.write_text(
                _WRAPPER.format(python=sys.executable, soffice=soffice, log=str(self.log))
            )
            self.command.chmod(0o755)
            self.measured = True
        else:
            self.command = Path(soffice)
            self.measured = False

    def take(self) -> list[float]:
        """The CPU seconds of each process since the last call."""
        if not self.log.is_file():
            return []
        lines = self.log.read_text().split("\n")
        self.log.unlink()
        return [float(line.split()[1]) for line in lines if line.strip()]


@contextmanager
def _environment(**values: str) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _one_call(timed: Timed, batch: Sequence[tuple[str, bytes]]) -> list[bytes]:
    """Thidua's conversion before: every document in one soffice call, a new profile."""
    with tempfile.TemporaryDirectory(prefix="thidua-pdf-bench-") as work:
        root = Path(work)
        sources = []
        for index, (name, data) in enumerate(batch):
            source = root / f"{index:04d}-{Path(name).stem}.docx"
            source.write_bytes(data)
            sources.append(source)
        command = [
            str(timed.command),
            f"-env:UserInstallation={(root / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(root / "pdf"),
            *map(str, sources),
        ]
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        return [(root / "pdf" / f"{s.stem}.pdf").read_bytes() for s in sources]


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--copies", type=int, default=5, help="copies of the 8 documents")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    soffice = find_soffice()
    if soffice is None:
        print("  LibreOffice (soffice) is not installed: PDF benchmark skipped")
        return {}
    batch = documents(args.copies)
    n_cores = cores()
    print(f"  {len(batch)} documents, {args.rounds} rounds, {n_cores} cores …", flush=True)
    with tempfile.TemporaryDirectory(prefix="thidua-pdf-bench-") as folder:
        timed = Timed(Path(folder), soffice)
        cache = str(Path(folder) / "cache")
        with _environment(THIDUA_SOFFICE=str(timed.command), THIDUA_CACHE_DIR=cache):
            result = _rounds(timed, batch, n_cores, args.rounds)
    return result


def _rounds(
    timed: Timed, batch: Sequence[tuple[str, bytes]], n_cores: int, rounds: int
) -> dict[str, Any]:
    ways: dict[str, Callable[[], list[bytes]]] = {
        "one call, new profile": lambda: _one_call(timed, batch),
        "1 process, kept profile": lambda: _workers("1", batch),
        f"{n_cores} processes, kept profiles": lambda: _workers(str(n_cores), batch),
    }
    start = time.perf_counter()
    _workers(str(n_cores), batch[: n_cores * MIN_PER_PROCESS])  # makes the kept profiles
    first = time.perf_counter() - start
    first_cpu = timed.take()
    walls: dict[str, list[float]] = {name: [] for name in ways}
    cpus: dict[str, list[float]] = {name: [] for name in ways}
    slowest: dict[str, list[float]] = {name: [] for name in ways}
    pages: list[list[int | None]] = []
    for _ in range(rounds):
        for name, way in ways.items():
            start = time.perf_counter()
            pdfs = way()
            walls[name].append(time.perf_counter() - start)
            processes = timed.take()
            cpus[name].append(sum(processes))
            slowest[name].append(max(processes, default=0.0))
            pages.append([page_count(p) for p in pdfs])
    same = all(counted == pages[0] for counted in pages)
    names = list(ways)
    base, one, many = names
    wall_ratio = statistics.median(a / b for a, b in zip(walls[base], walls[many], strict=True))
    wall_ratio_kept = statistics.median(a / b for a, b in zip(walls[one], walls[many], strict=True))
    print(f"\nPDF of {len(batch)} documents, median (min–max) of {rounds} rounds:\n")
    rows = []
    for name in names:
        utilisation = statistics.median(
            c / (w * n_cores) for c, w in zip(cpus[name], walls[name], strict=True)
        )
        rows.append(
            [
                name,
                spread(walls[name]),
                spread(cpus[name]) if timed.measured else "–",
                spread(slowest[name]) if timed.measured else "–",
                f"{num(100 * utilisation, 0)} %" if timed.measured else "–",
            ]
        )
    print(
        table(
            ["LibreOffice", "wall s", "CPU s", "slowest process CPU s", "CPU use"],
            rows,
        )
    )
    print(
        f"\n  first run (kept profiles made, {n_cores * MIN_PER_PROCESS} documents): "
        f"{num(first)} s wall" + (f", {num(sum(first_cpu))} s CPU" if timed.measured else "")
    )
    met = "met" if wall_ratio >= 1.8 else "NOT met"
    print(f"  wall, one call ÷ per core: × {num(wall_ratio)} (goal ≥ 1,8: {met})")
    print(f"  wall, 1 process ÷ per core (both kept profiles): × {num(wall_ratio_kept)}")
    result: dict[str, Any] = {
        "ratio": wall_ratio,
        "ratio_kept": wall_ratio_kept,
        "same_pages": same,
        "documents": len(batch),
    }
    if timed.measured:
        cpu_ratio = statistics.median(a / b for a, b in zip(cpus[base], slowest[many], strict=True))
        cpu_ratio_kept = statistics.median(
            a / b for a, b in zip(cpus[one], slowest[many], strict=True)
        )
        met = "met" if cpu_ratio >= 1.8 else "NOT met"
        print(
            f"  CPU, one call ÷ slowest per-core process: × {num(cpu_ratio)} (goal ≥ 1,8: "
            f"{met}); 1 process (kept) ÷ slowest: × {num(cpu_ratio_kept)}"
        )
        result.update(cpu_ratio=cpu_ratio, cpu_ratio_kept=cpu_ratio_kept)
    print(f"  same page counts: {same}")
    return result


def _workers(workers: str, batch: Sequence[tuple[str, bytes]]) -> list[bytes]:
    os.environ["THIDUA_WORKERS"] = workers
    try:
        return convert_to_pdf(batch)
    finally:
        os.environ.pop("THIDUA_WORKERS", None)


if __name__ == "__main__":
    main()
