"""Regenerate the recorded outputs the tests compare against, then review the diff.

Writes the golden texts ``tests/golden/*.txt``, ``tests/golden/documents.sha256`` and
``pipeline/_help.py`` from the current code (see ``tests/goldens.py``, which the tests use too),
removes golden texts of templates that no longer exist, and prints what changed. Tests never
write these files; run this after a deliberate change of a template, of the wording, or of the
command-line help::

    .venv/bin/python scripts/update_goldens.py
    git diff tests/golden pipeline/_help.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from goldens import GOLDEN, expected_files  # noqa: E402


def main() -> int:
    expected = expected_files()
    GOLDEN.mkdir(parents=True, exist_ok=True)
    changed = 0
    for path, text in expected.items():
        old = path.read_text("utf-8") if path.is_file() else None
        if old == text:
            continue
        path.write_text(text, encoding="utf-8", newline="\n")
        changed += 1
        print(f"{'đã ghi' if old is None else 'cập nhật'} {path.relative_to(ROOT)}")
    for stale in sorted(set(GOLDEN.glob("*.txt")) - set(expected)):
        stale.unlink()
        changed += 1
        print(f"đã xóa {stale.relative_to(ROOT)}")
    print(f"{changed} tệp thay đổi" if changed else "không có tệp nào thay đổi")
    return 0


if __name__ == "__main__":
    sys.exit(main())
