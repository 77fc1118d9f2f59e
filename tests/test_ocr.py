"""Page images and PDFs through OCR, end to end: pages rendered here from known text (DejaVu
for Latin script, WenQuanYi Zen Hei for Chinese), recognised by Tesseract with Debian's
models, and the edition compared with the text that was drawn.

Needs the ``ocr`` extra and Debian's models and fonts, which the README's test command
installs where it can (CI runs as root: nothing is skipped there)."""

from __future__ import annotations

import difflib
import io
from pathlib import Path

import pytest
from lxml import etree

from pipeline.config import PipelineConfig
from pipeline.ingest.pages import ocr
from pipeline.process import build_edition
from pipeline.run.document import process_file
from pipeline.run.inputs import discover_sources
from pipeline.tei import tei
from pipeline.tei.reader import rebuild_source, without_whitespace
from tests.conftest import parse

FONTS = Path("/usr/share/fonts/truetype")
LATIN_FONT = FONTS / "dejavu" / "DejaVuSerif.ttf"
CJK_FONT = FONTS / "wqy" / "wqy-zenhei.ttc"
NS = {"t": "http://www.tei-c.org/ns/1.0"}

if (why := ocr.available()) is not None:
    pytest.skip(f"OCR tests skipped: {why} (the README's test command installs it; "
                "scripts/install-system-packages.sh needs root and apt-get)", allow_module_level=True)
if not LATIN_FONT.exists():
    pytest.skip("OCR tests skipped: Debian's fonts-dejavu-core is not installed, no page can be rendered "
                "(scripts/install-system-packages.sh installs it as root)", allow_module_level=True)

ENGLISH = PipelineConfig(ocr_languages="eng")
PAGES = [
    ["12", "The committee met on the fourth of March", "to consider the accounts of the library and",
     "the purchase of a new press for the printing"],
    ["13", "office, which the treasurer had recommended", "in his report of the previous winter. The",
     "motion was carried without a division."],
]


