"""Ctrl-C: it always stops a run, and never in the middle of a commit's renames.

Python turns SIGINT into ``KeyboardInterrupt`` wherever the main thread happens to be. Two
places make that unreliable:

- inside a destructor (``ZipFile.__del__`` is a common one while documents are built), the
  exception is *swallowed* ("Exception ignored in …") and the run goes on, to exit 0;
- between two renames of a commit, it would leave the folder mixed until the next run repairs
  it from the journal.

So while a command runs (:func:`watching`) every SIGINT is also *counted*. The count survives a
swallowed exception: :func:`check` (called by the build between its phases, and before anything
is written) raises it again, and the command line exits 1 even if nothing else noticed. Inside
:func:`deferred` (a commit's renames, a rollback) SIGINT is only counted; the interrupt is raised
when the block ends, after the folder is whole again. The swallowed interrupt's "Exception
ignored" report is silenced (it is not lost: it is counted). The count ends with the command:
a library call after it (``build()`` from Python, in the same process) starts afresh.

SIGINT exists on Windows too (Ctrl-C in a console), with the same handler.

I/O: installs a signal handler (main thread only; elsewhere this does nothing).
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

_state = {
    "count": 0,  # Ctrl-C presses since watching() began
    "deferring": 0,  # deferred() blocks now running
    "watching": 0,  # 1 while watching() runs
}


def _handler(signum: int, frame: FrameType | None) -> None:
    _state["count"] += 1
    if not _state["deferring"]:
        raise KeyboardInterrupt


def _quiet_unraisable(previous: Any) -> Any:
    def hook(unraisable: Any) -> None:
        if isinstance(unraisable.exc_value, KeyboardInterrupt):
            return  # counted by the handler; check() raises it again
        previous(unraisable)

    return hook


@contextlib.contextmanager
def watching() -> Iterator[None]:
    """Count every SIGINT while the block runs (see the module docstring)."""
    if threading.current_thread() is not threading.main_thread() or _state["watching"]:
        yield
        return
    _state["count"] = 0
    previous = signal.signal(signal.SIGINT, _handler)
    previous_hook = sys.unraisablehook
    sys.unraisablehook = _quiet_unraisable(previous_hook)
    _state["watching"] = 1
    try:
        yield
    finally:
        _state["watching"] = _state["count"] = 0  # the count ends with the command
        signal.signal(signal.SIGINT, previous)
        sys.unraisablehook = previous_hook


def interrupted() -> bool:
    """Whether Ctrl-C was pressed since :func:`watching` began."""
    return _state["count"] > 0


def check() -> None:
    """Raise ``KeyboardInterrupt`` if Ctrl-C was pressed, even if that interrupt was swallowed
    somewhere (a destructor)."""
    if _state["count"]:
        raise KeyboardInterrupt


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Hold Ctrl-C back while the block runs; raise it when the block has ended normally."""
    _state["deferring"] += 1
    try:
        yield
    finally:
        _state["deferring"] -= 1
    if not _state["deferring"] and _state["count"] and _state["watching"]:
        raise KeyboardInterrupt
