"""A METS file as libraries deliver it (DFG-viewer profile: Kitodo, Goobi, Visual Library,
OCR-D workspaces): its file groups, the pages of the physical structure map in their
``ORDER``, the divisions of the logical map and the ``structLink`` that ties them to pages.

Parsed with the project's safe parser (no entities, DTDs or network). Nothing here reads a
file the METS names; a problem the METS itself shows (a ``FILEID`` naming no file, an
``ORDER`` given twice, a loop in the logical map) is kept in ``problems`` for the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from pipeline.errors import DocumentError
from pipeline.ingest.pages.ocrpage import local
from pipeline.safe_xml import parse_xml

METS_NS = "http://www.loc.gov/METS/"
XLINK = "{http://www.w3.org/1999/xlink}"
# The first element of the file, after the prolog, comments and processing instructions
_ROOT = re.compile(rb"<(?![?!])([\w.-]+:)?([\w.-]+)")


def root_name(head: bytes) -> str | None:
    """The local name of an XML file's root element, from its first bytes (None: not XML)."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text.startswith(b"<"):
        return None
    position = 0
    while True:  # skip the prolog: <?xml …?>, comments, a DOCTYPE
        if text.startswith(b"<?", position):
            position = text.find(b"?>", position) + 2
        elif text.startswith(b"<!--", position):
            position = text.find(b"-->", position) + 3
        elif text.startswith(b"<!", position):
            position = text.find(b">", position) + 1
        else:
            break
        if position <= 1:
            return None
        position = text.find(b"<", position)
        if position < 0:
            return None
    match = _ROOT.match(text, position)
    return match.group(2).decode("ascii", "replace") if match else None


def is_mets(head: bytes) -> bool:
    """A METS file: its root element is ``mets`` in the METS namespace."""
    return root_name(head) == "mets" and METS_NS.encode() in head


@dataclass(frozen=True)
class MetsFile:
    """One file of the fileSec: its ID, group, location and type."""
    id: str
    group: str  # the USE of its fileGrp
    href: str  # FLocat/@xlink:href as written
    mimetype: str = ""


@dataclass
class PhysicalPage:
    """One page of the physical map: its order, printed label and files."""
    id: str
    order: int | None  # ORDER (None: not given; the map's own order counts)
    label: str | None  # ORDERLABEL when it is a real label (not " - " or empty)
    file_ids: list[str] = field(default_factory=list)


@dataclass
class LogicalDiv:
    """One division of the logical map (chapter, preface…), with its pages and subdivisions."""
    id: str
    type: str
    label: str | None
    dmdid: str | None
    children: list[LogicalDiv] = field(default_factory=list)


@dataclass
class Mets:
    """What a METS file says: its files, groups, pages in order, logical divisions and MODS."""
    files: dict[str, MetsFile]  # by ID
    groups: list[str]  # the file groups' USE, in the order of the fileSec
    pages: list[PhysicalPage]  # in ORDER
    logical: list[LogicalDiv]  # the top divisions of the logical map
    links: dict[str, list[str]]  # logical ID -> physical page IDs, in the order of the structLink
    dmd: dict[str, etree._Element]  # dmdSec ID -> the MODS element it wraps
    problems: list[str] = field(default_factory=list)
    physical_dmdid: str | None = None  # the physical sequence's own record (GDZ puts the shelfmark there)

    def record_ids(self) -> list[str]:
        """The dmdSecs that describe the whole book, the most telling first: the outermost
        logical division's, the physical sequence's, then every other in the file's order."""
        first = [div.dmdid for div in self.logical[:1] if div.dmdid] + [self.physical_dmdid or ""]
        return [i for i in dict.fromkeys(first + list(self.dmd)) if i in self.dmd]


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if local(child.tag) == name]


def _descendants(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element.iter() if local(child.tag) == name]


def real_label(label: str | None) -> str | None:
    """An ORDERLABEL that names the page (`` - ``, ``-`` and empty ones say it has none)."""
    label = " ".join((label or "").split())
    return label if label.strip("-–—. ") else None


