"""A few files outside the output folders written all together (:class:`StagedWrite`): the
templates of a working folder (``thidua templates cap-nhat``).

Every changed file is first written in full under a fresh temporary name beside its target
(created exclusively, never through a link: :func:`~pipeline.output.files.create_new`); only
when all are staged is each renamed over its target. A file that cannot be staged (a full disk,
a read-only folder) leaves every target untouched, and no temporary file is left. Unlike an
output folder's commit (:mod:`.staged`) there is no history, journal or lock: these files are
the user's templates, and a template thidua replaces is one thidua shipped unchanged.

I/O: the targets' folders.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import Problem, ThiduaError
from pipeline.output import files
from pipeline.output.staged import CREATED, UNCHANGED, UPDATED, write_problem


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
    ...     sorted(p.name for p in target.parent.iterdir())
    ['tạo mới']
    ['không đổi']
    ['a.txt']
    """

    _items: list[tuple[Path, bytes]] = field(default_factory=list)

    def add(self, target: Path, data: bytes) -> None:
        self._items.append((target, data))

    def commit(self) -> list[tuple[Path, str]]:
        """Write everything; return each target with its status, in the order added.

        Raises :class:`ThiduaError` (every target untouched) when a file cannot be staged.
        """
        statuses: list[tuple[Path, str]] = []
        staged: list[tuple[Path, Path]] = []
        problems: list[Problem] = []
        try:
            for target, data in self._items:
                found = files.read_regular(target)
                if found.data == data:
                    statuses.append((target, UNCHANGED))
                    continue
                statuses.append((target, CREATED if found.why == files.MISSING else UPDATED))
                temp = target.with_name(f".{target.name}.{os.getpid()}.thidua-tmp")
                try:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    files.create_new(temp, data)
                except OSError as exc:
                    problems.append(write_problem(target, exc))
                    continue
                staged.append((temp, target))
            if problems:
                raise ThiduaError(problems)
            for temp, target in staged:
                try:
                    files.retrying(lambda t=temp, g=target: os.replace(t, g))  # type: ignore[misc]
                except OSError as exc:
                    problems.append(write_problem(target, exc, held=files.held_elsewhere(exc)))
            if problems:
                raise ThiduaError(problems)
        finally:
            for temp, _ in staged:
                with contextlib.suppress(OSError):
                    files.remove_file(temp)
        return statuses
