"""Click speaks Vietnamese: its catalogue covers the installed Click, and no English string of
Click reaches the user, in any command's help or any usage error (exit status 2)."""

from __future__ import annotations

import contextlib
import gettext
import os
import re
import string
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from click_strings import CATALOGUE_PO, DYNAMIC, UNMARKED, click_msgids, english_fragments

from pipeline import __version__
from pipeline.cli import cli
from pipeline.translations import CLICK_CATALOGUE, click_translations

ROOT = Path(__file__).resolve().parents[1]


def po_entries() -> dict[str, tuple[str, str | None, str]]:
    """msgid → (msgid, msgid_plural, msgstr) of the committed .po, read by babel."""
    from babel.messages.pofile import read_po

    with CATALOGUE_PO.open("rb") as handle:
        catalog = read_po(handle, locale="vi")
    entries = {}
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, str):
            entries[message.id] = (message.id, None, str(message.string))
        else:
            singular, plural = message.id[0], message.id[1]
            entries[singular] = (singular, plural, message.string[0])
    return entries


def fields(text: str) -> set[str]:
    """The names a str.format or %-format string uses."""
    names = {name for _, name, _, _ in string.Formatter().parse(text) if name}
    return names | set(re.findall(r"%\((\w+)\)[sd]", text))


# --- the catalogue ------------------------------------------------------------------------------


def test_the_catalogue_translates_every_string_of_the_installed_click() -> None:
    """A Click upgrade that adds a string fails here until the .po has it
    (scripts/make_catalogue.py lists them)."""
    entries = po_entries()
    wanted = {m if isinstance(m, str) else m[0] for m in click_msgids()}
    assert sorted(wanted - set(entries)) == [], f"add these to {CATALOGUE_PO.name}"
    assert all(msgstr for _, _, msgstr in entries.values())
    assert set(entries) >= DYNAMIC


def test_every_translation_uses_only_the_names_click_gives_it() -> None:
    """A msgstr naming a placeholder that its msgid lacks would raise KeyError inside Click; a
    plural's one Vietnamese form may use the names of either English form (Click passes both)."""
    for msgid, plural, msgstr in po_entries().values():
        given = fields(msgid) | (fields(plural) if plural else set())
        assert fields(msgstr) <= given, msgid
        values = {name.split(".")[0]: "x" for name in given}
        if "%(" in msgid:
            assert msgstr % values
        elif "{e.message}" in msgid:
            continue  # an attribute of an exception (Click 8.1); checked by fields() above
        else:
            assert msgstr.format(**values)


def test_the_compiled_catalogue_is_the_po() -> None:
    """pipeline/translations.py loads the .mo: it must say what the .po says (compile it with
    scripts/make_catalogue.py)."""
    translations = click_translations()
    for msgid, plural, msgstr in po_entries().values():
        if plural is None:
            assert translations.gettext(msgid) == msgstr, msgid
        else:
            assert translations.ngettext(msgid, plural, 1) == msgstr, msgid
            assert translations.ngettext(msgid, plural, 5) == msgstr, msgid
    assert CLICK_CATALOGUE.stat().st_size > 0


def test_every_click_module_translates() -> None:
    """The rebinding reached each loaded Click module that uses gettext."""
    loaded = [m for name, m in sys.modules.items() if name.startswith("click") and m]
    assert not [m.__name__ for m in loaded if getattr(m, "_", None) is gettext.gettext]
    assert not [m.__name__ for m in loaded if getattr(m, "ngettext", None) is gettext.ngettext]


# --- what a user sees ---------------------------------------------------------------------------


def command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command and group of the command line, as the words that name it."""
    yield prefix
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            yield from command_paths(command, (*prefix, name))
        else:
            yield (*prefix, name)


COMMANDS = list(command_paths(cli))


def english_in(text: str) -> list[str]:
    """Click's English strings found in ``text`` (option names such as ``--path`` removed: they
    are the interface, not Click's words)."""
    text = re.sub(r"(?<![\w-])--?[A-Za-z][\w-]*", " ", text)
    found = []
    strings: set[str] = set(UNMARKED)
    for msgid in click_msgids():
        strings.update((msgid,) if isinstance(msgid, str) else msgid)
    for msgid in sorted(strings):
        for fragment in english_fragments(msgid) or [msgid]:
            if len(fragment) < 4:
                continue
            if re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", text):
                found.append(fragment)
    return found


def test_the_scan_finds_click_english() -> None:
    """The scanner itself: Click's English output is caught."""
    found = set(english_in("Usage: x [OPTIONS]\nError: Missing argument 'X'."))
    assert found >= {"Usage:", "Missing argument", "OPTIONS", "Error:"}
    assert english_in("Continue? [y/N]: ") == ["[y/N]"]
    assert english_in("Error: Invalid value for '-o': File 'a' is a directory.")
    assert english_in("  -h, --help  Show this message and exit.")
    assert english_in("Cách dùng: thidua --path [TUY_CHON]") == []


def invoke(*args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), prog_name="thidua", input=input)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout + result.stderr


@pytest.mark.parametrize("words", COMMANDS, ids=lambda w: " ".join(w) or "thidua")
def test_every_help_is_vietnamese(words: tuple[str, ...]) -> None:
    code, out = invoke(*words, "--help")
    assert code == 0, out
    assert out.startswith(f"Cách dùng: thidua {' '.join(words)}".rstrip() + " ")
    assert "Tùy chọn:" in out and "In hướng dẫn này rồi thoát." in out
    assert english_in(out) == []


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    (tmp_path / "thu-muc").mkdir()
    (tmp_path / "tep.txt").write_text("x", "utf-8")
    with contextlib.chdir(tmp_path):
        yield tmp_path


