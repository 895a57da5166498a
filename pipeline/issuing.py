"""Issuing and archiving a cluster-year: ``thidua ban-hanh``, ``luu-tru`` and ``mo-khoa``.

This module sequences the runs the way :mod:`pipeline.build` sequences a build: it loads and
validates the workbooks, computes the template context once, turns it into plain Phụ lục VI
records (:class:`~pipeline.output.archive.metadata.DocumentInfo`) and hands them to the archive
code of :mod:`pipeline.output.archive`, which knows nothing of workbooks or templates. The date,
the user and the host are read by the command line and passed in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline import __version__
from pipeline.checking import load_and_validate
from pipeline.errors import Location, Problem, ThiduaError, format_problems, has_errors
from pipeline.output.archive import issued, lock
from pipeline.output.archive.metadata import ArchivedDocument, DocumentInfo, DossierInfo
from pipeline.output.archive.package import DocumentFiles, package_files
from pipeline.output.archive.publish import publish_version
from pipeline.output.journal import recover
from pipeline.output.manifest import recorded_outputs
from pipeline.output.names import output_folder

Echo = Callable[[str], object]

#: The document keys of file names (``--only``, ``--ban-ky``) and of the template context.
KINDS = {
    "bao-cao": "bao_cao",
    "bien-ban": "bien_ban",
    "giao-uoc": "giao_uoc",
    "danh-sach": "danh_sach",
}
#: Tên loại văn bản (NĐ 30 Phụ lục III; the covenant is the cluster's own kind).
TYPE_NAMES = {
    "bao_cao": "Báo cáo",
    "bien_ban": "Biên bản",
    "giao_uoc": "Giao ước",
    "danh_sach": "Danh sách",
}
#: The documents of the commendation dossier (Luật Thi đua, khen thưởng 2022 Điều 84: the
#: biên bản bình xét with the votes, the list, the report).
BUNDLE_KINDS = ("bien_ban", "danh_sach", "bao_cao")


def kind_of(name: str) -> str | None:
    """The document key of an output file's name.

    >>> kind_of("02-bien-ban-hoi-nghi.docx"), kind_of("ghi-chu.docx")
    ('bien_ban', None)
    """
    return next((kind for key, kind in KINDS.items() if key in name), None)


@dataclass(frozen=True, slots=True)
class _ClusterYear:
    workbook: Path
    folder: Path
    relative: str
    documents: dict[str, DocumentInfo]
    dossier: DossierInfo


def _subject(kind: str, context: Mapping[str, object]) -> str:
    """The trích yếu of each document, as the bundled templates print it (State style: a
    capital first letter)."""
    year, next_year, cluster = context["nam"], context["nam_sau"], context["ten_cum"]
    return {
        "bao_cao": f"Tổng kết công tác thi đua, khen thưởng năm {year} và phương hướng, nhiệm vụ "
        f"năm {next_year}",
        "bien_ban": f"Hội nghị tổng kết công tác thi đua, khen thưởng năm {year} và ký kết giao "
        f"ước thi đua năm {next_year}",
        "giao_uoc": f"Giao ước thi đua năm {next_year} của {cluster}",
        "danh_sach": f"Đề nghị khen thưởng thành tích năm {year}",
    }[kind]


def _code(record: Mapping[str, object], doc_format: object) -> tuple[str, str]:
    """(số và ký hiệu as written after "Số", ký hiệu alone); blank when it cannot be made."""
    from pipeline.vi.docs import BLANK_NUMBER, so_ky_hieu

    try:
        line = so_ky_hieu(
            record["so"],  # type: ignore[arg-type]
            record["loai"],  # type: ignore[arg-type]
            str(record["co_quan"]),
            str(doc_format),
        )
    except ValueError:
        return "", ""
    code = line.removeprefix("Số:").removeprefix("Số").strip().replace(BLANK_NUMBER.strip(), "")
    code = code.replace(BLANK_NUMBER, "…").strip()
    if code.startswith(("-", "/")):
        code = "…" + code
    party = str(doc_format) == "dang"
    notation = code.split("-" if party else "/", 1)[-1]
    return code, notation


def document_infos(context: Mapping[str, object]) -> dict[str, DocumentInfo]:
    """The Phụ lục VI information of the four documents, from the template context."""
    documents = context["van_ban"]
    signatures = context["ky"]
    recipients = context["noi_nhan"]
    head = context["don_vi_cum_truong"]
    assert isinstance(documents, dict) and isinstance(signatures, dict)
    assert isinstance(recipients, dict)
    cluster = str(context["ten_cum"])
    head_name = str(head["ten"]) if isinstance(head, dict) else cluster
    infos: dict[str, DocumentInfo] = {}
    for kind, type_name in TYPE_NAMES.items():
        record = documents[kind]
        code, notation = _code(record, context["the_thuc"])
        if kind == "giao_uoc":
            position, signer = f"Thủ trưởng {context['so_don_vi']} cơ quan trong cụm", ""
        else:
            sig = signatures[kind]
            position, signer = ", ".join(str(x) for x in sig["dong"]), str(sig["ho_ten"])
        lines = [str(r).strip(" -;.") for r in recipients.get(kind, [])]
        infos[kind] = DocumentInfo(
            kind=kind,
            type_name=type_name,
            number=record["so"],
            notation=notation,
            date=record["ngay"],
            organ_name=cluster if kind == "giao_uoc" else head_name,
            subject=_subject(kind, context),
            signer_position=position,
            signer_name=signer,
            recipients=tuple(line for line in lines if line and not line.startswith("Lưu")),
            year=int(str(context["nam"])),
            code=code,
        )
    return infos


def _cluster_years(paths: Sequence[Path], out_dir: Path, echo: Echo) -> list[_ClusterYear]:
    from pipeline.documents.context import build_context
    from pipeline.workbook.loader import SharedFiles

    shared = SharedFiles()  # the shared settings file is read, and reported, once
    loaded = [load_and_validate(path, shared) for path in paths]
    problems = [p for checked in loaded for p in checked.problems]
    if has_errors(problems):
        raise ThiduaError(problems)
    loaded = [checked for checked in loaded if not checked.is_shared_file]
    warnings = [p for p in problems if p.severity == "warning"]
    if warnings:
        echo(format_problems(warnings))
    found = []
    for checked in loaded:
        assert checked.dossier is not None and checked.results is not None
        context = build_context(checked.dossier, checked.results)
        year, cluster = checked.dossier.cluster.year, checked.dossier.cluster.name
        folder = output_folder(out_dir, cluster, year)
        recover(folder, echo)  # a commit a kill interrupted: complete it before reading drafts
        assert year is not None  # a workbook without a readable year does not check clean
        dossier = DossierInfo(
            f"Hồ sơ tổng kết công tác thi đua, khen thưởng năm {year} của {cluster}", year, cluster
        )
        relative = folder.relative_to(out_dir).as_posix()
        found.append(
            _ClusterYear(checked.path, folder, relative, document_infos(context), dossier)
        )
    return found


def _drafts(cy: _ClusterYear, only: Sequence[str]) -> list[issued.Draft]:
    """The .docx files the folder's manifest lists and that are there, with their information."""
    drafts = []
    for record in recorded_outputs(cy.folder):
        kind = kind_of(record.path)
        if not record.path.endswith(".docx") or kind is None:
            continue
        if only and kind not in {KINDS[k] for k in only}:
            continue
        path = cy.folder / record.path
        if path.is_file():
            drafts.append(issued.Draft(record.path, path.read_bytes(), cy.documents[kind]))
    if not drafts:
        raise ThiduaError(
            Problem(
                "error",
                "no-drafts",
                "Chưa có văn bản nào để ban hành trong thư mục này",
                f"Lập văn bản trước: thidua build {cy.workbook.name}",
                Location(file=cy.folder.as_posix()),
            )
        )
    return drafts


