"""The SMB test share is real: what the fixtures promise, checked against Samba itself.

Each test states one behaviour of the share (through the smbnetfs mount, through a second
smbprotocol client, on the server's disk) that the archive commands will rely on or must work
around. The numbers (errnos, NTSTATUS) are what Samba 4.17 + smbnetfs 0.6.3 answered here; if one
changes, ``tests/smb_server.py`` and ``docs/testing-smb.md`` must change with it.
"""

from __future__ import annotations

import errno
import os
import threading
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
import smb_server
from smb_server import SambaServer, ShareFolder, SmbClient

STATUS_ACCESS_DENIED = 0xC0000022
STATUS_SHARING_VIOLATION = 0xC0000043
STATUS_OBJECT_NAME_INVALID = 0xC0000033

DOCX = "Báo cáo tổng kết thi đua năm 2025.docx"  # NFC, as thidua writes names


def _errno_of(action: Callable[..., object], *args: object) -> int:
    """Call ``action(*args)`` and return the errno of the ``OSError`` it must raise."""
    with pytest.raises(OSError) as caught:
        action(*args)
    return int(caught.value.errno or 0)


def _ntstatus_of(action: Callable[..., object], *args: object) -> int:
    """Call ``action(*args)`` and return the NTSTATUS of the ``SMBOSError`` it must raise."""
    with pytest.raises(OSError) as caught:
        action(*args)
    status = getattr(caught.value, "ntstatus", None)
    assert status is not None, f"not an SMB error: {caught.value!r}"
    return int(status)


def _open_and_close(path: Path, mode: str) -> None:
    with open(path, mode):
        pass


def _after_smbnetfs_eio() -> None:
    """Let smbnetfs's negative cache expire after an EIO it returned.

    smbnetfs answers every call on the host with EIO for ``neg_cache_timeout`` after one failed;
    the fixture sets it to its minimum, 1 ms (see ``smb_server._smbnetfs_config``).
    """
    time.sleep(0.005)


# --- the fixtures are real ---------------------------------------------------------------------


@pytest.mark.smb
def test_a_file_written_through_the_mount_is_on_the_server_and_seen_by_another_client(
    smb_folder: ShareFolder, smb_client: SmbClient
) -> None:
    data = "Kính gửi: Ban Thi đua - Khen thưởng\n".encode() * 1000  # 40 KB
    (smb_folder.mounted / DOCX).write_bytes(data)

    assert (smb_folder.mounted / DOCX).read_bytes() == data
    assert os.listdir(smb_folder.backing) == [DOCX]  # the exact NFC bytes on the server's disk
    assert (smb_folder.backing / DOCX).read_bytes() == data
    assert smb_client.listdir(smb_folder.rel) == [DOCX]
    assert smb_client.read_bytes(f"{smb_folder.rel}/{DOCX}") == data


@pytest.mark.smb
def test_what_another_client_writes_is_seen_through_the_mount_at_once(
    smb_folder: ShareFolder, smb_client: SmbClient
) -> None:
    (smb_folder.mounted / "CURRENT").write_text("v001\n", encoding="utf-8")
    assert (smb_folder.mounted / "CURRENT").read_text(encoding="utf-8") == "v001\n"

    smb_client.write_bytes(f"{smb_folder.rel}/CURRENT", b"v002\n")
    smb_client.write_bytes(f"{smb_folder.rel}/moi.txt", b"x")

    assert (smb_folder.mounted / "CURRENT").read_text(encoding="utf-8") == "v002\n"
    assert sorted(os.listdir(smb_folder.mounted)) == ["CURRENT", "moi.txt"]


@pytest.mark.smb
def test_rename_and_replace_through_the_mount_change_the_server(
    smb_folder: ShareFolder, smb_client: SmbClient
) -> None:
    m = smb_folder.mounted
    (m / "nhap.tmp").write_bytes(b"ban 1")
    os.rename(m / "nhap.tmp", m / DOCX)
    (m / "nhap.tmp").write_bytes(b"ban 2")
    os.replace(m / "nhap.tmp", m / DOCX)

    assert os.listdir(smb_folder.backing) == [DOCX]
    assert (smb_folder.backing / DOCX).read_bytes() == b"ban 2"
    assert smb_client.read_bytes(f"{smb_folder.rel}/{DOCX}") == b"ban 2"


