"""``thidua templates cap-nhat``: the bundled templates refreshed after an upgrade, the user's
edited copies kept aside, no file lost.

An older shipped version is stood in for by a real template that differs from the bundled one
(its ranking tag moved), registered as shipped: :data:`pipeline.shipped_templates.SHIPPED` holds
the digests of the real old versions, whose bytes live only in the repository's history.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from template_files import MINUTES, RANKING, bundled, bundled_with

from pipeline import __version__, project
from pipeline.cli import cli
from pipeline.project import KEPT, init_project
from pipeline.resources import bundled_templates_dir
from pipeline.shipped_templates import SHIPPED

REPORT = "01-bao-cao-tong-ket.docx"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def cap_nhat(folder: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["templates", "cap-nhat", str(folder)])
    return result.exit_code, result.stdout, result.stderr


def test_every_bundled_template_is_listed_as_shipped() -> None:
    """Else an upgrade would take the current template for the user's edited copy."""
    for path in sorted(bundled_templates_dir().glob("*.docx")):
        digest = sha256(path.read_bytes())
        assert digest in SHIPPED.get(path.name, ()), (
            f'add "{digest}" to SHIPPED["{path.name}"] in pipeline/shipped_templates.py'
        )


def test_an_unedited_old_template_is_replaced_and_an_edited_one_kept_aside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    init_project(tmp_path)
    docx = tmp_path / "templates" / "docx"
    old = bundled_with(RANKING, RANKING + " ")  # as an earlier version shipped it
    monkeypatch.setitem(project.SHIPPED, MINUTES, frozenset({sha256(old)}))
    (docx / MINUTES).write_bytes(old)
    edited = bundled_with(RANKING, RANKING + " (đã sửa)", name=REPORT)  # the user's work
    (docx / REPORT).write_bytes(edited)
    (docx / "05-cua-toi.docx").write_bytes(b"a template of the user's own")
    (docx / "04-danh-sach-de-nghi-khen-thuong.docx").unlink()  # deleted by mistake

    code, out, err = cap_nhat(tmp_path)

    assert code == 0, err
    assert (docx / MINUTES).read_bytes() == bundled(MINUTES)
    assert (docx / REPORT).read_bytes() == edited  # kept where the build reads it
    aside = tmp_path / "templates" / f"mau-moi-{__version__}" / REPORT
    assert aside.read_bytes() == bundled(REPORT)
    assert (docx / "05-cua-toi.docx").read_bytes() == b"a template of the user's own"
    assert (docx / "04-danh-sach-de-nghi-khen-thuong.docx").read_bytes() == bundled(
        "04-danh-sach-de-nghi-khen-thuong.docx"
    )
    lines = out.splitlines()
    assert f"cập nhật    {(docx / MINUTES).as_posix()}" in lines
    assert f"tạo mới     {(docx / '04-danh-sach-de-nghi-khen-thuong.docx').as_posix()}" in lines
    kept = next(line for line in lines if line.startswith(KEPT))
    assert (docx / REPORT).as_posix() in kept and aside.as_posix() in kept
    assert "thidua templates check" in out  # what to do about the kept one

    code, out, _ = cap_nhat(tmp_path)  # again: nothing new, the kept copy is not duplicated
    assert code == 0
    assert "Các mẫu đã là phiên bản mới nhất." not in out  # the edited one is still kept
    assert sorted(p.name for p in aside.parent.iterdir()) == [REPORT]


def test_an_up_to_date_folder_is_said_so(tmp_path: Path) -> None:
    init_project(tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    code, out, _ = cap_nhat(tmp_path)
    assert code == 0
    assert out.splitlines()[-1] == "Các mẫu đã là phiên bản mới nhất."
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_a_folder_that_is_not_a_working_folder_is_refused(tmp_path: Path) -> None:
    code, out, err = cap_nhat(tmp_path)
    assert code == 1
    assert "Không phải thư mục làm việc" in err and "thidua templates cap-nhat THU_MUC" in err
    assert "Traceback" not in out + err
    assert list(tmp_path.iterdir()) == []


def test_the_english_name_is_an_alias(tmp_path: Path) -> None:
    init_project(tmp_path)
    result = CliRunner().invoke(cli, ["templates", "update", str(tmp_path)])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "Các mẫu đã là phiên bản mới nhất."
