"""Regenerate the bundled workbooks and their documentation from the schema and the sample.

Writes ``docs/workbook.md`` (from :func:`pipeline.workbook.docs.render_workbook_doc`),
``inputs/cum-cac-ban-dang-lang-son-2013.xlsx`` (from
:func:`pipeline.workbook.sample.sample_sheets`) and
``inputs/_mau-trong.xlsx`` (the blank workbook), ``docs/cai-dat-chung.md`` and
``inputs/_cai-dat-chung.xlsx`` (the blank shared settings file). The output is deterministic;
tests check that the committed files equal what this script writes. Usage::

    .venv/bin/python scripts/make_workbooks.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.workbook.docs import render_shared_doc, render_workbook_doc  # noqa: E402
from pipeline.workbook.sample import sample_sheets  # noqa: E402
from pipeline.workbook.schema import BLANK_FILE, SAMPLE_FILE, SHARED_FILE  # noqa: E402
from pipeline.workbook.xlsx_write import write_workbook  # noqa: E402


def main() -> None:
    docs = ROOT / "docs" / "workbook.md"
    docs.parent.mkdir(exist_ok=True)
    docs.write_text(render_workbook_doc(), encoding="utf-8", newline="\n")
    shared_docs = ROOT / "docs" / "cai-dat-chung.md"
    shared_docs.write_text(render_shared_doc(), encoding="utf-8", newline="\n")
    inputs = ROOT / "inputs"
    inputs.mkdir(exist_ok=True)
    write_workbook(sample_sheets(), inputs / SAMPLE_FILE)
    write_workbook({}, inputs / BLANK_FILE)
    write_workbook({}, inputs / SHARED_FILE, shared=True)
    written = (inputs / SAMPLE_FILE, inputs / BLANK_FILE, inputs / SHARED_FILE)
    for path in (docs, shared_docs, *written):
        print(f"đã ghi {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
