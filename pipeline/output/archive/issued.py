"""The issued area of an output folder: ``ban-hanh/v001/``, ``v002/``, … (``thidua ban-hanh``).

Under NĐ 30/2020 a draft may be regenerated, but an issued document is replaced only by a new
document (Điều 11.2, 18.3). So issuing copies the documents into a new version folder of
``ban-hanh/`` that no build ever writes to, with a record (:data:`RECORD`) of what was issued,
when, with which hashes and which signed copies, and each document's Phụ lục VI information as
the workbook gave it then. Frozen files are made read-only (the read-only attribute on Windows).

- A document already issued with the same bytes is not issued again; a changed one is issued in
  the new version and *replaces* the earlier one (the record says which).
- Signed scans or digitally signed PDFs are kept as they were given (never converted, so a digital
  signature stays valid), under ``vNNN/ban-ky/``, attached to their document.
- A frozen file changed on disk since issuing is reported (:func:`damaged`), and blocks issuing
  and publishing until a person restores it.

A version folder is written under a temporary name and renamed into place (one rename on a local
disk), so a killed ``ban-hanh`` leaves no half version; the next run removes the leftovers.

I/O: reads and writes ``<folder>/ban-hanh/``; the date and the PDF/A bytes are passed in.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import stat
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import Location, Problem, ThiduaError
from pipeline.output.archive.bag import sha256
from pipeline.output.archive.metadata import DocumentInfo, DossierInfo

ISSUED_DIR = "ban-hanh"
RECORD = "ban-hanh.json"
SIGNED_DIR = "ban-ky"
_TEMP_PREFIX = ".dang-ghi-"


def version_name(number: int) -> str:
    """``v001``.

    >>> version_name(12)
    'v012'
    """
    return f"v{number:03d}"


def version_number(name: str) -> int | None:
    """The number of a version folder's name, or ``None``.

    >>> version_number("v012"), version_number("V3"), version_number("v01x")
    (12, None, None)
    """
    if len(name) >= 4 and name[0] == "v" and name[1:].isdigit() and name[1:].isascii():
        return int(name[1:])
    return None


@dataclass(frozen=True, slots=True)
class IssuedFile:
    """One frozen file: its path under ``ban-hanh/`` (``v001/a.docx``), role, hash, size.

    ``role`` is ``docx``, ``pdf`` (the PDF/A thidua made) or ``ban_ky`` (a signed copy the
    user gave; ``original`` is its name then). ``pages`` is known for PDFs.
    """

    path: str
    role: str
    sha256: str
    size: int
    pages: int | None = None
    original: str = ""

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "duong_dan": self.path,
            "vai_tro": self.role,
            "sha256": self.sha256,
            "size": self.size,
        }
        if self.pages is not None:
            data["so_trang"] = self.pages
        if self.original:
            data["ten_goc"] = self.original
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> IssuedFile:
        pages = data.get("so_trang")
        return cls(
            str(data["duong_dan"]),
            str(data["vai_tro"]),
            str(data["sha256"]),
            int(str(data["size"])),
            int(str(pages)) if pages is not None else None,
            str(data.get("ten_goc", "")),
        )


@dataclass(frozen=True, slots=True)
class IssuedDocument:
    """One document in one issue: its name (``02-bien-ban-hoi-nghi.docx``), its files, the
    version whose document it replaces (``None`` the first time), and its information."""

    name: str
    files: tuple[IssuedFile, ...]
    info: DocumentInfo
    replaces: str | None = None

    @property
    def docx(self) -> IssuedFile:
        return next(f for f in self.files if f.role == "docx")

    @property
    def pdf(self) -> IssuedFile | None:
        return next((f for f in self.files if f.role == "pdf"), None)

    def to_json(self) -> dict[str, object]:
        return {
            "ten": self.name,
            "thay_the": self.replaces,
            "tep": [f.to_json() for f in self.files],
            "thong_tin": self.info.to_json(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> IssuedDocument:
        files = data["tep"]
        info = data["thong_tin"]
        assert isinstance(files, list) and isinstance(info, dict)
        replaces = data.get("thay_the")
        return cls(
            str(data["ten"]),
            tuple(IssuedFile.from_json(f) for f in files),
            DocumentInfo.from_json(info),
            str(replaces) if replaces else None,
        )


@dataclass(frozen=True, slots=True)
class Issue:
    """One ``ban-hanh`` act: its version, date, thidua version, hồ sơ and documents."""

    version: str
    date: dt.date
    thidua_version: str
    dossier: DossierInfo
    documents: tuple[IssuedDocument, ...]

    def to_json(self) -> bytes:
        data = {
            "phien_ban": self.version,
            "ngay_ban_hanh": self.date.isoformat(),
            "thidua_version": self.thidua_version,
            "ho_so": self.dossier.to_json(),
            "van_ban": [d.to_json() for d in self.documents],
        }
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> Issue:
        data = json.loads(raw.decode("utf-8"))
        return cls(
            str(data["phien_ban"]),
            dt.date.fromisoformat(data["ngay_ban_hanh"]),
            str(data["thidua_version"]),
            DossierInfo.from_json(data["ho_so"]),
            tuple(IssuedDocument.from_json(d) for d in data["van_ban"]),
        )


def issues(folder: Path) -> list[Issue]:
    """Every issue of an output folder, oldest first. Raises :class:`ThiduaError` when a record
    cannot be read (a person edited or removed it)."""
    top = folder / ISSUED_DIR
    if not top.is_dir():
        return []
    found: list[Issue] = []
    problems: list[Problem] = []
    for child in sorted(top.iterdir(), key=lambda p: version_number(p.name) or 0):
        if version_number(child.name) is None or not child.is_dir():
            continue
        try:
            issue = Issue.from_json((child / RECORD).read_bytes())
        except (OSError, ValueError, KeyError, TypeError, AssertionError) as exc:
            problems.append(
                Problem(
                    "error",
                    "issued-record",
                    f"Không đọc được hồ sơ ban hành ({exc.__class__.__name__}: {exc})",
                    f"Chép lại tệp {RECORD} từ bản lưu trữ trên ổ chia sẻ (thư mục vNNN/"
                    "metadata/ của lần lưu trữ), không sửa tay tệp này.",
                    Location(file=(child / RECORD).as_posix()),
                )
            )
            continue
        found.append(issue)
    if problems:
        raise ThiduaError(problems)
    return found


def current(all_issues: Sequence[Issue]) -> dict[str, tuple[Issue, IssuedDocument]]:
    """The issued set now in force: for each document name, its latest issue."""
    latest: dict[str, tuple[Issue, IssuedDocument]] = {}
    for issue in all_issues:
        for doc in issue.documents:
            latest[doc.name] = (issue, doc)
    return dict(sorted(latest.items()))


def damaged(folder: Path, all_issues: Sequence[Issue]) -> list[Problem]:
    """Every frozen file that is missing or no longer has its recorded hash."""
    problems: list[Problem] = []
    top = folder / ISSUED_DIR
    for issue in all_issues:
        for doc in issue.documents:
            for record in doc.files:
                if not record.path.startswith(issue.version + "/"):
                    continue  # a file of an earlier issue, checked there
                path = top / record.path
                try:
                    ok = sha256(path.read_bytes()) == record.sha256
                    what = "đã bị thay đổi sau khi ban hành"
                except OSError:
                    ok, what = False, "bị mất"
                if not ok:
                    problems.append(
                        Problem(
                            "error",
                            "issued-changed",
                            f"Văn bản đã ban hành ({issue.version}, ngày "
                            f"{issue.date:%d/%m/%Y}) {what}",
                            "Văn bản đã ban hành không được sửa. Chép lại đúng bản đã ban hành "
                            "từ bản lưu trữ trên ổ chia sẻ (thidua kiem-tra cho biết bản nào "
                            "còn nguyên); muốn sửa nội dung thì sửa workbook, lập lại và ban "
                            "hành lần mới.",
                            Location(file=path.as_posix()),
                        )
                    )
    return problems


@dataclass(frozen=True, slots=True)
class Draft:
    """A document of the output folder to issue: its name, bytes and information."""

    name: str
    data: bytes
    info: DocumentInfo


@dataclass(frozen=True, slots=True)
class Signed:
    """A signed copy the user gives for a document: the document's name, the file's original
    name and its bytes."""

    document: str
    original: str
    data: bytes


@dataclass
class Plan:
    """What a ``ban-hanh`` would do: the drafts to issue (new or replacing), the signed copies
    to attach, and the documents left as they were issued."""

    version: str
    new: list[Draft] = field(default_factory=list)
    signed: list[Signed] = field(default_factory=list)
    unchanged: list[tuple[str, str]] = field(default_factory=list)  # (name, version)
    replaced: dict[str, str] = field(default_factory=dict)  # name → version it replaces

    @property
    def empty(self) -> bool:
        return not self.new and not self.signed


def plan(folder: Path, drafts: Sequence[Draft], signed: Sequence[Signed]) -> Plan:
    """Compare the drafts with the issued set; raise :class:`ThiduaError` for a damaged issued
    set or a signed copy whose document is neither issued nor being issued."""
    all_issues = issues(folder)
    problems = damaged(folder, all_issues)
    if problems:
        raise ThiduaError(problems)
    now = current(all_issues)
    numbers = [version_number(i.version) or 0 for i in all_issues]
    result = Plan(version_name(max(numbers, default=0) + 1))
    for draft in drafts:
        issued = now.get(draft.name)
        if issued is not None and issued[1].docx.sha256 == sha256(draft.data):
            result.unchanged.append((draft.name, issued[0].version))
            continue
        result.new.append(draft)
        if issued is not None:
            result.replaced[draft.name] = issued[0].version
    names = {d.name for d in result.new} | set(now)
    for copy in signed:
        if copy.document not in names:
            problems.append(
                Problem(
                    "error",
                    "signed-without-document",
                    f"Bản ký {copy.original} thuộc văn bản {copy.document}, văn bản này chưa "
                    "được ban hành và cũng không có trong thư mục kết quả",
                    "Lập văn bản trước (thidua build), rồi ban hành kèm bản ký.",
                    Location(file=copy.original),
                )
            )
            continue
        attached = now.get(copy.document)
        known = {f.sha256 for f in attached[1].files} if attached else set()
        if copy.document in {d.name for d in result.new} or sha256(copy.data) not in known:
            result.signed.append(copy)
    if problems:
        raise ThiduaError(problems)
    return result


def write_issue(
    folder: Path,
    planned: Plan,
    pdfs: Mapping[str, tuple[bytes, int | None]],
    dossier: DossierInfo,
    date: dt.date,
    thidua_version: str,
) -> Issue:
    """Write the planned issue into ``ban-hanh/<version>/`` (temporary folder, then one rename);
    ``pdfs`` maps each new document's name to its PDF/A bytes and page count."""
    top = folder / ISSUED_DIR
    top.mkdir(parents=True, exist_ok=True)
    remove_leftovers(top)
    now = current(issues(folder))
    version = planned.version
    files: dict[str, bytes] = {}
    documents: list[IssuedDocument] = []
    for draft in planned.new:
        digest = sha256(draft.data)
        records = [IssuedFile(f"{version}/{draft.name}", "docx", digest, len(draft.data))]
        files[draft.name] = draft.data
        if draft.name in pdfs:
            pdf, pages = pdfs[draft.name]
            pdf_name = Path(draft.name).with_suffix(".pdf").name
            records.append(IssuedFile(f"{version}/{pdf_name}", "pdf", sha256(pdf), len(pdf), pages))
            files[pdf_name] = pdf
        records += _signed_files(planned, draft.name, version, files)
        documents.append(
            IssuedDocument(draft.name, tuple(records), draft.info, planned.replaced.get(draft.name))
        )
    new_names = {d.name for d in planned.new}
    for name in sorted({s.document for s in planned.signed} - new_names):
        _, earlier = now[name]
        records = [*earlier.files, *_signed_files(planned, name, version, files)]
        documents.append(IssuedDocument(name, tuple(records), earlier.info, earlier.replaces))
    issue = Issue(version, date, thidua_version, dossier, tuple(documents))
    files[RECORD] = issue.to_json()

    temp = top / f"{_TEMP_PREFIX}{version}-{uuid.uuid4().hex[:8]}"
    try:
        for name, data in files.items():
            path = temp / name
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(path, stat.S_IREAD | stat.S_IRGRP | stat.S_IROTH)
        os.rename(temp, top / version)
    except OSError as exc:
        _remove_tree(temp)
        raise ThiduaError(
            Problem(
                "error",
                "issue-write",
                f"Không ghi được bản ban hành ({exc.strerror or exc}); chưa ban hành gì",
                "Kiểm tra quyền ghi và dung lượng trống của thư mục, rồi chạy lại.",
                Location(file=(top / version).as_posix()),
            )
        ) from exc
    return issue


