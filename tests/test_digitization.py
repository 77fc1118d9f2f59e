"""Digitized sources without OCR: a folder of OCR engines' XML (real pages of Die Grenzboten,
1841, from three engines, and ALTO and PAGE files written here from known text) becomes one
edition linked to its page images, whose source rebuilds from the edition alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import etree

from pipeline.config import PipelineConfig
from pipeline.ingest.pages.reader import natural_key
from pipeline.process import build_edition
from pipeline.run.document import process_file
from pipeline.run.inputs import discover_sources
from pipeline.run.naming import assign_names
from pipeline.stages.structure import centred_titles
from pipeline.tei import XML_ID, local_name, tei
from pipeline.tei.reader import rebuild_source, without_whitespace
from pipeline.ingest.pages.compose import SourceFile
from tests.conftest import ROOT, block_of, parse

CORPUS = ROOT / "tests" / "data" / "grenzboten-1841"
STEMS = ("179399", "179400", "179401")  # printed pages 8, 9, 10; page 9 ends with the signature mark "2"
NS = {"t": "http://www.tei-c.org/ns/1.0"}
CONFIG = PipelineConfig()


def _book(tmp_path: Path, engine: str, suffix: str, images: bool = True) -> Path:
    book = tmp_path / "in" / "Grenzboten 1841"
    book.mkdir(parents=True)
    for stem in STEMS:
        shutil.copy(CORPUS / engine / f"{stem}{suffix}", book)
        if images:
            shutil.copy(CORPUS / "tif" / f"{stem}.tif", book)
    return book


def _run(inputs: list[Path], out: Path):
    sources, problems = discover_sources(inputs)
    assert problems == []
    bases, _ = assign_names(sources, out, {})
    return {s.display_name: process_file(s.path, out, CONFIG, bases[s.key], s.display_name, s.pages) for s in sources}


def _lines_of_abbyy(path: Path) -> list[str]:
    """The lines of an ABBYY file, read here with XPath, independently of the reader."""
    root = etree.parse(str(path))
    lines = []
    for line in root.iter("{*}line"):
        chars = "".join(c.text or "" for c in line.iter("{*}charParams"))
        if chars.strip():
            lines.append(" ".join(chars.split()))
    return lines


# Tesseract 3 read page 9's signature "2" as "es" and wrote it into the page's last line of text
@pytest.mark.parametrize("engine, suffix, signature_alone", [("abbyy-xml", ".abbyy.xml", True),
                                                             ("tess-hocr", ".hocr", False)])
def test_a_folder_of_ocr_files_and_images_is_one_edition_linked_to_its_pages(tmp_path, engine, suffix,
                                                                             signature_alone):
    book = _book(tmp_path, engine, suffix)
    shutil.copy(ROOT / "seeds" / sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))[0], tmp_path / "in")
    out = tmp_path / "out"
    reports = _run([tmp_path / "in"], out)
    assert set(reports) == {"Grenzboten 1841", sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))[0]}
    report = reports["Grenzboten 1841"]
    assert report.status == "ok", report.errors
    edition = out / "Grenzboten 1841.tei.xml"
    tree = etree.parse(str(edition))
    surfaces = tree.findall(".//t:facsimile/t:surface", NS)
    assert len(surfaces) == 3
    for surface, stem in zip(surfaces, STEMS):
        graphic = surface.find("t:graphic", NS)
        assert (edition.parent / graphic.get("url").replace("%20", " ")).resolve() == (book / f"{stem}.tif").resolve()
        assert (graphic.get("width"), graphic.get("height")) == ("3340px", "4872px")  # the image's own size
    # each page begins with a pb pointing to its surface and numbered as printed
    pbs = tree.findall(".//t:body//t:pb", NS)
    assert [pb.get("facs") for pb in pbs] == ["#" + s.get("{http://www.w3.org/XML/1998/namespace}id") for s in surfaces]
    assert [pb.get("n") for pb in pbs] == ["8", "9", "10"]
    assert tree.findtext(".//t:titleStmt/t:title", namespaces=NS) != "8"  # a page number is never the title
    # every line of text or furniture points to its zone, and each zone is used once
    zones = {z.get("{http://www.w3.org/XML/1998/namespace}id") for z in tree.iter(tei("zone"))}
    links = [e.get("facs")[1:] for e in tree.iter(tei("lb"), tei("fw")) if e.get("facs")]
    assert sorted(links) == sorted(zones)
    # the signature mark at the foot of page 9 is furniture, linked to a zone at the page's foot
    signature = tree.find(".//t:fw[@type='sig']", NS)
    if not signature_alone:
        assert signature is None
        return
    assert signature is not None and signature.text.strip() == "2"
    zone = tree.xpath("//t:zone[@xml:id=$id]", namespaces=NS, id=signature.get("facs")[1:])[0]
    assert int(zone.get("uly")) > 0.85 * 4872


def test_a_problem_of_the_whole_book_names_the_book_once_under_its_line(tmp_path):
    """OCR files naming images the book folder lacks: one line under the book's, naming it once."""
    book = _book(tmp_path, "tess-hocr", ".hocr", images=False)
    lines = _run([book], tmp_path / "out")["Grenzboten 1841"].problem_lines()
    assert len(lines) == 1 and lines[0].count("Grenzboten 1841") == 1, lines
    assert "3 OCR files name an image that is not among the book's files" in lines[0]


