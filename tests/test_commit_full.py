"""Issue 8: a full disk while a build writes leaves the folder as it was, and no temporary file.

The output folder is on a real, small tmpfs (mounted by the test; root only, as on this
machine's CI), filled by a filler file until only ``free`` bytes are left, so the disk really
fills up at some point of the commit: while a new document is staged, while the journal or the
build's record is written.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from folder_work import (
    DOCUMENTS,
    SAMPLE,
    leftovers,
    make_workdir,
    must,
    run,
    tree,
    visible,
    write_sample,
)

CLUSTER_FOLDER = "2013/cum-thi-dua-cac-ban-dang-thuoc-tinh-uy-lang-son"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs, unmounted afterwards."""
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs Linux and root")
    mountpoint = tmp_path / "disk"
    mountpoint.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mountpoint)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", str(mountpoint)], check=True)


def fill(disk: Path, free: int) -> Path:
    """Fill ``disk`` until ``free`` bytes are left; return the filler file."""
    filler = disk / "filler"
    st = os.statvfs(disk)
    size = st.f_bavail * st.f_frsize - free
    with filler.open("wb") as handle, contextlib.suppress(OSError):
        handle.write(b"\0" * max(size, 0))
    return filler


@pytest.mark.parametrize("free", [0, 8 * 1024, 60 * 1024, 130 * 1024, 164 * 1024, 180 * 1024])
def test_a_full_disk_leaves_the_folder_as_it_was_and_no_temporary_file(
    small_disk: Path, tmp_path: Path, free: int
) -> None:
    work = make_workdir(tmp_path / "work")
    out = small_disk / "outputs"
    must(work, "build", "-o", str(out))
    folder = out / CLUSTER_FOLDER
    write_sample(work / "inputs" / SAMPLE, parent="TỈNH ỦY LẠNG SƠN (SỬA)")
    before = tree(out)
    filler = fill(small_disk, free)

    code, _, err = run(work, "build", "-o", str(out))
    assert "Traceback" not in err
    if code == 0:  # it fitted: then it is the complete new set
        assert free >= 130 * 1024, "the new set cannot fit in so little space"
        assert all(
            visible(folder)[name] != before[f"{CLUSTER_FOLDER}/{name}"] for name in DOCUMENTS
        )
    else:
        assert "ổ đĩa đã đầy" in err, err
        filler_tree = tree(out)
        assert filler_tree == before, "a full disk must change nothing"
    assert leftovers(folder) == []

    filler.unlink()
    text = must(work, "build", "-o", str(out))
    assert "cập nhật" in text or code == 0
    assert leftovers(folder) == []
