"""`thidua ban-hanh` end to end: real workbooks, real documents, LibreOffice's PDF/A, real files."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import stat
from pathlib import Path

import pytest
from archive_work import (
    CORRECTION,
    DOCUMENTS,
    FOLDER,
    SAMPLE,
    correct_report,
    project,
    run,
    snapshot,
)
from docx import Document
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1

pytestmark = pytest.mark.libreoffice

ISSUED = FOLDER / "ban-hanh"


def pdf_facts(data: bytes) -> dict[str, object]:
    """What pdfminer reads in a PDF: its pages, its XMP's PDF/A claim, its unembedded fonts."""
    document = PDFDocument(PDFParser(io.BytesIO(data)))
    xmp = resolve1(document.catalog["Metadata"]).get_data().decode("utf-8")
    part = re.search(r"pdfaid:part(?:>|=\")\s*(\d)", xmp)
    conformance = re.search(r"pdfaid:conformance(?:>|=\")\s*([ABU])", xmp)
    pages = list(PDFPage.create_pages(document))
    unembedded, fonts = set(), set()
    for page in pages:
        for font in resolve1(resolve1(page.resources).get("Font", {})).values():
            font = resolve1(font)
            descriptors = [font.get("FontDescriptor")]
            for descendant in resolve1(font.get("DescendantFonts", [])):
                descriptors.append(resolve1(descendant).get("FontDescriptor"))
            for descriptor in filter(None, map(resolve1, descriptors)):
                name = str(descriptor.get("FontName"))
                fonts.add(name)
                if not any(k in descriptor for k in ("FontFile", "FontFile2", "FontFile3")):
                    unembedded.add(name)
    return {
        "pdfa": (part.group(1) if part else None, conformance.group(1) if conformance else None),
        "pages": len(pages),
        "fonts": fonts,
        "unembedded": unembedded,
    }


def document_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_issue_freezes_the_documents_with_pdfa_copies(tmp_path: Path) -> None:
    work = project("issued", tmp_path)
    v001 = work / ISSUED / "v001"
    record = json.loads((v001 / "ban-hanh.json").read_text("utf-8"))
    assert record["phien_ban"] == "v001" and record["ngay_ban_hanh"] == "2014-01-10"
    assert [d["ten"] for d in record["van_ban"]] == list(DOCUMENTS)
    for entry in record["van_ban"]:
        name = entry["ten"]
        assert (v001 / name).read_bytes() == (work / FOLDER / name).read_bytes()
        for file in entry["tep"]:
            data = (work / ISSUED / file["duong_dan"]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == file["sha256"] and len(data) == file["size"]
            mode = (work / ISSUED / file["duong_dan"]).stat().st_mode
            assert not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH), "frozen: read-only"
        pdf = next(f for f in entry["tep"] if f["vai_tro"] == "pdf")
        facts = pdf_facts((work / ISSUED / pdf["duong_dan"]).read_bytes())
        assert facts["pdfa"] == ("2", "B"), name
        assert facts["fonts"] and facts["unembedded"] == set(), name
        assert pdf["so_trang"] == facts["pages"]
        # the metadata says what the document itself prints
        info = entry["thong_tin"]
        text = document_text(v001 / name)
        assert f"Số {info['code']}" in text, (name, info["code"])
        flat = " ".join(text.split()).casefold()
        for part in info["subject"].split(" của "):  # the covenant prints its cluster apart
            assert part.casefold() in flat, name
        if info["signer_name"]:
            assert info["signer_name"] in text


def test_issuing_again_issues_nothing(tmp_path: Path) -> None:
    work = project("issued", tmp_path)
    before = snapshot(work / ISSUED)
    code, out, err = run(work, "ban-hanh")
    assert code == 0, err
    assert "Không có gì mới để ban hành" in out and out.count("đã ban hành v001") == 4
    assert snapshot(work / ISSUED) == before


