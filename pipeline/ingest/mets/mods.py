"""A MODS record as libraries write it in METS, read into a :class:`LibraryRecord`: title and
subtitle, names with their roles and authority links, publication (place, publisher, date,
edition), extent, series, holding institution and shelfmark, identifiers, language and
script, licence. Only what the record says; the digitization event (the library's own
place and date of scanning) is not the book's publication."""

from __future__ import annotations

import re

from lxml import etree

from pipeline.ingest.pages.ocrpage import local
from pipeline.model import Agent, LibraryRecord

XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# ISO 639-2 (bibliographic and terminology codes) -> BCP 47, for the languages old books are in
LANGUAGES = {
    "ger": "de", "deu": "de", "lat": "la", "grc": "grc", "gre": "el", "ell": "el", "eng": "en", "fre": "fr",
    "fra": "fr", "ita": "it", "spa": "es", "por": "pt", "dut": "nl", "nld": "nl", "dan": "da", "swe": "sv",
    "nor": "no", "ice": "is", "isl": "is", "pol": "pl", "cze": "cs", "ces": "cs", "slo": "sk", "slk": "sk",
    "hun": "hu", "rus": "ru", "ukr": "uk", "heb": "he", "yid": "yi", "ara": "ar", "tur": "tr", "chi": "zh",
    "zho": "zh", "jpn": "ja", "kor": "ko", "lit": "lt", "lav": "lv", "fin": "fi", "est": "et", "gmh": "gmh",
    "goh": "goh", "enm": "enm", "frm": "frm", "fro": "fro", "nds": "nds", "sla": "sla", "syr": "syr",
}
SCRIPTS = {"latf", "latn", "grek", "hant", "hans", "hani", "hebr", "cyrl", "arab", "syrc", "goth"}
AUTHORITIES = {"gnd": "https://d-nb.info/gnd/", "viaf": "https://viaf.org/viaf/"}
# A Creative Commons licence or mark named in words, and its deed's address
CC_NAME = re.compile(r"\bCC[ -]?(BY(?:[ -]NC)?(?:[ -](?:ND|SA))?|0)[ -]?(\d\.\d)?", re.IGNORECASE)
PUBLIC_DOMAIN_MARK = re.compile(r"public domain mark|\bPDM\b", re.IGNORECASE)


def _all(element: etree._Element, *path: str) -> list[etree._Element]:
    """The elements at ``path`` (local names) under ``element``, in document order."""
    found = [element]
    for name in path:
        found = [child for parent in found for child in parent if local(child.tag) == name]
    return found


def _text(element: etree._Element | None) -> str | None:
    if element is None:
        return None
    text = " ".join("".join(element.itertext()).split())
    return text or None


def _first(element: etree._Element, *path: str) -> str | None:
    return next((text for el in _all(element, *path) if (text := _text(el))), None)


