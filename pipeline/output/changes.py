"""What changed since the last build, in the secretary's words.

Pure: no I/O, no clock. :func:`compare` takes the previous snapshot of a folder (``None`` for a
first build) and the new one (:func:`pipeline.documents.facts.snapshot`) and returns a
:class:`ClusterChanges`: the printed facts that changed, the workbook cells that changed (the
cause), and for each document the changes it prints. :func:`report_markdown` words it for the
console and the dated report file; :func:`report_data` gives the same for ``--json``.

A fact is worded ``<chủ thể>: <mục> <trước> → <sau>`` (``Ban Tuyên giáo Tỉnh ủy: tổng điểm
985 → 982; xếp thứ Ba → Tư``); facts of the cluster as a whole stand alone (``Tổng tiền thưởng
45.170.000 → 46.340.000 đồng``). A long text shows only the words that changed, with a few words
around them. A renamed unit changes its name in many places; a text whose only change is a name
already reported is counted, not repeated.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Mapping, Sequence

from pipeline.output.staged import UPDATED

#: Texts longer than this are shown by their changed words only.
LONG_TEXT = 60
#: Words kept on each side of a change in a long text.
CONTEXT_WORDS = 4

ARROW = "→"


@dataclasses.dataclass(frozen=True, slots=True)
class Change:
    """One printed fact that changed. ``old`` is ``None`` for a new fact, ``new`` for one no
    longer printed."""

    key: str
    subject: str
    label: str
    kind: str
    old: str | None
    new: str | None
    documents: tuple[str, ...]
    source: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class CellChange:
    """One workbook cell whose value changed (``old``/``new`` ``None``: the cell was added or
    removed, e.g. a row inserted)."""

    cell: str
    subject: str
    label: str
    old: str | None
    new: str | None


@dataclasses.dataclass(frozen=True, slots=True)
class ClusterChanges:
    """What changed for one cluster-year folder.

    ``first`` is true when there was no earlier snapshot to compare with; ``workbook`` the input
    file name; ``others`` what else changed (a template file, the thidua version); ``documents``
    every template file name of the new build; ``identical`` those whose new document has the
    very bytes of the old one (they print no change, whatever a fact they read did: a fact is
    given to every document whose template reads its top-level name).
    """

    cluster: str
    year: int
    workbook: str
    first: bool
    changes: tuple[Change, ...] = ()
    cells: tuple[CellChange, ...] = ()
    documents: tuple[str, ...] = ()
    identical: tuple[str, ...] = ()
    others: tuple[tuple[str, str | None, str | None], ...] = ()  # (name, old, new) fingerprints

    @property
    def changed(self) -> bool:
        return bool(self.changes or self.cells or self.others)

    def for_document(self, name: str) -> tuple[Change, ...]:
        if name in self.identical:
            return ()
        return tuple(c for c in self.changes if name in c.documents)


def _facts(snapshot: Mapping[str, object] | None) -> Mapping[str, Mapping[str, object]]:
    facts = snapshot.get("du_lieu") if snapshot else None
    return facts if isinstance(facts, Mapping) else {}


def _cells(snapshot: Mapping[str, object] | None) -> Mapping[str, Mapping[str, str]]:
    cells = snapshot.get("o_nhap") if snapshot else None
    return cells if isinstance(cells, Mapping) else {}


def _names(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list | tuple) else []


def compare(old: Mapping[str, object] | None, new: Mapping[str, object]) -> ClusterChanges:
    """The changes from snapshot ``old`` (``None``: none was recorded) to ``new``."""
    if old is None:  # a first build: nothing to compare, nothing is listed
        return _first(new)
    before, after = _facts(old), _facts(new)
    changes: list[Change] = []
    # A fact whose entry is the same in both changed nothing: only the others are looked at.
    keys = [key for key in before.keys() | after.keys() if before.get(key) != after.get(key)]
    for key in sorted(keys):
        was, now = before.get(key), after.get(key)
        old_value = str(was["gia_tri"]) if was else None
        new_value = str(now["gia_tri"]) if now else None
        if old_value == new_value:
            continue
        fact = now or was
        assert fact is not None
        documents = set(_names(fact.get("van_ban")))
        if was and now:
            documents |= set(_names(was.get("van_ban")))
        changes.append(
            Change(
                key=key,
                subject=str((was or now or {}).get("chu_the", "")),
                label=str(fact["muc"]),
                kind=str(fact.get("kieu", "van")),
                old=old_value,
                new=new_value,
                documents=tuple(sorted(str(d) for d in documents)),
                source=str(fact["nguon"]) if fact.get("nguon") else None,
            )
        )
    cells_before, cells_after = _cells(old), _cells(new)
    cells: list[CellChange] = []
    every = cells_before.keys() | cells_after.keys()
    changed = [c for c in every if cells_before.get(c) != cells_after.get(c)]
    for cell in sorted(changed, key=_cell_order):
        was_cell, now_cell = cells_before.get(cell), cells_after.get(cell)
        old_text = was_cell["gia_tri"] if was_cell else None
        new_text = now_cell["gia_tri"] if now_cell else None
        if old_text == new_text:
            continue
        entry = was_cell or now_cell
        assert entry is not None
        cells.append(
            CellChange(cell, entry.get("chu_the", ""), entry.get("muc", ""), old_text, new_text)
        )
    marks_before, marks_after = (
        s.get("dau_vet") if s and isinstance(s.get("dau_vet"), Mapping) else {} for s in (old, new)
    )
    assert isinstance(marks_before, Mapping) and isinstance(marks_after, Mapping)
    others = tuple(
        (str(name), _text(marks_before.get(name)), _text(marks_after.get(name)))
        for name in sorted(set(marks_before) | set(marks_after))
        if marks_before and marks_before.get(name) != marks_after.get(name)
    )
    return dataclasses.replace(
        _first(new), first=False, changes=tuple(changes), cells=tuple(cells), others=others
    )


def unchanged(new: Mapping[str, object]) -> ClusterChanges:
    """What :func:`compare` gives for ``new`` against a snapshot equal to it, without comparing:
    for a rebuild whose snapshot has the very bytes of the previous one."""
    return dataclasses.replace(_first(new), first=False)


def _first(new: Mapping[str, object]) -> ClusterChanges:
    """The report of a first build of snapshot ``new``: what it is about, no change."""
    templates = new.get("van_ban")
    return ClusterChanges(
        cluster=str(new.get("cum", "")),
        year=int(str(new.get("nam", 0))),
        workbook=str(new.get("workbook", "")),
        first=True,
        documents=tuple(sorted(templates)) if isinstance(templates, Mapping) else (),
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def other_line(name: str, old: str | None, new: str | None) -> str:
    """``Mẫu văn bản 01-bao-cao.docx đã sửa``; ``Phiên bản thidua 0.1.0 → 0.2.0``."""
    if name.startswith("mau/"):
        what = f"Mẫu văn bản {name.removeprefix('mau/')}"
        if old is None:
            return f"{what}: mẫu mới"
        return f"{what}: không còn dùng" if new is None else f"{what}: đã sửa"
    return f"Phiên bản thidua {old or '?'} {ARROW} {new or '?'}"


def _cell_order(cell: str) -> tuple[str, int, str]:
    sheet, _, ref = cell.partition("!")
    letters = "".join(c for c in ref if c.isalpha())
    digits = "".join(c for c in ref if c.isdigit())
    return (sheet, int(digits or 0), f"{len(letters):02d}{letters}")


# ---------------------------------------------------------------------------------------------
# Wording


def _quoted(text: str, kind: str) -> str:
    return text if kind != "van" else f"“{text}”"


def excerpt(old: str, new: str, context: int = CONTEXT_WORDS) -> str:
    """The words that changed between two long texts, with ``context`` words around them.

    >>> excerpt("xếp thứ Ba gồm Văn phòng Tỉnh ủy và Ban Tuyên giáo Tỉnh ủy",
    ...         "xếp thứ Ba: Văn phòng Tỉnh ủy; xếp thứ Tư gồm Ban Tuyên giáo Tỉnh ủy", 2)
    'xếp thứ [Ba gồm → Ba:] Văn phòng Tỉnh [ủy và → ủy; xếp thứ Tư gồm] Ban Tuyên…'
    """
    a, b = old.split(), new.split()
    pieces: list[str] = []
    last = 0
    opcodes = [op for op in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()]
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            continue
        start = max(i1 - context, last)
        if (pieces and start > last) or (not pieces and start > 0):
            pieces.append("…")
        pieces += a[start:i1]
        removed, added = " ".join(a[i1:i2]), " ".join(b[j1:j2])
        if not removed:
            pieces.append(f"[+ {added}]")
        elif not added:
            pieces.append(f"[− {removed}]")
        else:
            pieces.append(f"[{removed} {ARROW} {added}]")
        last = i2
        following = next((op for op in opcodes[index + 1 :] if op[0] != "equal"), None)
        end = min(i2 + context, following[1] if following else len(a))
        pieces += a[i2:end]
        last = end
    if last < len(a):
        pieces[-1] += "…"
    return " ".join(pieces)


def _scattered(old: str, new: str) -> bool:
    """More than two separate changes: the whole new text reads better than an excerpt."""
    matcher = difflib.SequenceMatcher(a=old.split(), b=new.split(), autojunk=False)
    return sum(1 for op in matcher.get_opcodes() if op[0] != "equal") > 2


def phrase(change: Change, *, with_label: bool = True) -> str:
    """One change in words: ``tổng điểm 985 → 982``, ``số tiền 2.300.000 → 3.450.000 đồng``.

    >>> phrase(Change("k", "", "Ngày ký", "ngay", "10/01/2014", "12/01/2014", ()))
    'Ngày ký 10/01/2014 → 12/01/2014'
    >>> phrase(Change("k", "", "Tổng tiền thưởng", "tien", "45.170.000", "46.340.000", ()))
    'Tổng tiền thưởng 45.170.000 → 46.340.000 đồng'
    >>> phrase(Change("k", "", "tên", "van", "Ban A", "Ban B", ()))
    'tên “Ban A” → “Ban B”'
    """
    label = change.label if with_label else ""
    old, new = change.old, change.new
    unit = " đồng" if change.kind == "tien" else ""
    if old is None:
        return f"thêm {label}: {_quoted(new or '', change.kind)}{unit}".replace("  ", " ")
    if new is None:
        return f"bỏ {label} (trước là {_quoted(old, change.kind)}{unit})".replace("  ", " ")
    if change.kind == "van" and max(len(old), len(new)) > LONG_TEXT and old and new:
        if _scattered(old, new):
            return f"{label} nay là: “{new}”".strip()
        return f"{label}: “{excerpt(old, new)}”".strip()
    shown_old = _quoted(old, change.kind) if old else "(trống)"
    shown_new = _quoted(new, change.kind) if new else "(trống)"
    return f"{label} {shown_old} {ARROW} {shown_new}{unit}".strip()


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _renames(changes: Sequence[Change]) -> list[tuple[str, str]]:
    """The (old, new) pairs of short texts that changed: a unit's or a person's new name."""
    pairs = {
        (c.old, c.new)
        for c in changes
        if c.kind == "van" and c.old and c.new and len(c.old) <= LONG_TEXT
    }
    return sorted(pairs, key=lambda p: -len(p[0]))


def _only_renamed(change: Change, renames: Sequence[tuple[str, str]]) -> bool:
    if change.kind != "van" or not change.old or not change.new:
        return False
    if (change.old, change.new) in renames:
        return False
    text = change.old
    for old, new in renames:
        text = text.replace(old, new)
    return text == change.new


def lines(changes: Sequence[Change]) -> list[str]:
    """The changes worded one subject a line, in the order given (first appearance).

    A text that changed only by a rename already listed is not repeated: the last line says in
    how many places the new name now stands.

    >>> c = [Change("a", "Ban A", "tổng điểm", "so", "985", "982", ()),
    ...      Change("b", "Ban A", "xếp thứ", "chu", "Ba", "Tư", ()),
    ...      Change("c", "", "Tổng tiền thưởng", "tien", "1.000", "2.000", ())]
    >>> lines(c)
    ['Ban A: tổng điểm 985 → 982; xếp thứ Ba → Tư', 'Tổng tiền thưởng 1.000 → 2.000 đồng']
    """
    renames = _renames(changes)
    folded = [c for c in changes if _only_renamed(c, renames)]
    by_subject: dict[str, list[Change]] = {}
    for change in changes:
        if change not in folded:
            by_subject.setdefault(change.subject, []).append(change)
    out: list[str] = []
    for subject, own in by_subject.items():
        if subject and all(c.old is None for c in own):
            shown = [c for c in own if c.new]
            out.append(f"{subject}: mới có" + (": " if shown else "") + "; ".join(
                phrase(Change(c.key, "", c.label, c.kind, "", c.new, ())).replace(
                    f"(trống) {ARROW} ", "") for c in shown))  # fmt: skip
            continue
        if subject and all(c.new is None for c in own):
            out.append(f"{subject}: không còn trong văn bản")
            continue
        phrases: list[str] = []
        for change in own:
            words = phrase(change)
            if words not in phrases:
                phrases.append(words)
        if subject:
            out.append(f"{subject}: " + "; ".join(phrases))
        else:
            out += [_capitalised(p) for p in phrases]
    if folded:
        out.append(f"Tên mới cũng thay cho tên cũ ở {len(folded)} chỗ khác "
                   f"({', '.join(sorted({c.label.lower() for c in folded}))})")  # fmt: skip
    return out


def cell_lines(cells: Sequence[CellChange], workbook: str) -> list[str]:
    """One line per changed cell, except a row added or removed whole: one line for the row
    (``cum.xlsx › DeNghiCaNhan!A5:I5 (Nguyễn Văn Mới): dòng mới``)."""
    rows: dict[tuple[str, str, str], list[CellChange]] = {}
    for cell in cells:
        sheet, _, ref = cell.cell.rpartition("!")
        rows.setdefault((sheet, "".join(c for c in ref if c.isdigit()), cell.subject), []).append(
            cell
        )
    out: list[str] = []
    for (sheet, _, subject), own in rows.items():
        whole = len(own) > 1 and (
            all(c.old is None for c in own) or all(c.new is None for c in own)
        )
        if not whole:
            out += [cell_line(c, workbook) for c in own]
            continue
        first, last = own[0].cell.rpartition("!")[2], own[-1].cell.rpartition("!")[2]
        where = f"{sheet}!{first}:{last}"
        where = f"{workbook} › {where}" if workbook and " › " not in where else where
        what = "dòng mới" if own[0].old is None else "dòng đã xóa"
        out.append(where + (f" ({subject})" if subject else "") + f": {what}")
    return out


def cell_line(cell: CellChange, workbook: str) -> str:
    """``cum.xlsx › ChamDiem!D33 (Ban Tuyên giáo Tỉnh ủy, tiêu chí I.2, điểm cụm chấm): 247 →
    244``."""
    about = ", ".join(p for p in (cell.subject, cell.label) if p)
    where = f"{workbook} › {cell.cell}" if workbook and " › " not in cell.cell else cell.cell
    old = "(trống)" if not cell.old else cell.old
    new = "(trống)" if not cell.new else cell.new
    if cell.old is None:
        old = "(chưa có)"
    if cell.new is None:
        new = "(không còn)"
    return f"{where}" + (f" ({about})" if about else "") + f": {old} {ARROW} {new}"


def report_markdown(
    reports: Sequence[ClusterChanges], statuses: Mapping[str, str], *, title_date: str = ""
) -> str:
    """The change report of a build: one section per cluster-year, the causes (input cells),
    what changed, then each document with its status and its changes.

    ``statuses`` maps a document's file name (as ``<folder>/<name>``, see :func:`document_id`)
    to its status (``cập nhật``…); ``title_date`` (``02/12/2026``) heads the file form.
    """
    out: list[str] = []
    heading = "# Những gì thay đổi sau lần lập này"
    out.append(heading + (f" ({title_date})" if title_date else ""))
    for report in reports:
        out += ["", f"## {report.cluster}, năm {report.year}", ""]
        if report.first:
            out.append("Lần lập đầu tiên (chưa có dữ liệu lần trước để so sánh).")
            continue
        if not report.changed:
            out.append("Không có gì thay đổi so với lần lập trước.")
            continue
        if report.cells:
            out.append("Ô đã sửa trong workbook (nguyên nhân):")
            out += [f"- {line}" for line in cell_lines(report.cells, report.workbook)]
            out.append("")
        if report.others:
            out.append("Mẫu văn bản, chương trình đã đổi (nguyên nhân):")
            out += [f"- {other_line(*o)}" for o in report.others]
            out.append("")
        facts = lines(report.changes)
        if facts:
            out.append("Số liệu in trong văn bản đã thay đổi:")
            out += [f"- {line}" for line in facts]
        else:
            out.append("Không số liệu nào in trong văn bản thay đổi.")
        for name in report.documents:
            status = statuses.get(document_id(report, name), "")
            own = lines(report.for_document(name))
            out += ["", f"### {name}" + (f" ({status})" if status else "")]
            if not own and status == UPDATED:
                own = [
                    "Số liệu in không đổi; văn bản khác bản trước ở phần khác (mẫu văn bản, "
                    "chương trình, hoặc bản cũ đã được sửa tay)"
                ]
            out += [f"- {line}" for line in own] or ["- Không thay đổi."]
    return "\n".join(out) + "\n"


def document_id(report: ClusterChanges, name: str) -> str:
    """How a document is keyed in ``statuses``: ``<năm>/<cụm>/<tệp>`` as the report knows it."""
    return f"{report.year}/{report.cluster}/{name}"


def report_data(reports: Sequence[ClusterChanges]) -> list[dict[str, object]]:
    """The change reports for machines (``thidua build --json``)."""
    return [
        {
            "cum": r.cluster,
            "nam": r.year,
            "workbook": r.workbook,
            "lan_dau": r.first,
            "o_thay_doi": [
                {"o": c.cell, "chu_the": c.subject, "muc": c.label, "truoc": c.old, "sau": c.new}
                for c in r.cells
            ],
            "thay_doi": [
                {
                    "khoa": c.key,
                    "chu_the": c.subject,
                    "muc": c.label,
                    "truoc": c.old,
                    "sau": c.new,
                    "van_ban": list(c.documents),
                    **({"nguon": c.source} if c.source else {}),
                }
                for c in r.changes
            ],
            "khac": [{"ten": n, "truoc": o, "sau": w} for n, o, w in r.others],
            "dien_giai": lines(r.changes),
            "van_ban": {name: lines(r.for_document(name)) for name in r.documents},
        }
        for r in reports
    ]
