"""Publishing to a real SMB share (Samba started by the tests, mounted with smbnetfs; a second
client speaks SMB on the wire as another PC or Word would): publish and verify, files held open
with deny-write, a publish killed at each step, two publishers at once."""

from __future__ import annotations

import contextlib
import hashlib
import json
import signal
import subprocess
from pathlib import Path

import pytest
from archive_work import (
    CLUSTER,
    command,
    correct_report,
    project,
    run,
    snapshot,
    subprocess_env,
    wait_for,
)
from smb_server import ShareFolder, SmbClient

from pipeline.output.archive.publish import current_version, versions
from pipeline.output.archive.verify import verify

pytestmark = [pytest.mark.smb, pytest.mark.libreoffice]


def corrected_copy(tmp_path: Path) -> Path:
    """A working folder whose issued set differs from the ``issued`` stage's (v002 issued)."""
    return project("corrected", tmp_path / "corrected")


def test_publish_and_verify_over_smb(
    smb_folder: ShareFolder, smb_client: SmbClient, tmp_path: Path
) -> None:
    work = project("issued", tmp_path)
    code, out, err = run(work, "luu-tru", str(smb_folder.mounted))
    assert code == 0, out + err
    backing = smb_folder.backing / CLUSTER
    assert sorted(p.name for p in backing.iterdir()) == ["hien-hanh-v001.txt", "v001"]
    # what the server's disk holds is what the manifest says, byte for byte
    for line in (backing / "v001/manifest-sha256.txt").read_text("utf-8").splitlines():
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((backing / "v001" / name).read_bytes()).hexdigest() == digest
    # another PC sees the version whole
    listed = smb_client.listdir(f"{smb_folder.rel}/{CLUSTER}/v001/data")
    assert "02-bien-ban-hoi-nghi.docx" in listed
    code, out, err = run(work, "kiem-tra", str(smb_folder.mounted))
    assert code == 0, out + err
    assert "nguyên vẹn" in out and "hiện hành" in out


def test_word_holds_the_current_version(
    smb_folder: ShareFolder, smb_client: SmbClient, tmp_path: Path
) -> None:
    first = project("issued", tmp_path / "first")
    assert run(first, "luu-tru", str(smb_folder.mounted))[0] == 0
    v001 = snapshot(smb_folder.backing / CLUSTER / "v001")
    second = corrected_copy(tmp_path)
    rel = f"{smb_folder.rel}/{CLUSTER}"
    with (
        smb_client.hold_open(f"{rel}/v001/data/02-bien-ban-hoi-nghi.docx", share_access="r"),
        smb_client.hold_open(f"{rel}/hien-hanh-v001.txt", share_access="r"),
    ):
        code, out, err = run(second, "luu-tru", str(smb_folder.mounted))
        assert code == 0, out + err
        # the old pointer is held open: it stays, and the highest pointer still wins
        assert "đang mở ở máy khác" in out
        assert current_version(smb_folder.mounted / CLUSTER) == "v002"
    backing = smb_folder.backing / CLUSTER
    assert snapshot(backing / "v001") == v001
    assert {"v001", "v002", "hien-hanh-v002.txt"} <= {p.name for p in backing.iterdir()}
    report = verify(smb_folder.mounted)
    assert not report.damaged and report.versions == 2, report.problems
    # the next publish removes the stale pointer once nobody holds it
    code, out, _ = run(second, "luu-tru", str(smb_folder.mounted))
    assert code == 0 and "không đổi" in out
    assert sorted(p.name for p in backing.iterdir()) == ["hien-hanh-v002.txt", "v001", "v002"]


POINTS = ("locked", "copying", "copied", "validated", "renamed", "pointer-written", "pointed")


