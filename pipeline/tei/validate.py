"""Validation of editions against the project's RelaxNG customization of TEI (schemas/)."""

from __future__ import annotations

import functools
from pathlib import Path

from lxml import etree

from pipeline.errors import DocumentError
from pipeline.safe_xml import parse_edition, safe_parser

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schemas" / "scan2tei.rng"

@functools.cache
def project_schema() -> etree.RelaxNG:
    """Loaded once per process: building a RelaxNG validator is the costly part."""
    return etree.RelaxNG(etree.parse(str(SCHEMA_PATH), safe_parser()))

def schema_errors(tree: etree._ElementTree, schema: etree.RelaxNG | None = None) -> list[str]:
    """Every error as "line N: message"; empty when the tree is valid."""
    schema = schema or project_schema()
    if schema.validate(tree):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]

def validate_file(path: Path, schema: etree.RelaxNG | None = None) -> list[str]:
    """Errors of an edition on disk, well-formedness included, with line numbers."""
    try:
        tree = parse_edition(path.read_bytes(), str(path))
    except DocumentError as error:
        return [error.problem]
    except OSError as error:
        return [f"cannot be read: {error.strerror}"]
    return schema_errors(tree, schema)
