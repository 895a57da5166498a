"""The manifest, the folder names, LibreOffice discovery and the usable cores, at the level of
their functions: what the mutants of pipeline/output/manifest.py, names.py, pdf.py and
pipeline/parallel.py showed the command-line tests leave unsaid.

Expected values come from the documentation (docs/thu-muc-van-ban.md: the folder's layout and
the manifest as users see it) and from Windows' file-name rules (at most 255 characters a name,
no control character, below 32); files are real files in ``tmp_path``.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from pathlib import Path

import pytest

from pipeline import parallel
from pipeline.output import pdf
from pipeline.output.manifest import (
    MANIFEST,
    Manifest,
    OutputRecord,
    Owner,
    parse_manifest,
    plain_name,
    read_manifest,
)
from pipeline.output.names import output_folder
from pipeline.output.pdf import find_soffice

CLUSTER = "Cụm thi đua các Ban Đảng thuộc Tỉnh ủy Lạng Sơn"

# --- manifest.py ---


def test_the_manifest_writes_vietnamese_as_it_is_in_utf8() -> None:
    """docs/thu-muc-van-ban.md shows the owner's cluster in ``manifest.json`` as the text a
    person reads ("Cụm thi đua các Ban Đảng …"), and the docstring says UTF-8: no ``\\u1ee5``
    escapes in the file."""
    owner = Owner(CLUSTER, 2013, "cum.xlsx", "../../../inputs/cum.xlsx")
    raw = Manifest("0.1.0", 2, owner, (), (), ()).to_json()
    assert f'"cluster": "{CLUSTER}"'.encode() in raw
    assert b"\\u" not in raw


def test_a_record_of_an_empty_file_is_read_back() -> None:
    """A size is a count of bytes: 0 (an empty file) is one, as ``len(b"")``; what thidua writes
    it reads back, never as damaged. A negative size is not a size."""
    empty = OutputRecord.of("a.docx", b"", 1)
    manifest = Manifest("0.1.0", 1, None, (), (), (empty,))
    assert parse_manifest(manifest.to_json()).outputs == (empty,)
    negative = manifest.to_json().replace(b'"size": 0', b'"size": -1')
    with pytest.raises(ValueError):
        parse_manifest(negative)


def test_a_file_name_may_have_255_characters_not_256() -> None:
    """Windows (NTFS, and Samba shares) allows 255 characters in one name: a manifest entry of
    255 is a name the folder can hold, one of 256 is not."""
    longest = "a" * 250 + ".docx"
    assert len(longest) == 255
    assert plain_name(longest) == longest
    with pytest.raises(ValueError):
        plain_name("a" + longest)


def test_a_file_name_may_have_a_space_not_a_control_character() -> None:
    """Windows refuses the characters 1 to 31 in a name; the space (32) is an ordinary one."""
    assert plain_name("01 bao cao tong ket.docx") == "01 bao cao tong ket.docx"
    for control in ("\x01", "\x1f", "\t", "\n"):
        with pytest.raises(ValueError):
            plain_name(f"01{control}bao-cao.docx")


def _world_readable_folder() -> Path:
    """A folder another user can reach (pytest's tmp_path lies under a 0700 folder)."""
    folder = Path(tempfile.mkdtemp(prefix="thidua-unreadable-"))
    folder.chmod(0o755)
    return folder


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_an_unreadable_manifest_is_damaged_with_the_systems_reason() -> None:
    """A ``manifest.json`` that cannot be read is damaged, and the warning says why in the
    system's words (``Permission denied``), once: not Python's ``[Errno 13] …: '/path'``, the
    warning names the file already. Read as a user without the right to (root reads anything:
    root gives up its effective ids for the read, in this process, and takes them back)."""
    folder = _world_readable_folder()
    (folder / MANIFEST).write_bytes(b'{"format": 2}')
    (folder / MANIFEST).chmod(0)
    uid, gid = os.geteuid(), os.getegid()
    try:
        if uid == 0:
            try:
                os.setegid(65534)
                os.seteuid(65534)
            except OSError:
                pytest.skip("cannot give up root here")
        found = read_manifest(folder)
    finally:
        if uid == 0:
            os.seteuid(uid)
            os.setegid(gid)
        (folder / MANIFEST).chmod(stat.S_IRUSR | stat.S_IWUSR)
        (folder / MANIFEST).unlink()
        folder.rmdir()
    assert found.status == "damaged"
    assert found.reason == f"không đọc được ({os.strerror(errno.EACCES)})"


# --- names.py ---


def test_the_output_folder_is_the_year_then_the_cluster_folded(tmp_path: Path) -> None:
    """docs/thu-muc-van-ban.md, section 1: ``outputs/2013/cum-thi-dua-cac-ban-dang-thuoc-tinh-uy-
    lang-son/`` for that cluster's 2013."""
    outputs = tmp_path / "outputs"
    assert output_folder(outputs, CLUSTER, 2013) == (
        outputs / "2013" / "cum-thi-dua-cac-ban-dang-thuoc-tinh-uy-lang-son"
    )


# --- pdf.py ---


def _executable(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX executable on PATH")
def test_soffice_on_path_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without ``$THIDUA_SOFFICE``, ``soffice`` on PATH is the one, else ``libreoffice``."""
    monkeypatch.delenv("THIDUA_SOFFICE", raising=False)
    monkeypatch.setattr(pdf, "_WINDOWS_CANDIDATES", ())
    bin_dir = tmp_path / "bin"
    monkeypatch.setenv("PATH", str(bin_dir))
    libreoffice = _executable(bin_dir / "libreoffice")
    assert find_soffice() == str(libreoffice)
    soffice = _executable(bin_dir / "soffice")
    assert find_soffice() == str(soffice)


def test_soffice_in_the_windows_install_folder_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing configured, nothing on PATH: the first of the usual install folders that holds
    ``soffice.exe`` (here the 64-bit one is absent, the 32-bit one installed); none: ``None``."""
    monkeypatch.delenv("THIDUA_SOFFICE", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    program_files = tmp_path / "Program Files" / "LibreOffice/program/soffice.exe"
    program_files_x86 = tmp_path / "Program Files (x86)" / "LibreOffice/program/soffice.exe"
    monkeypatch.setattr(pdf, "_WINDOWS_CANDIDATES", (program_files, program_files_x86))
    assert find_soffice() is None
    _executable(program_files_x86)
    assert find_soffice() == str(program_files_x86)


# --- parallel.py ---


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="no CPU affinity here")
def test_usable_cores_are_this_process_s_own_affinity() -> None:
    """Pinned to one core (as ``taskset -c 0`` would), this process has one usable core, however
    many the machine (and its other processes) have."""
    cores = os.sched_getaffinity(0)
    if len(cores) < 2:
        pytest.skip("one core: pinning changes nothing")
    try:
        os.sched_setaffinity(0, {min(cores)})
        assert parallel.usable_cores() == 1
    finally:
        os.sched_setaffinity(0, cores)
    assert parallel.usable_cores() == len(cores)
