"""Which sources need work. A source whose bytes and configuration are those the last run
on this output folder recorded, and whose editions are still there, is not processed again:
its report is carried over from that run's manifest, marked unchanged.

Hashing a file costs a read at disk speed; building its edition costs far more, and so
would asking the orchestrator about each document one by one.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .config import PipelineConfig
from .manifest import read_manifest
from .process import DocumentReport, edition_path_for


def source_sha256(path: Path) -> str | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None  # unreadable now: the build reports why


def carried_over(sources: list[Path], output_dir: Path, config: PipelineConfig) -> dict[Path, DocumentReport]:
    """Reports of the sources that need no work, by source."""
    previous = read_manifest(output_dir)
    if previous is None or previous.configuration != config.fingerprint():
        return {}
    earlier = {Path(r.source_path).resolve(): r for r in previous.documents if r.status == "ok"}
    unchanged = {}
    for source in sources:
        report = earlier.get(source.resolve())
        if report is None or not edition_path_for(source, output_dir).exists():
            continue
        reading = report.reading_edition_path
        if reading and not (output_dir / Path(reading).name).exists():
            continue
        if source_sha256(source) == report.sha256:
            unchanged[source] = report.model_copy(update={"unchanged": True, "seconds": 0.0})
    return unchanged
