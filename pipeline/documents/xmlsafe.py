"""Proving, once per template, that its rendered XML is well-formed whatever the data.

Pure: no I/O. The engine parses every rendered part strictly, so that broken XML is an error
and never silently repaired. That parse costs about a third of a long table's rendering, and
most of the time it proves nothing new: in an autoescaping template a printed value is text
(``&``, ``<``, ``>`` and quotes escaped, the characters XML forbids removed:
:mod:`pipeline.documents.printing`), and text in a text or attribute-value position cannot
break the XML. What can break it is the template's own structure (``{% if %}<w:p>{% endif %}``
opens an element in one branch only) or a value that carries its own markup (``| safe``, a
macro's result, docxtpl's ``RichText``).

:func:`well_formed_whatever_the_values` decides the first, on the parsed template: it follows
every path through it, reading the static XML with a small scanner (elements, attributes,
character and entity references, namespace declarations, as XML 1.0 and Namespaces in XML 1.0
define them), and answers ``True`` only if

* every branch of an ``{% if %}`` ends where the others end (same open elements, same place in
  a start tag), and the body of every ``{% for %}`` (and its ``{% else %}``) ends where it
  started, so that the output of any run is the static XML of one path with values inserted;
* that path, read as XML, is one well-formed element (names, attributes, references, namespace
  prefixes declared, no attribute twice, tags that close what they open);
* every printed value sits in character data inside the root element or inside a quoted
  attribute value (not a namespace declaration), and is printed escaped (not in an
  ``{% autoescape false %}`` block);
* the template has nothing else that writes to the output (``{% filter %}`` blocks,
  ``{% call %}``, blocks, includes): those are not followed, and the answer is ``False``.

Constants Jinja folds at compile time (``{{ '<w:br/>' | safe }}``) are read as the static XML
they become. Anything the scanner does not know (comments, processing instructions, CDATA, a
document type, non-ASCII names, a raw ``>`` in text) makes the answer ``False``: it is a sound
test, not a complete one, and ``False`` only means the engine parses that part's output, as it
always did. At render time the engine still parses a part when a value with its own markup was
printed, when docxtpl's listing characters were expanded, or when docxtpl's table or
drawing-id fixes need the tree.
"""

from __future__ import annotations

import re
from typing import Any

from jinja2 import nodes
from markupsafe import escape

_NAME = r"[A-Za-z_][A-Za-z0-9._\-]*(?::[A-Za-z_][A-Za-z0-9._\-]*)?"
_START = re.compile("<(" + _NAME + ")")
_END = re.compile("</(" + _NAME + r")[ \t\r\n]*>")
_ATTRIBUTE = re.compile("[ \t\r\n]+(" + _NAME + r")[ \t\r\n]*=[ \t\r\n]*([\"'])")
_TAG_CLOSE = re.compile(r"[ \t\r\n]*(/?)>")
_TEXT_STOP = re.compile("[<&>]")
_REFERENCE = re.compile(r"&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));")
_INVALID_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"
_WHITESPACE = " \t\r\n"

TEXT, IN_TAG, ATTRIBUTE_VALUE = "text", "start tag", "attribute value"


class NotProven(Exception):
    """The template's output cannot be shown well-formed this way (it may still be)."""


def well_formed_whatever_the_values(tree: nodes.Template, eval_ctx: nodes.EvalContext) -> bool:
    """Whether every rendering of ``tree`` whose printed values are escaped text is
    well-formed XML (see the module's docstring). ``eval_ctx`` is the evaluation context Jinja
    compiles ``tree`` with (for the constants it folds)."""
    scanner = _Scanner()
    try:
        _walk(tree.body, scanner, eval_ctx)
        scanner.finish()
    except NotProven:
        return False
    return True


