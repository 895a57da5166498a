"""The archive's parts, one at a time: names, bags (checked by the real ``bagit`` library),
Phụ lục VI records, the Mục lục, the bundle, the lock. No LibreOffice, a real filesystem."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import unicodedata
import zipfile
from pathlib import Path

import bagit
import pytest
from archive_work import PAYLOAD, write
from docx import Document

from pipeline.errors import ThiduaError
from pipeline.output.archive import bag, lock
from pipeline.output.archive.catalogue import COLUMNS, catalogue_csv, catalogue_docx
from pipeline.output.archive.metadata import (
    DOCUMENT_FIELDS,
    DOSSIER_FIELDS,
    ArchivedDocument,
    DocumentInfo,
    DossierInfo,
    document_fields,
    dossier_record,
    ordered,
)
from pipeline.output.archive.names import MAX_PATH, name_problems, tree_problems
from pipeline.output.archive.publish import publish_version

# --- names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["CON", "con.docx", "Aux.txt", "NUL", "COM1", "lpt9.pdf", "CONIN$", "trailing.", "trailing ",
     "a:b", "a?b", 'a"b', "a<b", "a|b", "a*b", "a\\b", "tab\tname", "",
     unicodedata.normalize("NFD", "Biên bản.docx"), "x" * 101],
)  # fmt: skip
def test_unsafe_names_are_refused(name: str) -> None:
    assert name_problems(name)


@pytest.mark.parametrize(
    "name", ["v001", "02-bien-ban-hoi-nghi.docx", "ban-ky", "console.docx", "com10", "Biên bản"]
)
def test_safe_names_pass(name: str) -> None:
    assert name_problems(name) == []


def test_names_that_differ_only_in_case_collide() -> None:
    paths = ["2013/cum/v001/data/Bao-Cao.docx", "2013/cum/v001/data/bao-cao.DOCX"]
    problems = tree_problems("D:\\", paths)
    assert [p.code for p in problems] == ["name-case"]
    # the same name under two different folders is fine
    assert tree_problems("D:\\", ["a/x.docx", "b/X.docx"]) == []


def test_path_limit_counts_the_destination() -> None:
    rel = "2013/cum-thi-dua/v001/data/02-bien-ban-hoi-nghi.docx"
    # \\may\luu-tru + "\" + rel, counted by hand: a path is too long at 260 characters or more.
    fits = "\\\\may\\" + "d" * (MAX_PATH - 1 - 1 - len(rel) - len("\\\\may\\"))
    assert len(fits) + 1 + len(rel) == 259
    assert tree_problems(fits, [rel]) == []
    (problem,) = tree_problems(fits + "d", [rel])
    assert problem.code == "path-too-long" and "260" in problem.message
    assert f"tối đa {len(fits)} ký tự" in problem.hint


# --- bags ----------------------------------------------------------------------------------------


def test_our_bag_is_valid_for_bagit_and_matches_make_bag(tmp_path: Path) -> None:
    ours = tmp_path / "ours"
    tags = [("metadata/x.json", b"{}")]
    write(ours, bag.bag_files(PAYLOAD, tags, {"Bagging-Date": "2014-01-10"}))
    assert bagit.Bag(str(ours)).is_valid(fast=False)
    assert bag.validate(ours) == []
    # The reference: bagit's own make_bag over the same payload (local, never on a share).
    theirs = tmp_path / "theirs"
    write(theirs, PAYLOAD)
    bagit.make_bag(str(theirs), checksums=["sha256"])
    assert sorted((ours / "manifest-sha256.txt").read_text().splitlines()) == sorted(
        (theirs / "manifest-sha256.txt").read_text().splitlines()
    )
    # RFC 8493 is BagIt 1.0 (bagit-python 1.9 still writes 0.97 by default)
    assert (ours / "bagit.txt").read_bytes() == (
        b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    )
    oxum = bagit.Bag(str(theirs)).info["Payload-Oxum"]
    assert oxum == f"{1000 + len('bản ký'.encode())}.3"
    assert bagit.Bag(str(ours)).info["Payload-Oxum"] == oxum


def test_check_bag_names_missing_changed_extra_and_litter(tmp_path: Path) -> None:
    top = tmp_path / "v001"
    write(top, bag.bag_files(PAYLOAD, [], {}))
    assert bag.check_bag(top) == []
    (top / "data" / "a.docx").write_bytes(b"B" + b"A" * 999)  # same size: Oxum would pass
    (top / "data" / "c d.txt").unlink()
    (top / "data" / "new.docx").write_bytes(b"x")
    (top / "data" / "Thumbs.db").write_bytes(b"x")
    (top / "data" / "~$a.docx").write_bytes(b"x")
    (top / ".DS_Store").write_bytes(b"x")
    found = {(d.kind, d.path) for d in bag.check_bag(top)}
    assert found == {
        ("changed", "data/a.docx"),
        ("missing", "data/c d.txt"),
        ("extra", "data/new.docx"),
        ("litter", "data/Thumbs.db"),
        ("litter", "data/~$a.docx"),
        ("litter", ".DS_Store"),
    }
    assert bag.validate(top, ignore_litter=True)  # bagit agrees it is damaged


def test_litter_alone_is_not_damage_for_bagit_with_ignore_litter(tmp_path: Path) -> None:
    top = tmp_path / "v001"
    write(top, bag.bag_files(PAYLOAD, [], {}))
    for name in ("Thumbs.db", "desktop.ini", "._a.docx", ".DS_Store"):
        (top / "data" / name).write_bytes(b"litter")
    assert bag.validate(top)  # plain bagit fails on the Payload-Oxum count
    assert bag.validate(top, ignore_litter=True) == []
    assert {d.kind for d in bag.check_bag(top)} == {"litter"}


def test_validate_does_not_touch_the_bag(tmp_path: Path) -> None:
    top = tmp_path / "v001"
    write(top, bag.bag_files(PAYLOAD, [], {}))
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in top.rglob("*") if p.is_file()}
    assert bag.validate(top) == []
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in top.rglob("*") if p.is_file()}
    assert before == after


# --- metadata, Mục lục, bundle -------------------------------------------------------------------


def info(kind: str, day: int, **changes: object) -> DocumentInfo:
    values: dict[str, object] = {
        "kind": kind,
        "type_name": "Báo cáo",
        "number": 12,
        "notation": "BC/BTGTU",
        "date": dt.date(2014, 1, day),
        "organ_name": "Ban Tuyên giáo Tỉnh ủy",
        "subject": "Tổng kết công tác thi đua, khen thưởng năm 2013",
        "signer_position": "T/M CỤM THI ĐUA, CỤM TRƯỞNG",
        "signer_name": "Lộc Văn Bình",
        "recipients": ("Các cơ quan trong cụm",),
        "year": 2013,
        "code": "12-BC/BTGTU",
    }
    values.update(changes)
    return DocumentInfo(**values)  # type: ignore[arg-type]


DOSSIER = DossierInfo("Hồ sơ tổng kết năm 2013 của Cụm thi đua", 2013, "Cụm thi đua")


def test_every_field_fits_its_length() -> None:
    long = ArchivedDocument(
        info("bao_cao", 10, subject="chữ " * 400, signer_name="Nguyễn " * 20), ("a.docx",), 4
    )
    values = document_fields(ordered([long])[0], DOSSIER)
    for f in DOCUMENT_FIELDS:
        value = values[f.tag]
        if isinstance(value, str) and f.length is not None:
            assert len(value) <= f.length, f.tag
    assert str(values["Subject"]).endswith("…") and len(str(values["Subject"])) <= 500
    assert values["IssuedDate"] == "10/01/2014" and values["CodeNumber"] == "12"
    assert values["DocOrdinal"] == 1 and values["PageAmount"] == 4
    record = dossier_record([long], DOSSIER)
    assert {f.tag.split(".")[0] for f in DOSSIER_FIELDS} == set(record)
    assert record["DocTotal"] == 1 and record["PageTotal"] == 4


def test_info_survives_its_json() -> None:
    original = info("bien_ban", 10, number=None, recipients=("A", "B"))
    assert DocumentInfo.from_json(json.loads(json.dumps(original.to_json()))) == original


def test_catalogue_docx_is_deterministic_and_holds_the_rows(tmp_path: Path) -> None:
    docs = ordered(
        [
            ArchivedDocument(info("danh_sach", 12, code="05-DS/BTGTU"), ("d.docx",), 3, "ghi chú"),
            ArchivedDocument(info("bao_cao", 10), ("a.docx",), 4),
        ]
    )
    data = catalogue_docx(docs, DOSSIER, dt.date(2014, 1, 20))
    assert data == catalogue_docx(docs, DOSSIER, dt.date(2014, 1, 20))
    path = tmp_path / "muc-luc.docx"
    path.write_bytes(data)
    document = Document(str(path))
    (table,) = document.tables
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0] == list(COLUMNS)
    assert cells[1] == [f"({i})" for i in range(1, 8)]
    # by date: the report (10/01) first, pages 01-04, then the list (12/01), pages 05-07
    assert cells[2][:3] == ["1", "12-BC/BTGTU", "10/01/2014"] and cells[2][5] == "01-04"
    assert cells[3][:3] == ["2", "05-DS/BTGTU", "12/01/2014"] and cells[3][5] == "05-07"
    assert cells[3][6] == "ghi chú"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "MỤC LỤC VĂN BẢN, TÀI LIỆU" in text and "2 văn bản, 7 trang" in text
    csv_text = catalogue_csv(docs).decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("STT,") and "05-07" in csv_text


def test_bundle_is_deterministic() -> None:
    from pipeline.output.archive.bundle import bundle_zip

    files = [("02-bien-ban-hoi-nghi.docx", b"x" * 100), ("muc-luc-van-ban.docx", b"y")]
    one = bundle_zip(files, dt.date(2014, 1, 10))
    assert one == bundle_zip(files, dt.date(2014, 1, 10))
    with zipfile.ZipFile(io.BytesIO(one)) as archive:
        assert archive.namelist() == [n for n, _ in files]
        assert archive.testzip() is None
        assert {i.date_time for i in archive.infolist()} == {(2014, 1, 10, 0, 0, 0)}


# --- the lock ------------------------------------------------------------------------------------

ME = lock.Holder("van-thu-a", "PC-VANTHU", "2014-01-10T09:30:00+07:00", 1234)
OTHER = lock.Holder("van-thu-b", "PC-KHAC", "2014-01-10T09:31:00+07:00", 99)


def test_second_holder_is_told_who_and_since_when(tmp_path: Path) -> None:
    with lock.held(tmp_path, ME):
        with pytest.raises(ThiduaError) as caught, lock.held(tmp_path, OTHER):
            pass
        message = str(caught.value)
        assert "van-thu-a trên máy PC-VANTHU từ 10/01/2014 09:30" in message
        assert "thidua mo-khoa" in message
        assert (tmp_path / lock.LOCK_NAME).is_file()
    assert not (tmp_path / lock.LOCK_NAME).exists()


def test_a_lock_replaced_meanwhile_is_not_removed_by_its_old_holder(tmp_path: Path) -> None:
    with lock.held(tmp_path, ME):
        lock.break_lock(tmp_path / lock.LOCK_NAME)
        (tmp_path / lock.LOCK_NAME).write_bytes(OTHER.to_json())
    assert lock.read_holder(tmp_path / lock.LOCK_NAME) == OTHER


def test_publish_refuses_an_over_long_destination_before_writing(tmp_path: Path) -> None:
    files = bag.bag_files(PAYLOAD, [], {})
    deep = tmp_path / ("d" * 100) / ("e" * 100)
    deep.mkdir(parents=True)
    with pytest.raises(ThiduaError) as caught:
        publish_version(deep, "2013/cum-thi-dua", files, ME)
    assert [p.code for p in caught.value.problems] == ["path-too-long"]
    assert "chưa chép tệp nào" in caught.value.problems[0].message
    assert list(deep.iterdir()) == []


def test_publish_then_verify_a_local_destination(tmp_path: Path) -> None:
    from pipeline.output.archive.verify import verify

    files = bag.bag_files(PAYLOAD, [], {})
    first = publish_version(tmp_path, "2013/cum", files, ME)
    again = publish_version(tmp_path, "2013/cum", files, ME)
    assert (first.version, first.new, again.version, again.new) == ("v001", True, "v001", False)
    changed = bag.bag_files([*PAYLOAD[:2], ("c d.txt", b"sua")], [], {})
    second = publish_version(tmp_path, "2013/cum", changed, ME)
    assert second.version == "v002"
    cluster = tmp_path / "2013" / "cum"
    assert sorted(os.listdir(cluster)) == ["hien-hanh-v002.txt", "v001", "v002"]
    report = verify(tmp_path)
    assert not report.damaged and report.versions == 2, report.problems
    assert hashlib.sha256((cluster / "v001/data/c d.txt").read_bytes()).hexdigest() == (
        hashlib.sha256(b"").hexdigest()
    )
    shutil.rmtree(cluster / "v002" / "data" / "ban-ky")
    assert verify(tmp_path).damaged


def test_the_archive_page_and_the_readme_name_every_archive_command() -> None:
    import re

    from click.testing import CliRunner

    from pipeline.cli import cli

    root = Path(__file__).resolve().parents[1]
    page = (root / "docs" / "luu-tru.md").read_text("utf-8")
    readme = (root / "README.md").read_text("utf-8")
    help_text = CliRunner().invoke(cli, ["--help"]).stdout
    for command, alias in (("ban-hanh", "issue"), ("luu-tru", "publish"),
                           ("kiem-tra", "verify"), ("mo-khoa", "unlock")):  # fmt: skip
        assert f"thidua {command}" in page and f"thidua {command}" in readme
        assert re.search(rf"^\s+{command}\s", help_text, flags=re.MULTILINE), command
        alias_help = CliRunner().invoke(cli, [alias, "--help"])
        assert alias_help.exit_code == 0 and f"({alias})" in alias_help.stdout
    for option in ("--ban-ky", "--ngay", "--only"):
        assert option in page and option in CliRunner().invoke(cli, ["ban-hanh", "--help"]).stdout
    publish_help = CliRunner().invoke(cli, ["luu-tru", "-h"]).stdout
    assert "--ban-nhap" in page and "--ban-nhap" in publish_help