def _require_libreoffice() -> None:
    from pipeline.output.pdf import find_soffice

    if find_soffice() is None:
        raise ThiduaError(
            Problem(
                "error",
                "pdfa-missing",
                "Cần LibreOffice để làm bản PDF/A lưu trữ của văn bản; chưa ban hành, chưa lưu "
                "trữ gì",
                "Cài LibreOffice (https://www.libreoffice.org, hoặc gói libreoffice-writer trên "
                "Debian/Ubuntu), hoặc đặt biến môi trường THIDUA_SOFFICE trỏ tới soffice.",
            )
        )


def _pdfa(documents: Sequence[tuple[str, bytes]]) -> list[tuple[bytes, int | None]]:
    from pipeline.output.pdf import convert_to_pdf, page_count

    if not documents:
        return []
    _require_libreoffice()
    return [(pdf, page_count(pdf)) for pdf in convert_to_pdf(documents, pdfa=True)]


def issue(
    paths: Sequence[Path],
    out_dir: Path,
    *,
    date: dt.date,
    signed: Sequence[tuple[str, Path]] = (),
    only: Sequence[str] = (),
    echo: Echo = print,
) -> list[issued.Issue]:
    """Issue the documents now in each workbook's output folder (``thidua ban-hanh``).

    ``signed`` are (document key such as ``bien-ban``, file) pairs. Documents already issued
    with the same bytes are left as they are; when nothing is new, nothing is written.
    """
    cluster_years = _cluster_years(paths, out_dir, echo)
    plans: list[tuple[_ClusterYear, issued.Plan]] = []
    problems: list[Problem] = []
    for cy in cluster_years:
        drafts = _drafts(cy, only)
        copies = []
        for key, path in signed:
            kind = KINDS[key]
            name = next((d.name for d in drafts if kind_of(d.name) == kind), None)
            name = name or next(
                (n for n in issued.current(issued.issues(cy.folder)) if kind_of(n) == kind), None
            )
            if name is None:
                problems.append(
                    Problem(
                        "error",
                        "signed-without-document",
                        f"Không có văn bản '{key}' để gắn bản ký này",
                        "Lập văn bản đó trước (thidua build), hoặc bỏ --only.",
                        Location(file=str(path)),
                    )
                )
                continue
            copies.append(issued.Signed(name, path.name, path.read_bytes()))
        try:
            plans.append((cy, issued.plan(cy.folder, drafts, copies)))
        except ThiduaError as exc:
            problems += exc.problems
    if problems:
        raise ThiduaError(problems)

    todo = [(cy, d) for cy, p in plans for d in p.new]
    converted = _pdfa([(d.name, d.data) for _, d in todo])
    pdfs: dict[tuple[Path, str], tuple[bytes, int | None]] = {
        (cy.folder, d.name): pdf for (cy, d), pdf in zip(todo, converted, strict=True)
    }
    done = []
    for cy, planned in plans:
        shown = cy.folder.as_posix()
        for name, version in planned.unchanged:
            echo(f"{'không đổi':<10} {shown}/{name} (đã ban hành {version})")
        if planned.empty:
            echo(f"Không có gì mới để ban hành trong {shown}: mọi văn bản đều đã ban hành.")
            continue
        mine = {d.name: pdfs[(cy.folder, d.name)] for d in planned.new}
        record = issued.write_issue(cy.folder, planned, mine, cy.dossier, date, __version__)
        base = f"{shown}/{issued.ISSUED_DIR}/{record.version}"
        for draft in planned.new:
            replaced = planned.replaced.get(draft.name)
            note = f" (thay thế bản ban hành {replaced}, bản đó vẫn giữ nguyên)" if replaced else ""
            echo(f"{'ban hành':<10} {base}/{draft.name}{note}")
        for copy in planned.signed:
            echo(f"{'bản ký':<10} {copy.original} → {base}/{issued.SIGNED_DIR}/ ({copy.document})")
        echo(
            f"Đã ban hành {record.version} ngày {date:%d/%m/%Y}: {len(planned.new)} văn bản mới"
            + (f", {len(planned.signed)} bản ký" if planned.signed else "")
            + f". Các bản trong {issued.ISSUED_DIR}/ không lần lập nào ghi đè được; lưu trữ lên ổ "
            "chia sẻ bằng: thidua luu-tru THU_MUC_DICH"
        )
        done.append(record)
    return done