def test_the_ocr_text_of_every_page_rebuilds_from_the_edition(tmp_path):
    book = _book(tmp_path, "abbyy-xml", ".abbyy.xml", images=False)
    files = [SourceFile(p.name, p.read_bytes()) for p in sorted(book.iterdir())]
    edition = build_edition(files, book.name, CONFIG)
    assert edition.errors == []
    expected = [line for stem in STEMS for line in _lines_of_abbyy(book / f"{stem}.abbyy.xml")]
    rebuilt = rebuild_source(parse(edition.xml))
    assert without_whitespace(rebuilt) == without_whitespace("\n".join(expected))
    # no image beside the XML: surfaces with the page's size, no graphic
    tree = parse(edition.xml)
    assert tree.find(".//t:graphic", NS) is None and len(tree.findall(".//t:surface", NS)) == 3


def test_boxes_measured_from_the_foot_of_the_page_are_turned_the_right_way_up(tmp_path):
    """OCRopus 0.4 measures from the page's foot: the first line of a page must be near its top."""
    book = _book(tmp_path, "ocropus-hocr", ".hocr")
    files = [SourceFile(p.name, p.read_bytes()) for p in sorted(book.iterdir(), key=lambda p: natural_key(p.name))]
    tree = parse(build_edition(files, book.name, CONFIG).xml)
    for surface in tree.iter(tei("surface")):
        tops = [int(zone.get("uly")) for zone in surface.iter(tei("zone"))]
        assert tops[0] < 600 and tops == sorted(tops)


def _alto(pages: list[list[tuple[str, tuple[int, int, int, int]]]], namespace: str, unit: str | None = None,
          size: tuple[int, int] = (2000, 3000)) -> bytes:
    root = etree.Element(f"{{{namespace}}}alto", nsmap={None: namespace})
    description = etree.SubElement(root, f"{{{namespace}}}Description")
    if unit:
        etree.SubElement(description, f"{{{namespace}}}MeasurementUnit").text = unit
    etree.SubElement(etree.SubElement(description, f"{{{namespace}}}sourceImageInformation"),
                     f"{{{namespace}}}fileName").text = "scan.png"
    layout = etree.SubElement(root, f"{{{namespace}}}Layout")
    for lines in pages:
        page = etree.SubElement(layout, f"{{{namespace}}}Page", WIDTH=str(size[0]), HEIGHT=str(size[1]))
        block = etree.SubElement(etree.SubElement(page, f"{{{namespace}}}PrintSpace"), f"{{{namespace}}}TextBlock")
        for text, (x, y, w, h) in lines:
            line = etree.SubElement(block, f"{{{namespace}}}TextLine", HPOS=str(x), VPOS=str(y), WIDTH=str(w),
                                    HEIGHT=str(h))
            for n, word in enumerate(text.split()):
                if n:
                    etree.SubElement(line, f"{{{namespace}}}SP")
                etree.SubElement(line, f"{{{namespace}}}String", CONTENT=word, WC="0.93")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


LETTER = [  # two pages of a letter: the number on top, the text, a line cut by the page turn
    [("17", (950, 100, 60, 40)), ("Dear Sir, the shipment of books you ordered", (200, 300, 1600, 50)),
     ("reached Hamburg on the third of May and will be sent", (200, 360, 1600, 50))],
    [("18", (950, 100, 60, 40)), ("on to Leipzig by the first carrier who passes.", (200, 300, 1500, 50)),
     ("Your obedient servant.", (200, 360, 700, 50))],
]


@pytest.mark.parametrize("namespace", ["http://www.loc.gov/standards/alto/ns-v2#",
                                       "http://www.loc.gov/standards/alto/ns-v4#"])
def test_alto_written_from_known_text_gives_that_text_its_boxes_and_its_page_numbers(namespace):
    edition = build_edition(_alto(LETTER, namespace), "letter.alto.xml", CONFIG)
    assert edition.errors == []
    tree = parse(edition.xml)
    assert [pb.get("n") for pb in tree.iter(tei("pb"))] == ["17", "18"]
    assert [fw.text for fw in tree.iter(tei("fw")) if fw.get("type") == "pageNum"] == ["17", "18"]
    zones = [(int(z.get("ulx")), int(z.get("uly")), int(z.get("lrx")), int(z.get("lry"))) for z in tree.iter(tei("zone"))]
    assert zones == [(x, y, x + w, y + h) for page in LETTER for _, (x, y, w, h) in page]
    assert tree.find(".//t:graphic", NS).get("url") == "scan.png"
    rebuilt = rebuild_source(tree)
    assert without_whitespace(rebuilt) == without_whitespace(" ".join(t for page in LETTER for t, _ in page))
    # the sentence cut by the page turn stays one paragraph with the pb inside it
    paragraph = next(p for p in tree.iter(tei("p")) if "Hamburg" in "".join(p.itertext()))
    assert "Leipzig" in "".join(paragraph.itertext()) and paragraph.find("t:pb", NS) is not None


ALTO_V3 = "http://www.loc.gov/standards/alto/ns-v3#"
A4_MM10 = (2100, 2970)  # an A4 page in ALTO's tenths of a millimetre
A4_LINES = [("Inventory of the chapter library, taken in the year 1623.", (200, 300, 1600, 50)),
            ("Item, a psalter bound in red leather with silver clasps.", (200, 380, 1500, 50))]


