"""The ``thidua`` console entry point.

It answers ``thidua --help`` and ``thidua --version`` without importing Click, whose import alone
costs about three times a bare Python start-up (measured: ``python -c pass`` 11 ms,
``python -c "import click"`` 41 ms).
The top-level help text is kept in :mod:`pipeline._help`; a test checks that it equals what Click
prints, so it cannot drift. Everything else goes to the Click commands in :mod:`pipeline.cli`.
"""

from __future__ import annotations

import contextlib
import sys


def utf8_console() -> None:
    """Make stdout/stderr UTF-8 (Windows consoles default to a legacy code page)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(encoding="utf-8", errors="replace")


def main() -> None:
    """Run ``thidua`` with the process's arguments."""
    utf8_console()
    if sys.argv[1:] in (["--help"], ["-h"]):
        from pipeline._help import TOP_LEVEL_HELP

        sys.stdout.write(TOP_LEVEL_HELP)
        return
    if sys.argv[1:] == ["--version"]:  # what Click prints, in Vietnamese (tests/test_cli.py)
        from pipeline import __version__

        sys.stdout.write(f"thidua, phiên bản {__version__}\n")
        return
    from pipeline.cli import cli

    cli(prog_name="thidua")
