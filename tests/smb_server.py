"""A real SMB share for the tests: Samba's ``smbd`` on 127.0.0.1, two kinds of client.

Nothing here pretends. :func:`running_samba` starts the Debian ``smbd`` with a private
configuration (its own smb.conf, lock/state/cache/private/pid dirs, passdb and log inside one
temporary folder) on a free port of 127.0.0.1, with one share backed by a temporary folder and one
user with a password. :func:`mounted_share` reaches that share as a filesystem through
``smbnetfs`` (FUSE over libsmbclient: the kernel here has no CIFS), so code that writes with
``open``/``os.replace``/``os.rename`` runs unchanged against the share. :class:`SmbClient` is a
second, independent client (``smbprotocol``, pure Python) that speaks SMB2/3 on the wire the way a
Windows PC does; it is what a mount cannot be: a Word-like reader holding a document open with
deny-write (:meth:`SmbClient.hold_open`), a second secretary's PC, an observer that lists the
share during a publish.

What was measured on Samba 4.17 + smbnetfs 0.6.3 + smbprotocol 1.17 (``tests/test_smb_share.py``
checks each point; ``docs/testing-smb.md`` explains them):

* A file held open by another client with ``share_access="r"`` (read allowed, write and delete
  denied: how Word holds an open .docx):

  - ``os.replace(new, held)`` through the mount fails with ``OSError`` errno ``EEXIST`` (17);
    the held file and ``new`` are both unchanged;
  - ``open(held, "r+"/"w"/"a")`` through the mount fails with errno ``EIO`` (5), not EBUSY:
    smbnetfs turns the server's sharing violation into EIO; reading it still works;
  - ``os.unlink(held)`` through the mount fails with errno ``EBUSY`` (16);
  - over SMB (what Windows' ``MoveFileEx`` sends), rename-with-replace onto it fails with
    NTSTATUS ``STATUS_ACCESS_DENIED`` (0xC0000022), opening it for writing with
    ``STATUS_SHARING_VIOLATION`` (0xC0000043). ``smbprotocol`` raises ``SMBOSError``, an
    ``OSError`` whose errno is 0 and EPERM for these two: look at ``.ntstatus``;
  - renaming the *folder* that holds it fails over SMB with ``STATUS_ACCESS_DENIED`` (even if
    it is held with delete sharing), but succeeds through the mount: a publish test that must
    meet this failure renames with ``SmbClient``.

* Rename-with-replace onto a file fails while *any* other client has it open, even with delete
  sharing: a reader of a ``CURRENT`` pointer makes its update fail (seen in 153 of 200 updates
  with one reader in a loop), so a pointer update needs bounded retries.
* ``os.replace`` onto an *existing* file through the mount is **not atomic**: smbnetfs and
  libsmbclient delete the target, then rename. A reader in a loop saw ``CURRENT`` missing 504
  times during 200 replaces (0 times with ``SmbClient.replace``). If the target is open with
  delete sharing (``share_access="rwd"``), the delete succeeds (pending), the rename fails with
  ``EEXIST``, and the old file vanishes when its holder closes it.
* ``os.rename(folder, new_name)`` to a name that does not exist is one SMB rename: another
  client listing the parent sees the old name or the new one, with all files, never a partial
  folder. Onto an existing *empty* folder it is rmdir + rename (not atomic).
* ``open(path, "x")`` is exclusive on the server, through the mount and with
  ``SmbClient.open(path, "xb")`` (FILE_CREATE); a loser gets errno EEXIST (from smbprotocol an
  ``SMBOSError``, not a ``FileExistsError``: test ``e.errno``). ``flock``/``lockf`` on the mount
  "succeed" but are local to this machine: never a lock between clients.
* Names: case-insensitive, case-preserving; ``CON``, ``AUX.docx``, ``trail.`` are stored but
  listed to every client under a mangled 8.3 name (``CSHOFG~F``); ``: * ? " < > |`` are refused
  over SMB (``STATUS_OBJECT_NAME_INVALID``), and through the mount ``a?b`` silently creates
  ``a`` (libsmbclient reads ``?`` as a URL query); names are not Unicode-normalised (an NFD name
  is not found by its NFC spelling); a 256-character name fails (EIO through the mount).

The server uses Samba's defaults for everything a share decides (case handling, name mangling),
and only private paths, a port and one user are set: the share behaves like an office's Samba
share, not like a Windows server (which also refuses ``CON`` and names with trailing dots).

Linux only, and run as root (smbd switches users; libfuse2 mounts directly as root). No process
outlives the context managers: each one stops its processes and checks that none is left.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

SHARE_NAME = "thidua"
HOST = "127.0.0.1"

_STARTUP_TIMEOUT_S = 15.0
_STOP_TIMEOUT_S = 10.0


def missing_requirements() -> list[str]:
    """What this machine lacks to run a real share; empty when everything is there.

    Each entry names the missing piece the way a person would install it.
    """
    missing: list[str] = []
    for program, package in (
        ("smbd", "samba"),
        ("smbpasswd", "samba"),
        ("smbnetfs", "smbnetfs"),
        ("fusermount", "fuse3"),
    ):
        if shutil.which(program, path=_sbin_path()) is None:
            missing.append(f"{program} (Debian package {package})")
    if not Path("/dev/fuse").exists():
        missing.append("/dev/fuse")
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        missing.append("root (smbd must switch users; FUSE mounts as root)")
    try:
        import smbclient  # noqa: F401
    except ImportError:
        missing.append("smbprotocol (pip install -e '.[test]')")
    return missing


def require_smb() -> None:
    """Skip the calling test when the share cannot run here, or fail if it must run.

    ``THIDUA_REQUIRE_SMB`` set (``.ci/run`` sets it): a missing piece fails the test, so CI
    never reports a skipped share as a pass. Unset: the test is skipped, naming what is missing.
    """
    import pytest

    missing = missing_requirements()
    if not missing:
        return
    what = ", ".join(missing)
    if os.environ.get("THIDUA_REQUIRE_SMB"):
        pytest.fail(f"THIDUA_REQUIRE_SMB is set but this machine lacks: {what}")
    pytest.skip(f"no SMB test share here (missing: {what})")


def _sbin_path() -> str:
    """PATH plus the sbin folders, where Debian puts smbd for non-login shells too."""
    return os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])


def _program(name: str) -> str:
    found = shutil.which(name, path=_sbin_path())
    if found is None:
        raise FileNotFoundError(f"{name} is not installed")
    return found


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on now (445 may be taken by a real smbd)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


def processes_mentioning(marker: str) -> list[int]:
    """Pids of live processes whose command line contains ``marker`` (a path of ours).

    Every process this module starts carries its private folder on its command line (smbd its
    ``--configfile``, smbnetfs its mount point), so this finds exactly ours, children included.
    Zombies are not counted: they hold nothing.
    """
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z" and marker.encode() in cmdline:
            found.append(int(entry.name))
    return found


def _wait_until(predicate: Callable[[], bool], timeout: float, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


def _stop_process_group(process: subprocess.Popen[bytes], marker: str) -> None:
    """SIGTERM the group ``process`` leads, then SIGKILL what is left; raise if anything stays."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=_STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=_STOP_TIMEOUT_S)
    if not _wait_until(lambda: not processes_mentioning(marker), _STOP_TIMEOUT_S):
        for pid in processes_mentioning(marker):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        _wait_until(lambda: not processes_mentioning(marker), _STOP_TIMEOUT_S)
    left = processes_mentioning(marker)
    if left:
        raise RuntimeError(f"processes still running after stop ({marker}): {left}")


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return f"(no {path.name})"


