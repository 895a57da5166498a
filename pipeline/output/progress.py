"""What a long build shows while it runs: a live line on a terminal, plain lines elsewhere.

I/O: writes to the stream it is given (the command line gives standard error, so that standard
output keeps only the build's report). A run over several workbooks takes a while (about a
second a workbook, more with PDFs), and the secretary should see it move:

- on a **terminal** (``stream.isatty()``), one line is rewritten in place (``\\r``) with a bar,
  the count and the workbook at hand, and erased before anything else is printed
  (:meth:`Progress.wrap`), so it never mixes with the report;
- **elsewhere** (a log file, a pipe, a scheduled task, a CI job) nothing is rewritten: each step
  is one plain line, which a log keeps readably.

A run over a single workbook shows nothing: it is short, and its report says all.

>>> import io
>>> log = io.StringIO()
>>> progress = Progress(log, total=2)
>>> progress.step(1, "cum-a.xlsx", "lập văn bản")
>>> progress.step(2, "cum-b.xlsx", "lập văn bản")
>>> print(log.getvalue(), end="")
[1/2] cum-a.xlsx: lập văn bản
[2/2] cum-b.xlsx: lập văn bản
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from typing import TextIO

__all__ = ["Progress"]

Echo = Callable[[str], object]

#: Width of the bar drawn on a terminal, in characters.
BAR_WIDTH = 20
#: Fewer workbooks than this make a short run: no progress is shown.
LONG_RUN = 2


class Progress:
    """The progress of one build over ``total`` workbooks, shown on ``stream``.

    ``stream`` ``None`` shows nothing (the Python API's default). ``live`` forces the terminal
    behaviour on or off; by default it is ``stream.isatty()``.
    """

    def __init__(self, stream: TextIO | None, total: int, *, live: bool | None = None) -> None:
        self.stream = stream if total >= LONG_RUN else None
        self.total = total
        self.live = bool(live if live is not None else _isatty(stream))
        self._shown = 0  # characters of the live line now on screen

    def step(self, done: int, name: str, doing: str) -> None:
        """Workbook ``done`` of ``total`` (counted from 1), named ``name``, is at ``doing``."""
        if self.stream is None:
            return
        text = f"[{done}/{self.total}] {name}: {doing}"
        if not self.live:
            self.stream.write(text + "\n")
            self.stream.flush()
            return
        finished = max(done - 1, 0)  # the workbooks before this one
        filled = BAR_WIDTH * finished // max(self.total, 1)
        line = f"{'█' * filled}{'░' * (BAR_WIDTH - filled)} {text}"
        width = max(shutil.get_terminal_size((80, 24)).columns - 1, 10)
        line = line[:width]
        self.stream.write("\r" + line + " " * max(self._shown - len(line), 0))
        self.stream.flush()
        self._shown = len(line)

    def clear(self) -> None:
        """Erase the live line (nothing to do in plain mode)."""
        if self.stream is not None and self.live and self._shown:
            self.stream.write("\r" + " " * self._shown + "\r")
            self.stream.flush()
            self._shown = 0

    def wrap(self, echo: Echo) -> Echo:
        """``echo``, erasing the live line first, so the report is never written over it."""

        def say(text: str) -> object:
            self.clear()
            return echo(text)

        return say

    def close(self) -> None:
        """The run is over: erase the live line."""
        self.clear()


def _isatty(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):  # a closed or odd stream
        return False
