"""Texts that show no pages: page breaks, joins and headings in their editions.

    python -m bench.pageless [--no-record]

Never invent a page: a text without page evidence (form feeds, page files, page numbers in
sequence, running heads) must get no ``<pb/>``. Composed from the corpora's ground truth
(../shared/corpora: the Grenzboten and Hobbes pages, their page numbers, signatures and
running heads dropped, joined by a blank line: every page turn is then only a blank line),
once with the printed lines and once with a line per paragraph; and the single page files
of the text exports, each an edition of its own. Counted: page breaks (should be 0), joins
recorded (paragraph-join: a sentence that goes on in lower case over a blank line), headings.
"""

from __future__ import annotations

import argparse
import datetime
import re
from collections import Counter
from pathlib import Path

from bench.machine import add_record_option, describe, publish
from pipeline.config import PipelineConfig
from pipeline.errors import EmptyDocument
from pipeline.process import build_document

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
GROUND_TRUTH = {"Grenzboten 1841 (German)": "grenzboten-1841/gt", "Hobbes 1668 (Latin)": "hobbes-1668/gt"}
EXPORTS = {"Grenzboten ABBYY text, one page a file": "grenzboten-1841/abbyy-txt",
           "Grenzboten Tesseract text, one page a file": "grenzboten-1841/tess-txt",
           "Hobbes ABBYY text, one page a file": "hobbes-1668/abbyy-txt"}
PAGES_A_TEXT = 10


def body_lines(page: str) -> list[str]:
    """A ground-truth page without its furniture: short lines or lines with a number at its edges."""
    lines = [line.rstrip() for line in page.strip("\n").split("\n")]
    while lines and (len(lines[0]) < 12 or re.search(r"\d", lines[0]) and len(lines[0]) < 40):
        lines.pop(0)
    while lines and len(lines[-1]) < 8:
        lines.pop()
    return lines


def one_line_a_paragraph(lines: list[str]) -> list[str]:
    paragraphs, current = [], ""
    for line in lines + [""]:
        if not line.strip():
            if current:
                paragraphs.append(current)
            current = ""
        elif current.endswith(("-", "¬", "⸗")) and line[:1].islower():
            current = current[:-1] + line.strip()
        else:
            current = f"{current} {line.strip()}".strip()
    return paragraphs


def composed(folder: Path) -> list[tuple[str, str]]:
    pages = [body_lines(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.gt.txt"))]
    texts = []
    for start in range(0, len(pages), PAGES_A_TEXT):
        chunk = pages[start:start + PAGES_A_TEXT]
        texts.append((f"{start}-lines", "\n\n".join("\n".join(p) for p in chunk) + "\n"))
        texts.append((f"{start}-paragraphs", "\n\n".join("\n\n".join(one_line_a_paragraph(p)) for p in chunk) + "\n"))
    return texts


def count(texts: list[tuple[str, bytes]]) -> Counter:
    counts: Counter = Counter()
    for name, data in texts:
        try:
            doc = build_document(data, name, PipelineConfig())
        except EmptyDocument:  # a blank page's export
            continue
        counts["texts"] += 1
        counts["page breaks"] += sum(e.kind == "page-break" for e in doc.edits)
        counts["joins"] += sum(e.kind == "paragraph-join" for e in doc.edits)
        counts["headings"] += sum(b.kind == "head" for b in doc.blocks)
        counts["paragraphs"] += sum(b.kind == "p" for b in doc.blocks)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_record_option(parser)
    args = parser.parse_args()
    rows = []
    for name, folder in GROUND_TRUTH.items():
        texts = [(f"{folder}-{n}.txt", text.encode()) for n, text in composed(CORPORA / folder)]
        rows.append((f"{name}: ground truth, pages joined by a blank line", count(texts)))
    for name, folder in EXPORTS.items():
        rows.append((name, count([(p.name, p.read_bytes()) for p in sorted((CORPORA / folder).glob("*.txt"))])))
    lines = [f"## Texts without pages ({datetime.date.today().isoformat()})", "",
             f"Machine: {describe()}. Command: `python -m bench.pageless`. Page breaks should be 0.", "",
             "| texts | n | page breaks | joins recorded | headings | paragraphs |", "|---|---|---|---|---|---|"]
    lines += [f"| {name} | {c['texts']} | {c['page breaks']} | {c['joins']} | {c['headings']} | {c['paragraphs']} |"
              for name, c in rows]
    report = "\n".join(lines) + "\n"
    publish(report, not args.no_record)


if __name__ == "__main__":
    main()