def publish(
    paths: Sequence[Path],
    out_dir: Path,
    destination: Path,
    *,
    date: dt.date,
    me: lock.Holder,
    drafts: bool = False,
    echo: Echo = print,
) -> list[Path]:
    """Publish each workbook's issued set (or, with ``drafts``, its current drafts) as the next
    version on ``destination`` (``thidua luu-tru``); return the version folders."""
    cluster_years = _cluster_years(paths, out_dir, echo)
    prepared: list[tuple[_ClusterYear, list[DocumentFiles], list[tuple[str, bytes]], dt.date]] = []
    problems: list[Problem] = []
    draft_lists = {cy.folder: _drafts(cy, ()) for cy in cluster_years} if drafts else {}
    converted_all = _pdfa([(d.name, d.data) for ds in draft_lists.values() for d in ds])
    converted = iter(converted_all)
    for cy in cluster_years:
        try:
            if drafts:
                docs = [_draft_files(d, next(converted)) for d in draft_lists[cy.folder]]
                prepared.append((cy, docs, [], date))
            else:
                docs, records, made_on = _issued_files(cy, echo)
                prepared.append((cy, docs, records, made_on))
        except ThiduaError as exc:
            problems += exc.problems
    if problems:
        raise ThiduaError(problems)

    published = []
    for cy, docs, records, made_on in prepared:
        files = package_files(
            docs,
            cy.dossier,
            made_on,
            status="ban-nhap" if drafts else "ban-hanh",
            thidua_version=__version__,
            group=cy.relative,
            records=records,
            bagged_on=date,
        )
        result = publish_version(destination, cy.relative, files, me, echo)
        count = sum(1 for rel, _ in files if rel.startswith("data/"))
        if result.new:
            echo(
                f"{'lưu trữ':<10} {result.folder} ({count} tệp, đã đọc lại và kiểm tra trên đích"
                f"{'; bản nháp, chưa ban hành' if drafts else ''})"
            )
        else:
            echo(f"{'không đổi':<10} {result.folder} đã có đúng các văn bản này")
        published.append(result.folder)
    return published


