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

:meth:`CompiledTemplate.compile` does the template-only work once: it reads the file safely
(:mod:`pipeline.documents.package`), and :func:`pipeline.documents.analysis.analyse` checks the
package and each templated part and compiles the parts with :func:`make_environment` (a limited
sandbox: :mod:`pipeline.documents.limits`, :mod:`pipeline.documents.filtering`), keeping every
other zip member as its raw compressed bytes; the compile cache (:mod:`pipeline.documents.cache`)
keeps what it learned.

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
import zipfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import CodeType
from typing import Any, cast

from jinja2 import StrictUndefined, Template
from lxml import etree

from pipeline.documents import cache
from pipeline.documents.analysis import Analysis, Part, analyse
from pipeline.documents.contract import CONTEXT, Shape
from pipeline.documents.diagnostics import (
    Finding,
    explain_render_error,
    paragraph_text,
)
from pipeline.documents.filtering import bounded_filter, limited_filter, limited_test
from pipeline.documents.finishing import finished, post_process
from pipeline.documents.limits import (
    MAX_OUTPUT,
    RENDER_SECONDS,
    Budget,
    LimitedEnvironment,
    LimitExceeded,
    rendering,
)
from pipeline.documents.package import (
    read_template,
)
from pipeline.documents.printing import (
    ValueRejected,
    clean_value,
    escape_printable,
    print_value,
)
from pipeline.errors import Location, Problem, ThiduaError, has_errors
from pipeline.opc import Member, deflated_member, raw_members, write_zip

Filters = Mapping[str, Callable[..., Any]]

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
    env.escape_printable = escape_printable  # type: ignore[method-assign,assignment]  # same text
    env.filters.update(default_filters() if filters is None else filters)
    bounded = bounded_filters()
    env.verbatim_filters = frozenset(n for n, f in env.filters.items() if f in bounded)
    for name, function in list(env.filters.items()):
        wrap = bounded_filter if function in bounded else limited_filter
        env.filters[name] = wrap(name, function)
    for name, test in list(env.tests.items()):
        env.tests[name] = limited_test(name, cast(Callable[..., Any], test))
    return env


class CompiledTemplate:
    """A .docx template compiled once, rendered into any number of documents.

    Build it with :meth:`compile`. ``name`` is the template's file name (used in error
    locations), ``variables`` the sorted top-level names the template reads (body, headers,
    footers, footnotes, endnotes, core properties), ``parts`` the zip members that are templated.
    Rendering is thread-safe: a compiled template is never modified (but for the memo of its
    environment, a dict of number texts that only gains entries or is emptied: atomic steps).
    """

    def __init__(self, name: str, analysis: Analysis) -> None:
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
        env.stream_bytes = True  # rendered by _generate only
        key = None
        if filters is None and (contract is None or contract is CONTEXT):
            options = f"contract={contract is not None} external={allow_external}"
            key = cache.entry_key(data, label, options)
            cached = _from_cache(cache.load(key), data, env)
            if cached is not None:
                return cls(label, cached)
        analysis = analyse(data, label, env, contract=contract, allow_external=allow_external)
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

    def _location(self, part: Part, text: str) -> Location:
        return Location(
            template=self.name, part=part.label, placeholder=f"đoạn «{text}»" if text else None
        )

    def _render_problem(
        self, part: Part, exc: Exception, context: Mapping[str, object]
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

    def _xml_problem(self, part: Part, text: str, exc: etree.XMLSyntaxError) -> Problem:
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


def _for_cache(analysis: Analysis) -> tuple[Any, ...]:
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


def _from_cache(value: Any, data: bytes, env: LimitedEnvironment) -> Analysis | None:
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
                Part(name, label, source, template, code, fix_tables, fix_docpr_ids, proven)
            )
        warnings = [
            Problem(severity, kind, message, hint, Location(**dict(zip(_WHERE, at, strict=True))))
            for severity, kind, message, hint, at in stored_warnings
        ]
        templated = {part.name for part in parts}
        layout = [m if m in templated else raw for m, raw in members.items()]
        return Analysis(warnings, [], parts, layout, known_variables=list(variables))
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
    analysis = analyse(data, path.name, env, contract=contract, allow_external=allow_external)
    return analysis.problems, analysis.variables()


def _generate(template: Template, context: Mapping[str, object], budget: Budget) -> bytes:
    """``template.render(context).encode("utf-8")``, each piece of output counted in ``budget``
    as it comes (a template that writes too much stops there, not after filling the memory).

    The compiled code streams most of the output as UTF-8 bytes already (a table row's text
    encoded when the template was compiled, its values one by one: ``stream_bytes``); each
    other piece is encoded as it comes, and the bytes are joined: the same bytes as encoding
    the joined text, sooner (a text holding one Vietnamese letter is stored two bytes a
    character, and encoding that is slow). Pieces of bytes are counted by their length in
    bytes (at least their characters: the budget stays an overestimate)."""
    try:
        pieces: list[bytes] = []
        append = pieces.append
        stream: Iterator[str | bytes] = template.root_render_func(
            template.new_context(dict(context))
        )
        for piece in stream:
            budget.written += len(piece)  # inline: this runs for every piece of every document
            if budget.written > MAX_OUTPUT:
                budget.write(0)  # raises the limit's error
            append(piece.encode() if isinstance(piece, str) else piece)
        return b"".join(pieces)
    except Exception:
        template.environment.handle_exception()  # re-raised, its frames pointing at the template
