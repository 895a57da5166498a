"""PDF conversion of a batch: one LibreOffice against one per core, on the same documents.

Run ``python benchmarks/pdf_batch.py`` (40 documents: the four bundled templates rendered with
the sample in both layouts, five times; about 1 min). Each round converts the batch with
``THIDUA_WORKERS=1`` (one ``soffice`` call, as thidua did before) and with one LibreOffice per
core, in turn; reported: wall time of each (median and spread) and the ratio within each round
(one ÷ per core; goal ≥ 1,8 on 2 cores), and whether both gave the same page counts. Skipped
with a note where LibreOffice is missing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))

from _stats import cores, num, spread, table  # noqa: E402

from pipeline.output.pdf import convert_to_pdf, find_soffice, page_count  # noqa: E402


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


def _convert(batch: Sequence[tuple[str, bytes]], workers: str) -> tuple[float, list[int | None]]:
    os.environ["THIDUA_WORKERS"] = workers
    start = time.perf_counter()
    pdfs = convert_to_pdf(batch)
    return time.perf_counter() - start, [page_count(p) for p in pdfs]


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--copies", type=int, default=5, help="copies of the 8 documents")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    if find_soffice() is None:
        print("  LibreOffice (soffice) is not installed: PDF benchmark skipped")
        return {}
    batch = documents(args.copies)
    n_cores = cores()
    print(f"  {len(batch)} documents, {args.rounds} rounds, {n_cores} cores …", flush=True)
    saved = os.environ.get("THIDUA_WORKERS")
    one, many, ratios, same = [], [], [], True
    try:
        for _ in range(args.rounds):
            wall_one, pages_one = _convert(batch, "1")
            wall_many, pages_many = _convert(batch, str(n_cores))
            one.append(wall_one)
            many.append(wall_many)
            ratios.append(wall_one / wall_many)
            same = same and pages_one == pages_many
    finally:
        if saved is None:
            os.environ.pop("THIDUA_WORKERS", None)
        else:
            os.environ["THIDUA_WORKERS"] = saved
    print(f"\nPDF of {len(batch)} documents, wall s, median (min–max) of {args.rounds} rounds:\n")
    print(
        table(
            ["LibreOffice processes", "wall s", "documents/s"],
            [
                ["1", spread(one), num(len(batch) / statistics.median(one))],
                [str(n_cores), spread(many), num(len(batch) / statistics.median(many))],
            ],
        )
    )
    ratio = statistics.median(ratios)
    met = "met" if ratio >= 1.8 else "NOT met"
    print(f"  one ÷ per core: × {num(ratio)} (goal ≥ 1,8: {met}); same page counts: {same}")
    return {"ratio": ratio, "same_pages": same, "documents": len(batch)}


if __name__ == "__main__":
    main()
