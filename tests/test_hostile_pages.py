"""Hostile and damaged page files (issue 29), each composed here: one bad image, PDF page, box
or link is that file's one-line problem naming file, page and value; the run goes on, the
good documents are written, no text is silently lost, no link leaves the input folder."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import unquote

import pytest
from lxml import etree

from pipeline.config import PipelineConfig
from pipeline.ingest.pages import images, pdf
from pipeline.run.document import process_file
from pipeline.run.inputs import discover_sources
from pipeline.run.naming import assign_names
from pipeline.tei import tei
from pipeline.tei.reader import rebuild_source_from_file
from pipeline.tei.validate import validate_file
from tests.hostile_files import (DAMAGED_HEADERS, FONT, LINES, abbyy, alto, consonants, hocr, locked_pdf,
                                 page_xml, pdf_declaring, pdf_with_hidden_layer, png_header, real_png, text_png,
                                 tiff_with_a_damaged_second_page, tiff_with_a_tag_past_its_end)

CONFIG = PipelineConfig()
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


# --- running them as a run does ---------------------------------------------------------

def run(inputs: list[Path], out: Path, config: PipelineConfig = CONFIG):
    """(reports by name, input problems), every source through process_file as flows.py does."""
    sources, problems = discover_sources(inputs, exclude=(out,))
    bases, _ = assign_names(sources, out, {})
    return {s.display_name: process_file(s.path, out, config, bases[s.key], s.display_name, s.pages)
            for s in sources}, problems


def folder(root: Path, name: str, files: dict[str, bytes]) -> Path:
    where = root / name
    where.mkdir(parents=True)
    for file_name, data in files.items():
        (where / file_name).write_bytes(data)
    return where


def body_text(edition: Path) -> str:
    return "".join(etree.parse(str(edition)).find(tei("text")).itertext())


def no_internal_error(reports) -> None:
    for report in reports.values():
        assert not any("internal error" in line for line in report.errors + report.problems), report


# --- 1. one image never stops the run -----------------------------------------------------

def test_an_image_bomb_and_damaged_headers_in_the_input_stop_nothing(tmp_path):
    inbox = tmp_path / "in"
    folder(inbox, ".", {"letter.txt": b"A letter beside the scans, to be read all the same.\n"})
    folder(inbox, "bomb", {"p1.png": png_header(50_000, 50_000)})
    folder(inbox, "tiff", {"scan.tif": tiff_with_a_damaged_second_page(), "scan.hocr": hocr()})
    for name, data in DAMAGED_HEADERS.items():
        folder(inbox, name.replace(".", "-"), {name: data})
    folder(inbox, "book", {"p1.png": real_png(), "p1.hocr": hocr(), "p2.png": png_header(50_000, 50_000),
                           "p3.png": real_png(), "p3.hocr": hocr(["A third page follows the bomb."])})
    reports, problems = run([inbox], tmp_path / "out")
    assert problems == []
    no_internal_error(reports)
    assert reports["letter.txt"].status == "ok"
    assert reports["bomb"].status == "failed"
    assert reports["bomb"].errors == ["p1.png: 50,000 × 50,000 pixels (2,500 megapixels), over the limit of 300 "
                                      "(raise max_page_pixels to read it)"]
    for name in DAMAGED_HEADERS:
        [error] = reports[name.replace(".", "-")].errors
        assert error.startswith(f"{name}: is an image that cannot be read (")
    assert reports["tiff"].status == "ok"  # its first page read, its text from the hOCR
    book = reports["book"]
    assert book.status == "ok" and book.problems == [
        "p2.png: 50,000 × 50,000 pixels (2,500 megapixels), over the limit of 300 (raise max_page_pixels to read it)"]
    assert "A third page follows the bomb." in body_text(Path(book.edition_path))
    assert book.problem_lines() == [f"        book: {book.problems[0]}"]


def test_a_multi_page_tiff_whose_later_page_is_damaged_reads_its_first_and_says_so():
    head = images.header(tiff_with_a_damaged_second_page(), "scan.tif")
    assert head.size == (8, 8) and head.frames == 1
    assert head.damaged == "the pages after the first cannot be read (TypeError: Missing dimensions)"


# --- 2. the pixel limit does not depend on the order of the inputs -------------------------

def test_the_pixel_limit_is_the_same_whatever_was_read_before_and_pillow_is_left_alone(tmp_path):
    from PIL import Image

    pillow_limit = Image.MAX_IMAGE_PIXELS
    small = PipelineConfig(max_page_pixels=100_000)
    big = {"big.png": png_header(400, 400)}
    alone, _ = run([folder(tmp_path / "a", "scans", big)], tmp_path / "out-a", small)
    after, _ = run([folder(tmp_path / "b", "scans", {"a.png": real_png(200, 280), "a.hocr": hocr(), **big})],
                   tmp_path / "out-b", small)
    line = "big.png: 400 × 400 pixels (0 megapixels), over the limit of 0 (raise max_page_pixels to read it)"
    assert alone["scans"].errors == [line]
    assert after["scans"].status == "ok" and after["scans"].problems == [line]
    assert Image.MAX_IMAGE_PIXELS == pillow_limit  # no reader changed Pillow's process-wide state


def test_an_image_under_our_limit_but_over_pillows_own_is_not_refused_as_a_bomb():
    """14,000² is over Pillow's default ceiling (179 M) and under ours (300 M): it is decoded
    (here its data is cut short, which is what is reported), not called a bomb."""
    [frame] = images.open_frames(png_header(14_000, 14_000), "poster.png", CONFIG.max_page_pixels)
    assert frame.image is None and "cannot be read" in str(frame.problem)
    assert "Decompression" not in str(frame.problem) and "bomb" not in str(frame.problem)


def test_a_page_image_over_the_limit_keeps_its_place_in_the_edition_as_a_gap(tmp_path):
    """p2 is not decoded, but the book still has three pages: p2's break points to a surface of
    its declared size and its text is a gap saying why; the report says it in one line."""
    book = folder(tmp_path / "in", "book", {
        "p1.png": real_png(), "p1.hocr": hocr(), "p2.png": png_header(50_000, 50_000),
        "p3.png": real_png(), "p3.hocr": hocr(["A third page follows the bomb."])})
    reports, _ = run([book], tmp_path / "out")
    report = reports["book"]
    assert report.status == "ok" and report.problems == [
        "p2.png: 50,000 × 50,000 pixels (2,500 megapixels), over the limit of 300 (raise max_page_pixels to read it)"]
    edition = Path(report.edition_path)
    assert validate_file(edition) == []
    root = etree.parse(str(edition)).getroot()
    surfaces = root.findall(f"{tei('facsimile')}/{tei('surface')}")
    assert [s.find(tei("graphic")).get("url").rsplit("/", 1)[-1] for s in surfaces] == ["p1.png", "p2.png", "p3.png"]
    assert (surfaces[1].get("lrx"), surfaces[1].get("lry")) == ("50000", "50000")
    breaks = root.iter(tei("pb"))
    assert [pb.get("facs") for pb in breaks] == [f"#{s.get(XML_ID)}" for s in surfaces]
    [gap] = root.iter(tei("gap"))
    assert gap.get("reason") == "not-recognised" and gap.getprevious().tag == tei("pb")
    assert gap.getprevious().get("facs") == f"#{surfaces[1].get(XML_ID)}"
    [reason] = [root.find(f".//{tei('interp')}[@{XML_ID}='{ana[1:]}']") for ana in gap.get("ana").split()
                if ana.startswith("#reason-")]
    assert reason.text == f"page without text: {report.problems[0]}"
    assert "text by tesseract 5 (2 pages), 1 page not read; 3 pages linked" in etree.tostring(root, encoding=str)


def test_a_tiff_page_of_200_megapixels_under_our_limit_is_decoded(monkeypatch):
    """Pillow's own ceiling (179 M pixels, checked again inside its TIFF decoder) does not
    refuse a page the run's limit (300 M) admits; a page over ours is still refused."""
    buffer = io.BytesIO()
    from PIL import Image

    Image.new("1", (14_500, 14_500), 1).save(buffer, format="TIFF", compression="group4")
    pillows_own = 89_478_485  # its default (a library imported earlier may have changed it)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", pillows_own)
    [frame] = images.open_frames(buffer.getvalue(), "poster.tif", CONFIG.max_page_pixels)
    assert frame.problem is None and frame.image.size == (14_500, 14_500)
    assert images.frame(buffer.getvalue(), 0, "poster.tif", CONFIG.max_page_pixels).size == (14_500, 14_500)
    [frame] = images.open_frames(buffer.getvalue(), "poster.tif", 200_000_000)
    assert frame.image is None and isinstance(frame.problem, images.OverTheLimit)
    assert Image.MAX_IMAGE_PIXELS == pillows_own  # put back


