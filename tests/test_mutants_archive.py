"""The archive's behaviours that its mutation run found untested (scripts/mutate.py, target
``pipeline/output/archive/*.py``): bags and their manifests, names at their limits, the lock,
the package's bag-info and metadata files, ``kiem-tra``'s findings, the Mục lục's layout, the
Phụ lục VI records, a publish interrupted or failing at each step, and the issued area (issued
here without LibreOffice: the PDF/A bytes are given). In-process, on a real local filesystem;
failures of a share (full, held open, a different error type) are injected where a local folder
cannot produce them, and a publish is stopped at its pause points (pipeline.testhooks)."""

from __future__ import annotations

import csv
import datetime as dt
import errno
import io
import json
import logging
import os
import zipfile
from pathlib import Path

import pytest
from archive_work import PAYLOAD, write

from pipeline.errors import ThiduaError
from pipeline.output.archive import bag, lock
from pipeline.output.archive.metadata import (
    DOCUMENT_FIELDS,
    ArchivedDocument,
    DocumentInfo,
    DossierInfo,
)
from pipeline.output.archive.names import MAX_COMPONENT, name_problems
from pipeline.output.archive.package import DocumentFiles, package_files

TAGS = [("metadata/van-ban.json", b'{"TypeName": "B\\u00e1o c\\u00e1o"}\n')]


def a_bag(tmp_path: Path, tags: list[tuple[str, bytes]] = TAGS) -> Path:
    top = tmp_path / "v001"
    write(top, bag.bag_files(PAYLOAD, tags, {"Bagging-Date": "2014-01-10"}))
    return top


# --- bags ----------------------------------------------------------------------------------------


def test_a_same_size_change_is_invalid_for_bagit_and_named(tmp_path: Path) -> None:
    """validate() recomputes every checksum (a same-size change passes the Payload-Oxum count)
    and gives bagit's reason per file, which the publish and verify messages show."""
    top = a_bag(tmp_path)
    (top / "data" / "a.docx").write_bytes(b"B" + b"A" * 999)
    reasons = bag.validate(top)
    assert reasons and any("data/a.docx" in r for r in reasons), reasons


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_bagit_warnings_stay_out_of_the_application_log(tmp_path: Path) -> None:
    """bagit logs each problem in English; thidua reports them itself, in Vietnamese, so they
    never reach the handlers of the root logger (a program's own log, or stderr)."""
    top = a_bag(tmp_path)
    (top / "data" / "a.docx").write_bytes(b"B" + b"A" * 999)
    root, handler = logging.getLogger(), Records()
    root.addHandler(handler)
    try:
        assert bag.validate(top)
    finally:
        root.removeHandler(handler)
    assert not [r for r in handler.records if r.name.startswith("bagit")]


def test_a_changed_tag_file_is_damage(tmp_path: Path) -> None:
    """The metadata files are checked against tagmanifest-sha256.txt, as the payload is."""
    top = a_bag(tmp_path)
    (top / "metadata" / "van-ban.json").write_bytes(b'{"TypeName": "sua tay"}\n')
    assert [(d.kind, d.path) for d in bag.check_bag(top)] == [("changed", "metadata/van-ban.json")]


def test_a_bag_without_a_tag_manifest_is_checked_against_its_payload(tmp_path: Path) -> None:
    """tagmanifest-sha256.txt is optional (RFC 8493 §2.2.1): without it the payload is still
    checked, and nothing is reported about the missing tag manifest."""
    top = a_bag(tmp_path)
    (top / bag.TAG_MANIFEST).unlink()
    assert bag.check_bag(top) == []
    (top / "data" / "c d.txt").write_bytes(b"x")
    assert [(d.kind, d.path) for d in bag.check_bag(top)] == [("changed", "data/c d.txt")]


def test_blank_lines_in_a_manifest_are_not_entries(tmp_path: Path) -> None:
    """A manifest opened and saved by an editor may end in an empty line: not a missing file."""
    top = a_bag(tmp_path)
    manifest = top / bag.MANIFEST
    manifest.write_bytes(manifest.read_bytes() + b"\n\n")
    assert bag.read_manifest(manifest) == {f"data/{rel}": bag.sha256(data) for rel, data in PAYLOAD}


def test_walk_files_lists_folders_in_sorted_order(tmp_path: Path) -> None:
    """walk_files gives every file in sorted path order, whatever order the folder lists them
    in (folders created here neither sorted nor reversed)."""
    names = ["m", "c", "x", "a", "q", "f", "z", "b", "k", "d", "t", "h"]
    for name in names:
        write(tmp_path, [(f"{name}/{name}.txt", b"x")])
    assert list(bag.walk_files(tmp_path)) == [f"{n}/{n}.txt" for n in sorted(names)]


# --- names ---------------------------------------------------------------------------------------


def test_a_name_of_the_longest_length_we_write_is_safe() -> None:
    """MAX_COMPONENT is the longest name we write: that length passes, one more does not."""
    assert name_problems("x" * (MAX_COMPONENT - 5) + ".docx") == []
    assert name_problems("x" * (MAX_COMPONENT - 4) + ".docx") == [
        f"dài {MAX_COMPONENT + 1} ký tự (tối đa {MAX_COMPONENT})"
    ]


# --- the lock ------------------------------------------------------------------------------------

ME = lock.Holder("van-thu-a", "PC-VANTHU", "2014-01-10T09:30:00+07:00", 1234)
OTHER = lock.Holder("van-thu-b", "PC-KHAC", "2014-01-10T09:31:00+07:00", 99)


class ShareError(OSError):
    """An ``OSError`` that is not one of Python's errno subclasses, as an SMB client library
    raises (smbprotocol's SMBOSError; docs/testing-smb.md): its EEXIST is no FileExistsError."""


def test_a_lock_taken_meanwhile_reported_as_a_plain_eexist_names_its_holder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / lock.LOCK_NAME).write_bytes(OTHER.to_json())

    def refuse(path: object, mode: str) -> object:
        raise ShareError(errno.EEXIST, "File exists")

    monkeypatch.setattr(lock, "open", refuse, raising=False)
    with pytest.raises(ThiduaError) as caught, lock.held(tmp_path, ME):
        pass
    (problem,) = caught.value.problems
    assert problem.code == "lock-held" and "van-thu-b trên máy PC-KHAC" in problem.message


def test_a_lock_that_cannot_be_created_is_the_share_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Any other refusal (no right to write the destination) is not "someone holds it"."""

    def refuse(path: object, mode: str) -> object:
        raise ShareError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(lock, "open", refuse, raising=False)
    with pytest.raises(ShareError), lock.held(tmp_path, ME):
        pytest.fail("the block ran without the lock")


def test_the_lock_is_on_disk_when_it_is_synced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The holder is flushed to the file before the fsync, so a crash right after taking the
    lock leaves a lock that says who held it (not an empty file)."""
    seen: list[bytes] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        seen.append((tmp_path / lock.LOCK_NAME).read_bytes())
        real_fsync(fd)

    monkeypatch.setattr(lock.os, "fsync", fsync)
    with lock.held(tmp_path, ME):
        pass
    assert seen == [ME.to_json()]