@pytest.mark.parametrize("point", POINTS)
def test_killed_publish(point: str, smb_folder: ShareFolder, tmp_path: Path) -> None:
    """Killed at each step, a publish leaves the previous versions or the complete new one.

    (The test's name is short on purpose: its folder on the share is named after it, and the
    archive's own check refuses paths over Windows' 259 characters.)
    """
    first = project("issued", tmp_path / "first")
    dest = smb_folder.mounted
    assert run(first, "luu-tru", str(dest))[0] == 0
    cluster = dest / CLUSTER
    v001 = snapshot(smb_folder.backing / CLUSTER / "v001")
    second = corrected_copy(tmp_path)
    marker = tmp_path / "paused"
    env = subprocess_env(THIDUA_TEST_PAUSE=point, THIDUA_TEST_PAUSE_FILE=str(marker))
    process = subprocess.Popen(
        command("luu-tru", str(dest)), cwd=second, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for(marker, process)
        process.send_signal(signal.SIGKILL)
    finally:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        process.wait(timeout=30)
        if process.stdout:
            process.stdout.close()

    # the previous version is untouched; a new one is there only whole
    assert snapshot(smb_folder.backing / CLUSTER / "v001") == v001
    found = versions(cluster)
    assert found in (["v001"], ["v001", "v002"]), found
    expected_new = point in ("renamed", "pointer-written", "pointed")
    assert (found == ["v001", "v002"]) == expected_new
    assert current_version(cluster) == ("v002" if point == "pointed" else "v001")
    report = verify(dest)
    assert not report.damaged, report.problems
    codes = {p.code for p in report.problems}
    assert "locked" in codes  # the killed publisher's lock stays: a person breaks it
    if point in ("renamed", "pointer-written"):
        assert "not-current" in codes

    # a second run is told who holds the lock; a person breaks it; the run then completes
    code, _, err = run(second, "luu-tru", str(dest))
    assert code == 1 and "Đang có người lưu trữ" in err
    assert run(second, "mo-khoa", str(dest), "--yes")[0] == 0
    code, out, err = run(second, "luu-tru", str(dest))
    assert code == 0, out + err
    assert versions(cluster) == ["v001", "v002"] and current_version(cluster) == "v002"
    assert not [p for p in cluster.iterdir() if p.name.startswith(("_dang-chep-", ".hien-hanh"))]
    report = verify(dest)
    assert not report.damaged and not report.problems, report.problems
    assert snapshot(smb_folder.backing / CLUSTER / "v001") == v001


def test_two_publishers_at_once_one_wins(smb_folder: ShareFolder, tmp_path: Path) -> None:
    first = project("issued", tmp_path / "first")
    second = project("issued", tmp_path / "second")
    dest = smb_folder.mounted
    marker = tmp_path / "paused"
    env = subprocess_env(
        THIDUA_TEST_PAUSE="copying", THIDUA_TEST_PAUSE_FILE=str(marker),
        THIDUA_TEST_PAUSE_SECONDS="2",
    )  # fmt: skip
    process = subprocess.Popen(
        command("luu-tru", str(dest)), cwd=first, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for(marker, process)
        code, _, err = run(second, "luu-tru", str(dest))
        assert code == 1 and "Đang có người lưu trữ cụm này" in err
        assert "(pid " in err and "chưa chép tệp nào" in err
        out, _ = process.communicate(timeout=120)
    finally:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        process.wait(timeout=30)
    assert process.returncode == 0, out.decode()
    assert versions(dest / CLUSTER) == ["v001"]
    code, out_text, _ = run(second, "luu-tru", str(dest))
    assert code == 0 and "không đổi" in out_text


def test_lock_of_another_pc(
    smb_folder: ShareFolder, smb_client: SmbClient, tmp_path: Path
) -> None:
    work = project("issued", tmp_path)
    (smb_folder.mounted / CLUSTER).mkdir(parents=True)
    holder = {"nguoi": "van-thu-b", "may": "PC-PHONG-2", "tu_luc": "2014-01-10T09:31:00+07:00",
              "pid": 77}  # fmt: skip
    with smb_client.open(f"{smb_folder.rel}/{CLUSTER}/khoa-luu-tru.json", "xb") as handle:
        handle.write(json.dumps(holder).encode())  # FILE_CREATE from the other PC
    code, _, err = run(work, "luu-tru", str(smb_folder.mounted))
    assert code == 1 and "van-thu-b trên máy PC-PHONG-2" in err
    assert sorted(p.name for p in (smb_folder.backing / CLUSTER).iterdir()) == [
        "khoa-luu-tru.json"
    ]


def test_correction_round_trip_over_smb(smb_folder: ShareFolder, tmp_path: Path) -> None:
    """An issued document survives a later build; the corrected one is v002 beside v001."""
    work = project("issued", tmp_path)
    dest = smb_folder.mounted
    assert run(work, "luu-tru", str(dest))[0] == 0
    correct_report(work)
    assert run(work, "build", "--force")[0] == 0
    assert run(work, "ban-hanh", "--ngay", "20/01/2014")[0] == 0
    code, out, err = run(work, "luu-tru", str(dest))
    assert code == 0, out + err
    assert versions(dest / CLUSTER) == ["v001", "v002"]
    code, out, err = run(work, "kiem-tra", str(dest))
    assert code == 0 and out.count("nguyên vẹn ") == 2, out + err
