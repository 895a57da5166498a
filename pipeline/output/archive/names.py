"""Names on a destination that every Windows, macOS and Linux client can open again.

Pure: no I/O. The rules (Microsoft, "Naming Files, Paths, and Namespaces" and "Maximum Path
Length Limitation"; measured on Samba in docs/testing-smb.md):

- names are NFC: a macOS client writes NFD, which a Windows or Linux client does not find by its
  NFC spelling (Samba does no normalisation);
- no ``< > : " / \\ | ? *``, no control characters: Windows refuses them, Samba refuses them over
  SMB, and through a Linux mount ``a?b`` silently becomes ``a``;
- no reserved device names (``CON``, ``NUL``, ``COM1``, ``LPT1``…, also with an extension, and
  ``CONIN$``/``CONOUT$``), no trailing dot or space: Samba lists those under a mangled 8.3 name, so
  a publish could not find its own files again;
- unique without regard to case in each folder (Windows and Samba are case-insensitive);
- the whole path, the destination included, shorter than ``MAX_PATH`` (260 with the terminating
  NUL, so at most 259 characters): Explorer and Office still fail beyond it even where Python
  would not.

Long Vietnamese texts (trích yếu) go into the metadata, never into a path.
"""

from __future__ import annotations

import ntpath
import unicodedata
from collections.abc import Sequence

from pipeline.errors import Location, Problem

#: MAX_PATH, 260 characters including the terminating NUL.
MAX_PATH = 260
#: The longest single name we write (NTFS allows 255; Samba fails at 256, measured).
MAX_COMPONENT = 100

_RESERVED_CHARS = frozenset('<>:"/\\|?*')
_RESERVED_NAMES = frozenset(
    {"con", "prn", "aux", "nul", "conin$", "conout$"}
    | {f"{p}{d}" for p in ("com", "lpt") for d in (*"0123456789", "¹", "²", "³")}
)


def name_problems(name: str) -> list[str]:
    """Why ``name`` (one path component) is not safe on a Windows share; empty when it is.

    >>> name_problems("02-bien-ban-hoi-nghi.docx")
    []
    >>> name_problems("AUX.docx")
    ['tên thiết bị dành riêng của Windows (AUX)']
    >>> name_problems("a:b ")
    ['ký tự Windows không cho phép (:)', 'kết thúc bằng dấu cách hoặc dấu chấm']
    >>> name_problems(unicodedata.normalize("NFD", "biên bản"))
    ['chưa chuẩn hóa Unicode NFC (máy Mac ghi kiểu NFD)']
    """
    found: list[str] = []
    if not name or name in (".", ".."):
        return ["tên rỗng"]
    if unicodedata.normalize("NFC", name) != name:
        found.append("chưa chuẩn hóa Unicode NFC (máy Mac ghi kiểu NFD)")
    bad = sorted({c for c in name if c in _RESERVED_CHARS or ord(c) < 32})
    if bad:
        shown = " ".join(c if ord(c) >= 32 else f"U+{ord(c):04X}" for c in bad)
        found.append(f"ký tự Windows không cho phép ({shown})")
    stem = name.split(".", 1)[0].rstrip(" ")
    if stem.lower() in _RESERVED_NAMES:
        found.append(f"tên thiết bị dành riêng của Windows ({stem.upper()})")
    if name[-1] in ". ":
        found.append("kết thúc bằng dấu cách hoặc dấu chấm")
    if len(name) > MAX_COMPONENT:
        found.append(f"dài {len(name)} ký tự (tối đa {MAX_COMPONENT})")
    return found


def fold(name: str) -> str:
    """The key under which Windows and Samba see two names as the same file.

    >>> fold("Bao-Cao.DOCX") == fold("bao-cao.docx")
    True
    """
    return unicodedata.normalize("NFC", name).casefold()


def tree_problems(destination: str, paths: Sequence[str]) -> list[Problem]:
    """Every reason why writing ``paths`` (relative, ``/``-separated) under ``destination``
    would fail or be unreadable on a Windows client; empty when all is well.

    The limit is computed for the destination as given (a UNC path ``\\\\server\\share\\...``, a
    drive, a mount point): its own length counts. When the longest path is too long, one problem
    says by how much, and how long a destination may be for these names.

    >>> tree_problems(r"\\\\may-chu\\luu-tru", ["2013/cum/v001/data/a.docx"])
    []
    >>> [p.code for p in tree_problems("D:", ["x/A.docx", "x/a.DOCX", "x/CON"])]
    ['name-case', 'name-unsafe']
    >>> p = tree_problems("D:\\\\" + "d" * 240, ["2013/cum-thi-dua/v001/data/bao-cao.docx"])[0]
    >>> p.code, "tối đa 219 ký tự" in p.hint
    ('path-too-long', True)
    """
    problems: list[Problem] = []
    seen: dict[tuple[str, str], str] = {}
    for path in paths:
        parts = path.split("/")
        for depth, part in enumerate(parts):
            reasons = name_problems(part)
            if reasons:
                problems.append(
                    Problem(
                        "error",
                        "name-unsafe",
                        f"Tên '{part}' không dùng được trên ổ chia sẻ Windows: "
                        + "; ".join(reasons),
                        "Đổi tên tệp (chỉ chữ không dấu, chữ số và dấu gạch nối), rồi chạy lại.",
                        Location(file=path),
                    )
                )
            key = ("/".join(fold(p) for p in parts[:depth]), fold(part))
            other = seen.setdefault(key, "/".join(parts[: depth + 1]))
            if other != "/".join(parts[: depth + 1]):
                problems.append(
                    Problem(
                        "error",
                        "name-case",
                        f"Hai tên chỉ khác nhau chữ hoa/chữ thường: {other} và {path}; Windows "
                        "coi là một tệp",
                        "Đổi tên một trong hai tệp, rồi chạy lại.",
                        Location(file=path),
                    )
                )
    if paths:
        longest = max(paths, key=len)
        full = full_path(destination, longest)
        if len(full) >= MAX_PATH:
            room = MAX_PATH - 1 - len(longest) - 1
            problems.append(
                Problem(
                    "error",
                    "path-too-long",
                    f"Đường dẫn trên đích dài {len(full)} ký tự, quá giới hạn {MAX_PATH - 1} ký "
                    f"tự của Windows: {full} (chưa chép tệp nào)",
                    f"Chọn thư mục đích ngắn hơn, gần gốc ổ chia sẻ: với các tên này, đường dẫn "
                    f"thư mục đích được dài tối đa {max(room, 0)} ký tự (hiện {len(destination)}).",
                    Location(file=destination),
                )
            )
    return problems


def full_path(destination: str, relative: str) -> str:
    r"""The path a Windows client would use: the destination, ``\``, the relative path.

    >>> full_path(r"\\may\chia-se" + "\\", "2013/cum/v001")
    '\\\\may\\chia-se\\2013\\cum\\v001'
    """
    base = destination.rstrip("/\\")
    return ntpath.join(base, *relative.split("/")).replace("/", "\\")
