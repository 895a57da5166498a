"""`thidua luu-tru`, `kiem-tra` and `mo-khoa` on a local destination folder (the SMB share has its
own tests in test_archive_smb.py)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import bagit
import pytest
from archive_work import CLUSTER, CORRECTION, correct_report, project, run, snapshot
from docx import Document
from test_archive_issue import pdf_facts

pytestmark = pytest.mark.libreoffice


def test_publish_writes_a_valid_bag_with_metadata_catalogue_and_bundle(tmp_path: Path) -> None:
    work = project("issued", tmp_path)
    dest = tmp_path / "dich"
    dest.mkdir()
    code, out, err = run(work, "luu-tru", str(dest), "--ngay", "15/01/2014")
    assert code == 0, err
    cluster = dest / CLUSTER
    assert sorted(p.name for p in cluster.iterdir()) == ["hien-hanh-v001.txt", "v001"]
    v001 = cluster / "v001"
    bagit.Bag(str(v001)).validate(fast=False)  # the reference validator, in full
    info = bagit.Bag(str(v001)).info
    assert info["Bagging-Date"] == "2014-01-15" and info["Thidua-Trang-Thai"] == "ban-hanh"

    records = json.loads((v001 / "metadata/van-ban.json").read_text("utf-8"))
    assert [r["DocOrdinal"] for r in records] == [1, 2, 3, 4]
    for record in records:
        pdf = next(f for f in record["Files"] if f.endswith(".pdf"))
        assert record["PageAmount"] == pdf_facts((v001 / "data" / pdf).read_bytes())["pages"]
        assert record["Language"] == "Tiếng Việt" and record["IssuedDate"] == "10/01/2014"
    hoso = json.loads((v001 / "metadata/ho-so.json").read_text("utf-8"))
    assert hoso["DocTotal"] == 4 and hoso["PageTotal"] == sum(r["PageAmount"] for r in records)

    catalogue = Document(str(v001 / "data/muc-luc-van-ban.docx"))
    rows = [[c.text for c in row.cells] for row in catalogue.tables[0].rows][2:]
    assert [r[0] for r in rows] == ["1", "2", "3", "4"]
    assert len(rows) == 4 and all(r[5] for r in rows)  # every document has its page span

    with zipfile.ZipFile(io.BytesIO((v001 / "data/ho-so-khen-thuong-2013.zip").read_bytes())) as z:
        names = z.namelist()
    assert not any("giao-uoc" in n for n in names)
    for stem in ("01-bao-cao-tong-ket", "02-bien-ban-hoi-nghi", "04-danh-sach-de-nghi-khen-thuong"):
        assert f"{stem}.docx" in names and f"{stem}.pdf" in names
    assert "muc-luc-van-ban.docx" in names

    code, out, err = run(work, "kiem-tra", str(dest))
    assert code == 0, out + err
    assert "nguyên vẹn" in out and "hiện hành" in out
    # publishing the same issued set again, another day, publishes nothing
    code, out, _ = run(work, "luu-tru", str(dest), "--ngay", "16/01/2014")
    assert code == 0 and "không đổi" in out
    assert sorted(p.name for p in cluster.iterdir()) == ["hien-hanh-v001.txt", "v001"]


def test_catalogue_rows_are_the_documents_numbers(tmp_path: Path) -> None:
    work = project("issued", tmp_path)
    (tmp_path / "dich").mkdir()
    assert run(work, "luu-tru", str(tmp_path / "dich"))[0] == 0
    v001 = tmp_path / "dich" / CLUSTER / "v001"
    catalogue = Document(str(v001 / "data/muc-luc-van-ban.docx"))
    rows = [[c.text for c in row.cells] for row in catalogue.tables[0].rows][2:]
    issued = json.loads((v001 / "metadata/ban-hanh/v001.json").read_text("utf-8"))
    codes = {d["thong_tin"]["code"] for d in issued["van_ban"]}
    assert {r[1] for r in rows} == codes
    for row in rows:  # the number printed in each document is the one in the Mục lục
        name = next(d["ten"] for d in issued["van_ban"] if d["thong_tin"]["code"] == row[1])
        text = "\n".join(p.text for t in Document(str(v001 / "data" / name)).tables
                         for r in t.rows for p in r.cells)
        assert f"Số {row[1]}" in text  # fmt: skip


def test_only_issued_documents_are_published_unless_drafts_are_asked_for(tmp_path: Path) -> None:
    work = project("built", tmp_path)
    dest = tmp_path / "dich"
    dest.mkdir()
    code, _, err = run(work, "luu-tru", str(dest))
    assert code == 1 and "Chưa ban hành văn bản nào" in err and "--ban-nhap" in err
    assert list(dest.iterdir()) == []
    code, _, err = run(work, "luu-tru", str(dest), "--ban-nhap")
    assert code == 0, err
    v001 = dest / CLUSTER / "v001"
    assert bagit.Bag(str(v001)).info["Thidua-Trang-Thai"] == "ban-nhap"
    records = json.loads((v001 / "metadata/van-ban.json").read_text("utf-8"))
    assert {r["Description"] for r in records} == {"Dự thảo, chưa ban hành"}
    for record in records:
        pdf = next(f for f in record["Files"] if f.endswith(".pdf"))
        assert pdf_facts((v001 / "data" / pdf).read_bytes())["pdfa"] == ("2", "B")


def test_a_corrected_version_is_published_as_v002_beside_v001(tmp_path: Path) -> None:
    work = project("issued", tmp_path)
    dest = tmp_path / "dich"
    dest.mkdir()
    assert run(work, "luu-tru", str(dest))[0] == 0
    v001 = snapshot(dest / CLUSTER / "v001")
    correct_report(work)
    assert run(work, "build")[0] == 0
    code, out, _ = run(work, "luu-tru", str(dest))  # the correction is not issued yet
    assert code == 0 and "không đổi" in out and "chưa ban hành" in out
    assert run(work, "ban-hanh", "--ngay", "20/01/2014")[0] == 0
    code, out, err = run(work, "luu-tru", str(dest))
    assert code == 0, err
    cluster = dest / CLUSTER
    assert sorted(p.name for p in cluster.iterdir()) == ["hien-hanh-v002.txt", "v001", "v002"]
    assert snapshot(cluster / "v001") == v001
    report = Document(str(cluster / "v002/data/01-bao-cao-tong-ket.docx"))
    assert CORRECTION in "\n".join(p.text for p in report.paragraphs)
    assert (cluster / "v002/data/02-bien-ban-hoi-nghi.docx").read_bytes() == v001[
        "data/02-bien-ban-hoi-nghi.docx"
    ]
    records = json.loads((cluster / "v002/metadata/van-ban.json").read_text("utf-8"))
    report_record = next(r for r in records if r["TypeName"] == "Báo cáo")
    assert "thay thế bản ban hành v001" in report_record["Description"]
    code, out, err = run(work, "kiem-tra", str(dest))
    assert code == 0, out + err
    assert out.count("nguyên vẹn ") == 2


def test_verify_names_damage_and_only_warns_about_litter(tmp_path: Path) -> None:
    work = project("issued", tmp_path)
    dest = tmp_path / "dich"
    dest.mkdir()
    assert run(work, "luu-tru", str(dest))[0] == 0
    v001 = dest / CLUSTER / "v001"
    for litter in ("data/Thumbs.db", "data/~$02-bien-ban-hoi-nghi.docx", "data/._x.pdf",
                   "desktop.ini", "../.DS_Store"):  # fmt: skip
        (v001 / litter).write_bytes(b"litter")
    code, out, err = run(work, "kiem-tra", str(dest))
    assert code == 0, out + err
    assert out.count("Tệp rác") == 5 and "nguyên vẹn" in out
    (v001 / "data/03-giao-uoc-thi-dua.pdf").write_bytes(b"%PDF sua")
    (v001 / "data/muc-luc-van-ban.csv").unlink()
    (v001 / "data/them.docx").write_bytes(b"x")
    code, out, err = run(work, "kiem-tra", str(dest))
    assert code == 1
    assert "03-giao-uoc-thi-dua.pdf: Tệp đã bị thay đổi" in err
    assert "muc-luc-van-ban.csv: Thiếu tệp" in err
    assert "them.docx: Tệp lạ" in err
    assert "CÓ HƯ HỎNG" in out


def test_a_held_lock_names_its_holder_and_only_a_person_breaks_it(tmp_path: Path) -> None:
    work = project("issued", tmp_path)
    dest = tmp_path / "dich"
    (dest / CLUSTER).mkdir(parents=True)
    lock = dest / CLUSTER / "khoa-luu-tru.json"
    lock.write_text(
        '{"nguoi": "van-thu-b", "may": "PC-KHAC", "tu_luc": "2014-01-10T09:31:00+07:00", '
        '"pid": 4321}',
        encoding="utf-8",
    )
    code, _, err = run(work, "luu-tru", str(dest))
    assert code == 1
    assert "van-thu-b trên máy PC-KHAC từ 10/01/2014 09:31 (pid 4321)" in err
    assert "thidua mo-khoa" in err
    assert sorted(p.name for p in (dest / CLUSTER).iterdir()) == ["khoa-luu-tru.json"]
    code, out, _ = run(work, "mo-khoa", str(dest), input="n\n")
    assert code == 0 and "giữ nguyên" in out and lock.exists()
    code, out, _ = run(work, "mo-khoa", str(dest), input="y\n")
    assert code == 0 and "đã mở khóa" in out and "van-thu-b trên máy PC-KHAC" in out
    assert not lock.exists()
    assert run(work, "luu-tru", str(dest))[0] == 0
    assert not lock.exists()  # released after publishing


def test_an_over_long_destination_is_refused_before_anything_is_copied(tmp_path: Path) -> None:
    work = project("issued", tmp_path)
    dest = tmp_path / ("thu-muc-luu-tru-rat-dai-" * 4) / ("cap-hai-" * 8)
    dest.mkdir(parents=True)
    code, _, err = run(work, "luu-tru", str(dest))
    assert code == 1
    assert "quá giới hạn 259 ký tự" in err and "chưa chép tệp nào" in err
    assert list(dest.iterdir()) == []
