"""Regenerate the bundled workbooks and their documentation from the schema and the sample.

Writes ``docs/workbook.md`` (from :func:`pipeline.workbook.docs.render_workbook_doc`),
``inputs/cum-cac-ban-dang-lang-son-2013.xlsx`` (from
:func:`pipeline.workbook.sample.sample_sheets`) and
``inputs/_mau-trong.xlsx`` (the blank workbook). The output is deterministic; tests check that
the committed files equal what this script writes. Usage::

    .venv/bin/python scripts/make_workbooks.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.workbook.docs import render_workbook_doc  # noqa: E402
from pipeline.workbook.sample import sample_sheets  # noqa: E402
from pipeline.workbook.schema import BLANK_FILE, SAMPLE_FILE  # noqa: E402
from pipeline.workbook.xlsx_write import write_workbook  # noqa: E402


def main() -> None:
    docs = ROOT / "docs" / "workbook.md"
    docs.parent.mkdir(exist_ok=True)
    docs.write_text(render_workbook_doc(), encoding="utf-8", newline="\n")
    inputs = ROOT / "inputs"
    inputs.mkdir(exist_ok=True)
    write_workbook(sample_sheets(), inputs / SAMPLE_FILE)
    write_workbook({}, inputs / BLANK_FILE)
    for path in (docs, inputs / SAMPLE_FILE, inputs / BLANK_FILE):
        print(f"đã ghi {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
