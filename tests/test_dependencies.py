"""What the library and the command import at module level is installed by the plain install
(`pip install -e .`, the README's first command), not only by the test or OCR extras: the
tests run with the extras installed, so a module they pull in (numpy comes with dinglehopper)
would hide a dependency the main job lacks on a fresh machine."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from tests.conftest import ROOT

OPTIONAL = {"tesserocr"}  # the .[ocr] extra: imported where a page is recognised, said when missing


def _top_level_imports(path) -> set[str]:
    """Modules a file imports outside functions (what importing it needs)."""
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {re.split(r"[\s<>=!~\[;]", requirement, maxsplit=1)[0].lower().replace("_", "-")
            for requirement in project["dependencies"]}


def test_every_module_the_library_imports_is_a_core_dependency():
    files = [*ROOT.glob("pipeline/**/*.py"), *ROOT.glob("orchestration/**/*.py"), ROOT / "flows.py"]
    imported = set().union(*map(_top_level_imports, files))
    ours = {"pipeline", "orchestration", "flows"}
    third_party = {name for name in imported - ours - set(sys.stdlib_module_names) - OPTIONAL}
    distributions = packages_distributions()
    declared = _declared()
    undeclared = {name: distributions.get(name) for name in third_party
                  if not {d.lower().replace("_", "-") for d in distributions.get(name, [name])} & declared}
    assert not undeclared, f"imported but not in pyproject's dependencies: {undeclared}"