def test_pillows_warnings_on_a_damaged_tiff_tag_go_to_the_log_not_the_console(caplog):
    """A TIFF whose private tag points past the end of the file: Pillow warns (truncated
    read), the page is read all the same, and the warning is a line of the log, not a warning
    Python prints on the console."""
    import logging
    import warnings

    data = tiff_with_a_tag_past_its_end()
    with warnings.catch_warnings(record=True) as shown, caplog.at_level(logging.INFO, "pipeline.ingest.pages.images"):
        warnings.simplefilter("always")
        [frame] = images.open_frames(data, "scan.tif", CONFIG.max_page_pixels)
    assert frame.problem is None and frame.image.size == (40, 30)
    assert [str(w.message) for w in shown] == []
    assert "scan.tif: Truncated File Read" in caplog.messages
    assert frame.dpi is None  # Pillow's own TIFFs say 1 dpi: no resolution


# --- 3. PDFs rendered within a pixel budget -----------------------------------------------

def test_a_pdf_declaring_a_200_inch_page_is_refused_in_one_line(tmp_path):
    source = tmp_path / "in" / "poster.pdf"
    source.parent.mkdir()
    source.write_bytes(pdf_declaring((200, 200)))
    assert len(source.read_bytes()) < 1000
    report = process_file(source, tmp_path / "out", CONFIG)
    assert report.status == "failed"
    assert report.errors == ["page 1: a page of 200 × 200 inches is 60,000 × 60,000 pixels at 300 dpi; within "
                             "max_render_pixels (60 megapixels) only 38 dpi, too coarse to read; not rendered "
                             "(raise max_render_pixels to read it)"]


