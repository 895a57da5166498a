"""Names, staged all-or-nothing writes and manifests (pipeline.output), on a real filesystem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.errors import ThiduaError
from pipeline.output.manifest import FileRecord, manifest_json
from pipeline.output.names import ascii_slug
from pipeline.output.staged import CREATED, UNCHANGED, UPDATED, StagedWrite


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Báo cáo tổng kết", "bao-cao-tong-ket"),
        ("Đảng ủy Khối các cơ quan tỉnh", "dang-uy-khoi-cac-co-quan-tinh"),
        ("Ban Bảo vệ, chăm sóc sức khỏe cán bộ tỉnh", "ban-bao-ve-cham-soc-suc-khoe-can-bo-tinh"),
        ("NFD: Vie\u0323\u0302t", "nfd-viet"),
        ('a<b>c:d"e/f\\g|h?i*j', "a-b-c-d-e-f-g-h-i-j"),
        ("   ", "van-ban"),
        ("nul", "nul-"),
        ("LPT1", "lpt1-"),
    ],
)
def test_ascii_slug_is_windows_safe(text: str, slug: str) -> None:
    assert ascii_slug(text) == slug
    assert ascii_slug(text).isascii()


def test_staged_write_statuses(tmp_path: Path) -> None:
    a, b = tmp_path / "out" / "a.docx", tmp_path / "out" / "b.docx"
    batch = StagedWrite()
    batch.add(a, b"one")
    batch.add(b, b"two")
    assert batch.commit() == [(a, CREATED), (b, CREATED)]

    a_mtime = a.stat().st_mtime_ns
    batch = StagedWrite()
    batch.add(a, b"one")
    batch.add(b, b"TWO")
    assert batch.commit() == [(a, UNCHANGED), (b, UPDATED)]
    assert a.stat().st_mtime_ns == a_mtime, "an unchanged file is not rewritten"
    assert b.read_bytes() == b"TWO"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.docx", "b.docx"]


def test_a_failed_stage_changes_nothing(tmp_path: Path) -> None:
    good = tmp_path / "good.docx"
    good.write_bytes(b"old")
    blocker = tmp_path / "not-a-folder"
    blocker.write_bytes(b"")
    batch = StagedWrite()
    batch.add(good, b"new")
    batch.add(blocker / "x.docx", b"data")  # its folder is a file: staging fails
    with pytest.raises(ThiduaError) as caught:
        batch.commit()
    assert good.read_bytes() == b"old", "the first file must not be replaced"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    (problem,) = caught.value.problems
    assert problem.code == "write" and "x.docx" in str(problem.location)


def test_manifest_is_deterministic_json(tmp_path: Path) -> None:
    source = tmp_path / "in.xlsx"
    source.write_bytes(b"abc")
    record = FileRecord.of(source, shown_as="in.xlsx")
    first = manifest_json("1.0", [record], [], [])
    assert first == manifest_json("1.0", [record], [], [])
    data = json.loads(first)
    assert data["inputs"] == [
        {
            "path": "in.xlsx",
            "size": 3,
            "sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        }
    ]
