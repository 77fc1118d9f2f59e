"""Digitized sources against the ground truth: OCR engines' XML and page images.

    python -m bench.digitization [--pages N] [--images N] [--no-record]

The Grenzboten 1841 corpus (../shared/corpora/grenzboten-1841), read in place: each engine's
folder (ABBYY FineReader 11 XML, Tesseract 3 hOCR, OCRopus hOCR: 100 pages) and the page
images (20 pages, recognised here by Tesseract 5 with Debian's models) becomes one edition,
scored page by page against the line-accurate ground truth:

- CER: character error rate (Levenshtein distance over the ground truth's length, whitespace
  ignored) of the edition's reading text (regularizations and corrections applied, line-end
  hyphens the pipeline joined removed, page furniture left out) against the ground truth's
  text (its page number and signature mark left out, hyphens at line ends before a
  lower-case letter joined), beside the same measure for the engine's own text (its lines
  as written, furniture left out the same way, hyphens joined the same way);
- furniture: precision and recall of the page numbers and signature marks, the truth being
  the page's topmost (bottommost) line when it is short and the ground truth has a number
  (a signature mark) there; a line the OCR lost is not counted;
- joins: a paragraph that goes on over the page turn (the ground truth's last body line
  ends without . ! ? :, or the next page's first body line begins in lower case: the main
  text going on after a footnote that ends the page) is one block across it;
- dehyphenation: line-end hyphens before a lower-case line joined, before a capital kept
  (the word going on after the notes at the page's foot where the edition found them);
- notes at the foot: pages whose notes the edition sets apart, right when the note begins at
  the line the ground truth opens a note with (bench.real's measure);
- seconds per page (the whole build: reading, OCR where there are images, stages, TEI,
  validation) and, for the images, Tesseract's own time on the same page (the `tesseract`
  command, same models) to give the pipeline's overhead beyond the engine.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from lxml import etree
from rapidfuzz.distance import Levenshtein

from bench.machine import add_record_option, describe, publish
from bench.real import SIGNATURE, notes_score
from pipeline.config import PipelineConfig
from pipeline.ingest.pages.compose import SourceFile
from pipeline.ingest.pages.reader import natural_key
from pipeline.kinds import PAGE_FURNITURE
from pipeline.process import build_edition
from pipeline.tei import local_name, tei

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpora" / "grenzboten-1841"
INPUTS = {"ABBYY FineReader 11 XML": ("abbyy-xml", ".abbyy.xml"), "Tesseract 3 hOCR": ("tess-hocr", ".hocr"),
          "OCRopus hOCR": ("ocropus-hocr", ".hocr")}
IMAGE_MODELS = "Fraktur+frk"  # what OSD's "Fraktur" gets: Debian's script model and the German Fraktur one
FURNITURE = PAGE_FURNITURE - {"page-break"}
PUNCTUATION = ".,;:!?»«\"'()[]-¬⸗—„“”‚‘’*"
LINE_END_HYPHEN = re.compile(r"(?<=[^\W\d_])[-¬⸗]\s*\n\s*(?=[^\W\d_])")


def _join_hyphens(lines: list[str]) -> str:
    """Lines joined; a hyphen at a line's end before a lower-case letter joins the word."""
    text = "\n".join(lines)
    return LINE_END_HYPHEN.sub(lambda m: "" if text[m.end()].islower() else m.group(), text)


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _join_over_pages(pages: list[str]) -> list[str]:
    """A hyphen ending a page before a page that begins in lower case joins the word too."""
    joined = []
    for page, following in zip(pages, pages[1:] + [""]):
        head = following.lstrip()[:1]
        if re.search(r"[^\W\d_][-¬⸗]\s*$", page) and head.islower():
            page = re.sub(r"[-¬⸗]\s*$", "", page)
        joined.append(page)
    return joined


def cer(found: str, truth: str) -> tuple[int, int]:
    found, truth = _squeeze(found), _squeeze(truth)
    return Levenshtein.distance(found, truth), len(truth)


class Truth:
    """One page of the ground truth: its lines, its furniture, whether its text goes on."""

    def __init__(self, stem: str):
        lines = [line for line in (CORPUS / "gt" / f"{stem}.gt.txt").read_text(encoding="utf-8").split("\n")
                 if line.strip()]
        self.number = bool(lines) and lines[0].strip().isdigit()
        self.signature = len(lines) > 2 and bool(SIGNATURE.match(lines[-1]))
        self.body = lines[1 if self.number else 0: -1 if self.signature else None]
        self.continues = bool(self.body) and not re.search(r"[.!?:]\W*$", self.body[-1].strip())


