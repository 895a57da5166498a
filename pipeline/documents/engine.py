"""The .docx rendering engine: docxtpl templates, compiled once, rendered many times.

Templates use docxtpl's tags (``{{ }}``, ``{% %}``, ``{%tr %}``, ``{%tc %}``, ``{%p %}``,
``{%r %}``, ``{{r }}``, ``{{p }}``, ``{% vm %}``, ``{% hm %}``, ``colspan``, ``cellbg``) and give
the same XML as ``DocxTemplate(path).render(context, jinja_env=make_environment())``.

Why not call docxtpl for every document? Its ``render()`` + ``save()`` redoes, for *each*
document, everything that depends only on the template: it re-opens and parses every XML part of
the package with python-docx, re-runs ``patch_xml`` (about 25 regular-expression passes), compiles
the body, every header and footer and six core properties with Jinja again, re-parses the rendered
body (with ``recover=True``, which silently drops text it cannot parse), re-serialises every part
and re-deflates ~800 KB of static styles into a zip stamped with the current time. The Jinja
rendering itself is well under 1 % of that time.

:meth:`CompiledTemplate.compile` does the template-only work once:

1. read the file safely and the zip once, refuse what is not a Word document and report its
   external links (:mod:`pipeline.documents.package`), and find the templated parts through the
   package relationships: the main document, its headers, footers, footnotes and endnotes, and
   ``docProps/core.xml``; a part without tags stays static;
2. check that every tag opens and closes in its paragraph, run docxtpl's own ``patch_xml`` on
   each part, insert ``\\n`` before each ``<w:p`` as docxtpl does (so a Jinja line is about one
   paragraph), check every tag (see :mod:`pipeline.documents.diagnostics`) and, given a
   contract, every name (:mod:`pipeline.documents.contract`), and compile the part once with
   :func:`make_environment` (a limited sandbox: :mod:`pipeline.documents.limits`);
3. keep every other zip member as its raw compressed bytes.

:meth:`CompiledTemplate.render` then only executes the compiled parts, applies docxtpl's
post-processing (``{_{`` un-escaping, ``resolve_listing``, ``fix_tables``, ``wp:docPr``
renumbering) when it can change something, re-parses each rendered part *strictly* (broken XML is
an error, never silently repaired), and writes a deterministic zip
(:mod:`pipeline.opc`).

Values are made safe by :func:`clean_value`, Jinja's ``finalize`` hook, before autoescaping:
``&``, ``<``, ``>`` and quotes come out exactly as typed.

Supported: everything in docxtpl's templates, ``RichText``/``RichTextParagraph`` and ``Listing``
values. Not supported: ``InlineImage`` and ``Subdoc`` values (they need a live python-docx
document; using one is a located error), hyperlinks through ``DocxTemplate.build_url_id``, and
``replace_pic``/``replace_media``/``replace_embedded``. Deliberate differences from docxtpl:
core properties are rendered as XML (so ``&`` is not double-escaped) and any of them may hold
tags; endnotes are rendered; footnotes are rendered once, not once per section; a ``None`` value
is an error instead of the text "None"; output bytes are deterministic.
"""

from __future__ import annotations

import functools
import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import CodeType
from typing import Any, cast

from jinja2 import StrictUndefined, Template, meta, nodes
from jinja2.exceptions import TemplateSyntaxError
from jinja2.filters import FILTERS as JINJA_FILTERS
from lxml import etree

from pipeline.documents import cache
from pipeline.documents.contract import CONTEXT, Shape, check_names
from pipeline.documents.diagnostics import (
    UNPARSABLE,
    Finding,
    explain_render_error,
    explain_syntax_error,
    paragraph_text,
    scan_part,
    too_complex,
    unknown_names,
    unpaired_delimiters,
)
from pipeline.documents.filtering import bounded_filter, limited_filter, limited_test
from pipeline.documents.finishing import docxtpl_helper, finished, post_process
from pipeline.documents.limits import (
    MAX_OUTPUT,
    RENDER_SECONDS,
    Budget,
    LimitedEnvironment,
    LimitExceeded,
    rendering,
)
from pipeline.documents.package import (
    MAX_PART_BYTES,
    external_links,
    link_problems,
    read_template,
    word_problems,
)
from pipeline.documents.printing import ValueRejected, clean_value, print_value
from pipeline.documents.xmlsafe import well_formed_whatever_the_values
from pipeline.errors import Location, Problem, ThiduaError, has_errors
from pipeline.opc import Member, ZipFormatError, deflated_member, raw_members, write_zip

