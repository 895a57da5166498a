"""What one build decides for an output folder (pipeline.output.folder.plan_build), called
directly on real folders in ``tmp_path``: what the mutants of folder.py showed the command-line
tests leave unsaid. The PDF decisions are reached without LibreOffice: the "PDFs made" are
given to the plan as bytes, as build.py gives it the converter's output.

Each folder is first written by thidua itself (a plan committed through
:func:`pipeline.output.staged.commit_folders`); the expected outcomes are the rules of
docs/thu-muc-van-ban.md (sections 2, 3 and 5) and of folder.py's module docstring.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from pipeline.errors import Problem
from pipeline.output import files
from pipeline.output.folder import Job, Pdfs, Plan, plan_build
from pipeline.output.history import EDITED, REMOVED, REPLACED, THIDUA, UNKNOWN, Kept
from pipeline.output.manifest import (
    MANIFEST,
    FileRecord,
    Manifest,
    OutputRecord,
    Owner,
    parse_manifest,
    sha256_bytes,
)
from pipeline.output.staged import CREATED, KEPT, UNCHANGED, UPDATED, commit_folders

OWNER = Owner("Cụm thi đua số 1 các Ban Đảng", 2013, "cum.xlsx", None)
DOC, PDF = "01-bao-cao.docx", "01-bao-cao.pdf"
OTHER_DOC = "02-bien-ban.docx"
WORKBOOK = FileRecord("cum.xlsx", sha256_bytes(b"workbook 1"), 10)


def _job(
    folder: Path,
    *documents: tuple[str, bytes],
    pdf: bool = False,
    force: bool = False,
    extras: tuple[tuple[str, bytes], ...] = (),
    inputs: tuple[FileRecord, ...] = (WORKBOOK,),
) -> Job:
    return Job(folder, OWNER, folder.parent / "cum.xlsx", inputs, (), documents, pdf, force,
               extras=extras)  # fmt: skip


def _plan(job: Job, pdfs: Pdfs | None = None) -> Plan:
    return plan_build(job, pdfs, version="0.1.0", now="2014-01-08T16:02:00+07:00")


def _commit(plan: Plan) -> None:
    assert not plan.errors, plan.errors
    commit_folders([plan.folder], lambda _: plan.commit(), lambda _: None)


def _built(folder: Path, *documents: tuple[str, bytes], pdfs: dict[str, bytes] | None = None
           ) -> None:  # fmt: skip
    """The folder as ``thidua build`` (``--pdf`` when ``pdfs`` is given) leaves it."""
    job = _job(folder, *documents, pdf=pdfs is not None)
    made = None if pdfs is None else Pdfs(frozenset(pdfs), pdfs)
    _commit(_plan(job, made))


def _codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


def _manifest(folder: Path) -> Manifest:
    return parse_manifest((folder / MANIFEST).read_bytes())


# --- the job's defaults --------------------------------------------------------------------------


def test_a_job_makes_no_pdf_and_replaces_no_edited_document_unless_asked(tmp_path: Path) -> None:
    """``thidua build`` without ``--pdf`` and ``--force``: no PDF is asked of LibreOffice, and a
    document edited by hand stops the build."""
    folder = tmp_path / "cum"
    _built(folder, (DOC, b"docx 1"))
    (folder / DOC).write_bytes(b"docx 1, edited in Word")
    job = Job(folder, OWNER, tmp_path / "cum.xlsx", (WORKBOOK,), (), ((DOC, b"docx 2"),))
    plan = _plan(job)
    assert plan.pdf_todo == []
    assert _codes(plan.errors) == ["edited-output"]


# --- obstacles and unreadable files ----------------------------------------------------------


def test_a_folder_where_a_document_pdf_or_report_file_goes_is_named_as_a_folder(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "cum"
    for name in (DOC, PDF, "du-lieu-in.json"):
        (folder / name).mkdir(parents=True)
    plan = _plan(_job(folder, (DOC, b"docx"), pdf=True, extras=(("du-lieu-in.json", b"{}"),)))
    assert _codes(plan.errors) == ["obstacle"] * 3
    assert all("là một thư mục" in p.message for p in plan.errors)
    assert {p.location.file for p in plan.errors if p.location} == {
        (folder / name).as_posix() for name in (DOC, PDF, "du-lieu-in.json")
    }


@pytest.fixture
def unreadable(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """Paths whose open fails with EACCES (the tests run as root, where permissions cannot
    refuse a read): a file locked by another program, or without read permission."""
    paths: set[str] = set()
    real_open = os.open

    def open_(path: object, flags: int, *args: object) -> int:
        if str(path) in paths:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(files.os, "open", open_)
    return paths


def test_a_document_or_report_file_that_cannot_be_read_stops_the_build(
    tmp_path: Path, unreadable: set[str]
) -> None:
    """Unread, it could be an edited document: the build refuses, naming the system's reason."""
    folder = tmp_path / "cum"
    _built(folder, (DOC, b"docx 1"))
    (folder / "du-lieu-in.json").write_bytes(b"{}")
    unreadable.update({str(folder / DOC), str(folder / "du-lieu-in.json")})
    plan = _plan(_job(folder, (DOC, b"docx 2"), extras=(("du-lieu-in.json", b"{1}"),)))
    assert _codes(plan.errors) == ["unreadable", "unreadable"]
    assert all("(Permission denied)" in p.message for p in plan.errors)
    assert plan.changes == []