def _zones(tree) -> list[tuple[int, int, int, int]]:
    return [tuple(int(z.get(a)) for a in ("ulx", "uly", "lrx", "lry")) for z in tree.iter(tei("zone"))]


def test_alto_measured_in_tenths_of_a_millimetre_is_placed_on_the_image_in_its_pixels(tmp_path):
    from PIL import Image

    dpi = 150
    book = tmp_path / "inventory"
    book.mkdir()
    (book / "scan.alto.xml").write_bytes(_alto([A4_LINES], ALTO_V3, "mm10", A4_MM10))
    pixels = tuple(round(mm10 / 254 * dpi) for mm10 in A4_MM10)  # 1240 x 1754
    Image.new("L", pixels, 255).save(book / "scan.png")
    _run([book], tmp_path / "out")
    tree = etree.parse(str(tmp_path / "out" / "inventory.tei.xml"))
    surface = tree.find(".//t:surface", NS)
    assert (surface.get("lrx"), surface.get("lry")) == tuple(map(str, pixels))
    assert tree.find(".//t:graphic", NS).get("width") == f"{pixels[0]}px"
    for zone, (_, (x, y, w, h)) in zip(_zones(tree), A4_LINES):
        physical = [round(v / 254 * dpi) for v in (x, y, x + w, y + h)]  # where the line stands on the scan
        assert all(abs(a - b) <= 1 for a, b in zip(zone, physical)), (zone, physical)


def test_alto_in_tenths_of_a_millimetre_without_its_image_keeps_its_measures_and_says_so():
    edition = build_edition(_alto([A4_LINES], ALTO_V3, "mm10", A4_MM10), "inventory.alto.xml", CONFIG)
    assert edition.errors == []  # the project schema takes a graphic measured in mm
    tree = parse(edition.xml)
    surface = tree.find(".//t:surface", NS)
    assert (surface.get("lrx"), surface.get("lry")) == ("2100", "2970")  # zones stay in the surface's measure
    assert _zones(tree)[0] == (200, 300, 1800, 350)
    graphic = tree.find(".//t:graphic", NS)
    assert (graphic.get("width"), graphic.get("height")) == ("210mm", "297mm")  # not pixels


def test_alto_in_a_unit_it_does_not_define_keeps_its_text_and_leaves_the_image_size_unsaid():
    edition = build_edition(_alto([A4_LINES], ALTO_V3, "furlong", A4_MM10), "odd.alto.xml", CONFIG)
    assert edition.errors == []
    tree = parse(edition.xml)
    assert "psalter" in "".join(tree.find(".//t:body", NS).itertext())
    assert tree.find(".//t:surface", NS).get("lrx") == "2100" and _zones(tree)[0] == (200, 300, 1800, 350)
    assert tree.find(".//t:graphic", NS).get("width") is None


def _page_xml(namespace: str, regions: list[tuple[str, list[tuple[str, str]]]], order: list[str]) -> bytes:
    root = etree.Element(f"{{{namespace}}}PcGts", nsmap={None: namespace})
    etree.SubElement(etree.SubElement(root, f"{{{namespace}}}Metadata"), f"{{{namespace}}}Creator").text = "tester"
    page = etree.SubElement(root, f"{{{namespace}}}Page", imageFilename="folio 3r.jpg", imageWidth="1500",
                            imageHeight="2200")
    group = etree.SubElement(etree.SubElement(page, f"{{{namespace}}}ReadingOrder"), f"{{{namespace}}}OrderedGroup",
                             id="ro")
    for index, region_id in enumerate(order):
        etree.SubElement(group, f"{{{namespace}}}RegionRefIndexed", index=str(index), regionRef=region_id)
    for region_id, lines in regions:
        region = etree.SubElement(page, f"{{{namespace}}}TextRegion", id=region_id)
        for text, points in lines:
            line = etree.SubElement(region, f"{{{namespace}}}TextLine")
            etree.SubElement(line, f"{{{namespace}}}Coords", points=points)
            etree.SubElement(etree.SubElement(line, f"{{{namespace}}}TextEquiv"), f"{{{namespace}}}Unicode").text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@pytest.mark.parametrize("namespace", ["http://schema.primaresearch.org/PAGE/gts/pagecontent/2013-07-15",
                                       "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"])
def test_page_xml_follows_its_reading_order_and_keeps_line_polygons_as_boxes(namespace):
    # written out of order on purpose: the ReadingOrder puts the body region first
    regions = [("r2", [("The second paragraph closes the folio.", "100,900 1400,900 1400,960 100,960")]),
               ("r1", [("Inventory of the chapter library,", "100,200 1400,190 1410,260 100,250"),
                       ("taken in the year of our Lord 1623.", "100,270 1300,270 1300,330 100,330")])]
    xml = _page_xml(namespace, regions, ["r1", "r2"])
    edition = build_edition(xml, "folio3r.xml", CONFIG)
    assert edition.errors == []
    tree = parse(edition.xml)
    text = "".join(tree.find(".//t:body", NS).itertext())
    assert text.index("Inventory") < text.index("taken") < text.index("second paragraph")
    zones = [(int(z.get("ulx")), int(z.get("uly")), int(z.get("lrx")), int(z.get("lry"))) for z in tree.iter(tei("zone"))]
    assert zones[0] == (100, 190, 1410, 260)  # the polygon's bounding box
    assert tree.find(".//t:graphic", NS).get("url") == "folio%203r.jpg"  # a URL: the space escaped


