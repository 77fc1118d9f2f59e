"""XML that is not text to edit: a METS, a MODS record, a TEI document, Dublin Core, MARC,
or any XML vocabulary no page reader knows. Reading its markup as prose would make an
edition of angle brackets; such a file is refused with a line that says what it is (a METS
is read as what it is when its folder, or the file itself, is given to a run)."""

from __future__ import annotations

import re

from pipeline.ingest.mets.mets import root_name

KNOWN = {
    "mets": "a METS file: give its folder (or the METS file) to a run, which reads it as a library package",
    "mods": "a MODS record (library metadata), not text",
    "tei": "a TEI document, not a source to edit",
    "teicorpus": "a TEI corpus, not a source to edit",
    "dc": "Dublin Core metadata, not text",
    "rdf": "RDF metadata, not text",
    "record": "a metadata record (XML), not text",
    "collection": "a metadata collection (XML), not text",
    "manifest": "an XML manifest, not text",
}
_NAMESPACED_ROOT = re.compile(rb"<(?![?!])[\w.:-]+[^>]*\sxmlns(:[\w.-]+)?=", re.DOTALL)


def refused_xml(head: bytes) -> str | None:
    """Why an XML file is not read as text (None: it is not XML, or it is HTML). XML shows
    itself by its declaration or a namespace on its root element."""
    root = root_name(head)
    if root is None or root.lower() == "html":
        return None
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not (text.startswith(b"<?xml") or _NAMESPACED_ROOT.search(text[:4096])):
        return None
    return "is " + KNOWN.get(root.lower(), f"XML (root element <{root}>) of a kind the pipeline does not read as text")
