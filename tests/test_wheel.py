"""The installed wheel carries what a user needs: templates, workbooks, documentation, the
Vietnamese catalogue of Click, and the ``thidua`` alias package.

The documentation the workbook and the messages point to used to be in neither the ``init``
folder nor the installed package. Here a wheel is built from this checkout (``pip wheel``, as
.ci/run does), installed without dependencies into a folder of its own and run from another
folder, so every file it reads is the wheel's, not the checkout's.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pipeline.resources import USER_DOCS
from pipeline.workbook.schema import BLANK_FILE, SAMPLE_FILE, SHARED_FILE

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(ROOT)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    (built,) = dist.glob("thidua-*.whl")
    return built


@pytest.fixture(scope="module")
def site(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
         str(wheel)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    return target


def installed(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m thidua ARGS`` from the installed wheel (its folder first on the path; the
    dependencies from this environment)."""
    env = {**os.environ, "PYTHONPATH": str(site), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "thidua", *args],
        cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=300,
    )  # fmt: skip


def test_the_wheel_holds_every_file_a_user_needs(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = {f"pipeline/bundled_docs/{file_name}" for file_name, _ in USER_DOCS.values()}
    wanted |= {f"pipeline/bundled_inputs/{name}" for name in (BLANK_FILE, SAMPLE_FILE)}
    templates = (ROOT / "templates" / "docx").glob("*.docx")
    wanted |= {f"pipeline/bundled_templates/{p.name}" for p in templates}
    wanted |= {"pipeline/locale/vi/LC_MESSAGES/click.mo", "thidua/__main__.py"}
    assert sorted(wanted - names) == []
    for file_name, _ in USER_DOCS.values():
        shipped = zipfile.ZipFile(wheel).read(f"pipeline/bundled_docs/{file_name}")
        assert shipped == (ROOT / "docs" / file_name).read_bytes(), file_name


def test_the_docs_are_reachable_from_the_installed_wheel(site: Path, tmp_path: Path) -> None:
    for name, (file_name, _) in USER_DOCS.items():
        result = installed(site, tmp_path, "tai-lieu", "--duong-dan", name)
        assert result.returncode == 0, result.stderr
        path = Path(result.stdout.strip())
        assert path == site / "pipeline" / "bundled_docs" / file_name
        assert path.read_bytes() == (ROOT / "docs" / file_name).read_bytes()


def test_init_from_the_installed_wheel_makes_the_whole_working_folder(
    site: Path, tmp_path: Path
) -> None:
    result = installed(site, tmp_path, "init", "cum-2025")
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "cum-2025"
    assert sorted(p.name for p in (folder / "inputs").iterdir()) == [SHARED_FILE, BLANK_FILE]
    assert (folder / "vi-du" / SAMPLE_FILE).is_file()
    for file_name, _ in USER_DOCS.values():
        assert (folder / "tai-lieu" / file_name).read_bytes() == (
            ROOT / "docs" / file_name
        ).read_bytes()
    assert len(list((folder / "templates" / "docx").glob("*.docx"))) == 4
    assert "Các bước tiếp theo:" in result.stdout
    usage = installed(site, tmp_path, "init", "a", "b")  # Click's words, from the wheel's .mo
    assert usage.returncode == 2
    assert "Cách dùng:" in usage.stderr and "Usage:" not in usage.stderr
