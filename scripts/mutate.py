"""Mutation testing of the core: do the tests notice when the code is wrong?

One command runs it (about 10 minutes on two cores)::

    .venv/bin/python scripts/mutate.py            # every target of TARGETS
    .venv/bin/python scripts/mutate.py scoring    # only files whose path contains "scoring"
    .venv/bin/python scripts/mutate.py --list     # print the mutants, run nothing

A small AST mutator, not mutmut: it applies a handful of hand-picked operators, one mutant at a
time, each to one place of the source:

============  ======================================================================
``compare``   ``==``↔``!=``, ``in``↔``not in``, ``is``↔``is not``; boundaries ``<``↔``<=``,
              ``>``↔``>=``
``bool``      ``and``↔``or``; ``not x`` → ``x``
``negate``    the condition of an ``if``, ``while``, conditional expression or comprehension
              ``if`` becomes ``not (…)``
``constant``  an integer ``n`` → ``n + 1``; ``True``↔``False``
``arith``     ``+``↔``-``, ``*``↔``/`` (not on strings)
``remove``    a statement (a call, ``yield``, ``raise``, ``+=``, ``x.a = …``, ``x[k] = …``,
              ``continue``, ``break``, ``del``) becomes ``pass``
``return``    a procedure or a generator returns at once (``return`` before its first
              statement)
============  ======================================================================

Docstrings, annotations, strings and f-strings are never mutated, nor a line ending in
``# pragma: no mutate``.

Each target of :data:`TARGETS` (a file glob, optionally the functions to mutate, and the fast
tests that should notice) runs only its own tests plus the doctests of the mutated file, and a
mutant is *killed* by the first failing test (``-x``) or by running three times longer than the
unmutated tests (a hang). How, without paying pytest's start-up for every mutant: a *session*
process collects the tests once, then ``fork``\\ s one child per mutant; the child swaps the
mutated function's code object in (``function.__code__``, so every reference the tests hold sees
it) and runs the collected tests. A mutant outside any function (a module constant) re-executes
its mutated top-level statement in the module; one in a class body, or one whose code cannot be
swapped, gets a session of its own that imports the mutated source. Nothing is ever written into
the working tree. POSIX only (``os.fork``); on Windows use WSL.

Caveat: test parameters computed while collecting (at import of a test module) come from the
unmutated code.

The output ends with the kill rate and every surviving mutant (``file:line``, the mutation, the
function). A survivor is a missing test — write one and see it kill the mutant — unless it is
*equivalent* (no input can tell it from the original): those are listed in :data:`EQUIVALENT`
with the reason and reported as such. The exit status is 1 while an unexplained survivor remains.

When modules move, update :data:`TARGETS` and the keys of :data:`EQUIVALENT`: a glob and function
names; nothing else here depends on the layout.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import fnmatch
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import inspect
import json
import os
import shutil
import signal
import sys
import tempfile
import time
import types
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Target:
    """Files to mutate (``glob``, relative to the repository); optionally only some functions
    (qualified names such as ``parse_number_text`` or ``StagedWrite.commit``; module-level
    statements are mutated only when no function is named); and the pytest arguments of the tests
    that should kill the mutants (paths, ``-k``/``-m`` expressions)."""

    glob: str
    tests: tuple[str, ...]
    functions: tuple[str, ...] = ()


_BUILD_TESTS = (
    "tests/test_build.py",
    "tests/test_cli.py",
    "-k",
    "not killed and not help_from_the_entry_point and not pdf_batch",
)
#: build.py's PDF step is only reached by the LibreOffice test (chosen only for its mutants).
_BUILD_AND_PDF_TESTS = ("tests/test_build.py", "tests/test_cli.py", "-k",
                        "not killed and not help_from_the_entry_point")  # fmt: skip

#: The output folder's commit, manifest and plan: the unit tests and issue 8's file tests.
_OUTPUT_TESTS = ("tests/test_output.py", "tests/test_commit.py", *_BUILD_TESTS)

#: What is mutated, and which tests must notice. Update the globs when modules move.
TARGETS: tuple[Target, ...] = (
    Target("pipeline/vi/*.py", ("tests/vi",)),
    Target("pipeline/domain/scoring.py", ("tests/test_scoring.py", "tests/test_validate.py")),
    Target("pipeline/domain/rules/*.py", ("tests/test_validate.py",)),
    Target("pipeline/build.py", _BUILD_AND_PDF_TESTS),
    Target("pipeline/output/staged.py", _OUTPUT_TESTS),
    Target("pipeline/output/manifest.py", _OUTPUT_TESTS),
    Target("pipeline/output/folder.py", _OUTPUT_TESTS),
    Target(
        "pipeline/output/files.py",
        ("tests/test_output.py", "tests/test_commit.py"),
        ("create_new", "read_regular", "kind_of_stat"),
    ),
    Target("pipeline/output/names.py", ("tests/test_output.py",)),
    Target("pipeline/output/pdf.py", ("tests/test_pdf.py",), ("find_soffice", "font_report")),
    Target(
        "pipeline/workbook/*.py",
        ("tests/test_values.py", "tests/test_loader.py", "-k", "not 100_000_rows"),
        ("parse_number_text", "_sane", "number_value", "date_value", "time_value", "ratio_value"),
    ),
    Target(
        "pipeline/documents/engine.py",
        ("tests/test_render.py", "-m", "not libreoffice"),
        ("clean_value", "_post_process"),
    ),
)

#: Mutants no test can kill because no input tells them from the original, with the reason.
#: Keyed by (file glob, function, mutation as printed, a piece of the mutated line's source), so
#: that they survive edits elsewhere in the file.
EQUIVALENT: dict[tuple[str, str, str, str], str] = {
    ("pipeline/domain/scoring.py", "_unit_results", "`0` → `1`", "rank=0"):
        "a placeholder: compute() replaces every rank before anyone reads it",
    ("pipeline/domain/scoring.py", "compute", "`True` → `False`", "strict=True"):
        "zip() of a list and the ranks computed from that same list: equal lengths",
    ("pipeline/output/files.py", "create_new", "remove `os.fsync(fd)`", "os.fsync"):
        "durability against a power cut: no test short of crashing the OS can observe it",
    ("pipeline/output/pdf.py", "font_report", "`1` → `2`", 'split("|", 1)'):
        "fontconfig's family names and font paths hold no '|': one split or two is the same",
    ("pipeline/vi/numbers.py", "_round", "`1` → `2`", "quantize(Decimal(1)"):
        "quantize() uses only the exponent of its argument: Decimal(2) has the same as 1",
    ("pipeline/vi/numbers.py", "_round", "`1` → `2`", "Decimal(1).scaleb(-le)"):
        "quantize() uses only the exponent of its argument: Decimal(2).scaleb(-le) has -le too",
    ("pipeline/vi/numbers.py", "_format", "`False` → `True`", "decimal_quantization=False"):
        "the pattern already has exactly the number's decimals: quantizing to it changes nothing",
    ("pipeline/vi/numbers.py", "", "`100` → `101`", "prec=100"):
        "100 or 101 digits of precision: both far above the 60 digits a value may have",
    ("pipeline/vi/words.py", "doc_so", "`<` → `<=`", "if exponent < 0:"):
        "at exponent 0 there are no decimals, so no trailing zero to drop",
    ("pipeline/vi/words.py", "doc_so", "`0` → `1`", "if exponent < 0:"):
        "at exponent 0 there are no decimals, so no trailing zero to drop",
    ("pipeline/vi/words.py", "doc_so", "`1` → `2`", "rjust(-exponent + 1"):
        "one more leading zero in the integer part: int() reads the same number",
    ("pipeline/workbook/*.py", "parse_number_text", "`and` → `or`", '"." in body and'):
        "text holding both marks was refused just before, so '\",\" not in body' is already true",
}

_CHUNK = 300  # mutants per session at most, so that a big target can use both cores
_UNPATCHABLE = 99  # exit status of a child that could not swap the code in


# --- finding mutants ------------------------------------------------------------------------


@dataclass(frozen=True)
class Mutant:
    path: str  # relative to the repository, POSIX
    line: int
    function: str  # dotted scope ("" at module level)
    operator: str
    description: str
    start: int  # byte span replaced in the file
    end: int
    replacement: bytes
    outer: str  # co_qualname of the outermost enclosing function ("" if none)
    top: tuple[int, int] | None  # span of the enclosing top-level assignment, if outside functions

    def apply(self, source: bytes) -> bytes:
        return source[: self.start] + self.replacement + source[self.end :]

    def where(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def module(self) -> str:
        return _module_name(self.path)


_COMPARE_SWAP: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
}
_ARITH_SWAP: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
}
_SYMBOL: dict[type[ast.AST], str] = {
    ast.Eq: "==", ast.NotEq: "!=", ast.In: "in", ast.NotIn: "not in", ast.Is: "is",
    ast.IsNot: "is not", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.And: "and", ast.Or: "or",
}  # fmt: skip


class _Finder(ast.NodeVisitor):
    """Collects every mutant of one file."""

    def __init__(self, path: str, source: bytes, functions: tuple[str, ...]) -> None:
        self.path = path
        self.source = source
        self.functions = functions
        self.lines = source.splitlines(keepends=True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))
        self.scope: list[tuple[str, bool]] = []  # (name, is a function)
        self.top: tuple[int, int] | None = None
        self.mutants: list[Mutant] = []

    # positions ---------------------------------------------------------------------------
    def offset(self, line: int, col: int) -> int:
        return self.starts[line - 1] + col  # ast columns are UTF-8 byte offsets

    def span(self, node: Any) -> tuple[int, int]:
        return (
            self.offset(node.lineno, node.col_offset),
            self.offset(node.end_lineno, node.end_col_offset),
        )

    def text(self, node: ast.AST) -> str:
        start, end = self.span(node)
        return self.source[start:end].decode("utf-8")

    # scope ---------------------------------------------------------------------------------
    def qualname(self) -> str:
        return ".".join(name for name, _ in self.scope)

    def outer(self) -> str:
        for index, (_, is_function) in enumerate(self.scope):
            if is_function:
                return ".".join(name for name, _ in self.scope[: index + 1])
        return ""

    def active(self) -> bool:
        if not self.functions:
            return True
        qualname = self.qualname()
        return any(qualname == f or qualname.startswith(f + ".") for f in self.functions)

    def add(self, node: Any, operator: str, description: str, replacement: str,
            start: int, end: int) -> None:  # fmt: skip
        if not self.active():
            return
        if self.lines[node.lineno - 1].rstrip().endswith(b"# pragma: no mutate"):
            return
        outer = self.outer()
        self.mutants.append(
            Mutant(self.path, node.lineno, self.qualname(), operator, description, start, end,
                   replacement.encode("utf-8"), outer, None if outer else self.top)
        )  # fmt: skip

    def replace(self, node: Any, operator: str, description: str, replacement: str) -> None:
        self.add(node, operator, description, replacement, *self.span(node))

    # statements ------------------------------------------------------------------------------
    def visit_Module(self, node: ast.Module) -> None:
        for index, statement in enumerate(node.body):
            if index == 0 and _is_docstring(statement):
                continue
            simple = isinstance(statement, ast.Assign | ast.AnnAssign)
            self.top = self.span(statement) if simple else None
            self.visit(statement)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.scope.append((node.name, False))
        self._body(node.body)
        self.scope.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for default in [*node.args.defaults, *node.args.kw_defaults]:
            if default is not None:
                self.visit(default)
        self.scope.append((node.name, True))
        body = node.body
        first = body[1] if _is_docstring(body[0]) and len(body) > 1 else body[0]
        if not _is_docstring(first) and _is_procedure(node):
            start = self.offset(first.lineno, first.col_offset)
            indent = " " * first.col_offset
            self.add(first, "return", f"return at once from {node.name}()",
                     f"return\n{indent}", start, start)  # fmt: skip
        self._body(body)
        self.scope.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.visit(node.body)

    def _body(self, body: list[ast.stmt]) -> None:
        for index, statement in enumerate(body):
            if index == 0 and _is_docstring(statement):
                continue
            self.visit(statement)

    def generic_visit(self, node: ast.AST) -> None:
        if isinstance(node, ast.stmt) and any(is_function for _, is_function in self.scope):
            self._removal(node)
        super().generic_visit(node)

    def _removal(self, node: ast.stmt) -> None:
        removable = (
            (isinstance(node, ast.Expr) and not isinstance(node.value, ast.Constant))
            or isinstance(node, ast.AugAssign | ast.Raise | ast.Continue | ast.Break | ast.Delete)
            or (
                isinstance(node, ast.Assign)
                and all(isinstance(t, ast.Attribute | ast.Subscript) for t in node.targets)
            )
        )
        if removable:
            first_line = self.text(node).splitlines()[0]
            self.replace(node, "remove", f"remove `{_short(first_line)}`", "pass")

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:  # the annotation is never mutated
            self.visit(node.value)

    def visit_arg(self, node: ast.arg) -> None:
        return  # annotations

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        return  # f-strings: text, not logic

    # expressions -----------------------------------------------------------------------------
    def visit_Compare(self, node: ast.Compare) -> None:
        for index, op in enumerate(node.ops):
            swap = _COMPARE_SWAP.get(type(op))
            if swap is None:
                continue
            parts = [self.text(node.left)]
            for k, (other, right) in enumerate(zip(node.ops, node.comparators, strict=True)):
                parts += [_SYMBOL[swap if k == index else type(other)], self.text(right)]
            self.replace(node, "compare", f"`{_SYMBOL[type(op)]}` → `{_SYMBOL[swap]}`",
                         f"({' '.join(parts)})")  # fmt: skip
        self.generic_visit(node)

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        other = ast.Or if isinstance(node.op, ast.And) else ast.And
        joined = f" {_SYMBOL[other]} ".join(f"({self.text(v)})" for v in node.values)
        self.replace(node, "bool", f"`{_SYMBOL[type(node.op)]}` → `{_SYMBOL[other]}`",
                     f"({joined})")  # fmt: skip
        self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.op, ast.Not):
            self.replace(node, "bool", "`not x` → `x`", f"({self.text(node.operand)})")
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        swap = _ARITH_SWAP.get(type(node.op))
        if swap is not None and not _is_text(node.left) and not _is_text(node.right):
            left, right = self.text(node.left), self.text(node.right)
            self.replace(node, "arith", f"`{_SYMBOL[type(node.op)]}` → `{_SYMBOL[swap]}`",
                         f"(({left}) {_SYMBOL[swap]} ({right}))")  # fmt: skip
        self.generic_visit(node)

    def _negate(self, test: ast.expr) -> None:
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            return  # the same mutant as removing the `not`
        text = self.text(test)
        self.replace(test, "negate", f"negate `{_short(text)}`", f"not ({text})")

    def visit_If(self, node: ast.If) -> None:
        self._negate(node.test)
        self.generic_visit(node)

    def visit_While(self, node: ast.While) -> None:
        self._negate(node.test)
        self.generic_visit(node)

    def visit_IfExp(self, node: ast.IfExp) -> None:
        self._negate(node.test)
        self.generic_visit(node)

    def visit_comprehension(self, node: ast.comprehension) -> None:
        for condition in node.ifs:
            self._negate(condition)
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, bool):
            self.replace(node, "constant", f"`{value}` → `{not value}`", str(not value))
        elif isinstance(value, int):
            self.replace(node, "constant", f"`{value}` → `{value + 1}`", str(value + 1))


def _is_docstring(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _is_text(node: ast.expr) -> bool:
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str | bytes)
    )


def _is_procedure(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """No ``return value`` in its own body (nested functions aside): a procedure or a generator."""
    stack: list[ast.AST] = list(node.body)
    while stack:
        item = stack.pop()
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            continue
        if isinstance(item, ast.Return) and item.value is not None:
            return False
        stack.extend(ast.iter_child_nodes(item))
    return True


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def mutants_of(path: Path, functions: tuple[str, ...] = ()) -> list[Mutant]:
    """Every mutant of one file (each one compiles), in source order."""
    source = path.read_bytes()
    finder = _Finder(path.relative_to(ROOT).as_posix(), source, functions)
    finder.visit(ast.parse(source))
    valid = []
    for mutant in finder.mutants:
        try:
            compile(mutant.apply(source), str(path), "exec")
        except SyntaxError:
            continue
        valid.append(mutant)
    return sorted(valid, key=lambda m: (m.start, m.operator, m.description))


# --- swapping a mutant in -------------------------------------------------------------------


def _code_named(code: types.CodeType, qualname: str) -> types.CodeType | None:
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            if const.co_qualname == qualname:
                return const
            found = _code_named(const, qualname)
            if found is not None:
                return found
    return None


def _live_function(module: types.ModuleType, qualname: str) -> types.FunctionType | None:
    obj: Any = module
    for part in qualname.split("."):
        namespace = obj.__dict__ if hasattr(obj, "__dict__") else {}
        if part not in namespace:
            return None
        obj = namespace[part]
        if isinstance(obj, staticmethod | classmethod):
            obj = obj.__func__
        elif isinstance(obj, property):
            obj = obj.fget
    obj = inspect.unwrap(obj) if callable(obj) else obj
    return obj if isinstance(obj, types.FunctionType) else None


def _swap_in(mutant: Mutant) -> bool:
    """Make the running process behave as the mutant; False when that cannot be done here."""
    module = importlib.import_module(mutant.module)
    filename = str(ROOT / mutant.path)
    mutated = mutant.apply((ROOT / mutant.path).read_bytes())
    if mutant.outer:
        new = _code_named(compile(mutated, filename, "exec"), mutant.outer)
        live = _live_function(module, mutant.outer)
        if new is None or live is None or new.co_freevars != live.__code__.co_freevars:
            return False
        live.__code__ = new
        return True
    if mutant.top is not None:
        start, end = mutant.top
        end += len(mutant.replacement) - (mutant.end - mutant.start)
        exec(compile(mutated[start:end], filename, "exec"), module.__dict__)
        return True
    return False


class _MutatedSource(importlib.abc.MetaPathFinder):
    """Imports one module from mutated source (for mutants that cannot be swapped in)."""

    def __init__(self, mutant: Mutant) -> None:
        self.mutant = mutant

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name != self.mutant.module:
            return None
        filename = str(ROOT / self.mutant.path)
        mutant = self.mutant

        class Loader(importlib.machinery.SourceFileLoader):
            def get_data(self, path: str) -> bytes:
                if path == filename:
                    return mutant.apply(Path(filename).read_bytes())
                raise OSError(path)  # no cached bytecode

        is_package = filename.endswith("__init__.py")
        return importlib.util.spec_from_file_location(
            name,
            filename,
            loader=Loader(name, filename),
            submodule_search_locations=[str(Path(filename).parent)] if is_package else None,
        )


# --- sessions: collect once, fork per mutant --------------------------------------------------


def _run_collected(session: Any, chosen: Sequence[int], timings: list[float] | None = None) -> int:
    """Run the collected items ``chosen`` (indices); 1 at the first failure, else 0."""
    items = session.items
    for position, index in enumerate(chosen):
        following = items[chosen[position + 1]] if position + 1 < len(chosen) else None
        _CURRENT[0] = index
        started = time.monotonic()
        items[index].config.hook.pytest_runtest_protocol(item=items[index], nextitem=following)
        if timings is not None:
            timings[index] = time.monotonic() - started
        if session.testsfailed or session.shouldfail or session.shouldstop:
            return 1
    return 0


_CURRENT = [0]  # the index of the test running now, for the coverage probes


class _Probe(ast.NodeTransformer):
    """Puts ``__thidua_hit__()`` first in every function body (after its docstring)."""

    def visit_FunctionDef(self, node: Any) -> Any:
        self.generic_visit(node)
        call = ast.Expr(ast.Call(ast.Name("__thidua_hit__", ast.Load()), [], []))
        at = 1 if _is_docstring(node.body[0]) and len(node.body) > 1 else 0
        node.body.insert(at, ast.fix_missing_locations(ast.copy_location(call, node.body[at])))
        return node

    visit_AsyncFunctionDef = visit_FunctionDef


def _outer_codes(code: types.CodeType) -> Iterator[types.CodeType]:
    """The code of every function of a module that is not nested in another function."""
    for const in code.co_consts:
        if isinstance(const, types.CodeType) and "<locals>" not in const.co_qualname:
            if const.co_flags & inspect.CO_NEWLOCALS and not const.co_qualname.endswith(">"):
                yield const
            yield from _outer_codes(const)


def _probe(paths: Sequence[str], hits: dict[str, set[int]]) -> None:
    """Swap in probed code for every function of ``paths``: each call notes the running test
    (far cheaper than ``sys.settrace``, which slows every call of every test)."""
    for path in paths:
        filename = str(ROOT / path)
        module = importlib.import_module(_module_name(path))

        def hit(filename: str = filename) -> None:
            qualname = sys._getframe(1).f_code.co_qualname
            hits.setdefault(f"{filename}::{qualname}", set()).add(_CURRENT[0])

        module.__dict__["__thidua_hit__"] = hit
        tree = _Probe().visit(ast.parse((ROOT / path).read_bytes()))
        for code in _outer_codes(compile(tree, filename, "exec")):
            live = _live_function(module, code.co_qualname)
            if live is not None and live.__code__.co_freevars == code.co_freevars:
                live.__code__ = code


def _module_name(path: str) -> str:
    parts = list(Path(path).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _wait(pid: int, limit: float | None) -> tuple[int | None, float]:
    """(exit status or None after a timeout, seconds)."""
    started = time.monotonic()
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        elapsed = time.monotonic() - started
        if done:
            return os.waitstatus_to_exitcode(status), elapsed
        if limit is not None and elapsed > limit:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return None, elapsed
        time.sleep(0.002 if elapsed < 0.5 else 0.02)


class _Plugin:
    """Replaces pytest's run loop: a traced unmutated run, then one forked run per mutant of only
    the tests that call the mutated function."""

    def __init__(self, mutants: list[Mutant], results: Path, basetemp: Path) -> None:
        self.mutants = mutants
        self.results = results
        self.basetemp = basetemp
        self.out: Any = None

    def _write(self, record: dict[str, Any]) -> None:
        self.out.write(json.dumps(record) + "\n")
        self.out.flush()

    def _clean(self) -> None:
        for entry in self.basetemp.iterdir() if self.basetemp.is_dir() else ():
            shutil.rmtree(entry, ignore_errors=True)

    def _baseline(self, session: Any) -> tuple[bool, dict[str, list[int]], list[float]]:
        paths = sorted({m.path for m in self.mutants})
        report = self.basetemp.parent / f"baseline-{os.getpid()}.json"
        pid = os.fork()
        if pid == 0:
            code = 3
            try:
                hits: dict[str, set[int]] = {}
                timings = [0.0] * len(session.items)
                _probe(paths, hits)
                code = _run_collected(session, range(len(session.items)), timings)
                found = {key: sorted(value) for key, value in hits.items()}
                report.write_text(json.dumps({"hits": found, "timings": timings}), "utf-8")
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        status, _ = _wait(pid, None)
        if status != 0 or not report.exists():
            return False, {}, []
        data = json.loads(report.read_text("utf-8"))
        return True, data["hits"], data["timings"]

    def _tests_of(self, mutant: Mutant, hits: dict[str, list[int]], count: int) -> list[int]:
        if not mutant.outer:  # a module constant: every test
            return list(range(count))
        prefix = f"{ROOT / mutant.path}::{mutant.outer}"
        chosen: set[int] = set()
        for key, indices in hits.items():
            if key == prefix or key.startswith(prefix + "."):
                chosen.update(indices)
        return sorted(chosen)

    def _mutant(self, session: Any, mutant: Mutant, chosen: list[int], limit: float) -> str:
        pid = os.fork()
        if pid == 0:
            code = 3
            try:
                code = _run_collected(session, chosen) if _swap_in(mutant) else _UNPATCHABLE
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        status, _ = _wait(pid, limit)
        if status is None:
            return "timeout"
        if status == _UNPATCHABLE:
            return "unpatchable"
        return "survived" if status == 0 else "killed"

    def pytest_runtestloop(self, session: Any) -> bool:
        factory = getattr(session.config, "_tmp_path_factory", None)
        if factory is not None:
            factory.getbasetemp()  # created once, shared by every child
        with open(self.results, "a", encoding="utf-8") as self.out:
            started = time.monotonic()
            passed, hits, timings = self._baseline(session)
            self._write({"baseline": "survived" if passed else "killed",
                         "seconds": time.monotonic() - started})  # fmt: skip
            if not passed:  # the unmutated tests must pass
                return True
            for index, mutant in enumerate(self.mutants):
                self._clean()
                chosen = self._tests_of(mutant, hits, len(session.items))
                if not chosen:
                    outcome, seconds = "uncovered", 0.0
                else:
                    limit = 3 * sum(timings[i] for i in chosen) + 5
                    begun = time.monotonic()
                    outcome = self._mutant(session, mutant, chosen, limit)
                    seconds = time.monotonic() - begun
                self._write({"index": index, "outcome": outcome, "seconds": seconds,
                             "tests": len(chosen)})  # fmt: skip
        return True


def _pytest_args(target: Target, paths: Sequence[str], basetemp: Path) -> list[str]:
    tests = [str(ROOT / t) if (ROOT / t).exists() else t for t in target.tests]
    return ["-x", "-q", "-p", "no:cacheprovider", "--hypothesis-seed=0",
            f"--basetemp={basetemp}", *tests, *(str(ROOT / p) for p in paths)]  # fmt: skip


def _session(target: Target, mutants: list[Mutant], alone: bool, work: Path, log: Path,
             results: Path) -> None:  # fmt: skip
    """The body of a session process (a fork of the main one, which never imports pipeline)."""
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.chdir(work)  # pytest and hypothesis leave their caches here, not in the working tree
    sys.path.insert(0, str(ROOT))
    sys.dont_write_bytecode = True
    import pytest

    basetemp = work / f"tmp-{os.getpid()}"
    args = _pytest_args(target, list(dict.fromkeys(m.path for m in mutants)), basetemp)
    if alone:  # one mutant imported from its mutated source, one plain pytest run
        finder = _MutatedSource(mutants[0])

        class First:
            """Ahead of pytest's assertion rewriter, which imports the files named as arguments."""

            def pytest_sessionstart(self, session: Any) -> None:
                sys.meta_path.insert(0, finder)

        started = time.monotonic()
        code = int(pytest.main(args, plugins=[First()]))
        outcome = "survived" if code == 0 else "killed"
        with open(results, "a", encoding="utf-8") as out:
            seconds = time.monotonic() - started
            out.write(json.dumps({"index": 0, "outcome": outcome, "seconds": seconds}) + "\n")
        return
    pytest.main(args, plugins=[_Plugin(mutants, results, basetemp)])


