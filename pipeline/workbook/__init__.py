"""The score workbook: its format, reading it into a dossier, writing the sample and blank ones.

``from pipeline.workbook import load`` gives :func:`pipeline.workbook.loader.load`, the stage's
entry; it is imported on first use, so that importing the schema does not load openpyxl. The
modules, in the order data flows through them:

- :mod:`~pipeline.workbook.schema`: every sheet and column (declarations only);
- :mod:`~pipeline.workbook.xlsx_package` (the .xlsx container, opened without trusting it),
  :mod:`~pipeline.workbook.xlsx_read`, :mod:`~pipeline.workbook.xlsx_write`: the xlsx boundary,
  the read and write modules the only ones that know openpyxl;
  :mod:`~pipeline.workbook.formula`, the pure evaluator of formulas saved without a value;
- :mod:`~pipeline.workbook.reader`: raw sheets → located records, driven by the schema;
- :mod:`~pipeline.workbook.values`, :mod:`~pipeline.workbook.convert`: cell values, and
  references resolved through immutable tables;
- :mod:`~pipeline.workbook.assemble`: records → the dossier; :mod:`~pipeline.workbook.problems`
  collects and orders what every step reports; :mod:`~pipeline.workbook.loader` runs the steps;
- :mod:`~pipeline.workbook.docs` (``docs/workbook.md``) and :mod:`~pipeline.workbook.sample`.

Everything after reading the raw cells is pure. May import :mod:`pipeline.errors`,
:mod:`pipeline.vi`, :mod:`pipeline.opc` and :mod:`pipeline.domain`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.workbook.loader import load

__all__ = ["load"]


def __getattr__(name: str) -> Any:
    if name == "load":
        from pipeline.workbook.loader import load

        return load
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
