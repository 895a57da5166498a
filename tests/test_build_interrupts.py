"""Ctrl-C stops a build at once, even when Python swallowed it (pipeline.output.interrupts).

Python raises SIGINT as ``KeyboardInterrupt`` wherever the main thread is. Inside a destructor
(``ZipFile.__del__`` while documents are built) the exception is swallowed and the run goes on;
:mod:`pipeline.output.interrupts` counts every SIGINT and the build checks the count between its
steps. These tests press Ctrl-C for real (a SIGINT to this process) inside a destructor, in a
build run in this process, and look at what the build did after it.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from folder_work import SAMPLE, cluster_workbooks, run
from folder_work import run_here as run_in_workdir

from pipeline import build as build_module
from pipeline.cli import INTERRUPTED
from pipeline.documents.engine import CompiledTemplate
from pipeline.parallel import MIN_ITEMS


class _PressesCtrlC:
    """An object whose destructor receives Ctrl-C."""

    def __del__(self) -> None:
        signal.raise_signal(signal.SIGINT)


def ctrl_c_swallowed() -> None:
    """Ctrl-C pressed while a destructor runs: Python reports the ``KeyboardInterrupt`` as
    "ignored" and goes on, as it does in ``ZipFile.__del__``."""
    _PressesCtrlC()


def test_ctrl_c_swallowed_while_a_document_renders_stops_before_the_next(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long document (10.000 rows render for seconds) is not followed by three more."""
    rendered: list[str] = []
    real_render = CompiledTemplate.render

    def render_then_ctrl_c(self: CompiledTemplate, *args: object, **kwargs: object) -> bytes:
        data = real_render(self, *args, **kwargs)  # type: ignore[arg-type]
        rendered.append("one")
        ctrl_c_swallowed()
        return data

    monkeypatch.setattr(CompiledTemplate, "render", render_then_ctrl_c)
    code, out, err = run_in_workdir("build")
    assert (code, err.strip()) == (1, INTERRUPTED)
    assert rendered == ["one"]
    assert not list(workdir.glob("outputs/**/*.docx")) and "tạo mới" not in out
    # The Ctrl-C ended with that command: a build called from Python afterwards runs.
    monkeypatch.setattr(CompiledTemplate, "render", real_render)
    build_module.build([workdir / "inputs" / SAMPLE], workdir / "outputs", echo=lambda _: None)
    assert len(list(workdir.glob("outputs/**/*.docx"))) == 4


def test_ctrl_c_swallowed_during_a_preview_on_the_pool_previews_no_further_workbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--xem-truoc`` of a batch on the pool: the workers render the next workbooks, so only
    the build, between two workbooks, can stop the previews."""
    cluster_workbooks(tmp_path / "inputs", MIN_ITEMS)
    monkeypatch.setenv("THIDUA_WORKERS", "2")
    previewed: list[Path] = []
    real_preview = build_module._Writer.preview

    def preview_then_ctrl_c(self: build_module._Writer, rendered: build_module.Rendered) -> None:
        real_preview(self, rendered)
        previewed.append(rendered.path)
        ctrl_c_swallowed()

    monkeypatch.setattr(build_module._Writer, "preview", preview_then_ctrl_c)
    code, out, err = run(tmp_path, "build", "--xem-truoc")
    assert (code, err.strip().splitlines()[-1]) == (1, INTERRUPTED)
    assert "[1/12] cum-01.xlsx" in err and "[2/12]" not in err
    assert [p.name for p in previewed] == ["cum-01.xlsx"]
    assert out.count("(xem trước: chưa ghi)") == 6  # the four documents, manifest, snapshot
    assert not (tmp_path / "outputs").exists()


def test_the_build_stops_at_its_pause_point_before_a_folder_is_written(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kill and Ctrl-C tests hold a build at ``build-rendered`` (pipeline.testhooks): it is
    reached once per workbook, after rendering and before its folder is written."""
    marker = workdir / "paused"
    seen: list[bool] = []
    real_write = build_module._Writer.write

    def write_after_pause(self: build_module._Writer, *args: object) -> None:
        seen.append(marker.read_text("utf-8") == "build-rendered" and not Path("outputs").exists())
        real_write(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module._Writer, "write", write_after_pause)
    monkeypatch.setenv("THIDUA_TEST_PAUSE", "build-rendered")
    monkeypatch.setenv("THIDUA_TEST_PAUSE_FILE", str(marker))
    monkeypatch.setenv("THIDUA_TEST_PAUSE_SECONDS", "0")
    code, _, err = run_in_workdir("build")
    assert code == 0, err
    assert seen == [True]