def test_pdf_pages_are_rendered_within_the_pixel_budget():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (3500, 5000), 1).save(buffer, format="PDF")  # Pillow's default: 72 dpi, a 49 x 69 inch page
    [page] = pdf.rendered_pages(buffer.getvalue(), "scan.pdf", 300, CONFIG.max_render_pixels)
    assert page.dpi == 133 and page.image.size == (6466, 9237)  # not 14,583 x 20,833 at 300 dpi
    assert page.problem == "rendered at 133 dpi, not 300, to stay within max_render_pixels (60 megapixels)"
    two = list(pdf.rendered_pages(pdf_declaring((200, 200), (8.5, 11)), "two.pdf", 300, 60_000_000))
    assert [r.image is None for r in two] == [True, False]
    assert two[1].dpi == 300 and two[1].problem is None and two[1].image.width == 2550


def test_a_pdf_with_a_huge_page_beside_real_text_pages_reads_them(tmp_path):
    source = tmp_path / "minutes.pdf"
    source.write_bytes(pdf_declaring((8.5, 11), (200, 200), (8.5, 11), text="The committee met on the first of March"))
    report = process_file(source, tmp_path / "out", CONFIG)
    assert report.status == "ok", report.errors
    assert body_text(Path(report.edition_path)).count("The committee met") == 3


# --- 4. no text silently lost -------------------------------------------------------------

def test_a_declared_internal_entity_in_page_text_is_read_and_rebuilt(tmp_path):
    doctype = '<!DOCTYPE PcGts [<!ENTITY eacute "&#233;">]>\n'
    data = page_xml(["Caf&eacute; au lait and bread for the committee.", LINES[1]], doctype=doctype)
    book = folder(tmp_path / "in", "menu", {"p1.xml": data})
    reports, _ = run([book], tmp_path / "out")
    edition = Path(reports["menu"].edition_path)
    assert "Café au lait and bread" in body_text(edition)
    assert "Café au lait and bread" in rebuild_source_from_file(edition)


