"""The run's report on disk: ``output/manifest.json``, one entry per document.

A pydantic model, so that its JSON Schema (``schemas/manifest.schema.json``) documents it
for whoever reads the manifest: ``python -m pipeline.run.manifest`` rewrites the schema.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from pydantic import BaseModel, Field

from pipeline import PIPELINE_NAME, __version__
from pipeline.run.inputs import MANIFEST_NAME, source_key
from pipeline.run.naming import READING_SCRIPTS, claim, edition_file
from pipeline.run.document import DocumentReport
from pipeline.run.storage import write_atomically

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schemas" / "manifest.schema.json"


class RunManifest(BaseModel):
    """What one run did, document by document."""

    pipeline: str = PIPELINE_NAME
    version: str = __version__
    configuration: str = Field(description="fingerprint of the pipeline version and configuration")
    inputs: list[str]
    documents: list[DocumentReport]
    editions: dict[str, str] = Field(default_factory=dict, description=(
        "edition base name (relative to the output folder, without .tei.xml) of every source this "
        "folder has editions or reports for, by the source's absolute path; kept across runs so that "
        "no source ever takes another's name"))
    withdrawn: list[str] = Field(default_factory=list, description=(
        "editions in the output folder whose source is no longer in the input; kept"))
    written: int = 0
    unchanged: int = 0
    invalid: int = 0
    failed: int = 0
    empty: int = Field(default=0, description="files without text: reported, no edition written")
    exports: int = Field(default=0, description=(
        "files beside the editions listed (IIIF manifests, ALTO pages, plain texts; see each document's exports)"))
    seconds: float = 0.0


def withdrawn_editions(output_dir: Path, current: dict[str, str], kept: dict[str, str],
                       inputs: list[Path]) -> list[str]:
    """Master editions on disk that no source of this run produces any more (never deleted):
    those of the sources recorded before that were under this run's inputs and are gone from
    them, and any other master edition no name recorded here claims (left by a run that did not
    record names). ``kept``: the recorded names of sources not in this run; those of sources
    outside this run's inputs (another run's books in a shared output folder) are not withdrawn."""
    gone = {key: base for key, base in kept.items() if under_any(key, inputs)}
    claimed = set().union(*(claim(base) for base in [*current.values(), *kept.values()]))
    found = {edition_file(base) for base in gone.values() if (output_dir / edition_file(base)).exists()}
    reading_suffixes = tuple(f".{script}.tei.xml" for script in READING_SCRIPTS)
    for path in output_dir.rglob("*.tei.xml"):
        name = path.relative_to(output_dir).as_posix()
        if name not in claimed and not name.endswith(reading_suffixes) and not name.startswith("."):
            found.add(name)
    return sorted(found)


def under_any(key: str, inputs: list[Path]) -> bool:
    """Whether the source ``key`` (an absolute path) is one of ``inputs`` or lies under one."""
    return any(key == root or key.startswith(root.rstrip(os.sep) + os.sep) for root in map(source_key, inputs))


def build_manifest(inputs: list[Path], output_dir: Path, reports: list[DocumentReport], configuration: str,
                   seconds: float, current: dict[str, str], kept: dict[str, str] | None = None) -> RunManifest:
    """``current``: the edition base of every source of this run (a checkpoint's pending ones
    included), by source key; ``kept``: the recorded names of sources not in this run (gone
    from its inputs, or another run's)."""
    kept = kept or {}
    return RunManifest(
        configuration=configuration, inputs=[str(p) for p in inputs], documents=reports,
        editions=dict(sorted({**kept, **current}.items())),
        withdrawn=withdrawn_editions(output_dir, current, kept, inputs) if output_dir.exists() else [],
        written=sum(r.status == "ok" and not r.unchanged for r in reports),
        unchanged=sum(r.unchanged for r in reports),
        invalid=sum(r.status == "invalid" for r in reports),
        failed=sum(r.status == "failed" for r in reports),
        empty=sum(r.status == "empty" for r in reports),
        exports=sum(len(r.exports) for r in reports if r.status == "ok"),
        seconds=round(seconds, 3),
    )


def write_manifest(manifest: RunManifest, output_dir: Path) -> Path:
    """Write the run's manifest.json into ``output_dir`` atomically; returns its path."""
    path = output_dir / MANIFEST_NAME
    write_atomically(path, manifest.model_dump_json(indent=2).encode() + b"\n")
    return path


def read_manifest(output_dir: Path) -> RunManifest | None:
    """The last run's manifest, or None when there is none or it cannot be read."""
    try:
        return RunManifest.model_validate_json((output_dir / MANIFEST_NAME).read_bytes())
    except (OSError, ValueError):  # pydantic's ValidationError is a ValueError
        return None


def manifest_schema() -> str:
    """The JSON schema of manifest.json (schemas/manifest.schema.json is this, tested)."""
    return json.dumps(RunManifest.model_json_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    SCHEMA_PATH.write_text(manifest_schema(), encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}")