@dataclass
class _Job:
    target: Target
    mutants: list[Mutant]
    alone: bool = False  # a session of its own for one mutant that cannot be swapped in
    limit: float | None = None


@dataclass
class _Outcome:
    mutant: Mutant
    outcome: str
    seconds: float
    tests: int = 0


@dataclass
class _Scheduler:
    jobs: int
    work: Path
    outcomes: list[_Outcome] = field(default_factory=list)
    baselines: dict[Target, float] = field(default_factory=dict)
    counter: int = 0

    def run(self, queue: list[_Job], total: int) -> None:
        queue.sort(key=lambda j: (j.alone, -len(j.mutants)))
        running: dict[int, _Running] = {}
        try:
            while queue or running:
                while queue and len(running) < self.jobs:
                    session = self._start(queue.pop(0))
                    running[session.pid] = session
                time.sleep(0.1)
                for pid in list(running):
                    session = running[pid]
                    queue += self._read(session, total)
                    done, _ = os.waitpid(pid, os.WNOHANG)
                    limit = session.job.limit
                    timed_out = limit is not None and time.monotonic() - session.started > limit
                    if not done and not timed_out:
                        continue
                    if not done:
                        _kill_group(pid)
                    del running[pid]
                    queue += self._read(session, total)
                    queue += self._finish(session, timed_out and not done, total)
        finally:
            for pid in running:
                _kill_group(pid)

    def _start(self, job: _Job) -> _Running:
        self.counter += 1
        log = self.work / f"session{self.counter}.log"
        results = self.work / f"session{self.counter}.jsonl"
        pid = os.fork()
        if pid == 0:
            try:
                os.setpgid(0, 0)  # the session and its children: one group to end together
                _session(job.target, job.mutants, job.alone, self.work, log, results)
            except BaseException:
                import traceback

                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(0)
        return _Running(pid, job, log, results, time.monotonic())

    def _read(self, session: _Running, total: int) -> list[_Job]:
        """Record the outcomes the session wrote since the last look."""
        if not session.results.exists():
            return []
        with open(session.results, encoding="utf-8") as handle:
            handle.seek(session.offset)
            chunk = handle.read()
        complete = chunk[: chunk.rfind("\n") + 1]
        session.offset += len(complete.encode("utf-8"))
        again: list[_Job] = []
        job = session.job
        for line in complete.splitlines():
            record = json.loads(line)
            if "baseline" in record:
                if record["baseline"] != "survived":
                    tail = session.log.read_text("utf-8", "replace")[-4000:]
                    raise SystemExit(f"the unmutated tests of {job.target.glob} fail:\n{tail}")
                self.baselines[job.target] = record["seconds"]
                continue
            session.seen.add(record["index"])
            mutant = job.mutants[record["index"]]
            if record["outcome"] in ("unpatchable", "uncovered"):
                # A session of its own, importing the mutated source: a class body, a closure,
                # or a function no test calls (it may still run at import time).
                limit = 3 * self.baselines.get(job.target, 60) + 30
                again.append(_Job(job.target, [mutant], alone=True, limit=limit))
                continue
            outcome = _Outcome(mutant, record["outcome"], record["seconds"], record.get("tests", 0))
            self._record(outcome, total)
        return again

    def _finish(self, session: _Running, timed_out: bool, total: int) -> list[_Job]:
        job = session.job
        missing = [m for i, m in enumerate(job.mutants) if i not in session.seen]
        if not missing:
            return []
        if job.alone:  # the whole session hung or crashed
            self._record(_Outcome(missing[0], "timeout" if timed_out else "killed", 0), total)
            return []
        if session.seen:  # the session died part way: go on with the rest
            return [_Job(job.target, missing)]
        tail = session.log.read_text("utf-8", "replace")[-4000:] if session.log.exists() else ""
        raise SystemExit(f"a session of {job.target.glob} ended without results:\n{tail}")

    def _record(self, outcome: _Outcome, total: int) -> None:
        self.outcomes.append(outcome)
        mark = {"killed": ".", "timeout": "t", "survived": "S"}[outcome.outcome]
        count = len(self.outcomes)
        print(mark, end="" if count % 80 and count != total else f" {count}/{total}\n", flush=True)


