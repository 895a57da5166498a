"""PDF conversion with one LibreOffice per core and profiles kept between runs
(pipeline.output.pdf): the same pages and text as one LibreOffice, and a clean fallback when one
of them fails, a kept profile is damaged or another run holds it. Real soffice, real documents:
the bundled templates rendered with the sample in both layouts."""

from __future__ import annotations

import shlex
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from test_templates_golden import FORMATS, TEMPLATES, _tools, rendered

from pipeline.errors import ThiduaError
from pipeline.output import pdf
from pipeline.output.pdf import convert_to_pdf, page_count

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(sys.platform == "win32", reason="the soffice wrapper is a shell script"),
]


def _documents() -> list[tuple[str, bytes]]:
    return [(f"{Path(t).stem}-{f.value}.docx", rendered(t, f)) for t in TEMPLATES for f in FORMATS]


def _wrapper(tmp_path: Path, soffice: str, fail_profile: str | None = None) -> tuple[Path, Path]:
    """A ``soffice`` that logs the profile of each conversion, then runs the real one (or fails
    without starting, for the process whose profile is ``fail_profile``)."""
    log = tmp_path / "calls.log"
    script = tmp_path / "soffice-wrapper"
    fail = ""
    if fail_profile is not None:
        fail = f'case "$1" in *{fail_profile}) exit 1;; esac\n'
    script.write_text(
        "#!/bin/sh\n"
        f'case "$1" in -env:UserInstallation=*) echo "$1" >> {shlex.quote(str(log))};; esac\n'
        f"{fail}"
        f'exec {shlex.quote(soffice)} "$@"\n'
    )
    script.chmod(0o755)
    return script, log


def _texts(pdfs: list[bytes], pdftotext: str) -> list[str]:
    texts = []
    with tempfile.TemporaryDirectory(prefix="thidua-pdf-text-") as work:
        for index, data in enumerate(pdfs):
            path = Path(work) / f"{index}.pdf"
            path.write_bytes(data)
            done = subprocess.run(
                [pdftotext, "-layout", str(path), "-"],
                capture_output=True, text=True, check=True, timeout=60,
            )  # fmt: skip
            texts.append(done.stdout)
    return texts


def _profiles(log: Path) -> list[str]:
    """The profiles of the conversions logged since the last call: ``kept/slot-N`` for a
    profile in the cache folder, ``private/NAME`` for one of the run's own."""
    found = []
    for line in log.read_text().split():
        parent, _, name = line.rpartition("/")
        found.append(("kept/" if parent.endswith("/libreoffice") else "private/") + name)
    log.unlink()
    return sorted(found)


@pytest.fixture
def soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """The real soffice and pdftotext, with the kept profiles in a folder of this test's own."""
    tools = _tools()
    if tools is None:
        pytest.skip("LibreOffice (soffice) or pdftotext is not installed")
    monkeypatch.setenv("THIDUA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("THIDUA_NO_CACHE", raising=False)
    return tools


@contextmanager
def _held_by_another_run(lock: Path) -> Iterator[None]:
    """``lock`` held by another process (as another thidua run would) until the block ends."""
    code = (
        "import sys, pathlib\n"
        "from pipeline.output.pdf import _try_lock\n"
        "held = _try_lock(pathlib.Path(sys.argv[1]))\n"
        "print('held' if held is not None else 'free', flush=True)\n"
        "sys.stdin.read()\n"
    )
    lock.parent.mkdir(parents=True, exist_ok=True)
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(lock)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert child.stdin is not None and child.stdout is not None
    try:
        assert child.stdout.readline().strip() == "held"
        yield
    finally:
        child.stdin.close()
        child.wait(timeout=60)
        child.stdout.close()


def test_two_libreoffices_give_the_pages_and_text_of_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, soffice: tuple[str, str]
) -> None:
    real, pdftotext = soffice
    documents = _documents()
    assert len(documents) >= 2 * pdf.MIN_PER_PROCESS
    wrapper, log = _wrapper(tmp_path, real)
    monkeypatch.setenv("THIDUA_SOFFICE", str(wrapper))
    monkeypatch.setenv("THIDUA_WORKERS", "1")
    one = convert_to_pdf(documents)
    assert _profiles(log) == ["kept/slot-0"]
    monkeypatch.setenv("THIDUA_WORKERS", "2")
    two = convert_to_pdf(documents)
    assert _profiles(log) == ["kept/slot-0", "kept/slot-1"]
    assert [page_count(p) for p in two] == [page_count(p) for p in one]
    assert _texts(two, pdftotext) == _texts(one, pdftotext)
    monkeypatch.setenv("THIDUA_NO_CACHE", "1")  # no kept profiles: private ones, as before
    private = convert_to_pdf(documents)
    assert _profiles(log) == ["private/profile-0", "private/profile-1"]
    assert _texts(private, pdftotext) == _texts(one, pdftotext)