def _walk(body: list[nodes.Node], scanner: _Scanner, eval_ctx: nodes.EvalContext) -> None:
    for node in body:
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                text = _folded(child, eval_ctx)
                if text is None:
                    scanner.value()
                else:
                    scanner.data(text)
        elif isinstance(node, nodes.If):
            start = scanner.state()
            ends = []
            for branch in (node.body, *(elif_.body for elif_ in node.elif_), node.else_):
                scanner.restore(start)
                _walk(branch, scanner, eval_ctx)
                ends.append(scanner.state())
            if any(end != ends[0] for end in ends):
                raise NotProven("the branches of an if end in different places")
            scanner.restore(ends[0])
        elif isinstance(node, nodes.For):
            start = scanner.state()
            for body_ in (node.body, node.else_):
                scanner.restore(start)
                _walk(body_, scanner, eval_ctx)
                if scanner.state() != start:
                    raise NotProven("a loop does not end where it started")
            scanner.restore(start)
        elif isinstance(node, (nodes.With, nodes.Scope)):
            _walk(node.body, scanner, eval_ctx)
        elif not isinstance(node, (nodes.Macro, nodes.Assign, nodes.AssignBlock)):
            # FilterBlock, CallBlock, Block, Include, Extends, autoescape blocks, …: they write
            # what this does not follow (Macro and set write nothing where they stand).
            raise NotProven(type(node).__name__)


def _folded(child: nodes.Expr, eval_ctx: nodes.EvalContext) -> str | None:
    """The text Jinja writes for ``child`` at compile time (``CodeGenerator.visit_Output``:
    template data as it is, a constant escaped then finalized), or ``None`` for a value."""
    if isinstance(child, nodes.TemplateData):
        return child.data
    if eval_ctx.volatile or not eval_ctx.autoescape:
        raise NotProven("output that is not escaped")
    try:
        const = child.as_const(eval_ctx)
    except Exception:  # Jinja evaluates it at render time then, for any exception
        return None
    finalize = eval_ctx.environment.finalize
    try:
        folded = escape(const)
        return str(folded if finalize is None else finalize(folded))
    except Exception:
        return None


