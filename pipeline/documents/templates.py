"""Finding and checking the Word templates: the file-system side of the documents stage.

Reads folders and files (no writing): which ``*.docx`` templates a run uses
(:func:`resolve_templates_dir`, :func:`find_templates`) and what ``thidua templates check``
reports about them (:func:`check_templates`). Compiling and rendering a template is
:mod:`pipeline.documents.engine`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.documents.engine import Filters, inspect_template, make_environment
from pipeline.errors import Problem


@dataclass(frozen=True, slots=True)
class TemplatesReport:
    """What ``thidua templates check`` prints: all problems, and each template's variables."""

    problems: list[Problem]
    variables: dict[str, list[str]]


def find_templates(directory: Path) -> list[Path]:
    """The ``*.docx`` templates in ``directory``, sorted, without Word's ``~$`` lock files."""
    return sorted(p for p in directory.glob("*.docx") if not p.name.startswith("~$"))


def resolve_templates_dir(directory: Path | None) -> Path:
    """``directory`` if given; else ``templates/docx`` under the current directory if it holds
    templates; else the bundled templates (:func:`pipeline.resources.bundled_templates_dir`)."""
    if directory is not None:
        return directory
    local = Path("templates") / "docx"
    if find_templates(local):
        return local
    from pipeline.resources import bundled_templates_dir

    return bundled_templates_dir()


def check_templates(directory: Path, *, filters: Filters | None = None) -> TemplatesReport:
    """Compile every template in ``directory``: every problem of every file, and the sorted
    variables of each template (of the parts that could be read, even if others failed)."""
    paths = find_templates(directory)
    if not paths:
        problem = Problem(
            "error",
            "template-missing",
            f"Không có mẫu .docx nào trong thư mục {directory}",
            "Chỉ đúng thư mục mẫu, hoặc chạy «thidua init» để có các mẫu kèm theo.",
        )
        return TemplatesReport([problem], {})
    env = make_environment(filters)
    problems: list[Problem] = []
    variables: dict[str, list[str]] = {}
    for path in paths:
        found, names = inspect_template(path, env)
        problems += found
        if names is not None:
            variables[path.name] = names
    return TemplatesReport(problems, variables)
