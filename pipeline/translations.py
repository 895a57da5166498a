"""Click in Vietnamese: its help, usage errors and prompts.

Click marks its own strings for gettext: each of its modules does ``from gettext import gettext
as _`` (and ``ngettext``) and calls ``_("Usage:")`` at run time. The standard ``gettext.gettext``
picks the language from ``LANGUAGE``/``LC_ALL``/``LANG``, which a Windows console never sets, and
which must not decide the language of a tool whose users all read Vietnamese. So
:func:`install_click_vietnamese` rebinds those two names, in every Click module loaded, to the
catalogue ``pipeline/locale/vi/LC_MESSAGES/click.mo`` (compiled from the ``.po`` beside it by
``scripts/make_catalogue.py``): from then on Click speaks Vietnamese whatever the environment.

What the catalogue cannot reach, because Click does not mark it, the command line sets itself
(:mod:`pipeline.cli`): the ``[OPTIONS]`` and ``COMMAND [ARGS]...`` of the usage line, the
metavars, the ``[y/N]`` of a confirmation. ``tests/test_i18n.py`` runs every command's help and
the usage errors and fails on any English string of Click.

Modules Click imports only on demand and thidua never uses (``click._termui_impl``: progress
bars, the pager, the editor) keep English; ``click.shell_completion`` is loaded and translated.
"""

from __future__ import annotations

import gettext
import sys
from pathlib import Path

#: The folder of the catalogues: ``<lang>/LC_MESSAGES/<domain>.mo``, as gettext lays them out.
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
#: The catalogue of Click's strings.
CLICK_CATALOGUE = LOCALE_DIR / "vi" / "LC_MESSAGES" / "click.mo"


def click_translations() -> gettext.GNUTranslations:
    """The Vietnamese catalogue of Click's strings."""
    with CLICK_CATALOGUE.open("rb") as handle:
        return gettext.GNUTranslations(handle)


def install_click_vietnamese() -> None:
    """Make every loaded Click module translate through :func:`click_translations`.

    Idempotent: a module already rebound is left as it is.
    """
    import click.shell_completion  # noqa: F401  (Click loads it on demand: translate it too)

    translations = click_translations()
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "click" or name.startswith("click.")):
            continue
        if getattr(module, "_", None) is gettext.gettext:
            module._ = translations.gettext  # type: ignore[attr-defined]
        if getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = translations.ngettext  # type: ignore[attr-defined]
