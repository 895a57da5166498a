"""Names, staged all-or-nothing writes and manifests (pipeline.output), on a real filesystem."""

from __future__ import annotations

import json
import os
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


def test_stale_temporaries_of_a_killed_build_are_removed(tmp_path: Path) -> None:
    """Only the temporaries a build stages (``.<name>.<pid>.thidua-tmp``) are removed, before
    anything is written; other hidden files stay."""
    out = tmp_path / "out"
    out.mkdir()
    stale = out / ".a.docx.4242.thidua-tmp"
    stale.write_bytes(b"half a document")
    kept = [out / ".a.docx.thidua-tmp.bak", out / ".ghi-chu", out / "b.thidua-tmp"]
    for path in kept:
        path.write_bytes(b"not ours")
    batch = StagedWrite()
    batch.add(out / "a.docx", b"one")
    assert batch.commit() == [(out / "a.docx", CREATED)]
    assert not stale.exists()
    assert sorted(p.name for p in out.iterdir()) == sorted(["a.docx", *(p.name for p in kept)])


def test_an_unchanged_batch_also_removes_stale_temporaries(tmp_path: Path) -> None:
    (tmp_path / "a.docx").write_bytes(b"one")
    (tmp_path / ".a.docx.7.thidua-tmp").write_bytes(b"x")
    batch = StagedWrite()
    batch.add(tmp_path / "a.docx", b"one")
    assert batch.commit() == [(tmp_path / "a.docx", UNCHANGED)]
    assert [p.name for p in tmp_path.iterdir()] == ["a.docx"]


def test_a_document_open_in_word_is_named_with_the_hint_to_close_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Windows, renaming over a document open in Word fails with PermissionError. Linux has
    no such lock (and root ignores permissions), so the refusal is simulated at os.replace."""
    from pipeline.output import staged

    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    a.write_bytes(b"old a")
    b.write_bytes(b"old b")
    real_replace = os.replace

    def replace(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        if Path(target) == a:
            raise PermissionError(13, "Permission denied", str(target))
        real_replace(source, target)

    monkeypatch.setattr(staged.os, "replace", replace)
    batch = StagedWrite()
    batch.add(a, b"new a")
    batch.add(b, b"new b")
    with pytest.raises(ThiduaError) as caught:
        batch.commit()
    (problem,) = caught.value.problems
    assert problem.code == "write" and problem.location.file == str(a)
    assert problem.message == (
        "Không ghi được tệp (Permission denied); văn bản cũ được giữ nguyên"
    )
    assert problem.hint == "Đóng tệp nếu đang mở trong Word hoặc chương trình khác, rồi chạy lại."
    assert a.read_bytes() == b"old a"
    assert b.read_bytes() == b"new b"  # each document old or new (see pipeline.output.staged)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx", "b.docx"]


def test_a_folder_that_cannot_be_written_gives_the_permission_hint(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_bytes(b"")
    batch = StagedWrite()
    batch.add(blocker / "x.docx", b"data")
    with pytest.raises(ThiduaError) as caught:
        batch.commit()
    (problem,) = caught.value.problems
    assert problem.message.startswith("Không ghi được tệp (")
    assert problem.message.endswith("); văn bản cũ được giữ nguyên")
    assert problem.hint == "Kiểm tra quyền ghi và dung lượng trống của thư mục, rồi chạy lại."


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
