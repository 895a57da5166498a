"""What rendering a template may cost: templates are user-editable, so they are untrusted code.

Jinja's sandbox stops a template from reaching Python's internals, not from exhausting the
machine: ``{{ 'x' * 10**9 }}``, ``10**10**8``, a macro calling itself, two nested
``range(100000)`` loops or ``lipsum(n=10**7)`` each hold a build for minutes or end it with a
``MemoryError``. :class:`LimitedEnvironment` is the sandbox every thidua template is compiled
with; it bounds, per document:

* **text and lists** a template makes: no string, list or tuple over :data:`MAX_TEXT` items,
  checked *before* the operations that multiply a size (``*``, ``center``, ``ljust``,
  ``indent``, ``format`` widths, ``replace``, ``join``…) and after every other one;
* **integers**: no result over :data:`MAX_INT_DIGITS` digits (``**`` and ``*`` checked first);
* **loops**: ``range`` gives at most :data:`MAX_RANGE` numbers, and all loops of a document
  together run at most :data:`MAX_ITERATIONS` times;
* **nesting**: macros, ``caller()`` and recursive ``loop()`` calls at most :data:`MAX_DEPTH`
  deep;
* **output**: at most :data:`MAX_OUTPUT` characters written, counted in every buffer (macros,
  ``{% set %}`` and ``{% filter %}`` blocks) as well as in the document (where the rows the
  engine streams as UTF-8 count their bytes: at least their characters);
* **time**: :data:`RENDER_SECONDS` per document, checked at every loop step, call, filter
  (but the bounded number filters: :mod:`pipeline.documents.filtering`) and operator.

It is also *immutable* (Jinja's ``ImmutableSandboxedEnvironment``: ``list.append``,
``dict.update`` are refused, so a list cannot double itself in a loop), has neither ``lipsum``
nor the ``random`` filter (the same workbook must give the same bytes), and compiles a
non-finite float constant (``'nan'|float``) as ``float('nan')``: Jinja writes it as the name
``nan``, a ``NameError`` at render time.

The limits are far above what a document needs: the largest part of the layout check's
20-unit stress case is about 120.000 characters, and its loops run a few hundred times. A
template over a limit raises :class:`LimitExceeded` (a Jinja ``SecurityError``) with a
Vietnamese message and hint, which the engine locates like any other rendering error. Budgets
live in a :mod:`contextvars` variable set by :func:`rendering`, so documents rendered in
parallel threads each have their own.
"""

from __future__ import annotations

import contextlib
import math
import re
import string
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jinja2.exceptions import SecurityError
from jinja2.runtime import Context, LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import escape

from pipeline.documents.codegen import LimitedCodeGenerator

#: Characters of a text, items of a list or tuple, that a template may make.
MAX_TEXT = 1_000_000
#: Characters a document's rendering may write (every buffer counted: an overestimate).
MAX_OUTPUT = 20_000_000
#: Numbers ``range()`` may give.
MAX_RANGE = 10_000
#: Loop steps of one document, all loops together.
MAX_ITERATIONS = 500_000
#: Nested macro, ``caller()`` and recursive ``loop()`` calls.
MAX_DEPTH = 40
#: Decimal digits of an integer a template computes.
MAX_INT_DIGITS = 100
#: Wall-clock seconds to render one document.
RENDER_SECONDS = 10.0

_MAX_INT_BITS = math.ceil(MAX_INT_DIGITS / math.log10(2))
_SIZED = (str, bytes, list, tuple, dict, set, frozenset)


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