@pytest.mark.smb
def test_the_user_must_give_the_right_password(samba_server: SambaServer) -> None:
    import smbclient
    from smbprotocol.exceptions import LogonFailure

    with pytest.raises(LogonFailure):
        smbclient.register_session(
            samba_server.host,
            username=samba_server.username,
            password="sai-mat-khau",
            port=samba_server.port,
            connection_cache={},
        )


@pytest.mark.smb
def test_server_and_mount_stop_without_leaving_a_process_or_a_mount(tmp_path: Path) -> None:
    """A second server and mount, started and stopped here, leave nothing running."""
    with smb_server.running_samba(tmp_path) as server:
        with smb_server.mounted_share(server, tmp_path) as mount:
            (mount.root / "a.txt").write_text("a", encoding="utf-8")
            assert smb_server.processes_mentioning(str(tmp_path / "smb.conf"))
            assert smb_server.processes_mentioning(str(mount.mountpoint))
        assert not smb_server.processes_mentioning(str(mount.mountpoint))
        assert not os.path.ismount(mount.mountpoint)
    assert not smb_server.processes_mentioning(str(tmp_path))
    assert (tmp_path / "share" / "a.txt").read_text(encoding="utf-8") == "a"


# --- a document held open, as Word holds it ----------------------------------------------------


@pytest.mark.smb
def test_a_document_held_open_deny_write_blocks_replace_through_the_mount(
    smb_folder: ShareFolder, smb_client: SmbClient
) -> None:
    m = smb_folder.mounted
    (m / DOCX).write_bytes(b"da ky")
    (m / "moi.docx").write_bytes(b"ban moi")

    with smb_client.hold_open(f"{smb_folder.rel}/{DOCX}", share_access="r"):
        assert _errno_of(os.replace, m / "moi.docx", m / DOCX) == errno.EEXIST
        assert (smb_folder.backing / DOCX).read_bytes() == b"da ky"
        assert (smb_folder.backing / "moi.docx").read_bytes() == b"ban moi"
        assert _errno_of(os.unlink, m / DOCX) == errno.EBUSY
        assert (m / DOCX).read_bytes() == b"da ky"  # others may still read it
        assert _errno_of(_open_and_close, m / DOCX, "r+b") == errno.EIO
        _after_smbnetfs_eio()
        assert (m / DOCX).read_bytes() == b"da ky"
        assert _errno_of(_open_and_close, m / DOCX, "ab") == errno.EIO
        _after_smbnetfs_eio()
        assert (m / DOCX).read_bytes() == b"da ky"
        assert (smb_folder.backing / DOCX).read_bytes() == b"da ky"

    os.replace(m / "moi.docx", m / DOCX)  # closed in Word: now it works
    assert (smb_folder.backing / DOCX).read_bytes() == b"ban moi"


@pytest.mark.smb
def test_a_document_held_open_deny_write_blocks_replace_over_smb(
    samba_server: SambaServer, smb_folder: ShareFolder, smb_client: SmbClient
) -> None:
    """What a Windows PC meets: MoveFileEx's rename fails with ACCESS_DENIED (WinError 5)."""
    rel = smb_folder.rel
    (smb_folder.mounted / DOCX).write_bytes(b"da ky")
    (smb_folder.mounted / "moi.docx").write_bytes(b"ban moi")
    publisher = SmbClient(samba_server)
    try:
        with smb_client.hold_open(f"{rel}/{DOCX}", share_access="r"):
            replace = _ntstatus_of(publisher.replace, f"{rel}/moi.docx", f"{rel}/{DOCX}")
            assert replace == STATUS_ACCESS_DENIED
            write = _ntstatus_of(publisher.open, f"{rel}/{DOCX}", "wb")
            assert write == STATUS_SHARING_VIOLATION
            assert publisher.read_bytes(f"{rel}/{DOCX}") == b"da ky"
        publisher.replace(f"{rel}/moi.docx", f"{rel}/{DOCX}")
    finally:
        publisher.close()
    assert (smb_folder.backing / DOCX).read_bytes() == b"ban moi"


