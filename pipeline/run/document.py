"""One source file through the pipeline: read it, build its editions, write them, and say
what happened in a report, whatever happened."""

from __future__ import annotations

import os
import time
from pathlib import Path

from pydantic import BaseModel, Field

from pipeline.config import PipelineConfig
from pipeline.errors import DocumentError, EmptyDocument
from pipeline.export import settings_digest
from pipeline.ingest.encoding import is_doubtful
from pipeline.ingest.pages.compose import SourceFile
from pipeline.ingest.pages.pagework import PageMap
from pipeline.process import Edition, build_edition, check_size
from pipeline.run.inputs import source_key
from pipeline.run.naming import edition_file, preview_file
from pipeline.run.storage import write_atomically
from pipeline.tei.history import read_previous


class DocumentReport(BaseModel):
    """What happened to one document: one line of the run's report."""

    file_name: str
    source_path: str
    edition_path: str | None = None
    reading_edition_path: str | None = None
    exports: list[str] = Field(default_factory=list)  # manifest, ALTO pages, text: relative to the output folder
    export_settings: str | None = None  # the settings they were made with (pipeline.export.settings_digest)
    status: str  # "ok", "invalid" (edition not written), "empty" (no text: nothing written) or "failed"
    sha256: str | None = None
    encoding: str | None = None
    encoding_confidence: float | None = None
    encoding_runner_up: str | None = None
    encoding_doubtful: bool = False
    languages: dict[str, int] = Field(default_factory=dict)
    interventions: dict[str, int] = Field(default_factory=dict)
    errors: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)  # findings worth a look: truncated, halves not aligned, …
    problems: list[str] = Field(default_factory=list)  # parts not read: a library package's absent file, …
    # Which of the problems, the last ones, are files beside the source the run did not read (a
    # library package's folder): every run says them anew, even one that carries the edition over
    # (see say_left_out). Not derivable from the problems' text, so recorded; the lines stay among
    # the problems, where archivists read them (console, manifest).
    left_out: list[str] = Field(default_factory=list)
    seconds: float = 0.0
    unchanged: bool = False  # the source and configuration were seen before: nothing was rewritten

    def console_line(self) -> str:
        """One line, whatever the file is called: control characters in names and messages
        are escaped, so that no file name can forge or break a line of the report."""
        name = printable(self.file_name)
        if self.status == "failed":
            return f"FAILED  {name}: {printable('; '.join(self.errors))}"
        if self.status == "empty":
            return f"EMPTY   {name}: {printable('; '.join(self.notes))}"
        langs = " ".join(f"{tag} {pct}%" for tag, pct in self.languages.items())
        edits = ", ".join(f"{n} {kind}" for kind, n in self.interventions.items()) or "no interventions"
        validity = "valid" if self.status == "ok" else "INVALID: " + printable("; ".join(self.errors[:3]))
        # page images and scanned PDFs have no encoding: their text was recognised
        encoding = "text by OCR" if self.encoding in (None, "none") else self.encoding
        if self.encoding_doubtful:
            encoding += f" (DOUBTFUL: confidence {self.encoding_confidence:.2f}, runner-up {self.encoding_runner_up})"
        line = f"{self.status.upper():7} {name}: {encoding}, {langs}; {edits}; {validity}"
        return line + (" (unchanged)" if self.unchanged else "")

    def say_left_out(self, lines: list[str] | tuple[str, ...]) -> None:
        """``lines`` (the files beside the source this run leaves out) as the last of the problems,
        in place of those the report said before: a file added to a package's folder since the
        last run is said, one removed is no longer. A manifest of before ``left_out`` listed them
        among the problems only: a line said again is not said twice."""
        own = self.problems[:len(self.problems) - len(self.left_out)]
        now = set(lines)
        self.problems = [*(line for line in own if line not in now), *lines]
        self.left_out = list(lines)

    def problem_lines(self) -> list[str]:
        """Each part of the source that could not be read, a line each, under the document's,
        naming the document once (a problem of the whole book names it already)."""
        name = printable(self.file_name)
        return [f"        {said if said.startswith(name + ': ') else f'{name}: {said}'}"
                for said in map(printable, self.problems)]


def printable(text: str) -> str:
    """``text`` with control characters (newlines, ANSI escapes, …) and lone surrogates
    written as Python escapes; everything else as it is."""
    return "".join(c if c.isprintable() or c == " " else ascii(c)[1:-1] for c in text) \
        if not text.isprintable() else text


def read_book(folder: Path, pages: tuple[str, ...], config: PipelineConfig) -> list[SourceFile]:
    """A book's page files, in order, by their paths: each is read when its page is (a big
    book's files are never all in memory). One over max_page_file_bytes is not read (the
    reader says so, and reads the others)."""
    files = []
    total = 0
    for name in pages:
        path = folder / name
        try:
            size = path.stat().st_size
        except OSError:
            read_source(path, config)  # says what is wrong with it
            raise
        if path.is_dir():
            read_source(path, config)
        if size > config.max_page_file_bytes:
            files.append(SourceFile(name, unread_size=size))
            continue
        total += size
        check_size(folder.name, total, config)
        files.append(SourceFile.at(name, path, size))
    return files