def test_pages_follow_the_natural_order_of_their_names(tmp_path):
    book = tmp_path / "letters"
    book.mkdir()
    for number in (1, 2, 10):
        (book / f"page{number}.xml").write_bytes(_alto([[(f"Text of page {number}.", (100, 100, 800, 40))]],
                                                      "http://www.loc.gov/standards/alto/ns-v3#"))
    sources, _ = discover_sources([book])
    assert [s.pages for s in sources] == [("page1.xml", "page2.xml", "page10.xml")]
    report = _run([book], tmp_path / "out")["letters"]
    text = "".join(etree.parse(str(tmp_path / "out" / "letters.tei.xml")).find(".//t:body", NS).itertext())
    assert report.status == "ok"
    assert text.index("page 1.") < text.index("page 2.") < text.index("page 10.")


def test_a_folder_of_text_files_still_gives_one_edition_per_file(tmp_path):
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "a.txt").write_text("First letter.\n")
    (folder / "b.txt").write_text("Second letter.\n")
    sources, _ = discover_sources([folder])
    assert [(s.display_name, s.pages) for s in sources] == [("a.txt", ()), ("b.txt", ())]


def test_an_unchanged_book_is_not_built_again_and_a_changed_page_rebuilds_it(tmp_path):
    from pipeline.run.incremental import carried_over, source_sha256
    from pipeline.run.manifest import RunManifest

    book = _book(tmp_path, "tess-hocr", ".hocr", images=False)
    out = tmp_path / "out"
    reports = _run([book], out)
    sources, _ = discover_sources([book])
    source = sources[0]
    assert source_sha256(source.path, source.pages) == reports[source.display_name].sha256
    (book / f"{STEMS[1]}.hocr").write_bytes((book / f"{STEMS[1]}.hocr").read_bytes().replace(b"Belgien", b"Belgicn"))
    assert source_sha256(source.path, source.pages) != reports[source.display_name].sha256
    manifest = RunManifest(configuration=CONFIG.fingerprint(), inputs=[str(book)], documents=list(reports.values()),
                           editions={source.key: source.display_name})
    assert carried_over(sources, {source.key: source.display_name}, out, CONFIG, manifest) == {}


def test_a_damaged_ocr_file_names_itself_and_the_problem_and_the_other_pages_are_written(tmp_path):
    book = _book(tmp_path, "abbyy-xml", ".abbyy.xml", images=False)
    (book / f"{STEMS[2]}.abbyy.xml").write_bytes((book / f"{STEMS[2]}.abbyy.xml").read_bytes()[:5000])
    report = _run([book], tmp_path / "out")[book.name]
    assert report.status == "ok"
    [problem] = report.problems
    assert problem.startswith(f"{STEMS[2]}.abbyy.xml: is not well-formed XML")
    edition = parse((tmp_path / "out" / f"{book.name}.tei.xml").read_bytes())
    assert len(list(edition.iter(tei("surface")))) == 2
    assert problem in "".join(edition.find(".//t:note[@type='digitization']", NS).itertext())
    for stem in STEMS[:2]:  # the damaged page alone fails
        (book / f"{stem}.abbyy.xml").unlink()
    report = _run([book], tmp_path / "out")[book.name]
    assert report.status == "failed" and report.errors == [problem]


def test_a_doubted_word_keeps_its_long_s_regularized_inside_its_flag():
    """Fraktur OCR doubts many words that hold a long s: the flag holds the regularization,
    so the reading text still reads s (hOCR written here, as Tesseract writes it)."""
    words = [("Die", 95), ("Geſchichte", 31), ("des", 93), ("Landes", 90)]
    spans = " ".join(f"<span class='ocrx_word' title='bbox {100 + 200 * n} 100 {280 + 200 * n} 150; x_wconf {c}'>{w}</span>"
                     for n, (w, c) in enumerate(words))
    hocr = (f"<html xmlns='http://www.w3.org/1999/xhtml'><body><div class='ocr_page' title='bbox 0 0 1000 400'>"
            f"<span class='ocr_line' title='bbox 100 100 900 150'>{spans}</span></div></body></html>").encode()
    tree = parse(build_edition(hocr, "page.hocr", PipelineConfig()).xml)
    unclear = [u for u in tree.iter(tei("unclear")) if u.get("reason") == "low-confidence"]
    assert len(unclear) == 1 and unclear[0].get("cert") == "low"
    assert unclear[0].findtext("t:choice/t:orig", namespaces=NS) == "ſ"
    assert unclear[0].findtext("t:choice/t:reg", namespaces=NS) == "s"
    assert "Geſchichte" in rebuild_source(tree)


@pytest.mark.slow
def test_a_digitized_edition_is_valid_tei_all(tmp_path, tei_all):
    """Facsimile, surfaces, zones, display graphics and doubted words are TEI, not only ours."""
    book = _book(tmp_path, "abbyy-xml", ".abbyy.xml")
    files = [SourceFile(p.name, p.read_bytes()) for p in sorted(book.iterdir(), key=lambda p: natural_key(p.name))]
    edition = build_edition(files, book.name, CONFIG)
    tree = parse(edition.xml)
    assert edition.errors == [] and edition.page_images
    assert tree.find(".//t:graphic[@n='display']", NS) is not None
    assert tree.find(".//t:unclear[@reason='low-confidence']", NS) is not None
    assert tei_all.validate(tree), tei_all.error_log.last_error


