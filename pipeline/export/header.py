"""What an edition's header says of the work, for the formats that describe it again (a IIIF
manifest's label, metadata and rights): only what the header states, never a guess."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from pipeline.tei import XML_LANG, tei


@dataclass
class Description:
    """What an edition's header says of the work: title, people, date, language, identifiers, licence."""
    title: str = ""
    subtitle: str = ""
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    date: str = ""
    place: str = ""
    publisher: str = ""
    language: str | None = None  # the text's (BCP 47)
    licence: str = ""  # the statement
    licence_url: str | None = None
    repository: str = ""  # the holding institution
    shelfmark: str = ""
    identifiers: list[tuple[str, str]] = field(default_factory=list)  # (type, value)


def _text(element: etree._Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def describe(root: etree._Element) -> Description:
    """Read the work's description from an edition's ``teiHeader`` (empty fields where it says nothing)."""
    header = root.find(tei("teiHeader"))
    found = Description()
    if header is None:
        return found
    title_stmt = header.find(f"{tei('fileDesc')}/{tei('titleStmt')}")
    if title_stmt is not None:
        titles = title_stmt.findall(tei("title"))
        main = next((t for t in titles if t.get("type") in (None, "main", "desc")), titles[0] if titles else None)
        found.title = _text(main)
        found.subtitle = _text(next((t for t in titles if t.get("type") == "sub"), None))
        found.authors = [_text(a) for a in title_stmt.findall(tei("author")) if _text(a)]
        found.editors = [_text(e) for e in title_stmt.findall(tei("editor")) if _text(e)]
    source = header.find(f"{tei('fileDesc')}/{tei('sourceDesc')}")
    if source is not None:
        date = source.find(f".//{tei('imprint')}/{tei('date')}")
        if date is None:
            date = source.find(f".//{tei('bibl')}/{tei('date')}")
        found.date = _text(date) or (date.get("when", "") if date is not None else "")
        found.place = _text(source.find(f".//{tei('imprint')}/{tei('pubPlace')}"))
        found.publisher = _text(source.find(f".//{tei('imprint')}/{tei('publisher')}"))
        licence = source.find(f".//{tei('availability')}/{tei('licence')}")
        if licence is not None:
            found.licence, found.licence_url = _text(licence), licence.get("target")
        found.repository = _text(source.find(f".//{tei('msIdentifier')}/{tei('repository')}"))
        found.shelfmark = _text(source.find(f".//{tei('msIdentifier')}/{tei('idno')}"))
        found.identifiers = [(idno.get("type") or "", _text(idno)) for idno in source.iter(tei("idno"))
                             if idno.get("type") not in ("filename", "sha256", "shelfmark") and _text(idno)]
    text = root.find(tei("text"))
    found.language = text.get(XML_LANG) if text is not None else None
    return found
