"""Column order on real multi-column pages: the share of the lines in the column regions that
the edition gives in the right reading order (left column top to bottom, then the right one,
band after band).

The regions were judged on the page images themselves (``column-samples``, five pages of
1653-1751 prints from the Deutsches Textarchiv): where each band of columns runs down the page
and where its gutter stands at its top and foot (x in the image's pixels). The pages have no
text: they are read once with Tesseract (``Fraktur+frk``, as the project's OCR reads Fraktur)
and the hOCR kept in ``--cache``. A line the edition gives across the gutter (the engine ran
a row of both columns together) counts as out of order; the others count when they belong to
the longest run of lines in the right order.

    python -m bench.columns --cache /tmp/column-hocr
"""

from __future__ import annotations

import argparse
import bisect
from pathlib import Path

from lxml import etree

from pipeline.config import PipelineConfig
from pipeline.ingest.pages.compose import SourceFile
from pipeline.process import build_edition

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT.parent / "shared" / "corpora" / "ocrd-workspaces" / "column-samples" / "OCR-D-IMG"
TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
ACROSS = 30  # pixels a line reaches over the gutter on both sides to be a row of both columns
# Judged on the images: per page, the bands of columns as (top, foot, gutter x at top, gutter x at foot)
BANDS = {
    "fleming_jaeger01_1719-0117": [(190, 1660, 752, 750), (1750, 2460, 752, 750)],
    "corvinus_frauenzimmer_1715-0054": [(165, 2600, 867, 843)],
    "dannhauer_catechismus04_1653-0585": [(480, 1990, 750, 750)],
    "bengel_abriss01_1751-0007": [(975, 1645, 805, 805)],
    "eiteritz_affe_1719-0206": [],  # a two-part list of herbs (Latin, German) read row by row: no columns
}


def hocr_of(stem: str, cache: Path) -> bytes:
    cached = cache / f"{stem}.hocr"
    if not cached.exists():
        import tesserocr
        from PIL import Image

        from pipeline.ingest.pages.ocr import tessdata
        with tesserocr.PyTessBaseAPI(path=tessdata(), lang="Fraktur+frk", psm=tesserocr.PSM.AUTO) as api:
            api.SetImage(Image.open(IMAGES / f"OCR-D-IMG-{stem}.jpg"))
            cached.write_text("<html xmlns='http://www.w3.org/1999/xhtml'><head><meta name='ocr-system' "
                              f"content='tesseract'/></head><body>{api.GetHOCRText(0)}</body></html>")
    return cached.read_bytes()


def line_boxes(tree: etree._Element) -> list[tuple[int, int, int, int]]:
    """The boxes of the edition's lines, in the edition's order."""
    zones = {zone.get(XML_ID): tuple(int(zone.get(k)) for k in ("ulx", "uly", "lrx", "lry"))
             for zone in tree.iter(f"{TEI}zone")}
    return [zones[element.get("facs").lstrip("#")] for element in tree.find(f".//{TEI}text").iter(f"{TEI}lb", f"{TEI}fw")
            if element.get("facs", "").lstrip("#") in zones]


def order_share(boxes: list[tuple[int, int, int, int]], bands) -> tuple[int, int]:
    """(lines in the right order, lines in the column regions)."""
    keys, total = [], 0
    for box in boxes:
        middle = (box[1] + box[3]) / 2
        for number, (top, foot, gutter_top, gutter_foot) in enumerate(bands):
            if top <= middle <= foot:
                total += 1
                gutter = gutter_top + (gutter_foot - gutter_top) * (middle - top) / (foot - top)
                if box[0] < gutter - ACROSS and box[2] > gutter + ACROSS:
                    break  # a row of both columns: out of order
                keys.append((number, (box[0] + box[2]) / 2 > gutter, middle))
                break
    return _longest_increasing(keys), total


def _longest_increasing(keys: list) -> int:
    tails: list = []
    for key in keys:
        at = bisect.bisect_left(tails, key)
        tails[at:at + 1] = [key]
    return len(tails)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, required=True, help="folder for the pages' hOCR")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    right_all = total_all = 0
    for stem, bands in BANDS.items():
        edition = build_edition([SourceFile(f"{stem}.hocr", hocr_of(stem, args.cache))], stem, PipelineConfig())
        tree = etree.fromstring(edition.xml)
        right, total = order_share(line_boxes(tree), bands)
        right_all, total_all = right_all + right, total_all + total
        breaks = [cb.get("n") for cb in tree.iter(f"{TEI}cb")]
        share = f"{right}/{total} = {right / total:.0%}" if total else "no columns"
        print(f"{stem:36} lines in column order {share:16} cb: {' '.join(breaks) or '-'}")
    print(f"{'all':36} lines in column order {right_all}/{total_all} = {right_all / total_all:.0%}")


if __name__ == "__main__":
    main()