def test_a_lock_that_cannot_be_written_is_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full share: the write error is raised and no half-written lock blocks the next run."""

    def fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(lock.os, "fsync", fsync)
    with pytest.raises(OSError) as caught, lock.held(tmp_path, ME):
        pytest.fail("the block ran without the lock")
    assert caught.value.errno == errno.ENOSPC
    assert list(tmp_path.iterdir()) == []


# --- the package ---------------------------------------------------------------------------------

DOSSIER = DossierInfo("Hồ sơ tổng kết năm 2013 của Cụm thi đua", 2013, "Cụm thi đua số 1")


def info(kind: str, type_name: str, day: int) -> DocumentInfo:
    return DocumentInfo(
        kind, type_name, 12, "BC/BTGTU", dt.date(2014, 1, day), "Ban Tuyên giáo Tỉnh ủy",
        "Tổng kết công tác thi đua, khen thưởng năm 2013", "CỤM TRƯỞNG", "Lộc Văn Bình",
        year=2013, code="12-BC/BTGTU",
    )  # fmt: skip


def documents() -> list[DocumentFiles]:
    report = ArchivedDocument(info("bao_cao", "Báo cáo", 10), ("01-bao-cao.docx",), None)
    covenant = ArchivedDocument(info("giao_uoc", "Giao ước", 11), ("03-giao-uoc.docx",), 2)
    return [
        DocumentFiles(report, (("01-bao-cao.docx", b"report"),), in_bundle=True),
        DocumentFiles(covenant, (("03-giao-uoc.docx", b"covenant"),)),
    ]


def package(status: str = "ban-hanh", dossier: DossierInfo = DOSSIER) -> dict[str, bytes]:
    return dict(
        package_files(documents(), dossier, dt.date(2014, 1, 11), status=status,
                      thidua_version="1.0", group="2013/cum")
    )  # fmt: skip


def bag_info(files: dict[str, bytes]) -> dict[str, str]:
    lines = files[bag.BAG_INFO].decode("utf-8").splitlines()
    return dict(line.split(": ", 1) for line in lines)


def test_only_the_documents_chosen_for_the_bundle_are_in_it() -> None:
    """A document is in the hồ sơ bundle only when its caller says so (the covenant is not)."""
    files = package()
    with zipfile.ZipFile(io.BytesIO(files["data/ho-so-khen-thuong-2013.zip"])) as bundle:
        assert bundle.namelist() == ["01-bao-cao.docx", "muc-luc-van-ban.docx"]


def test_bag_info_names_the_organ_and_says_issued_or_draft() -> None:
    issued = bag_info(package())
    assert issued["Source-Organization"] == "Cụm thi đua số 1"
    assert "2 văn bản đã ban hành" in issued["External-Description"]
    assert issued["Thidua-Trang-Thai"] == "ban-hanh"
    draft = bag_info(package("ban-nhap"))
    assert "2 dự thảo (chưa ban hành)" in draft["External-Description"]
    assert "đã ban hành" not in draft["External-Description"]
    # without an organ, the hồ sơ's title says whose it is
    untitled = bag_info(package(dossier=DossierInfo(DOSSIER.title, 2013)))
    assert untitled["Source-Organization"] == DOSSIER.title


def test_metadata_json_is_readable_utf8() -> None:
    """A person opening metadata/van-ban.json sees the Vietnamese letters, not \\u escapes."""
    text = package()["metadata/van-ban.json"].decode("utf-8")
    assert '"TypeName": "Báo cáo"' in text and '"Language": "Tiếng Việt"' in text


def test_metadata_csv_has_the_numbered_field_names_and_a_row_per_document() -> None:
    """van-ban.csv: a header naming each Phụ lục VI Table I field (number, name, tag), then one
    row per document; an unknown value (no page count, no priority) is an empty cell."""
    data = package()["metadata/van-ban.csv"]
    assert data.startswith("\ufeff".encode())
    header, *rows = csv.reader(io.StringIO(data.decode("utf-8-sig")))
    assert len(header) == len(DOCUMENT_FIELDS) == 20
    assert header[3] == "2. Số thứ tự văn bản trong hồ sơ (DocOrdinal)"
    assert header[19] == "16. Hạn trả lời (DueDate)"
    assert len(rows) == 2
    report, covenant = (dict(zip([h.rsplit("(", 1)[1][:-1] for h in header], r, strict=True))
                        for r in rows)  # fmt: skip
    assert report["TypeName"] == "Báo cáo" and report["DocOrdinal"] == "1"
    assert report["PageAmount"] == "" and report["Priority"] == ""
    assert covenant["TypeName"] == "Giao ước" and covenant["PageAmount"] == "2"
    assert json.loads(package()["metadata/van-ban.json"])[0]["PageAmount"] is None


# --- verify --------------------------------------------------------------------------------------


def published(destination: Path, count: int) -> Path:
    """``count`` versions of one cluster-year published on ``destination``; its folder."""
    from pipeline.output.archive.publish import publish_version

    for n in range(1, count + 1):
        files = bag.bag_files([*PAYLOAD[:2], ("c d.txt", b"v%d" % n)], [], {})
        publish_version(destination, "2013/cum", files, ME, echo=pytest.fail)
    return destination / "2013" / "cum"


def codes(report: object) -> list[tuple[str, str, str]]:
    from pipeline.output.archive.verify import Report

    assert isinstance(report, Report)
    return [(p.severity, p.code, p.location.file if p.location else "") for p in report.problems]


def test_verify_names_the_current_version_and_counts_its_files(tmp_path: Path) -> None:
    from pipeline.output.archive.verify import verify

    cluster = published(tmp_path, 2)
    (cluster / "v002" / "data" / "Thumbs.db").write_bytes(b"litter")  # not a file of the bag
    report = verify(tmp_path)
    assert report.lines == [
        f"nguyên vẹn  {cluster / 'v001'} (3 tệp)",
        f"nguyên vẹn  {cluster / 'v002'} (3 tệp, hiện hành)",
    ]
    assert codes(report) == [("warning", "litter", str(cluster / "v002/data/Thumbs.db"))]
    assert not report.damaged and report.versions == 2


def test_verify_checks_one_version_folder_given_itself(tmp_path: Path) -> None:
    """kiem-tra on a version folder (a bag) checks that bag; it is no cluster-year, so it has
    no current version."""
    from pipeline.output.archive.verify import verify

    v001 = published(tmp_path, 1) / "v001"
    report = verify(v001)
    assert (report.lines, report.problems, report.versions) == (
        [f"nguyên vẹn  {v001} (3 tệp)"], [], 1
    )  # fmt: skip


def test_verify_of_a_folder_without_archive_is_an_error(tmp_path: Path) -> None:
    from pipeline.output.archive.verify import verify

    (tmp_path / "ghi-chu.txt").write_text("x")
    report = verify(tmp_path)
    assert codes(report) == [("error", "no-archive", str(tmp_path))] and report.damaged


def test_verify_warns_of_a_lock_and_of_a_publish_copying_or_interrupted(tmp_path: Path) -> None:
    """A leftover copy beside a lock is a publish running now; without a lock, one that was
    interrupted. Neither is damage."""
    from pipeline.output.archive.verify import verify

    cluster = published(tmp_path, 1)
    leftover = cluster / "_dang-chep-v002-0123abcd"
    leftover.mkdir()
    report = verify(tmp_path)
    assert codes(report) == [("warning", "leftover", str(leftover))] and not report.damaged
    assert "bị ngắt" in report.problems[0].message
    (cluster / lock.LOCK_NAME).write_bytes(OTHER.to_json())
    report = verify(tmp_path)
    assert codes(report) == [
        ("warning", "locked", str(cluster / lock.LOCK_NAME)),
        ("warning", "leftover", str(leftover)),
    ]
    assert "van-thu-b trên máy PC-KHAC" in report.problems[0].message
    assert "đang chạy" in report.problems[1].message and not report.damaged


def test_verify_reports_the_state_of_the_pointers(tmp_path: Path) -> None:
    """The current version is the highest pointer: one that points to a missing folder is an
    error; versions without a pointer, or above the current one, are a publish to complete."""
    from pipeline.output.archive.verify import verify

    cluster = published(tmp_path, 2)
    (cluster / "hien-hanh-v002.txt").unlink()
    (cluster / "hien-hanh-v001.txt").write_text("v001\n")  # v002 copied, never made current
    report = verify(tmp_path)
    assert codes(report) == [("warning", "not-current", str(cluster / "v002"))]
    assert "hiện hành vẫn là v001" in report.problems[0].message
    (cluster / "hien-hanh-v001.txt").unlink()
    assert codes(verify(tmp_path)) == [("warning", "no-pointer", str(cluster))]
    (cluster / "hien-hanh-v003.txt").write_text("v003\n")
    report = verify(tmp_path)
    assert codes(report) == [("error", "pointer-dangling", str(cluster / "hien-hanh-v003.txt"))]
    assert report.damaged


def test_verify_reports_a_version_without_its_manifest(tmp_path: Path) -> None:
    from pipeline.output.archive.verify import verify

    v001 = published(tmp_path, 1) / "v001"
    (v001 / bag.MANIFEST).unlink()
    report = verify(tmp_path)
    assert codes(report) == [("error", "bag-unreadable", str(v001))] and report.lines == []


def test_verify_reports_what_only_bagit_sees(tmp_path: Path) -> None:
    """A second manifest (another tool added MD5 checksums) that no longer matches: thidua's own
    check reads the SHA-256 manifests only, the full bagit validation reads them all."""
    from pipeline.output.archive.verify import verify

    v001 = published(tmp_path, 1) / "v001"
    (v001 / "manifest-md5.txt").write_text(f"{'0' * 32}  data/a.docx\n")
    report = verify(tmp_path)
    assert codes(report) == [("error", "bag-invalid", str(v001))] and report.lines == []
    assert "data/a.docx" in report.problems[0].message


# --- the Mục lục văn bản -------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def catalogue_xml(docs: list[ArchivedDocument]) -> object:
    from lxml import etree

    from pipeline.output.archive.catalogue import catalogue_docx

    data = catalogue_docx(docs, DOSSIER, dt.date(2014, 1, 20))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


def paragraph_format(p: object) -> dict[str, object]:
    """What a person sees of a paragraph: its text, bold, italic, size (pt), centred, spacing."""
    text = "".join(p.itertext())  # type: ignore[attr-defined]
    size = p.find(f".//{W}sz")  # type: ignore[attr-defined]
    spacing = p.find(f"{W}pPr/{W}spacing")  # type: ignore[attr-defined]
    jc = p.find(f"{W}pPr/{W}jc")  # type: ignore[attr-defined]
    return {
        "text": text,
        "bold": p.find(f".//{W}rPr/{W}b") is not None,  # type: ignore[attr-defined]
        "italic": p.find(f".//{W}rPr/{W}i") is not None,  # type: ignore[attr-defined]
        "pt": int(size.get(f"{W}val")) / 2 if size is not None else None,
        "centred": jc is not None and jc.get(f"{W}val") == "center",
        "spacing": (int(spacing.get(f"{W}before")), int(spacing.get(f"{W}after"))),
    }


def two_documents() -> list[ArchivedDocument]:
    from pipeline.output.archive.metadata import ordered

    return ordered(
        [
            ArchivedDocument(info("bao_cao", "Báo cáo", 10), ("01-bao-cao.docx",), 4),
            ArchivedDocument(info("danh_sach", "Danh sách", 12), ("04-danh-sach.docx",), None),
        ]
    )


def test_the_catalogue_table_fills_the_text_width_of_a_landscape_a4_page() -> None:
    """Phụ lục V's table on A4 landscape (NĐ 30 Phụ lục I allows landscape for a table): its
    columns add up to the page's width between the margins, every cell as wide as its column."""
    root = catalogue_xml(two_documents())
    size = root.find(f".//{W}sectPr/{W}pgSz")  # type: ignore[attr-defined]
    margins = root.find(f".//{W}sectPr/{W}pgMar")  # type: ignore[attr-defined]
    assert (size.get(f"{W}w"), size.get(f"{W}h"), size.get(f"{W}orient")) == (
        "16838", "11906", "landscape"
    )  # fmt: skip
    text_width = 16838 - int(margins.get(f"{W}left")) - int(margins.get(f"{W}right"))
    grid = [int(c.get(f"{W}w")) for c in root.iter(f"{W}gridCol")]  # type: ignore[attr-defined]
    assert len(grid) == 7 and sum(grid) == text_width
    assert root.find(f".//{W}tblW").get(f"{W}w") == str(text_width)  # type: ignore[attr-defined]
    rows = root.findall(f".//{W}tr")  # type: ignore[attr-defined]
    assert len(rows) == 4
    for row in rows:
        widths = [int(c.get(f"{W}w")) for c in row.iter(f"{W}tcW")]
        assert widths == grid


