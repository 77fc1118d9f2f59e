"""Hostile and damaged page files (issue 29): what a run does with each, and at what cost.

    python -m bench.hostile [--code DIR] [--only NAME ...]

Each case is a folder composed here (tests/hostile_files.py): a decompression bomb's header
beside a letter, damaged image headers, a PNG over Pillow's own ceiling read after a normal
page, a 708-byte PDF declaring a 200-inch page, a scan saved as PDF at Pillow's 72 dpi, and
OCR files with entities, bad numbers, links out of the folder and duplicated pages. Each is
run in a fresh process as ``flows.py run`` runs its sources (input walk, then every source
through ``process_file``), with the pipeline of ``--code`` (default: this checkout; give
another checkout to measure before a change). For each case it prints the exit status (1 if
a document failed or the process died, as the command's), what was written (the editions
and how many other files: previews, page copies, exports), the peak resident memory of the
process (VmHWM), the lines reported, and anything else the process printed on the console
(Python's warnings, a library's messages: none is the aim).
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile_files import (DAMAGED_HEADERS, LINES, alto, consonants, hocr, locked_pdf,  # noqa: E402
                                 page_xml, pdf_declaring, pdf_with_hidden_layer, png_header, real_png, text_png,
                                 tiff_with_a_damaged_second_page, tiff_with_a_tag_past_its_end)

# Run in the child, in the code checkout measured: the run's walk and documents, one JSON
# line per report, then the process's peak memory.
DRIVER = """
import json, sys
from pathlib import Path
from pipeline.config import PipelineConfig, load_config
from pipeline.run.document import process_file
from pipeline.run.inputs import discover_sources
inbox, out = Path(sys.argv[1]), Path(sys.argv[2])
settings = inbox.parent / "config.toml"
config = load_config(settings) if settings.exists() else PipelineConfig()
try:
    sources, problems = discover_sources([inbox], exclude=(out,))
    for p in problems:
        print(json.dumps({"name": str(p.path.name), "status": "failed", "errors": [p.problem]}))
    for s in sources:
        r = process_file(s.path, out, config, s.display_name.replace("/", "_"), s.display_name, s.pages)
        print(json.dumps({"name": r.file_name, "status": r.status, "errors": r.errors,
                          "problems": getattr(r, "problems", []), "notes": r.notes}))
