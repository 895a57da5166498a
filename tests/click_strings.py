"""The strings Click shows its users, found in the installed Click's source.

Used by ``tests/test_i18n.py`` (the catalogue covers them; none reaches the user in English) and
by ``scripts/make_catalogue.py`` (which lists what the catalogue lacks).
"""

from __future__ import annotations

import re
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE_PO = ROOT / "pipeline" / "locale" / "vi" / "LC_MESSAGES" / "click.po"

#: Strings Click translates without a literal at the call: ``_(extra["required"])`` (8.2+).
DYNAMIC = frozenset({"required"})
#: Strings Click shows but does not mark for translation; pipeline/cli.py replaces them.
UNMARKED = frozenset({"[OPTIONS]", "COMMAND [ARGS]...", "[y/N]", "[Y/n]", "[y/n]"})


def click_msgids() -> set[str | tuple[str, str]]:
    """Every ``_("…")`` and ``ngettext("…", "…", n)`` of the installed Click, extracted by
    babel as ``pybabel extract`` would (a plural as its ``(singular, plural)`` pair)."""
    from babel.messages.extract import extract_from_dir

    found: set[str | tuple[str, str]] = set(DYNAMIC)
    for _, _, message, _, _ in extract_from_dir(
        Path(click.__file__).parent,
        method_map=[("**.py", "python")],
        keywords={"_": None, "ngettext": (1, 2)},
    ):
        found.add(message if isinstance(message, str) else (message[0], message[1]))
    return found


def english_fragments(msgid: str) -> list[str]:
    """The literal English parts of a msgid, without its placeholders (``{name!r}``,
    ``%(prog)s``), each of at least four letters: what would show if it went untranslated.

    >>> english_fragments("{name} {filename!r} is a directory.")
    ['is a directory.']
    >>> english_fragments("Usage:")
    ['Usage:']
    >>> english_fragments("d")
    []
    """
    parts = re.split(r"\{[^{}]*\}|%\([^)]*\)[sd]", msgid)
    kept = []
    for part in parts:
        text = part.strip(" \n\t()'\"[];,")
        if sum(c.isalpha() for c in text) >= 4:
            kept.append(text)
    return kept
