"""Issue 8 on a real SMB share (Samba started by the tests, mounted with smbnetfs; a second SMB
client holds files open as Word on another PC does: docs/testing-smb.md).

Word holds an open .docx with deny-write (``share_access="r"``): through the mount a replace onto
it gives EEXIST, an open for writing EIO, a delete EBUSY. Today (main) the build then stops with a
raw ``FileExistsError`` traceback and a half-updated folder; here it refuses before the first
rename, names the file and says to close it, and the share holds exactly what it held.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from folder_work import (
    DOCUMENTS,
    MANIFEST,
    SAMPLE,
    SNAPSHOT,
    leftovers,
    make_workdir,
    must,
    paused,
    run,
    status_count,
    write_sample,
)
from smb_server import ShareFolder, SmbClient

pytestmark = pytest.mark.smb

CLUSTER_FOLDER = "2013/cum-thi-dua-cac-ban-dang-thuoc-tinh-uy-lang-son"


def server_tree(backing: Path) -> dict[str, str]:
    """What the server's disk holds under ``backing``: each file's SHA-256, each folder."""
    return {
        p.relative_to(backing).as_posix(): (
            hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
        )
        for p in sorted(backing.rglob("*"))
    }


def built_on_share(tmp_path: Path, share: ShareFolder) -> tuple[Path, str]:
    """A working folder whose outputs are on the share, built once, then corrected so that the
    next build replaces every document. Returns the folder and the ``-o`` value."""
    work = make_workdir(tmp_path / "work")
    out = str(share.mounted / "outputs")
    must(work, "build", "-o", out)
    write_sample(work / "inputs" / SAMPLE, parent="TỈNH ỦY LẠNG SƠN (SỬA)")
    return work, out


@pytest.mark.parametrize("held", [DOCUMENTS[0], DOCUMENTS[3], MANIFEST])
def test_a_file_word_holds_on_the_share_is_named_and_nothing_changes(
    held: str, smb_folder: ShareFolder, smb_client: SmbClient, tmp_path: Path
) -> None:
    """Held: the first document, the last one (today the manifest was then written with the
    hash of a document never written, so the next build called it edited by hand), or the
    manifest itself."""
    work, out = built_on_share(tmp_path, smb_folder)
    backing = smb_folder.backing / "outputs" / CLUSTER_FOLDER
    before = server_tree(backing)
    with smb_client.hold_open(
        f"{smb_folder.rel}/outputs/{CLUSTER_FOLDER}/{held}", share_access="r"
    ):
        code, _, err = run(work, "build", "-o", out)
        assert code == 1, err
        assert "Traceback" not in err
        assert f"Đóng tệp {held} trong Word rồi chạy lại." in err, err
        assert err.count("Lỗi:") == 1, err
        assert server_tree(backing) == before
    assert leftovers(Path(out) / CLUSTER_FOLDER) == []
    # Word closed: the same command now goes through, and nothing is "edited by hand".
    text = must(work, "build", "-o", out)
    assert status_count(text, "cập nhật") == 6, text  # 4 documents, snapshot, manifest
    assert "đã được sửa" not in text
    kept = backing / ".lich-su/0002"
    expected = [*DOCUMENTS, MANIFEST, SNAPSHOT, "lan-lap.json"]
    assert sorted(p.name for p in kept.iterdir()) == sorted(expected)


def test_a_read_only_document_on_the_share_is_never_replaced(
    smb_folder: ShareFolder, tmp_path: Path
) -> None:
    work, out = built_on_share(tmp_path, smb_folder)
    signed = Path(out) / CLUSTER_FOLDER / DOCUMENTS[2]
    signed.chmod(0o444)
    backing = smb_folder.backing / "outputs" / CLUSTER_FOLDER
    before = server_tree(backing)
    code, _, err = run(work, "build", "-o", out)
    assert code == 1 and "chỉ đọc" in err and DOCUMENTS[2] in err, err
    assert server_tree(backing) == before


def test_a_build_killed_in_its_renames_on_the_share_is_completed_next_time(
    smb_folder: ShareFolder, tmp_path: Path
) -> None:
    work, out = built_on_share(tmp_path, smb_folder)
    folder = Path(out) / CLUSTER_FOLDER
    with paused(work, "commit-renamed-5", "build", "-o", out) as process:
        process.kill()
        process.wait()
    assert any(folder.glob(".thidua-dang-ghi-*")), "the journal is left on the share"
    text = must(work, "lich-su", "-o", out)
    assert "đã ghi nốt" in text
    assert leftovers(folder) == []
    assert status_count(must(work, "build", "-o", out), "không đổi") == 6


def test_a_second_build_of_one_folder_on_the_share_waits_its_turn(
    smb_folder: ShareFolder, tmp_path: Path
) -> None:
    """Two secretaries build the same cluster on the share at once: the second is told who is
    writing the folder, and writes nothing."""
    work, out = built_on_share(tmp_path, smb_folder)
    backing = smb_folder.backing / "outputs" / CLUSTER_FOLDER
    with paused(work, "commit-locked", "build", "-o", out, seconds=120) as process:
        before = server_tree(backing)
        code, _, err = run(work, "build", "-o", out)
        assert code == 1 and "Thư mục đang được ghi bởi" in err, err
        assert server_tree(backing) == before
        process.kill()
        process.wait()
    # The killed first build's lock names a process that is gone: the next build breaks it.
    text = must(work, "build", "-o", out)
    assert status_count(text, "cập nhật") == 6, text  # 4 documents, snapshot, manifest
