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


def _read_rendered(lines: list[str], languages: str, name: str):
    """A page rendered from ``lines``, recognised with ``languages``: its edition and its lines read (NFC)."""
    from tests.test_ocr import _png, _render

    edition = build_edition([SourceFile("p1.png", _png(_render(lines, size=40, width=1300)))], name,
                            PipelineConfig(ocr_languages=languages))
    assert edition.errors == []
    return edition, [unicodedata.normalize("NFC", line.strip()) for line in edition.document.text.splitlines()
                     if line.strip()]


def test_greek_words_in_a_latin_line_are_read_again_with_the_greek_model():
    """A Latin commentary quoting Greek words: the Latin model reads each as Latin-letter
    garbage ("téAoc") it doubts, while the line's mean stays high; read again alone with the
    Greek model they come out Greek. A line of Latin alone is left as the page's model read it."""
    if not {"lat", "grc"} <= ocr.installed_models():
        pytest.skip("Debian's tesseract-ocr-lat and tesseract-ocr-grc are needed")
    lines = ["Aristoteles finem actionum humanarum esse",
             "docet quod Graeci τέλος vocant, nos finem;",
             "temperantiam autem σωφροσύνη nominat.",
             "Neque enim natura nobis insunt virtutes."]
    edition, read = _read_rendered(lines, "lat", "commentarius")
    assert read == lines, read  # the Latin-only lines as the page's model read them
    note = parse(edition.xml).find(".//t:note[@type='digitization']", NS).text
    assert "2 word(s) the page's models doubted read again alone with grc: 2 replaced" in note, note


def test_latin_words_in_a_greek_line_are_read_again_with_the_latin_model():
    """An apparatus citing an editor in Latin amid Greek: the Greek model reads the Latin words
    as Greek garbage ("ΒΕΚΚΘΓ."); read again with the Latin model they come out Latin, and the
    Greek words, doubted or not, stay Greek."""
    if not {"lat", "grc"} <= ocr.installed_models():
        pytest.skip("Debian's tesseract-ocr-lat and tesseract-ocr-grc are needed")
    lines = ["διαφορὰ δέ τις φαίνεται τῶν τελῶν, ut ait Bekker.",
             "τὰ μὲν γάρ εἰσιν ἐνέργειαι, cf. Metaphysica.",
             "ἰατρικῆς μὲν γὰρ ὑγίεια, ναυπηγικῆς δὲ πλοῖον."]
    edition, read = _read_rendered(lines, "grc", "scholia")
    assert read[0] == lines[0] and read[2] == lines[2], read
    assert read[1].endswith(" Metaphysica.") and read[1].startswith("τὰ μὲν γάρ εἰσιν ἐνέργειαι,"), read[1]


PEMBROKE = Path(__file__).parent / "data" / "ocrd-workspaces" / "pembroke_werke_1766"
PEMBROKE_PRINTED = [  # the page's first lines as printed (transcribed from the image; long s as s)
    "nicht vermag, sondern es gehet uns disfalls wie mit",
    "Beschreibung der Memorie oder Reminiscenz, wel-",
    "che, weil sie auch eine innerliche Gabe des Men-",
    "schen ist, so accurat nicht kan dargethan oder defi-",
    "niret werden, wie sehr sich auch die Philosophi",
    "deshalb bemühen.",
    "§. 3. Denn wer kan mir deutlich sagen, wie",
    "es eigentlich zugehe, daß ich in einer noch kür-",
    "zern Zeit, als ein Augenblick austräget, mit mei-",
]


def test_a_fraktur_page_whose_record_says_german_is_read_with_the_fraktur_models():
    """A library's record names the book's language (MODS ``ger``), which says nothing of the
    letters it is printed in: the page itself shows Fraktur, and the Fraktur models read it
    (``deu``, the record's language taken as the models, read these lines at 16 % CER)."""
    if not {"Fraktur", "frk", "deu"} <= ocr.installed_models():
        pytest.skip("Debian's tesseract-ocr-frk, -script-frak and -deu are needed")
    from rapidfuzz.distance import Levenshtein

    image = "DEFAULT/FILE_0010_DEFAULT.tif"
    files = [SourceFile("mets.xml", (PEMBROKE / "mets.xml").read_bytes()),
             SourceFile(image, (PEMBROKE / image).read_bytes())]
    edition = build_edition(files, "pembroke", PipelineConfig())
    engines = [surface.engine for surface in edition.document.facsimile if surface.engine]
    assert len(engines) == 1 and engines[0].split(" (")[1].startswith("Fraktur+frk: script Fraktur"), engines

    def letters(text: str) -> str:
        return "".join(unicodedata.normalize("NFKC", text).split())

    lines = [edition.document.text[zone.start:zone.end] for surface in edition.document.facsimile
             for zone in surface.lines]
    errors = length = 0
    for printed in PEMBROKE_PRINTED:
        read = min(lines, key=lambda line: Levenshtein.normalized_distance(letters(line), letters(printed)))
        errors += Levenshtein.distance(letters(read), letters(printed))
        length += len(letters(printed))
    assert errors / length < 0.08  # 4.4 % with the Fraktur models


def test_a_crop_without_text_is_no_warning_on_the_console(caplog):
    """tesserocr logs "RuntimeError while iterating words: No text returned" for a crop read
    again alone that holds no text (17 such lines on the corpora's page images): a recogniser
    keeps that answer off the archivist's console, and tesserocr's other warnings on it."""
    import logging

    with ocr.Recogniser("lat", "page.png"):
        logging.getLogger("tesserocr").warning("RuntimeError while iterating words: No text returned")
        logging.getLogger("tesserocr").warning("Failed to init API")
    messages = [record.getMessage() for record in caplog.records if record.name == "tesserocr"]
    assert messages == ["Failed to init API"]
