"""A library package, one document: the pages of the METS's physical structure map in their
order, each page's text from the chosen file group (ALTO, PAGE or hOCR, through the page
readers), its image as the facsimile (a local file, or the library's URL, kept as it is),
the page's ORDERLABEL as its label, the MODS record and the logical structure beside them.

What cannot be read is said page by page and the rest is read: a file the METS names that
is absent, a reference that leaves the package folder, a remote file not fetched, a page
with two text files. A page with no text but a local image is recognised.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from pipeline.config import PipelineConfig
from pipeline.errors import DocumentError, EmptyDocument
from pipeline.limits import check_pages
from pipeline.ingest.mets import fetch, groups
from pipeline.ingest.mets.mets import Mets, MetsFile, PhysicalPage, is_mets, parse_mets
from pipeline.ingest.mets.mods import read_record
from pipeline.ingest.mets.structure import divisions
from pipeline.ingest.pages import images, ocr
from pipeline.ingest.pages.compose import PageSource, SourceFile, compose, engines
from pipeline.ingest.pages.formats import image_format, ocr_format
from pipeline.ingest.pages.ocrpage import OcrPage
from pipeline.ingest.pages.reader import by_lines
from pipeline.model import Document, LibraryRecord

SNIFF_BYTES = 65536
MAX_PROBLEMS_SAID = 12  # per-page problems listed in the report; the rest counted
MIN_PAGE_SIDE = 16  # pixels: an image narrower or lower holds no line of print (OCR-D's 1×1 placeholders)


@dataclass
class Located:
    """Where a file the METS names is: in the package (``name``), at a URL, or refused."""

    name: str | None = None
    url: str | None = None
    refused: str | None = None


def locate(file: MetsFile, available: dict[str, SourceFile]) -> Located:
    """Where a METS file's bytes are: a URL, a file of the package, or why neither."""
    href = file.href
    if href.lower().startswith(("http://", "https://")):
        return Located(url=href)
    if ":" in href.split("/")[0] or href.startswith(("/", "\\")) or PurePosixPath(href).is_absolute():
        return Located(refused=f"{href} is outside the package folder (an absolute path or another scheme): not read")
    path = posixpath.normpath(unquote(href).replace("\\", "/"))
    if path == ".." or path.startswith("../"):
        return Located(refused=f"{href} leaves the package folder: not read")
    if path not in available:
        return Located(refused=f"{href} is named by the METS but absent from the package")
    return Located(name=path)


def is_package(files: list[SourceFile]) -> bool:
    """The files of a library package: the first is a METS file."""
    return bool(files) and is_mets(files[0].head(SNIFF_BYTES))