USAGE_ERRORS = {
    "thiếu tham số": (["kiem-tra"], "Thiếu tham số 'DICH'."),
    "thiếu tham số đầu": (["luu-tru"], "Thiếu tham số 'DICH'."),
    "tùy chọn lạ": (["build", "--khong-co"], "Không có tùy chọn '--khong-co'."),
    "gợi ý tùy chọn": (["build", "--xem-truc"], "(Có phải là: '--xem-truoc'?)"),
    "lệnh lạ": (["buidl"], "Không có lệnh 'buidl'. (Có phải là: 'build'?)"),
    "lựa chọn sai": (["build", "--only", "bao-cao-tong-ket"], "không có trong các giá trị"),
    "thư mục thay tệp": (["check", "thu-muc"], "'thu-muc' là một thư mục, không phải tệp."),
    "tệp thay thư mục": (["build", "-o", "tep.txt"], "'tep.txt' là một tệp, không phải thư mục."),
    "init vào tệp": (["init", "tep.txt"], "'tep.txt' là một tệp, không phải thư mục."),
    "không có đường dẫn": (["mo-khoa", "khong-co"], "Không có 'khong-co'"),
    "thiếu giá trị": (["build", "-o"], "Tùy chọn '-o' cần 1 giá trị đi kèm."),
    "thiếu hai giá trị": (["ban-hanh", "--ban-ky", "bien-ban"], "cần 2 giá trị đi kèm"),
    "bản ký không có": (["ban-hanh", "--ban-ky", "bien-ban", "scan.pdf"], "Không có 'scan.pdf'"),
    "ngày sai": (["ban-hanh", "--ngay", "32/13/2014"], "không phải ngày dạng ngày/tháng/năm"),
    "thừa tham số": (["kiem-tra", "a", "b"], "Thừa tham số không dùng đến (b)"),
    "cờ có giá trị": (["check", "--strict=1"], "Tùy chọn '--strict' không nhận giá trị."),
    "thừa tham số nhóm": (["templates", "cap-nhat", "a", "b"], "Thừa tham số"),
}


@pytest.mark.parametrize("case", USAGE_ERRORS, ids=str)
def test_every_usage_error_is_vietnamese_and_exits_2(case: str, folder: Path) -> None:
    args, expected = USAGE_ERRORS[case]
    code, out = invoke(*args)
    assert code == 2, out
    assert expected in out
    assert "Lỗi: " in out
    assert english_in(out) == [], out


@pytest.mark.parametrize("args", [[], ["templates"]], ids=["thidua", "templates"])
def test_a_group_without_a_command_shows_its_help_in_vietnamese(args: list[str]) -> None:
    code, out = invoke(*args)
    assert code in (0, 2)  # Click 8.2+ exits 2 when a group is given no command
    assert out.startswith("Cách dùng: thidua") and english_in(out) == []


def test_a_question_is_asked_and_answered_in_vietnamese(folder: Path) -> None:
    """``mo-khoa`` asks before breaking a lock: ``[c/K]``, never Click's ``[y/N]``; ``c`` is
    yes, and an interrupted question says so in Vietnamese (exit 1)."""
    lock = folder / "dich" / "2013" / "cum" / "khoa-luu-tru.json"
    lock.parent.mkdir(parents=True)
    lock.write_text(
        '{"nguoi": "van-thu", "may": "PC", "tu_luc": "2014-01-10T09:31:00+07:00", "pid": 1}',
        encoding="utf-8",
    )
    code, out = invoke("mo-khoa", "dich")  # no answer: the input ends
    assert code == 1 and "Đã dừng." in out and "[c/K]" in out
    assert english_in(out) == [] and lock.exists()
    code, out = invoke("mo-khoa", "dich", input="x\nk\n")
    assert code == 0 and "Gõ c (có) hoặc k (không)." in out and lock.exists()
    code, out = invoke("mo-khoa", "dich", input="c\n")
    assert code == 0 and "đã mở khóa" in out and not lock.exists()


def test_the_entry_point_speaks_vietnamese_too() -> None:
    """The installed command (not only Click's test runner): a usage error and a help."""
    env = {**os.environ, "PYTHONIOENCODING": "cp1252"}  # a legacy console code page
    error = subprocess.run(
        [sys.executable, "-m", "pipeline", "build", "--khong-co"],
        capture_output=True, cwd=ROOT, env=env, check=False,
    )  # fmt: skip
    assert error.returncode == 2
    assert "Lỗi: Không có tùy chọn '--khong-co'." in error.stderr.decode("utf-8")
    shown = subprocess.run(
        [sys.executable, "-m", "pipeline", "check", "--help"],
        capture_output=True, cwd=ROOT, env=env, check=True,
    ).stdout.decode("utf-8")  # fmt: skip
    assert shown.startswith("Cách dùng: thidua check [TUY_CHON]") and english_in(shown) == []


@pytest.mark.parametrize("module", ["pipeline", "thidua"])
def test_version_from_the_fast_path_is_what_click_prints(module: str) -> None:
    code, out = invoke("--version")
    assert code == 0 and out == f"thidua, phiên bản {__version__}\n"
    fast = subprocess.run(
        [sys.executable, "-m", module, "--version"],
        capture_output=True, cwd=ROOT, check=True,
    ).stdout.decode("utf-8")  # fmt: skip
    assert fast == out
    probe = subprocess.run(
        [sys.executable, "-c", "import sys; sys.argv = ['thidua', '--version']; import "
         "pipeline._entry as e; e.main(); sys.stderr.write(str('click' in sys.modules))"],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    assert probe.stderr == "False", "thidua --version must not import Click"


def test_python_dash_m_thidua_is_the_same_command() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "thidua", "kiem-tra"],
        capture_output=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert out.returncode == 2
    assert "Thiếu tham số 'DICH'." in out.stderr.decode("utf-8")
