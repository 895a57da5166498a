"""``thidua tai-lieu``: the documentation shipped with thidua, listed and opened.

The pages are package data (:func:`pipeline.resources.bundled_docs_dir`), so they are there in an
installed wheel, always of the installed version; ``thidua init`` copies them into the working
folder's ``tai-lieu/`` too. A page opens in the system's viewer for ``.md`` files:
``os.startfile`` on Windows, ``open`` on macOS, ``xdg-open`` on a Linux desktop. Where there is
none (a server, a console without a desktop, no program for ``.md``), the path is printed
instead, to open by hand (Notepad reads these pages well).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from pipeline.errors import Problem, ThiduaError
from pipeline.resources import USER_DOCS, bundled_docs_dir


def doc_names() -> list[str]:
    """The names ``thidua tai-lieu TEN`` accepts, in the order they are listed."""
    return list(USER_DOCS)


def doc_path(name: str) -> Path:
    """The installed page called ``name`` (a key of :data:`USER_DOCS` or its file's name,
    with or without ``.md``). Raises :class:`ThiduaError` for an unknown name or a missing
    file."""
    wanted = name.strip().lower().removesuffix(".md")
    for key, (file_name, _) in USER_DOCS.items():
        if wanted in (key, file_name.removesuffix(".md")):
            path = bundled_docs_dir() / file_name
            if not path.is_file():
                raise ThiduaError(
                    Problem(
                        "error",
                        "doc-missing",
                        f"Bản cài đặt này thiếu tài liệu {file_name}",
                        "Cài lại thidua (pip install --force-reinstall thidua), hoặc đọc bản "
                        "trong thư mục tai-lieu/ của thư mục làm việc.",
                    )
                )
            return path
    raise ThiduaError(
        Problem(
            "error",
            "doc-unknown",
            f"Không có tài liệu '{name}'",
            "Chọn một trong: " + ", ".join(doc_names()) + " (thidua tai-lieu để xem danh sách).",
        )
    )


def listing() -> list[str]:
    """One line per page: its name, what it is about, where it is."""
    width = max(map(len, USER_DOCS))
    lines = []
    for key, (file_name, title) in USER_DOCS.items():
        lines.append(f"  {key:<{width}}  {title}")
        lines.append(f"  {'':<{width}}  {(bundled_docs_dir() / file_name).as_posix()}")
    return lines


def _has_desktop() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_in_viewer(path: Path) -> bool:
    """Open ``path`` with the system's default program; ``False`` when there is none here
    (then the caller prints the path). Never waits for the viewer."""
    if sys.platform == "win32":
        try:
            os.startfile(path)  # type: ignore[attr-defined,unused-ignore]
        except OSError:  # no program is associated with .md
            return False
        return True
    if sys.platform == "darwin":
        command = shutil.which("open")
    else:
        command = shutil.which("xdg-open") if _has_desktop() else None
    if command is None:
        return False
    try:
        subprocess.Popen(  # a fixed program and one path
            [command, str(path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        return False
    return True