Filters = Mapping[str, Callable[..., Any]]

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


def default_filters() -> Filters:
    """The Vietnamese filters of :mod:`pipeline.vi` (imported only when first needed)."""
    from pipeline.vi import FILTERS

    return FILTERS


def bounded_filters() -> frozenset[Callable[..., Any]]:
    """The filters whose work and text are bounded (:func:`pipeline.documents.filtering.
    bounded_filter`): the number filters of :mod:`pipeline.vi.numbers`."""
    from pipeline.vi.numbers import BOUNDED_FILTERS

    return BOUNDED_FILTERS


def make_environment(filters: Filters | None = None) -> LimitedEnvironment:
    """The Jinja environment every template is compiled with.

    Sandboxed, immutable and limited (:class:`~pipeline.documents.limits.LimitedEnvironment`:
    a template cannot reach Python internals, nor exhaust time or memory), autoescaping (values
    are XML text), :class:`~jinja2.StrictUndefined` (a missing variable is an error, never a
    blank), :func:`clean_value` as ``finalize``, and Jinja's filters plus ``filters``
    (default: :func:`default_filters`). No filter but ``default`` receives a missing value, and
    no test but ``defined``/``undefined``: the strict rule holds through all of them (``{{
    x|pprint }}`` of a missing ``x`` is an error, not the word "Undefined").
    """
    env = LimitedEnvironment(autoescape=True, undefined=StrictUndefined, finalize=clean_value)
    env.print_value = print_value  # type: ignore[method-assign]  # the same text, faster
    env.filters.update(default_filters() if filters is None else filters)
    bounded = bounded_filters()
    env.verbatim_filters = frozenset(n for n, f in env.filters.items() if f in bounded)
    for name, function in list(env.filters.items()):
        wrap = bounded_filter if function in bounded else limited_filter
        env.filters[name] = wrap(name, function)
    for name, test in list(env.tests.items()):
        env.tests[name] = limited_test(name, cast(Callable[..., Any], test))
    return env


@dataclass(frozen=True, slots=True)
class _Part:
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
class _Analysis:
    problems: list[Problem]
    trees: list[nodes.Template]  # of the parts without problems, for their variables
    parts: list[_Part]
    layout: list[Member | str]
    known_variables: list[str] | None = None  # from the compile cache (it keeps no trees)

    def variables(self) -> list[str]:
        """The sorted top-level names the parts read (Jinja's finder: a compiler pass)."""
        if self.known_variables is not None:
            return list(self.known_variables)
        return sorted(set().union(*map(meta.find_undeclared_variables, self.trees)))


