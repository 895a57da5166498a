"""Shared fixtures. The SMB ones start a real Samba server (see ``tests/smb_server.py``).

SMB fixtures skip their tests only when this machine lacks Samba, smbnetfs or FUSE *and*
``THIDUA_REQUIRE_SMB`` is not set; with it set (``.ci/run`` sets it) they fail instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import smb_server
from smb_server import MountedShare, SambaServer, ShareFolder, SmbClient


@pytest.fixture(scope="session")
def samba_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SambaServer]:
    """Samba's smbd on 127.0.0.1, a free port, share ``thidua``, for the whole session.

    Stopped at the end; teardown fails if any of its processes is left.
    """
    smb_server.require_smb()
    with smb_server.running_samba(tmp_path_factory.mktemp("smb")) as server:
        yield server


@pytest.fixture(scope="session")
def smb_mount(samba_server: SambaServer) -> Iterator[MountedShare]:
    """The share mounted with smbnetfs (FUSE); ``smb_mount.root`` is the share's top folder."""
    with smb_server.mounted_share(samba_server, samba_server.workdir) as mount:
        yield mount


@pytest.fixture
def smb_client(samba_server: SambaServer) -> Iterator[SmbClient]:
    """A second SMB client (smbprotocol), its own session: another PC, or Word holding a file."""
    client = SmbClient(samba_server)
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def smb_folder(
    request: pytest.FixtureRequest, samba_server: SambaServer, smb_mount: MountedShare
) -> ShareFolder:
    """An empty folder on the share named after the test (left there for post-mortems)."""
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", request.node.name)[:80]
    rel = f"tests/{name}"
    mounted = smb_mount.root / "tests" / name
    mounted.mkdir(parents=True, exist_ok=False)
    return ShareFolder(mounted=mounted, rel=rel, backing=samba_server.backing / "tests" / name)
