"""Which sources need work. A source whose bytes and configuration are those the last run
on this output folder recorded, and whose editions are still there under the name recorded
for it, is not processed again: its report is carried over from that run's manifest, marked
unchanged.

Hashing a file costs a read at disk speed; building its edition costs far more, and so
would asking the orchestrator about each document one by one.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pipeline.config import PipelineConfig
from pipeline.export import settings_digest
from pipeline.ingest.pages.compose import combined_digest
from pipeline.run.inputs import Source, source_key
from pipeline.run.manifest import RunManifest
from pipeline.run.naming import edition_file
from pipeline.run.document import DocumentReport


def source_sha256(path: Path, pages: tuple[str, ...] = ()) -> str | None:
    """The SHA-256 the edition records: of the file's bytes, or (a book) of its page files'
    names and digests, as :func:`pipeline.ingest.pages.compose.fingerprint` makes it."""
    try:
        if pages:
            digests = []
            for name in pages:
                with open(path / name, "rb") as handle:
                    digests.append((name, hashlib.file_digest(handle, "sha256").digest()))
            return combined_digest(digests)
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None  # unreadable now: the build reports why


def exports_in_place(report: DocumentReport, output_dir: Path, config: PipelineConfig) -> bool:
    """Whether the exports the run asks for are those the report lists, all on disk."""
    return report.export_settings == settings_digest(config) and all(
        (output_dir / name).exists() for name in report.exports)


def carried_over(sources: list[Source], bases: dict[str, str], output_dir: Path, config: PipelineConfig,
                 previous: RunManifest | None) -> dict[str, DocumentReport]:
    """Reports of the sources that need no work, by source key. ``bases``: this run's names."""
    if previous is None or previous.configuration != config.fingerprint():
        return {}
    earlier = {source_key(r.source_path): r for r in previous.documents if r.status == "ok"}
    unchanged = {}
    for source in sources:
        report = earlier.get(source.key)
        base = bases[source.key]
        if report is None or previous.editions.get(source.key) != base:
            continue
        if not (output_dir / edition_file(base)).exists():
            continue
        reading = report.reading_edition_path  # beside the master, whatever folder it was given as
        if reading and not (output_dir / Path(base).parent / Path(reading).name).exists():
            continue
        if not exports_in_place(report, output_dir, config):
            continue
        if source_sha256(source.path, source.pages) == report.sha256:
            kept = report.model_copy(update={"unchanged": True, "seconds": 0.0, "file_name": source.display_name})
            kept.say_left_out(source.left_out)  # as this run finds them: the digest does not cover them
            unchanged[source.key] = kept
    return unchanged
