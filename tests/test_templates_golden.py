"""Golden text of the four bundled templates, rendered for the sample in both layouts.

Each document is rendered from the sample workbook twice, once per layout (``the_thuc`` ``dang``
and ``nha_nuoc``, switched by replacing the cluster's ``doc_format``), and its text is extracted
in reading order: headers, then the body's paragraphs and tables (see :mod:`goldens`). The text
must equal ``tests/golden/<document>-<layout>.txt``; these files are the documents a secretary
signs, so read a diff as a change of wording.

The tests only compare. To accept a deliberate change, regenerate the recorded files and review
the diff::

    .venv/bin/python scripts/update_goldens.py

The LibreOffice test converts all eight documents in one ``soffice`` call and checks that no
template tag is left in the PDF text. It is skipped only when LibreOffice (or ``pdftotext``) is
missing and ``THIDUA_REQUIRE_LIBREOFFICE`` is not set; with that variable set it fails instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from goldens import (
    FORMATS,
    GOLDEN,
    TEMPLATES,
    document_text,
    golden_path,
    rendered,
    sample_dossier,
)

from pipeline.domain.model import DocFormat

__all__ = ["document_text", "sample_dossier"]  # imported by other tests

FIX = "if the change is deliberate, run scripts/update_goldens.py and review the diff"


@pytest.mark.parametrize("doc_format", FORMATS, ids=[f.value for f in FORMATS])
@pytest.mark.parametrize("template", TEMPLATES)
def test_golden_text(template: str, doc_format: DocFormat) -> None:
    text = document_text(rendered(template, doc_format))
    golden = golden_path(template, doc_format)
    assert golden.is_file(), f"{golden} is missing: {FIX}"
    assert text == golden.read_text(encoding="utf-8"), FIX


def test_documents_are_byte_identical_to_the_recorded_hashes() -> None:
    """Refactoring must not change a single byte of what a secretary signs: the SHA-256 of every
    document of the sample, in both layouts, is recorded in ``tests/golden/documents.sha256``."""
    import hashlib

    expected = {}
    for line in (GOLDEN / "documents.sha256").read_text("utf-8").splitlines():
        digest, template, layout = line.split()
        expected[(template, layout)] = digest
    actual = {
        (t, f.value): hashlib.sha256(rendered(t, f)).hexdigest() for t in TEMPLATES for f in FORMATS
    }
    assert actual == expected, FIX


def test_every_golden_file_belongs_to_a_document() -> None:
    expected = {f"{Path(t).stem}-{f.value}.txt" for t in TEMPLATES for f in FORMATS}
    assert {p.name for p in GOLDEN.glob("*.txt")} == expected
    assert len(TEMPLATES) == 4


def _tools() -> tuple[str, str] | None:
    from pipeline.output.pdf import find_soffice

    soffice, pdftotext = find_soffice(), shutil.which("pdftotext")
    if soffice and pdftotext:
        return soffice, pdftotext
    if os.environ.get("THIDUA_REQUIRE_LIBREOFFICE"):
        pytest.fail("THIDUA_REQUIRE_LIBREOFFICE is set but soffice or pdftotext is missing")
    return None


@pytest.mark.libreoffice
def test_libreoffice_converts_every_document_without_leftover_tags() -> None:
    tools = _tools()
    if tools is None:
        pytest.skip("LibreOffice (soffice) or pdftotext is not installed")
    _, pdftotext = tools
    from pipeline.output.pdf import convert_to_pdf

    names = [(t, f) for t in TEMPLATES for f in FORMATS]
    documents = [(f"{Path(t).stem}-{f.value}.docx", rendered(t, f)) for t, f in names]
    pdfs = convert_to_pdf(documents)  # one soffice call, private profile
    with tempfile.TemporaryDirectory(prefix="thidua-golden-") as work:
        for (name, _), pdf in zip(documents, pdfs, strict=True):
            path = Path(work) / f"{Path(name).stem}.pdf"
            path.write_bytes(pdf)
            text = subprocess.run(
                [pdftotext, "-layout", str(path), "-"],
                capture_output=True, text=True, check=True, timeout=60,
            ).stdout  # fmt: skip
            for tag in ("{{", "}}", "{%", "%}"):
                assert tag not in text, f"{name}: {tag!r} left in the PDF"
            assert "Lạng Sơn" in text and "2014" in text, name
