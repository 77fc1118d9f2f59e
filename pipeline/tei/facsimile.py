"""The facsimile of a digitized source: one ``<surface>`` per page with its ``<graphic>``
and a ``<zone>`` per line, and the links the text makes to them (``pb/@facs``,
``lb/@facs``, ``fw/@facs``). The writer asks :class:`FacsimileLinks` where each page and
line begins; a document without pages gets no links and no facsimile."""

from __future__ import annotations

import bisect
from contextvars import ContextVar
from urllib.parse import quote

from lxml import etree

from pipeline.model import Document, Surface
from pipeline.tei import XML_ID, tei


def surface_id(page: int) -> str:
    """The xml:id of page ``page``'s surface (pages counted from 1)."""
    return f"facs-p{page}"


def zone_id(page: int, line: int) -> str:
    """The xml:id of the zone of line ``line`` on page ``page``."""
    return f"facs-p{page}-l{line}"


def margin_zone_id(page: int, piece: int) -> str:
    """The xml:id of the zone of a piece in page ``page``'s margin."""
    return f"facs-p{page}-m{piece}"


def graphic_url(surface: Surface, base: str) -> str | None:
    """The image's URL relative to the edition: ``base`` (where the source's folder is, seen
    from the edition's folder) and the image's own path; a page of a PDF or multi-page TIFF
    adds ``#page=N``, the PDF open parameter."""
    if surface.image is None:
        return None
    return file_url(surface.image, base) + (f"#page={surface.image_page}" if surface.image_page else "")


def file_url(name: str, base: str) -> str:
    """A file of the source as a URL relative to the edition (``base``: where the source's folder
    is, seen from the edition's folder); a URL (the library's own copy) as it is."""
    if name.startswith(("http://", "https://")):
        return name
    return quote(f"{base.rstrip('/')}/{name}" if base and base != "." else name)


# The units OCR files measure in (ALTO's MeasurementUnit), as (CSS unit, units in one of them).
# A unit not among them leaves the graphic's size unsaid: the surface still has its measures.
MEASURES = {"pixel": ("px", 1), "mm10": ("mm", 10), "inch1200": ("in", 1200)}


def _measure(value: int, unit: str) -> str:
    """A length as TEI's graphic/@width wants it (a CSS measure; decimals, never an exponent).

    >>> _measure(2480, "pixel"), _measure(2970, "mm10"), _measure(10200, "inch1200"), _measure(12345678, "pixel")
    ('2480px', '297mm', '8.5in', '12345678px')
    """
    css, per = MEASURES[unit]
    return f"{value / per:.4f}".rstrip("0").rstrip(".") + css


def build_facsimile(parent: etree._Element, doc: Document, base: str) -> None:
    """Add the ``facsimile``: one surface per page with its graphic, and zones for its lines and margins."""
    facsimile = etree.SubElement(parent, tei("facsimile"))
    for page, surface in enumerate(doc.facsimile, start=1):
        attrs = {XML_ID: surface_id(page), "n": str(page)}
        if surface.width and surface.height:
            attrs.update(ulx="0", uly="0", lrx=str(surface.width), lry=str(surface.height))
        if surface.text_file and surface.text_file != surface.image:  # where the page's text was read
            attrs["source"] = file_url(surface.text_file, base)
        element = etree.SubElement(facsimile, tei("surface"), attrs)
        if (url := graphic_url(surface, base)) is not None:
            graphic = {"url": url}
            if surface.width and surface.height and surface.unit in MEASURES:
                graphic.update(width=_measure(surface.width, surface.unit),
                               height=_measure(surface.height, surface.unit))
            etree.SubElement(element, tei("graphic"), graphic)
        if surface.display_image:  # a PNG copy beside the edition, for browsers
            etree.SubElement(element, tei("graphic"), {"url": quote(surface.display_image), "n": "display",
                                                       "mimeType": "image/png"})
        for line, zone in enumerate(surface.lines, start=1):
            ulx, uly, lrx, lry = zone.box
            etree.SubElement(element, tei("zone"), {XML_ID: zone_id(page, line), "type": "line", **_source_id(zone),
                                                    "ulx": str(ulx), "uly": str(uly), "lrx": str(lrx),
                                                    "lry": str(lry)})
        for index, zone in enumerate(surface.margins, start=1):
            ulx, uly, lrx, lry = zone.box
            etree.SubElement(element, tei("zone"), {XML_ID: margin_zone_id(page, index), "type": "margin",
                                                    **_source_id(zone), "ulx": str(ulx), "uly": str(uly),
                                                    "lrx": str(lrx), "lry": str(lry)})


def _source_id(zone) -> dict[str, str]:
    """``n``: the line's identifier in the OCR file it was read from (an ALTO TextLine's ID),
    so that an ALTO export gives the library its own IDs back."""
    return {"n": zone.source_id} if zone.source_id else {}


class FacsimileLinks:
    """Where pages and lines begin in the text, and which surface and zone they are."""

    def __init__(self, doc: Document):
        self.page_starts = [surface.start for surface in doc.facsimile]
        self.zones = {zone.start: zone_id(page, line) for page, surface in enumerate(doc.facsimile, start=1)
                      for line, zone in enumerate(surface.lines, start=1) if zone.end > zone.start}
        self.margins = {zone.start: margin_zone_id(page, index) for page, surface in enumerate(doc.facsimile, start=1)
                        for index, zone in enumerate(surface.margins, start=1)}
        self.linked: set[int] = set()

    def surface_at(self, position: int) -> str | None:
        """The pointer to the surface of the page that holds ``position`` (None: before the first)."""
        index = bisect.bisect_right(self.page_starts, position) - 1
        return f"#{surface_id(index + 1)}" if index >= 0 else None

    def line_at(self, position: int) -> str | None:
        """The zone of the line beginning at ``position``, once: the first element there takes it."""
        if position in self.linked or position not in self.zones:
            return None
        self.linked.add(position)
        return f"#{self.zones[position]}"


current: ContextVar[FacsimileLinks | None] = ContextVar("facsimile_links", default=None)


def line_zone(position: int | None) -> str | None:
    """In the edition being written: the zone of the line that begins at ``position``, the
    first time it is asked (None for a document without pages, or inside a line)."""
    links = current.get()
    return links.line_at(position) if links is not None and position is not None else None


def margin_zone(position: int) -> str | None:
    """In the edition being written: the zone of what the page prints in its margin at ``position``."""
    links = current.get()
    zone = links.margins.get(position) if links is not None else None
    return f"#{zone}" if zone else None


def page_surface(position: int) -> str | None:
    """In the edition being written: the surface of the page ``position`` is on."""
    links = current.get()
    return links.surface_at(position) if links is not None else None
