"""Hostile and damaged page files (issue 29), each composed here: one bad image, PDF page, box
or link is that file's one-line problem naming file, page and value; the run goes on, the
good documents are written, no text is silently lost, no link leaves the input folder."""

from __future__ import annotations

import io
import struct
import zlib
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

CONFIG = PipelineConfig()
XHTML = "http://www.w3.org/1999/xhtml"
ALTO = "http://www.loc.gov/standards/alto/ns-v4#"
PAGE = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
ABBYY = "http://www.abbyy.com/FineReader_xml/FineReader10-schema-v1.xml"
LINES = ["The committee met on the first of March.", "Its minutes were read and approved."]


# --- composing the hostile files --------------------------------------------------------

def png_header(width: int, height: int) -> bytes:
    """A 1-bit PNG that declares ``width`` x ``height`` and holds a few bytes of data: a
    decompression bomb's header (a real one compresses 50,000² to 404 KB)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


def real_png(width: int = 1000, height: int = 1400) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (width, height), 255).save(buffer, format="PNG")
    return buffer.getvalue()


def tiff_with_a_damaged_second_page() -> bytes:
    """An 8x8 1-bit first page whose next page's directory has no dimensions (Pillow's
    page count raises TypeError('Missing dimensions'))."""
    entries = [(256, 3, 1, 8), (257, 3, 1, 8), (258, 3, 1, 1), (259, 3, 1, 1), (262, 3, 1, 0),
               (273, 4, 1, 0), (278, 3, 1, 8), (279, 4, 1, 8)]
    second_at = 8 + 2 + 12 * len(entries) + 4
    pixels_at = second_at + 2 + 12 + 4
    entries = [(t, k, n, pixels_at if t == 273 else v) for t, k, n, v in entries]
    first = struct.pack("<H", len(entries)) + b"".join(struct.pack("<HHII", *e) for e in entries)
    second = struct.pack("<H", 1) + struct.pack("<HHII", 258, 3, 1, 1) + b"\0\0\0\0"
    return b"II*\x00" + struct.pack("<I", 8) + first + struct.pack("<I", second_at) + second + b"\xff" * 8


DAMAGED_HEADERS = {
    "scan.bmp": b"BM" + b"\0" * 20,
    "scan.gif": b"GIF89a\x10\x00",
    "scan.jp2": b"\x00\x00\x00\x0cjP  \r\n\x87\n" + b"\0" * 10,
    "scan.j2k": b"\xffO\xffQ\x00",
}


def hocr(lines: list[str] = LINES, image: str | None = None, bbox: str | None = None, wconf: str = "93",
         word: str | None = None, depth: int = 0, pages: int = 1) -> bytes:
    """Tesseract-like XHTML hOCR; ``bbox`` replaces the first line's box, ``word`` is added
    to the first line, ``depth`` nests each page inside that many divs."""
    body = []
    for number in range(1, pages + 1):
        title = "bbox 0 0 1000 1400" + (f'; image "{image}"' if image else "")
        rows = []
        for n, text in enumerate(lines):
            box = bbox if bbox is not None and n == 0 else f"100 {100 + 60 * n} 900 {140 + 60 * n}"
            words = "".join(f"<span class='ocrx_word' title='bbox 100 100 200 140; x_wconf {wconf}'>{w}</span> "
                            for w in (text.split() + ([word] if word and n == 0 else [])))
            rows.append(f"<span class='ocr_line' title='bbox {box}'>{words}</span>")
        page = f"<div class='ocr_page' title='{title}'><p class='ocr_par'>{''.join(rows)}</p></div>"
        body.append("<div>" * depth + page.replace("committee", f"committee{number}" if pages > 1 else "committee")
                    + "</div>" * depth)
    return (f"<html xmlns='{XHTML}'><head><meta name='ocr-system' content='tesseract 5'/></head>"
            f"<body>{''.join(body)}</body></html>").encode()


def alto(lines: list[str] = LINES, file_name: str | None = None, line_attrs: dict | None = None,
         string_attrs: dict | None = None, page_attrs: dict | None = None) -> bytes:
    root = etree.Element(f"{{{ALTO}}}alto", nsmap={None: ALTO})
    description = etree.SubElement(root, f"{{{ALTO}}}Description")
    etree.SubElement(description, f"{{{ALTO}}}MeasurementUnit").text = "pixel"
    if file_name:
        source = etree.SubElement(description, f"{{{ALTO}}}sourceImageInformation")
        etree.SubElement(source, f"{{{ALTO}}}fileName").text = file_name
    layout = etree.SubElement(root, f"{{{ALTO}}}Layout")
    page = etree.SubElement(layout, f"{{{ALTO}}}Page", {"ID": "p1", "WIDTH": "1000", "HEIGHT": "1400",
                                                        **(page_attrs or {})})
    block = etree.SubElement(etree.SubElement(page, f"{{{ALTO}}}PrintSpace"), f"{{{ALTO}}}TextBlock")
    for n, text in enumerate(lines):
        attrs = {"HPOS": "100", "VPOS": str(100 + 60 * n), "WIDTH": "800", "HEIGHT": "40"}
        line = etree.SubElement(block, f"{{{ALTO}}}TextLine", {**attrs, **((line_attrs or {}) if n == 0 else {})})
        for word in text.split():
            etree.SubElement(line, f"{{{ALTO}}}String", {"CONTENT": word, "WC": "0.9",
                                                         **((string_attrs or {}) if n == 0 else {})})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def page_xml(lines: list[str] = LINES, image: str | None = None, points: str | None = None, conf: str = "0.9",
             doctype: str = "", root_extra: str = "", unicode_child: str = "") -> bytes:
    rows, named = [], f' imageFilename="{image}"' if image else ""
    for n, text in enumerate(lines):
        box = points if points is not None and n == 0 else \
            f"100,{100 + 60 * n} 900,{100 + 60 * n} 900,{140 + 60 * n} 100,{140 + 60 * n}"
        rows.append(f'<TextLine id="l{n}"><Coords points="{box}"/>'
                    f'<TextEquiv conf="{conf}"><Unicode>{unicode_child if n == 0 else ""}{text}</Unicode></TextEquiv>'
                    f"</TextLine>")
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}<!-- converted from <alto> by hand -->\n'
            f'<PcGts xmlns="{PAGE}"{root_extra}>\n<Page{named} imageWidth="1000" imageHeight="1400">\n'
            f'<TextRegion id="r1"><Coords points="50,50 950,50 950,1300 50,1300"/>\n' + "\n".join(rows)
            + "\n</TextRegion></Page></PcGts>\n").encode()


def abbyy(left: str = "100") -> bytes:
    rows = "".join(f'<line baseline="{140 + 60 * n}" l="{left if n == 0 else 100}" t="{100 + 60 * n}" r="900" '
                   f'b="{140 + 60 * n}"><formatting lang="English">{text}</formatting></line>'
                   for n, text in enumerate(LINES))
    return (f'<?xml version="1.0" encoding="UTF-8"?><document xmlns="{ABBYY}" producer="FineReader 10">'
            f'<page width="1000" height="1400"><block blockType="Text"><text><par>{rows}</par></text></block>'
            f"</page></document>").encode()


def pdf_declaring(*pages_inches: tuple[float, float], text: str | None = None) -> bytes:
    """A PDF whose pages declare these sizes in inches (``text`` drawn visibly on each)."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", None, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for width, height in pages_inches:
        stream = f"BT /F1 12 Tf 72 {height * 72 - 100} Td ({text}) Tj ET".encode() if text else b""
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream.decode()}\nendstream")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width * 72:g} {height * 72:g}] "
                       f"/Resources << /Font << /F1 3 0 R >> >> /Contents {len(objects)} 0 R >>")
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    return out + f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()


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


def test_an_external_entity_refuses_the_file_in_one_line_and_reads_nothing(tmp_path):
    doctype = '<!DOCTYPE PcGts [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
    book = folder(tmp_path / "in", "leak", {"p1.xml": page_xml(["&secret;", LINES[1]], doctype=doctype),
                                             "p2.xml": page_xml()})
    reports, _ = run([book], tmp_path / "out")
    [problem] = reports["leak"].problems
    assert problem.startswith("p1.xml: is not well-formed XML (line 7: Entity 'secret' not defined")
    assert "root:" not in Path(reports["leak"].edition_path).read_text()


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
