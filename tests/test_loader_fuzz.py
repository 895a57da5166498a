"""Whatever lands in whatever cell, :func:`pipeline.workbook.loader.load` and then the validation
rules
answer with problems, never a traceback: random values (text, weird Unicode, numbers huge and
tiny, dates, formulas like ``=1/0``) written with openpyxl into random cells of the sample."""

from __future__ import annotations

import io
import tempfile
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from pipeline.documents.context import build_context
from pipeline.domain.model import Dossier
from pipeline.domain.rules import validate
from pipeline.domain.scoring import compute
from pipeline.errors import Problem, format_problems, has_errors
from pipeline.resources import bundled_inputs_dir
from pipeline.workbook.loader import load
from pipeline.workbook.schema import SAMPLE_FILE, SHEETS
from pipeline.workbook.values import ParseError, number_value, parse_number_text

SAMPLE_BYTES = (bundled_inputs_dir() / SAMPLE_FILE).read_bytes()

FORMULAS = st.sampled_from(
    [
        "=1/0",
        "=SUM(A1:A5)",
        "=A1+B2-C3",
        "=A2",
        "=NOW()",
        "=Z99*2",
        "=SUM(",
        "='x'!A1",
        "=A1:B2",
        "=SUM(A1:XFD1048576)",
        "=D2",
        "=1E308*10",
        '="a"&"b"',
        "=#REF!",
    ]
)
VALUES = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12),
    st.sampled_from(
        [
            "973,5",
            "1.000",
            "1.5",
            "95đ",
            "Tỉnh uỷ",
            "Cụm trưởng",
            "Có",
            "#N/A",
            "10/01/2014",
            "14h",
            "2/3",
            "50%",
            "VPTU",
            "I.1",
            " ",
            "BTGTU",
        ]
    ),
    st.integers(min_value=-(10**18), max_value=10**18),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(
        allow_nan=False,
        allow_infinity=False,
        places=3,
        min_value=Decimal(-(10**9)),
        max_value=Decimal(10**9),
    ),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 12, 31)),
    st.times(),
    FORMULAS,
)
EDITS = st.lists(
    st.tuples(
        st.sampled_from([s.name for s in SHEETS]),
        st.integers(min_value=1, max_value=40),
        st.integers(min_value=1, max_value=12),
        VALUES,
    ),
    min_size=1,
    max_size=4,
)


def _check(dossier: Dossier | None, problems: list[Problem]) -> None:
    assert dossier is None or isinstance(dossier, Dossier)
    assert all(isinstance(p, Problem) and p.message and p.hint is not None for p in problems)
    format_problems(problems)  # every problem prints
    if dossier is None:
        assert any(p.is_error for p in problems)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(EDITS)
def test_random_cells_never_raise(edits: list[tuple[str, int, int, Any]]) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(SAMPLE_BYTES))
    try:
        for sheet, row, col, value in edits:
            wb[sheet].cell(row, col).value = value
        buffer = io.BytesIO()
        wb.save(buffer)
    except Exception:  # openpyxl refuses some values (control characters…): not our input
        reject()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cum.xlsx"
        path.write_bytes(buffer.getvalue())
        dossier, problems = load(path)
    _check(dossier, problems)
    if dossier is None:
        return
    # What `thidua check` and `thidua build` do next must not raise either.
    problems += validate(dossier)
    _check(dossier, problems)
    if not has_errors(problems):
        build_context(dossier, compute(dossier))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_number_text_is_a_number_or_a_clear_refusal(text: str) -> None:
    try:
        value = parse_number_text(text)
    except ParseError as exc:
        assert exc.message and exc.hint
    else:
        assert value.is_finite()


@settings(max_examples=200, deadline=None)
@given(VALUES)
def test_any_cell_value_is_a_number_or_a_clear_refusal(value: object) -> None:
    try:
        number_value(value)
    except ParseError as exc:
        assert exc.message and exc.hint


@settings(max_examples=25, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_are_not_a_workbook(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.xlsx"
        path.write_bytes(data)
        dossier, problems = load(path)
    assert dossier is None
    assert problems[0].code.startswith("file-")


def test_time_cells_and_random_edits_smoke() -> None:
    # one deterministic run of the same path, for a readable failure if the fuzz one breaks
    wb = openpyxl.load_workbook(io.BytesIO(SAMPLE_BYTES))
    wb["HoiNghi"]["B3"].value = time(25 % 24, 0)
    buffer = io.BytesIO()
    wb.save(buffer)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cum.xlsx"
        path.write_bytes(buffer.getvalue())
        _check(*load(path))
