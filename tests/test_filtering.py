"""The filters of a thidua template stay strict and limited, the fast ones too (issue 13).

The number filters (:data:`pipeline.vi.numbers.BOUNDED_FILTERS`) skip the sandbox's checks of
every call (:func:`pipeline.documents.filtering.bounded_filter`): they must still refuse a
missing value as missing, whichever argument it is, and a long loop of them must still be
stopped by the time budget, now checked at each loop step.
"""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from typing import Any

import docx
import pytest
from jinja2 import StrictUndefined

from pipeline.documents.engine import CompiledTemplate
from pipeline.errors import Problem, ThiduaError
from pipeline.vi import FILTERS
from pipeline.vi.numbers import BOUNDED_FILTERS


def rendered(paragraph: str, seconds: float = 10.0, **context: Any) -> str | list[Problem]:
    """The text of a one-paragraph .docx rendered with ``context``, or its problems."""
    document = docx.Document()
    document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    try:
        template = CompiledTemplate.compile(buffer.getvalue(), name="mau.docx")
        data = template.render(context, seconds=seconds)
    except ThiduaError as exc:
        return list(exc.problems)
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def assert_missing(result: str | list[Problem], name: str = "x") -> None:
    assert isinstance(result, list), f"rendered {result!r}"
    (problem,) = result
    assert (problem.code, problem.message) == ("template-undefined",
                                               f"Không có dữ liệu cho biến «{name}»")  # fmt: skip


BOUNDED_NAMES = sorted(name for name, f in FILTERS.items() if f in BOUNDED_FILTERS)


def test_the_number_filters_are_the_bounded_ones() -> None:
    assert BOUNDED_NAMES == ["phan_tram", "so", "tien"]


@pytest.mark.parametrize("name", sorted(FILTERS))
def test_every_thidua_filter_refuses_a_missing_value(name: str) -> None:
    assert_missing(rendered(f"Giá trị: {{{{ x | {name} }}}}."))


@pytest.mark.parametrize(
    "tag",
    [
        "{{ 5 | so(x) }}",
        "{{ 5 | so(le=x) }}",
        "{{ 5 | so(2, nhom=x) }}",
        "{{ 5 | so(nhom=x) }}",
        "{{ 0.5 | phan_tram(x) }}",
        "{{ 0.5 | phan_tram(le=x) }}",
        "{{ [x] | so }}",
        "{{ {'a': x} | tien }}",
        "{{ y.z | so }}",
    ],
)
def test_a_missing_argument_of_a_number_filter_is_missing(tag: str) -> None:
    result = rendered(tag, y={})
    if "y.z" in tag:
        assert isinstance(result, list)
        assert [p.message for p in result] == ["Không có trường «z» (trong dict object)"]
    else:
        assert_missing(result)


def test_the_number_filters_still_print_and_refuse() -> None:
    assert rendered("{{ 1234.5 | so(2) }} {{ 0.256 | phan_tram }} {{ 20000 | tien }}") == (
        "1.234,50 25,6% 20.000 đồng"
    )
    result = rendered("{{ 'abc' | so }}")
    assert isinstance(result, list)
    assert [p.code for p in result] == ["template-render"]
    assert "ValueError" in result[0].message


@pytest.mark.parametrize("function", sorted(BOUNDED_FILTERS, key=lambda f: f.__name__))
@pytest.mark.parametrize(
    "value", [StrictUndefined(name="x"), "1", [1], None, object(), b"1", Decimal("NaN")]
)
def test_a_bounded_filter_refuses_what_it_does_not_print(function: Any, value: object) -> None:
    """The contract :func:`bounded_filter` relies on: anything but a number raises, in every
    argument (a missing value included, whatever error it raises)."""
    with pytest.raises(Exception):  # noqa: B017 - ValueError, or the undefined error
        function(value)
    if function.__name__ != "tien":
        with pytest.raises(Exception):  # noqa: B017
            function(5, value if value is not None else "2")


def test_a_long_loop_is_stopped_by_the_time_budget() -> None:
    """A loop over a long list, of bounded filters or of nothing: each step checks the time
    (the list is counted against the loop budget once, so nothing else would)."""
    items = list(range(400_000))
    for body in ("{{ i | so }}", "{% if i %}{% endif %}"):
        result = rendered(f"{{% for i in items %}}{body}{{% endfor %}}", seconds=0.02, items=items)
        assert isinstance(result, list), body
        assert [p.message for p in result] == ["Điền mẫu vào văn bản mất quá 0.02 giây"], body


