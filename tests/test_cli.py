"""The command line as a user meets it: `thidua check`, `--help`, exit codes, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from goldens import help_module

from pipeline import _help
from pipeline.cli import cli
from pipeline.resources import bundled_inputs_dir
from pipeline.workbook.sample import sample_sheets
from pipeline.workbook.schema import cell_of
from pipeline.workbook.xlsx_write import write_workbook

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = bundled_inputs_dir() / "cum-cac-ban-dang-lang-son-2013.xlsx"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), prog_name="thidua")
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_cached_top_level_help_is_what_click_prints() -> None:
    code, out, _ = invoke("--help")
    assert code == 0
    assert out == _help.TOP_LEVEL_HELP, (
        "pipeline/_help.py is out of date: run scripts/update_goldens.py"
    )
    assert Path(_help.__file__).read_text("utf-8") == help_module(out)


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_from_the_entry_point(flag: str) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "pipeline", flag],
        capture_output=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONIOENCODING": "cp1252"},  # a legacy console code page
    ).stdout.decode("utf-8")
    assert out == _help.TOP_LEVEL_HELP
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.argv = ['thidua', '-h']; import pipeline._entry"
            " as e; e.main(); sys.stderr.write(str('click' in sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert probe.stderr == "False", "thidua --help must not import Click"


def test_check_the_sample_is_clean() -> None:
    code, out, _ = invoke("check", str(SAMPLE))
    assert code == 0
    assert "lỗi" not in out and "cảnh báo" not in out
    code, out, _ = invoke("check", "--strict", str(SAMPLE))
    assert code == 0
    code, out, _ = invoke("check", "--json", str(SAMPLE))
    assert code == 0
    assert all(p["severity"] == "info" for p in json.loads(out)["problems"])


def test_check_reports_every_problem_with_its_cell(tmp_path: Path) -> None:
    sheets = sample_sheets()
    scores = sheets["ChamDiem"]
    header = "Điểm cụm chấm"
    scores[0][header] = "abc"  # a number turned to text
    scores[1][header] = None  # a blank is never zero
    sheets["DonVi"].append(dict(sheets["DonVi"][0]))  # a duplicated unit
    path = tmp_path / "loi.xlsx"
    write_workbook(sheets, path)
    code, out, _ = invoke("check", str(path))
    assert code == 1
    assert f"loi.xlsx › ChamDiem!{cell_of('ChamDiem', 0, header)}" in out
    assert f"loi.xlsx › ChamDiem!{cell_of('ChamDiem', 1, header)}" in out
    assert "loi.xlsx › DonVi!" in out
    assert " — " in out  # every line says how to fix it
    code, out, _ = invoke("check", "--json", str(path))
    problems = json.loads(out)["problems"]
    assert code == 1
    assert {"file", "sheet", "cell", "message", "hint", "code", "severity"} <= set(problems[0])


@pytest.mark.parametrize(("command", "key"), [("check", "problems"), ("build", "van_de")])
def test_json_without_a_workbook_is_still_json(
    command: str, key: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A machine asked for JSON: an error that stops the command before it runs (no workbook in
    inputs/) comes as the command's JSON document on stdout too, with the exit status 1."""
    (tmp_path / "inputs").mkdir()
    monkeypatch.chdir(tmp_path)
    code, out, _ = invoke(command, "--json")
    assert code == 1
    [problem] = json.loads(out)[key]
    assert (problem["severity"], problem["code"]) == ("error", "no-input")
    assert problem["file"] == "inputs"
    assert not (tmp_path / "outputs").exists()


def test_check_several_files_reports_all_of_them(tmp_path: Path) -> None:
    not_a_workbook = tmp_path / "ghi-chu.xlsx"
    not_a_workbook.write_text("đây không phải workbook", "utf-8")
    code, out, err = invoke("check", str(SAMPLE), str(not_a_workbook), str(tmp_path / "khong.xlsx"))
    assert code == 1
    assert "ghi-chu.xlsx" in out and "khong.xlsx" in out
    assert "Traceback" not in out + err


def test_check_without_files_checks_the_inputs_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = invoke("check")
    assert code == 1 and "thidua init" in err
    (tmp_path / "inputs").mkdir()
    (tmp_path / "inputs" / SAMPLE.name).write_bytes(SAMPLE.read_bytes())
    (tmp_path / "inputs" / "_mau-trong.xlsx").write_bytes(b"skipped: starts with _")
    code, out, _ = invoke("check")
    assert code == 0, out
    assert SAMPLE.name in out and "_mau-trong" not in out


def test_strict_fails_on_warnings(tmp_path: Path) -> None:
    sheets = sample_sheets()
    row = next(r for r in sheets["ChamDiem"] if r["Điểm tự chấm"] is not None)
    row["Điểm tự chấm"] = None  # B8: a missing self-score is a warning
    path = tmp_path / "canh-bao.xlsx"
    write_workbook(sheets, path)
    assert invoke("check", str(path))[0] == 0
    assert invoke("check", "--strict", str(path))[0] == 1
