"""A national batch: ``thidua build`` over N cluster workbooks, plus one cluster and ``check``.

Run ``python benchmarks/national_batch.py`` (N = 10 and 100, then the sample alone; about 30 s
the first time, when the workbooks are written) or ``--big`` (adds N = 1.000). The workbooks are
varied clusters made from the bundled sample: each has its own cluster name (so its own output
folder), Party or State layout in turn, its own place name, and its own cluster scores (one
criterion lowered for every unit by 0 to 3 points, so totals, ranks and sentences differ while
the sample's proposals stay valid). They are written once into ``benchmarks/.cache/workbooks/``,
keyed by a hash of what makes them, and reused.

For each N, a fresh folder gets ``inputs/`` with the N workbooks and ``thidua build`` runs in it
(bundled templates, no PDF), as a user would run it. Reported: documents per second (wall, and
per CPU second), wall and CPU time (the whole process tree, from ``getrusage``), CPU utilisation
= CPU time ÷ wall time ÷ cores, peak memory (the sum of the RSS of the process tree, sampled
every 50 ms from ``/proc``; where there is no ``/proc``, the largest single process), and the
scaling from the smaller N to the larger (wall and CPU time per workbook at the larger N ÷ at the
smaller: 1,00 is linear; on a shared machine the CPU figure is the one to trust).

Then the one-cluster view against the goals: ``thidua build`` of the sample (wall, warm files,
fresh output folder each run; goal < 0,4 s) and ``thidua check`` of the sample (goal < 0,3 s),
medians of a few runs after a warm-up.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))

from _stats import CACHE, cores, num, run_process, spread, table, thidua_command  # noqa: E402

# Where the sample and the workbook writer live. These module paths may move: change them here only.
from pipeline.resources import bundled_inputs_dir  # noqa: E402
from pipeline.workbook import sample as sample_module  # noqa: E402
from pipeline.workbook import xlsx_write as writer_module  # noqa: E402
from pipeline.workbook.sample import sample_sheets  # noqa: E402
from pipeline.workbook.xlsx_write import write_workbook  # noqa: E402

SAMPLE_NAME = "cum-cac-ban-dang-lang-son-2013.xlsx"
DEFAULT_COUNTS = (10, 100)
BIG_COUNTS = (10, 100, 1000)
_GENERATOR_VERSION = "1"  # bump when variant() changes
_PLACES = ("Lạng Sơn", "Cao Bằng", "Hà Giang", "Bắc Kạn", "Thái Nguyên", "Tuyên Quang", "Lào Cai")
_KINDS = ("các Ban Đảng", "các cơ quan Đảng", "các đơn vị sự nghiệp", "các cơ quan tham mưu")


# ---------------------------------------------------------------------------------------------
# Workbooks


def _set(rows: list[dict[str, object]], label: str, value: object) -> None:
    for row in rows:
        if row["Mục"] == label:
            row["Giá trị"] = value
            return
    raise KeyError(label)


def variant(index: int) -> dict[str, list[dict[str, object]]]:
    """The sample's sheets made into cluster number ``index`` (1-based)."""
    sheets = sample_sheets()
    place = _PLACES[index % len(_PLACES)]
    kind = _KINDS[index % len(_KINDS)]
    info = sheets["ThongTinChung"]
    _set(info, "Tên cụm thi đua", f"Cụm thi đua số {index} {kind} tỉnh {place}")
    _set(info, "Tên gọi ngắn", f"Cụm thi đua số {index}")
    _set(info, "Thể thức văn bản", "Nhà nước" if index % 2 else "Đảng")
    _set(info, "Địa danh", place)
    lowered = Decimal("0.5") * (index % 7)  # the same for every unit: ranks and proposals hold
    for row in sheets["ChamDiem"]:
        if row["Mã tiêu chí"] == "I.2":
            same = row["Điểm tự chấm"] == row["Điểm cụm chấm"]
            row["Điểm cụm chấm"] = Decimal(str(row["Điểm cụm chấm"])) - lowered
            if same:
                row["Điểm tự chấm"] = row["Điểm cụm chấm"]
    return sheets


