"""Issue 8 on a real disk: every file in an output folder is current, complete and never silently
lost. Each test builds the sample with the real command line and looks at the files themselves.

The SMB share (Word holding a file, a kill on the share) is in tests/test_commit_smb.py; kills
and Ctrl-C at the commit's pause points in tests/test_commit_kill.py.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from docx import Document
from folder_work import (
    CORRECTION,
    DOCUMENTS,
    MANIFEST,
    RELATIVE,
    SAMPLE,
    SNAPSHOT,
    correct,
    leftovers,
    make_workdir,
    manifest,
    must,
    run,
    sha256,
    status_count,
    tree,
    visible,
    write_sample,
)

#: Folder names stay short: the share-relative path must fit Windows' 260 characters.
FOLDER_NAME_MAX = 60


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A working folder with the sample workbook, built once."""
    top = make_workdir(tmp_path / "work")
    must(top, "build")
    return top


def folder_of(work: Path) -> Path:
    return work / RELATIVE


def document_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return " ".join(done.stdout.decode("utf-8").split())


# --- stale PDFs ----------------------------------------------------------------------------------


@pytest.mark.libreoffice
def test_a_pdf_is_tied_to_the_exact_docx_it_was_made_from(tmp_path: Path) -> None:
    """Build --pdf, correct the workbook, build without --pdf, then build --pdf: the report's
    PDF shows the correction (today: the old PDF is kept and recorded as valid forever)."""
    if shutil.which("soffice") is None and not os.environ.get("THIDUA_REQUIRE_LIBREOFFICE"):
        pytest.skip("LibreOffice (soffice) is not installed")
    work = make_workdir(tmp_path / "work")
    must(work, "build", "--pdf")
    folder = folder_of(work)
    old_pdf = (folder / "01-bao-cao-tong-ket.pdf").read_bytes()
    correct(work)

    out = must(work, "build")
    # The old PDF no longer matches its document: it leaves the folder, into the history.
    assert not (folder / "01-bao-cao-tong-ket.pdf").exists(), out
    assert "01-bao-cao-tong-ket.pdf được lập từ bản cũ" in out
    assert (folder / ".lich-su/0002/01-bao-cao-tong-ket.pdf").read_bytes() == old_pdf
    records = {r["path"]: r for r in manifest(folder)["outputs"]}
    assert "01-bao-cao-tong-ket.pdf" not in records
    for name in DOCUMENTS[1:]:  # unchanged documents keep their PDFs, tied to their bytes
        pdf = records[name.replace(".docx", ".pdf")]
        assert pdf["source"] == name
        assert pdf["source_sha256"] == sha256((folder / name).read_bytes())

    for args in (("build", "--pdf"), ("build", "--pdf", "--force")):
        must(work, *args)
        text = pdf_text(folder / "01-bao-cao-tong-ket.pdf")
        assert " ".join(CORRECTION.split()) in text, args
        for record in manifest(folder)["outputs"]:
            if record["path"].endswith(".pdf"):
                source = (folder / record["source"]).read_bytes()
                assert record["source_sha256"] == sha256(source), (args, record["path"])
                assert record["sha256"] == sha256((folder / record["path"]).read_bytes())


# --- whose folder ------------------------------------------------------------------------------

LONG = "Cụm thi đua các cơ quan tham mưu, giúp việc Tỉnh ủy và các cơ quan Mặt trận Tổ quốc"


def test_clusters_whose_names_begin_alike_get_folders_of_their_own(tmp_path: Path) -> None:
    """Two cluster names sharing their first 60 folded characters, built in separate runs: each
    keeps its own documents (today they shared one folder and the second replaced the first)."""
    work = tmp_path / "work"
    (work / "inputs").mkdir(parents=True)
    names = {"a.xlsx": f"{LONG} số 1", "b.xlsx": f"{LONG} số 2"}
    for file, cluster in names.items():
        write_sample(work / "inputs" / file, cluster=cluster)
    for file in names:
        must(work, "build", f"inputs/{file}")
    folders = sorted((work / "outputs" / "2013").iterdir())
    assert len(folders) == 2
    for folder in folders:
        assert len(folder.name) <= FOLDER_NAME_MAX
        owner = manifest(folder)["owner"]
        assert owner["cluster"] == names[owner["workbook"]["name"]]
        text = " ".join(document_text(folder / DOCUMENTS[0]).split())
        assert owner["cluster"] in text


