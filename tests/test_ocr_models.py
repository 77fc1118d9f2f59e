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


def test_a_latin_line_on_a_greek_page_is_read_again_with_the_latin_model():
    """A running head and a foot line in Latin on a page of Greek (as critical editions print
    them): the Greek model reads them as Greek garbage ("118. ΧΙ. ΟΑΡ ΠΙ|.") and doubts it;
    read again alone with the Latin model they read as printed, the Greek lines untouched."""
    if "lat" not in ocr.installed_models():
        pytest.skip("Debian's tesseract-ocr-lat is needed")
    from tests.test_ocr import _png, _render

    lines = ["LIB. XI. CAP. III.",
             "Καὶ εἶπεν ὁ βασιλεὺς πρὸς τοὺς πρέσβεις τῶν πόλεων",
             "ὅτι οὐκ ἔστιν αὐτῷ ἐξουσία τοῦ λύειν τὸν νόμον ὃν",
             "ἔθεντο οἱ πατέρες αὐτῶν ἐν ταῖς ἡμέραις ἐκείναις.",
             "Ed. Lipsiensis p. 218."]
    page = _png(_render(lines, size=40, width=1500))
    edition = build_edition([SourceFile("p1.png", page)], "historia", PipelineConfig(ocr_languages="grc"))
    assert edition.errors == []
    read = [line.strip() for line in edition.document.text.splitlines() if line.strip()]
    assert read[0].replace(" ", "") in ("LIB.XI.CAP.III.", "LIB.XI.CAPIII."), read[0]
    assert read[-1] == "Ed. Lipsiensis p. 218.", read[-1]
    assert read[1] == lines[1]
    note = parse(edition.xml).find(".//t:note[@type='digitization']", NS).text
    assert "2 line(s) the page's models doubted read again with lat" in note, note
