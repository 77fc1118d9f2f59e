"""A digitized source, one document: the page files of a book folder (OCR files, page
images or both), a multi-page TIFF, a PDF, or one OCR file. An OCR file gives a page's
text and the image of the same stem becomes its facsimile; an image with no OCR file is
recognised; pages follow the natural order of their names (``2.tif`` before ``10.tif``)."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from pipeline.config import PipelineConfig
from pipeline.errors import DocumentError, EmptyDocument
from pipeline.limits import check_pages
from pipeline.ingest.pages import images, ocr, pagework, pdf
from pipeline.ingest.pages.compose import PageSource, SourceFile, compose, engines, lay_out_early
from pipeline.ingest.pages.formats import page_kind
from pipeline.ingest.pages.ocrpage import OcrPage, Problem
from pipeline.ingest.pages.pagework import PageMap, parse_page_file
from pipeline.model import Document
from pipeline.numerals import CHINESE_DIGITS, CHINESE_UNITS, chinese_to_int

SNIFF_BYTES = 65536


NAME_NUMBER = re.compile(f"(\\d+|[{''.join(CHINESE_DIGITS)}{''.join(CHINESE_UNITS)}]+)")  # a number in a file's name


def natural_key(name: str) -> tuple:
    """``p2`` before ``p10``, ``卷二`` before ``卷十`` (files named by 卷, 冊, 頁): digits and
    Chinese numerals compare as numbers."""
    return tuple((0, int(part), "") if part.isdecimal()
                 else (0, value, "") if (value := chinese_to_int(part)) is not None
                 else (1, 0, part.lower()) for part in NAME_NUMBER.split(name) if part)


def stems(name: str) -> list[str]:
    """``179393.abbyy.xml`` -> [``179393.abbyy``, ``179393``]: what an image it belongs to may be called."""
    found, path = [], PurePosixPath(PurePosixPath(name).name)
    while path.suffix:
        path = path.with_suffix("")
        found.append(path.name)
    return found or [path.name]


def read_pages(files: list[SourceFile], name: str, config: PipelineConfig, book: bool = True,
               language_of: ocr.LanguageOf | None = None, left_out: list[DocumentError] = (),
               map_pages: PageMap | None = None) -> Document:
    """The document of a book's page files (``book``), or of one page file read by itself.
    ``language_of`` judges the language of a page OCR read, to choose its model by (see
    :data:`ocr.LanguageOf`; the pipeline gives :func:`pipeline.stages.language.page_language`).

    A page file that cannot be read (a damaged image, one over the pixel limit, an OCR file
    that is not well-formed) leaves its page out of a book with a line in the document's
    ``problems``; only a source none of whose pages could be read fails, with that reason.
    ``left_out``: the book's page files not read (over max_page_file_bytes), problems from the start.
    ``map_pages``: runs the units of work of its pages (reading an OCR file, recognising a page
    image) elsewhere, say on a cluster's workers (see :mod:`pagework`); by default this process
    reads them, images on ``config.ocr_threads`` threads. The document is the same either way."""
    check_pages(name, len(files), config)
    kinds = {file.name: page_kind(file.head(SNIFF_BYTES), file.name) for file in files}
    if strangers := sorted(n for n, kind in kinds.items() if kind is None):
        raise DocumentError(name, f"mixes page files with files that are neither page images nor OCR files: "
                                  f"{', '.join(strangers[:5])}", "move them to a folder of their own")
    if any(kind == "pdf" for kind in kinds.values()):
        if len(files) > 1:
            raise DocumentError(name, "mixes a PDF with other page files", "give each PDF as a document of its own")
        return _read_pdf(files[0], name, config, book, language_of)
    problems: list[DocumentError] = list(left_out)
    image_files = {file.name: file for file in files if kinds[file.name] == "image"}
    by_stem = {stems(n)[0]: n for n in sorted(image_files, key=natural_key)}
    keyed: list[tuple[tuple, int, PageSource]] = []
    used: set[str] = set()
    unmatched: list[str] = []  # image references that name no file of the book
    ocr_files = [file for file in files if kinds[file.name] == "ocr"]
    read = []
    for file, parsed in zip(ocr_files, (map_pages or map)(parse_page_file, ocr_files)):
        if isinstance(parsed, DocumentError):
            problems.append(parsed)
        else:
            read.append((file, *parsed))
    check_pages(name, len(image_files) + sum(len(pages) for _file, _label, pages in read), config)
    for file, label, pages in one_source_per_page(read, by_stem, problems):
        for index, page in enumerate(pages):
            problems.extend(DocumentError(file.name, f"{where(index, len(pages))}{problem}")
                            for problem in by_lines(page.problems))
            image = _image_for(file.name if len(pages) == 1 else None, page.image, by_stem)
            source = PageSource(page, text_from=f"{file.name} ({label})", text_file=file.name)
            if image is not None:
                used.add(image)
                source.image = image
                source.image_size = images.size_of(image_files[image].opened, image)
            elif page.image and not book and _plain_name(page.image):
                source.image = page.image  # a file read by itself: the image beside it, as the engine names it
            elif page.image:  # never linked as written: it may lead anywhere (/home/…, ../../…)
                unmatched.append(f"{file.name} {where(index, len(pages))}names {_image_named(page.image)}")
            keyed.append((natural_key(image or file.name), index, source))
    if unmatched:
        said = "OCR files name" if len(unmatched) > 1 else "OCR file names"
        listed = "; ".join(unmatched[:3]) + (", …" if len(unmatched) > 3 else "")
        problems.append(DocumentError(name, f"{len(unmatched)} {said} an image that is not among the "
                                            f"{'book' if book else 'source'}'s files ({listed}); not linked"))
    unread = [image_files[n] for n in image_files if n not in used]
    if unread:
        keyed.extend(_recognise(unread, name, config, problems, language_of, map_pages))
    if all(source.missing for _key, _index, source in keyed) and problems:
        raise problems[0]  # nothing could be read: the first reason is the document's
    keyed.sort(key=lambda item: (item[0], item[1]))
    pages = [source for _key, _index, source in keyed]
    doc = _compose(pages, name, files, "UTF-8" if any(kinds[f.name] == "ocr" for f in files) else "none", book,
                   [str(problem) for problem in problems])
    doc.provenance = _provenance(pages, files)
    _record(doc, doc.problems)
    return doc


def _compose(pages: list[PageSource], name: str, files: list[SourceFile], encoding: str, book: bool,
             problems: list[str]) -> Document:
    """The document of the pages read; a source with no text says what was left out too."""
    try:
        doc = compose(pages, name, files, encoding, book)
    except EmptyDocument as empty:
        if not problems:
            raise
        raise EmptyDocument(name, f"{empty.problem}; left out: {'; '.join(problems)}") from None
    doc.problems = problems
    return doc


def _image_named(reference: str) -> str:
    """An OCR file's image reference as a report may repeat it: its name, and whether it
    pointed out of the book (the folders it names are nobody's business)."""
    path = PurePosixPath(reference.replace("\\", "/"))
    outside = path.is_absolute() or ".." in path.parts or ":" in reference
    return repr(path.name) + (" by a path leading out of the folder" if outside else "")


def _plain_name(reference: str) -> bool:
    """A file name alone, which can only mean a file beside the OCR file."""
    return PurePosixPath(reference).name == reference and "\\" not in reference and ":" not in reference \
        and reference not in (".", "..")


LINES_SAID = 5  # lines named for one problem; the others counted


def by_lines(problems: list[Problem]) -> list[str]:
    """The page's problems, one line for each kind of problem (the same words), with the
    lines of the file it was met on: ``lines 6, 7, 9, 12, 13 and 38 more: confidence 'high' …``."""
    lines: dict[str, list[int]] = {}
    for line, problem in problems:
        lines.setdefault(problem, []).extend([line] if line else [])
    said = []
    for problem, found in lines.items():
        distinct = list(dict.fromkeys(found))
        shown = ", ".join(map(str, distinct[:LINES_SAID])) + (f" and {len(distinct) - LINES_SAID} more"
                                                             if len(distinct) > LINES_SAID else "")
        times = f" ({len(found)} times)" if len(found) > len(distinct) else ""
        said.append(f"line{'s' * (len(distinct) > 1)} {shown}{times}: {problem}" if found else problem)
    return said


def where(index: int, count: int) -> str:
    """"page 3: " inside a file of several pages; nothing for a file of one."""
    return f"page {index + 1}: " if count > 1 else ""


# Which OCR file gives a page's text when several do (``p1.xml`` and ``p1.hocr``): the
# formats that describe the page most fully first.
PREFERRED_FORMATS = ("PAGE XML", "ALTO", "ABBYY FineReader XML", "hOCR")


def one_source_per_page(read: list[tuple[SourceFile, str, list[OcrPage]]], by_stem: dict[str, str],
                        problems: list[DocumentError]) -> list[tuple[SourceFile, str, list[OcrPage]]]:
    """The OCR files of a book, one per page: of two single-page files for the same page (the
    same image, or the same name before their suffixes), the one in the format preferred
    (PREFERRED_FORMATS; then the first by name); the others reported and not read."""
    pages: dict[str, list[tuple[SourceFile, str, list[OcrPage]]]] = {}
    kept = []
    for entry in read:
        file, _label, found = entry
        if len(found) != 1:
            kept.append(entry)
            continue
        image = _image_for(file.name, found[0].image, by_stem)
        pages.setdefault(image or stems(file.name)[-1], []).append(entry)
    for same in pages.values():
        same.sort(key=lambda e: (PREFERRED_FORMATS.index(e[1]), natural_key(e[0].name)))
        chosen, *others = same
        kept.append(chosen)
        for file, label, _found in others:
            problems.append(DocumentError(file.name, f"gives the same page as {chosen[0].name}; its text was taken "
                                          f"from {chosen[0].name} ({chosen[1]} before {label}), "
                                          f"{file.name} not read"))
    return kept


def read_page_file(data: bytes, file_name: str, config: PipelineConfig,
                   language_of: ocr.LanguageOf | None = None) -> Document:
    """One file by itself: an OCR file, a page image (multi-page TIFF included) or a PDF."""
    return read_pages([SourceFile(file_name, data)], file_name, config, book=False, language_of=language_of)


def _image_for(ocr_file: str | None, named: str | None, by_stem: dict[str, str]) -> str | None:
    """The book's image an OCR file belongs to, by name only: the name the file gives
    (whatever folder it says, ``/home/…`` or ``../../``), else the OCR file's own stem."""
    candidates = stems(PurePosixPath(named.replace("\\", "/")).name) if named else []
    candidates += stems(ocr_file) if ocr_file else []
    return next((by_stem[stem] for stem in candidates if stem in by_stem), None)


def _recognise(files: list[SourceFile], name: str, config: PipelineConfig, problems: list[DocumentError],
               language_of: ocr.LanguageOf | None, map_pages: PageMap | None) -> list[tuple[tuple, int, PageSource]]:
    """The pages of the book's images without OCR files, recognised. A page not read (over
    max_page_pixels, damaged) stays in the book as a page without text: its image and, where
    its header told it, its size; the reason in the document's problems and in its gap."""
    readable, refused = [], []
    for file in files:  # every image measured before any model is loaded
        try:
            head = images.header(file.opened, file.name)
        except images.ImageProblem as problem:
            problems.append(problem)
            refused.append(_not_read(file.name, None, None, problem))
            continue
        if head.damaged:
            problems.append(DocumentError(file.name, head.damaged))
        try:
            check_pages(file.name, head.frames, config)
        except DocumentError as problem:
            problems.append(problem)
            continue
        try:
            if head.frames == 1:
                images.check_pixels(head.size, config.max_page_pixels, file.name)
            readable.append((file, head.frames))
        except images.ImageProblem as problem:
            problems.append(problem)
            refused.append(_not_read(file.name, None, head.size, problem))
    if not readable:
        return refused
    if map_pages is not None:
        return refused + _recognised_elsewhere(readable, name, config, problems, language_of, map_pages)

    def pages():  # (file, page index, pages in the file, frame), decoded one at a time
        for file, count in readable:
            for frame in images.open_frames(file.opened, file.name, config.max_page_pixels):
                if frame.problem is not None:
                    problems.append(frame.problem)
                yield file, count, frame

    def read(job) -> tuple[tuple, int, PageSource]:
        file, count, frame = job
        image_page = frame.index + 1 if count > 1 else None
        if frame.problem is not None:
            return _not_read(file.name, image_page, frame.size, frame.problem)
        page = lay_out_early(pool.read(frame.image, frame.dpi))  # as recognise_frame does on a cluster
        source = PageSource(page, text_from=f"{file.name} (OCR)", image=file.name, image_page=image_page,
                            image_size=frame.image.size)
        return natural_key(file.name), frame.index, source

    with ocr.RecogniserPool(config.ocr_languages, name, config.ocr_threads, language_of) as pool:
        return refused + list(pool.map(read, pages()))


def _recognised_elsewhere(readable: list[tuple[SourceFile, int]], name: str, config: PipelineConfig,
                          problems: list[DocumentError], language_of: ocr.LanguageOf | None,
                          map_pages: PageMap) -> list[tuple[tuple, int, PageSource]]:
    """The images' pages recognised as units of work through ``map_pages``: the same pages,
    problems and choice of models as the threads of this process give."""
    choices = ((), not config.ocr_languages)  # models given: nothing to choose
    jobs = [pagework.FrameJob(file, index, count, name, config.ocr_languages, config.max_page_pixels, choices,
                              language_of) for file, count in readable for index in range(count)]
    keyed = []
    for job, read in zip(jobs, pagework.recognise(jobs, map_pages)):
        if read.problem is not None:
            problems.append(read.problem)
            keyed.append(_not_read(job.file.name, job.index + 1 if job.count > 1 else None, read.size, read.problem))
        else:
            keyed.append((natural_key(job.file.name), job.index, read.source))
    return keyed


def _not_read(image: str, image_page: int | None, size: tuple[int, int] | None,
              problem: images.ImageProblem) -> tuple[tuple, int, PageSource]:
    """A page whose image was not read: kept in its place, without text, saying why."""
    source = PageSource(OcrPage(), text_from=f"{image} (not read)", image=image, image_page=image_page,
                        image_size=size, missing=(problem.gap_reason, str(problem)))
    return natural_key(image), (image_page or 1) - 1, source


def _read_pdf(file: SourceFile, name: str, config: PipelineConfig, book: bool,
              language_of: ocr.LanguageOf | None) -> Document:
    """Each page from its text layer when that holds real text; the others recognised when
    the PDF is a scan (most pages without text) or when their hidden layer was refused as not
    text; a PDF made from text keeps its blank pages and pictures as they are."""
    data = file.data
    check_pages(name, pdf.page_count(data, file.name), config)
    layers = pdf.text_layers(data, file.name)
    from_text = pdf.mostly_text(layers)
    recognised = {n for n, layer in enumerate(layers, start=1) if not layer.real and (layer.refused or not from_text)}
    problems = _hidden_layers_left_out(file.name, layers, recognised)
    sources = {n: PageSource(layer.page, text_from=f"{file.name} (text layer)", image=file.name, image_page=n,
                             image_size=(layer.page.width, layer.page.height))
               for n, layer in enumerate(layers, start=1) if n not in recognised}
    dpis: set[int] = set()
    not_rendered: list[str] = []
    if recognised:
        def jobs():
            for rendering in pdf.rendered_pages(data, file.name, pdf.RENDER_DPI, config.max_render_pixels,
                                                numbers=recognised):
                if rendering.problem:
                    problems.append(f"{file.name}: page {rendering.number}: {rendering.problem}")
                if rendering.image is not None:
                    dpis.add(rendering.dpi)
                    yield rendering
                elif rendering.problem:
                    not_rendered.append(f"page {rendering.number}: {rendering.problem}")

        def read(rendering: pdf.Rendering) -> tuple[int, PageSource]:
            return rendering.number, PageSource(pool.read(rendering.image, rendering.dpi),
                                                text_from=f"{file.name} (OCR)", image=file.name,
                                                image_page=rendering.number, image_size=rendering.image.size)

        with ocr.RecogniserPool(config.ocr_languages, name, config.ocr_threads, language_of) as pool:
            sources.update(pool.map(read, jobs()))
        if not sources and not_rendered:
            raise DocumentError(name, not_rendered[0])
    pages = [sources[n] for n in sorted(sources)]
    how = _how_pdf_read(layers, set(sources) - recognised, set(sources) & recognised, dpis)
    doc = _compose(pages, name, [file], "UTF-8" if set(sources) - recognised else "none", book, problems)
    doc.metadata.file_title = pdf.document_title(data, file.name)
    doc.provenance = _provenance(pages, [file]) + f" The PDF's text was read from {how}."
    doc.notes.append(f"PDF read from {how}")
    _record(doc, problems)
    return doc


def _how_pdf_read(layers: list[pdf.Layer], from_layer: set[int], recognised: set[int], dpis: set[int]) -> str:
    """How the PDF's pages were read, page by page when not all alike."""
    hidden = any(layers[n - 1].hidden for n in from_layer)
    layer = f"its text layer{' (hidden, over the page images)' if hidden else ''}, which holds real text"
    rendered_at = " or ".join(f"{dpi} dpi" for dpi in sorted(dpis, reverse=True)) or f"{pdf.RENDER_DPI} dpi"
    scans = f"its pages rendered at {rendered_at} and recognised"
    if not recognised:
        return layer
    if not from_layer:
        return f"{scans} (no real text layer)"
    return f"{layer}, on {pages_said(from_layer)}, and {scans}, on {pages_said(recognised)}"


def _hidden_layers_left_out(file_name: str, layers: list[pdf.Layer], recognised: set[int]) -> list[str]:
    """One line for the pages whose hidden layer was left out and were recognised, one for
    those read from the text they show: the first page's reason given."""
    lines = []
    for outcome, pages in ((("the page recognised", "the pages recognised"), sorted(recognised)),
                           (("the text the page shows read", "the text the pages show read"),
                            sorted(set(range(1, len(layers) + 1)) - recognised))):
        left_out = [n for n in pages if layers[n - 1].hidden_refused]
        if not left_out:
            continue
        first = layers[left_out[0] - 1]
        detail = f"{first.hidden_characters:,} characters; {first.hidden_refused}"
        if len(left_out) == 1:
            lines.append(f"{file_name}: page {left_out[0]}: its hidden text layer ({detail}) does not read as text; "
                         f"left out, {outcome[0]}")
        else:
            lines.append(f"{file_name}: {pages_said(left_out)}: their hidden text layers do not read as text "
                         f"(page {left_out[0]}: {detail}); left out, {outcome[1]}")
    return lines


def pages_said(numbers: set[int] | list[int]) -> str:
    """``page 2``, ``pages 1-3, 7``: page numbers, runs as ranges."""
    ordered = sorted(numbers)
    runs: list[list[int]] = []
    for number in ordered:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    said = ", ".join(f"{run[0]}" if len(run) == 1 else f"{run[0]}–{run[-1]}" for run in runs)
    return f"page{'s' * (len(ordered) > 1)} {said}"


def _record(doc: Document, problems: list[str]) -> None:
    """What was left out or repaired: in the report, and in the edition's account of its pages."""
    doc.problems = problems
    if problems:
        doc.provenance += f" Left out or repaired: {'; '.join(problems)}."


def _provenance(pages: list[PageSource], files: list[SourceFile]) -> str:
    imaged = sum(source.image is not None for source in pages)
    read = [source for source in pages if not source.missing]
    not_read = len(pages) - len(read)
    return (f"{len(pages)} page{'s' * (len(pages) != 1)} from {len(files)} file{'s' * (len(files) != 1)} "
            f"({sum(f.size for f in files):,} bytes); text by {engines(read)}"
            + (f", {not_read} page{'s' * (not_read != 1)} not read" if not_read else "")
            + f"; {imaged} page{'s' * (imaged != 1)} linked to an image.")
