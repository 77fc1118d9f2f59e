"""Hostile and damaged page files, composed: images declaring huge sizes or with damaged
headers, PDFs declaring huge pages, hOCR, ALTO, PAGE and ABBYY files with what an attack run
on the page readers put in them (issue 29). Used by tests/test_hostile_pages.py and
bench/hostile.py."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from lxml import etree

XHTML = "http://www.w3.org/1999/xhtml"
ALTO = "http://www.loc.gov/standards/alto/ns-v4#"
PAGE = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
ABBYY = "http://www.abbyy.com/FineReader_xml/FineReader10-schema-v1.xml"
LINES = ["The committee met on the first of March.", "Its minutes were read and approved."]


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


def tiff_with_a_tag_past_its_end() -> bytes:
    """A 40 × 30 TIFF whose private tag 65000 says its 100 bytes lie past the end of the file."""
    import struct

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (40, 30), 255).save(buffer, format="TIFF", tiffinfo={65000: "x" * 100})
    data = bytearray(buffer.getvalue())
    ifd = struct.unpack_from("<I", data, 4)[0]
    for entry in range(struct.unpack_from("<H", data, ifd)[0]):
        at = ifd + 2 + 12 * entry
        if struct.unpack_from("<H", data, at)[0] == 65000:
            struct.pack_into("<I", data, at + 8, len(data) + 1000)
    return bytes(data)


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


def locked_pdf() -> bytes:
    """A PDF locked by a password (to open it, not only to edit it)."""
    from fpdf import FPDF

    document = FPDF()
    document.set_encryption(owner_password="owner", user_password="secret")
    document.add_page()
    document.set_font("Helvetica")
    document.text(20, 20, LINES[0])
    return bytes(document.output())


def consonants(words: int, seed: int = 0) -> str:
    """Words of random consonants: what a hidden layer of a broken OCR run can hold."""
    import random

    rnd = random.Random(seed)
    return " ".join("".join(rnd.choice("bcdfghjklmnpqrstvwxz") for _ in range(rnd.randint(3, 9)))
                    for _ in range(words))


def pdf_with_hidden_layer(shown: list[str] | None, hidden: list[str], image: bytes | None = None) -> bytes:
    """A one-page A4 PDF (fpdf2): ``shown`` lines drawn as visible text, ``image`` (a PNG) as
    the page's scan, and ``hidden`` lines drawn in render mode 3 (invisible), as an OCR'd PDF
    carries its text over the scan."""
    from fpdf import FPDF
    from fpdf.enums import TextMode

    document = FPDF(unit="pt", format="A4")
    if FONT.exists():  # any script; Helvetica has Latin-1 only
        document.add_font("DejaVu", fname=str(FONT))
        document.set_font("DejaVu", size=12)
    else:
        document.set_font("Helvetica", size=12)
    document.add_page()
    if image is not None:
        document.image(io.BytesIO(image), x=0, y=0, w=document.w)
    for n, line in enumerate(shown or []):
        document.text(72, 90 + 22 * n, line)
    document.text_mode = TextMode.INVISIBLE
    for n, line in enumerate(hidden):
        document.text(72, 90 + 22 * n, line)
    document.text_mode = TextMode.FILL
    return bytes(document.output())


FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")  # Debian's fonts-dejavu-core


def text_png(lines: list[str], size: int = 44, width: int = 1700) -> bytes:
    """A page image of ``lines`` at 300 dpi, for OCR to read."""
    from PIL import Image, ImageDraw, ImageFont

    face = ImageFont.truetype(str(FONT), size)
    image = Image.new("L", (width, 2200), 255)
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(lines):
        draw.text((150, 150 + 90 * n), line, font=face, fill=0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(300, 300))
    return buffer.getvalue()