def read_record(mods: etree._Element, holding: etree._Element | None = None) -> LibraryRecord:
    """The record of ``mods``; ``holding``, another record of the same book (the physical
    sequence's), lends its location where the first has none."""
    record = LibraryRecord()
    titles = [t for t in _all(mods, "titleInfo") if t.get("type") in (None, "", "uniform")] or _all(mods, "titleInfo")
    if titles:
        main = titles[0]
        record.title = " ".join(filter(None, [_first(main, "nonSort"), _first(main, "title")])) or None
        record.subtitle = _first(main, "subTitle")
        if number := _first(main, "partNumber"):
            record.title = f"{record.title}. {number}" if record.title else number
    record.names = [agent for name in _all(mods, "name") if (agent := _agent(name))]
    publication = [o for o in _all(mods, "originInfo") if (o.get("eventType") or "") != "digitization"]
    for origin in publication:
        record.places += [p for place in _all(origin, "place", "placeTerm")
                          if place.get("type") != "code" and (p := _text(place))]
        record.publisher = record.publisher or _first(origin, "publisher")
        record.edition = record.edition or _first(origin, "edition")
        dates = _all(origin, "dateIssued") or _all(origin, "dateCreated")
        keyed = [d for d in dates if d.get("keyDate") == "yes"] or dates
        record.date = record.date or next((t for d in keyed if (t := _text(d))), None)
    record.extent = [e for el in _all(mods, "physicalDescription", "extent") if (e := _text(el))]
    record.series = [s for item in _all(mods, "relatedItem") if item.get("type") == "series"
                     if (s := _first(item, "titleInfo", "title"))]
    for source in (mods, holding):
        if source is None:
            continue
        for location in _all(source, "location"):
            for place in _all(location, "physicalLocation"):
                if (place.get("type") or "").lower() == "shelfmark":
                    record.shelfmark = record.shelfmark or _text(place)
                else:
                    record.repository = record.repository or place.get("displayLabel") or _text(place)
            record.shelfmark = record.shelfmark or _first(location, "shelfLocator") \
                or _first(location, "holdingSimple", "copyInformation", "shelfLocator")
    for identifier in _all(mods, "identifier"):
        if (value := _text(identifier)) and identifier.get("invalid") != "yes":
            record.identifiers.append((_token(identifier.get("type") or "other"), value))
    for identifier in _all(mods, "recordInfo", "recordIdentifier"):
        if value := _text(identifier):
            record.identifiers.append((_token(identifier.get("source") or "record"), value))
    record.languages = _languages(mods)
    for condition in _all(mods, "accessCondition"):
        statement = _text(condition) or condition.get(XLINK_HREF)
        if statement:
            record.licences.append((statement, _licence_url(condition, statement)))
    return record


def _token(value: str) -> str:
    """A type as TEI's @type wants it: one word."""
    return "-".join(value.split())


def _agent(name: etree._Element) -> Agent | None:
    parts = {(part.get("type") or ""): _text(part) for part in _all(name, "namePart")}
    display = _first(name, "displayForm")
    if not display and ("family" in parts or "given" in parts):
        display = ", ".join(filter(None, [parts.get("family"), parts.get("given")]))
    display = display or " ".join(filter(None, parts.values())) or None
    if not display:
        return None
    role = ""
    for term in _all(name, "role", "roleTerm"):
        if term.get("type") == "code" or not role:
            role = _text(term) or role
    return Agent(name=display, role=role, ref=_authority_link(name), corporate=name.get("type") == "corporate")


def _authority_link(name: etree._Element) -> str | None:
    if (uri := name.get("valueURI")) and uri.startswith(("http://", "https://")):
        return uri
    for identifier in _all(name, "nameIdentifier"):
        value, kind = _text(identifier), (identifier.get("type") or "").lower()
        if value and value.startswith(("http://", "https://")):
            return value
        if value and kind in AUTHORITIES:
            return AUTHORITIES[kind] + value
    return None


def _languages(mods: etree._Element) -> list[str]:
    found = []
    for language in _all(mods, "language"):
        codes = [c for term in _all(language, "languageTerm") if (c := (_text(term) or "").lower())]
        scripts = [s for term in _all(language, "scriptTerm") if (s := (_text(term) or "").lower()) in SCRIPTS]
        for code in codes:
            tag = LANGUAGES.get(code, code if re.fullmatch(r"[a-z]{2,3}", code) else None)
            if tag:
                found.append(tag + (f"-{scripts[0].title()}" if scripts else ""))
    return list(dict.fromkeys(found))


def _licence_url(condition: etree._Element, statement: str) -> str | None:
    """The licence's address: the record's own link, a URL it states, or the deed of a
    Creative Commons licence it names (``CC BY-NC-SA 4.0`` → its creativecommons.org page)."""
    href = condition.get(XLINK_HREF)
    if href and href.startswith(("http://", "https://")):
        return href
    if url := re.search(r"https?://\S+", statement):
        return url.group().rstrip(".,;)")
    if PUBLIC_DOMAIN_MARK.search(statement):
        return "https://creativecommons.org/publicdomain/mark/1.0/"
    if (match := CC_NAME.search(statement)) and match.group(2):
        kind = match.group(1).lower().replace(" ", "-")
        if kind == "0":
            return f"https://creativecommons.org/publicdomain/zero/{match.group(2)}/"
        return f"https://creativecommons.org/licenses/{kind}/{match.group(2)}/"
    return None