class _Package:
    def __init__(self, files: list[SourceFile], name: str, config: PipelineConfig):
        self.name, self.config = name, config
        self.mets_file = files[0]
        self.mets: Mets = parse_mets(self.mets_file.data, self.mets_file.name)
        self.available = {file.name: file for file in files[1:]}
        self.problems: list[str] = list(self.mets.problems)
        self.parsed: dict[str, tuple[OcrPage | None, str | None, str]] = {}  # file ID -> (page, problem, format)
        cache = Path(config.fetch_cache) if config.fetch_cache else None
        self.cache = cache
        for other in files[1:]:
            if is_mets(other.head(SNIFF_BYTES)):
                self.problems.append(f"{other.name} is another METS file beside {self.mets_file.name}: not read "
                                     "(give it as input by itself to read it)")

    def bytes_of(self, file: MetsFile) -> tuple[bytes | None, str | None, str]:
        """(data, problem, where) of a file the METS names."""
        where = self.locate(file)
        if where.refused:
            return None, where.refused, file.href
        if where.name is not None:
            return self.available[where.name].data, None, where.name
        if not self.config.fetch:
            return None, f"{file.href} is remote: not fetched (pass --fetch to read it)", file.href
        try:
            return fetch.fetch(where.url, self.cache), None, where.url
        except fetch.FetchError as error:
            return None, f"{where.url} {error}", where.url

    def locate(self, file: MetsFile) -> Located:
        return locate(file, self.available)

    def files_in(self, page: PhysicalPage, group: str, kind: str | None = None) -> list[MetsFile]:
        """The page's files in ``group``; of ``kind`` ("text" or "image") only, where given: an
        OCR-D processor's group holds the page's PAGE file and the image it derived side by side
        (a file whose MIMETYPE and name say neither stays: its bytes decide)."""
        other = {"text": "image", "image": "text"}.get(kind or "")
        return [self.mets.files[i] for i in page.file_ids if self.mets.files[i].group == group
                and (other is None or groups.file_kind(self.mets.files[i]) != other)]

    def text_of(self, page: PhysicalPage, group: str) -> tuple[OcrPage | None, str | None, str]:
        """(the page as read, problem, which file and format) from ``group``."""
        found = self.files_in(page, group, "text")
        if not found:
            return None, None, ""
        file = found[0]
        if file.id not in self.parsed:
            self.parsed[file.id] = self._parse(file, extra=[f.href for f in found[1:]])
        return self.parsed[file.id]

    def text_file(self, page: PhysicalPage, group: str) -> str | None:
        """The file the page's text is read from in ``group``: its name in the package, or its URL."""
        found = self.files_in(page, group, "text")
        if not found:
            return None
        where = self.locate(found[0])
        return where.name or where.url

    def _parse(self, file: MetsFile, extra: list[str]) -> tuple[OcrPage | None, str | None, str]:
        data, problem, where = self.bytes_of(file)
        if data is None:
            return None, problem, where
        if not data.strip():  # (a delivery's file cut short, or never written: no format to name)
            return None, f"{where} is empty ({len(data)} bytes): no text", where
        detected = ocr_format(data[:SNIFF_BYTES], where)
        if detected is None:
            return None, f"{where} is not an OCR file the pipeline reads (ALTO, PAGE, hOCR, ABBYY XML)", where
        label, module = detected
        try:
            pages = module.parse(data, where)
        except DocumentError as error:
            return None, f"{where}: {error.problem}", where
        problem = f"{where} and {', '.join(extra)} are text files of one page: {where} read" if extra else None
        if len(pages) > 1:
            problem = f"{where} holds {len(pages)} pages where the METS names one: the first read"
        if pages[0].problems:  # boxes and confidences repaired or left out, by the file's line
            repaired = f"{where}: {'; '.join(by_lines(pages[0].problems))}"
            problem = repaired if problem is None else f"{problem}; {repaired}"
        return pages[0], problem, f"{where} ({label})"

    def image_of(self, page: PhysicalPage, group: str) -> tuple[str | None, tuple[int, int] | None,
                                                            bytes | None, str | None]:
        """(the image as the edition names it, its size, its bytes when local, problem) from ``group``."""
        found = self.files_in(page, group, "image")
        if not found:
            return None, None, None, None
        where = self.locate(found[0])
        if where.url:
            return where.url, None, None, None
        if where.refused:
            return None, None, None, where.refused
        data = self.available[where.name].data
        if image_format(data[:SNIFF_BYTES]) is None:
            return None, None, None, f"{where.name} is not a page image the pipeline reads"
        size = images.size_of(data)
        if size is not None and min(size) < MIN_PAGE_SIDE:
            return None, None, None, (f"{where.name} is {size[0]}×{size[1]} pixels: no page image to recognise "
                                      "(a placeholder)")
        return where.name, size, data, None

    def image_among(self, page: PhysicalPage, chosen: list[str]) -> tuple[str | None, tuple[int, int] | None,
                                                                         bytes | None, list[str], str | None]:
        """The page's image from the first of the image groups ``chosen`` (the chosen group
        first) that has a usable one: (image, size, its bytes when local, the problems met on
        the way, the group it came from)."""
        problems = []
        local = [g for g in chosen[1:] if any(self.locate(f).name for f in self.files_in(page, g, "image"))]
        for group in dict.fromkeys([*chosen[:1], *local, *chosen[1:]]):  # a local image can be recognised
            image, size, data, problem = self.image_of(page, group)
            if problem:
                problems.append(problem)
            if image is not None:
                if group != chosen[0]:
                    problems.append(f"its image taken from file group {group} instead")
                return image, size, data, problems, group
        return None, None, None, problems, None


