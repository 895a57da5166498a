"""The Python code a thidua template compiles to: Jinja's, with the hooks of the limits.

:class:`LimitedCodeGenerator` is the code generator of
:class:`pipeline.documents.limits.LimitedEnvironment`. The code it writes calls the
environment's hooks (``environment.limited_iter``, ``limited_buffer``, ``size_checked``,
``loop_step``, ``print_value``, ``getattr_record``, ``verbatim_memo``…), so that a template
cannot go over the limits of :mod:`pipeline.documents.limits`, and it takes a few shortcuts for
what a document does most (a long table): each gives exactly the text Jinja's own code gives.

Pure: it writes code, it runs nothing.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable
from typing import Any, cast

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.utils import _PassArg


class LimitedCodeGenerator(CodeGenerator):
    """Jinja's code generator with the hooks of
    :class:`~pipeline.documents.limits.LimitedEnvironment`: counted loops whose every step
    checks the time, counted buffers, size-checked ``~``, and non-finite floats written as
    ``float('nan')``.

    Shortcuts for what a document does most, each giving what Jinja's own code gives, where the
    output is autoescaped:

    * a printed value goes through ``environment.print_value`` (escape and finalize in one call,
      see :mod:`pipeline.documents.printing`), a printable ``str`` only through
      ``environment.escape_printable`` (what ``print_value`` does with it);
    * the call of a *verbatim* filter (``verbatim_filters``: the number filters, whose text
      needs no cleaning or escaping) is printed as it is, and when its arguments after the
      value are constants and the value an ``int`` or a ``Decimal``, its text is taken from the
      environment's memo (``verbatim_memo``), the filter called only the first time;
    * ``x.name`` for a name no ``dict`` has as an attribute goes through
      ``environment.getattr_record`` (a ``dict``'s item at once, anything else through the
      sandbox), inlined when ``x`` is a plain local name (a loop variable).

    The hooks are bound once per render function (``write_commons``).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._loop_bodies: set[int] = set()  # id() of the bodies of the loops visited
        self._written: set[int] = set()  # id() of the filter calls _write_memoized wrote
        self._bytes_output = False  # writing a streamed piece of UTF-8 bytes (visit_Output)

    def write_commons(self) -> None:
        super().write_commons()
        self.writeline("thidua_print = environment.print_value")
        self.writeline("thidua_getattr = environment.getattr_record")
        self.writeline("thidua_step = environment.loop_step()")
        self.writeline("thidua_escape = environment.escape_printable")
        self.writeline("thidua_join = b''.join")
        self.writeline("thidua_type, thidua_dict, thidua_str = type, dict, str")
        self.writeline("thidua_memo = environment.verbatim_memo")
        self.writeline("thidua_remember = environment.remember_verbatim")
        self.writeline("thidua_keyed = environment.memo_types")

    def blockvisit(self, nodes: Iterable[nodes.Node], frame: Frame) -> None:
        """A loop's body starts by checking the time budget (``thidua_step()``): every step of
        every loop does, so the bounded filters need not (:mod:`pipeline.documents.filtering`)."""
        if id(nodes) in self._loop_bodies:
            self.writeline("thidua_step()")
        super().blockvisit(nodes, frame)

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            super()._output_child_pre(node, frame, finalize)
        elif not self._verbatim(node):  # print_value's short way for printable text, inline
            self.write("(thidua_escape(thidua_p) if thidua_type(thidua_p := ")
        elif self._memoizable(node):
            self._write_memoized(cast(nodes.Filter, node), frame)

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            super()._output_child_post(node, frame, finalize)
        elif not self._verbatim(node):
            self.write(") is thidua_str and thidua_p.isprintable() else thidua_print(thidua_p))")
        if self._bytes_output:
            self.write(".encode()")

    def _verbatim(self, node: nodes.Expr) -> bool:
        """Whether ``node`` is a call of a filter whose text is printed as it is (see
        :attr:`LimitedEnvironment.verbatim_filters`): it goes into the output without
        ``thidua_print``, which would give the same text."""
        verbatim: frozenset[str] = getattr(self.environment, "verbatim_filters", frozenset())
        return isinstance(node, nodes.Filter) and node.name in verbatim

    def visit_Output(self, node: nodes.Output, frame: Frame) -> None:
        """Where output streams out, one piece per ``Output`` node (its data and values joined)
        instead of one per child: a table row is then one piece, not twenty. At most
        :data:`_JOINED_VALUES` values are joined before the piece is counted against the
        document's output budget (as Jinja's own buffers do: a buffer counts what it receives)."""
        values = sum(not isinstance(child, nodes.TemplateData) for child in node.nodes)
        if (
            frame.buffer is not None
            or frame.require_output_check
            or len(node.nodes) < 2
            or values > _JOINED_VALUES
        ):
            super().visit_Output(node, frame)
            return
        self.writeline("thidua_out = []")
        frame.buffer = "thidua_out"
        self._bytes_output = bool(getattr(self.environment, "stream_bytes", False))
        try:
            super().visit_Output(node, frame)
        finally:
            frame.buffer = None
            joined, self._bytes_output = self._bytes_output, False
        self.writeline("yield thidua_join(thidua_out)" if joined else "yield concat(thidua_out)")

    def _output_const_repr(self, group: Iterable[Any]) -> str:
        """The template's text between values, as UTF-8 bytes in a piece streamed as bytes."""
        if self._bytes_output:
            return repr("".join(map(str, group)).encode("utf-8"))
        return super()._output_const_repr(group)

    def _memoizable(self, node: nodes.Expr) -> bool:
        """Whether ``node``, a verbatim filter's call, may take its text from the memo: its
        arguments after the value are constant ``int`` or ``None`` and it takes no other."""
        return (
            isinstance(node, nodes.Filter)
            and node.node is not None
            and not node.kwargs
            and node.dyn_args is None
            and node.dyn_kwargs is None
            and node.name in self.filters
            and not self.environment.is_async
            and all(
                isinstance(arg, nodes.Const) and type(arg.value) in (int, type(None))
                for arg in node.args
            )
            and _PassArg.from_obj(self.environment.filters[node.name]) is None
        )

    def _write_memoized(self, node: nodes.Filter, frame: Frame) -> None:
        """``node``'s text from the memo when its value is an ``int`` or a ``Decimal`` (the text
        of a verbatim filter depends only on the values of such arguments: see
        :attr:`LimitedEnvironment.memo_types`), else from the filter; the filter's call itself
        is then left out (``visit_Filter``)."""
        assert node.node is not None
        function = self.filters[node.name]
        constants = "".join(f", {cast(nodes.Const, arg).value!r}" for arg in node.args)
        key = f"(thidua_t, thidua_v, {node.name!r}{constants})"
        call = f"{function}(thidua_v{constants})"
        self.write(
            f"(thidua_memo.get({key}) or thidua_remember({key}, {call}) "
            "if (thidua_t := thidua_type(thidua_v := "
        )
        self.visit(node.node, frame)
        self.write(f")) in thidua_keyed else {call})")
        self._written.add(id(node))

    def visit_Filter(self, node: nodes.Filter, frame: Frame) -> None:
        if id(node) in self._written:  # by _write_memoized
            return
        super().visit_Filter(node, frame)

    @optimizeconst
    def visit_Getattr(self, node: nodes.Getattr, frame: Frame) -> None:
        if node.attr in _DICT_ATTRIBUTES or self.environment.is_async:
            super().visit_Getattr(node, frame)
            return
        name = self._plain_name(node.node, frame)
        attr = repr(node.attr)
        if name is None:
            self.write("thidua_getattr(")
            self.visit(node.node, frame)
            self.write(f", {attr})")
        else:  # a record's field without a call: what getattr_record gives, inlined
            self.write(
                f"({name}[{attr}] if thidua_type({name}) is thidua_dict and {attr} in {name} "
                f"else thidua_getattr({name}, {attr}))"
            )

    def _plain_name(self, node: nodes.Expr, frame: Frame) -> str | None:
        """The Python name ``node`` compiles to if it is a variable that compiles to just its
        name (a loop variable, a macro's parameter: nothing to check), else ``None``."""
        if not isinstance(node, nodes.Name) or node.ctx != "load" or self._new_lines:
            return None
        stream, self.stream = self.stream, io.StringIO()
        try:
            self.visit(node, frame)
            written = self.stream.getvalue()
        finally:
            self.stream = stream
        return written if written.isidentifier() else None

    def buffer(self, frame: Frame) -> None:
        frame.buffer = self.temporary_identifier()
        self.writeline(f"{frame.buffer} = environment.limited_buffer()")

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.size_checked(")
        super().visit_Concat(node, frame)
        self.write(")")

    def visit_Const(self, node: nodes.Const, frame: Frame) -> None:
        value = node.as_const(frame.eval_ctx)
        if isinstance(value, float) and not math.isfinite(value):
            self.write(f"float({str(value)!r})")
        else:
            super().visit_Const(node, frame)

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        """The loop over ``environment.limited_iter(iterable)`` (Jinja allows no node type of
        one's own: a call of an environment attribute it is)."""
        original = node.iter
        limited = nodes.EnvironmentAttribute("limited_iter", lineno=original.lineno)
        node.iter = nodes.Call(limited, [original], [], None, None, lineno=original.lineno)
        self._loop_bodies.add(id(node.body))
        try:
            super().visit_For(node, frame)
        finally:
            node.iter = original  # the parsed tree stays as parsed (jinja2.meta reads it)


#: The most values one streamed piece joins (see ``LimitedCodeGenerator.visit_Output``).
_JOINED_VALUES = 16
#: Every attribute a ``dict`` has (``x.items`` is the method, not the item, in Jinja).
_DICT_ATTRIBUTES = frozenset(dir(dict))