def test_the_catalogue_title_lines_and_closing() -> None:
    """The title as a tên loại (NĐ 30 Phụ lục I ô 5a: bold, centred, 13-14 pt), the hồ sơ's
    lines centred under it, the closing count of documents and known pages, the date in
    italics (ô 4)."""
    root = catalogue_xml(two_documents())
    body = root.find(f"{W}body")  # type: ignore[attr-defined]
    paragraphs = [paragraph_format(p) for p in body.findall(f"{W}p")]
    title, number, heading, year, count, made = paragraphs
    assert title["text"] == "MỤC LỤC VĂN BẢN, TÀI LIỆU"
    assert title["bold"] and title["centred"] and 13 <= title["pt"] <= 14  # type: ignore[operator]
    assert [p["centred"] for p in (number, heading, year)] == [True, True, True]
    assert not any(p["bold"] or p["italic"] for p in (number, heading, year, count))
    assert year["text"] == "Năm: 2013" and heading["text"] == f"Tiêu đề hồ sơ: {DOSSIER.title}"
    # a document without a PDF has no known pages: it adds none
    assert count["text"] == "Mục lục này gồm 2 văn bản, 4 trang." and not count["centred"]
    assert made["text"] == "Ngày lập: 20/01/2014" and made["italic"] and not made["centred"]


def test_the_catalogue_header_rows_repeat_and_numbers_are_centred() -> None:
    """The column titles (bold) and their numbers (1)…(7) head every printed page and never
    split; in the rows, the STT, the date and the page span are centred, the texts are not, and
    no cell adds space above or below its line."""
    root = catalogue_xml(two_documents())
    titles, numbers, *rows = root.findall(f".//{W}tr")  # type: ignore[attr-defined]
    for row in (titles, numbers):
        assert row.find(f"{W}trPr/{W}tblHeader") is not None
        assert row.find(f"{W}trPr/{W}cantSplit") is not None
    named = (("titles", titles), ("numbers", numbers), ("first", rows[0]))
    cells = {name: [paragraph_format(p) for p in row.iter(f"{W}p")] for name, row in named}
    assert all(c["bold"] and c["centred"] for c in cells["titles"])
    assert all(c["centred"] and not c["bold"] for c in cells["numbers"])
    for row in rows:
        assert row.find(f"{W}trPr") is None
        formats = [paragraph_format(p) for p in row.iter(f"{W}p")]
        assert [c["centred"] for c in formats] == [True, False, True, False, False, True, False]
        assert not any(c["bold"] or c["italic"] for c in formats)
    table = root.find(f".//{W}tbl")  # type: ignore[attr-defined]
    every_cell = [paragraph_format(p) for p in table.iter(f"{W}p")]
    assert {c["spacing"] for c in every_cell} == {(0, 0)}
    assert cells["first"][0]["text"] == "1" and cells["first"][5]["text"] == "01-04"


def test_the_catalogue_numbers_rows_in_the_given_order_without_ordinals() -> None:
    """rows() numbers documents that have no DocOrdinal yet by their place in the list."""
    from pipeline.output.archive.catalogue import rows

    docs = [
        ArchivedDocument(info("bao_cao", "Báo cáo", 10), ("a.docx",), 2),
        ArchivedDocument(info("danh_sach", "Danh sách", 9), ("b.docx",), 3),
    ]
    assert [(r[0], r[5]) for r in rows(docs)] == [("1", "01-02"), ("2", "03-05")]


