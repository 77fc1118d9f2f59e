"""Which Tesseract models read a page, chosen by the page itself: a real page of polytonic Greek
(Swete 1901) whose script Tesseract's OSD names wrongly (Cyrillic, with little confidence), and
lines transcribed by hand from the image to judge the reading."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from pipeline.config import PipelineConfig
from pipeline.ingest.pages import ocr
from pipeline.ingest.pages.compose import SourceFile
from pipeline.process import build_edition
from tests.conftest import parse

if (why := ocr.available()) is not None:
    pytest.skip(f"OCR tests skipped: {why}", allow_module_level=True)
if not {"grc", "osd"} <= ocr.installed_models():
    pytest.skip("Debian's tesseract-ocr-grc and tesseract-ocr-osd are needed", allow_module_level=True)

PAGE = Path(__file__).parent / "data" / "swete-1901-image" / "0050-top.png"
NS = {"t": "http://www.tei-c.org/ns/1.0"}
TRANSCRIBED = [  # the first lines of the text, as printed (sigla, verse numbers left out)
    "ἑκατον τριάκοντα ἔτη, καὶ ἐγέννησεν τὸν Σάλα. καὶ ἔζησεν Καινὰν μετὰ",
    "τὸ γεννῆσαι αὐτὸν τὸν Σάλα ἔτη τριακόσια τριάκοντα, καὶ ἐγέννησεν υἱοὺς",
    "καὶ θυγατέρας, καὶ ἀπέθανεν. Καὶ ἔζησεν Σάλα ἑκατὸν τριάκοντα",
    "ἔτη, καὶ ἐγέννησεν τὸν Ἔβερ. καὶ ἔζησεν Σάλα μετὰ τὸ γεννῆσαι αὐτὸν",
    "τὸν Ἔβερ τριακόσια τριάκοντα ἔτη, καὶ ἐγέννησεν υἱοὺς καὶ θυγατέρας,",
    "καὶ ἀπέθανεν. Καὶ ἔζησεν Ἔβερ ἑκατὸν τριάκοντα τέσσερα ἔτη,",
]


def _letters(text: str) -> str:
    return re.sub(r"[0-9A-Za-z\s]", "", unicodedata.normalize("NFC", text))


def test_a_polytonic_greek_page_osd_misnames_is_read_with_the_ancient_greek_model():
    from rapidfuzz.distance import Levenshtein

    edition = build_edition([SourceFile(PAGE.name, PAGE.read_bytes())], "genesis", PipelineConfig())
    assert edition.errors == []
    tree = parse(edition.xml)
    note = tree.find(".//t:note[@type='digitization']", NS).text
    assert "detected by Tesseract's OSD" in note and "Greek read surer" in note, note
    assert "polytonic: read again with grc" in note, note
    lines = edition.document.text.splitlines()
    errors = length = 0
    for printed in TRANSCRIBED:  # each transcribed line against the line read closest to it
        read = min(lines, key=lambda line: Levenshtein.normalized_distance(_letters(line), _letters(printed)))
        errors += Levenshtein.distance(_letters(read), _letters(printed))
        length += len(_letters(printed))
    assert errors / length < 0.08  # read with eng, as OSD's Cyrillic left it: 97 %
