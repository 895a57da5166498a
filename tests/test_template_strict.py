"""A missing value is an error through every filter and test (issue 9).

``{{ x|pprint }}`` of a missing ``x`` printed the word "Undefined" into the document: Jinja's
``StrictUndefined`` refuses to be printed, compared or iterated, but some filters only take its
``repr`` (``pprint``), skip it (``xmlattr``, ``items``) or test it (``x is none`` was false).
Each of Jinja's filters and tests is given a missing value here, in a real .docx rendered by the
engine; only ``default`` (and its alias ``d``) and the tests ``defined``/``undefined`` take one
on purpose.
"""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest
from jinja2.filters import FILTERS
from jinja2.tests import TESTS

from pipeline.documents.engine import CompiledTemplate
from pipeline.documents.limits import LimitedEnvironment
from pipeline.errors import Problem, ThiduaError

#: Arguments for the filters that need some.
ARGUMENTS = {
    "attr": "('ten')",
    "batch": "(2)",
    "groupby": "('ten')",
    "indent": "(2)",
    "join": "(', ')",
    "map": "('upper')",
    "reject": "('none')",
    "rejectattr": "('ten')",
    "replace": "('a', 'b')",
    "round": "(1)",
    "select": "('none')",
    "selectattr": "('ten')",
    "slice": "(2)",
    "sum": "",
    "truncate": "(5)",
    "wordwrap": "(5)",
    "center": "(5)",
}
TEST_ARGUMENTS = {"divisibleby": "(2)", "sameas": "(none)", "eq": "(1)", "equalto": "(1)",
                  "ne": "(1)", "lt": "(1)", "le": "(1)", "gt": "(1)", "ge": "(1)",
                  "lessthan": "(1)", "greaterthan": "(1)", "in": "([1])",
                  "!=": "(1)", "==": "(1)", "<": "(1)", "<=": "(1)", ">": "(1)",
                  ">=": "(1)"}  # fmt: skip
LENIENT = {"default", "d"}


def rendered(paragraph: str, **context: Any) -> str | list[Problem]:
    """The text of a one-paragraph .docx rendered with ``context``, or its problems."""
    document = docx.Document()
    document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    try:
        data = CompiledTemplate.compile(buffer.getvalue(), name="mau.docx").render(context)
    except ThiduaError as exc:
        return list(exc.problems)
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def assert_missing(result: str | list[Problem], name: str = "x") -> None:
    """One located problem: ``name`` is missing."""
    assert isinstance(result, list), f"rendered {result!r}"
    (problem,) = result
    assert problem.code == "template-undefined", problem
    assert problem.message == f"Không có dữ liệu cho biến «{name}»"
    assert problem.location.template == "mau.docx"


#: Jinja's filters a template can use (the sandbox removes ``random``).
JINJA_FILTERS = set(FILTERS) & set(LimitedEnvironment().filters)


def test_the_sandbox_keeps_every_jinja_filter_but_random() -> None:
    assert set(FILTERS) - JINJA_FILTERS == {"random"}


@pytest.mark.parametrize("name", sorted(JINJA_FILTERS - LENIENT))
def test_every_jinja_filter_refuses_a_missing_value(name: str) -> None:
    arguments = ARGUMENTS.get(name, "")
    assert_missing(rendered(f"Giá trị: {{{{ x | {name}{arguments} }}}}."))


@pytest.mark.parametrize("name", sorted(JINJA_FILTERS - LENIENT))
def test_every_jinja_filter_refuses_a_missing_value_in_a_list(name: str) -> None:
    """A list holding a missing value: printing it, or a filter's result, would show its
    ``repr``."""
    arguments = ARGUMENTS.get(name, "")
    result = rendered(f"{{{{ [x] | {name}{arguments} }}}}", ten="t")
    assert_missing(result)


@pytest.mark.parametrize("name", sorted(set(TESTS) - {"defined", "undefined"}))
def test_every_jinja_test_refuses_a_missing_value(name: str) -> None:
    test = name if name.isidentifier() else f"{name!r}"
    expression = f"x is {name}{TEST_ARGUMENTS.get(name, '')}"
    if not name.isidentifier():  # the operator tests: called through select
        expression = f"[x] | select({test}, 1) | list"
    assert_missing(rendered(f"{{% if {expression} %}}có{{% else %}}không{{% endif %}}"))


def test_a_misspelt_field_is_not_silently_none() -> None:
    """``x.so_tienn is none`` was false for a misspelt field: the template chose a branch."""
    result = rendered(
        "{% if x.so_tienn is none %}–{% else %}{{ x.so_tien }}{% endif %}", x={"so_tien": 5}
    )
    assert isinstance(result, list), result
    (problem,) = result
    assert (problem.code, problem.message) == ("template-undefined", "Không có trường «so_tienn» "
                                               "(trong dict object)")  # fmt: skip


def test_the_deliberate_exceptions_still_work() -> None:
    assert rendered("{{ x | default('–') }} {{ x | d('–') }}") == "– –"
    assert rendered("{% if x is defined %}có{% else %}không{% endif %}") == "không"
    assert rendered("{% if x is undefined %}không có{% endif %}") == "không có"
    assert rendered("{{ x.y | default('?') }}", x={}) == "?"


def test_printing_a_list_with_a_missing_value_is_an_error() -> None:
    assert_missing(rendered("{{ [1, x] }}"))
    assert_missing(rendered("{{ {'a': x} }}"))
    assert rendered("{{ [1, 2] }}") == "[1, 2]"
