"""Golden text of the four bundled templates, rendered for the sample in both layouts.

Each document is rendered from the sample workbook twice, once per layout (``the_thuc`` ``dang``
and ``nha_nuoc``, switched by replacing the cluster's ``doc_format``), and its text is extracted
in reading order: headers, then the body's paragraphs and tables. The text must equal
``tests/golden/<document>-<layout>.txt``; these files are the documents a secretary signs, so read
a diff as a change of wording.

To accept a deliberate change, regenerate the files and review the diff::

    THIDUA_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_templates_golden.py

The LibreOffice test converts all eight documents in one ``soffice`` call and checks that no
template tag is left in the PDF text. It is skipped only when LibreOffice (or ``pdftotext``) is
missing and ``THIDUA_REQUIRE_LIBREOFFICE`` is not set; with that variable set it fails instead.
"""

from __future__ import annotations

import functools
import io
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn

from pipeline.documents.context import build_context
from pipeline.documents.engine import CompiledTemplate
from pipeline.domain.model import DocFormat, Dossier
from pipeline.domain.scoring import compute
from pipeline.resources import bundled_inputs_dir, bundled_templates_dir

GOLDEN = Path(__file__).parent / "golden"
SAMPLE = "cum-cac-ban-dang-lang-son-2013.xlsx"
FORMATS = (DocFormat.PARTY, DocFormat.STATE)
TEMPLATES = sorted(p.name for p in bundled_templates_dir().glob("*.docx"))
UPDATE = os.environ.get("THIDUA_UPDATE_GOLDEN") == "1"


@functools.cache
def sample_dossier() -> Dossier:
    """The bundled sample workbook, loaded without errors."""
    from pipeline.workbook.loader import load

    dossier, problems = load(bundled_inputs_dir() / SAMPLE)
    errors = [str(p) for p in problems if p.is_error]
    assert dossier is not None and not errors, errors
    return dossier


@functools.cache
def rendered(template: str, doc_format: DocFormat) -> bytes:
    dossier = sample_dossier()
    dossier = replace(dossier, cluster=replace(dossier.cluster, doc_format=doc_format))
    compiled = CompiledTemplate.compile(bundled_templates_dir() / template)
    return compiled.render(build_context(dossier, compute(dossier)))


def _paragraph_text(p: Any) -> str:
    """Visible text of a ``w:p``: runs' text, tabs as spaces, breaks as new lines."""
    parts = []
    for node in p.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:instrText")):
        if node.tag == qn("w:t"):
            parts.append(node.text or "")
        elif node.tag == qn("w:tab"):
            parts.append(" ")
        elif node.tag == qn("w:br"):
            parts.append("\n")
    return "".join(parts)


def _block_lines(container: Any) -> Iterator[str]:
    """Lines of a body or a cell, in document order: paragraphs, then table rows as
    ``| cell | cell |`` (paragraphs of a cell joined with `` / ``); empty paragraphs skipped."""
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            text = _paragraph_text(child).strip()
            if text:
                yield text
        elif child.tag == qn("w:tbl"):
            for row in child.iterchildren(qn("w:tr")):
                cells = [" / ".join(_block_lines(tc)) for tc in row.iterchildren(qn("w:tc"))]
                if any(cells):
                    yield "| " + " | ".join(cells) + " |"


def document_text(data: bytes) -> str:
    """The text of a .docx: each section's headers and footers, then the body."""
    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    for number, section in enumerate(document.sections, start=1):
        for label, part in (
            ("đầu trang đầu", section.first_page_header),
            ("đầu trang", section.header),
            ("chân trang đầu", section.first_page_footer),
            ("chân trang", section.footer),
        ):
            if part.is_linked_to_previous:
                continue
            body = list(_block_lines(part._element))
            lines.append(f"=== {label} (phần {number}) ===")
            lines += body or ["(trống)"]
    lines.append("=== thân văn bản ===")
    lines += _block_lines(document.element.body)
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("doc_format", FORMATS, ids=[f.value for f in FORMATS])
@pytest.mark.parametrize("template", TEMPLATES)
def test_golden_text(template: str, doc_format: DocFormat) -> None:
    text = document_text(rendered(template, doc_format))
    golden = GOLDEN / f"{Path(template).stem}-{doc_format.value}.txt"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.is_file(), f"{golden} is missing: run with THIDUA_UPDATE_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8")


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
    assert actual == expected


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