# --- the server -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SambaServer:
    """A running ``smbd`` serving :attr:`backing` as ``\\\\127.0.0.1\\thidua`` on :attr:`port`."""

    host: str
    port: int
    share: str
    username: str
    password: str
    backing: Path
    """The folder smbd serves: what the server's disk holds, for checking from outside SMB."""
    workdir: Path
    """The private folder: smb.conf, passdb, locks, ``log.smbd``."""
    pid: int

    def unc(self, relative: str = "") -> str:
        r"""The UNC path ``\\127.0.0.1\thidua\a\b`` of ``a/b`` (``/`` or ``\`` separated)."""
        parts = [p for p in relative.replace("\\", "/").split("/") if p]
        return "\\".join([f"\\\\{self.host}", self.share, *parts])

    @property
    def log(self) -> Path:
        return self.workdir / "log.smbd"


def _server_config(workdir: Path, backing: Path, port: int) -> str:
    """smb.conf: Samba's defaults for the share's behaviour, private paths for everything else.

    ``rpc start on demand helpers = no``: no ``samba-dcerpcd`` (nothing here needs RPC, and it
    would log to /var/log/samba before reading this file). ``disable netbios``: no nmbd, no
    port 139.
    """
    d = workdir
    return f"""\
[global]
  server role = standalone server
  workgroup = THIDUA
  netbios name = THIDUA-TEST
  interfaces = {HOST}
  bind interfaces only = yes
  smb ports = {port}
  disable netbios = yes
  rpc start on demand helpers = no
  lock directory = {d}/lock
  state directory = {d}/state
  cache directory = {d}/cache
  private dir = {d}/private
  pid directory = {d}/pid
  ncalrpc dir = {d}/ncalrpc
  binddns dir = {d}/bind-dns
  passdb backend = tdbsam:{d}/private/passdb.tdb
  log file = {d}/log.smbd
  max log size = 0
  log level = 1
  map to guest = never
  load printers = no
  printing = bsd
  printcap name = /dev/null
  disable spoolss = yes
  usershare path =

[{SHARE_NAME}]
  path = {backing}
  read only = no
  browseable = yes
"""


