"""Keeping the edit list consistent: sorted, and never two edits on the same characters."""

from __future__ import annotations

from .model import Block, Document, Edit


def _overlaps(a: Edit, b: Edit) -> bool:
    if a.start == a.end or b.start == b.end:  # milestones (page breaks) overlap nothing
        return False
    return a.start < b.end and b.start < a.end


def add_edits(doc: Document, new: list[Edit]) -> list[Edit]:
    """Add ``new`` edits to ``doc``; an edit overlapping one already there is refused and returned.

    Earlier stages win: a later stage must not re-interpret characters another stage
    already explained, because the edition can carry only one reading per character.
    """
    refused: list[Edit] = []
    accepted = list(doc.edits)
    for edit in sorted(new, key=lambda e: (e.start, e.end)):
        if any(_overlaps(edit, other) for other in accepted):
            refused.append(edit)
        else:
            accepted.append(edit)
    doc.edits = sorted(accepted, key=lambda e: (e.start, e.end, e.kind))
    return refused


def edits_within(doc: Document, start: int, end: int) -> list[Edit]:
    return [e for e in doc.edits if start <= e.start and e.end <= end]


READING_KINDS = ("correction", "regularization", "illegal-character", "hyphenation")


def reading_text(doc: Document, start: int, end: int) -> str:
    """The text of ``[start, end)`` as the edition reads it: corrections and regularizations
    applied (what language and script detection should judge, not the mojibake)."""
    pieces, position = [], start
    for edit in edits_within(doc, start, end):
        if edit.kind in READING_KINDS:
            pieces.append(doc.text[position:edit.start])
            pieces.append(edit.replacement or "")
            position = edit.end
    pieces.append(doc.text[position:end])
    return "".join(pieces)


def fit_blocks_to_edits(doc: Document) -> None:
    """Widen a block over an edit that reaches into the whitespace around it (a repair that
    took a leading ideographic space along), so that every edit lies inside one block."""
    for edit in doc.edits:
        for block in doc.blocks:
            if block.start <= edit.start and edit.end <= block.end:
                break
            if edit.start < block.end and block.start < edit.end:
                block.start, block.end = min(block.start, edit.start), max(block.end, edit.end)
                break
        else:  # a repair of whitespace no block holds: it becomes a block of its own
            doc.blocks.append(Block(start=edit.start, end=edit.end, kind="p", lang=doc.lang))
            doc.blocks.sort(key=lambda b: b.start)
