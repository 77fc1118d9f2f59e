"""Every real corpus × every input kind it has, in one table.

    python -m bench.corpora [--images N] [--corpus NAME] [--no-record]

The corpora of ../shared/corpora (see its README): the Grenzboten 1841 (ground truth for 100
pages), Hobbes 1668 (8 pages), Swete 1901 and Arnobius 1875 (none: pages judged by reading
them, bench/judged/*.json) and the OCR-D METS workspaces (read as library packages: their PAGE
files hold no text, so their pages are recognised). Each input kind a corpus has becomes one edition, as a user would build it:
the engines' XML (ABBYY FineReader, Tesseract 3 hOCR, OCRopus hOCR) as a book of page files,
the ABBYY and Tesseract text exports joined as archives join them (`cat`), the page images
recognised by Tesseract 5 (slow: `--images N` pages per corpus, 2 unless told).

Per row, on the pages that have a truth (ground truth, or judged by reading):
- CER of the edition's reading text (furniture out, its corrections and joined hyphens in)
  beside the engine's own text (XML, text exports) or Tesseract's out of the box (images, same
  models, the `tesseract` command), furniture left out of both and hyphens joined the same
  way on both sides and in the ground truth; whitespace-blind;
- furniture P/R (true positives/false positives/misses) for page numbers, running heads and
  signatures + catchwords: a truth item is found when a furniture edit covers the edition's
  line (or words of it) that reads like it; a furniture edit on a judged page that covers no
  truth item is a false positive of its own kind (one printed item is one: a head the engine cut
  into boxes side by side on its row is matched as the row, its pieces neither twice nor false;
  bench/matching.py, a rule a function);
- joins over the page turns, dehyphenation, notes at the foot (and apparatus) as
  bench.digitization measures them; margin notes and sigla, apparatus lines left in the text;
- seconds per page;
and per row on every page, without any truth: page breaks whose `n` is no plausible page
number (not a number, or off the sequence most pages follow), page numbers found away from
the page's top and foot (margin line or verse numbers taken as page numbers), and, per corpus,
page breaks put into the same text with no page evidence (the truth pages' body lines joined
by blank lines: every `pb` there is invented).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.digitization import FURNITURE, _join_hyphens, _join_over_pages, _squeeze, dehyphenation_score, ratio
from bench.machine import add_record_option, describe, publish
from bench.matching import (CLASSES, EDIT_CLASS, Item, Line, Page, _window_similarity, class_of, covered,
                            match_furniture)
from bench.real import SIGNATURE, _similar
from pipeline.config import PipelineConfig
from pipeline.evaluation.metrics import Options, character_errors, normalize
from pipeline.ingest.mets.mets import parse_mets
from pipeline.ingest.pages.compose import SourceFile
from pipeline.ingest.pages.reader import natural_key
from pipeline.kinds import CONTAINER_KINDS, FW_TYPES, READING_KINDS
from pipeline.process import build_edition

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
JUDGED = Path(__file__).resolve().parent / "judged"
NOT_TEXT = FURNITURE | {"layout"}  # what the reading text leaves out
CER_OPTIONS = Options(normalization="NFKC")  # whitespace collapsed, line-end hyphens joined: evaluate's defaults
ROMAN = re.compile(r"^(?=[ivxlcdm]+$)m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$", re.IGNORECASE)


@dataclass(frozen=True)
class Input:
    label: str
    folder: str
    suffix: str
    kind: str  # "xml", "text" or "images"


XML = (Input("ABBYY XML", "abbyy-xml", ".abbyy.xml", "xml"), Input("Tesseract 3 hOCR", "tess-hocr", ".hocr", "xml"),
       Input("OCRopus hOCR", "ocropus-hocr", ".hocr", "xml"))
TEXT = (Input("ABBYY text export (cat)", "abbyy-txt", ".abbyy.txt", "text"),
        Input("Tesseract 3 text export (cat)", "tess-txt", ".tess.txt", "text"))
IMAGES = Input("page images, Tesseract 5", "tif", ".tif", "images")
CORPUS_INPUTS = {
    "grenzboten-1841": (*XML, *TEXT, IMAGES),
    "hobbes-1668": (*XML, *TEXT, IMAGES),
    "swete-1901": (XML[1], XML[2], IMAGES),
    "arnobius-1875": (XML[1], XML[2], IMAGES),
}
WORKSPACES = "ocrd-workspaces"
METS = "mets.xml"


# --- the truth: ground truth where there is one, pages judged by reading where there is none ---

@dataclass
class PageTruth:
    stem: str
    items: list[Item] = field(default_factory=list)
    body: list[str] | None = None  # the main text's lines, where a ground truth gives them
    continues: bool | None = None  # the main text goes on over the turn to the next page
    note_first: str | None = None  # the first line of a note at the foot (its mark aside)


def grenzboten_truth(folder: Path) -> dict[str, PageTruth]:
    """The Grenzboten's ground truth transcribes the page number as its first line and the
    signature as its last; a note's mark as "*)"."""
    truths = {}
    for path in sorted((folder / "gt").glob("*.gt.txt")):
        lines = [line for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
        truth = PageTruth(path.name[: -len(".gt.txt")])
        if lines and lines[0].strip().isdigit():
            truth.items.append(Item("pageNum", lines.pop(0).strip(), "top"))
        if len(lines) > 2 and SIGNATURE.match(lines[-1]):
            truth.items.append(Item("sig", lines.pop().strip(), "bottom"))
        truth.body = lines
        truth.continues = bool(lines) and not re.search(r"[.!?:]\W*$", lines[-1].strip())
        truth.note_first = next((re.sub(r"^\*+\)\s*", "", line) for line in lines if re.match(r"^\*+\)", line)), None)
        truths[truth.stem] = truth
    _goes_on_after_notes(truths)
    judged = JUDGED / f"{folder.name}.json"  # what the ground truth leaves out, judged (see its "how")
    if judged.exists():
        for stem, items in json.loads(judged.read_text(encoding="utf-8"))["missing_from_gt"].items():
            truths[stem].items += [Item(**item) for item in items]
    return truths


def _goes_on_after_notes(truths: dict[str, PageTruth]) -> None:
    pages = [truths[stem] for stem in sorted(truths, key=natural_key)]
    for truth, following in zip(pages, pages[1:]):  # the main text going on after a note that ends the page
        if truth.body is not None and following.body and following.body[0][:1].islower():
            truth.continues = True


def judged_truth(corpus: str, folder: Path) -> dict[str, PageTruth]:
    """bench/judged/<corpus>.json: pages read by a person, what each non-text line is; where a
    ground truth transcribes the page (``gt/<stem>.gt.txt``) its lines the judgement names as
    furniture, notes or margin are taken out of the body."""
    path = JUDGED / f"{corpus}.json"
    if not path.exists():
        return {}
    judged = json.loads(path.read_text(encoding="utf-8"))
    truths = {}
    for stem, page in judged["pages"].items():
        truth = PageTruth(stem, [Item(**item) for item in page.get("items", [])], continues=page.get("continues"))
        gt = folder / "gt" / f"{stem}.gt.txt"
        if gt.exists():
            named = {_squeeze(item.text) for item in truth.items}
            lines = [line for line in gt.read_text(encoding="utf-8").split("\n") if line.strip()]
            truth.body = [line for line in lines if _squeeze(line) not in named]
        notes = [item for item in truth.items if item.kind in ("note", "apparatus")]
        truth.note_first = notes[0].text if notes else None
        truths[stem] = truth
    return truths


def corpus_truth(corpus: str, folder: Path) -> dict[str, PageTruth]:
    return grenzboten_truth(folder) if corpus == "grenzboten-1841" else judged_truth(corpus, folder)


# --- the edition's pages and lines, whatever the input ---

def pages_of_book(doc, stems: list[str]) -> list[Page]:
    pages = []
    for stem, surface in zip(stems, doc.facsimile):
        lines = [Line(z.start, z.end, doc.text[z.start:z.end], z.box[1], z.box[3]) for z in surface.lines]
        pages.append(Page(stem, surface.start, surface.end, lines))
    return pages


def pages_of_export(text: str, raws: list[tuple[str, str]]) -> list[Page]:
    """The pages of text exports joined by ``cat``: each file's text found where it stands in the
    pipeline's text (newlines normalized, the first byte-order mark gone)."""
    pages, position = [], 0
    raws = [(stem, raw.replace("\r\n", "\n").replace("\r", "\n")) for stem, raw in raws]
    if raws and raws[0][1].startswith("\ufeff") and len(text) == sum(len(raw) for _stem, raw in raws) - 1:
        raws[0] = (raws[0][0], raws[0][1][1:])  # the reader drops the byte-order mark that opens the file
    for stem, raw in raws:
        if not text.startswith(raw, position):
            raise ValueError(f"{stem}: the export's text is not where it should be in the document")
        lines, offset = [], position
        for line in raw.split("\n"):
            if line.strip("\ufeff \t\f"):
                lead = len(line) - len(line.lstrip("\ufeff \t\f"))
                lines.append(Line(offset + lead, offset + len(line.rstrip()), line.strip("\ufeff \t\f"), len(lines)))
            offset += len(line) + 1
        pages.append(Page(stem, position, position + len(raw), lines))
        position += len(raw)
    return pages


def reading_text(doc, start: int, end: int) -> str:
    """The reading text of ``[start, end)``: furniture out, the edited reading of each choice, a
    word hyphenated at a line's end (or a page's) joined over the line break as the edition's
    ``lb break="no"`` joins it."""
    parts, position, joining = [], start, False

    def add(text: str) -> None:
        nonlocal joining
        if joining:
            text = text.lstrip()
            joining = not text
        parts.append(text)

    for edit in doc.edits:
        if edit.end <= start or edit.kind in CONTAINER_KINDS or (edit.end == edit.start):
            continue
        if edit.start >= end:
            break
        if edit.start < position:
            continue
        add(doc.text[position:edit.start])
        if edit.kind in READING_KINDS:
            add(edit.replacement or "")
            joining = joining or edit.kind == "hyphenation"
        elif edit.kind not in NOT_TEXT:
            add(doc.text[edit.start:edit.end])
        position = min(edit.end, end)
    add(doc.text[position:end])
    return "".join(parts)


def cer(found: str, truth: str) -> tuple[int, int]:
    """Errors and characters as `flows.py evaluate` counts them (grapheme clusters, Levenshtein),
    both sides in compatibility form (NFKC): the long s and ligatures the ground truth keeps as
    printed count as the letters the reading text gives."""
    counts = character_errors(normalize(truth, CER_OPTIONS), normalize(found, CER_OPTIONS))
    return counts.errors, counts.length


# --- one row ---

@dataclass
class Row:
    corpus: str
    label: str
    pages: int
    truth_pages: int = 0
    cer: float | None = None
    engine_cer: float | None = None
    furniture: dict[str, list[int]] = field(default_factory=lambda: {name: [0, 0, 0] for name in CLASSES})
    joins: list[int] = field(default_factory=lambda: [0, 0, 0])
    dehyphenation: list[int] = field(default_factory=lambda: [0, 0, 0])
    notes: list[int] = field(default_factory=lambda: [0, 0, 0])
    aside_in_text: list[int] = field(default_factory=lambda: [0, 0])  # margin notes/sigla, apparatus lines left in the text; of how many
    seconds: float = 0.0
    engine_seconds: float | None = None
    implausible_n: int = 0
    breaks: int = 0
    numbers_off_edge: int = 0
    numbers_on_line_numbers: int = 0
    line_numbers: int = 0  # furniture edits the edition writes as fw type="lineNum"
    valid: bool = True
    failures: list[str] = field(default_factory=list)


def score(row: Row, edition, pages: list[Page], truths: dict[str, PageTruth],
          engine_pages: dict[str, list[str]] | None = None) -> list[str]:
    """Fill the row; give back the engine's body lines per truth page, joined (for the control)."""
    doc = edition.document
    row.valid = not edition.errors
    row.failures.extend(f"invalid: {error}" for error in edition.errors[:3])
    edits = doc.edits
    furniture = [e for e in edits if e.kind in FURNITURE]
    notes = [e for e in edits if e.kind == "footnote"]

    ours, theirs, gt_pages, control = [], [], [], []
    last_body: list[int | None] = []
    first_body: list[int | None] = []
    for page in pages:
        truth = truths.get(page.stem)
        if truth is None:
            last_body.append(None)
            first_body.append(None)
            continue
        row.truth_pages += 1
        matched = _score_furniture(row, doc, page, truth, furniture, notes)
        # the body: what is neither furniture, margin, nor note by the truth
        aside = [span for item, span in matched if span and item.kind not in ("note", "apparatus")]
        # a note or an apparatus at the foot: from its first line down
        foot = min((line.y for item, span in matched if span and item.kind in ("note", "apparatus")
                    for line in page.lines if line.start <= span[0] < line.end + 1), default=None)
        body_lines = []
        for line in page.lines:
            if foot is not None and line.y >= foot:
                continue
            text = line.text
            for a, b in sorted((s for s in aside if line.start <= s[0] < line.end), reverse=True):
                text = text[: a - line.start] + text[b - line.start:]
            if text.strip():
                body_lines.append((line, text))
        body_lines.sort(key=lambda pair: pair[0].start)
        in_notes = [pair for pair in body_lines if not covered((pair[0].start, pair[0].end), notes)]
        last_body.append(in_notes[-1][0].end - 1 if in_notes else None)
        first_body.append(in_notes[0][0].start if in_notes else None)
        control.append("\n".join(text for _line, text in body_lines))
        if truth.body is not None:
            gt_pages.append(_join_hyphens(truth.body))
            ours.append(reading_text(doc, page.start, page.end))
            lines = engine_pages[page.stem] if engine_pages is not None else [text for _line, text in body_lines]
            theirs.append(_join_hyphens(lines))
    if gt_pages:
        gt_pages = _join_over_pages(gt_pages)
        pairs = [cer(found, truth) for found, truth in zip(ours, gt_pages)]
        row.cer = sum(d for d, _ in pairs) / max(1, sum(n for _, n in pairs))
        pairs = [cer(found, truth) for found, truth in zip(_join_over_pages(theirs), gt_pages)]
        row.engine_cer = sum(d for d, _ in pairs) / max(1, sum(n for _, n in pairs))

    _score_joins(row, doc, pages, truths, last_body, first_body)
    row.dehyphenation = list(dehyphenation_score(doc))
    for page in pages:
        truth = truths.get(page.stem)
        if truth is None or truth.note_first is None and truth.body is None:
            continue
        found = [e for e in notes if page.start <= e.start < page.end and "id" in e.attrs]
        right = truth.note_first is not None and any(
            _similar(re.sub(r"^\*+\)\s*", "", doc.text[e.start:e.end].split("\n")[0]), truth.note_first) >= 0.6
            for e in found)
        row.notes[0] += right
        row.notes[1] += len(found) - right
        row.notes[2] += truth.note_first is not None and not right
    _score_page_numbers(row, doc, pages)
    row.line_numbers = sum(1 for e in edits if FW_TYPES.get(e.kind) == "lineNum")
    return control


def _score_furniture(row: Row, doc, page: Page, truth: PageTruth, furniture: list, notes: list) -> list:
    """Count the page's furniture (found, false, missed), margin and apparatus lines left in the
    running text, line numbers taken for page numbers; give back each item with its span."""
    on_page = [e for e in furniture if page.start <= e.start < page.end]
    match = match_furniture(doc, page, truth.items, truth.body, on_page)
    for (item, span), found in zip(match.matched, match.found):
        name = class_of(item)
        if name:
            if found:
                row.furniture[name][0] += 1
            elif span is not None:  # a line the OCR lost is not counted
                row.furniture[name][2] += 1
                row.failures.append(f"{page.stem}: {item.kind} {doc.text[span[0]:span[1]]!r} left in the text")
        elif item.kind in ("lineNum", "verseNum") and span:
            row.numbers_on_line_numbers += sum(1 for e in found if e.kind == "page-number")
        elif item.kind in ("margin", "apparatus") and span:
            row.aside_in_text[1] += 1
            if not covered(span, notes) and not found:
                row.aside_in_text[0] += 1
                row.failures.append(f"{page.stem}: {item.kind} {doc.text[span[0]:span[1]]!r} in the running text")
    for edit in match.others:
        name = EDIT_CLASS.get(edit.kind)
        if name:
            row.furniture[name][1] += 1
            row.failures.append(f"{page.stem}: {doc.text[edit.start:edit.end]!r} taken as {edit.kind}")
    return match.matched


def _score_joins(row: Row, doc, pages: list[Page], truths, last_body, first_body) -> None:
    def block_at(offset: int | None):
        return next((i for i, b in enumerate(doc.blocks) if offset is not None and b.start <= offset < b.end), None)

    for n in range(len(pages) - 1):
        truth = truths.get(pages[n].stem)
        if truth is None or truth.continues is None or last_body[n] is None or first_body[n + 1] is None:
            continue
        joined = block_at(last_body[n]) is not None and block_at(last_body[n]) == block_at(first_body[n + 1])
        if joined and truth.continues:
            row.joins[0] += 1
        elif joined:
            row.joins[1] += 1
            row.failures.append(f"{pages[n].stem}→{pages[n + 1].stem}: joined over the turn, the text does not go on")
        elif truth.continues:
            row.joins[2] += 1
            row.failures.append(f"{pages[n].stem}→{pages[n + 1].stem}: paragraph cut at the turn")


def page_number_value(n: str) -> int | None:
    n = n.strip()
    if n.isdigit():
        return int(n)
    if ROMAN.match(n):
        return None  # front matter's roman numbers: a sequence of their own, not judged
    return -1


def _score_page_numbers(row: Row, doc, pages: list[Page]) -> None:
    """Page breaks whose n is no number or off the sequence most pages follow; page numbers found
    away from the page's top and foot (a margin's line or verse number)."""
    starts = [page.start for page in pages]
    breaks = [e for e in doc.edits if e.kind == "page-break"]
    row.breaks = len(breaks)
    numbered = []
    for edit in breaks:
        if "n" not in edit.attrs:
            continue
        index = max(0, sum(1 for s in starts if s <= edit.start + 1) - 1)
        value = page_number_value(edit.attrs["n"])
        if value == -1:
            row.implausible_n += 1
            row.failures.append(f"{pages[index].stem}: pb n={edit.attrs['n']!r}, not a page number")
        elif value is not None:
            numbered.append((index, value, edit))
    for k, (index, value, edit) in enumerate(numbered):
        # a printed number goes on from the one before or leads to the one after (a plate or a
        # lost page shifts the sequence, a line number taken for a page number breaks it)
        neighbours = numbered[max(0, k - 1):k] + numbered[k + 1:k + 2]
        if neighbours and not any(value - index == v - i for i, v, _e in neighbours):
            row.implausible_n += 1
            row.failures.append(f"{pages[index].stem}: pb n={edit.attrs['n']!r}, off the sequence "
                                f"(neighbours {', '.join(str(v) for _i, v, _e in neighbours)})")
    for edit in doc.edits:
        if edit.kind != "page-number":
            continue
        page = next((p for p in pages if p.start <= edit.start < p.end), None)
        if page is None or len(page.lines) < 6:
            continue
        line = next((line for line in page.lines if line.start <= edit.start < line.end + 1), None)
        top, foot = min(line.y for line in page.lines), max(line.y for line in page.lines)
        if line is not None and foot > top and 0.1 < (line.y - top) / (foot - top) < 0.9:
            row.numbers_off_edge += 1
            row.failures.append(f"{page.stem}: page number {doc.text[edit.start:edit.end]!r} amid the page")


# --- building the rows ---

def natural(paths) -> list[Path]:
    return sorted(paths, key=lambda p: natural_key(p.name))


def build(files, name: str, config: PipelineConfig):
    started = time.perf_counter()
    edition = build_edition(files, name, config)
    return edition, time.perf_counter() - started


def xml_row(corpus: str, source: Input, folder: Path, truths) -> tuple[Row, list[str]]:
    paths = natural((folder / source.folder).glob(f"*{source.suffix}"))
    stems = [p.name[: -len(source.suffix)] for p in paths]
    edition, seconds = build([SourceFile(p.name, p.read_bytes()) for p in paths], corpus, PipelineConfig())
    row = Row(corpus, source.label, len(paths), seconds=seconds / len(paths))
    control = score(row, edition, pages_of_book(edition.document, stems), truths)
    return row, control


def text_row(corpus: str, source: Input, folder: Path, truths) -> tuple[Row, list[str]]:
    paths = natural((folder / source.folder).glob(f"*{source.suffix}"))
    data = b"".join(p.read_bytes() for p in paths)
    edition, seconds = build(data, f"{corpus}.txt", PipelineConfig())
    raws = [(p.name[: -len(source.suffix)], p.read_bytes().decode("utf-8")) for p in paths]
    row = Row(corpus, source.label, len(paths), seconds=seconds / len(paths))
    control = score(row, edition, pages_of_export(edition.document.text, raws), truths)
    return row, control


def tesseract_text(image: Path, models: str) -> tuple[list[str], float]:
    """Tesseract out of the box: the command, plain text, the models the pipeline chose, one thread."""
    started = time.perf_counter()
    result = subprocess.run([shutil.which("tesseract"), str(image), "stdout", "-l", models], check=True,
                            capture_output=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    lines = [line for line in result.stdout.decode("utf-8").split("\n") if line.strip()]
    return lines, time.perf_counter() - started


def tesseract_versions() -> tuple[str, str]:
    """The `tesseract` command's version and that of the library the pipeline reads with (tesserocr's
    own libtesseract): they differ, and so do their readings of a page (see bench.engines)."""
    import tesserocr

    command = subprocess.run([shutil.which("tesseract"), "--version"], capture_output=True, check=True)
    return ((command.stdout or command.stderr).decode().split("\n")[0].strip(),
            tesserocr.tesseract_version().split("\n")[0].strip())


def without_furniture(lines: list[str], truth: PageTruth) -> list[str]:
    """An engine's lines of a page without those that read like the truth's furniture, notes
    or margin items: the engine's side of the CER left as the edition's reading text is."""
    named = [item.text for item in truth.items]
    return [line for line in lines if not any(
        _window_similarity(line, text)[0] >= 0.8 and len(_squeeze(line)) <= len(_squeeze(text)) + 4
        for text in named)]


def models_of(surface) -> str | None:
    """The models Tesseract read the page with, as the surface names them: ``Tesseract 5.5.0 (lat:
    script Latin detected …)`` -> ``lat``."""
    found = re.search(r"\(([\w+]+)", surface.engine or "")
    return found.group(1) if found else None


def image_row(corpus: str, images: list[Path], truths, label: str = IMAGES.label) -> Row:
    """Page images as a book folder: each recognised by the pipeline, and by Tesseract out of the box."""
    return ocr_row(corpus, label, [SourceFile(p.name, p.read_bytes()) for p in images], images[0].parent, truths)


def package_row(corpus: str, workspace: Path, pages: int, truths) -> Row:
    """A METS workspace as a library package, as `flows.py run --input WORKSPACE` reads it: the METS
    and the files it names for the first ``pages`` physical pages that have a file here (the others
    left out, to keep the recognition affordable: the package's reader says they are absent)."""
    mets = parse_mets((workspace / METS).read_bytes(), METS)
    local = [page for page in mets.pages if any(
        file_id in mets.files and (workspace / mets.files[file_id].href).is_file() for file_id in page.file_ids)]
    wanted = {file_id for page in local[:pages] for file_id in page.file_ids}
    names = [file.href for file_id, file in mets.files.items()
             if file_id in wanted and (workspace / file.href).is_file()]
    files = [SourceFile(name, (workspace / name).read_bytes()) for name in [METS, *dict.fromkeys(names)]]
    return ocr_row(corpus, "METS package, pages without text recognised", files, workspace, truths,
                   pages=min(pages, len(local)) or 1)


def ocr_row(corpus: str, label: str, files: list[SourceFile], folder: Path, truths, pages: int | None = None) -> Row:
    edition, seconds = build(files, corpus, PipelineConfig())
    doc = edition.document
    count = pages or len(doc.facsimile)
    row = Row(corpus, label, count, seconds=seconds / max(1, count))
    stems = [Path(surface.image).stem if surface.image else f"page {n}" for n, surface in enumerate(doc.facsimile, 1)]
    book = pages_of_book(doc, stems)
    engine_pages, engine_seconds, models = {}, 0.0, set()
    if shutil.which("tesseract"):
        for surface, page in zip(doc.facsimile, book):
            model = models_of(surface)
            if not model or not surface.image or not (folder / surface.image).is_file():
                continue
            models.add(model)
            try:
                lines, took = tesseract_text(folder / surface.image, model)
            except subprocess.CalledProcessError as error:
                row.failures.append(f"{page.stem}: tesseract -l {model} failed ({error.stderr.decode()[:80]!r})")
                continue
            engine_seconds += took
            truth = truths.get(page.stem)
            if truth is not None:
                engine_pages[page.stem] = without_furniture(lines, truth)
        row.engine_seconds = engine_seconds / max(1, count)
    row.label = f"{label} ({', '.join(sorted(models)) or 'no OCR'})"
    score(row, edition, book, truths, engine_pages if engine_pages else None)
    return row


def control_breaks(corpus: str, pages: list[str]) -> int:
    """Page breaks put into the truth pages' body text joined by blank lines: a text with no page
    evidence (no form feed, page number, running head or page file)."""
    if not pages:
        return 0
    data = "\n\n".join(page for page in pages if page.strip()).encode("utf-8")
    edition, _seconds = build(data, f"{corpus}-no-pages.txt", PipelineConfig())
    return sum(1 for e in edition.document.edits if e.kind == "page-break")


def failed_row(corpus: str, label: str, pages: int, error: Exception) -> Row:
    """A row for an input the pipeline refused: the one-line error is the finding."""
    row = Row(corpus, label, pages, valid=False)
    row.failures.append(f"FAILED: {error}")
    return row


def run_corpus(corpus: str, images: int) -> tuple[list[Row], int | None]:
    folder = CORPORA / corpus
    truths = corpus_truth(corpus, folder)
    rows, control = [], None
    for source in CORPUS_INPUTS[corpus]:
        if source.kind == "images":
            if images:
                paths = natural((folder / source.folder).glob(f"*{source.suffix}"))
                judged = [p for p in paths if p.stem in truths]
                chosen = natural((judged or paths)[:images])
                try:
                    rows.append(image_row(corpus, chosen, truths))
                except Exception as error:  # noqa: BLE001 - one input's failure is a finding, not the end
                    rows.append(failed_row(corpus, IMAGES.label, len(chosen), error))
            continue
        try:
            row, body = (xml_row if source.kind == "xml" else text_row)(corpus, source, folder, truths)
        except Exception as error:  # noqa: BLE001
            rows.append(failed_row(corpus, source.label, 0, error))
            continue
        rows.append(row)
        if control is None and body:
            control = control_breaks(corpus, body)
        print(f"  {corpus} · {row.label}: {row.seconds:.2f} s/page", flush=True)
    return rows, control


def run_workspaces(images: int) -> list[Row]:
    rows = []
    for workspace in sorted((CORPORA / WORKSPACES).iterdir()):
        if not (workspace / METS).exists() or not images:
            continue
        name = f"{WORKSPACES}/{workspace.name}"
        try:
            rows.append(package_row(name, workspace, images, judged_truth(workspace.name, workspace)))
        except Exception as error:  # noqa: BLE001 - one input's failure is a finding, not the end
            rows.append(failed_row(name, "METS package", images, error))
    return rows


# --- the table ---

def _pr(cells: list[int] | tuple[int, int, int]) -> str:
    tp, fp, fn = cells
    if tp + fp + fn == 0:
        return "—"
    return ratio(tp, fp, fn)


def table(rows: list[Row], controls: dict[str, int | None]) -> str:
    header = ("corpus", "input", "pages (with truth)", "CER edition", "CER engine", *(f"{n} P/R" for n in CLASSES),
              "joins P/R", "dehyphenation P/R", "notes P/R", "margin/apparatus lines in text",
              "pb n implausible", "page numbers amid the page", "line/verse numbers as page numbers", "fw lineNum",
              "pb without page evidence", "s/page", "engine s/page", "valid")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        control = controls.get(row.corpus)
        cells = (row.corpus, row.label, f"{row.pages} ({row.truth_pages})",
                 f"{row.cer:.2%}" if row.cer is not None else "—",
                 f"{row.engine_cer:.2%}" if row.engine_cer is not None else "—",
                 *(_pr(row.furniture[n]) for n in CLASSES), _pr(row.joins), _pr(row.dehyphenation), _pr(row.notes),
                 f"{row.aside_in_text[0]}/{row.aside_in_text[1]}" if row.aside_in_text[1] else "—",
                 str(row.implausible_n), str(row.numbers_off_edge), str(row.numbers_on_line_numbers), str(row.line_numbers),
                 str(control) if control is not None else "—", f"{row.seconds:.2f}",
                 f"{row.engine_seconds:.2f}" if row.engine_seconds is not None else "—", str(row.valid))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=2, help="page images per corpus to recognise (0: none)")
    parser.add_argument("--corpus", action="append", help="only this corpus (repeatable)")
    parser.add_argument("--failures", type=int, default=8, help="failures to print per row")
    add_record_option(parser)
    parser.add_argument("--label", default="", help="said in the record's heading (e.g. 'before: main at a842a55')")
    parser.add_argument("--output", type=Path, help="also write the table and the failures to this file")
    args = parser.parse_args()
    names = [*CORPUS_INPUTS, WORKSPACES]
    wanted = [n for n in names if not args.corpus or n in args.corpus]
    rows, controls = [], {}
    started = time.perf_counter()
    for corpus in wanted:
        if corpus == WORKSPACES:
            rows.extend(run_workspaces(args.images))
            continue
        found, controls[corpus] = run_corpus(corpus, args.images)
        rows.extend(found)
    report = []
    for row in rows:
        if row.failures:
            report.append(f"{row.corpus} · {row.label}: {len(row.failures)} failures, e.g.")
            report.extend(f"    {failure}" for failure in row.failures[: args.failures])
    result = table(rows, controls)
    versions = tesseract_versions() if args.images and shutil.which("tesseract") else None
    report += [result, f"{time.perf_counter() - started:.0f} s in all"]
    if args.output:
        args.output.write_text("\n".join(report) + "\n", encoding="utf-8")
    publish(result, not args.no_record, console="\n".join(report), heading=(
            f"## Every real corpus × input kind{f', {args.label}' if args.label else ''} "
                      f"({datetime.date.today()}, python -m bench.corpora"
                      f"{f' --images {args.images}' if args.images != 2 else ''})\n\n"
                      f"Machine: {describe()}. Page images: the first {args.images} judged (or ground-truth) pages of "
                      f"each corpus; the first {args.images} physical pages with a local file of each METS workspace, read as "
                      "a package. "
                      "Cells P/R are precision/recall (true positives/false positives/misses) on the pages with a "
                      "truth (ground truth, or judged by reading: bench/judged/); "
                      f"CER is `flows.py evaluate`'s ({CER_OPTIONS.describe()}), "
                      "furniture out of both sides; 'CER engine' is the engine's own text (XML, "
                      "exports) or `tesseract` out of the box with the same models (images"
                      f"{'; ' + ' against the library the pipeline reads with, '.join(versions) if versions else ''}"
                      "); the last counts are over every page.\n\n"))


if __name__ == "__main__":
    main()
