"""``thidua init``: a ready folder, never an overwrite, and a sample that loads clean."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.errors import ThiduaError
from pipeline.project import init_project
from pipeline.resources import bundled_inputs_dir, bundled_templates_dir
from pipeline.workbook.loader import load
from pipeline.workbook.schema import BLANK_FILE, SAMPLE_FILE


def expected_files(target: Path) -> set[Path]:
    templates = {
        target / "templates" / "docx" / p.name
        for p in bundled_templates_dir().glob("*.docx")
        if not p.name.startswith("~$")
    }
    return {target / "inputs" / SAMPLE_FILE, target / "inputs" / BLANK_FILE, *templates}


def files_under(target: Path) -> set[Path]:
    return {p for p in target.rglob("*") if p.is_file()}


def test_init_creates_the_inputs_and_templates(tmp_path: Path) -> None:
    target = tmp_path / "cum"
    result = CliRunner().invoke(cli, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert files_under(target) == expected_files(target)
    lines = result.output.strip().splitlines()
    assert len(lines) == len(expected_files(target))
    assert all(line.startswith("tạo mới") for line in lines)
    sample = (target / "inputs" / SAMPLE_FILE).read_bytes()
    assert sample == (bundled_inputs_dir() / SAMPLE_FILE).read_bytes()
    for name in {p.name for p in bundled_templates_dir().glob("*.docx")} - {""}:
        copied = target / "templates" / "docx" / name
        assert copied.read_bytes() == (bundled_templates_dir() / name).read_bytes()


def test_the_created_sample_loads_clean_and_the_blank_without_a_traceback(
    tmp_path: Path,
) -> None:
    init_project(tmp_path)
    dossier, problems = load(tmp_path / "inputs" / SAMPLE_FILE)
    assert dossier is not None and problems == []
    blank, blank_problems = load(tmp_path / "inputs" / BLANK_FILE)
    # nothing typed yet: the required settings are blank, the required tables have no row
    assert blank is not None and blank.cluster.year is None
    assert {p.code for p in blank_problems} == {"required-blank", "sheet-empty"}


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(tmp_path)]).exit_code == 0
    (tmp_path / "inputs" / BLANK_FILE).unlink()  # one file missing, the others present
    before = {p: p.read_bytes() for p in files_under(tmp_path)}
    result = runner.invoke(cli, ["init", str(tmp_path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    for path in before:
        assert str(path) in result.stderr
    assert "Tệp đã có" in result.stderr
    assert {p: p.read_bytes() for p in files_under(tmp_path)} == before  # nothing written


def test_init_project_lists_every_existing_file(tmp_path: Path) -> None:
    (tmp_path / "inputs").mkdir()
    (tmp_path / "inputs" / SAMPLE_FILE).write_text("của tôi")
    try:
        init_project(tmp_path)
    except ThiduaError as exc:
        assert [p.code for p in exc.problems] == ["init-exists"]
        assert exc.problems[0].location.file == str(tmp_path / "inputs" / SAMPLE_FILE)
    else:
        raise AssertionError("init_project overwrote a file")
    assert (tmp_path / "inputs" / SAMPLE_FILE).read_text() == "của tôi"
    assert not (tmp_path / "inputs" / BLANK_FILE).exists()


def test_init_defaults_to_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["init"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "inputs" / SAMPLE_FILE).is_file()
    assert f"inputs/{SAMPLE_FILE}" in result.output  # paths as given: relative