def test_a_build_for_another_clusters_folder_is_refused(tmp_path: Path) -> None:
    """Two clusters whose names fold to the same folder name: the second is refused, by name,
    and the first one's folder is left exactly as it was."""
    work = tmp_path / "work"
    (work / "inputs").mkdir(parents=True)
    write_sample(work / "inputs" / "ba-be.xlsx", cluster="Cụm thi đua huyện Ba Bể")
    write_sample(work / "inputs" / "ba-be-2.xlsx", cluster="Cụm thi đua huyện Bà Bé")
    must(work, "build", "inputs/ba-be.xlsx")
    before = tree(work / "outputs")
    code, out, err = run(work, "build", "inputs/ba-be-2.xlsx")
    assert code == 1, out
    assert "là của «Cụm thi đua huyện Ba Bể»" in err and "-o THU_MUC_KHAC" in err
    assert "Traceback" not in err
    assert tree(work / "outputs") == before


def test_two_workbooks_of_one_cluster_year_built_one_by_one(tmp_path: Path) -> None:
    """The second workbook of a cluster-year is refused while the first is still there; the
    hint (move the old one out) then works, and the build says which workbook it now uses."""
    work = make_workdir(tmp_path / "work")
    shutil.copy(work / "inputs" / SAMPLE, work / "inputs" / "ban-sua.xlsx")
    write_sample(work / "inputs" / "ban-sua.xlsx", report=CORRECTION)
    must(work, "build", f"inputs/{SAMPLE}")
    folder = folder_of(work)
    before = tree(folder)
    code, _, err = run(work, "build", "inputs/ban-sua.xlsx")
    assert code == 1
    assert f"đã được lập từ workbook {SAMPLE}" in err and "ghi đè" in err
    assert f"chuyển {SAMPLE} ra khỏi thư mục của nó" in err
    assert tree(folder) == before
    # Follow the hint: the old workbook leaves inputs/, the corrected one replaces it.
    (work / "cu").mkdir()
    shutil.move(work / "inputs" / SAMPLE, work / "cu" / SAMPLE)
    out = must(work, "build", "inputs/ban-sua.xlsx")
    assert f"trước đây lập từ workbook {SAMPLE}, nay lập từ ban-sua.xlsx" in out
    assert manifest(folder)["owner"]["workbook"]["name"] == "ban-sua.xlsx"
    assert CORRECTION in document_text(folder / DOCUMENTS[0])


def test_the_same_workbook_renamed_or_with_its_cluster_name_corrected_keeps_its_folder(
    work: Path,
) -> None:
    folder = folder_of(work)
    (work / "inputs" / SAMPLE).rename(work / "inputs" / "cum-2013-ban-sua.xlsx")
    out = must(work, "build")
    assert "nay lập từ cum-2013-ban-sua.xlsx" in out
    # The same workbook with its cluster name's accents corrected: same folder, a note.
    write_sample(
        work / "inputs" / "cum-2013-ban-sua.xlsx",
        cluster="Cum thi dua cac Ban Dang thuoc Tinh uy Lang Son",
    )
    out = must(work, "build")
    assert "tên cụm trong cum-2013-ban-sua.xlsx đã đổi" in out
    assert [p.name for p in (work / "outputs" / "2013").iterdir()] == [folder.name]


# --- obstacles -----------------------------------------------------------------------------------


def _year_is_a_file(work: Path) -> Path:
    shutil.rmtree(work / "outputs")
    (work / "outputs").mkdir()
    (work / "outputs" / "2013").write_bytes(b"not a folder")
    return work / "outputs" / "2013"


