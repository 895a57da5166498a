"""Where the bundled Word templates, sample workbooks and documentation are.

In a source checkout (and an editable install) they are the repository's ``templates/docx/``,
``inputs/`` and ``docs/``; a wheel carries the same files as the data-only packages
``pipeline.bundled_templates``, ``pipeline.bundled_inputs`` and ``pipeline.bundled_docs`` (see
``pyproject.toml``; ``tests/test_wheel.py`` builds a wheel and looks for them).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parent.parent

#: The documentation a user reads, shipped in the wheel and copied into every working folder:
#: name for ``thidua tai-lieu TEN`` → (file in ``docs/``, what it is about). The developer pages
#: (architecture, testing) stay in the repository.
USER_DOCS: dict[str, tuple[str, str]] = {
    "workbook": ("workbook.md", "Workbook bảng điểm: từng sheet, từng cột, cách nhập"),
    "mau": ("templates.md", "Mẫu văn bản Word: sửa mẫu an toàn, danh sách biến"),
    "bo-loc": ("filters.md", "Bộ lọc định dạng trong mẫu (ngày, số, tiền bằng chữ…)"),
    "luu-tru": ("luu-tru.md", "Ban hành, lưu trữ lên ổ chia sẻ, kiểm tra bản lưu trữ"),
    "sua": ("sua-va-tao-lai.md", "Sửa số liệu và lập lại: xem những gì thay đổi, bản so sánh"),
    "cai-dat-chung": ("cai-dat-chung.md", "Tệp cài đặt chung của tỉnh cho nhiều cụm"),
    "thu-muc": ("thu-muc-van-ban.md", "Thư mục văn bản: manifest, lịch sử, khôi phục bản cũ"),
}


def _bundled_dir(package: str, fallback: Path) -> Path:
    spec = importlib.util.find_spec(package)  # an installed wheel
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return fallback  # a source checkout or an editable install


def bundled_templates_dir() -> Path:
    """The folder holding the bundled ``*.docx`` templates."""
    return _bundled_dir("pipeline.bundled_templates", _REPO_ROOT / "templates" / "docx")


def bundled_inputs_dir() -> Path:
    """The folder holding the bundled sample and blank workbooks."""
    return _bundled_dir("pipeline.bundled_inputs", _REPO_ROOT / "inputs")


def bundled_docs_dir() -> Path:
    """The folder holding the user documentation (:data:`USER_DOCS`)."""
    return _bundled_dir("pipeline.bundled_docs", _REPO_ROOT / "docs")