class _Scanner:
    """Reads static XML in pieces, with values between them; raises :class:`NotProven`.

    The state is ``(mode, stack, tag, root_seen)``: the open elements (each with the namespace
    prefixes it declares), and inside a start tag (only ever stopped in an attribute value) the
    tag read so far.
    """

    def __init__(self) -> None:
        self.mode = TEXT
        self.stack: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
        self.tag: tuple[str, tuple[tuple[str, str], ...], str, str] | None = None
        self.root_seen = False

    def state(self) -> tuple[Any, ...]:
        return (self.mode, self.stack, self.tag, self.root_seen)

    def restore(self, state: tuple[Any, ...]) -> None:
        self.mode, self.stack, self.tag, self.root_seen = state

    def finish(self) -> None:
        if self.mode != TEXT or self.stack or not self.root_seen:
            raise NotProven("the document does not end after its root element")

    def value(self) -> None:
        """A printed value (escaped text) here."""
        if self.mode == ATTRIBUTE_VALUE:
            assert self.tag is not None
            if _declares_namespace(self.tag[2]):
                raise NotProven("a value in a namespace declaration")
        elif not self.stack:
            raise NotProven("a value outside the root element")

    def data(self, text: str) -> None:
        if _INVALID_CHAR.search(text):
            raise NotProven("a character XML does not allow")
        position, end = 0, len(text)
        if self.mode == ATTRIBUTE_VALUE:
            position = self._attribute_value(text, 0, continued=True)
            if self.mode == ATTRIBUTE_VALUE:
                return
            position = self._tag_rest(text, position)
        while position < end:
            stop = _TEXT_STOP.search(text, position)
            upto = end if stop is None else stop.start()
            if not self.stack and text[position:upto].strip(_WHITESPACE):
                raise NotProven("text outside the root element")
            if stop is None:
                return
            position = upto
            char = text[position]
            if char == "&":
                if not self.stack:
                    raise NotProven("a reference outside the root element")
                position = _reference(text, position)
            elif char == ">":
                raise NotProven("a raw '>' in text")
            elif text.startswith("</", position):
                position = self._end_tag(text, position)
            else:
                position = self._start_tag(text, position)

    # --- tags

    def _start_tag(self, text: str, position: int) -> int:
        match = _START.match(text, position)
        if match is None:  # a comment, a processing instruction, CDATA, a doctype, a bad name
            raise NotProven("markup other than an element")
        if not self.stack and self.root_seen:
            raise NotProven("a second root element")
        self.tag = (match.group(1), (), "", "")
        return self._tag_rest(text, match.end())

    def _tag_rest(self, text: str, position: int) -> int:
        """Read attributes up to the end of the start tag, or up to the end of ``text`` if it
        stops inside an attribute value."""
        assert self.tag is not None
        while True:
            attribute = _ATTRIBUTE.match(text, position)
            if attribute is None:
                break
            name, quote = attribute.group(1), attribute.group(2)
            self.tag = (self.tag[0], self.tag[1], name, quote)
            self.mode = ATTRIBUTE_VALUE
            position = self._attribute_value(text, attribute.end())
            if self.mode == ATTRIBUTE_VALUE:
                return position  # the value goes on in the next piece
        close = _TAG_CLOSE.match(text, position)
        if close is None:
            raise NotProven("a start tag that does not end in its piece")
        self._element(empty=bool(close.group(1)))
        return close.end()

    def _attribute_value(self, text: str, position: int, *, continued: bool = False) -> int:
        """Read an attribute value from ``position`` (``continued``: it began in an earlier
        piece): up to its closing quote (the attribute is then recorded, and the start tag goes
        on), or to the end of ``text``. A namespace declaration must be one static piece."""
        assert self.tag is not None
        name, attributes, attribute, quote = self.tag
        closing = text.find(quote, position)
        upto = len(text) if closing < 0 else closing
        chunk = text[position:upto]
        if "<" in chunk:
            raise NotProven("'<' in an attribute value")
        at = chunk.find("&")
        while at >= 0:
            at = chunk.find("&", _reference(chunk, at))
        namespace = _declares_namespace(attribute)
        if namespace and (closing < 0 or continued or "&" in chunk):
            raise NotProven("a namespace declaration not written out in one piece")
        if closing < 0:
            return upto
        if any(attribute == seen for seen, _ in attributes):
            raise NotProven("an attribute given twice")
        self.tag = (name, (*attributes, (attribute, chunk if namespace else "")), "", "")
        self.mode = IN_TAG
        return closing + 1

    def _element(self, *, empty: bool) -> None:
        assert self.tag is not None
        name, attributes, _, _ = self.tag
        declared = tuple(
            (attribute.partition(":")[2] if ":" in attribute else "", value)
            for attribute, value in attributes
            if _declares_namespace(attribute)
        )
        for declared_prefix, declared_uri in declared:
            if declared_prefix in ("xml", "xmlns") or (declared_prefix and not declared_uri):
                raise NotProven("a reserved or empty namespace declaration")
        scope = ((name, declared), *reversed(self.stack))
        if ":" in name:
            prefix = name.partition(":")[0]
            if prefix in ("xml", "xmlns") or _resolve(prefix, scope) is None:
                raise NotProven("an element prefix that is not declared")
        expanded: set[tuple[str, str]] = set()
        for attribute, _ in attributes:
            if ":" not in attribute or _declares_namespace(attribute):
                continue
            prefix, _, local = attribute.partition(":")
            uri = _XML_NAMESPACE if prefix == "xml" else _resolve(prefix, scope)
            if uri is None or (uri, local) in expanded:
                raise NotProven("an attribute prefix not declared, or an attribute twice")
            expanded.add((uri, local))
        self.tag = None
        self.mode = TEXT
        if not self.stack:
            self.root_seen = True
        if not empty:
            self.stack = (*self.stack, (name, declared))

    def _end_tag(self, text: str, position: int) -> int:
        match = _END.match(text, position)
        if match is None or not self.stack or self.stack[-1][0] != match.group(1):
            raise NotProven("an end tag that does not close the open element")
        self.stack = self.stack[:-1]
        return match.end()


def _declares_namespace(attribute: str) -> bool:
    return attribute == "xmlns" or attribute.startswith("xmlns:")


def _resolve(prefix: str, scope: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]) -> str | None:
    """The namespace ``prefix`` is bound to, innermost declaration first (``scope`` starts
    with the element being read)."""
    for _, declared in scope:
        for declared_prefix, uri in declared:
            if declared_prefix == prefix:
                return uri
    return None


def _reference(text: str, position: int) -> int:
    """The end of the character or entity reference at ``position`` (a ``&``)."""
    match = _REFERENCE.match(text, position)
    if match is None:
        raise NotProven("an incomplete or unknown reference")
    decimal, hexadecimal = match.group(2), match.group(3)
    if decimal is not None or hexadecimal is not None:
        number = int(decimal, 10) if decimal is not None else int(hexadecimal, 16)
        valid = number in (0x9, 0xA, 0xD) or 0x20 <= number <= 0xD7FF
        valid = valid or 0xE000 <= number <= 0xFFFD or 0x10000 <= number <= 0x10FFFF
        if not valid:
            raise NotProven("a reference to a character XML does not allow")
    return match.end()
