"""The examples in the library's docstrings run, and say what the functions do: a wrong one fails here."""

from __future__ import annotations

import doctest
import importlib

from tests.conftest import ROOT

PACKAGE = ROOT / "pipeline"


def test_every_example_in_the_library_docstrings_holds():
    attempted, failures = 0, []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if ">>> " not in text:
            continue
        name = "pipeline." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        module = importlib.import_module(name.removesuffix(".__init__"))
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, report=False, verbose=False)
        attempted += result.attempted
        if result.failed:
            failures.append(f"{name}: {result.failed} of {result.attempted} examples fail "
                            f"(python -m doctest -v {path.relative_to(ROOT)})")
    assert failures == []
    assert attempted >= 10  # the examples are found (numerals, head_key, textshape, kinds)