def test_the_number_filters_text_is_printed_as_it_is() -> None:
    """The contract of ``verbatim_filters``: ``print_value`` of their text is that text, so the
    compiled template leaves it out (:meth:`LimitedCodeGenerator._output_child_pre`)."""
    from pipeline.documents.engine import make_environment
    from pipeline.documents.printing import print_value

    assert make_environment().verbatim_filters == frozenset(BOUNDED_NAMES)
    numbers: list[Any] = [0, -0.0, 7, -1234567, 10**29, 2.675, -0.5, Decimal("-1E-30")]
    numbers += [Decimal(n) / 7 for n in range(-50, 50)] + [n * 1.37 for n in range(-50, 50)]
    for number in numbers:
        for text in (FILTERS["so"](number, 2), FILTERS["so"](number, 0, nhom=False),
                     FILTERS["phan_tram"](number, 3), FILTERS["tien"](round(number))):  # fmt: skip
            assert print_value(text) == text, text


def test_the_memo_of_number_texts_gives_what_the_filters_give() -> None:
    """The compiled template keeps the number filters' texts by the value's type and value
    (``verbatim_memo``): equal values of the same kind print alike, and any other value goes to
    the filter (a float, whose text comes from its ``repr``; a ``bool``, which is refused)."""
    values: list[Any] = [1, Decimal(1), Decimal("1.50"), Decimal("1.5"), 1.5, 2.675,
                         Decimal("2.675"), 10**6, -0.0, Decimal("-0"), 0]  # fmt: skip
    tag = "{% for v in values %}[{{ v | so }}|{{ v | so(2) }}|{{ v | phan_tram(0) }}]{% endfor %}"
    expected = "".join(
        f"[{FILTERS['so'](v)}|{FILTERS['so'](v, 2)}|{FILTERS['phan_tram'](v, 0)}]" for v in values
    )
    template = CompiledTemplate.compile(_docx(tag), name="mau.docx")
    for _ in range(2):  # the second time from the memo
        assert _text(template.render({"values": values})) == expected
    refused = template.render  # a bool equal to a remembered int is still refused
    with pytest.raises(ThiduaError) as caught:
        refused({"values": [1, True]})
    assert "so: True không phải là số" in caught.value.problems[0].message


def _docx(paragraph: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _text(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


@pytest.mark.parametrize(
    "tag",
    [
        "{% for v in values %}[{{ v | so(2) }}|{{ v | so }}|{{ loop.index }}|{{ v }}]{% endfor %}",
        "{% macro m(x) %}<{{ x | so }}&{% endmacro %}{% for v in values %}{{ m(v) }} "
        "{{ v | string | upper }}{% endfor %}",
        "{% for r in rows %}{{ r.ten }} {{ r.diem | so(1) }} {{ r.ten | length }}{% endfor %}"
        "{% set t %}{{ rows[0].ten }}{% endset %}{{ t }}",
        "{% for r in rows %}{% if r.diem > 1 %}{{ r.diem | phan_tram(1) }}{% else %}"
        "{{ r.diem | tien }}–{% endif %}"
        "{% endfor %}{% autoescape false %}{{ rows[1].ten }} {{ 5 | so }}{% endautoescape %}",
    ],
)
def test_the_engine_writes_what_jinja_writes(tag: str) -> None:
    """The compiled code's shortcuts (rows streamed as bytes, numbers from the memo, fields and
    text printed inline) give the bytes Jinja's own rendering of the part gives."""
    from pipeline.documents.engine import make_environment
    from pipeline.documents.finishing import post_process

    context = {
        "values": [1, Decimal("2.50"), 3.25, Decimal("-0"), 10**7],
        "rows": [{"ten": "Ban Tuyên giáo & Dân vận <Lạng Sơn>", "diem": Decimal("973.5")},
                 {"ten": "Văn phòng", "diem": 1}],
    }  # fmt: skip
    compiled = CompiledTemplate.compile(_docx(tag), name="mau.docx")
    (part,) = compiled._analysis.parts
    source = part.source.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
    expected, _ = post_process(make_environment().from_string(source).render(context).encode())
    document = zipfile.ZipFile(io.BytesIO(compiled.render(context)))
    assert document.read(part.name).split(b"?>\r\n", 1)[1] == expected