@dataclass
class _Running:
    pid: int
    job: _Job
    log: Path
    results: Path
    started: float
    offset: int = 0
    seen: set[int] = field(default_factory=set)


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


# --- the command ------------------------------------------------------------------------------


def _chosen(patterns: Sequence[str]) -> Iterator[tuple[Target, Path]]:
    for target in TARGETS:
        for path in sorted(ROOT.glob(target.glob)):
            relative = path.relative_to(ROOT).as_posix()
            if not patterns or any(p in relative for p in patterns):
                yield target, path


def equivalent_reason(mutant: Mutant) -> str | None:
    lines = (ROOT / mutant.path).read_text("utf-8").splitlines()
    source = lines[mutant.line - 1] if mutant.line <= len(lines) else ""
    for (glob, function, description, piece), reason in EQUIVALENT.items():
        if (
            fnmatch.fnmatch(mutant.path, glob)
            and function == mutant.function
            and description == mutant.description
            and piece in source
        ):
            return reason
    return None


def _report(outcomes: list[_Outcome], minutes: float | None) -> int:
    outcomes.sort(key=lambda o: (o.mutant.path, o.mutant.start, o.mutant.description))
    by_file: dict[str, list[_Outcome]] = {}
    for o in outcomes:
        by_file.setdefault(o.mutant.path, []).append(o)
    print(f"\n{'file':44} {'mutants':>8} {'killed':>7} {'rate':>7}")
    for path, items in by_file.items():
        killed = sum(o.outcome != "survived" for o in items)
        print(f"{path:44} {len(items):8} {killed:7} {100 * killed / len(items):6.1f}%")
    survivors = [o.mutant for o in outcomes if o.outcome == "survived"]
    explained = [(m, equivalent_reason(m)) for m in survivors]
    unexplained = [m for m, reason in explained if reason is None]
    total = len(outcomes)
    killed = total - len(survivors)
    rate = 100 * killed / total if total else 100.0
    took = "" if minutes is None else f" in {minutes:.1f} min"
    print(f"\nkilled {killed}/{total} mutants ({rate:.1f} %){took}; "
          f"{len(survivors)} survived, {len(survivors) - len(unexplained)} of them known "
          "equivalent")  # fmt: skip
    if survivors:
        print("\nsurvivors:")
        for mutant, reason in explained:
            note = f"\n      equivalent: {reason}" if reason else ""
            print(f"  {mutant.where():40} {mutant.description}  [{mutant.function}]{note}")
    return 1 if unexplained else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("patterns", nargs="*", help="only files whose path contains one of these")
    parser.add_argument("--list", action="store_true", help="print the mutants and stop")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", type=Path, help="also write every outcome to this file")
    parser.add_argument(
        "--report", type=Path, help="print the report of an earlier --json file and stop"
    )
    parser.add_argument(
        "--survivors-of",
        type=Path,
        help="run only the mutants that survived in an earlier --json file (after new tests)",
    )
    parser.add_argument(
        "--alone",
        action="store_true",
        help="give every mutant a session of its own that imports the mutated source and runs "
        "all the target's tests (slow; checks the fast code swap)",
    )
    options = parser.parse_args(argv)

    if options.report:
        rows = json.loads(options.report.read_text("utf-8"))
        fields = {f for f in Mutant.__dataclass_fields__}
        outcomes = [
            _Outcome(
                Mutant(**{k: v for k, v in row.items() if k in fields}
                       | {"replacement": row["replacement"].encode("utf-8"),
                          "top": tuple(row["top"]) if row["top"] else None}),
                row["outcome"], row["seconds"],
            )
            for row in rows
        ]  # fmt: skip
        return _report(outcomes, None)
    chosen = [(t, mutants_of(p, t.functions)) for t, p in _chosen(options.patterns)]
    if options.survivors_of:
        rows = json.loads(options.survivors_of.read_text("utf-8"))
        alive = {(r["path"], r["start"], r["description"]) for r in rows
                 if r["outcome"] == "survived"}  # fmt: skip
        chosen = [(t, [m for m in ms if (m.path, m.start, m.description) in alive])
                  for t, ms in chosen]  # fmt: skip
    total = sum(len(m) for _, m in chosen)
    if options.list:
        for _, mutants in chosen:
            for m in mutants:
                print(f"{m.where():40} {m.operator:9} {m.description}  [{m.function}]")
        print(f"{total} mutants")
        return 0
    if not hasattr(os, "fork"):
        raise SystemExit("scripts/mutate.py needs os.fork (Linux, macOS or WSL)")
    for module in ("pytest", "openpyxl", "docxtpl", "docx", "lxml.etree",
                   "jinja2.sandbox", "click.testing", "babel"):  # fmt: skip
        importlib.import_module(module)  # once here, shared by every forked session
    print(f"{total} mutants in {len(chosen)} files, {options.jobs} sessions at a time")
    started = time.monotonic()
    by_target: dict[Target, list[Mutant]] = {}
    for target, mutants in chosen:
        by_target.setdefault(target, []).extend(mutants)
    queue = []
    if options.alone:
        queue = [_Job(t, [m], alone=True) for t, ms in by_target.items() for m in ms]
        by_target = {}
    for target, mutants in by_target.items():
        sessions = -(-len(mutants) // _CHUNK)
        queue += [_Job(target, mutants[i::sessions]) for i in range(sessions)]
    with tempfile.TemporaryDirectory(prefix="thidua-mutate-") as work:
        scheduler = _Scheduler(max(1, options.jobs), Path(work))
        scheduler.run(queue, total)
    if options.json:
        rows = [{**asdict(o.mutant), "replacement": o.mutant.replacement.decode("utf-8"),
                 "outcome": o.outcome, "seconds": round(o.seconds, 2)}
                for o in scheduler.outcomes]  # fmt: skip
        options.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), "utf-8")
    return _report(scheduler.outcomes, (time.monotonic() - started) / 60)


if __name__ == "__main__":
    sys.exit(main())
