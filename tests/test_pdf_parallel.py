"""PDF conversion with one LibreOffice per core (pipeline.output.pdf): the same pages and text
as one LibreOffice, and a clean fallback when one of them fails. Real soffice, real documents:
the bundled templates rendered with the sample in both layouts."""

from __future__ import annotations

import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from test_templates_golden import FORMATS, TEMPLATES, _tools, rendered

from pipeline.output import pdf
from pipeline.output.pdf import convert_to_pdf, page_count

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(sys.platform == "win32", reason="the soffice wrapper is a shell script"),
]


def _documents() -> list[tuple[str, bytes]]:
    return [(f"{Path(t).stem}-{f.value}.docx", rendered(t, f)) for t in TEMPLATES for f in FORMATS]


def _wrapper(tmp_path: Path, soffice: str, fail_profile: str | None = None) -> tuple[Path, Path]:
    """A ``soffice`` that logs its profile argument, then runs the real one (or fails, for the
    process whose profile is ``fail_profile``)."""
    log = tmp_path / "calls.log"
    script = tmp_path / "soffice-wrapper"
    fail = ""
    if fail_profile is not None:
        fail = f'case "$1" in *{fail_profile}) exit 1;; esac\n'
    script.write_text(
        "#!/bin/sh\n"
        f'echo "$1" >> {shlex.quote(str(log))}\n'
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
    return sorted(line.rpartition("/")[2] for line in log.read_text().split())


def test_two_libreoffices_give_the_pages_and_text_of_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tools = _tools()
    if tools is None:
        pytest.skip("LibreOffice (soffice) or pdftotext is not installed")
    soffice, pdftotext = tools
    documents = _documents()
    assert len(documents) >= 2 * pdf.MIN_PER_PROCESS
    wrapper, log = _wrapper(tmp_path, soffice)
    monkeypatch.setenv("THIDUA_SOFFICE", str(wrapper))
    monkeypatch.setenv("THIDUA_WORKERS", "1")
    one = convert_to_pdf(documents)
    assert _profiles(log) == ["profile-0"]
    log.unlink()
    monkeypatch.setenv("THIDUA_WORKERS", "2")
    two = convert_to_pdf(documents)
    assert _profiles(log) == ["profile-0", "profile-1"]
    assert [page_count(p) for p in two] == [page_count(p) for p in one]
    assert _texts(two, pdftotext) == _texts(one, pdftotext)


def test_what_one_libreoffice_fails_is_converted_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tools = _tools()
    if tools is None:
        pytest.skip("LibreOffice (soffice) or pdftotext is not installed")
    soffice, pdftotext = tools
    documents = _documents()
    wrapper, log = _wrapper(tmp_path, soffice, fail_profile="profile-0")
    monkeypatch.setenv("THIDUA_SOFFICE", str(wrapper))
    monkeypatch.setenv("THIDUA_WORKERS", "2")
    pdfs = convert_to_pdf(documents)
    assert _profiles(log) == ["profile-0", "profile-1", "profile-2"]  # the third: the fallback
    assert len(pdfs) == len(documents)
    for (name, _), text in zip(documents, _texts(pdfs, pdftotext), strict=True):
        assert "Lạng Sơn" in text, name


def test_few_documents_take_one_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THIDUA_WORKERS", "2")
    assert pdf._processes(2 * pdf.MIN_PER_PROCESS - 1) == 1
    assert pdf._processes(2 * pdf.MIN_PER_PROCESS) == 2
    groups = pdf._groups([Path(str(i)) for i in range(5)], 2)
    assert groups == [[Path("0"), Path("2"), Path("4")], [Path("1"), Path("3")]]
