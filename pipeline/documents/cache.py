"""The compile cache: what compiling a template gave, kept between runs in the user's cache.

Compiling a template (:meth:`pipeline.documents.engine.CompiledTemplate.compile`) reads every
part with lxml, runs docxtpl's ``patch_xml`` (and so imports docxtpl and python-docx), checks
every tag and name, proves which parts need no strict parse, and compiles the parts with Jinja:
about 0,1 s for each bundled template, the same every run while the template does not change.
This module keeps the result: for each templated part its Python code (:mod:`marshal`), its
patched source (for error locations) and flags, the template's warnings and variables, and the
order of the zip members. Loading it is a few milliseconds.

An entry's key is the SHA-256 of the template's bytes, its name, the compile options and
:func:`fingerprint`: thidua's version and the source of the modules that decide what compiling
gives (``pipeline/__init__``, ``documents``, ``vi``, ``errors``, ``opc``), Python's version and
the installed files of Jinja, MarkupSafe, docxtpl and lxml. Any change there is a different
key, so a stale entry is never read, only left to be pruned (:data:`KEPT` entries at most,
the oldest removed).

The cache is an accelerator and never a source of failure: an entry that cannot be read, is
truncated, corrupted (each file carries the SHA-256 of its content) or of another format is a
miss, and a folder that cannot be created or written is ignored; the template is then compiled
as if there were no cache. Only templates without errors are stored. Entries are written to a
temporary file and renamed into place, so parallel runs never read half an entry.

Where: ``THIDUA_CACHE_DIR`` if set; else ``%LOCALAPPDATA%\\thidua\\Cache`` on Windows,
``~/Library/Caches/thidua`` on macOS, ``$XDG_CACHE_HOME/thidua`` or ``~/.cache/thidua``
elsewhere. ``THIDUA_NO_CACHE=1`` turns it off. The entries hold Python code that thidua runs:
the folder is the user's own, as trusted as their installed packages.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from pipeline.caches import cache_folder

#: The layout of an entry; a different one is a miss.
FORMAT = 1
#: The most entries kept (each is about 100–300 KB); the oldest are removed beyond.
KEPT = 64
_SUFFIX = ".thidua-template"
_DIGEST = 32  # bytes of SHA-256 at the start of each entry


def cache_dir() -> Path | None:
    """The folder entries live in, or ``None`` when the cache is off (see the module)."""
    return cache_folder("templates")


@functools.cache
def fingerprint() -> bytes:
    """What, besides a template, decides what compiling it gives (see the module).

    The libraries are known by the files of their package folders (name, size, modification
    time), found without importing them; thidua by its version and sources (``__init__.py``
    holds the version), read as files (docxtpl imports python-docx: 0,1 s) and without
    :mod:`importlib.metadata` (it imports :mod:`email`): an upgrade changes them.
    """
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(f"{FORMAT}\0{sys.version}\0".encode())
    for name in ("jinja2", "markupsafe", "docxtpl", "lxml"):
        digest.update(f"\0{name}\0".encode())
        for file_name, size, mtime in _package_files(name):
            digest.update(f"{file_name}\0{size}\0{mtime}\0".encode())
    sources = [*(package / "documents").glob("*.py"), *(package / "vi").glob("*.py")]
    sources += [package / "__init__.py", package / "errors.py", package / "opc.py"]
    for path in sorted(sources):
        digest.update(b"\0" + path.name.encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:  # a frozen or zipped install: the version stands for the source
            digest.update(b"?")
    return digest.digest()


def _package_files(name: str) -> list[tuple[str, int, int]]:
    """(name, size, mtime in ns) of the files of the top-level package ``name``'s folder."""
    module = sys.modules.get(name)
    try:
        spec = module.__spec__ if module is not None else importlib.util.find_spec(name)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.origin:
        return []
    folder = Path(spec.origin).parent
    found = []
    try:
        for entry in os.scandir(folder):
            if entry.is_file():
                stat = entry.stat()
                found.append((entry.name, stat.st_size, stat.st_mtime_ns))
    except OSError:
        return []
    return sorted(found)


def entry_key(data: bytes, name: str, options: str) -> str:
    """The key of the entry for the template ``data`` named ``name`` compiled with
    ``options`` (a text naming every option that changes the result)."""
    digest = hashlib.sha256(fingerprint())
    digest.update(hashlib.sha256(data).digest())
    digest.update(f"\0{name}\0{options}".encode())
    return digest.hexdigest()


def load(key: str) -> Any | None:
    """The value stored under ``key``, or ``None`` (no cache, no entry, or an entry that is
    unreadable, truncated, corrupted or of another format)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        raw = (folder / (key + _SUFFIX)).read_bytes()
    except (OSError, ValueError):
        return None
    digest, payload = raw[:_DIGEST], raw[_DIGEST:]
    if len(digest) != _DIGEST or hashlib.sha256(payload).digest() != digest:
        return None
    try:
        stored_format, stored_key, value = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None
    if stored_format != FORMAT or stored_key != key:
        return None
    return value


def store(key: str, value: Any) -> None:
    """Keep ``value`` (made of what :mod:`marshal` writes: code, str, tuples, …) under ``key``;
    silently nothing if the cache is off or cannot be written."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        payload = marshal.dumps((FORMAT, key, value))
    except ValueError:
        return
    temporary = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".part-", dir=folder)
        with os.fdopen(handle, "wb") as out:
            out.write(hashlib.sha256(payload).digest() + payload)
        os.replace(temporary, folder / (key + _SUFFIX))
        temporary = None
        _prune(folder)
    except OSError:
        pass
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _prune(folder: Path) -> None:
    """Remove the oldest entries beyond :data:`KEPT` (and temporary files over a day old)."""
    entries = []
    for path in folder.iterdir():
        try:
            stat = path.stat()
        except OSError:
            continue
        if path.name.endswith(_SUFFIX):
            entries.append((stat.st_mtime, path))
        elif path.name.startswith(".part-") and stat.st_mtime < _now() - 86400:
            path.unlink(missing_ok=True)
    entries.sort(reverse=True)
    for _, path in entries[KEPT:]:
        path.unlink(missing_ok=True)


def _now() -> float:
    import time

    return time.time()