def read_package(files: list[SourceFile], name: str, config: PipelineConfig,
                 language_of: ocr.LanguageOf | None = None, left_out: list[DocumentError] = ()) -> Document:
    """The document of a METS package's files; ``language_of`` and ``left_out`` as for
    :func:`pipeline.ingest.pages.reader.read_pages`."""
    package = _Package(files, name, config)
    package.problems.extend(str(problem) for problem in left_out)
    mets = package.mets
    check_pages(name, len(mets.pages), config)
    if not mets.pages:
        raise DocumentError(package.mets_file.name, "has no pages: its physical structure map "
                            "(structMap TYPE=\"PHYSICAL\") is missing or lists no file",
                            "the order of the book's pages is only known from it")
    text_group, why = _text_group(package)
    # where the chosen group lacks a page's file, the others in turn (not when the user chose one)
    other_text_groups = [] if config.file_group else [
        group for group in groups.groups_of_kind(mets, "text") if group != text_group]
    image_groups = _image_groups(package)
    image_group = image_groups[0] if image_groups else None
    sources: list[PageSource] = []
    to_recognise: list[tuple[int, bytes, str]] = []
    missing: dict[int, tuple[str, str]] = {}  # page index -> (gap/@reason, what), pages without text
    no_text: dict[int, str] = {}  # page index -> why it has no text, said if no page has any
    unrecognised: dict[int, str] = {}  # page index -> its local image, said of it once recognition was tried
    fallbacks: dict[str, set[str]] = {"text": set(), "image": set()}  # the other groups pages were taken from
    for number, page in enumerate(mets.pages, start=1):
        said = f"page {number}" + (f" ({page.label})" if page.label else "")
        read, problem, where = package.text_of(page, text_group) if text_group else (None, None, "")
        read_from = text_group
        if read is None and (other := _text_elsewhere(package, page, other_text_groups)):
            read_from, read, where = other
            lacking = problem or f"no file in file group {text_group}"
            problem = f"{lacking}: its text taken from file group {read_from} instead"
            fallbacks["text"].add(read_from)
        image, size, image_data, image_problems, from_group = package.image_among(page, image_groups)
        if from_group not in (None, image_group):
            fallbacks["image"].add(from_group)
        if problem:
            package.problems.append(f"{said}: {problem}")
        package.problems.extend(f"{said}: {image_problem}" for image_problem in image_problems)
        text_file = package.text_file(page, read_from) if read else None
        source = PageSource(read or OcrPage(), text_from=where or "no text", text_file=text_file, image=image,
                            image_size=size)
        if read is None or not read.lines:
            if why_missing := _missing(package, page, text_group, problem, image, image_problems):
                missing[len(sources)] = why_missing
            no_text[len(sources)] = f"{said}: " + "; ".join(
                [problem or (f"{where} holds no text" if where else f"no text file in file group {text_group}")]
                + (image_problems if image is None else [] if image_data else [f"{image} is remote (not recognised)"]))
            if image_data is not None:
                to_recognise.append((len(sources), image_data, image))
                unrecognised[len(sources)] = image
            elif not problem:
                package.problems.append(f"{said}: no text" + (f" in file group {text_group}" if text_group else "")
                                        + (" and its image is remote (not recognised)" if image else
                                           " and no image to recognise"))
        sources.append(source)
    if to_recognise and (why_not := ocr.available()) is not None:
        package.problems.append(f"{len(to_recognise)} pages without text have an image, but cannot be recognised "
                                f"here: {why_not}")
        outcome = f"not recognised ({why_not})"
    elif to_recognise:
        _recognise(sources, to_recognise, name, config, _record_models(package), package.problems, language_of)
        outcome = "recognised, no text found"
    for index, image in unrecognised.items():  # what became of each page's image, as it happened
        no_text[index] += f"; {image} {outcome}"
    try:
        doc = compose(sources, name, files, "UTF-8", book=True)
    except EmptyDocument as error:
        raise EmptyDocument(name, _no_page_has_text(list(no_text.values()), len(sources))) from error
    for index, (surface, page) in enumerate(zip(doc.facsimile, mets.pages)):
        surface.label = page.label
        if index in missing and not sources[index].page.lines:  # not recognised either: a gap (a blank page: compose)
            surface.missing = missing[index]
    record = read_record(mets.dmd[ids[0]], mets.dmd.get(mets.physical_dmdid or "")) \
        if (ids := mets.record_ids()) else None
    record = record or LibraryRecord()
    record.text_group, record.image_group = text_group, image_group
    record.divisions = divisions(mets)
    doc.library = record
    said = package.problems[:MAX_PROBLEMS_SAID]
    if len(package.problems) > MAX_PROBLEMS_SAID:
        said.append(f"… and {len(package.problems) - MAX_PROBLEMS_SAID} more problems of the package")
    doc.problems.extend(said)
    imaged = sum(source.image is not None for source in sources)
    read = [source for source in sources if source.page.lines]
    recognised = [source for source in read if source.recognised]
    from_files = [source for source in read if not source.recognised]
    remote = sum(bool(source.image) and source.image.startswith(("http://", "https://")) for source in sources)
    doc.provenance = (
        f"Library package: {_counted(len(sources), 'page')} in the order of the physical structure map of "
        f"{package.mets_file.name}; text from file group {text_group or '(none)'} ({why}), "
        f"{'read by ' + engines(from_files) if from_files else 'no page read there' if recognised else 'no page read'}"
        + (f"; recognised from the page images by {engines(recognised)}" if recognised else "")
        + f"; images from file group {image_group or '(none)'} "
        f"({_counted(imaged, 'page')}, {remote} of them the library's URLs)"
        + "".join(f"; where a page lacks its {kind} file there, from file group{'s' * (len(used) > 1)} "
                  f"{', '.join(sorted(used))}" for kind, used in fallbacks.items() if used)
        + f"; {_counted(len(package.problems), 'problem')} reported.")
    return doc


