"""Where thidua keeps what it may throw away: the user's cache folder.

The compiled templates (:mod:`pipeline.documents.cache`) and the kept LibreOffice profiles
(:mod:`pipeline.output.pdf`) live in one folder of the user's: ``THIDUA_CACHE_DIR`` if set; else
``%LOCALAPPDATA%\\thidua\\Cache`` on Windows, ``~/Library/Caches/thidua`` on macOS,
``$XDG_CACHE_HOME/thidua`` or ``~/.cache/thidua`` elsewhere. ``THIDUA_NO_CACHE=1`` turns every
cache off. A base module: it reads only the environment, and every stage may use it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def cache_folder(kind: str) -> Path | None:
    """The cache folder for ``kind`` (``templates``, ``libreoffice``), or ``None`` when caches
    are off or there is nowhere to keep them (Windows without ``%LOCALAPPDATA%``)."""
    if os.environ.get("THIDUA_NO_CACHE", "").strip() not in ("", "0"):
        return None
    chosen = os.environ.get("THIDUA_CACHE_DIR", "").strip()
    if chosen:
        return Path(chosen) / kind
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA", "").strip()
        root = Path(base) / "thidua" / "Cache" if base else None
    elif sys.platform == "darwin":
        root = Path.home() / "Library" / "Caches" / "thidua"
    else:
        xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
        root = (Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache") / "thidua"
    return None if root is None else root / kind