def test_a_pdf_that_cannot_be_read_when_the_new_one_is_there_stops_the_build(
    tmp_path: Path, unreadable: set[str]
) -> None:
    folder = tmp_path / "cum"
    _built(folder, (DOC, b"docx 1"), pdfs={DOC: b"%PDF 1"})
    unreadable.add(str(folder / PDF))
    plan = _plan(_job(folder, (DOC, b"docx 2"), pdf=True), Pdfs(frozenset({DOC}), {DOC: b"%PDF 2"}))
    assert _codes(plan.errors) == ["unreadable"]
    assert plan.errors[0].location is not None
    assert plan.errors[0].location.file == (folder / PDF).as_posix()


def test_a_read_only_report_file_is_never_replaced(tmp_path: Path) -> None:
    """docs/thu-muc-van-ban.md 3.4: a read-only file is never replaced, whatever it is."""
    folder = tmp_path / "cum"
    _built(folder, (DOC, b"docx 1"))
    (folder / "thay-doi.md").write_bytes(b"old report")
    (folder / "thay-doi.md").chmod(0o444)
    plan = _plan(_job(folder, (DOC, b"docx 2"), extras=(("thay-doi.md", b"new report"),)))
    assert _codes(plan.errors) == ["read-only"]


# --- the manifest ------------------------------------------------------------------------------


