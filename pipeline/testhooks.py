"""Pause points: where a test may hold a running ``thidua`` to kill or interrupt it for certain.

A test that must stop a process *inside* a named phase (a commit between two renames, a publish
between copying and validating) cannot rely on timing. It starts the command in a subprocess with

- ``THIDUA_TEST_PAUSE=<point>``: the name of one pause point;
- ``THIDUA_TEST_PAUSE_FILE=<file>``: written (with the point's name) when the point is reached;
- ``THIDUA_TEST_PAUSE_SECONDS=<s>``: how long to wait there (60 by default),

waits for the file, then kills the process or sends it SIGINT. Without ``THIDUA_TEST_PAUSE`` a
pause point costs one dictionary lookup and does nothing.

The points, by the module that defines them:

- :mod:`pipeline.build`: ``build-rendered`` (a workbook read, validated and rendered in memory,
  its folder not yet written);
- :mod:`pipeline.output.staged`: ``commit-locked`` (the folder's lock taken, leftovers of an
  interrupted commit repaired), ``commit-staged`` (every new file written into the staging
  folder, no journal yet), ``commit-journal`` (the journal written, nothing renamed),
  ``commit-renamed-<n>`` (after the n-th rename of the folder's commit), ``commit-done`` (every
  rename done, the journal not yet removed);
- :mod:`pipeline.output.archive.publish`: ``locked``, ``copying``, ``copied``, ``validated``,
  ``renamed``, ``pointer-written``, ``pointed``.

A base module: it imports nothing of the package, so every stage may use it.
"""

from __future__ import annotations

import os
import time


def pause_point(name: str) -> None:
    """Wait here when ``THIDUA_TEST_PAUSE`` names ``name`` (see the module docstring)."""
    if os.environ.get("THIDUA_TEST_PAUSE") != name:
        return
    marker = os.environ.get("THIDUA_TEST_PAUSE_FILE")
    if marker:
        with open(marker, "w", encoding="utf-8") as handle:
            handle.write(name)
    time.sleep(float(os.environ.get("THIDUA_TEST_PAUSE_SECONDS", "60")))