class CompiledTemplate:
    """A .docx template compiled once, rendered into any number of documents.

    Build it with :meth:`compile`. ``name`` is the template's file name (used in error
    locations), ``variables`` the sorted top-level names the template reads (body, headers,
    footers, footnotes, endnotes, core properties), ``parts`` the zip members that are templated.
    Rendering is thread-safe: a compiled template is never modified.
    """

    def __init__(self, name: str, analysis: _Analysis) -> None:
        self.name = name
        self.parts = tuple(part.name for part in analysis.parts)
        self.warnings = tuple(p for p in analysis.problems if not p.is_error)
        self._analysis = analysis

    @functools.cached_property
    def variables(self) -> list[str]:
        """The sorted top-level variables (found on first use: it costs a compiler pass)."""
        return self._analysis.variables()

    def __repr__(self) -> str:
        return f"CompiledTemplate({self.name!r}, parts={self.parts!r})"

    @classmethod
    def compile(
        cls,
        source: Path | str | bytes,
        *,
        name: str | None = None,
        filters: Filters | None = None,
        contract: Mapping[str, Shape] | None = None,
        allow_external: bool = False,
    ) -> CompiledTemplate:
        """Compile a template from a path or the bytes of a .docx file.

        ``name`` defaults to the file name. With a ``contract`` (the shape of the context it
        will be rendered with, :data:`pipeline.documents.contract.CONTEXT` for thidua's
        documents) every name the template reads is checked against it. External links are
        refused unless ``allow_external``. Raises :class:`ThiduaError` with every error found
        (all parts, all tags) if the template cannot be used; ``warnings`` holds the rest.

        With the default filters and no contract or thidua's, what compiling gives is kept in
        the compile cache (:mod:`pipeline.documents.cache`) and taken from it next time: the
        same parts, warnings and variables, so the same documents.
        """
        if isinstance(source, bytes):
            data, label = source, name or "mẫu.docx"
        else:
            label = name or Path(source).name
            data = _read_template(Path(source), label)
        env = make_environment(filters)
        key = None
        if filters is None and (contract is None or contract is CONTEXT):
            options = f"contract={contract is not None} external={allow_external}"
            key = cache.entry_key(data, label, options)
            cached = _from_cache(cache.load(key), data, env)
            if cached is not None:
                return cls(label, cached)
        analysis = _analyse(data, label, env, contract=contract, allow_external=allow_external)
        if has_errors(analysis.problems):
            raise ThiduaError(analysis.problems)
        if key is not None:
            cache.store(key, _for_cache(analysis))
        return cls(label, analysis)

    def render(self, context: Mapping[str, object], *, seconds: float = RENDER_SECONDS) -> bytes:
        """The complete .docx for ``context``, as bytes (nothing is written to disk).

        The same template and context always give the same bytes. Raises :class:`ThiduaError`
        with one located problem per failing part: a missing variable, a value a filter cannot
        handle, a refused value (see :func:`clean_value`), a limit of
        :mod:`pipeline.documents.limits` (``seconds`` is the time budget of the document), or
        rendered XML that does not parse.
        """
        rendered: dict[str, Member] = {}
        problems: list[Problem] = []
        with rendering(seconds) as budget:
            texts = []
            for part in self._analysis.parts:
                budget.raw = False
                try:
                    texts.append((part, _generate(part.template, context, budget), budget.raw))
                except Exception as exc:  # a template is untrusted code: no traceback
                    problems.append(self._render_problem(part, exc, context))
                    if isinstance(exc, (LimitExceeded, MemoryError, RecursionError)):
                        break  # the document's budget is spent: the next parts would say so too
        for part, text, raw in texts:
            data, expanded = post_process(text)
            # The strict parse proves nothing new for a part whose template is proven
            # well-formed whatever the escaped values, when no raw markup was printed and no
            # listing character reshaped it (pipeline.documents.xmlsafe).
            parse = raw or expanded or not part.proven
            try:
                member = finished(
                    data, parse=parse, fix_tables=part.fix_tables,
                    fix_docpr_ids=part.fix_docpr_ids,
                )  # fmt: skip
                rendered[part.name] = deflated_member(part.name, member)
            except etree.XMLSyntaxError as exc:
                problems.append(self._xml_problem(part, data.decode("utf-8"), exc))
        if problems:
            raise ThiduaError(problems)
        return write_zip(
            rendered[item] if isinstance(item, str) else item for item in self._analysis.layout
        )

    def _location(self, part: _Part, text: str) -> Location:
        return Location(
            template=self.name, part=part.label, placeholder=f"đoạn «{text}»" if text else None
        )

    def _render_problem(
        self, part: _Part, exc: Exception, context: Mapping[str, object]
    ) -> Problem:
        finding = (
            Finding(0, "template-value", str(exc), exc.hint)
            if isinstance(exc, ValueRejected)
            else explain_render_error(exc, context)
        )
        lineno = 0  # the template line, from the frames Jinja rewrites to point at the source
        tb = exc.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == part.template.filename:
                lineno = tb.tb_lineno
            tb = tb.tb_next
        text = paragraph_text(part.source, lineno, around=finding.tag)
        return Problem(
            "error", finding.code, finding.message, finding.hint, self._location(part, text)
        )

    def _xml_problem(self, part: _Part, text: str, exc: etree.XMLSyntaxError) -> Problem:
        line, column = exc.position
        lines = text.split("\n")
        row = lines[line - 1] if 0 < line <= len(lines) else ""
        start = max(row.rfind("<w:p ", 0, column), row.rfind("<w:p>", 0, column), 0)
        end = row.find("</w:p>", column)
        near = paragraph_text(row[start : end if end >= 0 else None], 1)
        return Problem(
            "error",
            "template-xml",
            f"Văn bản tạo ra không phải XML hợp lệ ({exc.msg})",
            "Thường do một khối {% if %}/{% for %} mở và đóng ở hai chỗ khác cấp (dùng {%p %}, "
            "{%tr %} cho cả đoạn, cả hàng), hoặc do giá trị RichText chứa XML sai.",
            self._location(part, near),
        )