def test_documents_replaced_without_a_manifest_get_one_warning_that_says_where(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "cum"
    folder.mkdir()
    (folder / DOC).write_bytes(b"a document of unknown origin")
    plan = _plan(_job(folder, (DOC, b"docx")))
    assert _codes(plan.warnings) == ["manifest-missing"]
    assert plan.warnings[0].location is not None
    assert plan.warnings[0].location.file == (folder / MANIFEST).as_posix()
    assert plan.kept == [Kept(DOC, sha256_bytes(b"a document of unknown origin"), 28, UNKNOWN,
                              REPLACED)]  # fmt: skip
    assert (MANIFEST, CREATED) in plan.lines


def test_a_rebuild_that_changes_a_document_warns_of_nothing_and_keeps_the_manifest(
    tmp_path: Path,
) -> None:
    """With a manifest the replaced document is known to be thidua's: no warning. The manifest
    it replaces goes into the history with the document (section 3.6)."""
    folder = tmp_path / "cum"
    _built(folder, (DOC, b"docx 1"))
    old = (folder / MANIFEST).read_bytes()
    plan = _plan(_job(folder, (DOC, b"docx 2")))
    assert plan.warnings == []
    assert plan.notes == []
    assert Kept(MANIFEST, sha256_bytes(old), len(old), THIDUA, REPLACED) in plan.kept
    assert plan.lines == [(DOC, UPDATED), (MANIFEST, UPDATED)]
    _commit(plan)
    assert (folder / ".lich-su/0002" / MANIFEST).read_bytes() == old


def test_a_damaged_manifest_is_kept_in_the_history_as_not_thidua_s(tmp_path: Path) -> None:
    folder = tmp_path / "cum"
    _built(folder, (DOC, b"docx 1"))
    damaged = b"\xef\xbb\xbf" + (folder / MANIFEST).read_bytes()  # Notepad's BOM
    (folder / MANIFEST).write_bytes(damaged)
    plan = _plan(_job(folder, (DOC, b"docx 2")))
    assert _codes(plan.warnings) == ["manifest-damaged"]
    assert Kept(MANIFEST, sha256_bytes(damaged), len(damaged), UNKNOWN, REPLACED) in plan.kept


def test_nothing_changed_writes_nothing_and_takes_no_build_number(tmp_path: Path) -> None:
    """Section 2: a rebuild with nothing changed writes no file, not even manifest.json, and
    the folder's build number stays (each write gets a new one)."""
    folder = tmp_path / "cum"
    _built(folder, (DOC, b"docx 1"))
    plan = _plan(_job(folder, (DOC, b"docx 1")))
    assert plan.commit() is None
    assert plan.build == 1
    assert plan.lines == [(DOC, UNCHANGED), (MANIFEST, UNCHANGED)]


def test_a_changed_workbook_with_the_same_documents_is_recorded_in_the_manifest(
    tmp_path: Path,
) -> None:
    """Section 2: ``inputs`` is the workbook of the last build: a workbook edited where it
    changes no document still gets its new SHA-256 into the manifest."""
    folder = tmp_path / "cum"
    _built(folder, (DOC, b"docx 1"))
    edited = FileRecord("cum.xlsx", sha256_bytes(b"workbook 2"), 10)
    plan = _plan(_job(folder, (DOC, b"docx 1"), inputs=(edited,)))
    assert plan.lines == [(DOC, UNCHANGED), (MANIFEST, UPDATED)]
    _commit(plan)
    assert _manifest(folder).inputs == (edited,)


# --- documents ---------------------------------------------------------------------------------


def test_an_unchanged_document_keeps_the_build_that_wrote_it(tmp_path: Path) -> None:
    folder = tmp_path / "cum"
    _built(folder, (DOC, b"docx 1"), (OTHER_DOC, b"other 1"))
    _commit(_plan(_job(folder, (DOC, b"docx 1"), (OTHER_DOC, b"other 2"))))
    records = {r.path: r for r in _manifest(folder).outputs}
    assert records[DOC] == OutputRecord(DOC, sha256_bytes(b"docx 1"), 6, 1)
    assert records[OTHER_DOC] == OutputRecord(OTHER_DOC, sha256_bytes(b"other 2"), 7, 2)


def test_a_document_edited_into_exactly_the_new_one_is_recorded_with_its_bytes(
    tmp_path: Path,
) -> None:
    """Someone typed the correction into the .docx that the corrected workbook now gives: the
    file is left alone, and the manifest records the bytes it holds, so that the next build
    does not call it edited by hand."""
    folder = tmp_path / "cum"
    _built(folder, (DOC, b"docx 1"), (OTHER_DOC, b"other 1"))
    (folder / DOC).write_bytes(b"docx 2")
    plan = _plan(_job(folder, (DOC, b"docx 2"), (OTHER_DOC, b"other 2")))
    assert (DOC, UNCHANGED) in plan.lines
    _commit(plan)
    record = _manifest(folder).output(DOC)
    assert record == OutputRecord(DOC, sha256_bytes(b"docx 2"), 6, 2)
    again = _plan(_job(folder, (DOC, b"docx 3"), (OTHER_DOC, b"other 2")))
    assert again.errors == []


# --- PDFs: the plan made before LibreOffice runs -----------------------------------------------


def test_the_first_plan_of_a_pdf_build_only_lists_the_pdfs_to_make(tmp_path: Path) -> None:
    """Before the PDFs are made nothing is decided about the manifest: the plan that is
    committed is the one made with the PDFs."""
    folder = tmp_path / "cum"
    plan = _plan(_job(folder, (DOC, b"docx 1"), pdf=True))
    assert plan.pdf_todo == [(DOC, b"docx 1")]
    assert plan.lines == [(DOC, CREATED)]
    assert [c.path for c in plan.changes] == [DOC]


def test_a_pdf_made_from_exactly_this_document_is_reused(tmp_path: Path) -> None:
    """Section 3.7: ``build --pdf`` with nothing changed makes no PDF and writes nothing."""
    folder = tmp_path / "cum"
    _built(folder, (DOC, b"docx 1"), pdfs={DOC: b"%PDF 1"})
    plan = _plan(_job(folder, (DOC, b"docx 1"), pdf=True))
    assert plan.pdf_todo == []
    assert plan.lines == [(DOC, UNCHANGED), (PDF, UNCHANGED), (MANIFEST, UNCHANGED)]
    assert plan.commit() is None


def test_a_pdf_of_an_older_document_is_made_again(tmp_path: Path) -> None:
    folder = tmp_path / "cum"
    _built(folder, (DOC, b"docx 1"), pdfs={DOC: b"%PDF 1"})
    plan = _plan(_job(folder, (DOC, b"docx 2"), pdf=True))
    assert plan.errors == []
    assert plan.pdf_todo == [(DOC, b"docx 2")]


def test_a_read_only_pdf_is_refused_before_libreoffice_runs(tmp_path: Path) -> None:
    folder = tmp_path / "cum"
    _built(folder, (DOC, b"docx 1"), pdfs={DOC: b"%PDF 1"})
    (folder / PDF).chmod(0o444)
    plan = _plan(_job(folder, (DOC, b"docx 2"), pdf=True))
    assert _codes(plan.errors) == ["read-only"]
    assert plan.pdf_todo == []


def test_an_edited_pdf_is_refused_before_libreoffice_runs_unless_forced(tmp_path: Path) -> None:
    """Even when the document is unchanged: the PDF someone edited (signed?) is not thidua's to
    replace without ``--force``."""
    folder = tmp_path / "cum"
    _built(folder, (DOC, b"docx 1"), pdfs={DOC: b"%PDF 1"})
    (folder / PDF).write_bytes(b"%PDF 1, signed")
    plan = _plan(_job(folder, (DOC, b"docx 1"), pdf=True))
    assert _codes(plan.errors) == ["edited-output"]
    assert plan.errors[0].location is not None
    assert plan.errors[0].location.file == (folder / PDF).as_posix()
    forced = _plan(_job(folder, (DOC, b"docx 1"), pdf=True, force=True))
    assert forced.errors == []
    assert forced.pdf_todo == [(DOC, b"docx 1")]


def test_a_document_that_was_not_sent_to_libreoffice_means_the_folder_changed_meanwhile(
    tmp_path: Path,
) -> None:
    """The second plan, under the lock, needs a PDF the first plan did not ask for."""
    folder = tmp_path / "cum"
    plan = _plan(_job(folder, (DOC, b"docx 1"), pdf=True), Pdfs())
    assert _codes(plan.errors) == ["changed-meanwhile"]


# --- PDFs: the plan made with the new PDFs -----------------------------------------------------


def _with(pdf: bytes) -> Pdfs:
    return Pdfs(frozenset({DOC}), {DOC: pdf})


def test_a_new_pdf_is_created_and_recorded_with_its_source(tmp_path: Path) -> None:
    folder = tmp_path / "cum"
    plan = _plan(_job(folder, (DOC, b"docx 1"), pdf=True), _with(b"%PDF 1"))
    assert plan.lines == [(DOC, CREATED), (PDF, CREATED), (MANIFEST, CREATED)]
    _commit(plan)
    assert (folder / PDF).read_bytes() == b"%PDF 1"
    assert _manifest(folder).output(PDF) == OutputRecord(
        PDF, sha256_bytes(b"%PDF 1"), 6, 1, DOC, sha256_bytes(b"docx 1")
    )


def test_a_new_pdf_identical_to_the_one_there_is_unchanged_and_made_from_the_new_document(
    tmp_path: Path,
) -> None:
    """A change LibreOffice does not show (the same PDF bytes): the PDF is not written again; its
    record keeps the build that wrote those bytes and names the new .docx as its source."""
    folder = tmp_path / "cum"
    _built(folder, (DOC, b"docx 1"), pdfs={DOC: b"%PDF 1"})
    plan = _plan(_job(folder, (DOC, b"docx 2"), pdf=True), _with(b"%PDF 1"))
    assert plan.lines == [(DOC, UPDATED), (PDF, UNCHANGED), (MANIFEST, UPDATED)]
    _commit(plan)
    assert _manifest(folder).output(PDF) == OutputRecord(
        PDF, sha256_bytes(b"%PDF 1"), 6, 1, DOC, sha256_bytes(b"docx 2")
    )


def test_a_pdf_edited_into_exactly_the_new_one_is_recorded_as_this_build_s(
    tmp_path: Path,
) -> None:
    """As for a document edited into the new one: build 1 did not write these bytes."""
    folder = tmp_path / "cum"
    _built(folder, (DOC, b"docx 1"), pdfs={DOC: b"%PDF 1"})
    (folder / PDF).write_bytes(b"%PDF 2")
    plan = _plan(_job(folder, (DOC, b"docx 2"), pdf=True, force=True), _with(b"%PDF 2"))
    assert (PDF, UNCHANGED) in plan.lines
    _commit(plan)
    assert _manifest(folder).output(PDF) == OutputRecord(
        PDF, sha256_bytes(b"%PDF 2"), 6, 2, DOC, sha256_bytes(b"docx 2")
    )


def test_a_pdf_of_thidua_s_is_replaced_by_the_new_one_and_kept(tmp_path: Path) -> None:
    folder = tmp_path / "cum"
    _built(folder, (DOC, b"docx 1"), pdfs={DOC: b"%PDF 1"})
    old = _manifest(folder).output(PDF)
    plan = _plan(_job(folder, (DOC, b"docx 2"), pdf=True), _with(b"%PDF 2"))
    assert plan.errors == []
    assert plan.lines == [(DOC, UPDATED), (PDF, UPDATED), (MANIFEST, UPDATED)]
    assert Kept(PDF, sha256_bytes(b"%PDF 1"), 6, THIDUA, REPLACED, old) in plan.kept
    _commit(plan)
    assert (folder / PDF).read_bytes() == b"%PDF 2"
    assert (folder / ".lich-su/0002" / PDF).read_bytes() == b"%PDF 1"
    assert _manifest(folder).output(PDF) == OutputRecord(
        PDF, sha256_bytes(b"%PDF 2"), 6, 2, DOC, sha256_bytes(b"docx 2")
    )


def test_a_pdf_made_read_only_or_edited_while_libreoffice_ran_is_not_replaced(
    tmp_path: Path,
) -> None:
    """The plan is made again under the lock, from the folder as it is then."""
    folder = tmp_path / "cum"
    _built(folder, (DOC, b"docx 1"), pdfs={DOC: b"%PDF 1"})
    job = _job(folder, (DOC, b"docx 2"), pdf=True)
    (folder / PDF).chmod(0o444)
    assert _codes(_plan(job, _with(b"%PDF 2")).errors) == ["read-only"]
    (folder / PDF).chmod(0o644)
    (folder / PDF).write_bytes(b"%PDF 1, signed")
    assert _codes(_plan(job, _with(b"%PDF 2")).errors) == ["edited-output"]
    forced = _plan(_job(folder, (DOC, b"docx 2"), pdf=True, force=True), _with(b"%PDF 2"))
    assert forced.errors == []
    assert (PDF, UPDATED) in forced.lines
    old = _manifest(folder).output(PDF)
    assert Kept(PDF, sha256_bytes(b"%PDF 1, signed"), 14, EDITED, REPLACED, old) in forced.kept


# --- PDFs: a build without --pdf ---------------------------------------------------------------


def test_a_changed_document_without_any_pdf_says_nothing_of_pdfs(tmp_path: Path) -> None:
    folder = tmp_path / "cum"
    _built(folder, (DOC, b"docx 1"))
    plan = _plan(_job(folder, (DOC, b"docx 2")))
    assert plan.notes == []
    assert plan.lines == [(DOC, UPDATED), (MANIFEST, UPDATED)]


def test_a_pdf_of_the_current_document_stays_without_a_word(tmp_path: Path) -> None:
    folder = tmp_path / "cum"
    _built(folder, (DOC, b"docx 1"), pdfs={DOC: b"%PDF 1"})
    plan = _plan(_job(folder, (DOC, b"docx 1")))
    assert plan.notes == []
    assert plan.lines == [(DOC, UNCHANGED), (MANIFEST, UNCHANGED)]


def test_a_pdf_of_an_older_document_leaves_the_folder_into_the_history(tmp_path: Path) -> None:
    """Section 3.7: the folder never holds a PDF of last week's document."""
    folder = tmp_path / "cum"
    _built(folder, (DOC, b"docx 1"), pdfs={DOC: b"%PDF 1"})
    old = _manifest(folder).output(PDF)
    plan = _plan(_job(folder, (DOC, b"docx 2")))
    assert plan.lines == [(DOC, UPDATED), (PDF, KEPT), (MANIFEST, UPDATED)]
    assert Kept(PDF, sha256_bytes(b"%PDF 1"), 6, THIDUA, REMOVED, old) in plan.kept
    _commit(plan)
    assert not (folder / PDF).exists()
    assert (folder / ".lich-su/0002" / PDF).read_bytes() == b"%PDF 1"
    assert _manifest(folder).output(PDF) is None


def test_a_missing_pdf_with_a_record_is_not_spoken_of(tmp_path: Path) -> None:
    folder = tmp_path / "cum"
    _built(folder, (DOC, b"docx 1"), pdfs={DOC: b"%PDF 1"})
    (folder / PDF).unlink()
    plan = _plan(_job(folder, (DOC, b"docx 2")))
    assert plan.notes == []
    assert plan.lines == [(DOC, UPDATED), (MANIFEST, UPDATED)]


def test_an_edited_pdf_stays_with_a_warning_only_when_its_document_changed(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "cum"
    _built(folder, (DOC, b"docx 1"), pdfs={DOC: b"%PDF 1"})
    (folder / PDF).write_bytes(b"%PDF 1, signed")
    plan = _plan(_job(folder, (DOC, b"docx 2")))
    assert len(plan.notes) == 1
    assert plan.notes[0].startswith(f"Lưu ý: {PDF} đã bị sửa sau khi thidua lập")
    assert all(path != PDF for path, _ in plan.lines)
    same = _plan(_job(folder, (DOC, b"docx 1")))
    assert same.notes == []


def test_a_read_only_pdf_of_an_older_document_stays_with_a_warning(tmp_path: Path) -> None:
    folder = tmp_path / "cum"
    _built(folder, (DOC, b"docx 1"), pdfs={DOC: b"%PDF 1"})
    (folder / PDF).chmod(0o444)
    plan = _plan(_job(folder, (DOC, b"docx 2")))
    assert plan.errors == []
    assert len(plan.notes) == 1
    assert plan.notes[0].startswith(f"Lưu ý: {PDF} chỉ đọc")
    assert all(path != PDF for path, _ in plan.lines)


def _without_source(folder: Path) -> None:
    """The folder's PDF record without ``source_sha256``: made by a thidua that did not note
    which .docx bytes a PDF came from (manifest format 1)."""
    manifest = _manifest(folder)
    outputs = tuple(
        OutputRecord(r.path, r.sha256, r.size) if r.path == PDF else r for r in manifest.outputs
    )
    old = Manifest(manifest.thidua_version, 0, None, manifest.inputs, manifest.templates, outputs,
                   format=1)  # fmt: skip
    raw = old.to_json().replace(b'"format": 2', b'"format": 1')
    (folder / MANIFEST).write_bytes(raw)
    assert _manifest(folder).output(PDF) == outputs[[r.path for r in outputs].index(PDF)]


def test_a_pdf_of_unknown_source_stays_with_a_hint_while_its_document_is_unchanged(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "cum"
    _built(folder, (DOC, b"docx 1"), pdfs={DOC: b"%PDF 1"})
    _without_source(folder)
    plan = _plan(_job(folder, (DOC, b"docx 1")))
    assert len(plan.notes) == 1
    assert plan.notes[0].startswith(f"Lưu ý: không rõ {PDF} được lập từ bản nào của {DOC}")
    assert all(path != PDF for path, _ in plan.lines)


def test_a_pdf_of_unknown_source_leaves_with_its_changed_document(tmp_path: Path) -> None:
    folder = tmp_path / "cum"
    _built(folder, (DOC, b"docx 1"), pdfs={DOC: b"%PDF 1"})
    _without_source(folder)
    plan = _plan(_job(folder, (DOC, b"docx 2")))
    assert (PDF, KEPT) in plan.lines


def test_a_failed_conversion_leaves_the_record_of_a_pdf_that_stays(tmp_path: Path) -> None:
    """LibreOffice failed (build.py then gives the plan the PDFs attempted, none made): a PDF of
    thidua's that stays in the folder keeps its record, so that the next ``build --pdf`` still
    knows it as thidua's and replaces it, rather than refusing it as edited by hand (which it
    did: the record was dropped)."""
    folder = tmp_path / "cum"
    _built(folder, (DOC, b"docx 1"), pdfs={DOC: b"%PDF 1"})
    _without_source(folder)
    record = _manifest(folder).output(PDF)
    failed = _plan(_job(folder, (DOC, b"docx 1"), pdf=True), Pdfs(frozenset({DOC})))
    assert all(path != PDF for path, _ in failed.lines)
    _commit(failed)
    assert _manifest(folder).output(PDF) == record
    again = _plan(_job(folder, (DOC, b"docx 1"), pdf=True))
    assert again.errors == []
    assert again.pdf_todo == [(DOC, b"docx 1")]
