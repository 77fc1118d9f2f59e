"""Parse XML the safe way: no entity resolution, no network, no DTD loading, no huge trees."""

from __future__ import annotations

from lxml import etree

from .errors import DocumentError


def safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, remove_blank_text=False,
    )


def parse_xml(data: bytes, name: str) -> etree._ElementTree:
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as error:
        raise DocumentError(name, f"is not well-formed XML (line {error.lineno}: {error.msg})") from error
    return etree.ElementTree(root)
