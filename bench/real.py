"""Page furniture, page breaks, joins and dehyphenation on real OCR text exports.

    python -m bench.real [--pages N] [--no-record]

The Grenzboten 1841 corpus (../shared/corpora/grenzboten-1841: one plain-text export per
page from ABBYY FineReader 11 and Tesseract 3, and a line-accurate ground truth) is put
together the way an archive does it (`cat` of the page files, or the pages joined by a
newline, a blank line or a form feed), run through the pipeline, and scored against the
ground truth:

- page numbers and signature marks: precision and recall of the lines the pipeline makes
  `fw` (truth: the ground truth's first line is a page number, its last a signature mark;
  a furniture line the OCR lost is not counted against recall);
- page breaks: recall of the page boundaries with a `pb` at them, precision of the `pb`s;
- joins: a paragraph that goes on over the page turn (truth: the ground truth's last body
  line of the page ends without . ! ? :, or the next page's first body line begins in lower
  case: the main text going on after a footnote that ends the page) is one block across it;
- dehyphenation: a line-end hyphen between letters followed by a lower-case line (German:
  a soft hyphen) is joined; one followed by a capital is kept;
- noise lines: lines of the OCR the ground truth has nothing like (best similarity to any of
  its page's lines < 0.5: printed rules read as dashes, specks, an unreadable line), page
  numbers and signature marks aside, that the pipeline marks (page furniture, layout, garbled);
  false marks are layout or garbled marks on lines the ground truth has (similarity >= 0.8);
- notes at the foot: pages whose notes the pipeline sets apart, right when the note begins at
  the line the ground truth opens a note with (its mark "*)" transcribed), page by page;
- changes: characters the pipeline corrected or regularized (hyphens aside), which the
  ground truth, a transcription of the printed page, never asks for.
"""

from __future__ import annotations

import argparse
import datetime
import difflib
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from bench.machine import add_record_option, describe, publish
from pipeline.config import PipelineConfig
from pipeline.kinds import PAGE_FURNITURE
from pipeline.process import build_document

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpora" / "grenzboten-1841"
ENGINES = {"abbyy": ("abbyy-txt", ".abbyy.txt"), "tesseract": ("tess-txt", ".tess.txt")}
JOINERS = {"cat": b"", "newline": b"\n", "blank line": b"\n\n", "form feed": b"\n\f\n"}
SIGNATURE = re.compile(r"^\s*[A-Za-z]?\s?\d{1,2}\s?[*»«]?\s*$|^\s*\S{1,2}\s?[*»«]\s*$")
FURNITURE_KINDS = PAGE_FURNITURE - {"page-break"}
INVISIBLE = str.maketrans("", "", "\ufeff\u200b\u2060\u00ad")


@dataclass
class Page:
    stem: str
    start: int = 0  # offset of the page in the document's text
    end: int = 0
    number_line: tuple[int, int] | None = None  # the OCR's line that is the printed page number
    signature_line: tuple[int, int] | None = None
    last_body: int | None = None  # offset just after the page's last body character
    first_body: int | None = None  # offset of the page's first body character
    continues: bool = False  # the ground truth's last body line does not end a sentence, or the next page's text begins in lower case
    gt_lines: list[str] = field(default_factory=list)
    first_gt: str = ""  # the ground truth's first body line


def _lines(text: str, offset: int = 0) -> list[tuple[int, int, str]]:
    result, position = [], offset
    for line in text.split("\n"):
        result.append((position, position + len(line), line))
        position += len(line) + 1
    return result


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(a="".join(a.split()), b="".join(b.split()), autojunk=False).ratio()


NOISE, TEXT = 0.5, 0.8  # best similarity to the page's ground truth: below, noise; at or above, text


@functools.lru_cache(maxsize=None)
def _best_similarity(stem: str, key: str) -> float:
    """How like the OCR line (without spaces) the closest line of the page's ground truth is."""
    best = 0.0
    for line in (CORPUS / "gt" / f"{stem}.gt.txt").read_text(encoding="utf-8").split("\n"):
        matcher = difflib.SequenceMatcher(a=key, b="".join(line.split()), autojunk=False)
        if matcher.real_quick_ratio() > best and matcher.quick_ratio() > best:
            best = max(best, matcher.ratio())
    return best


def compose(engine: str, joiner: bytes, pages: int) -> tuple[bytes, list[Page]]:
    folder, suffix = ENGINES[engine]
    stems = sorted(p.name[: -len(".gt.txt")] for p in (CORPUS / "gt").glob("*.gt.txt"))[:pages]
    data = joiner.join((CORPUS / folder / f"{stem}{suffix}").read_bytes() for stem in stems)
    return data, [Page(stem) for stem in stems]