def _for_cache(analysis: _Analysis) -> tuple[Any, ...]:
    """What the compile cache keeps of an analysis without errors (plain values and code)."""
    parts = tuple(
        (p.name, p.label, p.source, p.code, p.fix_tables, p.fix_docpr_ids, p.proven)
        for p in analysis.parts
    )
    warnings = tuple(
        (p.severity, p.code, p.message, p.hint, tuple(getattr(p.location, f) for f in _WHERE))
        for p in analysis.problems
    )
    return parts, warnings, tuple(analysis.variables())


_WHERE = ("file", "sheet", "cell", "template", "part", "placeholder")


def _from_cache(value: Any, data: bytes, env: LimitedEnvironment) -> _Analysis | None:
    """The analysis :func:`_for_cache` kept, its templates made again from their code, or
    ``None`` if there is none or it does not fit ``data`` (a miss: compile)."""
    if value is None:
        return None
    try:
        stored_parts, stored_warnings, variables = value
        members = raw_members(data, zipfile.ZipFile(io.BytesIO(data)).infolist())
        parts = []
        for name, label, source, code, fix_tables, fix_docpr_ids, proven in stored_parts:
            if name not in members or not isinstance(code, CodeType):
                return None
            template = env.template_class.from_code(env, code, env.make_globals(None))
            parts.append(
                _Part(name, label, source, template, code, fix_tables, fix_docpr_ids, proven)
            )
        warnings = [
            Problem(severity, kind, message, hint, Location(**dict(zip(_WHERE, at, strict=True))))
            for severity, kind, message, hint, at in stored_warnings
        ]
        templated = {part.name for part in parts}
        layout = [m if m in templated else raw for m, raw in members.items()]
        return _Analysis(warnings, [], parts, layout, known_variables=list(variables))
    except Exception:  # an entry of another shape: compile instead
        return None


def _read_template(path: Path, name: str) -> bytes:
    data, problem = read_template(path, name)
    if problem is not None:
        raise ThiduaError(problem)
    assert data is not None
    return data


def inspect_template(
    path: Path,
    env: LimitedEnvironment,
    *,
    contract: Mapping[str, Shape] | None = None,
    allow_external: bool = False,
) -> tuple[list[Problem], list[str] | None]:
    """Every problem of the template at ``path`` compiled with ``env`` (exactly what
    :meth:`CompiledTemplate.compile` with the same options reports), and the sorted variables
    of its parts that could be read (even if others failed); ``None`` for a file that cannot be
    read, whose problem is then the only one."""
    try:
        data = _read_template(path, path.name)
    except ThiduaError as exc:
        return list(exc.problems), None
    analysis = _analyse(data, path.name, env, contract=contract, allow_external=allow_external)
    return analysis.problems, analysis.variables()


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


def _generate(template: Template, context: Mapping[str, object], budget: Budget) -> bytes:
    """``template.render(context).encode("utf-8")``, each piece of output counted in ``budget``
    as it comes (a template that writes too much stops there, not after filling the memory).

    Each piece is encoded as it comes and the bytes joined: the same bytes as encoding the
    joined text, sooner (a text holding one Vietnamese letter is stored two bytes a character,
    and encoding that is slow: here only the pieces that hold one are)."""
    try:
        pieces: list[bytes] = []
        append = pieces.append
        for piece in template.root_render_func(template.new_context(dict(context))):
            budget.written += len(piece)  # inline: this runs for every piece of every document
            if budget.written > MAX_OUTPUT:
                budget.write(0)  # raises the limit's error
            append(piece.encode())
        return b"".join(pieces)
    except Exception:
        template.environment.handle_exception()  # re-raised, its frames pointing at the template


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


def _analyse(
    data: bytes,
    name: str,
    env: LimitedEnvironment,
    *,
    contract: Mapping[str, Shape] | None,
    allow_external: bool,
) -> _Analysis:
    """Everything :meth:`CompiledTemplate.compile` learns from a template, problems included:
    the package (a Word document, its external links), then each templated part."""
    analysis = _Analysis([], [], [], [])

    def fail(code: str, message: str, hint: str, part: str | None = None) -> _Analysis:
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
    templated: dict[str, _Part] = {}
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
    analysis: _Analysis,
) -> _Part | None:
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
    return _Part(
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