class LimitExceeded(SecurityError):
    """A template went over a limit; ``str(exc)`` and ``hint`` are for the user."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


_SIMPLIFY = "Mẫu chỉ nên in dữ liệu của workbook"


def too_long(what: str = "một đoạn chữ hoặc danh sách") -> LimitExceeded:
    return LimitExceeded(
        f"Thẻ tạo ra {what} quá dài (hơn {_n(MAX_TEXT)} ký tự hoặc phần tử)",
        f"{_SIMPLIFY}: bỏ phép nhân chuỗi, phép nối chuỗi trong vòng lặp, hoặc độ rộng lớn trong "
        "center, indent, format.",
    )


def too_big() -> LimitExceeded:
    return LimitExceeded(
        f"Thẻ tính ra một số nguyên quá lớn (hơn {MAX_INT_DIGITS} chữ số)",
        f"{_SIMPLIFY}: bỏ phép lũy thừa (**) hoặc phép nhân các số lớn.",
    )


def too_deep() -> LimitExceeded:
    return LimitExceeded(
        f"Macro hoặc vòng lặp đệ quy lồng nhau quá {MAX_DEPTH} cấp",
        "Kiểm tra macro tự gọi lại chính nó, hoặc loop() không có điều kiện dừng.",
    )


def too_slow(seconds: float = RENDER_SECONDS) -> LimitExceeded:
    return LimitExceeded(
        f"Điền mẫu vào văn bản mất quá {seconds:g} giây",
        f"{_SIMPLIFY}: bỏ các vòng lặp lồng nhau hoặc phép tính nặng trong thẻ này.",
    )


def out_of_memory() -> LimitExceeded:
    return LimitExceeded(
        "Không đủ bộ nhớ để điền mẫu (thẻ tạo ra dữ liệu quá lớn)",
        f"{_SIMPLIFY}: bỏ phép nhân chuỗi, danh sách lớn hoặc vòng lặp lồng nhau.",
    )


@dataclass(slots=True)
class Budget:
    """What one document's rendering has spent so far."""

    seconds: float
    deadline: float
    iterations: int = 0
    written: int = 0
    depth: int = 0
    raw: bool = False  # a value with its own markup (raw XML, maybe) was printed

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise too_slow(self.seconds)

    def iterate(self, steps: int = 1) -> None:
        self.iterations += steps
        if self.iterations > MAX_ITERATIONS:
            raise LimitExceeded(
                f"Các vòng lặp của mẫu chạy quá {_n(MAX_ITERATIONS)} lượt",
                "Kiểm tra các vòng lặp lồng nhau và range() lớn: mẫu chỉ cần lặp trên các danh "
                "sách có sẵn (don_vi, bang_diem…).",
            )
        self.tick()

    def write(self, characters: int) -> None:
        self.written += characters
        if self.written > MAX_OUTPUT:
            raise LimitExceeded(
                f"Văn bản tạo ra quá lớn (hơn {_n(MAX_OUTPUT)} ký tự)",
                "Kiểm tra các vòng lặp lồng nhau và các macro, khối {% set %}, {% filter %} lặp "
                "lại nhiều lần.",
            )


BUDGET: ContextVar[Budget | None] = ContextVar("thidua_render_budget", default=None)


@contextlib.contextmanager
def rendering(seconds: float = RENDER_SECONDS) -> Iterator[Budget]:
    """A fresh budget for the rendering of one document, for the duration of the block."""
    budget = Budget(seconds, time.monotonic() + seconds)
    token = BUDGET.set(budget)
    try:
        yield budget
    finally:
        BUDGET.reset(token)


def _tick() -> None:
    budget = BUDGET.get()
    if budget is not None:
        budget.tick()


def current_budget() -> Budget | None:
    """The budget of the document being rendered (``None`` outside :func:`rendering`)."""
    return BUDGET.get()


def mark_raw() -> None:
    """Note that a value with its own markup was printed: the rendered part may hold any XML."""
    budget = BUDGET.get()
    if budget is not None:
        budget.raw = True


def check_size(value: Any) -> Any:
    """``value`` itself, unless it is a text or collection over :data:`MAX_TEXT` or an integer
    over :data:`MAX_INT_DIGITS` digits.

    >>> check_size("x" * 10)
    'xxxxxxxxxx'
    >>> check_size(10**200)
    Traceback (most recent call last):
    ...
    pipeline.documents.limits.LimitExceeded: Thẻ tính ra một số nguyên quá lớn (hơn 100 chữ số)
    """
    if isinstance(value, _SIZED):
        if len(value) > MAX_TEXT:
            raise too_long()
    elif isinstance(value, int) and value.bit_length() > _MAX_INT_BITS:
        raise too_big()
    return value


def check_width(width: object, text_length: int = 0, lines: int = 1) -> None:
    size = width if isinstance(width, int) else len(width) if isinstance(width, str) else 0
    if text_length + size * lines > MAX_TEXT:
        raise too_long()


def check_replace(text: Any, old: Any, new: Any, count: Any = -1) -> None:
    if not isinstance(old, type(text)) or not isinstance(new, type(text)):
        return  # str.replace raises its own TypeError
    found = len(text) + 1 if not old else text.count(old)
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    if len(text) + found * max(len(new) - len(old), 0) > MAX_TEXT:
        raise too_long()


def check_join(separator: Any, items: list[Any]) -> None:
    size = len(separator) * max(len(items) - 1, 0) if isinstance(separator, _SIZED) else 0
    size += sum(len(item) for item in items if isinstance(item, (str, bytes)))
    if size > MAX_TEXT:
        raise too_long()


