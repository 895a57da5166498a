"""Every benchmark in one command: ``python benchmarks/run.py`` (the default set, about 1 min).

The default set:

1. ``number_format``: number filters against babel's ``format_decimal`` per call (ratio);
2. ``render_peers``: the commendation list at 10, 100 and 1.000 rows with thidua, docxtpl,
   docxtemplater, Carbone and the zip floor, 3 interleaved rounds, ratios within rounds;
3. ``national_batch``: ``thidua build`` over 10 and 100 varied cluster workbooks, then the
   one-cluster ``build`` and ``check`` of the sample against their goals;
4. ``bundled``: the four bundled templates on the sample, thidua against docxtpl, and start-up.

``--big`` adds the big sizes: 10.000 rows and N = 1.000 workbooks (several minutes).
``--only NAME …`` runs some of them; ``--process`` adds the whole-process rendering view. Each
module also runs alone with its own options (``python benchmarks/render_peers.py -h``).

The closing lines repeat every ratio; the last line is ``speedup_vs_docxtpl=<x>`` (thidua's
documents per second on the bundled templates ÷ docxtpl's), as before.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bundled  # noqa: E402
import national_batch  # noqa: E402
import number_format  # noqa: E402
import pdf_batch  # noqa: E402
import render_peers  # noqa: E402
from _stats import num  # noqa: E402

PARTS = ("numbers", "render", "batch", "bundled", "pdf")
DEFAULT = ("numbers", "render", "batch", "bundled")  # pdf (about 1 min alone): --only or --big


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--big", action="store_true", help="10.000 rows and N = 1.000 too")
    parser.add_argument("--only", nargs="+", choices=PARTS)
    parser.add_argument("--process", action="store_true", help="whole-process rendering view")
    parser.add_argument("--rounds", type=int, default=3, help="rendering rounds (default 3)")
    args = parser.parse_args()
    if args.only is None:
        args.only = list(PARTS if args.big else DEFAULT)
    start = time.perf_counter()
    closing: list[str] = []

    if "numbers" in args.only:
        print("== number formatting ==", flush=True)
        speedup = number_format.main(["--rounds", "5"])
        closing.append(f"number formatting: babel ÷ thidua {num(speedup)}×")
    if "render" in args.only:
        print("\n== rendering against the peers ==", flush=True)
        render_args = ["--rounds", str(args.rounds)] + (["--big"] if args.big else [])
        if args.process:
            render_args += ["--process", "100"]
        summary = render_peers.main(render_args)
        for engine, per_size in summary["ratios"]["CPU"].items():
            cells = ", ".join(f"{num(size, 0)}: {num(ratio)}×" for size, ratio in per_size.items())
            what = "thidua ÷ floor" if engine == "floor" else f"{engine} ÷ thidua"
            closing.append(f"render CPU {what}: {cells}")
    if "batch" in args.only:
        print("\n== national batch ==", flush=True)
        results = national_batch.main(["--runs", "3"] + (["--big"] if args.big else []))
        for result in results.get("batch", []):
            closing.append(
                f"batch N={num(result['workbooks'], 0)}: "
                f"{num(result['documents'] / result['wall'])} documents/s, "
                f"{num(result['wall'])} s wall, peak {num(result['peak_mb'], 0)} MB"
                + (
                    f", one process ÷ pool × {num(result['pool_speedup'])} (wall)"
                    if "pool_speedup" in result
                    else ""
                )
            )
        one = results["one_cluster"]
        closing.append(
            f"one cluster: build {num(one['build'] * 1000, 0)} ms wall, "
            f"{num(one['build_cpu'] * 1000, 0)} ms CPU (goal < 400), "
            f"check {num(one['check'] * 1000, 0)} ms wall, {num(one['check_cpu'] * 1000, 0)} ms "
            "CPU (goal < 300)"
        )
    if "pdf" in args.only:
        print("\n== PDF: one LibreOffice against one per core ==", flush=True)
        pdf = pdf_batch.main(["--rounds", "2"])
        if pdf:
            closing.append(
                f"PDF of {pdf['documents']} documents: one ÷ per core × {num(pdf['ratio'])} "
                f"(goal ≥ 1,8), same page counts: {pdf['same_pages']}"
            )
    speedup_line = None
    if "bundled" in args.only:
        print("\n== bundled templates: thidua against docxtpl ==", flush=True)
        speedup = bundled.main(["--seconds", "1", "--startup-runs", "5"])
        speedup_line = f"speedup_vs_docxtpl={speedup:.1f}"

    print(f"\n== summary ({num(time.perf_counter() - start, 0)} s) ==")
    for line in closing:
        print(f"  {line}")
    if speedup_line:
        print(speedup_line)


if __name__ == "__main__":
    main()
