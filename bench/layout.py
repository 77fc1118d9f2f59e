"""Layout benchmark: precision and recall of page furniture, page-break joins, garbled spans
and hyphenation, on synthetic scans (bench/scans.py) and on the scanned book (seeds/002).

    python -m bench.layout           # prints the table and appends it to BENCHMARKS.md
"""

from __future__ import annotations

import argparse
import datetime
from collections import defaultdict
from pathlib import Path

from bench.machine import add_record_option, describe, publish
from bench.scans import Scan, chinese_scan, english_scan
from pipeline.config import PipelineConfig
from pipeline.process import build_document

ROOT = Path(__file__).resolve().parent.parent
FURNITURE = ("running-head", "page-number", "catalogue-number")


def book_truth() -> Scan:
    """The scanned book, annotated by hand from reading it (not from the pipeline's output):
    its furniture lines, the starts of the continuations of its cut paragraphs, its loops."""
    text = (ROOT / "seeds" / "002_492f708f3fafdf19.txt").read_text(encoding="utf-8")
    scan = Scan(text=text)
    lines, offset = [], 0
    for line in text.split("\n"):
        lines.append((offset, line))
        offset += len(line) + 1
    title_lines = [(o, l) for o, l in lines if l == "蘇聯外交政策史論"]
    scan.furniture += [(o, o + len(l), "running-head") for o, l in title_lines]
    chapter_head = next((o, l) for o, l in lines if l == "第一章 緒論——蘇聯外交政策的特質")
    scan.furniture.append((chapter_head[0], chapter_head[0] + len(chapter_head[1]), "running-head"))
    stamp = next((o, l) for o, l in lines if l == "CWT326/09")
    scan.furniture.append((stamp[0], stamp[0] + len(stamp[1]), "catalogue-number"))
    for ending in ("就沒有向", "在這六年", "趕快", "國際制度中", "以致產生", "鞏固革命戰", "蘇維埃的", "面積為",
                   "不獲通過，"):
        end = next(o + len(l) for o, l in lines if l.endswith(ending))
        scan.cuts.append(next(o for o, l in lines if o > end and l and l not in ("蘇聯外交政策史論",)
                              and not l.startswith("第一章 ") and l != "CWT326/09"))
    loop = "蘇聯與蘇聯，以及由這些蘇聯中派出的實業家與蘇聯"
    start = text.find(loop)
    while start >= 0:
        scan.garbled.append((start, start + len(loop)))
        start = text.find(loop, start + 1)
    garbled_start = text.find("(一)蘇聯與蘇聯相連帶")
    end = text.index("聯系", garbled_start) + 2
    scan.garbled.append((garbled_start + 3, end))
    return scan


def evaluate(scan: Scan) -> dict[str, tuple[int, int, int]]:
    """(true positives, false positives, false negatives) per detector."""
    doc = build_document(scan.text.encode("utf-8"), "scan.txt", PipelineConfig())
    result = {}
    for kind in FURNITURE:
        truth = {(s, e) for s, e, k in scan.furniture if k == kind}
        found = {(e.start, e.end) for e in doc.edits if e.kind == kind}
        result[kind] = (len(truth & found), len(found - truth), len(truth - found))
    spanning = lambda p: any(b.start < p < b.end for b in doc.blocks if b.kind == "p")  # noqa: E731
    joined = [c for c in scan.cuts if spanning(c)]
    false_joins = [p for p in scan.page_starts if spanning(p)]
    result["page-break joins"] = (len(joined), len(false_joins), len(scan.cuts) - len(joined))
    truth_chars = {i for s, e in scan.garbled for i in range(s, e)}
    found_chars = {i for e in doc.edits if e.kind == "garbled" for i in range(e.start, e.end)}
    result["garbled (characters)"] = (len(truth_chars & found_chars), len(found_chars - truth_chars),
                                      len(truth_chars - found_chars))
    if scan.hyphens:
        removed = {e.start for e in doc.edits if e.kind == "hyphenation"}
        result["hyphenation"] = (len(removed & set(scan.hyphens)), len(removed - set(scan.hyphens)),
                                 len(set(scan.hyphens) - removed))
    return result


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "—"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_record_option(parser)
    parser.add_argument("--scans", type=int, default=20, help="synthetic scans of each style")
    args = parser.parse_args()
    sets = {"the scanned book (seeds/002)": [book_truth()],
            f"{args.scans} synthetic Chinese scans": [chinese_scan(s) for s in range(args.scans)],
            f"{args.scans} synthetic English scans": [english_scan(s) for s in range(args.scans)]}
    lines = [f"## Layout repair ({datetime.date.today().isoformat()})", "",
             f"Machine: {describe()}. Command: `python -m bench.layout`. Furniture counts exact spans; joins "
             "count cut paragraphs made one block again (false: paragraphs that began a page, joined); garbled "
             "counts characters.", "",
             "| set | detector | TP | FP | FN | precision | recall |", "|---|---|---|---|---|---|---|"]
    for name, scans in sets.items():
        totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for scan in scans:
            for detector, counts in evaluate(scan).items():
                for k in range(3):
                    totals[detector][k] += counts[k]
        for detector, (tp, fp, fn) in totals.items():
            if tp + fp + fn:
                lines.append(f"| {name} | {detector} | {tp} | {fp} | {fn} | {_ratio(tp, tp + fp)} | {_ratio(tp, tp + fn)} |")
    lines.append("")
    report = "\n".join(lines)
    publish(report, not args.no_record)


if __name__ == "__main__":
    main()
