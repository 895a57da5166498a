"""A damaged manifest.json is named damaged, with the reason the folder's problem message shows
(pipeline.output.manifest.read_manifest): every check of its fields, one case each.

The manifests are written by hand as a user's editor, a sync tool or an older or newer thidua
would leave them; the reasons are the ones the module documents.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.output.manifest import (
    MANIFEST,
    FileRecord,
    Manifest,
    OutputRecord,
    parse_manifest,
    read_manifest,
    recorded_outputs,
)

SHA = "0" * 64


def _good() -> dict[str, object]:
    output = OutputRecord.of("a.docx", b"x", 1)
    return json.loads(Manifest("1.0", 1, None, (), (), (output,)).to_json())  # type: ignore[no-any-return]


def _with(**changes: object) -> bytes:
    data = _good()
    data.update(changes)
    return json.dumps(data).encode()


def _output(**changes: object) -> dict[str, object]:
    return {"path": "a.docx", "sha256": SHA, "size": 1, **changes}


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (_with(format=0), 'trường "format" không hợp lệ'),
        (_with(format=True), 'trường "format" không hợp lệ'),
        (_with(outputs=[_output(), _output(path="A.DOCX")]),
         '"outputs" có hai mục cùng một tên tệp'),
        (_with(outputs={"a.docx": 1}), '"outputs" không phải một danh sách'),
        (_with(outputs=[_output(sha256="xyz")]),
         'mục thứ 1 của "outputs" không hợp lệ (mã SHA-256 không hợp lệ)'),
        (_with(outputs=[_output(build=0)]),
         'mục thứ 1 của "outputs" không hợp lệ (số không hợp lệ)'),
        (_with(outputs=["a.docx"]),
         'mục thứ 1 của "outputs" không hợp lệ (không phải một đối tượng)'),
        (_with(build=-1), "phần đầu không hợp lệ (số không hợp lệ)"),
        (_with(thidua_version=None), "phần đầu không hợp lệ (không phải một chuỗi)"),
        (_with(owner="Cụm thi đua"), "phần đầu không hợp lệ (không phải một đối tượng)"),
        (_with(inputs=[{"path": "a.xlsx", "sha256": SHA, "size": "3"}]),
         'mục thứ 1 của "inputs" không hợp lệ (số không hợp lệ)'),
        (b'{"format": 1, "thidua_version": 5, "outputs": []}', "thidua_version"),
    ],
)  # fmt: skip
def test_a_damaged_manifest_is_named_with_its_defect(
    tmp_path: Path, raw: bytes, reason: str
) -> None:
    (tmp_path / MANIFEST).write_bytes(raw)
    found = read_manifest(tmp_path)
    assert (found.status, found.reason) == ("damaged", reason)
    assert found.manifest is None
    assert recorded_outputs(tmp_path) == []  # nothing of a damaged manifest is trusted


def test_a_newer_thidua_s_manifest_is_named_newer_not_damaged(tmp_path: Path) -> None:
    (tmp_path / MANIFEST).write_bytes(_with(format=3))
    found = read_manifest(tmp_path)
    assert (found.status, found.reason) == (
        "newer",
        "định dạng 3, của một phiên bản thidua mới hơn",
    )


def test_an_older_thidua_s_manifest_is_read_as_build_0(tmp_path: Path) -> None:
    inputs = [{"path": "a.xlsx", "sha256": SHA, "size": 3}]
    raw = json.dumps({"thidua_version": "0.9", "outputs": [_output()], "inputs": inputs}).encode()
    manifest = parse_manifest(raw)
    assert (manifest.thidua_version, manifest.build, manifest.format) == ("0.9", 0, 1)
    assert manifest.inputs == (FileRecord("a.xlsx", SHA, 3),)
    (tmp_path / MANIFEST).write_bytes(raw)
    assert recorded_outputs(tmp_path) == [FileRecord("a.docx", SHA, 1)]