def _number_too_big(digits: str) -> bool:
    return len(digits) > 7 or int(digits) > MAX_TEXT


def check_format(text: str) -> None:
    """Refuse a ``str.format`` template whose widths or precisions would make a text longer
    than :data:`MAX_TEXT` (``'{:>999999999}'``), or that takes them from its arguments."""
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError:
        return  # malformed: str.format raises its own error
    for _, _, spec, _ in fields:
        if not spec:
            continue
        if "{" in spec:
            raise LimitExceeded(
                "Độ rộng lấy từ biến trong format ({:{…}}) không được dùng trong mẫu",
                "Ghi độ rộng bằng số, hoặc bỏ format.",
            )
        if any(_number_too_big(digits) for digits in re.findall(r"\d+", spec)):
            raise too_long()


_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def check_percent(text: str) -> None:
    """The same for ``%`` formatting (``'%0999999999d' % 1``, the filter ``format``)."""
    for match in _PERCENT.finditer(text):
        for number in match.groups():
            if number == "*":
                raise LimitExceeded(
                    "Độ rộng * trong định dạng % không được dùng trong mẫu",
                    "Ghi độ rộng bằng số, hoặc bỏ định dạng.",
                )
            if number and _number_too_big(number):
                raise too_long()


def _check_binop(operator: str, left: Any, right: Any) -> None:
    both_int = isinstance(left, int) and isinstance(right, int)
    if operator == "**" and both_int and right > 0 and abs(left) > 1:
        if (left.bit_length() - 1) * right > _MAX_INT_BITS:
            raise too_big()
    elif operator == "*":
        if both_int:
            if left.bit_length() + right.bit_length() > _MAX_INT_BITS + 1:
                raise too_big()
            return
        for sequence, times in ((left, right), (right, left)):
            sized = isinstance(sequence, _SIZED) and isinstance(times, int)
            if sized and len(sequence) * times > MAX_TEXT:
                raise too_long()
    elif operator == "+" and isinstance(left, _SIZED) and isinstance(right, _SIZED):
        if len(left) + len(right) > MAX_TEXT:
            raise too_long()
    elif operator == "%" and isinstance(left, str):
        check_percent(left)


def limited_range(*args: int) -> range:
    """``range`` with at most :data:`MAX_RANGE` numbers."""
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise LimitExceeded(
            f"range() chỉ được tạo tối đa {_n(MAX_RANGE)} số (ở đây {_n(len(numbers))})",
            "Mẫu chỉ cần lặp trên các danh sách có sẵn (don_vi, bang_diem…); thu nhỏ range.",
        )
    return numbers


def limited_iter(iterable: Any) -> Any:
    """The iterable of a ``{% for %}``, its steps counted against the document's budget: a
    sized collection at once (and returned as it is), anything else step by step."""
    budget = BUDGET.get()
    if budget is None:
        return iterable
    if isinstance(iterable, (*_SIZED, range)):
        budget.iterate(len(iterable))
        return iterable
    return _counted(iterable, budget)


def _counted(iterable: Iterable[Any], budget: Budget) -> Iterator[Any]:
    for item in iterable:
        budget.iterate()
        yield item


class _Buffer(list[Any]):
    """The output buffer of a macro or a block: what it holds is counted as written."""

    __slots__ = ("_budget",)

    def __init__(self, budget: Budget) -> None:
        super().__init__()
        self._budget = budget

    def append(self, item: Any) -> None:
        self._budget.write(len(item))
        super().append(item)

    def extend(self, items: Iterable[Any]) -> None:
        items = tuple(items)
        self._budget.write(sum(len(item) for item in items))
        super().extend(items)


# ---------------------------------------------------------------------------------------------
# The environment (its code generator: pipeline.documents.codegen)


_WIDTH_METHODS = frozenset({"center", "ljust", "rjust", "zfill"})
#: The most texts :attr:`LimitedEnvironment.verbatim_memo` keeps.
_MEMO_KEPT = 4096


