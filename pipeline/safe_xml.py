"""Parse XML the safe way, OCR engines' files and our own editions alike: no external
entities, no network, no DTD loading, no huge trees.

Internal entities (``<!ENTITY eacute "é">`` declared in the file itself) are resolved as XML
defines them: left unresolved, ``Caf&eacute;`` would read as ``Caf`` and the rest of the text
be lost without a word. libxml2 bounds their expansion (a billion laughs is refused), and a
reference to an external one is never followed: it stays unread, as it always was (a file
that uses internal ones too is refused in one line, lest their text be lost).

Our own editions are the exception to the last rule: a single-line source of 11 MB makes a
text node above libxml2's default limit, and an edition we wrote must always be readable
again. ``parse_edition`` lifts the limit only for a document without a DOCTYPE (ours never
have one), so that no entity declaration can ride on it.
"""

from __future__ import annotations

from lxml import etree

from pipeline.errors import DocumentError


def safe_parser(huge_tree: bool = False) -> etree.XMLParser:
    """An lxml parser that resolves no external entity, loads no DTD and uses no network."""
    return etree.XMLParser(
        resolve_entities="internal", no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=huge_tree, remove_blank_text=False,
    )


def parse_xml(data: bytes, name: str, huge_tree: bool = False) -> etree._ElementTree:
    """Parse ``data`` with the safe parser; a DocumentError naming ``name`` and the line when it is not XML."""
    try:
        root = etree.fromstring(data, safe_parser(huge_tree))
    except etree.XMLSyntaxError as error:
        if "not defined" in error.msg and has_doctype(data) and (tree := _external_only(data, huge_tree)):
            return tree
        external = " (an external entity, which is never read, beside internal ones)" \
            if "not defined" in error.msg and has_doctype(data) else ""
        raise DocumentError(name, f"is not well-formed XML (line {error.lineno}: {error.msg}){external}") from error
    return etree.ElementTree(root)


def _external_only(data: bytes, huge_tree: bool) -> etree._ElementTree | None:
    """The file with its references to external entities left unread (as before this parser
    resolved internal ones), when those are all it refers to; None when it also uses internal
    ones, whose text would be lost: then the file is refused."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=huge_tree)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return None
    tree = etree.ElementTree(root)
    dtd = tree.docinfo.internalDTD
    internal = {entity.name for entity in dtd.iterentities() if entity.system_url is None} if dtd else set()
    return None if any(node.name in internal for node in root.iter(etree.Entity)) else tree


def has_doctype(data: bytes) -> bool:
    """A DOCTYPE in the prolog (before the first element)."""
    start = data.find(b"<", data.find(b"?>") + 2 if data.startswith(b"<?xml") else 0)
    while start != -1 and data[start:start + 2] in (b"<?", b"<!"):
        if data[start:start + 9] == b"<!DOCTYPE":
            return True
        start = data.find(b"<", start + 1)
    return False


def parse_edition(data: bytes, name: str) -> etree._ElementTree:
    """An edition of ours (or what claims to be one): huge text nodes allowed, no DOCTYPE."""
    return parse_xml(data, name, huge_tree=not has_doctype(data))
