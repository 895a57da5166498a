"""Hostile or broken workbook files end in a located error, within bounded time and memory.

Each file is real: the sample workbook with one part made hostile (a sheet the format does not
use that inflates to 128 MiB or 1 GiB, or holds 16.384 × 300 cells; a used sheet too large; a
member whose zip header lies about its size; a damaged ``[Content_Types].xml``), or a path that
is not a file at all (a FIFO, ``/dev/zero``), or a name that is not UTF-8. ``thidua check`` runs
in a child process, so a hang or a runaway allocation cannot take the test run down with it; the
child reports its own peak memory (``VmHWM``, else ``resource.getrusage``) and time. The bounds
(10 s, 300 MB) are limits against runaway, not speed claims: the normal case is measured in
benchmarks.
"""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.workbook.sample import sample_sheets
from pipeline.workbook.schema import MAX_PART_BYTES
from pipeline.workbook.xlsx_write import write_workbook

ROOT = Path(__file__).resolve().parents[1]
MiB = 1024 * 1024
MAX_SECONDS = 10
MAX_RSS_MB = 300

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="resource and FIFOs are POSIX")

#: The child measures its own peak memory: the high-water mark of its address space
#: (``VmHWM``), not ``getrusage``'s ``ru_maxrss``, which on Linux keeps the peak of the process
#: forked from the test run before ``exec`` (the whole pytest process).
_CHILD = """
import json, resource, sys, time
from pathlib import Path
started = time.perf_counter()
from pipeline.checking import check
problems = check([Path(sys.argv[1])])
try:
    status = Path("/proc/self/status").read_text()
    peak_kb = int(next(l for l in status.splitlines() if l.startswith("VmHWM:")).split()[1])
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_kb = peak // 1024 if sys.platform == "darwin" else peak
print(json.dumps({
    "seconds": time.perf_counter() - started,
    "rss_mb": peak_kb / 1024,
    "problems": [p.as_dict() for p in problems],
}, ensure_ascii=False))
"""