def _render(lines: list[str], font: Path = LATIN_FONT, size: int = 44, width: int = 1400):
    from PIL import Image, ImageDraw, ImageFont

    face = ImageFont.truetype(str(font), size)
    image = Image.new("L", (width, 140 + 90 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(lines):
        x = width // 2 - 30 if n == 0 and line.isdigit() else 100  # the page number centred above the text
        draw.text((x, 60 + 90 * n), line, font=face, fill=0)
    return image


def _png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(300, 300))
    return buffer.getvalue()


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(a=without_whitespace(a), b=without_whitespace(b), autojunk=False).ratio()


def test_a_folder_of_page_images_is_recognised_into_one_edition_with_its_facsimile(tmp_path):
    book = tmp_path / "minutes"
    book.mkdir()
    for number, lines in zip((2, 10), PAGES):  # natural order: 2 before 10
        (book / f"p{number}.png").write_bytes(_png(_render(lines)))
    sources, problems = discover_sources([book])
    assert problems == [] and [s.pages for s in sources] == [("p2.png", "p10.png")]
    out = tmp_path / "out"
    report = process_file(sources[0].path, out, ENGLISH, "minutes", "minutes", sources[0].pages)
    assert report.status == "ok", report.errors
    tree = etree.parse(str(out / "minutes.tei.xml"))
    text = rebuild_source(tree)
    assert _similarity(text, " ".join(line for page in PAGES for line in page)) > 0.95
    assert [pb.get("n") for pb in tree.iter(tei("pb"))] == ["12", "13"]
    assert [g.get("url") for g in tree.iter(tei("graphic"))] == ["../minutes/p2.png", "../minutes/p10.png"]
    # the models used are in the header
    digitization = tree.find(".//t:sourceDesc//t:note[@type='digitization']", NS).text
    assert "Tesseract" in digitization and "eng" in digitization
    # the sentence cut by the page turn is one paragraph
    paragraph = next(p for p in tree.iter(tei("p")) if "printing" in "".join(p.itertext()))
    assert "office" in "".join(paragraph.itertext())


def test_without_languages_the_script_is_detected_and_recorded(tmp_path):
    image = _render(PAGES[0][1:] + PAGES[1][1:], size=48)
    edition = build_edition(_png(image), "page.png", PipelineConfig())
    assert edition.errors == []
    note = parse(edition.xml).find(".//t:note[@type='digitization']", NS).text
    assert "script Latin detected by Tesseract's OSD" in note or "no script detected" in note


def test_a_multi_page_tiff_is_one_document_whose_pages_point_into_it(tmp_path):
    first, second = _render(PAGES[0]).convert("1"), _render(PAGES[1]).convert("1")  # 1-bit, as archives scan
    path = tmp_path / "minutes.tif"
    first.save(path, save_all=True, append_images=[second], compression="group4", dpi=(300, 300))
    sources, _ = discover_sources([tmp_path])
    assert [(s.display_name, s.pages) for s in sources] == [("minutes.tif", ())]  # a document by itself
    tree = parse(build_edition(path.read_bytes(), path.name, ENGLISH).xml)
    masters = [g.get("url") for g in tree.iter(tei("graphic")) if g.get("n") is None]
    assert masters == ["minutes.tif#page=1", "minutes.tif#page=2"]
    # browsers show no TIFF: each page has a PNG copy for the preview, named in the edition
    displays = [g.get("url") for g in tree.iter(tei("graphic")) if g.get("n") == "display"]
    assert displays == ["minutes.pages/0001.png", "minutes.pages/0002.png"]
    assert _similarity(rebuild_source(tree), " ".join(" ".join(p) for p in PAGES)) > 0.95


def test_a_scanned_pdf_is_rendered_and_recognised(tmp_path):
    buffer = io.BytesIO()
    pages = [_render(lines).convert("RGB") for lines in PAGES]
    pages[0].save(buffer, format="PDF", save_all=True, append_images=pages[1:], resolution=150)
    edition = build_edition(buffer.getvalue(), "scan.pdf", ENGLISH)
    assert edition.errors == []
    assert any("no real text layer" in note for note in edition.notes)
    assert sorted(edition.page_images) == ["scan.pages/0001.png", "scan.pages/0002.png"]  # browsers show no PDF page
    tree = parse(edition.xml)
    assert _similarity(rebuild_source(tree), " ".join(" ".join(p) for p in PAGES)) > 0.95
    assert len(tree.findall(".//t:surface", NS)) == 2


def test_a_pdf_with_a_text_layer_is_read_from_it_without_ocr(tmp_path):
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4")
    pdf.set_font("Helvetica", size=14)
    for lines in PAGES:
        pdf.add_page()
        for n, line in enumerate(lines):
            pdf.text(80, 80 + 24 * n, line)
    edition = build_edition(bytes(pdf.output()), "minutes.pdf", PipelineConfig(ocr_languages="no-such-model"))
    assert edition.errors == []  # no model was needed: a model that does not exist was never asked for
    assert any("text layer, which holds real text" in note for note in edition.notes)
    tree = parse(edition.xml)
    assert without_whitespace(rebuild_source(tree)) == without_whitespace(" ".join(" ".join(p) for p in PAGES))
    assert [pb.get("n") for pb in tree.iter(tei("pb"))] == ["12", "13"]


def test_low_confidence_words_are_flagged_and_kept(tmp_path):
    lines = ["The inventory lists", "x7#q~ z%k& w@!", "and nothing else."]  # a line of specks and symbols
    edition = build_edition(_png(_render(lines, size=40)), "specks.png", ENGLISH)
    tree = parse(edition.xml)
    unclear = [u for u in tree.iter(tei("unclear")) if u.get("reason") == "low-confidence"]
    assert unclear, "no word of the noise line was flagged"
    assert all("".join(u.itertext()).strip() for u in unclear)  # kept, not removed
    assert "inventory" in rebuild_source(tree)


def test_chinese_page_is_recognised_and_the_engines_spaces_regularized(tmp_path):
    if not CJK_FONT.exists():
        pytest.skip("fonts-wqy-zenhei is not installed: no Chinese page can be rendered")
    lines = ["蘇聯外交政策史論", "第一章 緒論", "外交政策為國家之對外方針。"]
    image = _render(lines, font=CJK_FONT, size=48, width=900)
    edition = build_edition(_png(image), "page.png", PipelineConfig(ocr_languages="chi_tra"))
    assert edition.errors == []
    tree = parse(edition.xml)
    body = tree.find(".//t:body", NS)
    reading = "".join(t for t in body.itertext())
    assert _similarity(reading, "".join(lines)) > 0.8
    # what Tesseract puts between Chinese characters (spaces) is regularized, and kept as orig
    regs = [c for c in tree.iter(tei("choice")) if c.find("t:orig", NS) is not None
            and (c.findtext("t:orig", namespaces=NS) or "").isspace()]
    assert regs, "the spaces between Chinese characters were not regularized"
    assert text_language(tree) == "zh-Hant"


def text_language(tree) -> str:
    return tree.find(".//t:text", NS).get("{http://www.w3.org/XML/1998/namespace}lang")



@pytest.mark.slow
def test_the_command_line_reads_a_folder_of_scans_with_the_models_asked_for(tmp_path):
    """As an archivist runs it: a folder of page images and a text file, one command."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    inbox = tmp_path / "inbox"
    scans = inbox / "minutes 1887"
    scans.mkdir(parents=True)
    for number, lines in zip((1, 2), PAGES):
        (scans / f"scan_{number:03d}.png").write_bytes(_png(_render(lines)))
    (inbox / "letter.txt").write_text("Dear Sir,\n\nthe minutes are enclosed.\n", encoding="utf-8")
    out = tmp_path / "out"
    env = dict(os.environ, PREFECT_HOME=str(tmp_path / "prefect-home"))
    result = subprocess.run([sys.executable, str(ROOT / "flows.py"), "run", "--input", str(inbox), "--output", str(out),
                             "--ocr-languages", "eng"], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith(("OK", "FAILED"))]
    assert any(line.startswith("OK      minutes 1887:") for line in lines), lines
    assert any(line.startswith("OK      letter.txt:") for line in lines), lines
    tree = etree.parse(str(out / "minutes 1887.tei.xml"))
    assert "eng" in tree.find(".//t:note[@type='digitization']", NS).text
    assert [g.get("url") for g in tree.iter(tei("graphic"))] == ["../inbox/minutes%201887/scan_001.png",
                                                                 "../inbox/minutes%201887/scan_002.png"]
    assert (out / "letter.tei.xml").exists()


def test_page_images_read_by_two_threads_give_the_same_edition():
    from pipeline.ingest.pages.compose import SourceFile

    files = [SourceFile(f"p{n}.png", _png(_render(lines))) for n, lines in enumerate(PAGES * 2, start=1)]
    one = build_edition(files, "minutes", ENGLISH)
    two = build_edition(files, "minutes", ENGLISH.model_copy(update={"ocr_threads": 2}))
    assert one.errors == [] and one.xml == two.xml and one.preview == two.preview


GERMAN = [
    ["Die Regierung hat beschlossen, daß künftig alle Schüler", "der höheren Lehranstalten während der Ferien größere",
     "Übungen in der Mathematik abzulegen haben. Über die", "Mißstände, welche hieraus für die Gesundheit der Jugend",
     "und für die Ruhe der Familien während des Sommers"],
    ["entstehen möchten, äußerte sich der Ausschuß in seiner", "jüngsten Sitzung mit gewohnter Schärfe und Gründlichkeit.",
     "Die Väter der Schüler wünschen, daß die Prüfungen später", "stattfinden, während die Lehrer früher beginnen möchten."],
]


def test_a_page_in_a_script_many_languages_write_is_read_with_its_languages_model(tmp_path):
    """OSD says Latin script, not which language: the page's text, read first with the script's
    models, says German, and deu reads the umlauts and ß that eng loses. The document's later
    pages use the choice; read by two threads, the edition is the same."""
    if "deu" not in ocr.installed_models():
        pytest.skip("Debian's tesseract-ocr-deu is not installed (scripts/install-system-packages.sh installs it as root)")
    from pipeline.ingest.pages.compose import SourceFile

    files = [SourceFile(f"p{n}.png", _png(_render(lines, size=40, width=1500))) for n, lines in enumerate(GERMAN, 1)]
    one = build_edition(files, "beschluss", PipelineConfig())
    two = build_edition(files, "beschluss", PipelineConfig(ocr_threads=2))
    assert one.errors == [] and one.xml == two.xml
    text = one.document.text
    assert _similarity(text, " ".join(line for page in GERMAN for line in page)) > 0.98
    for word in ("daß", "Übungen", "Mißstände", "äußerte", "Gründlichkeit"):
        assert word in text
    note = parse(one.xml).find(".//t:note[@type='digitization']", NS).text
    assert "read again with deu" in note and "deu chosen from an earlier page" in note


def test_pages_read_without_the_pipelines_process_module_choose_their_model_by_language(tmp_path):
    """The library read as a user may call it, the page reader alone (pipeline.process never
    imported, which used to hand OCR its judge of languages when imported): given the language
    stage's judge, a German page in Latin script is read again with deu; given none, the
    edition's account says so instead of silently keeping the script's models."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    if "deu" not in ocr.installed_models():
        pytest.skip("Debian's tesseract-ocr-deu is not installed (scripts/install-system-packages.sh installs it as root)")
    (tmp_path / "p1.png").write_bytes(_png(_render(GERMAN[0], size=40, width=1500)))
    script = f"""
import sys
from pathlib import Path
from pipeline.config import PipelineConfig
from pipeline.ingest.pages.compose import SourceFile
from pipeline.ingest.pages.reader import read_pages
from pipeline.stages.language import page_language
files = [SourceFile("p1.png", Path({str(tmp_path / "p1.png")!r}).read_bytes())]
config = PipelineConfig()
print(read_pages(files, "beschluss", config, language_of=page_language(config)).provenance)
print(read_pages(files, "beschluss", config).provenance)
print("pipeline.process" in sys.modules)
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    judged, unjudged, process_imported = result.stdout.splitlines()
    assert process_imported == "False"
    assert "is in de: read again with deu" in judged
    assert "no judge of languages given" in unjudged and "deu" not in unjudged


def test_the_runs_configuration_reaches_the_judge_of_a_pages_language():
    """A run that asks for more letters before a language is named than the page has: the judge
    OCR asks is the run's (it used to be the default configuration's), so no language is named
    and the script's models are kept."""
    if "deu" not in ocr.installed_models():
        pytest.skip("Debian's tesseract-ocr-deu is not installed (scripts/install-system-packages.sh installs it as root)")
    from pipeline.ingest.pages.compose import SourceFile

    files = [SourceFile("p1.png", _png(_render(GERMAN[0], size=40, width=1500)))]
    edition = build_edition(files, "beschluss", PipelineConfig(min_letters_for_language=100_000))
    note = parse(edition.xml).find(".//t:note[@type='digitization']", NS).text
    assert "script Latin" in note and "deu" not in note


