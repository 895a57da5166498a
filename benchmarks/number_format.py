"""Micro-benchmark: thidua's number filters against babel's ``format_decimal`` on every call.

Run ``python benchmarks/number_format.py`` (about 3 s). The values are what the documents print:
scores with 1–2 decimals, whole scores, money in đồng, percentages. Both sides round the same way
(``pipeline.vi.numbers``' own rounding) and differ only in how the rounded ``Decimal`` becomes
digits: *babel* calls ``babel.numbers.format_decimal`` with a pattern string and the locale name
for each number (what ``pipeline.vi.numbers`` did before it parsed the pattern once); *thidua* is
the module as it is now. Every string is checked to be the same before anything is timed.
Interleaved rounds; the ratio babel ÷ thidua is computed within each round (CPU time).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from decimal import Decimal, localcontext
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))

from _stats import spread  # noqa: E402


def babel_so(x: object, le: int | None = None, *, nhom: bool = True) -> str:
    """``so`` with babel doing the digits on every call (the former implementation)."""
    from babel.numbers import format_decimal

    from pipeline.vi import numbers

    number = numbers._round(  # same validation and rounding as so()
        numbers.to_decimal(x, "so"), numbers.check_places(le, "so"), "so", x
    )
    places = numbers._places(number)
    pattern = ("#,##0" if nhom else "0") + ("." + "0" * places if places else "")
    with localcontext(numbers._CTX):
        text: str = format_decimal(number, format=pattern, locale="vi", decimal_quantization=False)
    return text


def values() -> list[tuple[object, int | None]]:
    """(value, le) pairs like the documents' numbers: 6.000 of them."""
    found: list[tuple[object, int | None]] = []
    for index in range(1000):
        score = Decimal(880 + index % 117) + Decimal("0.25") * (index % 4)
        found += [
            (score, 2),
            (score, None),
            (Decimal(index % 50) / 2, None),
            (1_150_000 * (index % 9), None),
            (float(index) / 7, 1),
            (-Decimal(index) / 8, 3),
        ]
    return found


def timed(function: Callable[..., str], cases: Sequence[tuple[object, int | None]]) -> float:
    """CPU seconds per call over all ``cases``."""
    start = time.process_time()
    for value, le in cases:
        function(value, le)
    return (time.process_time() - start) / len(cases)


def main(argv: Sequence[str] | None = None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)

    from pipeline.vi import so

    cases = values()
    different = [(v, le) for v, le in cases if so(v, le) != babel_so(v, le)]
    if different:
        raise SystemExit(f"so() differs from babel on {len(different)} values, e.g. {different[0]}")
    per_call: dict[str, list[float]] = {"babel": [], "thidua": []}
    ratios = []
    for index in range(args.rounds):
        order = ("babel", "thidua") if index % 2 else ("thidua", "babel")
        got = {name: timed(babel_so if name == "babel" else so, cases) for name in order}
        for name, seconds in got.items():
            per_call[name].append(seconds * 1e6)
        ratios.append(got["babel"] / got["thidua"])
    print(
        f"Number formatting, {len(cases)} values × {args.rounds} rounds, identical strings; "
        "CPU µs per call, median (min–max):"
    )
    for name, times in per_call.items():
        print(f"  {name:<7} {spread(times)}")
    print(f"  babel ÷ thidua: {spread(ratios)}×")
    median = statistics.median(ratios)
    print(f"number_format_speedup={median:.2f}")
    return median


if __name__ == "__main__":
    main()