@pytest.mark.smb
def test_replace_through_the_mount_deletes_the_target_first(
    smb_folder: ShareFolder, smb_client: SmbClient
) -> None:
    """Not atomic: with the target open *with* delete sharing, the old file is lost."""
    m = smb_folder.mounted
    (m / "CURRENT").write_bytes(b"v001")
    (m / "CURRENT.tmp").write_bytes(b"v002")

    with smb_client.hold_open(f"{smb_folder.rel}/CURRENT", share_access="rwd"):
        assert _errno_of(os.replace, m / "CURRENT.tmp", m / "CURRENT") == errno.EEXIST

    assert sorted(os.listdir(smb_folder.backing)) == ["CURRENT.tmp"]


@pytest.mark.smb
def test_replace_over_smb_fails_while_any_client_has_the_target_open(
    smb_folder: ShareFolder, smb_client: SmbClient, samba_server: SambaServer
) -> None:
    """Even a reader that shares everything blocks a rename-with-replace onto its file."""
    rel = smb_folder.rel
    smb_client.write_bytes(f"{rel}/CURRENT", b"v001")
    smb_client.write_bytes(f"{rel}/CURRENT.tmp", b"v002")
    reader = SmbClient(samba_server)
    try:
        with reader.hold_open(f"{rel}/CURRENT", share_access="rwd"):
            replace = _ntstatus_of(smb_client.replace, f"{rel}/CURRENT.tmp", f"{rel}/CURRENT")
            assert replace == STATUS_ACCESS_DENIED
    finally:
        reader.close()
    assert (smb_folder.backing / "CURRENT").read_bytes() == b"v001"
    smb_client.replace(f"{rel}/CURRENT.tmp", f"{rel}/CURRENT")
    assert sorted(os.listdir(smb_folder.backing)) == ["CURRENT"]
    assert (smb_folder.backing / "CURRENT").read_bytes() == b"v002"


# --- publishing a folder -----------------------------------------------------------------------


@pytest.mark.smb
def test_renaming_a_folder_into_place_is_atomic_for_a_reader(
    smb_folder: ShareFolder, samba_server: SambaServer
) -> None:
    """A reader listing the share during renames sees a version whole or not at all."""
    files = ["01-bao-cao.docx", "02-bien-ban.docx", "manifest-sha256.txt"]
    versions = [f"v{n:03d}" for n in range(1, 13)]
    m = smb_folder.mounted
    observations: list[tuple[str, list[str]]] = []  # (version, its files) as the reader saw
    staged_seen: set[str] = set()  # versions the reader saw as staging folders
    errors: list[BaseException] = []
    done = threading.Event()

    def read() -> None:
        reader = SmbClient(samba_server)
        try:
            while not done.is_set():
                names = reader.listdir(smb_folder.rel)
                for v in versions:
                    if v in names and f"{v}.tmp" in names:
                        observations.append((f"{v} twice", names))
                    if v in names:
                        observations.append((v, sorted(reader.listdir(f"{smb_folder.rel}/{v}"))))
                    elif f"{v}.tmp" in names:
                        staged_seen.add(v)
        except BaseException as e:
            errors.append(e)
        finally:
            reader.close()

    thread = threading.Thread(target=read)
    thread.start()
    try:
        for v in versions:
            staging = m / f"{v}.tmp"
            staging.mkdir()
            for name in files:
                (staging / name).write_bytes(f"{v} {name}".encode() * 200)
            # Rename only once the reader has listed the staging folder, so that it is
            # listing while the rename happens.
            deadline = time.monotonic() + 10
            while v not in staged_seen and not errors and time.monotonic() < deadline:
                time.sleep(0.001)
            os.rename(staging, m / v)
        deadline = time.monotonic() + 10  # let the reader see the last one in place too
        while versions[-1] not in {v for v, _ in observations} and time.monotonic() < deadline:
            time.sleep(0.001)
    finally:
        done.set()
        thread.join(timeout=60)
    assert not errors, errors
    assert staged_seen == set(versions)
    assert {v for v, _ in observations} == set(versions)  # each was seen after its rename
    partial = [(v, seen) for v, seen in observations if seen != files]
    assert not partial, partial
    assert sorted(os.listdir(smb_folder.backing)) == versions