def _draft_files(draft: issued.Draft, pdf: tuple[bytes, int | None]) -> DocumentFiles:
    pdf_name = Path(draft.name).with_suffix(".pdf").name
    doc = ArchivedDocument(draft.info, (draft.name, pdf_name), pdf[1], "Dự thảo, chưa ban hành")
    return DocumentFiles(
        doc, ((draft.name, draft.data), (pdf_name, pdf[0])), draft.info.kind in BUNDLE_KINDS
    )


def _issued_files(
    cy: _ClusterYear, echo: Echo
) -> tuple[list[DocumentFiles], list[tuple[str, bytes]], dt.date]:
    all_issues = issued.issues(cy.folder)
    problems = issued.damaged(cy.folder, all_issues)
    if problems:
        raise ThiduaError(problems)
    if not all_issues:
        raise ThiduaError(
            Problem(
                "error",
                "nothing-issued",
                "Chưa ban hành văn bản nào của cụm này, nên chưa có gì để lưu trữ",
                f"Ban hành trước: thidua ban-hanh {cy.workbook.name}; hoặc lưu trữ bản nháp: "
                "thidua luu-tru --ban-nhap THU_MUC_DICH",
                Location(file=cy.folder.as_posix()),
            )
        )
    note = issued.issued_note(cy.folder)
    if note:
        echo(note)
    top = cy.folder / issued.ISSUED_DIR
    dates = {i.version: i.date for i in all_issues}
    documents = []
    for issue, doc in issued.current(all_issues).values():
        contents = []
        for record in doc.files:
            base = record.path.split("/", 1)[1]
            contents.append((base, (top / record.path).read_bytes()))
        remark = f"Ban hành ngày {issue.date:%d/%m/%Y} ({issue.version})"
        if doc.replaces:
            remark += f", thay thế bản ban hành {doc.replaces} ngày {dates[doc.replaces]:%d/%m/%Y}"
        if any(f.role == "ban_ky" for f in doc.files):
            remark += ", có bản ký"
        pdf = doc.pdf
        archived = ArchivedDocument(
            doc.info, tuple(path for path, _ in contents), pdf.pages if pdf else None, remark
        )
        documents.append(DocumentFiles(archived, tuple(contents), doc.info.kind in BUNDLE_KINDS))
    records = [
        (f"{i.version}.json", (top / i.version / issued.RECORD).read_bytes()) for i in all_issues
    ]
    return documents, records, max(dates.values())


def unlock(top: Path, confirm: Callable[[str], bool], echo: Echo = print) -> int:
    """Break the publish locks at or under ``top`` that a person confirms (``thidua
    mo-khoa``); return how many were broken. Each one is named with who holds it."""
    found = lock.find_locks(top)
    if not found:
        echo(f"Không có khóa lưu trữ nào ở {top}.")
        return 0
    broken = 0
    for path in found:
        holder = lock.read_holder(path)
        question = f"Mở khóa {path.parent}: khóa của {holder.describe()}?"
        if not confirm(question):
            echo(f"{'giữ nguyên':<10} {path}")
            continue
        lock.break_lock(path)
        echo(f"{'đã mở khóa':<10} {path.parent} (khóa của {holder.describe()})")
        broken += 1
    return broken