def parse_mets(data: bytes, name: str) -> Mets:
    """The METS file's file groups, physical and logical structure maps and descriptive records."""
    root = parse_xml(data, name).getroot()
    if local(root.tag) != "mets":
        raise DocumentError(name, f"is not a METS file (its root element is <{local(root.tag)}>)")
    problems: list[str] = []
    files: dict[str, MetsFile] = {}
    groups: list[str] = []
    for group in _descendants(root, "fileGrp"):
        use = group.get("USE") or group.get("ID") or f"group {len(groups) + 1}"
        groups.append(use)
        for element in _children(group, "file"):
            locations = _children(element, "FLocat")
            href = (locations[0].get(f"{XLINK}href") or "").strip() if locations else ""
            if not element.get("ID") or not href:
                problems.append(f"a file of group {use} has no ID or no FLocat href: left out")
                continue
            files[element.get("ID")] = MetsFile(element.get("ID"), use, href, element.get("MIMETYPE") or "")
    maps = {(m.get("TYPE") or "").upper(): m for m in _descendants(root, "structMap")}
    physical = maps.get("PHYSICAL")
    pages = _physical_pages(physical, files, problems)
    sequence = _children(physical, "div") if physical is not None else []
    logical = _logical_divs(maps.get("LOGICAL"), problems)
    links: dict[str, list[str]] = {}
    for link in _descendants(root, "smLink"):
        source, target = link.get(f"{XLINK}from"), link.get(f"{XLINK}to")
        if source and target:
            links.setdefault(source, []).append(target)
    dmd = {}
    for section in _descendants(root, "dmdSec"):
        mods = next((el for el in section.iter() if local(el.tag) == "mods"), None)
        if section.get("ID") and mods is not None:
            dmd[section.get("ID")] = mods
    return Mets(files, groups, pages, logical, links, dmd, problems,
                physical_dmdid=sequence[0].get("DMDID") if sequence else None)


def _physical_pages(structure: etree._Element | None, files: dict[str, MetsFile],
                    problems: list[str]) -> list[PhysicalPage]:
    if structure is None:
        return []
    pages = []
    for div in structure.iter():
        if local(div.tag) != "div" or not _children(div, "fptr"):
            continue  # the sequence itself (physSequence), which holds the pages
        order = div.get("ORDER")
        page = PhysicalPage(div.get("ID") or f"page {len(pages) + 1}",
                            int(order) if order and order.strip().isdigit() else None,
                            real_label(div.get("ORDERLABEL")))
        for pointer in _children(div, "fptr"):
            file_id = pointer.get("FILEID")
            if file_id is None:  # an area pointer: <fptr><area FILEID/></fptr>
                file_id = next((area.get("FILEID") for area in pointer.iter() if local(area.tag) == "area"), None)
            if file_id in files:
                page.file_ids.append(file_id)
            else:
                problems.append(f"page {page.id}: FILEID {file_id} names no file of the fileSec")
        pages.append(page)
    seen: dict[int, str] = {}
    for page in pages:
        if page.order is not None and page.order in seen:
            problems.append(f"pages {seen[page.order]} and {page.id} have the same ORDER {page.order}: "
                            "kept in the order of the structure map")
        elif page.order is not None:
            seen[page.order] = page.id
    # ORDER decides; a page without one keeps its place after the one before it
    keys, before = [], 0
    for written, page in enumerate(pages):
        before = page.order if page.order is not None else before
        keys.append((before, written))
    return [page for _key, page in sorted(zip(keys, pages), key=lambda pair: pair[0])]


def _logical_divs(structure: etree._Element | None, problems: list[str]) -> list[LogicalDiv]:
    if structure is None:
        return []

    def build(element: etree._Element, depth: int) -> LogicalDiv:
        div = LogicalDiv(element.get("ID") or "", element.get("TYPE") or "section",
                         " ".join((element.get("LABEL") or "").split()) or None, element.get("DMDID"))
        for child in _children(element, "div"):
            if depth > 50:  # a tree cannot loop; a map this deep is broken
                problems.append(f"logical map nested deeper than 50 levels under {div.id}: cut there")
                break
            div.children.append(build(child, depth + 1))
        return div

    return [build(element, 0) for element in _children(structure, "div")]
