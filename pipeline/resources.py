"""Where the bundled Word templates and sample workbooks are.

In a source checkout (and an editable install) they are the repository's ``templates/docx/`` and
``inputs/``; a wheel carries the same files as the data-only packages
``pipeline.bundled_templates`` and ``pipeline.bundled_inputs`` (see ``pyproject.toml``).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parent.parent


def _bundled_dir(package: str, fallback: Path) -> Path:
    spec = importlib.util.find_spec(package)  # an installed wheel
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return fallback  # a source checkout or an editable install


def bundled_templates_dir() -> Path:
    """The folder holding the bundled ``*.docx`` templates."""
    return _bundled_dir("pipeline.bundled_templates", _REPO_ROOT / "templates" / "docx")


def bundled_inputs_dir() -> Path:
    """The folder holding the bundled sample and blank workbooks."""
    return _bundled_dir("pipeline.bundled_inputs", _REPO_ROOT / "inputs")