def test_an_external_entity_is_never_read_and_beside_internal_ones_refuses_the_file(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET")
    external = f'<!ENTITY secret SYSTEM "file://{secret}">'
    book = folder(tmp_path / "in", "leak", {
        "p1.xml": page_xml(["Before &secret; after.", LINES[1]], doctype=f"<!DOCTYPE PcGts [{external}]>\n"),
        "p2.xml": page_xml(["&secret; &eacute;", LINES[1]],
                           doctype=f'<!DOCTYPE PcGts [{external}<!ENTITY eacute "&#233;">]>\n'),
        "p3.xml": page_xml()})
    reports, _ = run([book], tmp_path / "out")
    [problem] = reports["leak"].problems
    assert problem.startswith("p2.xml: is not well-formed XML (line 7: Entity 'secret' not defined")
    assert problem.endswith("(an external entity, which is never read, beside internal ones)")
    edition = Path(reports["leak"].edition_path)
    assert "SECRET" not in edition.read_text() and "Before &secret; after." in body_text(edition)


def test_a_child_element_before_the_text_of_a_page_line_keeps_the_line(tmp_path):
    book = folder(tmp_path / "in", "mixed", {"p1.xml": page_xml(unicode_child="<Label/>")})
    reports, _ = run([book], tmp_path / "out")
    assert LINES[0] in body_text(Path(reports["mixed"].edition_path))


def test_hocr_nested_past_the_parsers_depth_is_refused_not_cut(tmp_path):
    book = folder(tmp_path / "in", "deep", {"p1.hocr": hocr(depth=300, pages=2), "p2.hocr": hocr(["Page two."])})
    reports, _ = run([book], tmp_path / "out")
    report = reports["deep"]
    assert report.status == "ok" and report.problems == [
        "p1.hocr: nests its elements more than 256 levels deep; not read, lest the pages past that depth be lost "
        "(write it again with the OCR engine)"]
    alone = process_file(book / "p1.hocr", tmp_path / "out2", CONFIG)
    assert alone.status == "failed" and "more than 256 levels deep" in alone.errors[0]


# --- 5. formats told by the root element ---------------------------------------------------

def test_formats_are_told_by_their_root_element_not_by_a_string_inside(tmp_path):
    inbox = tmp_path / "in"
    folder(inbox, "page", {"p1.xml": page_xml(root_extra=' xmlns:alto="http://www.loc.gov/standards/alto/ns-v4#"')})
    folder(inbox, "hocr", {"p1.hocr": hocr(word="Voci:alto")})
    reports, _ = run([inbox], tmp_path / "out")
    assert reports["page"].status == "ok" and LINES[0] in body_text(Path(reports["page"].edition_path))
    assert reports["hocr"].status == "ok" and "Voci:alto" in body_text(Path(reports["hocr"].edition_path))


# --- 6 and 7. one bad coordinate or number never refuses a book ----------------------------

BAD_NUMBERS = [  # (file name, data, the problem said)
    ("p2.xml", page_xml(points="-1,100 900,100 900,140 100,140"),
     "p2.xml: line 6: box '-1,100 900,100 900,140 100,140' has a negative coordinate; clamped to 0"),
    ("p2.xml", page_xml(points="100,1e300 900,100 900,140 100,140"),
     "p2.xml: line 6: point '1e300' is not a usable number; left out"),
    ("p2.xml", page_xml(conf="high"), "p2.xml: lines 6, 7: confidence 'high' is not a number from 0 to 1; left out"),
    ("p2.hocr", hocr(bbox="-5 100 900 140"), "p2.hocr: line 1: box '-5 100 900 140' has a negative coordinate; "
                                              "clamped to 0"),
    ("p2.hocr", hocr(bbox="100 abc 900 140"), "p2.hocr: line 1: bbox value 'abc' is not a usable number; left out"),
    ("p2.hocr", hocr(bbox="100 100 900"), "p2.hocr: line 1: bbox '100 100 900' is not four numbers; box left out"),
    ("p2.hocr", hocr(wconf="abc"),
     "p2.hocr: line 1 (14 times): confidence 'abc' is not a number from 0 to 100; left out"),
    ("p2.hocr", hocr(bbox="100.5 100 900 140"), None),  # a fraction is rounded, no problem
    ("p2.xml", alto(line_attrs={"HPOS": "-20"}), "box 'HPOS=-20 VPOS=100 WIDTH=800 HEIGHT=40' has a negative "
                                                  "coordinate; clamped to 0"),
    ("p2.xml", alto(line_attrs={"WIDTH": "inf"}), "WIDTH 'inf' is not a usable number; left out"),
    ("p2.xml", alto(page_attrs={"WIDTH": "1e300"}), "WIDTH '1e300' is not a usable number; left out"),
    ("p2.xml", alto(string_attrs={"WC": "high"}), "confidence 'high' is not a number from 0 to 1; left out"),
    ("p2.xml", abbyy(left="--5"), "p2.xml: line 1: l '--5' is not a usable number; left out"),
]


@pytest.mark.parametrize("name, data, said", BAD_NUMBERS, ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(BAD_NUMBERS)])
def test_one_bad_number_on_page_2_of_3_is_said_and_the_book_is_written(tmp_path, name, data, said):
    good = page_xml(["Page one of the minutes.", "Its second line."])
    book = folder(tmp_path / "in", "minutes", {"p1.xml": good, name: data,
                                               "p3.xml": page_xml(["Page three of the minutes.", "The end."])})
    reports, _ = run([book], tmp_path / "out")
    report = reports["minutes"]
    assert report.status == "ok", report.errors
    edition = Path(report.edition_path)
    assert validate_file(edition) == []
    text = body_text(edition)
    assert "Page one" in text and LINES[1] in text and "Page three" in text
    if said is None:
        assert report.problems == []
    else:
        [problem] = report.problems
        assert problem.endswith(said) and problem.startswith(f"{name}: line")


