"""The process pool over workbooks (pipeline.parallel): the results of a plain loop, in order;
a build gives the same files with and without it."""

from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from folder_work import cluster_workbooks

from pipeline import build as build_module
from pipeline import parallel
from pipeline.cli import cli
from pipeline.parallel import MIN_ITEMS, map_in_processes, workers_for
from pipeline.workbook.sample import sample_sheets
from pipeline.workbook.xlsx_write import write_workbook


def _square_and_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def _fails_on_seven(n: int) -> int:
    if n == 7:
        raise ValueError("bảy không được")
    return n


def _dies_in_a_worker(n: int) -> int:
    if multiprocessing.parent_process() is not None:
        os._exit(3)  # a worker killed (out of memory, antivirus…)
    return -n


@pytest.fixture
def two_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THIDUA_WORKERS", "2")


def test_results_are_those_of_a_loop_in_order(two_workers: None) -> None:
    items = list(range(40))
    results = map_in_processes(_square_and_pid, items)
    assert [square for square, _ in results] == [n * n for n in items]
    assert {pid for _, pid in results} - {os.getpid()}, "no worker process did any of it"


def test_few_items_or_one_worker_stay_in_this_process(
    two_workers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    few = map_in_processes(_square_and_pid, list(range(MIN_ITEMS - 1)))
    assert {pid for _, pid in few} == {os.getpid()}
    monkeypatch.setenv("THIDUA_WORKERS", "1")
    assert workers_for(1000) == 1
    many = map_in_processes(_square_and_pid, list(range(40)))
    assert {pid for _, pid in many} == {os.getpid()}


def test_workers_follow_the_cores_and_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("THIDUA_WORKERS", raising=False)
    monkeypatch.setattr(parallel, "usable_cores", lambda: 2)
    assert workers_for(1000) == 2
    assert workers_for(MIN_ITEMS - 1) == 1
    monkeypatch.setattr(parallel, "usable_cores", lambda: 1)
    assert workers_for(1000) == 1
    monkeypatch.setenv("THIDUA_WORKERS", "3")
    assert workers_for(1000) == 3
    monkeypatch.setenv("THIDUA_WORKERS", "không")  # not a number: the cores
    assert workers_for(1000) == 1


def test_workers_are_two_items_each_at_least_and_61_at_most(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A process for fewer than two items would not pay; Windows allows at most 61."""
    monkeypatch.setenv("THIDUA_WORKERS", "100")
    assert workers_for(MIN_ITEMS) == MIN_ITEMS // 2
    assert workers_for(1000) == 61
    monkeypatch.setenv("THIDUA_WORKERS", "0")  # no number of processes: the cores
    monkeypatch.setattr(parallel, "usable_cores", lambda: 3)
    assert workers_for(1000) == 3


def test_a_frozen_executable_stays_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """A frozen thidua.exe's children would start the application again, not a worker."""
    monkeypatch.setenv("THIDUA_WORKERS", "2")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert workers_for(1000) == 1


def test_usable_cores_are_the_affinity_else_the_cpu_count(monkeypatch: pytest.MonkeyPatch) -> None:
    """A process pinned to some cores (a container, ``taskset``) uses those only; where the
    system does not say (Windows, macOS, or it refuses), the count of CPUs; at least one."""
    monkeypatch.setattr(os, "cpu_count", lambda: 7)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 3, 5}, raising=False)
    assert parallel.usable_cores() == 3
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {2}, raising=False)
    assert parallel.usable_cores() == 1

    def refused(pid: int) -> set[int]:
        raise OSError("not permitted")

    monkeypatch.setattr(os, "sched_getaffinity", refused, raising=False)
    assert parallel.usable_cores() == 7
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    assert parallel.usable_cores() == 7
    monkeypatch.setattr(os, "cpu_count", lambda: None)  # undeterminable
    assert parallel.usable_cores() == 1


def test_an_error_of_the_function_is_raised_as_it_is(two_workers: None) -> None:
    with pytest.raises(ValueError, match="bảy không được"):
        map_in_processes(_fails_on_seven, list(range(20)))


