"""All-or-nothing writes of a batch of files (:class:`StagedWrite`).

Outputs often live on Windows shares and are opened in Word while a colleague regenerates them,
so writing is done in two phases: every new file is first written next to its target under a
temporary name and flushed to disk; only when all of them are staged are they renamed over their
targets (``os.replace``, atomic on one volume, on Windows too). A build that fails or is killed
while staging leaves every previous document untouched; one killed while renaming leaves each
document either old or new, never half-written. Files whose bytes did not change are not touched
at all.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import Location, Problem, ThiduaError

#: Status words printed for each file.
CREATED = "tạo mới"
UPDATED = "cập nhật"
UNCHANGED = "không đổi"

_TMP_SUFFIX = ".thidua-tmp"

#: Test hook: ``THIDUA_TEST_PAUSE=<point>=<file>`` makes a commit create ``<file>`` and wait (at
#: most a minute) when it reaches ``<point>``: ``staged`` (every file staged, none renamed) or
#: ``replaced-<n>`` (after the n-th rename). A test kills the build there, for certain inside the
#: write phase. Nothing else reads it.
_PAUSE_VARIABLE = "THIDUA_TEST_PAUSE"


@dataclass
class StagedWrite:
    """Files to write all together: stage every one, then rename every one.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     target = Path(d) / "x" / "a.txt"
    ...     batch = StagedWrite()
    ...     batch.add(target, b"hello")
    ...     [status for _, status in batch.commit()]
    ...     batch = StagedWrite(); batch.add(target, b"hello")
    ...     [status for _, status in batch.commit()]
    ['tạo mới']
    ['không đổi']
    """

    _items: list[tuple[Path, bytes]] = field(default_factory=list)

    def add(self, target: Path, data: bytes) -> None:
        self._items.append((target, data))

    def planned(self) -> list[tuple[Path, bytes]]:
        """The files added so far, in order (what :meth:`commit` would write)."""
        return list(self._items)

    def commit(self) -> list[tuple[Path, str]]:
        """Write everything; return each target with its status, in the order added.

        Raises :class:`ThiduaError` (and leaves every target untouched) when a file cannot be
        staged, e.g. a read-only share or a full disk.
        """
        statuses: list[tuple[Path, str]] = []
        staged: list[tuple[Path, Path]] = []
        problems: list[Problem] = []
        for folder in {target.parent for target, _ in self._items}:
            remove_stale_temporaries(folder)
        try:
            for target, data in self._items:
                status = _status(target, data)
                statuses.append((target, status))
                if status == UNCHANGED:
                    continue
                try:
                    staged.append((_stage(target, data), target))
                except OSError as exc:
                    problems.append(_write_problem(target, exc))
            if problems:
                raise ThiduaError(problems)
            _pause_point("staged")  # pragma: no mutate
            for count, (temp, target) in enumerate(staged, start=1):  # pragma: no mutate
                try:
                    os.replace(temp, target)
                except PermissionError as exc:  # Windows: the document is open in Word
                    problems.append(_write_problem(target, exc, open_elsewhere=True))
                _pause_point(f"replaced-{count}")  # pragma: no mutate
            if problems:
                raise ThiduaError(problems)
        finally:
            for temp, _ in staged:
                with contextlib.suppress(FileNotFoundError):
                    temp.unlink()
        return statuses


def _pause_point(name: str) -> None:
    """The test hook described at :data:`_PAUSE_VARIABLE` (a no-op unless it names ``name``).

    Only the killed-build test exercises it, in a child process that scripts/mutate.py cannot
    mutate; hence ``no mutate``.
    """
    point, _, signal_file = os.environ.get(_PAUSE_VARIABLE, "").partition("=")  # pragma: no mutate
    if point != name or not signal_file:  # pragma: no mutate
        return
    Path(signal_file).write_text(name, encoding="utf-8")  # pragma: no mutate
    time.sleep(60)  # pragma: no mutate


def _status(target: Path, data: bytes) -> str:
    if not target.exists():
        return CREATED
    try:
        same = target.stat().st_size == len(data) and target.read_bytes() == data
    except OSError:
        same = False
    return UNCHANGED if same else UPDATED


def _stage(target: Path, data: bytes) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.{os.getpid()}{_TMP_SUFFIX}")
    with open(temp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return temp


def remove_stale_temporaries(directory: Path) -> None:
    """Delete temporary files a killed build left behind in ``directory``."""
    if not directory.is_dir():
        return
    for stale in directory.glob(f".*{_TMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            stale.unlink()


def _write_problem(target: Path, exc: OSError, *, open_elsewhere: bool = False) -> Problem:
    hint = (
        "Đóng tệp nếu đang mở trong Word hoặc chương trình khác, rồi chạy lại."
        if open_elsewhere
        else "Kiểm tra quyền ghi và dung lượng trống của thư mục, rồi chạy lại."
    )
    return Problem(
        "error",
        "write",
        f"Không ghi được tệp ({exc.strerror or exc}); văn bản cũ được giữ nguyên",
        hint,
        Location(file=str(target)),
    )