def test_the_catalogue_json_is_readable_utf8() -> None:
    from pipeline.output.archive.catalogue import catalogue_json

    text = catalogue_json(two_documents(), DOSSIER).decode("utf-8")
    assert '"tieu_de_ho_so": "Hồ sơ tổng kết năm 2013 của Cụm thi đua"' in text
    assert json.loads(text)["van_ban"][1]["Tờ số/Trang số"] == ""


# --- Phụ lục VI records --------------------------------------------------------------------------

#: NĐ 30/2020 Phụ lục VI Part II, as transcribed in shared/reference/archive-and-regeneration.md
#: §1.3: (number, tag, type, length); groups flattened as Group.Tag.
TABLE_I = [
    ("1.1", "FileCode.OrganId", "String", 13), ("1.2", "FileCode.FileCatalog", "Number", 4),
    ("1.3", "FileCode.FileNotation", "String", 20), ("2", "DocOrdinal", "Number", 3),
    ("3", "TypeName", "String", 100), ("4", "CodeNumber", "String", 11),
    ("5", "CodeNotation", "String", 30), ("6", "IssuedDate", "Date", 10),
    ("7", "OrganName", "String", 200), ("8", "Subject", "String", 500),
    ("9", "Language", "String", 30), ("10", "PageAmount", "Number", 3),
    ("11", "Description", "String", 500), ("12.1", "SignerInfo.Position", "String", 100),
    ("12.2", "SignerInfo.FullName", "String", 50), ("13.1", "To.OrganId", "String", 13),
    ("13.2", "To.OrganName", "String", 200), ("14", "Priority", "Number", 1),
    ("15", "IssuedAmount", "Number", 3), ("16", "DueDate", "Date", 10),
]  # fmt: skip
TABLE_III = [
    ("1.1", "FileCode.OrganId", "String", 13), ("1.2", "FileCode.FileCatalog", "Number", 4),
    ("1.3", "FileCode.FileNotation", "String", 20), ("2", "Title", "String", 500),
    ("3", "Maintenance", "String", 30), ("4", "Rights", "String", 30),
    ("5", "Creator", "String", 30), ("6", "Language", "String", 50),
    ("7", "StartDate", "Date", 10), ("8", "EndDate", "Date", 10),
    ("9", "DocTotal", "Number", 4), ("10", "PageTotal", "Number", 4),
    ("11", "Description", "String", 500),
]  # fmt: skip


def test_the_fields_are_those_of_phu_luc_vi() -> None:
    from pipeline.output.archive.metadata import DOSSIER_FIELDS

    assert [(f.number, f.tag, f.kind, f.length) for f in DOCUMENT_FIELDS] == TABLE_I
    assert [(f.number, f.tag, f.kind, f.length) for f in DOSSIER_FIELDS] == TABLE_III


def test_document_info_survives_its_json_with_and_without_the_optional_values() -> None:
    """The issue record keeps each document's information: dates as ISO text, the nơi nhận as a
    list; an unnumbered, undated document comes back unnumbered and undated (not number 0)."""
    full = DocumentInfo(
        "bao_cao", "Báo cáo", 7, "BC/BTGTU", dt.date(2014, 1, 10), "Ban Tuyên giáo",
        "Tổng kết", "CỤM TRƯỞNG", "Lộc Văn Bình", ("Các cơ quan trong cụm", "Lưu"), 2013,
        "07-BC/BTGTU",
    )  # fmt: skip
    data = json.loads(json.dumps(full.to_json()))
    assert data["date"] == "2014-01-10" and data["recipients"] == ["Các cơ quan trong cụm", "Lưu"]
    assert DocumentInfo.from_json(data) == full
    empty = DocumentInfo("giao_uoc", "Giao ước", None, "GU", None, "Cụm", "Giao ước", "", "")
    data = json.loads(json.dumps(empty.to_json()))
    assert (data["date"], data["number"], data["year"], data["recipients"]) == (
        None,
        None,
        None,
        [],
    )
    back = DocumentInfo.from_json(data)
    assert back == empty and back.number is None and back.date is None and back.year is None


@pytest.mark.parametrize(
    ("text", "length", "expected"),
    [
        ("Báo cáo tổng kết", None, "Báo cáo tổng kết"),  # a field without a length
        ("Báo cáo tổng kết", 16, "Báo cáo tổng kết"),  # exactly the length: kept whole
        ("Báo cáo tổng kết", 12, "Báo cáo…"),  # cut at the last word that fits
        ("Báo cáo, tổng kết", 12, "Báo cáo…"),  # no comma before the ellipsis
        ("Nguyễnvănbìnhlộc", 10, "Nguyễnvăn…"),  # one long word: cut inside it
    ],
)
def test_fit_cuts_a_text_to_its_field_at_a_word(text: str, length: int, expected: str) -> None:
    from pipeline.output.archive.metadata import fit

    assert fit(text, length) == expected
    assert length is None or len(fit(text, length)) <= length


def test_the_hoso_order_is_by_date_then_file_name_undated_last() -> None:
    """NĐ 30 Điều 29.1: the order in which the matter developed; documents are numbered from 1."""
    from pipeline.output.archive.metadata import ordered

    def doc(day: int | None, file: str, kind: str) -> ArchivedDocument:
        base = info(kind, "Báo cáo", 1)
        when = dt.date(2014, 1, day) if day else None
        return ArchivedDocument(DocumentInfo(**{**base.to_json(), "date": when}), (file,), 1)  # type: ignore[arg-type]

    docs = [doc(None, "00-x.docx", "a"), doc(12, "01-a.docx", "b"), doc(10, "09-z.docx", "c"),
            doc(12, "02-b.docx", "a")]  # fmt: skip
    result = ordered(docs)
    assert [(d.files[0], d.ordinal) for d in result] == [
        ("09-z.docx", 1), ("01-a.docx", 2), ("02-b.docx", 3), ("00-x.docx", 4)
    ]  # fmt: skip


def test_the_document_record_holds_every_table_i_group() -> None:
    from pipeline.output.archive.metadata import document_fields, document_record

    # a long nơi nhận is cut to Table I's 200 characters, at a word or, without one, inside it
    long_words, one_word = "Ban " + "rất dài " * 40, "Sở-" + "rất-dài-" * 40
    recipients = ("Thường trực Hội đồng Thi đua - Khen thưởng tỉnh", long_words, one_word)
    base = info("bao_cao", "Báo cáo", 10)
    doc = ArchivedDocument(
        DocumentInfo(**{**base.to_json(), "date": base.date, "recipients": recipients,  # type: ignore[arg-type]
                        "number": 5, "year": None}),
        ("01-bao-cao.docx", "01-bao-cao.pdf"), 4, "Ban hành ngày 10/01/2014 (v001)", ordinal=3,
    )  # fmt: skip
    flat = document_fields(doc, DOSSIER)
    assert flat["DocOrdinal"] == 3 and flat["CodeNumber"] == "05"
    assert flat["FileCode.FileCatalog"] == 2013  # the document gives no year: the hồ sơ's
    assert flat["To.OrganName"] == recipients[0]  # the first nơi nhận
    record = document_record(doc, DOSSIER)
    assert list(record) == [
        "FileCode", "DocOrdinal", "TypeName", "CodeNumber", "CodeNotation", "IssuedDate",
        "OrganName", "Subject", "Language", "PageAmount", "Description", "Priority",
        "IssuedAmount", "DueDate", "SignerInfo", "To", "Files",
    ]  # fmt: skip
    assert record["FileCode"] == {"OrganId": "", "FileCatalog": 2013, "FileNotation": ""}
    assert record["SignerInfo"] == {"Position": "CỤM TRƯỞNG", "FullName": "Lộc Văn Bình"}
    to = record["To"]
    assert isinstance(to, list) and [t["OrganId"] for t in to] == ["", "", ""]
    assert to[0]["OrganName"] == recipients[0]
    assert to[1]["OrganName"].endswith("…") and len(to[1]["OrganName"]) <= 200
    assert to[2]["OrganName"] == one_word[:199] + "…"
    assert record["Files"] == ["01-bao-cao.docx", "01-bao-cao.pdf"]
    assert record["DocOrdinal"] == 3 and record["PageAmount"] == 4
    # an unordered document has no DocOrdinal yet; a document's own year wins over the hồ sơ's
    unordered = ArchivedDocument(
        info(
            "bao_cao",
            "Báo cáo",
            10,
        ),
        ("a.docx",),
        None,
    )
    values = document_fields(unordered, DossierInfo("Hồ sơ", 2099))
    assert values["DocOrdinal"] is None and values["FileCode.FileCatalog"] == 2013
    assert values["To.OrganName"] == "" and values["PageAmount"] is None