@contextlib.contextmanager
def running_samba(workdir: Path) -> Iterator[SambaServer]:
    """Start ``smbd`` in ``workdir`` (which must exist and be empty-ish); stop it on exit.

    The user is the Unix account running the tests (smbd maps SMB users to Unix ones; no account
    is created on the machine), with a fresh random password in the private passdb. On exit every
    process of this server is gone, or ``RuntimeError`` says which pids are left.
    """
    for sub in ("lock", "state", "cache", "private", "pid", "ncalrpc", "bind-dns"):
        (workdir / sub).mkdir(parents=True, exist_ok=True)
    (workdir / "private").chmod(0o700)
    backing = workdir / "share"
    backing.mkdir(exist_ok=True)
    port = free_port()
    config = workdir / "smb.conf"
    config.write_text(_server_config(workdir, backing, port), encoding="utf-8")
    import pwd  # POSIX only: this module must still import on Windows, where it skips

    username = pwd.getpwuid(os.geteuid()).pw_name
    password = "Mk-" + secrets.token_urlsafe(12)
    subprocess.run(
        [_program("smbpasswd"), "-c", str(config), "-s", "-a", username],
        input=f"{password}\n{password}\n".encode(),
        check=True,
        capture_output=True,
        timeout=30,
    )
    with (workdir / "smbd.stdout").open("wb") as out:
        process = subprocess.Popen(
            [
                _program("smbd"),
                "--foreground",
                "--no-process-group",
                f"--configfile={config}",
                "--debug-stdout",
            ],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as one, never by name
        )
    try:

        def listening() -> bool:
            if process.poll() is not None:
                raise RuntimeError(
                    f"smbd exited with {process.returncode}:\n{_tail(workdir / 'smbd.stdout')}"
                )
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                s.settimeout(0.2)
                return s.connect_ex((HOST, port)) == 0

        if not _wait_until(listening, _STARTUP_TIMEOUT_S):
            raise RuntimeError(
                f"smbd did not listen on {HOST}:{port}:\n{_tail(workdir / 'log.smbd')}"
            )
        yield SambaServer(HOST, port, SHARE_NAME, username, password, backing, workdir, process.pid)
    finally:
        _stop_process_group(process, str(config))


# --- the mount --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MountedShare:
    """The share mounted with smbnetfs: :attr:`root` is ``\\\\127.0.0.1\\thidua`` as a folder."""

    mountpoint: Path
    root: Path
    log: Path


