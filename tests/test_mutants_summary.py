"""The closing summary and the progress display at their edges (pipeline.output.summary,
pipeline.output.progress): which lines a run's summary has and which it leaves out, how many
folders it names, and what the live line writes to a terminal, character for character."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from pipeline.output.progress import Progress
from pipeline.output.summary import RunSummary, summary_lines

OUT = Path("outputs/2013")


def _run(
    workbooks: int = 1,
    not_built: tuple[tuple[str, int], ...] = (),
    statuses: tuple[tuple[Path, str], ...] = (),
    warnings: int = 0,
    notes: int = 0,
    folders: tuple[Path, ...] = (),
) -> RunSummary:
    names = tuple(f"cum-{n}.xlsx" for n in range(1, workbooks + 1))
    return RunSummary(names, not_built, statuses, warnings, notes, folders)


# --- the summary ------------------------------------------------------------------------------


def test_only_the_signed_documents_and_pdfs_are_counted() -> None:
    """The manifest, the snapshot, the change report and the tracked-changes copies in so-sanh/
    are files of the run but not documents: the count is of what the secretary signs."""
    folder = OUT / "cum-1"
    statuses = (
        (folder / "01-bao-cao.docx", "tạo mới"),
        (folder / "02-bien-ban.docx", "cập nhật"),
        (folder / "01-bao-cao.pdf", "tạo mới"),
        (folder / "so-sanh" / "02-bien-ban.docx", "tạo mới"),
        (folder / "so-sanh" / "02-bien-ban.pdf", "tạo mới"),
        (folder / "manifest.json", "cập nhật"),
        (folder / "du-lieu-in.json", "cập nhật"),
    )
    assert summary_lines(_run(statuses=statuses, folders=(folder,))) == [
        "Kết quả: 1 workbook; lập được 1.",
        "  Văn bản: 2 (tạo mới 1, cập nhật 1, không đổi 0); PDF: 1 (tạo mới 1, cập nhật 0, "
        "không đổi 0).",
        "  Thư mục văn bản: outputs/2013/cum-1",
    ]


def test_a_run_without_pdfs_warnings_or_notes_says_nothing_of_them() -> None:
    folder = OUT / "cum-1"
    lines = summary_lines(_run(statuses=((folder / "01.docx", "không đổi"),), folders=(folder,)))
    assert lines == [
        "Kết quả: 1 workbook; lập được 1.",
        "  Văn bản: 1 (tạo mới 0, cập nhật 0, không đổi 1).",
        "  Thư mục văn bản: outputs/2013/cum-1",
    ]


@pytest.mark.parametrize(("warnings", "notes"), [(1, 0), (0, 3)])
def test_warnings_or_notes_alone_are_counted(warnings: int, notes: int) -> None:
    lines = summary_lines(_run(warnings=warnings, notes=notes))
    assert f"  Cảnh báo: {warnings}; lưu ý: {notes} (in ở trên)." in lines


def test_a_run_where_every_workbook_failed_names_them_and_no_documents() -> None:
    """Nothing was built: no line of documents (there are none) and no folder, but each
    workbook with its number of errors."""
    lines = summary_lines(_run(workbooks=2, not_built=(("cum-1.xlsx", 3), ("cum-2.xlsx", 1))))
    assert lines == [
        "Kết quả: 2 workbook; lập được 0, không lập được 2.",
        "  Không lập được: cum-1.xlsx (3 lỗi), cum-2.xlsx (1 lỗi) — xem các lỗi in bên dưới, "
        "sửa rồi chạy lại.",
    ]


def test_a_run_with_failures_still_counts_the_documents_of_the_others() -> None:
    folder = OUT / "cum-2"
    lines = summary_lines(
        _run(
            workbooks=2,
            not_built=(("cum-1.xlsx", 1),),
            statuses=((folder / "01.docx", "tạo mới"),),
            folders=(folder,),
        )
    )
    assert lines[:2] == [
        "Kết quả: 2 workbook; lập được 1, không lập được 1.",
        "  Văn bản: 1 (tạo mới 1, cập nhật 0, không đổi 0).",
    ]


def test_six_folders_are_named_and_seven_are_counted_in_their_parent() -> None:
    six = tuple(OUT / f"cum-{n}" for n in range(1, 7))
    assert summary_lines(_run(workbooks=6, folders=six))[-1] == (
        "  Thư mục văn bản: " + ", ".join(f"outputs/2013/cum-{n}" for n in range(1, 7))
    )
    seven = (*six, OUT / "cum-7")
    assert summary_lines(_run(workbooks=7, folders=seven))[-1] == (
        "  Thư mục văn bản: 7 thư mục trong outputs/2013"
    )


@pytest.mark.parametrize(
    ("folders", "common"),
    [
        # two years of the same clusters: the years differ, the cluster names after them do not
        ([f"outputs/{year}/cum-{n}" for year in (2013, 2014) for n in range(1, 5)], "outputs"),
        # one cluster's folders of seven years: only the year differs, not the name after it
        ([f"outputs/{year}/cum-1" for year in range(2010, 2017)], "outputs"),
        # nothing in common (two output folders given as relative paths)
        ([f"{top}/2013/cum-{n}" for top in ("a", "b") for n in range(1, 5)], "."),
        # a folder inside another of the run: the outer one is the common part
        (
            ["outputs/2013/cum-1/x", "outputs/2013/cum-1"]
            + [f"outputs/2013/cum-1/{n}" for n in range(2, 7)],
            "outputs/2013/cum-1",
        ),
    ],
    ids=["two-years", "seven-years-of-one-cluster", "nothing-in-common", "nested"],
)
def test_many_folders_under_different_parents_are_counted_in_their_common_part(
    folders: list[str], common: str
) -> None:
    paths = tuple(Path(f) for f in folders)
    assert summary_lines(_run(workbooks=len(paths), folders=paths))[-1] == (
        f"  Thư mục văn bản: {len(paths)} thư mục trong {common}"
    )


# --- the progress display ---------------------------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Writes(_Terminal):
    """A terminal that keeps each write apart."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[str] = []

    def write(self, text: str) -> int:
        self.writes.append(text)
        return super().write(text)