def test_the_dossier_record_spans_the_dates_and_totals_known_pages() -> None:
    from pipeline.output.archive.metadata import dossier_record

    def doc(day: int | None, pages: int | None) -> ArchivedDocument:
        base = info("bao_cao", "Báo cáo", 1)
        when = dt.date(2014, 1, day) if day else None
        return ArchivedDocument(DocumentInfo(**{**base.to_json(), "date": when}), ("a",), pages)  # type: ignore[arg-type]

    record = dossier_record([doc(12, 3), doc(None, 2), doc(9, 4)], DOSSIER)
    assert list(record) == [
        "FileCode", "Title", "Maintenance", "Rights", "Creator", "Language", "StartDate",
        "EndDate", "DocTotal", "PageTotal", "Description",
    ]  # fmt: skip
    assert record["FileCode"] == {"OrganId": "", "FileCatalog": 2013, "FileNotation": ""}
    assert (record["StartDate"], record["EndDate"]) == ("09/01/2014", "12/01/2014")
    assert (record["DocTotal"], record["PageTotal"]) == (3, 9)
    # a document whose pages are unknown: the hồ sơ's total is unknown, not too small
    unknown = dossier_record([doc(12, 3), doc(None, None)], DOSSIER)
    assert (unknown["StartDate"], unknown["EndDate"], unknown["PageTotal"]) == (
        "12/01/2014", "12/01/2014", None
    )  # fmt: skip
    undated = dossier_record([doc(None, 1)], DOSSIER)
    assert (undated["StartDate"], undated["EndDate"], undated["PageTotal"]) == ("", "", 1)


# --- publishing ----------------------------------------------------------------------------------

POINTS = ["locked", "copying", "copied", "validated", "renamed", "pointer-written", "pointed"]


def version_files(n: int) -> list[tuple[str, bytes]]:
    return bag.bag_files([*PAYLOAD[:2], ("c d.txt", b"v%d" % n)], [], {})


class Stop(BaseException):
    """Ctrl-C at a pause point (a KeyboardInterrupt that pytest would not take for its own)."""


def pause_at(monkeypatch: pytest.MonkeyPatch, action: object = None) -> list[str]:
    """Record the publish's pause points (:mod:`pipeline.testhooks`) in order; at each, call
    ``action(point)``, which may raise to interrupt the publish there."""
    from pipeline.output.archive import publish

    reached: list[str] = []

    def pause_point(point: str) -> None:
        reached.append(point)
        if callable(action):
            action(point)

    monkeypatch.setattr(publish, "pause_point", pause_point)
    return reached


def cluster_state(cluster: Path) -> list[str]:
    return sorted(p.name for p in cluster.iterdir())


def test_a_publish_passes_its_pause_points_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The points a kill test stops a publish at, in the order checkpoint() documents; the
    copying point comes in the middle of the copy, with some files copied and not all."""
    from pipeline.output.archive.publish import publish_version

    files = version_files(1)
    copied: list[int] = []

    def look(point: str) -> None:
        if point == "copying":
            (temp,) = (tmp_path / "2013" / "cum").glob("_dang-chep-v001-*")
            copied.append(sum(1 for p in temp.rglob("*") if p.is_file()))

    reached = pause_at(monkeypatch, look)
    published = publish_version(tmp_path, "2013/cum", files, ME, echo=pytest.fail)
    assert reached == POINTS and published.new
    assert len(copied) == 1 and 0 < copied[0] < len(files)
    # nothing new: the lock is taken, and the publish stops there
    reached.clear()
    assert not publish_version(tmp_path, "2013/cum", files, ME, echo=pytest.fail).new
    assert reached == ["locked"]


@pytest.mark.parametrize("point", ["copying", "copied", "validated"])
def test_a_publish_interrupted_before_its_rename_leaves_no_new_version(
    point: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.output.archive.publish import current_version, publish_version

    cluster = published(tmp_path, 1)
    before = cluster_state(cluster)

    def stop(reached: str) -> None:
        if reached == point:
            raise Stop

    pause_at(monkeypatch, stop)
    with pytest.raises(Stop):
        publish_version(tmp_path, "2013/cum", version_files(2), ME, echo=pytest.fail)
    assert cluster_state(cluster) == before == ["hien-hanh-v001.txt", "v001"]
    assert current_version(cluster) == "v001"


def test_a_publish_interrupted_after_its_rename_is_completed_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between the rename and the pointer the new version is whole but not current; the next
    publish of the same files makes it current without copying it again."""
    from pipeline.output.archive.publish import current_version, publish_version
    from pipeline.output.archive.verify import verify

    cluster = published(tmp_path, 1)

    def stop(point: str) -> None:
        if point == "renamed":
            raise Stop

    pause_at(monkeypatch, stop)
    with pytest.raises(Stop):
        publish_version(tmp_path, "2013/cum", version_files(2), ME, echo=pytest.fail)
    assert cluster_state(cluster) == ["hien-hanh-v001.txt", "v001", "v002"]
    assert [p.code for p in verify(tmp_path).problems] == ["not-current"]
    monkeypatch.undo()
    again = publish_version(tmp_path, "2013/cum", version_files(2), ME, echo=pytest.fail)
    assert (again.version, again.new, again.folder) == ("v002", False, cluster / "v002")
    assert cluster_state(cluster) == ["hien-hanh-v002.txt", "v001", "v002"]
    assert current_version(cluster) == "v002"


def test_a_publish_interrupted_while_pointing_leaves_a_leftover_the_next_removes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.output.archive.publish import publish_version

    cluster = published(tmp_path, 1)

    def stop(point: str) -> None:
        if point == "pointer-written":
            raise Stop

    pause_at(monkeypatch, stop)
    with pytest.raises(Stop):
        publish_version(tmp_path, "2013/cum", version_files(2), ME, echo=pytest.fail)
    (temp,) = cluster.glob(".hien-hanh-v002-*.tmp")
    assert temp.read_text("utf-8").startswith("v002\n")
    monkeypatch.undo()
    publish_version(tmp_path, "2013/cum", version_files(2), ME, echo=pytest.fail)
    assert cluster_state(cluster) == ["hien-hanh-v002.txt", "v001", "v002"]


def synced_sizes(monkeypatch: pytest.MonkeyPatch) -> dict[int, int]:
    """Watch os.fsync: the size each file (by inode, which a rename keeps) had when synced."""
    synced: dict[int, int] = {}
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        status = os.fstat(fd)
        synced[status.st_ino] = status.st_size
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    return synced