def _smbnetfs_config(server: SambaServer, log: Path) -> str:
    """smbnetfs.conf: one static host, our user, no network browsing, no keyring.

    ``max_retry_count 0`` and ``neg_cache_timeout 1``: when the server refuses an open (a sharing
    violation), smbnetfs's worker exits; by default it then retries twice with 2 s sleeps and
    answers EIO for *every* path of the host for 3 s. With these two settings the refused call
    fails at once and the next one works. (``neg_cache "false"`` would be the obvious setting,
    but smbnetfs 0.6.3 deadlocks on it: neg_cache_enable() takes its mutex, then
    neg_cache_flush() takes it again.)
    """
    return f"""\
smb_query_browsers "false"
use_libsecret "false"
show_hidden_hosts "false"
stat_workaround_depth 0
stat_workaround_enable_default_entries "false"
max_retry_count 0
neg_cache_timeout 1
smbnetfs_debug 1
log_file "{log}"
host "{server.host}" visible=true
auth "{server.host}" "{server.username}" "{server.password}"
"""


def _client_smb_conf() -> str:
    """The smb.conf libsmbclient reads from ``$HOME/.smb/``: keeps /etc/samba/smb.conf out."""
    return """\
[global]
  workgroup = THIDUA
  disable netbios = yes
  client min protocol = SMB2_10
"""


def _is_mounted(mountpoint: Path) -> bool:
    target = os.fsencode(mountpoint)
    with open("/proc/self/mountinfo", "rb") as f:
        for line in f:
            fields = line.split()
            # mountinfo escapes blanks in paths as \040; our paths have none.
            if len(fields) > 4 and fields[4] == target:
                return True
    return False


def _fusermount() -> str:
    return shutil.which("fusermount3") or _program("fusermount")


