"""Names, folder commits and manifests (pipeline.output), on a real filesystem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.errors import ThiduaError
from pipeline.output import files
from pipeline.output.manifest import FileRecord, Manifest, OutputRecord, parse_manifest
from pipeline.output.names import ascii_slug, folder_slug
from pipeline.output.staged import Change, FolderCommit, commit_folders


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


def _commit(folder: Path, build: int, *changes: tuple[str, bytes | None]) -> None:
    commit = FolderCommit(folder, build, tuple(Change(p, d) for p, d in changes))
    commit_folders([folder], lambda _: commit, print)


def test_a_commit_keeps_what_it_replaces_in_the_history(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    _commit(folder, 1, ("a.docx", b"one"), ("b.docx", b"two"))
    assert (folder / "a.docx").read_bytes() == b"one"
    _commit(folder, 2, ("a.docx", b"ONE"), ("b.docx", None))
    assert (folder / "a.docx").read_bytes() == b"ONE"
    assert not (folder / "b.docx").exists()
    assert (folder / ".lich-su/0002/a.docx").read_bytes() == b"one"
    assert (folder / ".lich-su/0002/b.docx").read_bytes() == b"two"
    assert sorted(p.name for p in folder.iterdir()) == [".lich-su", "a.docx"]


def test_a_failed_stage_changes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    _commit(folder, 1, ("good.docx", b"old"))
    (folder / "blocker").mkdir()
    with pytest.raises(ThiduaError) as caught:
        _commit(folder, 2, ("good.docx", b"new"), ("blocker", b"data"))
    assert (folder / "good.docx").read_bytes() == b"old", "the first file must not be replaced"
    assert [p.name for p in folder.iterdir() if p.name.startswith(".thidua")] == []
    assert not (folder / ".lich-su/0002").exists()
    (problem,) = caught.value.problems
    assert problem.code == "obstacle" and "blocker" in str(problem.location)


def test_a_new_file_is_created_exclusively_and_never_through_a_link(tmp_path: Path) -> None:
    target = tmp_path / "outside"
    target.write_bytes(b"secret")
    (tmp_path / "link").symlink_to(target)
    with pytest.raises(FileExistsError):
        files.create_new(tmp_path / "link", b"x")
    assert target.read_bytes() == b"secret"
    assert files.read_regular(tmp_path / "link").why == files.LINK


def test_manifest_is_deterministic_json(tmp_path: Path) -> None:
    source = tmp_path / "in.xlsx"
    source.write_bytes(b"abc")
    record = FileRecord.of(source, shown_as="in.xlsx")
    output = OutputRecord.of("a.docx", b"x", 1)
    first = Manifest("1.0", 1, None, (record,), (), (output,)).to_json()
    assert first == Manifest("1.0", 1, None, (record,), (), (output,)).to_json()
    assert parse_manifest(first).outputs == (output,)
    data = json.loads(first)
    assert data["inputs"] == [
        {
            "path": "in.xlsx",
            "size": 3,
            "sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        }
    ]


@pytest.mark.parametrize(
    "raw",
    [
        b"\xef\xbb\xbf{}",
        b"{",
        b"[]",
        b'{"outputs": [{"path": ["a"], "sha256": "0", "size": 1}]}',
        b'{"outputs": [{"path": "a\\u0000b", "sha256": "' + b"0" * 64 + b'", "size": 1}]}',
        b'{"outputs": [{"path": "../x", "sha256": "' + b"0" * 64 + b'", "size": 1}]}',
        b"\xff\xfe",
        b"[" * 100_000,
    ],
)
def test_a_damaged_manifest_is_a_value_error_never_another_exception(raw: bytes) -> None:
    with pytest.raises(ValueError):
        parse_manifest(raw)


def test_two_long_cluster_names_that_begin_alike_get_two_folders() -> None:
    common = "Cụm thi đua các cơ quan tham mưu, giúp việc Tỉnh ủy và các cơ quan đơn vị "
    a, b = folder_slug(common + "khối A"), folder_slug(common + "khối B")
    assert a != b and len(a) <= 60 and len(b) <= 60
    assert ascii_slug(common + "khối A") == ascii_slug(common + "khối B"), "what main did"