def locate(text: str, engine: str, joiner: bytes, pages: list[Page]) -> None:
    """Offsets of each page in the pipeline's text (newlines normalized, the first BOM gone)."""
    folder, suffix = ENGINES[engine]
    position = 0
    join = joiner.decode().replace("\r\n", "\n")
    for n, page in enumerate(pages):
        raw = (CORPUS / folder / f"{page.stem}{suffix}").read_bytes().decode("utf-8")
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
        if n == 0 and raw.startswith("\ufeff") and not text.startswith("\ufeff"):
            raw = raw[1:]
        assert text.startswith(raw, position), (page.stem, text[position:position + 40], raw[:40])
        page.start, page.end = position, position + len(raw)
        position = page.end + len(join)
        gt = (CORPUS / "gt" / f"{page.stem}.gt.txt").read_text(encoding="utf-8")
        page.gt_lines = [line for line in gt.split("\n") if line.strip()]
        ocr = [(s, e, line) for s, e, line in _lines(raw, page.start) if line.strip("\ufeff \t")]
        if not ocr or len(page.gt_lines) < 3:
            continue
        body_gt = page.gt_lines[:]
        first, last = ocr[0], ocr[-1]
        if page.gt_lines[0].strip().isdigit():
            body_gt = body_gt[1:]
            if len(first[2].strip("\ufeff ")) <= 8 and _similar(first[2], body_gt[0]) < 0.5:
                page.number_line = (first[0] + len(first[2]) - len(first[2].lstrip("\ufeff ")), first[1])
        if SIGNATURE.match(page.gt_lines[-1]):
            body_gt = body_gt[:-1]
            if len(last[2].strip()) <= 8 and _similar(last[2], body_gt[-1]) < 0.5:
                page.signature_line = (last[0], last[1])
        body = [line for line in ocr if (line[0], line[1]) != page.signature_line
                and (page.number_line is None or not line[0] <= page.number_line[0] < line[1] + 1)]
        if body:
            page.first_body = body[0][0] + len(body[0][2]) - len(body[0][2].lstrip("\ufeff \t"))
            page.last_body = body[-1][0] + len(body[-1][2].rstrip())
        page.continues = not re.search(r"[.!?:]\W*$", body_gt[-1].strip())
        page.first_gt = body_gt[0] if body_gt else ""
    for page, following in zip(pages, pages[1:]):  # the main text goes on after a footnote
        if following.first_gt[:1].islower():
            page.continues = True


GT_NOTE = re.compile(r"^\*+\)\s*")  # the ground truth transcribes a note's mark as printed: "*)"


def notes_score(doc, pages: list[tuple[int, int, list[str]]]) -> tuple[int, int, int]:
    """Notes at the pages' feet, page by page: ``pages`` are each page's span of the text and its
    ground-truth lines. A note found is right when it begins at the line the ground truth opens
    a note with (read alike, its mark aside)."""
    notes = [e for e in doc.edits if e.kind == "footnote" and "id" in e.attrs]
    tp = fp = fn = 0
    for start, end, gt_lines in pages:
        truth = next((GT_NOTE.sub("", line) for line in gt_lines if GT_NOTE.match(line)), None)
        found = [e for e in notes if start <= e.start < end]
        right = truth is not None and any(
            _similar(GT_NOTE.sub("", doc.text[e.start:e.end].split("\n")[0]), truth) >= 0.6
            for e in found)
        tp += right
        fn += truth is not None and not right
        fp += len(found) - right
    return tp, fp, fn


def ratio(tp: int, fp: int, fn: int) -> tuple[float, float]:
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)