def _cache_key() -> str:
    digest = hashlib.sha256(_GENERATOR_VERSION.encode())
    digest.update(repr(sample_sheets()).encode())
    for module in (sample_module, writer_module):
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()[:16]


def _write_one(args: tuple[int, str]) -> None:
    index, path = args
    write_workbook(variant(index), Path(path))


def workbooks(count: int) -> list[Path]:
    """``count`` varied workbooks from the cache, writing the missing ones (in parallel)."""
    folder = CACHE / "workbooks" / _cache_key()
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"cum-{index:04d}.xlsx" for index in range(1, count + 1)]
    missing = [(index, str(path)) for index, path in enumerate(paths, 1) if not path.exists()]
    if missing:
        print(f"  writing {len(missing)} workbooks into {folder} (once) …", flush=True)
        with ProcessPoolExecutor(max_workers=cores()) as pool:
            list(pool.map(_write_one, missing, chunksize=8))
    return paths


# ---------------------------------------------------------------------------------------------
# Measuring a process tree


class TreeMemory:
    """Peak of the summed RSS of a process and its descendants, sampled from ``/proc``."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid, self.interval, self.peak_kb = pid, interval, 0
        self.available = Path(f"/proc/{pid}/statm").exists()
        self._page_kb = os.sysconf("SC_PAGE_SIZE") // 1024 if self.available else 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        if self.available:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self.available:
            self._thread.join()

    def _tree(self) -> list[int]:
        found, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            try:
                for task in os.listdir(f"/proc/{pid}/task"):
                    children = Path(f"/proc/{pid}/task/{task}/children").read_text().split()
                    todo += [int(child) for child in children]
            except OSError:
                continue
        return found

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            for pid in self._tree():
                try:
                    total += int(Path(f"/proc/{pid}/statm").read_text().split()[1])
                except (OSError, IndexError, ValueError):
                    continue
            self.peak_kb = max(self.peak_kb, total * self._page_kb)
            self._stop.wait(self.interval)


def _usage() -> float:
    try:
        import resource
    except ImportError:
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build_batch(paths: Sequence[Path]) -> dict[str, float]:
    """``thidua build`` over ``paths`` in a fresh folder: wall, CPU, peak memory, documents."""
    with tempfile.TemporaryDirectory(prefix="thidua-batch-") as tmp:
        work = Path(tmp)
        inputs = work / "inputs"
        inputs.mkdir()
        for path in paths:
            try:
                os.link(path, inputs / path.name)
            except OSError:
                shutil.copy2(path, inputs / path.name)
        cpu0, start = _usage(), time.perf_counter()
        process = subprocess.Popen(
            [*thidua_command(), "build", "-o", "outputs"],
            cwd=work,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        with TreeMemory(process.pid) as memory:
            _, stderr = process.communicate()
        wall, cpu = time.perf_counter() - start, _usage() - cpu0
        if process.returncode:
            sys.stderr.write(stderr.decode("utf-8", "replace")[-3000:])
            raise SystemExit(f"thidua build failed on {len(paths)} workbooks")
        documents = len(list((work / "outputs").rglob("*.docx")))
    peak = memory.peak_kb / 1024 if memory.available else _max_rss_mb()
    return {"workbooks": len(paths), "documents": documents, "wall": wall, "cpu": cpu,
            "peak_mb": peak}  # fmt: skip


def _max_rss_mb() -> float:
    try:
        import resource
    except ImportError:
        return 0.0
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


# ---------------------------------------------------------------------------------------------
# The benchmark


def batch(counts: Sequence[int]) -> list[dict[str, float]]:
    """Build each N once (largest last) and print the table."""
    paths = workbooks(max(counts))
    results = []
    for count in counts:
        print(f"  thidua build over {count} workbooks …", flush=True)
        results.append(build_batch(paths[:count]))
    n_cores = cores()
    rows = []
    for result in results:
        rows.append([
            num(result["workbooks"], 0),
            num(result["documents"], 0),
            num(result["wall"]),
            num(result["cpu"]),
            num(result["documents"] / result["wall"]),
            num(result["documents"] / result["cpu"]),
            f"{100 * result['cpu'] / result['wall'] / n_cores:.0f} %",
            num(result["peak_mb"], 0),
        ])  # fmt: skip
    print(f"\nNational batch: thidua build, no PDF, bundled templates ({n_cores} cores):\n")
    print(table(["workbooks", "documents", "wall s", "CPU s", "documents/s", "documents/CPU s",
                 "CPU ÷ wall ÷ cores", "peak MB (tree)"], rows))  # fmt: skip
    for small, large in itertools.pairwise(results):
        wall = (large["wall"] / large["workbooks"]) / (small["wall"] / small["workbooks"])
        cpu = (large["cpu"] / large["workbooks"]) / (small["cpu"] / small["workbooks"])
        growth = (large["peak_mb"] - small["peak_mb"]) / (large["workbooks"] - small["workbooks"])
        print(
            f"  scaling {num(small['workbooks'], 0)} → {num(large['workbooks'], 0)}: per workbook, "
            f"wall × {num(wall)}, CPU × {num(cpu)} (1,00 = linear); memory "
            f"{num(growth * 1000, 0)} KB more per workbook"
        )
    for result in results:
        if result["workbooks"] == 1000:
            met = "met" if result["wall"] < 20 else "NOT met"
            print(f"  goal: 1.000 workbooks in under 20 s wall: {num(result['wall'])} s ({met})")
    return results


def one_cluster(runs: int) -> dict[str, float]:
    """Median wall of ``thidua build`` and ``thidua check`` of the sample, interleaved."""
    sample = bundled_inputs_dir() / SAMPLE_NAME
    measured: dict[str, list[tuple[float, float]]] = {"build": [], "check": []}
    with tempfile.TemporaryDirectory(prefix="thidua-one-") as tmp:
        for index in range(runs + 1):  # the first run warms the files and the .pyc
            build = run_process(
                [*thidua_command(), "build", str(sample), "-o", f"out-{index}"], cwd=Path(tmp)
            )
            check = run_process([*thidua_command(), "check", str(sample)], cwd=Path(tmp))
            if build.returncode or check.returncode:
                raise SystemExit("thidua build/check of the sample failed")
            if index:
                measured["build"].append((build.wall, build.cpu))
                measured["check"].append((check.wall, check.cpu))
    print(f"\nOne cluster (the sample), warm files, median (min–max) of {runs} runs:\n")
    rows, medians = [], {}
    for name, goal in (("build", 0.4), ("check", 0.3)):
        walls = [wall for wall, _ in measured[name]]
        medians[name] = statistics.median(walls)
        rows.append([f"thidua {name}", spread([w * 1000 for w in walls], 0),
                     spread([c * 1000 for _, c in measured[name]], 0), f"< {num(goal * 1000, 0)}",
                     "met" if medians[name] < goal else "NOT met"])  # fmt: skip
    print(table(["command", "wall ms", "CPU ms", "goal ms", "goal"], rows))
    return medians


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--big", action="store_true", help="add N = 1.000 workbooks")
    parser.add_argument("--counts", type=int, nargs="+", help="numbers of workbooks to build")
    parser.add_argument("--runs", type=int, default=5, help="runs of the one-cluster commands")
    parser.add_argument("--no-batch", action="store_true", help="only the one-cluster view")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {}
    if not args.no_batch:
        counts = sorted(args.counts or (BIG_COUNTS if args.big else DEFAULT_COUNTS))
        results["batch"] = batch(counts)
    results["one_cluster"] = one_cluster(args.runs)
    return results


if __name__ == "__main__":
    main()
