"""Hostile templates end in a located error, in bounded time and memory (issue 9).

Templates are user-editable, so they are untrusted code. Each hostile tag below replaces
``{{ cau_xep_hang }}`` in the bundled minutes (a real .docx, as a secretary would edit it). The
subprocess tests run ``thidua build`` on a working folder holding it and prove the build stops
with exit status 1 and the located Vietnamese message, without a traceback, writing nothing, and
that the process ends (it is killed after 90 s: without the limits these ran past 60 s or took
gigabytes) with a peak resident memory far below what the tags would take. The in-process tests
cover the other hostile constructs one by one.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from template_files import MINUTES, RANKING, bundled_with, run_thidua, working_folder
from test_templates_golden import sample_dossier

from pipeline.documents.context import build_context
from pipeline.documents.contract import CONTEXT
from pipeline.documents.engine import CompiledTemplate
from pipeline.documents.limits import MAX_ITERATIONS, MAX_RANGE, MAX_TEXT
from pipeline.domain.scoring import compute
from pipeline.errors import Problem, ThiduaError

TOO_LONG = "quá dài (hơn 1.000.000 ký tự hoặc phần tử)"
#: Far above a build of the sample (about 60 MB here), far below what the tags would take.
PEAK_MB = 400
#: The paragraph the hostile tag is in, as the message quotes it.
PARAGRAPH = "đoạn «- Về bình xét, suy tôn thi đua năm {{ nam }}, kết quả"

#: (tag, the message the build prints): the cases of issue 9.
HOSTILE = {
    "recursion": (
        "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
        "Macro hoặc vòng lặp đệ quy lồng nhau quá 40 cấp",
    ),
    "huge-string": ("{{ 'x' * 10**9 }}", TOO_LONG),
    "huge-list": ("{{ ([0] * 10**9) | length }}", TOO_LONG),
    "power": ("{{ 10**100000 }}", "số nguyên quá lớn (hơn 100 chữ số)"),
    "nested-range": (
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "range() chỉ được tạo tối đa 10.000 số (ở đây 100.000)",
    ),
    "nested-loops": (
        "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
        "Các vòng lặp của mẫu chạy quá 500.000 lượt",
    ),
    "lipsum": ("{{ lipsum(n=10**7) }}", "Không có biến «lipsum»"),
    "nan": ("{{ 'nan' | float | so }}", "Lỗi khi điền dữ liệu vào thẻ: ValueError"),
    "doubling": (
        "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}"
        "{% endfor %}{{ ns.s }}",
        TOO_LONG,
    ),
    "buffered-output": (
        "{% filter upper %}{% for i in range(5000) %}{{ 'x' * 900000 }}{% endfor %}"
        "{% endfilter %}",
        "Văn bản tạo ra quá lớn (hơn 20.000.000 ký tự)",
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_thidua_build_stops_a_hostile_template(tmp_path: Path, case: str) -> None:
    tag, message = HOSTILE[case]
    folder = working_folder(tmp_path, {MINUTES: bundled_with(RANKING, tag)})
    run = run_thidua(folder, "build", timeout=90)
    assert run.code == 1, run.stderr
    assert "Traceback" not in run.stderr
    lines = [line for line in run.stderr.splitlines() if message in line]
    assert lines, run.stderr
    assert f"{MINUTES} › thân văn bản (word/document.xml): {PARAGRAPH}" in lines[0]
    assert not (folder / "outputs").exists()  # nothing written
    assert run.seconds < 60, f"{case}: {run.seconds:.1f} s"
    if run.peak_mb is not None:
        assert run.peak_mb < PEAK_MB, f"{case}: {run.peak_mb:.0f} MB"


# ---------------------------------------------------------------------------------------------
# The same limits, in process


@functools.cache
def sample_context() -> dict[str, object]:
    dossier = sample_dossier()
    return build_context(dossier, compute(dossier))


def problems_of(tag: str, seconds: float = 10.0) -> list[Problem]:
    """The problems of the minutes with ``tag`` instead of the ranking, compiled and rendered
    with the sample (none: the template renders)."""
    try:
        template = CompiledTemplate.compile(
            bundled_with(RANKING, tag), name=MINUTES, contract=CONTEXT
        )
        template.render(sample_context(), seconds=seconds)
    except ThiduaError as exc:
        return list(exc.problems)
    return []


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        ("{{ 'x'.ljust(10**9) }}", TOO_LONG),
        ("{{ 'x' | center(1000000000) }}", TOO_LONG),
        ("{{ 'x' | indent(1000000000, true) }}", TOO_LONG),
        ("{{ '{:>1000000000}'.format(1) }}", TOO_LONG),
        ("{{ '{:{w}}'.format(1, w=10) }}", "Độ rộng lấy từ biến trong format"),
        ("{{ '%01000000000d' % 1 }}", TOO_LONG),
        ("{{ '%*d' % (5, 1) }}", "Độ rộng * trong định dạng %"),
        ("{{ '%01000000000d' | format(1) }}", TOO_LONG),
        ("{{ ('a' * 100000) | replace('a', 'b' * 100000) }}", TOO_LONG),
        ("{{ ('a' * 100000).replace('a', 'b' * 100000) }}", TOO_LONG),
        ("{{ ('x' * 100000).join(range(10000) | map('string')) }}", TOO_LONG),
        ("{{ range(10000) | map('string') | join('x' * 1000) }}", TOO_LONG),
        ("{{ (1).to_bytes(1000000000, 'big') }}", TOO_LONG),
        ("{{ range(10) | slice(1000000000) | list }}", TOO_LONG),
        ("{{ (range(10000) | list) * 1000 }}", TOO_LONG),
        ("{{ (2 ** 300) * (2 ** 300) }}", "số nguyên quá lớn"),
        ("{{ range(100001) | list | length }}", "range() chỉ được tạo tối đa"),
        ("{% for x in [1] recursive %}{{ loop([1]) }}{% endfor %}", "lồng nhau quá 40 cấp"),
        (
            "{% macro f() %}{{ caller() }}{% call f() %}{% endcall %}{% endmacro %}"
            "{% call f() %}{% endcall %}",
            "quá 40 cấp",
        ),
        ("{% set l = [1] %}{{ l.extend(l) }}", "Mẫu không được sửa dữ liệu (extend())"),
        ("{{ 'inf' | float | so }}", "Lỗi khi điền dữ liệu vào thẻ: ValueError"),
        ("{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}", "quá phức tạp để đọc"),
        ("{{ " + "9" * 5000 + " }}", "quá phức tạp để đọc"),
        # a document must come out the same for the same workbook
        ("{{ [1, 2, 3] | random }}", "Không có bộ lọc «random»"),
    ],
)
def test_a_hostile_tag_is_a_located_error(tag: str, message: str) -> None:
    problems = problems_of(tag)
    assert [p.message for p in problems if message in p.message], problems
    (problem,) = problems
    assert problem.location.template == MINUTES
    assert problem.location.part == "thân văn bản (word/document.xml)"
    assert problem.hint


def test_the_time_budget_stops_slow_work() -> None:
    """Each step is allowed (a 10.000-item list, under 500.000 loop steps): only the time
    budget stops it."""
    slow = (
        "{% for i in range(2000) %}{{ range(10000) | map('string') | join | length }}"
        "{% endfor %}"
    )
    (problem,) = problems_of(slow, seconds=0.5)
    assert problem.code == "template-limit"
    assert problem.message == "Điền mẫu vào văn bản mất quá 0.5 giây"


def test_limits_leave_real_templates_alone() -> None:
    """Just under each limit still renders: the limits refuse excess, not use."""
    fine = (
        "{{ ('x' * 1000)|length }} {{ range(10000)|list|length }} {{ 2 ** 300 > 0 }} "
        "{{ '{:>20}'.format(1)|length }} {{ '%05d' % 42 }} {{ 'nan'|float is number }}"
        "{% for i in range(100) %}{% for j in range(100) %}{% endfor %}{% endfor %}"
    )
    assert problems_of(fine) == []
    assert MAX_RANGE == 10_000 and MAX_ITERATIONS == 500_000 and MAX_TEXT == 1_000_000


def test_templates_check_says_it_too(tmp_path: Path) -> None:
    """A limit is met by the trial rendering of ``templates check`` as by the build."""
    tag, message = HOSTILE["huge-string"]
    folder = working_folder(tmp_path, {MINUTES: bundled_with(RANKING, tag)})
    run = run_thidua(folder, "templates", "check", timeout=90)
    assert run.code == 1
    assert "Traceback" not in run.stderr
    assert any(message in line and PARAGRAPH in line for line in run.stderr.splitlines())


@pytest.mark.skipif(not hasattr(__import__("os"), "wait4"), reason="no os.wait4 (Windows)")
def test_measuring_works() -> None:
    """The peak memory the subprocess tests rely on is measured (here: above zero)."""
    run = run_thidua(Path.cwd(), "--version", timeout=60)
    assert run.code == 0
    assert run.peak_mb is None or run.peak_mb > 1
