"""Finding, compiling and checking the Word templates: the file-system side of the documents stage.

Reads folders and files (no writing): which ``*.docx`` templates a run uses
(:func:`resolve_templates_dir`, :func:`find_templates`), compiling them exactly as a build does
(:func:`compile_templates`: every name checked against the documented context
:data:`~pipeline.documents.contract.CONTEXT`, external links refused unless allowed), and what
``thidua templates check`` reports about them (:func:`check_templates`, plus the trial rendering
:func:`trial_problems` that :func:`pipeline.build.check_templates` runs with the sample). The
check and the build share every step, so the check says what the build will say. Compiling and
rendering a template is :mod:`pipeline.documents.engine`'s job.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.documents.contract import CONTEXT, Shape
from pipeline.documents.engine import (
    CompiledTemplate,
    Filters,
    inspect_template,
    make_environment,
)
from pipeline.errors import Problem, ThiduaError


@dataclass(frozen=True, slots=True)
class TemplatesReport:
    """What ``thidua templates check`` prints: all problems (errors and warnings), and each
    template's variables."""

    problems: list[Problem]
    variables: dict[str, list[str]]


def find_templates(directory: Path) -> list[Path]:
    """The ``*.docx`` entries of ``directory``, sorted, without Word's ``~$`` lock files.

    An entry is listed whatever it is (a folder, a FIFO, a link to a device named ``*.docx``):
    reading it refuses what is not a regular file, with a located problem, instead of skipping
    it silently (:func:`pipeline.documents.package.read_template`).
    """
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


def compile_templates(
    paths: Iterable[Path], *, allow_external: bool = False, filters: Filters | None = None
) -> tuple[list[tuple[Path, CompiledTemplate]], list[Problem]]:
    """Each template compiled as a build compiles it, and every problem: the errors of the
    templates that could not be compiled and the warnings of those that could."""
    compiled: list[tuple[Path, CompiledTemplate]] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            template = CompiledTemplate.compile(
                path, name=path.name, filters=filters, contract=CONTEXT,
                allow_external=allow_external,
            )  # fmt: skip
        except ThiduaError as exc:
            problems += exc.problems
            continue
        compiled.append((path, template))
        problems += template.warnings
    return compiled, problems


def check_templates(
    directory: Path,
    *,
    filters: Filters | None = None,
    allow_external: bool = False,
    contract: Mapping[str, Shape] | None = CONTEXT,
) -> TemplatesReport:
    """Analyse every template in ``directory`` as :func:`compile_templates` does: every problem
    of every file, and the sorted variables of each template (of the parts that could be read,
    even if others failed). ``contract=None`` checks templates made for another context."""
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
        found, names = inspect_template(
            path, env, contract=contract, allow_external=allow_external
        )
        problems += found
        if names is not None:
            variables[path.name] = names
    return TemplatesReport(problems, variables)


def trial_problems(
    templates: Sequence[tuple[Path, CompiledTemplate]], contexts: Iterable[Mapping[str, object]]
) -> list[Problem]:
    """What rendering each template with each context meets (a value a filter refuses, a
    limit the template goes over), each problem once."""
    found: dict[Problem, None] = {}
    for context in contexts:
        for _, template in templates:
            try:
                template.render(context)
            except ThiduaError as exc:
                found.update(dict.fromkeys(exc.problems))
    return list(found)
