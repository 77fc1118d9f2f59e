"""Page turns in a short text export without page separators (three pages of the Grenzboten
as Tesseract 3 wrote them, joined by ``cat``): only the lines at the turns tell the pages."""

from __future__ import annotations

from pipeline.config import PipelineConfig
from pipeline.process import build_edition
from pipeline.tei import tei
from tests.conftest import ROOT, parse

PAGES = ROOT / "tests" / "data" / "grenzboten-1841" / "tess-txt-179392"


def test_a_short_export_gets_one_page_break_a_turn_numbered_as_printed():
    data = b"".join(path.read_bytes() for path in sorted(PAGES.glob("*.tess.txt")))
    edition = build_edition(data, "grenzboten.txt", PipelineConfig())
    assert not edition.errors
    breaks = list(parse(edition.xml).iter(tei("pb")))
    # three pages, two turns: the garbled "s" (3) between two halves of a sentence is one turn, not two
    assert len(breaks) == 2
    # page 1's signature mark "1" and page 2's number "2" stand at the first turn: the page is 2
    assert breaks[0].get("n") == "2"


def test_a_poems_line_count_in_the_margin_heads_no_section():
    """Four pages with a poem whose lines are counted every twenty in the margin (20, 40 read
    "4O"), each number on a line of its own: numbers that do not count on by one from another
    number standing alone are no section's number; the pages' own numbers (77-80) are pages'."""
    pages = ROOT / "tests" / "data" / "grenzboten-1841" / "tess-txt-179468"
    data = b"".join(path.read_bytes() for path in sorted(pages.glob("*.tess.txt")))
    edition = build_edition(data, "grenzboten.txt", PipelineConfig())
    heads = [" ".join("".join(head.itertext()).split()) for head in parse(edition.xml).iter(tei("head"))]
    assert not [head for head in heads if head in ("20", "4O")]