@pytest.mark.smb
def test_a_folder_with_a_held_file_cannot_be_renamed_over_smb_but_can_through_the_mount(
    smb_folder: ShareFolder, smb_client: SmbClient, samba_server: SambaServer
) -> None:
    """What Windows would meet when a file in the staging folder is open (indexer, antivirus).

    The mount does not show it: publish tests that need it must rename with ``SmbClient``.
    """
    m = smb_folder.mounted
    (m / "v001.tmp").mkdir()
    (m / "v001.tmp" / "a.docx").write_bytes(b"a")
    publisher = SmbClient(samba_server)
    try:
        with smb_client.hold_open(f"{smb_folder.rel}/v001.tmp/a.docx", share_access="rwd"):
            rename = _ntstatus_of(
                publisher.rename, f"{smb_folder.rel}/v001.tmp", f"{smb_folder.rel}/v001"
            )
            assert rename == STATUS_ACCESS_DENIED
            assert os.listdir(smb_folder.backing) == ["v001.tmp"]
            os.rename(m / "v001.tmp", m / "v001")
            assert os.listdir(smb_folder.backing) == ["v001"]
    finally:
        publisher.close()


@pytest.mark.smb
def test_renaming_a_folder_onto_an_existing_one(smb_folder: ShareFolder) -> None:
    """Onto an empty folder it replaces it (rmdir + rename); onto a full one: ENOTEMPTY."""
    m = smb_folder.mounted
    for name in ("v001.tmp", "v002.tmp"):
        (m / name).mkdir()
        (m / name / "a.docx").write_bytes(name.encode())
    (m / "v001").mkdir()
    os.rename(m / "v001.tmp", m / "v001")
    assert _errno_of(os.rename, m / "v002.tmp", m / "v001") == errno.ENOTEMPTY
    assert (smb_folder.backing / "v001" / "a.docx").read_bytes() == b"v001.tmp"