finally:  # also when the run dies: what it had taken by then
    print("VmHWM", next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")), flush=True)
"""


def pillow_pdf(pages: int) -> bytes:
    """A scan saved as PDF by Pillow's defaults: 3,500 x 5,000 pixels placed at 72 dpi."""
    from PIL import Image

    buffer = io.BytesIO()
    first, *rest = [Image.new("1", (3500, 5000), 1) for _ in range(pages)]
    first.save(buffer, format="PDF", save_all=True, append_images=rest)
    return buffer.getvalue()


LETTER = b"A letter beside the scans, to be read all the same.\n"
MINUTES = ["The committee met on the fourth of March to consider the accounts",
           "of the library and the purchase of a new press for the printing",
           "office, which the treasurer had recommended in his report of the",
           "previous winter. The motion was carried without a division."]


def blank_tiff(width: int, height: int) -> bytes:
    """A 1-bit page of ``width`` x ``height`` pixels, CCITT G4: a few kilobytes on disk."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (width, height), 1).save(buffer, format="TIFF", compression="group4")
    return buffer.getvalue()


CASES: dict[str, dict[str, bytes]] = {
    "bomb 50,000² PNG beside a letter": {"letter.txt": LETTER, "scans/p1.png": png_header(50_000, 50_000)},
    "TIFF whose second page has no dimensions": {"letter.txt": LETTER, "scans/p1.tif": tiff_with_a_damaged_second_page()},
    **{f"damaged {name.split('.')[1].upper()} header": {"letter.txt": LETTER, f"scans/{name}": data}
       for name, data in DAMAGED_HEADERS.items()},
    "17,000² PNG alone": {"scans/p2.png": png_header(17_000, 17_000)},
    "17,000² PNG after a normal page": {"scans/p1.png": real_png(200, 280), "scans/p1.hocr": hocr(),
                                       "scans/p2.png": png_header(17_000, 17_000)},
    "14,500² TIFF page (210 M pixels: under our limit, over Pillow's own)": {
        "book/p1.tif": blank_tiff(14_500, 14_500), "book/p1.hocr": hocr()},
    "50,000² page between two pages of a book": {
        "book/p1.png": real_png(), "book/p1.hocr": hocr(), "book/p2.png": png_header(50_000, 50_000),
        "book/p3.png": real_png(), "book/p3.hocr": hocr(["A third page follows the bomb."])},
    "TIFF whose private tag points past its end": {"book/p1.tif": tiff_with_a_tag_past_its_end(),
                                                   "book/p1.hocr": hocr()},
    "708-byte PDF declaring 200 x 200 inches": {"poster.pdf": pdf_declaring((200, 200))},
    "scan saved as PDF at 72 dpi, 2 pages": {"scan.pdf": pillow_pdf(2)},
    "PAGE text with an internal entity": {"book/p1.xml": page_xml(
        ["Caf&eacute; au lait for the committee.", LINES[1]], doctype='<!DOCTYPE PcGts [<!ENTITY eacute "&#233;">]>\n')},
    "PAGE point -1 on page 2 of 3": {"book/p1.xml": page_xml(), "book/p3.xml": page_xml(),
                                     "book/p2.xml": page_xml(points="-1,100 900,100 900,140 100,140")},
    "hOCR bbox 100.5 and x_wconf abc": {"book/p1.hocr": hocr(bbox="100.5 100 900 140", wconf="abc")},
    "ALTO WIDTH inf": {"book/p1.xml": alto(line_attrs={"WIDTH": "inf"})},
    "ALTO fileName /home/…, PAGE ../../etc/passwd": {
        "book/p1.xml": alto(file_name="/home/archivist/scans/secret/p1.tif"), "book/p1.png": real_png(),
        "book/p2.xml": page_xml(image="../../../../../../etc/passwd")},
    "p1 as hOCR, ALTO and PNG": {"book/p1.hocr": hocr(["Beta reading."]), "book/p1.xml": alto(["Alpha reading."]),
                                 "book/p1.png": real_png()},
    "hOCR nested 300 deep, 2 pages": {"book/p1.hocr": hocr(depth=300, pages=2)},
    "PAGE with xmlns:alto on its root": {"book/p1.xml": page_xml(
        root_extra=' xmlns:alto="http://www.loc.gov/standards/alto/ns-v4#"')},
    "PDF scan with a hidden layer of consonants": {"scan.pdf": pdf_with_hidden_layer(
        None, [consonants(12, seed) for seed in range(6)], text_png(MINUTES))},
    "PDF text with a hidden layer of consonants": {"text.pdf": pdf_with_hidden_layer(
        MINUTES, [consonants(12, seed) for seed in range(6)])},
    "PDF with 0 pages": {"empty.pdf": pdf_declaring()},
    "PDF locked by a password": {"locked.pdf": locked_pdf()},
    "book of 3 pages over max_document_pages 2": {"book/p1.xml": page_xml(), "book/p2.xml": page_xml(),
                                                   "book/p3.xml": page_xml(), "config.toml": b"max_document_pages = 2"},
    "page file over max_page_file_bytes 2,000": {
        "book/p1.xml": page_xml(), "book/p2.xml": page_xml(["Padded.", "x" * 3000]), "book/p3.xml": page_xml(),
        "config.toml": b"max_page_file_bytes = 2000"},
}


def run_case(name: str, files: dict[str, bytes], code: Path) -> dict:
    work = Path(tempfile.mkdtemp(prefix="hostile-"))
    inbox, out = work / "in", work / "out"
    for path, data in files.items():
        where = work / path if path == "config.toml" else inbox / path  # the case's settings, beside the input
        where.parent.mkdir(parents=True, exist_ok=True)
        where.write_bytes(data)
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", DRIVER, str(inbox), str(out)], cwd=code,
                            capture_output=True, text=True)
    reports = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    peak = next((int(line.split()[1]) for line in result.stdout.splitlines() if line.startswith("VmHWM")), None)
    died = result.returncode != 0
    status = 1 if died or any(r["status"] in ("failed", "invalid") for r in reports) else 0
    lines = [f"{r['status'].upper()} {r['name']}: " + "; ".join(r["errors"] or r["notes"]) for r in reports]
    lines += [f"  PROBLEM {r['name']}: {p}" for r in reports for p in r.get("problems", [])]
    console = [line for line in result.stderr.splitlines() if line.strip()]
    if died:
        lines.append(f"DIED: {(console or ['(no message)'])[-1]}")
    elif console:
        lines.append(f"CONSOLE ({len(console)} lines): {console[0].strip()}")
    files = [p for p in out.rglob("*") if p.is_file()] if out.exists() else []
    written = sorted(str(p.relative_to(out)) for p in files if p.name.endswith(".tei.xml"))
    return {"case": name, "exit": status, "written": written, "other_files": len(files) - len(written),
            "peak_mb": peak and round(peak / 1024), "seconds": round(time.perf_counter() - started, 1),
            "lines": lines}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose pipeline runs the cases")
    parser.add_argument("--only", nargs="*", help="cases whose name contains one of these")
    args = parser.parse_args()
    for name, files in CASES.items():
        if args.only and not any(part in name for part in args.only):
            continue
        row = run_case(name, files, args.code.resolve())
        print(f"## {name}: exit {row['exit']}, peak {row['peak_mb'] or '?'} MB, {row['seconds']} s, "
              f"written: {', '.join(row['written']) or 'nothing'}"
              + (f" (+{row['other_files']} other files)" if row["other_files"] else ""))
        for line in row["lines"]:
            print(f"   {line[:300]}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