def checked_in_child(path: Path) -> dict[str, object]:
    """``check`` of ``path`` in a fresh interpreter: its problems, peak RSS (MB) and seconds."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, os.fsdecode(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,  # far beyond the bound below: a hang fails here instead of blocking
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


def within_bounds(result: dict[str, object]) -> list[tuple[str, str, str | None]]:
    assert isinstance(result["seconds"], float) and result["seconds"] < MAX_SECONDS, result
    assert isinstance(result["rss_mb"], float) and result["rss_mb"] < MAX_RSS_MB, result
    problems = result["problems"]
    assert isinstance(problems, list)
    return [
        (p["code"], p.get("sheet"), p.get("cell")) for p in problems if p["severity"] == "error"
    ]


def thidua(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


# --- building hostile files --------------------------------------------------------------------


def sample(tmp_path: Path, name: str = "cum.xlsx") -> Path:
    path = tmp_path / name
    write_workbook(sample_sheets(), path)
    return path


def rows(columns: int, total_bytes: int) -> Iterator[bytes]:
    """About ``total_bytes`` of sheet rows, ``columns`` numeric cells each, in chunks of about
    1 MiB: the same row again and again (a hostile file need not vary, and so compresses
    a thousandfold, as a zip bomb does)."""
    row = b'<row r="2">%s</row>' % b"".join(
        b'<c r="%s2"><v>%d</v></c>' % (_letters(c), c) for c in range(1, columns + 1)
    )
    chunk = row * max(1, MiB // len(row))
    for _ in range(max(1, total_bytes // len(chunk))):
        yield chunk


def _letters(index: int) -> bytes:
    letters = b""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = bytes([65 + rest]) + letters
    return letters


_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_TAIL = b"</sheetData></worksheet>"


def with_sheet(path: Path, title: str, body: Iterator[bytes], replace: str | None = None) -> Path:
    """The workbook with one more worksheet ``title`` (or the worksheet part ``replace``
    rewritten) whose XML is streamed from ``body``, deflated as it is written."""
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info.filename) for info in source.infolist()}
    part = replace or "xl/worksheets/sheetExtra.xml"
    members.pop(part, None)
    if replace is None:
        members["xl/workbook.xml"] = members["xl/workbook.xml"].replace(
            b"</sheets>",
            f'<sheet xmlns:r="{_RELATIONSHIPS}" name="{title}" sheetId="99" r:id="rIdExtra"/>'
            "</sheets>".encode(),
        )
        members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
            b"</Relationships>",
            b'<Relationship Id="rIdExtra" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/worksheet" Target="worksheets/sheetExtra.xml"/>'
            b"</Relationships>",
        )
        members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
            b"</Types>",
            b'<Override PartName="/xl/worksheets/sheetExtra.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
    out = path.with_name(path.stem + "-extra.xlsx")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for name, data in members.items():
            target.writestr(name, data)
        with target.open(part, "w", force_zip64=True) as member:
            member.write(_HEAD)
            for chunk in body:
                member.write(chunk)
            member.write(_TAIL)
    return out


def worksheet_part(path: Path, title: str) -> str:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        return str(workbook[title]._worksheet_path).lstrip("/")  # type: ignore[attr-defined]
    finally:
        workbook.close()


# --- sheets the format does not use: never inflated --------------------------------------------


@posix_only
@pytest.mark.parametrize(
    ("label", "columns", "size"),
    [
        ("128 MiB", 10, 128 * MiB),
        ("16.384 × 300", 300, 16_384 * 300 * 24),
        ("1 GiB", 10, 1024 * MiB),
    ],
)
def test_an_ignored_sheet_is_never_inflated(
    tmp_path: Path, label: str, columns: int, size: int
) -> None:
    """A small .xlsx whose own sheet "Tính nháp" inflates to 128 MiB took 2,2 GB and 38 s, at
    1 GiB it ran out of memory; 16.384 × 300 cells took 179 s."""
    path = with_sheet(sample(tmp_path), "Tính nháp", rows(columns, size))
    assert path.stat().st_size < 8 * MiB  # a small file: the cost is in inflating it
    errors = within_bounds(checked_in_child(path))
    assert errors == []  # the sample is clean; the extra sheet is not the format's


@posix_only
def test_a_used_sheet_too_large_to_read_is_refused_at_its_sheet(tmp_path: Path) -> None:
    base = sample(tmp_path)
    path = with_sheet(
        base, "", rows(300, MAX_PART_BYTES + MiB), replace=worksheet_part(base, "GiaoUoc")
    )
    errors = within_bounds(checked_in_child(path))
    assert ("sheet-unreadable", "GiaoUoc", None) in errors
    done = thidua("check", str(path), cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr + done.stdout
    assert "quá lớn để đọc (giới hạn 16 MB mỗi sheet" in done.stdout


def _patch_sizes(data: bytes, name: str, size: int) -> bytes:
    """The zip with the uncompressed size of member ``name`` set to ``size`` in its local
    header and in the central directory (the data itself unchanged)."""
    raw = bytearray(data)
    encoded = name.encode()
    local = raw.find(b"PK\x03\x04")
    while local != -1:
        name_len = struct.unpack_from("<H", raw, local + 26)[0]
        if raw[local + 30 : local + 30 + name_len] == encoded:
            struct.pack_into("<L", raw, local + 22, size)
            break
        local = raw.find(b"PK\x03\x04", local + 4)
    central = raw.find(b"PK\x01\x02")
    while central != -1:
        name_len = struct.unpack_from("<H", raw, central + 28)[0]
        if raw[central + 46 : central + 46 + name_len] == encoded:
            struct.pack_into("<L", raw, central + 24, size)
            return bytes(raw)
        central = raw.find(b"PK\x01\x02", central + 4)
    raise AssertionError(f"{name} not in the archive")


@posix_only
def test_a_member_that_lies_about_its_size_is_stopped_while_inflating(tmp_path: Path) -> None:
    """The header says 2 KB, the data inflates to 128 MiB: inflating stops at 2 KB."""
    base = sample(tmp_path)
    part = worksheet_part(base, "GiaoUoc")
    lying = tmp_path / "noi-doi.xlsx"
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(lying, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename != part:
                out.writestr(info.filename, source.read(info.filename))
        # a deflate stream of 128 MiB of rows, written raw (stored), then marked deflated
        stream = _raw_deflate(rows(10, 128 * MiB))
        info = zipfile.ZipInfo(part, date_time=(1980, 1, 1, 0, 0, 0))
        out.writestr(info, stream, compress_type=zipfile.ZIP_STORED)
    assert len(zlib.decompressobj(-15).decompress(stream, MiB)) == MiB  # the lie is real
    lying.write_bytes(_as_deflated(lying.read_bytes(), part, 2048))
    with zipfile.ZipFile(lying) as archive:
        assert archive.getinfo(part).file_size == 2048
    errors = within_bounds(checked_in_child(lying))
    assert ("sheet-unreadable", "GiaoUoc", None) in errors


def _raw_deflate(body: Iterator[bytes]) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunks = [compressor.compress(_HEAD)]
    chunks += [compressor.compress(chunk) for chunk in body]
    chunks += [compressor.compress(_TAIL), compressor.flush()]
    return b"".join(chunks)


def _as_deflated(data: bytes, name: str, claimed: int) -> bytes:
    """Mark the stored member ``name`` as deflated, claiming ``claimed`` bytes inflated."""
    raw = bytearray(_patch_sizes(data, name, claimed))
    encoded = name.encode()
    for signature, method_at, name_len_at, name_at in (
        (b"PK\x03\x04", 8, 26, 30),
        (b"PK\x01\x02", 10, 28, 46),
    ):
        at = raw.find(signature)
        while at != -1:
            name_len = struct.unpack_from("<H", raw, at + name_len_at)[0]
            if raw[at + name_at : at + name_at + name_len] == encoded:
                struct.pack_into("<H", raw, at + method_at, zipfile.ZIP_DEFLATED)
                break
            at = raw.find(signature, at + 4)
    return bytes(raw)


@posix_only
def test_shared_strings_too_large_are_refused(tmp_path: Path) -> None:
    base = sample(tmp_path)
    path = with_sheet(base, "", rows(10, MAX_PART_BYTES + MiB), replace="xl/sharedStrings.xml")
    # the sample keeps its text inline: give the package the (huge) shared-string part
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info.filename) for info in source.infolist()}
    members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for name, data in members.items():
            target.writestr(name, data)
    path.write_bytes(buffer.getvalue())
    errors = within_bounds(checked_in_child(path))
    assert errors == [("file-format", None, None)]


@posix_only
def test_formulas_over_huge_ranges_are_computed_within_a_budget(tmp_path: Path) -> None:
    """Ninety score cells each =SUM(E1:P80000), saved without values (960.000 cells each):
    computing them took 65 s; past the budget the rest are reported, never read as 0."""
    sheets = sample_sheets()
    for row in sheets["ChamDiem"]:
        row["Điểm cụm chấm"] = "=SUM(E1:P80000)"
    path = tmp_path / "cong-thuc.xlsx"
    write_workbook(sheets, path)
    result = checked_in_child(path)
    errors = within_bounds(result)
    assert ("formula-no-cache", "ChamDiem") in {(code, sheet) for code, sheet, _ in errors}
    problems = result["problems"]
    assert isinstance(problems, list)
    assert any("quá nhiều công thức phải tính lại" in p["message"] for p in problems)


# --- not a workbook file -----------------------------------------------------------------------


@posix_only
def test_a_fifo_given_as_the_workbook_is_refused_without_blocking(tmp_path: Path) -> None:
    """A FIFO was reported as a folder; opening one blocks until someone writes to it."""
    fifo = tmp_path / "cum.xlsx"
    os.mkfifo(fifo)
    done = thidua("check", str(fifo), cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "cum.xlsx: Đây không phải tệp thông thường (là thiết bị, đường ống FIFO hay socket)" in (
        done.stderr + done.stdout
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_dev_zero_given_as_the_workbook_is_refused_without_reading_it(tmp_path: Path) -> None:
    done = thidua("check", "/dev/zero", cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "zero: Đây không phải tệp thông thường" in done.stdout
    assert "thư mục" not in done.stdout


def test_a_damaged_content_types_part_is_a_located_error(tmp_path: Path) -> None:
    """The deflate stream of [Content_Types].xml broken: zlib.error escaped as a traceback."""
    path = sample(tmp_path)
    data = bytearray(path.read_bytes())
    name = b"[Content_Types].xml"
    at = data.find(b"PK\x03\x04")
    while at != -1:
        name_len, extra_len = struct.unpack_from("<HH", data, at + 26)
        if data[at + 30 : at + 30 + name_len] == name:
            start = at + 30 + name_len + extra_len
            data[start] = 0xFF  # block type 11: reserved, an invalid deflate stream
            break
        at = data.find(b"PK\x03\x04", at + 4)
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as archive, pytest.raises(zlib.error):
        archive.read("[Content_Types].xml")  # the defect is real
    done = thidua("check", str(path), cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "cum.xlsx: Tệp .xlsx bị hỏng, không mở được" in done.stdout


@pytest.mark.skipif(sys.platform != "linux", reason="only Linux names files with any bytes")
def test_a_file_name_that_is_not_utf8_is_reported_and_nothing_crashes(tmp_path: Path) -> None:
    """Named in TCVN3 bytes on an old system: the check passed, the build crashed writing the
    manifest (UnicodeEncodeError)."""
    name = os.fsdecode(b"c\xf5m-thi-\xae\xb5a.xlsx")  # "cụm-thi-đua" in TCVN3
    path = tmp_path / name
    write_workbook(sample_sheets(), path)
    done = thidua("check", name, cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "c�m-thi-��a.xlsx: Tên tệp “c�m-thi-��a.xlsx” có ký tự không đọc được" in done.stdout
    built = thidua("build", name, "-o", "out", cwd=tmp_path)
    assert built.returncode == 1 and "Traceback" not in built.stderr
    assert not (tmp_path / "out").exists()