def test_every_file_is_on_the_share_and_synced_before_the_version_is_renamed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each copied file (and the pointer) is written, flushed and fsynced before the rename
    that makes it visible: what is synced is the whole file."""
    from pipeline.output.archive.publish import publish_version

    synced = synced_sizes(monkeypatch)
    seen: dict[str, dict[int, int]] = {}

    def look(point: str) -> None:
        seen[point] = dict(synced)

    pause_at(monkeypatch, look)
    files = version_files(1)
    publish_version(tmp_path, "2013/cum", files, ME, echo=pytest.fail)
    cluster = tmp_path / "2013" / "cum"
    for rel, data in files:
        assert seen["copied"].get((cluster / "v001" / rel).stat().st_ino) == len(data), rel
    pointer = (cluster / "hien-hanh-v001.txt").stat()
    assert seen["pointer-written"].get(pointer.st_ino) == pointer.st_size > 0


def test_publish_to_a_missing_destination_is_refused(tmp_path: Path) -> None:
    from pipeline.output.archive.publish import publish_version

    with pytest.raises(ThiduaError) as caught:
        publish_version(tmp_path / "o-chua-ket-noi", "2013/cum", version_files(1), ME)
    assert [p.code for p in caught.value.problems] == ["destination-missing"]
    assert not (tmp_path / "o-chua-ket-noi").exists()


def test_a_cluster_folder_that_cannot_be_made_is_a_write_error(tmp_path: Path) -> None:
    from pipeline.output.archive.publish import publish_version

    (tmp_path / "2013").write_text("một tệp chiếm tên thư mục năm")
    with pytest.raises(ThiduaError) as caught:
        publish_version(tmp_path, "2013/cum", version_files(1), ME)
    (problem,) = caught.value.problems
    assert problem.code == "publish-write" and "các phiên bản đã lưu trữ trước" in problem.message


def test_a_copy_the_share_damaged_is_not_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bag is validated on the destination before its rename: a file the share changed
    (same size) is named, and nothing is published."""
    from pipeline.output.archive.publish import publish_version

    cluster = published(tmp_path, 1)

    def damage(point: str) -> None:
        if point == "copied":
            (temp,) = cluster.glob("_dang-chep-v002-*")
            (temp / "data" / "a.docx").write_bytes(b"B" + b"A" * 999)

    pause_at(monkeypatch, damage)
    with pytest.raises(ThiduaError) as caught:
        publish_version(tmp_path, "2013/cum", version_files(2), ME, echo=pytest.fail)
    (problem,) = caught.value.problems
    assert problem.code == "copy-damaged" and "data/a.docx" in problem.message
    assert "chưa lưu trữ phiên bản nào" in problem.message
    assert cluster_state(cluster) == ["hien-hanh-v001.txt", "v001"]


@pytest.mark.parametrize("point", ["copying", "pointer-written"])
def test_a_share_failing_while_publishing_is_a_write_error(
    point: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The share fails (full, disconnected) while the bag or the pointer is written: the
    error says so, the previous version is untouched and current, nothing is left over."""
    from pipeline.output.archive.publish import current_version, publish_version

    cluster = published(tmp_path, 1)

    def fail(reached: str) -> None:
        if reached == point:
            raise OSError(errno.ENOSPC, "No space left on device")

    pause_at(monkeypatch, fail)
    with pytest.raises(ThiduaError) as caught:
        publish_version(tmp_path, "2013/cum", version_files(2), ME, echo=pytest.fail)
    (problem,) = caught.value.problems
    assert problem.code == "publish-write" and "No space left on device" in problem.message
    assert current_version(cluster) == "v001"
    expected = ["hien-hanh-v001.txt", "v001"] + (["v002"] if point == "pointer-written" else [])
    assert cluster_state(cluster) == expected
    target = cluster / ("v002" if point == "copying" else "hien-hanh-v002.txt")
    assert problem.location is not None and problem.location.file == str(target)


def test_what_cannot_be_removed_is_said_and_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A leftover folder or an older pointer another PC holds open stays; the publish goes on
    and says so. (A folder under the pointer's name stands for the open file: unlink fails.)"""
    from pipeline.output.archive import publish

    cluster = published(tmp_path, 1)
    leftover = cluster / "_dang-chep-v002-0123abcd"
    (leftover / "data").mkdir(parents=True)
    removed: list[Path] = []
    monkeypatch.setattr(publish, "remove_tree", removed.append)  # another PC has a file open
    (cluster / "hien-hanh-v001.txt").unlink()
    (cluster / "hien-hanh-v001.txt").mkdir()
    said: list[str] = []
    result = publish.publish_version(tmp_path, "2013/cum", version_files(2), ME, echo=said.append)
    assert result.version == "v002" and removed == [leftover]
    assert said == [
        f"Lưu ý: không xóa được thư mục dở dang {leftover} (đang mở ở máy khác?)",
        "Lưu ý: tệp hien-hanh-v001.txt đang mở ở máy khác nên chưa xóa được; phiên bản hiện "
        "hành vẫn là v002 (số lớn nhất).",
    ]
    assert publish.current_version(cluster) == "v002"


def test_leftovers_of_an_interrupted_publish_are_removed_under_the_lock(tmp_path: Path) -> None:
    from pipeline.output.archive.publish import leftovers, publish_version

    cluster = published(tmp_path, 1)
    (cluster / "_dang-chep-v002-0123abcd" / "data").mkdir(parents=True)
    (cluster / ".hien-hanh-v002-0123abcd.tmp").write_text("v002\n")
    (cluster / "ghi-chu.txt").write_text("của văn thư")
    assert [p.name for p in leftovers(cluster)] == [
        ".hien-hanh-v002-0123abcd.tmp", "_dang-chep-v002-0123abcd"
    ]  # fmt: skip
    publish_version(tmp_path, "2013/cum", version_files(1), ME, echo=pytest.fail)
    assert cluster_state(cluster) == ["ghi-chu.txt", "hien-hanh-v001.txt", "v001"]


def test_versions_and_pointers_are_read_by_their_names_and_numbers(tmp_path: Path) -> None:
    """Only vNNN folders are versions and only hien-hanh-vNNN.txt files pointers, ordered by
    their numbers (v1000 after v999); the current version is the highest pointer."""
    from pipeline.output.archive.publish import current_version, pointed_versions, versions

    cluster = tmp_path
    assert (versions(cluster), pointed_versions(cluster), current_version(cluster)) == (
        [], [], None
    )  # fmt: skip
    for name in ("v999", "v1000", "v002", "V003", "v01", "ban-sao"):
        (cluster / name).mkdir()
    (cluster / "v004").write_text("một tệp, không phải thư mục")
    for name in ("hien-hanh-v999.txt", "hien-hanh-v1000.txt", "hien-hanh-cu.txt",
                 "thong-tin-v005.txt", "hien-hanh-v006.bak"):  # fmt: skip
        (cluster / name).write_text("x")
    assert versions(cluster) == ["v002", "v999", "v1000"]
    assert pointed_versions(cluster) == ["v999", "v1000"]
    assert current_version(cluster) == "v1000"
    (cluster / "hien-hanh-v1000.txt").unlink()
    assert current_version(cluster) == "v999"
    assert versions(tmp_path / "khong-co") == [] and pointed_versions(tmp_path / "khong-co") == []


def test_the_next_version_number_follows_the_highest(tmp_path: Path) -> None:
    from pipeline.output.archive.publish import publish_version

    cluster = tmp_path / "2013" / "cum"
    (cluster / "v009").mkdir(parents=True)  # a version restored from a backup, say
    (cluster / "v009" / bag.MANIFEST).write_text("")
    result = publish_version(tmp_path, "2013/cum", version_files(1), ME, echo=pytest.fail)
    assert (result.version, result.new, result.folder) == ("v010", True, cluster / "v010")
    assert cluster_state(cluster) == ["hien-hanh-v010.txt", "v009", "v010"]


# --- the issued area -----------------------------------------------------------------------------


def issue_now(
    folder: Path,
    drafts: list[tuple[str, bytes]],
    day: int,
    signed: tuple[tuple[str, str, bytes], ...] = (),
    pdf: bool = True,
) -> object:
    """``thidua ban-hanh`` on ``folder`` without LibreOffice: the PDF/A of each new draft is
    given (its bytes and 2 pages); returns the Issue written, or None when nothing was new."""
    from pipeline.output.archive import issued

    planned = issued.plan(
        folder,
        [issued.Draft(name, data, info("bao_cao", "Báo cáo", 10)) for name, data in drafts],
        [issued.Signed(document, original, data) for document, original, data in signed],
    )
    if planned.empty:
        return None
    pdfs = {d.name: (b"%PDF-" + d.data, 2) for d in planned.new} if pdf else {}
    return issued.write_issue(folder, planned, pdfs, DOSSIER, dt.date(2014, 1, day), "1.0")


def test_version_numbers_are_v_and_three_or_more_ascii_digits() -> None:
    from pipeline.output.archive.issued import version_name, version_number

    assert [version_number(n) for n in ("v001", "v123", "v1000", "v0012")] == [1, 123, 1000, 12]
    for name in ("v01", "V001", "x001", "va01", "v0a1", "v00a", "v١٢٣", "v١23", "001v", "ban-hanh"):
        assert version_number(name) is None, name
    assert (version_name(1), version_name(12), version_name(1000)) == ("v001", "v012", "v1000")


def test_issuing_freezes_the_drafts_read_only_with_their_record(tmp_path: Path) -> None:
    import stat

    from pipeline.output.archive import issued

    issue = issue_now(tmp_path, [("01-bao-cao.docx", b"report"), ("02-bien-ban.docx", b"bb")], 10)
    assert isinstance(issue, issued.Issue)
    v001 = tmp_path / "ban-hanh" / "v001"
    assert sorted(p.name for p in v001.iterdir()) == [
        "01-bao-cao.docx", "01-bao-cao.pdf", "02-bien-ban.docx", "02-bien-ban.pdf", "ban-hanh.json"
    ]  # fmt: skip
    for path in v001.iterdir():
        assert not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH), path
    assert (v001 / "01-bao-cao.pdf").read_bytes() == b"%PDF-report"
    record = json.loads((v001 / "ban-hanh.json").read_text("utf-8"))
    assert (record["phien_ban"], record["ngay_ban_hanh"]) == ("v001", "2014-01-10")
    assert record["ho_so"]["title"] == DOSSIER.title  # written as UTF-8 text, not \u escapes
    assert "Hồ sơ tổng kết" in (v001 / "ban-hanh.json").read_text("utf-8")
    first = record["van_ban"][0]
    assert (first["ten"], first["thay_the"]) == ("01-bao-cao.docx", None)
    assert first["tep"] == [
        {"duong_dan": "v001/01-bao-cao.docx", "vai_tro": "docx", "sha256": bag.sha256(b"report"),
         "size": 6},
        {"duong_dan": "v001/01-bao-cao.pdf", "vai_tro": "pdf",
         "sha256": bag.sha256(b"%PDF-report"), "size": 11, "so_trang": 2},
    ]  # fmt: skip
    # the record read back is the issue written
    (back,) = issued.issues(tmp_path)
    assert back == issue
    doc = back.documents[0]
    assert doc.docx.path == "v001/01-bao-cao.docx" and doc.pdf is not None
    assert doc.pdf.path == "v001/01-bao-cao.pdf" and doc.pdf.pages == 2