def test_a_broken_pool_falls_back_to_this_process(two_workers: None) -> None:
    assert map_in_processes(_dies_in_a_worker, list(range(20))) == [-n for n in range(20)]


# --- a build -------------------------------------------------------------------------------------


def _files(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` but the history's build records, which hold the time."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and p.name != "lan-lap.json"
    }


def test_a_build_writes_the_same_files_with_and_without_the_pool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cluster_workbooks(tmp_path / "inputs", MIN_ITEMS + 2)
    monkeypatch.chdir(tmp_path)
    outputs = {}
    for workers in ("1", "2"):
        monkeypatch.setenv("THIDUA_WORKERS", workers)
        result = CliRunner().invoke(cli, ["build", "--output", f"out-{workers}"])
        assert result.exit_code == 0, result.output
        outputs[workers] = _files(tmp_path / f"out-{workers}")
    assert len([name for name in outputs["1"] if name.endswith(".docx")]) == 4 * (MIN_ITEMS + 2)
    assert outputs["1"] == outputs["2"]
    assert build_module._RUN_PLANS == {}  # the templates are not kept after the build


def test_problems_are_the_same_with_and_without_the_pool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cluster_workbooks(tmp_path / "inputs", MIN_ITEMS + 1)
    broken = sample_sheets()
    broken["ChamDiem"][0]["Điểm cụm chấm"] = "nhiều"
    write_workbook(broken, tmp_path / "inputs" / "cum-00-loi.xlsx")
    monkeypatch.chdir(tmp_path)
    said = {}
    for workers in ("1", "2"):
        monkeypatch.setenv("THIDUA_WORKERS", workers)
        result = CliRunner().invoke(cli, ["check"])
        assert result.exit_code == 1, result.output
        said[workers] = result.output
    assert "cum-00-loi.xlsx" in said["1"]
    assert said["1"] == said["2"]


def test_the_modules_named_are_imported_before_the_pool_starts(two_workers: None) -> None:
    import sys

    sys.modules.pop("xml.dom.minidom", None)
    map_in_processes(_square_and_pid, list(range(MIN_ITEMS)), imports=("xml.dom.minidom",))
    assert "xml.dom.minidom" in sys.modules


def _mark(item: tuple[Path, int]) -> int:
    folder, n = item
    (folder / f"{n}.done").touch()
    return n


def test_results_are_taken_one_at_a_time_with_few_items_ahead(
    two_workers: None, tmp_path: Path
) -> None:
    """A caller that takes one result has had only a few chunks computed for it, not all the
    items (a national batch's documents are written and let go as they come)."""
    items = [(tmp_path, n) for n in range(60)]
    results = parallel.imap_in_processes(_mark, items)
    assert next(results) == 0
    ahead = (parallel.AHEAD * 2 + 1) * parallel.CHUNK
    assert 1 <= len(list(tmp_path.glob("*.done"))) <= ahead
    assert list(results) == list(range(1, 60))  # and the rest, in order
    assert len(list(tmp_path.glob("*.done"))) == 60


def test_a_caller_that_stops_early_leaves_no_worker_and_no_more_work(
    two_workers: None, tmp_path: Path
) -> None:
    """An error or Ctrl-C in the caller closes the results: the pool ends at once, having
    computed only the few chunks it had been given."""
    items = [(tmp_path, n) for n in range(60)]
    results = parallel.imap_in_processes(_mark, items)
    assert next(results) == 0
    results.close()
    assert multiprocessing.active_children() == []
    ahead = (parallel.AHEAD * 2 + 1) * parallel.CHUNK
    assert len(list(tmp_path.glob("*.done"))) <= ahead


class _Log:
    """Console lines and progress lines, in the order they were printed."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def write(self, text: str) -> int:
        self.lines += text.splitlines()
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


@pytest.mark.parametrize("workers", ["1", "2"])
def test_each_folder_is_written_as_its_workbook_arrives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: str
) -> None:
    """A batch writes each workbook's folder before the next workbooks are taken, not all at the
    end: what is held in memory is the few workbooks being built, not the whole batch."""
    from pipeline.build import build
    from pipeline.checking import default_workbooks

    count = MIN_ITEMS + 2
    cluster_workbooks(tmp_path / "inputs", count)
    monkeypatch.setenv("THIDUA_WORKERS", workers)
    log = _Log()
    build(default_workbooks(tmp_path / "inputs"), tmp_path / "out", echo=log.write, progress=log)  # type: ignore[arg-type]
    first_written = next(i for i, line in enumerate(log.lines) if "cum-thi-dua-so-1-" in line)
    last_taken = log.lines.index(
        f"[{count}/{count}] cum-{count}.xlsx: đọc, kiểm tra và lập văn bản"
    )
    assert first_written < last_taken


def test_ctrl_c_in_a_batch_on_the_pool_stops_it_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while the pool's workers are busy: the build stops (exit 1, the Vietnamese line,
    no traceback), and the folder it was about to write is left unwritten."""
    import signal

    from folder_work import paused

    from pipeline.cli import INTERRUPTED

    cluster_workbooks(tmp_path / "inputs", MIN_ITEMS + 2)
    monkeypatch.setenv("THIDUA_WORKERS", "2")
    with paused(tmp_path, "build-rendered", "build") as process:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    assert process.returncode == 1, err.decode()
    assert INTERRUPTED in err.decode() and "Traceback" not in err.decode()
    assert not list(tmp_path.glob("outputs/**/*.docx"))


def test_a_worker_that_did_not_inherit_the_plan_makes_it_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker started afresh (Windows, macOS) has no plan of the run: it compiles the
    templates again from their files and renders the same documents; a template broken since
    the run started makes that workbook's outcome, not a crash."""
    import shutil

    from pipeline.build import Rendered, RunPlan, _render_job, render_workbook
    from pipeline.documents.templates import compile_templates, find_templates
    from pipeline.resources import bundled_templates_dir

    cluster_workbooks(tmp_path / "inputs", 1)
    workbook = tmp_path / "inputs" / "cum-01.xlsx"
    templates = tmp_path / "mau"
    shutil.copytree(bundled_templates_dir(), templates)
    compiled, _ = compile_templates(find_templates(templates))
    plan = RunPlan.make(
        tmp_path / "out", compiled, force=False, allow_external=False, tracked=False
    )
    inherited = render_workbook(workbook, plan)
    assert build_module._RUN_PLANS == {}
    again = _render_job((workbook, plan.key))
    assert isinstance(inherited, Rendered) and isinstance(again, Rendered)
    assert again.documents == inherited.documents and again.changes == inherited.changes
    build_module._RUN_PLANS.clear()
    first = sorted(templates.glob("*.docx"))[0]
    first.write_bytes(b"PK not a template any more")
    broken = _render_job((workbook, plan.key))
    build_module._RUN_PLANS.clear()
    assert isinstance(broken, build_module.Outcome) and not broken.built
    assert any(first.name in str(p) for p in broken.problems)


def _workers_here(n: int) -> int:
    return workers_for(100)


def test_a_worker_starts_no_pool_of_its_own(two_workers: None) -> None:
    assert workers_for(100) == 2
    assert set(map_in_processes(_workers_here, list(range(20)))) == {1}


def test_each_result_is_handed_on_in_order_as_it_arrives(two_workers: None) -> None:
    seen: list[tuple[int, int]] = []
    results = map_in_processes(
        _fails_on_seven, list(range(8, 30)), each=lambda n, r: seen.append((n, r))
    )
    assert seen == list(enumerate(results, 1)) and results == list(range(8, 30))


def _dies_late_in_a_worker(n: int) -> int:
    if n == 30 and multiprocessing.parent_process() is not None:
        os._exit(3)
    return -n


def test_a_pool_broken_midway_gives_each_result_once(two_workers: None) -> None:
    """The results the pool gave before it broke are not given again by the fallback."""
    assert map_in_processes(_dies_late_in_a_worker, list(range(40))) == [-n for n in range(40)]
