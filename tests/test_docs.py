"""The README and the reference pages stay true to the code."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.vi import FILTERS

ROOT = Path(__file__).resolve().parents[1]


def table_names(markdown: str, header: str) -> list[str]:
    """The back-quoted names in the first column of the table starting with ``header``."""
    lines = markdown.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header))
    names = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        names.append(re.findall(r"`([^`]+)`", line.split("|")[1])[0])
    return names


def test_readme_and_filters_page_document_every_filter() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    page = (ROOT / "docs" / "filters.md").read_text("utf-8")
    assert table_names(readme, "| Filter") == list(FILTERS)
    assert table_names(page, "| Filter") == list(FILTERS)


def test_readme_first_screen_has_exactly_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    first_screen = readme.split("---", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", first_screen, flags=re.DOTALL)
    assert len(blocks) == 2
    install_and_build, install_and_test = (b.strip() for b in blocks)
    assert install_and_build.endswith("pip install . && thidua build")
    assert install_and_test.endswith("pip install -e '.[test]' && pytest")
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert install_and_test.replace("pip install", "pip install -q") in ci


def test_readme_commands_exist() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    code = "\n".join(re.findall(r"```sh\n(.*?)```", readme, flags=re.DOTALL))
    used = set(re.findall(r"\bthidua (\w+)", code))
    assert used >= {"init", "check", "build", "templates"}
    help_text = CliRunner().invoke(cli, ["--help"]).stdout
    for command in used:
        assert re.search(rf"^\s+{command}\b", help_text, flags=re.MULTILINE), command
    for option in ("--only", "--pdf", "-o"):
        assert option in CliRunner().invoke(cli, ["build", "--help"]).stdout


def test_readme_documents_the_exit_codes_the_help_gives() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    documented = re.findall(r"\*\*(\d)\*\* ([^;.]+)", readme.split("Exit codes", 1)[1])
    assert [code for code, _ in documented] == ["0", "1", "2"]
    help_text = " ".join(CliRunner().invoke(cli, ["--help"]).stdout.split())
    assert "Mã thoát: 0 xong, không có lỗi; 1 có lỗi" in help_text
    assert "2 gõ lệnh sai" in help_text


def test_readme_has_a_windows_section() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("\n## Windows\n", 1)[1].split("\n## ", 1)[0]
    for needed in ("py -m venv", "activate.bat", "Activate.ps1", '"D:\\Thi dua', "Word"):
        assert needed in section, needed


#: English words that have no place in a Vietnamese page once code, tags and quotes are removed.
ENGLISH = re.compile(
    r"\b(?:the|and|of|is|are|with|when|every|which|or|for|from|by|its|not|if|else|none"
    r"|name|title|unit|units|record|records|list|text|default|still|English)\b",
    re.IGNORECASE,
)
_CODE = re.compile(r"```.*?```|`[^`]*`|\[[^\]]*\]\([^)]*\)|\"[^\"]*\"", re.S)


def test_the_template_guide_speaks_vietnamese_to_the_secretary() -> None:
    """docs/templates.md, how a secretary edits a template safely, was in English: its prose
    (everything but the code and the tags) is Vietnamese, and so is the variables' reference
    table: its header and the meaning and example of every variable (the names are code; the
    types are a closed Vietnamese vocabulary, checked against the context in
    test_context_docs)."""
    page = (ROOT / "docs" / "templates.md").read_text("utf-8")
    head, rest = page.split("<!-- bien:bat-dau -->")
    table, tail = rest.split("<!-- bien:ket-thuc -->")
    prose = _CODE.sub(" ", head + tail)
    assert ENGLISH.findall(prose) == []
    assert "## Sửa mẫu bằng Word cho an toàn" in page
    rows = [line for line in table.strip().splitlines() if not line.startswith("|---")]
    assert rows[0] == "| Tên | Kiểu | Ý nghĩa | Ví dụ (workbook mẫu) |"
    english = {}
    for row in rows[1:]:
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", row)[1:-1]]
        assert len(cells) == 4, row
        words = ENGLISH.findall(_CODE.sub(" ", f"{cells[2]} {cells[3]}"))
        if words or re.search(r"\b(?:true|false)\b", cells[3]):
            english[cells[0]] = words or cells[3]
    assert english == {}, "the table still speaks English"
    assert len(rows) > 200


def test_architecture_page_names_every_module_and_only_real_ones() -> None:
    """docs/architecture.md names every module of pipeline/ (so a newcomer finds each room), and
    every module it names exists."""
    page = (ROOT / "docs" / "architecture.md").read_text("utf-8")
    package = ROOT / "pipeline"
    modules = {
        p.relative_to(package).with_suffix("").as_posix()
        for p in package.rglob("*.py")
        if p.name != "__init__.py" and "bundled" not in p.parts
    }
    packages = {p.parent.relative_to(package).as_posix() for p in package.rglob("__init__.py")}
    named = {n.rstrip("/") for n in re.findall(r"`([a-z_/]+?)(?:\.py)?`", page)}
    for module in sorted(modules):
        assert module in named or module.split("/")[-1] in named, module
    for package_name in sorted(packages - {"."}):
        assert package_name.split("/")[-1] in named or package_name in named, package_name
    for name in sorted(named):
        if "/" in name and not name.startswith(("tests", "templates", "docs", "scripts")):
            path = package / name.removeprefix("pipeline/")
            assert path.with_suffix(".py").is_file() or path.is_dir(), name


def test_the_output_folder_page_readme_and_help_agree() -> None:
    """docs/thu-muc-van-ban.md and the README name the history commands, their aliases work, and
    every message the page's table quotes is one the program really prints."""
    page = (ROOT / "docs" / "thu-muc-van-ban.md").read_text("utf-8")
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "docs/thu-muc-van-ban.md" in readme
    help_text = CliRunner().invoke(cli, ["--help"]).stdout
    for command, alias in (("lich-su", "history"), ("khoi-phuc", "restore")):
        assert f"thidua {command}" in page and f"thidua {command}" in readme
        assert f"thidua {alias}" in page
        assert re.search(rf"^\s+{command}\s", help_text, flags=re.MULTILINE), command
        alias_help = CliRunner().invoke(cli, [alias, "--help"])
        assert alias_help.exit_code == 0 and f"({alias})" in alias_help.stdout
    assert "--lan" in page and "--lan" in CliRunner().invoke(cli, ["khoi-phuc", "--help"]).stdout
    sources = "\n".join(p.read_text("utf-8") for p in (ROOT / "pipeline").rglob("*.py"))
    sources = re.sub(r'"\s*\n\s*f?"', "", sources)  # adjacent string literals, joined
    table = page.split("## 6.", 1)[1]
    quoted = re.findall(r"^\| `([^`]+)`", table, flags=re.MULTILINE)
    quoted += re.findall(r"^\| `[^`]+` / `([^`]+)`", table, flags=re.MULTILINE)
    assert len(quoted) >= 8
    for message in quoted:
        for piece in filter(None, (p.strip(" .") for p in message.split("…"))):
            assert piece in sources, f"the page quotes {message!r}, the program never prints it"
