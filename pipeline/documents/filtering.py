"""The filters and tests of a thidua template: strict about undefined values, within the limits.

Jinja gives a filter whatever it is handed, an undefined value too: ``{{ x.so_tienn|so }}`` with
a misspelt name would print the error of the filter, not the name that is missing, and
``{{ x|pprint }}`` would print the word "Undefined". Every filter of a thidua template is wrapped
here (by :func:`pipeline.documents.engine.make_environment`) so that the strict rule holds through
all of them, and so that the filters that can make a text or a list out of proportion to their
arguments (``center``, ``indent``, ``replace``, ``join``…) are refused before they do it, with
the limits of :mod:`pipeline.documents.limits`:

* :func:`limited_filter`, for any filter: the time budget is checked, every argument that may be
  undefined is searched for an undefined value, the arguments are checked against the limits
  (:func:`_precheck`) and the result is :func:`~pipeline.documents.limits.check_size`\\ d;
* :func:`bounded_filter`, for a filter declared *bounded* (the number filters of
  :mod:`pipeline.vi.numbers`, :data:`pipeline.vi.numbers.BOUNDED_FILTERS`): its work and its
  text are bounded whatever its arguments, and it refuses with an error every value that is not
  one it prints, an undefined value among them. None of these checks can then change what it
  does, so they are made only when it fails (which undefined value it was given); the time
  budget is checked at each step of the loop that calls it instead
  (:class:`pipeline.documents.codegen.LimitedCodeGenerator`). These filters print most of the
  values of a long table, so this is most of a table's filtering time;
* :func:`limited_test`: a test never takes an undefined value for ``false`` (except
  :data:`LENIENT_TESTS`).

Pure: no I/O.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from jinja2.runtime import Undefined

from pipeline.documents.limits import (
    BUDGET,
    MAX_TEXT,
    check_join,
    check_percent,
    check_replace,
    check_size,
    check_width,
    limited_iter,
    too_long,
    too_slow,
)


def first_undefined(value: Any, depth: int = 4) -> Undefined | None:
    """The first undefined value in ``value`` or, a few levels down, in its lists, tuples,
    sets and dict values (a list printed or turned into text shows its items' ``repr``, and
    an undefined value's ``repr`` is the word "Undefined")."""
    if isinstance(value, Undefined):
        return value
    if depth <= 0 or isinstance(value, (str, bytes)):
        return None
    if isinstance(value, Mapping):
        items: Iterable[Any] = value.values()
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = value
    else:
        return None
    for item in items:
        found = first_undefined(item, depth - 1)
        if found is not None:
            return found
    return None


def refuse_undefined(values: Iterable[Any]) -> None:
    """Raise the undefined error of the first undefined value found in ``values``."""
    for value in values:
        found = first_undefined(value)
        if found is not None:
            found._fail_with_undefined_error()


#: Filters that take a value that may be undefined, on purpose.
LENIENT_FILTERS = frozenset({"default", "d"})
#: Tests that ask whether a value is undefined.
LENIENT_TESTS = frozenset({"defined", "undefined"})


def _first_arg(skip: int, args: tuple[Any, ...], kwargs: Mapping[str, Any], index: int,
               name: str, default: Any = None) -> Any:  # fmt: skip
    position = skip + index
    return args[position] if len(args) > position else kwargs.get(name, default)


def _precheck(
    name: str, skip: int, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[Any, ...]:
    """Refuse the arguments of a filter that would make something over the limits; return the
    arguments to call it with (``join`` gets its items as a list, counted once)."""
    value = _first_arg(skip, args, kwargs, 0, "value")
    if name == "center":
        check_width(_first_arg(skip, args, kwargs, 1, "width", 80))
    elif name == "indent" and isinstance(value, str):
        width = _first_arg(skip, args, kwargs, 1, "width", 4)
        check_width(width, len(value), value.count("\n") + 1)
    elif name == "format" and isinstance(value, str):
        check_percent(value)
    elif name == "replace" and isinstance(value, str) and len(args) >= skip + 3:
        count = _first_arg(skip, args, kwargs, 3, "count", -1)
        check_replace(value, args[skip + 1], args[skip + 2], -1 if count is None else count)
    elif name == "wordwrap" and isinstance(value, str):
        width = _first_arg(skip, args, kwargs, 1, "width", 79)
        wrap = _first_arg(skip, args, kwargs, 3, "wrapstring", "\n")
        if isinstance(width, int) and isinstance(wrap, str):
            check_width(len(wrap), len(value), len(value) // max(width, 1) + 1)
    elif name == "slice":
        check_width(_first_arg(skip, args, kwargs, 1, "slices", 1))
    elif name == "batch" and _first_arg(skip, args, kwargs, 2, "fill_with") is not None:
        check_width(_first_arg(skip, args, kwargs, 1, "linecount", 1))
    elif name == "join" and len(args) > skip and not isinstance(value, (str, bytes)):
        items = list(limited_iter(value))
        check_join(_first_arg(skip, args, kwargs, 1, "d", ""), items)
        return (*args[:skip], items, *args[skip + 1 :])
    return args


#: Filters whose arguments :func:`_precheck` looks at.
_PRECHECKED = frozenset(
    {"center", "indent", "format", "replace", "wordwrap", "slice", "batch", "join"}
)
#: Argument types that are never undefined and hold nothing undefined (checked by type, exactly:
#: a subclass could be anything).
_PLAIN = frozenset({str, int, float, Decimal, bool, type(None)})


def limited_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    r"""``function`` as the filter ``name`` of a thidua template: it never receives an
    undefined value (except :data:`LENIENT_FILTERS`), its arguments are checked against the
    limits and its result is :func:`check_size`\ d.

    It is called for every filtered value a document prints (thousands in a long table), so
    the checks are inlined: the time budget (:meth:`Budget.tick`), then each argument that is
    not a plain value (:data:`_PLAIN`) is searched for undefined values, then the size checks
    of :func:`_precheck` for the filters that need them.
    """
    skip = 1 if hasattr(function, "jinja_pass_arg") else 0
    strict = name not in LENIENT_FILTERS
    prechecked = name in _PRECHECKED
    plain = _PLAIN
    get_budget = BUDGET.get
    clock = time.monotonic

    @functools.wraps(function)
    def limited(*args: Any, **kwargs: Any) -> Any:
        budget = get_budget()
        if budget is not None and clock() > budget.deadline:
            raise too_slow(budget.seconds)
        if strict:
            for value in args[skip:] if skip else args:
                if type(value) not in plain:
                    refuse_undefined((value,))
            if kwargs:
                refuse_undefined(kwargs.values())
        if prechecked:
            args = _precheck(name, skip, args, kwargs)
        result = function(*args, **kwargs)
        if type(result) is str:
            if len(result) > MAX_TEXT:
                raise too_long()
            return result
        return check_size(result)

    return limited


def bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function``, a *bounded* filter, as the filter ``name`` of a thidua template.

    Bounded: whatever its arguments, it does a bounded amount of work, returns a text of
    bounded length (far below :data:`~pipeline.documents.limits.MAX_TEXT`), and raises an
    error for every argument it does not accept, an undefined value among them (the number
    filters accept numbers, ``None`` and ``bool`` options only). Then it gives what
    :func:`limited_filter` gives: the same text when it succeeds, and when it fails, the
    undefined error of the first undefined argument (as :func:`limited_filter` would have
    raised before calling it), or else its own error. It does not check the time budget: the
    loop steps do (see the module's docstring).
    """
    skip = 1 if hasattr(function, "jinja_pass_arg") else 0

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except Exception:
            refuse_undefined(args[skip:])
            refuse_undefined(kwargs.values())
            raise

    return bounded


def limited_test(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` as the test ``name``: an undefined value is an error, not ``false``
    (``x.so_tienn is none`` with a misspelt name must not silently choose a branch)."""
    if name in LENIENT_TESTS:
        return function
    skip = 1 if hasattr(function, "jinja_pass_arg") else 0

    @functools.wraps(function)
    def strict(*args: Any, **kwargs: Any) -> Any:
        for value in (*args[skip:], *kwargs.values()):
            if isinstance(value, Undefined):
                value._fail_with_undefined_error()
        return function(*args, **kwargs)

    return strict

