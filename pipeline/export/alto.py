"""ALTO v4, one file per page: the edition's reading text in the page's own line boxes, for
libraries' presentation systems (DFG-Viewer, Kitodo.Presentation) and for re-import into
eScriptorium or Transkribus.

Each line of the edition is a ``TextLine`` with its zone's box and its reading text as
``String``s (corrections and regularizations applied). The edition keeps line boxes only, so
the words carry no coordinates (ALTO 4 makes a String's HPOS, VPOS, WIDTH and HEIGHT
optional; cutting the line's box by the words' lengths would invent where they stand), and
the file's Processing step says so. A line read from an ALTO file keeps that file's
TextLine ID (the edition's zone/@n), so that a library can replace its full text page by
page; a hyphen the reading joins over the line's end is the line's ``HYP``.
Page furniture and notes are tagged (``Tags/OtherTag``, ``TAGREFS`` on their lines) with the
furniture class names the project's readers know. Lines in a row of the same kind share a
``TextBlock``. Valid against the ALTO 4.2 schema (``schemas/alto/``)."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from pipeline import PIPELINE_NAME, __version__
from pipeline.export.lines import Line, PageLines
from pipeline.export.iiif import shown_image

ALTO_NS = "http://www.loc.gov/standards/alto/ns-v4#"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{ALTO_NS} http://www.loc.gov/standards/alto/v4/alto-4-2.xsd"
SCHEMA = Path(__file__).resolve().parents[2] / "schemas" / "alto" / "alto-4-2.xsd"
UNITS = {"px": "pixel", "mm": "mm10", "in": "inch1200"}  # the surface's unit -> ALTO's MeasurementUnit


def _alto(tag: str) -> str:
    return f"{{{ALTO_NS}}}{tag}"


def _sub(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    return etree.SubElement(parent, _alto(tag), {k: v for k, v in attributes.items() if v is not None})


def _box(box: tuple[int, int, int, int]) -> dict[str, str]:
    ulx, uly, lrx, lry = box
    return {"HPOS": str(ulx), "VPOS": str(uly), "WIDTH": str(max(lrx - ulx, 0)), "HEIGHT": str(max(lry - uly, 0))}


def tag_id(kind: str) -> str:
    """The ALTO tag ID for an edit kind or furniture class (characters an ID cannot hold as "-")."""
    return "tag-" + "".join(c if c.isalnum() or c in "-_." else "-" for c in kind)


def alto_page(page: PageLines, language: str | None = None) -> bytes:
    """One page as an ALTO v4 file (UTF-8)."""
    root = etree.Element(_alto("alto"), nsmap={None: ALTO_NS, "xsi": XSI_NS}, SCHEMAVERSION="4.2")
    root.set(f"{{{XSI_NS}}}schemaLocation", SCHEMA_LOCATION)
    description = _sub(root, "Description")
    _sub(description, "MeasurementUnit").text = UNITS.get(page.unit, "pixel")
    image = next(iter(page.images), None) or shown_image(page)
    if image is not None:  # the library's URL, or the image's own name (a path would mean another folder)
        remote = image.url.startswith(("http://", "https://"))
        name = image.url if remote else unquote(image.url.split("#")[0]).rsplit("/", 1)[-1]
        _sub(_sub(description, "sourceImageInformation"), "fileName").text = name
    processing = _sub(description, "Processing", ID="export")
    _sub(processing, "processingCategory").text = "contentModification"
    _sub(processing, "processingStepDescription").text = (
        "the reading text of the edition: corrections and regularizations applied; lines in their boxes "
        "(TextLine IDs of an ALTO source kept), words without coordinates")
    software = _sub(processing, "processingSoftware")
    _sub(software, "softwareName").text = PIPELINE_NAME
    _sub(software, "softwareVersion").text = __version__
    lines = [line for line in page.lines if line.text or line.hyphen]
    kinds = sorted({line.furniture for line in lines if line.furniture})
    if kinds:
        tags = _sub(root, "Tags")
        for kind in kinds:
            _sub(tags, "OtherTag", ID=tag_id(kind), TYPE="furniture" if kind != "footnote" else "note", LABEL=kind)
    layout = _sub(root, "Layout")
    page_element = _sub(layout, "Page", ID=f"page-{page.surface}", PHYSICAL_IMG_NR=str(page.order),
                        PRINTED_IMG_NR=page.label if page.label != str(page.order) else None,
                        WIDTH=str(page.width) if page.width else None, HEIGHT=str(page.height) if page.height else None)
    space = _sub(page_element, "PrintSpace")
    taken = {"export", *(tag_id(kind) for kind in kinds)}
    ids = _line_ids(lines, taken)
    for number, group in enumerate(_blocks(lines), start=1):
        kind = group[0].furniture
        block_id = _unused(f"block-{page.surface}-{number}", taken)
        block = _sub(space, "TextBlock", ID=block_id, **_bounds(group),
                     TAGREFS=tag_id(kind) if kind else None, LANG=language)
        for line in group:
            _text_line(block, line, ids[line.zone])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _blocks(lines: list[Line]) -> list[list[Line]]:
    """Consecutive lines of one kind (running text, a furniture class, notes) together."""
    groups: list[list[Line]] = []
    for line in lines:
        if groups and groups[-1][0].furniture == line.furniture and groups[-1][0].kind == line.kind:
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def _bounds(lines: list[Line]) -> dict[str, str]:
    boxes = [line.box for line in lines]
    return _box((min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                 max(b[3] for b in boxes)))


NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")  # what xsd:ID admits (ASCII letters; enough for engines' IDs)


def _line_ids(lines: list[Line], taken: set[str]) -> dict[str, str]:
    """Each line's TextLine ID: the one its OCR file gave it (an ALTO page goes back to the
    library with its own IDs, so that its full text can be replaced page by page), else one
    of ours; never one used twice in the file (``taken`` grows with them)."""
    ids = {}
    for line in lines:
        wanted = line.source_id if line.source_id and NCNAME.match(line.source_id) else None
        if wanted and wanted not in taken:
            taken.add(wanted)
            ids[line.zone] = wanted
        else:
            ids[line.zone] = _unused(f"line-{line.zone}", taken)
    return ids


def _unused(wanted: str, taken: set[str]) -> str:
    """``wanted``, or ``wanted.2``… if a source's ID already took it; then taken."""
    name, n = wanted, 1
    while name in taken:
        n += 1
        name = f"{wanted}.{n}"
    taken.add(name)
    return name