def test_issuing_again_issues_only_what_changed_as_the_next_version(tmp_path: Path) -> None:
    from pipeline.output.archive import issued

    issue_now(tmp_path, [("01-bao-cao.docx", b"report"), ("02-bien-ban.docx", b"bb")], 10)
    assert (
        issue_now(tmp_path, [("01-bao-cao.docx", b"report"), ("02-bien-ban.docx", b"bb")], 11)
        is None
    )
    planned = issued.plan(
        tmp_path,
        [issued.Draft("01-bao-cao.docx", b"report 2", info("bao_cao", "Báo cáo", 10)),
         issued.Draft("02-bien-ban.docx", b"bb", info("bien_ban", "Biên bản", 10))],
        [],
    )  # fmt: skip
    assert planned.version == "v002" and not planned.empty
    assert [d.name for d in planned.new] == ["01-bao-cao.docx"]
    assert planned.unchanged == [("02-bien-ban.docx", "v001")]
    assert planned.replaced == {"01-bao-cao.docx": "v001"}
    issued.write_issue(tmp_path, planned, {}, DOSSIER, dt.date(2014, 1, 20), "1.0")
    all_issues = issued.issues(tmp_path)
    assert [i.version for i in all_issues] == ["v001", "v002"]
    (replacing,) = all_issues[1].documents
    assert replacing.replaces == "v001" and replacing.pdf is None  # no PDF given this time
    now = issued.current(all_issues)
    assert {name: (i.version, d.docx.path) for name, (i, d) in now.items()} == {
        "01-bao-cao.docx": ("v002", "v002/01-bao-cao.docx"),
        "02-bien-ban.docx": ("v001", "v001/02-bien-ban.docx"),
    }
    assert issued.plan(tmp_path, [], []).version == "v003"


def test_signed_copies_are_attached_once_under_their_documents_names(tmp_path: Path) -> None:
    from pipeline.output.archive import issued

    issue_now(tmp_path, [("02-bien-ban.docx", b"bb")], 10, pdf=False)
    scans = (("02-bien-ban.docx", "Scan 1.PDF", b"scan one"),
             ("02-bien-ban.docx", "scan-2", b"scan two"))  # fmt: skip
    issue = issue_now(tmp_path, [("02-bien-ban.docx", b"bb")], 11, scans)
    assert isinstance(issue, issued.Issue) and issue.version == "v002"
    (doc,) = issue.documents
    assert doc.name == "02-bien-ban.docx" and doc.replaces is None  # the document is v001's
    assert [(f.path, f.role, f.original) for f in doc.files] == [
        ("v001/02-bien-ban.docx", "docx", ""),
        ("v002/ban-ky/02-bien-ban-ban-ky-1.pdf", "ban_ky", "Scan 1.PDF"),
        ("v002/ban-ky/02-bien-ban-ban-ky-2.pdf", "ban_ky", "scan-2"),
    ]
    v002 = tmp_path / "ban-hanh" / "v002"
    assert (v002 / "ban-ky" / "02-bien-ban-ban-ky-2.pdf").read_bytes() == b"scan two"
    assert not (v002 / "02-bien-ban.docx").exists()
    record = json.loads((v002 / "ban-hanh.json").read_text("utf-8"))
    assert record["van_ban"][0]["tep"][1]["ten_goc"] == "Scan 1.PDF"
    assert "ten_goc" not in record["van_ban"][0]["tep"][0]
    # the same scan again is nothing new; one scan alone has no number in its name
    assert issue_now(tmp_path, [], 12, scans[:1]) is None
    issue = issue_now(tmp_path, [("02-bien-ban.docx", b"bb 2")], 13, scans[:1])
    assert isinstance(issue, issued.Issue)
    assert [f.path for f in issue.documents[0].files] == [
        "v003/02-bien-ban.docx", "v003/02-bien-ban.pdf", "v003/ban-ky/02-bien-ban-ban-ky.pdf"
    ]  # fmt: skip


def test_a_signed_copy_without_its_document_is_refused(tmp_path: Path) -> None:
    from pipeline.output.archive import issued

    issue_now(tmp_path, [("02-bien-ban.docx", b"bb")], 10)
    with pytest.raises(ThiduaError) as caught:
        issued.plan(tmp_path, [], [issued.Signed("04-danh-sach.docx", "ds.pdf", b"x"),
                                   issued.Signed("05-khac.docx", "k.pdf", b"y")])  # fmt: skip
    assert [(p.code, p.location.file if p.location else "") for p in caught.value.problems] == [
        ("signed-without-document", "ds.pdf"), ("signed-without-document", "k.pdf")
    ]  # fmt: skip


