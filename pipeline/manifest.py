"""The run's report on disk: ``output/manifest.json``, one entry per document.

A pydantic model, so that its JSON Schema (``schemas/manifest.schema.json``) documents it
for whoever reads the manifest: ``python -m pipeline.manifest`` rewrites the schema.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, Field

from . import PIPELINE_NAME, __version__
from .process import DocumentReport, edition_name
from .storage import write_atomically

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "manifest.schema.json"


class RunManifest(BaseModel):
    """What one run did, document by document."""

    pipeline: str = PIPELINE_NAME
    version: str = __version__
    configuration: str = Field(description="fingerprint of the pipeline version and configuration")
    inputs: list[str]
    documents: list[DocumentReport]
    withdrawn: list[str] = Field(default_factory=list,
                                 description="editions in the output folder whose source is no longer in the input; kept")
    written: int = 0
    unchanged: int = 0
    invalid: int = 0
    failed: int = 0
    seconds: float = 0.0


def withdrawn_editions(output_dir: Path, reports: list[DocumentReport], pending: tuple[Path, ...] = ()) -> list[str]:
    """Master editions on disk that no source of this run produces any more (never deleted)."""
    current = {edition_name(Path(r.source_path).stem) for r in reports} | {edition_name(p.stem) for p in pending}
    return sorted(p.name for p in output_dir.glob("*.tei.xml")
                  if p.name.count(".") == 2 and p.name not in current)


def build_manifest(inputs: list[Path], output_dir: Path, reports: list[DocumentReport],
                   configuration: str, seconds: float, pending: tuple[Path, ...] = ()) -> RunManifest:
    """``pending``: sources of a run still in progress (a checkpoint), whose editions are not withdrawn."""
    return RunManifest(
        configuration=configuration, inputs=[str(p) for p in inputs], documents=reports,
        withdrawn=withdrawn_editions(output_dir, reports, pending) if output_dir.exists() else [],
        written=sum(r.status == "ok" and not r.unchanged for r in reports),
        unchanged=sum(r.unchanged for r in reports),
        invalid=sum(r.status == "invalid" for r in reports),
        failed=sum(r.status == "failed" for r in reports),
        seconds=round(seconds, 3),
    )


def write_manifest(manifest: RunManifest, output_dir: Path) -> Path:
    path = output_dir / "manifest.json"
    write_atomically(path, manifest.model_dump_json(indent=2).encode() + b"\n")
    return path


def read_manifest(output_dir: Path) -> RunManifest | None:
    """The last run's manifest, or None when there is none or it cannot be read."""
    try:
        return RunManifest.model_validate_json((output_dir / "manifest.json").read_bytes())
    except (OSError, ValueError):  # pydantic's ValidationError is a ValueError
        return None


def manifest_schema() -> str:
    return json.dumps(RunManifest.model_json_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    SCHEMA_PATH.write_text(manifest_schema(), encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}")