def _text_line(block: etree._Element, line: Line, line_id: str) -> None:
    element = _sub(block, "TextLine", ID=line_id, **_box(line.box),
                   TAGREFS=tag_id(line.furniture) if line.furniture else None)
    words = line.text.split() or [line.hyphen]  # a line of a hyphen alone keeps it as its word
    for position, word in enumerate(words):
        if position:
            _sub(element, "SP")
        _sub(element, "String", CONTENT=word)
    if line.hyphen and line.text:
        _sub(element, "HYP", CONTENT=line.hyphen)


def alto_pages(root: etree._Element, pages: list[PageLines]) -> list[tuple[PageLines, bytes]]:
    """Every page that has lines, as an ALTO file."""
    text = root.find("{http://www.tei-c.org/ns/1.0}text")
    language = text.get("{http://www.w3.org/XML/1998/namespace}lang") if text is not None else None
    return [(page, alto_page(page, _xsd_language(language))) for page in pages if page.lines]


def _xsd_language(tag: str | None) -> str | None:
    """A BCP 47 tag as xsd:language takes it (zh-Hant is one; "und" and empty are left out)."""
    return tag if tag and tag not in ("und", "none") else None


@functools.cache
def schema() -> etree.XMLSchema:
    """The ALTO 4.2 schema, its XLink import read from the copy beside it (never the network)."""

    class _Local(etree.Resolver):
        def resolve(self, url, pubid, context):
            if url.endswith("/xlink.xsd"):
                return self.resolve_filename(str(SCHEMA.parent / "xlink.xsd"), context)
            return None

    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_Local())
    return etree.XMLSchema(etree.parse(str(SCHEMA), parser))


def schema_errors(data: bytes) -> list[str]:
    """What the ALTO 4.2 schema says against ``data`` (empty: valid)."""
    checker = schema()
    if checker.validate(etree.fromstring(data)):
        return []
    return [f"line {e.line}: {e.message}" for e in checker.error_log]
