"""The score workbook: its format, reading it into a dossier, writing the sample and blank ones.

The xlsx boundary (the only code that knows openpyxl) lives here; everything after reading
the raw cells is pure. May import :mod:`pipeline.errors`, :mod:`pipeline.vi` and
:mod:`pipeline.domain`.
"""