def _signed_files(
    planned: Plan, name: str, version: str, files: dict[str, bytes]
) -> list[IssuedFile]:
    records = []
    copies = [s for s in planned.signed if s.document == name]
    for index, copy in enumerate(copies, start=1):
        suffix = Path(copy.original).suffix.lower() or ".pdf"
        tail = f"-{index}" if len(copies) > 1 else ""
        rel = f"{SIGNED_DIR}/{Path(name).stem}-ban-ky{tail}{suffix}"
        files[rel] = copy.data
        records.append(
            IssuedFile(f"{version}/{rel}", "ban_ky", sha256(copy.data), len(copy.data),
                       original=Path(copy.original).name)
        )  # fmt: skip
    return records


def remove_leftovers(top: Path) -> None:
    """Delete the temporary folders a killed ``ban-hanh`` left in ``ban-hanh/``."""
    with contextlib.suppress(OSError):
        for child in top.iterdir():
            if child.name.startswith(_TEMP_PREFIX):
                _remove_tree(child)


def _remove_tree(path: Path) -> None:
    """``shutil.rmtree`` that first makes read-only files writable (frozen files are)."""
    remove_tree(path)


def remove_tree(path: Path) -> None:
    """Delete a folder (or a file), read-only files included (Windows refuses to delete those as
    they are). Errors are ignored: what is left is reported by whoever looks next."""
    if not path.exists():
        return
    if not path.is_dir():
        with contextlib.suppress(OSError):
            os.chmod(path, stat.S_IWRITE | stat.S_IREAD)
            path.unlink()
        return
    for folder, _dirs, names in os.walk(path):
        for name in names:
            with contextlib.suppress(OSError):
                os.chmod(os.path.join(folder, name), stat.S_IWRITE | stat.S_IREAD)
    shutil.rmtree(path, ignore_errors=True)


