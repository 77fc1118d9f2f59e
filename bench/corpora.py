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
  into boxes side by side on its row is matched as the row, its pieces neither twice nor false);
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
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from bench.digitization import _join_hyphens, _join_over_pages, dehyphenation_score, ratio
from bench.machine import add_record_option, describe, publish
from bench.real import SIGNATURE, _similar
from pipeline.config import PipelineConfig
from pipeline.evaluation.metrics import Options, character_errors, normalize
from pipeline.ingest.mets.mets import parse_mets
from pipeline.ingest.pages.compose import SourceFile
from pipeline.ingest.pages.reader import natural_key
from pipeline.kinds import CONTAINER_KINDS, FW_TYPES, PAGE_FURNITURE, READING_KINDS
from pipeline.process import build_edition

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
JUDGED = Path(__file__).resolve().parent / "judged"
FURNITURE = PAGE_FURNITURE - {"page-break"}
NOT_TEXT = FURNITURE | {"layout"}  # what the reading text leaves out
CLASSES = {"page numbers": {"pageNum"}, "running heads": {"header"}, "signatures + catchwords": {"sig", "catch"}}
EDIT_CLASS = {"page-number": "page numbers", "running-head": "running heads", "signature": "signatures + catchwords",
              "catchword": "signatures + catchwords"}
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
class Item:
    """A line (or words of one) that is not the main text: furniture, a margin number, a note."""
    kind: str  # pageNum, header, sig, catch, lineNum, verseNum, margin, note, apparatus
    text: str
    where: str = ""  # top, bottom, margin, foot
    n: str = ""  # a page number's value where the print garbles it (`4r` printed for 41)


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


def _squeeze(text: str) -> str:
    return "".join(text.split())


def corpus_truth(corpus: str, folder: Path) -> dict[str, PageTruth]:
    return grenzboten_truth(folder) if corpus == "grenzboten-1841" else judged_truth(corpus, folder)


# --- the edition's pages and lines, whatever the input ---

@dataclass
class Line:
    start: int
    end: int
    text: str
    y: float  # its place on the page, top to foot (the box's top, or the line's rank)
    bottom: float | None = None  # the box's foot, where the page gives boxes


@dataclass
class Page:
    stem: str
    start: int
    end: int
    lines: list[Line]


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


# --- matching the truth's items to the edition's lines ---

# Capitals that Greek and Latin print alike: an engine reading a Greek head with Latin letters
# (`rENEΣIΣ` for `ΓΕΝΕΣΙΣ`) read the print right, letter for letter.
HOMOGLYPHS = str.maketrans("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX")


def _fold(text: str) -> str:
    """Compatibility forms folded (`²3` is `23`), Greek capitals that look like Latin ones as those."""
    return unicodedata.normalize("NFKC", text).translate(HOMOGLYPHS)


def _window_similarity(line: str, wanted: str, at_ends: bool = False) -> tuple[float, int, int]:
    """How like ``wanted`` the line or a run of its words is (compatibility forms folded: ``²3`` is
    ``23``), and that run's span in the line; a run inside a much longer line counts for less, so
    that a number standing alone beats the same digits among the apparatus's words. ``at_ends``:
    only runs that open or close the line (a head or a foot item the engine set on a line of
    text stands at its end, never amid its words: a catchword ``tres`` is not the text's word).
    A run of more words than the item's, letters set apart (and the leaf's digit), is compared
    without its spaces, wherever it stands: a signature printed letter-spaced (``e e e``, between
    the short title and the catchword) is the truth's ``eee``."""
    folded, wanted = _fold(line), _fold(wanted)
    best = (_similar(folded, wanted), 0, len(line))
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", line)]
    count = max(1, len(wanted.split()))
    partial = 0.8 if len(_squeeze(line)) > 2 * len(_squeeze(wanted)) + 2 else 1.0
    for size in range(count, count + SPACED_WORDS + 1):
        for i in range(len(words) - size + 1):
            spaced = size > count
            if spaced and not (any(c.isalpha() for c in wanted) and _letter_spaced(line, words[i:i + size])):
                continue
            if at_ends and not spaced and 0 < i < len(words) - size:
                continue
            span = (words[i][0], words[i + size - 1][1])
            run = _fold(line[span[0]:span[1]])
            similarity = (_similar(_squeeze(run), _squeeze(wanted)) if spaced else _similar(run, wanted)) * partial
            if similarity > best[0]:
                best = (similarity, *span)
    return best


