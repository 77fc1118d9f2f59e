"""Scale-out: a book's pages as units of work on an external Dask cluster, documents on it,
and the peak memory of a big image book.

    python -m bench.scaleout [--memory 50 200 600] [--cluster-docs 120] [--cluster-pages 200]

``bench.performance`` prints these lines too. The books are synthetic and deterministic: page
images (grey TIFFs, which the preview needs PNG copies of) with their hOCR beside them, so that
no OCR runs and the figures are the pipeline's own.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("the council met again in the spring and argued at length about bells ropes tower wardens "
         "accounts treaty session minutes year paid closed mended reported").split()
PAGE_SIZE = (1240, 1754)  # A4 at 150 dpi: wider than the preview's copies, so every page gets one
LINES = 40


def page_lines(rng: random.Random, number: int) -> list[str]:
    lines = [f"Minutes of the council {number}"]
    for _ in range(LINES - 1):
        lines.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 11))))
    return lines


def write_book(folder: Path, pages: int, images: bool = True, seed: int = 32) -> Path:
    """A book folder of ``pages`` page images (``p0001.tif``) and their hOCR (``p0001.hocr``):
    the text drawn on the image where the hOCR says it is, on a paper of grey noise (a
    scan's display copy weighs about 0.35 MB; these about 0.5 MB). ``images=False``: the
    same hOCR alone, naming no image."""
    from PIL import Image, ImageDraw

    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    width, height = PAGE_SIZE
    for number in range(1, pages + 1):
        stem = f"p{number:04d}"
        paper = rng.randbytes(width * height)
        image = Image.frombytes("L", PAGE_SIZE, paper).point(lambda v: 251 + v % 5)
        draw = ImageDraw.Draw(image)
        spans = []
        for n, text in enumerate(page_lines(rng, number)):
            x0, y0 = 120, 120 + n * 38
            x1, y1 = min(width - 100, x0 + 11 * len(text)), y0 + 28
            draw.text((x0, y0 + 6), text, fill=0)
            words = "".join(f"<span class='ocrx_word' title='bbox {x0} {y0} {x1} {y1}; x_wconf 93'>{w}</span> "
                            for w in text.split())
            spans.append(f"<span class='ocr_line' title='bbox {x0} {y0} {x1} {y1}'>{words}</span>")
        if images:
            image.save(folder / f"{stem}.tif", format="TIFF", compression="tiff_deflate")
        named = f'image "{stem}.tif"; ' if images else ""
        (folder / f"{stem}.hocr").write_text(
            "<html xmlns='http://www.w3.org/1999/xhtml'><body>"
            f"<div class='ocr_page' title='{named}bbox 0 0 {width} {height}'>"
            f"<p class='ocr_par'>{''.join(spans)}</p></div></body></html>", encoding="utf-8")
    return folder


def peak_rss_mb(book: Path, out: Path) -> tuple[float, float]:
    """Peak resident memory (VmHWM) of a fresh process writing the book's editions with the
    run's own function, and its seconds."""
    code = ("import sys; from pathlib import Path; from pipeline.config import PipelineConfig; "
            "from pipeline.ingest.pages.reader import natural_key; from pipeline.run.document import process_file; "
            "book = Path(sys.argv[1]); pages = tuple(sorted((p.name for p in book.iterdir()), key=natural_key)); "
            "report = process_file(book, Path(sys.argv[2]), PipelineConfig(), pages=pages); "
            "assert report.status == 'ok', report.errors; "
            "print(next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')))")
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code, str(book), str(out)], check=True, cwd=ROOT,
                            capture_output=True, text=True)
    return int(result.stdout.split()[-1]) / 1024, time.perf_counter() - started


def memory_rows(work: Path, sizes: list[int]) -> list[tuple[str, str]]:
    """Peak memory of image books of ``sizes`` pages, and of the same books' hOCR alone: the
    difference is what the page images cost (their bytes, decoding them, their display copies).
    A book's text, its TEI tree and its preview grow with its pages whatever is done with the
    images; the images' share is flat when it grows by less than a tenth of the copies' weight."""
    rows, shares = [], {}
    for pages in sizes:
        measured = []
        for images in (True, False):
            book = write_book(work / f"book{pages}-{images}", pages, images)
            out = work / f"out{pages}-{images}"
            peak, seconds = peak_rss_mb(book, out)
            measured.append((peak, seconds, sum(p.stat().st_size for p in out.rglob("*.png")) / 1e6))
            shutil.rmtree(book, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
        (peak, seconds, copies), (text_peak, _, _) = measured
        shares[pages] = (peak - text_peak, copies)
        rows.append((f"peak memory, a {pages}-page image book (hOCR + grey TIFF pages, no OCR), with its preview",
                     f"{peak:.0f} MB ({seconds:.0f} s; its hOCR alone {text_peak:.0f} MB: the images "
                     f"{peak - text_peak:+.0f} MB; display copies {copies:.0f} MB on disk)"))
    small, large = min(sizes), max(sizes)
    growth = shares[large][0] - shares[small][0]
    copies = shares[large][1] - shares[small][1]
    rows.append((f"GOAL (issue 32), peak memory of a {large}-page image book flat in the number of pages",
                 f"the images' share {shares[small][0]:.0f} MB at {small} pages, {shares[large][0]:.0f} MB at "
                 f"{large} ({growth:+.0f} MB; the {large - small} more pages' display copies weigh {copies:.0f} MB): "
                 f"{'met' if growth < 0.1 * copies else 'NOT met'}"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--memory", type=int, nargs="*", default=[50, 200, 600], help="pages of the books measured")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="scan2tei-scaleout-"))
    try:
        rows = memory_rows(work, args.memory) if args.memory else []
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for measure, result in rows:
        print(f"| {measure} | {result} |")


if __name__ == "__main__":
    main()
