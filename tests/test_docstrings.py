"""A maintainer reads the code from its docstrings: the stages' entry points and the page
formats say what they do, and what the docstrings and comments point to exists."""

from __future__ import annotations

import ast
import importlib
import inspect
import re

from tests.conftest import ROOT

PACKAGE = ROOT / "pipeline"
REFERENCE = re.compile(r":(?:func|mod|class|data|meth|attr):`~?([\w.]+)`")
PATH = re.compile(r"\b((?:pipeline|orchestration|stages|ingest|tei|run|export|evaluation)/[\w/]*\.py)\b")


def test_every_function_the_stage_list_runs_says_what_it_adds():
    """The functions pipeline/stages/__init__.py imports to run as stages, each with a docstring."""
    tree = ast.parse((PACKAGE / "stages" / "__init__.py").read_text(encoding="utf-8"))
    imported = [(node.module, alias.name) for node in tree.body if isinstance(node, ast.ImportFrom)
                and (node.module or "").startswith("pipeline.") for alias in node.names]
    entry_points = [getattr(importlib.import_module(module), name) for module, name in imported]
    entry_points = [f for f in entry_points if inspect.isfunction(f) and f.__module__ != "pipeline.edits"]
    assert len(entry_points) >= 15
    assert [f"{f.__module__}.{f.__name__}" for f in entry_points if not inspect.getdoc(f)] == []


def test_every_page_format_says_what_it_accepts_and_parses():
    from pipeline.ingest.pages.formats import OCR_FORMATS

    undocumented = [f"{module.__name__}.{name}" for _label, module in OCR_FORMATS for name in ("accepts", "parse")
                    if not inspect.getdoc(getattr(module, name))]
    assert undocumented == []


def _resolves(name: str, module: str) -> bool:
    """Whether ``name`` (dotted, or relative to ``module`` or its package) names a module or an
    attribute of one."""
    package = module if module.endswith("__init__") else module.rpartition(".")[0]
    package = package.removesuffix(".__init__")
    relative = name.startswith(".")
    for candidate in [package + name] if relative else [name, f"{module}.{name}", f"{package}.{name}"]:
        parts = candidate.split(".")
        for cut in range(len(parts), 0, -1):
            try:
                found = importlib.import_module(".".join(parts[:cut]))
            except ImportError:
                continue
            try:
                for part in parts[cut:]:
                    found = getattr(found, part)
            except AttributeError:
                break
            return True
    return False


def test_what_docstrings_and_comments_point_to_exists():
    """``:func:`pipeline.process.process_bytes``` and ``stages/pageedges.py`` outlived what they named."""
    stale = []
    for path in sorted([*PACKAGE.rglob("*.py"), *(ROOT / "orchestration").rglob("*.py")]):
        text = path.read_text(encoding="utf-8")
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for match in REFERENCE.finditer(text):
            name = match.group(1)
            if not _resolves(name, module) and not any(  # a method of a class of the module
                    _resolves(f"{cls.name}.{name}", module)
                    for cls in ast.walk(ast.parse(text)) if isinstance(cls, ast.ClassDef)):
                stale.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
        for match in PATH.finditer(text):
            if not any((base / match.group(1)).exists() for base in (ROOT, PACKAGE, PACKAGE / "stages")):
                stale.append(f"{path.relative_to(ROOT)}: {match.group(1)}")
    assert stale == []


def _undocumented(root) -> tuple[list[str], int]:
    """Public functions, classes and methods (names without a leading underscore) under
    ``root`` that have no docstring, and how many public definitions there are."""
    missing, total = [], 0

    def visit(node, path, prefix=""):
        nonlocal total
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) \
                    and not child.name.startswith("_"):
                total += 1
                if ast.get_docstring(child) is None:
                    missing.append(f"{path.relative_to(ROOT)}:{child.lineno} {prefix}{child.name}")
                if isinstance(child, ast.ClassDef):
                    visit(child, path, f"{prefix}{child.name}.")

    for path in sorted(root.rglob("*.py")):
        visit(ast.parse(path.read_text(encoding="utf-8")), path)
    return missing, total


def test_every_public_definition_says_what_it_is():
    """Each public function, class and method of the library and the orchestration has a
    docstring (one line is enough): a maintainer reads the code from them."""
    missing, total = [], 0
    for root in (PACKAGE, ROOT / "orchestration"):
        found, count = _undocumented(root)
        missing += found
        total += count
    assert total > 500  # the walk sees the code
    assert missing == []