def reading_pages(tree: etree._ElementTree, count: int) -> list[str]:
    """The edition's reading text, page by page (by the surface each pb points to): the
    edited readings, no furniture, line-end hyphens the pipeline joined removed (a
    break="no" joins its two lines)."""
    pages: list[list[str]] = [[] for _ in range(count + 1)]  # [0]: before the first pb
    current = 0

    def walk(element: etree._Element) -> None:
        nonlocal current
        name = local_name(element)
        if name == "pb":
            current = int(element.get("facs").rsplit("p", 1)[1])
        elif name == "lb":
            pages[current].append("" if element.get("break") == "no" else "\n")
        elif name in ("fw", "orig", "sic"):
            pass
        else:
            pages[current].append(element.text or "")
            for child in element:
                walk(child)
                pages[current].append(child.tail or "")
            if name in ("p", "head", "item", "byline", "note"):
                pages[current].append("\n")

    walk(tree.getroot().find(tei("text")))
    return ["".join(page) for page in pages[1:]]


def dehyphenation_score(doc) -> tuple[int, int, int]:
    """A line-end hyphen between letters joined before a lower-case line (true positive), joined
    before a capital (false positive), left before a lower-case line (miss); short lines between
    (a page number, a signature) skipped, and the word going on after the notes at the page's
    foot where the edition found them."""
    joined_at = {e.start for e in doc.edits if e.kind == "hyphenation"}
    should, keep = set(), set()
    notes = {e.start: e.end for e in doc.edits if e.kind == "footnote" and "id" in e.attrs}
    for match in re.finditer(r"(?<=[^\W\d_])[-¬⸗][ \t]*\n(?:\n|[^\n]{1,8}\n)*?[ \t\f\ufeff]*(?=[^\W\d_])", doc.text):
        following = match.end()
        if following in notes:
            after = re.compile(r"\s*(?:[^\n]{1,8}\n\s*)*?(?=[^\W\d_])").match(doc.text, notes[following])
            following = after.end() if after else following
        (should if doc.text[following].islower() else keep).add(match.start())
    return len(joined_at & should), len(joined_at & keep), len(should - joined_at)


def score(label: str, files: list[SourceFile], stems: list[str], config: PipelineConfig) -> dict:
    started = time.perf_counter()
    edition = build_edition(files, label, config)
    seconds = time.perf_counter() - started
    doc = edition.document
    tree = etree.ElementTree(etree.fromstring(edition.xml))
    truths = [Truth(stem) for stem in stems]
    for truth, following in zip(truths, truths[1:]):  # the main text goes on after a footnote
        if following.body and following.body[0][:1].islower():
            truth.continues = True
    result = {"pages": len(stems), "valid": not edition.errors, "seconds per page": seconds / len(stems)}

    # furniture, by the zones of the page images
    furniture = {e.start for e in doc.edits if e.kind in FURNITURE}
    tp = fp = fn = 0
    truth_lines: set[int] = set()
    engine_text: list[str] = []
    last_body: list[int | None] = []
    first_body: list[int | None] = []
    for surface, truth in zip(doc.facsimile, truths):
        zones = sorted(surface.lines, key=lambda z: z.box[1])
        expected = set()
        if zones and truth.number and len(doc.text[zones[0].start:zones[0].end].strip()) <= 8:
            expected.add(zones[0].start)
        if len(zones) > 2 and truth.signature and len(doc.text[zones[-1].start:zones[-1].end].strip()) <= 8:
            expected.add(zones[-1].start)
        truth_lines |= expected
        found = {z.start for z in surface.lines} & furniture
        tp += len(found & expected)
        fp += len(found - expected)
        fn += len(expected - found)
        body = [z for z in surface.lines if z.start not in expected]
        engine_text.append(_join_hyphens([doc.text[z.start:z.end] for z in body]))
        last_body.append(body[-1].end - 1 if body else None)
        first_body.append(body[0].start if body else None)
    result["furniture P/R"] = (tp, fp, fn)

    # CER: the edition's reading text and the engine's own, page by page
    pages = reading_pages(tree, len(doc.facsimile))
    truth_text = _join_over_pages([_join_hyphens(t.body) for t in truths])
    engine_text = _join_over_pages(engine_text)
    ours = [cer(found, truth) for found, truth in zip(pages, truth_text)]
    theirs = [cer(found, truth) for found, truth in zip(engine_text, truth_text)]
    result["CER"] = sum(d for d, _ in ours) / max(1, sum(n for _, n in ours))
    result["engine CER"] = sum(d for d, _ in theirs) / max(1, sum(n for _, n in theirs))
    result["pages compared"] = (len(pages), len(truths))

    # joins over the page turns
    def block_at(offset: int | None):
        return next((i for i, b in enumerate(doc.blocks) if offset is not None and b.start <= offset < b.end), None)

    joins = [0, 0, 0]
    for n in range(len(truths) - 1):
        if last_body[n] is None or first_body[n + 1] is None:
            continue
        joined = block_at(last_body[n]) is not None and block_at(last_body[n]) == block_at(first_body[n + 1])
        if joined and truths[n].continues:
            joins[0] += 1
        elif joined:
            joins[1] += 1
        elif truths[n].continues:
            joins[2] += 1
    result["joins P/R"] = tuple(joins)

    result["dehyphenation P/R"] = dehyphenation_score(doc)
    result["notes P/R"] = notes_score(doc, [(surface.start, surface.end, truth.body)
                                            for surface, truth in zip(doc.facsimile, truths)])
    # low-confidence flags: a flagged word is rightly doubted when the ground truth's page has no
    # such word; every word of the engine's that is not there is one it should have doubted
    truth_words = [{w.strip(PUNCTUATION) for w in " ".join(t.body).split()} for t in truths]
    flagged = {e.start: e for e in doc.edits if e.kind == "low-confidence"}
    doubted = wrong = rightly = 0
    for page, surface in enumerate(doc.facsimile):
        for zone in surface.lines:
            for start, end, _confidence in zone.words:
                word = doc.text[start:end].strip(PUNCTUATION)
                bad = bool(word) and word not in truth_words[page]
                wrong += bad
                if start in flagged:
                    doubted += 1
                    rightly += bad
    result["low-confidence P/R"] = (rightly, doubted - rightly, wrong - rightly)
    result["letterforms regularized"] = sum(1 for e in doc.edits if e.stage == "letterforms")
    return result


