"""What compiling a .docx template learns from it, problems included (the compile-time half of
:mod:`pipeline.documents.engine`).

:func:`analyse` reads the package once and:

1. refuses what is not a Word document and reports its external links
   (:mod:`pipeline.documents.package`), and finds the templated parts through the package
   relationships: the main document, its headers, footers, footnotes and endnotes, and
   ``docProps/core.xml``; a part without tags stays static;
2. checks that every tag opens and closes in its paragraph, runs docxtpl's own ``patch_xml`` on
   each part, inserts ``\\n`` before each ``<w:p`` as docxtpl does (so a Jinja line is about one
   paragraph), checks every tag (:mod:`pipeline.documents.diagnostics`) and, given a contract,
   every name (:mod:`pipeline.documents.contract`), proves once whether the part's output is
   well-formed whatever the values (:mod:`pipeline.documents.xmlsafe`), and compiles the part
   with the environment it is given (:func:`pipeline.documents.engine.make_environment`);
3. keeps every other zip member as its raw compressed bytes, in the package's order.

It reads nothing but the bytes it is given; what it learns (an :class:`Analysis`) is what the
engine renders from, and what the compile cache keeps.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from types import CodeType
from typing import Any

from jinja2 import Template, meta, nodes
from jinja2.exceptions import TemplateSyntaxError
from jinja2.filters import FILTERS as JINJA_FILTERS
from lxml import etree

from pipeline.documents.contract import Shape, check_names
from pipeline.documents.diagnostics import (
    UNPARSABLE,
    Finding,
    explain_syntax_error,
    paragraph_text,
    scan_part,
    too_complex,
    unknown_names,
    unpaired_delimiters,
)
from pipeline.documents.finishing import docxtpl_helper
from pipeline.documents.limits import LimitedEnvironment
from pipeline.documents.package import (
    MAX_PART_BYTES,
    external_links,
    link_problems,
    word_problems,
)
from pipeline.documents.xmlsafe import well_formed_whatever_the_values
from pipeline.errors import Location, Problem
from pipeline.opc import Member, ZipFormatError, raw_members

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_MAIN = _DOC_REL + "officeDocument"
_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
_CHILD_KINDS = {  # parts of the main document that docxtpl (or thidua) renders, in this order
    _DOC_REL + "header": "đầu trang",
    _DOC_REL + "footer": "chân trang",
    _DOC_REL + "footnotes": "chú thích cuối trang",
    _DOC_REL + "endnotes": "chú thích cuối văn bản",
}
_HAS_TAGS = re.compile(r"\{[{%#]|\{_[{%]|[}%]_\}")
_COLUMN_TAGS = re.compile(r"\{[{%#]tc\s|\{%-?\s*(?:colspan|hm)\b")


@dataclass(frozen=True, slots=True)
class Part:
    """One compiled part: its zip name, readable label, patched source and Jinja template."""

    name: str
    label: str
    source: str
    template: Template
    code: CodeType  # what ``template`` was made from (kept by the compile cache)
    fix_tables: bool
    fix_docpr_ids: bool
    proven: bool  # its output is well-formed XML whatever the escaped values (xmlsafe)


@dataclass(slots=True)
class Analysis:
    """What :func:`analyse` found: every problem (warnings and errors), the compiled parts
    (none with an error), and the package's members in order, a templated part by its name and
    every other member as it is (``layout``)."""

    problems: list[Problem]
    trees: list[nodes.Template]  # of the parts without problems, for their variables
    parts: list[Part]
    layout: list[Member | str]
    known_variables: list[str] | None = None  # from the compile cache (it keeps no trees)

    def variables(self) -> list[str]:
        """The sorted top-level names the parts read (Jinja's finder: a compiler pass)."""
        if self.known_variables is not None:
            return list(self.known_variables)
        return sorted(set().union(*map(meta.find_undeclared_variables, self.trees)))


def _unpaired(root: Any, name: str, label: str) -> list[Problem]:
    """A problem for each tag of ``root`` that does not open and close in its own paragraph
    (:func:`~pipeline.documents.diagnostics.unpaired_delimiters`)."""
    problems = []
    for paragraph in root.iter(_W + "p"):
        runs = [t for t in paragraph.iter(_W + "t") if _paragraph_of(t) is paragraph]
        text = "".join(t.text or "" for t in runs)
        if "{" not in text and "}" not in text:
            continue
        for message, hint in unpaired_delimiters(text):
            shown = " ".join(text.split())
            shown = shown if len(shown) <= 100 else shown[:99] + "…"
            where = Location(template=name, part=label, placeholder=f"đoạn «{shown}»")
            problems.append(Problem("error", "template-syntax", message, hint, where))
    return problems


def _paragraph_of(element: Any) -> Any:
    """The paragraph that directly holds ``element`` (not one around a text box it is in)."""
    parent = element.getparent()
    while parent is not None and parent.tag != _W + "p":
        parent = parent.getparent()
    return parent


def _drop_line_breaks(tree: nodes.Template) -> None:
    """Remove, in the template's static text, the ``\\n`` inserted before each ``<w:p``.

    docxtpl inserts them so that Jinja's line numbers count paragraphs, and deletes them from
    every rendered document. Deleting them from the parsed template instead keeps the line
    numbers (each node carries its own) and saves a pass over every output.
    """
    for node in tree.find_all(nodes.TemplateData):
        node.data = node.data.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")


def _relationships(archive: zipfile.ZipFile, part: str) -> list[tuple[str, str]]:
    """(type, target part name) of the internal relationships of ``part`` ("" = package)."""
    folder, base = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    try:
        root = etree.fromstring(archive.read(rels_name))
    except KeyError:
        return []
    found = []
    for rel in root.iter(_RELS):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External" or not target:
            continue
        resolved = target[1:] if target.startswith("/") else posixpath.join(folder, target)
        found.append((rel.get("Type", ""), posixpath.normpath(resolved)))
    return found


def _templated_candidates(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(zip member, Vietnamese kind) of every part that may hold tags, main document first."""
    package = _relationships(archive, "")
    main = next((target for kind, target in package if kind == _MAIN), None)
    if main is None or main not in archive.NameToInfo:
        return []
    children = _relationships(archive, main)
    found = [(main, "thân văn bản")]
    for rel_type, kind in _CHILD_KINDS.items():
        names = sorted({target for rtype, target in children if rtype == rel_type})
        found += [(name, kind) for name in names if name in archive.NameToInfo]
    found += [
        (target, "thuộc tính tệp")
        for kind, target in package
        if kind == _CORE and target in archive.NameToInfo
    ]
    return found


def _tables_need_fixing(root: Any) -> bool:
    """Whether docxtpl's ``fix_tables`` could change a table left after rendering.

    It cannot when every row has no more cells than the grid has columns and spans exactly
    the grid: repeating or removing such rows keeps that true.
    """
    for table in root.iter(_W + "tbl"):
        grid = table.find(_W + "tblGrid")
        if grid is None:
            continue
        columns = len(grid.findall(_W + "gridCol"))
        for row in table.iter(_W + "tr"):
            cells = row.findall(_W + "tc")
            spans = [cell.find(f"{_W}tcPr/{_W}gridSpan") for cell in cells]
            widths = [1 if span is None else span.get(_W + "val", "1") for span in spans]
            if len(cells) > columns or not all(str(w).isdigit() for w in widths):
                return True
            if sum(int(w) for w in widths) != columns:
                return True
    return False


def analyse(
    data: bytes,
    name: str,
    env: LimitedEnvironment,
    *,
    contract: Mapping[str, Shape] | None,
    allow_external: bool,
) -> Analysis:
    """Everything :meth:`~pipeline.documents.engine.CompiledTemplate.compile` learns from a
    template, problems included: the package (a Word document, its external links), then each
    templated part, compiled with ``env``."""
    analysis = Analysis([], [], [], [])

    def fail(code: str, message: str, hint: str, part: str | None = None) -> Analysis:
        analysis.problems.append(
            Problem("error", code, message, hint, Location(template=name, part=part))
        )
        return analysis

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = raw_members(data, archive.infolist())
    except (zipfile.BadZipFile, ZipFormatError) as exc:
        return fail(
            "template-file",
            f"Không phải tệp .docx dùng được ({exc})",
            "Mở mẫu bằng Word và lưu lại dạng Word Document (.docx), không đặt mật khẩu.",
        )
    not_word = word_problems(archive, name)
    if not_word:
        analysis.problems += not_word
        return analysis
    analysis.problems += link_problems(external_links(archive), name, allow_external=allow_external)
    candidates = _templated_candidates(archive)
    if not candidates:
        return fail(
            "template-file",
            "Tệp không có phần văn bản Word (word/document.xml)",
            "Mở mẫu bằng Word và lưu lại dạng Word Document (.docx).",
        )
    custom = set(env.filters) - set(JINJA_FILTERS)
    templated: dict[str, Part] = {}
    for member, kind in candidates:
        is_main = member == candidates[0][0]
        where = _Where(name, f"{kind} ({member})", contract)
        part = _analyse_part(archive, member, where, is_main, env, custom, analysis)
        if part is not None:
            templated[member] = part
    analysis.parts = list(templated.values())
    analysis.layout = [member if member in templated else raw for member, raw in members.items()]
    return analysis


@dataclass(frozen=True, slots=True)
class _Where:
    """The template and part being analysed, and the contract to check its names against."""

    name: str
    label: str
    contract: Mapping[str, Shape] | None


def _analyse_part(
    archive: zipfile.ZipFile,
    member: str,
    where: _Where,
    is_main: bool,
    env: LimitedEnvironment,
    custom: set[str],
    analysis: Analysis,
) -> Part | None:
    """Check, patch and compile one part; ``None`` if it has no tags or cannot be compiled."""
    name, label = where.name, where.label

    def located(finding: Finding, source: str) -> Problem:
        text = paragraph_text(source, finding.lineno, around=finding.tag)
        return Problem(
            "error",
            finding.code,
            finding.message,
            finding.hint,
            Location(template=name, part=label, placeholder=f"đoạn «{text}»" if text else None),
        )

    def broken(message: str) -> None:
        analysis.problems.append(
            Problem(
                "error", "template-file", message, "Mở mẫu bằng Word và lưu lại.",
                Location(template=name, part=label),
            )
        )  # fmt: skip

    if archive.getinfo(member).file_size > MAX_PART_BYTES:
        broken(f"Phần này của tệp quá lớn (hơn {MAX_PART_BYTES // (1024 * 1024)} MB)")
        return None
    try:
        root = etree.fromstring(archive.read(member))
    except etree.XMLSyntaxError as exc:
        broken(f"Phần này của tệp bị hỏng ({exc.msg})")
        return None
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        broken(f"Phần này của tệp không giải nén được ({exc})")
        return None
    unpaired = _unpaired(root, name, label)
    if unpaired:  # docxtpl would join the paragraphs up to the next tag: nothing else is sure
        analysis.problems += unpaired
        return None
    helper = docxtpl_helper()
    patched = helper.patch_xml(etree.tostring(root, encoding="unicode"))
    if not _HAS_TAGS.search(patched):
        return None
    source = re.sub(r"<w:p([ >])", r"\n<w:p\1", patched)  # as docxtpl's render_xml_part
    tree: nodes.Template | None
    try:
        tree = env.parse(source)
    except (TemplateSyntaxError, *UNPARSABLE) as exc:
        tree = None
        findings = scan_part(env, source, custom, each_tag=True)
        if not any(finding.syntactic for finding in findings):
            findings.append(
                explain_syntax_error(exc)
                if isinstance(exc, TemplateSyntaxError)
                else too_complex(0)
            )
    else:
        findings = [
            finding
            for finding in scan_part(env, source, custom, each_tag=False)
            if not finding.syntactic
        ] + unknown_names(env, tree, custom)
        if not findings:  # Jinja's variable finder stops at unknown filters
            analysis.trees.append(tree)
        if where.contract is not None:
            findings += check_names(tree, where.contract, env.globals)
    findings.sort(key=lambda finding: finding.lineno)
    analysis.problems += [located(finding, source) for finding in findings]
    if findings or tree is None:
        return None
    _drop_line_breaks(tree)
    proven = well_formed_whatever_the_values(tree, nodes.EvalContext(env, member))
    try:
        code = env.compile(tree, name=member, filename=f"<{name}:{member}>")
    except TemplateSyntaxError as exc:
        analysis.problems.append(located(explain_syntax_error(exc), source))
        return None
    except UNPARSABLE:
        analysis.problems.append(located(too_complex(0), source))
        return None
    return Part(
        name=member,
        label=label,
        source=source,
        template=env.template_class.from_code(env, code, env.make_globals(None)),
        code=code,
        fix_tables=is_main
        and (bool(_COLUMN_TAGS.search("".join(root.itertext()))) or _tables_need_fixing(root)),
        fix_docpr_ids=is_main and next(root.iter(_WP + "docPr"), None) is not None,
        proven=proven,
    )