class LimitedEnvironment(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with the limits of this module (see its docstring)."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    code_generator_class = LimitedCodeGenerator  # the hooks below are what its code calls
    #: The filters whose text is printed as it is: for every argument, ``print_value`` of
    #: their text is that text (nothing to clean or escape). Given by the engine.
    verbatim_filters: frozenset[str] = frozenset()
    #: Whether the pieces the compiled code streams out (not those of macros or blocks) may be
    #: UTF-8 ``bytes`` as well as ``str``: only for a consumer that encodes the output anyway
    #: (the engine); Jinja's own ``render`` joins ``str`` pieces only.
    stream_bytes = False
    #: The types of value whose verbatim text the memo keeps: for these, the text of a
    #: verbatim filter depends only on the value (equal values, equal texts) and its constant
    #: arguments (``Decimal("1.50")`` and ``Decimal("1.5")``, ``2`` and ``Decimal(2)`` alike).
    memo_types = frozenset({int, Decimal})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        #: The text of verbatim filters' calls, by (type of the value, value, filter name,
        #: constant arguments): a table prints the same scores and amounts many times.
        self.verbatim_memo: dict[tuple[Any, ...], str] = {}
        self.globals["range"] = limited_range
        self.globals.pop("lipsum", None)  # lorem ipsum has no place in a document
        self.filters.pop("random", None)  # the same workbook must give the same document

    # hooks the generated code calls
    limited_iter = staticmethod(limited_iter)
    size_checked = staticmethod(check_size)

    def print_value(self, value: Any) -> str:
        """What ``{{ value }}`` writes where output is autoescaped: ``escape(finalize(value))``
        (a value with its own markup is reported: :func:`mark_raw`). The engine replaces it
        with its own, faster :func:`pipeline.documents.printing.print_value`."""
        finalized = self.finalize(value) if self.finalize is not None else value
        if hasattr(finalized, "__html__"):
            mark_raw()
        return escape(finalized)

    def escape_printable(self, text: str) -> str:
        """What :meth:`print_value` gives for a ``str`` whose characters are all printable
        (``finalize`` keeps such a text as it is). The engine replaces it with its own, faster
        :func:`pipeline.documents.printing.escape_printable`."""
        return str(self.print_value(text))

    def getattr_record(self, obj: Any, attribute: str) -> Any:
        """:meth:`getattr` for a name a ``dict`` has no attribute of (the code generator makes
        sure): an exact ``dict`` gives its item or an undefined value, as the sandbox would
        after failing to find the attribute; anything else goes to the sandbox."""
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return self.getattr(obj, attribute)

    def remember_verbatim(self, key: tuple[Any, ...], text: str) -> str:
        """Keep ``text`` in :attr:`verbatim_memo` (at most :data:`_MEMO_KEPT` texts)."""
        if len(self.verbatim_memo) >= _MEMO_KEPT:
            self.verbatim_memo.clear()
        self.verbatim_memo[key] = text
        return text

    def loop_step(self) -> Callable[[], None]:
        """What each loop step calls: the time check of the document being rendered."""
        budget = BUDGET.get()
        return _no_budget if budget is None else budget.tick

    def limited_buffer(self) -> list[Any]:
        budget = BUDGET.get()
        return [] if budget is None else _Buffer(budget)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        _tick()
        _check_binop(operator, left, right)
        return check_size(super().call_binop(context, operator, left, right))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            check_format(value.__self__)
        return wrapped

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        budget = BUDGET.get()
        if budget is not None:
            budget.tick()
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, (str, bytes)):
            args = _check_method(owner, getattr(__obj, "__name__", ""), args, kwargs)
        elif isinstance(owner, int) and getattr(__obj, "__name__", "") == "to_bytes":
            check_width(args[0] if args else kwargs.get("length", 1))
        nested = isinstance(__obj, (Macro, LoopContext))
        if isinstance(__obj, LoopContext) and args:
            args = (limited_iter(args[0]), *args[1:])  # a recursive loop's next level
        if nested and budget is not None:
            budget.depth += 1
            if budget.depth > MAX_DEPTH:
                budget.depth -= 1
                raise too_deep()
        try:
            result = super().call(__context, __obj, *args, **kwargs)
        finally:
            if nested and budget is not None:
                budget.depth -= 1
        return check_size(result)


def _no_budget() -> None:
    """The loop step outside :func:`rendering`: nothing to check."""


def _check_method(
    owner: str | bytes, name: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]
) -> tuple[Any, ...]:
    """Refuse a text method whose arguments would make a text over :data:`MAX_TEXT`."""
    if name in _WIDTH_METHODS:
        check_width(args[0] if args else kwargs.get("width", 0))
    elif name == "expandtabs":
        tab = args[0] if args else kwargs.get("tabsize", 8)
        tabs = owner.count("\t") if isinstance(owner, str) else owner.count(b"\t")
        check_width(tab, len(owner), tabs)
    elif name == "replace" and len(args) >= 2:
        count = args[2] if len(args) > 2 else kwargs.get("count", -1)
        check_replace(owner, args[0], args[1], count)
    elif name == "join" and args:
        items = list(limited_iter(args[0]))
        check_join(owner, items)
        return (items, *args[1:])
    return args
