"""The recorded outputs the tests compare against, and how each is produced.

Three kinds of files hold what the code must keep producing:

- ``tests/golden/<document>-<layout>.txt``: the text of each bundled template rendered for the
  sample workbook, in both layouts (:func:`golden_texts`);
- ``tests/golden/documents.sha256``: the SHA-256 of each of those eight documents
  (:func:`documents_sha256`), so that a refactoring proves byte identity;
- ``pipeline/_help.py``: the top-level ``thidua --help`` text, answered without importing Click
  (:func:`help_module`).

Tests only compare. To accept a deliberate change, regenerate them and review the diff::

    .venv/bin/python scripts/update_goldens.py

(the files are produced by the functions of this module, so what the script writes is exactly
what the tests expect).
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn

from pipeline.domain.model import DocFormat, Dossier
from pipeline.resources import bundled_inputs_dir, bundled_templates_dir

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
HASHES = GOLDEN / "documents.sha256"
HELP_MODULE = ROOT / "pipeline" / "_help.py"
SAMPLE = "cum-cac-ban-dang-lang-son-2013.xlsx"
FORMATS = (DocFormat.PARTY, DocFormat.STATE)
TEMPLATES = sorted(p.name for p in bundled_templates_dir().glob("*.docx"))


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
    """A bundled template rendered for the sample, its layout switched to ``doc_format``."""
    from pipeline.documents.context import build_context
    from pipeline.documents.engine import CompiledTemplate
    from pipeline.domain.scoring import compute

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


def golden_path(template: str, doc_format: DocFormat) -> Path:
    return GOLDEN / f"{Path(template).stem}-{doc_format.value}.txt"


def golden_texts() -> dict[Path, str]:
    """Every golden text file with the content the current code gives it."""
    return {
        golden_path(t, f): document_text(rendered(t, f)) for t in TEMPLATES for f in FORMATS
    }


def documents_sha256() -> str:
    """``documents.sha256``: one ``digest  template layout`` line per document."""
    return "".join(
        f"{hashlib.sha256(rendered(t, f)).hexdigest()}  {t} {f.value}\n"
        for f in FORMATS
        for t in TEMPLATES
    )


def top_level_help() -> str:
    """What Click prints for ``thidua --help``."""
    from click.testing import CliRunner

    from pipeline.cli import cli

    result = CliRunner().invoke(cli, ["--help"], prog_name="thidua")
    assert result.exit_code == 0, result.output
    return result.stdout


def help_module(text: str) -> str:
    """The source of ``pipeline/_help.py`` holding ``text``."""
    return (
        '"""The top-level help text of ``thidua`` (see :mod:`pipeline._entry`).\n\n'
        "Generated from Click by ``scripts/update_goldens.py``; ``tests/test_cli.py`` checks that\n"
        'it is still what Click prints.\n"""\n\n'
        "TOP_LEVEL_HELP = (\n"
        + "".join(f"    {json.dumps(line, ensure_ascii=False)}\n" for line in text.splitlines(True))
        + ")\n"
    )


def expected_files() -> dict[Path, str]:
    """Every recorded file with the content the current code gives it."""
    return {
        **golden_texts(),
        HASHES: documents_sha256(),
        HELP_MODULE: help_module(top_level_help()),
    }
