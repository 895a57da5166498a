"""The hồ sơ bundle for the emulation board: one .zip per cluster-year.

Pure: no I/O. Luật Thi đua, khen thưởng 2022 Điều 84 asks a commendation dossier for the
tờ trình, the báo cáo thành tích and the **biên bản bình xét** (with the vote results); a
cluster's part of it is its biên bản hội nghị (the votes), its danh sách đề nghị khen thưởng and
its báo cáo tổng kết. The caller chooses those documents (their .docx, PDF/A and signed copies)
and adds the Mục lục văn bản; this module only packs them.

The archive is deterministic (:mod:`pipeline.opc`): members in the given order, every member
stamped with the same time (the date of the bundle at 00:00), no extra fields; the same files
give the same bytes on every machine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pipeline.opc import Stamp, deflated_member, write_zip


def bundle_name(year: int) -> str:
    """``ho-so-khen-thuong-2013.zip``: the year stays in the name when the file is e-mailed."""
    return f"ho-so-khen-thuong-{year}.zip"


def bundle_zip(files: Sequence[tuple[str, bytes]], made_on: dt.date) -> bytes:
    """A zip of ``files`` (name inside the zip, bytes), in the given order.

    >>> import io, zipfile
    >>> data = bundle_zip([("a.txt", b"x")], dt.date(2014, 1, 10))
    >>> zipfile.ZipFile(io.BytesIO(data)).getinfo("a.txt").date_time
    (2014, 1, 10, 0, 0, 0)
    >>> data == bundle_zip([("a.txt", b"x")], dt.date(2014, 1, 10))
    True
    """
    stamp = Stamp((made_on.year, made_on.month, made_on.day, 0, 0, 0))
    return write_zip(deflated_member(name, data, stamp=stamp) for name, data in files)