@pytest.fixture
def columns(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """A terminal 100 columns wide (``COLUMNS`` is what shutil.get_terminal_size reads first)."""
    monkeypatch.setenv("COLUMNS", "100")
    return monkeypatch


def test_the_bar_shows_the_workbooks_finished_before_this_one(columns: object) -> None:
    """20 characters: at workbook n of 4, n - 1 quarters of it are full."""
    screen = _Writes()
    progress = Progress(screen, total=4)
    for done in range(1, 5):
        progress.step(done, "cum.xlsx", "lập")
    bars = [w[1:21] for w in screen.writes]
    assert bars == ["█" * full + "░" * (20 - full) for full in (0, 5, 10, 15)]
    assert screen.writes[0] == "\r" + "░" * 20 + " [1/4] cum.xlsx: lập"


def test_a_shorter_line_blanks_what_is_left_of_the_longer_one(columns: object) -> None:
    screen = _Writes()
    progress = Progress(screen, total=2)
    progress.step(1, "cum-thi-dua-so-1.xlsx", "lập văn bản")
    progress.step(2, "b.xlsx", "in")
    first, second = screen.writes
    line = "█" * 10 + "░" * 10 + " [2/2] b.xlsx: in"
    assert second == "\r" + line + " " * (len(first) - 1 - len(line))
    # the same length again needs no blanks
    progress.step(2, "c.xlsx", "in")
    assert screen.writes[-1] == "\r" + line.replace("b.xlsx", "c.xlsx")


def test_the_live_line_stops_before_the_last_column(monkeypatch: pytest.MonkeyPatch) -> None:
    """A line as wide as the terminal would make it wrap (a new line at each step)."""
    monkeypatch.setenv("COLUMNS", "40")
    screen = _Writes()
    Progress(screen, total=2).step(1, "cum-thi-dua-cac-co-quan-tinh-uy.xlsx", "lập văn bản")
    assert screen.writes == ["\r" + ("░" * 20 + " [1/2] cum-thi-dua-cac-co-quan-tinh-uy")[:39]]


def test_a_terminal_of_unknown_size_is_taken_as_80_columns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No ``COLUMNS`` and no terminal to ask (shutil falls back to the size it is given): the
    classic 80 columns, the line stopping before the last."""
    import sys

    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setattr(sys, "__stdout__", None)
    screen = _Writes()
    Progress(screen, total=2).step(1, "x" * 100 + ".xlsx", "lập văn bản")
    assert len(screen.writes[0]) == 1 + 79


def test_the_line_is_erased_once_before_the_report_and_never_when_nothing_is_shown(
    columns: object,
) -> None:
    screen = _Writes()
    progress = Progress(screen, total=2)
    seen: list[str] = []
    say = progress.wrap(lambda text: seen.append(screen.getvalue()))
    say("before any step")
    assert screen.writes == [], "nothing to erase yet"
    progress.step(1, "a.xlsx", "lập")
    shown = len(screen.writes[0]) - 1
    say("tạo mới    outputs/a.docx")
    assert seen[-1].endswith("\r" + " " * shown + "\r"), "erased before the report is printed"
    say("cập nhật   outputs/b.docx")
    progress.close()
    assert screen.writes[1:] == ["\r" + " " * shown + "\r"], "erased once, not at every line"


def test_the_end_of_the_run_erases_the_live_line(columns: object) -> None:
    """The shell's prompt (or what the command prints next) starts on a clean line."""
    screen = _Writes()
    progress = Progress(screen, total=2)
    progress.step(2, "b.xlsx", "lập")
    progress.close()
    assert screen.writes[-1] == "\r" + " " * (len(screen.writes[0]) - 1) + "\r"


def test_each_step_reaches_the_stream_at_once() -> None:
    """A log file or a pipe is buffered: each line is flushed, so that ``tail -f`` of the log
    (or the terminal) shows the step while it runs, not at the end of the run."""
    raw = io.BytesIO()
    log = io.TextIOWrapper(raw, encoding="utf-8")
    progress = Progress(log, total=2, live=False)
    progress.step(1, "a.xlsx", "lập")
    assert raw.getvalue() == "[1/2] a.xlsx: lập\n".encode()
    raw = io.BytesIO()
    screen = io.TextIOWrapper(raw, encoding="utf-8")
    progress = Progress(screen, total=2, live=True)
    progress.step(1, "a.xlsx", "lập")
    assert raw.getvalue().decode().endswith("[1/2] a.xlsx: lập")
    progress.wrap(lambda _: None)("tạo mới")
    assert raw.getvalue().decode().endswith("\r"), "erased before the report, at once"


def test_live_can_be_forced_either_way() -> None:
    on_a_pipe = io.StringIO()
    Progress(on_a_pipe, total=2, live=True).step(1, "a.xlsx", "lập")
    assert on_a_pipe.getvalue().startswith("\r") and "\n" not in on_a_pipe.getvalue()
    on_a_terminal = _Terminal()
    Progress(on_a_terminal, total=2, live=False).step(1, "a.xlsx", "lập")
    assert on_a_terminal.getvalue() == "[1/2] a.xlsx: lập\n"


def test_a_stream_that_cannot_say_whether_it_is_a_terminal_gets_plain_lines() -> None:
    """A minimal writer (no ``isatty``), as some wrappers of standard error are."""

    class Writer:
        def __init__(self) -> None:
            self.text = ""

        def write(self, text: str) -> int:
            self.text += text
            return len(text)

        def flush(self) -> None:
            pass

    writer = Writer()
    progress = Progress(writer, total=2)  # type: ignore[arg-type]
    progress.step(1, "a.xlsx", "lập")
    progress.close()
    assert writer.text == "[1/2] a.xlsx: lập\n"
