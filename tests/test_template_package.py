"""What is in the templates folder is refused unless it is a Word document without links out
(issue 9).

- A workbook renamed ``.docx`` was "rendered" (its parts copied into a "document"); a ``.docm``
  or a ``.dotx`` would be too. They are refused, located, from the package's content types.
- A FIFO named ``*.docx`` blocked the build for ever; a link to ``/dev/zero`` filled the memory.
  What is not a regular file is refused before it is opened (subprocess, killed after 60 s).
- External relationships (a linked picture, a ``file:///`` hyperlink, an attached template on a
  UNC share in ``settings.xml.rels``) and fetching fields (``INCLUDEPICTURE``) were copied into
  every document, and Word fetches them when the document is opened. They are errors in
  ``templates check`` and in the build unless ``--cho-phep-lien-ket-ngoai``
  (``--allow-external``) is given; a web hyperlink is a warning.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from template_files import MINUTES, SAMPLE, bundled, run_thidua, with_members, working_folder

from pipeline.cli import cli
from pipeline.resources import bundled_inputs_dir

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_DOCUMENT_RELS = "word/_rels/document.xml.rels"


def invoke(folder: Path, *args: str) -> tuple[int, str, str]:
    old = Path.cwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(cli, list(args))
    finally:
        os.chdir(old)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def member(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")


def with_relationship(data: bytes, rels: str, rel_id: str, kind: str, target: str) -> bytes:
    """``data`` with an external relationship added to the ``rels`` part (created if absent)."""
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    xml = (
        member(data, rels)
        if rels in names
        else '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
        '"http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>'
    )
    rel = (
        f'<Relationship Id="{rel_id}" Type="{_REL}{kind}" Target="{target}" '
        'TargetMode="External"/>'
    )
    return with_members(data, {rels: xml.replace("</Relationships>", rel + "</Relationships>")})


def with_body_paragraph(data: bytes, paragraph: str) -> bytes:
    xml = member(data, "word/document.xml")
    at = xml.rindex("<w:sectPr")
    return with_members(data, {"word/document.xml": (xml[:at] + paragraph + xml[at:]).encode()})


def linked_picture() -> bytes:
    """The minutes with a picture inserted with "Link to File" from a web server."""
    data = with_relationship(bundled(), _DOCUMENT_RELS, "rIdAnh", "image",
                             "http://may-chu.example/logo.png")  # fmt: skip
    return with_body_paragraph(
        data,
        '<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/'
        '2006/wordprocessingDrawing"><wp:extent cx="9525" cy="9525"/><wp:docPr id="900" '
        'name="Logo"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic '
        'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr>'
        '<pic:cNvPr id="900" name="Logo"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip '
        'r:link="rIdAnh"/></pic:blipFill><pic:spPr/></pic:pic></a:graphicData></a:graphic>'
        "</wp:inline></w:drawing></w:r></w:p>",
    )


def hyperlink(target: str) -> bytes:
    data = with_relationship(bundled(), _DOCUMENT_RELS, "rIdLk", "hyperlink", target)
    return with_body_paragraph(
        data, '<w:p><w:hyperlink r:id="rIdLk"><w:r><w:t>Hồ sơ cụm</w:t></w:r></w:hyperlink></w:p>'
    )


def attached_template() -> bytes:
    """The minutes attached to a template on a share (Developer › Document Template)."""
    data = bundled()
    settings = member(data, "word/settings.xml").replace(
        '<w:zoom w:val="bestFit"/>', '<w:zoom w:val="bestFit"/><w:attachedTemplate r:id="rIdMau"/>'
    )
    data = with_members(data, {"word/settings.xml": settings.encode()})
    data = with_relationship(data, "word/_rels/settings.xml.rels", "rIdMau", "attachedTemplate",
                             "file:///\\\\may-chu\\mau\\Normal.dotm")  # fmt: skip
    rels = member(data, _DOCUMENT_RELS)
    assert "settings.xml" in rels
    return data


def include_picture_field() -> bytes:
    """The minutes with an INCLUDEPICTURE field, its code split across two runs as Word does."""
    run = '<w:r><w:instrText xml:space="preserve">{}</w:instrText></w:r>'
    return with_body_paragraph(
        bundled(),
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        + run.format(" INCLUDEPIC")
        + run.format('TURE "http://may-chu.example/a.png" \\d ')
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>ảnh</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',
    )


LINKS = {
    "field": (
        include_picture_field,
        "trường INCLUDEPICTURE",
        '"http://may-chu.example/a.png" \\d',
    ),
    "picture": (linked_picture, "ảnh liên kết (Link to File)", "http://may-chu.example/logo.png"),
    "file-hyperlink": (
        lambda: hyperlink("file:///C:/Users/van-thu/ho-so.docx"),
        "siêu liên kết",
        "file:///C:/Users/van-thu/ho-so.docx",
    ),
    "unc-hyperlink": (
        lambda: hyperlink("\\\\may-chu\\chia-se"),
        "siêu liên kết",
        "\\\\may-chu\\chia-se",
    ),
    "attached-template": (
        attached_template,
        "mẫu đính kèm (attached template)",
        "file:///\\\\may-chu\\mau\\Normal.dotm",
    ),
}


@pytest.mark.parametrize("case", sorted(LINKS))
def test_an_external_link_is_refused_unless_allowed(tmp_path: Path, case: str) -> None:
    make, kind, target = LINKS[case]
    folder = working_folder(tmp_path, {MINUTES: make()})
    message = f"Mẫu có {kind} trỏ ra ngoài: Word sẽ tải nó"
    for command in (("templates", "check"), ("build",)):
        code, _, err = invoke(folder, *command)
        assert code == 1, (command, err)
        (line,) = [line for line in err.splitlines() if message in line]
        assert f"{MINUTES} › " in line and f": {target}: " in line, line
        assert "--cho-phep-lien-ket-ngoai" in line
        assert "Traceback" not in err
    assert not (folder / "outputs").exists()
    for option in ("--cho-phep-lien-ket-ngoai", "--allow-external"):
        code, out, err = invoke(folder, "build", option)
        assert code == 0, err
        assert f"Cảnh báo: {MINUTES} › " in out and "(đã cho phép)" in out
    code, out, _ = invoke(folder, "templates", "check", "--allow-external")
    assert code == 0 and "Các mẫu hợp lệ." in out and "(đã cho phép)" in out


def test_build_called_from_python_refuses_an_external_link_too(tmp_path: Path) -> None:
    """``pipeline.build.build`` without options refuses what ``thidua build`` refuses."""
    from pipeline.build import build
    from pipeline.errors import ThiduaError

    folder = working_folder(tmp_path, {MINUTES: linked_picture()})
    with pytest.raises(ThiduaError) as refused:
        build([folder / "inputs" / SAMPLE], folder / "outputs",
              templates_dir=folder / "templates" / "docx", echo=lambda _: None)  # fmt: skip
    assert any("Link to File" in p.message for p in refused.value.problems)
    assert not (folder / "outputs").exists()


def test_a_web_hyperlink_is_a_warning(tmp_path: Path) -> None:
    folder = working_folder(tmp_path, {MINUTES: hyperlink("https://thiduakhenthuong.example.vn")})
    code, out, err = invoke(folder, "templates", "check")
    assert code == 0, err
    assert re.search(r"Cảnh báo: .*siêu liên kết ra ngoài", out)
    code, out, err = invoke(folder, "build")
    assert code == 0, err
    assert "https://thiduakhenthuong.example.vn" in out


def test_the_bundled_templates_have_no_external_link(tmp_path: Path) -> None:
    code, out, err = invoke(working_folder(tmp_path), "templates", "check")
    assert (code, err) == (0, "")
    assert "Cảnh báo" not in out and out.endswith("Các mẫu hợp lệ.\n")


# ---------------------------------------------------------------------------------------------
# Not a Word document


def _content_type(data: bytes, kind: str) -> bytes:
    types = member(data, "[Content_Types].xml").replace(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", kind
    )
    return with_members(data, {"[Content_Types].xml": types.encode()})


NOT_WORD = {
    "workbook": (
        lambda: (bundled_inputs_dir() / "cum-cac-ban-dang-lang-son-2013.xlsx").read_bytes(),
        "Tệp là một bảng tính Excel (.xlsx) đổi tên thành .docx",
    ),
    "macro": (
        lambda: _content_type(bundled(), "application/vnd.ms-word.document.macroEnabled.main+xml"),
        "Tệp là một tài liệu Word có macro (.docm)",
    ),
    "template": (
        lambda: _content_type(
            bundled(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
        ),
        "Tệp là một mẫu Word (.dotx)",
    ),
    "no-content-types": (
        lambda: with_members(bundled(), {"[Content_Types].xml": None}),
        "Tệp không có danh mục nội dung ([Content_Types].xml)",
    ),
}


@pytest.mark.parametrize("case", sorted(NOT_WORD))
def test_what_is_not_a_word_document_is_refused(tmp_path: Path, case: str) -> None:
    make, message = NOT_WORD[case]
    folder = working_folder(tmp_path, {"05-them.docx": make()})
    for command in (("templates", "check"), ("build",)):
        code, _, err = invoke(folder, *command)
        assert code == 1, (command, err)
        (line,) = [line for line in err.splitlines() if message in line]
        assert "05-them.docx" in line and "Word Document (.docx)" in line
    assert not (folder / "outputs").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and /dev/zero: POSIX only")
@pytest.mark.parametrize("case", ["fifo", "dev-zero", "folder", "dangling-link"])
def test_what_is_not_a_file_is_refused_without_blocking(tmp_path: Path, case: str) -> None:
    folder = working_folder(tmp_path)
    entry = folder / "templates" / "docx" / "05-la.docx"
    if case == "fifo":
        os.mkfifo(entry)
        message = "Không phải tệp Word mà là một đường ống (FIFO)"
    elif case == "dev-zero":
        entry.symlink_to("/dev/zero")
        message = "Không phải tệp Word mà là một thiết bị (như /dev/zero)"
    elif case == "folder":
        entry.mkdir()
        message = "Không phải tệp Word mà là một thư mục"
    else:
        entry.symlink_to(folder / "da-xoa.docx")
        message = "Không đọc được tệp mẫu"
    for command in (("templates", "check"), ("build",)):
        run = run_thidua(folder, *command, timeout=60)
        assert run.code == 1, (command, run)
        assert any(message in line and "05-la.docx" in line for line in run.stderr.splitlines())
        assert "Traceback" not in run.stderr
        if run.peak_mb is not None:
            assert run.peak_mb < 400, run.peak_mb
    assert not (folder / "outputs").exists()
    shutil.rmtree(folder / "templates")


def test_the_cli_documents_the_option() -> None:
    for command in (["build", "--help"], ["templates", "check", "--help"]):
        text = CliRunner().invoke(cli, command).stdout
        assert "--cho-phep-lien-ket-ngoai" in text and "--allow-external" in text