# --- 8. links stay inside the input folder ---------------------------------------------------

def test_image_references_never_lead_out_of_the_input_folder(tmp_path):
    inbox = tmp_path / "in"
    book = folder(inbox, "book", {
        "p1.xml": alto(file_name="/home/archivist/scans/secret/p1.tif"), "p1.png": real_png(),
        "p2.xml": page_xml(["A page naming a file outside.", "Nothing to link."],
                           image="../../../../../../etc/passwd"),
        "p3.xml": alto(["A page naming an image that is not here."], file_name="scan_0003.tif")})
    out = tmp_path / "out"
    reports, _ = run([inbox], out)
    report = reports["book"]
    assert report.status == "ok"
    assert report.problems == ["book: 2 OCR files name an image that is not among the book's files (p2.xml names "
                               "'passwd' by a path leading out of the folder; p3.xml names 'scan_0003.tif'); "
                               "not linked"]
    edition = Path(report.edition_path)
    urls = [g.get("url") for g in etree.parse(str(edition)).iter(tei("graphic"))]
    assert urls == ["in/book/p1.png".join(["../", ""])]  # p1's reference resolved by its name, inside the book
    for url in urls:
        assert (edition.parent / unquote(url)).resolve().is_relative_to(book.resolve())
    preview = etree.parse(str(out / "book.html"), etree.HTMLParser())
    sources = [img.get("src") for img in preview.iter("img")]
    assert sources and all((out / unquote(src)).resolve().is_relative_to(inbox.resolve()) for src in sources)
    for written in out.rglob("*"):
        if written.is_file():
            content = written.read_bytes()
            assert b"/home/archivist" not in content and b"etc/passwd" not in content, written
            if written.suffix != ".json":  # the manifest records where its sources are, by design
                assert str(inbox.resolve()).encode() not in content, written


# --- 9. one page, one source ------------------------------------------------------------------

def test_the_same_page_as_hocr_alto_and_png_is_one_page_with_its_text_from_one_source(tmp_path):
    book = folder(tmp_path / "in", "book", {"p1.hocr": hocr(["Beta reading of the page."]),
                                            "p1.xml": alto(["Alpha reading of the page."]),
                                            "p1.png": real_png()})
    reports, _ = run([book], tmp_path / "out")
    report = reports["book"]
    assert report.status == "ok"
    assert report.problems == ["p1.hocr: gives the same page as p1.xml; its text was taken from p1.xml (ALTO "
                               "before hOCR), p1.hocr not read"]
    tree = etree.parse(report.edition_path)
    assert len(list(tree.iter(tei("surface")))) == 1 and len(list(tree.iter(tei("pb")))) == 1
    text = body_text(Path(report.edition_path))
    assert "Alpha reading" in text and "Beta" not in text


def test_a_bad_coordinate_in_a_mets_packages_alto_is_said_and_the_package_read(tmp_path):
    from tests.library_packages import PAGES, grenzboten_package, page_name

    package = tmp_path / "in" / "grenzboten"
    package.mkdir(parents=True)
    grenzboten_package(package)
    damaged = package / page_name(PAGES[1][0])
    damaged.write_text(damaged.read_text().replace('HPOS="', 'HPOS="-7', 1).replace('WIDTH="', 'WIDTH="inf', 1))
    reports, _ = run([tmp_path / "in"], tmp_path / "out")
    report = reports["grenzboten"]
    assert report.status == "ok", report.errors
    [said] = [p for p in report.problems if "negative coordinate" in p]
    assert said == (f"page 2 (6): {page_name(PAGES[1][0])}: line 2: WIDTH 'inf3340' is not a usable number; "
                    "left out; line 2: box 'HPOS=-7353 VPOS=319 WIDTH=2624 HEIGHT=90' has a negative coordinate; "
                    "clamped to 0")


