"""The layout shows the architecture: imports go one way, from later phases to earlier ones."""

from __future__ import annotations

import ast
import os
import subprocess
import sys

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


def _stage_positions() -> dict[str, int]:
    """Each module of pipeline/stages/ that holds a stage (a package counts as one module) and
    the position of its first stage in STAGES, read from stages/__init__.py."""
    init = ast.parse((PACKAGE / "stages" / "__init__.py").read_text(encoding="utf-8"))
    module_of = {alias.asname or alias.name: node.module.split(".")[2] for node in init.body
                 if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pipeline.stages.")
                 for alias in node.names}
    [stages] = [node.value for node in init.body if isinstance(node, ast.AnnAssign) and node.target.id == "STAGES"]
    positions: dict[str, int] = {}
    for index, call in enumerate(stages.elts):
        for node in ast.walk(call):
            if isinstance(node, ast.Name) and node.id in module_of:
                positions.setdefault(module_of[node.id], index)
    return positions


def test_a_stage_imports_no_stage_that_runs_after_it():
    """pipeline/stages/: a stage's module imports only stages that run before it, and the
    helpers beside them (textshape, numerals, script…) import no stage at all: what two
    stages share lives in a helper, so that moving a stage never drags another along."""
    positions = _stage_positions()
    assert {"pageedges", "structure", "layout", "language", "cjkspacing"} <= set(positions)
    wrong = []
    for path in sorted((PACKAGE / "stages").rglob("*.py")):
        parts = path.relative_to(PACKAGE / "stages").with_suffix("").parts
        if parts == ("__init__",):
            continue
        own = parts[0]
        for imported in _imports(path):
            other = imported.split(".")[2] if imported.startswith("pipeline.stages.") else None
            if other is None or other == own or other not in positions:
                continue
            if own not in positions:
                wrong.append(f"helper stages/{own} imports the stage {other}")
            elif positions[other] > positions[own]:
                wrong.append(f"stages/{own} (stage {positions[own]}) imports {other} (stage {positions[other]})")
    assert wrong == []


def test_prefect_stays_out_of_the_library():
    """Prefect is imported in orchestration/ only: not in the library, not in the entry point;
    and the library never imports the orchestration."""
    users = [p.relative_to(ROOT) for p in PACKAGE.rglob("*.py") if _imports_any(p) & {"prefect", "prefect_dask"}]
    assert users == []
    assert not _imports_any(ROOT / "flows.py") & {"prefect", "prefect_dask"}
    upward = [p.relative_to(ROOT) for p in PACKAGE.rglob("*.py") if {"orchestration", "flows"} & _imports_any(p)]
    assert upward == []


def test_importing_the_library_or_the_orchestration_sets_no_environment_variable():
    """Settings are the caller's: importing any module of pipeline/ or orchestration/ leaves
    os.environ as it was (Prefect's own settings are set by the entry point, flows.py, and
    only where the environment does not set them)."""
    modules = sorted("pipeline." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__")
                     for p in PACKAGE.rglob("*.py") if p.name != "__main__.py")
    modules += sorted("orchestration." + p.stem for p in (ROOT / "orchestration").glob("*.py") if p.stem != "__init__")
    program = ("import importlib, os, sys; before = dict(os.environ)\n"
               "for name in sys.argv[1:]: importlib.import_module(name)\n"
               "changed = sorted(set(os.environ.items()) ^ set(before.items()))\n"
               "print(sorted({k for k, _ in changed}))")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "DASK_"))}
    result = subprocess.run([sys.executable, "-c", program, *modules], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]"
    flows = subprocess.run([sys.executable, "-c", program.replace("sys.argv[1:]", "['flows']")], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=300)
    assert "PREFECT_HOME" in flows.stdout  # the entry point does set them (the check above can fail)


