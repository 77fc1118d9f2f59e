"""A digitized source, one document: the page files of a book folder (OCR files, page
images or both), a multi-page TIFF, a PDF, or one OCR file. An OCR file gives a page's
text and the image of the same stem becomes its facsimile; an image with no OCR file is
recognised; pages follow the natural order of their names (``2.tif`` before ``10.tif``)."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from pipeline.config import PipelineConfig
from pipeline.errors import DocumentError
from pipeline.ingest.pages import images, ocr, pdf
from pipeline.ingest.pages.compose import PageSource, SourceFile, compose, engines
from pipeline.ingest.pages.formats import ocr_format, page_kind
from pipeline.model import Document

SNIFF_BYTES = 65536


def natural_key(name: str) -> tuple:
    """``p2`` before ``p10``: digits compare as numbers."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part.lower())
                 for part in re.split(r"(\d+)", name) if part)


def stems(name: str) -> list[str]:
    """``179393.abbyy.xml`` -> [``179393.abbyy``, ``179393``]: what an image it belongs to may be called."""
    found, path = [], PurePosixPath(PurePosixPath(name).name)
    while path.suffix:
        path = path.with_suffix("")
        found.append(path.name)
    return found or [path.name]


def read_pages(files: list[SourceFile], name: str, config: PipelineConfig, book: bool = True) -> Document:
    """The document of a book's page files (``book``), or of one page file read by itself."""
    kinds = {file.name: page_kind(file.data[:SNIFF_BYTES], file.name) for file in files}
    if strangers := sorted(n for n, kind in kinds.items() if kind is None):
        raise DocumentError(name, f"mixes page files with files that are neither page images nor OCR files: "
                                  f"{', '.join(strangers[:5])}", "move them to a folder of their own")
    if any(kind == "pdf" for kind in kinds.values()):
        if len(files) > 1:
            raise DocumentError(name, "mixes a PDF with other page files", "give each PDF as a document of its own")
        return _read_pdf(files[0], name, config, book)
    image_files = {file.name: file for file in files if kinds[file.name] == "image"}
    by_stem = {stems(n)[0]: n for n in sorted(image_files, key=natural_key)}
    keyed: list[tuple[tuple, int, PageSource]] = []
    used: set[str] = set()
    for file in (f for f in files if kinds[f.name] == "ocr"):
        label, module = ocr_format(file.data[:SNIFF_BYTES], file.name)
        pages = module.parse(file.data, file.name)
        for index, page in enumerate(pages):
            image = _image_for(file.name if len(pages) == 1 else None, page.image, by_stem)
            source = PageSource(page, text_from=f"{file.name} ({label})")
            if image is not None:
                used.add(image)
                source.image = image
                source.image_size = images.size_of(image_files[image].data)
            elif page.image:
                source.image = page.image  # as the engine names it: the graphic the edition points to
            keyed.append((natural_key(image or file.name), index, source))
    unread = [image_files[n] for n in image_files if n not in used]
    if unread:
        keyed.extend(_recognise(unread, name, config))
    keyed.sort(key=lambda item: (item[0], item[1]))
    pages = [source for _key, _index, source in keyed]
    doc = compose(pages, name, files, "UTF-8" if any(kinds[f.name] == "ocr" for f in files) else "none", book)
    doc.provenance = _provenance(pages, files)
    return doc


def read_page_file(data: bytes, file_name: str, config: PipelineConfig) -> Document:
    """One file by itself: an OCR file, a page image (multi-page TIFF included) or a PDF."""
    return read_pages([SourceFile(file_name, data)], file_name, config, book=False)


def _image_for(ocr_file: str | None, named: str | None, by_stem: dict[str, str]) -> str | None:
    candidates = stems(named) if named else []
    candidates += stems(ocr_file) if ocr_file else []
    return next((by_stem[stem] for stem in candidates if stem in by_stem), None)


def _recognise(files: list[SourceFile], name: str, config: PipelineConfig) -> list[tuple[tuple, int, PageSource]]:
    for file in files:  # every image readable before any model is loaded
        if images.size_of(file.data) is None:
            raise DocumentError(file.name, "is an image that cannot be read (damaged, or in a format Pillow lacks)")

    def pages():  # (file, page index, pages in the file, image, dpi), decoded one at a time
        for file in files:
            count = images.frame_count(file.data)
            for index, (image, dpi) in enumerate(images.open_frames(file.data, file.name)):
                yield file, index, count, image, dpi

    def read(job) -> tuple[tuple, int, PageSource]:
        file, index, count, image, dpi = job
        source = PageSource(pool.read(image, dpi), text_from=f"{file.name} (OCR)", image=file.name,
                            image_page=index + 1 if count > 1 else None, image_size=image.size)
        return natural_key(file.name), index, source

    with ocr.RecogniserPool(config.ocr_languages, name, config.ocr_threads) as pool:
        return list(pool.map(read, pages()))


def _read_pdf(file: SourceFile, name: str, config: PipelineConfig, book: bool) -> Document:
    layer = pdf.text_layer(file.data, file.name)
    if layer is not None:
        pages = [PageSource(page, text_from=f"{file.name} (text layer)", image=file.name, image_page=n,
                            image_size=(page.width, page.height)) for n, page in enumerate(layer, start=1)]
        how = "its text layer, which holds real text"
    else:
        def read(job: tuple[int, object]) -> PageSource:
            n, image = job
            return PageSource(pool.read(image, pdf.RENDER_DPI), text_from=f"{file.name} (OCR)", image=file.name,
                              image_page=n, image_size=image.size)

        with ocr.RecogniserPool(config.ocr_languages, name, config.ocr_threads) as pool:
            pages = list(pool.map(read, enumerate(pdf.rendered_pages(file.data, file.name), start=1)))
        how = f"its pages rendered at {pdf.RENDER_DPI} dpi and recognised (no real text layer)"
    doc = compose(pages, name, [file], "none" if layer is None else "UTF-8", book)
    doc.metadata.file_title = pdf.document_title(file.data, file.name)
    doc.provenance = _provenance(pages, [file]) + f" The PDF's text was read from {how}."
    doc.notes.append(f"PDF read from {how}")
    return doc


def _provenance(pages: list[PageSource], files: list[SourceFile]) -> str:
    imaged = sum(source.image is not None for source in pages)
    return (f"{len(pages)} page{'s' * (len(pages) != 1)} from {len(files)} file{'s' * (len(files) != 1)} "
            f"({sum(len(f.data) for f in files):,} bytes); text by {engines(pages)}; "
            f"{imaged} page{'s' * (imaged != 1)} linked to an image.")
