"""BagIt bags (RFC 8493): written by us, validated with the Library of Congress ``bagit`` library.

A bag is a folder: ``bagit.txt``, ``bag-info.txt``, ``manifest-sha256.txt`` (one line
"CHECKSUM PATH" per payload file), the payload under ``data/``, optional tag files
(``metadata/…`` here) and ``tagmanifest-sha256.txt`` over every tag file. It is *valid* when
every listed file is there with its checksum and every payload file is listed.

:func:`bag_files` computes every file of a bag in memory (pure), so a bag is written by plain
file copies, locally or straight into a temporary folder on a share. ``bagit.make_bag`` is never
used: it converts a folder in place by moving everything into a temporary folder and renaming it
``data`` (a rename that fails on Windows shares under antivirus, bagit-python#191).
:func:`validate` runs ``bagit.Bag(path).validate()`` in full (every checksum recomputed; the
``fast`` Payload-Oxum check would pass a same-size corruption), which only reads.

Files that Explorer, Finder and Word leave on shares (:func:`is_litter`) make ``bagit`` fail on
the Payload-Oxum count; :func:`validate` with ``ignore_litter`` leaves them out of the payload so
that they are reported as a warning by the caller, never as damage.
"""

from __future__ import annotations

import fnmatch
import hashlib
import logging
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

BAGIT_TXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
MANIFEST = "manifest-sha256.txt"
TAG_MANIFEST = "tagmanifest-sha256.txt"
BAG_INFO = "bag-info.txt"

#: What Explorer (thumbnail caches, folder settings), Finder (.DS_Store, AppleDouble ``._``
#: files), Word (``~$`` owner files) and LibreOffice (``.~lock.…#``) leave in shared folders.
LITTER_PATTERNS = (
    "thumbs.db",
    "ehthumbs.db",
    "desktop.ini",
    ".ds_store",
    "._*",
    "~$*",
    ".~lock.*#",
)

# bagit logs every problem at WARNING in English; without a handler Python would print them on
# stderr. We report in Vietnamese from the exception's details instead.
logging.getLogger("bagit").addHandler(logging.NullHandler())
logging.getLogger("bagit").propagate = False


def is_litter(name: str) -> bool:
    """True for the file names that desktop programs leave on shares.

    >>> [is_litter(n) for n in ("Thumbs.db", "._bao-cao.docx", "~$bao-cao.docx", "bao-cao.docx")]
    [True, True, True, False]
    """
    lowered = name.lower()
    return any(fnmatch.fnmatchcase(lowered, pattern) for pattern in LITTER_PATTERNS)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def encode_path(path: str) -> str:
    """A manifest path: ``/`` separated, with ``%``, CR and LF percent-encoded (RFC 8493 §2.1.3).

    >>> encode_path("data/a%b\\nc")
    'data/a%25b%0Ac'
    """
    return path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def decode_path(path: str) -> str:
    """The inverse of :func:`encode_path`."""
    return path.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")


def manifest_text(files: Sequence[tuple[str, bytes]]) -> bytes:
    """``CHECKSUM  PATH`` lines, sorted by path, for ``files`` (path, bytes)."""
    lines = [f"{sha256(data)}  {encode_path(path)}\n" for path, data in sorted(files)]
    return "".join(lines).encode("utf-8")


def bag_info_text(info: Mapping[str, str]) -> bytes:
    """``Label: value`` lines; values are kept on one line (newlines become spaces)."""
    lines = [f"{label}: {' '.join(str(value).split())}\n" for label, value in info.items()]
    return "".join(lines).encode("utf-8")