@pytest.mark.smb
def test_exclusive_create_admits_exactly_one_of_two_clients(
    smb_folder: ShareFolder, smb_client: SmbClient
) -> None:
    """``open(path, "x")``: the base of a lock file two secretaries race for."""
    m = smb_folder.mounted
    with open(m / "luu-tru.lock", "x", encoding="utf-8") as f:
        f.write("may A")
    assert _errno_of(smb_client.open, f"{smb_folder.rel}/luu-tru.lock", "xb") == (errno.EEXIST)
    with smb_client.open(f"{smb_folder.rel}/khoa.lock", "xb") as g:
        g.write(b"may B")
    assert _errno_of(_open_and_close, m / "khoa.lock", "x") == errno.EEXIST

    double_wins: list[int] = []
    for round_ in range(20):
        name = f"race-{round_}.lock"
        winners: list[str] = []
        start = threading.Barrier(2)

        def via_mount(
            name: str = name, winners: list[str] = winners, start: threading.Barrier = start
        ) -> None:
            start.wait()
            try:
                with open(m / name, "x", encoding="utf-8") as f:
                    f.write("mount")
                winners.append("mount")
            except FileExistsError:
                pass

        def via_smb(
            name: str = name, winners: list[str] = winners, start: threading.Barrier = start
        ) -> None:
            start.wait()
            try:
                handle = smb_client.open(f"{smb_folder.rel}/{name}", "xb")
            except OSError as e:
                if e.errno != errno.EEXIST:
                    raise
                return
            with handle:
                handle.write(b"smb")
            winners.append("smb")

        threads = [threading.Thread(target=via_mount), threading.Thread(target=via_smb)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        if len(winners) != 1:
            double_wins.append(round_)
    assert double_wins == []
    assert (smb_folder.backing / "luu-tru.lock").read_bytes() == b"may A"
    assert (smb_folder.backing / "khoa.lock").read_bytes() == b"may B"


# --- names -------------------------------------------------------------------------------------


@pytest.mark.smb
def test_names_are_case_insensitive_and_case_preserving(
    smb_folder: ShareFolder, smb_client: SmbClient
) -> None:
    m = smb_folder.mounted
    (m / "Bao-Cao.docx").write_bytes(b"goc")
    assert (m / "bao-cao.DOCX").read_bytes() == b"goc"
    (m / "BAO-CAO.docx").write_bytes(b"de len")  # overwrites the same file
    assert _errno_of(_open_and_close, m / "bao-cao.docx", "x") == errno.EEXIST
    assert _errno_of(smb_client.open, f"{smb_folder.rel}/bao-cao.docx", "xb") == (errno.EEXIST)
    assert os.listdir(smb_folder.backing) == ["Bao-Cao.docx"]
    assert (smb_folder.backing / "Bao-Cao.docx").read_bytes() == b"de len"


@pytest.mark.smb
def test_windows_reserved_names_are_stored_but_listed_under_mangled_names(
    smb_folder: ShareFolder, smb_client: SmbClient
) -> None:
    reserved = ["CON", "AUX.docx", "nul.txt", "COM1", "trailing.", "trailing "]
    for name in reserved:
        smb_client.write_bytes(f"{smb_folder.rel}/{name}", b"x")
    (smb_folder.mounted / "LPT1.txt").write_bytes(b"x")

    assert sorted(os.listdir(smb_folder.backing)) == sorted([*reserved, "LPT1.txt"])
    for listing in (smb_client.listdir(smb_folder.rel), os.listdir(smb_folder.mounted)):
        assert len(listing) == len(reserved) + 1
        assert not set(listing) & {*reserved, "LPT1.txt"}
        assert all("~" in name for name in listing), listing


@pytest.mark.smb
def test_windows_reserved_characters_are_refused_over_smb_and_mangled_by_the_mount(
    smb_folder: ShareFolder, smb_client: SmbClient
) -> None:
    for char in ':*?"<>|':
        status = _ntstatus_of(smb_client.write_bytes, f"{smb_folder.rel}/a{char}b", b"x")
        assert status == STATUS_OBJECT_NAME_INVALID, char
    assert _errno_of((smb_folder.mounted / "a:b").write_bytes, b"x") == errno.EIO
    _after_smbnetfs_eio()
    (smb_folder.mounted / "hoi?dap").write_bytes(b"x")  # libsmbclient: "?dap" is a URL query
    assert os.listdir(smb_folder.backing) == ["hoi"]


@pytest.mark.smb
def test_names_are_not_unicode_normalised(smb_folder: ShareFolder) -> None:
    nfd = unicodedata.normalize("NFD", DOCX)
    (smb_folder.mounted / nfd).write_bytes(b"tu macOS")
    assert os.listdir(smb_folder.backing) == [nfd]
    assert not (smb_folder.mounted / DOCX).exists()


# --- the skip policy (no server needed) --------------------------------------------------------


def test_a_missing_samba_skips_unless_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(smb_server, "missing_requirements", lambda: ["smbd (Debian package samba)"])
    monkeypatch.delenv("THIDUA_REQUIRE_SMB", raising=False)
    with pytest.raises(pytest.skip.Exception, match="smbd"):
        smb_server.require_smb()
    monkeypatch.setenv("THIDUA_REQUIRE_SMB", "1")
    with pytest.raises(pytest.fail.Exception, match=r"THIDUA_REQUIRE_SMB.*smbd"):
        smb_server.require_smb()


def test_the_unc_path_of_a_share_path() -> None:
    server = SambaServer("127.0.0.1", 1445, "thidua", "u", "p", Path("/b"), Path("/w"), pid=1)
    assert server.unc() == r"\\127.0.0.1\thidua"
    assert server.unc("2025/cum-5/v001") == r"\\127.0.0.1\thidua\2025\cum-5\v001"
    assert server.unc("/a\\b/") == r"\\127.0.0.1\thidua\a\b"