def _imports_any(path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
    return names


def _attribute_chain(node: ast.AST) -> list[str]:
    """``doc.scratch.document`` -> ["doc", "scratch", "document"]; [] for anything else."""
    names = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    return [node.id, *reversed(names)] if isinstance(node, ast.Name) else []


def _scratch_keys(tree: ast.AST) -> set[str]:
    """The string keys a module reads or writes in a document's scratch (subscripts, ``get``,
    ``in``)."""
    def is_scratch(node: ast.AST) -> bool:
        return _attribute_chain(node)[-2:-1] == ["scratch"]

    keys = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and is_scratch(node.value) and isinstance(node.slice, ast.Constant):
            keys.add(node.slice.value)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and is_scratch(node.func.value) \
                and node.args and isinstance(node.args[0], ast.Constant):
            keys.add(node.args[0].value)
        elif isinstance(node, ast.Compare) and isinstance(node.left, ast.Constant) \
                and any(is_scratch(c) for c in node.comparators):
            keys.add(node.left.value)
    return keys


def test_stages_hand_on_what_they_find_in_declared_fields_not_scratch_keys():
    """Data handed between stages goes through pipeline.model.Findings: every ``.findings.X``
    in the package is a declared field (a field renamed in one place fails here); each field is
    found by one stage of the list and needed by another; a scratch key is a cache of the one
    module that keeps it, never read by another."""
    from pipeline.model import FINDINGS
    from pipeline.stages import STAGES

    used: dict[str, set[str]] = {}
    undeclared = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for key in _scratch_keys(tree):
            used.setdefault(key, set()).add(str(path.relative_to(PACKAGE)))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and _attribute_chain(node.value)[-1:] == ["findings"] \
                    and node.attr not in FINDINGS:
                undeclared.append(f"{path.relative_to(PACKAGE)}:{node.lineno} findings.{node.attr}")
    assert undeclared == []
    assert {key: modules for key, modules in used.items() if len(modules) > 1} == {}
    found = [field for stage in STAGES for field in stage.finds]
    needed = {field for stage in STAGES for field in stage.needs if field in FINDINGS}
    assert sorted(found) == sorted(FINDINGS) and needed == FINDINGS


def test_every_finding_a_stage_reads_is_one_it_declares():
    """Each stage of the list run on real pages (Arnobius's hOCR; Grenzboten's five pages of
    transcription joined with form feeds), every read of a finding recorded: a stage reads only
    what it names in its ``needs`` (or finds itself)."""
    from pipeline.config import PipelineConfig
    from pipeline.ingest import reader_for
    from pipeline.ingest.pages.compose import SourceFile
    from pipeline.ingest.pages.reader import read_pages
    from pipeline.model import FINDINGS, Findings
    from pipeline.stages import STAGES

    class Recorded(Findings):
        __slots__ = ("stage", "reads")

        def __getattribute__(self, name):
            if name in FINDINGS:
                object.__getattribute__(self, "reads").add((object.__getattribute__(self, "stage"), name))
            return object.__getattribute__(self, name)

    data = ROOT / "tests" / "data"
    config = PipelineConfig()
    hocr = sorted((data / "arnobius-1875" / "tess-hocr").iterdir())
    text = b"\f".join(p.read_bytes() for p in sorted((data / "grenzboten-1841" / "gt").iterdir()))
    documents = [read_pages([SourceFile(p.name, p.read_bytes()) for p in hocr], "arnobius", config),
                 reader_for(text, "grenzboten.txt").read(text, "grenzboten.txt", config, None)]
    for doc in documents:
        recorded = Recorded()
        recorded.stage, recorded.reads = "", set()
        doc.__pydantic_private__["_findings"] = recorded
        for stage in STAGES:
            recorded.stage = stage.name
            stage.run(doc, config)
            doc.scratch.stage.clear()
        declared = {(stage.name, field) for stage in STAGES for field in stage.needs + stage.finds}
        assert recorded.reads and recorded.reads <= declared, recorded.reads - declared
        assert recorded.page_starts and recorded.page_turns and recorded.footnotes