def test_a_kept_profile_skips_the_render_tests_and_changes_no_text(
    tmp_path: Path, soffice: tuple[str, str]
) -> None:
    """LibreOffice runs its graphics render tests at every headless start with a profile of its
    own making (it writes their log into the profile); a profile thidua made does not, and
    converts to the same text."""
    real, pdftotext = soffice
    (name, data), *_ = _documents()
    source = tmp_path / "in" / name
    source.parent.mkdir()
    source.write_bytes(data)
    own = tmp_path / "own-profile"
    subprocess.run(
        [real, f"-env:UserInstallation={own.as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(tmp_path / "out"), str(source)],
        capture_output=True, check=True, timeout=300,
    )  # fmt: skip
    assert (own / "user" / "GraphicsRenderTests.log").is_file()
    (kept,) = convert_to_pdf([(name, data)])
    slot = tmp_path / "cache" / "libreoffice" / "slot-0"
    assert (slot / "user" / "registrymodifications.xcu").is_file()
    assert not (slot / "user" / "GraphicsRenderTests.log").exists()
    own_pdf = (tmp_path / "out" / f"{source.stem}.pdf").read_bytes()
    assert _texts([kept], pdftotext) == _texts([own_pdf], pdftotext)
    assert page_count(kept) == page_count(own_pdf)


def test_what_one_libreoffice_fails_is_converted_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, soffice: tuple[str, str]
) -> None:
    """The second LibreOffice cannot start: its documents are converted by one more process
    with a private profile, and its kept profile, suspect, is made anew next time."""
    real, pdftotext = soffice
    documents = _documents()
    wrapper, log = _wrapper(tmp_path, real, fail_profile="slot-1")
    monkeypatch.setenv("THIDUA_SOFFICE", str(wrapper))
    monkeypatch.setenv("THIDUA_WORKERS", "2")
    pdfs = convert_to_pdf(documents)
    assert _profiles(log) == ["kept/slot-0", "kept/slot-1", "private/fallback"]
    assert not (tmp_path / "cache" / "libreoffice" / "slot-1").exists()
    assert (tmp_path / "cache" / "libreoffice" / "slot-0").is_dir()
    assert len(pdfs) == len(documents)
    for (name, _), text in zip(documents, _texts(pdfs, pdftotext), strict=True):
        assert "Lạng Sơn" in text, name


def test_a_damaged_kept_profile_is_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, soffice: tuple[str, str]
) -> None:
    real, pdftotext = soffice
    documents = _documents()
    wrapper, log = _wrapper(tmp_path, real)
    monkeypatch.setenv("THIDUA_SOFFICE", str(wrapper))
    monkeypatch.setenv("THIDUA_WORKERS", "2")
    before = convert_to_pdf(documents)
    assert _profiles(log) == ["kept/slot-0", "kept/slot-1"]
    user = tmp_path / "cache" / "libreoffice" / "slot-0" / "user"
    subprocess.run(["rm", "-rf", str(user)], check=True)
    user.write_text("not a folder")  # LibreOffice: "User installation could not be completed"
    stale = tmp_path / "cache" / "libreoffice" / "slot-1" / ".lock"  # a LibreOffice killed
    stale.write_text("[Lockdata]\nUser=someone\nHost=elsewhere\nStamp=x\nTime=x\n")
    after = convert_to_pdf(documents)
    assert _profiles(log) == ["kept/slot-0", "kept/slot-1", "private/fallback"]
    assert _texts(after, pdftotext) == _texts(before, pdftotext)
    assert not user.exists()
    assert (stale.parent / "user").is_dir()  # its lock left behind did not stop slot-1
    again = convert_to_pdf(documents)  # made anew: no fallback
    assert _profiles(log) == ["kept/slot-0", "kept/slot-1"]
    assert user.is_dir()
    assert [page_count(p) for p in again] == [page_count(p) for p in before]


def test_a_profile_another_run_holds_is_left_to_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, soffice: tuple[str, str]
) -> None:
    """Two LibreOffice processes on one profile would hand one's documents to the other: a run
    takes the next free slot, and a private profile when none is free."""
    real, pdftotext = soffice
    documents = _documents()
    wrapper, log = _wrapper(tmp_path, real)
    monkeypatch.setenv("THIDUA_SOFFICE", str(wrapper))
    monkeypatch.setenv("THIDUA_WORKERS", "2")
    monkeypatch.setattr(pdf, "PROFILE_SLOTS", 2)
    with _held_by_another_run(tmp_path / "cache" / "libreoffice" / "slot-0.lock"):
        held = convert_to_pdf(documents)
        assert _profiles(log) == ["kept/slot-1", "private/profile-1"]
    free = convert_to_pdf(documents)
    assert _profiles(log) == ["kept/slot-0", "kept/slot-1"]
    assert _texts(held, pdftotext) == _texts(free, pdftotext)


def test_a_document_that_does_not_convert_is_named(
    monkeypatch: pytest.MonkeyPatch, soffice: tuple[str, str]
) -> None:
    documents = _documents()
    _, data = documents[3]
    documents[3] = ("hong.docx", data[: len(data) // 2])  # a truncated zip
    monkeypatch.setenv("THIDUA_WORKERS", "2")
    with pytest.raises(ThiduaError) as raised:
        convert_to_pdf(documents)
    assert [(p.code, p.location.file if p.location else None) for p in raised.value.problems] == [
        ("pdf-failed", "hong.docx")
    ]


def test_few_documents_take_one_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THIDUA_WORKERS", "2")
    assert pdf._processes(2 * pdf.MIN_PER_PROCESS - 1) == 1
    assert pdf._processes(2 * pdf.MIN_PER_PROCESS) == 2


def test_the_split_balances_the_bytes_and_keeps_the_order() -> None:
    sources = [Path(str(i)) for i in range(6)]
    # round-robin would give 0, 2, 4 (90 bytes) against 1, 3, 5 (12); balanced: 52 against 50
    groups = pdf._groups(sources, [40, 4, 30, 4, 20, 4], 2)
    assert groups == [[Path("0"), Path("1"), Path("3"), Path("5")], [Path("2"), Path("4")]]
    assert sorted(s for group in groups for s in group) == sources
    assert pdf._groups(sources[:5], [1] * 5, 2) == [
        [Path("0"), Path("2"), Path("4")],
        [Path("1"), Path("3")],
    ]