def _document_is_a_folder(work: Path) -> Path:
    path = folder_of(work) / DOCUMENTS[1]
    path.unlink()
    (path / "inside").mkdir(parents=True)
    return path


def _manifest_is_a_folder(work: Path) -> Path:
    path = folder_of(work) / MANIFEST
    path.unlink()
    path.mkdir()
    return path


@pytest.mark.parametrize("force", [False, True])
@pytest.mark.parametrize(
    "obstacle", [_year_is_a_file, _document_is_a_folder, _manifest_is_a_folder]
)
def test_an_obstacle_is_located_and_nothing_is_written(
    work: Path, obstacle: object, force: bool
) -> None:
    correct(work)  # every build below would change documents
    where = obstacle(work)  # type: ignore[operator]
    before = tree(work / "outputs")
    code, out, err = run(work, "build", *(["--force"] if force else []))
    assert code == 1, out
    assert where.as_posix().removeprefix(f"{work.as_posix()}/") in err
    assert "Traceback" not in err and "không tệp nào được ghi" in err
    assert tree(work / "outputs") == before


def test_two_templates_giving_one_output_name_are_refused_before_anything_is_written(
    work: Path,
) -> None:
    from pipeline.resources import bundled_templates_dir

    templates = work / "templates" / "docx"
    shutil.copytree(bundled_templates_dir(), templates)
    shutil.copy(templates / "01-bao-cao-tong-ket.docx", templates / "01 Báo cáo tổng kết.docx")
    correct(work)
    before = tree(work / "outputs")
    code, _, err = run(work, "build")
    assert code == 1
    assert "01 Báo cáo tổng kết.docx" in err and "01-bao-cao-tong-ket.docx" in err
    assert "cùng một tên văn bản" in err and "Traceback" not in err
    assert tree(work / "outputs") == before


def test_a_read_only_document_is_never_replaced(work: Path) -> None:
    """Some offices mark a signed document read-only: not even --force replaces it."""
    folder = folder_of(work)
    signed = folder / DOCUMENTS[1]
    os.chmod(signed, 0o444)
    write_sample(work / "inputs" / SAMPLE, parent="TỈNH ỦY LẠNG SƠN (SỬA)")  # all four change
    before = tree(work / "outputs")
    for args in (("build",), ("build", "--force")):
        code, _, err = run(work, *args)
        assert code == 1
        assert f"{DOCUMENTS[1]}: Tệp này được đặt chỉ đọc" in err, err
        assert tree(work / "outputs") == before
        assert leftovers(folder) == []


# --- symbolic links ------------------------------------------------------------------------------


def test_a_link_planted_at_the_manifest_never_makes_a_build_write_outside(work: Path) -> None:
    folder = folder_of(work)
    outside = work / "outside.json"
    outside.write_bytes((folder / MANIFEST).read_bytes())
    (folder / MANIFEST).unlink()
    os.symlink(outside, folder / MANIFEST)
    correct(work)
    kept = outside.read_bytes()
    code, out, err = run(work, "build")
    assert code == 0, err
    assert "manifest.json bị hỏng: là một liên kết" in out
    assert outside.read_bytes() == kept
    assert not (folder / MANIFEST).is_symlink() and manifest(folder)["build"] == 2
    assert os.path.islink(folder / ".lich-su/0002" / MANIFEST), "the link itself is kept"


