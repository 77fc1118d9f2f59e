"""A library package's record in the header: the MODS as the Deutsches Textarchiv's base
format and mets-mods2tei write it. Title and names in ``titleStmt`` (authors ``aut``,
editors ``edt``, every other role a ``respStmt``; GND/VIAF links as ``@ref``); the book
as ``sourceDesc/biblStruct`` (titles, names, identifiers as ``idno[@type]``, language and
script as ``textLang``, and in ``profileDesc/langUsage`` beside the languages detected in the
text; the licence as ``availability/licence[@target]``, edition, imprint,
extent, series); the holding institution and shelfmark as ``msDesc/msIdentifier``."""

from __future__ import annotations

import re

from lxml import etree

from pipeline.model import Agent, LibraryRecord
from pipeline.stages.language import LANGUAGE_NAMES
from pipeline.tei import tei

ROLES = {"aut": "author", "edt": "editor"}
# MARC relator codes a respStmt names in words (the code is kept beside them)
RELATORS = {"fnd": "funder", "ill": "illustrator", "trl": "translator", "ctb": "contributor", "prt": "printer",
            "pbl": "publisher", "own": "former owner", "dte": "dedicatee", "egr": "engraver", "com": "compiler",
            "cmm": "commentator", "ann": "annotator", "red": "redactor", "pfr": "proofreader", "scr": "scribe",
            "dgg": "degree granting institution", "his": "host institution", "oth": "other", "asn": "associated name"}
# ISO 15924 codes the MODS scriptTerm gives (pipeline.ingest.mets.mods.SCRIPTS), in words
SCRIPT_NAMES = {"Latf": "Fraktur", "Latn": "Latin script", "Grek": "Greek script", "Hant": "traditional script",
                "Hans": "simplified script", "Hani": "Han characters", "Hebr": "Hebrew script", "Cyrl": "Cyrillic",
                "Arab": "Arabic script", "Syrc": "Syriac script", "Goth": "Gothic script"}
DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str | None) -> etree._Element:
    element = etree.SubElement(parent, tei(tag), {k.rstrip("_"): v for k, v in attrs.items() if v is not None})
    element.text = text
    return element


def title_statement(title_stmt: etree._Element, record: LibraryRecord) -> None:
    """The record's title, subtitle and names, into ``titleStmt`` (before its respStmt)."""
    _sub(title_stmt, "title", record.title, type="main")
    if record.subtitle:
        _sub(title_stmt, "title", record.subtitle, type="sub")
    _names(title_stmt, record.names)


def _names(parent: etree._Element, names: list[Agent]) -> None:
    for role in ROLES:  # authors, then editors
        for agent in (a for a in names if a.role == role):
            _sub(parent, ROLES[role], agent.name, ref=agent.ref)
    for agent in names:
        if agent.role not in ROLES:
            statement = _sub(parent, "respStmt")
            role = RELATORS.get(agent.role, agent.role or "named in the record")
            _sub(statement, "resp", f"{role} ({agent.role})" if agent.role in RELATORS else role)
            _sub(statement, "orgName" if agent.corporate else "persName", agent.name, ref=agent.ref)


def source_description(source_desc: etree._Element, record: LibraryRecord) -> None:
    """``biblStruct`` and ``msDesc`` after the source's ``bibl``, where the record has them."""
    if record.title or record.identifiers:
        _bibl_struct(_sub(source_desc, "biblStruct"), record)
    if record.repository or record.shelfmark:
        identifier = _sub(_sub(source_desc, "msDesc"), "msIdentifier")
        if record.repository:
            _sub(identifier, "repository", record.repository)
        if record.shelfmark:
            _sub(identifier, "idno", record.shelfmark, type="shelfmark")


def _bibl_struct(bibl_struct: etree._Element, record: LibraryRecord) -> None:
    monogr = _sub(bibl_struct, "monogr")
    by_role = [agent for agent in record.names if agent.role in ROLES]
    if by_role and record.title:  # names first, then the titles
        for agent in by_role:
            _sub(monogr, ROLES[agent.role], agent.name, ref=agent.ref)
    if record.title:
        _sub(monogr, "title", record.title, type="main")
        if record.subtitle:
            _sub(monogr, "title", record.subtitle, type="sub")
    for kind, value in record.identifiers:
        _sub(monogr, "idno", value, type=kind)
    if record.languages:
        _sub(monogr, "textLang", ", ".join(record.languages), mainLang=record.languages[0],
             otherLangs=" ".join(record.languages[1:]) or None)
    if record.licences:
        availability = _sub(monogr, "availability")
        for statement, url in record.licences:
            _sub(availability, "licence", statement, target=url)
    if record.edition:
        _sub(monogr, "edition", record.edition)
    imprint = _sub(monogr, "imprint")
    for place in record.places:
        _sub(imprint, "pubPlace", place)
    if record.publisher:
        _sub(imprint, "publisher", record.publisher)
    if record.date or not len(imprint):
        _sub(imprint, "date", record.date, when=record.date if record.date and DATE.fullmatch(record.date) else None)
    for extent in record.extent:
        _sub(monogr, "extent", extent)
    for series in record.series:
        _sub(_sub(bibl_struct, "series"), "title", series)


def stated_languages(lang_usage: etree._Element, record: LibraryRecord) -> None:
    """The languages the record states, into ``langUsage`` after those detected in the text:
    each one not already there under its tag, without ``@usage`` (its share of the text is
    the record's word, not a measure)."""
    present = {language.get("ident") for language in lang_usage}
    for tag in record.languages:
        if tag in present:
            continue
        language, _, script = tag.partition("-")
        name = LANGUAGE_NAMES.get(tag) or LANGUAGE_NAMES.get(language, language)
        if script and tag not in LANGUAGE_NAMES:
            name += f", {SCRIPT_NAMES.get(script, script)}"
        _sub(lang_usage, "language", f"{name} (the library's record)", ident=tag)