def test_a_doubted_word_that_is_page_furniture_stays_furniture():
    """A signature mark the engine doubted ("2*" read at 30 %) is a signature, not a doubted word."""
    def line(words, top):
        spans = " ".join(f"<span class='ocrx_word' title='bbox {x} {top} {x + 150} {top + 50}; x_wconf {c}'>{w}</span>"
                         for w, x, c in words)
        return f"<span class='ocr_line' title='bbox {words[0][1]} {top} {words[-1][1] + 150} {top + 50}'>{spans}</span>"

    body = [[("Der", 100, 95), ("Text", 300, 92), ("dieser", 500, 90), ("Seite", 700, 91), ("geht", 900, 93)]] * 6
    lines = "".join(line(words, 200 + 80 * n) for n, words in enumerate(body)) + line([("2*", 800, 30)], 800)
    hocr = (f"<html xmlns='http://www.w3.org/1999/xhtml'><body><div class='ocr_page' title='bbox 0 0 1200 1000'>"
            f"{lines}</div></body></html>").encode()
    tree = parse(build_edition(hocr, "page.hocr", PipelineConfig()).xml)
    signatures = [fw for fw in tree.iter(tei("fw")) if fw.get("type") == "sig"]
    assert [fw.text for fw in signatures] == ["2*"]
    assert signatures[0].getparent().tag != tei("unclear")