def bag_files(
    payload: Sequence[tuple[str, bytes]],
    tags: Sequence[tuple[str, bytes]],
    info: Mapping[str, str],
) -> list[tuple[str, bytes]]:
    """Every file of a bag, paths relative to its top folder, tag files first, payload last.

    ``payload`` paths are relative to ``data/``; ``tags`` are extra tag files (``metadata/…``);
    ``info`` the labels of ``bag-info.txt``, to which ``Payload-Oxum`` is added.

    >>> files = dict(bag_files([("a.txt", b"hi")], [], {"Bagging-Date": "2014-01-10"}))
    >>> sorted(files)
    ['bag-info.txt', 'bagit.txt', 'data/a.txt', 'manifest-sha256.txt', 'tagmanifest-sha256.txt']
    >>> files["bag-info.txt"].decode()
    'Bagging-Date: 2014-01-10\\nPayload-Oxum: 2.1\\n'
    """
    data = [(f"data/{path}", content) for path, content in payload]
    octets = sum(len(content) for _, content in data)
    full_info = {**info, "Payload-Oxum": f"{octets}.{len(data)}"}
    tag_files = [
        ("bagit.txt", BAGIT_TXT),
        (BAG_INFO, bag_info_text(full_info)),
        (MANIFEST, manifest_text(data)),
        *tags,
    ]
    return [*tag_files, (TAG_MANIFEST, manifest_text(tag_files)), *data]


@dataclass(frozen=True, slots=True)
class Damage:
    """What is wrong with one file of a bag: ``missing``, ``changed``, ``extra`` or ``litter``."""

    kind: str
    path: str


def read_manifest(path: Path) -> dict[str, str]:
    """``{relative path: sha256}`` of a manifest file; raises ``OSError``/``ValueError``."""
    entries: dict[str, str] = {}
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        checksum, _, name = line.partition(" ")
        entries[decode_path(name.strip())] = checksum.strip().lower()
    return entries


def walk_files(top: Path) -> Iterator[str]:
    """Every file under ``top``, relative, ``/`` separated, in sorted order."""
    for folder, dirs, files in os.walk(top):
        dirs.sort()
        base = Path(folder).relative_to(top)
        for name in sorted(files):
            yield (base / name).as_posix()


def check_bag(top: Path) -> list[Damage]:
    """Re-hash every file of the bag at ``top`` against both manifests; name what differs.

    Payload files the manifest does not list are ``extra`` (``litter`` when
    :func:`is_litter`); files at the top or in tag folders that no tag manifest lists are only
    counted as ``litter`` when they look like it, else ignored (RFC 8493 allows unlisted tag
    files). Raises ``OSError``/``ValueError`` when a manifest itself is missing or unreadable.
    """
    expected = read_manifest(top / MANIFEST)
    tag_path = top / TAG_MANIFEST
    if tag_path.is_file():
        expected.update(read_manifest(tag_path))
    damage: list[Damage] = []
    on_disk = set(walk_files(top))
    for path, checksum in sorted(expected.items()):
        if path not in on_disk:
            damage.append(Damage("missing", path))
            continue
        if _file_sha256(top / path) != checksum:
            damage.append(Damage("changed", path))
    for path in sorted(on_disk - set(expected) - {MANIFEST, TAG_MANIFEST}):
        if is_litter(Path(path).name):
            damage.append(Damage("litter", path))
        elif path.startswith("data/"):
            damage.append(Damage("extra", path))
    return damage


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def validate(top: Path, *, ignore_litter: bool = False) -> list[str]:
    """Validate the bag at ``top`` in full with ``bagit``; the reasons it is not valid (empty
    when it is). Reads only: nothing on the share is moved, written or deleted.

    ``ignore_litter`` leaves :func:`is_litter` files out of the payload, so that a
    ``Thumbs.db`` Explorer wrote is not counted as a payload file.
    """
    import bagit

    class _Bag(bagit.Bag):  # type: ignore[misc]
        def payload_files(self) -> Iterator[str]:
            for path in super().payload_files():
                if not (ignore_litter and is_litter(os.path.basename(path))):
                    yield path

    try:
        _Bag(str(top)).validate(processes=1, fast=False)
    except bagit.BagValidationError as exc:
        details = [str(d) for d in (exc.details or [])]
        return details or [str(exc.message)]
    except (bagit.BagError, OSError, ValueError) as exc:
        return [str(exc)]
    return []
