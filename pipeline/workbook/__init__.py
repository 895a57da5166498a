"""The score workbook: its format, reading it into a dossier, writing the sample and blank ones.

The xlsx boundary (``xlsx_read`` and ``xlsx_write``, the only code that knows openpyxl) lives
here; everything after reading the raw cells is pure. May import :mod:`pipeline.errors`,
:mod:`pipeline.vi`, :mod:`pipeline.opc` and :mod:`pipeline.domain`.
"""
