"""The shape of the package: imports run one way, stage after stage; no module grows too big.

The data flows workbook → dossier → results → context → documents → files, and so do the
imports: ``errors``, ``vi`` → ``domain`` → ``workbook`` → ``documents`` → ``output`` → ``build`` →
``cli``. Every module of ``pipeline/`` is parsed with :mod:`ast` (nothing is imported), and every
import counts, including those inside functions (the command line imports its heavy modules
late, and a late import is still a dependency).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"

#: The stage of each top-level module or subpackage of ``pipeline``.
STAGE = {
    "errors": "errors",
    "vi": "vi",
    "opc": "opc",  # the OPC (zip) package writer shared by xlsx and docx: a base module
    "resources": "resources",  # where the bundled files are: a base module, no I/O
    "testhooks": "testhooks",  # pause points for tests that kill a process: a base module
    "caches": "caches",  # the user's cache folder (compiled templates, LibreOffice profiles)
    "domain": "domain",
    "workbook": "workbook",
    "documents": "documents",
    "output": "output",
    "build": "build",
    "checking": "build",  # `thidua check`, and a build's first step: read and validate
    "shipped_templates": "resources",  # digests of every template shipped: data, no imports
    "project": "build",  # `thidua init`, the working folder, `templates cap-nhat`
    "guide": "build",  # `thidua tai-lieu`: the shipped documentation, opened
    "review": "build",  # `thidua check`'s ranking, formatted from the template context
    "issuing": "build",  # `thidua ban-hanh`, `luu-tru`: sequence runs of their own
    "parallel": "build",  # the process pool over workbooks that build.py uses
    "regenerate": "build",  # the change report of a build: snapshots, comparison, copies
    "restoring": "build",  # `thidua lich-su`, `khoi-phuc`: sequence runs of their own
    "cli": "cli",
    "translations": "cli",  # Click's own strings in Vietnamese
    "_entry": "cli",
    "_help": "cli",
    "__main__": "cli",
}
EVERY_STAGE = {"root", *STAGE.values()}

#: What each stage may import (``root`` is ``pipeline/__init__.py``: the version).
ALLOWED: dict[str, set[str]] = {
    "root": set(),
    "errors": set(),
    "vi": {"vi"},
    "opc": {"errors", "opc"},
    "resources": set(),
    "testhooks": set(),
    "caches": set(),
    "domain": {"errors", "vi", "domain"},
    "workbook": {"errors", "vi", "domain", "workbook", "opc"},
    "documents": {"errors", "vi", "domain", "documents", "opc", "resources", "caches"},
    "output": {"errors", "vi", "output", "opc", "testhooks", "caches"},
    "build": EVERY_STAGE - {"cli"},
    "cli": EVERY_STAGE,
}

#: The most lines a module may have: about 600 (issue 7), a little slack for docstrings.
MAX_LINES = 620
#: Modules that are declarations (tables of sheets, columns, sample rows), allowed to be longer.
DECLARATIVE = {"workbook/schema.py", "workbook/sample.py"}
#: Modules over the limit that are being split in a parallel branch (issue 7). Each entry must
#: still be over the limit: once its split is merged, the test below asks to remove it.
PENDING_SPLIT: set[str] = set()

#: Only the xlsx boundary knows openpyxl.
OPENPYXL_HOME = ("workbook/xlsx_read.py", "workbook/xlsx_write.py")


def module_name(path: Path, root: Path) -> str:
    """``pipeline.domain.rules`` for ``pipeline/domain/rules/__init__.py``."""
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, root: Path) -> set[str]:
    """Every module ``path`` imports anywhere (top level, functions, ``if`` blocks), absolute;
    ``from a import b`` counts ``a.b`` when it is a module of the tree, else ``a``."""
    module = module_name(path, root)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            submodules = {f"{source}.{a.name}" for a in node.names}
            submodules = {name for name in submodules if is_module(name, root)}
            found |= submodules
            if len(submodules) < len(node.names):  # names defined in ``source`` itself
                found.add(source)
    return found


def is_module(name: str, root: Path) -> bool:
    path = root.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def stage_of(module: str) -> str | None:
    """The stage of a module of the package; ``None`` for a top-level name without a stage."""
    parts = module.split(".")
    return "root" if len(parts) == 1 else STAGE.get(parts[1])


def modules(root: Path) -> list[Path]:
    return sorted(root.rglob("*.py"))


def violations(root: Path) -> list[str]:
    """Every import of the tree at ``root`` that goes against :data:`ALLOWED`, and every module
    without a stage."""
    found: list[str] = []
    top = root.name
    for path in modules(root):
        module = module_name(path, root)
        stage = stage_of(module)
        if stage is None:
            found.append(f"{module}: no stage; add it to STAGE in tests/test_architecture.py")
            continue
        for target in sorted(imported_modules(path, root)):
            if target != top and not target.startswith(top + "."):
                continue  # the standard library or a third-party package
            target_stage = stage_of(target)
            if target_stage not in ALLOWED[stage]:
                found.append(f"{module} ({stage}) imports {target} ({target_stage})")
    return found


# --- the package --------------------------------------------------------------------------------


def test_imports_run_one_way_stage_after_stage() -> None:
    assert violations(PACKAGE) == []


def test_no_module_is_too_long() -> None:
    long = {
        path.relative_to(PACKAGE).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in modules(PACKAGE)
    }
    too_long = {
        name: n
        for name, n in long.items()
        if n > MAX_LINES and name not in DECLARATIVE | PENDING_SPLIT
    }
    assert too_long == {}, f"split these modules (at most {MAX_LINES} lines each)"
    stale = {name for name in PENDING_SPLIT if long.get(name, 0) <= MAX_LINES}
    assert stale == set(), "split done: remove these from PENDING_SPLIT"


def test_openpyxl_is_imported_only_by_the_workbook_stage() -> None:
    importers = [
        path.relative_to(PACKAGE).as_posix()
        for path in modules(PACKAGE)
        if any(m.split(".")[0] == "openpyxl" for m in imported_modules(path, PACKAGE))
    ]
    assert importers, "openpyxl is read somewhere: the check below must see it"
    assert [m for m in importers if not m.startswith(OPENPYXL_HOME)] == []


# --- the checker itself, on a small tree --------------------------------------------------------


def write_tree(root: Path, files: dict[str, str]) -> Path:
    package = root / "pipeline"
    for name, text in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return package


GOOD = {
    "__init__.py": "",
    "errors.py": "import json\n",
    "vi/__init__.py": "from pipeline.vi.text import noi\n",
    "vi/text.py": "def noi(): ...\n",
    "domain/__init__.py": "",
    "domain/model.py": "from pipeline.errors import Location\nfrom pipeline import vi\n",
    "documents/__init__.py": "",
    "documents/context.py": "from . import sentences\nfrom ..domain import model\n",
    "documents/sentences.py": "",
    "cli.py": "from pipeline import __version__\nfrom pipeline.documents import context\n",
}


def test_the_checker_accepts_a_tree_that_follows_the_stages(tmp_path: Path) -> None:
    assert violations(write_tree(tmp_path, GOOD)) == []


@pytest.mark.parametrize(
    ("module", "text", "expected"),
    [
        (
            "domain/model.py",
            "def late():\n    from pipeline.documents.context import x\n",
            "pipeline.domain.model (domain) imports pipeline.documents.context (documents)",
        ),
        (
            "domain/model.py",
            "from pipeline import cli\n",
            "pipeline.domain.model (domain) imports pipeline.cli (cli)",
        ),
        (
            "documents/context.py",
            "from ..workbook import loader\n",
            "pipeline.documents.context (documents) imports pipeline.workbook (workbook)",
        ),
        (
            "vi/text.py",
            "import pipeline.errors\n",
            "pipeline.vi.text (vi) imports pipeline.errors (errors)",
        ),
        (
            "helpers.py",
            "",
            "pipeline.helpers: no stage; add it to STAGE in tests/test_architecture.py",
        ),
    ],
)
def test_the_checker_finds_an_import_against_the_flow(
    tmp_path: Path, module: str, text: str, expected: str
) -> None:
    root = write_tree(tmp_path, {**GOOD, module: text})
    [found] = violations(root)
    assert found == expected