def _render_type(lines: list[str], size: int, width: int):
    """A 1-bit page (as archives scan) of ``lines`` in type of ``size`` pixels, the lines at twice
    that pitch from y = 2 * size, x = size."""
    from PIL import Image, ImageDraw, ImageFont

    face = ImageFont.truetype(str(LATIN_FONT), size)
    image = Image.new("L", (width, 2 * size * (len(lines) + 2)), 255)
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(lines):
        draw.text((size, 2 * size * (n + 1)), line, font=face, fill=0)
    return image.convert("1")


def test_a_page_of_large_type_is_read_at_a_reduced_size_its_boxes_in_the_pages_pixels():
    """Tesseract reads best lines of some 48 pixels (a 600-dpi scan of a book's type gives twice
    that): the page is read at a whole fraction of its size, and what the edition says of where
    each line stands is in the page's own pixels."""
    lines = ["The committee met on the fourth of March", "to consider the accounts of the library",
             "and the purchase of a new press for it."]
    large = _render_type(lines, size=96, width=2600)  # lines some 110 px from ascender to descender
    edition = build_edition(_png(large), "large.png", ENGLISH)
    assert edition.errors == []
    tree = parse(edition.xml)
    note = tree.find(".//t:note[@type='digitization']", NS).text
    assert "px tall: read at 1/2 of its size" in note
    assert _similarity(rebuild_source(tree), " ".join(lines)) > 0.97
    zones = sorted((int(z.get("uly")), int(z.get("ulx")), int(z.get("lry")), int(z.get("lrx")))
                   for z in tree.iter(tei("zone")))
    assert len(zones) == 3
    for n, (top, left, bottom, right) in enumerate(zones):  # where each line was drawn, in the page's pixels
        assert abs(top - 2 * 96 * (n + 1)) < 40 and abs(left - 96) < 20
        assert 65 < bottom - top < 140 and 1800 < right <= large.width  # not the reduced page's 33-70

    ordinary = build_edition(_png(_render_type(lines, size=40, width=1200)), "ordinary.png", ENGLISH)
    note = parse(ordinary.xml).find(".//t:note[@type='digitization']", NS).text
    assert "read at" not in note  # lines under 72 px are read as they are
    assert _similarity(rebuild_source(parse(ordinary.xml)), " ".join(lines)) > 0.97


def test_a_package_page_recognised_from_its_image_is_said_so_not_read_from_the_file_group(tmp_path):
    """A workspace whose PAGE file holds no text but whose image shows it: the page is
    recognised, and the header says the text came from the image by Tesseract, never that
    the file group's file was read by it."""
    from tests.library_packages import ocrd_workspace, run

    folder = tmp_path / "in" / "ocrd"
    ocrd_workspace(folder, None, image=_png(_render(PAGES[0][1:])))
    _s, _p, reports = run([folder.parent], tmp_path / "out", ENGLISH)
    assert reports[0].status == "ok", reports[0].errors
    tree = parse((tmp_path / "out" / "ocrd.tei.xml").read_bytes())
    assert _similarity(" ".join(PAGES[0][1:]), "".join(tree.find(".//t:body", NS).itertext())) > 0.9
    note = "".join(tree.find(".//t:note[@type='digitization']", NS).itertext())
    assert "text from file group OCR-D-BIN (the only group of text files), no page read there; " \
           "recognised from the page images by Tesseract" in note and "(1 page)" in note, note