def _counted(count: int, thing: str) -> str:
    """``1 page``, ``3 pages``."""
    return f"{count} {thing}{'s' * (count != 1)}"


def _missing(package: _Package, page: PhysicalPage, text_group: str | None, problem: str | None,
             image: str | None, image_problems: list[str]) -> tuple[str, str] | None:
    """(gap/@reason, what) of a page without text; None for a text file read whole that holds
    none, beside an image that is usable or none at all (a blank page)."""
    found = package.files_in(page, text_group, "text") if text_group else []
    # an image here that cannot be recognised (a 1×1 placeholder) makes the page unreadable, not missing
    unusable = "; ".join(image_problems) if image is None and any(
        package.locate(file).name for file in map(package.mets.files.get, page.file_ids)
        if file is not None and groups.file_kind(file) == "image") else None
    if not found:
        in_group = f" in file group {text_group}" if text_group else ""
        if image:
            return "not-recognised", f"no text{in_group}, only an image"
        return ("unreadable", f"no text{in_group}; {unusable}") if unusable else \
            ("missing", f"no text{in_group} and no image")
    where = package.locate(found[0])
    if problem is None:
        return ("unreadable", f"{found[0].href} holds no text; {unusable}") if unusable else None
    if where.url:
        return "not-fetched", problem
    return ("missing" if where.refused else "unreadable"), problem


def _text_elsewhere(package: _Package, page: PhysicalPage,
                    others: list[str]) -> tuple[str, OcrPage, str] | None:
    """(group, page as read, which file) from the first of the ``others`` text groups whose
    file for the page has text; read without keeping it (only the chosen group's are kept)."""
    for group in others:
        found = package.files_in(page, group, "text")
        if found and (read := package._parse(found[0], extra=[]))[0] is not None and read[0].lines:
            return group, read[0], read[2]
    return None


def _no_page_has_text(why: list[str], pages: int) -> str:
    """The one line that says why a package gives no edition: each page's reason, the first few."""
    shown = "; ".join(why[:3]) + (f"; and {len(why) - 3} more pages without text" if len(why) > 3 else "")
    return f"no page has text ({pages} page{'s' * (pages != 1)}): {shown}"