@contextlib.contextmanager
def mounted_share(server: SambaServer, workdir: Path) -> Iterator[MountedShare]:
    """Mount ``server``'s share with smbnetfs under ``workdir``; unmount and check on exit.

    smbnetfs reaches a non-445 port through the path itself: ``<mountpoint>/127.0.0.1:PORT/share``
    is ``smb://127.0.0.1:PORT/share`` for libsmbclient (``smb ports`` in the client smb.conf is
    ignored by libsmbclient 4.17). The FUSE caches are off (``entry_timeout=0``,
    ``attr_timeout=0``, ``negative_timeout=0``), so what another client changes is seen at once,
    as on a real share; names are UTF-8 whatever the locale (``local_charset=UTF-8``).
    """
    home = workdir / "home"
    (home / ".smb").mkdir(parents=True, exist_ok=True)
    mountpoint = workdir / "mnt"
    mountpoint.mkdir(exist_ok=True)
    log = workdir / "smbnetfs.log"
    config = home / ".smb" / "smbnetfs.conf"
    config.write_text(_smbnetfs_config(server, log), encoding="utf-8")
    config.chmod(stat.S_IRUSR | stat.S_IWUSR)  # smbnetfs ignores auth lines in a readable file
    (home / ".smb" / "smb.conf").write_text(_client_smb_conf(), encoding="utf-8")
    env = {**os.environ, "HOME": str(home), "LC_ALL": "C.UTF-8"}
    options = ",".join(
        [
            f"config={config}",
            "local_charset=UTF-8",
            "entry_timeout=0",
            "attr_timeout=0",
            "negative_timeout=0",
        ]
    )
    with (workdir / "smbnetfs.stdout").open("wb") as out:
        process = subprocess.Popen(
            [_program("smbnetfs"), str(mountpoint), "-f", "-o", options],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    root = mountpoint / f"{server.host}:{server.port}" / server.share
    try:

        def ready() -> bool:
            if process.poll() is not None:
                raise RuntimeError(
                    f"smbnetfs exited with {process.returncode}:\n"
                    f"{_tail(workdir / 'smbnetfs.stdout')}\n{_tail(log)}"
                )
            if not _is_mounted(mountpoint):
                return False
            try:
                os.listdir(root)
            except OSError:
                return False
            return True

        if not _wait_until(ready, _STARTUP_TIMEOUT_S, interval=0.1):
            raise RuntimeError(f"the share did not appear at {root}:\n{_tail(log)}")
        yield MountedShare(mountpoint, root, log)
    finally:
        if _is_mounted(mountpoint):
            done = subprocess.run(
                [_fusermount(), "-u", str(mountpoint)], capture_output=True, timeout=30
            )
            if done.returncode != 0:  # busy: detach now, the kernel finishes when it is free
                subprocess.run(
                    [_fusermount(), "-u", "-z", str(mountpoint)], capture_output=True, timeout=30
                )
        _stop_process_group(process, str(mountpoint))
        if _is_mounted(mountpoint):
            raise RuntimeError(f"{mountpoint} is still mounted")


@dataclass(frozen=True)
class ShareFolder:
    """A fresh folder on the share for one test, seen three ways.

    ``mounted``: through the smbnetfs mount (what product code writes to); ``rel``: its path
    inside the share, for :class:`SmbClient` (``f"{folder.rel}/a.docx"``); ``backing``: the
    same folder on the server's disk, for checking what the server really holds.
    """

    mounted: Path
    rel: str
    backing: Path


# --- the second client ------------------------------------------------------------------------


@dataclass
class SmbClient:
    """One SMB session of its own (its own TCP connection), like one more PC on the network.

    Paths are relative to the share, ``/`` separated. Errors are ``smbprotocol``'s
    ``SMBOSError`` (an ``OSError``; ``.ntstatus`` holds the NTSTATUS the server sent).
    """

    server: SambaServer
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        import smbclient

        smbclient.register_session(
            self.server.host,
            username=self.server.username,
            password=self.server.password,
            port=self.server.port,
            connection_cache=self._cache,
        )

    def _kw(self) -> dict[str, Any]:
        return {"port": self.server.port, "connection_cache": self._cache}

    def open(self, relative: str, mode: str = "rb", share_access: str | None = None) -> IO[Any]:
        """``smbclient.open_file``: ``mode="x"`` sends FILE_CREATE; ``share_access`` is what
        other opens may do meanwhile (``"r"``, ``"rw"``, ``"rwd"``; None: nothing)."""
        import smbclient

        handle: IO[Any] = smbclient.open_file(
            self.server.unc(relative), mode=mode, share_access=share_access, **self._kw()
        )
        return handle

    @contextlib.contextmanager
    def hold_open(self, relative: str, share_access: str = "r") -> Iterator[IO[Any]]:
        """Keep ``relative`` open for reading, as Word keeps an open document.

        ``share_access="r"`` (the default) lets others read but not write, rename over or
        delete it. Observed meanwhile (see the module docstring): through the smbnetfs mount
        ``os.replace(x, held)`` → ``OSError`` errno EEXIST (17), ``open(held, "r+")`` → errno
        EIO (5), ``os.unlink(held)`` → errno EBUSY (16), reading works; over SMB,
        :meth:`replace` onto it → ``STATUS_ACCESS_DENIED`` (what Windows' ``os.replace`` reports
        as ``PermissionError`` WinError 5), opening it for writing →
        ``STATUS_SHARING_VIOLATION`` (WinError 32 on Windows).
        """
        handle = self.open(relative, "rb", share_access=share_access)
        try:
            yield handle
        finally:
            handle.close()

    def read_bytes(self, relative: str) -> bytes:
        """Read a whole file, sharing read and write (as Python's ``open`` does on Windows)."""
        with self.open(relative, "rb", share_access="rw") as f:
            data: bytes = f.read()
            return data

    def write_bytes(self, relative: str, data: bytes) -> None:
        """Create or overwrite a file, sharing read and write (as Python's ``open`` on Windows)."""
        with self.open(relative, "wb", share_access="rw") as f:
            f.write(data)

    def listdir(self, relative: str = "") -> list[str]:
        import smbclient

        names: list[str] = smbclient.listdir(self.server.unc(relative), **self._kw())
        return names

    def exists(self, relative: str) -> bool:
        import smbclient

        try:
            smbclient.stat(self.server.unc(relative), **self._kw())
        except OSError as e:
            if e.errno == errno.ENOENT:
                return False
            raise
        return True

    def replace(self, source: str, target: str) -> None:
        """One SET_INFO FileRenameInformation with ReplaceIfExists, as ``MoveFileEx`` sends."""
        import smbclient

        smbclient.replace(self.server.unc(source), self.server.unc(target), **self._kw())

    def rename(self, source: str, target: str) -> None:
        """Rename without replacing: fails with EEXIST if ``target`` exists."""
        import smbclient

        smbclient.rename(self.server.unc(source), self.server.unc(target), **self._kw())

    def close(self) -> None:
        """End this session (its files are closed by the server)."""
        import smbclient

        smbclient.reset_connection_cache(fail_on_error=False, connection_cache=self._cache)