# --- 10. hidden text layers count only when they read as text ---------------------------------

MINUTES = ["The committee met on the fourth of March to consider the accounts",
           "of the library and the purchase of a new press for the printing",
           "office, which the treasurer had recommended in his report of the",
           "previous winter. The motion was carried without a division."]
NO_OCR = PipelineConfig(ocr_languages="no-such-model")  # any page sent to OCR fails: none must be


def test_a_hidden_layer_of_consonants_over_a_scan_is_left_out_and_the_page_recognised(tmp_path):
    from pipeline.ingest.pages import ocr

    if (why := ocr.available()) is not None or not FONT.exists():
        pytest.skip(f"needs OCR and Debian's DejaVu fonts ({why or 'fonts-dejavu-core'})")
    source = tmp_path / "minutes.pdf"
    source.write_bytes(pdf_with_hidden_layer(None, [consonants(12, seed) for seed in range(6)], text_png(MINUTES)))
    report = process_file(source, tmp_path / "out", PipelineConfig(ocr_languages="eng"))
    assert report.status == "ok", report.errors
    [problem] = report.problems
    assert problem.startswith("minutes.pdf: page 1: its hidden text layer (")
    assert problem.endswith("100% of its words have no vowel or five consonants in a row) does not read as text; "
                            "left out, the page recognised")
    text = body_text(Path(report.edition_path))
    assert "committee met" in text and consonants(12, 0)[:20] not in text
    assert list(report.languages) == ["en"]  # not the Albanian of the consonants
    assert report.notes[0] == "PDF read from its pages rendered at 300 dpi and recognised (no real text layer)"
    digitization = etree.parse(report.edition_path).find(f".//{tei('note')}[@type='digitization']").text
    assert "page 1: its hidden text layer" in digitization


def test_a_visible_page_with_a_hidden_garbage_layer_keeps_only_what_it_shows(tmp_path):
    source = tmp_path / "minutes.pdf"
    source.write_bytes(pdf_with_hidden_layer(MINUTES, [consonants(12, seed) for seed in range(6)]))
    report = process_file(source, tmp_path / "out", NO_OCR)
    assert report.status == "ok", report.errors
    [problem] = report.problems
    assert problem.endswith("does not read as text; left out, the text the page shows read")
    text = body_text(Path(report.edition_path))
    assert all(" ".join(line.split()[:4]) in " ".join(text.split()) for line in MINUTES)
    assert not any(word in text for word in consonants(12, 0).split())


@pytest.mark.parametrize("corpus, page", [("grenzboten-1841", "179399.hocr"), ("swete-1901", "0055.hocr"),
                                          ("arnobius-1875", "010.hocr")])