def tesseract_seconds(images: list[Path], models: str) -> float | None:
    """Tesseract's own time for the pages (the command, hOCR out, same models, one thread as
    the pipeline's engine uses), or None where the command is not installed. Debian's build
    left to OpenMP's default takes 21.5 s instead of 3.3 s for a page on this 2-core machine."""
    command = shutil.which("tesseract")
    if command is None:
        return None
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        for image in images:
            subprocess.run([command, str(image), str(Path(folder) / image.stem), "-l", models, "hocr"],
                           check=True, capture_output=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    return time.perf_counter() - started


def ratio(tp: int, fp: int, fn: int) -> str:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return f"{precision:.2f}/{recall:.2f} ({tp}/{fp}/{fn})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100, help="pages of each engine's XML")
    parser.add_argument("--images", type=int, default=20, help="page images to recognise (0: none)")
    add_record_option(parser)
    args = parser.parse_args()
    rows = []
    for label, (folder, suffix) in INPUTS.items():
        paths = sorted((CORPUS / folder).glob(f"*{suffix}"), key=lambda p: natural_key(p.name))[: args.pages]
        stems = [p.name[: -len(suffix)] for p in paths]
        files = [SourceFile(p.name, p.read_bytes()) for p in paths]
        rows.append((label, score(label, files, stems, PipelineConfig()), None))
    if args.images:
        images = sorted((CORPUS / "tif").glob("*.tif"), key=lambda p: natural_key(p.name))[: args.images]
        files = [SourceFile(p.name, p.read_bytes()) for p in images]
        result = score("page images", files, [p.stem for p in images], PipelineConfig(ocr_languages=IMAGE_MODELS))
        engine = tesseract_seconds(images, IMAGE_MODELS)
        rows.append((f"page images, Tesseract 5 `{IMAGE_MODELS}`", result, engine / len(images) if engine else None))
    header = ("| input | pages | CER (edition) | CER (engine's text) | page numbers + signatures P/R (tp/fp/fn) "
              "| joins P/R | dehyphenation P/R | notes at the foot P/R | s/page | tesseract s/page "
              "| low-confidence flags P/R (wrong words) | letterforms regularized | valid |")
    lines = [header, "|" + "---|" * 13]
    for label, r, engine in rows:
        lines.append(f"| {label} | {r['pages']} | {r['CER']:.2%} | {r['engine CER']:.2%} | "
                     f"{ratio(*r['furniture P/R'])} | {ratio(*r['joins P/R'])} | {ratio(*r['dehyphenation P/R'])} | "
                     f"{ratio(*r['notes P/R'])} | "
                     f"{r['seconds per page']:.2f} | {f'{engine:.2f}' if engine else '—'} | "
                     f"{ratio(*r['low-confidence P/R'])} | {r['letterforms regularized']} | {r['valid']} |")
    table = "\n".join(lines)
    publish(table, not args.no_record, heading=(
            f"## Digitized sources: Grenzboten 1841 ({datetime.date.today()}, python -m bench.digitization)\n\n"
                      f"Machine: {describe()}. Cells P/R are precision/recall (true positives/false positives/"
                      "misses); CER is whitespace-blind, furniture excluded, line-end hyphens joined on both sides; "
                      "'tesseract s/page' is the `tesseract` command on the same images and models, one thread; "
                      "low-confidence flags count a flag right when the ground truth's page lacks the word.\n\n"))

if __name__ == "__main__":
    main()
