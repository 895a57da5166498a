"""LibreOffice discovery and the font report (pipeline.output.pdf), on this machine's real
fontconfig.

The font report is checked against fontconfig's own answers, so that every assertion holds on
every machine, whichever fonts it has: a family that certainly does not exist, a family that
certainly does (the one fontconfig picks for ``serif``), and Times New Roman, which may or may not
be installed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.errors import ThiduaError
from pipeline.output import pdf
from pipeline.output.pdf import find_soffice, font_report

NO_FONTCONFIG = pytest.mark.skipif(shutil.which("fc-match") is None, reason="no fontconfig")
MISSING = "Thidua Không Có Phông Này 7f3a"
#: What a Vietnamese document needs: ơ Ơ ư Ư and the whole block Ạ…ỹ.
VIETNAMESE = [0x1A0, 0x1A1, 0x1AF, 0x1B0, *range(0x1EA0, 0x1EFA)]


def test_configured_soffice_must_exist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "soffice"
    monkeypatch.setenv("THIDUA_SOFFICE", str(fake))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert find_soffice() is None
    fake.write_text("#!/bin/sh\n")
    assert find_soffice() == str(fake)


def fc_match(family: str, field: str) -> str:
    """One field of the font fontconfig picks for ``family``."""
    return subprocess.run(
        ["fc-match", "-f", f"%{{{field}}}", family],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout  # fmt: skip


def covers_vietnamese(family: str) -> bool:
    """Whether the font fontconfig picks for ``family`` has every Vietnamese letter, read from
    its charset (hexadecimal ranges such as ``20-7e a0-17f 1ea0-1ef9``)."""
    have: set[int] = set()
    for item in fc_match(family, "charset").split():
        low, _, high = item.partition("-")
        have.update(range(int(low, 16), int(high or low, 16) + 1))
    return have.issuperset(VIETNAMESE)


@NO_FONTCONFIG
def test_a_missing_family_names_the_stand_in_fontconfig_picks() -> None:
    stand_in = fc_match(MISSING, "family").split(",")[0]
    assert stand_in and stand_in != MISSING
    report = font_report(MISSING)
    assert report is not None
    assert report.code == "pdf-font"
    assert f"Máy này không có phông {MISSING}" in report.message
    assert stand_in in report.message
    if covers_vietnamese(MISSING):
        assert report.severity == "info"
        assert "đủ dấu tiếng Việt" in report.message
    else:
        assert report.severity == "warning"
        assert "fonts-liberation2" in report.hint


@NO_FONTCONFIG
def test_an_installed_family_needs_no_report() -> None:
    installed = fc_match("serif", "family").split(",")[0]
    assert installed
    assert font_report(installed) is None
    assert font_report(installed.upper()) is None  # family names match without case


@NO_FONTCONFIG
def test_times_new_roman_is_reported_only_where_it_is_missing() -> None:
    installed = fc_match("Times New Roman", "family").split(",")[0] == "Times New Roman"
    report = font_report()
    assert (report is None) is installed
    if report is not None:
        assert "Times New Roman" in report.message
        assert fc_match("Times New Roman", "family").split(",")[0] in report.message


@NO_FONTCONFIG
def test_a_stand_in_without_the_letters_is_a_warning_with_the_fix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No font has these private-use characters, so every stand-in lacks them."""
    monkeypatch.setattr(pdf, "_VIETNAMESE_CHARSET", "f0000-f0001")
    report = font_report(MISSING)
    assert report is not None
    assert report.severity == "warning"
    assert "thiếu chữ tiếng Việt nên PDF sẽ lẫn phông trong một từ" in report.message
    assert report.hint == (
        "Cài phông Times New Roman, hoặc trên Debian/Ubuntu cài gói fonts-liberation2."
    )


def test_no_fontconfig_no_report(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Windows has no fontconfig (and has the real font): nothing to report."""
    monkeypatch.setenv("PATH", str(tmp_path))
    assert font_report(MISSING) is None


@pytest.mark.skipif(
    sys.platform == "win32" or not Path("/proc/self/stat").exists(),
    reason="a POSIX shell stands in for the launcher; /proc tells whether its child runs",
)
def test_a_conversion_that_overruns_is_killed_with_what_it_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``soffice`` is a launcher whose soffice.bin child does the work (Linux: a shell script and
    oosplash): after the timeout the child must not stay behind, holding the profile. A real
    soffice cannot be made to hang on purpose, so a launcher of the same shape stands in: a
    shell that starts a long child and waits for it."""
    launcher = tmp_path / "soffice"
    launcher.write_text('#!/bin/sh\nsleep 300 &\necho $! > "$CHILD_PID"\nwait\n', "utf-8")
    launcher.chmod(0o755)
    child_pid = tmp_path / "child.pid"
    monkeypatch.setenv("CHILD_PID", str(child_pid))
    document = tmp_path / "a.docx"
    document.write_bytes(b"")
    profile = pdf.Profile(tmp_path / "profile", kept=False)
    with pytest.raises(ThiduaError) as caught:
        pdf._convert_groups(str(launcher), [([document], profile)], tmp_path, "pdf", timeout=1)
    assert [p.code for p in caught.value.problems] == ["pdf-failed"]
    pid = int(child_pid.read_text("ascii"))
    deadline = time.monotonic() + 10
    while _running(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(pid), "the launcher's child outlived the timeout"


def _running(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie waiting for its parent to reap it is not)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
