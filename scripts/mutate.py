"""Mutation testing of the core: do the tests notice when the code is wrong?

One command runs it (see docs/testing.md; about 10 minutes of two cores for the whole core)::

    .venv/bin/python scripts/mutate.py                  # every target of TARGETS
    .venv/bin/python scripts/mutate.py -m vi.text       # one module (repeatable)
    .venv/bin/python scripts/mutate.py rules/           # files whose path contains "rules/"
    .venv/bin/python scripts/mutate.py --changed        # lines changed since main (branch + edits)
    .venv/bin/python scripts/mutate.py --list           # print the mutants, run nothing

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

How it stays fast. Each target of :data:`TARGETS` (a file glob, optionally the functions to
mutate, and the fast tests that should notice) gets one *session* process that collects its tests
and the doctests of its files once, importing the mutated files from *probed* source: every
statement inside a function notes which test runs it (a call per statement, much cheaper than
``sys.settrace``; no dependency on ``coverage``). One unmutated run of all the tests gives that
map and each test's duration. Then the session ``fork``\\ s one child per mutant; the child swaps
the mutated function's code object in (``function.__code__``, so every reference the tests hold
sees it) and runs only the tests that run the mutated statement, the tests that killed the last
mutants first and then the fastest first, stopping at the first failure (``-x``). A mutant is
*killed* by a failing test or by running three times longer than those tests did unmutated (a
hang). A mutant of a module constant re-executes its top-level statement in the module and runs
first the tests of the functions that read the constant, then every other test. A mutant in a
class body, in code that cannot be swapped, or in a statement that runs while the modules are
imported and by no test, gets a session of its own that imports the mutated source and runs the
tests that reach its file first. A statement that no test runs is reported as such: its
mutants survive without running anything. Up to ``--jobs`` test processes (default: the CPU
count) run at once across all sessions, shared through a job server (a pipe of tokens, as GNU
make's). Nothing is ever written into the working tree. POSIX only (``os.fork``); on Windows
use WSL.

A mutated constant is re-executed with the later top-level assignments computed from it, and every
``from module import NAME`` of it in the loaded modules is pointed at the new value. Caveat: test
parameters computed while collecting (at import of a test module) come from the unmutated code,
and so does anything else built from a constant at import time (a default argument, a class
attribute).

The output is a table (mutants, killed, equivalent, survived and the score per file) and every
surviving mutant (``file:line``, the mutation, the function). A survivor is a missing test —
write one and see it kill the mutant — unless it is *equivalent* (no input can tell it from the
original): those are listed in :data:`EQUIVALENT` with the reason and reported as such. The exit
status is 1 while an unexplained survivor remains.

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
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
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
    "not help_from_the_entry_point and not pdf_batch",
)
#: build.py's PDF step is only reached by the LibreOffice test (chosen only for its mutants).
#: ``thidua templates check`` and a template's render errors are build's too.
_BUILD_AND_PDF_TESTS = ("tests/test_build.py", "tests/test_cli.py", "tests/test_templates_check.py",
                        "tests/test_template_limits.py", "tests/test_batch.py",
                        "tests/test_parallel.py", "tests/test_change_report.py",
                        "tests/test_commit.py", "tests/test_commit_refusals.py",
                        "tests/test_archive_issue.py", "tests/test_workbook_inputs.py",
                        "tests/test_template_package.py", "tests/test_build_interrupts.py",
                        "tests/test_shared.py", "tests/test_commit_kill.py", "-k",
                        "not help_from_the_entry_point")  # fmt: skip

#: The output folder's commit, manifest and plan: the unit tests, a damaged manifest's reasons and
#: issue 8's file tests.
_OUTPUT_TESTS = ("tests/test_output.py", "tests/test_commit.py", "tests/test_manifest_read.py",
                 "tests/test_commit_refusals.py",
                 *_BUILD_TESTS)

#: What is mutated, and which tests must notice. Update the globs when modules move.
TARGETS: tuple[Target, ...] = (
    Target("pipeline/vi/*.py", ("tests/vi", "tests/test_mutants_text.py")),
    Target("pipeline/domain/scoring.py",
           ("tests/test_scoring.py", "tests/test_mutants_scoring.py", "tests/test_validate.py")),
    Target("pipeline/domain/rules/*.py", ("tests/test_validate.py", "tests/test_mutants_rules.py")),
    Target("pipeline/build.py", _BUILD_AND_PDF_TESTS),
    Target("pipeline/checking.py", _BUILD_AND_PDF_TESTS),
    # changes_again: the build after a commit a kill cut short (test_commit_kill.py)
    Target("pipeline/regenerate.py", ("tests/test_change_report.py", "tests/test_commit_kill.py",
                                      *_BUILD_TESTS)),
    Target("pipeline/parallel.py", ("tests/test_parallel.py", "tests/test_mutants_output.py")),
    Target("pipeline/output/staged.py", ("tests/test_mutants_staged.py", *_OUTPUT_TESTS)),
    Target("pipeline/output/manifest.py", ("tests/test_mutants_output.py", *_OUTPUT_TESTS)),
    Target("pipeline/output/folder.py", ("tests/test_mutants_folder.py", *_OUTPUT_TESTS)),
    Target(
        "pipeline/output/files.py",
        ("tests/test_mutants_staged.py", "tests/test_output.py", "tests/test_commit.py"),
        ("create_new", "read_regular", "kind_of_stat"),
    ),
    Target("pipeline/output/names.py", ("tests/test_output.py", "tests/test_folder_names.py",
                                        "tests/test_mutants_output.py")),
    # the folder's lock, journal, history, ownership and Ctrl-C guard: reached through commits
    Target("pipeline/output/journal.py", ("tests/test_mutants_journal.py", *_OUTPUT_TESTS[:2],
                                          "tests/test_commit_kill.py", *_BUILD_TESTS)),
    Target("pipeline/output/history.py", ("tests/test_mutants_history.py", *_OUTPUT_TESTS)),
    Target("pipeline/output/ownership.py", ("tests/test_mutants_history.py", *_OUTPUT_TESTS)),
    Target("pipeline/output/interrupts.py", ("tests/test_mutants_history.py", *_OUTPUT_TESTS)),
    Target("pipeline/output/restore.py", ("tests/test_mutants_history.py", *_OUTPUT_TESTS)),
    Target("pipeline/output/summary.py",
           ("tests/test_mutants_summary.py", "tests/test_batch.py", *_BUILD_TESTS)),
    Target("pipeline/output/progress.py",
           ("tests/test_mutants_summary.py", "tests/test_batch.py", *_BUILD_TESTS)),
    Target("pipeline/output/archive/*.py", ("tests/test_archive_units.py",
                                             "tests/test_archive_issue.py",
                                             "tests/test_archive_publish.py",
                                             "tests/test_mutants_archive.py")),
    Target("pipeline/output/pdf.py", ("tests/test_pdf.py", "tests/test_mutants_output.py"),
           ("find_soffice", "font_report")),
    Target(
        "pipeline/workbook/*.py",
        ("tests/test_values.py", "tests/test_mutants_values.py", "tests/test_loader.py",
         "tests/test_mutants_text.py", "-k", "not 100_000_rows"),
        ("parse_number_text", "_sane", "number_value", "date_value", "time_value", "ratio_value"),
    ),
    Target("pipeline/documents/printing.py",
           ("tests/test_render.py", "tests/test_template_strict.py", "-m", "not libreoffice"),
           ("clean_value",)),
    Target("pipeline/documents/finishing.py",
           ("tests/test_render.py", "tests/test_mutants_text.py", "-m", "not libreoffice"),
           ("post_process",)),
)

#: Why a changed balance target changes no cut (the reason of four lines.py mutants).
_TARGET_SHIFT = (
    "the balance target only shifts the cost of every cut into the same number of lines by the "
    "same amount: for a fixed count (and at each step of the programme, for a fixed prefix) "
    "the line widths sum to the same total, so sum((w - t)²) = sum(w²) - 2t·sum(w) + count·t² "
    "differs by a constant; checked on 4 000 random texts of listed words (2-17 cm, 10-15 pt): "
    "one differs, an exact tie (the same three widths in another order) that rounding decides"
)

#: Mutants no test can kill because no input tells them from the original, with the reason.
#: Keyed by (file glob, function, mutation as printed, a piece of the mutated line's source), so
#: that they survive edits elsewhere in the file.
EQUIVALENT: dict[tuple[str, str, str, str], str] = {
    # vi/numbers.py (fast path, memo)
    ("pipeline/vi/numbers.py", "", "`100` → `101`", "_GROUP_NEVER = 100"):
        "babel gives ungrouped patterns the grouping (1000, 1000): 100 or 101 as the bound, "
        "_plain_symbols finds the vi patterns plain the same",
    **{
        ("pipeline/vi/numbers.py", "check_places", mutation, "if type(le) is int and 0 <= le"):
            "a fast path for a plain int: an int it no longer lets through (0 or 30) reaches the "
            "full check just below, which accepts it the same"
        for mutation in ("`0` → `1`", "`<=` → `<`")
    },
    **{
        ("pipeline/vi/numbers.py", "_format", mutation, "if symbols is not None:"):
            "_plain_symbols is never None for the vi patterns (test_mutants_numbers): the mutant "
            "always takes NumberFormat.layout, which gives the same digits (tested against babel)"
        for mutation in ("`is not` → `is`", "negate `symbols is not None`")
    },
    **{
        ("pipeline/vi/numbers.py", "_plain_symbols", mutation,
         "pattern.grouping[0] >= _GROUP_NEVER"):
            "babel's grouping is (1000, 1000) without a comma, else the digits after the last "
            "comma and between the last two: no pattern with fewer than 100 digits in a group "
            "is told apart by > for >= or by grouping[1] for grouping[0]"
        for mutation in ("`>=` → `>`", "`0` → `1`")
    },
    ("pipeline/vi/numbers.py", "so", "`False` → `True`", "keyed, text = False, None"):
        "only a signalling NaN cannot be hashed, and to_decimal refuses it before anything is "
        "kept: keyed or not, nothing is stored for it",
    ("pipeline/domain/scoring.py", "_unit_results", "`0` → `1`", "rank=0"):
        "a placeholder: compute() replaces every rank before anyone reads it",
    ("pipeline/domain/scoring.py", "compute", "`True` → `False`", "strict=True"):
        "zip() of a list and the ranks computed from that same list: equal lengths",
    ("pipeline/output/pdf.py", "font_report", "`1` → `2`", 'split("|", 1)'):
        "fontconfig's family names and font paths hold no '|': one split or two is the same",
    ("pipeline/vi/numbers.py", "", "`100` → `101`", "prec=100"):
        "100 or 101 digits of precision: both far above the 60 digits a value may have",
    ("pipeline/vi/numbers.py", "to_decimal", 'remove `raise ValueError(f"{func}: {show(value)} '
     'không phải là số h…`', "không phải là số hữu hạn"):
        "a non-finite float becomes Decimal('NaN') or Decimal('Infinity'), which the check for "
        "every Decimal just below refuses with the same message",
    ("pipeline/vi/numbers.py", "", "`1` → `2`", "_ONE = Decimal(1)"):
        "the quanta are used only by quantize(), which reads only their exponents",
    ("pipeline/vi/numbers.py", "", "`1` → `2`", "range(_MAX_DECIMALS + 1)"):
        "one more quantum, for 31 decimals, which check_places never lets anyone ask for",
    ("pipeline/vi/numbers.py", "_places", "`0` → `1`", "return max(0, -exponent)"):
        "_places is only compared with _MAX_DECIMALS (30): 0 or 1 for an integer, both below; "
        "the else branch is for NaN and infinities, which never reach it",
    ("pipeline/vi/numbers.py", "NumberFormat.parse", "`in` → `not in`", "unquote=any("):
        "unquoting text that holds no quote changes nothing, and text that holds one is "
        "unquoted either way",
    ("pipeline/vi/numbers.py", "NumberFormat.layout", "`<` → `<=`", "len(integer) < self.min_int"):
        "padding to exactly the minimum length with rjust changes nothing",
    ("pipeline/vi/numbers.py", "NumberFormat.layout", "`>` → `>=`", "len(integer) > size"):
        "an integer part exactly one group long is laid out the same by the grouping code",
    ("pipeline/vi/numbers.py", "NumberFormat.layout", "`3` → `4`", "self.grouping == (3, 3)"):
        "a fast path: without it the general grouping loop gives the same text for (3, 3)",
    ("pipeline/vi/words.py", "thu_hang", "`<=` → `<`", "rank <= len(_ORDINALS)"):
        "the last ordinal, Mười (10), is also the capitalised cardinal doc_so(10)",
    ("pipeline/vi/text.py", "", "`5` → `6`", "_TONE_RANK = {"):
        "nặng 6 instead of 5 keeps the tone order: other marks weigh 6 + ord(mark) >= 774",
    ("pipeline/vi/text.py", "_mark_weight", "`6` → `7`", "6 + ord(mark)"):
        "other marks need only weigh more than the five tones, in their order: 7 + ord does too",
    ("pipeline/vi/text.py", "_weigh", "remove `break`", "break"):
        "after one quality mark the letter is ă â ê ô ơ or ư, which no further mark changes",
    ("pipeline/vi/text.py", "_weigh", "`0` → `1`", "primary, variant = (_SPACE, 0)"):
        "every space gets the same primary; only its class (first) orders it against others",
    ("pipeline/vi/text.py", "name_sort_key", "`1` → `2`", "family = words[0] if len(words) > 1"):
        "two-word names (no middle name) with the same given name: the family key orders them "
        "as the full-name key that breaks ties does",
    ("pipeline/vi/lines.py", "", "`True` → `False`", "dict(zip(_CHARS, _"):
        "the width tables and _CHARS have the same length (test_vi_line_metrics reads both from "
        "the font): zip gives the same pairs, strict or not",
    ("pipeline/vi/lines.py", "_line_cost", "`-` → `+`", "((width - target) / limit) ** 2"):
        "(w + t)² instead of (w - t)²: " + _TARGET_SHIFT,
    ("pipeline/vi/lines.py", "_cut", "`0` → `1`", "total = width[0, n]"):
        "a target from the width without the first word: " + _TARGET_SHIFT,
    ("pipeline/vi/lines.py", "_cut", "`/` → `*`", "target = total / count"):
        "a target of total × count: " + _TARGET_SHIFT,
    ("pipeline/vi/lines.py", "_cut", "`+` → `-`", "range(a + 1, n + 1)"):
        "the extra widths (a, a - 1) and (a, a) are never read: fits() and the costs ask for "
        "a < b only",
    ("pipeline/vi/lines.py", "_cut", "`1` → `2`", "range(a + 1, n + 1)"):
        "the extra widths (a, n + 1) are never read: no line ends after the last word",
    ("pipeline/vi/lines.py", "_cut", "`1` → `2`", "for count in range(2, n + 1)"):
        "count never reaches n + 1: at count n every word has its own line, which always fits",
    ("pipeline/vi/lines.py", "_cut", "`0` → `1`", "{(0, 0): (0.0, 0)}"):
        "the back pointer of the empty start is never followed: the walk back stops at line 1",
    ("pipeline/vi/lines.py", "_cut", "`1` → `2`", "for lines in range(1, count + 1)"):
        "a programme row for count + 1 lines is filled but never read: only (count, n) is asked",
    ("pipeline/vi/lines.py", "_cut", "`1` → `2`", "for a in range(lines - 1, b)"):
        "a = lines - 2 is skipped by the `(lines - 1, a) in best` test: lines - 1 lines hold "
        "at least lines - 1 words",
    ("pipeline/domain/rules/scores.py", "check_adjustments", "`>` → `>=`", "adj.points > 0"):
        "a bonus of 0 adds nothing to the running total: it can exceed no cap",
    ("pipeline/domain/rules/scores.py", "_descendant_leaves", "remove `seen.add(kid)`",
     "seen.add(kid)"):
        "the tree is checked consistent first: each criterion has one parent, so no kid is "
        "reached twice",
    ("pipeline/domain/rules/scores.py", "check_subtotals", "`or` → `and`",
     "score.criterion not in by_code or"):
        "a leaf or an unknown criterion has no leaves below it: the `not parts` check just "
        "after skips its row anyway",
    ("pipeline/domain/rules/scores.py", "check_subtotals", "remove `continue`",
     "continue  # a leaf, or unknown"):
        "a leaf or an unknown criterion has no leaves below it: the `not parts` check just "
        "after skips its row anyway",
    ("pipeline/domain/rules/proposals.py", "check_merit_quota", "`<=` → `<`", "<= quota"):
        "at exactly the quota merits[quota:] is empty: no problem is yielded either way",
    ("pipeline/domain/rules/money.py", "check_base_salary", "`<=` → `<`",
     "if day <= date.max - DECISION_SLACK"):
        "on the one day where they differ, day = date.max - DECISION_SLACK, both branches give "
        "date.max: day + DECISION_SLACK is date.max",
    ("pipeline/output/names.py", "_cut", "`>` → `>=`", "len(slug) > length and"):
        "folder_slug, its only caller, cuts only a name longer than FOLDER_NAME_MAX to fewer "
        "characters than that: len(slug) never equals length",
    ("pipeline/workbook/*.py", "parse_number_text", "`and` → `or`", '"." in body and'):
        "text holding both marks was refused just before, so '\",\" not in body' is already true",
    **{
        (module, "", "negate `TYPE_CHECKING`", "if TYPE_CHECKING:"):
            "the names imported there serve annotations only (from __future__ import annotations):"
            " importing them at run time changes how long an import takes, nothing else"
        for module in ("pipeline/build.py", "pipeline/checking.py", "pipeline/regenerate.py")
    },
    ("pipeline/checking.py", "review", "`True` → `False`", "strict=True"):
        "zip() of the paths and _checked_all(paths), which gives one result per path",
    ("pipeline/checking.py", "_checked_all", "remove `_RUN_SHARED.pop()`", "_RUN_SHARED.pop()"):
        "each run appends its own SharedFiles and reads only the last one; one left behind is read "
        "by nobody (only a worker started afresh calls _check_job outside a run, and its list "
        "starts empty): it costs memory, nothing else",
    ("pipeline/checking.py", "review", "`and` → `or`", "readable = dossier is not None and"):
        "the two differ only for a dossier or results of None, or the shared file itself: a "
        "dossier is None only with an error, results only with an error (results_if_computable), "
        "and the shared file has neither, so `not has_errors` or the `or` decide it the same way",
    ("pipeline/build.py", "_refuse_shared_names", "`0` → `1`", "file=paths[0].parent"):
        "the templates come from one folder (find_templates of the templates folder), so every "
        "path of a group has the same parent",
    **{
        (module, function, "`and` → `or`", piece):
            "an assertion (for the type checker) of what results_if_computable guarantees: "
            "without errors the workbook loaded and has results, so neither form ever fails"
        for module, function, piece in (
            ("pipeline/build.py", "render_workbook", "assert checked.dossier is not None and"),
            ("pipeline/checking.py", "review", "assert dossier is not None and"),
        )
    },
    # documents, vi/lines, words, dates, workbook/values
    ("pipeline/documents/finishing.py", "post_process", "`and` → `or`",
     '(b"{" in data or b"}" in data) and'):
        "text with a brace but neither {_ nor _} holds none of {_{ }_} {_% %_}: the replaces "
        "change nothing (and {_ or _} alone already holds a brace)",
    ("pipeline/vi/lines.py", "_units", "`-` → `+`", "len(syllables) - i"):
        "sizes beyond the remaining syllables slice to the same syllables, and WORDS holds no "
        "one-syllable word: the same unit is found, or none",
    ("pipeline/vi/lines.py", "_units", "`1` → `2`", "inner[:-1]"):
        "a key with a comma, semicolon or colon inside is never in WORDS (no listed word has "
        "one), so the early skip only saves a look-up",
    ("pipeline/vi/lines.py", "_units", "remove `continue`", "continue  # "):
        "as the early skip: a candidate with an inner comma, semicolon or colon matches no word",
    ("pipeline/vi/words.py", "_read", "`<` → `<=`", "if exponent < 0:"):
        "at exponent 0 there are no decimals, so no trailing zero to drop",
    ("pipeline/vi/words.py", "_read", "`0` → `1`", "if exponent < 0:"):
        "at exponent 0 there are no decimals, so no trailing zero to drop",
    ("pipeline/vi/words.py", "_read", "`1` → `2`", "rjust(-exponent + 1"):
        "one more leading zero in the integer part: int() reads the same number",
    # --- output/staged.py, files.py, summary.py, progress.py ---
    ("pipeline/output/files.py", "kind_of_stat", "`0` → `1`", '"st_file_attributes", 0)'):
        "the default stands in only where a stat result has no attributes (everywhere but "
        "Windows, where the attribute always exists): 1 has no reparse-point bit (0x400) either, "
        "so `attributes & 0x400` is 0 with both",
    ("pipeline/output/progress.py", "Progress.step", "`1` → `2`", "max(self.total, 1)"):
        "the bar is drawn only when the stream is kept, that is for total >= LONG_RUN (2): "
        "max(total, 1) and max(total, 2) are both total",
    ("pipeline/output/progress.py", "Progress.step", "`24` → `25`", "get_terminal_size((80, 24))"):
        "only the columns of the size are read: the fallback's number of lines is never used",
    # --- output/folder.py, journal.py ---
    ("pipeline/output/folder.py", "plan_build", "remove `handled.add(name_key(name))`",
     "handled.add(name_key(name))"):
        "`handled` is read only where the old manifest's records are carried over, and by then "
        "each document's key is in `records` as well: _document sets it on every return but an "
        "error's, and a plan with an error returns before that loop (its records unused)",
    ("pipeline/output/folder.py", "_pdf", "remove `records[key] = record`",
     "records[key] = record"):
        "the PDF reused with --pdf is a file whose record is the manifest's: the loop that carries "
        "the old records over (the key is not in `handled`) puts the same record under the same "
        "key, and the manifest's outputs are written sorted by path, whatever the dict's order",
    # journal.py
    **{
        ("pipeline/output/journal.py", function, mutation, piece):
            "the read limit of a lock the same as ours or not (thidua writes a few hundred "
            "bytes: a user name, a host name, a time, a pid): ours is far under 64 KiB either "
            "way, and a file between 64 and 65 KiB is not ours with both limits, so it stays "
            "(release) or is given back (after the rename, the moved lock is compared with one "
            "read with the 64 KiB limit, which a larger file can never equal)"
        for function, piece in (("Lock.release", "read_regular(self.path, 64 * 1024)"),
                                ("_break_if_stale", "read_regular(aside, 64 * 1024)"))
        for mutation in ("`64` → `65`", "`1024` → `1025`")
    },
    ("pipeline/output/journal.py", "acquire", "`17` → `18`", "exc.errno != 17"):
        "create_new opens with os.open, and Python makes an OSError whose errno is EEXIST (17) "
        "a FileExistsError, caught the line before; open() never fails with EXDEV (18): both "
        "lines raise for every other error",
    ("pipeline/output/journal.py", "_legacy_temporary", "`1` → `2`", 'rsplit(".", 1)[-1]'):
        "only the last part is kept: splitting once or twice from the right gives the same one",
    ("pipeline/output/journal.py", "backward", "`and` → `or`",
     "files.kind(directory) == files.DIRECTORY and not any"):
        "a history folder that is not empty fails the rmdir (ENOTEMPTY, not retried), one "
        "missing or not a folder fails the iterdir: both errors are suppressed, so only the "
        "empty folders are removed with `and` or with `or`",
    # --- output/history.py, ownership.py, interrupts.py, restore.py ---
    ("pipeline/output/interrupts.py", "_handler", "`1` → `2`", '_state["count"] += 1'):
        "the count is only ever tested for zero (interrupted(), check(), deferred()) and set back "
        "to 0 by watching(): counting a Ctrl-C as 2 makes it nonzero on exactly the same presses",
    ("pipeline/output/interrupts.py", "watching", "`1` → `2`", '_state["watching"] = 1'):
        "the flag is only tested for truth (watching(), deferred()) and set back to 0 when the "
        "command ends: 2 is as true as 1",
    # --- output/archive/* ---
    **{
        ("pipeline/output/archive/bag.py", "_file_sha256", mutation, "handle.read(1 << 20)"):
            "the size of the chunks fed to the hash: SHA-256 of a file is the same whatever "
            "pieces it is read in (2 MiB instead of 1 MiB costs memory, nothing else)"
        for mutation in ("`1` → `2`", "`20` → `21`")
    },
    ("pipeline/output/archive/bag.py", "validate", "`1` → `2`", "processes=1"):
        "bagit hashes the same entries in a pool of two processes (_validate_entries maps "
        "_calc_hashes over them; pool.map keeps their order): the same errors, the same reasons",
    ("pipeline/output/archive/bundle.py", "bundle_zip", "`0` → `1`", "made_on.day, 0, 0, 0))"):
        "the seconds of the stamp (the hour's and minute's mutants are killed): a zip keeps even "
        "seconds only (Stamp.dos_time stores second // 2), so 1 is stored as 0",
    **{
        ("pipeline/output/archive/names.py", "name_problems", mutation, "if ord(c) >= 32 else"):
            "the shown characters are those of `bad`: reserved characters (all above 32) and "
            "control characters (below 32); a space (32) is never among them"
        for mutation in ("`>=` → `>`", "`32` → `33`")
    },
    ("pipeline/output/archive/names.py", "name_problems", "`1` → `2`", 'name.split(".", 1)[0]'):
        "only the part before the first dot is kept: splitting once or twice gives the same one",
    ("pipeline/output/archive/package.py", "package_files", "`1` → `2`", 'rsplit("/", 1)[-1]'):
        "only the last part is kept: splitting once or twice from the right gives the same one",
    ("pipeline/output/archive/catalogue.py", "catalogue_json", "`True` → `False`", "strict=True"):
        "zip() of the seven COLUMNS and a row of rows(), which always has seven cells",
    ("pipeline/output/archive/catalogue.py", "_row", "`True` → `False`", "strict=True"):
        "zip() of a row and the seven _WIDTHS: every row _table makes (the titles, their "
        "numbers, each of rows()) has seven cells",
    **{
        ("pipeline/output/archive/catalogue.py", "", "`False` → `True`", f"def {name}("):
            f"a default of {name}() that no call uses: every caller passes bold, italic and size "
            "(_para to _run) or bold and center (_row to _cell)"
        for name in ("_run", "_cell")
    },
    ("pipeline/output/archive/metadata.py", "DocumentInfo.to_json", 'remove `data["recipients"] = '
     'list(self.recipients)`', 'data["recipients"] = list(self.recipients)'):
        "asdict() already copies the tuple of recipients (as a tuple), which json.dumps writes as "
        "the same array: the only caller, IssuedDocument.to_json, goes into Issue.to_json's dump",
    **{
        ("pipeline/output/archive/publish.py", function, "`0` → `1`", piece):
            "the default of a version number that is never None: versions() and "
            "pointed_versions() keep only the names version_number() reads, and version_name() "
            "makes the one published"
        for function, piece in (
            ("pointed_versions", "key=lambda v: version_number(v) or 0"),
            ("versions", "key=lambda v: version_number(v) or 0"),
            ("publish_version", "(version_number(v) or 0 for v in existing)"),
            ("_finish_pointer", "if (version_number(older) or 0) < (version_number(version) or 0)"),
        )
    },
    ("pipeline/output/archive/publish.py", "publish_version", "remove `paths += [f\"{cluster_rel}/"
     "{lock.LOCK_NAME}\", f\"{cluster_rel…`", "paths += [f\"{cluster_rel}/{lock.LOCK_NAME}\""):
        "the lock's and the pointer's paths are checked with the bag's: a bag (bag_files) always "
        "has bagit.txt at its top, whose probe path in the same folders is longer than theirs, "
        "and their own names are fixed and safe, with folds unlike the probe folder's",
    ("pipeline/output/archive/publish.py", "_copy", "remove `temp.mkdir()`", "temp.mkdir()"):
        "the first file's parent.mkdir(parents=True) makes the folder as well (a bag always has "
        "files), and its name is new: a random suffix, leftovers removed just before, locked",
    ("pipeline/output/archive/issued.py", "issues", "`0` → `1`", "version_number(p.name) or 0"):
        "the sort key of a name that is no version, which the loop skips at once: the versions "
        "keep their order whatever key the skipped names get",
    ("pipeline/output/archive/issued.py", "plan", "remove `continue`", "continue"):
        "after a signed copy without its document the copy may also be put in the plan, but the "
        "plan is never returned: the problem just appended makes plan() raise below",
    ("pipeline/output/archive/issued.py", "write_issue", "remove `top.mkdir(parents=True, "
     "exist_ok=True)`", "top.mkdir(parents=True, exist_ok=True)"):
        "the first file written makes ban-hanh/ as well (path.parent.mkdir(parents=True) of a "
        "file in ban-hanh/.dang-ghi-…/); before it, remove_leftovers() and issues() take a "
        "missing ban-hanh/ as an empty one",
    ("pipeline/output/archive/issued.py", "write_issue", "`True` → `False`",
     "top.mkdir(parents=True, exist_ok=True)"):
        "parents=False (exist_ok's mutant is killed): ban-hanh/ is made in the output folder, "
        "which exists, as the drafts just read from it show",
    ("pipeline/output/archive/verify.py", "_check_cluster", "`0` → `1`",
     "(version_number(version) or 0) > (version_number(current) or 0)"):
        "the default of a version number that is never None: the version comes from versions() "
        "and the current one from current_version(), which keep only names version_number() reads",
}

#: Survivors that some input can tell from the original, left with the reason no test is written:
#: reported apart from the unexplained ones. Keyed as :data:`EQUIVALENT`.
ACCEPTED: dict[tuple[str, str, str, str], str] = {
    # vi/numbers.py (fast path, memo)
    ("pipeline/vi/numbers.py", "", "`4096` → `4097`", "_DIGITS_KEPT = 4096"):
        "the memo's size is a policy (memory against repeated numbers): a test would only copy "
        "it; test_mutants_numbers checks the memo stays within whatever _DIGITS_KEPT is",
    ("pipeline/vi/text.py", "_weigh", "`0` → `1`", "primary, variant = (_SYMBOL, rank), 0"):
        "third-level weights meet only in strings equal at the first two levels, where marks and "
        "symbols stand at the same places unless a symbol with a second-level variant (’ ” …) "
        "meets a combining mark; ICU's order there is not in the reference (its primaries differ)",
    ("pipeline/vi/text.py", "_weigh", "`0` → `1`", "(variant,) + (0,) * len(marks)"):
        "as the symbol's third-level weight: the marks' own third-level weights can only be "
        "compared across a symbol with a second-level variant meeting a combining mark",
    ("pipeline/vi/lines.py", "text_width", "`1024` → `1025`", "table.get(base, 1024)"):
        "the width guessed for a character outside the tables (half an em) is this code's "
        "guess, not a metric of the font: a test would copy it",
    ("pipeline/vi/lines.py", "_cut", "`<=` → `<`", ".join(units), size, bold) <= limit"):
        "a text exactly as wide as the column to the last bit of a float: only a width computed "
        "backwards from the text meets it, never a template's column (cm with one decimal); "
        "none of 4 000 random texts (2-17 cm, 10-15 pt) did",
    ("pipeline/vi/lines.py", "_cut.fits", "`<=` → `<`", "width[a, b] <= limit"):
        "a line exactly as wide as the column to the last bit of a float, as in _cut's test",
    ("pipeline/vi/lines.py", "break_lines", "`100` → `101`", "_positive(width_cm, 100)"):
        "1 m, the widest column accepted, is this code's guard against a typo in a template, "
        "not a rule of the layout: a test of 100,5 cm would only copy it",
    ("pipeline/vi/lines.py", "break_lines", "`200` → `201`", "_positive(size, 200)"):
        "200 pt, the largest size accepted, is the same guard as the widest column",
    ("pipeline/output/names.py", "folder_slug", "`10000` → `10001`", "max_length=10_000"):
        "a cluster name of more than 10 000 folded characters (an Excel cell holds 32 767): "
        "only a name no workbook has tells them apart; the bound only keeps ascii_slug from "
        "cutting the name before it is hashed",
    ("pipeline/domain/rules/scores.py", "check_criteria_maxima", "`<` → `<=`", "max_points < 0"):
        "a maximum of 0: B7's message calls only a negative maximum wrong, its hint asks for a "
        "positive one; which the rule means for 0 is a decision to take, not to guess in a test",
    ("pipeline/domain/rules/scores.py", "check_criteria_maxima", "`0` → `1`", "max_points < 0"):
        "a maximum of 0, as the `<` → `<=` mutant of the same line",
    ("pipeline/domain/rules/scores.py", "check_score_range", "`<` → `<=`", "if maximum < 0:"):
        "B9 skips the criteria B7 reports: the same open question for a maximum of 0",
    ("pipeline/domain/rules/scores.py", "check_score_range", "`0` → `1`", "if maximum < 0:"):
        "B9 skips the criteria B7 reports: the same open question for a maximum of 0",
    ("pipeline/domain/rules/money.py", "", "`183` → `184`", "DECISION_SLACK = timedelta"):
        "F31's window (about six months after the decision date) is this code's policy, not a "
        "rule of the reference: a test of its last day would only copy the constant",
    ("pipeline/domain/rules/money.py", "check_base_salary", "`<=` → `<`", "<= horizon"):
        "the last day of F31's six-month window: the same policy as DECISION_SLACK",
    ("pipeline/checking.py", "load_and_validate", "`and` → `or`", "if p.is_error and p.location"):
        "the mutant also keeps out a rule's problem at a cell where the reader only warned, or on "
        "a sheet the reader refused as a whole; the reader warns at a merged area, a hidden "
        "row's A cell, an unknown key or column, and refuses whole sheets only when nothing of "
        "them is read, places no rule reports at: no workbook where they meet was found",
    ("pipeline/checking.py", "check_templates", "`or` → `and`", "sample.dossier is None or"):
        "the bundled sample always loads with its results: a dossier without results comes only "
        "from an installation whose sample has errors, where the mutant goes on and fails in "
        "build_context instead of skipping the trial; no test can make it without breaking the "
        "installed package",
    # --- output/staged.py, files.py, summary.py, progress.py ---
    ("pipeline/output/staged.py", "commit_folders", "remove `staged.clear()`", "staged.clear()"):
        "without it the `finally` removes again every staging folder just removed: the same "
        "unless a folder resisted five removals (another program writing into it) and gives way "
        "a moment later, where the mutant leaves less behind; a test would assert a leftover "
        "that nobody relies on (the next run's repair removes it)",
    ("pipeline/output/staged.py", "_write_journals", "remove `staged.clear()`", "staged.clear()"):
        "as commit_folders' `staged.clear()`: only a second try at removing the staging folders",
    ("pipeline/output/staged.py", "commit_folders", "`True` → `False`", "finished = True"):
        "after a commit the folders it made hold its files, so the rmdir of the `finally` fails "
        "on them with the flag or without; only a commit that writes nothing into a folder it "
        "had to make leaves an empty folder the mutant removes, which no command does (a new "
        "folder always gets its documents): a test would decide whether that folder should stay",
    ("pipeline/output/files.py", "read_regular", "`1` → `2`", "os.read(fd, 1 << 20)"):
        "the size of each read (1 MiB): a whole file reads the same in any steps; only the size "
        "reported for a file that grew past the limit while it was read (how much was read when "
        "the limit was crossed) moves with it, a number no contract fixes: a test would copy it",
    ("pipeline/output/files.py", "read_regular", "`20` → `21`", "os.read(fd, 1 << 20)"):
        "the size of each read, as the `1` → `2` mutant of the same line",
    ("pipeline/output/progress.py", "Progress.step", "`10` → `11`", "columns - 1, 10)"):
        "the narrowest live line (10 characters, on a terminal of 11 columns or fewer) is this "
        "code's guard against a nonsense width, not something a user relies on: a test would "
        "copy the constant",
    ("pipeline/output/staged.py", "_probe", "`3` → `4`", "for _attempt in range(3)"):
        "how many times a lasting EIO is probed again (3, 5 ms apart) before it is taken for Word "
        "holding the file is this code's margin over smbnetfs's 1 ms negative cache "
        "(docs/testing-smb.md): an EIO lasting exactly between 15 and 20 ms would tell them "
        "apart, and its expected outcome would copy the count",
    # --- output/folder.py, journal.py ---
    # journal.py
    **{
        ("pipeline/output/journal.py", "", mutation, "_MAX_JOURNAL_BYTES = 4 * 1024 * 1024"):
            "the largest journal read (4 MiB, where a commit writes a few kB) is a guard against "
            "a planted huge file that no reference gives: a test of a 4,5 MiB journal would "
            "copy it"
        for mutation in ("`4` → `5`", "`1024` → `1025`")
    },
    **{
        ("pipeline/output/journal.py", function, mutation, "read_regular(path, 64 * 1024)"):
            "the largest lock read to name its holder and judge its age (64 KiB, where thidua "
            "writes a few hundred bytes) is a guard against a planted file: a test of a lock "
            "padded to 64,5 KiB would copy it"
        for function in ("acquire", "_break_if_stale")
        for mutation in ("`64` → `65`", "`1024` → `1025`")
    },
    **{
        ("pipeline/output/journal.py", function, mutation, piece):
            "layout of a small JSON file for a person who opens it (Vietnamese letters as "
            "they are, the indentation): Holder.from_json and Journal.from_json read both the "
            "same; no reference sets it, a test would copy it (only a journal within a few "
            "bytes of the 4 MiB guard could tell)"
        for function, mutation, piece in (
            ("Holder.to_json", "`False` → `True`", "ensure_ascii=False, indent=2"),
            ("Holder.to_json", "`2` → `3`", "ensure_ascii=False, indent=2"),
            ("Journal.to_json", "`False` → `True`", "ensure_ascii=False, indent=1"),
            ("Journal.to_json", "`1` → `2`", "ensure_ascii=False, indent=1"),
        )
    },
    **{
        ("pipeline/output/journal.py", "_windows_process_alive", mutation, piece):
            "Windows only (OpenProcess, GetExitCodeProcess through ctypes): this machine cannot "
            "run it; the Linux runs test _process_alive's POSIX branch"
        for mutation, piece in (
            ("`4096` → `4097`", "OpenProcess(0x1000, False, pid)"),
            ("`False` → `True`", "OpenProcess(0x1000, False, pid)"),
            ("`not x` → `x`", "if not handle:"),
            ("`False` → `True`", "return False"),
            ("`not x` → `x`", "if not kernel32.GetExitCodeProcess("),
            ("`==` → `!=`", "code.value == 259"),
            ("`259` → `260`", "code.value == 259"),
            ("remove `kernel32.CloseHandle(handle)`", "kernel32.CloseHandle(handle)"),
        )
    },
    **{
        ("pipeline/output/journal.py", function, f"remove `files.fsync_directory({name})`",
         f"fsync_directory({name})"):
            "the flush of a folder's entries to disk: only a power cut right after the renames "
            "tells (the journal or a rename lost), which no test on this machine can make"
        for function, name in (("write_journal", "staging"), ("forward", "history"),
                               ("forward", "folder"), ("backward", "folder"))
    },
    ("pipeline/output/journal.py", "new_staging", "`20` → `21`", "for _attempt in range(20)"):
        "how many random staging names are tried before giving up (20 of 2³² names, for a "
        "folder holding a few at most): a margin, as acquire's three tries; "
        "test_when_every_staging_name_is_taken_the_commit_is_told states the giving up",
    ("pipeline/output/journal.py", "acquire", "`3` → `4`", "for _attempt in range(3)"):
        "how many times the lock is tried when each try loses a race (the lock broken or "
        "released, and taken again before our create): a margin, not a rule; "
        "test_a_lock_that_comes_back_after_every_break_is_reported_busy states the giving up, a "
        "test of the exact count would copy it",
    ("pipeline/output/journal.py", "_break_if_stale",
     "remove `raise ThiduaError(_busy(path, Holder.from_json(moved.data o…`",
     "raise ThiduaError(_busy(path, Holder.from_json(moved.data"):
        "after giving back a lock taken meanwhile, the next try looks at it again: a held one "
        "gives the same busy error (naming the same holder), only a lock that is itself "
        "already stale is then broken and taken where the original says busy; which is right "
        "for a lock taken and left stale within one rename is a decision, not a fact",
    ("pipeline/output/journal.py", "backward", "`and` → `or`",
     "files.kind(kept) != files.MISSING and files.kind(target)"):
        "differs only for a file in place that is not the new one while the old one is in the "
        "history (someone edited or replaced the new file by hand in the middle of the commit): "
        "the original keeps that file and calls the folder restored, the mutant stops with an "
        "error naming it; which the undo should do is a decision to take, not to guess",
    ("pipeline/output/journal.py", "repair", "remove `continue`", "continue"):
        "after removing a leftover that is no staging folder, its journal is read from a path "
        "that is gone (or inside a file): none, so it is removed again; only a folder under a "
        "broken lock's name holding a journal that resists five removals (something writing "
        "into it meanwhile) would then be obeyed",
    # --- output/history.py, ownership.py, interrupts.py, restore.py ---
    ("pipeline/output/history.py", "", "`16` → `17`", "_MAX_RECORD_BYTES = 16 * 1024 * 1024"):
        "the largest lan-lap.json read (16 MiB, where thidua writes a few kB) is a guard against a "
        "planted huge file that no reference gives: a test of a 16,5 MiB record would copy it",
    ("pipeline/output/history.py", "", "`1024` → `1025`", "_MAX_RECORD_BYTES = 16 * 1024 * 1024"):
        "either 1024 of the same guard, as `16` → `17`",
    ("pipeline/output/interrupts.py", "", "`0` → `1`", '"count": 0,'):
        "the count a process starts with: watching() sets it to 0 as each command begins, so only "
        "a check() made before the process's first command sees the 1; "
        "test_a_library_call_made_before_any_command_is_not_stopped states it and kills the "
        "mutant when run first (--alone, file order), but the fast runner runs the fastest tests "
        "first and any of them that begins a command resets the count",
    # manifest.py, names.py, pdf.py, parallel.py, regenerate.py
    ("pipeline/output/manifest.py", "", "`8` → `9`", "MAX_MANIFEST_BYTES = 8 * 1024 * 1024"):
        "the largest manifest.json read (8 MiB, where a folder of a few hundred documents has "
        "some 100 kB) is a guard against a planted huge file that no reference gives: a test of "
        "an 8,5 MiB manifest would copy it",
    ("pipeline/output/manifest.py", "", "`1024` → `1025`", "MAX_MANIFEST_BYTES = 8 * 1024 * 1024"):
        "either 1024 of the same guard, as `8` → `9`",
    ("pipeline/parallel.py", "", "`12` → `13`", "MIN_ITEMS = 12"):
        "where a pool starts to pay (measured: about a second of work) is a tuning choice, not a "
        "contract: the same results either way, and a test of 12 items would copy the constant "
        "(test_parallel.py states both sides of MIN_ITEMS, whatever its value)",
    ("pipeline/parallel.py", "", "`4` → `5`", "CHUNK = 4"):
        "how many items go to a worker at a time: the same results in the same order, only the "
        "round trips and the work done ahead move; a test would copy the constant (the ahead "
        "bound of test_parallel.py is computed from CHUNK and AHEAD)",
    ("pipeline/parallel.py", "", "`2` → `3`", "AHEAD = 2"):
        "how many chunks a worker is given ahead: the same results in the same order, as CHUNK",
    # --- output/archive/* ---
    ("pipeline/output/archive/package.py", "_json", "`2` → `3`", "indent=2"):
        "the indentation of the metadata JSON (two spaces, as the issue records beside it): "
        "layout for a person reading it, which programs read the same; no reference sets it, "
        "a test would copy the constant",
    ("pipeline/output/archive/verify.py", "_check_version", "`5` → `6`", "reasons[:5]"):
        "how many of bagit's reasons the message shows (the first five, the rest are the same "
        "kind): a choice of presentation that a test would copy; only a bag whose second "
        "manifest is wrong in six files, while its SHA-256 manifests are right, reaches it",
    ("pipeline/output/archive/publish.py", "publish_version", "`5` → `6`", "damage[:5]"):
        "how many of bagit's reasons the copy-damaged message shows, as in verify's bag-invalid",
    ("pipeline/output/archive/publish.py", "_copy", "`2` → `3`", "index == len(files) // 2"):
        "where in the copy the 'copying' pause point sits (after half the files or a third): "
        "both are mid-copy, which is what a kill test there needs (tested: some files copied, "
        "not all); pinning the exact file would copy the constant",
    ("pipeline/output/archive/issued.py", "plan", "remove `raise ThiduaError(problems)`",
     "raise ThiduaError(problems)"):
        "without the first raise a damaged issued set is still refused by the last one, with the "
        "same problems; only a damaged set together with a signed copy of an unknown document "
        "tells them apart (the mutant names the copy too): whether plan() stops at the damage or "
        "collects every problem (STYLE.md habit 3) is a decision to take, not to guess in a test",
    ("pipeline/output/archive/issued.py", "Issue.to_json", "`2` → `3`", "indent=2"):
        "the indentation of ban-hanh.json, as that of the metadata JSON (package._json)",
    **{
        ("pipeline/output/archive/issued.py", function, "`0` → `1`",
         "version_number(i.version) or 0"):
            "the number of an issue whose record names no version (ban-hanh writes its folder's "
            "name, vNNN, there): only a record a person edited so tells them apart, and which "
            "version should follow it is not defined anywhere"
        for function in ("plan", "issued_note")
    },
    **{
        ("pipeline/output/archive/issued.py", "remove_tree", mutation, "os.chmod("):
            "Windows refuses to delete a read-only file; Linux and macOS do not (deleting needs "
            "the folder's write permission, not the file's), so on the Linux test machine the "
            "frozen files go either way"
        for mutation in ("remove `os.chmod(path, stat.S_IWRITE | stat.S_IREAD)`",
                         "remove `os.chmod(os.path.join(folder, name), stat.S_IWRITE | stat.S…`")
    },
    ("pipeline/output/archive/catalogue.py", "catalogue_json", "`2` → `3`", "indent=2"):
        "the indentation of the Mục lục's JSON, as that of the metadata JSON (package._json)",
    **{
        ("pipeline/output/archive/catalogue.py", "catalogue_docx", "`240` → `241`", piece):
            "12 pt of space between the hồ sơ's lines and the table, and before the closing line: "
            "NĐ 30 Phụ lục I asks only for at least 6 pt between paragraphs, which 12 pt and "
            "12,05 pt both give; a test of the exact space would copy the constant"
        for piece in ("after=240", "before=240")
    },
}

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
    rank: int = -1  # among its function's mutants of the same kind, in the whole file (_ranked)

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
        _clear_caches()
        return True
    if mutant.top is not None:
        _rebind(module, mutated, mutant.top[0], filename)
        _clear_caches()
        return True
    return False


def _clear_caches() -> None:
    """Forget what the package's memoised functions (``functools.cache``/``lru_cache``) remember
    from the unmutated run, so that a mutant under one of them is not hidden by it."""
    for name, module in list(sys.modules.items()):
        if name == "pipeline" or name.startswith("pipeline."):
            for value in list(vars(module).values()):
                clear = getattr(value, "cache_clear", None)
                if callable(clear) and getattr(value, "__module__", None) == name:
                    clear()


def _rebind(module: types.ModuleType, mutated: bytes, top: int, filename: str) -> None:
    """Re-execute the mutated top-level statement (at byte ``top``) and every later top-level
    assignment computed from what it binds, then point each ``from module import NAME`` of the
    loaded modules at the new values."""
    names = _top_names(mutated, (top, top))
    starts = _line_starts(mutated)
    old = {name: module.__dict__.get(name) for name in names}
    for statement in ast.parse(mutated).body:
        if not isinstance(statement, ast.Assign | ast.AnnAssign):
            continue
        start = starts[statement.lineno - 1] + statement.col_offset
        bound = {n.id for n in ast.walk(statement) if isinstance(n, ast.Name)
                 and isinstance(n.ctx, ast.Store)}  # fmt: skip
        # The mutated statement itself always: it may bind no name (`log.propagate = False`).
        if start == top or (start > top and bound & names):
            end = starts[(statement.end_lineno or statement.lineno) - 1]
            end += statement.end_col_offset or 0
            exec(compile(mutated[start:end], filename, "exec"), module.__dict__)
    for name, value in old.items():
        new = module.__dict__.get(name)
        if value is None or new is value:
            continue
        for other in list(sys.modules.values()):
            namespace = getattr(other, "__dict__", None)
            if isinstance(namespace, dict) and namespace.get(name) is value:
                namespace[name] = new


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
    """Run the collected items ``chosen`` (indices, in that order); the index of the first
    failing item + 1, else 0."""
    items = session.items
    for position, index in enumerate(chosen):
        following = items[chosen[position + 1]] if position + 1 < len(chosen) else None
        _CURRENT[0] = index
        started = time.monotonic()
        items[index].config.hook.pytest_runtest_protocol(item=items[index], nextitem=following)
        if timings is not None:
            timings[index] = time.monotonic() - started
        if session.testsfailed or session.shouldfail or session.shouldstop:
            return index + 1
    return 0


_CURRENT = [-1]  # the index of the test running now (-1: none), for the probes


def _line_starts(source: bytes) -> list[int]:
    starts = [0]
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


class _Probe(ast.NodeTransformer):
    """Puts ``__thidua_hit__(offset)`` before every statement inside a function (``offset``: the
    statement's first byte in the file), and notes each probed statement's byte span."""

    def __init__(self, source: bytes) -> None:
        self.starts = _line_starts(source)
        self.depth = 0
        self.spans: list[tuple[int, int]] = []

    def _offset(self, line: int, col: int) -> int:
        return self.starts[line - 1] + col

    def visit_FunctionDef(self, node: Any) -> Any:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1
        return node

    visit_AsyncFunctionDef = visit_FunctionDef

    def generic_visit(self, node: ast.AST) -> ast.AST:
        super().generic_visit(node)
        if self.depth:
            for name in ("body", "orelse", "finalbody"):
                body = getattr(node, name, None)
                if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
                    setattr(node, name, self._probed(body))
        return node

    def _probed(self, body: list[ast.stmt]) -> list[ast.stmt]:
        probed: list[ast.stmt] = []
        for statement in body:
            if not _is_docstring(statement):
                start = self._offset(statement.lineno, statement.col_offset)
                end = self._offset(statement.end_lineno or statement.lineno,
                                   statement.end_col_offset or 0)  # fmt: skip
                self.spans.append((start, end))
                call = ast.Call(ast.Name("__thidua_hit__", ast.Load()), [ast.Constant(start)], [])
                probe = ast.Expr(call)
                probed.append(ast.fix_missing_locations(ast.copy_location(probe, statement)))
            probed.append(statement)
        return probed


def _statement_spans(path: str) -> list[tuple[int, int]]:
    """The byte spans of the statements :class:`_Probe` probes in ``path``."""
    source = (ROOT / path).read_bytes()
    probe = _Probe(source)
    probe.visit(ast.parse(source))
    return probe.spans


class _ProbedSource(importlib.abc.MetaPathFinder):
    """Imports the mutated files from probed source (see :class:`_Probe`), so that every
    statement notes the test running it, or -1 while the tests are collected (import time).
    Far cheaper than ``sys.settrace``, which slows every call of every test; ``coverage`` is not
    a dependency."""

    def __init__(self, paths: Sequence[str]) -> None:
        self.files = {_module_name(p): p for p in paths}

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        relative = self.files.get(name)
        if relative is None:
            return None
        filename = str(ROOT / relative)
        table = _HITS.setdefault(relative, {})

        def hit(offset: int) -> None:
            if _PROBING[0]:
                table.setdefault(offset, set()).add(_CURRENT[0])

        class Loader(importlib.machinery.SourceFileLoader):
            def get_code(self, fullname: str) -> types.CodeType:  # never cached bytecode
                source = Path(filename).read_bytes()
                tree = _Probe(source).visit(ast.parse(source))
                return compile(tree, filename, "exec", dont_inherit=True)

            def exec_module(self, module: types.ModuleType) -> None:
                module.__dict__["__thidua_hit__"] = hit
                super().exec_module(module)

        is_package = filename.endswith("__init__.py")
        return importlib.util.spec_from_file_location(
            name,
            filename,
            loader=Loader(name, filename),
            submodule_search_locations=[str(Path(filename).parent)] if is_package else None,
        )


_HITS: dict[str, dict[int, set[int]]] = {}  # path → statement offset → tests (-1: import)
_PROBING = [True]  # False in a mutant's process: its runs say nothing about coverage


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


class _Tokens:
    """A job server shared by every process of a run (as GNU make's): a non-blocking pipe
    holding one byte per process allowed to run tests at once."""

    def __init__(self, count: int) -> None:
        self.read, self.write = os.pipe()
        os.set_blocking(self.read, False)
        os.write(self.write, b"t" * count)

    def take(self) -> bool:
        try:
            return bool(os.read(self.read, 1))
        except BlockingIOError:
            return False

    def wait(self) -> None:
        while not self.take():
            time.sleep(0.005)

    def give(self) -> None:
        os.write(self.write, b"t")


_TOKENS: list[_Tokens] = []  # set by main() before any fork


def _top_names(source: bytes, top: tuple[int, int]) -> set[str]:
    """The names a top-level statement binds, and the top-level names computed from them."""
    tree = ast.parse(source)
    starts = _line_starts(source)
    names: set[str] = set()
    statements = [s for s in tree.body if isinstance(s, ast.Assign | ast.AnnAssign)]
    for statement in statements:
        if starts[statement.lineno - 1] + statement.col_offset == top[0]:
            names |= {n.id for n in ast.walk(statement) if isinstance(n, ast.Name)
                      and isinstance(n.ctx, ast.Store)}  # fmt: skip
    grew = True
    while grew:
        grew = False
        for statement in statements:
            used = {n.id for n in ast.walk(statement) if isinstance(n, ast.Name)}
            bound = {n.id for n in ast.walk(statement) if isinstance(n, ast.Name)
                     and isinstance(n.ctx, ast.Store)}  # fmt: skip
            if used & names and not bound <= names:
                names |= bound
                grew = True
    return names


def _functions_using(source: bytes, names: set[str]) -> list[tuple[int, int]]:
    """Byte spans of the functions (not nested) whose body reads one of ``names``."""
    starts = _line_starts(source)
    spans = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(
            isinstance(n, ast.Name) and n.id in names for n in ast.walk(node)
        ):
            end = starts[(node.end_lineno or node.lineno) - 1] + (node.end_col_offset or 0)
            spans.append((starts[node.lineno - 1] + node.col_offset, end))
    return spans


class _Plugin:
    """Replaces pytest's run loop: a probed unmutated run, then one forked run per mutant of only
    the tests that reach the mutated statement, fastest first, stopping at the first failure;
    mutants run in parallel as far as the job server allows."""

    def __init__(self, mutants: list[Mutant], results: Path, basetemp: Path) -> None:
        self.mutants = mutants
        self.results = results
        self.basetemp = basetemp
        self.out: Any = None
        self.hits: dict[str, dict[int, list[int]]] = {}
        self.timings: list[float] = []
        self.spans: dict[str, list[tuple[int, int]]] = {}
        self.killers: list[int] = []  # tests that killed recent mutants, latest first

    def _write(self, record: dict[str, Any]) -> None:
        self.out.write(json.dumps(record) + "\n")
        self.out.flush()

    def _baseline(self, session: Any) -> bool:
        paths = sorted({m.path for m in self.mutants})
        report = self.basetemp.parent / f"baseline-{os.getpid()}.json"
        _TOKENS[0].wait()
        pid = os.fork()
        if pid == 0:
            code = 3
            try:
                timings = [0.0] * len(session.items)
                code = _run_collected(session, range(len(session.items)), timings)
                found = {p: {o: sorted(s) for o, s in t.items()} for p, t in _HITS.items()}
                report.write_text(json.dumps({"hits": found, "timings": timings}), "utf-8")
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        status, _ = _wait(pid, None)
        _TOKENS[0].give()
        if status != 0 or not report.exists():
            return False
        data = json.loads(report.read_text("utf-8"))
        self.hits = {p: {int(o): s for o, s in t.items()} for p, t in data["hits"].items()}
        self.timings = data["timings"]
        self.spans = {p: _statement_spans(p) for p in paths}
        for path in paths:
            reached = sum(bool(self.hits.get(path, {}).get(s)) for s, _ in self.spans[path])
            print(f"{path}: {reached} of {len(self.spans[path])} statements reached", flush=True)
        return True

    def _reaching(self, path: str, spans: Sequence[tuple[int, int]]) -> set[int]:
        table = self.hits.get(path, {})
        chosen: set[int] = set()
        for start, end in spans:
            for offset in (s for s, _ in self.spans.get(path, ()) if start <= s < end):
                chosen.update(table.get(offset, ()))
        return chosen - {-1}

    def _tests_of(self, mutant: Mutant) -> tuple[list[int], list[int]]:
        """(the tests to run, fastest first; for a module constant those of the functions that
        read it, then every other; the latest killers are put first when it runs; and the
        further tests to run if it survives those: none yet)."""
        everything = range(len(self.timings))
        if mutant.outer:  # the tests that start the innermost statement holding the mutant
            start = self._holding(mutant)
            if start is not None:
                chosen = set(self.hits.get(mutant.path, {}).get(start, ())) - {-1}
            else:  # a decorator or default of a nested function: any test of the file
                chosen = self._reaching(mutant.path, [(0, 1 << 62)])
            further: set[int] = set()
        else:  # a module constant: the tests of the functions that read it, then all others
            source = (ROOT / mutant.path).read_bytes()
            names = _top_names(source, mutant.top) if mutant.top else set()
            chosen = self._reaching(mutant.path, _functions_using(source, names))
            further = set(everything) - chosen
        return self._order(chosen) + self._order(further - chosen), []

    def _holding(self, mutant: Mutant) -> int | None:
        """The offset of the innermost probed statement holding the mutant."""
        holding = [s for s, e in self.spans.get(mutant.path, ())
                   if s <= mutant.start and mutant.end <= e]  # fmt: skip
        return max(holding) if holding else None

    def _at_import(self, mutant: Mutant) -> bool:
        start = self._holding(mutant)
        return start is None or -1 in self.hits.get(mutant.path, {}).get(start, ())

    def _file_order(self, mutant: Mutant, session: Any) -> list[str]:
        """For a session of its own: the tests that run any statement of the mutant's file,
        fastest first (it runs them first, then the others)."""
        chosen = self._order(self._reaching(mutant.path, [(0, 1 << 62)]))
        return [session.items[i].nodeid for i in chosen]

    def _order(self, chosen: set[int]) -> list[int]:
        return sorted(chosen, key=lambda i: (self.timings[i], i))

    def _killers_first(self, chosen: list[int]) -> list[int]:
        among = set(chosen)
        first = [k for k in self.killers if k in among]
        return first + [i for i in chosen if i not in first]

    def _fork(self, session: Any, mutant: Mutant, chosen: list[int], folder: Path) -> int:
        folder.mkdir(parents=True, exist_ok=True)
        pid = os.fork()
        if pid == 0:
            code = 3
            try:
                _PROBING[0] = False
                factory = getattr(session.config, "_tmp_path_factory", None)
                if factory is not None:
                    factory._basetemp = folder  # each child its own temporary folders
                if not _swap_in(mutant):
                    code = _UNPATCHABLE
                else:
                    failed = _run_collected(session, chosen)
                    if failed:
                        (folder / "killer").write_text(str(failed - 1), "utf-8")
                    code = 1 if failed else 0
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        return pid

    def pytest_sessionstart(self, session: Any) -> None:
        # Ahead of pytest's assertion rewriter, which imports the files named as arguments.
        sys.meta_path.insert(0, _ProbedSource(sorted({m.path for m in self.mutants})))

    def pytest_runtestloop(self, session: Any) -> bool:
        with open(self.results, "a", encoding="utf-8") as self.out:
            started = time.monotonic()
            passed = self._baseline(session)
            self._write({"baseline": "survived" if passed else "killed",
                         "seconds": time.monotonic() - started})  # fmt: skip
            if not passed:  # the unmutated tests must pass
                return True
            self._mutants(session)
        return True

    def _mutants(self, session: Any) -> None:
        pending: list[tuple[int, list[int], list[int]]] = []
        for index, mutant in enumerate(self.mutants):
            chosen, further = self._tests_of(mutant)
            if not chosen and not further:
                # No test runs the statement: the mutant survives, unless the statement runs
                # while the modules are imported (a session of its own then imports the
                # mutated source and runs every test).
                at_import = mutant.outer and self._at_import(mutant)
                record = {"index": index, "outcome": "survived", "seconds": 0.0, "tests": 0}
                if at_import:
                    record |= {"outcome": "uncovered", "order": self._file_order(mutant, session)}
                self._write(record)
            else:
                pending.append((index, chosen, further) if chosen else (index, further, []))
        running: dict[int, tuple[int, list[int], list[int], float, float, Path]] = {}
        held = 0
        slow: set[int] = set()  # timed out once: run again with a longer limit
        try:
            while pending or running:
                for pid, (index, chosen, further, begun, limit, folder) in list(running.items()):
                    done, status = os.waitpid(pid, os.WNOHANG)
                    elapsed = time.monotonic() - begun
                    if not done and elapsed <= limit:
                        continue
                    if not done:
                        os.kill(pid, signal.SIGKILL)
                        os.waitpid(pid, 0)
                    del running[pid]
                    _TOKENS[0].give()
                    held -= 1
                    code = os.waitstatus_to_exitcode(status) if done else None
                    outcome = {None: "timeout", 0: "survived", _UNPATCHABLE: "unpatchable"}.get(
                        code, "killed"
                    )
                    killer = folder / "killer"
                    if killer.exists():
                        test = int(killer.read_text("utf-8"))
                        self.killers = [test, *[k for k in self.killers if k != test]][:8]
                    shutil.rmtree(folder, ignore_errors=True)
                    if outcome == "survived" and further:  # the guess was not enough
                        pending.insert(0, (index, further, []))
                        continue
                    if outcome == "timeout" and index not in slow:
                        # Other work on the machine can slow the tests past the limit measured
                        # on a quieter machine: a hang must time out twice, the second time at
                        # four times the limit.
                        slow.add(index)
                        pending.insert(0, (index, chosen, further))
                        continue
                    record = {"index": index, "outcome": outcome, "seconds": elapsed,
                              "tests": len(chosen)}  # fmt: skip
                    if outcome == "unpatchable":
                        record["order"] = self._file_order(self.mutants[index], session)
                    self._write(record)
                if pending and _TOKENS[0].take():
                    held += 1
                    index, chosen, further = pending.pop(0)
                    chosen = self._killers_first(chosen)
                    limit = 3 * sum(self.timings[i] for i in chosen) + 5
                    limit *= 4 if index in slow else 1
                    folder = self.basetemp / f"m{index}"
                    pid = self._fork(session, self.mutants[index], chosen, folder)
                    running[pid] = (index, chosen, further, time.monotonic(), limit, folder)
                else:
                    time.sleep(0.003)
        finally:
            for pid in running:
                _kill_group_member(pid)
            for _ in range(held):
                _TOKENS[0].give()


def _kill_group_member(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _pytest_args(target: Target, paths: Sequence[str], basetemp: Path) -> list[str]:
    tests = [str(ROOT / t) if (ROOT / t).exists() else t for t in target.tests]
    return ["-x", "-q", "-p", "no:cacheprovider", "--hypothesis-seed=0",
            f"--basetemp={basetemp}", *tests, *(str(ROOT / p) for p in paths)]  # fmt: skip


def _session(target: Target, mutants: list[Mutant], alone: bool, work: Path, log: Path,
             results: Path, order: Sequence[str] = ()) -> None:  # fmt: skip
    """The body of a session process (a fork of the main one, which never imports pipeline)."""
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.chdir(work)  # pytest and hypothesis leave their caches here, not in the working tree
    sys.path.insert(0, str(ROOT))
    sys.dont_write_bytecode = True
    import pytest

    basetemp = work / f"tmp-{os.getpid()}"
    paths = list(dict.fromkeys(m.path for m in mutants))
    args = _pytest_args(target, paths, basetemp)
    if alone:  # one mutant imported from its mutated source, one plain pytest run
        finder = _MutatedSource(mutants[0])
        rank = {nodeid: i for i, nodeid in enumerate(order)}

        class First:
            """Ahead of pytest's assertion rewriter, which imports the files named as arguments."""

            def pytest_sessionstart(self, session: Any) -> None:
                sys.meta_path.insert(0, finder)

            def pytest_collection_modifyitems(self, items: list[Any]) -> None:
                items.sort(key=lambda item: rank.get(item.nodeid, len(rank)))  # likeliest first

        started = time.monotonic()
        code = int(pytest.main(args, plugins=[First()]))
        outcome = "survived" if code == 0 else "killed"
        with open(results, "a", encoding="utf-8") as out:
            seconds = time.monotonic() - started
            record = {"index": 0, "outcome": outcome, "seconds": seconds, "tests": -1}  # all
            out.write(json.dumps(record) + "\n")
        return
    pytest.main(args, plugins=[_Plugin(mutants, results, basetemp)])


@dataclass
class _Job:
    target: Target
    mutants: list[Mutant]
    alone: bool = False  # a session of its own for one mutant that cannot be swapped in
    limit: float | None = None
    order: tuple[str, ...] = ()  # node ids to run first in a session of its own


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
                # One session more than the job server's tokens, so that one collects its
                # tests while the others run mutants; a session of one mutant runs a whole
                # pytest and so takes a token itself.
                while queue and len(running) <= self.jobs:
                    if queue[0].alone and not _TOKENS[0].take():
                        break
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
                    if session.job.alone:
                        _TOKENS[0].give()
                    queue += self._read(session, total)
                    queue += self._finish(session, timed_out and not done, total)
        finally:
            for pid, session in running.items():
                _kill_group(pid)
                if session.job.alone:
                    _TOKENS[0].give()

    def _start(self, job: _Job) -> _Running:
        self.counter += 1
        log = self.work / f"session{self.counter}.log"
        results = self.work / f"session{self.counter}.jsonl"
        pid = os.fork()
        if pid == 0:
            try:
                os.setpgid(0, 0)  # the session and its children: one group to end together
                _session(job.target, job.mutants, job.alone, self.work, log, results, job.order)
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
                order = tuple(record.get("order", ()))
                again.append(_Job(job.target, [mutant], alone=True, limit=limit, order=order))
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


def equivalent_reason(mutant: Mutant, table: dict[tuple[str, str, str, str], str] = EQUIVALENT
                      ) -> str | None:  # fmt: skip
    """The reason ``mutant`` is listed in ``table`` (:data:`EQUIVALENT` or :data:`ACCEPTED`)."""
    lines = (ROOT / mutant.path).read_text("utf-8").splitlines()
    source = lines[mutant.line - 1] if mutant.line <= len(lines) else ""
    for (glob, function, description, piece), reason in table.items():
        if (
            fnmatch.fnmatch(mutant.path, glob)
            and function == mutant.function
            and description == mutant.description
            and piece in source
        ):
            return reason
    return None


def _report(outcomes: list[_Outcome], minutes: float | None) -> int:
    """Print the table (one row per file, then the total) and every survivor; 1 while a survivor
    is neither a known equivalent nor an accepted one."""
    outcomes.sort(key=lambda o: (o.mutant.path, o.mutant.start, o.mutant.description))
    kinds: dict[int, tuple[str, str]] = {}  # id(outcome) → ("equivalent" | "accepted" | "", why)
    for o in outcomes:
        if o.outcome == "survived":
            same = equivalent_reason(o.mutant)
            left = None if same else equivalent_reason(o.mutant, ACCEPTED)
            kind = "equivalent" if same else "accepted" if left else ""
            kinds[id(o)] = (kind, same or left or "")
    by_file: dict[str, list[_Outcome]] = {}
    for o in outcomes:
        by_file.setdefault(o.mutant.path, []).append(o)
    header = (f"{'file':42} {'mutants':>7} {'killed':>7} {'equiv.':>6} {'accepted':>8} "
              f"{'survived':>8} {'score':>7}")  # fmt: skip
    rule = "-" * len(header)
    print(f"\n{header}\n{rule}")

    def row(name: str, items: list[_Outcome]) -> tuple[int, int, int, int]:
        killed = sum(o.outcome != "survived" for o in items)
        equivalent = sum(kinds.get(id(o), ("",))[0] == "equivalent" for o in items)
        accepted = sum(kinds.get(id(o), ("",))[0] == "accepted" for o in items)
        survived = len(items) - killed - equivalent - accepted
        scored = len(items) - equivalent
        score = f"{100 * killed / scored:6.1f}%" if scored else "      -"
        print(f"{name:42} {len(items):7} {killed:7} {equivalent:6} {accepted:8} {survived:8} "
              f"{score}")  # fmt: skip
        return killed, equivalent, accepted, survived

    for path, items in by_file.items():
        row(path, items)
    print(rule)
    killed, equivalent, accepted, unexplained = row("total", outcomes)
    total = len(outcomes)
    took = "" if minutes is None else f" in {minutes:.1f} min"
    rate = 100 * killed / total if total else 100.0
    print(f"\n{total} mutants{took}: {killed} killed ({rate:.1f} %), {equivalent} equivalent, "
          f"{accepted} accepted survivors, {unexplained} survived without explanation "
          "(score: killed / (mutants - equivalent))")  # fmt: skip
    survivors = [o for o in outcomes if o.outcome == "survived"]
    if survivors:
        print("\nsurvivors:")
        for o in survivors:
            mutant, (kind, reason) = o.mutant, kinds[id(o)]
            if kind:
                note = f"\n      {kind}: {reason}"
            else:
                note = "\n      no test runs this statement" if o.tests == 0 else ""
            print(f"  {mutant.where():40} {mutant.description}  [{mutant.function}]{note}")
    return 1 if unexplained else 0


def _changed_lines(ref: str) -> dict[str, set[int]]:
    """The lines of each file that differ between the merge base of ``ref`` and ``HEAD`` and the
    working tree (what a branch and its uncommitted edits changed)."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(ROOT), *args], check=True, capture_output=True,
                              text=True, encoding="utf-8").stdout  # fmt: skip

    base = git("merge-base", ref, "HEAD").strip()
    changed: dict[str, set[int]] = {}
    path = ""
    diff = git("diff", "-U0", "--no-color", "--no-renames", base, "--", "pipeline")
    for line in diff.splitlines():
        if line.startswith("+++ "):
            path = line[6:] if line.startswith("+++ b/") else ""
        elif line.startswith("@@") and path:
            new = line.split()[2]  # +start[,count]
            start, _, count = new[1:].partition(",")
            first, length = int(start), int(count or 1)
            changed.setdefault(path, set()).update(range(first, first + max(length, 1)))
    return changed


def _spot(m: Mutant) -> tuple[str, int, str, str]:
    """Where a mutant is and what it does: (path, byte offset, function, mutation)."""
    return m.path, m.start, m.function, m.description


def _ranked(mutants: list[Mutant]) -> list[Mutant]:
    """All the mutants of a file, each with its rank (:func:`_nth_keys`), which the --json file
    keeps, so that the survivors of a run of survivors can be rerun in turn."""
    keys = _nth_keys([_spot(m) for m in mutants])
    return [replace(m, rank=key[3]) for m, key in zip(mutants, keys, strict=True)]


def _nth_keys(mutants: Sequence[tuple[str, int, str, str]]) -> list[tuple[str, str, str, int]]:
    """A key of each mutant (path, byte offset, function, mutation) that an edit elsewhere in the
    file leaves alone: (path, function, mutation, how many such mutants precede it in the
    function), so that ``--survivors-of`` finds a run's survivors after the source changed."""
    order = sorted(range(len(mutants)), key=lambda i: mutants[i][:2])
    seen: dict[tuple[str, str, str], int] = {}
    keys: list[tuple[str, str, str, int]] = [("", "", "", 0)] * len(mutants)
    for i in order:
        path, _, function, description = mutants[i]
        n = seen[path, function, description] = seen.get((path, function, description), -1) + 1
        keys[i] = (path, function, description, n)
    return keys


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("patterns", nargs="*", help="only files whose path contains one of these")
    parser.add_argument(
        "-m",
        "--module",
        action="append",
        default=[],
        metavar="NAME",
        help="only this module (pipeline.vi.text, vi.text or vi/text.py); repeatable",
    )
    parser.add_argument(
        "--changed",
        nargs="?",
        const="main",
        metavar="REF",
        help="only mutants on lines changed since the merge base of REF (default main) and "
        "HEAD, uncommitted edits included",
    )
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
        "--timeouts-of",
        type=Path,
        help="run only the mutants that timed out in an earlier --json file (to tell a hang "
        "from a machine slowed by other work)",
    )
    parser.add_argument(
        "--alone",
        action="store_true",
        help="give every mutant a session of its own that imports the mutated source and runs "
        "all the target's tests (slow; checks the fast code swap)",
    )
    parser.add_argument("--work", type=Path, help="keep the sessions' logs in this folder")
    options = parser.parse_args(argv)

    if options.report:
        rows = json.loads(options.report.read_text("utf-8"))
        fields = {f for f in Mutant.__dataclass_fields__}
        outcomes = [
            _Outcome(
                Mutant(**{k: v for k, v in row.items() if k in fields}
                       | {"replacement": row["replacement"].encode("utf-8"),
                          "top": tuple(row["top"]) if row["top"] else None}),
                row["outcome"], row["seconds"], row.get("tests", -1),
            )
            for row in rows
        ]  # fmt: skip
        return _report(outcomes, None)
    modules = (m.removesuffix(".py").replace(".", "/") + ".py" for m in options.module)
    patterns = [*options.patterns, *modules]
    chosen = [(t, mutants_of(p, t.functions)) for t, p in _chosen(patterns)]
    chosen = [(t, _ranked(ms)) for t, ms in chosen]
    if options.changed:
        lines = _changed_lines(options.changed)
        chosen = [(t, [m for m in ms if m.line in lines.get(m.path, ())]) for t, ms in chosen]
        chosen = [(t, ms) for t, ms in chosen if ms]
    for earlier, outcome in ((options.survivors_of, "survived"), (options.timeouts_of, "timeout")):
        if earlier:
            rows = json.loads(earlier.read_text("utf-8"))
            if all("rank" in r for r in rows):
                old = [(r["path"], r["function"], r["description"], r["rank"]) for r in rows]
            else:  # a file of an older mutate.py: the rank among its own rows (a full run's)
                old = _nth_keys([(r["path"], r["start"], r["function"], r["description"])
                                 for r in rows])  # fmt: skip
            again = {old[i] for i, r in enumerate(rows) if r["outcome"] == outcome}
            chosen = [(t, [m for m in ms if (m.path, m.function, m.description, m.rank) in again])
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
    print(f"{total} mutants in {len(chosen)} files, {options.jobs} test processes at a time")
    started = time.monotonic()
    by_target: dict[Target, list[Mutant]] = {}
    for target, mutants in chosen:
        by_target.setdefault(target, []).extend(mutants)
    queue = []
    if options.alone:
        queue = [_Job(t, [m], alone=True) for t, ms in by_target.items() for m in ms]
        by_target = {}
    queue += [_Job(target, mutants) for target, mutants in by_target.items() if mutants]
    _TOKENS.append(_Tokens(max(1, options.jobs)))
    with contextlib.ExitStack() as stack:
        if options.work:  # kept, with the logs of every session
            work = options.work.resolve()
            work.mkdir(parents=True, exist_ok=True)
        else:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="thidua-mutate-")))
        scheduler = _Scheduler(max(1, options.jobs), work)
        scheduler.run(queue, total)
    if options.json:
        rows = [{**asdict(o.mutant), "replacement": o.mutant.replacement.decode("utf-8"),
                 "outcome": o.outcome, "seconds": round(o.seconds, 2), "tests": o.tests}
                for o in scheduler.outcomes]  # fmt: skip
        options.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), "utf-8")
    return _report(scheduler.outcomes, (time.monotonic() - started) / 60)


if __name__ == "__main__":
    sys.exit(main())
