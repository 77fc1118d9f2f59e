"""The layout shows the architecture: imports go one way, from later phases to earlier ones."""

from __future__ import annotations

import ast

from tests.conftest import ROOT

PACKAGE = ROOT / "pipeline"
# Phase of each part of the package: a module may import its own phase or earlier ones.
PHASES = {"root": 0, "ingest": 1, "stages": 2, "tei": 3, "process": 4, "evaluation": 4, "export": 4, "run": 5}


def _phase(module: str) -> int:
    parts = module.split(".")[1:]  # drop "pipeline"
    if not parts:
        return 0
    if parts[0] in PHASES:
        return PHASES[parts[0]]
    return PHASES["root"]


def _imports(path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("pipeline"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("pipeline"))
    return found


def test_imports_go_from_later_phases_to_earlier_ones():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = "pipeline." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        module = module.removesuffix(".__init__")
        own = _phase(module)
        for imported in _imports(path):
            if _phase(imported) > own:
                wrong.append(f"{module} (phase {own}) imports {imported} (phase {_phase(imported)})")
    assert wrong == []


def test_prefect_stays_out_of_the_library():
    users = [p.relative_to(ROOT) for p in PACKAGE.rglob("*.py") if "prefect" in _imports_any(p)]
    assert users == []


def _imports_any(path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
    return names