def score(engine: str, joiner_name: str, pages_wanted: int) -> dict[str, tuple[int, int, int]]:
    data, pages = compose(engine, JOINERS[joiner_name], pages_wanted)
    doc = build_document(data, f"grenzboten-{engine}.txt", PipelineConfig())
    locate(doc.text, engine, JOINERS[joiner_name], pages)
    furniture = [e for e in doc.edits if e.kind in FURNITURE_KINDS]
    result: dict[str, tuple[int, int, int]] = {}

    def overlaps(edit, span) -> bool:
        return span is not None and edit.start < span[1] and span[0] < edit.end

    for name, attribute in (("page numbers", "number_line"), ("signature marks", "signature_line")):
        truth = [getattr(p, attribute) for p in pages if getattr(p, attribute)]
        found = sum(any(overlaps(e, span) for e in furniture) for span in truth)
        result[name] = (found, 0, len(truth) - found)
    spans = [s for p in pages for s in (p.number_line, p.signature_line) if s]
    false = [e for e in furniture if not any(overlaps(e, s) for s in spans)]
    tp = sum(any(overlaps(e, s) for e in furniture) for s in spans)
    result["furniture (all)"] = (tp, len(false), len(spans) - tp)

    breaks = [e.start for e in doc.edits if e.kind == "page-break"]
    boundaries = []
    for previous, page in zip(pages, pages[1:]):
        low = previous.last_body if previous.last_body is not None else previous.end
        high = page.first_body if page.first_body is not None else page.start
        boundaries.append((low, high))
    hit = [any(low <= b <= high for b in breaks) for low, high in boundaries]
    stray = [b for b in breaks if not any(low <= b <= high for low, high in boundaries)]
    result["page breaks"] = (sum(hit), len(stray), len(hit) - sum(hit))

    def block_at(offset: int):
        return next((i for i, b in enumerate(doc.blocks) if b.start <= offset < max(b.end, b.start + 1)), None)

    joins = [0, 0, 0]
    for previous, page in zip(pages, pages[1:]):
        if previous.last_body is None or page.first_body is None:
            continue
        joined = block_at(previous.last_body - 1) is not None and block_at(previous.last_body - 1) == block_at(
            page.first_body)
        if joined and previous.continues:
            joins[0] += 1
        elif joined:
            joins[1] += 1
        elif previous.continues:
            joins[2] += 1
    result["page-break joins"] = tuple(joins)

    hyphens = [e for e in doc.edits if e.kind == "hyphenation"]
    joined_at = {e.start for e in hyphens}
    truth_join, truth_keep = set(), set()
    for match in re.finditer(r"(?<=[^\W\d_])-[ \t]*\n", doc.text):
        rest = doc.text[match.end():]
        following = re.match(r"(?:[ \t\f\ufeff]*(?:\S{1,8}[ \t]*)?\n)*?[ \t\f\ufeff]*([^\W\d_])", rest)
        if following is None:
            continue
        # a short line in between (a page number, a signature) is skipped by the reader too
        (truth_join if following.group(1).islower() else truth_keep).add(match.start())
    result["dehyphenation"] = (len(joined_at & truth_join), len(joined_at & truth_keep), len(truth_join - joined_at))
    result["notes at the foot"] = notes_score(doc, [(page.start, page.end, page.gt_lines) for page in pages])
    def visible(text: str | None) -> str:
        return "".join((text or "").split()).translate(INVISIBLE)

    truth_furniture = [s for p in pages for s in (p.number_line, p.signature_line) if s]
    noise, text_lines = [], []
    for page in pages:
        for start, end, line in _lines(doc.text[page.start:page.end], page.start):
            key = "".join(line.split()).translate(INVISIBLE)
            if not key or any(start < s[1] and s[0] < end for s in truth_furniture):
                continue
            similarity = _best_similarity(page.stem, key)
            if similarity < NOISE:
                noise.append((start, end))
            elif similarity >= TEXT:
                text_lines.append((start, end))
    marks = [e for e in doc.edits if e.end > e.start and (e.kind in FURNITURE_KINDS or e.kind in ("layout", "garbled"))]
    false_marks = [e for e in marks if e.kind in ("layout", "garbled")]

    def marked(span, edits) -> bool:
        return any(e.start < span[1] and span[0] < e.end for e in edits)

    found = sum(marked(span, marks) for span in noise)
    result["noise lines"] = (found, sum(marked(span, false_marks) for span in text_lines), len(noise) - found)

    changes = [e for e in doc.edits if e.kind in ("correction", "regularization", "illegal-character")
               and visible(e.original) != visible(e.replacement)]
    result["characters changed"] = (len(changes), 0, 0)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    add_record_option(parser)
    args = parser.parse_args()
    rows = []
    for engine in ENGINES:
        for joiner in JOINERS:
            result = score(engine, joiner, args.pages)
            cells = []
            for name, (tp, fp, fn) in result.items():
                if name == "characters changed":
                    cells.append(f"{tp}")
                    continue
                precision, recall = ratio(tp, fp, fn)
                cells.append(f"{precision:.2f}/{recall:.2f} ({tp}/{fp}/{fn})")
            rows.append((engine, joiner, *cells))
            print(" | ".join(rows[-1]), flush=True)
    header = ("engine", "pages joined by", *result.keys())
    table = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + ["| " + " | ".join(r) + " |" for r in rows]
    publish("\n".join(table), not args.no_record, heading=(
            f"## Real OCR text exports: Grenzboten 1841 ({datetime.date.today()}, python -m bench.real)\n\n"
                      f"Machine: {describe()}. {args.pages} pages; cells are precision/recall (true positives/"
                      "false positives/misses); 'characters changed' counts corrections and regularizations "
                      "the ground truth never asks for.\n\n"))


if __name__ == "__main__":
    main()
