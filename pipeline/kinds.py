"""What each kind of edit means, described once.

The edit bookkeeping (which edits may hold others), the TEI writer (which element, which
reading keeps the source), hyphenation (what page furniture is) and the report all read
this table; adding an edit kind is one row here and its rendering in the writer.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EditKindInfo:
    name: str
    element: str  # the TEI element that carries it
    source_reading: str | None = None  # in a <choice>: the child that keeps the source (sic, orig)
    edited_reading: str | None = None  # ... and the child with the edited text (corr, reg)
    fw_type: str | None = None  # page furniture rendered as <fw type="…">
    furniture: bool = False  # part of the page, not of the text: stands where the page turned
    container: bool = False  # its element may hold other edits (a footnote's flagged letter)
    category: str = ""  # what kind of intervention, in one word, for readers of the header


KINDS: tuple[EditKindInfo, ...] = (
    EditKindInfo("illegal-character", "choice", "sic", "corr", category="correction"),
    EditKindInfo("correction", "choice", "sic", "corr", category="correction"),
    EditKindInfo("regularization", "choice", "orig", "reg", category="normalization"),
    EditKindInfo("hyphenation", "choice", "orig", "reg", category="hyphenation"),
    EditKindInfo("running-head", "fw", fw_type="header", furniture=True, category="page furniture"),
    EditKindInfo("page-number", "fw", fw_type="pageNum", furniture=True, category="page furniture"),
    EditKindInfo("catalogue-number", "fw", fw_type="catalogue", furniture=True, category="page furniture"),
    EditKindInfo("signature", "fw", fw_type="sig", furniture=True, category="page furniture"),
    EditKindInfo("catchword", "fw", fw_type="catch", furniture=True, category="page furniture"),
    EditKindInfo("page-break", "pb", furniture=True, category="page furniture"),
    EditKindInfo("garbled", "unclear", category="flag"),
    EditKindInfo("truncation", "gap", category="omission"),
    EditKindInfo("omission", "gap", category="omission"),
    EditKindInfo("note-anchor", "ref", category="segmentation"),
    EditKindInfo("footnote", "note", container=True, category="segmentation"),
    EditKindInfo("flag", "unclear", category="flag"),
    EditKindInfo("layout", "fw", category="segmentation"),
)

BY_NAME: dict[str, EditKindInfo] = {kind.name: kind for kind in KINDS}

# Derived sets, for the places that ask one question of every edit.
READING_KINDS = frozenset(k.name for k in KINDS if k.source_reading)  # rendered as choice
CORRECTION_KINDS = frozenset(k.name for k in KINDS if k.source_reading == "sic")
PAGE_FURNITURE = frozenset(k.name for k in KINDS if k.furniture)
CONTAINER_KINDS = frozenset(k.name for k in KINDS if k.container)
FW_TYPES = {k.name: k.fw_type for k in KINDS if k.fw_type}