SPACED_WORDS = 3  # more words than the item's a letter-spaced reading of it may take
SPACED_LETTER = re.compile(r"^[^\W\d_][.,;:]?$")
SPACED_LEAF = re.compile(r"^\d[.,;:]?$")


def _letter_spaced(line: str, words: list[tuple[int, int]]) -> bool:
    """Letters set apart by spaces, perhaps with the leaf's digit last (``e e e``, ``a a a 2,``)."""
    return all(SPACED_LETTER.match(line[a:b]) or (n == len(words) - 1 and SPACED_LEAF.match(line[a:b]))
               for n, (a, b) in enumerate(words))


def _digits_agree(wanted: str, found: str) -> bool:
    """A short item's digits are read alike, or the engine read none (a number garbled to letters),
    or it garbled some of them in place (`8j` for 83: as many characters, the digits it kept in
    order); `1.` is not 19."""
    found, wanted = unicodedata.normalize("NFKC", found), unicodedata.normalize("NFKC", wanted)
    digits, wanted_digits = [c for c in found if c.isdigit()], [c for c in wanted if c.isdigit()]
    if not digits or digits == wanted_digits:
        return True
    rest = iter(wanted_digits)
    kept_in_order = all(digit in rest for digit in digits)
    return kept_in_order and sum(c.isalnum() for c in found) == sum(c.isalnum() for c in wanted)


def match_items(items: list[Item], page: Page, body: list[str] | None = None) -> list[tuple[int, int] | None]:
    """The span of the edition's text that is each item: the line (or words of one) reading most
    like it near the page's edge the judgement names (a margin's item: a short line of its own,
    as the engines that read it apart give it); an item garbled beyond recognition is the line
    left standing at that edge, if it is as short and has the same digits, and not a line of the
    truth's body (`I. F.` signing an article above the signature `7` the OCR lost). No line serves
    two items."""
    spans: list[tuple[int, int] | None] = [None] * len(items)
    if not page.lines:
        return spans
    ordered = sorted(page.lines, key=lambda line: line.y)
    taken: set[tuple[int, int]] = set()
    rows = _rows_cut_in_pieces(page.lines)
    for index, item in sorted(enumerate(items), key=lambda pair: -len(pair[1].text)):
        near = {"top": ordered[:3], "bottom": ordered[-3:]}.get(item.where, ordered)
        near = near + [row for row in rows if item.where in ("top", "bottom") and any(
            row.start <= line.start < row.end for line in near)]
        if item.where == "margin":
            near = [line for line in ordered if len(_squeeze(line.text)) <= len(_squeeze(item.text)) + 4]
        short = len(_squeeze(item.text)) <= 4
        best, span = (0.4 if short else 0.5), None
        for line in near:
            similarity, a, b = _window_similarity(line.text, item.text, at_ends=item.where in ("top", "bottom"))
            if short and not _digits_agree(item.n or item.text, line.text[a:b]):
                continue  # `1.` is not the page number 19, `132` not the signature B 2
            if similarity >= best and (line.start + a, line.start + b) not in taken:
                best, span = similarity + 1e-9, (line.start + a, line.start + b)
        if span is not None:
            taken.add(span)
            spans[index] = span
    for index, item in enumerate(items):  # when every item that reads alike has its line
        if spans[index] is None and item.where in ("top", "bottom"):
            # garbled past reading (`χι 14 PENE212` for `XI 14 ΓΕΝΕΣΙΣ`): the line at that edge, as short
            # as the item and with its digits; or, where another item took part of a foot line, a
            # catchword the words left at its end, a signature's short title those at its start
            # (`me. e e e fem,`: `fem,` for `ſent,` beside the signature `e e e`)
            edge = ordered[0] if item.where == "top" else ordered[-1]
            row = next((row for row in rows if row.start <= edge.start < row.end), None)
            if _far_from_the_text(edge, ordered):
                continue  # a speck on the scan's margin, not the item the engine lost
            candidates = [(line.start, line.end) for line in [edge] + ([row] if row else [])  # or the row it is cut from
                          if not any(a < line.end and line.start < b for a, b in taken)] or [_untaken_end(edge, taken, item)]
            for start, end in candidates:
                text = row.text if row and (start, end) == (row.start, row.end) else \
                    edge.text[start - edge.start:end - edge.start]
                if end > start and _garbled_item_at_edge(item, text, body):
                    spans[index] = start, end
                    taken.add(spans[index])
                    break
    return spans