def read_source(source: Path, config: PipelineConfig) -> bytes:
    """The file's bytes. Problems that will not go away by themselves (permissions, a folder,
    a file over the size limit) are DocumentErrors with advice; other OSErrors (a flaky disk
    or network share) are raised so that the caller may retry."""
    try:
        check_size(source.name, source.stat().st_size, config)  # before reading it into memory
        return source.read_bytes()
    except PermissionError as error:
        raise DocumentError(source.name, "cannot be read: permission denied",
                            "give the pipeline's user read access to it") from error
    except IsADirectoryError as error:
        raise DocumentError(source.name, "is a folder, not a file", "pass the folder itself as input") from error
    except FileNotFoundError as error:
        raise DocumentError(source.name, "disappeared before it could be read", "run again") from error


def process_file(source: Path, output_dir: Path, config: PipelineConfig, base: str | None = None,
                 display_name: str | None = None, pages: tuple[str, ...] = (), left_out: tuple[str, ...] = (),
                 key: str | None = None, map_pages: PageMap | None = None) -> DocumentReport:
    """Build and write one edition under ``output_dir/<base>`` (default: the source's stem).
    Problems of the document are reported, never raised, whatever they are: one bad document
    never takes others down with it. An OSError (possibly transient) is raised so that the
    caller may retry. ``left_out``: lines the run says of files beside the source it did not
    read (a library package's); ``key``: how runs recognise the source (:attr:`pipeline.run.inputs.Source.key`);
    ``map_pages``: where a book's pages are read (see :mod:`pipeline.ingest.pages.pagework`).
    The preview's copies of a book's page images are written as they are made."""
    started = time.perf_counter()
    base = base or source.stem
    report = DocumentReport(file_name=display_name or source.name, source_path=key or source_key(source),
                            status="failed")
    target = output_dir / edition_file(base)
    try:
        if target.is_dir():  # os.replace would fail only once the edition is built, with a raw IsADirectoryError
            raise DocumentError(source.name, f"cannot be written: {target.name} in the output folder is a folder",
                                "move or rename that folder, or choose another output folder")
        previous = read_previous(target)
        data = read_book(source, pages, config) if pages else read_source(source, config)
        # where the page images are, seen from the edition
        images = os.path.relpath(source if pages else source.parent, target.parent)
        edition = build_edition(data, source.name, config, previous=previous,
                                keep_document=False,  # holding no reference to the bytes either
                                master_file_name=target.name, facsimile_base=Path(images).as_posix(),
                                export_folder=Path(base).parent.as_posix().removeprefix("."),
                                images_to=target.parent, map_pages=map_pages)
        del data
    except EmptyDocument as error:
        report.status = "empty"
        report.notes.append(f"{error.problem}: no edition written")
    except DocumentError as error:
        where = f"{error.file_name}: " if pages and error.file_name != source.name else ""  # which page of a book
        report.errors.append(f"{where}{error.problem}" + (f" ({error.advice})" if error.advice else ""))
    except OSError:
        raise
    except Exception as error:  # a defect of ours, met on this document only
        report.errors.append(f"internal error ({type(error).__name__}: {error}); please report it "
                             "with the file: the other documents were not affected")
    else:
        _fill_report(report, edition)
        errors = edition.errors + [f"reading edition: {e}" for e in edition.reading_errors]
        if errors:
            report.status = "invalid"
            report.errors = errors
        else:
            if previous is not None and previous.unreadable:
                report.notes.append(f"the edition it replaces could not be read ({previous.unreadable}): "
                                    "its revision history is lost")
            write_atomically(target, edition.xml)
            if edition.preview:
                write_atomically(output_dir / preview_file(base), edition.preview)
            else:
                report.notes.append(f"no HTML preview: over {config.preview_max_bytes:,} bytes (preview_max_bytes)")
            report.status = "ok"
            report.edition_path = str(target)
            if edition.reading_xml is not None:
                reading = output_dir / edition_file(base, edition.reading_lang)
                write_atomically(reading, edition.reading_xml)
                report.reading_edition_path = str(reading)
            report.exports = write_exports(edition.exports, target.parent, output_dir)
            report.export_settings = settings_digest(config)
    report.say_left_out(left_out)
    report.seconds = round(time.perf_counter() - started, 4)
    return report


def write_exports(files: dict[str, bytes], folder: Path, output_dir: Path) -> list[str]:
    """Write the edition's exports beside it, each atomically; an ALTO folder holds exactly
    this run's pages (a page the edition no longer has is removed). Returns their paths
    relative to the output folder."""
    for name in sorted(files):
        write_atomically(folder / name, files[name])
    for alto in {name.split("/")[0] for name in files if "/" in name}:
        for stale in sorted((folder / alto).glob("*.xml")):
            if f"{alto}/{stale.name}" not in files:
                stale.unlink(missing_ok=True)
    return [(folder / name).relative_to(output_dir).as_posix() for name in sorted(files)]


def _fill_report(report: DocumentReport, edition: Edition) -> None:
    report.sha256 = edition.source.sha256
    report.encoding = edition.source.encoding.encoding
    report.encoding_confidence = edition.source.encoding.confidence
    report.encoding_runner_up = edition.source.encoding.runner_up
    report.encoding_doubtful = is_doubtful(edition.source.encoding)
    report.languages = {share.tag: share.percent for share in edition.languages}
    report.interventions = edition.interventions
    report.notes = list(edition.notes)
    report.problems = list(edition.problems)
