"""LibreOffice discovery and the font report (pipeline.output.pdf), on this machine's real
fontconfig."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.output.pdf import find_soffice, font_report


def test_configured_soffice_must_exist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "soffice"
    monkeypatch.setenv("THIDUA_SOFFICE", str(fake))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert find_soffice() is None
    fake.write_text("#!/bin/sh\n")
    assert find_soffice() == str(fake)


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="no fontconfig (Windows)")
def test_font_report_names_the_stand_in() -> None:
    report = font_report()
    if report is None:  # the real Times New Roman is installed
        return
    assert "Times New Roman" in report.message
    # With fonts-liberation2 the stand-in has every Vietnamese letter: a note, not a warning.
    liberation2 = Path("/usr/share/fonts/truetype/liberation2")
    if "Liberation Serif" in report.message and liberation2.is_dir():
        assert report.severity == "info"
    # A family that does not exist falls back to a font fontconfig picks; it is named either way.
    other = font_report("Không Có Phông Này")
    assert other is not None and "Không Có Phông Này" in other.message