def test_links_planted_while_a_build_writes_never_make_it_write_outside(work: Path) -> None:
    """A thread plants links, as fast as it can, at every name a build stages under (today's
    ``.<name>.<pid>.thidua-tmp`` and every file of a new staging folder): the build either
    writes the folder correctly or refuses with a message; the links' target never changes
    (today it received the manifest, and manifest.json became a link)."""
    folder = folder_of(work)
    outside = work / "outside.txt"
    outside.write_bytes(b"secret")
    correct(work)
    names = [p.name for p in folder.iterdir()]
    stop = threading.Event()

    def plant() -> None:
        while not stop.is_set():
            for name in names:
                with contextlib.suppress(OSError):
                    os.symlink(outside, folder / f".{name}.{os.getpid()}.thidua-tmp")
            for staging in folder.glob(".thidua-dang-ghi-*"):
                for index in range(12):
                    with contextlib.suppress(OSError):
                        os.symlink(outside, staging / str(index))

    planter = threading.Thread(target=plant)
    planter.start()
    try:
        code, _out, err = run(work, "build")
    finally:
        stop.set()
        planter.join()
    assert outside.read_bytes() == b"secret"
    assert not (folder / MANIFEST).is_symlink()
    assert "Traceback" not in err
    if code == 0:
        assert CORRECTION in document_text(folder / DOCUMENTS[0])
    else:
        assert "không tệp nào được ghi" in err, err
        assert CORRECTION not in document_text(folder / DOCUMENTS[0])
    # Once nobody plants anything, the next build removes what the race may have left.
    must(work, "build")
    assert CORRECTION in document_text(folder / DOCUMENTS[0])
    assert leftovers(folder) == []
    assert outside.read_bytes() == b"secret"


@pytest.mark.parametrize("name", [DOCUMENTS[2], ".lich-su", ".thidua-khoa.json"])
def test_a_link_at_a_name_thidua_writes_is_refused(work: Path, name: str) -> None:
    folder = folder_of(work)
    target = work / "outside"
    target.mkdir()
    (target / "x").write_bytes(b"secret")
    path = folder / name
    if path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)
    os.symlink(target, path)
    correct(work)
    before = tree(work / "outputs")
    code, _, err = run(work, "build", "--force")
    assert code == 1
    assert name in err and "Traceback" not in err
    assert tree(work / "outputs") == before
    assert tree(target) == {"x": b"secret"}


# --- damaged manifests ---------------------------------------------------------------------------


def _bom(path: Path) -> None:
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())


def _list_path(path: Path) -> None:
    data = json.loads(path.read_text("utf-8"))
    data["outputs"][0]["path"] = ["01-bao-cao-tong-ket.docx"]
    path.write_text(json.dumps(data), "utf-8")


def _nul_path(path: Path) -> None:
    data = json.loads(path.read_text("utf-8"))
    data["outputs"][1]["path"] = "02-bien-ban-hoi-nghi.docx\x00.txt"
    path.write_text(json.dumps(data), "utf-8")


def _escaping_path(path: Path) -> None:
    data = json.loads(path.read_text("utf-8"))
    data["outputs"][1]["path"] = "../../../../../../dev/zero"
    path.write_text(json.dumps(data), "utf-8")


def _fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def _dev_zero(path: Path) -> None:
    path.unlink()
    os.symlink("/dev/zero", path)


def _sparse_10_gb(path: Path) -> None:
    with open(path, "r+b") as handle:
        handle.truncate(10 * 1024**3)


