"""Names, folder commits and manifests (pipeline.output), on a real filesystem."""

from __future__ import annotations

import errno
import json
import os
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


def test_stale_temporaries_of_a_killed_build_are_removed(tmp_path: Path) -> None:
    """Only the temporaries an older thidua staged (``.<name>.<pid>.thidua-tmp``) are removed,
    before anything is written; other hidden files stay."""
    out = tmp_path / "out"
    out.mkdir()
    stale = out / ".a.docx.4242.thidua-tmp"
    stale.write_bytes(b"half a document")
    kept = [out / ".a.docx.thidua-tmp.bak", out / ".ghi-chu", out / "b.thidua-tmp"]
    for path in kept:
        path.write_bytes(b"not ours")
    _commit(out, 1, ("a.docx", b"one"))
    assert not stale.exists()
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["a.docx", ".lich-su", *(p.name for p in kept)]
    )


def test_a_commit_with_nothing_to_write_also_removes_stale_temporaries(tmp_path: Path) -> None:
    (tmp_path / "a.docx").write_bytes(b"one")
    (tmp_path / ".a.docx.7.thidua-tmp").write_bytes(b"x")
    assert commit_folders([tmp_path], lambda _: None, print) == []
    assert [p.name for p in tmp_path.iterdir()] == ["a.docx"]


def test_a_rename_that_fails_midway_rolls_the_whole_folder_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rename refused in the middle of a commit (as Windows refuses one over a document Word
    holds, after the probe let it through): every file is put back, the message names the file
    and says to close it. The refusal is made at ``os.rename`` (Linux has no such lock; the
    real lock through an SMB share is in tests/test_commit_smb.py)."""
    folder = tmp_path / "out"
    _commit(folder, 1, ("a.docx", b"old a"), ("b.docx", b"old b"), ("m.json", b"old m"))
    before = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))
    real_rename = os.rename

    def rename(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        if Path(source) == folder / "b.docx":
            raise OSError(errno.EBUSY, "Device or resource busy", str(source))
        real_rename(source, target)

    monkeypatch.setattr(files.os, "rename", rename)
    with pytest.raises(ThiduaError) as caught:
        _commit(folder, 2, ("a.docx", b"new a"), ("b.docx", b"new b"), ("m.json", b"new m"))
    (problem,) = caught.value.problems
    assert problem.code == "file-open" and problem.location.file == str(folder / "b.docx")
    assert problem.hint == "Đóng tệp b.docx trong Word rồi chạy lại."
    assert [(folder / n).read_bytes() for n in ("a.docx", "b.docx", "m.json")] == [
        b"old a",
        b"old b",
        b"old m",
    ]
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) == before


def test_a_folder_that_cannot_be_made_is_a_located_obstacle(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_bytes(b"")
    with pytest.raises(ThiduaError) as caught:
        _commit(blocker / "x", 1, ("x.docx", b"data"))
    (problem,) = caught.value.problems
    assert problem.code == "obstacle" and problem.location.file == blocker.as_posix()
    assert problem.message.endswith("không tệp nào được ghi")
    assert blocker.read_bytes() == b""


@pytest.mark.parametrize("name", ["com1", "COM9", "lpt1", "Lpt9", "aux", "prn"])
def test_every_reserved_windows_name_is_changed(name: str) -> None:
    assert ascii_slug(name) == f"{name.lower()}-"
    assert ascii_slug(f"{name}0") == f"{name.lower()}0"  # com10 is an ordinary name


def test_long_names_are_cut_at_a_word_boundary() -> None:
    words = "-".join(["abcd"] * 12)  # 59 characters
    assert ascii_slug(words + "x") == words + "x"  # 60: kept whole
    assert ascii_slug(words + "xy") == "-".join(["abcd"] * 11)  # 61: the cut word goes
    assert ascii_slug("một hai ba bốn", max_length=11) == "mot-hai-ba"
    assert ascii_slug("a" * 70) == "a" * 60  # no hyphen to cut at