def test_issued_documents_survive_every_later_build(tmp_path: Path) -> None:
    work = project("issued", tmp_path)
    before = snapshot(work / ISSUED)
    correct_report(work)
    for args in (("build",), ("build", "--force"), ("build", "--only", "bao-cao", "--force")):
        code, out, err = run(work, *args)
        assert code == 0, err
        assert snapshot(work / ISSUED) == before, args
    # the build says plainly that the issued v001 stays and the new draft needs issuing
    assert "01-bao-cao-tong-ket.docx (đã ban hành v001)" in out
    assert "bản đã ban hành vẫn giữ nguyên" in out and "(sẽ thành v002)" in out
    assert "02-bien-ban" not in out.split("Lưu ý:")[1]
    assert CORRECTION in document_text(work / FOLDER / "01-bao-cao-tong-ket.docx")


def test_a_correction_is_issued_as_v002_replacing_only_what_changed(tmp_path: Path) -> None:
    issued = project("issued", tmp_path / "a")
    work = project("corrected", tmp_path / "b")
    assert snapshot(work / ISSUED / "v001") == snapshot(issued / ISSUED / "v001")
    v002 = work / ISSUED / "v002"
    assert sorted(p.name for p in v002.iterdir()) == [
        "01-bao-cao-tong-ket.docx",
        "01-bao-cao-tong-ket.pdf",
        "ban-hanh.json",
    ]
    record = json.loads((v002 / "ban-hanh.json").read_text("utf-8"))
    (entry,) = record["van_ban"]
    assert entry["ten"] == "01-bao-cao-tong-ket.docx" and entry["thay_the"] == "v001"
    assert CORRECTION in document_text(v002 / "01-bao-cao-tong-ket.docx")


def test_an_issued_document_changed_on_disk_is_reported(tmp_path: Path) -> None:
    work = project("issued", tmp_path)
    target = work / ISSUED / "v001" / "02-bien-ban-hoi-nghi.docx"
    os.chmod(target, stat.S_IREAD | stat.S_IWRITE)
    target.write_bytes(target.read_bytes() + b"sua tay")
    for args in (("ban-hanh",), ("luu-tru", str(tmp_path / "dich"))):
        (tmp_path / "dich").mkdir(exist_ok=True)
        code, out, err = run(work, *args)
        assert code == 1, (args, out)
        assert "đã bị thay đổi sau khi ban hành" in err and "v001/02-bien-ban-hoi-nghi.docx" in err
        assert "Traceback" not in err
    assert list((tmp_path / "dich").iterdir()) == []


def test_signed_copies_are_kept_as_given(tmp_path: Path) -> None:
    work = project("issued", tmp_path)
    scan = tmp_path / "Biên bản đã ký.PDF"
    scan.write_bytes(b"%PDF-1.4 signed scan bytes")
    signed = ("--ban-ky", "bien-ban", str(scan))
    code, out, err = run(work, "ban-hanh", "--ngay", "11/01/2014", *signed)
    assert code == 0, err
    kept = work / ISSUED / "v002" / "ban-ky" / "02-bien-ban-hoi-nghi-ban-ky.pdf"
    assert kept.read_bytes() == scan.read_bytes()
    record = json.loads((work / ISSUED / "v002" / "ban-hanh.json").read_text("utf-8"))
    (entry,) = record["van_ban"]
    paths = {f["duong_dan"]: f for f in entry["tep"]}
    assert "v001/02-bien-ban-hoi-nghi.docx" in paths  # the document itself was not issued again
    assert paths["v002/ban-ky/02-bien-ban-hoi-nghi-ban-ky.pdf"]["ten_goc"] == scan.name
    assert not (work / ISSUED / "v002" / "02-bien-ban-hoi-nghi.docx").exists()
    # the same scan again: nothing new
    code, out, _ = run(work, "ban-hanh", "--ban-ky", "bien-ban", str(scan))
    assert code == 0 and "Không có gì mới" in out


def test_issuing_needs_a_build_first(tmp_path: Path) -> None:
    work = tmp_path / "work"
    (work / "inputs").mkdir(parents=True)
    from pipeline.resources import bundled_inputs_dir

    (work / "inputs" / SAMPLE).write_bytes((bundled_inputs_dir() / SAMPLE).read_bytes())
    code, _, err = run(work, "ban-hanh")
    assert code == 1 and "Chưa có văn bản nào để ban hành" in err and "thidua build" in err
    code, _, err = run(work, "ban-hanh", "--ngay", "31/02/2014")
    assert code == 2 and "không phải ngày" in err
