"""``thidua init``: a ready working folder, never an overwrite, the sample kept out of inputs/."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.errors import ThiduaError
from pipeline.project import init_project
from pipeline.resources import (
    USER_DOCS,
    bundled_docs_dir,
    bundled_inputs_dir,
    bundled_templates_dir,
)
from pipeline.workbook.loader import load
from pipeline.workbook.schema import BLANK_FILE, SAMPLE_FILE


def expected_files(target: Path) -> set[Path]:
    templates = {
        target / "templates" / "docx" / p.name
        for p in bundled_templates_dir().glob("*.docx")
        if not p.name.startswith("~$")
    }
    docs = {target / "tai-lieu" / file_name for file_name, _ in USER_DOCS.values()}
    return {target / "inputs" / BLANK_FILE, target / "vi-du" / SAMPLE_FILE, *templates, *docs}


def files_under(target: Path) -> set[Path]:
    return {p for p in target.rglob("*") if p.is_file()}


def test_init_creates_the_working_folder(tmp_path: Path) -> None:
    target = tmp_path / "cum"
    result = CliRunner().invoke(cli, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert files_under(target) == expected_files(target)
    lines = result.output.strip().splitlines()
    created = [line for line in lines if line.startswith("tạo mới")]
    assert len(created) == len(expected_files(target))
    sample = (target / "vi-du" / SAMPLE_FILE).read_bytes()
    assert sample == (bundled_inputs_dir() / SAMPLE_FILE).read_bytes()
    for name in {p.name for p in bundled_templates_dir().glob("*.docx")}:
        copied = target / "templates" / "docx" / name
        assert copied.read_bytes() == (bundled_templates_dir() / name).read_bytes()
    for file_name, _ in USER_DOCS.values():
        copied = target / "tai-lieu" / file_name
        assert copied.read_bytes() == (bundled_docs_dir() / file_name).read_bytes()


def test_inputs_hold_only_the_blank_workbook_and_the_next_steps_are_printed(
    tmp_path: Path,
) -> None:
    """The sample in inputs/ was rebuilt into the user's outputs by every build: it lives in
    vi-du/ now, and init says what to do next."""
    target = tmp_path / "cum-2025"
    result = CliRunner().invoke(cli, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert [p.name for p in (target / "inputs").iterdir()] == [BLANK_FILE]
    steps = result.output.split("Các bước tiếp theo:", 1)[1]
    assert f"cd {target.as_posix()}" in steps
    assert f"inputs/{BLANK_FILE}" in steps  # which file to copy
    assert "thidua check" in steps and "thidua build" in steps  # what to run
    assert f"thidua build vi-du/{SAMPLE_FILE}" in steps  # the example, on purpose
    assert "thidua tai-lieu" in steps


def test_a_build_in_a_new_folder_builds_nothing_until_a_workbook_is_added(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    init_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 1
    assert "Không có workbook nào" in result.stderr
    assert f"inputs/{BLANK_FILE}" in result.stderr  # the hint says what to copy
    assert not (tmp_path / "outputs").exists()


def test_the_example_builds_on_purpose_with_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    init_project(tmp_path / "cum")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build", f"cum/vi-du/{SAMPLE_FILE}"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == [
        "Mẫu văn bản: cum/templates/docx/",
        "Ghi văn bản vào: cum/outputs/",
    ]
    assert len(list((tmp_path / "cum" / "outputs").rglob("*.docx"))) == 4
    assert not (tmp_path / "outputs").exists()


def test_the_created_workbooks_load(tmp_path: Path) -> None:
    init_project(tmp_path)
    dossier, problems = load(tmp_path / "vi-du" / SAMPLE_FILE)
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
    assert "thidua templates cap-nhat" in result.stderr  # the way to refresh after an upgrade
    assert {p: p.read_bytes() for p in files_under(tmp_path)} == before  # nothing written


def test_init_project_lists_every_existing_file(tmp_path: Path) -> None:
    (tmp_path / "vi-du").mkdir()
    (tmp_path / "vi-du" / SAMPLE_FILE).write_text("của tôi")
    try:
        init_project(tmp_path)
    except ThiduaError as exc:
        assert [p.code for p in exc.problems] == ["init-exists"]
        assert exc.problems[0].location.file == str(tmp_path / "vi-du" / SAMPLE_FILE)
    else:
        raise AssertionError("init_project overwrote a file")
    assert (tmp_path / "vi-du" / SAMPLE_FILE).read_text() == "của tôi"
    assert not (tmp_path / "inputs" / BLANK_FILE).exists()


def test_init_defaults_to_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["init"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "inputs" / BLANK_FILE).is_file()
    assert f"inputs/{BLANK_FILE}" in result.output  # paths as given: relative
    assert "  cd " not in result.output  # already there
