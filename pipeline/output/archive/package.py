"""What one published version holds: documents, Mục lục, hồ sơ bundle and metadata, as a bag.

Pure: no I/O, no clock. Layout of a version (a BagIt bag, :mod:`.bag`)::

    bagit.txt  bag-info.txt  manifest-sha256.txt  tagmanifest-sha256.txt
    data/01-bao-cao-tong-ket.docx, .pdf (PDF/A)      the documents
    data/ban-ky/…                                    signed copies, as they were given
    data/muc-luc-van-ban.docx, .csv                  Mục lục văn bản (Phụ lục V), for people
    data/ho-so-khen-thuong-<năm>.zip                 the bundle for the emulation board
    metadata/van-ban.json, van-ban.csv               Phụ lục VI Table I, one record a document
    metadata/ho-so.json                              Phụ lục VI Table III, the hồ sơ
    metadata/muc-luc-van-ban.json                    the Mục lục rows for programs
    metadata/ban-hanh/v001.json …                    the issue records the documents come from

This is thidua's own archive and audit format, not the "nộp lưu trên Hệ thống" of NĐ 30
Điều 30 nor a TT 05/2025/TT-BNV package (``External-Description`` says so).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.output.archive.bag import bag_files
from pipeline.output.archive.bundle import bundle_name, bundle_zip
from pipeline.output.archive.catalogue import catalogue_csv, catalogue_docx, catalogue_json
from pipeline.output.archive.metadata import (
    DOCUMENT_FIELDS,
    ArchivedDocument,
    DossierInfo,
    document_fields,
    document_record,
    dossier_record,
    ordered,
)

CATALOGUE = "muc-luc-van-ban"


@dataclass(frozen=True, slots=True)
class DocumentFiles:
    """One document to publish: its record (``doc.files`` are payload paths), the bytes of
    those files, and whether it belongs in the hồ sơ bundle."""

    doc: ArchivedDocument
    contents: tuple[tuple[str, bytes], ...]
    in_bundle: bool = False


def package_files(
    documents: Sequence[DocumentFiles],
    dossier: DossierInfo,
    made_on: dt.date,
    *,
    status: str,
    thidua_version: str,
    group: str,
    records: Sequence[tuple[str, bytes]] = (),
    bagged_on: dt.date | None = None,
) -> list[tuple[str, bytes]]:
    """Every file of the bag (paths relative to the version folder).

    ``status`` is ``ban-hanh`` (issued documents) or ``ban-nhap`` (a draft archive the user
    asked for); ``group`` the cluster-year (``2013/cum-…``); ``records`` the issue records
    (name, bytes) kept under ``metadata/ban-hanh/``. ``made_on`` dates the Mục lục and the
    bundle (part of the payload: the date of the latest issue, so that the same issued set gives
    the same payload on any day); ``bagged_on`` (default ``made_on``) is the ``Bagging-Date``.
    """
    by_doc = {id(d.doc): d for d in documents}
    docs = ordered(d.doc for d in documents)
    # ordered() copies the records with their ordinal: find each one's files again by path.
    contents = {path: data for d in documents for path, data in d.contents}
    in_bundle = {d.doc.files for d in by_doc.values() if d.in_bundle}

    payload: list[tuple[str, bytes]] = []
    for doc in docs:
        payload += [(path, contents[path]) for path in doc.files]
    payload.append((f"{CATALOGUE}.docx", catalogue_docx(docs, dossier, made_on)))
    payload.append((f"{CATALOGUE}.csv", catalogue_csv(docs)))
    chosen = [d for d in docs if d.files in in_bundle]
    if chosen:
        members = [(path.rsplit("/", 1)[-1], contents[path]) for d in chosen for path in d.files]
        members.append((f"{CATALOGUE}.docx", catalogue_docx(chosen, dossier, made_on)))
        payload.append((bundle_name(dossier.year), bundle_zip(members, made_on)))

    tags = [
        ("metadata/van-ban.json", _json([document_record(d, dossier) for d in docs])),
        ("metadata/van-ban.csv", _fields_csv(docs, dossier)),
        ("metadata/ho-so.json", _json(dossier_record(docs, dossier))),
        (f"metadata/{CATALOGUE}.json", catalogue_json(docs, dossier)),
        *((f"metadata/ban-hanh/{name}", data) for name, data in records),
    ]
    what = "văn bản đã ban hành" if status == "ban-hanh" else "dự thảo (chưa ban hành)"
    info = {
        "Source-Organization": dossier.organ_name or dossier.title,
        "External-Description": f"{dossier.title}: {len(docs)} {what}. Bản lưu trữ do thidua "
        "lập (túi BagIt, siêu dữ liệu theo Phụ lục VI Nghị định 30/2020/NĐ-CP); không phải gói "
        "nộp lưu vào Hệ thống theo Thông tư 05/2025/TT-BNV.",
        "External-Identifier": group,
        "Bag-Group-Identifier": group,
        "Bagging-Date": (bagged_on or made_on).isoformat(),
        "Bag-Software-Agent": f"thidua {thidua_version}",
        "Thidua-Trang-Thai": status,
    }
    return bag_files(payload, tags, info)


def _json(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _fields_csv(docs: Sequence[ArchivedDocument], dossier: DossierInfo) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([f"{f.number}. {f.name} ({f.tag})" for f in DOCUMENT_FIELDS])
    for doc in docs:
        values = document_fields(doc, dossier)
        writer.writerow(["" if values[f.tag] is None else values[f.tag] for f in DOCUMENT_FIELDS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