def test_a_hidden_layer_of_real_ocr_is_taken_as_text_without_ocr(tmp_path, corpus, page):
    """Tesseract's own reading of German Fraktur, polytonic Greek and Latin, errors and all,
    drawn as a hidden layer over a blank page: it reads as text, and no page is recognised."""
    from pipeline.ingest.pages import hocr as hocr_reader

    if not FONT.exists():
        pytest.skip("needs Debian's fonts-dejavu-core to draw Greek")
    data = (Path(__file__).parent / "data" / corpus / "tess-hocr" / page).read_bytes()
    [read] = hocr_reader.parse(data, page)
    lines = [line.text for line in read.lines][:30]
    source = tmp_path / "scan.pdf"
    source.write_bytes(pdf_with_hidden_layer(None, lines))
    report = process_file(source, tmp_path / "out", NO_OCR)
    assert report.status == "ok", report.errors
    assert report.problems == []
    assert report.notes[0] == "PDF read from its text layer (hidden, over the page images), which holds real text"
    words = lines[5].split()
    assert words[len(words) // 2] in body_text(Path(report.edition_path))


# --- limits set once: pages per document, bytes per page file -----------------------------------

def test_a_source_over_max_document_pages_is_refused_in_one_line_before_any_page_is_read(tmp_path):
    from PIL import Image

    limit = PipelineConfig(max_document_pages=2)
    inbox = tmp_path / "in"
    folder(inbox, "book", {"p1.xml": page_xml(), "p2.xml": page_xml(), "p3.xml": page_xml()})
    folder(inbox, "ok", {"p1.xml": page_xml(), "p2.xml": page_xml()})
    (inbox / "poster.pdf").write_bytes(pdf_declaring((8.5, 11), (8.5, 11), (200, 200), text="The committee met"))
    tiff = io.BytesIO()
    Image.new("1", (8, 8)).save(tiff, format="TIFF", save_all=True, append_images=[Image.new("1", (8, 8))] * 2)
    (inbox / "scan.tif").write_bytes(tiff.getvalue())
    folder(inbox, "hocr", {"one.hocr": hocr(pages=3)})
    reports, _ = run([inbox], tmp_path / "out", limit)
    over = "has 3 pages, over the limit of 2 (raise max_document_pages to read it)"
    assert reports["book"].errors == [over]
    assert reports["poster.pdf"].errors == [over]
    assert reports["hocr"].errors == [over]
    assert reports["scan.tif"].errors == [over]
    assert reports["ok"].status == "ok"


def test_a_mets_package_over_max_document_pages_is_refused(tmp_path):
    from tests.library_packages import grenzboten_package

    package = tmp_path / "in" / "grenzboten"
    package.mkdir(parents=True)
    grenzboten_package(package)
    reports, _ = run([tmp_path / "in"], tmp_path / "out", PipelineConfig(max_document_pages=1))
    [error] = reports["grenzboten"].errors
    assert error.endswith("pages, over the limit of 1 (raise max_document_pages to read it)")


@pytest.mark.parametrize("big_name", ["p0.xml", "p2.xml", "p4.xml"])  # before, between, after the others
def test_a_page_file_over_max_page_file_bytes_is_that_pages_line_wherever_it_comes(tmp_path, big_name):
    big = page_xml(["A page padded past the limit.", "x" * 3000])
    book = folder(tmp_path / "in", "minutes", {"p1.xml": page_xml(["Page 1 of the minutes.", "Its second line."]),
                                               big_name: big,
                                               "p3.xml": page_xml(["Page 2 of the minutes.", "Its second line."])})
    limit = PipelineConfig(max_page_file_bytes=2000)
    reports, _ = run([book], tmp_path / "out", limit)
    report = reports["minutes"]
    assert report.status == "ok", report.errors
    [problem] = report.problems
    assert problem.endswith(f"is {len(big):,} bytes, over the limit of 2,000 for a page file; left out "
                            "(raise max_page_file_bytes to read it)")
    text = body_text(Path(report.edition_path))
    assert "Page 1 of the minutes" in text and "Page 2 of the minutes" in text and "padded" not in text
    # the library, given the files' bytes, applies the same limit
    from pipeline.ingest.pages.compose import SourceFile
    from pipeline.process import build_edition

    files = [SourceFile(p.name, p.read_bytes()) for p in sorted(book.iterdir())]
    edition = build_edition(files, "minutes", limit)
    assert edition.errors == [] and [p.split(":")[0] for p in edition.problems] == [problem.split(":")[0]]


# --- 11. the smaller items ------------------------------------------------------------------------

def test_a_pdf_without_pages_and_one_locked_by_a_password_say_what_they_are(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "empty.pdf").write_bytes(pdf_declaring())
    (inbox / "locked.pdf").write_bytes(locked_pdf())
    reports, _ = run([inbox], tmp_path / "out")
    assert reports["empty.pdf"].errors == ["is a PDF with no pages (its page tree counts 0)"]
    assert reports["locked.pdf"].errors == ["is a PDF locked with a password: its pages cannot be read (decrypt it "
                                            "first, e.g. qpdf --password=PASSWORD --decrypt in.pdf out.pdf, and "
                                            "give the decrypted copy)"]


def test_a_folder_where_the_edition_goes_is_a_one_line_problem_and_the_others_are_written(tmp_path):
    out = tmp_path / "out"
    (out / "x.tei.xml").mkdir(parents=True)
    inbox = folder(tmp_path, "in", {"x.txt": b"A letter of some length to be read.\n",
                                    "y.txt": b"Another letter, written all the same.\n"})
    reports, _ = run([inbox], out)
    assert reports["x.txt"].errors == ["cannot be written: x.tei.xml in the output folder is a folder (move or "
                                       "rename that folder, or choose another output folder)"]
    assert reports["y.txt"].status == "ok"
