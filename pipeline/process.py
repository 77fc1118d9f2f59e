"""One document, in memory: bytes in, the document model and its validated edition out.

Reading a file and writing its editions is the run's business (:mod:`pipeline.run.document`)."""

from __future__ import annotations

import time
from pathlib import Path

from pydantic import BaseModel, Field

from pipeline.config import PipelineConfig
from pipeline.errors import DocumentError
from pipeline.export import base_name, export_files
from pipeline.export.iiif import manifest_name
from pipeline.ingest import reader_for
from pipeline.ingest.pages.compose import SourceFile
from pipeline.ingest.pages.display import display_images
from pipeline.ingest.pages.pagework import PageMap
from pipeline.ingest.pages.reader import read_pages
from pipeline.ingest.mets.package import is_package, read_package
from pipeline.limits import page_file_problem
from pipeline.model import Document, LanguageShare, SourceInfo
from pipeline.stages import STAGES, Stage, run_stages
from pipeline.stages.language import page_language
from pipeline.tei.history import PreviousEdition
from pipeline.tei.preview import render_preview
from pipeline.tei.reading_edition import build_reading_edition
from pipeline.tei.writer import build_tei, serialize
from pipeline.tei.validate import schema_errors


class Edition(BaseModel):
    """What one source gives: the edition's bytes, its preview, exports, and the facts a report needs."""
    source: SourceInfo
    languages: list[LanguageShare]
    interventions: dict[str, int]  # edits by kind
    notes: list[str]
    problems: list[str] = Field(default_factory=list)  # parts of the source that could not be read
    document: Document | None = None  # the model itself, unless the caller let it go (keep_document)
    xml: bytes
    errors: list[str]
    preview: bytes = b""  # the HTML reading view (empty above preview_max_bytes)
    page_images: dict[str, bytes] = Field(default_factory=dict)  # the preview's PNGs, unless written (images_to)
    reading_lang: str | None = None  # the script of the derived reading edition, if any
    reading_xml: bytes | None = None
    reading_errors: list[str] = Field(default_factory=list)
    exports: dict[str, bytes] = Field(default_factory=dict)  # IIIF manifest, ALTO, text: by path beside the edition


def pages_folder(master_file_name: str) -> str:
    """Where an edition's display copies of its page images go, beside it."""
    return master_file_name.removesuffix(".tei.xml") + ".pages"


def check_size(file_name: str, size: int, config: PipelineConfig) -> None:
    """Refuse a source over ``config.max_document_bytes``."""
    if size > config.max_document_bytes:
        raise DocumentError(file_name, f"is {size:,} bytes, over the limit of {config.max_document_bytes:,}",
                            "raise max_document_bytes (a setting: scan2tei run --config FILE) to process it")


Source = bytes | list[SourceFile]  # one file's bytes, or the page files of a book folder in order


def build_document(data: Source, file_name: str, config: PipelineConfig,
                   timings: dict[str, float] | None = None, stages: tuple[Stage, ...] = STAGES,
                   map_pages: PageMap | None = None) -> Document:
    """Ingest, repair, segment and label one source: the library's main entry point.

    ``data``: a file's bytes, or a book's page files (``file_name`` is then the book's name).
    ``timings``, when given, receives the seconds spent in each stage (for the benchmark).
    ``map_pages``: where a book's pages are read (see :mod:`pipeline.ingest.pages.pagework`)."""
    clock = _StageClock(timings)
    language_of = page_language(config)  # pages OCR reads choose their models by it
    if isinstance(data, list):
        check_size(file_name, sum(file.size for file in data), config)
        left_out = [problem for file in data
                    if (problem := page_file_problem(file.name, file.unread_size or file.size, config))]
        files = [file for file in data if not file.unread_size and file.size <= config.max_page_file_bytes]
        if is_package(files):
            doc = read_package(files, file_name, config, language_of=language_of, left_out=left_out)
        else:
            doc = read_pages(files, file_name, config, language_of=language_of, left_out=left_out,
                             map_pages=map_pages)
    else:
        check_size(file_name, len(data), config)
        doc = reader_for(data, file_name).read(data, file_name, config, language_of)
    clock.lap("read")
    return run_stages(doc, config, stages, timings)


class _StageClock:
    def __init__(self, timings: dict[str, float] | None):
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        if self.timings is not None:
            now = time.perf_counter()
            self.timings[stage] = self.timings.get(stage, 0.0) + now - self.last
            self.last = now


def build_edition(data: Source, file_name: str, config: PipelineConfig,
                  timings: dict[str, float] | None = None, previous: PreviousEdition | None = None,
                  keep_document: bool = True, master_file_name: str | None = None,
                  facsimile_base: str = "", export_folder: str = "", images_to: Path | None = None,
                  map_pages: PageMap | None = None) -> Edition:
    """The edition of one source (whose file will be called ``master_file_name``: the reading
    edition points to it). With ``keep_document=False`` the document model is let go
    once its TEI tree is built (and the bytes too, if the caller holds no other reference):
    for a big book they weigh as much as the tree, and the serializations still to come.
    ``facsimile_base``: the folder of the source's page images, seen from the edition's;
    ``export_folder``: the edition's folder inside the output folder (for a published manifest's URLs);
    ``images_to``: the edition's folder, where the preview's copies of page images are written as
    they are made (else they are returned in ``page_images``); ``map_pages``: where a book's
    pages are read and copied (see :mod:`pipeline.ingest.pages.pagework`)."""
    size = len(data) if isinstance(data, bytes) else sum(file.size for file in data)
    doc = build_document(data, file_name, config, timings, map_pages=map_pages)
    clock = _StageClock(timings)
    page_images = {}
    if doc.facsimile and size <= config.preview_max_bytes * 50:  # page images weigh more than text
        files = data if isinstance(data, list) else [SourceFile(file_name, data)]
        master = master_file_name or f"{Path(file_name).stem}.tei.xml"
        page_images = display_images(doc, files, pages_folder(master), config.ocr_threads, config.max_page_pixels,
                                     images_to, map_pages)
        clock.lap("page images for the preview")
    del data
    tree = build_tei(doc, config, previous, facsimile_base)
    facts = dict(source=doc.source, languages=doc.languages, interventions=doc.edit_counts(), notes=list(doc.notes),
                 problems=list(doc.problems))
    kept = doc if keep_document else None
    del doc
    clock.lap("TEI")
    errors = schema_errors(tree)
    clock.lap("validation")
    master_name = master_file_name or f"{Path(file_name).stem}.tei.xml"
    with_preview = size <= config.preview_max_bytes
    exports = export_files(tree, master_name, config, export_folder, with_preview)  # before the reading edition
    clock.lap("exports")
    # The preview before the serialization: their buffers need not be held at once.
    manifest = manifest_name(base_name(master_name))
    preview = render_preview(tree, manifest if manifest in exports else None) if with_preview else b""
    clock.lap("HTML preview")
    xml = serialize(tree)
    clock.lap("TEI")
    edition = Edition(**facts, document=kept, xml=xml, errors=errors, preview=preview, page_images=page_images,
                      exports=exports)
    reading = build_reading_edition(tree, master_name, config)  # the master is serialized: convert in place
    if reading is not None:
        edition.reading_lang, reading_tree = reading
        edition.reading_xml = serialize(reading_tree)
        edition.reading_errors = schema_errors(reading_tree)
    clock.lap("reading edition")
    return edition