def issued_note(folder: Path) -> str | None:
    """A plain note when documents of ``folder`` were issued and the drafts now there differ
    from them (a correction after issuing); ``None`` otherwise.

    For ``thidua build``, ``ban-hanh`` and ``luu-tru`` to say that the issued version stays
    and the new drafts must be issued again, as a new version.
    """
    try:
        all_issues = issues(folder)
    except ThiduaError:
        return None
    if not all_issues:
        return None
    differing = []
    for name, (issue, doc) in current(all_issues).items():
        try:
            draft = (folder / name).read_bytes()
        except OSError:
            continue
        if sha256(draft) != doc.docx.sha256:
            differing.append((name, issue.version))
    if not differing:
        return None
    last = max(version_number(i.version) or 0 for i in all_issues)
    listed = ", ".join(f"{name} (đã ban hành {version})" for name, version in differing)
    return (
        f"Lưu ý: {listed}: bản đã ban hành vẫn giữ nguyên trong {ISSUED_DIR}/ và là bản được "
        "lưu trữ; bản đang có trong thư mục là dự thảo mới, chưa ban hành. Khi người có thẩm "
        f"quyền đã duyệt bản sửa, ban hành lại bằng 'thidua ban-hanh' (sẽ thành "
        f"{version_name(last + 1)})."
    )