FAR = 3  # line heights between a page's edge line and the next: a speck far out on the scan


def _far_from_the_text(edge: Line, ordered: list[Line]) -> bool:
    """Whether the line at the page's edge stands far out from every other line (where the page
    gives boxes): more than three line heights of blank paper away. Furniture stands at the text,
    a head's number on its row, a signature under the last line; a mark far above or below it is
    a speck of the scan (Arnobius 009: `--.'` at the top left, the page number 9 the engine lost)."""
    others = [line for line in ordered if line is not edge and line.bottom is not None]
    if edge.bottom is None or not others:
        return False
    heights = sorted(line.bottom - line.y for line in others)
    gap = min(max(line.y - edge.bottom, edge.y - line.bottom) for line in others)
    return gap > FAR * heights[len(heights) // 2]


def _untaken_end(line: Line, taken: set[tuple[int, int]], item: Item) -> tuple[int, int]:
    """On a foot line another item took part of, for a catchword the words after the last taken
    span, for a signature those before the first (the foot prints title, signature, catchword
    left to right); else nothing."""
    inside = [(a, b) for a, b in taken if a < line.end and line.start < b]
    if item.where != "bottom" or item.kind not in ("catch", "sig") or not inside:
        return 0, 0
    if item.kind == "catch":
        after = max(b for _a, b in inside)
        rest = line.text[after - line.start:]
        return (after + len(rest) - len(rest.lstrip()), line.end) if rest.strip() else (0, 0)
    before = min(a for a, _b in inside)
    rest = line.text[: before - line.start]
    return (line.start, line.start + len(rest.rstrip())) if rest.strip() else (0, 0)


def _initials_shape(text: str) -> str:
    """Initials' shape, letters and stops (`I. F.` and `»D- H-` both `A.A.`), or "" for
    anything else: an article's sign-off garbled past reading is still a sign-off."""
    shape = re.sub(r"[.\-—–=,]+", ".", re.sub(r"[^\W\d_]", "A", "".join(text.split()).strip("»«„“”‚‘’\"'")))
    return shape if re.fullmatch(r"(?:A{1,3}\.){2,4}", shape) else ""


def _garbled_item_at_edge(item: Item, text: str, body: list[str] | None) -> bool:
    """Whether the text at the page's edge may be the item garbled past reading: as short as
    the item, with as many letters (a number may be read as a letter), and not the truth's
    own text there: a line of the body, or the words that end or open one at that edge (`D.
    Red.` signing an article after its last words, read `D. Ked` on a line of its own: the
    signature under it lost), or initials there read past recognition (`»D- H-` for `I. F.`)."""
    size = len(_squeeze(item.text))
    letters = sum(c.isalpha() for c in text)
    alike = size <= 4 or letters * 2 >= sum(c.isalpha() for c in item.text)  # `8` for a misread 3
    at_edge = (body or [])[:3] if item.where == "top" else (body or [])[-3:]
    count = len(text.split())
    in_body = any(_similar(line, text) >= 0.7 for line in body or [] if len(line) <= 3 * len(text)) \
        or any(_similar(_fold(" ".join(words)), _fold(text)) >= 0.7
               for line in at_edge for words in (line.split()[:count], line.split()[-count:])) \
        or any(_initials_shape(line) and _initials_shape(line) == _initials_shape(text) for line in at_edge)
    return len(_squeeze(text)) <= max(8, size * 3 // 2 + 2) and alike and not in_body


def _rows_cut_in_pieces(lines: list[Line]) -> list[Line]:
    """A printed line the engine cut into boxes side by side (`rENEΣIΣ` and `x11 13` on the row of
    the head `ΓΕΝΕΣΙΣ XII 13`), as one line: the pieces that follow one another in the text,
    joined by a space where the text has its line break (so the offsets stay the text's)."""
    rows, by_start = [], sorted(lines, key=lambda line: line.start)
    run: list[Line] = []
    for line in by_start + [None]:
        if line is not None and run and line.start == run[-1].end + 1 and line.bottom is not None \
                and run[-1].bottom is not None and _same_row(line, run[-1]):
            run.append(line)
            continue
        if len(run) >= 2:
            rows.append(Line(run[0].start, run[-1].end, " ".join(piece.text for piece in run),
                             min(piece.y for piece in run), max(piece.bottom for piece in run)))
        run = [line] if line is not None else []
    return rows


def _same_row(a: Line, b: Line) -> bool:
    """Two boxes on one printed line: they overlap by half the lower one's height at least."""
    overlap = min(a.bottom, b.bottom) - max(a.y, b.y)
    return overlap >= 0.5 * min(a.bottom - a.y, b.bottom - b.y) > 0


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

    def covered(span, among) -> list:
        return [e for e in among if e.start < span[1] and span[0] < e.end]

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
        matched = list(zip(truth.items, match_items(truth.items, page, truth.body)))
        on_page = [e for e in furniture if page.start <= e.start < page.end]
        hit_edits = {id(e) for _item, span in matched if span for e in covered(span, on_page)}
        parts = _parts_of_items(doc, page, truth.items, [e for e in on_page if id(e) not in hit_edits])
        hit_edits.update(id(e) for found in parts.values() for e in found)
        for index, found in _pieces_on_items_rows(page, matched, [e for e in on_page if id(e) not in hit_edits]).items():
            parts.setdefault(index, []).extend(found)
            hit_edits.update(id(e) for e in found)
        for index, (item, span) in enumerate(matched):
            name = next((n for n, kinds in CLASSES.items() if item.kind in kinds), None)
            found = (covered(span, on_page) if span else []) + parts.get(index, [])
            if not found and span is None and item.kind == "pageNum":
                # garbled past matching (`23` for 25), but the edition's fw says which page it is
                found = [e for e in on_page if e.kind == "page-number" and id(e) not in hit_edits
                         and e.attrs.get("n") == (item.n or item.text)][:1]
                hit_edits.update(id(e) for e in found)
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
        for edit in on_page:
            if id(edit) not in hit_edits:
                name = EDIT_CLASS.get(edit.kind)
                if name:
                    row.furniture[name][1] += 1
                    row.failures.append(f"{page.stem}: {doc.text[edit.start:edit.end]!r} taken as {edit.kind}")
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


def _parts_of_items(doc, page: Page, items: list[Item], edits: list) -> dict[int, list]:
    """Furniture edits that are a piece of a truth item the engine read as lines of their own (a
    running head split in two: ``X1 14`` and ``FNEΣIΣ``), at the item's edge of the page."""
    ordered = sorted(page.lines, key=lambda line: line.y)
    edges = {"top": ordered[:4], "bottom": ordered[-4:]}
    parts: dict[int, list] = {}
    for edit in edits:
        text = doc.text[edit.start:edit.end]
        if len(_squeeze(text)) < 2:
            continue
        for index, item in enumerate(items):
            near = edges.get(item.where, ordered)
            if any(line.start <= edit.start < line.end + 1 for line in near) and \
                    _window_similarity(item.text, text)[0] >= 0.6:
                parts.setdefault(index, []).append(edit)
                break
    return parts


def _pieces_on_items_rows(page: Page, matched: list[tuple[Item, tuple[int, int] | None]],
                          edits: list) -> dict[int, list]:
    """Furniture edits of an item's class on the other pieces of the printed row the item was
    matched on (boxes side by side at the page's edge: `x11 13` beside `rENEΣIΣ`, one running
    head `ΓΕΝΕΣΙΣ XII 13`): one printed item is one item, its pieces no false positives."""
    pieces: dict[int, list] = {}
    taken: set[int] = set()
    for index, (item, span) in enumerate(matched):
        name = next((n for n, kinds in CLASSES.items() if item.kind in kinds), None)
        own = [line for line in page.lines if span and span[0] < line.end + 1 and line.start < span[1]]
        if name is None or not own or item.where not in ("top", "bottom") or any(line.bottom is None for line in own):
            continue
        row = [line for line in page.lines if line not in own and line.bottom is not None
               and any(_same_row(line, piece) for piece in own)]
        for edit in edits:
            if EDIT_CLASS.get(edit.kind) == name and id(edit) not in taken \
                    and any(line.start <= edit.start < line.end + 1 for line in row):
                pieces.setdefault(index, []).append(edit)
                taken.add(id(edit))
    return pieces


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
