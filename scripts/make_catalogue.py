"""Compile the Vietnamese catalogue of Click's strings, and say what it lacks.

Reads ``pipeline/locale/vi/LC_MESSAGES/click.po`` (the source, edited by hand) and writes the
``click.mo`` beside it, which :mod:`pipeline.translations` loads. Prints every string of the
installed Click the catalogue does not translate (after a Click upgrade: add them to the .po,
then run this again). ``--check`` writes nothing and exits 1 when the .mo is stale or a string
is missing; ``tests/test_i18n.py`` checks the same. Usage::

    .venv/bin/python scripts/make_catalogue.py [--check]
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from click_strings import CATALOGUE_PO, click_msgids  # noqa: E402


def compiled(po: Path) -> bytes:
    """The .mo bytes of a .po file, compiled by babel."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle, locale="vi")
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def translations(catalog_file: Path) -> dict[object, object]:
    """msgid → msgstr of a .po or .mo file, without the header (which babel stamps with its own
    version when compiling, so the bytes of a .mo differ between babel releases)."""
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    with catalog_file.open("rb") as handle:
        catalog = read_mo(handle) if catalog_file.suffix == ".mo" else read_po(handle, locale="vi")

    def key(value: object) -> object:
        return value if isinstance(value, str) else tuple(value)  # type: ignore[arg-type]

    return {key(m.id): key(m.string) for m in catalog if m.id}


def missing(po: Path) -> list[str]:
    """The installed Click's strings that ``po`` does not translate."""
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle, locale="vi")
    have = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id and m.string}
    wanted = {m if isinstance(m, str) else m[0] for m in click_msgids()}
    return sorted(wanted - have)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    mo = CATALOGUE_PO.with_suffix(".mo")
    data = compiled(CATALOGUE_PO)
    lacking = missing(CATALOGUE_PO)
    for msgid in lacking:
        print(f"thiếu bản dịch: {msgid!r}")
    stale = not mo.is_file() or translations(mo) != translations(CATALOGUE_PO)
    if check:
        if stale:
            print(f"{mo.relative_to(ROOT)} cũ: chạy scripts/make_catalogue.py")
        return 1 if stale or lacking else 0
    if stale:
        mo.write_bytes(data)
        print(f"đã ghi {mo.relative_to(ROOT)}")
    else:
        print("không có tệp nào thay đổi")
    return 1 if lacking else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