@pytest.mark.parametrize(
    "damage", [_bom, _list_path, _nul_path, _escaping_path, _fifo, _dev_zero, _sparse_10_gb]
)
def test_a_damaged_manifest_is_one_warning_never_a_reason_to_call_documents_edited(
    work: Path, damage: object
) -> None:
    """Run as a child process with a time limit: today a FIFO or /dev/zero makes the build hang
    or run out of memory, and a BOM makes every unedited document "edited by hand"."""
    folder = folder_of(work)
    correct(work)
    old = visible(folder)
    damage(folder / MANIFEST)  # type: ignore[operator]
    from folder_work import run_child

    try:
        done = run_child(work, "build", timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail("the build hung on the damaged manifest")
    out, err = done.stdout.decode(), done.stderr.decode()
    assert done.returncode == 0, err
    assert "Traceback" not in err and "đã được sửa" not in err + out
    assert out.count("manifest.json bị hỏng") == 1, out
    assert CORRECTION in document_text(folder / DOCUMENTS[0])
    # nothing lost: the replaced report is in the history
    assert (folder / ".lich-su/0002" / DOCUMENTS[0]).read_bytes() == old[DOCUMENTS[0]]
    assert manifest(folder)["build"] == 2
    assert leftovers(folder) == []


# --- history, hand edits, partial builds (issue 10) ----------------------------------------------


def hand_edit(path: Path, text: str = "Ý kiến bổ sung do thư ký gõ thêm trong Word.") -> bytes:
    doc = Document(str(path))
    doc.add_paragraph(text)
    doc.save(str(path))
    return path.read_bytes()


def test_force_keeps_the_hand_edited_document_in_the_history_and_says_where(work: Path) -> None:
    folder = folder_of(work)
    edited = hand_edit(folder / DOCUMENTS[1])
    recorded = {r["path"]: r for r in manifest(folder)["outputs"]}[DOCUMENTS[1]]
    out = must(work, "build", "--force")
    kept = folder / ".lich-su/0002" / DOCUMENTS[1]
    assert kept.read_bytes() == edited
    assert f"Bản đã sửa tay của {DOCUMENTS[1]} được cất ở {RELATIVE}/.lich-su/0002/" in out
    record = json.loads((folder / ".lich-su/0002/lan-lap.json").read_text("utf-8"))
    (entry,) = [k for k in record["kept"] if k["path"] == DOCUMENTS[1]]
    assert entry == {
        "path": DOCUMENTS[1],
        "sha256": sha256(edited),
        "size": len(edited),
        "state": "edited",
        "reason": "replaced",
        "record": recorded,
    }


def test_every_replaced_file_is_in_the_history_and_restores_byte_for_byte(work: Path) -> None:
    folder = folder_of(work)
    first = visible(folder)
    correct(work)
    must(work, "build")
    second = visible(folder)
    assert second[DOCUMENTS[0]] != first[DOCUMENTS[0]]
    assert (folder / ".lich-su/0002" / DOCUMENTS[0]).read_bytes() == first[DOCUMENTS[0]]
    assert (folder / ".lich-su/0002" / MANIFEST).read_bytes() == first[MANIFEST]

    out = must(work, "khoi-phuc", f"{RELATIVE}/{DOCUMENTS[0]}", "--lan", "2")
    assert (folder / DOCUMENTS[0]).read_bytes() == first[DOCUMENTS[0]]
    # restoring is a commit like any other: the current version went to the history first
    assert (folder / ".lich-su/0003" / DOCUMENTS[0]).read_bytes() == second[DOCUMENTS[0]]
    assert "Đã khôi phục" in out and manifest(folder)["build"] == 3
    # and it can be undone the same way, byte for byte
    must(work, "restore", f"{RELATIVE}/.lich-su/0003/{DOCUMENTS[0]}")
    assert (folder / DOCUMENTS[0]).read_bytes() == second[DOCUMENTS[0]]
    # the restored document is thidua's again: the next build leaves it as it is
    out = must(work, "build")
    assert status_count(out, "không đổi") == 6  # 4 documents, the snapshot, the manifest
    assert leftovers(folder) == []


def test_a_restored_hand_edit_is_still_a_hand_edit(work: Path) -> None:
    folder = folder_of(work)
    edited = hand_edit(folder / DOCUMENTS[1])
    must(work, "build", "--force")
    must(work, "khoi-phuc", f"{RELATIVE}/{DOCUMENTS[1]}")
    assert (folder / DOCUMENTS[1]).read_bytes() == edited
    code, _, err = run(work, "build")
    assert code == 1 and "đã được sửa sau lần lập trước" in err


def test_history_lists_builds_and_kept_files(work: Path) -> None:
    folder = folder_of(work)
    hand_edit(folder / DOCUMENTS[1])
    must(work, "build", "--force")
    correct(work)
    must(work, "build")
    for args in (("lich-su",), ("history", RELATIVE), ("lich-su", f"inputs/{SAMPLE}")):
        out = must(work, *args)
        lines = out.splitlines()
        assert lines[0] == f"{RELATIVE}/"
        starts = [line.strip().split(" · ")[0] for line in lines if "Lần lập" in line]
        assert starts == ["Lần lập 3", "Lần lập 2", "Lần lập 1"], out
        assert (
            f"đã cất   {DOCUMENTS[1]} (bản đã sửa tay sau lần lập 1) → .lich-su/0002/"
            f"{DOCUMENTS[1]}" in out
        )
        assert f"đã cất   {DOCUMENTS[0]} (bản của lần lập 1)" in out
        assert "thidua build --force" in out


def test_the_hand_edit_message_gives_advice_that_works(work: Path) -> None:
    """Each way out the message offers, followed literally (today: "copy the file elsewhere,
    then run again" fails again, because the edited file is still there)."""
    folder = folder_of(work)
    edited = hand_edit(folder / DOCUMENTS[1])
    code, _, err = run(work, "build")
    assert code == 1
    assert "--force" in err and "thidua khoi-phuc" in err
    renamed = "02-bien-ban-hoi-nghi-da-sua.docx"
    assert f"đổi tên nó (ví dụ {renamed})" in err

    # (2) rename the edited file: the build makes a new document beside it and keeps it
    try_rename = work.parent / "rename"
    shutil.copytree(work, try_rename)
    (try_rename / RELATIVE / DOCUMENTS[1]).rename(try_rename / RELATIVE / renamed)
    must(try_rename, "build")
    assert (try_rename / RELATIVE / renamed).read_bytes() == edited
    assert (try_rename / RELATIVE / DOCUMENTS[1]).read_bytes() != edited

    # (1) --force: the edited copy is kept, and khoi-phuc brings it back
    must(work, "build", "--force")
    assert (folder / DOCUMENTS[1]).read_bytes() != edited
    must(work, "khoi-phuc", f"{RELATIVE}/{DOCUMENTS[1]}")
    assert (folder / DOCUMENTS[1]).read_bytes() == edited


def test_a_partial_build_keeps_the_records_of_the_other_documents(work: Path) -> None:
    """Today the edited minutes' record vanished after --only danh-sach, so the manifest no
    longer said what thidua had written there."""
    folder = folder_of(work)
    complete = {r["path"]: r for r in manifest(folder)["outputs"]}
    hand_edit(folder / DOCUMENTS[1])
    write_sample(work / "inputs" / SAMPLE, parent="TỈNH ỦY LẠNG SƠN (SỬA)")
    must(work, "build", "--only", "danh-sach")
    records = {r["path"]: r for r in manifest(folder)["outputs"]}
    assert set(records) == set(DOCUMENTS)
    for name in DOCUMENTS[:3]:
        assert records[name] == complete[name], name
    assert records[DOCUMENTS[3]]["build"] == 2
    code, _, err = run(work, "build")  # the minutes are still known as edited
    assert code == 1 and DOCUMENTS[1] in err and "đã được sửa" in err


def test_two_builds_write_nothing_the_second_time(work: Path) -> None:
    folder = folder_of(work)
    before = tree(folder)
    times = {p: p.stat().st_mtime_ns for p in folder.rglob("*")}
    out = must(work, "build")
    assert status_count(out, "không đổi") == 6  # 4 documents, the snapshot, the manifest
    assert tree(folder) == before
    assert {p: p.stat().st_mtime_ns for p in folder.rglob("*")} == times


def test_the_manifest_records_the_owner_the_build_and_each_output(work: Path) -> None:
    folder = folder_of(work)
    data = manifest(folder)
    assert data["format"] == 2 and data["build"] == 1
    assert data["owner"] == {
        "cluster": "Cụm thi đua các Ban Đảng thuộc Tỉnh ủy Lạng Sơn",
        "year": 2013,
        "workbook": {"name": SAMPLE, "location": f"../../../inputs/{SAMPLE}"},
    }
    for record in data["outputs"]:
        body = (folder / record["path"]).read_bytes()
        assert record == {
            "path": record["path"],
            "sha256": sha256(body),
            "size": len(body),
            "build": 1,
        }
    # and the snapshot of the printed facts, thidua's account of the build (not an output)
    assert sorted(visible(folder)) == sorted([*DOCUMENTS, MANIFEST, SNAPSHOT])
    assert sorted(p.name for p in (folder / ".lich-su").iterdir()) == ["0001"]
