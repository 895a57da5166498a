"""Publishing an immutable version of a cluster-year to a destination (``thidua luu-tru``).

``DEST/<năm>/<cụm>/v001/``, ``v002/``, … are never overwritten. The steps, and why (measured on
Samba through a smbnetfs mount, docs/testing-smb.md; reference §3 and §5.1):

1. Every name and the longest path are checked for Windows (:mod:`.names`) before anything is
   written: an over-long destination is an error with nothing copied.
2. The cluster-year's lock is taken (:mod:`.lock`): one publisher at a time.
3. Leftovers of an interrupted publish (``_dang-chep-…`` folders) are removed: under the lock
   nobody else can be writing them.
4. If the newest version already holds exactly these files (same payload manifest), nothing is
   published: re-running is safe.
5. The bag is copied into a new temporary folder beside the versions, each file flushed, then
   validated **there** in full with ``bagit`` (every checksum recomputed from the share's bytes).
6. The folder is renamed to ``vNNN``: a rename to a name that does not exist is one SMB rename,
   which another client sees whole or not at all. ``os.replace`` onto an existing name is *not*
   atomic through a mount (delete, then rename), so nothing is ever replaced.
7. The "current version" pointer is updated last. It is not one file rewritten in place (a reader
   would see it missing during a replace through a mount, and a reader holding it open makes the
   replace fail): each version gets its own pointer file ``hien-hanh-vNNN.txt``, written under a
   temporary name and renamed to its new name. **The current version is the highest NNN with a
   pointer file.** Older pointers are removed afterwards when possible; one that a reader holds
   open simply stays, and changes nothing.

A publish killed at any moment leaves the previous versions untouched and either no new version
(a ``_dang-chep-…`` folder at most, ignored by readers and removed by the next run) or the
complete new one (validated before its rename); between the rename and the pointer the new
version is whole but not yet current, which ``thidua kiem-tra`` reports and the next
``thidua luu-tru`` completes.

I/O: the destination's files. The date, the user and the host are passed in.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import Location, Problem, ThiduaError
from pipeline.output.archive import bag, lock
from pipeline.output.archive.issued import remove_tree, version_name, version_number
from pipeline.output.archive.names import tree_problems
from pipeline.testhooks import pause_point

TEMP_PREFIX = "_dang-chep-"
POINTER_PREFIX = "hien-hanh-"
POINTER_SUFFIX = ".txt"
_POINTER_TEMP = ".hien-hanh-"

Echo = Callable[[str], object]


@dataclass(frozen=True, slots=True)
class Published:
    """What a publish did: the version folder, and whether it was new (``False``: the newest
    version already held these files)."""

    folder: Path
    version: str
    new: bool


def pointer_name(version: str) -> str:
    """``hien-hanh-v002.txt``."""
    return f"{POINTER_PREFIX}{version}{POINTER_SUFFIX}"


def pointed_versions(cluster: Path) -> list[str]:
    """The versions that have a pointer file, oldest first."""
    found = []
    with contextlib.suppress(OSError):
        for child in cluster.iterdir():
            name = child.name
            if name.startswith(POINTER_PREFIX) and name.endswith(POINTER_SUFFIX):
                version = name[len(POINTER_PREFIX) : -len(POINTER_SUFFIX)]
                if version_number(version) is not None:
                    found.append(version)
    return sorted(found, key=lambda v: version_number(v) or 0)


def current_version(cluster: Path) -> str | None:
    """The current version of a cluster-year on a destination: the highest pointer."""
    pointed = pointed_versions(cluster)
    return pointed[-1] if pointed else None


def versions(cluster: Path) -> list[str]:
    """The version folders of a cluster-year, oldest first."""
    with contextlib.suppress(OSError):
        found = [c.name for c in cluster.iterdir() if version_number(c.name) is not None]
        return sorted(
            (name for name in found if (cluster / name).is_dir()),
            key=lambda v: version_number(v) or 0,
        )
    return []


def publish_version(
    destination: Path,
    cluster_rel: str,
    files: Sequence[tuple[str, bytes]],
    me: lock.Holder,
    echo: Echo = print,
) -> Published:
    """Publish the bag ``files`` (:func:`.bag.bag_files`) as the next version of the
    cluster-year ``destination/cluster_rel`` (``2013/cum-...``). See the module docstring."""
    if not destination.is_dir():
        raise ThiduaError(
            Problem(
                "error",
                "destination-missing",
                "Không thấy thư mục đích (ổ chia sẻ chưa kết nối, hoặc gõ sai đường dẫn)",
                "Mở thư mục đó trong Explorer để kiểm tra, hoặc tạo nó trước, rồi chạy lại.",
                Location(file=str(destination)),
            )
        )
    temp_probe = f"{TEMP_PREFIX}v000-{'0' * 8}"
    paths = [f"{cluster_rel}/{temp_probe}/{rel}" for rel, _ in files]
    paths += [f"{cluster_rel}/{lock.LOCK_NAME}", f"{cluster_rel}/{pointer_name('v000')}"]
    problems = tree_problems(str(destination), paths)
    if problems:
        raise ThiduaError(problems)
    cluster = destination.joinpath(*cluster_rel.split("/"))
    try:
        cluster.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _write_error(cluster, exc) from exc
    with lock.held(cluster, me):
        checkpoint("locked")
        for child in _leftovers(cluster):
            remove_tree(child)
            if child.exists():
                echo(f"Lưu ý: không xóa được thư mục dở dang {child} (đang mở ở máy khác?)")
        existing = versions(cluster)
        manifest = dict(files)[bag.MANIFEST]
        if existing:
            latest = existing[-1]
            with contextlib.suppress(OSError):
                if (cluster / latest / bag.MANIFEST).read_bytes() == manifest:
                    _finish_pointer(cluster, latest, echo)
                    return Published(cluster / latest, latest, new=False)
        number = max((version_number(v) or 0 for v in existing), default=0) + 1
        version = version_name(number)
        temp = cluster / f"{TEMP_PREFIX}{version}-{uuid.uuid4().hex[:8]}"
        try:
            _copy(temp, files)
            checkpoint("copied")
            damage = bag.validate(temp)
            if damage:
                raise ThiduaError(
                    Problem(
                        "error",
                        "copy-damaged",
                        "Bản chép trên đích không khớp bản gốc sau khi đọc lại: "
                        + "; ".join(damage[:5])
                        + " (chưa lưu trữ phiên bản nào)",
                        "Kiểm tra kết nối tới ổ chia sẻ và dung lượng trống, rồi chạy lại.",
                        Location(file=str(temp)),
                    )
                )
            checkpoint("validated")
            os.rename(temp, cluster / version)
        except OSError as exc:
            remove_tree(temp)
            raise _write_error(cluster / version, exc) from exc
        except BaseException:
            remove_tree(temp)
            raise
        checkpoint("renamed")
        _finish_pointer(cluster, version, echo)
        checkpoint("pointed")
    return Published(cluster / version, version, new=True)


def _copy(temp: Path, files: Sequence[tuple[str, bytes]]) -> None:
    temp.mkdir()
    for index, (rel, data) in enumerate(files):
        path = temp.joinpath(*rel.split("/"))
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if index == len(files) // 2:
            checkpoint("copying")


def _finish_pointer(cluster: Path, version: str, echo: Echo) -> None:
    """Write ``hien-hanh-<version>.txt`` unless it is there (temporary name, then a rename to
    the new name), then remove older pointers where possible."""
    final = cluster / pointer_name(version)
    if not final.exists():
        temp = cluster / f"{_POINTER_TEMP}{version}-{uuid.uuid4().hex[:8]}.tmp"
        text = (
            f"{version}\n"
            f"Phiên bản hiện hành của thư mục này là {version}. Thư mục {version}/ là một túi "
            "BagIt: kiểm tra bằng lệnh thidua kiem-tra.\n"
        )
        try:
            with open(temp, "xb") as handle:
                handle.write(text.encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
            checkpoint("pointer-written")
            os.rename(temp, final)
        except OSError as exc:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise _write_error(final, exc) from exc
    for older in pointed_versions(cluster):
        if (version_number(older) or 0) < (version_number(version) or 0):
            try:
                (cluster / pointer_name(older)).unlink()
            except OSError:
                echo(
                    f"Lưu ý: tệp {pointer_name(older)} đang mở ở máy khác nên chưa xóa được; "
                    f"phiên bản hiện hành vẫn là {version} (số lớn nhất)."
                )


def _leftovers(cluster: Path) -> list[Path]:
    found = []
    with contextlib.suppress(OSError):
        for child in cluster.iterdir():
            if child.name.startswith(TEMP_PREFIX) or child.name.startswith(_POINTER_TEMP):
                found.append(child)
    return sorted(found)


def leftovers(cluster: Path) -> list[Path]:
    """What an interrupted publish left in a cluster-year (temporary folders and pointers)."""
    return _leftovers(cluster)


def _write_error(path: Path, exc: OSError) -> ThiduaError:
    return ThiduaError(
        Problem(
            "error",
            "publish-write",
            f"Không ghi được lên đích ({exc.strerror or exc}); các phiên bản đã lưu trữ trước "
            "vẫn giữ nguyên",
            "Kiểm tra quyền ghi và dung lượng trống của ổ chia sẻ; nếu một tệp đang mở trong "
            "Word ở máy khác, đóng nó; rồi chạy lại.",
            Location(file=str(path)),
        )
    )


def checkpoint(point: str) -> None:
    """A pause point of :mod:`pipeline.testhooks` (``THIDUA_TEST_PAUSE=<point>``), so that a test
    can kill a publish exactly there. Points, in order: ``locked``, ``copying``, ``copied``,
    ``validated``, ``renamed``, ``pointer-written``, ``pointed``."""
    pause_point(point)