def test_page_furniture_named_by_page_xml_region_types_is_furniture_however_it_reads():
    """Transkribus and OCR-D type their regions: a page-number region read "l7" is page 17's
    number, a signature-mark and a catch-word region are the foot's furniture."""
    namespace = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
    body = [("Item the wardens paid for the mending of the", "100,300 1400,300 1400,350 100,350"),
            ("great bell and for the ropes of the tower the", "100,360 1400,360 1400,410 100,410"),
            ("sum of four shillings and sixpence paid to", "100,420 1400,420 1400,470 100,470")]
    pages = []
    for number, foot, foot_type in (("l7", "B2", "signature-mark"), ("18", "the", "catch-word"), ("19", None, None)):
        regions = [("n", [(number, "700,100 800,100 800,150 700,150")]), ("b", body)]
        if foot:
            regions.append(("f", [(foot, "1200,900 1300,900 1300,950 1200,950")]))
        xml = _page_xml(namespace, regions, [r for r, _ in regions])
        root = etree.fromstring(xml)
        for region in root.iter(f"{{{namespace}}}TextRegion"):
            region.set("type", {"n": "page-number", "f": foot_type or "paragraph", "b": "paragraph"}[region.get("id")])
        pages.append(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    files = [SourceFile(f"f{n}.xml", data) for n, data in enumerate(pages, start=1)]
    tree = parse(build_edition(files, "accounts", CONFIG).xml)
    fws = [(fw.get("type"), fw.text, fw.get("n")) for fw in tree.iter(tei("fw"))]
    assert ("pageNum", "l7", "17") in fws and ("pageNum", "18", None) in fws
    assert ("sig", "B2", None) in fws and ("catch", "the", None) in fws
    assert [pb.get("n") for pb in tree.iter(tei("pb"))] == ["17", "18", "19"]


def _hocr_page(lines: list[tuple[str, tuple[int, int, int, int]]]) -> bytes:
    spans = "".join(f"<span class='ocr_line' title='bbox {x0} {y0} {x1} {y1}'>{text}</span>"
                    for text, (x0, y0, x1, y1) in lines)
    return (f"<html xmlns='http://www.w3.org/1999/xhtml'><body><div class='ocr_page' title='bbox 0 0 1500 2000'>"
            f"<p class='ocr_par'>{spans}</p></div></body></html>").encode()


def test_page_images_decide_a_page_turn_by_short_lines_indents_and_lower_case():
    """A paragraph ending in a short line ends at the turn; one whose page closes with a
    footnote goes on when the next page resumes in lower case; an indented line begins anew."""
    full = "the council met again in the spring and argued at length about"
    def page(first_left: int, first: str, last: str, last_right: int):
        lines = [(first, (first_left, 100, 1400, 150))] + [(full, (100, 100 + 60 * n, 1400, 150 + 60 * n))
                                                          for n in range(1, 8)]
        return _hocr_page(lines + [(last, (100, 600, last_right, 650))])
    pages = [page(160, "Minutes of the spring session begin", "with the treaty signed.", 600),  # short: ends
             page(100, "And then the wardens reported on the bells", "¹ See the accounts of 1622.", 700),
             page(100, "that the ropes of the tower were mended and", "the account was closed", 1400),
             page(160, "Item the next year the wardens paid", "and so it rested.", 500)]
    files = [SourceFile(f"p{n}.hocr", data) for n, data in enumerate(pages, start=1)]
    doc = build_edition(files, "minutes", CONFIG).document

    assert block_of(doc, "treaty signed.") != block_of(doc, "And then the wardens")  # a short last line ends it
    assert block_of(doc, "accounts of 1622.") == block_of(doc, "that the ropes")  # lower case resumes after the note
    assert block_of(doc, "account was closed") != block_of(doc, "Item the next year")  # an indent begins a paragraph


def test_page_images_of_a_full_last_line_before_a_sentence_opening_word_end_the_paragraph():
    """The OCR lost the full stop of a paragraph that filled the page's last line, and the next
    page's first line is not indented: the layout says nothing, but "The", written in lower
    case inside this book's sentences, begins a sentence; a name proves nothing."""
    full = "the wardens met again in the spring and the ringers argued about"
    def page(first: str, last: str):
        lines = [(first, (100, 100, 1400, 150))] + [(full, (100, 100 + 60 * n, 1400, 150 + 60 * n))
                                                     for n in range(1, 8)]
        return _hocr_page(lines + [(last, (100, 600, 1400, 650))])
    pages = [page("Minutes of the spring session", "the accounts of the tower and the bells of the parish church"),
             page("The ropes of the tower were mended and", "the accounts of the tower and the bells of the great"),
             page("Westminster masons were paid for the stone", "and so the matter rested for the year")]
    files = [SourceFile(f"p{n}.hocr", data) for n, data in enumerate(pages, start=1)]
    doc = build_edition(files, "wardens", CONFIG).document

    assert block_of(doc, "bells of the parish church") != block_of(doc, "The ropes of the tower")
    assert block_of(doc, "bells of the great") == block_of(doc, "Westminster masons")


def test_a_line_the_ocr_wrote_out_of_its_place_neither_ends_a_page_nor_opens_the_next_one_early():
    """OCR writes a line's pieces out of order: page 1's last line in the file is the left piece
    of a line standing above the page's true last line (short, ending a sentence), and page 2's
    file opens with a line of its text before its running head. The image decides: the
    paragraph goes on from the lowest line over the turn, and page 2's break comes before all
    of its text."""
    full = "the wardens met again in the spring and the ringers argued about"
    head = ("Parish Accounts", (600, 40, 900, 80))
    first = [(full, (100, 100 + 60 * n, 1400, 150 + 60 * n)) for n in range(7)]
    page1 = _hocr_page([head] + first + [("of the great bells of the tower", (100, 580, 1400, 630)),
                                         ("Smith said so.", (100, 520, 500, 570))])
    page2 = _hocr_page([("Westminster masons were paid for the stone", (100, 100, 1400, 150)), head]
                       + [(full, (100, 100 + 60 * n, 1400, 150 + 60 * n)) for n in range(1, 8)])
    page3 = _hocr_page([head] + first)
    files = [SourceFile(f"p{n}.hocr", data) for n, data in enumerate((page1, page2, page3), start=1)]
    edition = build_edition(files, "wardens", CONFIG)
    doc = edition.document

    assert block_of(doc, "of the great bells") == block_of(doc, "Westminster masons")
    breaks = sorted(e.start for e in doc.edits if e.kind == "page-break")
    assert breaks[1] <= doc.text.index("Westminster masons")
    assert without_whitespace(rebuild_source(parse(edition.xml))) == without_whitespace(doc.text)


PAGE_2019 = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"


def _typed_page_xml(regions: list[tuple[str | None, str, str]]) -> bytes:
    """One page of PAGE XML: regions of (type, text, polygon), one line each, in reading order."""
    root = etree.Element(f"{{{PAGE_2019}}}PcGts", nsmap={None: PAGE_2019})
    etree.SubElement(etree.SubElement(root, f"{{{PAGE_2019}}}Metadata"), f"{{{PAGE_2019}}}Creator").text = "tester"
    page = etree.SubElement(root, f"{{{PAGE_2019}}}Page", imageFilename="page.jpg", imageWidth="1500",
                            imageHeight="2200")
    for n, (kind, text, points) in enumerate(regions):
        region = etree.SubElement(page, f"{{{PAGE_2019}}}TextRegion", id=f"r{n}", **({"type": kind} if kind else {}))
        line = etree.SubElement(region, f"{{{PAGE_2019}}}TextLine")
        etree.SubElement(line, f"{{{PAGE_2019}}}Coords", points=points)
        etree.SubElement(etree.SubElement(line, f"{{{PAGE_2019}}}TextEquiv"), f"{{{PAGE_2019}}}Unicode").text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_page_xml_header_regions_are_running_heads_even_on_two_pages(tmp_path):
    """Two pages are too few for a running head to prove itself by repeating: the file's word
    (a region of type header) is the evidence."""
    book = tmp_path / "chronicle"
    book.mkdir()
    pages = [("Chronicle of the Abbey", "12", "The brothers gathered in the chapter house on the feast of"),
             ("Chronicle of the Abbey", "13", "Saint Gall and elected a new abbot from among themselves.")]
    for n, (head, number, text) in enumerate(pages):
        (book / f"p{n + 1}.xml").write_bytes(_typed_page_xml([
            ("header", head, "400,100 1100,100 1100,150 400,150"),
            ("page-number", number, "1300,100 1380,100 1380,150 1300,150"),
            ("paragraph", text, "100,300 1400,300 1400,360 100,360")]))
    _run([book], tmp_path / "out")
    tree = etree.parse(str(tmp_path / "out" / "chronicle.tei.xml"))
    heads = [fw for fw in tree.iter(tei("fw")) if fw.get("type") == "header"]
    assert ["".join(fw.itertext()) for fw in heads] == ["Chronicle of the Abbey"] * 2
    reasons = {interp.get(XML_ID): interp.text for interp in tree.iter(tei("interp"))}
    assert all("marks the line as the page's header" in reasons[fw.get("ana").split()[-1][1:]] for fw in heads)
    paragraph = next(p for p in tree.iter(tei("p")) if "feast" in "".join(p.itertext()))
    assert "elected" in "".join(paragraph.itertext())  # the sentence runs on over the page turn


def test_a_rule_between_two_articles_of_a_digitized_page_is_layout_linked_to_its_line():
    lines = [("the shipment of books reached Hamburg and was sent on to Leipzig.", (200, 300, 1600, 50)),
             ("—-—·——-—", (700, 380, 600, 20)),
             ("News from Vienna", (800, 440, 400, 50)),
             ("The theatre opened its season with a comedy that pleased nobody.", (200, 520, 1600, 50))]
    edition = build_edition(_alto([lines], ALTO_V3), "news.alto.xml", CONFIG)
    assert edition.errors == []  # valid: the fw carries its own link, no lb stands between divisions
    tree = parse(edition.xml)
    rule = next(fw for fw in tree.iter(tei("fw")) if fw.get("type") == "layout")
    assert "".join(rule.itertext()) == "—-—·——-—" and rule.get("facs") == "#facs-p1-l2"


def test_display_copies_made_on_two_threads_are_those_made_on_one(tmp_path):
    from io import BytesIO

    from PIL import Image

    files = []
    for n, shade in enumerate((40, 120, 200), start=1):  # each page its own grey, to tell them apart
        picture = BytesIO()
        Image.new("L", (1500, 2200), shade).save(picture, format="TIFF")
        files.append(SourceFile(f"p{n}.tif", picture.getvalue()))
        files.append(SourceFile(f"p{n}.xml", _typed_page_xml([(None, f"Text of page {n}, read by hand.",
                                                                 "100,300 1400,300 1400,360 100,360")])))
    one = build_edition(files, "book", PipelineConfig(ocr_threads=1))
    two = build_edition(files, "book", PipelineConfig(ocr_threads=2))
    assert one.page_images == two.page_images and one.xml == two.xml and len(one.page_images) == 3
    shades = [Image.open(BytesIO(png)).getpixel((10, 10)) for _, png in sorted(two.page_images.items())]
    assert shades == [40, 120, 200]  # each copy stands for its own page


def test_a_footnote_closing_a_real_page_is_a_note_inside_the_paragraph_that_goes_on():
    """Die Grenzboten, page 5: the paragraph breaks off ("… gebracht, aber"), a footnote set in
    smaller type under a wide gap fills the page's foot (ABBYY lost its mark "*)"), and the
    paragraph goes on at the top of page 6 ("er hat auch …"). The note stays where it is
    printed, inside the paragraph, and the paragraph is one."""
    files = [SourceFile(f"{stem}.abbyy.xml", (CORPUS / "abbyy-xml" / f"{stem}.abbyy.xml").read_bytes())
             for stem in ("179396", "179397")]
    edition = build_edition(files, "Grenzboten 1841", CONFIG)
    assert edition.errors == []
    tree = parse(edition.xml)
    notes = [note for note in tree.iter(tei("note")) if note.get("place") == "foot"]
    assert len(notes) == 1
    note_text = "".join(notes[0].itertext())
    assert note_text.startswith("Um Ein Beispiel") and "Das gute alte Recht." in note_text
    paragraph = notes[0].getparent()
    assert local_name(paragraph) == "p"
    text = "".join(paragraph.itertext())
    before, after = text.split(note_text)
    assert before.rstrip().endswith("gebracht, aber") and "er hat auch all das Große" in after
    # the main text's last line, not the note's, decided the turn; the source rebuilds
    assert without_whitespace(rebuild_source(tree)) == without_whitespace(edition.document.text)


def _page_with_notes(note_height: int, gap: int, note_lines: list[str]) -> bytes:
    body = "the council met again in the spring and argued at length about the"
    lines = [(body, (100, 100 + 60 * n, 1400, 150 + 60 * n)) for n in range(10)]
    top = 100 + 60 * 9 + 50 + gap
    lines += [(line, (100, top + (note_height + 10) * n, 1400, top + (note_height + 10) * n + note_height))
              for n, line in enumerate(note_lines)]
    return _hocr_page(lines)


def test_notes_on_a_page_image_are_told_by_their_gap_and_smaller_type_even_without_their_mark():
    notes = ["The treasurer's accounts for that year are lost, and the minutes of the",
             "following spring say no more of the matter than that it was settled."]
    following = _hocr_page([("tariffs on grain and timber, which the merchants opposed.", (100, 100, 1400, 150))])
    for note_height, gap, found in ((38, 140, True), (50, 140, False), (38, 10, False)):
        files = [SourceFile("p1.hocr", _page_with_notes(note_height, gap, notes)), SourceFile("p2.hocr", following)]
        edition = build_edition(files, "minutes", CONFIG)
        assert edition.errors == []
        placed = [note for note in parse(edition.xml).iter(tei("note")) if note.get("place") == "foot"]
        assert bool(placed) == found, (note_height, gap)
        if found:  # smaller type under a wide gap: a note, inside the paragraph that goes on over the turn
            paragraph = placed[0].getparent()
            assert "tariffs on grain" in "".join(paragraph.itertext())
            assert "".join(placed[0].itertext()).startswith("The treasurer's accounts")


def test_notes_at_the_foot_and_their_anchors_are_valid_tei_all(tei_all):
    """The ground truth of pages 5–6 and 8–10 as a text export, pages turned by form feeds (its
    marks "*)" read cleanly): the note in its paragraph and the mark that points to it are TEI."""
    text = b"\n\f\n".join((CORPUS / "gt" / f"{stem}.gt.txt").read_bytes() for stem in ("179396", "179397") + STEMS)
    edition = build_edition(text, "grenzboten.txt", CONFIG)
    tree = parse(edition.xml)
    note = tree.find(".//t:p/t:note[@place='foot']", NS)
    anchor = tree.find(".//t:ref[@type='noteAnchor']", NS)
    assert edition.errors == [] and note is not None and anchor is not None
    assert anchor.text == "*)" and note.get("target") == "#" + anchor.get(XML_ID)
    assert tei_all.validate(tree), tei_all.error_log.last_error


def test_a_title_set_alone_in_the_middle_of_a_page_is_a_heading_though_it_ends_with_a_full_stop():
    """Nineteenth-century printers end titles with a full stop ("Die Seebäder in Ostende.").
    On a page image the title stands centred; verse lines share one indent, a dateline and a
    signature stand to the right: they stay what they are."""
    body = "the council met again in the spring and argued at length about the"
    lines = [("The Sea Baths at Ostend.", (520, 100, 980, 150))]
    lines += [(body, (100, 200 + 60 * n, 1400, 250 + 60 * n)) for n in range(6)]
    lines += [(verse, (400, 580 + 60 * n, right, 630 + 60 * n)) for n, (verse, right) in
              enumerate((("Where once by good old wine", 1000), ("The Swabian drank his fill,", 1050),
                         ("There be the first toast,", 950), ("The good old right.", 900)))]
    lines += [(body, (100, 840 + 60 * n, 1400, 890 + 60 * n)) for n in range(5)]
    lines += [("Brussels, the 28th of September 1841.", (560, 1160, 1300, 1210)),
              ("J. Kuranda.", (1150, 1220, 1400, 1270))]
    edition = build_edition([SourceFile("p1.hocr", _hocr_page(lines))], "baths", CONFIG)
    assert edition.errors == []
    heads = ["".join(head.itertext()) for head in parse(edition.xml).iter(tei("head"))]
    assert heads == ["The Sea Baths at Ostend."]
    # verse lines that look centred (equal margins) are not, sharing their indent with the lines around them
    doc = edition.document
    centred = [doc.text[start:doc.text.index("\n", start)] for start in sorted(centred_titles(doc))]
    assert centred == ["The Sea Baths at Ostend."]


def test_a_text_that_breaks_off_on_a_doubted_word_is_valid_with_its_gap_after_the_flag():
    """The scan breaks off mid-sentence on a word the engine doubted: the truncation's gap
    follows the flagged word (it is not part of it), and the edition is valid."""
    def line(text, left, top, doubted=()):
        words = text.split()
        spans = " ".join(f"<span class='ocrx_word' title='bbox {left + 110 * n} {top} {left + 100 + 110 * n} {top + 50}; "
                         f"x_wconf {30 if n in doubted else 92}'>{w}</span>" for n, w in enumerate(words))
        return f"<span class='ocr_line' title='bbox {left} {top} {left + 110 * len(words)} {top + 50}'>{spans}</span>"

    full = "the wardens of the parish met again in the spring and argued"
    paragraphs = [(full, "about the bells at length."), (full, "and paid for the new ropes."),
                  (full, "and so the bell was hung."), (full, "and after that the vestry agreed upon a new")]
    lines, top = [], 100
    for first, last in paragraphs:
        lines += [line(first, 160, top), line(full, 100, top + 60), line(last, 100, top + 120,
                                                                         doubted=(8,) if last.endswith("new") else ())]
        top += 200
    hocr = (f"<html xmlns='http://www.w3.org/1999/xhtml'><body><div class='ocr_page' title='bbox 0 0 1600 1200'>"
            f"<p class='ocr_par'>{''.join(lines)}</p></div></body></html>").encode()
    edition = build_edition(hocr, "page.hocr", PipelineConfig())
    tree = parse(edition.xml)
    unclear = [u for u in tree.iter(tei("unclear")) if u.get("reason") == "low-confidence"]
    assert [u.text for u in unclear] == ["new"]
    assert tree.find(".//t:unclear//t:gap", NS) is None
    gap = tree.find(".//t:gap[@reason='truncated']", NS)
    assert gap is not None and gap.getprevious() is unclear[0]
    assert edition.errors == []


def test_alto_in_1200ths_of_an_inch_gives_a_valid_edition_with_the_page_size_in_inches():
    edition = build_edition(_alto([A4_LINES], ALTO_V3, "inch1200", (10200, 13200)), "letter.alto.xml", CONFIG)
    assert edition.errors == []
    graphic = parse(edition.xml).find(".//t:graphic", NS)
    assert (graphic.get("width"), graphic.get("height")) == ("8.5in", "11in")  # US Letter