def test_a_frozen_file_changed_or_missing_blocks_issuing(tmp_path: Path) -> None:
    """Each frozen file is checked in the issue that froze it (v002 lists v001's docx too,
    which is reported once); a changed and a missing file are told apart."""
    import stat

    from pipeline.output.archive import issued

    issue_now(tmp_path, [("02-bien-ban.docx", b"bb")], 10)
    issue_now(tmp_path, [], 11, (("02-bien-ban.docx", "scan.pdf", b"scan"),))
    frozen = tmp_path / "ban-hanh" / "v001" / "02-bien-ban.docx"
    os.chmod(frozen, stat.S_IREAD | stat.S_IWRITE)
    frozen.write_bytes(b"sua tay")
    (tmp_path / "ban-hanh" / "v001" / "02-bien-ban.pdf").unlink()
    found = issued.damaged(tmp_path, issued.issues(tmp_path))
    assert [(p.location.file if p.location else "", p.message) for p in found] == [
        (frozen.as_posix(), "Văn bản đã ban hành (v001, ngày 10/01/2014) đã bị thay đổi sau khi "
                            "ban hành"),
        ((frozen.parent / "02-bien-ban.pdf").as_posix(),
         "Văn bản đã ban hành (v001, ngày 10/01/2014) bị mất"),
    ]  # fmt: skip
    with pytest.raises(ThiduaError) as caught:
        issued.plan(tmp_path, [], [])
    assert [p.code for p in caught.value.problems] == ["issued-changed", "issued-changed"]


def test_unreadable_issue_records_are_each_reported(tmp_path: Path) -> None:
    from pipeline.output.archive import issued

    assert issued.issues(tmp_path) == [] and issued.issued_note(tmp_path) is None
    issue_now(tmp_path, [("02-bien-ban.docx", b"bb")], 10)
    top = tmp_path / "ban-hanh"
    (top / "v002").mkdir()
    (top / "v002" / "ban-hanh.json").write_text('{"phien_ban": "v002"}')
    (top / "v003").mkdir()
    record = json.loads((top / "v001" / "ban-hanh.json").read_text("utf-8"))
    record["phien_ban"] = "v003"
    record["van_ban"][0]["thong_tin"] = ["sửa tay"]
    (top / "v003" / "ban-hanh.json").write_text(json.dumps(record))
    (top / "v004").write_text("một tệp, không phải phiên bản")
    (top / "ghi-chu").mkdir()
    with pytest.raises(ThiduaError) as caught:
        issued.issues(tmp_path)
    assert [(p.code, p.location.file if p.location else "") for p in caught.value.problems] == [
        ("issued-record", (top / "v002" / "ban-hanh.json").as_posix()),
        ("issued-record", (top / "v003" / "ban-hanh.json").as_posix()),
    ]
    assert issued.issued_note(tmp_path) is None  # the build's note stays quiet; ban-hanh reports
    # the first record unreadable too: every one is still reported
    os.chmod(top / "v001" / "ban-hanh.json", 0o644)
    (top / "v001" / "ban-hanh.json").write_text("{")
    with pytest.raises(ThiduaError) as caught:
        issued.issues(tmp_path)
    assert [p.location.file for p in caught.value.problems if p.location] == [
        (top / version / "ban-hanh.json").as_posix() for version in ("v001", "v002", "v003")
    ]


def test_issues_are_read_in_the_order_of_their_numbers(tmp_path: Path) -> None:
    from pipeline.output.archive import issued

    issue_now(tmp_path, [("02-bien-ban.docx", b"bb")], 10)
    top = tmp_path / "ban-hanh"
    for name in ("v999", "v1000"):
        record = json.loads((top / "v001" / "ban-hanh.json").read_text("utf-8"))
        record["phien_ban"] = name
        record["van_ban"][0]["tep"] = [dict(f, duong_dan=f["duong_dan"].replace("v001", name))
                                      for f in record["van_ban"][0]["tep"]]  # fmt: skip
        (top / name).mkdir()
        (top / name / "ban-hanh.json").write_text(json.dumps(record))
        for f in ("02-bien-ban.docx", "02-bien-ban.pdf"):
            (top / name / f).write_bytes((top / "v001" / f).read_bytes())
    assert [i.version for i in issued.issues(tmp_path)] == ["v001", "v999", "v1000"]
    assert issued.current(issued.issues(tmp_path))["02-bien-ban.docx"][0].version == "v1000"
    assert issued.plan(tmp_path, [], []).version == "v1001"


def test_the_build_notes_drafts_that_differ_from_their_issued_version(tmp_path: Path) -> None:
    from pipeline.output.archive import issued

    issue_now(tmp_path, [("01-bao-cao.docx", b"report"), ("02-bien-ban.docx", b"bb")], 10)
    (tmp_path / "01-bao-cao.docx").write_bytes(b"report")
    (tmp_path / "02-bien-ban.docx").write_bytes(b"bb")
    assert issued.issued_note(tmp_path) is None
    (tmp_path / "01-bao-cao.docx").write_bytes(b"report, corrected")
    (tmp_path / "02-bien-ban.docx").unlink()  # a draft removed is no correction
    note = issued.issued_note(tmp_path)
    assert note is not None
    assert note.startswith("Lưu ý: 01-bao-cao.docx (đã ban hành v001): bản đã ban hành vẫn")
    assert "02-bien-ban" not in note and note.endswith("(sẽ thành v002).")


def test_a_failed_issue_writes_nothing_and_a_killed_one_is_cleaned_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.output.archive import issued

    top = tmp_path / "ban-hanh"
    (top / ".dang-ghi-v001-0123abcd").mkdir(parents=True)  # a killed ban-hanh
    (top / ".dang-ghi-v001-0123abcd" / "a.docx").write_bytes(b"x")
    os.chmod(top / ".dang-ghi-v001-0123abcd" / "a.docx", 0o444)
    synced: list[int] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append(os.fstat(fd).st_size)
        if len(synced) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(issued.os, "fsync", fsync)
    with pytest.raises(ThiduaError) as caught:
        issue_now(tmp_path, [("01-bao-cao.docx", b"report")], 10)
    (problem,) = caught.value.problems
    assert problem.code == "issue-write" and "No space left on device" in problem.message
    assert problem.location is not None and problem.location.file == (top / "v001").as_posix()
    assert synced[:2] == [len(b"report"), len(b"%PDF-report")]  # each file synced whole
    assert list(top.iterdir()) == []
    monkeypatch.undo()
    assert issue_now(tmp_path, [("01-bao-cao.docx", b"report")], 10)
    assert [p.name for p in top.iterdir()] == ["v001"]


def test_remove_tree_removes_read_only_trees_and_leaves_what_it_cannot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.output.archive.issued import remove_tree

    remove_tree(tmp_path / "khong-co")  # nothing there: nothing to do
    single = tmp_path / "a.pdf"
    single.write_bytes(b"x")
    os.chmod(single, 0o444)
    remove_tree(single)
    assert not single.exists()
    tree = tmp_path / "v001"
    write(tree, [("a.docx", b"x"), ("ban-ky/b.pdf", b"y"), ("held.docx", b"z")])
    for path in tree.rglob("*.*"):
        os.chmod(path, 0o444)
    real_unlink = os.unlink

    def unlink(path: object, *args: object, **kwargs: object) -> None:
        if str(path).endswith("held.docx"):
            raise OSError(errno.EBUSY, "Device or resource busy")  # open in Word on a share
        real_unlink(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "unlink", unlink)
    remove_tree(tree)  # no error: what is left is reported by whoever looks next
    assert [p.relative_to(tree).as_posix() for p in tree.rglob("*")] == ["held.docx"]


def test_a_bag_whose_first_file_is_in_a_subfolder_is_published(tmp_path: Path) -> None:
    """publish_version takes any bag: its folders are made as deep as each file needs, in any
    order (here a signed copy comes before any file directly under data/)."""
    from pipeline.output.archive.publish import publish_version
    from pipeline.output.archive.verify import verify

    files = bag.bag_files([("ban-ky/sub/b.pdf", b"scan"), ("a.docx", b"A")], [], {})
    result = publish_version(tmp_path, "2013/cum", files, ME, echo=pytest.fail)
    assert (result.folder / "data/ban-ky/sub/b.pdf").read_bytes() == b"scan"
    assert not verify(tmp_path).problems