def _text_group(package: _Package) -> tuple[str | None, str]:
    candidates = groups.groups_of_kind(package.mets, "text")
    chosen = package.config.file_group
    if chosen is not None:
        if chosen not in package.mets.groups:
            raise DocumentError(package.mets_file.name, f"has no file group {chosen!r} (--file-group); its groups: "
                                f"{', '.join(package.mets.groups)}")
        return chosen, "chosen with --file-group"
    if len(candidates) == 1:
        return candidates[0], "the only group of text files"
    counts = {group: sum(1 for page in package.mets.pages
                         if (read := package.text_of(page, group)[0]) is not None and read.lines)
              for group in candidates}
    group, why = groups.choose_text_group(candidates, counts)
    # the other groups' pages, read to count them, are let go: only the chosen group's are used
    package.parsed = {i: read for i, read in package.parsed.items() if package.mets.files[i].group == group}
    if group is None and candidates:  # none has text: the ground truth's (else the first) is the one said
        fallback = next((g for g in candidates if groups.is_ground_truth(g)), candidates[0])
        return fallback, f"{why}; {'the ground truth' if groups.is_ground_truth(fallback) else 'the first'} group"
    return group, why


def _image_groups(package: _Package) -> list[str]:
    """The image groups, the one chosen first, then the others in the order they are tried
    for a page the chosen one lacks."""
    candidates = groups.groups_of_kind(package.mets, "image")

    def readable(group: str) -> int:
        located = [package.locate(f) for f in package.mets.files.values() if f.group == group]
        return sum(1 for where in located if where.name or where.url)

    ranked = sorted(candidates, key=lambda group: (groups.image_rank(group, readable(group)), candidates.index(group)))
    # a thumbnail stands in for no page: too small to read, it would be recognised as noise
    return ranked[:1] + [group for group in ranked[1:] if not groups.LOW_RESOLUTION.match(group)]


# MODS languages (BCP 47, with script) -> Tesseract models, for pages that must be recognised
OCR_MODELS = {"de": "deu", "la": "lat", "grc": "grc", "el": "ell", "en": "eng", "fr": "fra", "it": "ita",
              "zh-Hant": "chi_tra", "zh-Hans": "chi_sim", "zh": "chi_tra+chi_sim"}
SCRIPT_MODELS = {"Latf": "frk", "Grek": "grc", "Hant": "chi_tra", "Hans": "chi_sim"}


def _record_models(package: _Package) -> str | None:
    """The models the MODS record's languages and scripts call for, where installed: a hint
    for the pages whose script they read (``--ocr-languages`` wins; each page's script, seen
    on the page, decides which of them fit: :class:`ocr.Recogniser`)."""
    ids = package.mets.record_ids()
    if not ids:
        return None
    languages = read_record(package.mets.dmd[ids[0]]).languages
    wanted: list[str] = []
    for tag in languages:
        language, _, script = tag.partition("-")
        wanted += OCR_MODELS.get(tag, OCR_MODELS.get(language, "")).split("+")
        wanted += SCRIPT_MODELS.get(script, "").split("+")
    installed = ocr.installed_models()
    models = [m for m in dict.fromkeys(wanted) if m and m in installed]
    return "+".join(models) or None


def _recognise(sources: list[PageSource], jobs: list[tuple[int, bytes, str]], name: str,
               config: PipelineConfig, hint: str | None, problems: list[str],
               language_of: ocr.LanguageOf | None) -> None:
    def read(job):
        index, data, image_name = job
        try:
            frame = next(images.open_frames(data, image_name, config.max_page_pixels))
        except images.ImageProblem as problem:  # a damaged header
            return index, None, str(problem)
        if frame.problem is not None:  # over max_page_pixels, or damaged data: the page is left without text
            return index, None, str(frame.problem)
        return index, pool.read(frame.image, frame.dpi), image_name

    with ocr.RecogniserPool(config.ocr_languages, name, config.ocr_threads, language_of, hint) as pool:
        for index, page, image_name in pool.map(read, jobs):
            if page is None:
                problems.append(f"page {index + 1}: {image_name}")
                continue
            sources[index].page = page
            sources[index].text_from = f"{image_name} (OCR)"
